"""The XML serialiser (gateway.xero.xmlrender): names, value forms, the envelope, errors, and XML that the
gateway's own XML request reader (pyxero's shapes) reads back into the same models."""

from __future__ import annotations

import inspect
import typing
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from xml.etree.ElementTree import Element, tostring

import pytest
from defusedxml.ElementTree import fromstring

from gateway.xero.models import Contact, Pagination, TaxRate, XeroModel, catalogue, core, documents, reports, workflow
from gateway.xero.models.catalogue import ItemDetails, TrackingCategory, TrackingOption
from gateway.xero.models.core import Address, LineItem, LineItemTracking, Payment, Phone, TaxComponent
from gateway.xero.models.documents import Allocation, CreditNote, Invoice, ManualJournal, ManualJournalLine
from gateway.xero.xmlbody import ARRAY_CONTAINERS, parse_xml_body
from gateway.xero.xmlrender import (
    api_exception_xml,
    envelope_xml,
    fill,
    item_element,
    object_xml,
    xml_date,
    xml_datetime,
    xml_timestamp,
)

XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
CONTACT_ID = "9b9ba9e5-e907-4b4e-8210-54d6b56c8a7f"


@pytest.mark.parametrize(("container", "item"), [
    ("Invoices", "Invoice"), ("LineItems", "LineItem"), ("Currencies", "Currency"),
    ("TrackingCategories", "TrackingCategory"), ("Addresses", "Address"), ("Tracking", "TrackingCategory"),
    ("Reports", "Report"), ("Rows", "Row"), ("Cells", "Cell"), ("Attributes", "Attribute"),
    ("ReportTitles", "ReportTitle"), ("Fields", "ReportField"), ("Options", "Option"), ("Warnings", "Warning"),
    ("JournalLines", "JournalLine"), ("HistoryRecords", "HistoryRecord"), ("Organisations", "Organisation"),
    ("FromTracking", "TrackingReference"), ("TaxBreakdown", "TaxBreakdownComponent"),
])
def test_item_names_follow_xeros_xml_schemas(container, item):
    assert item_element(container) == item


def _list_fields() -> set[str]:
    found = set()
    for module in (core, documents, catalogue, workflow, reports):
        for cls in vars(module).values():
            if inspect.isclass(cls) and issubclass(cls, XeroModel):
                for name, info in cls.model_fields.items():
                    kinds = (info.annotation, *typing.get_args(info.annotation))
                    if any(typing.get_origin(kind) is list for kind in kinds):
                        found.add(name)
    return found


def test_every_list_field_writes_items_the_request_reader_reads_back():
    """A list written in XML is read back as a list by gateway.xero.xmlbody (pyxero's names), so the two stay one
    vocabulary. ``Fields`` (report output, never posted) follows Xero's report schema: ``ReportField``."""
    fields = _list_fields()
    assert {"LineItems", "Tracking", "Rows", "Cells", "JournalLines", "Allocations"} <= fields
    unread = {name: item_element(name) for name in fields - {"Fields"}
              if item_element(name) not in ARRAY_CONTAINERS.get(name, ())}
    assert not unread, unread


