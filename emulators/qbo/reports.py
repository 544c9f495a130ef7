"""``GET /reports/{name}``: five reports are **computed** from the realm's transactions, the rest are **recorded**.

Computed (accrual basis): ``ProfitAndLoss``, ``BalanceSheet``, ``TrialBalance``, ``AgedReceivables``,
``AgedPayables``. Each transaction is posted to accounts the way QBO books it (Invoice: A/R against the items'
income accounts; Bill: A/P against the expense lines; Payment: deposit account or Undeposited Funds against A/R;
Deposit, Purchase, JournalEntry, Transfer, SalesReceipt, CreditMemo, VendorCredit, RefundReceipt, BillPayment,
CreditCardPayment likewise); Estimates and PurchaseOrders do not post. The JSON follows the recorded samples
(shared/contracts/qbo/samples/reports: Header/Columns/Rows, every cell ``{"value": str, "id"?}``, sections with
``Header``/``Rows``/``Summary``/``type``/``group``). The section ``group`` names of the Balance Sheet beyond those in
the sample (TotalAssets, CurrentAssets, BankAccounts, TotalLiabilitiesAndEquity) are QBO's as commonly seen in
its output (unconfirmed). ``accounting_method=Cash`` is not computed: the report says ``ReportBasis: Accrual``.

Recorded: any other report name answers the sample loaded by ``--seed`` for that name (file stem or
``Header.ReportName``), with ``Header.Time`` refreshed; parameters do not change it. Without a recording the answer
is Fault 500 "Unsupported Operation" (QBO's wording for an unknown resource).

Parameters (upstream-contracts.md §1 "Reports"): ``start_date``, ``end_date``, ``date_macro`` (Today, This Month,
This Month-to-date, This Fiscal Year, This Fiscal Year-to-date, Last Month, Last Fiscal Year), ``report_date`` and
``aging_period`` (aged reports), ``customer``/``vendor`` (comma-separated Ids), ``accounting_method``.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from . import faults
from .clock import Clock
from .entities import ZERO, catalogue, document_total, money
from .store import Realm

COMPUTED = ("ProfitAndLoss", "BalanceSheet", "TrialBalance", "AgedReceivables", "AgedPayables")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@dataclass(frozen=True)
class AccountInfo:
    id: str
    name: str
    account_type: str
    classification: str


@dataclass(frozen=True)
class Posting:
    account: AccountInfo
    day: str
    amount: Decimal  # debit positive


# ------------------------------------------------------------------------------------------------ ledger



def _txn_date(row: dict[str, Any]) -> str:
    """A transaction's date. QBO sets ``TxnDate`` to the creation date when a request omits it ("If not supplied,
    the current date on the server is used", Intuit's entity references), so a recorded sample without one is dated
    by its ``MetaData.CreateTime``."""
    if row.get("TxnDate"):
        return str(row["TxnDate"])
    return str((row.get("MetaData") or {}).get("CreateTime", ""))[:10]

class Ledger:
    """The postings of a realm's transactions (see the module doc for the booking rules)."""

    def __init__(self, realm: Realm) -> None:
        self.realm = realm
        self.classification = catalogue().classification
        self.accounts = {a["Id"]: self._info(a) for a in realm.all("Account")}
        self.postings: list[Posting] = []
        for builder in (self._invoice, self._sales_receipt, self._credit_memo, self._refund_receipt, self._payment,
                        self._bill, self._vendor_credit, self._bill_payment, self._purchase, self._deposit,
                        self._journal, self._transfer, self._card_payment):
            builder()

    def _info(self, account: dict[str, Any]) -> AccountInfo:
        kind = str(account.get("AccountType") or "")
        return AccountInfo(id=str(account["Id"]), name=str(account.get("FullyQualifiedName") or account.get("Name")),
                           account_type=kind, classification=str(account.get("Classification")
                                                                  or self.classification.get(kind, "")))

    def _by_type(self, account_type: str, name: str, sub_type: str | None = None) -> AccountInfo:
        for account in self.realm.all("Account"):
            if sub_type and account.get("AccountSubType") == sub_type:
                return self.accounts[account["Id"]]
            if not sub_type and account.get("AccountType") == account_type:
                return self.accounts[account["Id"]]
        return AccountInfo(id="", name=name, account_type=account_type,
                           classification=self.classification.get(account_type, ""))

    def _ref(self, ref: Any, fallback: AccountInfo) -> AccountInfo:
        if isinstance(ref, dict) and str(ref.get("value")) in self.accounts:
            return self.accounts[str(ref["value"])]
        return fallback

    @property
    def ar(self) -> AccountInfo:
        return self._by_type("Accounts Receivable", "Accounts Receivable (A/R)")

    @property
    def ap(self) -> AccountInfo:
        return self._by_type("Accounts Payable", "Accounts Payable (A/P)")

    @property
    def undeposited(self) -> AccountInfo:
        found = self._by_type("Other Current Asset", "Undeposited Funds", sub_type="UndepositedFunds")
        return found

    def _post(self, account: AccountInfo, day: Any, amount: Decimal) -> None:
        if amount:
            self.postings.append(Posting(account, str(day), amount))

    def _item_account(self, line: dict[str, Any], *, income: bool) -> AccountInfo:
        detail = line.get("SalesItemLineDetail") or line.get("ItemBasedExpenseLineDetail") or {}
        item = self.realm.get("Item", str((detail.get("ItemRef") or {}).get("value"))) or {}
        ref = item.get("IncomeAccountRef") if income else (item.get("ExpenseAccountRef") or item.get("AssetAccountRef"))
        fallback = AccountInfo("", "Uncategorized Income" if income else "Uncategorized Expense",
                               "Income" if income else "Expense", "Revenue" if income else "Expense")
        return self._ref(ref, fallback)

    def _sales_lines(self, row: dict[str, Any], sign: int) -> None:
        for line in row.get("Line") or []:
            kind = line.get("DetailType")
            amount = money(line.get("Amount", 0), "Amount")
            if kind == "SalesItemLineDetail":
                self._post(self._item_account(line, income=True), _txn_date(row), -sign * amount)
            elif kind == "DiscountLineDetail":
                ref = (line.get("DiscountLineDetail") or {}).get("DiscountAccountRef")
                fallback = AccountInfo("", "Discounts given", "Income", "Revenue")
                self._post(self._ref(ref, fallback), _txn_date(row), sign * amount)
        tax = money((row.get("TxnTaxDetail") or {}).get("TotalTax") or 0, "TotalTax")
        self._post(AccountInfo("", "Sales Tax Payable", "Other Current Liability", "Liability"), _txn_date(row),
                   -sign * tax)

    def _expense_lines(self, row: dict[str, Any], sign: int) -> None:
        for line in row.get("Line") or []:
            amount = money(line.get("Amount", 0), "Amount")
            if line.get("DetailType") == "AccountBasedExpenseLineDetail":
                ref = line["AccountBasedExpenseLineDetail"].get("AccountRef")
                fallback = AccountInfo("", "Uncategorized Expense", "Expense", "Expense")
                self._post(self._ref(ref, fallback), _txn_date(row), sign * amount)
            elif line.get("DetailType") == "ItemBasedExpenseLineDetail":
                self._post(self._item_account(line, income=False), _txn_date(row), sign * amount)

    def _invoice(self) -> None:
        for row in self.realm.all("Invoice"):
            self._post(self._ref(row.get("ARAccountRef"), self.ar), _txn_date(row),
                       document_total(row, sales_form=True))
            self._sales_lines(row, 1)

    def _sales_receipt(self) -> None:
        for row in self.realm.all("SalesReceipt"):
            self._post(self._ref(row.get("DepositToAccountRef"), self.undeposited), _txn_date(row),
                       document_total(row, sales_form=True))
            self._sales_lines(row, 1)

    def _credit_memo(self) -> None:
        for row in self.realm.all("CreditMemo"):
            self._post(self.ar, _txn_date(row), -document_total(row, sales_form=True))
            self._sales_lines(row, -1)

    def _refund_receipt(self) -> None:
        for row in self.realm.all("RefundReceipt"):
            self._post(self._ref(row.get("DepositToAccountRef"), self.undeposited), _txn_date(row),
                       -document_total(row, sales_form=True))
            self._sales_lines(row, -1)

    def _payment(self) -> None:
        for row in self.realm.all("Payment"):
            total = money(row.get("TotalAmt", 0), "T")
            self._post(self._ref(row.get("DepositToAccountRef"), self.undeposited), _txn_date(row), total)
            self._post(self._ref(row.get("ARAccountRef"), self.ar), _txn_date(row), -total)

    def _bill(self) -> None:
        for row in self.realm.all("Bill"):
            self._post(self._ref(row.get("APAccountRef"), self.ap), _txn_date(row),
                       -document_total(row, sales_form=False))
            self._expense_lines(row, 1)

    def _vendor_credit(self) -> None:
        for row in self.realm.all("VendorCredit"):
            self._post(self._ref(row.get("APAccountRef"), self.ap), _txn_date(row),
                       document_total(row, sales_form=False))
            self._expense_lines(row, -1)

    def _bill_payment(self) -> None:
        for row in self.realm.all("BillPayment"):
            total = money(row.get("TotalAmt", 0), "T")
            source = (row.get("CheckPayment") or {}).get("BankAccountRef") \
                or (row.get("CreditCardPayment") or {}).get("CCAccountRef")
            self._post(self._ref(row.get("APAccountRef"), self.ap), _txn_date(row), total)
            self._post(self._ref(source, AccountInfo("", "Checking", "Bank", "Asset")), _txn_date(row), -total)

    def _purchase(self) -> None:
        for row in self.realm.all("Purchase"):
            sign = -1 if row.get("Credit") in (True, "true") else 1
            self._post(self._ref(row.get("AccountRef"), AccountInfo("", "Checking", "Bank", "Asset")), _txn_date(row),
                       -sign * money(row.get("TotalAmt", 0), "T"))
            self._expense_lines(row, sign)

    def _deposit(self) -> None:
        for row in self.realm.all("Deposit"):
            self._post(self._ref(row.get("DepositToAccountRef"), AccountInfo("", "Checking", "Bank", "Asset")),
                       _txn_date(row), money(row.get("TotalAmt", 0), "T"))
            for line in row.get("Line") or []:
                amount = money(line.get("Amount", 0), "Amount")
                if line.get("DetailType") == "DepositLineDetail":
                    ref = line["DepositLineDetail"].get("AccountRef")
                    self._post(self._ref(ref, AccountInfo("", "Uncategorized Income", "Income", "Revenue")),
                               _txn_date(row), -amount)
                else:  # a linked Payment leaves Undeposited Funds (Deposit.json, no DetailType)
                    self._post(self.undeposited, _txn_date(row), -amount)

    def _journal(self) -> None:
        for row in self.realm.all("JournalEntry"):
            for line in row.get("Line") or []:
                detail = line.get("JournalEntryLineDetail") or {}
                sign = 1 if detail.get("PostingType") == "Debit" else -1
                fallback = AccountInfo("", "Uncategorized", "", "")
                self._post(self._ref(detail.get("AccountRef"), fallback), _txn_date(row),
                           sign * money(line.get("Amount", 0), "Amount"))

    def _transfer(self) -> None:
        for row in self.realm.all("Transfer"):
            amount = money(row.get("Amount", 0), "Amount")
            fallback = AccountInfo("", "Transfer", "Bank", "Asset")
            self._post(self._ref(row.get("ToAccountRef"), fallback), _txn_date(row), amount)
            self._post(self._ref(row.get("FromAccountRef"), fallback), _txn_date(row), -amount)

    def _card_payment(self) -> None:
        for row in self.realm.all("CreditCardPaymentTxn"):
            amount = money(row.get("Amount", 0), "Amount")
            fallback = AccountInfo("", "Credit Card", "Credit Card", "Liability")
            self._post(self._ref(row.get("CreditCardAccountRef"), fallback), _txn_date(row), amount)
            self._post(self._ref(row.get("BankAccountRef"), AccountInfo("", "Checking", "Bank", "Asset")),
                       _txn_date(row), -amount)

    def balances(self, *, start: str | None, end: str) -> dict[AccountInfo, Decimal]:
        """Debit-positive sums per account over ``[start, end]`` (``start`` None: from the beginning)."""
        out: dict[AccountInfo, Decimal] = defaultdict(lambda: ZERO)
        for posting in self.postings:
            if posting.day <= end and (start is None or posting.day >= start):
                out[posting.account] += posting.amount
        return out


