"""Organisation, Accounts, TaxRates, Currencies, TrackingCategories and Items from Sage 50's reference tables.

- Organisation ← ``COMPANY`` (Sage 50 UK data dictionary): ``OrganisationID`` the tenant id; ``Name``/``LegalName``
  ← ``NAME``; ``Addresses`` ← ``ADDRESS_1..5`` (Sage's convention: lines 1-3, town, postcode); ``Phones`` ←
  ``TELEPHONE``; ``TaxNumber`` ← ``VAT_REG_NUMBER``; ``CountryCode`` ← ``COUNTRY_CODE`` (GB when empty: the UK
  edition); ``FinancialYearEndMonth`` ← the month before ``START_MONTH``; ``PeriodLockDate`` ←
  ``CLOSED_LEDGER_CHECK_DATE`` when ``CLOSED_LEDGER_DATE_ENABLED``; ``BaseCurrency`` ← the ``CURRENCY`` row with
  ``BASE_CURRENCY`` set (GBP when absent).
- Accounts ← ``NOMINAL_LEDGER`` (+ ``BANK``): ``Type`` by nominal range (``mappings/sage50.toml``), ``BANK`` for the
  codes the BANK table lists, with ``BankAccountNumber`` = sort code and account number as Xero UK shows them;
  ``SystemAccount`` for the control accounts; ``Status`` ARCHIVED when ``INACTIVE_FLAG``.
- TaxRates ← ``TAX_CODE``: each Sage code in each direction it has a distinct Xero tax type (OUTPUT2/INPUT2 for T1…).
- TrackingCategories ← ``DEPARTMENT`` (one category "Departments", an option per department).
- Items ← ``STOCK``.
"""

from __future__ import annotations

import calendar
from decimal import Decimal

import mappings
from adapters.common import fields
from gateway.xero.models import Account, Address, Currency, Organisation, Phone, TaxComponent, TaxRate
from gateway.xero.models.catalogue import Item, ItemDetails, TrackingCategory, TrackingOption

from .. import ids
from ..codes import codes
from ..unit import Books, money, number, sage_date, sage_datetime, text

CLASS_BY_TYPE: dict[str, str] = mappings.load("native_account_types")["class_by_type"]


def base_currency(books: Books) -> str:
    for row in books.rows("CURRENCY"):
        if number(row.get("BASE_CURRENCY")):
            return text(row.get("CODE")) or "GBP"
    return "GBP"


def currency_code(books: Books, index: object) -> str:
    """The ISO code of a Sage currency index (``CURRENCY.NUMBER``); the base currency when unknown."""
    n = number(index)
    for row in books.rows("CURRENCY"):
        if number(row.get("NUMBER")) == n:
            return text(row.get("CODE")) or base_currency(books)
    return base_currency(books)


def organisation(books: Books) -> Organisation:
    row = books.company
    name = text(row.get("NAME")) or "Sage 50 company"
    lines = [text(row.get(f"ADDRESS_{i}")) for i in range(1, 6)]
    start_month = number(row.get("START_MONTH")) or 1
    end_month = 12 if start_month == 1 else start_month - 1
    lock = sage_date(row.get("CLOSED_LEDGER_CHECK_DATE")) if number(row.get("CLOSED_LEDGER_DATE_ENABLED")) else None
    vat = text(row.get("VAT_REG_NUMBER"))
    return Organisation(
        OrganisationID=books.tenant_id, Name=name, LegalName=name, Version="UK", OrganisationType="COMPANY",
        BaseCurrency=base_currency(books), CountryCode=text(row.get("COUNTRY_CODE")) or "GB", IsDemoCompany=False,
        OrganisationStatus="ACTIVE", TaxNumber=vat or None, PaysTax=bool(vat),
        FinancialYearEndDay=calendar.monthrange(2001, end_month)[1], FinancialYearEndMonth=end_month,
        PeriodLockDate=lock, CreatedDateUTC=sage_datetime(row.get("RECORD_CREATE_DATE")),
        Timezone="GMTSTANDARDTIME", OrganisationEntityType="COMPANY", Class="STANDARD", Edition="BUSINESS",
        Addresses=[Address(AddressType="STREET", AddressLine1=lines[0] or None, AddressLine2=lines[1] or None,
                           AddressLine3=lines[2] or None, City=lines[3] or None, PostalCode=lines[4] or None,
                           Country=text(row.get("COUNTRY_CODE")) or "GB")] if any(lines) else None,
        Phones=[Phone(PhoneType="OFFICE", PhoneNumber=text(row.get("TELEPHONE")))]
        if text(row.get("TELEPHONE")) else None)


