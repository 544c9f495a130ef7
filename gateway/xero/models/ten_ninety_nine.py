"""Xero's 1099 report (``GET /Reports/TenNinetyNine``): spec ``Reports`` of ``Report`` with ``TenNinetyNineContact``
items (``xero_accounting.yaml`` v16.1.0). Conventions of :mod:`gateway.xero.models.core` apply."""

from .core import Money, MsDateTime, XeroModel


class TenNinetyNineContact(XeroModel):
    """Spec ``TenNinetyNineContact``: one contractor's boxes on a 1099 form."""

    Box1: Money | None = None
    Box2: Money | None = None
    Box3: Money | None = None
    Box4: Money | None = None
    Box5: Money | None = None
    Box6: Money | None = None
    Box7: Money | None = None
    Box8: Money | None = None
    Box9: Money | None = None
    Box10: Money | None = None
    Box11: Money | None = None
    Box13: Money | None = None
    Box14: Money | None = None
    Name: str | None = None
    FederalTaxIDType: str | None = None
    City: str | None = None
    Zip: str | None = None
    State: str | None = None
    Email: str | None = None
    StreetAddress: str | None = None
    TaxID: str | None = None
    ContactId: str | None = None
    LegalName: str | None = None
    BusinessName: str | None = None
    FederalTaxClassification: str | None = None


class TenNinetyNineReport(XeroModel):
    """Spec ``Report``: one 1099 form's report (``1099-NEC report``, ``1099-MISC report``)."""

    ReportName: str | None = None
    ReportType: str | None = None
    ReportTitle: str | None = None
    ReportDate: str | None = None
    UpdatedDateUTC: MsDateTime | None = None
    Contacts: list[TenNinetyNineContact] | None = None
