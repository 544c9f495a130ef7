"""Xero write elements → Sage 50 write payloads (protocol v1 ``WritePayload``, SDO field names; sage50.md §4-§5).

Pure functions over the company's :class:`~adapters.sage50.unit.Books`; each raises :class:`Invalid` (with the
message the client sees) before anything is queued when Sage 50 would refuse the element:

- contacts → ``SalesRecord``/``PurchaseRecord`` (``ACCOUNT_REF`` ≤ 8 characters, upper case, Sage's character set,
  no spaces; generated from the name when the client sends no ``ContactNumber``);
- invoices and credit notes → ``TransactionPost`` SI/PI/SC/PC (AUTHORISED), or an unposted ``InvoicePost`` document
  (DRAFT sales invoices: Sage's invoicing module has sales documents only);
- payments → ``TransactionPost`` SA/PA (a receipt or payment on account) then ``AllocatePayment`` against the
  document's splits in split order (sage50.md §5 [rec]); credit note allocations → ``AllocatePayment``;
- bank transactions → ``TransactionPost`` BP/BR; bank transfers and manual journals → ``JournalPost``.

Line amounts follow Xero's ``LineAmountTypes`` (Exclusive by default; Inclusive: the tax is inside the line; NoTax:
T9), with the client's ``TaxAmount`` kept when sent (Sage stores the tax it is given, §9.5) and otherwise rounded
half-up to pence from the Sage tax code's ``TAX_RATE``. Amounts travel as decimal strings, dates as ISO strings.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..codes import codes
from ..unit import Books, money, number, sage_date, text
from .elements import Invalid, amount, day, items, sub
from .elements import text as field

PENNY = Decimal("0.01")
#: sage50.md §4 field rules.
ACCOUNT_REF = re.compile(r"^[A-Z0-9#_/!%&.\-$()\",']{1,8}$")
LIMITS = {"INV_REF": 30, "DETAILS": 60, "NAME": 60}
DIRECTION = {"ACCREC": "output", "ACCPAY": "input", "ACCRECCREDIT": "output", "ACCPAYCREDIT": "input",
             "RECEIVE": "output", "SPEND": "input"}
SAGE_TYPE = {"ACCREC": "SI", "ACCPAY": "PI", "ACCRECCREDIT": "SC", "ACCPAYCREDIT": "PC", "SPEND": "BP",
             "RECEIVE": "BR"}


def _cut(value: str, column: str) -> str:
    return value[:LIMITS[column]]


def _iso(value: date) -> str:
    return value.isoformat()


def _cash(value: Decimal) -> str:
    return str(value.quantize(PENNY, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Payload:
    """One job: the protocol's ``WritePayload`` and a label naming it within the Xero call (for its key)."""

    label: str
    body: dict[str, Any]


# Contacts ------------------------------------------------------------------------------------------------------


def contact_ref_for(books: Books, element: Mapping[str, Any], *, taken: set[str] | None = None) -> str:
    """The ``ACCOUNT_REF`` of a new contact: its ``ContactNumber``, or one made from the name (``ABC001``).

    Raises:
        Invalid: a ``ContactNumber`` Sage 50 cannot take, or one in use.
    """
    used = {text(r.get("ACCOUNT_REF")) for t in ("SALES_LEDGER", "PURCHASE_LEDGER") for r in books.rows(t)}
    used |= taken or set()
    wanted = field(element, "ContactNumber")
    if wanted:
        if " " in wanted:
            raise Invalid("The contact number may not contain spaces (Sage 50 account references).")
        if not ACCOUNT_REF.match(wanted):
            raise Invalid("The contact number must be at most 8 upper-case letters, digits or Sage 50's symbols.")
        if wanted in used:
            raise Invalid("The contact number is already used by another contact.")
        return wanted
    stem = re.sub(r"[^A-Z0-9]", "", field(element, "Name").upper())[:3] or "CUS"
    for n in range(1, 1000):
        candidate = f"{stem}{n:03d}"
        if candidate not in used:
            return candidate
    raise Invalid("No free contact number could be made from this name: send a ContactNumber.")


