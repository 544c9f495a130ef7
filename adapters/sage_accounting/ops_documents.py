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

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from gateway.xero import query as xq
from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.models.documents import Allocation, CreditNote, Invoice
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import listing, messages, resources
from .batch import Perform, run_batch
from .codes import DocumentKind, tables
from .contacts import FoundContact, ensure_contact, find_contact, names_contact
from .ids import SageRef
from .ops_base import OpsBase, account_ids_of, check_query, list_by_ids, plan_list
from .parents import has_attachments
from .query import Collection
from .translate.common import Tx, money, ref_id, sage_date, xero_date, xero_number, xero_text
from .translate.documents import create_body, document_from_sage, update_body, xero_status
from .unit import SageUnit

DOCUMENT_KINDS = ("ledger_accounts", "tax_rates", "products", "services")
#: ``void_reason`` Sage requires to void a posted document (ours: Xero sends no reason).
VOID_REASON = "Voided through the Xero API (xero-gateway)"
POSTED = ("AUTHORISED", "PAID")


def kinds_for(element: dict[str, Any]) -> tuple[str, ...]:
    """The reference kinds translating ``element`` needs: the analysis types too when a line has ``Tracking``."""
    tracked = any(isinstance(line, dict) and line.get("Tracking") for line in element.get("LineItems") or [])
    return (*DOCUMENT_KINDS, "analysis_types") if tracked else DOCUMENT_KINDS


def _kind_of_resource(resource: str) -> DocumentKind:
    return tables().documents_by_resource[resource]


