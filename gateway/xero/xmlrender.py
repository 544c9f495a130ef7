"""Xero's XML answers: the same models as the JSON answers, written as Xero's XML API writes them.

One serialiser walks the Pydantic models of :mod:`gateway.xero.models` (or plain dicts an adapter or an error
echoes) and writes elements with the standard library's ElementTree; there is no code per resource.

Shapes (sources: Xero's XML schemas, github.com/XeroAPI/XeroAPI-Schemas ``v2.00``, ``Response.xsd``,
``ApiException.xsd`` and the ``ArrayOf…`` types of every resource; Xero XML answers recorded in pyxero's
``tests/mock_data.py``; the spec ``xero_accounting.yaml`` is JSON only and carries no ``xml:`` hints)::

    <Response xmlns:xsi="…" xmlns:xsd="…">
      <Id>…</Id><Status>OK</Status><ProviderName>…</ProviderName><DateTimeUTC>2013-05-31T06:07:35.3732465Z</DateTimeUTC>
      <pagination>…</pagination>                       (paged lists only)
      <Invoices><Invoice>…<LineItems><LineItem>…</LineItem></LineItems>…</Invoice></Invoices>
      <Warnings><Warning><Message>…</Message></Warning></Warnings>   (only when there are any)
    </Response>

Rules of the walk:

- A field holding a model (or dict) becomes an element with one child per non-``None`` field, in field order;
  ``None`` is left out, as the JSON drops it.
- A list becomes a wrapper element named like the field, holding one element per item, named by
  :func:`item_element` (``LineItems`` → ``LineItem``, ``Tracking`` → ``TrackingCategory``); a list of strings
  (``ReportTitles``) holds text elements (``<ReportTitle>``).
- Values: money and quantities (``Decimal``) as plain decimals with the value's own places (``660.00``, never an
  exponent); booleans ``true``/``false``; ``x-is-msdate`` dates as ``2012-10-19T00:00:00`` and
  ``x-is-msdate-time`` timestamps as UTC ``2012-10-26T00:17:26.233`` (milliseconds as in the JSON, trailing
  zeros dropped, no offset), as Xero's XML shows them (``xs:dateTime`` in the schemas). The JSON-only companion
  strings (``DateString``, ``UpdatedDateUTCString``…) are not written: the XML date already is that text.
- An already rendered dict may hold an MS-JSON date (``/Date(ms+0000)/``); it is written in the XML form.
- Field names are the JSON names, except where Xero's XML names a field otherwise
  (:data:`gateway.xero.xmlbody.XML_FIELD_ALIASES`: ``Allocation.Amount`` is ``<AppliedAmount>``).
- Characters XML 1.0 cannot carry (control characters) are replaced by U+FFFD so that every answer stays
  well-formed.

Errors are ``<ApiException>`` with ``ErrorNumber``, ``Type``, ``Message`` and, for a ``ValidationException``,
``<Elements><DataContractBase xsi:type="Invoice">…</DataContractBase></Elements>`` (``ApiException.xsd``; the
``DataContractBase`` wrapper and its ``xsi:type`` as Xero answers them: pyxero's ``tests/mock_data.py``
``bad_request_text``; the Xero developer community thread "ApiException", discussion 38731).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from .dates import parse_datetime, utcnow
from .models import XeroModel
from .xmlbody import XML_FIELD_ALIASES

#: Namespaces Xero declares on every root element (``xsi`` is needed for ``xsi:type`` in ``<Elements>``).
ROOT_NAMESPACES = {"xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                   "xmlns:xsd": "http://www.w3.org/2001/XMLSchema"}

#: List fields whose items Xero's XML does not name by the singular of the field (the ``ArrayOf…`` types of
#: XeroAPI-Schemas v2.00): a line's ``Tracking`` holds ``TrackingCategory`` elements (``LineItem.xsd``,
#: ``ManualJournal.xsd``), a report's ``Fields`` hold ``ReportField`` (``Report.xsd``) and ``Addresses`` hold
#: ``Address`` (``Address.xsd``: a plural in ``-es``, which the rule would not undo). Newer than the schemas,
#: so unconfirmed in XML: ``BankTransfer.FromTracking``/``ToTracking`` hold the spec's ``TrackingReference`` (the
#: name :mod:`gateway.xero.xmlbody` reads back) and ``TaxBreakdown`` the spec's ``TaxBreakdownComponent``.
ITEM_ELEMENTS: dict[str, str] = {
    "Tracking": "TrackingCategory",
    "FromTracking": "TrackingReference",
    "ToTracking": "TrackingReference",
    "Fields": "ReportField",
    "TaxBreakdown": "TaxBreakdownComponent",
    "Addresses": "Address",
}

#: Characters outside XML 1.0's ``Char`` production (https://www.w3.org/TR/xml/#charsets).
_NOT_XML_CHAR = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MSDATE_TEXT = re.compile(r"^/Date\(-?\d+([+-]\d{4})?\)/$")


def item_element(container: str) -> str:
    """The element name of one item of the list field (or collection) ``container``.

    Xero's XML wraps a list in an element named like the JSON key and names each item by the singular
    (``Invoices``/``Invoice``, ``Currencies``/``Currency``, ``Rows``/``Row``, ``Cells``/``Cell``,
    ``Attributes``/``Attribute``, ``Options``/``Option``, ``Warnings``/``Warning``, ``Reports``/``Report``):
    the ``ArrayOf…`` types of XeroAPI-Schemas v2.00. Exceptions are listed in :data:`ITEM_ELEMENTS`.

    Args:
        container: the list's field name or the operation's ``response_key``.

    Returns:
        The item element name; ``container`` itself when it is not a plural.
    """
    if container in ITEM_ELEMENTS:
        return ITEM_ELEMENTS[container]
    if container.endswith("ies"):
        return container[:-3] + "y"
    if container.endswith("s"):
        return container[:-1]
    return container


def xml_date(value: date) -> str:
    """An ``x-is-msdate`` value as Xero's XML writes it: ``2012-10-19T00:00:00``."""
    return f"{value.isoformat()}T00:00:00"


