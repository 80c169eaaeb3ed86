"""Check an answer of ``serve`` against its own OpenAPI document (jsonschema, 2020-12)."""

from __future__ import annotations

import re
from typing import Any

import httpx
from jsonschema import Draft202012Validator


class AnswerChecker:
    def __init__(self, document: dict[str, Any]) -> None:
        self.components = document["components"]
        self.routes = [
            (method.upper(), re.compile("^" + re.sub(r"{\w+}", "[^/]+", path) + "$"), operation)
            for path, operations in document["paths"].items()
            for method, operation in operations.items()
        ]
        self.checked = 0
        self._validators: dict[int, Draft202012Validator] = {}

    def problems(self, method: str, path: str, status: int, body: Any) -> list[str]:
        """What is wrong with one answer (empty when it matches its schema)."""
        for route_method, pattern, operation in self.routes:
            if route_method == method and pattern.match(path):
                break
        else:
            # Not a route: only an error body may come back.
            operation = {"responses": {"default": self.routes[0][2]["responses"]["default"]}}
        responses = operation["responses"]
        response = responses.get(str(status), responses["default"])
        self.checked += 1
        return [f"{method} {path} -> {status}: {'.'.join(map(str, e.absolute_path))}: {e.message}"
                for e in self._validator(response).iter_errors(body)]

    def _validator(self, response: dict[str, Any]) -> Draft202012Validator:
        # One per answer shape: building a validator costs more than checking a small answer.
        key = id(response)
        if key not in self._validators:
            schema = {**response["content"]["application/json"]["schema"],
                      "components": self.components}
            self._validators[key] = Draft202012Validator(schema)
        return self._validators[key]

    def check(self, response: httpx.Response) -> None:
        problems = self.problems(response.request.method, response.request.url.path,
                                 response.status_code, response.json())
        assert not problems, "\n".join(problems)