# ------------------------------------------------------------------------------------------------ formatting


def _fmt(amount: Decimal | None, *, blank_zero: bool = False) -> str:
    if amount is None or (blank_zero and not amount):
        return ""
    return f"{amount.quantize(Decimal('0.01')):.2f}"


def _section(title: str | None, group: str, rows: list[dict[str, Any]], total_label: str,
             total: Decimal | None, *, columns: int = 2, blank: bool = False) -> dict[str, Any]:
    section: dict[str, Any] = {}
    if title is not None:
        section["Header"] = {"ColData": [{"value": title}] + [{"value": ""}] * (columns - 1)}
        section["Rows"] = {"Row": rows}
    value = "" if blank else _fmt(total)
    section["Summary"] = {"ColData": [{"value": total_label}] + [{"value": value}] * (columns - 1)}
    section["type"] = "Section"
    section["group"] = group
    return section


def _data_row(account: AccountInfo, amount: Decimal) -> dict[str, Any]:
    name = {"value": account.name}
    if account.id:
        name["id"] = account.id
    return {"ColData": [name, {"value": _fmt(amount)}], "type": "Data"}


_ACCOUNT_COLUMNS = {"Column": [
    {"ColTitle": "", "ColType": "Account", "MetaData": [{"Name": "ColKey", "Value": "account"}]},
    {"ColTitle": "Total", "ColType": "Money", "MetaData": [{"Name": "ColKey", "Value": "total"}]}]}


