"""Request bodies (JSON or XML) → the list of elements an adapter receives.

Rules (shared/notes/xero-contract.md §2 "Headers", "PUT vs POST"; spec ``requestBody`` of each operation):

- JSON (xero-python, xero-node): a collection envelope ``{"Invoices": [...]}`` for operations whose request schema
  is one (``request_key``); a single object for single-object operations (``createPayment``, ``createAccount``,
  ``createTrackingOptions``). A bare object or a bare list is tolerated everywhere, and so is the envelope
  ``{"<response key>": [...]}`` on single-object operations. Keys are matched case-insensitively.
- XML (pyxero): parsed by :func:`gateway.xero.xmlbody.parse_xml_body` into the same shape, then the same rules.
- Attachment uploads (``PUT``/``POST …/Attachments/{FileName}``, spec ``application/octet-stream``): the body is
  the file; it becomes one element ``{"FileName", "MimeType", "ContentLength", "Content": bytes}``.
- An empty body is no element. ``GET`` and ``DELETE`` bodies are ignored.
- The size cap (10 MB) is the application's ``client_max_size``.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from gateway.xero.errors import PostDataInvalidException, RequestTooLarge
from gateway.xero.xmlbody import parse_xml_body

from .operations import Operation


def _format(content_type: str, raw: bytes) -> str:
    if "json" in content_type:
        return "json"
    if "xml" in content_type:
        return "xml"
    first = raw.lstrip()[:1]
    return "xml" if first == b"<" else "json"


def _parse_json(raw: bytes) -> Any:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
        # A lone surrogate ("\ud800") decodes but cannot be stored or rendered as UTF-8.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
        return data
    except UnicodeEncodeError:
        raise PostDataInvalidException("The request body holds a lone UTF-16 surrogate (\\uD800-\\uDFFF), "
                                       "which is not text") from None
    except UnicodeDecodeError:
        raise PostDataInvalidException("The request body is not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise PostDataInvalidException(
            f"The request body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise PostDataInvalidException("The request body is nested too deeply") from None


def _collection(data: dict[str, Any], op: Operation) -> tuple[str, Any] | None:
    """The ``(key, value)`` of a collection envelope: a dict whose only key names the collection."""
    if len(data) != 1:
        return None
    keys = {op.response_key.lower()} if op.response_key else set()
    if op.body_is_collection:
        keys.add(op.request_key.lower())
    ((key, value),) = data.items()
    if key.lower() in keys and isinstance(value, (list, dict)):
        return key, value
    return None


def elements_from_data(data: Any, op: Operation) -> list[dict[str, Any]]:
    """Turn a parsed body (JSON value, or the dict :func:`parse_xml_body` returns) into elements.

    Args:
        data: the decoded body.
        op: the operation it was sent to.

    Returns:
        One plain dict per object sent, Xero's field names untouched.

    Raises:
        PostDataInvalidException: the body is neither an object nor a list of objects.
    """
    where = "the request body"
    if isinstance(data, dict):
        found = _collection(data, op)
        if found is not None:
            where, data = found
            if isinstance(data, dict):
                data = [data]
        else:
            data = [data]
    if not isinstance(data, list):
        raise PostDataInvalidException(f"{where} must be an object or a list of objects")
    for index, element in enumerate(data):
        if not isinstance(element, dict):
            raise PostDataInvalidException(f"{where}[{index}] must be an object, not {type(element).__name__}")
    return data


#: Largest Accounting API write body (not attachments), in bytes: Xero's limits page says "There is no limit to the
#: number of elements within a request, provided the overall request size does not exceed 3.5MB"
#: (developer.xero.com/documentation/auth-and-limits/xero-api-limits). Attachments keep the app-wide cap.
MAX_WRITE_BODY = 3_500_000


async def read_elements(request: web.Request, op: Operation, path_params: dict[str, str]) -> list[dict[str, Any]]:
    """Read and parse the body of ``request`` for ``op``.

    Returns:
        The elements (see the module docstring); ``[]`` for ``GET``/``DELETE`` and empty bodies.

    Raises:
        PostDataInvalidException: unparseable JSON or XML, or the wrong shape (HTTP 400).
        RequestTooLarge: a write body over :data:`MAX_WRITE_BODY` (HTTP 413), refused before it is read.
        aiohttp.web.HTTPRequestEntityTooLarge: the body exceeds the application's ``client_max_size``.
    """
    if op.method in ("GET", "DELETE"):
        return []
    if not op.binary_body and (request.content_length or 0) > MAX_WRITE_BODY:
        raise RequestTooLarge(MAX_WRITE_BODY)
    raw = await request.read()
    if not op.binary_body and len(raw) > MAX_WRITE_BODY:  # a chunked body states no length
        raise RequestTooLarge(MAX_WRITE_BODY)
    if op.binary_body:
        return [{
            "FileName": path_params.get("FileName", ""),
            "MimeType": request.content_type,
            "ContentLength": len(raw),
            "Content": raw,
        }]
    if not raw.strip():
        return []
    if _format(request.content_type, raw) == "xml":
        return elements_from_data(parse_xml_body(raw), op)
    return elements_from_data(_parse_json(raw), op)
