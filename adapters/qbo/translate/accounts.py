"""Xero Accounts ↔ QBO Account (``mappings/qbo_accounts.toml``).

Reads: ``Type`` from ``AccountSubType`` (when the table lists it) else ``AccountType``; ``Class`` from
``Classification`` (derived from the type when absent); ``Code`` ↔ ``AcctNum``; ``Status`` ACTIVE/ARCHIVED ↔
``Active``; ``BankAccountType`` for Bank and Credit Card accounts; ``SystemAccount`` DEBTORS/CREDITORS for the A/R
and A/P control accounts; ``TaxType`` from ``TaxCodeRef`` (non-US realms); ``CurrencyCode`` from ``CurrencyRef``.
"Non-Posting" accounts (estimates, purchase orders) have no Xero counterpart and are not shown.

Writes: ``Type`` (and ``BankAccountType`` CREDITCARD) choose ``AccountType``/``AccountSubType``; ``Name`` is required
on create (QBO: unique, Fault 6240 otherwise); an account's type cannot change once it has transactions in QBO, so a
type change is sent and QBO's answer decides. ``Status`` ARCHIVED sets ``Active: false``; deleting a Xero account
archives it (QBO cannot delete name-list entities, upstream-contracts.md §1 "CRUD").
"""

from __future__ import annotations

from typing import Any

from adapters.common import fields
from gateway.xero.errors import ValidationException
from gateway.xero.models import Account

from .. import codes
from .common import Tx, compact, ref, ref_id, text, updated
from .tax import tax_code_id, tax_type

MAX_CODE = 10  # Xero: "Customer defined alpha numeric account code e.g 200 or SALES (max length = 10)" (spec)
MAX_NAME = 150  # Xero: "Name of account (max length = 150)" (spec)


def xero_type(row: dict[str, Any]) -> str | None:
    """The Xero Type of a QBO account (``None`` for Non-Posting and unknown types)."""
    table = codes.accounts().to_xero
    return table.sub_type.get(str(row.get("AccountSubType") or "")) or table.type.get(str(row.get("AccountType")))


def account_to_xero(row: dict[str, Any], t: Tx) -> Account | None:
    """One QBO Account as a Xero Account (``None`` when Xero has no such account)."""
    kind = xero_type(row)
    if kind is None:
        return None
    table = codes.accounts().to_xero
    account_type = str(row.get("AccountType"))
    classification = row.get("Classification") or table.classification_by_type.get(account_type)
    active = row.get("Active", True) is not False
    has_tax = t.refs.has("companyinfo") and t.refs.company.has_global_tax_calculation
    revenue = classification == "Revenue"
    return Account(
        AccountID=t.guid("Account", row["Id"]),
        Type=kind,
        Status=codes.statuses().name_list["active" if active else "inactive"],
        BankAccountType=table.bank_account_type.get(account_type) if kind == "BANK" else None,
        TaxType=tax_type(ref_id(row.get("TaxCodeRef")), purchases=not revenue) if has_tax else None,
        Class=table.class_.get(str(classification)) if classification else None,
        SystemAccount=table.system_account.get(account_type),
        EnablePaymentsToAccount=False,
        ShowInExpenseClaims=False,
        HasAttachments=False,
        UpdatedDateUTC=updated(row),
        **ACCOUNT_FIELDS.read(row),  # Code, Name, Description, CurrencyCode
    )


#: Xero's answer to an account Code already in the chart (seen: "Please enter a unique Code.").
CODE_TAKEN = "Please enter a unique Code."


