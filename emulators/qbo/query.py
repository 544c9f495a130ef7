"""QBO's query language (the subset QBO documents), parsed for real and evaluated over a realm's records.

Grammar (upstream-contracts.md §1 "Query"; keywords and names case-insensitive)::

    query    := SELECT ( "*" | COUNT "(" "*" ")" | name ("," name)* ) FROM Entity
                [ WHERE cond ( AND cond )* ]
                [ ORDERBY name [ASC|DESC] ( "," name [ASC|DESC] )* ]      -- "ORDER BY" accepted too
                [ STARTPOSITION int ] [ MAXRESULTS int ]
    cond     := name op literal | name IN "(" literal ("," literal)* ")"
    op       := "=" | "<" | ">" | "<=" | ">=" | LIKE
    literal  := 'text' (quote escaped as \\') | number | true | false
    name     := Ident ( "." Ident )*                                         -- MetaData.LastUpdatedTime

Rules: there is no OR, JOIN or GROUP BY; ``%`` is LIKE's only wildcard; ``Id`` takes only ``=`` and ``IN``;
``STARTPOSITION`` counts from 1; ``MAXRESULTS`` defaults to 100 and cannot exceed 1000. A reference property
(``CustomerRef``) compares its ``value``. Name-list entities return active rows only unless the query filters on
``Active``. Anything else is Fault 4000 ``QueryParserError`` (syntax) or 4001 ``QueryValidationError`` (unknown
entity or property; wordings quoted from QBO by public clients, spacing unconfirmed).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from . import faults
from .clock import parse_datetime

MAX_RESULTS = 1000
DEFAULT_MAX_RESULTS = 100

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<string>'(?:\\.|[^'\\])*')
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<op><=|>=|!=|<>|=|<|>)
  | (?P<punct>[(),*])
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
""", re.VERBOSE)

KEYWORDS = {"select", "from", "where", "and", "or", "orderby", "order", "by", "asc", "desc", "startposition",
            "maxresults", "in", "like", "count", "true", "false", "not", "join", "group", "having", "limit"}


@dataclass(frozen=True)
class Token:
    kind: str  # string | number | op | punct | name | keyword | eof
    text: str
    column: int

    @property
    def upper(self) -> str:
        return self.text.upper()


@dataclass(frozen=True)
class Condition:
    """``field op value`` (``op`` one of = < > <= >= LIKE IN; ``values`` has one item except for IN)."""

    field: str
    op: str
    values: tuple[Any, ...]


