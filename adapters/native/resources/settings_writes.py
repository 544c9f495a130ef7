"""Organisation settings writes and reads: currencies, tax rates, account deletion, key actions, CIS settings.

Sources and rules:

- ``PUT /Currencies`` (spec ``createCurrency``, body ``Currency``): adds a currency to the organisation. The code
  must be one the ledger can name (``mappings/currencies.toml``, a subset of the spec's ``CurrencyCode`` enum);
  the ``Description`` is the ledger's name for it. Adding a currency already enabled answers it unchanged.
- ``PUT /TaxRates`` (``createTaxRates``) and ``POST /TaxRates`` (``updateTaxRate``), spec ``TaxRate``:
  ``Name`` is required and unique; ``TaxType`` "can only be used on update calls" (spec ``TaxType``), new rates
  get ``TAX001``, ``TAX002``… as in the spec's examples; ``ReportTaxType`` is required (a UK organisation;
  unconfirmed) and must be one of the UK report tax types the organisation's rates use; the rate's account
  classes (``CanApplyTo*``) follow from it, as the UK default rates of that report type apply. This ledger keeps
  one ``TaxComponent`` per rate (``Rate`` >= 0 percent); compound and non-recoverable components are refused.
  An update names its rate by ``TaxType`` or else by ``Name``; ``Status`` may be ``ACTIVE``, ``ARCHIVED`` or
  ``DELETED`` (spec example of ``updateTaxRate`` deletes a rate with ``Status`` ``DELETED``). The organisation's
  system rates (the UK defaults) cannot be edited (unconfirmed wording).
- ``DELETE /Accounts/{AccountID}`` (``deleteAccount``): only an account nothing refers to (no journal line,
  document line, payment, item…) can be deleted — Xero keeps accounts with transactions, which can be archived
  instead — and system accounts never; the answer is the account with ``Status`` ``DELETED`` (spec example).
- ``GET /Organisation/Actions``: ``mappings/xero_organisation_actions.toml``.
- ``GET /Organisation/{OrganisationID}/CISSettings``: the native ledger has no Construction Industry Scheme, so
  the organisation is neither a CIS contractor nor a subcontractor (spec ``CISOrgSetting``; ``Rate`` applies to
  subcontractors only and is left out).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import func, select

import mappings
from gateway.xero import models as xm
from gateway.xero.errors import NotFound
from gateway.xero.models.catalogue import Action, CISOrgSetting

from .. import codes, messages
from ..books import Books
from ..tables import NativeBase
from ..tables.core import Currency, TaxRate
from ..validation import ElementInvalid, parse_element, provided, text

TAX_RATE_STATUSES = ("ACTIVE", "ARCHIVED", "DELETED")
_CUSTOM_TAX_TYPE = re.compile(r"^TAX(\d+)$")


# Currencies --------------------------------------------------------------------------------------------------

async def add_currency(books: Books, element: dict[str, Any]) -> Currency:
    """Enable a currency for the organisation (``PUT /Currencies``).

    Raises:
        ElementInvalid: no code, or a code the ledger does not know.
    """
    model = parse_element(xm.Currency, element)
    code = (text(model.Code) or "").upper()
    names = codes.currency_names()
    if not code:
        raise ElementInvalid([messages.CURRENCY_CODE_REQUIRED])
    if code not in names:
        raise ElementInvalid([messages.CURRENCY_CODE_INVALID.format(code=code)])
    row = await books.session.get(Currency, (books.company.id, code))
    if row is None:
        row = Currency(company_id=books.company.id, code=code, description=names[code])
        books.session.add(row)
        books.currencies.add(code)
        await books.session.flush()
    return row


# Tax rates ---------------------------------------------------------------------------------------------------

@cache
def report_tax_classes() -> dict[str, frozenset[str]]:
    """UK ``ReportTaxType`` → the account classes its default rates apply to (``mappings/uk_tax_rates.toml``)."""
    out: dict[str, set[str]] = {}
    for rate in codes.uk_tax_rates():
        out.setdefault(rate.report_tax_type, set()).update(rate.applies_to)
    return {k: frozenset(v) for k, v in out.items()}


def is_system_rate(tax_type: str) -> bool:
    """Whether a tax type is one of the organisation's system (default UK) rates."""
    return any(r.tax_type == tax_type for r in codes.uk_tax_rates())


