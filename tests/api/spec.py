"""The API's own description, read as a client reads it, and a validator for any answer."""

from __future__ import annotations

import re
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from werkzeug.test import TestResponse

BASE = "urn:lexflode:openapi"


class Spec:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self.registry: Registry = Registry().with_resource(BASE, resource)
        self._paths = [
            (re.compile("^" + re.sub(r"\{\w+\}", r"[^/]+", path) + "$"), path)
            for path in document["paths"]
        ]

    def operation(self, method: str, url: str) -> dict[str, Any]:
        path = url.split("?", 1)[0]
        for pattern, template in self._paths:
            if pattern.match(path):
                return self.document["paths"][template][method.lower()]  # type: ignore[no-any-return]
        raise AssertionError(f"no path in the description serves {path}")

    def response(self, method: str, url: str, status: int) -> dict[str, Any]:
        responses = self.operation(method, url)["responses"]
        assert str(status) in responses, (method, url, status, sorted(responses))
        found = responses[str(status)]
        if "$ref" in found:
            found = self.resolve(found["$ref"])
        return found  # type: ignore[no-any-return]

    def resolve(self, ref: str) -> Any:
        target: Any = self.document
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        return target

    def check(self, method: str, url: str, response: TestResponse) -> list[str]:
        """What is wrong with this answer by the description: an undocumented status, a body
        its schema refuses, a documented header missing."""
        described = self.response(method, url, response.status_code)
        content = described.get("content", {})
        assert response.mimetype in content, (method, url, response.mimetype, sorted(content))
        problems = [
            f"header {name} missing"
            for name in described.get("headers", {})
            if name not in response.headers
        ]
        if response.mimetype != "application/json":
            return problems
        schema = content["application/json"]["schema"]
        validator = Draft202012Validator(
            _rebased(schema),
            registry=self.registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        problems += [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}"
            for e in validator.iter_errors(response.get_json())
        ]
        return problems


def _rebased(schema: Any) -> Any:
    """A schema lifted out of the document, its local $refs pointing back into it."""
    if isinstance(schema, dict):
        return {
            k: (BASE + v if k == "$ref" and v.startswith("#") else _rebased(v))
            for k, v in schema.items()
        }
    if isinstance(schema, list):
        return [_rebased(v) for v in schema]
    return schema
