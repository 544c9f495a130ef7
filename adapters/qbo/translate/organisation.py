"""Xero Organisation ← QBO CompanyInfo + Preferences (``mappings/qbo_organisation.toml``).

Fields: ``OrganisationID`` is the Xero tenant id (the stable uuid5 of the realm, :mod:`adapters.base`);
``Name`` ← ``CompanyName``; ``LegalName``; ``CountryCode`` ← ``Country`` (a two-letter code); ``Version`` from the
country; ``BaseCurrency`` ← ``Preferences.CurrencyPrefs.HomeCurrency``; ``PaysTax`` ←
``Preferences.TaxPrefs.UsingSalesTax``; the financial year ends the day before ``FiscalYearStartMonth`` begins;
``CreatedDateUTC`` ← ``MetaData.CreateTime``; ``LineOfBusiness`` ← the ``IndustryType`` name-value; addresses and the
primary phone by the table. Nothing else is known to QBO's API and nothing else is invented.
"""

from __future__ import annotations

import calendar
from typing import Any

from adapters.common import fields
from gateway.xero.models import Address, Organisation, Phone

from .. import codes
from .common import Tx, created, text

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def address_to_xero(addr: dict[str, Any] | None, address_type: str) -> Address | None:
    """A QBO PhysicalAddress as a Xero Address (``None`` when empty)."""
    if not isinstance(addr, dict):
        return None
    fields = {"AddressLine1": text(addr.get("Line1")), "AddressLine2": text(addr.get("Line2")),
              "AddressLine3": text(addr.get("Line3")), "AddressLine4": text(addr.get("Line4")),
              "City": text(addr.get("City")), "Region": text(addr.get("CountrySubDivisionCode")),
              "PostalCode": text(addr.get("PostalCode")), "Country": text(addr.get("Country"))}
    if not any(fields.values()):
        return None
    return Address(AddressType=address_type, **fields)


def year_end(start_month: str | None) -> tuple[int, int]:
    """(day, month) of the financial year end for a QBO ``FiscalYearStartMonth`` (default January → 31 Dec)."""
    month = MONTHS.index(start_month) + 1 if start_month in MONTHS else 1
    end_month = 12 if month == 1 else month - 1
    return calendar.monthrange(2001, end_month)[1], end_month  # a non-leap year: 28 February


def organisation_to_xero(t: Tx) -> Organisation:
    """The Xero Organisation of the realm (rules in the module docstring)."""
    table = codes.organisation()
    company = t.refs.company
    info = company.info
    country = company.country.upper()
    day, month = year_end(info.get("FiscalYearStartMonth"))
    addresses = [a for name, kind in table.address_types.items()
                 if (a := address_to_xero(info.get(name), kind)) is not None]
    phones = []
    for name, kind in table.phone_types.items():
        number = text((info.get(name) or {}).get("FreeFormNumber"))
        if number:
            phones.append(Phone(PhoneType=kind, PhoneNumber=number))
    industry = next((text(nv.get("Value")) for nv in info.get("NameValue") or []
                     if isinstance(nv, dict) and nv.get("Name") == "IndustryType"), None)
    uses_tax = (company.prefs.get("TaxPrefs") or {}).get("UsingSalesTax")
    return Organisation(
        OrganisationID=t.tenant_id or None,
        Name=text(info.get("CompanyName")),
        LegalName=text(info.get("LegalName")) or text(info.get("CompanyName")),
        PaysTax=bool(uses_tax) if uses_tax is not None else None,
        Version=table.version_by_country.get(country, "GLOBAL"),
        BaseCurrency=company.home_currency,
        CountryCode=country if len(country) == 2 else None,
        FinancialYearEndDay=day,
        FinancialYearEndMonth=month,
        CreatedDateUTC=created(info),
        LineOfBusiness=industry,
        Addresses=addresses or None,
        Phones=phones or None,
    )


#: What :func:`organisation_to_xero` makes of every Xero Organisation field (docs/fields-1004.md).
ORGANISATION_FIELDS = fields.FieldMap(
    "Organisation", Organisation,
    fields.computed("OrganisationID", "the tenant id: uuid5 of the realmId (adapters/base.py)"),
    fields.populated("Name", "CompanyInfo.CompanyName"),
    fields.populated("LegalName", "CompanyInfo.LegalName, else CompanyName"),
    fields.populated("PaysTax", "Preferences.TaxPrefs.UsingSalesTax"),
    fields.computed("Version", "CompanyInfo.Country (mappings/qbo_organisation.toml version_by_country)"),
    fields.populated("BaseCurrency", "Preferences.CurrencyPrefs.HomeCurrency"),
    fields.populated("CountryCode", "CompanyInfo.Country", condition="when it is a two-letter code"),
    fields.computed("FinancialYearEndDay", "the day before CompanyInfo.FiscalYearStartMonth begins"),
    fields.computed("FinancialYearEndMonth", "the month before CompanyInfo.FiscalYearStartMonth"),
    fields.populated("CreatedDateUTC", "CompanyInfo.MetaData.CreateTime"),
    fields.populated("LineOfBusiness", "CompanyInfo.NameValue IndustryType", condition="when the company has one"),
    fields.populated("Addresses", "CompanyInfo.CompanyAddr, CustomerCommunicationAddr, LegalAddr "
                                 "(mappings/qbo_organisation.toml address_types)", condition="when set"),
    fields.populated("Phones", "CompanyInfo.PrimaryPhone (mappings/qbo_organisation.toml phone_types)",
                     condition="when set"),
    fields.lost("APIKey", reason="a Xero-only key for its old API; nothing at QBO"),
    fields.lost("OrganisationType", "OrganisationEntityType", "Class", "Edition",
                reason="QBO's API exposes no legal entity type or subscription plan"),
    fields.lost("IsDemoCompany", "OrganisationStatus", "ShortCode",
                reason="QBO's API has no demo flag, organisation status or short code"),
    fields.lost("RegistrationNumber", "TaxNumber",
                reason="CompanyInfo has no company registration number; QBO masks tax ids on reads"),
    fields.lost("SalesTaxBasis", "SalesTaxPeriod", "DefaultSalesTax", "DefaultPurchasesTax",
                reason="QBO's automated sales tax settings are not in its API"),
    fields.lost("PeriodLockDate", "EndOfYearLockDate",
                reason="QBO's closing date (Preferences.AccountingInfoPrefs) is not read by the adapter"),
    fields.lost("Timezone", reason="QBO's API has no company time zone"),
)
