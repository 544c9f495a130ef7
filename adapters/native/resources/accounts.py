"""Chart of accounts: create (PUT /Accounts, one element) and update (POST /Accounts/{AccountID}).

Rules (https://developer.xero.com/documentation/api/accounting/accounts; spec ``components.schemas.Account``):

- ``Code`` (max 10 characters) and ``Name`` (max 150) are unique within the chart; ``Code`` is optional for BANK
  accounts; ``Description`` is at most 4000 characters.
- ``Type`` is one of the spec's ``AccountType`` values; ``Class`` is derived from it (read-only).
- BANK accounts need ``BankAccountNumber``; their ``CurrencyCode`` defaults to the base currency.
- ``TaxType`` must be a tax rate of the organisation that can apply to the account's class.
- System accounts (``SystemAccount`` set) keep their ``Code`` and ``Type`` and cannot be archived.
- ``Status`` is ``ACTIVE`` or ``ARCHIVED`` (``DELETED`` goes through DELETE /Accounts/{AccountID}).
"""

from __future__ import annotations

from typing import Any

from gateway.xero import models as xm
from gateway.xero.errors import NotFound

from .. import codes, messages
from ..books import Books
from ..tables.core import Account
from ..validation import ElementInvalid, parse_element, provided, text

ACCOUNT_STATUSES = ("ACTIVE", "ARCHIVED")
MAX_CODE_LENGTH = 10
#: spec Account.Name / Account.Description: "(max length = 150)" / "(max length = 4000)".
MAX_NAME_LENGTH = 150
MAX_DESCRIPTION_LENGTH = 4000


def _validate(books: Books, model: xm.Account, existing: Account | None) -> list[str]:
    errors: list[str] = []
    types = codes.class_by_type()
    code = text(model.Code) if provided(model, "Code") else (existing.code if existing else None)
    name = text(model.Name) if provided(model, "Name") else (existing.name if existing else None)
    acc_type = model.Type if provided(model, "Type") and model.Type else (existing.type if existing else None)
    if existing is not None and existing.system_account:
        if (provided(model, "Code") and code != existing.code) or (acc_type != existing.type):
            errors.append(messages.SYSTEM_ACCOUNT_EDIT)
        if model.Status == "ARCHIVED":
            errors.append(messages.SYSTEM_ACCOUNT_ARCHIVE)
    if name is None:
        errors.append(messages.ACCOUNT_NAME_REQUIRED)
    elif len(name) > MAX_NAME_LENGTH:
        errors.append(messages.FIELD_TOO_LONG.format(field="Name", max=MAX_NAME_LENGTH))
    description = text(model.Description)
    if description is not None and len(description) > MAX_DESCRIPTION_LENGTH:
        errors.append(messages.FIELD_TOO_LONG.format(field="Description", max=MAX_DESCRIPTION_LENGTH))
    if acc_type not in types:
        errors.append(messages.ACCOUNT_TYPE_INVALID.format(type=acc_type))
    elif existing is not None and (existing.type == "BANK") != (acc_type == "BANK"):
        errors.append(messages.ACCOUNT_TYPE_CHANGE_BANK)
    if code is None and acc_type != "BANK":
        errors.append(messages.ACCOUNT_CODE_REQUIRED)
    if code is not None:
        if len(code) > MAX_CODE_LENGTH:
            errors.append(messages.ACCOUNT_CODE_TOO_LONG)
        clash = books.account_by_code(code)
        if clash is not None and (existing is None or clash.id != existing.id):
            errors.append(messages.ACCOUNT_CODE_UNIQUE)
    if name is not None:
        for other in books.accounts.values():
            if other.name.lower() == name.lower() and (existing is None or other.id != existing.id):
                errors.append(messages.ACCOUNT_NAME_UNIQUE)
                break
    if acc_type == "BANK":
        number = text(model.BankAccountNumber) if provided(model, "BankAccountNumber") else (
            existing.bank_account_number if existing else None)
        if not number:
            errors.append(messages.BANK_ACCOUNT_NUMBER_REQUIRED)
        if model.CurrencyCode and model.CurrencyCode not in books.currencies:
            errors.append(messages.ACCOUNT_CURRENCY_INVALID.format(code=model.CurrencyCode))
    if model.TaxType:
        rate = books.tax_rates.get(model.TaxType)
        if rate is None or rate.status != "ACTIVE" or (
                acc_type in types and types[acc_type] not in (rate.applies_to or [])):
            errors.append(messages.ACCOUNT_TAX_TYPE_INVALID.format(tax_type=model.TaxType))
    if model.Status is not None and model.Status not in ACCOUNT_STATUSES:
        errors.append(messages.ACCOUNT_STATUS_INVALID)
    return errors


async def write(books: Books, element: dict[str, Any], *, account_id: str | None = None) -> Account:
    """Validate then create (``account_id`` ``None``) or update one account.

    Returns:
        The written row (flushed, registered in ``books``).

    Raises:
        ElementInvalid: the element is invalid (nothing written).
        NotFound: update of an unknown ``account_id``.
    """
    model = parse_element(xm.Account, element)
    existing = None
    if account_id is not None:
        existing = books.accounts.get(account_id.lower())
        if existing is None:
            raise NotFound()
    errors = _validate(books, model, existing)
    if errors:
        raise ElementInvalid(errors)
    now = books.now()
    if existing is None:
        acc_type = model.Type or ""
        existing = Account(id=books.new_id("account"), company_id=books.company.id, name="", type=acc_type,
                           tax_type="NONE", status="ACTIVE", updated_utc=now,
                           currency_code=books.company.base_currency if acc_type == "BANK" else None,
                           bank_account_type="BANK" if acc_type == "BANK" else None)
        books.session.add(existing)
    for field, column in (("Code", "code"), ("Name", "name"), ("Type", "type"), ("Description", "description"),
                          ("BankAccountNumber", "bank_account_number"), ("ReportingCode", "reporting_code")):
        if provided(model, field):
            value = getattr(model, field)
            setattr(existing, column, text(value) if isinstance(value, str) else value)
    for field, column in (("TaxType", "tax_type"), ("Status", "status"), ("BankAccountType", "bank_account_type"),
                          ("CurrencyCode", "currency_code"), ("EnablePaymentsToAccount", "enable_payments"),
                          ("ShowInExpenseClaims", "show_in_expense_claims"), ("AddToWatchlist", "add_to_watchlist")):
        value = getattr(model, field)
        if value is not None and value != "":
            setattr(existing, column, value)
    existing.updated_utc = now
    books.add_account(existing)
    await books.session.flush()
    return existing
