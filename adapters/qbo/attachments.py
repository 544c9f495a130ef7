"""The files QBO holds for a record (``Attachable`` rows linked by ``AttachableRef.EntityRef``) as Xero
``Attachment`` models, and a record's ``HasAttachments``/``Attachments`` on a single read.

Single reads (``GET /Invoices/{id}``…) of a record with files carry ``HasAttachments`` true and the ``Attachments``
array where the canonical model has one (as Xero answers a single document), at the cost of one query. Lists do not
say: QBO cannot tell which records have files without a query per page, which the adapter's upstream economy
refuses (one query per page); ``HasAttachments`` is left out rather than guessed, and so it is on a single read of a
record without files (which then reads exactly as it lists).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote as url_quote

from gateway.xero.models import XeroModel
from gateway.xero.models.workflow import Attachment

from .parents import PARENTS
from .query import quote
from .translate.common import created
from .unit import QboUnit

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


async def files_of(unit: QboUnit, entity: str, qbo_id: str) -> list[dict[str, Any]]:
    """The files linked to one QBO record (``Attachable`` rows with a ``FileName``), oldest first."""
    text = (f"SELECT * FROM Attachable WHERE AttachableRef.EntityRef.Type = {quote(entity)} "  # noqa: S608
            f"AND AttachableRef.EntityRef.value = {quote(qbo_id)}")
    rows = (await unit.query(text)).get("Attachable") or []
    files = [r for r in rows if r.get("FileName")]
    return sorted(files, key=lambda r: (created(r) or _EPOCH, int(r["Id"]) if str(r["Id"]).isdigit() else 0))


def attachment_id(unit: QboUnit, row: dict[str, Any]) -> str:
    """The ``AttachmentID`` of an ``Attachable``: its stable GUID."""
    return unit.ids.forward(unit.realm_id, "Attachable", str(row["Id"]))


def to_attachment(unit: QboUnit, row: dict[str, Any], *, api_root: str, resource: str, record_id: str,
                  entity: str, qbo_id: str) -> Attachment:
    """An ``Attachable`` as a Xero ``Attachment``: ``Url`` ``{api_root}/{Resource}/{id}/Attachments/{FileName}``,
    ``MimeType`` ← ``ContentType``, ``ContentLength`` ← ``Size``, ``IncludeOnline`` ← the link's ``IncludeOnSend``."""
    links = [r for r in row.get("AttachableRef") or []
             if str((r.get("EntityRef") or {}).get("value")) == qbo_id
             and str((r.get("EntityRef") or {}).get("type", "")).lower() == entity.lower()]
    size = row.get("Size")
    return Attachment(AttachmentID=attachment_id(unit, row), FileName=row["FileName"],
                      Url=f"{api_root}/{resource}/{record_id.lower()}/Attachments/"
                          f"{url_quote(row['FileName'], safe='')}",
                      MimeType=row.get("ContentType") or "application/octet-stream",
                      ContentLength=int(size) if size is not None else None,
                      IncludeOnline=bool(links and links[0].get("IncludeOnSend") in (True, "true")))


async def mark_one(unit: QboUnit, model: XeroModel, *, resource: str, entity: str, qbo_id: str,
                   api_root: str) -> XeroModel:
    """Mark a single read that has files: ``HasAttachments`` true, ``Attachments`` when the model has them.
    Returns ``model``."""
    parent = PARENTS.get(resource)
    fields = type(model).model_fields
    if parent is None or not parent.attachments or "HasAttachments" not in fields:
        return model
    files = await files_of(unit, entity, qbo_id)
    if not files:  # said only when true: the record then reads as it lists
        return model
    record_id = str(getattr(model, parent.id_field))
    model.HasAttachments = True  # type: ignore[attr-defined]
    if "Attachments" in fields:
        model.Attachments = [to_attachment(unit, f, api_root=api_root, resource=resource,  # type: ignore[attr-defined]
                                           record_id=record_id, entity=entity, qbo_id=qbo_id) for f in files]
    return model

