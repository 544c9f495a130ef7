"""Xero's ``where`` and ``order`` translated into SQLAlchemy expressions for the native ledger (SQLite, PostgreSQL).

:mod:`gateway.xero.query` parses ``where`` into an AST (``Literal``/``Path``/``Call``/``Compare``/``BoolOp``/``Not``)
and evaluates it in memory with :func:`~gateway.xero.query.matches`. This module compiles the same AST into a SQL
boolean, through a per-resource :class:`FieldMap` (Xero path → SQL expression yielding exactly the value the
canonical model carries, see :mod:`adapters.native.translate.fieldmaps`), so that a list can filter, order and page in
the
database. The contract: **a pushed-down expression selects exactly the records** ``matches`` **selects**, which
``tests/adapters/native/query/test_sql_agreement.py`` checks with hypothesis over generated expressions.

Semantics reproduced (those of ``gateway.xero.query._compare`` / ``evaluate``):

- ``==`` / ``!=`` are two-valued: ``null == null`` is true, ``value != null`` is true. Rendered ``IS`` / ``IS NOT``.
- ``<`` ``>`` ``<=`` ``>=`` with a null operand are false (a ``NOT NULL`` guard), so ``NOT`` stays exact.
- Strings compare case-sensitively (binary collation: UTF-8 byte order is code-point order); GUIDs compare
  case- and hyphen-insensitively (GUID literals are normalised; ledger ids are stored lower-case hyphenated).
- ``DateTime(...)`` against a date field compares the date's UTC midnight; a string literal is parsed as a date
  (or a number against a number field) exactly as the evaluator parses it.
- Operands of types the evaluator cannot coerce: ``==`` is false and ``!=`` true for every record.
- ``Contains``/``StartsWith``/``EndsWith`` are case-sensitive (``instr``/``substr``); ``ToLower``/``ToUpper`` call
  Python's ``str.lower``/``str.upper`` registered in SQLite (:func:`install_functions`), so non-ASCII letters fold
  exactly as in memory; ``order`` on text compares ``str.lower()`` values, nulls first ascending.
- Numbers are compared as SQLite REALs (how ``Numeric`` columns are stored): exact for literals of at most 15
  significant digits against amounts of at most 15 (``NUMERIC(18, 4)`` amounts below 10^11).

PostgreSQL (:data:`DIALECTS`; the ``dialect`` argument of the compilers) keeps those semantics with its own means:

- Text compares and sorts ``COLLATE "C"`` (code-point order, as Python's ``str``) whatever the database's locale
  (https://www.postgresql.org/docs/current/collation.html); ``EndsWith`` is ``right()`` (PostgreSQL's ``substr``
  takes no negative start); ``Contains`` is ``strpos``.
- Numbers compare as ``NUMERIC``, exact like ``Decimal``: the 15-digit rule is lifted (only literals beyond
  :data:`MAX_PG_EXPONENT`, which ``NUMERIC`` cannot hold, stay in memory).
- ``ToLower``/``ToUpper`` are not pushed down: PostgreSQL's ``lower``/``upper`` follow the database's ``LC_CTYPE``
  (ASCII only under ``C``; one-to-one libc mappings elsewhere), not Python's full Unicode case mapping (``"İ"``
  lowers to two code points, a final ``Σ`` to ``ς``). The agreement test finds the difference at once.
- ``order`` on text sorts by ``lower(text COLLATE "C")`` (ASCII folding), which is ``str.lower()`` exactly for ASCII
  text; :func:`compile_order` returns a guard (:class:`Order`) that the caller checks over the selected rows, and
  a list whose sorted text holds any non-ASCII character is sorted in memory instead.
- Text literals holding NUL (which PostgreSQL text cannot carry) are evaluated in memory.

What is *not* pushed down (:class:`NotPushable`; the caller evaluates in memory and the answer is identical): paths
the field map lacks (nested lists, computed fields such as ``Balances``), comparisons the evaluator would resolve
per record (a number or date literal against a text field, a GUID-looking literal against a free-text field),
comparisons that raise for some records (``Total > "abc"``), and number literals beyond 15 significant digits.
A top-level ``AND`` is pushed down in part when every conjunct left out can never raise
(:func:`compile_where`): the pushed conjuncts pre-filter in SQL and the whole expression is then evaluated in
memory over what remains.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, Literal

from sqlalchemy import ColumnElement, Float, Numeric, String, and_, false, func, literal, not_, or_, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from gateway.xero import query as xq
from gateway.xero.dates import parse_datetime
from gateway.xero.guids import is_guid, normalise_guid
from gateway.xero.models import XeroModel
from gateway.xero.request import OrderTerm

Kind = Literal["str", "guid", "decimal", "date", "datetime", "bool"]
KINDS: tuple[Kind, ...] = ("str", "guid", "decimal", "date", "datetime", "bool")

#: Significant digits up to which a decimal round-trips through a double exactly (IEEE 754: 15).
MAX_EXACT_DIGITS = 15
#: Largest adjusted exponent of a number literal compared on PostgreSQL: ``NUMERIC`` holds 131,072 digits before the
#: point and 16,383 after (https://www.postgresql.org/docs/current/datatype-numeric.html); amounts are
#: ``NUMERIC(18, 4)``, so a literal beyond 10^±1000 orders like any larger one, but is left to memory for simplicity.
MAX_PG_EXPONENT = 1000

#: Databases whose SQL this module reproduces the evaluator on (``Dialect.name``).
DIALECTS = frozenset({"sqlite", "postgresql"})

Dialect = Literal["sqlite", "postgresql"]

_FLIP = {"==": "==", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}


class NotPushable(Exception):
    """A node the compiler cannot translate with the evaluator's exact semantics (evaluate it in memory)."""


