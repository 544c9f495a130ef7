"""Files attached to native-ledger documents: metadata in the ``attachments`` table, bytes on disk.

Rules (spec ``components.schemas.Attachment`` and the ``…/Attachments`` operations;
https://developer.xero.com/documentation/api/accounting/attachments):

- Uploads name the file in the URL (``PUT``/``POST …/Attachments/{FileName}``); the body is the file. Both
  create the attachment, or replace the document's attachment of the same name ("If an attachment already
  exists on the specified document, then the attachment being uploaded will overwrite it": third-party
  documentation of Xero's PUT, linx.software; unconfirmed in Xero's own docs).
- At most :data:`MAX_PER_DOCUMENT` (10) attachments per document ("you can now attach up to 10 files per
  document", Xero developer community announcement https://community.xero.com/developer/discussion/3095073/).
- At most :data:`MAX_BYTES` (25 MB) per file: the size Xero's application accepts per the same announcement;
  the API limit it stated then (3 MB) has since been raised (unconfirmed). The gateway's request-body cap
  (``gateway.app.CLIENT_MAX_SIZE``) is lower and answers 413 first.
- ``IncludeOnline=true`` (upload query parameter) shows the file with the online invoice; it applies to sales
  invoices and sales credit notes only (third-party documentation, unconfirmed), and is refused elsewhere.
- ``MimeType`` is the upload's ``Content-Type``, or guessed from the file name when it does not type the file
  (:data:`adapters.common.attachments.GENERIC_TYPES`).
- The listing's ``Url`` is the gateway's own by-file-name URL (Xero's points at api.xero.com; the spec example
  ``https://api.xero.com/api.xro/2.0/Accounts/{id}/Attachments/sample5.jpg``).

Storage: ``{settings.data_dir}/attachments/{tenant id}/{AttachmentID}``. The path is built from GUIDs only;
the client's file name must be a plain name (:func:`~adapters.common.attachments.upload_file_name`: a path or a
control character is refused) and is kept in the table, never used as a path.
A new file is written before the row is flushed and removed again if the transaction rolls back; a replaced
file is removed only once the replacement has been committed (SQLAlchemy session events).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.common.attachments import mime_type_for, sanitise_file_name, upload_file_name
from gateway.store.files import private_dir
from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.guids import normalise_guid
from gateway.xero.models.workflow import Attachment

from .. import messages
from ..tables.workflow import AttachmentFile

MAX_PER_DOCUMENT = 10
MAX_BYTES = 25 * 1024 * 1024
#: (resource, document type) pairs whose attachments may be shown online (see the module docstring).
ONLINE_TYPES = frozenset({("Invoices", "ACCREC"), ("CreditNotes", "ACCRECCREDIT")})


@dataclass(frozen=True)
class Upload:
    """One upload as the front end hands it over: ``{"FileName", "MimeType", "ContentLength", "Content"}``."""

    file_name: str
    mime_type: str
    content: bytes

    @classmethod
    def from_element(cls, element: dict[str, Any]) -> Upload:
        """Read the upload element.

        Raises:
            ValidationException: no file name or one that is not a plain file name, or a body that is not bytes or
                is empty.
        """
        content = element.get("Content")
        if isinstance(content, str):
            content = content.encode("utf-8")
        name = upload_file_name(str(element.get("FileName") or ""))
        if not isinstance(content, (bytes, bytearray)) or not content:
            raise ValidationException.single(messages.ATTACHMENT_EMPTY)
        return cls(file_name=name, mime_type=str(element.get("MimeType") or ""), content=bytes(content))


class AttachmentStore:
    """Attachment files of one ledger under ``{data_dir}/attachments``.

    Args:
        root: the ``attachments`` directory (created on demand).
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, company_id: str, attachment_id: str) -> Path:
        """``{root}/{company_id}/{attachment_id}``; both parts must be GUIDs.

        Raises:
            ValueError: either part is not a GUID (never a client's value).
        """
        company, attachment = normalise_guid(company_id), normalise_guid(attachment_id)
        if company is None or attachment is None:
            raise ValueError("attachment paths are built from GUIDs only")
        return self.root / company / attachment

    def _write_sync(self, path: Path, content: bytes) -> None:
        private_dir(self.root)
        private_dir(path.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    async def write(self, company_id: str, attachment_id: str, content: bytes) -> None:
        """Write a file atomically (temporary file + rename)."""
        await asyncio.to_thread(self._write_sync, self.path(company_id, attachment_id), content)

    async def read(self, company_id: str, attachment_id: str) -> bytes:
        """The file's bytes.

        Raises:
            NotFound: the file is missing.
        """
        try:
            return await asyncio.to_thread(self.path(company_id, attachment_id).read_bytes)
        except FileNotFoundError:
            raise NotFound() from None

    def remove(self, company_id: str, attachment_id: str) -> None:
        """Delete a file (no error when it is already gone)."""
        self.path(company_id, attachment_id).unlink(missing_ok=True)


async def list_rows(session: AsyncSession, *, company_id: str, resource: str, record_id: str
                    ) -> list[AttachmentFile]:
    """The document's attachments, oldest first."""
    rows = await session.scalars(
        select(AttachmentFile)
        .where(AttachmentFile.company_id == company_id, AttachmentFile.resource == resource,
               AttachmentFile.record_id == record_id)
        .order_by(AttachmentFile.updated_utc, AttachmentFile.id))
    return list(rows)


async def count(session: AsyncSession, *, company_id: str, resource: str, record_id: str) -> int:
    """How many attachments a document has."""
    return int(await session.scalar(
        select(func.count()).select_from(AttachmentFile)
        .where(AttachmentFile.company_id == company_id, AttachmentFile.resource == resource,
               AttachmentFile.record_id == record_id)) or 0)


def by_file_name(rows: list[AttachmentFile], file_name: str) -> AttachmentFile | None:
    """The attachment named ``file_name``: exact match first, else case-insensitive (Xero's file names are
    matched case-insensitively, unconfirmed)."""
    name = sanitise_file_name(file_name)
    for row in rows:
        if row.file_name == name:
            return row
    folded = name.casefold()
    return next((row for row in rows if row.file_name.casefold() == folded), None)


def by_id(rows: list[AttachmentFile], attachment_id: str) -> AttachmentFile | None:
    """The attachment with this ``AttachmentID`` (hyphens optional), or ``None``."""
    guid = normalise_guid(attachment_id or "")
    return next((row for row in rows if row.id == guid), None)


def to_model(row: AttachmentFile, *, base_url: str) -> Attachment:
    """A row → spec ``Attachment``; ``Url`` = ``{base_url}/{Resource}/{id}/Attachments/{FileName}``.

    Args:
        base_url: the gateway's Accounting API root for this source (``https://gw/1000/api.xro/2.0``).
    """
    url = f"{base_url}/{row.resource}/{row.record_id}/Attachments/{quote(row.file_name, safe='')}"
    return Attachment(AttachmentID=row.id, FileName=row.file_name, Url=url, MimeType=row.mime_type,
                      ContentLength=row.content_length, IncludeOnline=row.include_online)


async def save(session: AsyncSession, store: AttachmentStore, *, company_id: str, resource: str,
               record_id: str, document_type: str | None, upload: Upload, include_online: bool | None,
               new_id: str, now: Any) -> AttachmentFile:
    """Store an upload on a document, replacing its attachment of the same name.

    Args:
        session: the request's session (its commit makes the upload visible).
        store: where the bytes go.
        company_id, resource, record_id: the (already checked) parent document.
        document_type: the parent's ``Type`` (``ACCREC``…) for the ``IncludeOnline`` rule, or ``None``.
        upload: the file.
        include_online: the ``IncludeOnline`` query parameter, ``None`` when absent (a replacement then keeps
            the replaced file's setting).
        new_id: the new ``AttachmentID``.
        now: aware UTC time of the upload.

    Returns:
        The new row (flushed).

    Raises:
        ValidationException: the file is too large, the document already has 10 other attachments, or
            ``IncludeOnline`` is asked for a document that cannot show files online.
    """
    if len(upload.content) > MAX_BYTES:
        raise ValidationException.single(messages.ATTACHMENT_TOO_LARGE.format(limit=MAX_BYTES // (1024 * 1024)))
    if include_online and (resource, document_type) not in ONLINE_TYPES:
        raise ValidationException.single(messages.ATTACHMENT_INCLUDE_ONLINE)
    rows = await list_rows(session, company_id=company_id, resource=resource, record_id=record_id)
    replaced = by_file_name(rows, upload.file_name)
    if replaced is None and len(rows) >= MAX_PER_DOCUMENT:
        raise ValidationException.single(messages.ATTACHMENT_LIMIT.format(limit=MAX_PER_DOCUMENT))
    if include_online is None:
        include_online = replaced.include_online if replaced is not None else False

    await store.write(company_id, new_id, upload.content)
    old_id = replaced.id if replaced is not None else None
    _on_outcome(session, committed=(lambda: store.remove(company_id, old_id)) if old_id else None,
                rolled_back=lambda: store.remove(company_id, new_id))
    if replaced is not None:
        await session.delete(replaced)
    row = AttachmentFile(id=new_id, company_id=company_id, resource=resource, record_id=record_id,
                         file_name=upload.file_name, mime_type=mime_type_for(upload.file_name, upload.mime_type),
                         content_length=len(upload.content), include_online=bool(include_online),
                         sha256=hashlib.sha256(upload.content).hexdigest(), updated_utc=now)
    session.add(row)
    await session.flush()
    return row


def _on_outcome(session: AsyncSession, *, committed: Any, rolled_back: Any) -> None:
    """Run ``committed`` after the session's transaction commits, or ``rolled_back`` if it rolls back first
    (whichever happens first; the other is then dropped)."""
    done = False

    @event.listens_for(session.sync_session, "after_commit", once=True)
    def _after_commit(_session: Any) -> None:
        nonlocal done
        if not done:
            done = True
            if committed is not None:
                committed()

    @event.listens_for(session.sync_session, "after_rollback", once=True)
    def _after_rollback(_session: Any) -> None:
        nonlocal done
        if not done:
            done = True
            rolled_back()
