"""``/sales_quotes``: quotes to customers (no postings: a quote is not a transaction).

Shapes: the spec's ``SalesQuote``, ``SalesQuoteLineItem``, ``QuoteStatus`` and the ``postSalesQuotes`` and
``putSalesQuotes`` bodies (required on create: ``contact_id``, ``date``, ``expiry_date``, ``quote_lines``). Rules and
their sources:

- Lines are computed as sales invoice lines (:func:`.artefacts.build_line`: quantity × unit price − discount, tax
  as given or zero for zero-rated rates); the document's net/tax/total are their sums.
- ``quote_number`` is ``SQ-<n>`` unless given (Sage's pagination guide shows a quote ``SQ-2``); ``displayed_as`` is
  the number.
- ``status.id`` is one of :data:`STATUSES` (the spec's ``QuoteStatus`` has no enum and Sage serves no quote status
  list: the ids are unconfirmed, as upstream-contracts.md §2 says "quotes have their own"). A new quote is
  ``DRAFT`` unless ``status_id`` says otherwise. ``invoice_id`` links the quote to a sales invoice
  (``SalesQuote.invoice``, "The invoice associated with the quote"); a linked quote is ``INVOICED`` (inferred).
- ``expiry_date`` must be on or after ``date`` (inferred). ``DELETE`` answers 204 ("Deletes a Sales Quote").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import errors
from ..context import ZERO, Context, a_date, a_list, a_string, base_ref, require
from .artefacts import Kind, build_line, line_body
from .base import Handler

#: Quote status id → display text (unconfirmed, module docstring).
STATUSES = {"DRAFT": "Draft", "PENDING": "Pending", "ACCEPTED": "Accepted", "DECLINED": "Declined",
            "INVOICED": "Invoiced"}
QUOTE = Kind("sales_quotes", "sales_quote", "quote_lines", "sales", False, "SALES_QUOTE", "SQ-", "quote_number",
             False)


class SalesQuotes(Handler):
    """``/sales_quotes``."""

    def _build(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> None:
        require(body, self.spec.required)
        contact = ctx.lookup("contacts", body["contact_id"], "contact_id")
        on = a_date(body["date"], "date")
        expiry = a_date(body["expiry_date"], "expiry_date")
        if expiry < on:
            raise errors.record_invalid("must be on or after the date", "expiry_date")
        lines_in = a_list(body["quote_lines"], "quote_lines")
        if not lines_in:
            raise errors.required("quote_lines")
        lines = [build_line(ctx, QUOTE, given, i) for i, given in enumerate(lines_in)]
        status = body.get("status_id") or (record.get("status") or {}).get("id") or "DRAFT"
        if status not in STATUSES:
            raise errors.record_invalid("is not a valid quote status", "status_id")
        invoice = ctx.optional_ref(body, "invoice_id", "sales_invoices")
        if invoice is None and record.get("invoice") and "invoice_id" not in body:
            invoice = record["invoice"]
        if invoice is not None:
            status = "INVOICED"
        net = sum((line["net_amount"] for line in lines), ZERO)
        tax = sum((line["tax_amount"] for line in lines), ZERO)
        number = body.get("quote_number") or record.get("quote_number") or \
            f"SQ-{ctx.business.next_number('SQ-')}"
        record.update({
            "contact": base_ref(contact), "contact_name": contact.get("name", ""),
            "contact_reference": contact.get("reference", ""), "date": on.isoformat(),
            "expiry_date": expiry.isoformat(), "quote_lines": lines, "net_amount": net, "tax_amount": tax,
            "total_amount": net + tax, "base_currency_net_amount": net, "base_currency_tax_amount": tax,
            "base_currency_total_amount": net + tax, "quote_number": a_string(number, "quote_number"),
            "quote_number_prefix": "SQ-", "status": {"id": status, "displayed_as": STATUSES[status]},
            "editable": status not in ("INVOICED",), "currency": ctx.ref("currencies", self._currency(ctx)),
            "exchange_rate": 1, "inverse_exchange_rate": 1})
        record["displayed_as"] = record["quote_number"]
        if invoice is not None:
            record["invoice"] = invoice
        for member in ("reference", "notes", "terms_and_conditions"):
            if body.get(member) is not None:
                record[member] = a_string(body[member], member)
            elif member in body:
                record.pop(member, None)

    def _currency(self, ctx: Context) -> str:
        return ctx.business.settings["financial_settings"]["base_currency"]["id"]

    def create(self, ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
        record = ctx.new_record("sales_quotes")
        self._build(ctx, record, body)
        ctx.business.put("sales_quotes", record)
        return record

    def update(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        if (record.get("status") or {}).get("id") == "INVOICED":
            raise errors.record_invalid("An invoiced quote cannot be edited", "status_id")
        current = {"contact_id": record["contact"]["id"], "date": record["date"], "expiry_date": record["expiry_date"],
                   "quote_lines": [line_body(line, QUOTE) for line in record["quote_lines"]]}
        draft = dict(record)
        self._build(ctx, draft, {**current, **body})
        record.clear()
        record.update(draft)
        ctx.touch(record)
        return record

    def delete(self, ctx: Context, record: dict[str, Any], params: Mapping[str, str]) -> None:
        self.remove(ctx, record)
        return None