def _next_tax_type(books: Books) -> str:
    numbers = [int(m.group(1)) for t in books.tax_rates if (m := _CUSTOM_TAX_TYPE.match(t))]
    return f"TAX{max(numbers, default=0) + 1:03d}"


def _rate_by_name(books: Books, name: str) -> TaxRate | None:
    wanted = name.strip().lower()
    return next((r for r in books.tax_rates.values() if r.name.strip().lower() == wanted), None)


def _check_rate(books: Books, model: xm.TaxRate, existing: TaxRate | None) -> list[str]:
    errors: list[str] = []
    name = text(model.Name) if existing is None or provided(model, "Name") else existing.name
    if name is None:
        errors.append(messages.TAX_RATE_NAME_REQUIRED)
    else:
        clash = _rate_by_name(books, name)
        if clash is not None and (existing is None or clash.tax_type != existing.tax_type):
            errors.append(messages.TAX_RATE_NAME_UNIQUE.format(name=name))
    if existing is None or provided(model, "TaxComponents"):
        components = model.TaxComponents or []
        if not components:
            errors.append(messages.TAX_RATE_COMPONENTS_REQUIRED)
        elif len(components) > 1 or any(c.IsCompound or c.IsNonRecoverable for c in components):
            errors.append(messages.TAX_RATE_ONE_COMPONENT)
        elif components[0].Rate is None or components[0].Rate < 0:
            errors.append(messages.TAX_RATE_RATE_INVALID)
        elif not text(components[0].Name):
            errors.append(messages.TAX_RATE_COMPONENT_NAME_REQUIRED)
    report = model.ReportTaxType if provided(model, "ReportTaxType") or existing is None else existing.report_tax_type
    if not report:
        errors.append(messages.TAX_RATE_REPORT_TYPE_REQUIRED)
    elif report not in report_tax_classes():
        errors.append(messages.TAX_RATE_REPORT_TYPE_INVALID.format(report_tax_type=report))
    status = model.Status
    if status is not None and (status not in TAX_RATE_STATUSES or (existing is None and status != "ACTIVE")):
        errors.append(messages.TAX_RATE_STATUS_INVALID)
    return errors


def _system_changes(model: xm.TaxRate, row: TaxRate) -> bool:
    """Whether an update asks to change anything on a system rate."""
    if provided(model, "Name") and text(model.Name) != row.name:
        return True
    if provided(model, "ReportTaxType") and model.ReportTaxType != row.report_tax_type:
        return True
    if model.Status is not None and model.Status != row.status:
        return True
    if provided(model, "TaxComponents"):
        comps = model.TaxComponents or []
        return len(comps) != 1 or comps[0].Rate != row.rate or (text(comps[0].Name) or "") != row.component_name
    return False


def _apply_rate(row: TaxRate, model: xm.TaxRate, *, creating: bool) -> None:
    if creating or provided(model, "Name"):
        row.name = text(model.Name) or row.name
    if creating or provided(model, "TaxComponents"):
        component = (model.TaxComponents or [])[0]
        row.rate = Decimal(component.Rate or 0).quantize(Decimal("0.0001"))
        row.component_name = text(component.Name) or row.component_name
    if creating or provided(model, "ReportTaxType"):
        row.report_tax_type = model.ReportTaxType
        row.applies_to = sorted(report_tax_classes()[model.ReportTaxType or ""])
    if model.Status is not None:
        row.status = model.Status