def xml_datetime(value: datetime) -> str:
    """An ``x-is-msdate-time`` value as Xero's XML writes it: UTC, no offset, milliseconds without trailing zeros
    (``2012-10-26T00:17:26.233``, ``2012-10-26T00:17:08.7``, ``2012-10-26T00:17:08``). Naive values are UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    text = value.isoformat(timespec="milliseconds")
    return text.rstrip("0").rstrip(".")


def xml_timestamp(value: datetime) -> str:
    """The envelope's ``DateTimeUTC``: UTC with 7 fractional digits and ``Z`` (``2013-05-31T06:07:35.3732465Z``),
    .NET's round-trip form as Xero's XML envelopes show it. Naive values are UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, float):  # a loose number in an echoed request element
        text = format(Decimal(repr(value)), "f")
    elif isinstance(value, datetime):
        text = xml_datetime(value)
    elif isinstance(value, date):
        text = xml_date(value)
    elif isinstance(value, str) and _MSDATE_TEXT.match(value):
        text = xml_datetime(parse_datetime(value))
    else:
        text = str(value)
    return _NOT_XML_CHAR.sub("\ufffd", text)


def _fields(obj: XeroModel | Mapping[str, Any]) -> Iterable[tuple[str, Any]]:
    if isinstance(obj, XeroModel):
        return ((name, getattr(obj, name)) for name in type(obj).model_fields)
    return obj.items()


