"""Creating a company (tenant) with Xero's UK defaults: chart of accounts, VAT rates, base currency.

Account ids are ``uuid5`` of the tenant id and the account code, so a company's chart has the same ids every
time it is created.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from .. import codes
from ..ids import stable_id
from ..tables.core import Account, Company, Currency, TaxRate


async def create_uk_company(session: AsyncSession, *, company_id: str, organisation: dict[str, Any],
                            is_demo: bool, now: dt.datetime) -> Company:
    """Add a UK company with Xero's default chart, UK VAT rates and its base currency enabled.

    Args:
        company_id: the tenant id (``OrganisationID``).
        organisation: the ``[organisation]`` table of ``mappings/native_demo.toml`` (or the same keys).
        is_demo: ``IsDemoCompany``.
        now: creation time (``CreatedDateUTC`` and every account's ``UpdatedDateUTC``).

    Returns:
        The company row (flushed).
    """
    org = organisation
    company = Company(
        id=company_id, name=org["name"], legal_name=org.get("legal_name", org["name"]), version=org["version"],
        organisation_type=org["organisation_type"], base_currency=org["base_currency"],
        country_code=org["country_code"], timezone=org["timezone"],
        financial_year_end_day=org["financial_year_end_day"],
        financial_year_end_month=org["financial_year_end_month"], sales_tax_basis=org["sales_tax_basis"],
        sales_tax_period=org["sales_tax_period"], tax_number=org.get("tax_number"),
        registration_number=org.get("registration_number"), line_of_business=org.get("line_of_business"),
        short_code=org.get("short_code"), org_class=org.get("class"), edition=org.get("edition"), is_demo=is_demo,
        addresses=[org["address"]] if "address" in org else [], phones=[org["phone"]] if "phone" in org else [],
        next_invoice_number=1, next_journal_number=1, created_utc=now)
    session.add(company)
    await session.flush()
    for rate in codes.uk_tax_rates():
        session.add(TaxRate(company_id=company_id, tax_type=rate.tax_type, name=rate.name, status="ACTIVE",
                            report_tax_type=rate.report_tax_type, rate=rate.rate, component_name="VAT",
                            applies_to=sorted(rate.applies_to)))
    for acc in codes.uk_chart():
        is_bank = acc.type == "BANK"
        session.add(Account(
            id=stable_id(company_id, "account", acc.code), company_id=company_id, code=acc.code, name=acc.name,
            type=acc.type, tax_type=acc.tax_type, status="ACTIVE", description=acc.description or None,
            bank_account_number=acc.bank_account_number or None,
            bank_account_type=(acc.bank_account_type or "BANK") if is_bank else None,
            currency_code=org["base_currency"] if is_bank else None, enable_payments=acc.enable_payments,
            show_in_expense_claims=acc.expense_claims, system_account=acc.system_account or None,
            updated_utc=now))
    base = org["base_currency"]
    session.add(Currency(company_id=company_id, code=base, description=codes.currency_names().get(base, base)))
    await session.flush()
    return company
