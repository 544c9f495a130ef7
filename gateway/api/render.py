"""An adapter's :class:`Result` → the HTTP response Xero would send, as XML or JSON.

- The format follows ``Accept`` (:func:`wants_xml`): Xero answers XML by default, so no ``Accept`` or a first
  media type of ``application/xml``/``text/xml`` gets Xero's XML (:mod:`gateway.xero.xmlrender`); anything else
  gets JSON: ``application/json`` as asked, and ``*/*`` (aiohttp's, requests' and curl's default), which names no
  format, keeps the gateway's JSON (shared/notes/xero-contract.md §2 "Headers": JSON when asked, the default is
  the gateway's choice). Both are renderings of the same models.
- Collection answers use Xero's envelope (:func:`gateway.xero.envelope.build_envelope`,
  :func:`gateway.xero.xmlrender.envelope_xml`), with the plural key even for single-item GETs.
- Single-object answers (spec response schema without a collection, e.g. ``Allocation`` for
  ``deleteCreditNoteAllocations``, ``ImportSummaryObject`` for ``postSetup``) are the bare object (in XML, a root
  element named by the schema).
- Operations without a JSON response (spec ``204``, ``x-isEmpty``: ``deleteItem``, ``emailInvoice``…) answer 204
  when the adapter returns nothing.
- Binary results (``Result.content``: PDFs, attachments) are the raw bytes with ``Result.content_type``.
- With ``summarizeErrors=false`` every answer is HTTP 200 (§2 "PUT vs POST"), and each failed element's echo gets the
  fields the spec requires of it (:func:`gateway.xero.echo.fill_failed`), whatever adapter answered.
- Errors in the spec's ``Error`` shape (``ErrorNumber``/``Type``/``Message``[/``Elements``]) go out as Xero's XML
  ``<ApiException>`` (:func:`xml_error_response`) to clients that want XML answers, and a 501 also to clients
  that send XML: pyxero parses every 501 body as XML (pyxero 0.9.5, ``xero/exceptions.py``
  ``XeroNotImplemented``) and sends ``Content-Type: application/xml`` on every call, GETs included
  (``xero/basemanager.py``), while asking for JSON. 401/403 (ProblemDetails JSON) and the plain-text 404/429
  are the same in both formats. Every other error is rendered by the app middleware.
"""

from __future__ import annotations

from aiohttp import web

from gateway.xero.echo import fill_failed
from gateway.xero.envelope import build_envelope, dump_item, to_json_bytes
from gateway.xero.errors import OperationNotSupported, XeroApiError
from gateway.xero.request import Result
from gateway.xero.xmlrender import api_exception_xml, envelope_xml, item_element, object_xml

from .operations import Operation

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
XML_CONTENT_TYPE = "text/xml; charset=utf-8"
_XML_TYPES = ("application/xml", "text/xml")


def json_response(body: object, *, status: int = 200) -> web.Response:
    """A JSON response with ``Content-Type: application/json; charset=utf-8``."""
    return web.Response(status=status, body=to_json_bytes(body), headers={"Content-Type": JSON_CONTENT_TYPE})