def fill(element: Element, obj: XeroModel | Mapping[str, Any], *, kind: str | None = None) -> Element:
    """Write the fields of ``obj`` (a model or a dict) as children of ``element``; returns ``element``.

    ``kind`` is the resource name that decides the XML field names (default: the element's tag).
    """
    aliases = XML_FIELD_ALIASES.get(kind or element.tag, {})
    xml_names = {json_name: xml_name for xml_name, json_name in aliases.items()}
    for name, value in _fields(obj):
        append(element, xml_names.get(name, name), value)
    return element


def append(parent: Element, name: str, value: Any) -> None:
    """Append ``value`` to ``parent`` as the element ``name`` (nothing for ``None``), following the module's
    rules."""
    if value is None:
        return
    if isinstance(value, (XeroModel, Mapping)):
        fill(SubElement(parent, name), value)
    elif isinstance(value, (list, tuple)):
        wrapper = SubElement(parent, name)
        item = item_element(name)
        for entry in value:
            append(wrapper, item, entry)
    else:
        SubElement(parent, name).text = _text(value)


def _root(tag: str) -> Element:
    return Element(tag, dict(ROOT_NAMESPACES))


def _bytes(root: Element) -> bytes:
    return tostring(root, encoding="utf-8")


def envelope_xml(key: str, items: Iterable[Any], *, provider_name: str, pagination: Any = None,
                 warnings: Sequence[str] = (), now: datetime | None = None, envelope_id: str | None = None) -> bytes:
    """Xero's XML ``<Response>`` around ``items``: the XML twin of :func:`gateway.xero.envelope.build_envelope`.

    Args:
        key: the collection element (``Invoices``), the operation's ``response_key``; items are named by
            :func:`item_element` (``Invoice``).
        items: :class:`XeroModel` objects or already rendered dicts.
        provider_name: the calling app's name (``ProviderName``).
        pagination: a ``Pagination`` model or dict, written as ``<pagination>`` (the JSON's field names; Xero's
            XML name for it is unconfirmed) before the collection, as the spec's ``getInvoices`` example orders it.
        warnings: envelope-level warning messages, written as ``<Warnings><Warning><Message>``.
        now: the response time (default: now, UTC), written as :func:`xml_timestamp`.
        envelope_id: the envelope ``Id`` (default: a new GUID).

    Returns:
        The UTF-8 XML document.
    """
    root = _root("Response")
    append(root, "Id", envelope_id or str(uuid.uuid4()))
    append(root, "Status", "OK")
    append(root, "ProviderName", provider_name)
    SubElement(root, "DateTimeUTC").text = xml_timestamp(now or utcnow())
    append(root, "pagination", pagination)
    append(root, key, list(items))
    if warnings:
        append(root, "Warnings", [{"Message": message} for message in warnings])
    return _bytes(root)


def object_xml(name: str, item: XeroModel | Mapping[str, Any] | None) -> bytes:
    """A single-object answer (spec response schema without a collection, e.g. ``Allocation``) as the root
    element ``name``; an empty element when there is no item."""
    return _bytes(fill(Element(name), item or {}))


def api_exception_xml(body: Mapping[str, Any], *, element_type: str | None = None) -> bytes:
    """Xero's XML error: ``<ApiException>`` with ``ErrorNumber``, ``Type``, ``Message`` and, when ``body`` has
    ``Elements``, one ``<DataContractBase xsi:type="{element_type}">`` per echoed element.

    Args:
        body: the JSON error body (``XeroApiError.body()``, spec ``Error`` shape).
        element_type: the element's resource name (``Invoice``); without it, no ``xsi:type`` is written.

    Returns:
        The UTF-8 XML document.
    """
    root = _root("ApiException")
    for name in ("ErrorNumber", "Type", "Message"):
        append(root, name, body.get(name))
    elements = body.get("Elements")
    if elements:
        wrapper = SubElement(root, "Elements")
        for element in elements:
            attributes = {"xsi:type": element_type} if element_type else {}
            fill(SubElement(wrapper, "DataContractBase", attributes), element, kind=element_type)
    return _bytes(root)