def test_value_forms():
    assert xml_date(date(2012, 10, 19)) == "2012-10-19T00:00:00"
    assert xml_datetime(datetime(2012, 10, 26, 0, 17, 26, 233000, tzinfo=UTC)) == "2012-10-26T00:17:26.233"
    assert xml_datetime(datetime(2012, 10, 26, 0, 17, 8, 700000, tzinfo=UTC)) == "2012-10-26T00:17:08.7"
    assert xml_datetime(datetime(2012, 10, 26, 0, 17, 8, 999, tzinfo=UTC)) == "2012-10-26T00:17:08"
    assert xml_datetime(datetime(2012, 10, 26, 13, 0, tzinfo=timezone(timedelta(hours=13)))) == "2012-10-26T00:00:00"
    assert xml_datetime(datetime(2012, 10, 26, 1, 2, 3)) == "2012-10-26T01:02:03"  # naive is UTC
    assert xml_timestamp(datetime(2013, 5, 31, 6, 7, 35, 373246, tzinfo=UTC)) == "2013-05-31T06:07:35.3732460Z"
    line = LineItem(Quantity=Decimal("3.0000"), UnitAmount=Decimal("1E+2"), LineAmount=Decimal("-0.50"),
                    Description="Café & <tea>")
    root = fromstring(tostring(fill(Element("LineItem"), line)))
    assert [(child.tag, child.text) for child in root] == [
        ("Description", "Café & <tea>"), ("Quantity", "3.0000"), ("UnitAmount", "100"), ("LineAmount", "-0.50")]
    flags = fromstring(tostring(fill(Element("Contact"), Contact(IsSupplier=True, IsCustomer=False))))
    assert (flags.findtext("IsSupplier"), flags.findtext("IsCustomer")) == ("true", "false")


def test_characters_xml_cannot_carry_are_replaced():
    body = tostring(fill(Element("Contact"), Contact(Name="Bell\x07 & Co\x00")))
    assert fromstring(body).findtext("Name") == "Bell\ufffd & Co\ufffd"


def test_rendered_dicts_take_the_xml_date_form():
    root = fromstring(tostring(fill(Element("Invoice"), {
        "Date": "/Date(1551139200000+0000)/", "Total": 1.5, "Lines": [], "Note": None, "Paid": False})))
    assert [(child.tag, child.text) for child in root] == [
        ("Date", "2019-02-26T00:00:00"), ("Total", "1.5"), ("Lines", None), ("Paid", "false")]


def test_envelope():
    rate = TaxRate(Name="Standard 20%", TaxType="OUTPUT2", CanApplyToRevenue=True, DisplayTaxRate=Decimal("20.0000"),
                   TaxComponents=[TaxComponent(Name="VAT", Rate=Decimal("20.0000"), IsCompound=False)])
    body = envelope_xml("TaxRates", [rate], provider_name="My App", envelope_id="e1",
                        now=datetime(2019, 3, 11, 18, 46, 41, 318000, tzinfo=UTC),
                        pagination=Pagination(page=1, pageSize=100, pageCount=1, itemCount=1),
                        warnings=["Rounding applied"])
    assert body == (
        b'<Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        b'xmlns:xsd="http://www.w3.org/2001/XMLSchema"><Id>e1</Id><Status>OK</Status>'
        b"<ProviderName>My App</ProviderName><DateTimeUTC>2019-03-11T18:46:41.3180000Z</DateTimeUTC>"
        b"<pagination><page>1</page><pageSize>100</pageSize><pageCount>1</pageCount><itemCount>1</itemCount>"
        b"</pagination><TaxRates><TaxRate><Name>Standard 20%</Name><TaxType>OUTPUT2</TaxType><TaxComponents>"
        b"<TaxComponent><Name>VAT</Name><Rate>20.0000</Rate><IsCompound>false</IsCompound></TaxComponent>"
        b"</TaxComponents><CanApplyToRevenue>true</CanApplyToRevenue><DisplayTaxRate>20.0000</DisplayTaxRate>"
        b"</TaxRate></TaxRates><Warnings><Warning><Message>Rounding applied</Message></Warning></Warnings>"
        b"</Response>")
    bare = fromstring(envelope_xml("Invoices", [], provider_name="p"))
    assert [child.tag for child in bare] == ["Id", "Status", "ProviderName", "DateTimeUTC", "Invoices"]
    assert list(bare.find("Invoices")) == []