def contact_fields(element: Mapping[str, Any], *, ref: str, creating: bool) -> dict[str, Any]:
    """SDO ``SalesRecord``/``PurchaseRecord`` fields of a Xero contact element (only those it sends)."""
    out: dict[str, Any] = {"ACCOUNT_REF": ref}
    name = field(element, "Name")
    if creating and not name:
        raise Invalid("The contact name is required.")
    if name:
        out["NAME"] = _cut(name, "NAME")
    if field(element, "EmailAddress"):
        out["E_MAIL"] = field(element, "EmailAddress")
    if field(element, "TaxNumber"):
        out["VAT_REG_NUMBER"] = field(element, "TaxNumber")[:20]
    first, last = field(element, "FirstName"), field(element, "LastName")
    if first or last:
        out["CONTACT_NAME"] = f"{first} {last}".strip()[:30]
    addresses = items(element, "Addresses")
    address = next((a for a in addresses if field(a, "AddressType") in ("POBOX", "STREET")), None)
    if address is not None:
        lines = [field(address, "AddressLine1"), field(address, "AddressLine2"), field(address, "AddressLine3"),
                 field(address, "City"), field(address, "PostalCode")]
        out.update({f"ADDRESS_{i}": line[:60] for i, line in enumerate(lines, 1)})
    for phone in items(element, "Phones"):
        number_ = " ".join(p for p in (field(phone, "PhoneAreaCode"), field(phone, "PhoneNumber")) if p)
        if number_ and field(phone, "PhoneType") in ("DEFAULT", ""):
            out["TELEPHONE"] = number_[:30]
        elif number_ and field(phone, "PhoneType") == "FAX":
            out["FAX"] = number_[:30]
    return out


def record_payload(ledger: str, fields: dict[str, Any], *, action: str) -> dict[str, Any]:
    obj = "SalesRecord" if ledger == "SALES_LEDGER" else "PurchaseRecord"
    return {"object": obj, "action": action, "header": fields, "items": [], "reference": fields["ACCOUNT_REF"]}


def resolve_contact(books: Books, element: Mapping[str, Any]) -> str | None:
    """The ``ACCOUNT_REF`` a document's ``Contact`` names (by ContactID, ContactNumber or exact Name)."""
    contact = sub(element, "Contact")
    guid = field(contact, "ContactID").lower()
    if guid:
        found = books.find(guid, "contact")
        if found is None:
            raise Invalid("The contact does not exist in this organisation.")
        return found
    number_ = field(contact, "ContactNumber")
    if number_ and (books.row("SALES_LEDGER", number_) or books.row("PURCHASE_LEDGER", number_)):
        return number_
    name = field(contact, "Name")
    for table in ("SALES_LEDGER", "PURCHASE_LEDGER"):
        for row in books.rows(table):
            if name and text(row.get("NAME")).lower() == name.lower():
                return text(row.get("ACCOUNT_REF"))
    if not name:
        raise Invalid("A contact is required (ContactID, ContactNumber or Name).")
    return None


# Documents -----------------------------------------------------------------------------------------------------


def check_lock(books: Books, when: date) -> None:
    """COMPANY.CLOSED_LEDGER_* (sage50.md §7): the gateway enforces the lock date before queuing."""
    company = books.company
    lock = sage_date(company.get("CLOSED_LEDGER_CHECK_DATE"))
    if number(company.get("CLOSED_LEDGER_DATE_ENABLED")) and lock is not None and when <= lock:
        raise Invalid(f"The document date cannot be on or before the period lock date ({lock.isoformat()}).")


def check_nominal(books: Books, code: str, *, bank: bool = False) -> None:
    if not code or books.row("NOMINAL_LEDGER", code) is None:
        raise Invalid(f"Account code '{code}' is not a valid code for this document.")
    if code in codes().control_accounts:
        raise Invalid(f"Account code '{code}' is not a valid code for this document.")
    if bank != (code in books.bank_codes()):
        raise Invalid(f"Account code '{code}' is not a valid {'bank ' if bank else ''}account for this document.")


