"""Organisation ← Sage ``GET /businesses/{id}`` + ``GET /financial_settings``.

Fields (swagger.user_business ``Business``; swagger.accounts ``FinancialSettings``; Xero spec ``Organisation``):

- ``OrganisationID`` ← the Xero tenant id (the stable uuid5 of the business, :func:`adapters.base.upstream_tenant_id`);
  ``Name``/``LegalName`` ← ``name``; ``CountryCode`` ← ``country.id``; ``Version`` ← the country through
  ``mappings/sage_organisation.toml``; ``IsDemoCompany`` ← ``is_demo``; ``CreatedDateUTC`` ← ``created_at``;
  ``OrganisationStatus`` ``ACTIVE``; ``Addresses`` ← the business address (``STREET``); ``Phones`` ← ``telephone``
  (``OFFICE``) and ``mobile`` (``MOBILE``).
- ``BaseCurrency`` ← ``base_currency.id``; ``FinancialYearEndDay``/``Month`` ← ``year_end_date``; ``TaxNumber`` ←
  ``tax_number``; ``PaysTax`` ← a tax number is set; ``SalesTaxBasis`` ← ``sales_tax_calculation`` through the table;
  ``PeriodLockDate`` ← ``year_end_lockdown_date``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import mappings
from adapters.common import fields
from gateway.xero.models import Address, Organisation, Phone

from .common import ref_id, sage_date, sage_datetime


def organisation_from_sage(business: Mapping[str, Any], settings: Mapping[str, Any], *, tenant_id: str) -> Organisation:
    """The Xero Organisation of a Sage business."""
    table = mappings.load("sage_organisation")
    country = ref_id(business.get("country"))
    year_end = sage_date(settings.get("year_end_date"))
    address_lines = [business.get("address_line_1"), business.get("address_line_2")]
    has_address = any(address_lines) or business.get("city") or business.get("postal_code")
    phones = [Phone(PhoneType=kind, PhoneNumber=str(business[key]))
              for key, kind in (("telephone", "OFFICE"), ("mobile", "MOBILE")) if business.get(key)]
    tax_number = settings.get("tax_number") or None
    basis = table["sales_tax_basis"].get(str(settings.get("sales_tax_calculation") or "").lower())
    name = business.get("name") or business.get("displayed_as")
    return Organisation(
        OrganisationID=tenant_id, Name=name, LegalName=name, CountryCode=country,
        Version=table["version"].get(country or "", table["default_version"]),
        BaseCurrency=ref_id(settings.get("base_currency")), IsDemoCompany=bool(business.get("is_demo")),
        OrganisationStatus="ACTIVE", CreatedDateUTC=sage_datetime(business.get("created_at")),
        FinancialYearEndDay=year_end.day if year_end else None,
        FinancialYearEndMonth=year_end.month if year_end else None,
        TaxNumber=tax_number, PaysTax=tax_number is not None, SalesTaxBasis=basis,
        PeriodLockDate=sage_date(settings.get("year_end_lockdown_date")),
        Addresses=[Address(AddressType="STREET", AddressLine1=address_lines[0] or None,
                           AddressLine2=address_lines[1] or None, City=business.get("city") or None,
                           Region=business.get("region") or None, PostalCode=business.get("postal_code") or None,
                           Country=country)] if has_address else None,
        Phones=phones or None)


#: What :func:`organisation_from_sage` makes of every Xero Organisation field (docs/fields-1009.md).
ORGANISATION_FIELDS = fields.FieldMap(
    "Organisation", Organisation,
    fields.computed("OrganisationID", "the tenant id: uuid5 of the business id (adapters/base.py)"),
    fields.populated("Name", "business.name (else displayed_as)"),
    fields.populated("LegalName", "business.name (else displayed_as)"),
    fields.computed("PaysTax", "financial_settings.tax_number is set"),
    fields.computed("Version", "business.country.id (mappings/sage_organisation.toml version)"),
    fields.populated("BaseCurrency", "financial_settings.base_currency.id"),
    fields.populated("CountryCode", "business.country.id"),
    fields.populated("IsDemoCompany", "business.is_demo"),
    fields.computed("OrganisationStatus", "ACTIVE: Sage serves only businesses the user can use"),
    fields.populated("TaxNumber", "financial_settings.tax_number", condition="when set"),
    fields.populated("FinancialYearEndDay", "financial_settings.year_end_date (day)"),
    fields.populated("FinancialYearEndMonth", "financial_settings.year_end_date (month)"),
    fields.populated("SalesTaxBasis", "financial_settings.sales_tax_calculation "
                                      "(mappings/sage_organisation.toml sales_tax_basis)", condition="when set"),
    fields.populated("PeriodLockDate", "financial_settings.year_end_lockdown_date", condition="when set"),
    fields.populated("CreatedDateUTC", "business.created_at"),
    fields.populated("Addresses", "business.address_line_1, address_line_2, city, region, postal_code (STREET)",
                     condition="when the business has an address"),
    fields.populated("Phones", "business.telephone (OFFICE), mobile (MOBILE)", condition="when set"),
    fields.lost("APIKey", reason="a Xero-only key for its old API; nothing at Sage"),
    fields.lost("OrganisationType", "OrganisationEntityType", "Class", "Edition",
                reason="Sage's Business has no legal entity type the adapter reads, nor a Xero plan"),
    fields.lost("RegistrationNumber", reason="not read: the adapter does not map Sage's business registration"),
    fields.lost("SalesTaxPeriod", "DefaultSalesTax", "DefaultPurchasesTax",
                reason="Sage's VAT return frequency and default rates are not read by the adapter"),
    fields.lost("EndOfYearLockDate", reason="Sage has one lock date (year_end_lockdown_date), read as PeriodLockDate"),
    fields.lost("Timezone", "ShortCode", "LineOfBusiness",
                reason="Sage's Business has no time zone or short code; its business type is not read"),
)