def test_single_object_and_its_xml_field_names():
    allocation = Allocation(AllocationID="a1", Amount=Decimal("24.00"), Date=date(2026, 11, 21), IsDeleted=True)
    assert object_xml("Allocation", allocation) == (
        b"<Allocation><AllocationID>a1</AllocationID><AppliedAmount>24.00</AppliedAmount>"
        b"<Date>2026-11-21T00:00:00</Date><IsDeleted>true</IsDeleted></Allocation>")
    assert object_xml("Allocation", None) == b"<Allocation />"


def test_api_exception_with_elements():
    body = {"ErrorNumber": 10, "Type": "ValidationException", "Message": "A validation exception occurred",
            "Elements": [{"Type": "ACCREC", "LineItems": [{"Quantity": 1}],
                          "ValidationErrors": [{"Message": "Contact cannot be empty."}]}]}
    root = fromstring(api_exception_xml(body, element_type="Invoice"))
    assert root.tag == "ApiException"
    assert [child.tag for child in root] == ["ErrorNumber", "Type", "Message", "Elements"]
    (element,) = root.find("Elements")
    assert element.tag == "DataContractBase" and element.get(f"{XSI}type") == "Invoice"
    assert element.findtext("LineItems/LineItem/Quantity") == "1"
    assert element.findtext("ValidationErrors/ValidationError/Message") == "Contact cannot be empty."
    plain = fromstring(api_exception_xml({"ErrorNumber": 16, "Type": "QueryParseException", "Message": "bad"}))
    assert [child.tag for child in plain] == ["ErrorNumber", "Type", "Message"]


def _round_trip(model: XeroModel, tag: str) -> XeroModel:
    return type(model).model_validate(parse_xml_body(tostring(fill(Element(tag), model))))


def test_documents_read_back_into_the_same_models():
    tracking = [LineItemTracking(Name="Region", Option="North", TrackingCategoryID="t1", TrackingOptionID="o1")]
    contact = Contact(ContactID=CONTACT_ID, Name="Kestrel", IsCustomer=True,
                      Addresses=[Address(AddressType="POBOX", City="Leeds")],
                      Phones=[Phone(PhoneType="DEFAULT", PhoneNumber="1"), Phone(PhoneType="MOBILE")])
    invoice = Invoice(
        InvoiceID="i1", Type="ACCREC", Contact=contact, Date=date(2026, 10, 19), DueDate=date(2026, 11, 19),
        LineItems=[LineItem(Description="Design", Quantity=Decimal("2.0000"), UnitAmount=Decimal("60.00"),
                            Tracking=tracking),
                   LineItem(Description="Print", Quantity=Decimal("1"), UnitAmount=Decimal("5.50"),
                            Tracking=tracking * 2)],
        Payments=[Payment(PaymentID="p1", Date=date(2026, 10, 20), Amount=Decimal("125.50"))],
        Total=Decimal("125.50"), SentToContact=False,
        UpdatedDateUTC=datetime(2026, 10, 26, 0, 17, 26, 233000, tzinfo=UTC))
    assert _round_trip(invoice, "Invoice") == invoice
    credit = CreditNote(CreditNoteID="c1", Type="ACCRECCREDIT", Allocations=[
        Allocation(Invoice=core.Invoice(InvoiceID="i1"), Amount=Decimal("24.00"), Date=date(2026, 11, 21))])
    assert _round_trip(credit, "CreditNote") == credit
    journal = ManualJournal(Narration="Accrual", Date=date(2026, 11, 30), JournalLines=[
        ManualJournalLine(LineAmount=Decimal("100"), AccountCode="400", Tracking=tracking),
        ManualJournalLine(LineAmount=Decimal("-100"), AccountCode="800")])
    assert _round_trip(journal, "ManualJournal") == journal
    category = TrackingCategory(Name="Region", Options=[TrackingOption(Name="North"), TrackingOption(Name="South")])
    assert _round_trip(category, "TrackingCategory") == category
    details = ItemDetails(UnitPrice=Decimal("9.99"), AccountCode="200")
    assert _round_trip(details, "SalesDetails") == details
