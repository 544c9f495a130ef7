"""History and Notes, and Attachments, of every Sage-backed Xero record that has them.

A mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter`. Like the native ledger
(:mod:`adapters.native.ops_workflow`), the per-resource operations (``getInvoiceHistory``,
``createContactAttachmentByFileName``…) are not written out one by one: :func:`_install` reads
``mappings/xero_operations.toml`` and defines, for each Xero collection of ``mappings/sage_parents.toml``, its
``…/History`` operations and, where Sage can attach files to it, its ``…/Attachments…`` operations, each delegating
to one generic method below. The rest (Accounts and Items attachments, Receipts, ExpenseClaims…) answers 501.

History (:mod:`adapters.common.history`): the gateway keeps what happened through it in the adapter's table
``sage_history`` (per Xero tenant and record GUID): every successful write of a Xero record through the gateway
(:meth:`RecordOps.record_writes`), every attachment and every note; a read merges them with Sage's ``created_at`` and
``updated_at`` of the record, oldest first.

Attachments map to Sage ``/attachments`` on the record's ``attachment_context`` (swagger.accounts.v3.1.json):

- list: ``GET /attachments?attachment_context_type_id&attachment_context_id`` (the spec requires both);
- download: ``GET /attachments/{key}/file`` with ``Accept: application/octet-stream``;
- upload: ``POST /attachments`` (``file`` base64, ``file_name``, ``mime_type``, ``file_size``, the context,
  ``is_public`` from Xero's ``IncludeOnline``); an upload of a name the record already has replaces that file (``PUT
  /attachments/{key}``), as Xero overwrites an attachment of the same name (:mod:`adapters.native.attachments`).
- Sage takes files of at most :data:`MAX_FILE_SIZE` bytes (the spec's ``maximum`` of ``file_size``): a larger upload
  is refused before Sage is called. Sage's refusal of a media type comes back as Sage's message.
- ``AttachmentID`` is the stable GUID of the Sage attachment; ``Url`` the gateway's by-file-name URL.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from functools import cache
from typing import Any

import mappings
from adapters.common import attachments as files
from adapters.common import history
from adapters.common.records import install
from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.models.documents import CreditNote, Invoice
from gateway.xero.models.workflow import Attachment, HistoryRecord
from gateway.xero.request import RequestContext, Result, XeroRequest

from .client import SYSTEM_NAME
from .codes import DocumentKind, tables
from .ids import stable_guid
from .ledger import DONE, scope_of
from .ops_base import OpsBase
from .ops_documents import DOCUMENT_KINDS
from .parents import Parent, find_parent, parent_table
from .translate.common import xero_text
from .translate.documents import document_from_sage
from .unit import SageUnit

#: The spec's ``maximum`` of ``postAttachments.attachment.file_size`` (bytes, 2.5 MB).
MAX_FILE_SIZE = 2_621_440
#: (unconfirmed) Format with the limit in MB.
TOO_LARGE = "The attachment is too large: files can be at most {limit} MB."
#: (unconfirmed) as the native ledger answers it.
INCLUDE_ONLINE = "IncludeOnline can be set only for attachments of sales invoices and sales credit notes."
#: (unconfirmed) as the native ledger answers it.
NOTE_REQUIRED = "Details must be specified for a history note."
#: (unconfirmed) as the native ledger answers it. Format with the limit.
NOTE_TOO_LONG = "Details must be {limit} characters or less."
#: (spec example, HistoryRetrieved: "Attached the file sample2.jpg through the Xero API using Xero API Partner").
ATTACHED_DETAILS = "Attached the file {name} through the Xero API using {app}"



class RecordOps(OpsBase):
    """History, notes and attachments (module docstring)."""

    history: history.HistoryLog
    settings: Any

    # History -----------------------------------------------------------------------------------------------------

    async def _history_records(self, ctx: RequestContext, req: XeroRequest, xero: str, id_param: str) -> Result:
        """``GET /{Collection}/{id}/History``: the kept entries merged with Sage's moments, oldest first.

        Raises:
            NotFound: no such record for this tenant.
        """
        async with self.unit(ctx, req) as unit:
            parent = await find_parent(unit, xero, req.path_params.get(id_param))
        kept = await self.history.entries(ctx.tenant_id, xero, parent.guid)
        entries = history.merged(kept, created=parent.moment("created_at"), updated=parent.moment("updated_at"),
                                 system=SYSTEM_NAME)
        return Result(items=[HistoryRecord(Changes=e.changes, DateUTC=e.date_utc, User=e.user, Details=e.details)
                             for e in entries])

    async def _add_notes(self, ctx: RequestContext, req: XeroRequest, xero: str, id_param: str) -> Result:
        """``PUT /{Collection}/{id}/History``: each element's ``Details`` kept as a note (``Changes`` "Note", user
        "System Generated", at most 250 characters: https://developer.xero.com/documentation/api/history-and-notes).

        Raises:
            NotFound: no such record. ValidationException: a note without details or too long (nothing kept).
        """
        notes = []
        for element in req.elements or [{}]:
            details = element.get("Details") if isinstance(element, dict) else None
            details = details.strip() if isinstance(details, str) else ""
            if not details:
                raise ValidationException.single(NOTE_REQUIRED, element if isinstance(element, dict) else None)
            if len(details) > history.NOTE_MAX_LENGTH:
                raise ValidationException.single(NOTE_TOO_LONG.format(limit=history.NOTE_MAX_LENGTH), element)
            notes.append(details)
        async with self.unit(ctx, req) as unit:
            parent = await find_parent(unit, xero, req.path_params.get(id_param))
        out = []
        for details in notes:
            entry = await self.history.add(ctx.tenant_id, xero, parent.guid, changes=history.NOTE, details=details)
            out.append(HistoryRecord(Changes=entry.changes, DateUTC=entry.date_utc, User=entry.user,
                                     Details=entry.details, ValidationErrors=[]))
        return Result(items=out)

    # Attachments -------------------------------------------------------------------------------------------------

    def _base_url(self) -> str:
        """This source's Accounting API root as clients reach it (``{public_url}/{code}/api.xro/2.0``)."""
        return f"{self.settings.public_url}/{self.code}/api.xro/2.0"

    async def _attachments_of(self, unit: SageUnit, parent: Parent) -> list[dict[str, Any]]:
        return await unit.list_all("/attachments", {"attachment_context_type_id": parent.context_type,
                                                    "attachment_context_id": parent.sage_id, "attributes": "all"})

    def _model(self, unit: SageUnit, parent: Parent, row: dict[str, Any]) -> Attachment:
        name = str(row.get("file_name") or "")
        url = f"{self._base_url()}/{parent.xero}/{parent.guid}/Attachments/{files.quote_name(name)}"
        return Attachment(AttachmentID=stable_guid(unit.business_id, "attachments", str(row["id"])), FileName=name,
                          Url=url, MimeType=row.get("mime_type") or files.mime_type_for(name, ""),
                          ContentLength=row.get("file_size"), IncludeOnline=bool(row.get("is_public")))

    async def _attachment_list(self, ctx: RequestContext, req: XeroRequest, xero: str, id_param: str) -> Result:
        """``GET /{Collection}/{id}/Attachments``: the record's files, oldest first. Raises ``NotFound``."""
        async with self.unit(ctx, req) as unit:
            parent = await find_parent(unit, xero, req.path_params.get(id_param))
            rows = await self._attachments_of(unit, parent)
            rows.sort(key=lambda r: (str(r.get("created_at") or ""), str(r["id"])))
            return Result(items=[self._model(unit, parent, r) for r in rows])

    async def _attachment_content(self, ctx: RequestContext, req: XeroRequest, xero: str, id_param: str, *,
                                  by: str) -> Result:
        """``GET /{Collection}/{id}/Attachments/{AttachmentID|FileName}``: the file's bytes, typed as
        :func:`adapters.common.attachments.response_type` says. Raises ``NotFound``."""
        async with self.unit(ctx, req) as unit:
            parent = await find_parent(unit, xero, req.path_params.get(id_param))
            rows = await self._attachments_of(unit, parent)
            key = req.path_params.get(by, "")
            if by == "AttachmentID":
                wanted = key.strip().lower()
                row = next((r for r in rows
                            if stable_guid(unit.business_id, "attachments", str(r["id"])) == wanted), None)
            else:
                row = files.by_file_name(rows, key, lambda r: str(r.get("file_name") or ""))
            if row is None:
                raise NotFound()
            content = await unit.download(f"/attachments/{row['id']}/file")
            name = str(row.get("file_name") or "")
            media = row.get("mime_type") or files.mime_type_for(name, "")
            return Result(content=content, content_type=files.response_type(media, req.accept))

    async def _attachment_upload(self, ctx: RequestContext, req: XeroRequest, xero: str, id_param: str) -> Result:
        """``PUT``/``POST /{Collection}/{id}/Attachments/{FileName}``: store the body as the named file of the record
        (replacing one of the same name), keep "Attached a file" in its history, answer the ``Attachments`` envelope.

        Raises:
            NotFound: no such record. ValidationException: no file, a file over 2.5 MB, ``IncludeOnline`` on a record
                customers cannot see, or Sage's refusal.
        """
        upload = files.Upload.from_elements(req.elements)
        if len(upload.content) > MAX_FILE_SIZE:
            raise ValidationException.single(TOO_LARGE.format(limit=MAX_FILE_SIZE / (1024 * 1024)))
        include_online = req.parameters.boolean("IncludeOnline")
        async with self.unit(ctx, req) as unit:
            parent = await find_parent(unit, xero, req.path_params.get(id_param))
            if include_online and parent.resource not in parent_table().kinds[xero].online:
                raise ValidationException.single(INCLUDE_ONLINE)
            existing = files.by_file_name(await self._attachments_of(unit, parent), upload.file_name,
                                          lambda r: str(r.get("file_name") or ""))
            body: dict[str, Any] = {
                "file": base64.b64encode(upload.content).decode("ascii"), "file_name": upload.file_name,
                "mime_type": upload.media_type, "file_size": len(upload.content),
                "attachment_context_type_id": parent.context_type, "attachment_context_id": parent.sage_id}
            if include_online is not None:
                body["is_public"] = include_online
            if existing is not None:
                row = await unit.update("attachments", "attachment", str(existing["id"]), body)
            else:
                body.setdefault("is_public", False)
                row = await unit.create("attachments", "attachment", body, label="attachment")
            model = self._model(unit, parent, row)
        await self.history.add(ctx.tenant_id, xero, parent.guid, changes=history.ATTACHED,
                               details=ATTACHED_DETAILS.format(name=upload.file_name, app=ctx.app_name or
                                                               self.settings.server.provider_name))
        return Result(items=[model])


