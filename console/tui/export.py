"""Write the gig list's filtered view to CSV or JSON (chosen by the file's extension)."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from console.sim.atomic import check_replaceable

FORMATS = (".csv", ".json")


class ExportError(Exception):
    """The export could not be written; the message names the file and why."""


def render(records: Sequence[dict[str, Any]], suffix: str) -> str:
    if suffix == ".json":
        return json.dumps(list(records), indent=2, ensure_ascii=False) + "\n"
    if suffix == ".csv":
        out = io.StringIO()
        fields = list(records[0]) if records else []
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        return out.getvalue()
    raise ExportError(f"cannot export to {suffix or 'a file without extension'}: use .csv or .json")


def write_export(path: Path, records: Sequence[dict[str, Any]]) -> Path:
    """Write atomically (temp file + rename) so a failed export never leaves half a file."""
    path = path.expanduser()
    text = render(records, path.suffix.lower())
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        check_replaceable(path)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return path
