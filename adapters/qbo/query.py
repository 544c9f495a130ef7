"""Xero list parameters → QBO queries: what QBO can filter and order is pushed down, the rest is left to the gateway.

Input: the front end's :class:`~gateway.xero.request.ListQuery` (``where`` as the AST of :mod:`gateway.xero.query`,
``order``, ``If-Modified-Since``, ``IDs``/``ContactIDs``/``InvoiceNumbers``/``Statuses``, ``includeArchived``) and
the QBO records behind every GUID the parameters name (resolved by the adapter beforehand). Output: a
:class:`Plan`: one :class:`StreamQuery` per QBO entity that can contribute rows (an Xero collection may span several
entities: Invoices = Invoice + Bill), each with its QBO ``WHERE`` conditions, a pushed ``ORDERBY`` when the order
translates, and the part of ``where`` QBO cannot evaluate (``residual``), which the gateway evaluates over the
translated models with :func:`gateway.xero.query.matches`.

QBO's language (upstream-contracts.md §1 "Query"): ``SELECT * FROM E WHERE c AND c … ORDERBY f [DESC] STARTPOSITION
n MAXRESULTS m``; operators ``= < > <= >= IN LIKE`` (``%`` wildcard); no ``OR``, ``NOT`` or ``!=``; ``Id`` only with
``=``/``IN``; quotes escaped ``\\'``.

Pushdown rules (a condition is *exact* when QBO's answer is the Xero answer, *superset* when QBO may return more,
in which case the condition also stays in ``residual``):

- top-level ``AND`` items are planned one by one; an ``OR`` is pushed only as the discriminator of the streams
  (``Type=="ACCREC" OR Type=="ACCPAY"``) or as ``IN`` over one field (``InvoiceNumber=="1" OR InvoiceNumber=="2"``);
- numbers (``Total`` → ``TotalAmt``, ``AmountDue`` → ``Balance`` …) with ``== < > <= >=``: exact;
- dates (``Date`` → ``TxnDate``) against a midnight ``DateTime(y,m,d)``: exact;
- ``UpdatedDateUTC`` → ``MetaData.LastUpdatedTime`` against whole seconds: exact (``If-Modified-Since`` too);
- ids (``InvoiceID == Guid(…)``) and references (``Contact.ContactID == Guid(…)``): exact, on the stream of the
  record's entity (a GUID of another entity matches nothing);
- text ``==`` (QBO compares text without regard to case) and ``Contains``/``StartsWith``/``EndsWith`` → ``LIKE``:
  superset;
- Invoices' ``Status``: AUTHORISED ≡ ``Balance > 0`` (exact); PAID and VOIDED ⊂ ``Balance = 0`` (superset); DRAFT,
  SUBMITTED and DELETED match nothing at QBO;
- everything else (``!=``, ``NOT``, other ``OR``s, nulls, computed fields): residual.

The order is pushed when it is one term on a field QBO orders by; otherwise the gateway sorts. A plan is *exact*
(the gateway may let QBO page) when nothing is residual and the order is pushed or the default.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from gateway.xero import query as xq
from gateway.xero.guids import normalise_guid
from gateway.xero.request import ListQuery, OrderTerm

from .ids import QboRef

TEXT, NUMBER, DATE, DATETIME, ID, REF, BOOL, ACTIVE = ("text", "number", "date", "datetime", "id", "ref", "bool",
                                                        "active")


@dataclass(frozen=True)
class FieldSpec:
    """How a Xero path maps to QBO.

    Attributes:
        kind: ``text``, ``number``, ``date``, ``datetime``, ``id``, ``ref``, ``bool`` or ``active`` (a Xero
            status ACTIVE/ARCHIVED over QBO's ``Active``).
        qbo: the QBO property (same for every stream) or ``{entity: property}``.
        targets: for ``ref``: ``{stream entity: referenced entity}`` (``{"Invoice": "Customer"}``).
        orderable: QBO can ``ORDERBY`` it.
    """

    kind: str
    qbo: str | Mapping[str, str]
    targets: Mapping[str, str] = field(default_factory=dict)
    orderable: bool = True

    def name(self, entity: str) -> str | None:
        if isinstance(self.qbo, str):
            return self.qbo
        return self.qbo.get(entity)


@dataclass(frozen=True)
class Resource:
    """A Xero collection served from QBO entities.

    Attributes:
        streams: ``(tag, entity)`` in the order their rows are concatenated under the default order.
        discriminator: the Xero path whose value selects streams (``Type``), if any.
        selects: discriminator value (upper case) → the tags of the streams whose rows may have it.
        exact_discriminator: a stream's rows all have the value that selects it (false for BankTransactions, where
            a Purchase may be a RECEIVE).
        fields: lower-cased Xero path → :class:`FieldSpec`.
        default_order: the QBO order of each stream without a client ``order``.
        default_terms: the same order in Xero terms (for the gateway's own sorting), ending with a unique id.
        id_path: the Xero id field (``InvoiceID``).
        contact_path: the Xero path of the contact id, for ``ContactIDs``.
        number_path: the Xero path of ``InvoiceNumbers``.
        status_path: the Xero path of ``Statuses``.
        balance: the QBO property for Status pushdown (documents), if any.
        name_list: the entities are name-list ones (``Active`` filters).
        merge_streams: the default order interleaves the streams by ``default_terms[0]`` (no Xero field tells the
            streams apart, so they cannot follow each other).
        one_row_per_record: every QBO record is one Xero object (false for Payments, where a QBO payment of two
            invoices is two Xero payments: QBO cannot page those).
    """

    name: str
    streams: tuple[tuple[str, str], ...]
    fields: Mapping[str, FieldSpec]
    default_order: str
    default_terms: tuple[OrderTerm, ...]
    id_path: str
    discriminator: str | None = None
    selects: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    exact_discriminator: bool = True
    contact_path: str | None = None
    number_path: str | None = None
    status_path: str | None = None
    balance: str | None = None
    name_list: bool = False
    merge_streams: bool = False
    one_row_per_record: bool = True

    @property
    def entities(self) -> tuple[str, ...]:
        return tuple(e for _, e in self.streams)


@dataclass
class StreamQuery:
    """One QBO entity's part of a list."""

    tag: str
    entity: str
    where: list[str] = field(default_factory=list)
    impossible: bool = False

    def where_text(self) -> str:
        return " AND ".join(self.where)

    def select(self, *, order: str | None, start: int | None = None, size: int | None = None,
               count: bool = False) -> str:
        """The QBO query text."""
        head = f"SELECT {'COUNT(*)' if count else '*'} FROM {self.entity}"  # noqa: S608 - literals pass quote()
        if self.where:
            head += " WHERE " + self.where_text()
        if order and not count:
            head += f" ORDERBY {order}"
        if start is not None:
            head += f" STARTPOSITION {start}"
        if size is not None:
            head += f" MAXRESULTS {size}"
        return head


@dataclass
class Plan:
    """The pushed-down part of a list and what the gateway finishes."""

    resource: Resource
    streams: list[StreamQuery]
    residual: Any = None
    order: str | None = None
    order_terms: list[OrderTerm] = field(default_factory=list)
    order_pushed: bool = True

    @property
    def live(self) -> list[StreamQuery]:
        """The streams that can return rows."""
        return [s for s in self.streams if not s.impossible]

    @property
    def exact(self) -> bool:
        """QBO's rows are the answer, in the answer's order: QBO may page."""
        return self.residual is None and self.order_pushed and self.resource.one_row_per_record

    @property
    def merged(self) -> bool:
        """Several live streams whose rows interleave (a client order, or a resource that merges by default)."""
        return len(self.live) > 1 and bool(self.order_terms or self.resource.merge_streams)

    def sort_terms(self) -> list[OrderTerm]:
        """Xero order terms for the gateway's own sorting (client order, then the default)."""
        return [*self.order_terms, *self.resource.default_terms]


Resolved = Mapping[str, Sequence[QboRef]]


class _Planner:
    def __init__(self, resource: Resource, resolved: Resolved) -> None:
        self.resource = resource
        self.resolved = resolved
        self.streams = {tag: StreamQuery(tag, entity) for tag, entity in resource.streams}
        self.residual: list[Any] = []

    # helpers -----------------------------------------------------------------------------------------------

    def spec(self, path: xq.Path) -> FieldSpec | None:
        return self.resource.fields.get(path.dotted.lower())

    def add(self, tag: str | None, condition: str | None, *, impossible: bool = False) -> None:
        for stream in self.streams.values():
            if tag is not None and stream.tag != tag:
                continue
            if impossible:
                stream.impossible = True
            elif condition:
                stream.where.append(condition)

    def keep_only(self, tags: set[str]) -> None:
        for stream in self.streams.values():
            if stream.tag not in tags:
                stream.impossible = True

    # planning ----------------------------------------------------------------------------------------------

    def plan(self, expr: Any) -> None:
        items = expr.items if isinstance(expr, xq.BoolOp) and expr.op == "and" else (expr,)
        for item in items:
            if not self.push(item):
                self.residual.append(item)

    def push(self, expr: Any) -> bool:
        """Push one conjunct; ``True`` when it is exact (nothing left for the gateway)."""
        if isinstance(expr, xq.BoolOp) and expr.op == "or":
            return self.push_or(expr)
        if isinstance(expr, xq.Call) and expr.method in ("contains", "startswith", "endswith"):
            self.push_like(expr)
            return False
        if not isinstance(expr, xq.Compare) or expr.op == "!=":
            return False
        left, right, op = expr.left, expr.right, expr.op
        if isinstance(left, xq.Literal) and isinstance(right, xq.Path):
            left, right, op = right, left, {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(op, op)
        if not (isinstance(left, xq.Path) and isinstance(right, xq.Literal)) or right.value is None:
            return False
        path_text = left.dotted.lower()
        if self.resource.discriminator and path_text == self.resource.discriminator.lower():
            return self.push_discriminator(op, [right.value])
        if self.resource.status_path and path_text == self.resource.status_path.lower():
            return self.push_status(op, right.value)
        spec = self.spec(left)
        if spec is None:
            return False
        return self.push_compare(spec, op, right.value)

    def push_discriminator(self, op: str, values: list[Any]) -> bool:
        if op != "==" or not all(isinstance(v, str) for v in values):
            return False
        tags = {tag for v in values for tag in self.resource.selects.get(str(v).upper(), ())}
        self.keep_only(tags)
        return self.resource.exact_discriminator

    def push_status(self, op: str, value: Any) -> bool:
        balance = self.resource.balance
        if op != "==" or not isinstance(value, str) or balance is None:
            return False
        status = value.upper()
        if status == "AUTHORISED":
            self.add(None, f"{balance} > '0'")
            return True
        if status in ("PAID", "VOIDED"):
            self.add(None, f"{balance} = '0'")
            return False
        if status in ("DRAFT", "SUBMITTED", "DELETED"):
            self.add(None, None, impossible=True)
            return True
        return False

    def push_or(self, expr: xq.BoolOp) -> bool:
        compares = [i for i in expr.items if isinstance(i, xq.Compare) and i.op == "=="
                    and isinstance(i.left, xq.Path) and isinstance(i.right, xq.Literal)]
        if len(compares) != len(expr.items):
            return False
        paths = {c.left.dotted.lower() for c in compares}
        if len(paths) != 1:
            return False
        path = next(iter(paths))
        values = [c.right.value for c in compares]
        if self.resource.discriminator and path == self.resource.discriminator.lower():
            return self.push_discriminator("==", values)
        spec = self.resource.fields.get(path)
        if spec is None or any(v is None for v in values):
            return False
        return self.push_in(spec, values)

    def push_in(self, spec: FieldSpec, values: Sequence[Any]) -> bool:
        """``field IN (…)``; exact for ids, references and numbers, superset for text."""
        if spec.kind in (ID, REF):
            per_stream: dict[str, list[str]] = {tag: [] for tag in self.streams}
            for value in values:
                for tag, qbo_id in self.targets(spec, value):
                    per_stream[tag].append(qbo_id)
            for tag, stream in self.streams.items():
                name = spec.name(stream.entity) if spec.kind == REF else "Id"
                ids = list(dict.fromkeys(per_stream[tag]))
                if not ids or name is None:
                    stream.impossible = True
                else:
                    stream.where.append(f"{name} IN ({', '.join(quote(i) for i in ids)})")
            return True
        literals = [qbo_literal(spec.kind, v) for v in values]
        if any(lit is None for lit in literals):
            return False
        for stream in self.streams.values():
            name = spec.name(stream.entity)
            if name is None:
                stream.impossible = True
            else:
                stream.where.append(f"{name} IN ({', '.join(literals)})")  # type: ignore[arg-type]
        return spec.kind == NUMBER

    def targets(self, spec: FieldSpec, value: Any) -> list[tuple[str, str]]:
        """``(stream tag, QBO Id)`` pairs a GUID literal stands for."""
        text = str(value)
        try:
            key = str(uuid.UUID(text))
        except ValueError:
            return []
        refs = self.resolved.get(key) or ()
        out = []
        for tag, stream in self.streams.items():
            wanted = spec.targets.get(stream.entity) if spec.kind == REF else stream.entity
            for ref in refs:
                if ref.entity == wanted and not ref.part:
                    out.append((tag, ref.qbo_id))
        return out

    def push_compare(self, spec: FieldSpec, op: str, value: Any) -> bool:
        if spec.kind in (ID, REF):
            if op != "==":
                return False
            return self.push_in(spec, [value])
        if spec.kind == ACTIVE:
            if op != "==" or not isinstance(value, str) or value.upper() not in ("ACTIVE", "ARCHIVED"):
                return False
            self.add(None, f"Active = {'true' if value.upper() == 'ACTIVE' else 'false'}")
            return True
        literal = qbo_literal(spec.kind, value, op=op)
        if literal is None:
            return False
        qbo_op = "=" if op == "==" else op
        if spec.kind == TEXT and op != "==":
            return False  # QBO's order of text is not Xero's (case): only equality is pushed
        for stream in self.streams.values():
            name = spec.name(stream.entity)
            if name is None:
                stream.impossible = True
            else:
                stream.where.append(f"{name} {qbo_op} {literal}")
        if spec.kind == TEXT:
            return False
        if spec.kind in (DATE, DATETIME) and not exact_moment(spec.kind, value):
            return False
        return True

    def push_like(self, call: xq.Call) -> None:
        if not isinstance(call.target, xq.Path) or not isinstance(call.args[0], xq.Literal):
            return
        spec = self.spec(call.target)
        needle = call.args[0].value
        if spec is None or spec.kind != TEXT or not isinstance(needle, str) or "%" in needle:
            return
        pattern = {"contains": f"%{needle}%", "startswith": f"{needle}%", "endswith": f"%{needle}"}[call.method]
        for stream in self.streams.values():
            name = spec.name(stream.entity)
            if name is not None:
                stream.where.append(f"{name} LIKE {quote(pattern)}")

    def order(self, terms: Sequence[OrderTerm]) -> tuple[str | None, bool]:
        if not terms:
            return self.resource.default_order, True
        if len(terms) != 1:
            return None, False
        term = terms[0]
        spec = self.resource.fields.get(term.path.lower())
        if spec is None or not spec.orderable or spec.kind in (ID, REF, BOOL, ACTIVE):
            return None, False
        names = {spec.name(s.entity) for s in self.streams.values() if not s.impossible}
        if len(names) != 1 or None in names:
            return None, False
        return f"{next(iter(names))}{' DESC' if term.descending else ''}", True


def plan(resource: Resource, query: ListQuery, *, resolved: Resolved, where: Any = None) -> Plan:
    """Plan a Xero list over ``resource`` (rules in the module docstring).

    Args:
        resource: the collection.
        query: the list parameters.
        resolved: lower-cased GUID → the QBO records behind it, for every GUID the parameters name
            (:func:`guids_in`).
        where: the parsed ``where`` (``query.where`` by default).

    Returns:
        The plan; ``plan.residual`` is an AST for :func:`gateway.xero.query.matches`, ``None`` when nothing is left.
    """
    planner = _Planner(resource, resolved)
    expr = where if where is not None else query.where
    if expr is not None:
        planner.plan(expr)
    if query.if_modified_since is not None:
        moment = query.if_modified_since.astimezone(UTC).replace(microsecond=0)
        planner.add(None, f"MetaData.LastUpdatedTime > {quote(moment.isoformat())}")
    if query.ids:
        planner.push_in(FieldSpec(ID, "Id"), query.ids)
    if query.contact_ids and resource.contact_path:
        planner.push_in(resource.fields[resource.contact_path.lower()], query.contact_ids)
    if query.invoice_numbers and resource.number_path:
        spec = resource.fields[resource.number_path.lower()]
        planner.push_in(spec, query.invoice_numbers)
        planner.residual.append(_any_equal(resource.number_path, query.invoice_numbers))
    if query.statuses and resource.status_path:
        statuses = [s.upper() for s in query.statuses]
        exact = len(statuses) == 1 and planner.push_status("==", statuses[0])
        if not exact:
            planner.residual.append(_any_equal(resource.status_path, statuses))
    if resource.name_list:
        filters_active = any("Active" in c.split()[0] for s in planner.streams.values() for c in s.where)
        if query.include_archived and not filters_active:
            planner.add(None, "Active IN (true, false)")
    order, pushed = planner.order(query.order)
    residual = None
    if planner.residual:
        residual = planner.residual[0] if len(planner.residual) == 1 else xq.BoolOp("and", tuple(planner.residual))
    return Plan(resource=resource, streams=list(planner.streams.values()), residual=residual,
                order=order if pushed else None, order_terms=list(query.order), order_pushed=pushed)


def _any_equal(path: str, values: Sequence[str]) -> Any:
    items = tuple(xq.Compare("==", xq.Path(tuple(path.split("."))), xq.Literal(v)) for v in values)
    return items[0] if len(items) == 1 else xq.BoolOp("or", items)


def guids_in(query: ListQuery, resource: Resource, where: Any = None) -> set[str]:
    """Every GUID the list parameters compare an id or reference field with (to resolve before planning)."""
    out = {guid for i in [*query.ids, *query.contact_ids] if (guid := normalise_guid(i))}
    expr = where if where is not None else query.where

    def walk(node: Any) -> None:
        if isinstance(node, xq.BoolOp):
            for item in node.items:
                walk(item)
        elif isinstance(node, xq.Not):
            walk(node.item)
        elif isinstance(node, xq.Compare):
            for side in (node.left, node.right):
                if isinstance(side, xq.Literal) and (guid := normalise_guid(side.value)):
                    out.add(guid)

    if expr is not None:
        walk(expr)
    return out


# Literals --------------------------------------------------------------------------------------------------------

def quote(text: str) -> str:
    """A QBO string literal (``\\'`` escapes a quote, §1 "Query")."""
    return "'" + str(text).replace("\\", "\\\\").replace("'", "\\'") + "'"


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), UTC)
    if isinstance(value, str):
        try:
            from gateway.xero.dates import parse_datetime

            return parse_datetime(value)
        except ValueError:
            return None
    return None


def exact_moment(kind: str, value: Any) -> bool:
    """Whether a date literal is exact for QBO: midnight UTC for dates, whole seconds for date-times."""
    moment = _as_datetime(value)
    if moment is None:
        return False
    moment = moment.astimezone(UTC)
    if kind == DATE:
        return moment.time() == time()
    return moment.microsecond == 0


def qbo_literal(kind: str, value: Any, *, op: str = "==") -> str | None:
    """A Xero literal as a QBO literal of ``kind`` (``None`` when it cannot be)."""
    if kind == NUMBER:
        if isinstance(value, bool):
            return None
        try:
            return format(Decimal(str(value)), "f")
        except ArithmeticError:
            return None
    if kind == BOOL:
        return ("true" if value else "false") if isinstance(value, bool) else None
    if kind == TEXT:
        return quote(value) if isinstance(value, str) else None
    if kind in (DATE, DATETIME):
        moment = _as_datetime(value)
        if moment is None:
            return None
        moment = moment.astimezone(UTC)
        if kind == DATE:
            return quote(moment.date().isoformat())
        return quote(moment.replace(microsecond=0).isoformat())
    return None