@dataclass(frozen=True)
class Field:
    """One Xero path of a resource in SQL.

    Attributes:
        column: a SQL expression (column, ``coalesce``, correlated scalar subquery, ``case``…) over the resource's
            table whose value is exactly what the canonical model carries at that path (``None`` when the model
            has ``None``); ``tests/adapters/native/query/test_field_maps.py`` checks this row by row.
        kind: ``str`` (free text), ``guid`` (ids the ledger generates: always lower-case hyphenated), ``decimal``,
            ``date`` (a calendar date), ``datetime`` (aware UTC, stored naive UTC) or ``bool``.
        nullable: ``False`` when the expression can never be NULL (lets a bare boolean path be pushed down).
    """

    column: ColumnElement[Any]
    kind: Kind
    nullable: bool = True

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown field kind {self.kind!r}")


class FieldMap:
    """The pushable paths of one resource: dotted Xero path (any case) → :class:`Field`.

    Args:
        model: the canonical model (``gateway.xero.models.Invoice``…): where/order paths are checked against it.
        fields: ``{"Contact.Name": Field(...), ...}``.
    """

    def __init__(self, model: type[XeroModel], fields: Mapping[str, Field]) -> None:
        self.model = model
        self.fields: dict[str, Field] = dict(fields)
        self._by_lower = {name.lower(): f for name, f in fields.items()}

    def get(self, path: str | Sequence[str]) -> Field | None:
        """The field at ``path`` (``"Contact.Name"`` or ``("Contact", "Name")``, case-insensitive), or ``None``."""
        dotted = path if isinstance(path, str) else ".".join(path)
        return self._by_lower.get(dotted.lower())


# SQL functions ---------------------------------------------------------------------------------------------------


class py_lower(FunctionElement[str]):  # noqa: N801 - reads as the SQL function it renders
    """``str.lower`` of a text (SQLite: the registered ``xero_lower``; elsewhere ``lower``)."""

    type = String()
    name = "xero_lower"
    inherit_cache = True


class py_upper(FunctionElement[str]):  # noqa: N801
    """``str.upper`` of a text (SQLite: the registered ``xero_upper``; elsewhere ``upper``)."""

    type = String()
    name = "xero_upper"
    inherit_cache = True