def bank_account_number(bank: dict) -> str | None:
    """``"20-32-06 40312087"``: sort code and account number, as a Xero UK bank account shows them."""
    sort_code, account = text(bank.get("SORT_CODE")), text(bank.get("ACCOUNT_NUMBER"))
    joined = " ".join(part for part in (sort_code, account) if part)
    return joined or None


def accounts(books: Books) -> list[Account]:
    table = codes()
    banks = {text(b.get("ACCOUNT_REF")): b for b in books.rows("BANK")}
    out = []
    for row in sorted(books.rows("NOMINAL_LEDGER"), key=lambda r: text(r.get("ACCOUNT_REF"))):
        ref = text(row.get("ACCOUNT_REF"))
        bank = banks.get(ref)
        kind = table.account_type(ref, is_bank=bank is not None)
        out.append(Account(
            AccountID=books.guid("account", ref), Code=ref, Name=text(row.get("NAME")) or ref, Type=kind,
            Status="ARCHIVED" if number(row.get("INACTIVE_FLAG")) else "ACTIVE", Class=CLASS_BY_TYPE.get(kind),
            SystemAccount=table.control_accounts.get(ref) or None,
            BankAccountNumber=bank_account_number(bank) if bank else None,
            BankAccountType="BANK" if bank else None,
            CurrencyCode=currency_code(books, bank.get("CURRENCY")) if bank else None,
            EnablePaymentsToAccount=False, ShowInExpenseClaims=False, HasAttachments=False,
            UpdatedDateUTC=sage_datetime(row.get("RECORD_MODIFY_DATE"))))
    return out


def tax_rates(books: Books) -> list[TaxRate]:
    table = codes()
    out: list[TaxRate] = []
    seen: set[str] = set()
    for row in sorted(books.rows("TAX_CODE"), key=lambda r: number(r.get("TAX_CODE_ID")) or 0):
        sage = text(row.get("TAX_CODE")) or f"T{number(row.get('TAX_CODE_ID'))}"
        rate = money(row.get("TAX_RATE")).quantize(Decimal("0.0001"))
        for direction in ("output", "input"):
            face = table.xero_tax(sage, direction)
            if face.tax_type in seen:
                continue
            seen.add(face.tax_type)
            name = face.name if face.name != sage else (text(row.get("DESCRIPTION")) or sage)
            out.append(TaxRate(
                Name=name, TaxType=face.tax_type, ReportTaxType=face.report_tax_type, Status="ACTIVE",
                TaxComponents=[TaxComponent(Name="VAT", Rate=rate, IsCompound=False, IsNonRecoverable=False)],
                DisplayTaxRate=rate, EffectiveRate=rate, CanApplyToAssets=True, CanApplyToEquity=True,
                CanApplyToExpenses=direction == "input", CanApplyToLiabilities=True,
                CanApplyToRevenue=direction == "output"))
    return out


def currencies(books: Books) -> list[Currency]:
    rows = [r for r in books.rows("CURRENCY") if text(r.get("CODE"))]
    if not rows:
        return [Currency(Code="GBP", Description="British Pound")]
    return [Currency(Code=text(r.get("CODE")), Description=text(r.get("NAME")) or text(r.get("CODE")))
            for r in sorted(rows, key=lambda r: number(r.get("NUMBER")) or 0)]


def tracking_categories(books: Books) -> list[TrackingCategory]:
    """One category holding the departments (Sage 50 has one analysis dimension of that kind)."""
    departments = sorted(books.rows("DEPARTMENT"), key=lambda r: number(r.get("NUMBER")) or 0)
    if not departments:
        return []
    options = [TrackingOption(TrackingOptionID=books.guid("department", text(d.get("NUMBER"))),
                              Name=text(d.get("NAME")) or f"Department {text(d.get('NUMBER'))}", Status="ACTIVE")
               for d in departments]
    return [TrackingCategory(TrackingCategoryID=books.guid("tracking", ids.DEPARTMENTS), Name="Departments",
                             Status="ACTIVE", Options=options)]