# ------------------------------------------------------------------------------------------------ periods


def _fiscal_start(realm: Realm, day: date) -> date:
    prefs = (realm.get("Preferences", "1") or {}).get("AccountingInfoPrefs") or {}
    month = MONTHS.index(prefs["FirstMonthOfFiscalYear"]) + 1 if prefs.get("FirstMonthOfFiscalYear") in MONTHS else 1
    year = day.year if day.month >= month else day.year - 1
    return date(year, month, 1)


def period(params: dict[str, str], realm: Realm, clock: Clock) -> tuple[str, str, str | None]:
    """(StartPeriod, EndPeriod, DateMacro) from the request parameters.

    Raises:
        QboFault: 2010-family fault for an unknown ``date_macro`` or a bad date (wording unconfirmed).
    """
    today = clock.today()
    macro = params.get("date_macro")
    if params.get("start_date") or params.get("end_date"):
        try:
            end = date.fromisoformat(params.get("end_date") or today.isoformat())
            start = date.fromisoformat(params.get("start_date") or _fiscal_start(realm, end).isoformat())
        except ValueError:
            raise faults.invalid_request("start_date and end_date must be YYYY-MM-DD", "start_date") from None
        return start.isoformat(), end.isoformat(), None
    fiscal = _fiscal_start(realm, today)
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - timedelta(days=1)
    next_month = (first_of_month + timedelta(days=32)).replace(day=1)
    table = {
        "today": (today, today),
        "this month": (first_of_month, next_month - timedelta(days=1)),
        "this month-to-date": (first_of_month, today),
        "last month": (last_month_end.replace(day=1), last_month_end),
        "this fiscal year": (fiscal, fiscal.replace(year=fiscal.year + 1) - timedelta(days=1)),
        "this fiscal year-to-date": (fiscal, today),
        "last fiscal year": (fiscal.replace(year=fiscal.year - 1), fiscal - timedelta(days=1)),
    }
    key = (macro or "This Fiscal Year-to-date").lower()
    if key not in table:
        raise faults.invalid_request(f"Invalid date_macro: {macro}", "date_macro")
    start, end = table[key]
    return start.isoformat(), end.isoformat(), macro or "This Fiscal Year-to-date"


