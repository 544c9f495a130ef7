"""Readers for the fields of Xero request elements: one rule per kind of value, for every adapter.

A request element is a dict with Xero's names, as :mod:`gateway.api.body` reads it from JSON or XML
(``XeroRequest.elements``). JSON bodies carry numbers and booleans as JSON values; XML bodies carry every value
as text (``<IsSupplier>true</IsSupplier>``, ``<Quantity>2.5</Quantity>``), so every reader takes both.

The rules (they were two sets, QBO's and Sage's, before; the stricter of each pair was kept):

- **text**: stripped of surrounding white space; empty or blank text counts as absent (``None``). Xero trims the
  names and codes it stores, and a value of spaces is no value.
- **numbers**: ``Decimal`` (never ``float``), from JSON numbers or numeric text; booleans, ``NaN`` and
  ``Infinity`` are refused: they are not amounts, and ``Decimal("NaN")`` would poison every sum.
- **booleans**: JSON ``true``/``false``, or the text ``true``/``false`` in any case (as XML bodies carry them).
- **GUIDs**: :mod:`gateway.xero.guids`'s rule, answered lower-case and hyphenated.
- **dates**: ``/Date(ms)/``, ``YYYY-MM-DD`` or an ISO date-time, through :func:`gateway.xero.dates.parse_date`.

A value that breaks its rule raises ``ValidationException`` naming the field (Xero's exact wording for these is
unconfirmed; the shape is shared/notes/xero-contract.md §3), which the gateway answers as a 400, never a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .dates import parse_date
from .errors import ValidationException
from .guids import normalise_guid

Element = Mapping[str, Any]


def text(value: Any) -> str | None:
    """A text value, stripped; ``None`` when absent, empty or blank.

    Args:
        value: any value; non-strings are read through ``str`` (XML and JSON numbers used as codes).
    """
    if value is None:
        return None
    return str(value).strip() or None


def id_text(value: Any) -> str | None:
    """An id as a client sent it: the GUID in Xero's form when it is one, else the stripped text (``None`` when
    absent or blank). For look-ups that also accept codes or numbers in the same field."""
    return normalise_guid(value) or text(value)


def _invalid(element: Element, message: str) -> ValidationException:
    return ValidationException.single(message, dict(element))


def xero_text(element: Element, name: str) -> str | None:
    """The text field ``name`` of ``element`` by the text rule (stripped; ``None`` when absent or blank)."""
    return text(element.get(name))


def xero_number(element: Element, name: str) -> Decimal | None:
    """The numeric field ``name`` of ``element`` as ``Decimal`` (``None`` when absent or empty).

    Raises:
        ValidationException: a boolean, non-numeric text, ``NaN`` or ``Infinity``.
    """
    value = element.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _invalid(element, f"{name} must be a number")
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise _invalid(element, f"{name} must be a number") from None
    if not number.is_finite():
        raise _invalid(element, f"{name} must be a number")
    return number


def xero_bool(element: Element, name: str) -> bool | None:
    """The boolean field ``name`` of ``element`` (``None`` when absent or empty).

    Raises:
        ValidationException: anything but a JSON boolean or ``true``/``false`` text (any case).
    """
    value = element.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    raise _invalid(element, f"{name} must be true or false")


def xero_guid(element: Element, name: str) -> str | None:
    """The GUID field ``name`` of ``element``, lower-case hyphenated (``None`` when absent or blank).

    Raises:
        ValidationException: a value that is not a GUID by :mod:`gateway.xero.guids`'s rule.
    """
    value = text(element.get(name))
    if value is None:
        return None
    guid = normalise_guid(value)
    if guid is None:
        raise _invalid(element, f"{name} must be a GUID; '{value}' is not")
    return guid


def xero_date(element: Element, name: str) -> date | None:
    """The date field ``name`` of ``element`` (``/Date(ms)/``, ``YYYY-MM-DD`` or an ISO date-time; ``None`` when
    absent or empty).

    Raises:
        ValidationException: an unreadable date.
    """
    value = element.get(name)
    if value is None or value == "":
        return None
    try:
        return parse_date(value)
    except (TypeError, ValueError):
        raise _invalid(element, f"{name} is not a valid date") from None
