"""The field maps of source 1001, one per resource, as the translators declare them (:mod:`adapters.common.fields`).

Read by ``adapters.registry.field_maps`` (``GET /1001/gateway/capabilities``, ``tools/gen_fields.py``).
"""

from adapters.common import fields
from adapters.common.fields import collect
from gateway.xero.models import Currency, Organisation, TaxRate
from gateway.xero.models.catalogue import TrackingCategory
from gateway.xero.models.documents import BankTransfer, ManualJournal

from .banking import BANK_TRANSACTION_FIELDS, PAYMENT_FIELDS
from .contacts import CONTACT_FIELDS
from .documents import CREDIT_NOTE_FIELDS, INVOICE_FIELDS
from .journals import JOURNAL_FIELDS
from .prepayments import PREPAYMENT_FIELDS
from .settings import ACCOUNT_FIELDS, ITEM_FIELDS

#: What ``settings.tax_rates`` makes of every Xero TaxRate field (one per output and input face of a TAX_CODE).
TAX_RATE_FIELDS = fields.FieldMap(
    "TaxRates", TaxRate,
    fields.populated("Name", "the table's UK Xero name, else TAX_CODE.DESCRIPTION"),
    fields.computed("TaxType", "TAX_CODE.TAX_CODE through the tax table, per output and input face"),
    fields.populated("TaxComponents", "TAX_CODE.TAX_RATE (one VAT component)"),
    fields.computed("Status", "ACTIVE: Sage 50 tax codes have no archived state"),
    fields.computed("ReportTaxType", "the tax table by TAX_CODE.TAX_CODE"),
    fields.computed("CanApplyToAssets", "true: a Sage 50 tax code has no account-class limit"),
    fields.computed("CanApplyToEquity", "true: a Sage 50 tax code has no account-class limit"),
    fields.computed("CanApplyToLiabilities", "true: a Sage 50 tax code has no account-class limit"),
    fields.computed("CanApplyToRevenue", "the output face"),
    fields.computed("CanApplyToExpenses", "the input face"),
    fields.populated("DisplayTaxRate", "TAX_CODE.TAX_RATE"),
    fields.populated("EffectiveRate", "TAX_CODE.TAX_RATE"),
)

#: What ``settings.currencies`` makes of every Xero Currency field.
CURRENCY_FIELDS = fields.FieldMap(
    "Currencies", Currency,
    fields.populated("Code", "CURRENCY.CODE (GBP when the table is empty)"),
    fields.populated("Description", "CURRENCY.NAME (else CODE)"),
)

#: What ``settings.organisation`` makes of every Xero Organisation field (from COMPANY).
ORGANISATION_FIELDS = fields.FieldMap(
    "Organisation", Organisation,
    fields.computed("OrganisationID", "the tenant id of the connected company"),
    fields.populated("Name", "COMPANY.NAME"),
    fields.populated("LegalName", "COMPANY.NAME"),
    fields.computed("PaysTax", "COMPANY.VAT_REG_NUMBER is set"),
    fields.computed("Version", "UK: Sage 50 Accounts UK"),
    fields.computed("OrganisationType", "COMPANY: Sage 50 keeps no entity type"),
    fields.computed("BaseCurrency", "the base CURRENCY row (GBP)"),
    fields.populated("CountryCode", "COMPANY.COUNTRY_CODE (GB when empty)"),
    fields.computed("IsDemoCompany", "false"),
    fields.computed("OrganisationStatus", "ACTIVE"),
    fields.populated("TaxNumber", "COMPANY.VAT_REG_NUMBER", condition="when set"),
    fields.computed("FinancialYearEndDay", "the last day of the month before COMPANY.START_MONTH"),
    fields.computed("FinancialYearEndMonth", "the month before COMPANY.START_MONTH"),
    fields.populated("PeriodLockDate", "COMPANY.CLOSED_LEDGER_CHECK_DATE",
                     condition="when CLOSED_LEDGER_DATE_ENABLED"),
    fields.populated("CreatedDateUTC", "COMPANY.RECORD_CREATE_DATE"),
    fields.computed("Timezone", "GMTSTANDARDTIME: Sage 50 UK runs on UK time"),
    fields.computed("OrganisationEntityType", "COMPANY: Sage 50 keeps no entity type"),
    fields.computed("Class", "STANDARD: a Xero plan; nothing at Sage 50"),
    fields.computed("Edition", "BUSINESS: a Xero plan; nothing at Sage 50"),
    fields.populated("Addresses", "COMPANY.ADDRESS_1-ADDRESS_5 (STREET)", condition="when set"),
    fields.populated("Phones", "COMPANY.TELEPHONE (OFFICE)", condition="when set"),
    fields.lost("APIKey", reason="a Xero-only key for its old API; nothing at Sage 50"),
    fields.lost("RegistrationNumber", "ShortCode", "LineOfBusiness",
                reason="not read from COMPANY by the connector"),
    fields.lost("SalesTaxBasis", "SalesTaxPeriod", "DefaultSalesTax", "DefaultPurchasesTax",
                reason="Sage 50's VAT scheme settings are not read by the connector"),
    fields.lost("EndOfYearLockDate", reason="Sage 50 has one closed-ledger date, read as PeriodLockDate"),
)