# Writes through the gateway, kept as history ---------------------------------------------------------------------

#: Status a write left a record in → the ``Changes`` word kept (:mod:`adapters.common.history`).
_STATUS_WORDS = {"VOIDED": history.VOIDED, "DELETED": history.DELETED}


@cache
def recorded_writes() -> dict[str, tuple[str, str, bool]]:
    """Every write ``operationId`` whose answer is kept as history → ``(Xero collection, id field, by id)``: the
    ``PUT``/``POST`` of ``/{Collection}`` and ``/{Collection}/{id}`` of each collection of ``sage_parents.toml``
    (``by id``: the path names the record, so the write is an edit)."""
    kinds = parent_table().kinds
    out: dict[str, tuple[str, str, bool]] = {}
    for row in mappings.load("xero_operations")["operation"]:
        parts = row["path"].strip("/").split("/")
        if row["method"] not in ("PUT", "POST") or parts[0] not in kinds or len(parts) > 2:
            continue
        kind = kinds[parts[0]]
        if len(parts) == 2 and parts[1] != "{" + kind.id_param + "}":
            continue
        out[row["id"]] = (kind.xero, kind.id_param, len(parts) == 2)
    return out


def _details(item: Any) -> str:
    """``"INV-0001 to City Limousines for 100.00."`` for a document (the native ledger's wording, unconfirmed);
    ``""`` for other records."""
    total = getattr(item, "Total", None)
    if total is None:
        return ""
    number = getattr(item, "InvoiceNumber", None) or getattr(item, "CreditNoteNumber", None) or \
        getattr(item, "Reference", None) or "Document"
    contact = getattr(getattr(item, "Contact", None), "Name", None)
    return f"{number}{f' to {contact}' if contact else ''} for {total:.2f}."


