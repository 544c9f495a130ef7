"""Xero's ``where`` and ``order`` query language: a real parser (no ``eval``) and an evaluator.

Grammar (Xero's filter syntax is .NET Dynamic LINQ; keywords are case-insensitive)::

    expr     := or
    or       := and (("OR" | "||") and)*
    and      := not (("AND" | "&&") not)*
    not      := ("NOT" | "!") not | compare
    compare  := operand (("==" | "=" | "!=" | "<>" | "<" | ">" | "<=" | ">=") operand)?
    operand  := primary ("." METHOD "(" [expr ("," expr)*] ")")*
    primary  := STRING | NUMBER | "true" | "false" | "null"
              | "Guid" "(" STRING ")" | "DateTime" "(" NUMBER ("," NUMBER){2,5} ")"
              | "DateTime.Parse" "(" STRING ")" | PATH | "(" expr ")"
    PATH     := IDENT ("." IDENT)*          e.g. Contact.ContactID
    METHOD   := Contains | StartsWith | EndsWith | ToLower | ToUpper

Sources: Xero's filter documentation (https://developer.xero.com/documentation/api/accounting/requests-and-responses
"Retrieving filtered data") and shared/notes/xero-contract.md §2 (``&&``, ``Guid("…")``, ``DateTime(y,m,d)``,
lowercase ``.contains(`` from pyxero). Errors mimic Dynamic LINQ's messages, e.g.
``"')' expected (at index 12)"``, raised as :class:`~gateway.xero.errors.QueryParseException` (HTTP 400).

The AST (:class:`Literal`, :class:`Path`, :class:`Call`, :class:`Compare`, :class:`BoolOp`, :class:`Not`) is what
adapters push down to their own stores; :func:`matches` evaluates it over a record (a nested mapping with Xero's
field names, e.g. ``model.model_dump(mode="python")``) for adapters that filter in memory.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from pydantic import BaseModel

from .dates import parse_datetime
from .errors import QueryParseException
from .guids import normalise_guid, parse_guid
from .request import OrderTerm

# ---------------------------------------------------------------------------------------------- AST


@dataclass(frozen=True)
class Literal:
    """A constant: ``str``, ``Decimal``, ``bool``, ``None``, aware ``datetime`` or a GUID (``uuid.UUID``)."""

    value: Any


@dataclass(frozen=True)
class Path:
    """A field path, Xero's names: ``("Contact", "ContactID")``."""

    parts: tuple[str, ...]

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True)
class Call:
    """A string method on an operand: ``Name.Contains("x")`` → ``Call(Path(Name), "contains", (Literal("x"),))``.

    ``method`` is lower-cased: ``contains``, ``startswith``, ``endswith``, ``tolower``, ``toupper``.
    """

    target: Any
    method: str
    args: tuple[Any, ...]


@dataclass(frozen=True)
class Compare:
    """``left op right`` with ``op`` one of ``== != < > <= >=``."""

    op: str
    left: Any
    right: Any


@dataclass(frozen=True)
class BoolOp:
    """``op`` is ``"and"`` or ``"or"`` over two or more items."""

    op: str
    items: tuple[Any, ...]


@dataclass(frozen=True)
class Not:
    item: Any


Expr = Literal | Path | Call | Compare | BoolOp | Not

METHODS = {"contains": 1, "startswith": 1, "endswith": 1, "tolower": 0, "toupper": 0}

# ---------------------------------------------------------------------------------------------- lexer

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<op>==|!=|<>|<=|>=|&&|\|\||[=<>!(),.])
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Tok:
    kind: str  # string | number | op | ident | end
    text: str
    pos: int