#: What ``settings.tracking_categories`` makes of every Xero TrackingCategory field.
TRACKING_CATEGORY_FIELDS = fields.FieldMap(
    "TrackingCategories", TrackingCategory,
    fields.computed("TrackingCategoryID", "stable id of the company's departments dimension"),
    fields.computed("Name", "Departments: Sage 50's one analysis dimension of that kind"),
    fields.computed("Status", "ACTIVE"),
    fields.populated("Options", "DEPARTMENT rows: NUMBER, NAME"),
    fields.lost("TrackingOptionID", "Option",
                reason="a document line's choice of option; a category as listed carries its Options instead"),
)

#: What ``banking.bank_transfer`` makes of every Xero BankTransfer field (a JP/JR header pair).
BANK_TRANSFER_FIELDS = fields.FieldMap(
    "BankTransfers", BankTransfer,
    fields.populated("FromBankAccount", "the paying AUDIT_HEADER.BANK_CODE (its NOMINAL_LEDGER row)"),
    fields.populated("ToBankAccount", "the receiving AUDIT_HEADER.BANK_CODE (its NOMINAL_LEDGER row)"),
    fields.populated("Amount", "AUDIT_HEADER.NET_AMOUNT of the pair"),
    fields.populated("Date", "AUDIT_HEADER.DATE"),
    fields.computed("BankTransferID", "uuid5 of tenant/header/{first HEADER_NUMBER}"),
    fields.computed("CurrencyRate", "1: Sage 50 bank transfers are in the base currency"),
    fields.populated("FromIsReconciled", "the paying split's bank reconciliation flag"),
    fields.populated("ToIsReconciled", "the receiving split's bank reconciliation flag"),
    fields.populated("Reference", "AUDIT_HEADER.INV_REF", condition="when set"),
    fields.computed("HasAttachments", "false: the connector reads no attachments"),
    fields.populated("CreatedDateUTC", "AUDIT_HEADER.RECORD_CREATE_DATE (else RECORD_MODIFY_DATE)"),
    fields.lost("FromBankTransactionID", "ToBankTransactionID",
                reason="the pair's headers are not served as bank transactions"),
    fields.lost("Status", reason="not set by the connector (a posted Sage 50 transfer)"),
    fields.lost("FromTracking", "ToTracking", reason="departments of bank headers are not read"),
    fields.write_outcome(BankTransfer),
)

#: What ``banking.manual_journal`` makes of every Xero ManualJournal field (a JD/JC header group).
MANUAL_JOURNAL_FIELDS = fields.FieldMap(
    "ManualJournals", ManualJournal,
    fields.populated("Narration", "AUDIT_HEADER.INV_REF (else DETAILS)"),
    fields.populated("JournalLines", "the group's AUDIT_HEADER rows and their splits (signed NET_AMOUNT, "
                                     "NOMINAL_CODE)"),
    fields.populated("Date", "AUDIT_HEADER.DATE"),
    fields.computed("LineAmountTypes", "NoTax: journal lines carry their own tax code"),
    fields.computed("Status", "POSTED: Sage 50 journals are posted when saved"),
    fields.computed("ShowOnCashBasisReports", "true"),
    fields.computed("HasAttachments", "false: the connector reads no attachments"),
    fields.populated("UpdatedDateUTC", "AUDIT_HEADER.RECORD_MODIFY_DATE"),
    fields.computed("ManualJournalID", "uuid5 of tenant/header/{first HEADER_NUMBER}"),
    fields.lost("Url", reason="Sage 50 journals have no source URL"),
    fields.lost("Attachments", reason="the connector reads no attachments"),
    fields.write_outcome(ManualJournal),
)

FIELD_MAPS = collect(ACCOUNT_FIELDS, BANK_TRANSACTION_FIELDS, BANK_TRANSFER_FIELDS, CONTACT_FIELDS, CREDIT_NOTE_FIELDS,
                     CURRENCY_FIELDS, INVOICE_FIELDS, ITEM_FIELDS, JOURNAL_FIELDS, MANUAL_JOURNAL_FIELDS,
                     ORGANISATION_FIELDS, PAYMENT_FIELDS, PREPAYMENT_FIELDS, TAX_RATE_FIELDS, TRACKING_CATEGORY_FIELDS)