def written_entries(operation_id: str, req: XeroRequest, result: Result) -> list[tuple[str, str, history.Entry]]:
    """The history entries a successful write keeps: one per record answered without errors, ``Created`` when the
    element sent no id (and the path named none), else the status word (``Voided``, ``Deleted``) or ``Edited``."""
    found = recorded_writes().get(operation_id)
    if found is None:
        return []
    xero, id_field, by_id = found
    now = datetime.now(UTC)
    out = []
    for index, item in enumerate(result.items):
        guid = getattr(item, id_field, None)
        if not guid or getattr(item, "HasErrors", False):
            continue
        element = req.elements[index] if index < len(req.elements) and isinstance(req.elements[index], dict) else {}
        if by_id or element.get(id_field):
            changes = _STATUS_WORDS.get(str(getattr(item, "Status", "") or ""), history.UPDATED)
        else:
            changes = history.CREATED
        out.append((xero, str(guid), history.Entry(changes=changes, details=_details(item), user=history.SYSTEM_USER,
                                                   date_utc=now)))
    return out


# Keyed writes whose outcome the gateway lost, answered from the write ledger ----------------------------------------

#: The document creates answered from the write ledger after an unknown outcome → their Xero collection.
LEDGER_ANSWERED = {"createInvoices": "Invoices", "updateOrCreateInvoices": "Invoices",
                   "createCreditNotes": "CreditNotes", "updateOrCreateCreditNotes": "CreditNotes"}


