"""History and notes, and attachments, of the Xero records 1004 serves (:data:`adapters.qbo.parents.PARENTS`).

- Attachments are QBO ``Attachable`` files linked to the record (``AttachableRef.EntityRef``): uploaded with
  ``POST /upload``, listed with ``SELECT * FROM Attachable WHERE AttachableRef.EntityRef.Type = … AND
  AttachableRef.EntityRef.value = …`` (Intuit "Attach images and notes"; notes without a file are not Xero
  attachments), downloaded from their ``TempDownloadUri``. Xero's rules: an upload replaces the record's attachment
  of the same name (the old ``Attachable`` is deleted once the new one is in), at most
  :data:`MAX_PER_RECORD` files a record ("up to 10 files per record", Xero's attachments page), ``IncludeOnline``
  only on sales invoices and credit notes (:mod:`adapters.qbo.parents`). ``AttachmentID`` is the stable GUID of the
  ``Attachable``.
- History: the gateway's own entries (notes, attached files; :mod:`adapters.common.history`) merged with what QBO
  tells of the record, ``MetaData.CreateTime`` ("Created") and a later ``LastUpdatedTime`` ("Edited").

The per-resource operations (``getInvoiceHistory``, ``createContactAttachmentByFileName``…) are installed from
``mappings/xero_operations.toml`` for every collection of :data:`PARENTS`, each delegating to one generic method, as
the native ledger does; those QBO cannot serve are not defined (501).
"""

from __future__ import annotations

import mimetypes
from typing import Any

from adapters.common import history
from adapters.common.attachments import response_type, upload_file_name
from adapters.common.records import install
from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.guids import is_guid
from gateway.xero.models.workflow import Attachment, HistoryRecord
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import attachments
from .client import QboClient
from .errors import QboFault, to_xero_error
from .ops_base import OperationsBase, path_param
from .parents import PARENTS, Parent
from .translate.common import created, updated
from .unit import QboUnit

#: Files one Xero record may carry.
MAX_PER_RECORD = 10
#: Media types that say nothing of the file (the type is then guessed from its name).
GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
ATTACHMENT_EMPTY = "The attachment has no content: send the file as the request body."
ATTACHMENT_LIMIT = "A document can have at most {limit} attachments."
ATTACHMENT_INCLUDE_ONLINE = "IncludeOnline can be set only for attachments of sales invoices and sales credit notes."