def _tax(books: Books, line: Mapping[str, Any], direction: str, default: str) -> tuple[str, int, Decimal]:
    """``(sage code, index, rate %)`` of a line's ``TaxType``."""
    tax_type = field(line, "TaxType")
    sage = codes().sage_tax(tax_type, direction) if tax_type else default
    if sage is None:
        raise Invalid(f"The TaxType code '{tax_type}' does not exist or cannot be used for this type of document.")
    row = next((r for r in books.rows("TAX_CODE") if text(r.get("TAX_CODE")) == sage), None)
    if row is None:
        raise Invalid(f"The TaxType code '{tax_type or sage}' does not exist in this organisation.")
    return sage, number(row.get("TAX_CODE_ID")) or 0, money(row.get("TAX_RATE"))


def line_amounts(line: Mapping[str, Any], mode: str, rate: Decimal) -> tuple[Decimal, Decimal]:
    """``(net, tax)`` of a Xero line under ``LineAmountTypes`` ``mode`` (module docstring)."""
    qty = amount(line, "Quantity", default=Decimal(1))
    unit = amount(line, "UnitAmount", default=Decimal(0))
    discount = amount(line, "DiscountRate", default=Decimal(0))
    line_amount = amount(line, "LineAmount")
    if line_amount is None:
        line_amount = (qty * unit * (1 - discount / 100)).quantize(PENNY, rounding=ROUND_HALF_UP)
    given = amount(line, "TaxAmount")
    if mode == "NoTax":
        return line_amount, Decimal(0)
    if mode == "Inclusive":
        tax = given if given is not None else (line_amount * rate / (100 + rate)).quantize(PENNY, ROUND_HALF_UP)
        return line_amount - tax, tax
    tax = given if given is not None else (line_amount * rate / 100).quantize(PENNY, rounding=ROUND_HALF_UP)
    return line_amount, tax


def _dept(books: Books, line: Mapping[str, Any]) -> int | None:
    for tracking in items(line, "Tracking"):
        option = field(tracking, "TrackingOptionID").lower()
        found = books.find(option, "department") if option else None
        if found is None and field(tracking, "Option"):
            found = next((text(d.get("NUMBER")) for d in books.rows("DEPARTMENT")
                          if text(d.get("NAME")).lower() == field(tracking, "Option").lower()), None)
        if found is not None:
            return int(found)
    return None


def posting_splits(books: Books, element: Mapping[str, Any], *, kind: str, default_tax: str) -> list[dict[str, Any]]:
    """The SDO items of a document's or bank transaction's lines (validated)."""
    direction = DIRECTION[kind]
    mode = field(element, "LineAmountTypes") or "Exclusive"
    if mode not in ("Exclusive", "Inclusive", "NoTax"):
        raise Invalid("LineAmountTypes must be Exclusive, Inclusive or NoTax.")
    lines = items(element, "LineItems")
    if not lines:
        raise Invalid("At least one line item is required.")
    out = []
    for line in lines:
        code = field(line, "AccountCode")
        if not code and field(line, "AccountID"):
            code = books.find(field(line, "AccountID").lower(), "account") or ""
        check_nominal(books, code)
        sage, index, rate = _tax(books, line, direction, "T9" if mode == "NoTax" else default_tax)
        net, tax = line_amounts(line, mode, rate)
        split = {"NOMINAL_CODE": code, "DETAILS": _cut(field(line, "Description"), "DETAILS"),
                 "NET_AMOUNT": _cash(net), "TAX_AMOUNT": _cash(tax), "TAX_CODE": index}
        dept = _dept(books, line)
        if dept is not None:
            split["DEPT_NUMBER"] = dept
        out.append(split)
    if sum(Decimal(s["NET_AMOUNT"]) + Decimal(s["TAX_AMOUNT"]) for s in out) <= 0:
        raise Invalid("The document total must be greater than zero.")
    return out


#: Prefixes of the references the gateway numbers itself when the client gives none: Xero's for sales documents,
#: Sage's transaction type for the others (a posting needs a reference: SDO returns no number, so the connector
#: finds the posting by it; docs/sage50-agent.md).
REFERENCE_PREFIX = {"ACCREC": "INV-", "ACCRECCREDIT": "CN-", "ACCPAY": "PI-", "ACCPAYCREDIT": "PC-", "SPEND": "BP-",
                    "RECEIVE": "BR-"}


