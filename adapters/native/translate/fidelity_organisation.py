"""The field maps of source 1000's organisation-wide records: the organisation, the journals feed, batch payments,
budgets, employees and payment services (:mod:`.fidelity` lists them all in ``FIELD_MAPS``)."""

from __future__ import annotations

from adapters.common import fields
from gateway.xero import models as xm
from gateway.xero.models import batch_payments, budgets, catalogue, employees, services

from .declare import declare

#: :func:`.core.organisation` (the companies row).
ORGANISATION_FIELDS = declare(
    "Organisation", xm.Organisation, None,
    fields.populated("OrganisationID", "companies.id"),
    fields.populated("Name", "companies.name"),
    fields.populated("LegalName", "companies.legal_name"),
    fields.computed("PaysTax", "true: the ledger always accounts for tax"),
    fields.populated("Version", "companies.version"),
    fields.populated("OrganisationType", "companies.organisation_type"),
    fields.populated("BaseCurrency", "companies.base_currency"),
    fields.populated("CountryCode", "companies.country_code"),
    fields.populated("IsDemoCompany", "companies.is_demo"),
    fields.computed("OrganisationStatus", "ACTIVE: the ledger serves active companies only"),
    fields.populated("RegistrationNumber", "companies.registration_number", condition="when set"),
    fields.populated("TaxNumber", "companies.tax_number", condition="when set"),
    fields.populated("FinancialYearEndDay", "companies.financial_year_end_day"),
    fields.populated("FinancialYearEndMonth", "companies.financial_year_end_month"),
    fields.populated("SalesTaxBasis", "companies.sales_tax_basis"),
    fields.populated("SalesTaxPeriod", "companies.sales_tax_period"),
    fields.computed("DefaultSalesTax", "Tax Exclusive, the ledger's default line amount type"),
    fields.computed("DefaultPurchasesTax", "Tax Exclusive, the ledger's default line amount type"),
    fields.populated("PeriodLockDate", "companies.period_lock_date", condition="when set"),
    fields.populated("EndOfYearLockDate", "companies.end_of_year_lock_date", condition="when set"),
    fields.populated("CreatedDateUTC", "companies.created_utc"),
    fields.populated("Timezone", "companies.timezone"),
    fields.populated("OrganisationEntityType", "companies.organisation_type"),
    fields.populated("ShortCode", "companies.short_code", condition="when set"),
    fields.populated("Class", "companies.org_class", condition="when set"),
    fields.populated("Edition", "companies.edition", condition="when set"),
    fields.populated("LineOfBusiness", "companies.line_of_business", condition="when set"),
    fields.populated("Addresses", "companies.addresses"),
    fields.populated("Phones", "companies.phones"),
    fields.lost("APIKey", reason="a key of Xero's retired API; the gateway issues OAuth2 tokens instead"),
)

#: ``adapters/native/resources/journals_feed.py`` ``journal_model`` (the posted journals feed).
JOURNAL_FIELDS = declare(
    "Journals", catalogue.Journal, None,
    fields.populated("JournalID", "journals.id"),
    fields.populated("JournalDate", "journals.date"),
    fields.populated("JournalNumber", "journals.number"),
    fields.populated("CreatedDateUTC", "journals.created_utc"),
    fields.populated("Reference", "journals.reference", condition="when set"),
    fields.populated("SourceID", "journals.source_id", condition="when the journal has a source document"),
    fields.populated("SourceType", "journals.source_type"),
    fields.populated("JournalLines", "journal_lines rows (with their accounts and tax rates; cash lines with "
                                     "paymentsOnly)"),
)

#: ``adapters/native/resources/batch_payments.py`` ``to_model``.
BATCH_PAYMENT_FIELDS = declare(
    "BatchPayments", batch_payments.BatchPayment, None,
    fields.populated("BatchPaymentID", "batch_payments.id"),
    fields.populated("Account", "batch_payments.account_id (its accounts row: id, code, name)"),
    fields.populated("Reference", "batch_payments.reference", condition="when set"),
    fields.populated("Particulars", "batch_payments.particulars", condition="when set"),
    fields.populated("Code", "batch_payments.code", condition="when set"),
    fields.populated("Details", "batch_payments.details", condition="when set"),
    fields.populated("Narrative", "batch_payments.narrative", condition="when set"),
    fields.populated("Date", "batch_payments.date"),
    fields.populated("Payments", "payments rows of the batch (batch_payment_members, in position order)"),
    fields.populated("Type", "batch_payments.type"),
    fields.populated("Status", "batch_payments.status"),
    fields.populated("TotalAmount", "batch_payments.total_amount"),
    fields.populated("UpdatedDateUTC", "batch_payments.updated_utc"),
    fields.populated("IsReconciled", "batch_payments.is_reconciled"),
    fields.lost("Amount", reason="a write-side field of Xero's; reads carry TotalAmount"),
    fields.write_outcome(batch_payments.BatchPayment),
)

#: ``adapters/native/resources/budgets.py`` ``to_model``.
BUDGET_FIELDS = declare(
    "Budgets", budgets.Budget, None,
    fields.populated("BudgetID", "budgets.id"),
    fields.populated("Type", "budgets.type"),
    fields.populated("Description", "budgets.description"),
    fields.populated("UpdatedDateUTC", "budgets.updated_utc"),
    fields.populated("BudgetLines", "budget_balances rows per account", condition="single reads and date ranges"),
    fields.populated("Tracking", "budgets.tracking"),
)

#: ``adapters/native/resources/employees.py`` ``to_model`` (Employees as Xero's spec v12.0.2 had them).
EMPLOYEE_FIELDS = declare(
    "Employees", employees.Employee, None,
    fields.populated("EmployeeID", "employees.id"),
    fields.populated("Status", "employees.status"),
    fields.populated("FirstName", "employees.first_name"),
    fields.populated("LastName", "employees.last_name"),
    fields.populated("ExternalLink", "employees.link_type, link_url, link_description", condition="when set"),
    fields.populated("UpdatedDateUTC", "employees.updated_utc"),
    fields.write_outcome(employees.Employee),
)

#: ``adapters/native/resources/payment_services.py`` ``to_model``.
PAYMENT_SERVICE_FIELDS = declare(
    "PaymentServices", services.PaymentService, None,
    fields.populated("PaymentServiceID", "payment_services.id"),
    fields.populated("PaymentServiceName", "payment_services.name"),
    fields.populated("PaymentServiceUrl", "payment_services.url"),
    fields.populated("PayNowText", "payment_services.pay_now_text"),
    fields.populated("PaymentServiceType", "payment_services.service_type"),
    fields.write_outcome(services.PaymentService),
)
