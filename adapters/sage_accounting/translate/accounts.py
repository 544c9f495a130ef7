"""Accounts ↔ Sage ``ledger_accounts`` (and ``bank_accounts`` for Xero's BANK accounts).

Read (Sage → Xero ``Account``; swagger ``LedgerAccount`` / ``BankAccount``):

- ``AccountID`` ← GUID of the ledger account; ``Code`` ← ``nominal_code`` (a whole number in Sage, shown as text);
  ``Name`` ← ``name``; ``Type``/``Class`` ← ``ledger_account_type.id`` through ``mappings/sage_account_types.toml``;
  ``TaxType`` ← ``tax_rate.id`` in the account's direction (revenue accounts: output, others: input;
  ``mappings/sage_tax.toml``); ``Status`` ← ``ACTIVE``, or ``ARCHIVED`` when the account is not
  ``included_in_chart`` (inferred: Sage has no archived flag on ledger accounts); ``UpdatedDateUTC`` ← ``updated_at``.
- A BANK ledger account is completed from the bank account that carries it (``bank_account.ledger_account``,
  upstream-contracts.md §2): ``BankAccountNumber`` ← ``bank_account_details.account_number``, preceded by its
  ``sort_code`` when Sage has one, as Xero's UK bank accounts show it ("20-32-06 40312087"), ``BankAccountType`` ←
  ``bank_account_type.id`` through the table, ``CurrencyCode`` ← ``currency.id``. A bank account whose ledger
  account the ledger list lacks is shown on its own (same rules, ``Name`` from its ``displayed_as``).

Write (Xero ``Account`` element → Sage body, swagger ``postLedgerAccounts``/``postBankAccounts``/``put…``):

- ``Type`` BANK → ``POST /bank_accounts`` ``{bank_account_type_id, nominal_code, bank_account_details{account_name,
  account_number}, currency_id}``; any other type → ``POST /ledger_accounts`` ``{ledger_account_type_id,
  included_in_chart, name, display_name, nominal_code, tax_rate_id}`` (the spec's required fields).
- ``Code`` must be a whole number (Sage's ``nominal_code`` is an integer).
- A ``BankAccountNumber`` that starts with a UK sort code ("20-32-06 40312087", dashes optional) is written as
  ``sort_code`` "20-32-06" and ``account_number`` "40312087", so that it reads back as sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from adapters.common import fields
from gateway.xero.errors import ValidationException
from gateway.xero.models import Account

from .. import messages
from ..codes import Direction, tables
from .common import Tx, ref_id, sage_datetime, xero_text

BANK = "BANK"


def direction_of_class(xero_class: str) -> Direction:
    """Tax direction of an account class (``mappings/sage_tax.toml`` header)."""
    return "output" if xero_class == "REVENUE" else "input"


def account_code(ledger_account: Mapping[str, Any] | None) -> str | None:
    """Xero ``Code`` of a ledger account (its ``nominal_code`` as text)."""
    if not ledger_account:
        return None
    code = ledger_account.get("nominal_code")
    return None if code in (None, "") else str(code)


#: A UK sort code (six digits, in pairs, dashes optional) then the account number, as Xero's UK bank accounts write
#: ``BankAccountNumber`` ("20-32-06 40312087").
UK_NUMBER = re.compile(r"^\s*(\d{2})-?(\d{2})-?(\d{2})\s+(\S+)\s*$")


def bank_account_number(details: Mapping[str, Any]) -> str | None:
    """Xero's ``BankAccountNumber`` of Sage ``bank_account_details``: ``"{sort_code} {account_number}"``, the sort
    code in Xero's dashed pairs, or the account number alone when Sage has no sort code (``None`` without a number)."""
    number = str(details.get("account_number") or "").strip()
    if not number:
        return None
    digits = re.sub(r"\D", "", str(details.get("sort_code") or ""))
    if len(digits) != 6:  # no sort code, or not a UK one: the number as Sage has it
        return number
    return f"{digits[0:2]}-{digits[2:4]}-{digits[4:6]} {number}"


def bank_details_body(number: str) -> dict[str, str]:
    """Sage ``bank_account_details`` members of a Xero ``BankAccountNumber`` (module docstring)."""
    found = UK_NUMBER.match(number)
    if found is None:
        return {"account_number": number}
    return {"sort_code": "-".join(found.group(1, 2, 3)), "account_number": found.group(4)}


def _bank_fields(bank: Mapping[str, Any]) -> dict[str, Any]:
    t = tables()
    entry = t.bank_types.get(ref_id(bank.get("bank_account_type")) or "")
    details = bank.get("bank_account_details") or {}
    currency = ref_id(bank.get("currency"))
    return {"BankAccountNumber": bank_account_number(details),
            "BankAccountType": entry.xero if entry else BANK,
            "CurrencyCode": currency}


