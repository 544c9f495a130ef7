"""Validate gateway responses against Xero's published Accounting API spec (shared test helper).

The spec (``../shared/contracts/xero/xero_accounting.yaml``, or the file named by ``$XERO_ACCOUNTING_SPEC``) is
loaded **once per test session** with openapi-core, without the spec validator: the published file fails strict
validation (boolean properties with string defaults) and must never be edited (shared/notes/xero-contract.md,
"Validating against the spec file").

Use it in three ways:

1. The session fixture (register it in a conftest with ``from tests.xero_spec import xero_spec  # noqa: F401``)::

       def test_something(client, xero_spec):
           resp = await client.get("/1000/api.xro/2.0/Invoices", headers=...)
           xero_spec.validate_response("GET", str(resp.url), resp.status, await resp.read(), resp.headers)

2. The module function, same arguments: ``validate_response(method, path_or_url, status, body, headers)``.

3. ``load_xero_spec().template_for(method, path)`` to see which spec path a gateway path resolves to.

What ``validate_response`` accepts and checks:

- ``path_or_url`` may be a full URL or a path, with or without query string, with the gateway prefix
  ``/{code}/api.xro/2.0`` or the spec server's ``/api.xro/2.0``: everything up to ``/api.xro/2.0`` is dropped.
  Path segments match the spec case-insensitively, with an optional trailing slash (the gateway accepts
  ``/invoices/`` and pyxero's ``/history``); the gateway's aliases (``/Organisations`` →
  ``/Organisation``; ``GET /Invoices/{InvoiceNumber}``) map to their spec paths, and a ``application/pdf`` answer to
  a plain document GET (``/Invoices/{id}`` with ``Accept: application/pdf``) is checked against the ``…/pdf`` path.
- Documented statuses are validated strictly: JSON bodies against the response schema (types, formats,
  enums, required fields), media type included. A 2xx the spec does not document fails, and so does a 2xx for a
  path or method the spec does not have. An error status (≥ 400) the spec does not document for the operation
  (401/403/404/405/429/501/503 mostly, or any error on an unknown path) is not checked unless ``strict=True``.
- Failures raise ``AssertionError`` listing every schema error with its JSON path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from openapi_core import Config, OpenAPI
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.templating.responses.exceptions import ResponseNotFound
from openapi_core.testing import MockRequest, MockResponse

#: Xero's spec server is ``https://api.xero.com/api.xro/2.0``.
SPEC_HOST = "https://api.xero.com"
SPEC_PREFIX = "/api.xro/2.0"
DEFAULT_SPEC = Path(__file__).resolve().parents[2] / "shared" / "contracts" / "xero" / "xero_accounting.yaml"

#: Gateway-only spellings → the spec path they are validated against (see gateway/api/routes.py ALIASES).
ALIASES = {"/organisations": "/Organisation", "/organisations/actions": "/Organisation/Actions"}

_PREFIX_RE = re.compile(r"^.*?/api\.xro/2\.0(?=/|$)", re.IGNORECASE)


def spec_path() -> Path:
    """The spec file: ``$XERO_ACCOUNTING_SPEC`` or ``../shared/contracts/xero/xero_accounting.yaml``."""
    return Path(os.environ.get("XERO_ACCOUNTING_SPEC", DEFAULT_SPEC))


@dataclass(frozen=True)
class _Template:
    path: str
    segments: tuple[str, ...]
    methods: frozenset[str]

    @property
    def params(self) -> int:
        return sum(1 for s in self.segments if s.startswith("{"))

    def match(self, segments: list[str]) -> bool:
        if len(segments) != len(self.segments):
            return False
        return all(t.startswith("{") or t.lower() == s.lower() for t, s in zip(self.segments, segments,
                                                                                  strict=True))


class XeroSpec:
    """Xero's Accounting spec, loaded once; see the module docstring."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.openapi = OpenAPI.from_dict(spec, config=Config(spec_validator_cls=None))
        self._templates = [
            _Template(path, tuple(s for s in path.strip("/").split("/") if s),
                      frozenset(m.upper() for m in item if m in ("get", "put", "post", "delete")))
            for path, item in spec["paths"].items()]

    @staticmethod
    def relative_path(path_or_url: str) -> str:
        """``http://h/1000/api.xro/2.0/invoices/?page=1`` → ``/invoices`` (the part below ``/api.xro/2.0``)."""
        path = urlsplit(path_or_url).path if "://" in path_or_url else path_or_url.split("?", 1)[0]
        path = _PREFIX_RE.sub("", path)
        path = "/" + path.strip("/")
        return path

    def template_for(self, method: str, path_or_url: str) -> str:
        """The spec path template a gateway path resolves to (most literal match offering ``method``).

        Raises:
            AssertionError: no spec path matches.
        """
        path = self.relative_path(path_or_url)
        path = ALIASES.get(path.lower(), path)
        segments = [s for s in path.strip("/").split("/") if s]
        candidates = sorted((t for t in self._templates if t.match(segments)), key=lambda t: t.params)
        for template in candidates:
            if method.upper() in template.methods:
                return template.path
        raise AssertionError(f"{method} {path_or_url}: no operation of Xero's spec serves this path")

    def operation(self, method: str, template: str) -> dict[str, Any]:
        """The spec's operation object for ``method`` and ``template``."""
        return self.spec["paths"][template][method.lower()]

    def validate_response(self, method: str, path_or_url: str, status: int, body: bytes | str,
                          headers: Mapping[str, str] | None = None, *, strict: bool = False) -> None:
        """Validate one response against the operation it answers.

        Args:
            method: HTTP method (any case).
            path_or_url: the request path or URL (see the module docstring).
            status: the HTTP status of the response.
            body: the response body.
            headers: the response headers; ``Content-Type`` selects the media type (default JSON).
            strict: also fail on error statuses the operation does not document.

        Raises:
            AssertionError: the response does not conform (every schema error listed).
        """
        headers = dict(headers or {})
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "application/json")
        data = body.encode("utf-8") if isinstance(body, str) else (body or b"")
        try:
            template = self.template_for(method, path_or_url)
        except AssertionError:
            if status >= 400 and not strict:  # 404 for an unknown path, 405 for a wrong method
                return
            raise
        if content_type.split(";")[0].strip().lower() == "application/pdf" and method.upper() == "GET":
            pdf = template.rstrip("/") + "/pdf"
            if pdf in self.spec["paths"]:
                template = pdf
        statuses = {str(code) for code in self.operation(method, template).get("responses", {})}
        if str(status) not in statuses and "default" not in statuses:
            if status >= 400 and not strict:
                return
            raise AssertionError(f"{method} {template}: status {status} is not documented "
                                 f"(documented: {sorted(statuses)}); body: {data[:300]!r}")
        concrete = SPEC_PREFIX + self._concrete(template, path_or_url)
        request = MockRequest(SPEC_HOST, method.lower(), concrete, path_pattern=SPEC_PREFIX + template)
        response = MockResponse(data, status_code=status, headers=headers, content_type=content_type)
        errors = list(self.openapi.iter_response_errors(request, response))
        if errors:
            raise AssertionError(f"{method} {template} → {status} does not match Xero's spec:\n"
                                 + "\n".join(_describe(e) for e in errors) + f"\nbody: {data[:2000]!r}")

    def _concrete(self, template: str, path_or_url: str) -> str:
        """The request path with the spec's spelling of literal segments (values kept as sent)."""
        sent = [s for s in self.relative_path(path_or_url).strip("/").split("/") if s]
        parts = [s for s in template.strip("/").split("/") if s]
        if len(sent) != len(parts):
            return template
        return "/" + "/".join(v if t.startswith("{") else t for t, v in zip(parts, sent, strict=True))