class WorkflowOperations(OperationsBase):
    """Generic History and Attachments operations (installed per collection below)."""

    settings: Any
    client: QboClient
    history: history.HistoryLog

    # Parents ----------------------------------------------------------------------------------------------------

    async def _parent(self, unit: QboUnit, resource: str, key: str) -> tuple[str, dict[str, Any]]:
        """``(entity, QBO record)`` of the Xero record ``key`` of ``resource``. Raises NotFound."""
        parent = PARENTS[resource]
        if not is_guid(key):
            raise NotFound()
        refs = [r for r in await unit.resolve(key) if r.entity in parent.entities and (parent.parts or not r.part)]
        refs.sort(key=lambda r: parent.entities.index(r.entity))
        if not refs:
            raise NotFound()
        return refs[0].entity, await unit.read(refs[0].entity, refs[0].qbo_id)

    # History ----------------------------------------------------------------------------------------------------

    async def _history_records(self, ctx: RequestContext, req: XeroRequest, resource: str, id_param: str) -> Result:
        """``GET /{Resource}/{id}/History``: the gateway's entries merged with QBO's ``MetaData``, oldest first.
        Raises NotFound."""
        key = path_param(req, id_param)
        async with self.unit(ctx, req) as unit:
            _, row = await self._parent(unit, resource, key)
        if "MetaData" not in row:  # a RecurringTransaction: the dates are its template's ({"Invoice": {…}})
            row = next((v for v in row.values() if isinstance(v, dict) and "MetaData" in v), row)
        upstream: list[history.Entry] = []
        made, changed = created(row), updated(row)
        if made is not None:
            upstream.append(history.Entry(history.CREATED, "", history.SYSTEM_USER, made))
        if changed is not None and made is not None and changed > made:
            upstream.append(history.Entry(history.UPDATED, "", history.SYSTEM_USER, changed))
        kept = await self.history.entries(tenant_id=ctx.tenant_id, resource=resource, record_id=key)
        return Result(items=[HistoryRecord(Changes=e.changes, DateUTC=e.date_utc, User=e.user, Details=e.details)
                             for e in history.merge(kept, upstream)])

    async def _add_notes(self, ctx: RequestContext, req: XeroRequest, resource: str, id_param: str) -> Result:
        """``PUT /{Resource}/{id}/History``: each element's ``Details`` as a note ("Note", "System Generated").
        Raises NotFound, ValidationException (nothing written)."""
        notes = history.note_details(req.elements)
        key = path_param(req, id_param)
        async with self.unit(ctx, req) as unit:
            await self._parent(unit, resource, key)
        items = []
        for details in notes:
            entry = await self.history.add(tenant_id=ctx.tenant_id, resource=resource, record_id=key,
                                           changes=history.NOTE, details=details)
            items.append(HistoryRecord(Changes=entry.changes, DateUTC=entry.date_utc, User=entry.user,
                                       Details=entry.details, ValidationErrors=[]))
        return Result(items=items)

    # Attachments ------------------------------------------------------------------------------------------------

    def _to_attachment(self, unit: QboUnit, resource: str, key: str, entity: str, qbo_id: str,
                       row: dict[str, Any]) -> Attachment:
        return attachments.to_attachment(unit, row, api_root=self.api_root(), resource=resource, record_id=key,
                                         entity=entity, qbo_id=qbo_id)

    async def _attachment_list(self, ctx: RequestContext, req: XeroRequest, resource: str, id_param: str) -> Result:
        """``GET /{Resource}/{id}/Attachments``. Raises NotFound."""
        key = path_param(req, id_param)
        async with self.unit(ctx, req) as unit:
            entity, row = await self._parent(unit, resource, key)
            files = await attachments.files_of(unit, entity, str(row["Id"]))
            return Result(items=[self._to_attachment(unit, resource, key, entity, str(row["Id"]), f) for f in files])

    async def _attachment_content(self, ctx: RequestContext, req: XeroRequest, resource: str, id_param: str, *,
                                  by: str) -> Result:
        """``GET /{Resource}/{id}/Attachments/{AttachmentID|FileName}``: the file's bytes. Raises NotFound."""
        key = path_param(req, id_param)
        wanted = path_param(req, by)
        async with self.unit(ctx, req) as unit:
            entity, row = await self._parent(unit, resource, key)
            files = await attachments.files_of(unit, entity, str(row["Id"]))
            if by == "AttachmentID":
                match = [f for f in files if is_guid(wanted) and attachments.attachment_id(unit, f) == wanted.lower()]
            else:
                match = ([f for f in files if f["FileName"] == wanted]
                         or [f for f in files if f["FileName"].lower() == wanted.lower()])
            if not match or not match[0].get("TempDownloadUri"):
                raise NotFound()
            content, _ = await self.client.fetch_file(str(match[0]["TempDownloadUri"]))
            mime = str(match[0].get("ContentType") or "application/octet-stream")
            return Result(content=content, content_type=response_type(mime, req.accept))

    async def _attachment_upload(self, ctx: RequestContext, req: XeroRequest, resource: str, id_param: str
                                 ) -> Result:
        """``PUT``/``POST /{Resource}/{id}/Attachments/{FileName}``: upload the body as the record's attachment of
        that name (replacing one of the same name), note "Attached a file" in its history. Raises NotFound,
        ValidationException (and QBO's refusals of the file, as Xero errors)."""
        file_name, mime, content = _upload(req)
        include_online = req.parameters.boolean("IncludeOnline")
        key = path_param(req, id_param)
        parent: Parent = PARENTS[resource]
        async with self.unit(ctx, req) as unit:
            entity, row = await self._parent(unit, resource, key)
            if include_online and entity not in parent.online:
                raise ValidationException.single(ATTACHMENT_INCLUDE_ONLINE)
            files = await attachments.files_of(unit, entity, str(row["Id"]))
            replaced = [f for f in files if f["FileName"].lower() == file_name.lower()]
            if not replaced and len(files) >= MAX_PER_RECORD:
                raise ValidationException.single(ATTACHMENT_LIMIT.format(limit=MAX_PER_RECORD))
            if include_online is None and replaced:
                include_online = any(r.get("IncludeOnSend") in (True, "true")
                                     for r in replaced[0].get("AttachableRef") or [])
            metadata = {"AttachableRef": [{"EntityRef": {"type": entity, "value": str(row["Id"])},
                                           "IncludeOnSend": bool(include_online)}],
                        "FileName": file_name, "ContentType": mime}
            made = await self._upload_file(unit, metadata, file_name, mime, content)
            for i, old in enumerate(replaced):
                await unit.delete("Attachable", old, label=f"replaced:{i}")
            attachment = self._to_attachment(unit, resource, key, entity, str(row["Id"]), made)
        await self.history.add(tenant_id=ctx.tenant_id, resource=resource, record_id=key, changes=history.ATTACHED,
                               details=history.ATTACHMENT_HISTORY.format(name=file_name, app=ctx.app_name or "the API"))
        return Result(items=[attachment])

    async def _upload_file(self, unit: QboUnit, metadata: dict[str, Any], file_name: str, mime: str,
                           content: bytes) -> dict[str, Any]:
        try:
            return await self.client.upload(unit.auth, metadata, file_name=file_name, content_type=mime,
                                            content=content, request_id=unit.request_id("upload:0"))
        except QboFault as fault:
            raise to_xero_error(fault) from None
        finally:
            unit.invalidate("Attachable")


def _upload(req: XeroRequest) -> tuple[str, str, bytes]:
    """``(file name, media type, bytes)`` of an upload element ``{"FileName", "MimeType", "Content"}``.

    Raises:
        ValidationException: no file name or one that is not a plain file name
            (:func:`adapters.common.attachments.upload_file_name`), or no content.
    """
    element = req.elements[0] if len(req.elements) == 1 and isinstance(req.elements[0], dict) else {}
    name = upload_file_name(str(element.get("FileName") or ""))  # a path or control character: refused
    content = element.get("Content")
    if isinstance(content, str):
        content = content.encode("utf-8")
    if not isinstance(content, (bytes, bytearray)) or not content:
        raise ValidationException.single(ATTACHMENT_EMPTY)
    mime = str(element.get("MimeType") or "").split(";")[0].strip().lower()
    if mime in GENERIC_TYPES:
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return name, mime, bytes(content)


install(WorkflowOperations, serves=lambda collection, id_param: collection in PARENTS,
        has_files=lambda collection: PARENTS[collection].attachments)
