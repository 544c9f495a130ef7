"""Reading the Xero request elements the writes need (text stripped, GUIDs lower-case, money ``Decimal``, dates
in every form Xero clients send: ``gateway.xero.dates``). Each reader raises :class:`Invalid` with Xero's wording
of the problem; the caller echoes the element with it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from gateway.xero.dates import parse_date


class Invalid(ValueError):
    """An element field Sage 50 cannot take (the message is shown to the client)."""


def text(element: Mapping[str, Any], name: str) -> str:
    value = element.get(name)
    return "" if value is None else str(value).strip()


def sub(element: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = element.get(name)
    return value if isinstance(value, Mapping) else {}


def items(element: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    value = element.get(name)
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def amount(element: Mapping[str, Any], name: str, *, default: Decimal | None = None) -> Decimal | None:
    value = element.get(name)
    if value is None or value == "":
        return default
    try:
        parsed = Decimal(str(value))
    except InvalidOperation:
        raise Invalid(f"{name} must be a number") from None
    if not parsed.is_finite():
        raise Invalid(f"{name} must be a number")
    return parsed


def day(element: Mapping[str, Any], name: str) -> date | None:
    value = element.get(name)
    if value is None or value == "":
        return None
    try:
        return parse_date(value)
    except (ValueError, TypeError):
        raise Invalid(f"{name} is not a valid date") from None