def _lex(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            if text[pos] in "\"'":
                raise QueryParseException(f"Unterminated string literal (at index {pos})")
            raise QueryParseException(f"Syntax error '{text[pos]}' (at index {pos})")
        kind = m.lastgroup or ""
        if kind != "ws":
            tokens.append(_Tok(kind, m.group(), pos))
        pos = m.end()
    tokens.append(_Tok("end", "", len(text)))
    return tokens


def _unquote(raw: str) -> str:
    body = raw[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


# ---------------------------------------------------------------------------------------------- parser


#: Deepest nesting of parentheses, ``NOT``/``!`` and method arguments a ``where`` may have. Ours (Xero documents no
#: limit): real filters nest a few levels; without a bound a crafted filter exhausts the parser's recursion (a 500).
MAX_DEPTH = 32


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _lex(text)
        self.i = 0
        self.depth = 0

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryParseException(f"Expression nested deeper than {MAX_DEPTH} levels (at index {self.tok.pos})")

    # token helpers
    @property
    def tok(self) -> _Tok:
        return self.tokens[self.i]

    def _is(self, *texts: str) -> bool:
        t = self.tok
        return t.kind in ("op", "ident") and t.text.lower() in texts

    def _advance(self) -> _Tok:
        t = self.tok
        self.i += 1
        return t

    def _expect(self, text: str) -> _Tok:
        if not self._is(text):
            raise QueryParseException(f"'{text}' expected (at index {self.tok.pos})")
        return self._advance()

    # grammar
    def parse(self) -> Expr:
        if self.tok.kind == "end":
            raise QueryParseException("Expression expected (at index 0)")
        expr = self._or()
        if self.tok.kind != "end":
            raise QueryParseException(f"Syntax error (at index {self.tok.pos})")
        return expr

    def _or(self) -> Expr:
        items = [self._and()]
        while self._is("or", "||"):
            self._advance()
            items.append(self._and())
        return items[0] if len(items) == 1 else BoolOp("or", tuple(items))

    def _and(self) -> Expr:
        items = [self._not()]
        while self._is("and", "&&"):
            self._advance()
            items.append(self._not())
        return items[0] if len(items) == 1 else BoolOp("and", tuple(items))

    def _not(self) -> Expr:
        if self._is("not", "!"):
            self._advance()
            self._enter()
            inner = self._not()
            self.depth -= 1
            return Not(inner)
        return self._compare()

    def _compare(self) -> Expr:
        left = self._operand()
        if self._is("==", "=", "!=", "<>", "<", ">", "<=", ">="):
            op = self._advance().text
            op = {"=": "==", "<>": "!="}.get(op, op)
            right = self._operand()
            return Compare(op, left, right)
        return left

    def _operand(self) -> Expr:
        expr = self._primary()
        while self._is("."):
            self._advance()
            name = self.tok
            if name.kind != "ident":
                raise QueryParseException(f"Identifier expected (at index {name.pos})")
            self._advance()
            method = name.text.lower()
            if method not in METHODS:
                raise QueryParseException(
                    f"No applicable method '{name.text}' exists in type 'String' (at index {name.pos})")
            self._expect("(")
            self._enter()
            args: list[Expr] = []
            if not self._is(")"):
                args.append(self._or())
                while self._is(","):
                    self._advance()
                    args.append(self._or())
            self._expect(")")
            self.depth -= 1
            if len(args) != METHODS[method]:
                raise QueryParseException(
                    f"No applicable method '{name.text}' takes {len(args)} argument(s) (at index {name.pos})")
            expr = Call(expr, method, tuple(args))
        return expr

    def _primary(self) -> Expr:
        t = self.tok
        if t.kind == "string":
            self._advance()
            return Literal(_unquote(t.text))
        if t.kind == "number":
            self._advance()
            return Literal(Decimal(t.text))
        if self._is("("):
            self._advance()
            self._enter()
            inner = self._or()
            self._expect(")")
            self.depth -= 1
            return inner
        if t.kind != "ident":
            raise QueryParseException(f"Expression expected (at index {t.pos})")
        word = t.text.lower()
        if word in ("true", "false"):
            self._advance()
            return Literal(word == "true")
        if word == "null":
            self._advance()
            return Literal(None)
        if word == "guid" and self.tokens[self.i + 1].text == "(":
            return self._guid()
        if word == "datetime" and self.tokens[self.i + 1].text in ("(", "."):
            return self._datetime()
        return self._path()

    def _guid(self) -> Literal:
        self._advance()
        self._expect("(")
        arg = self.tok
        if arg.kind != "string":
            raise QueryParseException(f"Guid string expected (at index {arg.pos})")
        self._advance()
        self._expect(")")
        try:
            return Literal(uuid.UUID(parse_guid(_unquote(arg.text))))
        except ValueError:
            raise QueryParseException(f"'{_unquote(arg.text)}' is not a valid Guid (at index {arg.pos})") from None

    def _datetime(self) -> Literal:
        start = self._advance()
        if self._is("."):  # DateTime.Parse("2020-01-01")
            self._advance()
            if not self._is("parse"):
                raise QueryParseException(f"'Parse' expected (at index {self.tok.pos})")
            self._advance()
            self._expect("(")
            arg = self.tok
            if arg.kind != "string":
                raise QueryParseException(f"Date string expected (at index {arg.pos})")
            self._advance()
            self._expect(")")
            try:
                return Literal(parse_datetime(_unquote(arg.text)))
            except ValueError:
                raise QueryParseException(
                    f"String '{_unquote(arg.text)}' was not recognized as a valid DateTime "
                    f"(at index {arg.pos})") from None
        self._expect("(")
        numbers: list[int] = []
        while True:
            n = self.tok
            if n.kind != "number" or "." in n.text:
                raise QueryParseException(f"Integer expected (at index {n.pos})")
            numbers.append(int(n.text))
            self._advance()
            if self._is(","):
                self._advance()
                continue
            break
        self._expect(")")
        if len(numbers) not in (3, 6):
            raise QueryParseException(
                f"DateTime takes (year, month, day[, hour, minute, second]) (at index {start.pos})")
        try:
            return Literal(datetime(*numbers, tzinfo=UTC))  # type: ignore[misc]
        except ValueError as exc:
            raise QueryParseException(f"Invalid DateTime: {exc} (at index {start.pos})") from None

    def _path(self) -> Path:
        parts = [self._advance().text]
        # A '.' followed by an identifier that is not a method call continues the path.
        while (self._is(".") and self.tokens[self.i + 1].kind == "ident"
               and self.tokens[self.i + 2].text != "("):
            self._advance()
            parts.append(self._advance().text)
        return Path(tuple(parts))


def parse_where(text: str) -> Expr:
    """Parse a Xero ``where`` expression.

    Args:
        text: e.g. ``'Status=="AUTHORISED" AND Contact.ContactID==Guid("…")'``.

    Returns:
        The expression tree.

    Raises:
        QueryParseException: the text is not a valid expression (message carries the index of the fault).
    """
    return _Parser(text).parse()


_ORDER_TERM = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*(?:\s(ASC|DESC))?\s*$",
                         re.IGNORECASE)


def parse_order(text: str) -> list[OrderTerm]:
    """Parse Xero's ``order`` parameter: ``"Name ASC, UpdatedDateUTC DESC"``.

    Raises:
        QueryParseException: a term is not ``Path [ASC|DESC]``.
    """
    terms: list[OrderTerm] = []
    offset = 0
    for raw in text.split(","):
        m = _ORDER_TERM.match(raw)
        if not m:
            raise QueryParseException(f"Invalid order term '{raw.strip()}' (at index {offset})")
        terms.append(OrderTerm(m.group(1), (m.group(2) or "ASC").upper() == "DESC"))
        offset += len(raw) + 1
    return terms


def paths(expr: Expr) -> list[Path]:
    """Every field path used in ``expr`` (to check them against a model, or to push them down)."""
    if isinstance(expr, Path):
        return [expr]
    if isinstance(expr, Call):
        return paths(expr.target) + [p for a in expr.args for p in paths(a)]
    if isinstance(expr, Compare):
        return paths(expr.left) + paths(expr.right)
    if isinstance(expr, BoolOp):
        return [p for item in expr.items for p in paths(item)]
    if isinstance(expr, Not):
        return paths(expr.item)
    return []


def check_fields(expr_or_terms: Expr | Sequence[OrderTerm], model: type[BaseModel]) -> None:
    """Raise :class:`QueryParseException` when a path names no field of ``model`` (nested models followed).

    Mirrors Xero's ``"No property or field 'X' exists in type 'Invoice'"``.
    """
    if isinstance(expr_or_terms, Sequence) and not isinstance(expr_or_terms, str):
        dotted = [t.path for t in expr_or_terms]  # type: ignore[union-attr]
    else:
        dotted = [p.dotted for p in paths(expr_or_terms)]  # type: ignore[arg-type]
    for name in dotted:
        current: type[BaseModel] | None = model
        for part in name.split("."):
            fields = {k.lower(): v for k, v in (current.model_fields if current else {}).items()}
            field = fields.get(part.lower())
            if field is None:
                raise QueryParseException(
                    f"No property or field '{part}' exists in type '{(current or model).__name__}'")
            current = _model_of(field.annotation)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_of(arg)
        if found is not None:
            return found
    return None


# ---------------------------------------------------------------------------------------------- evaluation


def lookup(record: Mapping[str, Any], dotted: str | Sequence[str]) -> Any:
    """Value at a path in a nested mapping; field names compare case-insensitively; missing → ``None``."""
    parts = dotted.split(".") if isinstance(dotted, str) else dotted
    value: Any = record
    for part in parts:
        if not isinstance(value, Mapping):
            return None
        if part in value:
            value = value[part]
            continue
        lowered = part.lower()
        value = next((v for k, v in value.items() if k.lower() == lowered), None)
    return value


def _normalise(value: Any) -> Any:
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


def _coerce_pair(left: Any, right: Any) -> tuple[Any, Any]:
    """Bring two operands to comparable types (GUID text, dates, numbers given as strings)."""
    left, right = _normalise(left), _normalise(right)
    if isinstance(left, str) and isinstance(right, str):
        left_guid, right_guid = normalise_guid(left), normalise_guid(right)
        if left_guid and right_guid:
            return left_guid, right_guid
        return left, right
    for a, b, swap in ((left, right, False), (right, left, True)):
        if isinstance(a, datetime) and isinstance(b, str):
            try:
                b = parse_datetime(b)
            except ValueError:
                return left, right
            return (b, a) if swap else (a, b)
        if isinstance(a, Decimal) and isinstance(b, str):
            try:
                b = Decimal(b)
            except InvalidOperation:
                return left, right
            if not b.is_finite():  # "NaN"/"Infinity" are not amounts: compare as text (a type error below)
                return left, right
            return (b, a) if swap else (a, b)
    return left, right


def _compare(op: str, left: Any, right: Any) -> bool:
    left, right = _coerce_pair(left, right)
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    if left is None or right is None:
        return False
    try:
        if op == "<":
            return left < right
        if op == ">":
            return left > right
        if op == "<=":
            return left <= right
        if op == ">=":
            return left >= right
    except (TypeError, InvalidOperation):
        raise QueryParseException(
            f"Operator '{op}' incompatible with operand types '{type(left).__name__}' and "
            f"'{type(right).__name__}'") from None
    raise QueryParseException(f"Unknown operator '{op}'")


def evaluate(expr: Expr, record: Mapping[str, Any]) -> Any:
    """The value of ``expr`` for ``record`` (see :func:`matches`)."""
    if isinstance(expr, Literal):
        return expr.value
    if isinstance(expr, Path):
        return lookup(record, expr.parts)
    if isinstance(expr, Compare):
        return _compare(expr.op, evaluate(expr.left, record), evaluate(expr.right, record))
    if isinstance(expr, BoolOp):
        if expr.op == "and":
            return all(_truth(evaluate(i, record)) for i in expr.items)
        return any(_truth(evaluate(i, record)) for i in expr.items)
    if isinstance(expr, Not):
        return not _truth(evaluate(expr.item, record))
    if isinstance(expr, Call):
        target = _normalise(evaluate(expr.target, record))
        if target is None:
            return None if expr.method in ("tolower", "toupper") else False
        text = str(target)
        if expr.method == "tolower":
            return text.lower()
        if expr.method == "toupper":
            return text.upper()
        arg = evaluate(expr.args[0], record)
        if arg is None:
            return False
        arg = str(_normalise(arg))
        if expr.method == "contains":
            return arg in text
        if expr.method == "startswith":
            return text.startswith(arg)
        return text.endswith(arg)
    raise QueryParseException(f"Unsupported expression {expr!r}")


def _truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise QueryParseException("Expression of type 'Boolean' expected")


def matches(expr: Expr | None, record: Mapping[str, Any]) -> bool:
    """Whether ``record`` satisfies ``expr`` (``None`` matches everything).

    Args:
        expr: from :func:`parse_where`.
        record: nested mapping with Xero's field names; values ``str``/``Decimal``/``bool``/``date``/aware
            ``datetime``/``None``/enums.

    Raises:
        QueryParseException: the expression is not boolean, or compares incompatible types.
    """
    if expr is None:
        return True
    return _truth(evaluate(expr, record))


def _cmp_values(a: Any, b: Any) -> int:
    a, b = _normalise(a), _normalise(b)
    if a is None or b is None:  # nulls sort first, as SQL Server (Xero's store) does ascending
        return (a is not None) - (b is not None)
    if isinstance(a, str) and isinstance(b, str):
        a, b = a.lower(), b.lower()
    try:
        return (a > b) - (a < b)
    except TypeError:
        return (str(a) > str(b)) - (str(a) < str(b))


def sort_records(records: Sequence[Mapping[str, Any]], order: Sequence[OrderTerm]) -> list[Mapping[str, Any]]:
    """Stable sort by ``order`` terms (first term has precedence; strings compare case-insensitively)."""

    def cmp(x: Mapping[str, Any], y: Mapping[str, Any]) -> int:
        for term in order:
            c = _cmp_values(lookup(x, term.path), lookup(y, term.path))
            if c:
                return -c if term.descending else c
        return 0

    return sorted(records, key=functools.cmp_to_key(cmp))
