"""Other payments and receipts, bank transfers and journals.

Shapes: the spec's ``OtherPayment`` (+ ``OtherPaymentLineItem``), ``BankTransfer``, ``Journal`` (+ ``JournalLine``)
and their ``post*``/``put*`` bodies (journals have no PUT in the spec).

Rules (spec member descriptions; upstream-contracts.md §2; inferred where marked):

- Other payments: ``transaction_type_id`` OTHER_PAYMENT or OTHER_RECEIPT; a ``bank_account_id`` is needed to post
  (the spec leaves it optional; the emulator answers 422 without one: inferred). Each line has ``ledger_account_id``
  and ``total_amount`` (spec required); its tax is the given ``tax_amount``, else total − given ``net_amount``, else
  0 for a zero/exempt/no-tax rate, else the VAT inside the gross total at the line's rate, rounded half-up
  (inferred); ``net_amount`` = total − tax. The header ``total_amount`` must equal the sum of the lines (inferred).
  Postings: payment Dr line accounts (net) and purchase tax control / Cr bank; receipt the reverse with sales tax.
- Bank transfers: two different bank accounts, ``amount`` > 0; Dr the receiving bank's ledger account / Cr the paying
  one.
- Journals: ``journal_lines[{ledger_account_id, debit, credit}]``; each line debits or credits a non-negative
  amount, and the debits must equal the credits (a journal must balance; 422 otherwise); ``total`` is the debit sum.
  DELETE deletes (204) and marks the posting deleted.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .. import errors, ledger
from ..context import (
    ZERO,
    Context,
    a_date,
    a_list,
    a_string,
    an_object,
    base_ref,
    money,
    opt_money,
    require,
    round2,
)
from .artefacts import ZERO_TAX_KINDS
from .base import Handler

OTHER_TYPES = ("OTHER_PAYMENT", "OTHER_RECEIPT")


class OtherPayments(Handler):
    """``/other_payments``."""

    def _line(self, ctx: Context, given: Any, index: int) -> dict[str, Any]:
        source = "payment_lines"
        given = an_object(given, f"{source}[{index}]")
        require(given, ("ledger_account_id", "total_amount"), f"{source}.")
        account = ctx.lookup("ledger_accounts", given["ledger_account_id"], f"{source}.ledger_account_id")
        total = money(given["total_amount"], f"{source}.total_amount")
        rate = None
        if given.get("tax_rate_id") is not None:
            rate = ctx.lookup("tax_rates", given["tax_rate_id"], f"{source}.tax_rate_id")
        tax = opt_money(given, "tax_amount", f"{source}.tax_amount")
        net = opt_money(given, "net_amount", f"{source}.net_amount")
        if tax is None:
            if net is not None:
                tax = total - net
            elif rate is None or rate.get("_kind") in ZERO_TAX_KINDS or not rate.get("percentage"):
                tax = ZERO
            else:
                tax = round2(total * rate["percentage"] / (100 + rate["percentage"]))
        net = total - tax
        line: dict[str, Any] = {"id": ctx.ids.new(), "displayed_as": given.get("details") or account["displayed_as"],
                                "ledger_account": base_ref(account), "net_amount": net, "tax_amount": tax,
                                "total_amount": total,
                                "is_purchase_for_resale": bool(given.get("is_purchase_for_resale", False)),
                                "trade_of_asset": bool(given.get("trade_of_asset", False))}
        if given.get("details") is not None:
            line["details"] = a_string(given["details"], f"{source}.details")
        if rate is not None:
            line["tax_rate"] = base_ref(rate)
            line["tax_breakdown"] = [{"tax_rate": base_ref(rate), "percentage": rate.get("percentage", ZERO),
                                      "amount": tax}]
        return line

    def _build(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> None:
        require(body, self.spec.required)
        type_id = body["transaction_type_id"]
        if type_id not in OTHER_TYPES:
            ctx.lookup("transaction_types", type_id, "transaction_type_id")
            raise errors.record_invalid("is not an other payment type", "transaction_type_id")
        require(body, ("bank_account_id",))
        bank = ctx.lookup("bank_accounts", body["bank_account_id"], "bank_account_id")
        on = a_date(body["date"], "date").isoformat()
        total = money(body["total_amount"], "total_amount")
        items = a_list(body["payment_lines"], "payment_lines")
        if not items:
            raise errors.required("payment_lines")
        lines = [self._line(ctx, given, i) for i, given in enumerate(items)]
        if sum((line["total_amount"] for line in lines), ZERO) != total:
            raise errors.record_invalid("must equal the sum of the payment lines", "total_amount")
        contact = ctx.optional_ref(body, "contact_id", "contacts")
        method = ctx.optional_ref(body, "payment_method_id", "payment_methods")
        type_ref = ctx.ref("transaction_types", type_id)
        reference = a_string(body["reference"], "reference") if body.get("reference") is not None else None
        record.update({"transaction_type": type_ref, "bank_account": base_ref(bank), "date": on,
                       "net_amount": sum((line["net_amount"] for line in lines), ZERO),
                       "tax_amount": sum((line["tax_amount"] for line in lines), ZERO), "total_amount": total,
                       "payment_lines": lines, "editable": True, "deletable": True,
                       "displayed_as": reference or f"{type_ref['displayed_as']} {on}"})
        for member, value in (("reference", reference), ("contact", contact), ("payment_method", method)):
            if value is None:
                record.pop(member, None)
            else:
                record[member] = value

    def _post(self, ctx: Context, record: dict[str, Any]) -> None:
        business = ctx.business
        receipt = record["transaction_type"]["id"] == "OTHER_RECEIPT"
        tax_account = ledger.control_account(business, "sales_tax" if receipt else "purchase_tax")["id"]
        bank_account = business.collections["bank_accounts"][record["bank_account"]["id"]]["ledger_account"]["id"]
        postings = []
        for line in record["payment_lines"]:
            text = line.get("details", "")
            rate_id = (line.get("tax_rate") or {}).get("id")
            postings.append(_side(line["ledger_account"]["id"], line["net_amount"], receipt, text, rate_id))
            postings.append(_side(tax_account, line["tax_amount"], receipt, text, rate_id))
        postings.append(_side(bank_account, record["total_amount"], not receipt, record["displayed_as"]))
        ledger.post(ctx, record, origin_collection="other_payments",
                    transaction_type_id=record["transaction_type"]["id"], on=record["date"],
                    reference=record.get("reference"), contact=record.get("contact"), total=record["total_amount"],
                    postings=postings)

    def create(self, ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
        record = ctx.new_record("other_payments")
        self._build(ctx, record, body)
        ctx.business.put("other_payments", record)
        self._post(ctx, record)
        return record

    def update(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        current = {"transaction_type_id": record["transaction_type"]["id"], "date": record["date"],
                   "total_amount": record["total_amount"], "bank_account_id": record["bank_account"]["id"],
                   "payment_lines": [
                       {"ledger_account_id": line["ledger_account"]["id"], "total_amount": line["total_amount"],
                        "tax_amount": line["tax_amount"], **({"details": line["details"]} if "details" in line else {}),
                        **({"tax_rate_id": line["tax_rate"]["id"]} if line.get("tax_rate") else {})}
                       for line in record["payment_lines"]]}
        for member in ("reference", "contact", "payment_method"):
            if record.get(member) is not None:
                current[member if member == "reference" else f"{member}_id"] = (
                    record[member] if member == "reference" else record[member]["id"])
        draft = dict(record)
        self._build(ctx, draft, {**current, **body})
        record.clear()
        record.update(draft)
        ctx.touch(record)
        self._post(ctx, record)
        return record

    def delete(self, ctx: Context, record: dict[str, Any], params: Mapping[str, str]) -> None:
        ledger.unpost(ctx, record)
        self.remove(ctx, record)
        return None


def _side(account_id: str, amount: Decimal, credit: bool, description: str,
          tax_rate_id: str | None = None) -> ledger.Posting:
    if amount < 0:
        amount, credit = -amount, not credit
    if credit:
        return ledger.Posting(account_id, credit=amount, description=description, tax_rate_id=tax_rate_id)
    return ledger.Posting(account_id, debit=amount, description=description, tax_rate_id=tax_rate_id)


class BankTransfers(Handler):
    """``/bank_transfers``."""

    def _build(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> None:
        require(body, self.spec.required)
        source = ctx.lookup("bank_accounts", body["from_bank_account_id"], "from_bank_account_id")
        target = ctx.lookup("bank_accounts", body["to_bank_account_id"], "to_bank_account_id")
        if source["id"] == target["id"]:
            raise errors.record_invalid("must differ from the paying bank account", "to_bank_account_id")
        amount = money(body["amount"], "amount")
        if amount <= 0:
            raise errors.record_invalid("must be greater than 0", "amount")
        on = a_date(body["date"], "date").isoformat()
        record.update({"from_bank_account": base_ref(source), "to_bank_account": base_ref(target), "date": on,
                       "amount": amount})
        for member in ("reference", "description"):
            if body.get(member) is not None:
                record[member] = a_string(body[member], member)
            else:
                record.pop(member, None)
        record["displayed_as"] = record.get("reference") or record.get("description") or f"Bank Transfer {on}"

    def _post(self, ctx: Context, record: dict[str, Any]) -> None:
        banks = ctx.business.collections["bank_accounts"]
        source = banks[record["from_bank_account"]["id"]]["ledger_account"]["id"]
        target = banks[record["to_bank_account"]["id"]]["ledger_account"]["id"]
        text = record["displayed_as"]
        ledger.post(ctx, record, origin_collection="bank_transfers", transaction_type_id="BANK_TRANSFER",
                    on=record["date"], reference=record.get("reference"), contact=None, total=record["amount"],
                    postings=[ledger.Posting(target, debit=record["amount"], description=text),
                              ledger.Posting(source, credit=record["amount"], description=text)])

    def create(self, ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
        record = ctx.new_record("bank_transfers")
        self._build(ctx, record, body)
        ctx.business.put("bank_transfers", record)
        self._post(ctx, record)
        return record

    def update(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        current = {"from_bank_account_id": record["from_bank_account"]["id"],
                   "to_bank_account_id": record["to_bank_account"]["id"], "date": record["date"],
                   "amount": record["amount"], "reference": record.get("reference"),
                   "description": record.get("description")}
        draft = dict(record)
        self._build(ctx, draft, {**current, **body})
        record.clear()
        record.update(draft)
        ctx.touch(record)
        self._post(ctx, record)
        return record

    def delete(self, ctx: Context, record: dict[str, Any], params: Mapping[str, str]) -> None:
        ledger.unpost(ctx, record)
        self.remove(ctx, record)
        return None


class Journals(Handler):
    """``/journals`` (no PUT in the spec; ``reissue`` is not emulated)."""

    def create(self, ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
        require(body, self.spec.required)
        on = a_date(body["date"], "date").isoformat()
        reference = a_string(body["reference"], "reference")
        items = a_list(body["journal_lines"], "journal_lines")
        if len(items) < 2:
            raise errors.record_invalid("needs at least two lines", "journal_lines")
        lines, postings = [], []
        for index, given in enumerate(items):
            given = an_object(given, f"journal_lines[{index}]")
            require(given, ("ledger_account_id", "debit", "credit"), "journal_lines.")
            account = ctx.lookup("ledger_accounts", given["ledger_account_id"], "journal_lines.ledger_account_id")
            debit = money(given["debit"], "journal_lines.debit")
            credit = money(given["credit"], "journal_lines.credit")
            if debit < 0 or credit < 0 or (debit and credit) or not (debit or credit):
                raise errors.record_invalid("A journal line must have either a debit or a credit", "journal_lines")
            details = a_string(given["details"], "journal_lines.details") if given.get("details") else ""
            line = {"id": ctx.ids.new(), "ledger_account": base_ref(account), "debit": debit, "credit": credit,
                    "include_on_tax_return": bool(given.get("include_on_tax_return", False)),
                    "tax_reconciled": False, "cleared": False, "bank_reconciled": False}
            if details:
                line["details"] = details
            lines.append(line)
            postings.append(ledger.Posting(account["id"], debit=debit, credit=credit,
                                           description=details or reference))
        debits = sum((line["debit"] for line in lines), ZERO)
        if debits != sum((line["credit"] for line in lines), ZERO):
            raise errors.record_invalid("The journal does not balance: debits must equal credits", "journal_lines")
        record = ctx.new_record("journals", displayed_as=reference, date=on, reference=reference, total=debits,
                                journal_lines=lines, migrated=False)
        if body.get("description") is not None:
            record["description"] = a_string(body["description"], "description")
        ctx.business.put("journals", record)
        ledger.post(ctx, record, origin_collection="journals", transaction_type_id="JOURNAL", on=on,
                    reference=reference, contact=None, total=debits, postings=postings)
        return record

    def delete(self, ctx: Context, record: dict[str, Any], params: Mapping[str, str]) -> None:
        ledger.unpost(ctx, record)
        self.remove(ctx, record)
        return None
