"""An adapter's :class:`Result` → the HTTP response Xero would send.

- JSON by default. Xero's own default without ``Accept`` is XML; the gateway answers JSON unless told otherwise
  and does not render XML responses (shared/notes/xero-contract.md §2 "Headers").
- Collection answers use Xero's envelope (:func:`gateway.xero.envelope.build_envelope`), with the plural key even
  for single-item GETs.
- Single-object answers (spec response schema without a collection, e.g. ``Allocation`` for
  ``deleteCreditNoteAllocations``, ``ImportSummaryObject`` for ``postSetup``) are the bare object.
- Operations without a JSON response (spec ``204``, ``x-isEmpty``: ``deleteItem``, ``emailInvoice``…) answer 204
  when the adapter returns nothing.
- Binary results (``Result.content``: PDFs, attachments) are the raw bytes with ``Result.content_type``.
- With ``summarizeErrors=false`` every answer is HTTP 200 (§2 "PUT vs POST").
- A 501 goes out as Xero's XML ``<ApiException>`` to clients that speak XML: pyxero parses every 501 body as XML
  (pyxero 0.9.5, ``xero/exceptions.py`` ``XeroNotImplemented``) and sends ``Content-Type: application/xml`` on
  every call, GETs included (``xero/basemanager.py``). Every other error is JSON, rendered by the app middleware.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement, tostring

from aiohttp import web

from gateway.xero.envelope import build_envelope, dump_item, to_json_bytes
from gateway.xero.errors import XeroApiError
from gateway.xero.request import Result

from .operations import Operation

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
XML_CONTENT_TYPE = "text/xml; charset=utf-8"
_XML_TYPES = ("application/xml", "text/xml")


def json_response(body: object, *, status: int = 200) -> web.Response:
    """A JSON response with ``Content-Type: application/json; charset=utf-8``."""
    return web.Response(status=status, body=to_json_bytes(body), headers={"Content-Type": JSON_CONTENT_TYPE})


def render_result(result: Result, *, op: Operation, provider_name: str, summarize_errors: bool = True
                  ) -> web.Response:
    """Render ``result`` for ``op``.

    Args:
        result: the adapter's answer.
        op: the operation that produced it (its ``response_key`` names the collection).
        provider_name: ``ProviderName`` of the envelope (the calling app's name).
        summarize_errors: the request's ``summarizeErrors``; ``False`` forces HTTP 200.

    Returns:
        The response (see the module docstring).
    """
    response = _render(result, op=op, provider_name=provider_name, summarize_errors=summarize_errors)
    response.headers.update(result.headers)
    return response


def _render(result: Result, *, op: Operation, provider_name: str, summarize_errors: bool) -> web.Response:
    status = result.status if summarize_errors else 200
    if result.content is not None:
        return web.Response(status=status, body=result.content,
                            headers={"Content-Type": result.content_type or "application/octet-stream"})
    if op.response_key:
        return json_response(build_envelope(op.response_key, result.items, provider_name=provider_name,
                                            pagination=result.pagination, warnings=result.warnings),
                             status=status)
    if op.response_schema:
        return json_response(dump_item(result.items[0]) if result.items else {}, status=status)
    return web.Response(status=204 if status == 200 else status)


def speaks_xml(request: web.Request) -> bool:
    """Whether the client sends XML (``Content-Type``) or asks for it first (``Accept``)."""
    if request.content_type in _XML_TYPES or request.content_type.endswith("+xml"):
        return True
    accept = request.headers.get("Accept", "")
    first = accept.split(",")[0].split(";")[0].strip().lower()
    return first in _XML_TYPES


def xml_error_response(exc: XeroApiError) -> web.Response:
    """Xero's XML error: ``<ApiException><ErrorNumber/><Type/><Message/></ApiException>`` with ``exc.status``.

    The fields are those of ``exc.body()`` (a dict); a text body becomes the ``Message``.
    """
    body = exc.body()
    fields = body if isinstance(body, dict) else {"Message": body}
    root = Element("ApiException")
    for name in ("ErrorNumber", "Type", "Message"):
        if fields.get(name) is not None:
            SubElement(root, name).text = str(fields[name])
    return web.Response(status=exc.status, body=tostring(root, encoding="utf-8"),
                        headers={**exc.headers, "Content-Type": XML_CONTENT_TYPE})
