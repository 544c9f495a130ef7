"""Query parameters, typed as the spec declares them and read case-insensitively (:class:`Parameters`).

Xero matches query parameter names case-insensitively (``pagesize``, ``FromDate``), so every name here is matched
so. Each operation's parameters carry the type its spec entry gives (``xero_accounting.yaml``, copied into
``mappings/xero_operations.toml`` as ``query_types`` by ``tools/gen_operations.py``); :func:`parse_parameters`
turns the query string into typed values once, in the front end, and adapters read them from
``XeroRequest.parameters``.

Kinds (:data:`Kind`) and the rule for each value (the text is stripped first; empty text counts as absent):

- ``"string"``: the text as sent.
- ``"date"`` (spec ``format: date``): ``YYYY-MM-DD`` (xero-python serialises ``date`` objects so); an ISO
  date-time or ``/Date(ms)/`` is read as its calendar date (:func:`gateway.xero.dates.parse_date`).
- ``"uuid"`` (spec ``format: uuid``): a GUID by :mod:`gateway.xero.guids`'s rule, lower-case hyphenated.
- ``"integer"``: an optional sign and decimal digits.
- ``"boolean"``: ``true`` or ``false`` in any case (xero-python sends Python's ``True``/``False``). Anything else
  is refused with a 400, as the front end always did for ``includeArchived`` & co; no value silently reads as
  ``false``.
- ``"array"``/``"array:uuid"``: comma-separated and/or repeated (xero-python sends CSV, Xero-Java repeats the
  parameter); items stripped, GUID items normalised.
- an enum (a tuple of the spec's values): matched case-insensitively, answered in the spec's spelling.

Parameters the spec types as plain strings but an adapter reads as something else (e.g. the reports'
``trackingCategoryID``, a GUID in practice) go through the same rules with the accessors (:meth:`Parameters.date`,
:meth:`Parameters.guid`, …), so that a value is parsed by one rule wherever it is read.

A bad value raises ``ValidationException`` (HTTP 400) whose message names the parameter and repeats the value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .dates import parse_date
from .errors import ValidationException
from .guids import normalise_guid

#: A parameter's type: a kind name (module docstring) or the spec's enum values.
Kind = str | tuple[str, ...]
KINDS = frozenset({"string", "date", "uuid", "integer", "boolean", "array", "array:uuid"})


def invalid(message: str) -> ValidationException:
    """A 400 ``ValidationException`` with one message (the parameters' error)."""
    return ValidationException.single(message)


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None


def read_date(name: str, text: str) -> dt.date:
    """``text`` as a date (``YYYY-MM-DD``, ISO date-time, ``/Date(ms)/``).

    Raises:
        ValidationException: not a date; the message names ``name``.
    """
    try:
        return parse_date(text)
    except (TypeError, ValueError):
        raise invalid(f"{name} must be a date (YYYY-MM-DD); '{text}' is not") from None


def read_guid(name: str, text: str) -> str:
    """``text`` as a lower-case hyphenated GUID.

    Raises:
        ValidationException: not a GUID; the message names ``name``.
    """
    guid = normalise_guid(text)
    if guid is None:
        raise invalid(f"'{text}' in {name} is not a valid GUID")
    return guid


def read_integer(name: str, text: str) -> int:
    """``text`` as a whole number (optional sign, decimal digits).

    Raises:
        ValidationException: not a whole number; the message names ``name``.
    """
    digits = text[1:] if text[:1] in "+-" else text
    if not (digits.isascii() and digits.isdigit()):
        raise invalid(f"{name} must be a whole number; '{text}' is not")
    return int(text)


def read_boolean(name: str, text: str) -> bool:
    """``true``/``false`` in any case.

    Raises:
        ValidationException: any other text; the message names ``name``.
    """
    lowered = text.lower()
    if lowered not in ("true", "false"):
        raise invalid(f"{name} must be true or false; '{text}' is not")
    return lowered == "true"


def read_enum(name: str, text: str, values: Iterable[str]) -> str:
    """One of ``values``, matched case-insensitively and answered in its spelling there.

    Raises:
        ValidationException: not one of ``values``; the message names ``name`` and lists them.
    """
    values = tuple(values)
    found = next((v for v in values if v.lower() == text.lower()), None)
    if found is None:
        raise invalid(f"{name} must be one of {', '.join(values)}; '{text}' is not")
    return found


def _items(values: Iterable[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _read(name: str, kind: Kind, values: list[str]) -> Any:
    """The typed value of one parameter (``values``: every value sent, in order); ``None`` when blank."""
    if kind == "array":
        return _items(values)
    if kind == "array:uuid":
        return [read_guid(name, item) for item in _items(values)]
    text = _text(values[0]) if values else None
    if text is None:
        return None
    if isinstance(kind, tuple):
        return read_enum(name, text, kind)
    if kind == "date":
        return read_date(name, text)
    if kind == "uuid":
        return read_guid(name, text)
    if kind == "integer":
        return read_integer(name, text)
    if kind == "boolean":
        return read_boolean(name, text)
    return text


class Parameters(Mapping[str, Any]):
    """The query parameters of one call, by case-insensitive name: typed values for the parameters the operation
    declares (module docstring), the stripped text for any other one; blank values are absent.

    Args:
        values: lower-cased name → typed value (:func:`parse_parameters` builds it).
        names: lower-cased name → the spelling the spec (or else the client) uses, for messages.
    """

    def __init__(self, values: Mapping[str, Any] | None = None, names: Mapping[str, str] | None = None) -> None:
        self._values = {k.lower(): v for k, v in (values or {}).items() if v is not None}
        self._names = {k.lower(): v for k, v in (names or {}).items()}

    def __getitem__(self, name: str) -> Any:
        return self._values[name.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names.get(k, k) for k in self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._values

    def __repr__(self) -> str:
        return f"Parameters({dict(self.items())!r})"

    # Accessors: the value by its type, reading text the spec leaves untyped by the same rules. --------------------

    def text(self, name: str) -> str | None:
        """The parameter as text (``None`` when absent); typed values are given back as Xero writes them."""
        value = self._values.get(name.lower())
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return ",".join(str(v) for v in value)
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    def date(self, name: str) -> dt.date | None:
        """A date parameter (``None`` when absent). Raises ``ValidationException`` naming ``name``."""
        value = self._values.get(name.lower())
        return read_date(name, value) if isinstance(value, str) else value

    def guid(self, name: str) -> str | None:
        """A GUID parameter, lower-case hyphenated (``None`` when absent). Raises ``ValidationException``."""
        value = self._values.get(name.lower())
        return read_guid(name, value) if isinstance(value, str) else value

    def boolean(self, name: str, default: bool | None = None) -> bool | None:
        """A boolean parameter (``default`` when absent). Raises ``ValidationException`` naming ``name``."""
        value = self._values.get(name.lower())
        if value is None:
            return default
        return read_boolean(name, value) if isinstance(value, str) else bool(value)

    def integer(self, name: str, *, low: int | None = None, high: int | None = None) -> int | None:
        """A whole-number parameter within ``low … high`` when given (``None`` when absent).

        Raises:
            ValidationException: not a whole number, or out of bounds; the message names ``name``.
        """
        value = self._values.get(name.lower())
        if value is None:
            return None
        number = read_integer(name, value) if isinstance(value, str) else int(value)
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = (f"from {low} to {high}" if low is not None and high is not None
                      else f"of at least {low}" if low is not None else f"of at most {high}")
            raise invalid(f"{name} must be a whole number {bounds}; '{self.text(name)}' is not")
        if abs(number) > MAX_WHOLE_NUMBER:
            raise invalid(f"{name} must be a whole number of at most {MAX_WHOLE_NUMBER}; '{self.text(name)}' is not")
        return number

    def items_of(self, name: str) -> list[str]:
        """A list parameter (CSV and/or repeated), ``[]`` when absent."""
        value = self._values.get(name.lower())
        if value is None:
            return []
        return list(value) if isinstance(value, list) else _items([value])


#: Largest whole-number query parameter (``page``, ``offset``, ``periods`` …) accepted. Ours: Xero's spec declares
#: them ``integer`` without a format, and its .NET back end reads them as 32-bit; a larger value would overflow a
#: database's 64-bit ``OFFSET`` once multiplied by the page size (a 500).
MAX_WHOLE_NUMBER = 2**31 - 1


def parse_parameters(query: Iterable[tuple[str, str]], types: Mapping[str, Kind]) -> Parameters:
    """Type the query string of one call.

    Args:
        query: ``(name, value)`` pairs as sent (repeated names allowed), e.g. ``request.query.items()``.
        types: the operation's declared parameters, spec spelling → :data:`Kind` (``Operation.query_types``).

    Returns:
        :class:`Parameters`: declared parameters typed, any other one as stripped text (first value; repeated
        values comma-joined).

    Raises:
        ValidationException: a declared parameter's value breaks its kind's rule (400 naming it).
    """
    declared = {name.lower(): (name, kind) for name, kind in types.items()}
    sent: dict[str, list[str]] = {}
    spelling: dict[str, str] = {}
    for name, value in query:
        sent.setdefault(name.lower(), []).append(value)
        spelling.setdefault(name.lower(), name)
    values: dict[str, Any] = {}
    for key, given in sent.items():
        if key in declared:
            name, kind = declared[key]
            spelling[key] = name
            values[key] = _read(name, kind, given)
        else:
            values[key] = _text(",".join(given))
    return Parameters(values, spelling)
