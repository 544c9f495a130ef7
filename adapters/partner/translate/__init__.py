"""Partner API JSON ↔ Xero's canonical models: pure functions (issue 16; ``adapters/native/partner/web/openapi.json``).

Money: partner integer cents ↔ Xero ``Decimal`` in the document's currency (two places). Dates: ``YYYY-MM-DD`` both
ways. Ids: the partner API's ids are GUIDs (the native ledger's are), answered as Xero's ids unchanged.

Vocabulary (partner → Xero): account ``type`` → ``Type`` (upper case), ``classification`` → ``Class``; bank
transaction ``purchase`` → ``SPEND``, ``deposit`` → ``RECEIVE``, ``transfer_out``/``transfer_in`` →
``SPEND-TRANSFER``/``RECEIVE-TRANSFER``; journal ``sourceType`` ``purchase`` → ``CASHPAID``, ``deposit`` →
``CASHREC``, ``transfer`` → ``TRANSFER``, ``bill_payment`` → ``ACCPAYPAYMENT``, ``journal_entry`` → ``MANJOURNAL``
(others upper-cased). Xero → partner: a SPEND BankTransaction is a purchase, RECEIVE a deposit; a ManualJournal a
journal entry (``Narration`` → ``memo``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from gateway.xero import models as xm
from gateway.xero.errors import ValidationException
from gateway.xero.models import documents as xd
from gateway.xero.models.catalogue import Journal, JournalLine

_CENT = Decimal("0.01")
#: Namespace of the ``JournalLineID`` GUIDs made from a partner journal line's id (not a GUID itself).
_LINE_IDS = uuid.UUID("5e0c8a7d-1f3b-5c6e-9a2d-4b7f8e1c3d50")
BANK_TYPES = {"purchase": "SPEND", "deposit": "RECEIVE", "transfer_out": "SPEND-TRANSFER",
              "transfer_in": "RECEIVE-TRANSFER"}
INTENT_OF_TYPE = {"SPEND": "purchases", "RECEIVE": "deposits"}
SOURCE_TYPES = {"purchase": "CASHPAID", "deposit": "CASHREC", "transfer": "TRANSFER",
                "bill_payment": "ACCPAYPAYMENT", "journal_entry": "MANJOURNAL"}


def money(cents: int | None) -> Decimal | None:
    """Integer cents → ``Decimal`` with two places."""
    return None if cents is None else (Decimal(cents) * _CENT).quantize(_CENT)


def cents(amount: Decimal | float | int | str, *, field: str) -> int:
    """A Xero amount → integer cents.

    Raises:
        ValidationException: more than two decimal places (the partner API carries whole cents only).
    """
    value = Decimal(str(amount))
    whole = value / _CENT
    if whole != whole.to_integral_value():
        raise ValidationException.single(f"{field} must have at most two decimal places")
    return int(whole)


def day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def organisation(company: dict[str, Any], *, tenant_id: str) -> xm.Organisation:
    year_end = company.get("financialYearEnd") or {}
    return xm.Organisation(OrganisationID=tenant_id, Name=company["name"], LegalName=company.get("legalName"),
                           BaseCurrency=company.get("baseCurrency"), CountryCode=company.get("countryCode"),
                           Timezone=company.get("timezone"), FinancialYearEndDay=year_end.get("day"),
                           FinancialYearEndMonth=year_end.get("month"), PeriodLockDate=day(company.get("lockDate")),
                           OrganisationStatus="ACTIVE", CreatedDateUTC=moment(company.get("createdAt")))


def account(row: dict[str, Any]) -> xm.Account:
    return xm.Account(AccountID=row["id"], Code=row.get("code"), Name=row["name"], Type=row["type"].upper(),
                      Class=(row.get("classification") or "").upper() or None, Status=row["status"].upper(),
                      CurrencyCode=row.get("currency"), UpdatedDateUTC=moment(row.get("updatedAt")))


def bank_transaction(row: dict[str, Any]) -> xd.BankTransaction:
    total = money(row["totalCents"])
    lines = [xm.LineItem(Description=line.get("description"), Quantity=Decimal(1),
                         UnitAmount=money(line["amountCents"]), LineAmount=money(line["amountCents"]),
                         AccountID=line.get("accountId"), TaxType=line.get("taxType"))
             for line in row.get("lines", [])]
    return xd.BankTransaction(
        BankTransactionID=row["id"], Type=BANK_TYPES.get(row["type"], row["type"].upper().replace("_", "-")),
        BankAccount=xm.AccountRef(AccountID=row["bankAccountId"]), Date=day(row["date"]),
        Reference=row.get("reference"), Status=row["status"].upper(), IsReconciled=row.get("isReconciled"),
        Contact=xm.Contact(ContactID=row["contactId"]) if row.get("contactId") else None,
        CurrencyCode=row.get("currency"), Total=total, LineItems=lines,
        UpdatedDateUTC=moment(row.get("updatedAt")))


def journal(entry: dict[str, Any]) -> Journal:
    lines = [JournalLine(JournalLineID=str(uuid.uuid5(_LINE_IDS, f"{entry['id']}/{line['id']}")),
                         AccountID=line["accountId"],
                            NetAmount=money(line["amountCents"]), TaxAmount=money(line.get("taxAmountCents", 0)),
                            GrossAmount=money(line["amountCents"] + line.get("taxAmountCents", 0)),
                            Description=line.get("description"), TaxType=line.get("taxType"))
             for line in entry.get("lines", [])]
    return Journal(JournalID=entry["id"], JournalNumber=entry["number"], JournalDate=day(entry["date"]),
                      CreatedDateUTC=moment(entry.get("createdAt")), Reference=entry.get("reference"),
                      SourceID=entry.get("sourceId"),
                      SourceType=SOURCE_TYPES.get(entry["sourceType"], entry["sourceType"].upper()),
                      JournalLines=lines)


def account_ref_id(ref: Any, field: str) -> str:
    value = ref.get("AccountID") if isinstance(ref, dict) else None
    if not isinstance(value, str) or not value:
        raise ValidationException.single(f"{field}.AccountID is required by this source")
    return value


def purchase_or_deposit(element: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A Xero SPEND/RECEIVE BankTransaction element → ``(path, partner body)``.

    Raises:
        ValidationException: another ``Type``, or a field the partner API cannot carry.
    """
    kind = element.get("Type")
    if kind not in INTENT_OF_TYPE:
        raise ValidationException.single("This source accepts BankTransactions of Type SPEND or RECEIVE only")
    contact = element.get("Contact") or {}
    inclusive = element.get("LineAmountTypes") == "Inclusive"
    lines = []
    for item in element.get("LineItems") or []:
        amount = item.get("LineAmount")
        if amount is None:
            amount = Decimal(str(item.get("UnitAmount", 0))) * Decimal(str(item.get("Quantity", 1)))
        line = {"accountId": item.get("AccountID"), "amountCents": cents(amount, field="LineAmount")}
        if item.get("Description"):
            line["description"] = item["Description"]
        if inclusive and item.get("TaxType"):
            line["taxType"] = item["TaxType"]
        lines.append(line)
    body: dict[str, Any] = {"bankAccountId": account_ref_id(element.get("BankAccount"), "BankAccount"),
                            "date": str(element.get("Date") or dt.date.today().isoformat())[:10], "lines": lines}
    if contact.get("ContactID"):
        body["contactId"] = contact["ContactID"]
    elif contact.get("Name"):
        body["contactName"] = contact["Name"]
    if element.get("Reference"):
        body["reference"] = element["Reference"]
    return INTENT_OF_TYPE[kind], body