def _header(name: str, clock: Clock, realm: Realm, *, start: str, end: str, macro: str | None,
            extra_options: list[dict[str, str]] | None = None, empty: bool) -> dict[str, Any]:
    prefs = realm.get("Preferences", "1") or {}
    currency = ((prefs.get("CurrencyPrefs") or {}).get("HomeCurrency") or {}).get("value", "USD")
    header: dict[str, Any] = {"Time": clock.stamp(), "ReportName": name}
    if macro:
        header["DateMacro"] = macro
    header.update({"ReportBasis": "Accrual", "StartPeriod": start, "EndPeriod": end, "SummarizeColumnsBy": "Total",
                   "Currency": currency})
    options = list(extra_options or [])
    options.append({"Name": "NoReportData", "Value": "true" if empty else "false"})
    header["Option"] = options
    return header


# ------------------------------------------------------------------------------------------------ reports


def profit_and_loss(realm: Realm, clock: Clock, params: dict[str, str]) -> dict[str, Any]:
    start, end, macro = period(params, realm, clock)
    sums = Ledger(realm).balances(start=start, end=end)

    def group(types: tuple[str, ...], sign: int) -> tuple[list[dict[str, Any]], Decimal]:
        rows, total = [], ZERO
        for account, amount in sorted(sums.items(), key=lambda kv: kv[0].name.lower()):
            if account.account_type in types and amount:
                rows.append(_data_row(account, sign * amount))
                total += sign * amount
        return rows, total

    income, income_total = group(("Income",), -1)
    cogs, cogs_total = group(("Cost of Goods Sold",), 1)
    expenses, expense_total = group(("Expense",), 1)
    other_income, other_income_total = group(("Other Income",), -1)
    other_expenses, other_expense_total = group(("Other Expense",), 1)
    gross = income_total - cogs_total
    operating = gross - expense_total
    net_other = other_income_total - other_expense_total
    rows = [_section("Income", "Income", income, "Total Income", income_total, blank=not income)]
    if cogs:
        rows.append(_section("Cost of Goods Sold", "COGS", cogs, "Total Cost of Goods Sold", cogs_total))
    rows.append(_section(None, "GrossProfit", [], "Gross Profit", gross))
    rows.append(_section("Expenses", "Expenses", expenses, "Total Expenses", expense_total, blank=not expenses))
    rows.append(_section(None, "NetOperatingIncome", [], "Net Operating Income", operating))
    if other_income:
        rows.append(_section("Other Income", "OtherIncome", other_income, "Total Other Income", other_income_total))
    if other_expenses:
        rows.append(_section("Other Expenses", "OtherExpenses", other_expenses, "Total Other Expenses",
                             other_expense_total))
    if other_income or other_expenses:
        rows.append(_section(None, "NetOtherIncome", [], "Net Other Income", net_other))
    rows.append(_section(None, "NetIncome", [], "Net Income", operating + net_other))
    empty = not (income or cogs or expenses or other_income or other_expenses)
    header = _header("ProfitAndLoss", clock, realm, start=start, end=end, macro=macro, empty=empty,
                     extra_options=[{"Name": "AccountingStandard", "Value": "GAAP"}])
    return {"Header": header, "Columns": copy.deepcopy(_ACCOUNT_COLUMNS), "Rows": {"Row": rows}}


