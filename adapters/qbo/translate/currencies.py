"""Xero Currencies ↔ QBO home currency + CompanyCurrency.

The organisation's currencies are the home currency (``Preferences.CurrencyPrefs.HomeCurrency``) and every active
CompanyCurrency (multicurrency realms). ``Description`` comes from the gateway's currency table
(``mappings/currencies.toml``), else CompanyCurrency ``Name``. Adding a Xero currency creates a CompanyCurrency
``{Code}`` (CompanyCurrency.json ``create_request``); QBO refuses it when multicurrency is off, and that answer is
passed on.
"""

from __future__ import annotations

from adapters.common import fields
from gateway.xero.errors import ValidationException
from gateway.xero.models import Currency

from .. import codes
from .common import Tx, text


def currencies_to_xero(t: Tx) -> list[Currency]:
    """The realm's currencies, home currency first, then by code."""
    names = codes.currency_names()
    home = t.refs.company.home_currency
    out = {home: Currency(Code=home, Description=names.get(home, home))}
    for row in sorted(t.refs.currencies.rows, key=lambda r: str(r.get("Code"))):
        code = text(row.get("Code"))
        if code and code not in out and row.get("Active", True) is not False:
            out[code] = Currency(Code=code, Description=names.get(code) or text(row.get("Name")) or code)
    return list(out.values())


def currency_to_qbo(element: dict) -> dict:
    """A Xero Currency element as a CompanyCurrency create body.

    Raises:
        ValidationException: no three-letter ``Code``.
    """
    code = text(element.get("Code"))
    if code is None or len(code) != 3 or not code.isalpha():
        raise ValidationException.single("Code must be a three-letter ISO 4217 currency code", element)
    return {"Code": code.upper()}


#: What :func:`currencies_to_xero` makes of every Xero Currency field (docs/fields-1004.md).
CURRENCY_FIELDS = fields.FieldMap(
    "Currencies", Currency,
    fields.populated("Code", "Preferences.CurrencyPrefs.HomeCurrency, CompanyCurrency.Code"),
    fields.computed("Description", "mappings/currencies.toml by Code, else CompanyCurrency.Name"),
)