def account_from_sage(row: Mapping[str, Any], tx: Tx) -> Account:
    """One ledger account (completed from its bank account when it is one) as a Xero Account."""
    t = tables()
    xero_type, xero_class = t.xero_account_type(ref_id(row.get("ledger_account_type")))
    fields: dict[str, Any] = {
        "AccountID": tx.guid("ledger_accounts", row["id"]),
        "Code": account_code(row),
        "Name": row.get("name") or row.get("display_name") or row.get("displayed_as"),
        "Type": xero_type,
        "Class": xero_class,
        "Status": "ARCHIVED" if row.get("included_in_chart") is False else "ACTIVE",
        "TaxType": t.xero_tax_type(ref_id(row.get("tax_rate")), direction_of_class(xero_class)),
        "UpdatedDateUTC": sage_datetime(row.get("updated_at")),
    }
    if xero_type == BANK:
        bank = tx.refs.bank_account_for_ledger(str(row["id"]))
        if bank is not None:
            fields.update(_bank_fields(bank))
    return Account(**fields)


def bank_only_account(bank: Mapping[str, Any], tx: Tx) -> Account:
    """A bank account whose ledger account is not in the ledger list."""
    ledger_id = ref_id(bank.get("ledger_account"))
    code = bank.get("nominal_code")
    return Account(
        AccountID=tx.guid("ledger_accounts", ledger_id) if ledger_id else tx.guid("bank_accounts", bank["id"]),
        Code=None if code in (None, "") else str(code),
        Name=(bank.get("bank_account_details") or {}).get("account_name") or bank.get("displayed_as"),
        Type=BANK, Class="ASSET", Status="ARCHIVED" if bank.get("is_active") is False else "ACTIVE",
        UpdatedDateUTC=sage_datetime(bank.get("updated_at")), **_bank_fields(bank))


def accounts_from_refs(tx: Tx) -> list[Account]:
    """Every account of the business: ledger accounts, then bank accounts missing from them."""
    out = [account_from_sage(row, tx) for row in tx.refs.rows("ledger_accounts")]
    listed = {str(r["id"]) for r in tx.refs.rows("ledger_accounts")}
    for bank in tx.refs.rows("bank_accounts"):
        if ref_id(bank.get("ledger_account")) not in listed:
            out.append(bank_only_account(bank, tx))
    return out


# Writes -----------------------------------------------------------------------------------------------------------

def _nominal_code(element: Mapping[str, Any], *, required: bool) -> int | None:
    code = xero_text(element, "Code")
    if code is None:
        if required:
            raise ValidationException.single(messages.ACCOUNT_CODE_REQUIRED, dict(element))
        return None
    if not code.isdigit():
        raise ValidationException.single(messages.ACCOUNT_CODE_NUMERIC, dict(element))
    return int(code)


def _tax_rate_id(element: Mapping[str, Any], tx: Tx) -> str | None:
    tax_type = xero_text(element, "TaxType")
    if tax_type is None:
        return None
    sage_id = tables().sage_tax_rate(tax_type)
    if tx.refs.tax_rate(sage_id) is None:
        raise ValidationException.single(messages.TAX_TYPE_INVALID.format(tax_type=tax_type), dict(element))
    return sage_id


def _status_in_chart(element: Mapping[str, Any]) -> bool | None:
    status = xero_text(element, "Status")
    if status is None:
        return None
    if status.upper() not in ("ACTIVE", "ARCHIVED"):
        raise ValidationException.single(messages.ACCOUNT_STATUS_INVALID, dict(element))
    return status.upper() == "ACTIVE"


