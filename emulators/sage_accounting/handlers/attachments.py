"""``/attachments``: files on a document, contact, payment, transfer or journal.

Shapes: the spec's ``Attachment``, ``postAttachments`` and ``putAttachments`` (swagger.accounts.v3.1.json). Rules and
their sources:

- ``file`` is the base64 text of the file; ``file_name`` and ``mime_type`` are required (``postAttachments``
  ``required``). ``file_size`` is the decoded size, at most :data:`MAX_FILE_SIZE` bytes (the spec's ``maximum`` of
  ``file_size``, 2.5 MB); a larger file answers 422.
- ``mime_type`` must be one of :data:`MIME_TYPES` (documents and images; Sage's list is not in the spec: the
  emulator's choice, unconfirmed), else 422.
- ``attachment_context_type_id`` + ``attachment_context_id`` name the record the file hangs on; the type is one of
  ``/attachment_context_types`` and the id a live record of the type's collection (422 otherwise). ``transaction``
  is set when the record posted a transaction.
- The bytes are never answered as JSON: ``GET /attachments/{key}/file`` answers them (:mod:`..api`); ``file`` is
  kept as bookkeeping.
- ``PUT`` may replace the file (same rules); ``DELETE`` answers 204 and leaves a tombstone.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from .. import errors
from ..context import Context, a_bool, a_string, base_ref
from ..store import Business
from .base import Handler

#: The spec's ``maximum`` of ``postAttachments.attachment.file_size`` (bytes).
MAX_FILE_SIZE = 2_621_440
#: Media types the emulator accepts (unconfirmed: Sage documents no list in the spec).
MIME_TYPES = frozenset({
    "application/pdf", "image/png", "image/jpeg", "image/gif", "image/tiff", "image/bmp", "text/plain", "text/csv",
    "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
})


def file_bytes(record: Mapping[str, Any]) -> bytes:
    """The stored file of an attachment record."""
    return base64.b64decode(record["_file"])


class Attachments(Handler):
    """``/attachments``."""

    def _file(self, record: dict[str, Any], body: dict[str, Any]) -> None:
        text = a_string(body["file"], "file")
        try:
            content = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise errors.record_invalid("is not valid base64", "file") from None
        if len(content) > MAX_FILE_SIZE:
            raise errors.record_invalid(f"must be less than or equal to {MAX_FILE_SIZE}", "file_size")
        if body.get("file_size") is not None and body["file_size"] != len(content):
            raise errors.record_invalid("does not match the size of file", "file_size")
        mime = a_string(body["mime_type"], "mime_type").lower()
        if mime not in MIME_TYPES:
            raise errors.record_invalid("is not a supported file type", "mime_type")
        name = a_string(body["file_name"], "file_name").strip()
        if not name:
            raise errors.required("file_name")
        extension = a_string(body["file_extension"], "file_extension") if body.get("file_extension") else \
            (name.rsplit(".", 1)[-1].lower() if "." in name else "")
        record.update({"_file": base64.b64encode(content).decode("ascii"), "file_size": len(content),
                       "mime_type": mime, "file_name": name, "file_extension": extension, "displayed_as": name})

    def _context(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> None:
        type_id, context_id = body.get("attachment_context_type_id"), body.get("attachment_context_id")
        if type_id in (None, "") and context_id in (None, ""):
            return
        if type_id in (None, ""):
            raise errors.required("attachment_context_type_id")
        if context_id in (None, ""):
            raise errors.required("attachment_context_id")
        kind = ctx.lookup("attachment_context_types", type_id, "attachment_context_type_id")
        target = ctx.lookup(kind["_collection"], context_id, "attachment_context_id")
        record["attachment_context_type"] = base_ref(kind)
        record["attachment_context"] = base_ref(target)
        if target.get("transaction"):
            record["transaction"] = dict(target["transaction"])
        else:
            record.pop("transaction", None)

    def create(self, ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
        record = ctx.new_record("attachments")
        self._file(record, body)
        self._context(ctx, record, body)
        for member in ("description",):
            if body.get(member) is not None:
                record[member] = a_string(body[member], member)
        record["is_public"] = a_bool(body["is_public"], "is_public") if body.get("is_public") is not None else False
        ctx.business.put("attachments", record)
        return record

    def update(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        draft = dict(record)
        if any(body.get(m) is not None for m in ("file", "file_name", "mime_type")):
            current = {"file": record["_file"], "file_name": record["file_name"], "mime_type": record["mime_type"]}
            merged = {**current, **{k: v for k, v in body.items() if v is not None}}
            if "file" not in body:
                merged.pop("file_size", None)
            self._file(draft, merged)
        self._context(ctx, draft, body)
        if body.get("description") is not None:
            draft["description"] = a_string(body["description"], "description")
        if body.get("is_public") is not None:
            draft["is_public"] = a_bool(body["is_public"], "is_public")
        record.clear()
        record.update(draft)
        ctx.touch(record)
        return record

    def delete(self, ctx: Context, record: dict[str, Any], params: Mapping[str, str]) -> None:
        self.remove(ctx, record)
        return None

    def present(self, business: Business, record: dict[str, Any], params: Mapping[str, str]) -> dict[str, Any]:
        """``$file_path``: where the bytes are (``/attachments/{id}/file``)."""
        return {**record, "$file_path": f"/attachments/{record['id']}/file"}