@dataclass
class Query:
    """A parsed query."""

    entity: str
    count: bool = False
    fields: list[str] | None = None  # None: SELECT *
    where: list[Condition] = field(default_factory=list)
    order: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    start_position: int = 1
    max_results: int = DEFAULT_MAX_RESULTS


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens.

    Raises:
        QboFault: 4000 on a character the language does not have (QBO: "Lexical error at line 1, column N").
    """
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise faults.query_parse_error(
                f'Invalid content. Lexical error at line 1, column {position + 1}.  Encountered: "{text[position]}"')
        kind = match.lastgroup or ""
        value = match.group()
        if kind != "ws":
            if kind == "name" and value.lower() in KEYWORDS:
                kind = "keyword"
            tokens.append(Token(kind, value, position + 1))
        position = match.end()
    tokens.append(Token("eof", "<EOF>", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index = min(self.index + 1, len(self.tokens) - 1)
        return token

    def error(self, expecting: str) -> faults.QboFault:
        token = self.current
        return faults.query_parse_error(
            f'Encountered " {token.text} "" at line 1, column {token.column}.\nWas expecting:\n    {expecting} ...')

    def keyword(self, *words: str) -> bool:
        if self.current.kind == "keyword" and self.current.text.lower() in words:
            self.advance()
            return True
        return False

    def expect_keyword(self, word: str) -> None:
        if not self.keyword(word):
            raise self.error(f'"{word}"')

    def expect_punct(self, char: str) -> None:
        if self.current.kind == "punct" and self.current.text == char:
            self.advance()
            return
        raise self.error(f'"{char}"')

    def name(self) -> str:
        if self.current.kind == "name":
            return self.advance().text
        raise self.error("<ID>")

    def integer(self) -> int:
        if self.current.kind == "number" and self.current.text.isdigit():
            return int(self.advance().text)
        raise self.error("<INTEGER>")

    def literal(self) -> Any:
        token = self.current
        if token.kind == "string":
            self.advance()
            return re.sub(r"\\(.)", r"\1", token.text[1:-1])
        if token.kind == "number":
            self.advance()
            return Decimal(token.text)
        if token.kind == "keyword" and token.text.lower() in ("true", "false"):
            self.advance()
            return token.text.lower() == "true"
        raise self.error("<STRING>")

    def parse(self) -> Query:
        if self.current.kind == "eof":
            raise faults.query_parse_error("The query provided was empty")
        self.expect_keyword("select")
        count = False
        fields: list[str] | None = None
        if self.current.kind == "punct" and self.current.text == "*":
            self.advance()
        elif self.keyword("count"):
            self.expect_punct("(")
            self.expect_punct("*")
            self.expect_punct(")")
            count = True
        else:
            fields = [self.name()]
            while self.current.kind == "punct" and self.current.text == ",":
                self.advance()
                fields.append(self.name())
        self.expect_keyword("from")
        query = Query(entity=self.name(), count=count, fields=fields)
        if self.keyword("where"):
            query.where.append(self.condition())
            while self.keyword("and"):
                query.where.append(self.condition())
        if self.keyword("orderby") or (self.keyword("order") and self._by()):
            query.order.append(self.order_item())
            while self.current.kind == "punct" and self.current.text == ",":
                self.advance()
                query.order.append(self.order_item())
        if self.keyword("startposition"):
            query.start_position = self.integer()
        if self.keyword("maxresults"):
            query.max_results = self.integer()
        if self.current.kind != "eof":
            raise self.error("<EOF>")
        if query.start_position < 1:
            raise faults.query_validation_error("STARTPOSITION must be 1 or more")
        query.max_results = min(query.max_results, MAX_RESULTS)
        return query

    def _by(self) -> bool:
        self.expect_keyword("by")
        return True

    def order_item(self) -> tuple[str, bool]:
        name = self.name()
        if self.keyword("desc"):
            return name, True
        self.keyword("asc")
        return name, False

    def condition(self) -> Condition:
        name = self.name()
        if self.keyword("in"):
            self.expect_punct("(")
            values = [self.literal()]
            while self.current.kind == "punct" and self.current.text == ",":
                self.advance()
                values.append(self.literal())
            self.expect_punct(")")
            return Condition(name, "IN", tuple(values))
        if self.keyword("like"):
            return Condition(name, "LIKE", (self.literal(),))
        token = self.current
        if token.kind == "op" and token.text in ("=", "<", ">", "<=", ">="):
            self.advance()
            return Condition(name, token.text, (self.literal(),))
        raise self.error('"=" | "<" | ">" | "<=" | ">=" | "IN" | "LIKE"')


def parse(text: str) -> Query:
    """Parse one query.

    Raises:
        QboFault: 4000 (syntax) or 4001 (STARTPOSITION below 1).
    """
    return _Parser(text).parse()


# ------------------------------------------------------------------------------------------------ evaluation


def resolve(record: dict[str, Any], path: str) -> Any:
    """The value at a dotted ``path`` (case-insensitive keys); a reference object yields its ``value``."""
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        key = part if part in value else next((k for k in value if k.lower() == part.lower()), None)
        if key is None:
            return None
        value = value[key]
    if isinstance(value, dict) and "value" in value:
        return value["value"]
    return value


def _comparable(value: Any) -> tuple[int, Any]:
    """A sort/compare key: booleans, numbers, date-times, then text (case-insensitive)."""
    if isinstance(value, bool):
        return (0, value)
    if isinstance(value, (int, float, Decimal)):
        return (1, Decimal(str(value)))
    text = str(value)
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        try:
            return (1, Decimal(text))
        except InvalidOperation:
            pass
    if re.match(r"\d{4}-\d{2}-\d{2}", text):
        moment = parse_datetime(text)
        if moment is not None:
            return (2, moment)
    return (3, text.lower())


def resolve_all(record: dict[str, Any], path: str) -> list[Any]:
    """Every value at a dotted ``path``, through lists of objects (``AttachableRef.EntityRef.value``: QBO's
    documented filter of attachments by the record they are linked to)."""
    values: list[Any] = [record]
    for part in path.split("."):
        found: list[Any] = []
        for value in values:
            for item in value if isinstance(value, list) else [value]:
                if not isinstance(item, dict):
                    continue
                key = part if part in item else next((k for k in item if k.lower() == part.lower()), None)
                if key is not None:
                    found.append(item[key])
        values = found
    flat = [v for value in values for v in (value if isinstance(value, list) else [value])]
    return [v["value"] if isinstance(v, dict) and "value" in v else v for v in flat if v is not None]


def _matches(condition: Condition, record: dict[str, Any]) -> bool:
    actual = resolve(record, condition.field)
    if actual is None:
        candidates = resolve_all(record, condition.field)
        return any(_matches_value(condition, value) for value in candidates)
    return _matches_value(condition, actual)


def _matches_value(condition: Condition, actual: Any) -> bool:
    if condition.op == "LIKE":
        pattern = "^" + ".*".join(re.escape(part) for part in str(condition.values[0]).split("%")) + "$"
        return re.match(pattern, str(actual), re.IGNORECASE | re.DOTALL) is not None
    left = _comparable(actual)
    rights = [_comparable(v) for v in condition.values]
    if condition.op == "IN":
        return any(left == right for right in rights)
    right = rights[0]
    if left[0] != right[0]:
        left, right = (3, str(actual).lower()), (3, str(condition.values[0]).lower())
    compare: dict[str, Callable[[Any, Any], bool]] = {
        "=": lambda a, b: a == b, "<": lambda a, b: a < b, ">": lambda a, b: a > b,
        "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}
    return compare[condition.op](left[1], right[1])


def validate_fields(query: Query, *, known: Callable[[str], bool]) -> None:
    """Check the properties the query names.

    Args:
        known: whether a top-level property exists on the entity (from the XSD when loaded).

    Raises:
        QboFault: 4001 for an unknown property or a range operator on ``Id``.
    """
    names = [c.field for c in query.where] + [f for f, _ in query.order] + list(query.fields or [])
    for name in names:
        head = name.split(".")[0]
        if not known(head):
            raise faults.query_validation_error(f"Property {head} not found for Entity {query.entity}")
    for condition in query.where:
        if condition.field.lower() == "id" and condition.op not in ("=", "IN"):
            raise faults.query_validation_error(f"Operator {condition.op} is not supported for property Id")


def run(query: Query, records: list[dict[str, Any]], *, active_only: bool) -> tuple[list[dict[str, Any]], int]:
    """Filter, order and page ``records``.

    Args:
        records: the entity's live records in Id order.
        active_only: drop ``Active: false`` rows unless the query filters on ``Active`` (name-list entities).

    Returns:
        (the page, the number of matching rows before paging).
    """
    filters_active = any(c.field.lower() == "active" for c in query.where)
    rows = [r for r in records if not (active_only and not filters_active and r.get("Active") is False)]

    def view(record: dict[str, Any]) -> dict[str, Any]:  # a name-list record without Active is active
        return {**record, "Active": record.get("Active", True)} if active_only else record

    rows = [r for r in rows if all(_matches(c, view(r)) for c in query.where)]
    for name, descending in reversed(query.order):
        present = [r for r in rows if resolve(r, name) is not None]
        missing = [r for r in rows if resolve(r, name) is None]
        present.sort(key=lambda r, n=name: _comparable(resolve(r, n)), reverse=descending)
        rows = present + missing
    total = len(rows)
    start = query.start_position - 1
    return rows[start:start + query.max_results], total


def project(record: dict[str, Any], fields: list[str] | None) -> dict[str, Any]:
    """``SELECT a, b``: only those top-level properties, plus ``Id``/``SyncToken``/``domain`` and ``sparse: true``
    (the projected shape is unconfirmed)."""
    if fields is None:
        return record
    wanted = {f.split(".")[0].lower() for f in fields} | {"id", "synctoken", "domain"}
    out = {k: v for k, v in record.items() if k.lower() in wanted}
    out["sparse"] = True
    return out
