"""Invoices and CreditNotes over Sage's sales and purchase documents, and credit-note allocations.

Operations: ``getInvoices``, ``getInvoice``, ``createInvoices``, ``updateOrCreateInvoices``, ``updateInvoice``,
``getCreditNotes``, ``getCreditNote``, ``createCreditNotes``, ``updateOrCreateCreditNotes``, ``updateCreditNote``,
``createCreditNoteAllocation``.

Status changes of an existing document (upstream-contracts.md §2 "Resources", §4 hard case 5; the Xero rules as
the native ledger applies them):

- DRAFT/SUBMITTED → AUTHORISED: ``POST /{resource}/{id}/release`` (Sage releases a draft), after any field update;
- → VOIDED (a posted document): ``DELETE /{resource}/{id}?void_reason=…`` — Sage's DELETE voids a posted sales
  document and requires a reason, Xero has none: :data:`VOID_REASON` is sent; a purchase document is deleted by it
  (swagger "Deletes a Purchase Invoice") and answered VOIDED;
- → DELETED (a draft only, as in Xero): ``DELETE /{resource}/{id}`` (a draft needs no reason and is deleted);
- field changes: ``PUT /{resource}/{id}`` (documents only Sage itself lets edit; its refusal is passed on).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gateway.xero import query as xq
from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.models.documents import Allocation, CreditNote, Invoice
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import collections, listing, messages
from .batch import run_batch
from .codes import DocumentKind, tables
from .ops_contacts import list_by_ids, resolve_guids
from .query import Collection, guid_literals, plan
from .translate.common import ref_id, xero_date, xero_number, xero_text
from .translate.documents import create_body, document_from_sage, update_body, xero_status

if TYPE_CHECKING:
    from .call import Call
    from .ops_contacts import ContactOps

DOCUMENT_KINDS = ("ledger_accounts", "tax_rates", "products", "services")
#: ``void_reason`` Sage requires to void a posted document (ours: Xero sends no reason).
VOID_REASON = "Voided through the Xero API (xero-gateway)"
POSTED = ("AUTHORISED", "PAID")


def _kind_of_resource(resource: str) -> DocumentKind:
    return tables().documents_by_resource[resource]


async def account_ids_of(call: Call, elements: list[dict[str, Any]]) -> dict[str, str]:
    """lower-case AccountID GUIDs named by lines → Sage ledger account ids."""
    out: dict[str, str] = {}
    for element in elements:
        for line in element.get("LineItems") or element.get("JournalLines") or []:
            guid = xero_text(line, "AccountID") if isinstance(line, dict) else None
            if guid and guid.lower() not in out:
                ref = await call.find(guid, ("ledger_accounts",))
                if ref is not None:
                    out[guid.lower()] = ref.sage_id
    return out


class DocumentOps:
    """Mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter` (module docstring)."""

    if TYPE_CHECKING:
        def call(self, ctx: RequestContext, req: XeroRequest) -> Any: ...
        find_contact = ContactOps.find_contact
        ensure_contact = ContactOps.ensure_contact

    # Reads -------------------------------------------------------------------------------------------------

    async def _list_documents(self, ctx: RequestContext, req: XeroRequest, collection: Collection,
                              model: type) -> Result:
        async with self.call(ctx, req) as call:
            query = req.query
            if query.where is not None:
                xq.check_fields(query.where, model)
            if query.order:
                xq.check_fields(query.order, model)
            tx = await call.tx(*DOCUMENT_KINDS)

            async def translate(rows: listing.Rows) -> list[Any]:
                return [document_from_sage(row, _kind_of_resource(stream.resource), tx) for stream, row in rows]

            resolved = await resolve_guids(call, [g for _, g in guid_literals(query.where, collection)]
                                           + list(query.contact_ids))
            document_plan = plan(collection, query, resolved=resolved)
            if query.invoice_numbers and collection.name == "Invoices":
                numbers = tuple(xq.Compare("==", xq.Path(("InvoiceNumber",)), xq.Literal(n))
                                for n in query.invoice_numbers)
                extra = numbers[0] if len(numbers) == 1 else xq.BoolOp("or", numbers)
                document_plan.residual = extra if document_plan.residual is None else \
                    xq.BoolOp("and", (document_plan.residual, extra))
            if query.ids:
                resources = tuple(s.resource for s in document_plan.live)
                rows = await list_by_ids(call, query.ids, resources)
                models = [document_from_sage(row, _kind_of_resource(resource), tx) for resource, row in rows]
                listed = listing.finish(models, document_plan, query, search_paths=collection.search_paths)
            else:
                listed = await listing.run(call, document_plan, query, translate=translate,
                                           search_paths=collection.search_paths)
            if query.summary_only:
                for item in listed.items:
                    item.LineItems = None
            return Result(items=listed.items, pagination=listed.pagination)

    async def _get_document(self, ctx: RequestContext, req: XeroRequest, collection: str, id_param: str) -> Result:
        async with self.call(ctx, req) as call:
            resources = tuple(k.resource for k in tables().kinds(collection))
            ref = await call.find(req.path_params.get(id_param), resources)
            if ref is None:
                raise NotFound()
            row = await call.read(ref.resource, ref.sage_id)
            tx = await call.tx(*DOCUMENT_KINDS)
            return Result(items=[document_from_sage(row, _kind_of_resource(ref.resource), tx)])

    async def get_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._list_documents(ctx, req, collections.INVOICES, Invoice)

    async def get_invoice(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._get_document(ctx, req, "Invoices", "InvoiceID")

    async def get_credit_notes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._list_documents(ctx, req, collections.CREDIT_NOTES, CreditNote)

    async def get_credit_note(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._get_document(ctx, req, "CreditNotes", "CreditNoteID")

    # Writes ------------------------------------------------------------------------------------------------

    async def _prepare_update(self, call: Call, element: dict[str, Any], resource: str, sage_id: str,
                              account_ids: dict[str, str]):
        kind = _kind_of_resource(resource)
        current = await call.read(resource, sage_id)
        status = xero_status(current)
        wanted = (xero_text(element, "Status") or status).upper()
        if wanted == "SUBMITTED":
            wanted = "DRAFT"
        tx = await call.tx(*DOCUMENT_KINDS)
        found_contact = None
        if isinstance(element.get("Contact"), dict) and (element["Contact"].get("ContactID")
                                                         or element["Contact"].get("Name")):
            found_contact = await self.find_contact(call, element)
        body = update_body(element, kind, tx, contact_id=None, account_ids=account_ids)
        if status in ("VOIDED", "DELETED") and (body or wanted != status):
            raise ValidationException.single(messages.INVOICE_STATUS_MODIFICATION, element)
        if wanted == "DELETED" and status != "DRAFT" or wanted == "VOIDED" and status not in POSTED \
                or wanted == "DRAFT" and status != "DRAFT" or wanted == "PAID" and status != "PAID":
            raise ValidationException.single(messages.INVOICE_STATUS_MODIFICATION, element)

        async def perform():
            if found_contact is not None:
                body["contact_id"] = await self.ensure_contact(call, found_contact, needed_type=kind.contact_type,
                                                               label=f"{kind.resource}:{sage_id}", element=element)
            row = current
            if wanted in ("DELETED", "VOIDED"):
                params = {"void_reason": VOID_REASON} if wanted == "VOIDED" else None
                await call.delete(resource, sage_id, params=params, element=element)
                row = await self._after_delete(call, resource, sage_id, current, voided=wanted == "VOIDED")
            else:
                if body:
                    row = await call.update(resource, kind.wrapper, sage_id, body, element=element)
                if wanted == "AUTHORISED" and status == "DRAFT":
                    await call.action(f"/{resource}/{sage_id}/release", resource=resource, element=element)
                    row = await call.read(resource, sage_id)
            return document_from_sage(row, kind, await call.tx(*DOCUMENT_KINDS))
        return perform

    async def _after_delete(self, call: Call, resource: str, sage_id: str, current: dict[str, Any], *,
                            voided: bool) -> dict[str, Any]:
        """The document after a DELETE: re-read (a voided sales document). A deleted one is gone: a draft is shown
        DELETED; a posted purchase document, which Sage's DELETE removes rather than voids (swagger "Deletes a
        Purchase Invoice"), is shown VOIDED as the client asked."""
        try:
            return await call.read(resource, sage_id)
        except NotFound:
            if voided:
                return {**current, "status": {"id": "VOID"}, "outstanding_amount": 0}
            return {**current, "deleted_at": current.get("updated_at") or "deleted"}

    async def _write_documents(self, ctx: RequestContext, req: XeroRequest, *, collection: str, upsert: bool,
                               id_param: str | None = None) -> Result:
        async with self.call(ctx, req) as call:
            account_ids = await account_ids_of(call, req.elements)
            resources = tuple(k.resource for k in tables().kinds(collection))
            id_field = "InvoiceID" if collection == "Invoices" else "CreditNoteID"

            async def prepare(index: int, element: dict[str, Any]):
                guid = req.path_params.get(id_param) if id_param else xero_text(element, id_field)
                if guid and (upsert or id_param):
                    ref = await call.find(guid, resources)
                    if ref is None:
                        raise ValidationException.single(messages.DOCUMENT_NOT_FOUND, element)
                    return await self._prepare_update(call, element, ref.resource, ref.sage_id, account_ids)
                kind = tables().document(xero_text(element, "Type") or "")
                if kind is None or kind.collection != collection:
                    raise ValidationException.single(messages.INVOICE_TYPE_INVALID if collection == "Invoices"
                                                     else messages.CREDIT_NOTE_TYPE_INVALID, element)
                found_contact = await self.find_contact(call, element)
                tx = await call.tx(*DOCUMENT_KINDS)
                body = create_body(element, kind, tx, contact_id="", today=call.today(), account_ids=account_ids)
                label = f"{kind.resource}:{index}"

                async def perform():
                    body["contact_id"] = await self.ensure_contact(call, found_contact, needed_type=kind.contact_type,
                                                                   label=label, element=element)
                    made = await call.create(kind.resource, kind.wrapper, body, label=label, element=element)
                    return document_from_sage(made, kind, await call.tx(*DOCUMENT_KINDS))
                return perform

            out = await run_batch(call, req.elements, prepare, collection=collection,
                                  summarize_errors=req.query.summarize_errors)
            return Result(items=out)

    async def create_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_documents(ctx, req, collection="Invoices", upsert=False)

    async def update_or_create_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_documents(ctx, req, collection="Invoices", upsert=True)

    async def update_invoice(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_documents(ctx, req, collection="Invoices", upsert=True, id_param="InvoiceID")

    async def create_credit_notes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_documents(ctx, req, collection="CreditNotes", upsert=False)

    async def update_or_create_credit_notes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_documents(ctx, req, collection="CreditNotes", upsert=True)

    async def update_credit_note(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_documents(ctx, req, collection="CreditNotes", upsert=True,
                                           id_param="CreditNoteID")

    # Allocations -------------------------------------------------------------------------------------------

    async def create_credit_note_allocation(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /CreditNotes/{id}/Allocations`` → ``POST /contact_allocations`` (:mod:`.translate.payments`)."""
        async with self.call(ctx, req) as call:
            credit_resources = tuple(k.resource for k in tables().kinds("CreditNotes"))
            ref = await call.find(req.path_params.get("CreditNoteID"), credit_resources)
            if ref is None:
                raise NotFound()
            credit = await call.read(ref.resource, ref.sage_id)
            kind = _kind_of_resource(ref.resource)
            invoice_resources = tuple(k.resource for k in tables().kinds("Invoices") if k.direction == kind.direction)
            tx = await call.tx(*DOCUMENT_KINDS)

            async def prepare(index: int, element: dict[str, Any]):
                invoice = element.get("Invoice") if isinstance(element.get("Invoice"), dict) else {}
                target = await call.find(xero_text(invoice, "InvoiceID"), invoice_resources)
                if target is None:
                    raise ValidationException.single(messages.ALLOCATION_INVOICE, element)
                amount = xero_number(element, "Amount")
                if amount is None or amount <= 0:
                    raise ValidationException.single(messages.ALLOCATION_AMOUNT, element)
                day = xero_date(element, "Date") or call.today()
                body = {"transaction_type_id": kind.allocation_type, "contact_id": ref_id(credit.get("contact")),
                        "date": day.isoformat(),
                        "allocated_artefacts": [{"artefact_id": target.sage_id, "amount": amount},
                                                {"artefact_id": ref.sage_id, "amount": -amount}]}

                async def perform() -> Allocation:
                    made = await call.create("contact_allocations", "contact_allocation", body,
                                             label=f"allocation:{index}", element=element)
                    invoice_row = await call.read(target.resource, target.sage_id)
                    credit_row = await call.read(ref.resource, ref.sage_id)
                    return Allocation(
                        AllocationID=tx.guid("contact_allocations", made["id"]), Amount=amount, Date=day,
                        Invoice=document_from_sage(invoice_row, _kind_of_resource(target.resource), tx),
                        CreditNote=document_from_sage(credit_row, kind, tx))
                return perform

            out = await run_batch(call, req.elements, prepare, collection="Allocations",
                                  summarize_errors=req.query.summarize_errors)
            return Result(items=out)