def next_reference(books: Books, kind: str, taken: Collection[str] = ()) -> str:
    """The next ``INV-0001`` style ``INV_REF`` of ``kind`` (:data:`REFERENCE_PREFIX`) that is neither posted nor
    ``taken`` (given earlier in the same request, not yet in the replica)."""
    prefix = REFERENCE_PREFIX[kind]
    used = {text(h.get("INV_REF")) for h in books.headers.values()} | set(taken)
    n = 1
    while f"{prefix}{n:04d}" in used:
        n += 1
    return f"{prefix}{n:04d}"


def document_number(books: Books, element: Mapping[str, Any], *, kind: str, number_field: str,
                    taken: Collection[str] = ()) -> str:
    """``INV_REF``: the client's number, or the next one the gateway numbers (:func:`next_reference`)."""
    given = field(element, number_field)
    if given:
        return _cut(given, "INV_REF")
    return next_reference(books, kind, taken)


def transaction_post(*, kind: str, account_ref: str, when: date, due: date | None, inv_ref: str, details: str,
                     splits: list[dict[str, Any]], bank_code: str = "") -> dict[str, Any]:
    """A ``TransactionPost`` payload (the header's ``TYPE`` numeric)."""
    header: dict[str, Any] = {"TYPE": codes().trans_types[SAGE_TYPE.get(kind, kind)].sdo, "ACCOUNT_REF": account_ref,
                              "DATE": _iso(when), "INV_REF": inv_ref, "DETAILS": _cut(details, "DETAILS"),
                              "NET_AMOUNT": _cash(sum(Decimal(s["NET_AMOUNT"]) for s in splits)),
                              "TAX_AMOUNT": _cash(sum(Decimal(s["TAX_AMOUNT"]) for s in splits))}
    if due is not None:
        header["DUE_DATE"] = _iso(due)
    if bank_code:
        header["BANK_CODE"] = bank_code
    return {"object": "TransactionPost", "action": "create", "header": header, "items": splits,
            "reference": inv_ref or None}


def invoice_post(*, account_ref: str, when: date, due: date | None, inv_ref: str, credit: bool,
                 splits: list[dict[str, Any]], notes: str) -> dict[str, Any]:
    """An unposted ``InvoicePost`` document (DRAFT), the reference in ``NOTES_1``."""
    header: dict[str, Any] = {"ACCOUNT_REF": account_ref, "INVOICE_DATE": _iso(when),
                              "INVOICE_OR_CREDIT": "Credit" if credit else "Invoice", "NOTES_1": inv_ref,
                              "GLOBAL_DETAILS": _cut(notes, "DETAILS")}
    if due is not None:
        header["PAYMENT_DUE_DATE"] = _iso(due)
    lines = [{"ITEM_NUMBER": i, "DESCRIPTION": s["DETAILS"], "QUANTITY": "1", "UNIT_PRICE": s["NET_AMOUNT"],
              "NET_AMOUNT": s["NET_AMOUNT"], "TAX_AMOUNT": s["TAX_AMOUNT"], "TAX_CODE": s["TAX_CODE"],
              "NOMINAL_CODE": s["NOMINAL_CODE"], **({"DEPT_NUMBER": s["DEPT_NUMBER"]} if "DEPT_NUMBER" in s else {})}
             for i, s in enumerate(splits, 1)]
    return {"object": "InvoicePost", "action": "create", "header": header, "items": lines, "reference": inv_ref}


def journal_post(*, when: date, inv_ref: str, details: str, lines: list[tuple[str, Decimal, str]]) -> dict[str, Any]:
    """A balanced ``JournalPost``: ``lines`` are ``(nominal, signed amount: + debit, details)``."""
    debit = sum((a for _, a, _ in lines if a > 0), Decimal(0))
    credit = -sum((a for _, a, _ in lines if a < 0), Decimal(0))
    if debit != credit or debit == 0:
        raise Invalid("The journal lines must balance (debits equal credits).")
    return {"object": "JournalPost", "action": "create",
            "header": {"DATE": _iso(when), "INV_REF": _cut(inv_ref, "INV_REF"), "DETAILS": _cut(details, "DETAILS")},
            "items": [{"NOMINAL_CODE": code, "NET_AMOUNT": _cash(abs(a)), "TYPE": 0 if a > 0 else 1, "TAX_CODE": 9,
                       "DETAILS": _cut(d or details, "DETAILS")} for code, a, d in lines],
            "reference": _cut(inv_ref, "INV_REF") or None}