class instr(FunctionElement[int]):  # noqa: N801
    """1-based position of a substring, 0 when absent (SQLite ``instr``; PostgreSQL ``strpos``)."""

    name = "instr"
    inherit_cache = True


class c_text(FunctionElement[str]):  # noqa: N801
    """A text operand compared in code-point order: ``x COLLATE "C"`` on PostgreSQL, ``x`` on SQLite (whose default
    ``BINARY`` collation already compares UTF-8 bytes, i.e. code points)."""

    type = String()
    name = "c_text"
    inherit_cache = True


class ascii_lower(FunctionElement[str]):  # noqa: N801
    """PostgreSQL ``lower(x COLLATE "C")``: folds ``A``-``Z`` only, whatever the locale (``str.lower()`` of ASCII
    text); sorts in code-point order."""

    type = String()
    name = "ascii_lower"
    inherit_cache = True


class suffix(FunctionElement[str]):  # noqa: N801
    """The last ``n`` characters of a text (the whole text when shorter): SQLite ``substr(x, -n)``, PostgreSQL
    ``right(x, n)``."""

    type = String()
    name = "suffix"
    inherit_cache = True


@compiles(c_text)
def _c_text_default(element: Any, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(c_text, "postgresql")
def _c_text_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f'({compiler.process(element.clauses, **kw)}) COLLATE "C"'


@compiles(ascii_lower, "postgresql")
def _ascii_lower_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f'lower(({compiler.process(element.clauses, **kw)}) COLLATE "C") COLLATE "C"'


@compiles(suffix)
def _suffix_default(element: Any, compiler: Any, **kw: Any) -> str:
    text, n = (compiler.process(c, **kw) for c in element.clauses)
    return f"substr({text}, -({n}))"


@compiles(suffix, "postgresql")
def _suffix_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"right({compiler.process(element.clauses, **kw)})"


@compiles(py_lower)
def _lower_default(element: Any, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(py_lower, "sqlite")
def _lower_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"xero_lower({compiler.process(element.clauses, **kw)})"


@compiles(py_upper)
def _upper_default(element: Any, compiler: Any, **kw: Any) -> str:
    return f"upper({compiler.process(element.clauses, **kw)})"


@compiles(py_upper, "sqlite")
def _upper_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"xero_upper({compiler.process(element.clauses, **kw)})"


@compiles(instr)
def _instr_default(element: Any, compiler: Any, **kw: Any) -> str:
    return f"instr({compiler.process(element.clauses, **kw)})"


@compiles(instr, "postgresql")
def _instr_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"


def _sql_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _sql_upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


#: Key of a pooled connection's ``info`` once :func:`install_functions` registered the functions on it.
_FUNCTIONS_INSTALLED = "xero_functions_installed"


async def install_functions(session: AsyncSession) -> None:
    """Register ``xero_lower``/``xero_upper`` (Python's ``str.lower``/``str.upper``) on the session's SQLite
    connection; a no-op on other databases. Call it before running a statement built here."""
    conn = await session.connection()
    if conn.dialect.name != "sqlite":
        return
    pooled = conn.sync_connection.connection if conn.sync_connection is not None else None
    if pooled is not None and pooled.info.get(_FUNCTIONS_INSTALLED):
        return  # once per DBAPI connection (its ``info`` lives as long as it): a list read pays no thread hop

    def register(sync_conn: Any) -> None:
        raw = sync_conn.connection.dbapi_connection
        raw.create_function("xero_lower", 1, _sql_lower, deterministic=True)
        raw.create_function("xero_upper", 1, _sql_upper, deterministic=True)
        sync_conn.connection.info[_FUNCTIONS_INSTALLED] = True

    await conn.run_sync(register)


def dialect_of(session: AsyncSession) -> str:
    """The session's database (``Dialect.name``: ``sqlite``, ``postgresql``…)."""
    return session.get_bind().dialect.name


def supports_pushdown(session: AsyncSession) -> bool:
    """Whether this module's SQL reproduces the evaluator on the session's database (:data:`DIALECTS`: SQLite and
    PostgreSQL, see the module docstring). Other databases evaluate ``where``/``order`` in memory."""
    return dialect_of(session) in DIALECTS


def contains_ci(column: ColumnElement[Any], needle: str) -> ColumnElement[bool]:
    """Case-insensitive ``needle in column`` (Python ``str.lower`` on both), false for NULL: ``searchTerm``."""
    return and_(column.is_not(None), instr(py_lower(column), needle.lower()) > 0)


# Compiling ``where`` ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Col:
    """A SQL-side operand."""

    sql: ColumnElement[Any]
    kind: Kind
    nullable: bool


@dataclass(frozen=True)
class _Const:
    """A constant operand, normalised as the evaluator normalises values."""

    value: Any


def _normalise(value: Any) -> Any:
    """As ``gateway.xero.query._normalise``: enums → value, GUID → text, numbers → Decimal, dates → UTC midnight."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return value


def _fold(node: Any) -> Any:
    """The value of a node without paths, as the evaluator computes it."""
    try:
        return _normalise(xq.evaluate(node, {}))
    except Exception as exc:  # the evaluator raises for every record: let it, in memory
        raise NotPushable(f"constant {node!r} raises {exc!r}") from None


def _operand(node: Any, fields: FieldMap, dialect: str) -> _Col | _Const:
    if not xq.paths(node):
        return _Const(_fold(node))
    if isinstance(node, xq.Path):
        field = fields.get(node.parts)
        if field is None:
            raise NotPushable(f"path {node.dotted} is not in the field map")
        if field.kind in ("str", "guid") and dialect == "postgresql":
            return _Col(c_text(field.column), field.kind, field.nullable)
        return _Col(field.column, field.kind, field.nullable)
    if isinstance(node, xq.Call) and node.method in ("tolower", "toupper"):
        if dialect != "sqlite":  # only SQLite runs Python's own str.lower/str.upper (install_functions)
            raise NotPushable(f"{node.method} on {dialect} is not Python's case mapping")
        target = _operand(node.target, fields, dialect)
        if not isinstance(target, _Col) or target.kind not in ("str", "guid"):
            raise NotPushable(f"{node.method} of a {getattr(target, 'kind', 'constant')}")
        sql = py_lower(target.sql) if node.method == "tolower" else py_upper(target.sql)
        return _Col(sql, "str", target.nullable)
    raise NotPushable(f"{type(node).__name__} used as a value")


def _exact_decimal(value: Decimal, dialect: str) -> Decimal:
    """``value`` when the database compares it exactly: on SQLite when a double represents it exactly enough
    (finite, ≤ 15 significant digits); on PostgreSQL (``NUMERIC``) when finite and within
    10^±:data:`MAX_PG_EXPONENT`."""
    if not value.is_finite():
        raise NotPushable(f"number {value} is not finite")
    if dialect == "postgresql":
        if value and abs(value.adjusted()) > MAX_PG_EXPONENT:
            raise NotPushable(f"number {value} is beyond the range compared in SQL")
        return value
    digits = value.normalize().as_tuple().digits
    as_float = float(value)
    if len(digits) > MAX_EXACT_DIGITS or not math.isfinite(as_float) or Decimal(repr(as_float)) != value:
        raise NotPushable(f"number {value} is beyond a double's exact range")
    return value


class _Incomparable(Exception):
    """The evaluator compares the two operands without coercion: ``==`` false, ``!=`` true, ordering raises."""


def _coerce(kind: Kind, value: Any, dialect: str) -> Any:
    """The constant as the evaluator compares it with a value of ``kind`` (``gateway.xero.query._coerce_pair``).

    Raises:
        _Incomparable: no coercion applies.
        NotPushable: the evaluator would coerce per record, or the value is out of SQL's exact range.
    """
    if kind == "str":
        if isinstance(value, str):
            if is_guid(value):  # the evaluator's GUID rule (gateway.xero.guids)
                raise NotPushable("a GUID-looking text against free text is compared per record")
            return _sql_text(value, dialect)
        if isinstance(value, bool):
            raise _Incomparable
        raise NotPushable("a number or date against text is parsed per record")
    if kind == "guid":
        if isinstance(value, str):
            return normalise_guid(value) or _sql_text(value, dialect)
        raise _Incomparable  # ids never parse as numbers or dates
    if kind == "decimal":
        if isinstance(value, bool):
            raise NotPushable("a boolean against a number compares numerically")
        if isinstance(value, str):
            try:
                value = Decimal(value)
            except InvalidOperation:
                raise _Incomparable from None
        if isinstance(value, Decimal):
            return _exact_decimal(value, dialect)
        raise _Incomparable
    if kind in ("date", "datetime"):
        if isinstance(value, str):
            try:
                value = parse_datetime(value)
            except ValueError:
                raise _Incomparable from None
            except Exception as exc:  # e.g. an overflowing /Date()/: the evaluator raises it
                raise NotPushable(f"date text raises {exc!r}") from None
        if isinstance(value, datetime):
            return value
        raise _Incomparable
    # bool
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        raise NotPushable("a number against a boolean compares numerically")
    raise _Incomparable


def _sql_text(value: str, dialect: str) -> str:
    """``value`` when the database can hold it as text (PostgreSQL text carries no NUL)."""
    if dialect == "postgresql" and "\x00" in value:
        raise NotPushable("a NUL in a text literal")
    return value


def _bind(col: _Col, value: Any, dialect: str) -> ColumnElement[Any]:
    if col.kind == "decimal":
        # SQLite stores NUMERIC as REAL: bind a double; PostgreSQL compares NUMERIC exactly: bind the Decimal.
        return literal(value, Numeric()) if dialect == "postgresql" else literal(float(value), Float())
    return literal(value, col.sql.type)


def _emit(op: str, col: _Col, value: Any, dialect: str) -> ColumnElement[bool]:
    """``col op value`` for a non-null ``value`` of the column's kind, two-valued."""
    bound = _bind(col, value, dialect)
    if op == "==":
        return col.sql.is_not_distinct_from(bound)
    if op == "!=":
        return col.sql.is_distinct_from(bound)
    compared = {"<": col.sql < bound, ">": col.sql > bound, "<=": col.sql <= bound, ">=": col.sql >= bound}[op]
    return and_(col.sql.is_not(None), compared) if col.nullable else compared


def _compare_date(op: str, col: _Col, moment: datetime, dialect: str) -> ColumnElement[bool]:
    """A calendar date (its UTC midnight, as the evaluator normalises it) against an instant."""
    moment = moment.astimezone(UTC)
    day = moment.date()
    if moment.time() == time(0):
        return _emit(op, col, day, dialect)
    if op == "==":
        return false()
    if op == "!=":
        return true()
    # midnight(d) < moment  ⇔  d <= day;  midnight(d) > moment  ⇔  d > day (moment is after day's midnight)
    return _emit("<=" if op in ("<", "<=") else ">", col, day, dialect)


def _compare(op: str, left: _Col | _Const, right: _Col | _Const, dialect: str) -> ColumnElement[bool]:
    if isinstance(left, _Const) and isinstance(right, _Const):
        raise NotPushable("constant comparison")  # folded by the caller
    if isinstance(left, _Col) and isinstance(right, _Col):
        if left.kind != right.kind or left.kind == "str":
            raise NotPushable(f"{left.kind} against {right.kind} field")
        if op == "==":
            return left.sql.is_not_distinct_from(right.sql)
        if op == "!=":
            return left.sql.is_distinct_from(right.sql)
        compared = {"<": left.sql < right.sql, ">": left.sql > right.sql, "<=": left.sql <= right.sql,
                    ">=": left.sql >= right.sql}[op]
        guards = [c.sql.is_not(None) for c in (left, right) if c.nullable]
        return and_(*guards, compared) if guards else compared
    if isinstance(left, _Const):
        left, right, op = right, left, _FLIP[op]
    assert isinstance(left, _Col) and isinstance(right, _Const)
    if right.value is None:
        if op == "==":
            return left.sql.is_(None) if left.nullable else false()
        if op == "!=":
            return left.sql.is_not(None) if left.nullable else true()
        return false()
    try:
        value = _coerce(left.kind, right.value, dialect)
    except _Incomparable:
        if op == "==":
            return false()
        if op == "!=":
            return true()
        raise NotPushable("ordering of incomparable operands raises") from None
    if left.kind == "date":
        return _compare_date(op, left, value, dialect)
    return _emit(op, left, value, dialect)


def _string_test(node: xq.Call, fields: FieldMap, dialect: str) -> ColumnElement[bool]:
    target = _operand(node.target, fields, dialect)
    if not isinstance(target, _Col) or target.kind not in ("str", "guid"):
        raise NotPushable(f"{node.method} on a {getattr(target, 'kind', 'constant')}")
    arg = _operand(node.args[0], fields, dialect)
    if not isinstance(arg, _Const):
        raise NotPushable(f"{node.method} of a field")
    if arg.value is None:
        return false()
    text = _sql_text(str(arg.value), dialect)
    col = target.sql
    if text == "":
        test: ColumnElement[bool] = true()
    elif node.method == "contains":
        test = instr(col, text) > 0
    elif node.method == "startswith":
        test = _substr(col, 1, len(text)) == literal(text, String())
    else:
        test = suffix(col, len(text)) == literal(text, String())
    if not target.nullable:
        return test
    return and_(col.is_not(None), test) if text else col.is_not(None)


def _substr(col: ColumnElement[Any], start: int, length: int) -> ColumnElement[Any]:
    return func.substr(col, start, length)


def compile_bool(expr: Any, fields: FieldMap, *, dialect: str = "sqlite") -> ColumnElement[bool]:
    """A SQL boolean selecting exactly the records for which ``matches(expr, record)`` is true.

    The result is never NULL (so ``NOT`` negates it exactly) and never raises where the evaluator would not.
    ``dialect`` is the database's (:data:`DIALECTS`): PostgreSQL differs as the module docstring says.

    Raises:
        NotPushable: a node has no exact SQL translation (see the module docstring).
    """
    if not xq.paths(expr):
        value = _fold(expr)
        if not isinstance(value, bool):
            raise NotPushable("a constant that is not a boolean")
        return true() if value else false()
    if isinstance(expr, xq.Compare):
        return _compare(expr.op, _operand(expr.left, fields, dialect), _operand(expr.right, fields, dialect),
                        dialect)
    if isinstance(expr, xq.BoolOp):
        items = [compile_bool(item, fields, dialect=dialect) for item in expr.items]
        return and_(*items) if expr.op == "and" else or_(*items)
    if isinstance(expr, xq.Not):
        return not_(compile_bool(expr.item, fields, dialect=dialect))
    if isinstance(expr, xq.Call) and expr.method in ("contains", "startswith", "endswith"):
        return _string_test(expr, fields, dialect)
    if isinstance(expr, xq.Path):
        field = fields.get(expr.parts)
        if field is None or field.kind != "bool" or field.nullable:
            raise NotPushable(f"bare path {expr.dotted} is not a non-null boolean field")
        return field.column.is_(true())
    raise NotPushable(f"{type(expr).__name__} in a boolean position")


def never_raises(expr: Any) -> bool:
    """Whether evaluating ``expr`` as a boolean can never raise, whatever the record (no ordering comparison, no
    non-boolean in a boolean position). Such conjuncts may be left to memory while others are pushed down."""
    if isinstance(expr, xq.Compare):
        return expr.op in ("==", "!=") and _value_never_raises(expr.left) and _value_never_raises(expr.right)
    if isinstance(expr, xq.BoolOp):
        return all(never_raises(item) for item in expr.items)
    if isinstance(expr, xq.Not):
        return never_raises(expr.item)
    if isinstance(expr, xq.Call):
        return expr.method in ("contains", "startswith", "endswith") and _value_never_raises(expr)
    if isinstance(expr, xq.Literal):
        return isinstance(expr.value, bool)
    return False


def _value_never_raises(expr: Any) -> bool:
    if isinstance(expr, xq.Path | xq.Literal):
        return True
    if isinstance(expr, xq.Call):
        return _value_never_raises(expr.target) and all(_value_never_raises(a) for a in expr.args)
    return never_raises(expr)


@dataclass(frozen=True)
class CompiledWhere:
    """The SQL part of a ``where``.

    Attributes:
        clause: SQL boolean to add to the statement, or ``None`` (nothing pushed down).
        residual: the expression still to evaluate in memory over the rows the clause selects (the whole
            ``where``), or ``None`` when ``clause`` is exact.
    """

    clause: ColumnElement[bool] | None
    residual: Any = None

    @property
    def exact(self) -> bool:
        """``True`` when SQL alone selects the answer (no residual)."""
        return self.residual is None


def compile_where(expr: Any, fields: FieldMap, *, dialect: str = "sqlite") -> CompiledWhere:
    """Compile a parsed ``where`` as far as it can be pushed down exactly.

    Args:
        expr: from :func:`gateway.xero.query.parse_where`, or ``None``.
        fields: the resource's field map.
        dialect: the database's name (:data:`DIALECTS`).

    Returns:
        The whole expression as SQL (``residual`` ``None``); or, for a top-level ``AND`` whose unpushable
        conjuncts never raise (:func:`never_raises`), the pushable conjuncts as a SQL pre-filter plus the whole
        expression as ``residual``; otherwise no SQL and the whole expression as ``residual``.
    """
    if expr is None:
        return CompiledWhere(None)
    try:
        return CompiledWhere(compile_bool(expr, fields, dialect=dialect))
    except NotPushable:
        pass
    conjuncts = expr.items if isinstance(expr, xq.BoolOp) and expr.op == "and" else (expr,)
    pushed: list[ColumnElement[bool]] = []
    for item in conjuncts:
        try:
            pushed.append(compile_bool(item, fields, dialect=dialect))
        except NotPushable:
            if not never_raises(item):
                return CompiledWhere(None, expr)
    return CompiledWhere(and_(*pushed) if pushed else None, expr)


@dataclass(frozen=True)
class Order:
    """``ORDER BY`` keys and the condition under which they sort as the evaluator does.

    Attributes:
        keys: the ``ORDER BY`` keys.
        exact_if: ``None`` when the keys are exact; else a per-row SQL boolean (PostgreSQL: every text sorted is
            ASCII, so that ``lower(x COLLATE "C")`` is ``str.lower()``) that must hold for every selected row, or
            the rows are sorted in memory.
    """

    keys: list[ColumnElement[Any]]
    exact_if: ColumnElement[bool] | None = None


#: A character outside ASCII (PostgreSQL regular expression; NUL cannot occur in text).
_NON_ASCII = "[^\\x01-\\x7f]"


def compile_order(terms: Iterable[OrderTerm], fields: FieldMap, *, dialect: str = "sqlite") -> Order | None:
    """``ORDER BY`` keys reproducing :func:`gateway.xero.query.sort_records` (text by ``str.lower()``, nulls
    first ascending and last descending), or ``None`` when a path is not mapped.

    SQLite sorts text by the registered ``str.lower`` (exact); PostgreSQL by ``lower(x COLLATE "C")`` with
    ``NULLS FIRST``/``NULLS LAST`` spelled out, exact for ASCII text only (:attr:`Order.exact_if`).
    """
    keys: list[ColumnElement[Any]] = []
    guards: list[ColumnElement[bool]] = []
    for term in terms:
        field = fields.get(term.path)
        if field is None:
            return None
        if dialect == "postgresql":
            if field.kind == "str":
                key: ColumnElement[Any] = ascii_lower(field.column)
                guards.append(func.coalesce(not_(field.column.regexp_match(_NON_ASCII)), true()))
            else:
                key = c_text(field.column) if field.kind == "guid" else field.column
            keys.append(key.desc().nulls_last() if term.descending else key.asc().nulls_first())
            continue
        key = py_lower(field.column) if field.kind == "str" else field.column
        keys.append(key.desc() if term.descending else key.asc())
    return Order(keys, and_(*guards) if guards else None)
