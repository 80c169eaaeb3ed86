"""Read a gig from a JSON file in either shape, collecting every problem instead of stopping at one."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from console.models import Gig, GigCreate, Problem, problem_from_json, problems_from_validation
from console.sim.errors import QueryError
from console.sim.ranking import compile_queries, default_compiler

GigShape = Literal["read", "create"]


@dataclass
class GigFile:
    path: Path
    shape: GigShape | None = None
    gig: Gig | GigCreate | None = None
    problems: list[Problem] = field(default_factory=list)

    def messages(self) -> list[str]:
        """One line per problem, each starting with the file (and line:column for broken JSON)."""
        return [
            f"{problem}" if problem.where.startswith(str(self.path)) else f"{self.path}: {problem}"
            for problem in self.problems
        ]


def shape_of(data: dict[str, Any]) -> GigShape:
    """An API answer carries ``id``/``object``; a file written to create a gig does not."""
    return "read" if "id" in data or data.get("object") == "gig" else "create"


def parse_gig(data: Any, shape: GigShape | None = None) -> tuple[Gig | GigCreate | None, list[Problem]]:
    if not isinstance(data, dict):
        return None, [Problem("", f"a gig must be a JSON object, not {type(data).__name__}")]
    shape = shape or shape_of(data)
    model = Gig if shape == "read" else GigCreate
    try:
        gig = model.model_validate(data)
        if isinstance(gig, Gig):
            # simulate runs a read-shape gig as the create it makes: what that create refuses
            # (a description over its limit) is this file's problem too, named by its field.
            to_create(gig)
    except ValidationError as exc:
        return None, problems_from_validation(exc)
    problems = query_problems(gig)
    return (None if problems else gig), problems


def query_problems(gig: Gig | GigCreate) -> list[Problem]:
    """The gig's queries compiled as the simulation compiles them: an operator the engine would
    refuse (unknown like ``$gtx``, unsupported like ``$where``) is a problem of the file too, so
    ``gigs validate``, ``gigs create`` and ``simulate`` accept exactly the same gigs."""
    try:
        compile_queries(default_compiler(), gig.filter_query, gig.sort_query)
    except QueryError as exc:
        return [Problem(exc.path, exc.message)]
    return []


NESTED_TOO_DEEPLY = "invalid JSON: arrays or objects nested too deeply to read"


def load_gig_file(path: Path, shape: GigShape | None = None) -> GigFile:
    result = GigFile(path=path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        result.problems.append(Problem(str(path), f"cannot read file: {exc.strerror or exc}"))
        return result
    except UnicodeDecodeError as exc:
        result.problems.append(Problem(str(path), f"not UTF-8 text (byte {exc.start})"))
        return result
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        result.problems.append(problem_from_json(exc, str(path)))
        return result
    except RecursionError:  # arrays or objects nested past what json.loads recurses into
        result.problems.append(Problem(str(path), NESTED_TOO_DEEPLY))
        return result
    if isinstance(data, dict):
        result.shape = shape or shape_of(data)
    result.gig, result.problems = parse_gig(data, result.shape)
    return result


def to_create(gig: Gig | GigCreate) -> GigCreate:
    """The create body that would make this gig: a gig read from the API (or a file in the read
    shape) loses its id and read-only fields, its tasks become a list and its topic a name."""
    if isinstance(gig, GigCreate):
        return gig
    data = gig.to_api()
    create = {name: data[name] for name in GigCreate.model_fields if name in data}
    create["tasks"] = [{"title": t.title, "base_price": t.base_price} for t in gig.tasks.data]
    topic = gig.invitation_notification_topic
    create["invitation_notification_topic"] = topic.name if topic is not None else None
    return GigCreate.model_validate(create)