def account_to_qbo(element: dict[str, Any], t: Tx, *, current: dict[str, Any] | None = None) -> dict[str, Any]:
    """A Xero Account element as a QBO Account body (create, or the fields of a sparse update of ``current``).

    Raises:
        ValidationException: missing Name/Type on create, an unknown Type, too long a Code or Name, a Code another
            account of the chart holds (Xero's "Please enter a unique Code."; archived accounts keep theirs).
    """
    table = codes.accounts().to_qbo
    name = text(element.get("Name"))
    code = text(element.get("Code"))
    kind = text(element.get("Type"))
    if current is None:
        missing = [f for f, v in (("Name", name), ("Type", kind)) if v is None]
        if missing:
            raise ValidationException.single(f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
                                             "required", element)
    if code is not None and len(code) > MAX_CODE:
        raise ValidationException.single(f"Code must be at most {MAX_CODE} characters", element)
    if name is not None and len(name) > MAX_NAME:
        raise ValidationException.single(f"Name must be at most {MAX_NAME} characters", element)
    holder = t.refs.accounts.coded(code)
    if holder is not None and (current is None or str(holder.get("Id")) != str(current.get("Id"))):
        raise ValidationException.single(CODE_TAKEN, element)
    body: dict[str, Any] = {"Name": name, "AcctNum": code, "Description": text(element.get("Description"))}
    if kind is not None:
        target = table.type.get(kind.upper())
        if target is None:
            raise ValidationException.single(f"'{kind}' is not a valid account type", element)
        bank_kind = str(element.get("BankAccountType") or "").upper()
        if kind.upper() == "BANK" and bank_kind in table.bank_account_type:
            target = table.bank_account_type[bank_kind]
        if current is None or (current.get("AccountType"), current.get("AccountSubType")) != (
                target.account_type, target.sub_type):
            body["AccountType"] = target.account_type
            body["AccountSubType"] = target.sub_type
    status = text(element.get("Status"))
    if status is not None:
        if status.upper() not in ("ACTIVE", "ARCHIVED"):
            raise ValidationException.single(f"'{status}' is not a valid account status for a write", element)
        body["Active"] = status.upper() == "ACTIVE"
    currency = text(element.get("CurrencyCode"))
    if currency is not None:
        body["CurrencyRef"] = ref(currency)
    xero_tax = text(element.get("TaxType"))
    if xero_tax is not None and t.refs.company.has_global_tax_calculation:
        code_id = tax_code_id(xero_tax)
        if code_id is None:
            raise ValidationException.single(f"The TaxType code '{xero_tax}' does not exist or cannot be used",
                                             element)
        body["TaxCodeRef"] = ref(code_id)
    return compact(body)


#: What :func:`account_to_xero` makes of every Xero Account field (docs/fields-1004.md).
ACCOUNT_FIELDS = fields.FieldMap(
    "Accounts", Account,
    fields.computed("AccountID", "uuid5 of realmId/Account/Id (adapters/qbo/ids.py)"),
    fields.read("Code", "AcctNum", text, record="Account"),
    fields.read("Name", "Name", text, record="Account"),
    fields.populated("Type", "Account.AccountSubType, else AccountType (mappings/qbo_accounts.toml)"),
    fields.populated("Status", "Account.Active (true ACTIVE, false ARCHIVED)"),
    fields.read("Description", "Description", text, record="Account", condition="when the account has one"),
    fields.populated("BankAccountType", "Account.AccountType (Bank, Credit Card)", condition="bank accounts only"),
    fields.read("CurrencyCode", "CurrencyRef", ref_id, record="Account"),
    fields.populated("TaxType", "Account.TaxCodeRef", condition="realms with GlobalTaxCalculation (non-US)"),
    fields.computed("EnablePaymentsToAccount", "false: QBO has no such flag"),
    fields.computed("ShowInExpenseClaims", "false: QBO has no expense claims"),
    fields.populated("Class", "Account.Classification (from AccountType when absent)"),
    fields.populated("SystemAccount", "Account.AccountType Accounts Receivable/Payable (DEBTORS, CREDITORS)",
                     condition="the A/R and A/P control accounts"),
    fields.computed("HasAttachments", "false: QBO accounts take no attachments"),
    fields.populated("UpdatedDateUTC", "MetaData.LastUpdatedTime"),
    fields.lost("BankAccountNumber", reason="QBO's Account has no bank account number"),
    fields.lost("ReportingCode", "ReportingCodeName", reason="QBO has no reporting codes"),
    fields.lost("AddToWatchlist", reason="QBO has no dashboard watchlist"),
    fields.write_outcome(Account),
)
