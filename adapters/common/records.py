"""History and Attachments operations for every parent collection, derived from Xero's operation table.

Xero serves History (``GET``/``PUT …/{id}/History``) and Attachments (list, by id, by file name, upload) under most
collections: 60-odd operations of one shape each. An upstream adapter writes the five generic implementations once
(``_history_records``, ``_add_notes``, ``_attachment_list``, ``_attachment_content``, ``_attachment_upload``, each
``(ctx, req, collection, id_param, **extra)``) and :func:`install` gives its class one named method per operation
of ``mappings/xero_operations.toml`` whose collection it serves, so that capabilities stay derived from methods
(:meth:`adapters.base.SourceAdapter.supported_operations`) and the coverage matrix lists them.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import mappings
from adapters.base import snake_case
from gateway.xero.request import RequestContext, Result, XeroRequest

_ID = r"/(?P<resource>[A-Za-z]+)/\{(?P<id_param>[A-Za-z]+)\}"
#: (method, path pattern, generic implementation, keyword arguments, needs attachments).
SHAPES: tuple[tuple[str, re.Pattern[str], str, dict[str, str], bool], ...] = (
    ("GET", re.compile(_ID + r"/History$"), "_history_records", {}, False),
    ("PUT", re.compile(_ID + r"/History$"), "_add_notes", {}, False),
    ("GET", re.compile(_ID + r"/Attachments$"), "_attachment_list", {}, True),
    ("GET", re.compile(_ID + r"/Attachments/\{AttachmentID\}$"), "_attachment_content", {"by": "AttachmentID"}, True),
    ("GET", re.compile(_ID + r"/Attachments/\{FileName\}$"), "_attachment_content", {"by": "FileName"}, True),
    ("PUT", re.compile(_ID + r"/Attachments/\{FileName\}$"), "_attachment_upload", {}, True),
    ("POST", re.compile(_ID + r"/Attachments/\{FileName\}$"), "_attachment_upload", {}, True),
)


def _operation(cls: type, operation_id: str, method: str, path: str, implementation: str, collection: str,
               id_param: str, extra: dict[str, str]) -> Callable[..., Awaitable[Result]]:
    async def operation(self: Any, ctx: RequestContext, req: XeroRequest) -> Result:
        return await getattr(self, implementation)(ctx, req, collection, id_param, **extra)

    operation.__name__ = operation.__qualname__ = snake_case(operation_id)
    operation.__doc__ = f"``{method} {path}`` ({operation_id}): see :meth:`{cls.__name__}.{implementation}`."
    return operation


def install(cls: type, *, serves: Callable[[str, str], bool], has_files: Callable[[str], bool]) -> None:
    """Give ``cls`` the History/Attachments operations of the collections it serves.

    Args:
        serves: ``(collection, id parameter) → bool``: the adapter keeps history for that collection.
        has_files: ``collection → bool``: the collection's records take attachments.
    """
    for row in mappings.load("xero_operations")["operation"]:
        for method, pattern, implementation, extra, needs_files in SHAPES:
            match = pattern.match(row["path"])
            if row["method"] != method or not match or not serves(match["resource"], match["id_param"]):
                continue
            if needs_files and not has_files(match["resource"]):
                continue
            setattr(cls, snake_case(row["id"]), _operation(cls, row["id"], method, row["path"], implementation,
                                                           match["resource"], match["id_param"], extra))