def _net_income(sums: dict[AccountInfo, Decimal]) -> Decimal:
    return -sum((amount for account, amount in sums.items() if account.classification in ("Revenue", "Expense")),
                ZERO)


def balance_sheet(realm: Realm, clock: Clock, params: dict[str, str]) -> dict[str, Any]:
    start, end, macro = period(params, realm, clock)
    ledger = Ledger(realm)
    fiscal = _fiscal_start(realm, date.fromisoformat(end)).isoformat()
    cumulative = ledger.balances(start=None, end=end)
    prior = ledger.balances(start=None, end=(date.fromisoformat(fiscal) - timedelta(days=1)).isoformat())

    def rows_for(types: tuple[str, ...], sign: int) -> tuple[list[dict[str, Any]], Decimal]:
        rows, total = [], ZERO
        for account, amount in sorted(cumulative.items(), key=lambda kv: kv[0].name.lower()):
            if account.account_type in types and amount:
                rows.append(_data_row(account, sign * amount))
                total += sign * amount
        return rows, total

    bank, bank_total = rows_for(("Bank",), 1)
    ar, ar_total = rows_for(("Accounts Receivable",), 1)
    other_current, other_current_total = rows_for(("Other Current Asset",), 1)
    fixed, fixed_total = rows_for(("Fixed Asset",), 1)
    other_assets, other_assets_total = rows_for(("Other Asset",), 1)
    ap, ap_total = rows_for(("Accounts Payable",), -1)
    cards, cards_total = rows_for(("Credit Card",), -1)
    other_liab, other_liab_total = rows_for(("Other Current Liability",), -1)
    long_term, long_term_total = rows_for(("Long Term Liability",), -1)
    equity, equity_total = rows_for(("Equity",), -1)
    retained = _net_income(prior)
    net_income = _net_income(cumulative) - retained
    if retained:
        equity.append({"ColData": [{"value": "Retained Earnings"}, {"value": _fmt(retained)}], "type": "Data"})
    equity.append({"ColData": [{"value": "Net Income"}, {"value": _fmt(net_income)}], "type": "Data"})
    equity_total += retained + net_income

    current_sections = []
    if bank:
        current_sections.append(_section("Bank Accounts", "BankAccounts", bank, "Total Bank Accounts", bank_total))
    if ar:
        current_sections.append(_section("Accounts Receivable", "AR", ar, "Total Accounts Receivable", ar_total))
    if other_current:
        current_sections.append(_section("Other Current Assets", "OtherCurrentAssets", other_current,
                                         "Total Other Current Assets", other_current_total))
    current_total = bank_total + ar_total + other_current_total
    asset_sections = [_section("Current Assets", "CurrentAssets", current_sections, "Total Current Assets",
                               current_total)]
    if fixed:
        asset_sections.append(_section("Fixed Assets", "FixedAssets", fixed, "Total Fixed Assets", fixed_total))
    if other_assets:
        asset_sections.append(_section("Other Assets", "OtherAssets", other_assets, "Total Other Assets",
                                       other_assets_total))
    assets_total = current_total + fixed_total + other_assets_total

    current_liab = []
    if ap:
        current_liab.append(_section("Accounts Payable", "AP", ap, "Total Accounts Payable", ap_total))
    if cards:
        current_liab.append(_section("Credit Cards", "CreditCards", cards, "Total Credit Cards", cards_total))
    if other_liab:
        current_liab.append(_section("Other Current Liabilities", "OtherCurrentLiabilities", other_liab,
                                     "Total Other Current Liabilities", other_liab_total))
    current_liab_total = ap_total + cards_total + other_liab_total
    liability_sections = [_section("Current Liabilities", "CurrentLiabilities", current_liab,
                                   "Total Current Liabilities", current_liab_total)]
    if long_term:
        liability_sections.append(_section("Long-Term Liabilities", "LongTermLiabilities", long_term,
                                           "Total Long-Term Liabilities", long_term_total))
    liabilities_total = current_liab_total + long_term_total
    rows = [
        _section("ASSETS", "TotalAssets", asset_sections, "TOTAL ASSETS", assets_total),
        _section("LIABILITIES AND EQUITY", "TotalLiabilitiesAndEquity", [
            _section("Liabilities", "Liabilities", liability_sections, "Total Liabilities", liabilities_total),
            _section("Equity", "Equity", equity, "Total Equity", equity_total),
        ], "TOTAL LIABILITIES AND EQUITY", liabilities_total + equity_total),
    ]
    empty = not any(amount for amount in cumulative.values())
    header = _header("BalanceSheet", clock, realm, start=start, end=end, macro=macro, empty=empty,
                     extra_options=[{"Name": "AccountingStandard", "Value": "GAAP"}])
    return {"Header": header, "Columns": copy.deepcopy(_ACCOUNT_COLUMNS), "Rows": {"Row": rows}}


