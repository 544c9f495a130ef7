"""The contract walk's HTTP side: call an operation by its ``operationId`` and check the answer.

A :class:`Walker` sends each call through one stack of :mod:`tests.support` (``/{code}/api.xro/2.0`` + the
operation's spec path, path parameters filled in, with the stack's real access token and tenant), and then:

- validates the response against Xero's spec (``tests/xero_spec.py``: status documented, body schema, required
  fields, enum values, media type; strict for every documented status);
- checks the status against the one the call expects (by default the operation's single documented 2xx status,
  read from the spec: 200 for most, 204 for ``deleteItem``…);
- checks Xero's conventions the schemas cannot express (:mod:`tests.contract.checks`): MS-JSON dates, the
  envelope, the echoed page, the rate-limit headers; date companions are collected rather than asserted;
- counts the call, the validated response and the operation walked (:attr:`Walker.walked`).

Path parameters come from :attr:`Walker.ids`, keyed by the spec's parameter name (``InvoiceID``), optionally
scoped by the path's first segment (``"Invoices.AttachmentID"`` wins over ``"AttachmentID"``), or explicitly from
the ``path`` argument. The walk's recipes (:mod:`tests.contract.recipes`) fill :attr:`Walker.ids` from the
company's lists and from the records they create. What a source's data lacks is declared in its
:class:`~tests.contract.requirements.Requirements` (:meth:`Walker.require`, :meth:`Walker.has`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from yarl import URL

from gateway.api.operations import Operation, OperationTable, load_operations
from tests.support.stack import Stack
from tests.xero_spec import XeroSpec

from . import checks
from .requirements import Requirements

#: Headers every answer carries (shared/notes/xero-contract.md §4: Xero's rate-limit headers; §3: the correlation id).
QUOTA_HEADERS = ("X-DayLimit-Remaining", "X-MinLimit-Remaining", "X-AppMinLimit-Remaining", "Xero-Correlation-Id")
_PARAM = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)\}")


@dataclass
class Answer:
    """One validated response.

    Attributes:
        op: the operation called.
        method, url: the request as sent.
        status: the HTTP status.
        headers: the response headers.
        body: the raw body.
    """

    op: Operation
    method: str
    url: str
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        value = next((v for k, v in self.headers.items() if k.lower() == "content-type"), "")
        return value.split(";")[0].strip().lower()

    def json(self) -> Any:
        """The JSON body (``AssertionError`` naming the call when it is not JSON)."""
        assert self.content_type == "application/json", f"{self}: not JSON ({self.content_type!r})"
        return json.loads(self.body)

    def items(self, key: str | None = None) -> list[dict[str, Any]]:
        """The collection of the envelope (``response_key`` of the operation unless ``key`` is given)."""
        key = key or self.op.response_key
        body = self.json()
        assert isinstance(body.get(key), list), f"{self}: no {key!r} collection in {self.excerpt()}"
        return body[key]

    def one(self, key: str | None = None) -> dict[str, Any]:
        """The single element of the envelope's collection."""
        items = self.items(key)
        assert len(items) == 1, f"{self}: expected one element, got {len(items)}"
        return items[0]

    def excerpt(self, size: int = 600) -> str:
        return self.body[:size].decode("utf-8", "replace")

    def __str__(self) -> str:
        return f"{self.op.id}: {self.method} {self.url} -> {self.status}"