async def committed_documents(unit: SageUnit, req: XeroRequest) -> list[Invoice | CreditNote] | None:
    """The documents a keyed create already made in Sage, read back from Sage, one per element, in order.

    Each element's ``POST`` went through the write ledger under the label ``{resource}:{index}``
    (:meth:`adapters.sage_accounting.unit.SageUnit.create`); a ``done`` row names the Sage record it made.

    Args:
        unit: the open unit of the retried call (same key, operation and body as the lost one).
        req: a ``createInvoices``/``createCreditNotes`` call or their ``updateOrCreate`` forms, with its key.

    Returns:
        The documents as Sage holds them now, or ``None`` when some element's create is not known ``done`` (never
        sent, refused, or left ``pending``: the operation then reconciles through the ledger's look-up), when an
        element names an existing document (an edit, not a create) or when a made record is gone from Sage.

    Raises:
        XeroApiError: Sage could not be read (the outcome stays unknown).
    """
    collection = LEDGER_ANSWERED.get(req.operation_id)
    key = req.idempotency_key
    if collection is None or not key or not req.elements:
        return None
    id_field = "InvoiceID" if collection == "Invoices" else "CreditNoteID"
    made: list[tuple[DocumentKind, str]] = []
    for index, element in enumerate(req.elements):
        kind = tables().document(xero_text(element, "Type") or "") if isinstance(element, dict) else None
        if kind is None or kind.collection != collection or xero_text(element, id_field):
            return None
        scope = scope_of(code=unit.code, client_id=unit.ctx.client_id, tenant_id=unit.ctx.tenant_id, key=key,
                         operation_id=req.operation_id, label=f"{kind.resource}:{index}")
        state = await unit.ledger.get(scope)
        if state is None or state.state != DONE or not state.upstream_id:
            return None
        made.append((kind, state.upstream_id))
    tx = await unit.tx(*DOCUMENT_KINDS)
    documents = []
    for kind, sage_id in made:
        try:
            row = await unit.read(kind.resource, sage_id)
        except NotFound:
            return None
        documents.append(document_from_sage(row, kind, tx))
    return documents


def _serves(collection: str, id_param: str) -> bool:
    kind = parent_table().kinds.get(collection)
    return kind is not None and kind.id_param == id_param


install(RecordOps, serves=_serves, has_files=lambda collection: parent_table().kinds[collection].attachments)
