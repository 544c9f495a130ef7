"""Invoices and CreditNotes on Sage 50 (reads): posted SI/PI/SC/PC and unposted invoicing documents
(:mod:`adapters.sage50.translate.documents`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gateway.xero.errors import NotFound
from gateway.xero.models.documents import Allocation, CreditNote, Invoice
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from . import listing
from .batch import run_elements
from .errors import AgentUnavailable
from .ops_base import OpsBase
from .translate import documents as tr
from .translate import history as hist
from .translate import writes as w
from .translate.elements import Invalid
from .translate.elements import day as el_day
from .translate.elements import sub as el_sub
from .translate.elements import text as el_text
from .unit import number, text

_ORDER = [OrderTerm("Date"), OrderTerm("UpdatedDateUTC")]


class DocumentOps(OpsBase):
    async def get_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices``: ``IDs``, ``InvoiceNumbers``, ``ContactIDs``, ``Statuses``, ``searchTerm``, ``where``,
        ``order``, paging, ``If-Modified-Since``, ``summaryOnly``. Unpaged lists carry no ``LineItems`` (as
        Xero's)."""
        books, headers = await self._books(ctx)
        q = req.query
        detailed = q.page is not None and not q.summary_only
        models = [tr.invoice(books, h, detailed=detailed) for h in books.headers_of("SI", "PI")]
        models += [d for d in (tr.draft(books, doc) for doc in tr.unposted(books)) if d.__class__.__name__ == "Invoice"]
        ids, numbers, contacts, statuses = set(q.ids), set(q.invoice_numbers), set(q.contact_ids), set(q.statuses)

        def keep(inv) -> bool:
            return ((not ids or inv.InvoiceID in ids) and (not numbers or inv.InvoiceNumber in numbers)
                    and (not contacts or (inv.Contact and inv.Contact.ContactID in contacts))
                    and (not statuses or inv.Status in statuses)
                    and (not q.search_term or listing.contains(q.search_term, inv.InvoiceNumber, inv.Reference)))

        page = listing.select(models, q, default_order=_ORDER, keep=keep)
        return Result(items=page.items, pagination=page.pagination, headers=headers)

    async def get_invoice(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices/{InvoiceID}`` or ``{InvoiceNumber}``, with lines and payments. Raises ``NotFound``."""
        books, headers = await self._books(ctx)
        key = req.path_params.get("InvoiceID") or req.path_params.get("InvoiceNumber") or ""
        found = books.by_guid.get(key.lower())
        if found is not None and found[0] == "header":
            header = books.headers.get(int(found[1]))
            if header is not None and str(header.get("TYPE")) in ("SI", "PI"):
                return self._one([tr.invoice(books, header)], headers)
        if found is not None and found[0] == "document":
            doc = books.row("INVOICE", found[1])
            if doc is not None:
                return self._one([tr.draft(books, doc)], headers)
        by_number = [h for h in books.headers_of("SI", "PI") if str(h.get("INV_REF") or "").strip() == key]
        return self._one([tr.invoice(books, by_number[0])] if by_number else [], headers)

    async def get_credit_notes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /CreditNotes``: ``where``, ``order``, paging, ``If-Modified-Since``."""
        books, headers = await self._books(ctx)
        q = req.query
        detailed = q.page is not None and not q.summary_only
        models = [tr.credit_note(books, h, detailed=detailed) for h in books.headers_of("SC", "PC")]
        models += [d for d in (tr.draft(books, doc) for doc in tr.unposted(books))
                   if d.__class__.__name__ == "CreditNote"]
        page = listing.select(models, q, default_order=_ORDER)
        return Result(items=page.items, pagination=page.pagination, headers=headers)

    async def get_credit_note(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /CreditNotes/{CreditNoteID}`` (or number), with lines and allocations. Raises ``NotFound``."""
        books, headers = await self._books(ctx)
        key = req.path_params.get("CreditNoteID") or req.path_params.get("CreditNoteNumber") or ""
        found = books.by_guid.get(key.lower())
        if found is not None and found[0] == "header":
            header = books.headers.get(int(found[1]))
            if header is not None and str(header.get("TYPE")) in ("SC", "PC"):
                return self._one([tr.credit_note(books, header)], headers)
        by_number = [h for h in books.headers_of("SC", "PC") if str(h.get("INV_REF") or "").strip() == key]
        return self._one([tr.credit_note(books, by_number[0])] if by_number else [], headers)

    async def get_invoice_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices/{InvoiceID}/History`` ← the audit trail's stamps (:mod:`.translate.history`). Raises
        ``NotFound``."""
        return await self._history(ctx, req.path_params.get("InvoiceID", ""), ("SI", "PI"))

    async def get_credit_note_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /CreditNotes/{CreditNoteID}/History``. Raises ``NotFound``."""
        return await self._history(ctx, req.path_params.get("CreditNoteID", ""), ("SC", "PC"))

    async def _history(self, ctx: RequestContext, guid: str, types: tuple[str, ...]) -> Result:
        books, headers = await self._books(ctx)
        key = books.find(guid.lower(), "header")
        header = books.headers.get(int(key)) if key else None
        if header is not None and text(header.get("TYPE")) in types:
            return Result(items=hist.document_history(books, header), headers=headers)
        doc_key = books.find(guid.lower(), "document")
        doc = books.row("INVOICE", doc_key) if doc_key else None
        if doc is not None and hist.is_credit_document(doc) == (types[0] == "SC"):
            return Result(items=hist.draft_history(books, doc), headers=headers)
        raise NotFound()


RESUME = "resume"
_LEDGER = {"ACCREC": "SALES_LEDGER", "ACCRECCREDIT": "SALES_LEDGER", "ACCPAY": "PURCHASE_LEDGER",
           "ACCPAYCREDIT": "PURCHASE_LEDGER"}
NO_PURCHASE_DRAFTS = ("Sage 50 keeps no draft purchase documents or credit notes: this document was posted as "
                      "AUTHORISED.")


@dataclass
class DocumentPlan:
    """What one invoice or credit note element becomes: contact records to write first, then the posting."""

    ref: str
    records: list[dict[str, Any]]
    payload: dict[str, Any]
    draft: bool
    warning: str | None = None


class DocumentWriteOps(OpsBase):
    async def create_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Invoices``: AUTHORISED (or SUBMITTED) → ``TransactionPost`` SI/PI; DRAFT sales invoices → an
        unposted ``InvoicePost`` document (purchase drafts are posted, with a warning). Raises
        ``ValidationException`` (contact, account codes, tax types, lock date, zero total)."""
        return await self._write_documents(ctx, req, credit=False)

    async def update_or_create_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Invoices``: new invoices as ``PUT``; a posted Sage 50 transaction cannot be changed through SDO
        (sage50.md §4: no void, reverse or amend verbs), so an element naming an existing invoice is refused."""
        return await self._write_documents(ctx, req, credit=False)

    async def create_credit_notes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /CreditNotes`` → ``TransactionPost`` SC/PC (DRAFT sales credit notes → an unposted credit
        document)."""
        return await self._write_documents(ctx, req, credit=True)

    async def update_or_create_credit_notes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /CreditNotes``: as ``PUT``; existing credit notes cannot be changed (see invoices)."""
        return await self._write_documents(ctx, req, credit=True)

    async def _write_documents(self, ctx: RequestContext, req: XeroRequest, *, credit: bool) -> Result:
        jobs, books, headers = await self._jobs(ctx, req)
        id_field, number_field = ("CreditNoteID", "CreditNoteNumber") if credit else ("InvoiceID", "InvoiceNumber")
        kinds = ("ACCRECCREDIT", "ACCPAYCREDIT") if credit else ("ACCREC", "ACCPAY")
        warnings: list[str] = []
        numbers: set[str] = set()

        async def prepare(index: int, element: Mapping[str, Any]) -> Any:
            if await jobs.queued(f"post:{index}"):
                return RESUME
            if el_text(element, id_field):
                if books.find(el_text(element, id_field).lower(), "document") is not None:
                    raise Invalid("This draft is an unposted invoice in Sage 50, which SDO cannot change: change "
                                  "or post it in Sage 50.")
                raise Invalid("This document is posted in Sage 50, where a posted transaction cannot be changed "
                              "through the API: correct it in Sage 50 (or post a credit note).")
            kind = el_text(element, "Type")
            if kind not in kinds:
                raise Invalid(f"Type must be {' or '.join(kinds)}.")
            status = el_text(element, "Status") or "DRAFT"
            if status not in ("DRAFT", "SUBMITTED", "AUTHORISED"):
                raise Invalid(f"A new document cannot be created with the status {status}.")
            when = w.require_date(element)
            w.check_lock(books, when)
            ref = w.resolve_contact(books, element)
            records: list[dict[str, Any]] = []
            ledger = _LEDGER[kind]
            if ref is None:
                contact = el_sub(element, "Contact")
                ref = w.contact_ref_for(books, contact, taken=set())
                records.append(w.record_payload(ledger, w.contact_fields(contact, ref=ref, creating=True),
                                                action="create"))
                default_tax = "T9"
            else:
                row = books.row(ledger, ref)
                other = books.row("PURCHASE_LEDGER" if ledger == "SALES_LEDGER" else "SALES_LEDGER", ref)
                if row is None:
                    records.append(w.record_payload(ledger, {"ACCOUNT_REF": ref, "NAME": text((other or {}).get(
                        "NAME")) or ref}, action="create"))
                elif number(row.get("ACCOUNT_ON_HOLD")):
                    raise Invalid("The contact is on hold in Sage 50 and cannot be used.")
                elif number(row.get("INACTIVE_FLAG")):
                    raise Invalid("The contact is archived and cannot be used.")
                default_tax = text((row or other or {}).get("DEF_TAX_CODE")) or "T9"
            splits = w.posting_splits(books, element, kind=kind, default_tax=default_tax)
            inv_ref = w.document_number(books, element, kind=kind, number_field=number_field, taken=numbers)
            if inv_ref and inv_ref in numbers:
                raise Invalid(f"{number_field} {inv_ref} is used twice in this request.")
            numbers.add(inv_ref)
            sales = kind in ("ACCREC", "ACCRECCREDIT")
            if status == "DRAFT" and sales:
                payload = w.invoice_post(account_ref=ref, when=when, due=el_day(element, "DueDate"), inv_ref=inv_ref,
                                         credit=credit, splits=splits, notes=el_text(element, "Reference"))
                return DocumentPlan(ref, records, payload, draft=True)
            payload = w.transaction_post(kind=kind, account_ref=ref, when=when, due=el_day(element, "DueDate"),
                                         inv_ref=inv_ref, details=el_text(element, "Reference"), splits=splits)
            return DocumentPlan(ref, records, payload, draft=False,
                                warning=NO_PURCHASE_DRAFTS if status == "DRAFT" else None)

        async def perform(index: int, element: Mapping[str, Any], plan: Any) -> Any:
            if plan == RESUME:
                result = await jobs.run(f"post:{index}", {}, element)
            else:
                for n, record in enumerate(plan.records):
                    await jobs.run(f"contact:{index}:{n}", record, element)
                result = await jobs.run(f"post:{index}", plan.payload, element)
                if plan.warning:
                    warnings.append(plan.warning)
            return self._posted(await self._fresh(ctx), result)

        model = CreditNote if credit else Invoice
        items = await run_elements(req.elements, summarize_errors=req.query.summarize_errors, model=model,
                                   prepare=prepare, perform=perform)
        return Result(items=items, headers=headers, warnings=sorted(set(warnings)))

    @staticmethod
    def _posted(books, result: Mapping[str, Any]) -> Any:
        """The Xero document of a finished posting (``header_number``) or draft (``invoice_number``)."""
        header = books.headers.get(number(result.get("header_number")) or -1)
        if header is not None:
            kind = text(header.get("TYPE"))
            return tr.invoice(books, header) if kind in ("SI", "PI") else tr.credit_note(books, header)
        doc = books.row("INVOICE", text(result.get("invoice_number")))
        if doc is not None:
            return tr.draft(books, doc)
        raise AgentUnavailable("the connector reported the posting done but did not return it; it will appear "
                               "after the next sync")

    async def create_credit_note_allocation(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /CreditNotes/{CreditNoteID}/Allocations`` → ``AllocatePayment`` of the invoice's splits against
        the credit note's first split (sage50.md §5 [rec] 4). Raises ``NotFound``, ``ValidationException``
        (more than outstanding on either side)."""
        jobs, books, headers = await self._jobs(ctx, req)
        key = books.find(req.path_params.get("CreditNoteID", "").lower(), "header")
        credit = books.headers.get(int(key)) if key else None
        if credit is None or text(credit.get("TYPE")) not in ("SC", "PC"):
            raise NotFound()

        async def prepare(index: int, element: Mapping[str, Any]) -> Any:
            if await jobs.queued(f"allocate:{index}"):
                return RESUME
            return w.allocation_plan(books, credit, element, noun="credit note")[0]

        async def perform(index: int, element: Mapping[str, Any], plan: Any) -> Any:
            await jobs.run(f"allocate:{index}", {} if plan == RESUME else plan, element)
            fresh = await self._fresh(ctx)
            note = tr.credit_note(fresh, fresh.headers[number(credit.get("HEADER_NUMBER"))])
            return (note.Allocations or [Allocation()])[-1]

        items = await run_elements(req.elements, summarize_errors=req.query.summarize_errors, model=Allocation,
                                   prepare=prepare, perform=perform)
        return Result(items=items, headers=headers)