def journal_entry(element: dict[str, Any]) -> dict[str, Any]:
    """A Xero ManualJournal element → partner journal entry body. Without ``Status`` it is posted at once (the
    partner API has no drafts); a ``DRAFT`` (or any other status) is refused.

    Raises:
        ValidationException: a status other than POSTED.
    """
    if element.get("Status") not in (None, "POSTED"):
        raise ValidationException.single("This source posts ManualJournals at once: Status must be POSTED")
    lines = [{"accountId": line.get("AccountID"), "amountCents": cents(line.get("LineAmount", 0), field="LineAmount"),
              **({"description": line["Description"]} if line.get("Description") else {})}
             for line in element.get("JournalLines") or []]
    return {"date": str(element.get("Date") or dt.date.today().isoformat())[:10],
            "memo": element.get("Narration") or "", "lines": lines}


def bill_payment(element: dict[str, Any]) -> dict[str, Any]:
    """A Xero Payment element on a bill (``Invoice.InvoiceID``, ``Account.AccountID``) → partner bill payment body.

    Raises:
        ValidationException: no ``Invoice.InvoiceID`` or ``Account.AccountID``, or no ``Amount``.
    """
    invoice = element.get("Invoice") if isinstance(element.get("Invoice"), dict) else {}
    if not invoice.get("InvoiceID"):
        raise ValidationException.single("Invoice.InvoiceID is required by this source")
    if element.get("Amount") is None:
        raise ValidationException.single("Amount is required")
    body = {"billId": invoice["InvoiceID"], "bankAccountId": account_ref_id(element.get("Account"), "Account"),
            "amountCents": cents(element["Amount"], field="Amount"),
            "date": str(element.get("Date") or dt.date.today().isoformat())[:10]}
    if element.get("Reference"):
        body["reference"] = element["Reference"]
    return body