class DocumentOps(OpsBase):
    """Mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter` (module docstring)."""

    # Reads -------------------------------------------------------------------------------------------------

    async def _list_documents(self, ctx: RequestContext, req: XeroRequest, collection: Collection,
                              model: type) -> Result:
        async with self.unit(ctx, req) as unit:
            query = req.query
            check_query(query, model)
            tx = await unit.tx(*DOCUMENT_KINDS)
            document_plan = await plan_list(unit, collection, query)
            if query.invoice_numbers and collection.name == "Invoices":
                numbers = tuple(xq.Compare("==", xq.Path(("InvoiceNumber",)), xq.Literal(n))
                                for n in query.invoice_numbers)
                extra = numbers[0] if len(numbers) == 1 else xq.BoolOp("or", numbers)
                document_plan.residual = extra if document_plan.residual is None else \
                    xq.BoolOp("and", (document_plan.residual, extra))
            if query.ids:
                resources = tuple(s.resource for s in document_plan.live)
                rows = await list_by_ids(unit, query.ids, resources)
                models = [document_from_sage(row, _kind_of_resource(resource), tx) for resource, row in rows]
                listed = listing.finish(models, document_plan, query, search_paths=collection.search_paths)
            else:
                listed = await listing.run(unit, document_plan, query, translate=partial(_documents_from_rows, tx),
                                           search_paths=collection.search_paths)
            if query.summary_only:
                for item in listed.items:
                    item.LineItems = None
            return Result(items=listed.items, pagination=listed.pagination)

    async def _get_document(self, ctx: RequestContext, req: XeroRequest, collection: str, id_param: str) -> Result:
        async with self.unit(ctx, req) as unit:
            wanted = tuple(k.resource for k in tables().kinds(collection))
            ref = await unit.find(req.path_params.get(id_param), wanted)
            if ref is None:
                raise NotFound()
            row = await unit.read(ref.resource, ref.sage_id)
            tx = await unit.tx(*DOCUMENT_KINDS)
            model = document_from_sage(row, _kind_of_resource(ref.resource), tx)
            model.HasAttachments = await has_attachments(unit, ref.resource, ref.sage_id)
            return Result(items=[model])

    async def get_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices`` over ``GET /sales_invoices`` then ``GET /purchase_invoices`` (ACCREC before ACCPAY)."""
        return await self._list_documents(ctx, req, resources.INVOICES, Invoice)

    async def get_invoice(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices/{InvoiceID}`` → ``GET /sales_invoices/{id}`` or ``/purchase_invoices/{id}``."""
        return await self._get_document(ctx, req, "Invoices", "InvoiceID")

    async def get_credit_notes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /CreditNotes`` over ``GET /sales_credit_notes`` then ``GET /purchase_credit_notes``."""
        return await self._list_documents(ctx, req, resources.CREDIT_NOTES, CreditNote)

    async def get_credit_note(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /CreditNotes/{CreditNoteID}`` → ``GET /sales_credit_notes/{id}`` or ``/purchase_credit_notes/{id}``."""
        return await self._get_document(ctx, req, "CreditNotes", "CreditNoteID")


    # Writes ------------------------------------------------------------------------------------------------

    async def create_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Invoices`` → ``POST /sales_invoices`` (ACCREC) or ``POST /purchase_invoices`` (ACCPAY)."""
        return await self._write_documents(ctx, req, collection="Invoices", upsert=False)

    async def update_or_create_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Invoices``: known ``InvoiceID`` s are changed (module docstring), the others created."""
        return await self._write_documents(ctx, req, collection="Invoices", upsert=True)

    async def update_invoice(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Invoices/{InvoiceID}``: ``PUT``/``release``/``DELETE`` of the Sage invoice (module docstring)."""
        return await self._write_documents(ctx, req, collection="Invoices", upsert=True, id_param="InvoiceID")

    async def create_credit_notes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /CreditNotes`` → ``POST /sales_credit_notes`` or ``POST /purchase_credit_notes``."""
        return await self._write_documents(ctx, req, collection="CreditNotes", upsert=False)

    async def update_or_create_credit_notes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /CreditNotes``: known ``CreditNoteID`` s are changed, the others created."""
        return await self._write_documents(ctx, req, collection="CreditNotes", upsert=True)

    async def update_credit_note(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /CreditNotes/{CreditNoteID}``: ``PUT``/``release``/``DELETE`` of the Sage credit note."""
        return await self._write_documents(ctx, req, collection="CreditNotes", upsert=True,
                                           id_param="CreditNoteID")

    async def _write_documents(self, ctx: RequestContext, req: XeroRequest, *, collection: str, upsert: bool,
                               id_param: str | None = None) -> Result:
        # Reference data is loaded by each element's preparation (an element refused early costs no Sage call).
        return await self.write_batch(ctx, req, _prepare_document, collection=collection, kinds=(),
                                      xero_collection=collection, upsert=upsert,
                                      target=req.path_params.get(id_param) if id_param else None)

    # Allocations -------------------------------------------------------------------------------------------

    async def create_credit_note_allocation(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /CreditNotes/{CreditNoteID}/Allocations`` → ``POST /contact_allocations``
        (:mod:`.translate.payments`)."""
        async with self.unit(ctx, req) as unit:
            credit_resources = tuple(k.resource for k in tables().kinds("CreditNotes"))
            ref = await unit.find(req.path_params.get("CreditNoteID"), credit_resources)
            if ref is None:
                raise NotFound()
            credit = _CreditNote(ref.resource, ref.sage_id, await unit.read(ref.resource, ref.sage_id))
            tx = await unit.tx(*DOCUMENT_KINDS)
            out = await run_batch(unit, req.elements, partial(_prepare_allocation, unit, tx, credit),
                                  collection="Allocations", summarize_errors=req.query.summarize_errors)
            return Result(items=out)

    async def delete_credit_note_allocations(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /CreditNotes/{CreditNoteID}/Allocations/{AllocationID}`` → ``DELETE /contact_allocations/{key}``
        (swagger: "Deletes a Contact Allocation"); answers the allocation with ``IsDeleted`` true and both documents
        as they are after it.

        Raises:
            NotFound: no such credit note, or an allocation that is not one of its allocations.
        """
        async with self.unit(ctx, req) as unit:
            credit_resources = tuple(k.resource for k in tables().kinds("CreditNotes"))
            ref = await unit.find(req.path_params.get("CreditNoteID"), credit_resources)
            allocation = await unit.find(req.path_params.get("AllocationID"), ("contact_allocations",))
            if ref is None or allocation is None:
                raise NotFound()
            row = await unit.read("contact_allocations", allocation.sage_id)
            artefacts = {ref_id(a.get("artefact")): a for a in row.get("allocated_artefacts") or []
                         if isinstance(a, dict)}
            if ref.sage_id not in artefacts:
                raise NotFound()
            await unit.delete("contact_allocations", allocation.sage_id)
            tx = await unit.tx(*DOCUMENT_KINDS)
            invoice = next((k for k in artefacts if k != ref.sage_id), None)
            direction = _kind_of_resource(ref.resource).direction
            invoice_resource = next(k.resource for k in tables().kinds("Invoices") if k.direction == direction)
            invoice_ref = SageRef(invoice_resource, invoice) if invoice else None
            return Result(items=[Allocation(
                AllocationID=tx.guid("contact_allocations", allocation.sage_id),
                Amount=money(artefacts[invoice].get("amount")) if invoice else None,
                Date=sage_date(row.get("date")), IsDeleted=True,
                Invoice=document_from_sage(await unit.read(invoice_ref.resource, invoice_ref.sage_id),
                                           _kind_of_resource(invoice_ref.resource), tx) if invoice_ref else None,
                CreditNote=document_from_sage(await unit.read(ref.resource, ref.sage_id),
                                              _kind_of_resource(ref.resource), tx))])


async def _documents_from_rows(tx: Tx, rows: listing.Rows) -> list[Any]:
    return [document_from_sage(row, _kind_of_resource(stream.resource), tx) for stream, row in rows]


# Document writes: prepared for every element first, then performed (adapters.sage_accounting.batch) --------------

async def _prepare_document(unit: SageUnit, tx: Tx, index: int, element: dict[str, Any], *, xero_collection: str,
                            upsert: bool, target: str | None) -> Perform:
    """Validate and translate one Invoice or CreditNote (no write yet): a change of the document ``target`` (the path
    id) or of the element's known id, else a create.

    Raises:
        ValidationException: an unknown document id, a wrong ``Type``, a status change Xero refuses, or a field
            Sage's document cannot hold.
    """
    id_field = "InvoiceID" if xero_collection == "Invoices" else "CreditNoteID"
    account_ids = await account_ids_of(unit, [element])
    guid = target or xero_text(element, id_field)
    if guid and (upsert or target):
        ref = await unit.find(guid, tuple(k.resource for k in tables().kinds(xero_collection)))
        if ref is None:
            raise ValidationException.single(messages.DOCUMENT_NOT_FOUND, element)
        change = await _prepare_change(unit, element, ref.resource, ref.sage_id, account_ids)
        return partial(_change_document, unit, change, element)
    kind = tables().document(xero_text(element, "Type") or "")
    if kind is None or kind.collection != xero_collection:
        raise ValidationException.single(messages.INVOICE_TYPE_INVALID if xero_collection == "Invoices"
                                         else messages.CREDIT_NOTE_TYPE_INVALID, element)
    found_contact = await find_contact(unit, element)
    tx = await unit.tx(*kinds_for(element))
    body = create_body(element, kind, tx, contact_id="", today=unit.today(), account_ids=account_ids)
    return partial(_create_document, unit, kind, body, found_contact, f"{kind.resource}:{index}", element)


async def _create_document(unit: SageUnit, kind: DocumentKind, body: dict[str, Any], found_contact: FoundContact,
                           label: str, element: dict[str, Any]) -> Invoice | CreditNote:
    """The contact (found or created), then ``POST /{resource}`` through the write ledger under ``label``."""
    body["contact_id"] = await ensure_contact(unit, found_contact, needed_type=kind.contact_type, label=label,
                                              element=element)
    made = await unit.create(kind.resource, kind.wrapper, body, label=label, element=element)
    return document_from_sage(made, kind, await unit.tx(*DOCUMENT_KINDS))


@dataclass(frozen=True)
class _Change:
    """A prepared change of an existing document.

    Attributes:
        kind: the document kind; resource, sage_id: the Sage record; current: the record as read.
        status: its Xero status now; wanted: the Xero status asked (SUBMITTED reads as DRAFT).
        body: the fields to ``PUT`` (empty: none); found_contact: a new contact named by the element, if any.
    """

    kind: DocumentKind
    resource: str
    sage_id: str
    current: dict[str, Any]
    status: str
    wanted: str
    body: dict[str, Any]
    found_contact: FoundContact | None


async def _prepare_change(unit: SageUnit, element: dict[str, Any], resource: str, sage_id: str,
                          account_ids: dict[str, str]) -> _Change:
    """Read the document and check the status change against Xero's rules (module docstring).

    Raises:
        ValidationException: ``INVOICE_STATUS_MODIFICATION`` for a change Xero refuses.
    """
    kind = _kind_of_resource(resource)
    current = await unit.read(resource, sage_id)
    status = xero_status(current)
    wanted = (xero_text(element, "Status") or status).upper()
    if wanted == "SUBMITTED":
        wanted = "DRAFT"
    tx = await unit.tx(*kinds_for(element))
    found_contact = await find_contact(unit, element) if names_contact(element) else None
    body = update_body(element, kind, tx, contact_id=None, account_ids=account_ids)
    if status in ("VOIDED", "DELETED") and (body or wanted != status):
        raise ValidationException.single(messages.INVOICE_STATUS_MODIFICATION, element)
    if wanted == "DELETED" and status != "DRAFT" or wanted == "VOIDED" and status not in POSTED \
            or wanted == "DRAFT" and status != "DRAFT" or wanted == "PAID" and status != "PAID":
        raise ValidationException.single(messages.INVOICE_STATUS_MODIFICATION, element)
    return _Change(kind, resource, sage_id, current, status, wanted, body, found_contact)


async def _change_document(unit: SageUnit, change: _Change, element: dict[str, Any]) -> Invoice | CreditNote:
    """Apply a prepared change: the contact, then ``DELETE`` (void/delete) or ``PUT`` and ``POST …/release``."""
    kind, resource, sage_id = change.kind, change.resource, change.sage_id
    if change.found_contact is not None:
        change.body["contact_id"] = await ensure_contact(unit, change.found_contact, needed_type=kind.contact_type,
                                                         label=f"{kind.resource}:{sage_id}", element=element)
    row = change.current
    if change.wanted in ("DELETED", "VOIDED"):
        params = {"void_reason": VOID_REASON} if change.wanted == "VOIDED" else None
        await unit.delete(resource, sage_id, params=params, element=element)
        row = await _after_delete(unit, resource, sage_id, change.current, voided=change.wanted == "VOIDED")
    else:
        if change.body:
            row = await unit.update(resource, kind.wrapper, sage_id, change.body, element=element)
        if change.wanted == "AUTHORISED" and change.status == "DRAFT":
            await unit.action(f"/{resource}/{sage_id}/release", resource=resource, element=element)
            row = await unit.read(resource, sage_id)
    return document_from_sage(row, kind, await unit.tx(*DOCUMENT_KINDS))


async def _after_delete(unit: SageUnit, resource: str, sage_id: str, current: dict[str, Any], *,
                        voided: bool) -> dict[str, Any]:
    """The document after a DELETE: re-read (a voided sales document). A deleted one is gone: a draft is shown
    DELETED; a posted purchase document, which Sage's DELETE removes rather than voids (swagger "Deletes a
    Purchase Invoice"), is shown VOIDED as the client asked."""
    try:
        return await unit.read(resource, sage_id)
    except NotFound:
        if voided:
            return {**current, "status": {"id": "VOID"}, "outstanding_amount": 0}
        return {**current, "deleted_at": current.get("updated_at") or "deleted"}


# Allocations ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _CreditNote:
    """The credit note being allocated: its Sage resource, id and record."""

    resource: str
    sage_id: str
    record: dict[str, Any]


async def _prepare_allocation(unit: SageUnit, tx: Tx, credit: _CreditNote, index: int, element: dict[str, Any]
                              ) -> Perform:
    """Validate one allocation and build its ``contact_allocations`` body (the invoice +amount, the credit note
    −amount; no write yet).

    Raises:
        ValidationException: no known invoice of the credit note's direction, or an amount not above zero.
    """
    kind = _kind_of_resource(credit.resource)
    invoice_resources = tuple(k.resource for k in tables().kinds("Invoices") if k.direction == kind.direction)
    invoice = element.get("Invoice") if isinstance(element.get("Invoice"), dict) else {}
    target = await unit.find(xero_text(invoice, "InvoiceID"), invoice_resources)
    if target is None:
        raise ValidationException.single(messages.ALLOCATION_INVOICE, element)
    amount = xero_number(element, "Amount")
    if amount is None or amount <= 0:
        raise ValidationException.single(messages.ALLOCATION_AMOUNT, element)
    day = xero_date(element, "Date") or unit.today()
    body = {"transaction_type_id": kind.allocation_type, "contact_id": ref_id(credit.record.get("contact")),
            "date": day.isoformat(),
            "allocated_artefacts": [{"artefact_id": target.sage_id, "amount": amount},
                                    {"artefact_id": credit.sage_id, "amount": -amount}]}
    return partial(_allocate, unit, tx, credit, target, body, index, element)


async def _allocate(unit: SageUnit, tx: Tx, credit: _CreditNote, invoice: SageRef, body: dict[str, Any], index: int,
                    element: dict[str, Any]) -> Allocation:
    """``POST /contact_allocations`` through the write ledger, then both documents read back."""
    made = await unit.create("contact_allocations", "contact_allocation", body, label=f"allocation:{index}",
                             element=element)
    invoice_row = await unit.read(invoice.resource, invoice.sage_id)
    credit_row = await unit.read(credit.resource, credit.sage_id)
    return Allocation(AllocationID=tx.guid("contact_allocations", made["id"]),
                      Amount=body["allocated_artefacts"][0]["amount"], Date=date.fromisoformat(body["date"]),
                      Invoice=document_from_sage(invoice_row, _kind_of_resource(invoice.resource), tx),
                      CreditNote=document_from_sage(credit_row, _kind_of_resource(credit.resource), tx))