def _describe(error: Exception) -> str:
    lines = [f"- {type(error).__name__}: {error}"]
    cause = error.__cause__
    for schema_error in getattr(cause, "schema_errors", None) or getattr(error, "schema_errors", None) or ():
        location = "/".join(str(p) for p in getattr(schema_error, "absolute_path", ())) or "(root)"
        lines.append(f"    at {location}: {getattr(schema_error, 'message', schema_error)}")
    if isinstance(error, (ResponseNotFound, PathError)):
        lines.append("    (the spec has no such response or path)")
    return "\n".join(lines)


@cache
def load_xero_spec() -> XeroSpec:
    """The spec, parsed and wrapped once per process (YAML parse plus openapi-core set-up)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with spec_path().open(encoding="utf-8") as fh:
        return XeroSpec(yaml.load(fh, Loader=loader))  # noqa: S506 - a safe loader


def validate_response(method: str, path_or_url: str, status: int, body: bytes | str,
                      headers: Mapping[str, str] | None = None, *, strict: bool = False) -> None:
    """:meth:`XeroSpec.validate_response` on the session's spec (see the module docstring)."""
    load_xero_spec().validate_response(method, path_or_url, status, body, headers, strict=strict)


@pytest.fixture(scope="session")
def xero_spec() -> XeroSpec:
    """The loaded spec; call ``xero_spec.validate_response(method, path_or_url, status, body, headers)``."""
    return load_xero_spec()
