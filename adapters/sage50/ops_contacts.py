"""Contacts on Sage 50 (reads): ``SALES_LEDGER`` + ``PURCHASE_LEDGER`` (:mod:`adapters.sage50.translate.contacts`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from gateway.xero.errors import NotFound
from gateway.xero.models import Contact
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from . import listing
from .batch import run_elements
from .errors import AgentUnavailable
from .ops_base import OpsBase
from .translate import contacts as tr
from .translate import writes as w
from .translate.elements import Invalid
from .translate.elements import text as el_text
from .unit import number, text


class ContactOps(OpsBase):
    async def get_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts``: ``IDs``, ``searchTerm`` (Name, ContactNumber, EmailAddress), ``includeArchived``,
        ``where``, ``order``, paging, ``If-Modified-Since``, ``summaryOnly``."""
        books, headers = await self._books(ctx)
        q = req.query
        today = datetime.now(UTC).date()
        ids = set(q.ids)

        def keep(c) -> bool:
            if ids and c.ContactID not in ids:
                return False
            if c.ContactStatus == "ARCHIVED" and not q.include_archived and not ids:
                return False
            return not q.search_term or listing.contains(q.search_term, c.Name, c.ContactNumber, c.EmailAddress)

        models = [tr.contact(books, ref, today=today) for ref in tr.contact_refs(books)]
        page = listing.select([m for m in models if m is not None], q, default_order=[OrderTerm("Name")], keep=keep)
        return Result(items=page.items, pagination=page.pagination, headers=headers)

    async def get_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts/{ContactID}`` (the id, or a ContactNumber as Xero accepts). Raises ``NotFound``."""
        books, headers = await self._books(ctx)
        key = req.path_params.get("ContactID", "")
        ref = books.find(key, "contact") or key
        return self._one([tr.contact(books, ref, today=datetime.now(UTC).date())], headers)

    async def get_contact_by_contact_number(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts/{ContactNumber}`` ← ``ACCOUNT_REF``. Raises ``NotFound``."""
        books, headers = await self._books(ctx)
        ref = req.path_params.get("ContactNumber", "")
        return self._one([tr.contact(books, ref, today=datetime.now(UTC).date())], headers)


RESUME = "resume"


class ContactWriteOps(OpsBase):
    async def create_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Contacts`` → ``SalesRecord`` (a new contact is a customer; it becomes a supplier too when a bill
        names it). Raises ``ValidationException`` (name missing or in use, bad ContactNumber)."""
        return await self._write_contacts(ctx, req, upsert=False)

    async def update_or_create_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Contacts``: elements naming an existing ContactID or ContactNumber update it (every ledger
        holding the reference), the others are created."""
        return await self._write_contacts(ctx, req, upsert=True)

    async def update_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Contacts/{ContactID}`` → ``SalesRecord``/``PurchaseRecord`` update. Raises ``NotFound``."""
        return await self._write_contacts(ctx, req, upsert=True, path_id=req.path_params.get("ContactID", ""))

    async def _write_contacts(self, ctx: RequestContext, req: XeroRequest, *, upsert: bool,
                              path_id: str | None = None) -> Result:
        jobs, books, headers = await self._jobs(ctx, req)
        taken: set[str] = set()
        if path_id is not None and books.find(path_id.lower(), "contact") is None:
            raise NotFound()

        async def prepare(index: int, element: Mapping[str, Any]) -> Any:
            if await jobs.queued(f"contact:{index}:0"):
                return RESUME
            guid = (path_id or el_text(element, "ContactID")).lower()
            ref = books.find(guid, "contact") if guid else None
            if ref is None and upsert and el_text(element, "ContactNumber"):
                number_ = el_text(element, "ContactNumber")
                if books.row("SALES_LEDGER", number_) or books.row("PURCHASE_LEDGER", number_):
                    ref = number_
            if guid and ref is None:
                raise Invalid("The contact does not exist in this organisation.")
            if ref is not None:
                if not upsert:
                    raise Invalid("A contact with this ContactID already exists: use POST to update it.")
                fields = w.contact_fields(element, ref=ref, creating=False)
                return ref, [w.record_payload(t, fields, action="update")
                             for t in ("SALES_LEDGER", "PURCHASE_LEDGER") if books.row(t, ref)]
            name = el_text(element, "Name")
            if any(text(r.get("NAME")).lower() == name.lower() and not number(r.get("INACTIVE_FLAG"))
                   for t in ("SALES_LEDGER", "PURCHASE_LEDGER") for r in books.rows(t)) and name:
                raise Invalid(f"The contact name {name} is already assigned to another contact. The contact name "
                              "must be unique across all active contacts.")
            ref = w.contact_ref_for(books, element, taken=taken)
            taken.add(ref)
            return ref, [w.record_payload("SALES_LEDGER", w.contact_fields(element, ref=ref, creating=True),
                                          action="create")]

        async def perform(index: int, element: Mapping[str, Any], plan: Any) -> Contact:
            if plan == RESUME:
                result = await jobs.run(f"contact:{index}:0", {}, element)
                ref = str(result.get("account_ref") or "")
            else:
                ref, payloads = plan
                for n, payload in enumerate(payloads):
                    await jobs.run(f"contact:{index}:{n}", payload, element)
            found = tr.contact(await self._fresh(ctx), ref, today=datetime.now(UTC).date())
            if found is None:
                raise AgentUnavailable("the connector reported the contact written but did not return it; "
                                       "it will appear after the next sync")
            return found

        items = await run_elements(req.elements, summarize_errors=req.query.summarize_errors, model=Contact,
                                   prepare=prepare, perform=perform)
        return Result(items=items, headers=headers)