def allocation_items(books: Books, document: Mapping[str, Any], paying_split: int, amount_: Decimal,
                     when: date) -> list[dict[str, Any]]:
    """``AllocatePayment`` items: the document's open splits in order, up to ``amount_`` (sage50.md §5).

    Raises:
        Invalid: ``amount_`` exceeds what the document has outstanding.
    """
    left = amount_
    out = []
    for split in books.splits.get(number(document.get("HEADER_NUMBER")) or -1, []):
        open_ = abs(money(split.get("OUTSTANDING")))
        if left <= 0 or open_ <= 0:
            continue
        part = min(open_, left)
        out.append({"SPLIT_NUMBER": number(split.get("TRAN_NUMBER")), "SPLIT_CROSSREF": paying_split,
                    "AMOUNT": _cash(part), "DATE": _iso(when)})
        left -= part
    if left > 0:
        raise Invalid("Payment amount exceeds the amount outstanding on this document")
    return out


#: The invoice type a credit may be allocated to, by the credit's header TYPE (sage50.md §5: SA/SC on the sales
#: ledger pay SI, PA/PC on the purchase ledger pay PI).
ALLOCATABLE = {"SA": "SI", "PA": "PI", "SC": "SI", "PC": "PI"}


def allocation_plan(books: Books, credit: Mapping[str, Any], element: Mapping[str, Any], *, noun: str
                    ) -> tuple[dict[str, Any], Mapping[str, Any], Decimal, date]:
    """The ``AllocatePayment`` of one Xero ``Allocation`` element against a credit header (SA/PA payment on
    account, SC/PC credit note): sage50.md §5.

    Args:
        books: the tenant's books. credit: the credit's AUDIT_HEADER row. element: the Allocation element
            (``Invoice.InvoiceID``, ``Amount`` as ``Decimal``, optional ``Date``).
        noun: what the credit is called in messages (``"prepayment"``, ``"credit note"``).

    Returns:
        ``(plan, invoice header, amount, date)``: the plan is the job's ``AllocatePayment`` payload.

    Raises:
        Invalid: unknown invoice, another contact or ledger, amount not positive or more than remains on either
            side, a date before the lock date.
    """
    invoice_id = field(sub(element, "Invoice"), "InvoiceID").lower()
    found = books.find(invoice_id, "header") if invoice_id else None
    invoice = books.headers.get(int(found)) if found else None
    if invoice is None or text(invoice.get("TYPE")) != ALLOCATABLE[text(credit.get("TYPE"))] or text(
            invoice.get("ACCOUNT_REF")) != text(credit.get("ACCOUNT_REF")):
        raise Invalid("The invoice does not exist, or belongs to another contact or ledger.")
    amount_ = amount(element, "Amount")
    if amount_ is None or amount_ <= 0:
        raise Invalid("Amount must be greater than zero.")
    if amount_ > abs(money(credit.get("OUTSTANDING"))):
        raise Invalid(f"The amount is more than the {noun}'s remaining credit.")
    when = day(element, "Date") or date.today()
    check_lock(books, when)
    credit_split = books.splits.get(number(credit.get("HEADER_NUMBER")) or -1, [{}])[0]
    items_ = allocation_items(books, invoice, number(credit_split.get("TRAN_NUMBER")) or 0, amount_, when)
    plan = {"object": "AllocatePayment", "action": "create", "header": {}, "items": items_, "reference": None}
    return plan, invoice, amount_, when


def require_date(element: Mapping[str, Any], name: str = "Date") -> date:
    when = day(element, name)
    if when is None:
        raise Invalid(f"{name} is required.")
    return when
