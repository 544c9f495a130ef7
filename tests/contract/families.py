"""Generic recipes for operation families, recognised from the spec path and method alone, so that a new operation
of a family needs no new code:

- every ``PUT …/{id}/History``: ``{"HistoryRecords": [{"Details": …}]}``; every ``GET …/History`` then lists it;
- every ``PUT``/``POST …/Attachments/{FileName}``: a small PNG with its ``Content-Type`` (``IncludeOnline=true``
  where the operation takes it); the list, by-id and by-name reads (``Accept: application/octet-stream``) return
  it byte for byte;
- every ``GET …/pdf``: ``application/pdf`` starting with ``%PDF-``.

History and attachments go on records the walk created (phase NOTES, uploads before reads, notes after attachments);
PDFs are rendered for demo documents (phase READ).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from gateway.api.operations import Operation

from .steps import HISTORY_NOTE, PDF_MAGIC, PNG_MAGIC, Phase, Recipe, png
from .walker import Walker

#: (family, method, path pattern, phase, rank). A family's recipes run at rank × 1000 + spec index, after the
#: explicit recipes of their phase; the ranks put uploads before their reads and notes after attachments (so that
#: the history read shows both).
_FAMILIES: tuple[tuple[str, str, re.Pattern[str], Phase, int], ...] = (
    ("attachment-upload", "PUT", re.compile(r"^/(\w+)/\{\w+\}/Attachments/\{FileName\}$"), Phase.NOTES, 10),
    ("attachment-list", "GET", re.compile(r"^/(\w+)/\{\w+\}/Attachments$"), Phase.NOTES, 11),
    ("attachment-by-id", "GET", re.compile(r"^/(\w+)/\{\w+\}/Attachments/\{AttachmentID\}$"), Phase.NOTES, 12),
    ("attachment-by-name", "GET", re.compile(r"^/(\w+)/\{\w+\}/Attachments/\{FileName\}$"), Phase.NOTES, 13),
    ("attachment-replace", "POST", re.compile(r"^/(\w+)/\{\w+\}/Attachments/\{FileName\}$"), Phase.NOTES, 14),
    ("history-note", "PUT", re.compile(r"^/(\w+)/\{\w+\}/History$"), Phase.NOTES, 15),
    ("history-read", "GET", re.compile(r"^/(\w+)/\{\w+\}/History$"), Phase.NOTES, 16),
    ("pdf", "GET", re.compile(r"^/(\w+)/\{\w+\}/pdf$"), Phase.READ, 10),
)


def _parent(op: Operation) -> tuple[str, str]:
    """``(collection, id parameter)`` of a family operation: ``("Invoices", "InvoiceID")``."""
    return op.path.strip("/").split("/")[0], op.path_params[0]


def _file_name(resource: str) -> str:
    return f"conformance-{resource.lower()}.png"


async def _upload(w: Walker, op: Operation) -> None:
    resource, param = _parent(op)
    name = _file_name(resource)
    params = {"IncludeOnline": "true"} if "IncludeOnline" in op.query else None
    replace = op.method == "POST"
    content = png(f"{resource} {'replaced' if replace else 'original'}")
    answer = await w.call(op.id, path={param: w.owned(param), "FileName": name}, params=params, data=content,
                          headers={"Content-Type": "image/png"})
    attachment = answer.one("Attachments")
    assert attachment["FileName"] == name and attachment["MimeType"] == "image/png", attachment
    assert attachment["ContentLength"] == len(content), attachment
    if params:
        assert attachment["IncludeOnline"] is True, attachment
    w.own[f"{resource}.AttachmentID"] = attachment["AttachmentID"]
    w.own[f"{resource}.Content"] = content


async def _list_attachments(w: Walker, op: Operation) -> None:
    resource, param = _parent(op)
    listed = (await w.call(op.id, path={param: w.owned(param)})).items("Attachments")
    assert [a["AttachmentID"] for a in listed] == [w.owned(f"{resource}.AttachmentID")], listed


async def _download(w: Walker, op: Operation) -> None:
    resource, param = _parent(op)
    key = {"AttachmentID": w.owned(f"{resource}.AttachmentID"), "FileName": _file_name(resource)}
    path = {param: w.owned(param), op.path_params[1]: key[op.path_params[1]]}
    answer = await w.call(op.id, path=path, headers={"Accept": "application/octet-stream"})
    assert answer.content_type == "application/octet-stream", answer.headers
    assert answer.body.startswith(PNG_MAGIC) and answer.body == w.owned(f"{resource}.Content"), answer.excerpt(80)


async def _note(w: Walker, op: Operation) -> None:
    resource, param = _parent(op)
    details = f"{HISTORY_NOTE} on {resource}"
    record = (await w.call(op.id, path={param: w.owned(param)},
                           json_body={"HistoryRecords": [{"Details": details}]})).one("HistoryRecords")
    assert record["Details"] == details, record


async def _history(w: Walker, op: Operation) -> None:
    resource, param = _parent(op)
    records = (await w.call(op.id, path={param: w.owned(param)})).items("HistoryRecords")
    if any(o.method == "PUT" and o.path == op.path and w.implements(o.id) for o in w.operations.values()):
        assert f"{HISTORY_NOTE} on {resource}" in [r.get("Details") for r in records], records
    else:
        # No notes on this source: the history is the record's own (at least its creation by the walk).
        assert records and all(r.get("Details") for r in records), records


async def _pdf(w: Walker, op: Operation) -> None:
    answer = await w.call(op.id, headers={"Accept": "application/pdf"})  # the demo document the lists resolved
    assert answer.content_type == "application/pdf" and answer.body.startswith(PDF_MAGIC), answer.excerpt(80)


_FAMILY_RUNNERS: dict[str, Callable[[Walker, Operation], Awaitable[None]]] = {
    "attachment-upload": _upload, "attachment-replace": _upload, "attachment-list": _list_attachments,
    "attachment-by-id": _download, "attachment-by-name": _download, "history-note": _note,
    "history-read": _history, "pdf": _pdf,
}


def family_recipe(op: Operation, index: int) -> Recipe | None:
    """The generic recipe of a family operation (by method and spec path), or ``None``."""
    for family, method, pattern, phase, rank in _FAMILIES:
        if op.method == method and pattern.match(op.path):
            runner = _FAMILY_RUNNERS[family]

            async def run(w: Walker, _op: Operation = op, _runner: Callable[..., Awaitable[None]] = runner) -> None:
                await _runner(w, _op)
            return Recipe(op.id, phase, rank * 1000 + index, run, family)
    return None
