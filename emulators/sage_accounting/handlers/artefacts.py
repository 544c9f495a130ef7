"""Sales and purchase invoices and credit notes ("artefacts").

Shapes: the spec's ``SalesInvoice``, ``SalesCreditNote``, ``PurchaseInvoice``, ``PurchaseCreditNote`` (+ their
``*LineItem``, ``TaxBreakdown``, ``ArtefactTaxAnalysis``, ``PaymentAllocation``) and ``post*``/``put*`` bodies.

Computed as Sage documents them (spec member descriptions) or, where marked, as inferred:

- Line: ``net_amount`` = quantity × unit_price − discount (quantity defaults to 1 on sales lines, whose post body does
  not require it); with ``unit_price_includes_tax`` the tax is inside that amount, so net = amount − tax (inferred).
  ``tax_amount`` is taken from the request: the spec says it "is required in v3.1, unless the tax rate is of a
  "zero", "exempt" or "no_tax" type. Then the tax_amount is infered as 0.0", so a missing tax on a positive rate
  answers 422. ``tax_rate_id`` is required on a line (Sage's RecordInvalid example ``line_items.tax_rate_id`` "This
  field is required."). ``total_amount`` = net + tax.
- Shipping (sales): ``shipping_tax_amount`` "is calculated based on the shipping_net_amount and the
  shipping_tax_rate" (spec), half-up to the penny.
- Document: net/tax/total are the sums of the lines (+ shipping); ``tax_analysis`` groups them by tax rate;
  ``outstanding_amount`` = total − ``total_paid``; ``total_paid`` = payments/allocations + their discounts.
- ``status.id`` (artefact statuses): DRAFT when created with ``status_id: "DRAFT"``, else UNPAID; PART_PAID/PAID as
  payments and allocations settle it; VOID after a void. ``POST …/release`` turns a DRAFT into UNPAID (spec:
  "Releases a …", 201).
- Numbers: sales invoices ``SI-<n>`` and sales credit notes ``SCN-<n>`` (``invoice_number_prefix``; the pattern
  follows Sage's ``SQ-2`` quote in the pagination guide; inferred) unless the request gives a number;
  ``displayed_as`` is the number. Purchase artefacts have no number: ``displayed_as`` is the reference, the vendor
  reference, or ``"<contact name> <date>"`` (unconfirmed).
- ``due_date`` of a sales invoice defaults to date + the contact's ``credit_days`` (30 when unset; inferred);
  purchase invoices require it (spec).
- DELETE on a sales invoice or credit note **voids** it (spec: "Voids a …", 200 with the record; ``void_reason``
  "required unless status is DRAFT"); a DRAFT is deleted instead and answered 200 with its last state (inferred).
  DELETE on a purchase artefact deletes it (spec: "Deletes a …", 204). An artefact with payments or allocations can
  neither be voided, deleted nor edited until they are removed (inferred, as in Sage's UI).
- Only the business's base currency is accepted (multi-currency documents are not emulated).
- Postings (not for DRAFT or VOID): sales invoice Dr debtors control / Cr line ledger accounts, Cr sales tax control;
  purchase invoice Dr line ledger accounts, Dr purchase tax control / Cr creditors control; credit notes the
  reverse (:mod:`emulators.sage_accounting.ledger`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .. import errors, ledger
from ..context import (
    ZERO,
    Context,
    a_bool,
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
from ..listing import truthy
from ..store import Business
from .analysis import line_categories
from .base import Handler

ZERO_TAX_KINDS = ("zero", "exempt", "no_tax")
ADDRESS_MEMBERS = ("address_line_1", "address_line_2", "city", "postal_code", "region")
DEFAULT_CREDIT_DAYS = 30


@dataclass(frozen=True)
class Kind:
    """What distinguishes the four artefact collections."""

    collection: str
    singular: str
    lines_key: str
    side: str  # "sales" | "purchase"
    credit: bool
    transaction_type: str
    series: str | None
    number_field: str | None
    voids: bool

    @property
    def line_required(self) -> tuple[str, ...]:
        base = ("description", "ledger_account_id", "unit_price")
        return (*base, "quantity") if self.side == "purchase" else base


KINDS = {
    "sales_invoices": Kind("sales_invoices", "sales_invoice", "invoice_lines", "sales", False, "SALES_INVOICE",
                           "SI-", "invoice_number", True),
    "sales_credit_notes": Kind("sales_credit_notes", "sales_credit_note", "credit_note_lines", "sales", True,
                               "SALES_CREDIT_NOTE", "SCN-", "credit_note_number", True),
    "purchase_invoices": Kind("purchase_invoices", "purchase_invoice", "invoice_lines", "purchase", False,
                              "PURCHASE_INVOICE", None, None, False),
    "purchase_credit_notes": Kind("purchase_credit_notes", "purchase_credit_note", "credit_note_lines", "purchase",
                                  True, "PURCHASE_CREDIT_NOTE", None, None, False),
}


def artefact_collections() -> tuple[str, ...]:
    return tuple(KINDS)


# ------------------------------------------------------------------------------------------------ lines


def _tax_rate(ctx: Context, tax_rate_id: Any, source: str) -> dict[str, Any]:
    return ctx.lookup("tax_rates", tax_rate_id, source)


def _tax_for(rate: dict[str, Any], given: Decimal | None, source: str) -> Decimal:
    """The line tax: as given; 0 for a zero/exempt/no-tax rate; else required (spec, SalesInvoiceLineItem)."""
    if given is not None:
        return given
    if rate.get("_kind") in ZERO_TAX_KINDS or not rate.get("percentage"):
        return ZERO
    raise errors.required(source)


def build_line(ctx: Context, kind: Kind, given: Any, index: int) -> dict[str, Any]:
    """One stored line from a request line."""
    key = kind.lines_key
    line_in = an_object(given, f"{key}[{index}]")
    require(line_in, kind.line_required, f"{key}.")
    require(line_in, ("tax_rate_id",), f"{key}.")
    account = ctx.lookup("ledger_accounts", line_in["ledger_account_id"], f"{key}.ledger_account_id")
    rate = _tax_rate(ctx, line_in["tax_rate_id"], f"{key}.tax_rate_id")
    quantity = opt_money(line_in, "quantity", f"{key}.quantity", Decimal("1"))
    unit_price = money(line_in["unit_price"], f"{key}.unit_price")
    includes_tax = a_bool(line_in.get("unit_price_includes_tax", False), f"{key}.unit_price_includes_tax")
    amount = round2(quantity * unit_price)
    line: dict[str, Any] = {"id": ctx.ids.new(), "displayed_as": "", "description": a_string(
        line_in["description"], f"{key}.description")}
    discount = ZERO
    if kind.side == "sales":
        discount = opt_money(line_in, "discount_amount", f"{key}.discount_amount") or ZERO
        percentage = opt_money(line_in, "discount_percentage", f"{key}.discount_percentage")
        if percentage is not None and "discount_amount" not in line_in:
            discount = round2(amount * percentage / 100)
        line["discount_amount"] = discount
        line["base_currency_discount_amount"] = discount
        line["discount_percentage"] = percentage if percentage is not None else (
            round2(discount * 100 / amount) if amount else ZERO)
    gross = amount - discount
    tax = _tax_for(rate, opt_money(line_in, "tax_amount", f"{key}.tax_amount"), f"{key}.tax_amount")
    net = gross - tax if includes_tax else gross
    line.update({
        "displayed_as": line["description"], "ledger_account": base_ref(account), "quantity": quantity,
        "unit_price": unit_price, "unit_price_includes_tax": includes_tax, "net_amount": net,
        "tax_rate": base_ref(rate), "tax_amount": tax, "total_amount": net + tax,
        "tax_breakdown": [{"tax_rate": base_ref(rate), "percentage": rate.get("percentage", ZERO), "amount": tax}],
        "base_currency_unit_price": unit_price, "base_currency_net_amount": net, "base_currency_tax_amount": tax,
        "base_currency_total_amount": net + tax, "trade_of_asset": bool(line_in.get("trade_of_asset", False))})
    line["base_currency_tax_breakdown"] = [dict(b) for b in line["tax_breakdown"]]
    if kind.side == "purchase":
        line["is_purchase_for_resale"] = bool(line_in.get("is_purchase_for_resale", False))
        line["tax_recoverable"] = bool(line_in.get("tax_recoverable", True))
    for member, collection in (("product_id", "products"), ("service_id", "services")):
        ref = ctx.optional_ref(line_in, member, collection, f"{key}.{member}")
        if ref:
            line[member.removesuffix("_id")] = ref
    if line_in.get("analysis_type_categories"):
        line["analysis_type_categories"] = line_categories(ctx, line_in["analysis_type_categories"],
                                                           f"{key}.analysis_type_categories")
    return line


def line_body(line: dict[str, Any], kind: Kind) -> dict[str, Any]:
    """The request form of a stored line (for partial updates of stored, e.g. seeded, artefacts)."""
    body = {"description": line.get("description", ""), "ledger_account_id": line["ledger_account"]["id"],
            "quantity": line.get("quantity"), "unit_price": line.get("unit_price"),
            "unit_price_includes_tax": line.get("unit_price_includes_tax", False),
            "tax_rate_id": (line.get("tax_rate") or {}).get("id"), "tax_amount": line.get("tax_amount")}
    if kind.side == "sales":
        body["discount_amount"] = line.get("discount_amount", ZERO)
    for member in ("product", "service"):
        if line.get(member):
            body[f"{member}_id"] = line[member]["id"]
    if line.get("analysis_type_categories"):
        body["analysis_type_categories"] = [c["id"] for c in line["analysis_type_categories"]]
    return {k: v for k, v in body.items() if v is not None}


# ------------------------------------------------------------------------------------------------ handler


class Artefacts(Handler):
    """The four artefact collections (the collection picks the :class:`Kind`)."""

    def __init__(self, spec: Any) -> None:
        super().__init__(spec)
        self.kind = KINDS[spec.name]

    # ---------------------------------------------------------------------------------------- building

    def _base_currency(self, ctx: Context) -> str:
        return ctx.business.settings["financial_settings"]["base_currency"]["id"]

    def _build(self, ctx: Context, body: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
        """A complete record from a complete request form (``current`` keeps id, number, status, payments)."""
        kind = self.kind
        require(body, self.spec.required)
        contact = ctx.lookup("contacts", body["contact_id"], "contact_id")
        on = a_date(body["date"], "date")
        lines_in = a_list(body[kind.lines_key], kind.lines_key)
        if not lines_in:
            raise errors.required(kind.lines_key)
        currency = body.get("currency_id") or self._base_currency(ctx)
        if currency != self._base_currency(ctx):
            ctx.lookup("currencies", currency, "currency_id")
            raise errors.record_invalid("must be the business's base currency", "currency_id")
        lines = [build_line(ctx, kind, given, i) for i, given in enumerate(lines_in)]
        record = dict(current) if current else ctx.new_record(kind.collection)
        record.update({
            "contact": base_ref(contact), "date": on.isoformat(),
            "contact_name": body.get("contact_name") or contact.get("name", ""),
            "contact_reference": body.get("contact_reference") or contact.get("reference", ""),
            "currency": ctx.ref("currencies", currency), "exchange_rate": Decimal("1"),
            # The spec declares PurchaseCreditNote.inverse_exchange_rate a string (its other artefacts: number).
            "inverse_exchange_rate": "1.0" if kind.collection == "purchase_credit_notes" else Decimal("1"),
            kind.lines_key: lines,
            "transaction_type": ctx.ref("transaction_types", kind.transaction_type),
            "vat_reverse_charge": bool(body.get("vat_reverse_charge", False)), "is_cis": False,
            "tax_calculation_method": ctx.business.settings["financial_settings"].get(
                f"{kind.side}_tax_calculation", "invoice")})
        for member in ("reference", "notes", "vendor_reference", "terms_and_conditions"):
            if member == "vendor_reference" and kind.side != "purchase":
                continue
            if member == "terms_and_conditions" and kind.side != "sales":
                continue
            if body.get(member) is not None:
                record[member] = a_string(body[member], member)
            else:
                record.pop(member, None)
        if kind.credit and body.get("original_invoice_date") is not None:
            record["original_invoice_date"] = a_date(body["original_invoice_date"], "original_invoice_date").isoformat()
        if not kind.credit:
            record["due_date"] = self._due_date(body, contact, on)
        if kind.side == "sales":
            for member in ("main_address", "delivery_address"):
                if body.get(member) is not None:
                    given = an_object(body[member], member)
                    record[member] = {k: a_string(given[k], f"{member}.{k}") for k in ADDRESS_MEMBERS
                                      if given.get(k) is not None}
                    if given.get("country_id") is not None:
                        record[member]["country"] = base_ref(ctx.lookup("countries", given["country_id"],
                                                                        f"{member}.country_id"))
            self._shipping(ctx, record, body)
        self._totals(record, ctx.business)
        if kind.number_field:
            number = body.get(kind.number_field)
            if number is None:
                number = (current or {}).get(kind.number_field) or \
                    f"{kind.series}{ctx.business.next_number(kind.series or '')}"
            record[kind.number_field] = a_string(number, kind.number_field)
            _reserve(ctx.business, kind.series or "", record[kind.number_field])
            record[f"{kind.number_field}_prefix"] = kind.series
            record["displayed_as"] = record[kind.number_field]
        else:
            record["displayed_as"] = record.get("reference") or record.get("vendor_reference") or \
                f"{record['contact_name']} {record['date']}"
        return record

    def _due_date(self, body: dict[str, Any], contact: dict[str, Any], on: date) -> str:
        if body.get("due_date") is not None:
            due = a_date(body["due_date"], "due_date")
            if due < on:
                raise errors.record_invalid("must be on or after the date", "due_date")
            return due.isoformat()
        days = contact.get("credit_days")
        return date.fromordinal(on.toordinal() + (DEFAULT_CREDIT_DAYS if days is None else days)).isoformat()

    def _shipping(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> None:
        net = opt_money(body, "shipping_net_amount", "shipping_net_amount")
        if not net:
            for member in ("shipping_net_amount", "shipping_tax_rate", "shipping_tax_amount", "shipping_total_amount",
                           "shipping_tax_breakdown"):
                record.pop(member, None)
            return
        rate = None
        if body.get("shipping_tax_rate_id") is not None:
            rate = _tax_rate(ctx, body["shipping_tax_rate_id"], "shipping_tax_rate_id")
        percentage = (rate or {}).get("percentage") or ZERO
        tax = round2(net * percentage / 100)
        record.update({"shipping_net_amount": net, "shipping_tax_amount": tax, "shipping_total_amount": net + tax,
                       "base_currency_shipping_net_amount": net, "base_currency_shipping_tax_amount": tax,
                       "base_currency_shipping_total_amount": net + tax})
        if rate:
            record["shipping_tax_rate"] = base_ref(rate)
            record["shipping_tax_breakdown"] = [{"tax_rate": base_ref(rate), "percentage": percentage, "amount": tax}]

    def _totals(self, record: dict[str, Any], business: Business) -> None:
        lines = record[self.kind.lines_key]
        shipping_net = record.get("shipping_net_amount", ZERO)
        shipping_tax = record.get("shipping_tax_amount", ZERO)
        net = sum((line["net_amount"] for line in lines), ZERO) + shipping_net
        tax = sum((line["tax_amount"] for line in lines), ZERO) + shipping_tax
        analysis: dict[str, dict[str, Any]] = {}
        for line in lines:
            row = analysis.setdefault(line["tax_rate"]["id"], {
                "tax_rate": dict(line["tax_rate"]), "net_amount": ZERO, "tax_amount": ZERO, "total_amount": ZERO,
                "goods_amount": ZERO, "service_amount": ZERO})
            row["net_amount"] += line["net_amount"]
            row["tax_amount"] += line["tax_amount"]
            row["total_amount"] += line["total_amount"]
            row["service_amount" if line.get("service") else "goods_amount"] += line["net_amount"]
        if shipping_net and record.get("shipping_tax_rate"):
            row = analysis.setdefault(record["shipping_tax_rate"]["id"], {
                "tax_rate": dict(record["shipping_tax_rate"]), "net_amount": ZERO, "tax_amount": ZERO,
                "total_amount": ZERO, "goods_amount": ZERO, "service_amount": ZERO})
            row["net_amount"] += shipping_net
            row["tax_amount"] += shipping_tax
            row["total_amount"] += shipping_net + shipping_tax
            row["goods_amount"] += shipping_net
        record.update({"net_amount": net, "tax_amount": tax, "total_amount": net + tax,
                       "base_currency_net_amount": net, "base_currency_tax_amount": tax,
                       "base_currency_total_amount": net + tax, "tax_analysis": list(analysis.values()),
                       "total_quantity": sum((line["quantity"] for line in lines), ZERO)})
        if self.kind.side == "sales":
            discount = sum((line.get("discount_amount", ZERO) for line in lines), ZERO)
            record["total_discount_amount"] = discount
            record["base_currency_total_discount_amount"] = discount
        settle(record, business)

    # ---------------------------------------------------------------------------------------- ledger

    def _post(self, ctx: Context, record: dict[str, Any]) -> None:
        kind, business = self.kind, ctx.business
        if kind.side == "sales":
            control = ledger.control_account(business, "debtors")["id"]
            tax_account = ledger.control_account(business, "sales_tax")["id"]
        else:
            control = ledger.control_account(business, "creditors")["id"]
            tax_account = ledger.control_account(business, "purchase_tax")["id"]
        # The "natural" side of the lines: credit for a sales invoice, debit for a purchase invoice.
        lines_credit = (kind.side == "sales") != kind.credit
        postings = []
        for line in record[kind.lines_key]:
            postings.append(_posting(line["ledger_account"]["id"], line["net_amount"], lines_credit,
                                     line["description"], line["tax_rate"]["id"]))
            postings.append(_posting(tax_account, line["tax_amount"], lines_credit, line["description"],
                                     line["tax_rate"]["id"]))
        if record.get("shipping_net_amount"):
            carriage = business.settings["business_settings"]["default_ledger_accounts"]["carriage_ledger_account"]
            rate_id = (record.get("shipping_tax_rate") or {}).get("id")
            postings.append(_posting(carriage["id"], record["shipping_net_amount"], lines_credit, "Shipping", rate_id))
            postings.append(_posting(tax_account, record["shipping_tax_amount"], lines_credit, "Shipping", rate_id))
        postings.append(_posting(control, record["total_amount"], not lines_credit, record["displayed_as"]))
        ledger.post(ctx, record, origin_collection=kind.collection, transaction_type_id=kind.transaction_type,
                    on=record["date"], reference=record.get("reference") or record["displayed_as"],
                    contact=record["contact"], total=record["total_amount"], postings=postings)

    # ---------------------------------------------------------------------------------------- operations

    def create(self, ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
        status = body.get("status_id") or "UNPAID"
        if status not in ("DRAFT", "UNPAID"):
            raise errors.record_invalid("is invalid", "status_id")
        record = self._build(ctx, body, None)
        record.update({"status": ctx.ref("artefact_statuses", status), "editable": True, "payments_allocations": []})
        if self.kind.side == "sales":
            record.update({"sent": bool(body.get("sent", False)), "sent_by_email": False})
        settle(record, ctx.business)
        ctx.business.put(self.kind.collection, record)
        if status != "DRAFT":
            self._post(ctx, record)
        return record

    def _body_of(self, record: dict[str, Any]) -> dict[str, Any]:
        kind = self.kind
        body: dict[str, Any] = {"contact_id": record["contact"]["id"], "date": record["date"],
                                kind.lines_key: [line_body(line, kind) for line in record[kind.lines_key]]}
        for member in ("due_date", "reference", "notes", "vendor_reference", "terms_and_conditions",
                       "original_invoice_date", "contact_name", "contact_reference", "main_address",
                       "delivery_address", "shipping_net_amount", "vat_reverse_charge"):
            if record.get(member) is not None:
                body[member] = record[member]
        for member in ("main_address", "delivery_address"):
            if isinstance(body.get(member), dict) and body[member].get("country"):
                body[member] = {**{k: v for k, v in body[member].items() if k != "country"},
                                "country_id": body[member]["country"]["id"]}
        if record.get("shipping_tax_rate"):
            body["shipping_tax_rate_id"] = record["shipping_tax_rate"]["id"]
        if kind.number_field:
            body[kind.number_field] = record[kind.number_field]
        body["currency_id"] = record["currency"]["id"]
        return body

    def _locked(self, record: dict[str, Any], action: str) -> None:
        if record["status"]["id"] == "VOID":
            raise errors.record_invalid(f"A void artefact cannot be {action}", "status_id")
        if record.get("payments_allocations"):
            raise errors.record_invalid(
                f"An artefact with payments or allocations cannot be {action}; remove them first", "id")

    def update(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        self._locked(record, "edited")
        status = record["status"]["id"]
        if body.get("status_id") not in (None, status):
            if not (status == "DRAFT" and body["status_id"] == "UNPAID"):
                raise errors.record_invalid("cannot be changed", "status_id")
            status = "UNPAID"
        merged = {**self._body_of(record), **{k: v for k, v in body.items() if k != "status_id"}}
        built = self._build(ctx, merged, record)
        built["status"] = ctx.ref("artefact_statuses", status)
        settle(built, ctx.business)
        record.clear()
        record.update(built)
        ctx.touch(record)
        if status != "DRAFT":
            self._post(ctx, record)
        return record

    def release(self, ctx: Context, record: dict[str, Any]) -> dict[str, Any]:
        if record["status"]["id"] != "DRAFT":
            raise errors.record_invalid("Only a draft can be released", "status_id")
        record["status"] = ctx.ref("artefact_statuses", "UNPAID")
        settle(record, ctx.business)
        ctx.touch(record)
        self._post(ctx, record)
        return record

    def delete(self, ctx: Context, record: dict[str, Any], params: Mapping[str, str]) -> dict[str, Any] | None:
        self._locked(record, "voided" if self.kind.voids else "deleted")
        status = record["status"]["id"]
        if not self.kind.voids or status == "DRAFT":
            ledger.unpost(ctx, record)
            stone = ctx.business.remove(self.kind.collection, record["id"], stamp=ctx.stamp())
            if not self.kind.voids:
                return None
            return {**record, "deleted_at": stone["deleted_at"]}
        reason = params.get("void_reason")
        if not reason:
            raise errors.required("void_reason")
        record.update({"status": ctx.ref("artefact_statuses", "VOID"), "void_reason": reason, "editable": False})
        settle(record, ctx.business)
        ctx.touch(record)
        ledger.unpost(ctx, record)
        return record

    def present(self, business: Business, record: dict[str, Any], params: Mapping[str, str]) -> dict[str, Any]:
        if truthy(params.get("show_payments_allocations")):
            return record
        return {k: v for k, v in record.items() if k != "payments_allocations"}


def _reserve(business: Business, series: str, number: str) -> None:
    """A given number of the series (``SI-12``) moves the series on, so generated numbers never repeat it."""
    tail = number[len(series):] if number.startswith(series) else ""
    if tail.isdigit() and int(tail) > business.numbers[series]:
        business.numbers[series] = int(tail)


def _posting(account_id: str, amount: Decimal, credit: bool, description: str,
             tax_rate_id: str | None = None) -> ledger.Posting:
    """A posting of ``amount`` on the debit or credit side; a negative amount goes to the other side."""
    if amount < 0:
        amount, credit = -amount, not credit
    if credit:
        return ledger.Posting(account_id, credit=amount, description=description, tax_rate_id=tax_rate_id)
    return ledger.Posting(account_id, debit=amount, description=description, tax_rate_id=tax_rate_id)


# ------------------------------------------------------------------------------------------------ settlement


def settle(record: dict[str, Any], business: Business) -> None:
    """Recompute the paid/outstanding members and the status from ``payments_allocations``.

    ``total_paid`` = Σ amount + Σ discount; ``outstanding_amount`` = total − total_paid; status PAID at zero
    outstanding, PART_PAID when something is paid, UNPAID otherwise; DRAFT and VOID stay (a VOID has nothing
    outstanding).
    """
    allocations = record.get("payments_allocations") or []
    paid = sum((a["amount"] for a in allocations), ZERO)
    discount = sum((a.get("discount", ZERO) for a in allocations), ZERO)
    total = record.get("total_amount", ZERO)
    status = (record.get("status") or {}).get("id")
    outstanding = ZERO if status == "VOID" else total - paid - discount
    record.update({"payments_allocations_total_amount": paid, "payments_allocations_total_discount": discount,
                   "total_paid": paid + discount, "outstanding_amount": outstanding,
                   "base_currency_outstanding_amount": outstanding})
    if allocations:
        record["last_paid"] = max(a["date"] for a in allocations)
    else:
        record.pop("last_paid", None)
    if status in ("UNPAID", "PART_PAID", "PAID"):
        new = "PAID" if outstanding == 0 else ("PART_PAID" if paid + discount > 0 else "UNPAID")
        if new != status:
            record["status"] = base_ref(business.collections["artefact_statuses"][new])