def trial_balance(realm: Realm, clock: Clock, params: dict[str, str]) -> dict[str, Any]:
    start, end, macro = period(params, realm, clock)
    ledger = Ledger(realm)
    fiscal = _fiscal_start(realm, date.fromisoformat(end)).isoformat()
    cumulative = ledger.balances(start=None, end=end)
    prior = ledger.balances(start=None, end=(date.fromisoformat(fiscal) - timedelta(days=1)).isoformat())
    lines: list[tuple[AccountInfo | None, str, Decimal]] = []
    for account, amount in sorted(cumulative.items(), key=lambda kv: kv[0].name.lower()):
        if account.classification in ("Revenue", "Expense"):
            amount -= prior.get(account, ZERO)
        if amount:
            lines.append((account, account.name, amount))
    retained = _net_income(prior)
    if retained:
        lines.append((None, "Retained Earnings", -retained))
    rows, debit_total, credit_total = [], ZERO, ZERO
    for account, name, amount in lines:
        cell = {"value": name}
        if account is not None and account.id:
            cell["id"] = account.id
        debit = amount if amount > 0 else None
        credit = -amount if amount < 0 else None
        debit_total += debit or ZERO
        credit_total += credit or ZERO
        rows.append({"ColData": [cell, {"value": _fmt(debit)}, {"value": _fmt(credit)}]})
    rows.append({"group": "GrandTotal", "type": "Section", "Summary": {"ColData": [
        {"value": "TOTAL"}, {"value": _fmt(debit_total)}, {"value": _fmt(credit_total)}]}})
    header = _header("TrialBalance", clock, realm, start=start, end=end, macro=macro, empty=not lines)
    header.pop("SummarizeColumnsBy", None)
    columns = {"Column": [{"ColType": "Account", "ColTitle": ""}, {"ColType": "Money", "ColTitle": "Debit"},
                          {"ColType": "Money", "ColTitle": "Credit"}]}
    return {"Header": header, "Columns": columns, "Rows": {"Row": rows}}


