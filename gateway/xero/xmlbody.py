"""XML request bodies → the same dict shape as Xero's JSON bodies.

pyxero sends every PUT/POST as XML (pyxero 0.9.5, ``xero/basemanager.py`` ``_prepare_data_for_save`` and
``dict_to_xml``): a list as ``<Invoices><Invoice>…</Invoice></Invoices>``, a single object as ``<Invoice>…``,
nested lists as a plural element wrapping singular ones (``<LineItems><LineItem>``, ``<Addresses><Address>``,
``<Phones><Phone>``, ``<Tracking><TrackingCategory>``, ``<ContactPersons><ContactPerson>``), and every value as
element text (``true``/``false``, ``2024-01-15T00:00:00``, ``12.50``).

Conversion rules:

- A leaf element becomes its text (``""`` when empty); attributes and namespaces are ignored.
- An element named like an array property of the spec (:data:`ARRAY_CONTAINERS`) whose children all carry one of
  that array's item names becomes a list; so does any element with two or more children of one tag.
- Any other element with children becomes a dict; a repeated child name (no container) becomes a list.
- The root: a container becomes ``{"Invoices": [...]}`` (as JSON clients send); a single object becomes the
  object itself (``{"PaymentID": …}``).

Parsing goes through ``defusedxml`` with DTDs forbidden (no entity expansion, no external references).
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .errors import PostDataInvalidException

#: Array properties of ``components.schemas`` in ``xero_accounting.yaml`` (v16.1.0) → the element names their
#: items may carry in XML: the item schema names, the singular, and pyxero's ``xero/utils.py`` ``OBJECT_NAMES``
#: (``Tracking`` → ``TrackingCategory``).
ARRAY_CONTAINERS: dict[str, frozenset[str]] = {name: frozenset(items) for name, items in {
    "Accounts": ("Account",),
    "Actions": ("Action",),
    "Addresses": ("Address", "AddressForOrganisation"),
    "Allocations": ("Allocation",),
    "Attachments": ("Attachment",),
    "Attributes": ("Attribute", "ReportAttribute"),
    "BalanceDetails": ("BalanceDetail", "BalanceDetails"),
    "BankTransactions": ("BankTransaction",),
    "BankTransfers": ("BankTransfer", "BankTransferDelete"),
    "BatchPayments": ("BatchPayment",),
    "BrandingThemes": ("BrandingTheme",),
    "BudgetBalances": ("BudgetBalance",),
    "BudgetLines": ("BudgetLine",),
    "Budgets": ("Budget",),
    "CISSettings": ("CISSetting", "CISOrgSetting"),
    "Cells": ("Cell", "ReportCell"),
    "ContactGroups": ("ContactGroup",),
    "ContactPersons": ("ContactPerson",),
    "Contacts": ("Contact", "TenNinetyNineContact"),
    "ConversionBalances": ("ConversionBalance", "ConversionBalances"),
    "CreditNotes": ("CreditNote",),
    "Currencies": ("Currency",),
    "Elements": ("Element",),
    "Employees": ("Employee",),
    "ExpenseClaims": ("ExpenseClaim",),
    "ExternalLinks": ("ExternalLink",),
    "Fields": ("Field", "ReportFields"),
    "FromTracking": ("TrackingReference", "Tracking"),
    "HistoryRecords": ("HistoryRecord",),
    "InvoiceAddresses": ("InvoiceAddress",),
    "InvoiceReminders": ("InvoiceReminder",),
    "Invoices": ("Invoice",),
    "Items": ("Item",),
    "JournalLines": ("JournalLine", "ManualJournalLine"),
    "Journals": ("Journal",),
    "LineItems": ("LineItem",),
    "LinkedTransactions": ("LinkedTransaction",),
    "ManualJournals": ("ManualJournal",),
    "OnlineInvoices": ("OnlineInvoice",),
    "Options": ("Option", "TrackingOption"),
    "Organisations": ("Organisation",),
    "Overpayments": ("Overpayment",),
    "PaymentServices": ("PaymentService",),
    "Payments": ("Payment",),
    "Phones": ("Phone",),
    "Prepayments": ("Prepayment",),
    "PurchaseOrders": ("PurchaseOrder",),
    "PurchasesTrackingCategories": ("PurchasesTrackingCategory", "SalesTrackingCategory", "TrackingCategory"),
    "Quotes": ("Quote",),
    "Receipts": ("Receipt",),
    "RepeatingInvoices": ("RepeatingInvoice",),
    "ReportTitles": ("ReportTitle",),
    "Reports": ("Report", "ReportWithRow"),
    "Rows": ("Row", "ReportRow", "ReportRows"),
    "SalesTrackingCategories": ("SalesTrackingCategory", "TrackingCategory"),
    "TaxBreakdown": ("TaxBreakdownComponent",),
    "TaxComponents": ("TaxComponent",),
    "TaxRates": ("TaxRate",),
    "ToTracking": ("TrackingReference", "Tracking"),
    "Tracking": ("TrackingCategory", "LineItemTracking", "Tracking"),
    "TrackingCategories": ("TrackingCategory",),
    "Users": ("User",),
    "ValidationErrors": ("ValidationError",),
    "Warnings": ("Warning", "ValidationError"),
}.items()}


#: XML element names that Xero's XML API uses where its JSON uses another field name, per object element:
#: pyxero's ``_put_allocation`` (pyxero 0.9.5, ``xero/basemanager.py``) sends an allocation's amount as
#: ``<Allocation><AppliedAmount>``, the XML name of the spec's ``Allocation.Amount`` (Xero's XML allocation
#: examples; unconfirmed in the OpenAPI spec, which is JSON only).
XML_FIELD_ALIASES: dict[str, dict[str, str]] = {
    "Allocation": {"AppliedAmount": "Amount"},
}


def _tag(element: Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _is_list(tag: str, children: list[Element]) -> bool:
    if not children:
        return False
    tags = {_tag(child) for child in children}
    if len(tags) != 1:
        return False
    (child_tag,) = tags
    return child_tag in ARRAY_CONTAINERS.get(tag, ()) or len(children) > 1


def _convert(element: Element) -> Any:
    children = list(element)
    tag = _tag(element)
    if not children:
        return element.text or ""
    if _is_list(tag, children):
        return [_convert(child) for child in children]
    out: dict[str, Any] = {}
    repeated: set[str] = set()
    for child in children:
        name, value = _tag(child), _convert(child)
        if name not in out:
            out[name] = value
            continue
        if name not in repeated:  # repeated without a container element: keep every value, in order
            out[name] = [out[name]]
            repeated.add(name)
        out[name].append(value)
    for xml_name, json_name in XML_FIELD_ALIASES.get(tag, {}).items():
        if xml_name in out and json_name not in out:
            out[json_name] = out.pop(xml_name)
    return out


def parse_xml_body(body: bytes | str) -> dict[str, Any]:
    """Parse an XML request body into Xero's JSON body shape.

    Args:
        body: the raw request body (UTF-8 unless the XML declaration says otherwise).

    Returns:
        ``{"<Container>": [element, …]}`` when the root is a collection (``<Invoices>``), else the root object
        (``<Invoice>`` → ``{"InvoiceNumber": …, "LineItems": [...]}``). Values are strings.

    Raises:
        PostDataInvalidException: not well-formed XML, a DTD or entity declaration, nesting too deep to
            process, or a root element holding a bare value.
    """
    try:
        root = fromstring(body, forbid_dtd=True)
    except (ParseError, DefusedXmlException) as exc:
        raise PostDataInvalidException(f"The request body is not valid XML: {exc}") from None
    tag, children = _tag(root), list(root)
    if not children and (root.text or "").strip():  # <Invoices>hello</Invoices>: a value where objects belong
        raise PostDataInvalidException(f"The XML root element <{tag}> holds a value, not fields")
    try:
        if _is_list(tag, children) or (not children and tag in ARRAY_CONTAINERS):
            return {tag: [_convert(child) for child in children]}
        if not children:  # <RequestEmpty/> and the like
            return {}
        return _convert(root)
    except RecursionError:
        raise PostDataInvalidException("The request body is nested too deeply") from None