def items(books: Books) -> list[Item]:
    out = []
    for row in sorted(books.rows("STOCK"), key=lambda r: text(r.get("STOCK_CODE"))):
        code = text(row.get("STOCK_CODE"))
        out.append(Item(
            ItemID=books.guid("stock", code), Code=code, Name=(text(row.get("DESCRIPTION")) or code)[:50],
            Description=text(row.get("DESCRIPTION")) or None, IsSold=True, IsPurchased=True,
            IsTrackedAsInventory=False,
            SalesDetails=ItemDetails(UnitPrice=money(row.get("SALES_PRICE")),
                                     AccountCode=text(row.get("NOMINAL_CODE")) or None,
                                     TaxType=codes().xero_tax(text(row.get("TAX_CODE")), "output").tax_type
                                     if text(row.get("TAX_CODE")) else None),
            PurchaseDetails=ItemDetails(UnitPrice=money(row.get("LAST_PURCHASE_PRICE"))),
            UpdatedDateUTC=sage_datetime(row.get("RECORD_MODIFY_DATE"))))
    return out


#: What :func:`accounts` makes of every Xero Account field (docs/fields-1001.md).
ACCOUNT_FIELDS = fields.FieldMap(
    "Accounts", Account,
    fields.computed("AccountID", "uuid5 of tenant/account/NOMINAL_LEDGER.ACCOUNT_REF"),
    fields.populated("Code", "NOMINAL_LEDGER.ACCOUNT_REF"),
    fields.populated("Name", "NOMINAL_LEDGER.NAME"),
    fields.computed("Type", "BANK for a BANK row, else the nominal code's range (mappings/sage50.toml)"),
    fields.populated("BankAccountNumber", "BANK.SORT_CODE and ACCOUNT_NUMBER", condition="bank accounts only"),
    fields.populated("Status", "NOMINAL_LEDGER.INACTIVE_FLAG (ARCHIVED)"),
    fields.computed("BankAccountType", "BANK for a nominal code with a BANK row", condition="bank accounts only"),
    fields.populated("CurrencyCode", "BANK.CURRENCY", condition="bank accounts only"),
    fields.computed("EnablePaymentsToAccount", "false: Sage 50 has no such flag"),
    fields.computed("ShowInExpenseClaims", "false: Sage 50 has no expense claims"),
    fields.computed("Class", "from Type"),
    fields.populated("SystemAccount", "the control accounts (mappings/sage50.toml)", condition="control accounts only"),
    fields.computed("HasAttachments", "false: the connector reads no attachments"),
    fields.populated("UpdatedDateUTC", "NOMINAL_LEDGER.RECORD_MODIFY_DATE"),
    fields.lost("Description", reason="NOMINAL_LEDGER has no description"),
    fields.lost("TaxType", reason="Sage 50 nominal accounts carry no default tax code"),
    fields.lost("ReportingCode", "ReportingCodeName", "AddToWatchlist", reason="Sage 50 has no such data"),
    fields.write_outcome(Account),
)

#: What :func:`items` makes of every Xero Item field (docs/fields-1001.md).
ITEM_FIELDS = fields.FieldMap(
    "Items", Item,
    fields.computed("ItemID", "uuid5 of tenant/stock/STOCK.STOCK_CODE"),
    fields.populated("Code", "STOCK.STOCK_CODE"),
    fields.populated("Name", "STOCK.DESCRIPTION (its first 50 characters, else STOCK_CODE)"),
    fields.populated("Description", "STOCK.DESCRIPTION", condition="when set"),
    fields.computed("IsSold", "true: every stock record can be sold"),
    fields.computed("IsPurchased", "true: every stock record can be bought"),
    fields.computed("IsTrackedAsInventory", "false: quantities are not translated"),
    fields.populated("SalesDetails", "STOCK.SALES_PRICE, NOMINAL_CODE, TAX_CODE"),
    fields.populated("PurchaseDetails", "STOCK.LAST_PURCHASE_PRICE"),
    fields.populated("UpdatedDateUTC", "STOCK.RECORD_MODIFY_DATE"),
    fields.lost("InventoryAssetAccountCode", "TotalCostPool", "QuantityOnHand",
                reason="not translated: stock quantities and valuation are not read"),
    fields.lost("PurchaseDescription", reason="STOCK has one description"),
    fields.write_outcome(Item),
)
