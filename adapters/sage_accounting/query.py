"""Xero list parameters → Sage list filters: what Sage can filter is pushed down, the rest is left to the gateway.

Input: the front end's :class:`~gateway.xero.request.ListQuery` (``where`` as the AST of :mod:`gateway.xero.query`,
``order``, ``If-Modified-Since``, ``ContactIDs``, ``Statuses``, ``searchTerm``…) and the Sage ids behind the GUIDs it
names (resolved by the caller beforehand, :func:`guid_literals`). Output: a :class:`Plan`: one :class:`Stream` per
Sage resource that can contribute rows (a Xero collection may span several: Invoices = ``sales_invoices`` +
``purchase_invoices``), each with its Sage list parameters, and the part of ``where`` Sage cannot evaluate
(``residual``), which the gateway evaluates over the translated models with :func:`gateway.xero.query.matches`.

Sage's list filters (swagger.accounts.v3.1.json, GET parameters of each path; upstream-contracts.md §2 "Lists"):
``contact_id``, ``status_id``, ``from_date``/``to_date``, ``updated_or_created_since`` (inclusive of the timestamp),
``search`` ("the invoice reference or contact name"; contacts: name), ``contact_type_id``, ``email``,
``transaction_type_id``. One value per parameter.

Pushdown rules (a condition is *exact* when Sage's answer is the Xero answer, *superset* when Sage may return more,
in which case the condition also stays in ``residual``). Only the items of a top-level ``AND`` are planned; an
``OR`` is pushed only as the discriminator of the streams (``Type=="ACCREC" OR Type=="ACCPAY"``):

- the discriminator (``Type``) selects streams: exact;
- ``Contact.ContactID == Guid(…)`` → ``contact_id`` (exact; a GUID of no contact matches nothing); one
  ``ContactIDs`` value likewise;
- ``Date`` against a midnight ``DateTime(y,m,d)``: ``>=``/``>`` → ``from_date``, ``<=``/``<`` → ``to_date``, ``==`` →
  both; Sage's date filters read as inclusive calendar dates (unconfirmed reading of "filter by … dates"), so these are
  exact; another time of day is a superset;
- ``UpdatedDateUTC >= t`` → ``updated_or_created_since`` (exact: Sage's filter is inclusive); ``>`` and
  ``If-Modified-Since`` (Xero: strictly after) → the same parameter, superset;
- documents' ``Status``: DRAFT, PAID, VOIDED → ``status_id`` DRAFT, PAID, VOID (exact); AUTHORISED is two Sage statuses
  (UNPAID, PART_PAID): residual; DELETED: Sage lists no deleted document, so nothing matches; one ``Statuses`` value
  likewise;
- contacts' ``IsCustomer == true`` / ``IsSupplier == true`` → ``contact_type_id`` CUSTOMER / VENDOR (exact);
  ``Name`` (``==``, ``Contains``, ``StartsWith``, ``EndsWith``) → ``search`` (superset); ``EmailAddress ==`` →
  ``email`` (superset); documents' ``Reference`` and ``Contact.Name`` → ``search`` (superset), as ``searchTerm``;
- everything else (``!=``, ``NOT``, other ``OR``s, nulls, computed fields, an ``order``): residual / gateway sort.

A plan is *exact* (Sage may page it) when nothing is residual, no client ``order`` is given and the collection is
one Xero object per Sage record.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from gateway.xero import query as xq
from gateway.xero.guids import normalise_guid
from gateway.xero.request import ListQuery

TEXT, DATE, UPDATED, REF, DISCRIMINATOR, STATUS, FLAG = ("text", "date", "updated", "ref", "discriminator", "status",
                                                         "flag")


@dataclass(frozen=True)
class FieldSpec:
    """How a Xero path maps to Sage list parameters.

    Attributes:
        kind: ``text`` (→ ``param`` superset), ``date`` (→ ``from_date``/``to_date``), ``updated``
            (→ ``updated_or_created_since``), ``ref`` (→ ``param`` with the referenced record's Sage id), ``status``
            (→ ``status_id`` through ``values``), ``flag`` (``== true`` → ``param`` = ``values["true"]``).
        param: the Sage parameter.
        values: Xero value (upper case) → Sage value, for ``status`` and ``flag``; a Xero value mapped to ``None``
            matches nothing at Sage.
        resource: for ``ref``: the Sage resource the GUID must name.
        resources: the streams (Sage resources) that support the parameter (empty: all).
    """

    kind: str
    param: str = ""
    values: Mapping[str, str | None] = field(default_factory=dict)
    resource: str = ""
    resources: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Collection:
    """A Xero collection listed from Sage resources.

    Attributes:
        name: the Xero collection (``Invoices``).
        streams: ``(tag, resource)`` in the order their rows are concatenated under the default order (tag: the
            discriminator value of the stream's rows, e.g. ``ACCREC``).
        discriminator: the Xero path whose value selects streams (``Type``), if any.
        fields: lower-cased Xero path → :class:`FieldSpec`.
        params: list parameters every call sends (``attributes=all``…).
        contact_path / status_path / search_paths: Xero paths of ``ContactIDs``, ``Statuses`` and ``searchTerm``.
        search_param: the Sage parameter ``searchTerm`` is pushed to, if any.
        one_row_per_record: every Sage record is one Xero object (false for Payments).
    """

    name: str
    streams: tuple[tuple[str, str], ...]
    fields: Mapping[str, FieldSpec]
    params: Mapping[str, str] = field(default_factory=dict)
    discriminator: str | None = None
    contact_path: str | None = None
    status_path: str | None = None
    search_paths: tuple[str, ...] = ()
    search_param: str | None = None
    one_row_per_record: bool = True


@dataclass
class Stream:
    """One Sage resource's part of a list: its parameters, or ``impossible`` when nothing can match."""

    tag: str
    resource: str
    params: dict[str, str] = field(default_factory=dict)
    impossible: bool = False

    def key(self) -> str:
        """A canonical text of the filters (the totals cache key)."""
        return "&".join(f"{k}={v}" for k, v in sorted(self.params.items()))


@dataclass
class Plan:
    """See the module docstring."""

    streams: list[Stream]
    residual: Any = None
    keep_search: str | None = None
    sort: list[Any] = field(default_factory=list)
    one_row_per_record: bool = True

    @property
    def live(self) -> list[Stream]:
        return [s for s in self.streams if not s.impossible]

    @property
    def exact(self) -> bool:
        return self.residual is None and self.keep_search is None and not self.sort and self.one_row_per_record


def guid_literals(expr: Any, collection: Collection) -> list[tuple[str, str]]:
    """``(lower-case path, GUID)`` of every ``ref`` comparison in ``where`` (for the caller to resolve)."""
    out: list[tuple[str, str]] = []
    for item in _and_items(expr):
        if isinstance(item, xq.Compare) and item.op == "==":
            path, literal = _path_literal(item)
            spec = collection.fields.get(path or "")
            if spec is not None and spec.kind == REF and literal is not None:
                out.append((path or "", normalise_guid(literal) or ""))
    return out


def _and_items(expr: Any) -> list[Any]:
    if expr is None:
        return []
    if isinstance(expr, xq.BoolOp) and expr.op == "and":
        return [i for item in expr.items for i in _and_items(item)]
    return [expr]


def _path_literal(compare: xq.Compare) -> tuple[str | None, Any]:
    left, right = compare.left, compare.right
    if isinstance(left, xq.Path) and isinstance(right, xq.Literal):
        return left.dotted.lower(), right.value
    if isinstance(right, xq.Path) and isinstance(left, xq.Literal):
        return right.dotted.lower(), left.value
    return None, None


def _flip(op: str, swapped: bool) -> str:
    if not swapped:
        return op
    return {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(op, op)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Planner:
    def __init__(self, collection: Collection, resolved: Mapping[str, tuple[str, str] | None]) -> None:
        self.collection = collection
        self.resolved = resolved
        self.streams = [Stream(tag, resource, dict(collection.params)) for tag, resource in collection.streams]
        self.residual: list[Any] = []

    def _supports(self, stream: Stream, spec: FieldSpec) -> bool:
        return not spec.resources or stream.resource in spec.resources

    def _set(self, spec: FieldSpec, param: str, value: str) -> bool:
        """Push ``param=value`` on every live stream; ``False`` (the condition stays residual) when a live stream
        cannot filter on it or already carries another value."""
        live = [s for s in self.streams if not s.impossible]
        if any(not self._supports(s, spec) for s in live):
            return False
        if any(param in s.params and s.params[param] != value for s in live):
            return False
        for stream in live:
            stream.params[param] = value
        return True

    def _nothing(self) -> None:
        for stream in self.streams:
            stream.impossible = True

    def item(self, expr: Any) -> None:
        pushed = self._push(expr)
        if pushed != "exact":
            self.residual.append(expr)

    def _push(self, expr: Any) -> str:
        """``exact``, ``superset`` or ``no``."""
        collection = self.collection
        if isinstance(expr, xq.BoolOp) and expr.op == "or" and collection.discriminator:
            values = []
            for item in expr.items:
                if not isinstance(item, xq.Compare) or item.op != "==":
                    return "no"
                path, literal = _path_literal(item)
                if path != collection.discriminator.lower() or not isinstance(literal, str):
                    return "no"
                values.append(literal.upper())
            self._select(values)
            return "exact"
        if isinstance(expr, xq.Call) and isinstance(expr.target, xq.Path) and expr.method in (
                "contains", "startswith", "endswith") and expr.args and isinstance(expr.args[0], xq.Literal):
            spec = collection.fields.get(expr.target.dotted.lower())
            if spec is not None and spec.kind == TEXT and isinstance(expr.args[0].value, str) and expr.args[0].value:
                return "superset" if self._set(spec, spec.param, expr.args[0].value) else "no"
            return "no"
        if not isinstance(expr, xq.Compare):
            return "no"
        path, literal = _path_literal(expr)
        if path is None:
            return "no"
        swapped = isinstance(expr.right, xq.Path)
        op = _flip(expr.op, swapped)
        if collection.discriminator and path == collection.discriminator.lower():
            if op == "==" and isinstance(literal, str):
                self._select([literal.upper()])
                return "exact"
            return "no"
        spec = collection.fields.get(path)
        if spec is None:
            return "no"
        return self._push_field(spec, op, literal, path)

    def _select(self, values: list[str]) -> None:
        for stream in self.streams:
            if stream.tag not in values:
                stream.impossible = True

    def _push_field(self, spec: FieldSpec, op: str, literal: Any, path: str) -> str:
        if spec.kind == TEXT:
            if op == "==" and isinstance(literal, str) and literal:
                return "superset" if self._set(spec, spec.param, literal) else "no"
            return "no"
        if spec.kind == REF:
            if op != "==" or literal is None:
                return "no"
            found = self.resolved.get(normalise_guid(literal))
            if found is None or found[0] != spec.resource:
                self._nothing()
                return "exact"
            return "exact" if self._set(spec, spec.param, found[1]) else "no"
        if spec.kind == FLAG:
            if op == "==" and isinstance(literal, bool):
                value = spec.values.get(str(literal).lower())
                if value is None:
                    return "no"
                return "exact" if self._set(spec, spec.param, value) else "no"
            return "no"
        if spec.kind == STATUS:
            if op != "==" or not isinstance(literal, str):
                return "no"
            key = literal.upper()
            if key not in spec.values:
                return "no"
            value = spec.values[key]
            if value is None:
                self._nothing()
                return "exact"
            return "exact" if self._set(spec, spec.param, value) else "no"
        if spec.kind == DATE:
            return self._date(spec, op, literal)
        if spec.kind == UPDATED:
            if not isinstance(literal, datetime) or op not in (">=", ">"):
                return "no"
            if not self._set(spec, "updated_or_created_since", _iso(literal)):
                return "no"
            return "exact" if op == ">=" and literal.microsecond == 0 else "superset"
        return "no"

    def _date(self, spec: FieldSpec, op: str, literal: Any) -> str:
        if not isinstance(literal, datetime):
            return "no"
        midnight = literal.astimezone(UTC).time() == time(0)
        day = literal.astimezone(UTC).date()
        if not midnight:
            if op in (">", ">="):
                return "superset" if self._set(spec, "from_date", day.isoformat()) else "no"
            if op in ("<", "<="):
                return "superset" if self._set(spec, "to_date", day.isoformat()) else "no"
            return "no"
        if op == ">=":
            return "exact" if self._set(spec, "from_date", day.isoformat()) else "no"
        if op == ">":
            return "exact" if self._set(spec, "from_date", (day + timedelta(days=1)).isoformat()) else "no"
        if op == "<=":
            return "exact" if self._set(spec, "to_date", day.isoformat()) else "no"
        if op == "<":
            return "exact" if self._set(spec, "to_date", (day - timedelta(days=1)).isoformat()) else "no"
        if op == "==":
            ok = self._set(spec, "from_date", day.isoformat()) and self._set(spec, "to_date", day.isoformat())
            return "exact" if ok else "no"
        return "no"


def plan(collection: Collection, query: ListQuery, *, resolved: Mapping[str, tuple[str, str] | None]) -> Plan:
    """Plan a Xero list over ``collection`` (rules in the module docstring).

    Args:
        collection: the Xero collection's description.
        query: the parsed list parameters.
        resolved: lower-case GUID → ``(resource, sage id)`` for every GUID :func:`guid_literals` and ``ContactIDs``
            named (``None`` for an unknown GUID).
    """
    planner = _Planner(collection, resolved)
    where = query.where
    extra: list[Any] = []
    if query.if_modified_since is not None:
        extra.append(xq.Compare(">", xq.Path(("UpdatedDateUTC",)), xq.Literal(query.if_modified_since)))
    if collection.contact_path and query.contact_ids:
        contacts = [xq.Compare("==", xq.Path(tuple(collection.contact_path.split("."))),
                               xq.Literal(uuid.UUID(c))) for c in query.contact_ids]
        extra.append(contacts[0] if len(contacts) == 1 else xq.BoolOp("or", tuple(contacts)))
    if collection.status_path and query.statuses:
        statuses = [xq.Compare("==", xq.Path(tuple(collection.status_path.split("."))), xq.Literal(s.upper()))
                    for s in query.statuses]
        extra.append(statuses[0] if len(statuses) == 1 else xq.BoolOp("or", tuple(statuses)))
    for item in _and_items(where) + extra:
        planner.item(item)
    keep_search = None
    if query.search_term and collection.search_paths:
        keep_search = query.search_term
        if collection.search_param:
            planner._set(FieldSpec(TEXT, collection.search_param), collection.search_param, query.search_term)
    residual = None
    if planner.residual:
        residual = planner.residual[0] if len(planner.residual) == 1 else xq.BoolOp("and", tuple(planner.residual))
    return Plan(streams=planner.streams, residual=residual, keep_search=keep_search, sort=list(query.order),
                one_row_per_record=collection.one_row_per_record)