async def create_tax_rate(books: Books, element: dict[str, Any]) -> TaxRate:
    """Create one tax rate (``PUT /TaxRates`` element).

    Raises:
        ElementInvalid: the element is invalid (nothing written).
    """
    model = parse_element(xm.TaxRate, element)
    errors = _check_rate(books, model, None)
    if errors:
        raise ElementInvalid(errors)
    row = TaxRate(company_id=books.company.id, tax_type=_next_tax_type(books), name="", status="ACTIVE",
                  rate=Decimal(0), component_name="", applies_to=[])
    _apply_rate(row, model, creating=True)
    books.session.add(row)
    books.tax_rates[row.tax_type] = row
    await books.session.flush()
    return row


async def update_tax_rate(books: Books, element: dict[str, Any]) -> TaxRate:
    """Update one tax rate (``POST /TaxRates`` element), found by ``TaxType`` or else ``Name``.

    Raises:
        ElementInvalid: unknown rate, a change to a system rate, or an invalid value (nothing written).
    """
    model = parse_element(xm.TaxRate, element)
    tax_type = (text(model.TaxType) or "").upper()
    row = books.tax_rates.get(tax_type) if tax_type else (_rate_by_name(books, model.Name) if text(model.Name)
                                                          else None)
    if row is None:
        raise ElementInvalid([messages.TAX_RATE_NOT_FOUND])
    if is_system_rate(row.tax_type):
        if _system_changes(model, row):
            raise ElementInvalid([messages.TAX_RATE_SYSTEM_EDIT])
        return row
    errors = _check_rate(books, model, row)
    if errors:
        raise ElementInvalid(errors)
    _apply_rate(row, model, creating=False)
    await books.session.flush()
    return row


# Accounts ----------------------------------------------------------------------------------------------------

def _account_references() -> list[Any]:
    """Every column of the native ledger's tables holding a foreign key to ``accounts.id``."""
    columns = []
    for table in NativeBase.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "accounts" and fk.column.name == "id" for fk in column.foreign_keys):
                columns.append(column)
    return columns


async def account_in_use(books: Books, account_id: str) -> bool:
    """Whether any row of any table refers to the account (journal lines, document lines, payments, items…)."""
    for column in _account_references():
        count = await books.session.scalar(select(func.count()).select_from(column.table).where(column == account_id))
        if count:
            return True
    return False


async def delete_account(books: Books, account_id: str) -> xm.Account:
    """Delete an unused, non-system account; answer it with ``Status`` ``DELETED``.

    Args:
        account_id: the ``AccountID`` (normalised GUID).

    Raises:
        NotFound: no such account.
        ElementInvalid: a system account, or one with transactions (archive it instead).
    """
    from ..translate import (
        core as translate,  # local: translate imports the canonical models only, but keep this module light
    )

    row = books.accounts.get(account_id)
    if row is None:
        raise NotFound()
    if row.system_account:
        raise ElementInvalid([messages.ACCOUNT_DELETE_SYSTEM])
    if await account_in_use(books, row.id):
        raise ElementInvalid([messages.ACCOUNT_DELETE_IN_USE])
    answer = translate.account(row)
    answer.Status = "DELETED"
    answer.UpdatedDateUTC = books.now()
    await books.session.delete(row)
    books.accounts.pop(row.id, None)
    await books.session.flush()
    return answer


# Organisation ------------------------------------------------------------------------------------------------

@cache
def action_table() -> dict[str, tuple[str, ...]]:
    """Action name → the operationIds it needs (``mappings/xero_organisation_actions.toml``)."""
    return {name: tuple(ops) for name, ops in mappings.load("xero_organisation_actions")["action"].items()}


def actions(supports: Callable[[str], bool]) -> list[Action]:
    """The organisation's key actions, ``ALLOWED`` when ``supports(operationId)`` holds for every operation the
    action needs (spec ``Action.Status``: ``ALLOWED`` / ``NOT-ALLOWED``), in table order."""
    return [Action(Name=name, Status="ALLOWED" if all(supports(op) for op in ops) else "NOT-ALLOWED")
            for name, ops in action_table().items()]


def cis_settings() -> CISOrgSetting:
    """The organisation's CIS settings: neither contractor nor subcontractor (see the module docstring)."""
    return CISOrgSetting(CISContractorEnabled=False, CISSubContractorEnabled=False)
