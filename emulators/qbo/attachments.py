"""File attachments: QBO's Upload and Download resources over ``Attachable`` records.

- ``POST /v3/company/{realmId}/upload`` (``multipart/form-data``): parts ``file_metadata_NN`` (an ``Attachable`` as
  JSON, checked against Finance.xsd like any write) and ``file_content_NN`` (the file, its ``Content-Type`` and file
  name); each pair creates one ``Attachable`` with ``FileName``, ``ContentType``, ``Size``, ``FileAccessUri`` and
  ``TempDownloadUri``. Answer: ``{"AttachableResponse": [{"Attachable": {…}} | {"Fault": {…}}], "time"}``
  (samples/Attachable.json ``upload_response``).
- ``GET /v3/company/{realmId}/download/{attachableId}``: the file's temporary URL as ``text/plain``.
- The temporary URL (``/attachments/{realmId}/{attachableId}/{token}``, no bearer token: a pre-signed URL, as QBO's
  are) answers the bytes with the uploaded ``Content-Type``.

Limits (Intuit, "Attach images and notes" and the Attachable reference: at most 100 MB a file, the setting
``max_attachment_bytes``; the file types the attachment list accepts, :data:`CONTENT_TYPES`). A part over the
limit or of another type is a 2010-family fault of its own item; the other pairs of the request are still
created. An ``EntityRef`` must name a live record of its ``type`` (610 otherwise).
"""

from __future__ import annotations

import json
import secrets
from decimal import Decimal
from typing import Any

from aiohttp import web

from . import faults
from .api import DataService, json_response, service
from .store import clone

#: Bytes read from an upload at a time.
CHUNK = 1 << 16
#: The content types of the file types QBO's attachment list accepts (AI, CSV, DOC, DOCX, EPS, GIF, JPEG/JPG, ODS,
#: PAGES, PDF, PNG, RTF, TIF, TXT, XLS, XLSX, XML).
CONTENT_TYPES = frozenset({
    "application/postscript", "text/csv", "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "image/gif", "image/jpeg",
    "image/jpg", "application/vnd.oasis.opendocument.spreadsheet", "application/vnd.apple.pages",
    "application/pdf", "image/png", "application/rtf", "text/rtf", "image/tiff", "text/plain",
    "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/xml", "text/xml",
})
_METADATA = "file_metadata_"
_CONTENT = "file_content_"


def _download_url(request: web.Request, realm_id: str, attachable_id: str, token: str) -> str:
    return f"{request.url.origin()}/attachments/{realm_id}/{attachable_id}/{token}"


def _check_file(content_type: str, size: int, limit: int) -> None:
    """Raises a 2010-family fault for a file QBO refuses (type or size; wording unconfirmed)."""
    if content_type.lower() not in CONTENT_TYPES:
        raise faults.invalid_request(f"Unsupported file type: {content_type}", "ContentType")
    if size > limit:
        raise faults.invalid_request(f"File size exceeds the maximum of {limit} bytes", "Size")


def _check_targets(svc: DataService, metadata: dict[str, Any]) -> None:
    """Every ``AttachableRef.EntityRef`` must name a live record (610)."""
    for ref in metadata.get("AttachableRef") or []:
        entity_ref = ref.get("EntityRef") if isinstance(ref, dict) else None
        if not isinstance(entity_ref, dict):
            raise faults.required_param("AttachableRef.EntityRef")
        spec = svc.cat.lookup(str(entity_ref.get("type") or ""))
        if spec is None or svc.realm.get(spec.name, str(entity_ref.get("value") or "")) is None:
            raise faults.object_not_found("AttachableRef.EntityRef")
        entity_ref["type"] = spec.name


