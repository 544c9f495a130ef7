"""Contact payments (receipts, payments, refunds) and contact allocations, and how they settle artefacts.

Shapes: the spec's ``ContactPayment`` (+ ``AllocatedPaymentArtefact``, ``PaymentOnAccount``), ``ContactAllocation``
(+ ``AllocatedArtefact``) and their ``post*``/``put*`` bodies; on the settled artefacts ``PaymentAllocation`` rows.

Rules (upstream-contracts.md §2 "contact_payments", "contact_allocations"; Sage UK help "How to allocate existing
transactions in Sage Accounting": the amounts of an allocation must leave nothing to allocate, a payment on account
is entered as a negative value):

- ``transaction_type_id``: CUSTOMER_RECEIPT, VENDOR_PAYMENT, CUSTOMER_REFUND, VENDOR_REFUND (contact_payments);
  CUSTOMER_ALLOCATION, VENDOR_ALLOCATION (contact_allocations; ids unconfirmed).
- ``allocated_artefacts[{artefact_id, amount, discount}]``: an invoice is allocated a positive amount; a credit note or
  payment on account a negative one within a receipt/payment or an allocation (inferred from the help text), a
  positive one within a refund. The amount (plus any discount) cannot exceed what the artefact still has
  outstanding; the artefact must belong to the payment's contact and be neither DRAFT nor VOID.
- A receipt or payment whose allocations do not use its whole ``total_amount`` leaves the rest as a payment on
  account (``payment_on_account``, outstanding until allocated or refunded; inferred). A refund must be allocated
  in full. The allocated sum may never exceed the total.
- An allocation's amounts must sum to zero.
- Settling updates each artefact's ``payments_allocations``, ``total_paid``, ``outstanding_amount``, ``last_paid`` and
  ``status`` (:func:`emulators.sage_accounting.handlers.artefacts.settle`); deleting or editing the payment or
  allocation undoes that first. A payment whose payment on account has since been allocated cannot be changed.
- Postings: receipt Dr bank / Cr debtors control; payment Dr creditors control / Cr bank; refunds the reverse;
  discounts Dr the customer-receipt discount account / Cr debtors (Cr the vendor-payment discount account / Dr
  creditors for suppliers; accounts from ``business_settings.default_ledger_accounts``). Allocations post nothing
  (both sides sit on the same control account) but still get a ``transaction``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .. import errors, ledger
from ..context import ZERO, Context, a_date, a_list, a_string, an_object, base_ref, money, opt_money, require
from ..store import Business
from .artefacts import settle
from .base import Handler

#: transaction type → {collection: sign of the amounts allocated to it}.
PAYMENT_RULES: dict[str, dict[str, int]] = {
    "CUSTOMER_RECEIPT": {"sales_invoices": 1, "sales_credit_notes": -1},
    "VENDOR_PAYMENT": {"purchase_invoices": 1, "purchase_credit_notes": -1},
    "CUSTOMER_REFUND": {"sales_credit_notes": 1, "payments_on_account": 1},
    "VENDOR_REFUND": {"purchase_credit_notes": 1, "payments_on_account": 1},
}
ALLOCATION_RULES: dict[str, dict[str, int]] = {
    "CUSTOMER_ALLOCATION": {"sales_invoices": 1, "sales_credit_notes": -1, "payments_on_account": -1},
    "VENDOR_ALLOCATION": {"purchase_invoices": 1, "purchase_credit_notes": -1, "payments_on_account": -1},
}
#: Which side a transaction type serves (for payments on account: customer or vendor).
SIDE = {"CUSTOMER_RECEIPT": "customer", "CUSTOMER_REFUND": "customer", "CUSTOMER_ALLOCATION": "customer",
        "VENDOR_PAYMENT": "vendor", "VENDOR_REFUND": "vendor", "VENDOR_ALLOCATION": "vendor"}
POA_COLLECTION = "payments_on_account"
POA_MEMBERS = ("id", "displayed_as", "created_at", "updated_at", "contact_name", "contact_reference", "contact",
               "date", "reference", "net_amount", "tax_amount", "total_amount", "outstanding_amount", "currency",
               "exchange_rate", "base_currency_net_amount", "base_currency_tax_amount", "base_currency_total_amount",
               "base_currency_outstanding_amount", "status")


@dataclass
class Allocation:
    """One planned allocation of a payment or allocation to an artefact (or payment on account)."""

    collection: str
    target: dict[str, Any]
    amount: Decimal
    discount: Decimal


def find_target(business: Business, collections: Mapping[str, int], artefact_id: Any) -> tuple[str, dict] | None:
    for name in collections:
        found = business.get(name, artefact_id) if isinstance(artefact_id, str) else None
        if found is not None:
            return name, found
    return None


def own_share(target: dict[str, Any], link_id: str | None) -> Decimal:
    """What ``link_id`` itself already settles of ``target`` (it is released before a re-plan is applied)."""
    if link_id is None:
        return ZERO
    return sum((a["amount"] + a.get("discount", ZERO) for a in target.get("payments_allocations", [])
                if a.get("_link") == link_id), ZERO)


def plan(ctx: Context, items: list[Any], *, rules: Mapping[str, int], contact_id: str, side: str,
         link_id: str | None, allow_discount: bool) -> list[Allocation]:
    """Check ``allocated_artefacts`` and return the allocations (nothing is changed).

    Raises:
        SageError: 422 for an unknown artefact, another contact's artefact, a DRAFT/VOID artefact, an amount of the
            wrong sign or above what is outstanding.
    """
    out: list[Allocation] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        source = "allocated_artefacts"
        item = an_object(item, f"{source}[{index}]")
        require(item, ("artefact_id", "amount"), f"{source}.")
        found = find_target(ctx.business, rules, item["artefact_id"])
        if found is None:
            raise errors.record_invalid(f"{item['artefact_id']} is not an artefact that can be allocated here",
                                        f"{source}.artefact_id")
        collection, target = found
        if target["id"] in seen:
            raise errors.record_invalid("is allocated twice", f"{source}.artefact_id")
        seen.add(target["id"])
        if target["contact"]["id"] != contact_id:
            raise errors.record_invalid("belongs to another contact", f"{source}.artefact_id")
        if collection == POA_COLLECTION and target.get("_side") != side:
            raise errors.record_invalid("is not a payment on account of this kind", f"{source}.artefact_id")
        if target["status"]["id"] in ("DRAFT", "VOID"):
            raise errors.record_invalid(f"cannot allocate to a {target['status']['id'].lower()} artefact",
                                        f"{source}.artefact_id")
        amount = money(item["amount"], f"{source}.amount")
        discount = opt_money(item, "discount", f"{source}.discount", ZERO) or ZERO
        if discount and not allow_discount:
            raise errors.record_invalid("is not allowed here", f"{source}.discount")
        if discount < 0 or (discount and rules[collection] < 0):
            raise errors.record_invalid("is invalid", f"{source}.discount")
        if amount == 0 or (amount > 0) != (rules[collection] > 0):
            raise errors.record_invalid("has the wrong sign for this artefact", f"{source}.amount")
        available = target["outstanding_amount"] + own_share(target, link_id)
        if abs(amount) + discount > available:
            raise errors.record_invalid("exceeds the outstanding amount", f"{source}.amount")
        out.append(Allocation(collection, target, amount, discount))
    return out


def release(ctx: Context, link_id: str) -> None:
    """Remove every settlement row of ``link_id`` from artefacts and payments on account."""
    for name in (*PAYMENT_RULES["CUSTOMER_RECEIPT"], *PAYMENT_RULES["VENDOR_PAYMENT"], POA_COLLECTION):
        for target in ctx.business.all(name):
            rows = target.get("payments_allocations") or []
            kept = [row for row in rows if row.get("_link") != link_id]
            if len(kept) != len(rows):
                target["payments_allocations"] = kept
                settle(target, ctx.business)
                ctx.touch(target)


def apply(ctx: Context, allocations: list[Allocation], *, link: dict[str, Any], link_key: str, on: str,
          type_text: str, reference: str | None) -> list[dict[str, Any]]:
    """Settle each target and return the ``allocated_artefacts`` rows of the linking record."""
    rows = []
    for allocation in allocations:
        target = allocation.target
        entry: dict[str, Any] = {"_link": link["id"], "date": on, "type": type_text, "amount": abs(allocation.amount),
                                 "discount": allocation.discount, link_key: base_ref(link),
                                 "displayed_as": link.get("displayed_as", "")}
        if reference:
            entry["reference"] = reference
        target.setdefault("payments_allocations", []).append(entry)
        settle(target, ctx.business)
        ctx.touch(target)
        row: dict[str, Any] = {"id": ctx.ids.new(), "artefact": base_ref(target), "amount": allocation.amount}
        if link_key == "contact_payment":
            row["discount"] = allocation.discount
        rows.append(row)
    return rows


def _poa_locked(business: Business, payment: dict[str, Any]) -> bool:
    poa = business.get(POA_COLLECTION, payment.get("_poa_id") or "")
    return bool(poa and poa.get("payments_allocations"))


# ------------------------------------------------------------------------------------------------ payments


class ContactPayments(Handler):
    """``/contact_payments``."""

    def _check(self, ctx: Context, body: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
        """Everything a write needs, checked before anything changes."""
        require(body, self.spec.required)
        type_id = body["transaction_type_id"]
        if type_id not in PAYMENT_RULES:
            ctx.lookup("transaction_types", type_id, "transaction_type_id")
            raise errors.record_invalid("is not a contact payment type", "transaction_type_id")
        contact = ctx.lookup("contacts", body["contact_id"], "contact_id")
        bank = ctx.lookup("bank_accounts", body["bank_account_id"], "bank_account_id")
        on = a_date(body["date"], "date").isoformat()
        total = money(body["total_amount"], "total_amount")
        if total <= 0:
            raise errors.record_invalid("must be greater than 0", "total_amount")
        base = ctx.business.settings["financial_settings"]["base_currency"]["id"]
        if body.get("currency_id") not in (None, base):
            raise errors.record_invalid("must be the business's base currency", "currency_id")
        items = a_list(body.get("allocated_artefacts") or [], "allocated_artefacts")
        allocations = plan(ctx, items, rules=PAYMENT_RULES[type_id], contact_id=contact["id"], side=SIDE[type_id],
                           link_id=(current or {}).get("id"), allow_discount=type_id in ("CUSTOMER_RECEIPT",
                                                                                          "VENDOR_PAYMENT"))
        allocated = sum((a.amount for a in allocations), ZERO)
        if allocated > total:
            raise errors.record_invalid("The allocated amounts exceed the total amount", "allocated_artefacts")
        remainder = total - allocated
        if remainder and type_id in ("CUSTOMER_REFUND", "VENDOR_REFUND"):
            raise errors.record_invalid("A refund must be allocated in full", "allocated_artefacts")
        if body.get("payment_on_account") is not None:
            given = an_object(body["payment_on_account"], "payment_on_account")
            stated = opt_money(given, "total_amount", "payment_on_account.total_amount")
            if stated is not None and stated != remainder:
                raise errors.record_invalid("must equal the unallocated part of the payment",
                                            "payment_on_account.total_amount")
        method = ctx.optional_ref(body, "payment_method_id", "payment_methods")
        if body.get("reference") is not None:
            a_string(body["reference"], "reference")
        return {"type_id": type_id, "contact": contact, "bank": bank, "on": on, "total": total,
                "allocations": allocations, "remainder": remainder, "method": method}

    def _write(self, ctx: Context, record: dict[str, Any], body: dict[str, Any], checked: dict[str, Any]) -> None:
        type_id, contact, on, total = checked["type_id"], checked["contact"], checked["on"], checked["total"]
        base = ctx.business.settings["financial_settings"]["base_currency"]["id"]
        reference = body.get("reference")
        type_ref = ctx.ref("transaction_types", type_id)
        record.update({
            "transaction_type": type_ref, "contact": base_ref(contact), "bank_account": base_ref(checked["bank"]),
            "date": on, "net_amount": total, "tax_amount": ZERO, "total_amount": total,
            "currency": ctx.ref("currencies", base), "exchange_rate": Decimal("1"), "base_currency_net_amount": total,
            "base_currency_tax_amount": ZERO, "base_currency_total_amount": total,
            "base_currency_currency_charge": ZERO, "editable": True,
            "displayed_as": reference or f"{type_ref['displayed_as']} {on}"})
        if reference:
            record["reference"] = reference
        else:
            record.pop("reference", None)
        if checked["method"]:
            record["payment_method"] = checked["method"]
        else:
            record.pop("payment_method", None)
        ctx.business.put("contact_payments", record)
        record["allocated_artefacts"] = apply(ctx, checked["allocations"], link=record, link_key="contact_payment",
                                              on=on, type_text=type_ref["displayed_as"], reference=reference)
        old_poa = record.pop("_poa_id", None)
        if old_poa:
            ctx.business.collections[POA_COLLECTION].pop(old_poa, None)
        if checked["remainder"]:
            poa = ctx.new_record(POA_COLLECTION, displayed_as="Payment on Account", contact=base_ref(contact),
                                 contact_name=contact.get("name", ""), contact_reference=contact.get("reference", ""),
                                 date=on, net_amount=checked["remainder"], tax_amount=ZERO,
                                 total_amount=checked["remainder"], currency=ctx.ref("currencies", base),
                                 exchange_rate=Decimal("1"), base_currency_net_amount=checked["remainder"],
                                 base_currency_tax_amount=ZERO, base_currency_total_amount=checked["remainder"],
                                 status=ctx.ref("artefact_statuses", "UNPAID"), payments_allocations=[],
                                 _side=SIDE[type_id], _sign=1 if SIDE[type_id] == "customer" else -1,
                                 _payment_id=record["id"])
            poa.pop("$path")
            if reference:
                poa["reference"] = reference
            settle(poa, ctx.business)
            ctx.business.put(POA_COLLECTION, poa)
            record["_poa_id"] = poa["id"]
        self._post(ctx, record, checked)

    def _post(self, ctx: Context, record: dict[str, Any], checked: dict[str, Any]) -> None:
        business = ctx.business
        type_id, total = checked["type_id"], checked["total"]
        bank_account = checked["bank"]["ledger_account"]["id"]
        defaults = business.settings["business_settings"]["default_ledger_accounts"]
        discount = sum((a.discount for a in checked["allocations"]), ZERO)
        text = record["displayed_as"]
        if SIDE[type_id] == "customer":
            control = ledger.control_account(business, "debtors")["id"]
            cash_in = type_id == "CUSTOMER_RECEIPT"
            postings = [ledger.Posting(bank_account, debit=total, description=text) if cash_in else
                        ledger.Posting(bank_account, credit=total, description=text),
                        ledger.Posting(control, credit=total, description=text) if cash_in else
                        ledger.Posting(control, debit=total, description=text)]
            if discount:
                account = defaults["customer_receipt_discount_ledger_account"]["id"]
                postings += [ledger.Posting(account, debit=discount, description="Discount"),
                             ledger.Posting(control, credit=discount, description="Discount")]
        else:
            control = ledger.control_account(business, "creditors")["id"]
            cash_out = type_id == "VENDOR_PAYMENT"
            postings = [ledger.Posting(control, debit=total, description=text) if cash_out else
                        ledger.Posting(control, credit=total, description=text),
                        ledger.Posting(bank_account, credit=total, description=text) if cash_out else
                        ledger.Posting(bank_account, debit=total, description=text)]
            if discount:
                account = defaults["vendor_payment_discount_ledger_account"]["id"]
                postings += [ledger.Posting(control, debit=discount, description="Discount"),
                             ledger.Posting(account, credit=discount, description="Discount")]
        ledger.post(ctx, record, origin_collection="contact_payments", transaction_type_id=type_id, on=record["date"],
                    reference=record.get("reference"), contact=record["contact"], total=total, postings=postings)

    def create(self, ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
        checked = self._check(ctx, body, None)
        record = ctx.new_record("contact_payments")
        self._write(ctx, record, body, checked)
        return record

    def _body_of(self, record: dict[str, Any]) -> dict[str, Any]:
        body = {"transaction_type_id": record["transaction_type"]["id"], "contact_id": record["contact"]["id"],
                "bank_account_id": record["bank_account"]["id"], "date": record["date"],
                "total_amount": record["total_amount"],
                "allocated_artefacts": [{"artefact_id": row["artefact"]["id"], "amount": row["amount"],
                                         "discount": row.get("discount", ZERO)}
                                        for row in record.get("allocated_artefacts", [])]}
        if record.get("reference"):
            body["reference"] = record["reference"]
        if record.get("payment_method"):
            body["payment_method_id"] = record["payment_method"]["id"]
        return body

    def update(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        if _poa_locked(ctx.business, record):
            raise errors.record_invalid("The payment on account of this payment has been allocated", "id")
        merged = {**self._body_of(record), **body}
        checked = self._check(ctx, merged, record)
        release(ctx, record["id"])
        ctx.touch(record)
        self._write(ctx, record, merged, checked)
        return record

    def delete(self, ctx: Context, record: dict[str, Any], params: Mapping[str, str]) -> None:
        if _poa_locked(ctx.business, record):
            raise errors.record_invalid("The payment on account of this payment has been allocated", "id")
        release(ctx, record["id"])
        if record.get("_poa_id"):
            ctx.business.collections[POA_COLLECTION].pop(record["_poa_id"], None)
        ledger.unpost(ctx, record)
        self.remove(ctx, record)
        return None

    def present(self, business: Business, record: dict[str, Any], params: Mapping[str, str]) -> dict[str, Any]:
        poa = business.get(POA_COLLECTION, record.get("_poa_id") or "")
        if poa is None:
            return record
        return {**record, "payment_on_account": {k: poa[k] for k in POA_MEMBERS if k in poa}}


# ------------------------------------------------------------------------------------------------ allocations


class ContactAllocations(Handler):
    """``/contact_allocations``: credit notes and payments on account against invoices, no cash."""

    def _check(self, ctx: Context, body: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
        require(body, self.spec.required)
        type_id = body["transaction_type_id"]
        if type_id not in ALLOCATION_RULES:
            ctx.lookup("transaction_types", type_id, "transaction_type_id")
            raise errors.record_invalid("is not a contact allocation type", "transaction_type_id")
        contact = ctx.lookup("contacts", body["contact_id"], "contact_id")
        on = a_date(body["date"], "date").isoformat() if body.get("date") else ctx.today().isoformat()
        items = a_list(body["allocated_artefacts"], "allocated_artefacts")
        if len(items) < 2:
            raise errors.record_invalid("needs at least two artefacts", "allocated_artefacts")
        allocations = plan(ctx, items, rules=ALLOCATION_RULES[type_id], contact_id=contact["id"], side=SIDE[type_id],
                           link_id=(current or {}).get("id"), allow_discount=False)
        if sum((a.amount for a in allocations), ZERO) != 0:
            raise errors.record_invalid("The allocated amounts must sum to zero", "allocated_artefacts")
        return {"type_id": type_id, "contact": contact, "on": on, "allocations": allocations}

    def _write(self, ctx: Context, record: dict[str, Any], checked: dict[str, Any]) -> None:
        type_ref = ctx.ref("transaction_types", checked["type_id"])
        record.update({"transaction_type": type_ref, "contact": base_ref(checked["contact"]), "date": checked["on"],
                       "displayed_as": f"{type_ref['displayed_as']} {checked['on']}"})
        ctx.business.put("contact_allocations", record)
        record["allocated_artefacts"] = apply(ctx, checked["allocations"], link=record, link_key="contact_allocation",
                                              on=checked["on"], type_text=type_ref["displayed_as"], reference=None)
        ledger.post(ctx, record, origin_collection="contact_allocations", transaction_type_id=checked["type_id"],
                    on=checked["on"], reference=None, contact=record["contact"], total=ZERO, postings=[])

    def create(self, ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
        checked = self._check(ctx, body, None)
        record = ctx.new_record("contact_allocations")
        self._write(ctx, record, checked)
        return record

    def update(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        current = {"transaction_type_id": record["transaction_type"]["id"], "contact_id": record["contact"]["id"],
                   "date": record["date"],
                   "allocated_artefacts": [{"artefact_id": row["artefact"]["id"], "amount": row["amount"]}
                                           for row in record.get("allocated_artefacts", [])]}
        checked = self._check(ctx, {**current, **body}, record)
        release(ctx, record["id"])
        ctx.touch(record)
        self._write(ctx, record, checked)
        return record

    def delete(self, ctx: Context, record: dict[str, Any], params: Mapping[str, str]) -> None:
        release(ctx, record["id"])
        ledger.unpost(ctx, record)
        self.remove(ctx, record)
        return None