def create_body(element: Mapping[str, Any], tx: Tx) -> tuple[str, str, dict[str, Any]]:
    """``(resource, wrapper, body)`` creating the account ``element`` describes.

    Raises:
        ValidationException: no Name or Code, a Code that is not a number, an unknown Type or TaxType.
    """
    name = xero_text(element, "Name")
    if name is None:
        raise ValidationException.single(messages.ACCOUNT_NAME_REQUIRED, dict(element))
    xero_type = (xero_text(element, "Type") or "").upper()
    t = tables()
    if xero_type == BANK:
        bank_type = t.bank_type_for_xero.get((xero_text(element, "BankAccountType") or "BANK").upper())
        if bank_type is None:
            raise ValidationException.single(messages.ACCOUNT_TYPE_INVALID.format(
                type=element.get("BankAccountType")), dict(element))
        body: dict[str, Any] = {"bank_account_type_id": bank_type,
                                "bank_account_details": {"account_name": name}}
        code = _nominal_code(element, required=False)
        if code is not None:
            body["nominal_code"] = code
        number = xero_text(element, "BankAccountNumber")
        if number:
            body["bank_account_details"].update(bank_details_body(number))
        currency = xero_text(element, "CurrencyCode")
        if currency:
            body["currency_id"] = currency.upper()
        return "bank_accounts", "bank_account", body
    sage_type = t.ledger_type_for_xero.get(xero_type)
    if sage_type is None:
        raise ValidationException.single(messages.ACCOUNT_TYPE_INVALID.format(type=element.get("Type")),
                                         dict(element))
    body = {"ledger_account_type_id": sage_type, "included_in_chart": _status_in_chart(element) is not False,
            "name": name, "display_name": name, "nominal_code": _nominal_code(element, required=True)}
    tax_rate = _tax_rate_id(element, tx)
    if tax_rate:
        body["tax_rate_id"] = tax_rate
    return "ledger_accounts", "ledger_account", body


def update_body(element: Mapping[str, Any], tx: Tx, *, bank: bool) -> dict[str, Any]:
    """The ``PUT`` body of an update (only what the element sends; swagger ``putLedgerAccounts`` /
    ``putBankAccounts``).

    Raises:
        ValidationException: as :func:`create_body`.
    """
    name = xero_text(element, "Name")
    code = _nominal_code(element, required=False)
    if bank:
        body: dict[str, Any] = {}
        details: dict[str, Any] = {}
        if name:
            details["account_name"] = name
        number = xero_text(element, "BankAccountNumber")
        if number:
            details.update(bank_details_body(number))
        if details:
            body["bank_account_details"] = details
        if code is not None:
            body["nominal_code"] = code
        active = _status_in_chart(element)
        if active is not None:
            body["is_active"] = active
        return body
    body = {}
    if name:
        body.update(name=name, display_name=name)
    if code is not None:
        body["nominal_code"] = code
    tax_rate = _tax_rate_id(element, tx)
    if tax_rate:
        body["tax_rate_id"] = tax_rate
    in_chart = _status_in_chart(element)
    if in_chart is not None:
        body["included_in_chart"] = in_chart
    if xero_text(element, "Type"):
        sage_type = tables().ledger_type_for_xero.get(str(element["Type"]).upper())
        if sage_type is None or sage_type == BANK:
            raise ValidationException.single(messages.ACCOUNT_TYPE_INVALID.format(type=element.get("Type")),
                                             dict(element))
        body["ledger_account_type_id"] = sage_type
    return body


#: What :func:`account_from_sage` and :func:`bank_only_account` make of every Xero Account field.
ACCOUNT_FIELDS = fields.FieldMap(
    "Accounts", Account,
    fields.computed("AccountID", "uuid5 of business_id/ledger_accounts/id (bank_accounts/id without a ledger)"),
    fields.populated("Code", "ledger_accounts.nominal_code"),
    fields.populated("Name", "ledger_accounts.name (else display_name)"),
    fields.populated("Type", "ledger_account_type.id (mappings/sage_account_types.toml)",
                     note="Sage has fewer types: Xero's EXPENSE is written as OVERHEADS and reads back so"),
    fields.populated("BankAccountNumber", "bank_accounts.bank_account_details.sort_code and account_number "
                                          "(\"20-32-06 40312087\"; the number alone without a sort code)",
                     condition="bank accounts with details"),
    fields.populated("Status", "ledger_accounts.included_in_chart (false ARCHIVED)"),
    fields.populated("BankAccountType", "bank_accounts.bank_account_type.id", condition="bank accounts only"),
    fields.populated("CurrencyCode", "bank_accounts.currency.id", condition="bank accounts only"),
    fields.populated("TaxType", "ledger_accounts.tax_rate.id (mappings/sage_tax.toml)", condition="when set"),
    fields.populated("Class", "ledger_account_type.id (mappings/sage_account_types.toml)"),
    fields.populated("UpdatedDateUTC", "updated_at"),
    fields.lost("Description", reason="not translated: Sage's ledger account has no description"),
    fields.lost("EnablePaymentsToAccount", "ShowInExpenseClaims", "AddToWatchlist",
                reason="Sage's ledger accounts have no such flags"),
    fields.lost("SystemAccount", reason="not translated: Sage's control_name is not read"),
    fields.lost("ReportingCode", "ReportingCodeName", reason="Sage has no reporting codes"),
    fields.lost("HasAttachments", reason="Sage ledger accounts take no attachments"),
    fields.write_outcome(Account),
)
