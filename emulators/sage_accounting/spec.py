"""Check bodies against Sage's published Swagger 2.0 files (never edited): what the emulator answers and what a
client sends.

- ``validate(method, path, status, body)`` raises :class:`SpecMismatch` when a response body does not fit the
  operation's response schema, or (``status=None``) when a request body does not fit the operation's ``body``
  parameter (the spec's ``post*``/``put*`` definitions). ``response_errors``/``request_errors`` return the problems
  instead.
- Files: ``swagger.accounts.v3.1.json`` and ``swagger.user_business.v3.1.json`` in ``spec_dir`` (default
  ``$SAGE_ACCOUNTING_SPEC_DIR`` or ``shared/contracts/sage-accounting`` beside the repository).

How (no home-made schema logic): the Swagger 2.0 Schema Object is a subset of JSON Schema draft 4 (Swagger 2.0 spec,
"Schema Object"), so each schema is checked by ``jsonschema``'s ``Draft4Validator`` against the spec document
registered with ``referencing`` (``$ref`` to ``#/definitions/…`` resolve inside it), with the ``date`` and
``date-time`` formats checked.

Where the spec is wrong or silent, and what is checked instead (each a documented Sage behaviour, not an invention):

- List operations are declared as a bare array, but Sage wraps lists (upstream-contracts.md §2 "Lists"; pagination
  guide): the body must be the envelope ``{"$total", "$page", "$next", "$back", "$itemsPerPage" | "$items_per_page",
  "$items"}`` and each element of ``$items`` must fit the declared item schema.
- Error responses are not declared: any 4xx/5xx body (of any path, served or not) must be Sage's error array
  (``$severity``, ``$dataCode``, ``$message``, ``$source``; upstream-contracts.md §2 "Errors").
- A 204 must have no body.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPEC_FILES = {"accounts": "swagger.accounts.v3.1.json", "user_business": "swagger.user_business.v3.1.json"}
BASE_PATH = "/v3.1"
METHODS = ("get", "post", "put", "delete")

#: The list envelope (pagination guide; the page-size key may be spelled either way: upstream-contracts.md §2).
ENVELOPE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["$total", "$page", "$next", "$back", "$items"],
    "properties": {
        "$total": {"type": "integer", "minimum": 0},
        "$page": {"type": "integer", "minimum": 1},
        "$next": {"type": ["string", "null"]},
        "$back": {"type": ["string", "null"]},
        "$itemsPerPage": {"type": "integer", "minimum": 1},
        "$items_per_page": {"type": "integer", "minimum": 1},
        "$items": {"type": "array"},
    },
    "oneOf": [{"required": ["$itemsPerPage"]}, {"required": ["$items_per_page"]}],
    "additionalProperties": False,
}

#: Sage's error body (upstream-contracts.md §2 "Errors"; developer.sage.com "Frequently Raised Errors").
ERROR_SCHEMA: dict[str, Any] = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["$severity", "$dataCode", "$message", "$source"],
        "properties": {k: {"type": "string"} for k in ("$severity", "$dataCode", "$message", "$source")},
    },
}

FORMATS = FormatChecker(formats=("date", "date-time"))


@dataclass(frozen=True)
class Problem:
    """One mismatch: a message and where in the body (``a.b.0.c``; empty for the whole body)."""

    message: str
    source: str = ""

    def __str__(self) -> str:
        return f"{self.source or '(body)'}: {self.message}"


class SpecMismatch(AssertionError):
    """A body does not fit the spec; ``problems`` lists why."""

    def __init__(self, method: str, path: str, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:10])
        more = f" (+{len(problems) - 10} more)" if len(problems) > 10 else ""
        super().__init__(f"{method.upper()} {path}: {shown}{more}")


@dataclass(frozen=True)
class Operation:
    """A spec operation: its document, path template and method."""

    document: str
    template: str
    method: str
    operation: dict[str, Any]

    def pointer(self, *parts: str) -> str:
        """A JSON-pointer URI into the operation's document."""
        escaped = [p.replace("~", "~0").replace("/", "~1") for p in ("paths", self.template, self.method, *parts)]
        return f"urn:sage:{self.document}#/" + "/".join(escaped)