def xml_response(body: bytes, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """An XML response with ``Content-Type: text/xml; charset=utf-8``."""
    return web.Response(status=status, body=body, headers={**(headers or {}), "Content-Type": XML_CONTENT_TYPE})


def render_result(result: Result, *, op: Operation, provider_name: str, summarize_errors: bool = True,
                  xml: bool = False) -> web.Response:
    """Render ``result`` for ``op``.

    Args:
        result: the adapter's answer.
        op: the operation that produced it (its ``response_key`` names the collection).
        provider_name: ``ProviderName`` of the envelope (the calling app's name).
        summarize_errors: the request's ``summarizeErrors``; ``False`` forces HTTP 200.
        xml: answer Xero's XML instead of JSON (:func:`wants_xml`); binary and empty answers are the same.

    Returns:
        The response (see the module docstring).
    """
    if not summarize_errors:  # failed elements are echoed: with the fields the spec requires, whatever the adapter
        fill_failed(result.items)
    response = _render(result, op=op, provider_name=provider_name, summarize_errors=summarize_errors, xml=xml)
    response.headers.update(result.headers)
    return response


def _render(result: Result, *, op: Operation, provider_name: str, summarize_errors: bool,
            xml: bool) -> web.Response:
    status = result.status if summarize_errors else 200
    if result.content is not None:
        return web.Response(status=status, body=result.content,
                            headers={"Content-Type": result.content_type or "application/octet-stream"})
    if op.response_key:
        if xml:
            return xml_response(envelope_xml(op.response_key, result.items, provider_name=provider_name,
                                             pagination=result.pagination, warnings=result.warnings),
                                status=status)
        return json_response(build_envelope(op.response_key, result.items, provider_name=provider_name,
                                            pagination=result.pagination, warnings=result.warnings),
                             status=status)
    if op.response_schema:
        item = result.items[0] if result.items else None
        if xml:
            return xml_response(object_xml(op.response_schema, item), status=status)
        return json_response(dump_item(item) if item is not None else {}, status=status)
    return web.Response(status=204 if status == 200 else status)


def _first_media_type(accept: str) -> str:
    return accept.split(",")[0].split(";")[0].strip().lower()


def wants_xml(request: web.Request) -> bool:
    """Whether the answer is to be XML: no (or an empty) ``Accept``, or its first media type is
    ``application/xml`` or ``text/xml`` (Xero's default is XML: shared/notes/xero-contract.md §2 "Headers");
    ``*/*`` and every other type get JSON."""
    accept = request.headers.get("Accept", "")
    return not accept.strip() or _first_media_type(accept) in _XML_TYPES


def speaks_xml(request: web.Request) -> bool:
    """Whether the client sends XML (``Content-Type``) or asks for it first (``Accept``)."""
    if request.content_type in _XML_TYPES or request.content_type.endswith("+xml"):
        return True
    return _first_media_type(request.headers.get("Accept", "")) in _XML_TYPES


def has_xml_error(exc: XeroApiError) -> bool:
    """Whether Xero answers ``exc`` as an ``<ApiException>``: a body in the spec's ``Error`` shape (with
    ``ErrorNumber``); ProblemDetails (401/403) and plain-text bodies (404, 429) are not."""
    body = exc.body()
    return isinstance(body, dict) and "ErrorNumber" in body


def xml_error_wanted(request: web.Request, exc: XeroApiError) -> bool:
    """Whether ``exc`` goes out as XML to this client (see the module docstring)."""
    if not has_xml_error(exc):
        return False
    return wants_xml(request) or (isinstance(exc, OperationNotSupported) and speaks_xml(request))


def element_type(op: Operation) -> str | None:
    """The resource name of ``op``'s elements (``Invoice`` for ``createInvoices``, ``Payment`` for
    ``createPayment``), the ``xsi:type`` of the elements echoed in a ``ValidationException``: the singular of
    the request's (else the response's) collection key, else the request schema (``Setup``)."""
    key = op.request_key or op.response_key
    return item_element(key) if key else (op.request_schema or None)


def xml_error_response(exc: XeroApiError, *, op: Operation | None = None) -> web.Response:
    """Xero's XML error (:func:`gateway.xero.xmlrender.api_exception_xml`) with ``exc.status`` and headers.

    Args:
        exc: the error; its ``body()`` gives the fields (a text body becomes the ``Message``).
        op: the operation called, which names the echoed ``Elements`` (``xsi:type``); ``None`` when unknown.
    """
    body = exc.body()
    fields = body if isinstance(body, dict) else {"Message": body}
    return xml_response(api_exception_xml(fields, element_type=element_type(op) if op else None),
                        status=exc.status, headers=exc.headers)