@dataclass
class Walker:
    """Calls operations on one source's stack and keeps the walk's state and figures.

    Attributes:
        stack: the source's stack (:class:`tests.support.stack.Stack`).
        spec: Xero's spec (``xero_spec`` fixture).
        requirements: what the source's data provides (:mod:`tests.contract.requirements`).
        implemented: the operation ids the source's adapter implements.
        ids: path-parameter values of the company's records (see the module docstring).
        own: ids (and uploaded contents) of the records the walk created, by parameter name.
        facts: other demo-company facts the recipes resolve (contact names, account codes, tax types…).
        walked: operation id → calls answered with the expected status.
        attempted: operation ids whose recipe ran (whatever the outcome).
        validated: responses validated against the spec.
        companion_findings: (collection, ``…String`` field) → the first deviation of that date companion from the
            spec's examples (:func:`tests.contract.checks.companion_problems`), collected for
            ``test_companion_date_strings``.
        skipped: recipe steps skipped for a requirement the source lacks: requirement → the operations.
    """

    stack: Stack
    spec: XeroSpec
    requirements: Requirements
    implemented: frozenset[str]
    ids: dict[str, str] = field(default_factory=dict)
    own: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    walked: Counter = field(default_factory=Counter)
    attempted: set[str] = field(default_factory=set)
    validated: int = 0
    companion_findings: dict[tuple[str, str], str] = field(default_factory=dict)
    skipped: dict[str, set[str]] = field(default_factory=dict)

    @property
    def source(self) -> str:
        """The source code of the stack (``"1004"``)."""
        return self.stack.code

    @property
    def provider_name(self) -> str:
        """The calling app's name (every envelope's ``ProviderName``)."""
        return self.stack.provider_name

    def implements(self, operation_id: str) -> bool:
        """Whether the source's adapter implements ``operation_id`` (its ``supported_operations``)."""
        return operation_id in self.implemented

    def has(self, requirement: str) -> bool:
        """Whether the source's data provides ``requirement`` (for a recipe's optional part)."""
        return self.requirements.provides(requirement)

    def require(self, requirement: str, operation_id: str) -> None:
        """Skip the running step (``pytest.skip`` naming the reason) when the source lacks ``requirement``."""
        reason = self.requirements.lacking(requirement)
        if reason is not None:
            self.skipped.setdefault(requirement, set()).add(operation_id)
            pytest.skip(f"{self.source} lacks {requirement}: {reason}")

    @property
    def operations(self) -> OperationTable:
        """The operation table (``mappings/xero_operations.toml``)."""
        return load_operations()

    def owned(self, key: str) -> Any:
        """A value the walk stored in :attr:`own` (``AssertionError`` naming it when no recipe created it)."""
        assert key in self.own, f"the walk created no {key}: add (or fix) the recipe that creates it"
        return self.own[key]

    def success_status(self, op: Operation) -> int:
        """The operation's documented 2xx status (exactly one per operation in Xero's spec)."""
        template = self.spec.operation(op.method, op.path)
        codes = [int(code) for code in template["responses"] if str(code).startswith("2")]
        assert len(codes) == 1, f"{op.id}: the spec documents {codes} as success statuses"
        return codes[0]

    def resolve(self, op: Operation, path: dict[str, str] | None = None) -> str:
        """The request path of ``op`` below ``/api.xro/2.0`` with every parameter filled in."""
        given = dict(path or {})
        resource = op.path.strip("/").split("/")[0]

        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            found = given.get(name, self.ids.get(f"{resource}.{name}", self.ids.get(name)))
            assert found, f"{op.id}: no value for path parameter {name} (resolved so far: {sorted(self.ids)})"
            return quote(str(found), safe="")

        return _PARAM.sub(value, op.path)

    async def call(self, operation_id: str, *, path: dict[str, str] | None = None,
                   params: dict[str, str] | None = None, json_body: Any = None, data: bytes | None = None,
                   headers: dict[str, str] | None = None, expect: int | tuple[int, ...] | None = None) -> Answer:
        """Call one operation, validate its answer against the spec and check its status.

        Args:
            operation_id: the spec's ``operationId``.
            path: explicit path-parameter values (else :attr:`ids`).
            params: query parameters.
            json_body: a JSON request body.
            data: a raw request body (attachments).
            headers: extra or overriding request headers.
            expect: the expected status (or statuses); default the operation's documented 2xx status.

        Returns:
            The validated answer.

        Raises:
            AssertionError: the answer does not conform to the spec, or its status is not ``expect``.
        """
        op = self.operations[operation_id]
        sent = await self.stack.api(op.method, self.resolve(op, path), params=params, body=json_body, data=data,
                                    headers=headers, validate=False)
        answer = Answer(op=op, method=op.method, url=str(URL(sent.url).relative()), status=sent.status,
                        headers=dict(sent.headers), body=sent.raw)
        self.spec.validate_response(op.method, sent.url, sent.status, sent.raw, answer.headers)
        self.validated += 1
        wanted = self.success_status(op) if expect is None else expect
        assert answer.status in (wanted if isinstance(wanted, tuple) else (wanted,)), (
            f"{answer}: expected {wanted}; request body {_shorten(json_body if json_body is not None else data)}; "
            f"response {answer.excerpt()}")
        self._check_conventions(answer, params or {})
        if 200 <= answer.status < 300:
            self.walked[operation_id] += 1
        return answer

    def _check_conventions(self, answer: Answer, params: dict[str, str]) -> None:
        """Xero's conventions beyond the schemas (:mod:`tests.contract.checks`), on every answer."""
        missing = [h for h in QUOTA_HEADERS if h.lower() not in {k.lower() for k in answer.headers}]
        assert not missing, f"{answer}: response headers lack {missing}"
        if not (200 <= answer.status < 300 and answer.content_type == "application/json"):
            return
        body = answer.json()
        template = self.spec.template_for(answer.method, answer.url)
        schema = checks.response_schema(self.spec.spec, answer.method, template, answer.status)
        problems = checks.msdate_problems(self.spec.spec, schema, body) if schema else []
        if answer.op.response_key and isinstance(body, dict) and answer.op.response_key in body:
            problems += checks.envelope_problems(body, self.provider_name)
            if "page" in params and "page" in answer.op.query:
                page = body.get("pagination") or {}
                if page.get("page") != int(params["page"]):
                    problems.append(f"pagination {page!r} does not echo page {params['page']}")
        assert not problems, f"{answer}: " + "; ".join(problems)
        resource = answer.op.path.strip("/").split("/")[0]
        for path, name, value, twin in checks.companions(body):
            for problem in checks.companion_problems(name, value, twin):
                self.companion_findings.setdefault((resource, name), f"{answer.op.id} at {path}: {problem}")


def _shorten(body: Any, size: int = 400) -> str:
    if body is None:
        return "(none)"
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else json.dumps(body, default=str)
    return text if len(text) <= size else text[:size] + "…"