#: Xero's message for an account code the chart lacks (as Xero words it for documents).
UNKNOWN_CODE = "Account code '{code}' is not a valid code for this document."
#: The account references of each Xero element kind: object fields (``{"AccountID"|"Code"}``) and line lists.
_REF_FIELDS = ("BankAccount", "FromBankAccount", "ToBankAccount", "Account")
_LINE_FIELDS = ("LineItems", "JournalLines")


def with_account_ids(element: dict[str, Any], ids_by_code: dict[str, str]) -> dict[str, Any]:
    """The element with every account named by code also named by id, as the partner API needs (``accountId``).

    Xero lets a caller name an account by ``AccountID`` or by code (``{"Code": …}`` on an account reference,
    ``AccountCode`` on a line); the partner API takes ids only.

    Args:
        element: a Xero request element (BankTransaction, BankTransfer, ManualJournal, Payment).
        ids_by_code: the remote chart's ``Account.code`` → ``Account.id``.

    Raises:
        ValidationException: a code the chart does not have (the element echoed).
    """
    def account_id(code: Any) -> str:
        found = ids_by_code.get(str(code))
        if found is None:
            raise ValidationException.single(UNKNOWN_CODE.format(code=code), element)
        return found

    out = dict(element)
    for name in _REF_FIELDS:
        ref = out.get(name)
        if isinstance(ref, dict) and not ref.get("AccountID") and ref.get("Code"):
            out[name] = {**ref, "AccountID": account_id(ref["Code"])}
    for name in _LINE_FIELDS:
        lines = out.get(name)
        if isinstance(lines, list):
            out[name] = [{**line, "AccountID": account_id(line["AccountCode"])}
                         if isinstance(line, dict) and not line.get("AccountID") and line.get("AccountCode") else line
                         for line in lines]
    return out


def bank_transfer(element: dict[str, Any]) -> dict[str, Any]:
    """A Xero BankTransfer element → partner transfer body (``POST …/transfers``).

    Raises:
        ValidationException: no ``Amount``, or a bank account without ``AccountID`` (nor a known code).
    """
    if element.get("Amount") is None:
        raise ValidationException.single("Amount is required")
    body = {"fromBankAccountId": account_ref_id(element.get("FromBankAccount"), "FromBankAccount"),
            "toBankAccountId": account_ref_id(element.get("ToBankAccount"), "ToBankAccount"),
            "amountCents": cents(element["Amount"], field="Amount"),
            "date": str(element.get("Date") or dt.date.today().isoformat())[:10]}
    if element.get("Reference"):
        body["reference"] = element["Reference"]
    return body