def default_spec_dir() -> Path:
    env = os.environ.get("SAGE_ACCOUNTING_SPEC_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "shared" / "contracts" / "sage-accounting"


class Spec:
    """Both spec documents, their operations, and validators over them.

    Args:
        directory: the folder holding :data:`SPEC_FILES`.

    Raises:
        OSError: a file is missing. ValueError: a file is not JSON.
    """

    def __init__(self, directory: Path) -> None:
        self.documents = {name: json.loads((directory / file).read_text(encoding="utf-8"))
                          for name, file in SPEC_FILES.items()}
        self.registry = Registry().with_resources(
            (f"urn:sage:{name}", Resource(contents=doc, specification=DRAFT4))
            for name, doc in self.documents.items())
        self.operations: list[tuple[re.Pattern[str], int, Operation]] = []
        for name, doc in self.documents.items():
            for template, item in doc["paths"].items():
                pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
                literal = -template.count("{")
                for method in METHODS:
                    if isinstance(item.get(method), dict):
                        self.operations.append((pattern, literal, Operation(name, template, method, item[method])))
        self.operations.sort(key=lambda entry: entry[1], reverse=True)  # literal paths before templated ones

    def operation(self, method: str, path: str) -> Operation | None:
        """The operation serving ``method`` on ``path`` (a URL, or a path with or without ``/v3.1``)."""
        bare = urlsplit(path).path if "://" in path else path.split("?", 1)[0]
        if bare.startswith(BASE_PATH + "/"):
            bare = bare[len(BASE_PATH):]
        bare = "/" + bare.strip("/")
        for pattern, _, operation in self.operations:
            if operation.method == method.lower() and pattern.match(bare):
                return operation
        return None

    def _check(self, schema: dict[str, Any], instance: Any, prefix: str = "") -> list[Problem]:
        validator = Draft4Validator(schema, registry=self.registry, format_checker=FORMATS)
        out = []
        for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
            where = ".".join(str(p) for p in error.absolute_path)
            out.append(Problem(error.message[:300], ".".join(p for p in (prefix, where) if p)))
        return out

    def response_errors(self, method: str, path: str, status: int, body: Any) -> list[Problem]:
        """Problems of a response body (bytes/str are parsed as JSON)."""
        try:
            parsed = _parse(body)
        except ValueError as error:
            return [Problem(f"not JSON: {error}")]
        if status >= 400:  # any path, served or not: Sage's error array
            return self._check(ERROR_SCHEMA, parsed)
        operation = self.operation(method, path)
        if operation is None:
            return [Problem(f"no {method.upper()} operation for {path} in the spec")]
        if status == 204:
            return [] if parsed is None else [Problem("a 204 response must have no body")]
        body = parsed
        declared = operation.operation.get("responses", {}).get(str(status))
        if declared is None:
            return [Problem(f"status {status} is not declared for {operation.method.upper()} {operation.template}")]
        schema = declared.get("schema")
        if schema is None:
            return [] if body in (None, "") else [Problem("the spec declares no body for this response")]
        if schema.get("type") == "array":
            problems = self._check(ENVELOPE_SCHEMA, body)
            if problems or not isinstance(body, dict):
                return problems
            item = {"$ref": operation.pointer("responses", str(status), "schema", "items")}
            return [p for i, element in enumerate(body["$items"]) for p in self._check(item, element, f"$items.{i}")]
        return self._check({"$ref": operation.pointer("responses", str(status), "schema")}, body)

    def request_errors(self, method: str, path: str, body: Any) -> list[Problem]:
        """Problems of a request body against the operation's ``in: body`` parameter."""
        operation = self.operation(method, path)
        if operation is None:
            return [Problem(f"no {method.upper()} operation for {path} in the spec")]
        parameters = operation.operation.get("parameters", [])
        index = next((i for i, p in enumerate(parameters) if p.get("in") == "body"), None)
        try:
            body = _parse(body)
        except ValueError as error:
            return [Problem(f"not JSON: {error}")]
        if index is None:
            return [] if body in (None, "") else [Problem("the operation takes no body")]
        return self._check({"$ref": operation.pointer("parameters", str(index), "schema")}, body)


def _parse(body: Any) -> Any:
    if isinstance(body, (bytes, bytearray)):
        body = body.decode("utf-8")
    if isinstance(body, str):
        return json.loads(body) if body.strip() else None
    return body


@lru_cache(maxsize=4)
def _load(directory: str) -> Spec:
    return Spec(Path(directory))


def load(spec_dir: str | Path | None = None) -> Spec:
    """The spec documents of ``spec_dir`` (cached).

    Raises:
        OSError: a spec file is missing. ValueError: a file is not JSON.
    """
    return _load(str(Path(spec_dir) if spec_dir else default_spec_dir()))


def response_errors(method: str, path: str, status: int, body: Any, *,
                    spec_dir: str | Path | None = None) -> list[Problem]:
    """The problems of a response body (empty when it fits); see :meth:`Spec.response_errors`."""
    return load(spec_dir).response_errors(method, path, status, body)


def request_errors(method: str, path: str, body: Any, *, spec_dir: str | Path | None = None) -> list[Problem]:
    """The problems of a request body (empty when it fits); see :meth:`Spec.request_errors`."""
    return load(spec_dir).request_errors(method, path, body)


def validate(method: str, path: str, status: int | None, body: Any, *, spec_dir: str | Path | None = None) -> None:
    """Check a response (``status`` given) or a request body (``status=None``) against Sage's spec.

    Args:
        method: the HTTP method.
        path: the request URL or path (``/v3.1/sales_invoices/…`` or ``/sales_invoices/…``; query ignored).
        status: the response status, or ``None`` to check ``body`` as the request body.
        body: the body: bytes, text, or parsed JSON.
        spec_dir: the folder of the swagger files (default: see the module docstring).

    Raises:
        SpecMismatch: the body does not fit (an ``AssertionError``, so tests report it directly).
        OSError: the spec files cannot be read.
    """
    problems = (request_errors(method, path, body, spec_dir=spec_dir) if status is None
                else response_errors(method, path, status, body, spec_dir=spec_dir))
    if problems:
        raise SpecMismatch(method, path, problems)