def _aged(realm: Realm, clock: Clock, params: dict[str, str], *, payables: bool) -> dict[str, Any]:
    name = "AgedPayables" if payables else "AgedReceivables"
    document, party, party_ref = ("Bill", "Vendor", "VendorRef") if payables else ("Invoice", "Customer",
                                                                                    "CustomerRef")
    try:
        as_of = date.fromisoformat(params.get("report_date") or params.get("end_date") or clock.today().isoformat())
        period_days = int(params.get("aging_period") or 30)
    except ValueError:
        raise faults.invalid_request("report_date must be YYYY-MM-DD and aging_period a number",
                                     "report_date") from None
    wanted = {v for v in (params.get("vendor" if payables else "customer") or "").split(",") if v}
    buckets: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * 5)
    names: dict[str, str] = {}
    for row in realm.all(document):
        balance = money(row.get("Balance", 0), "Balance")
        ref = row.get(party_ref) or {}
        party_id = str(ref.get("value", ""))
        if not balance or str(row.get("TxnDate", "")) > as_of.isoformat() or (wanted and party_id not in wanted):
            continue
        due = date.fromisoformat(str(row.get("DueDate") or row.get("TxnDate")))
        overdue = (as_of - due).days
        index = 0 if overdue <= 0 else min(4, (overdue - 1) // period_days + 1)
        buckets[party_id][index] += balance
        found = realm.get(party, party_id) or {}
        names[party_id] = str(found.get("DisplayName") or ref.get("name") or party_id)
    rows = []
    totals = [ZERO] * 5
    for party_id in sorted(buckets, key=lambda p: names[p].lower()):
        amounts = buckets[party_id]
        totals = [a + b for a, b in zip(totals, amounts, strict=True)]
        cells = [{"value": names[party_id], "id": party_id}]
        cells += [{"value": _fmt(a, blank_zero=True)} for a in amounts]
        cells.append({"value": _fmt(sum(amounts, ZERO))})
        rows.append({"ColData": cells})
    rows.append({"group": "GrandTotal", "type": "Section", "Summary": {"ColData": [
        {"value": "TOTAL"}, *[{"value": _fmt(a)} for a in totals], {"value": _fmt(sum(totals, ZERO))}]}})
    header = _header(name, clock, realm, start=as_of.isoformat(), end=as_of.isoformat(), macro=None,
                     empty=not buckets, extra_options=[{"Name": "report_date", "Value": as_of.isoformat()}])
    for key in ("ReportBasis", "SummarizeColumnsBy"):
        header.pop(key, None)
    titles = ["Current", f"1 - {period_days}", f"{period_days + 1} - {2 * period_days}",
              f"{2 * period_days + 1} - {3 * period_days}", f"{3 * period_days + 1} and over"]
    columns = {"Column": [{"ColType": party, "ColTitle": ""}]
               + [{"ColType": "Money", "ColTitle": t} for t in titles] + [{"ColType": "Money", "ColTitle": "Total"}]}
    return {"Header": header, "Columns": columns, "Rows": {"Row": rows}}


def build(name: str, realm: Realm, clock: Clock, params: dict[str, str],
          recorded: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The report ``name`` (computed or recorded; see the module doc).

    Raises:
        QboFault: unknown report (500 Unsupported Operation), bad parameters.
    """
    if name == "ProfitAndLoss":
        return profit_and_loss(realm, clock, params)
    if name == "BalanceSheet":
        return balance_sheet(realm, clock, params)
    if name == "TrialBalance":
        return trial_balance(realm, clock, params)
    if name in ("AgedReceivables", "AgedPayables"):
        return _aged(realm, clock, params, payables=name == "AgedPayables")
    if name in recorded:
        report = copy.deepcopy(recorded[name])
        report["Header"]["Time"] = clock.stamp()
        return report
    raise faults.unsupported_operation(f"Report {name}")