def create_file(svc: DataService, request: web.Request, metadata: Any, *, file_name: str, content_type: str,
                content: bytes) -> dict[str, Any]:
    """Create the ``Attachable`` of one uploaded file; returns it as QBO answers it.

    Raises:
        QboFault: a metadata property Finance.xsd lacks (2010), a refused file (2010-family), an unknown target (610).
    """
    spec = svc.spec("Attachable")
    body = svc.check_body(spec, metadata if metadata is not None else {})
    _check_file(content_type, len(content), svc.state.config.max_attachment_bytes)
    _check_targets(svc, body)
    record = svc.engine.create(spec, {**body, "FileName": body.get("FileName") or file_name,
                                      "ContentType": content_type, "Size": Decimal(len(content))})
    token = secrets.token_urlsafe(16)
    url = _download_url(request, svc.realm.realm_id, record["Id"], token)
    stored = svc.realm.get(spec.name, record["Id"])
    assert stored is not None
    stored["FileAccessUri"] = f"/v3/company/{svc.realm.realm_id}/download/{record['Id']}"
    stored["TempDownloadUri"] = url
    svc.realm.files[record["Id"]] = (token, content_type, content)
    return clone(stored)


async def _read_bounded(part: Any, limit: int) -> bytes:
    """A file part's bytes, at most ``limit + 1`` of them (enough to refuse it; the rest is drained)."""
    data = bytearray()
    while chunk := await part.read_chunk(CHUNK):
        if len(data) <= limit:
            data.extend(chunk[:limit + 1 - len(data)])
    return bytes(data)


async def upload(request: web.Request) -> web.Response:
    """``POST /upload`` (module docstring)."""
    svc = service(request)
    if not request.content_type.startswith("multipart/"):
        raise faults.invalid_request("The upload must be multipart/form-data")
    metadata: dict[str, Any] = {}
    files: dict[str, tuple[str, str, bytes]] = {}
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        name = getattr(part, "name", None) or ""
        if name.startswith(_METADATA):
            text = (await part.read()).decode("utf-8")  # type: ignore[union-attr]
            try:
                metadata[name[len(_METADATA):]] = json.loads(text, parse_float=Decimal) if text.strip() else {}
            except ValueError:
                raise faults.invalid_request(f"{name} is not valid JSON") from None
        elif name.startswith(_CONTENT):
            files[name[len(_CONTENT):]] = (getattr(part, "filename", None) or "",
                                           part.headers.get("Content-Type", "application/octet-stream"),
                                           await _read_bounded(part, svc.state.config.max_attachment_bytes))
    if not files:
        raise faults.required_param(_CONTENT + "01")
    answers: list[dict[str, Any]] = []
    for suffix, (file_name, content_type, content) in sorted(files.items()):
        try:
            record = create_file(svc, request, metadata.get(suffix), file_name=file_name,
                                 content_type=content_type, content=content)
            answers.append({"Attachable": record})
        except faults.QboFault as fault:
            answers.append({"Fault": fault.fault_only()})
    return json_response({"AttachableResponse": answers, "time": svc.state.clock.response_time()})


async def download(request: web.Request) -> web.Response:
    """``GET /download/{id}``: the temporary URL of the file (``text/plain``). Raises QboFault 610."""
    svc = service(request)
    attachable_id = request.match_info["attachable_id"]
    record = svc.realm.get("Attachable", attachable_id)
    held = svc.realm.files.get(attachable_id)
    if record is None or held is None:
        raise faults.object_not_found()
    return web.Response(text=_download_url(request, svc.realm.realm_id, attachable_id, held[0]),
                        content_type="text/plain")


def file_handler(state_key: Any) -> Any:
    """The handler of the temporary URLs (outside ``/v3/company``: no bearer token, the URL's token instead)."""
    async def temporary(request: web.Request) -> web.Response:
        state = request.app[state_key]
        realm = state.store.realm(request.match_info["realm_id"])
        held = realm.files.get(request.match_info["attachable_id"]) if realm is not None else None
        if held is None or not secrets.compare_digest(held[0], request.match_info["token"]):
            raise web.HTTPNotFound()
        return web.Response(body=held[2], content_type=held[1])
    return temporary


def add_routes(app: web.Application, state_key: Any) -> None:
    """The upload/download routes (before the generic entity routes of :mod:`emulators.qbo.api`)."""
    prefix = "/v3/company/{realm_id}"
    app.router.add_post(prefix + "/upload", upload)
    app.router.add_get(prefix + "/download/{attachable_id}", download)
    app.router.add_get("/attachments/{realm_id}/{attachable_id}/{token}", file_handler(state_key))
