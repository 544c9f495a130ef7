"""QBO Reports API answers → Xero's row-and-cell reports (:mod:`gateway.xero.models.reports`).

QBO report JSON (upstream-contracts.md §1 "Reports", §4 hard case 9; samples/reports): ``Header`` (ReportName,
StartPeriod, EndPeriod, Option…), ``Columns.Column[{ColTitle, ColType}]`` and ``Rows.Row[…]``, where a row is a
``Data`` row (``ColData[{value, id?}]``) or a ``Section`` with an optional ``Header``, nested ``Rows`` and an
optional ``Summary``; every value is a string.

Xero's shape (spec ``ReportWithRow``; the ``/Reports/BalanceSheet`` example): a ``Header`` row of column titles, then
``Section`` rows of two levels only (``Title`` and ``Rows`` of ``Row``/``SummaryRow``). QBO's deeper nesting is
flattened as Xero's own example shows it: a section holding sections becomes its titled section with no rows,
followed by its children, followed by an untitled section holding its summary ("Assets" … "Total Assets"); a
section of data rows becomes one section with its rows and summary; a summary-only section (QBO's "Gross Profit",
"Net Income") an untitled section holding that summary row.

Cells: the first cell is the label; money columns (``ColType`` ``Money`` or the QBO amount types) are written with two
decimals (``"1234.56"``, the spec examples' form); a row whose first cell carries a QBO account ``id`` gets the
attribute ``{"Id": "account", "Value": <AccountID>}`` on every cell, as in the spec's BalanceSheet example.
Report-level fields: ``ReportName`` and ``ReportType`` as Xero names the report, ``ReportTitles`` [name, organisation,
period], ``ReportDate`` the day the report was made (``"23 April 2019"``), ``UpdatedDateUTC`` now, ``Fields`` empty.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from gateway.xero.models.reports import ReportAttribute, ReportCell, ReportRow, ReportRows, ReportWithRow

from .common import Tx

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
#: QBO column types holding amounts (Report.xsd ColType values seen in the samples).
MONEY_TYPES = frozenset({"Money", "subt_nat_amount", "subt_nat_home_amount", "tax_amount", "amount"})
CENT = Decimal("0.01")


def long_date(day: date) -> str:
    """``"23 April 2019"`` (spec report examples)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def amount_text(value: str) -> str:
    """A QBO amount string as Xero writes amounts (``"975.0"`` → ``"975.00"``; empty stays empty)."""
    if value is None or str(value).strip() == "":
        return ""
    try:
        number = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{abs(number) if number == 0 else number:f}"


class _Converter:
    def __init__(self, report: dict[str, Any], t: Tx) -> None:
        self.t = t
        columns = ((report.get("Columns") or {}).get("Column")) or []
        self.money = [str(c.get("ColType")) in MONEY_TYPES for c in columns]
        self.titles = [str(c.get("ColTitle") or "") for c in columns]
        self.out: list[ReportRows] = []

    def cells(self, col_data: list[dict[str, Any]], *, summary: bool) -> list[ReportCell]:
        attrs = None
        first = col_data[0] if col_data else {}
        if not summary and first.get("id") and self.t.refs.has("accounts") \
                and self.t.refs.accounts.get(first.get("id")) is not None:
            attrs = [ReportAttribute(Id="account", Value=self.t.guid("Account", first["id"]))]
        out = []
        for index, cell in enumerate(col_data):
            value = str(cell.get("value") or "")
            if index > 0 and index < len(self.money) and self.money[index]:
                value = amount_text(value)
            out.append(ReportCell(Value=value, Attributes=attrs))
        return out

    def row(self, data: dict[str, Any]) -> ReportRow:
        return ReportRow(RowType="Row", Cells=self.cells(data.get("ColData") or [], summary=False))

    def summary(self, section: dict[str, Any]) -> ReportRow | None:
        col_data = (section.get("Summary") or {}).get("ColData")
        return ReportRow(RowType="SummaryRow", Cells=self.cells(col_data, summary=True)) if col_data else None

    def section(self, node: dict[str, Any]) -> None:
        header = (node.get("Header") or {}).get("ColData") or []
        title = str(header[0].get("value") or "") if header else ""
        children = ((node.get("Rows") or {}).get("Row")) or []
        summary = self.summary(node)
        nested = any(_is_section(c) for c in children)
        if not nested:
            rows = [self.row(c) for c in children if isinstance(c, dict)]
            if summary is not None:
                rows.append(summary)
            self.out.append(ReportRows(RowType="Section", Title=title, Rows=rows))
            return
        self.out.append(ReportRows(RowType="Section", Title=title, Rows=[]))
        pending: list[ReportRow] = []
        for child in children:
            if not isinstance(child, dict):
                continue
            if _is_section(child):
                if pending:
                    self.out.append(ReportRows(RowType="Section", Title="", Rows=pending))
                    pending = []
                self.section(child)
            else:
                pending.append(self.row(child))
        if pending:
            self.out.append(ReportRows(RowType="Section", Title="", Rows=pending))
        if summary is not None:
            self.out.append(ReportRows(RowType="Section", Title="", Rows=[summary]))

    def convert(self, rows: list[Any]) -> list[ReportRows]:
        self.out.append(ReportRows(RowType="Header", Cells=[ReportCell(Value=t) for t in self.titles]))
        loose: list[ReportRow] = []
        for node in rows:
            if not isinstance(node, dict):
                continue
            if _is_section(node):
                if loose:
                    self.out.append(ReportRows(RowType="Section", Title="", Rows=loose))
                    loose = []
                self.section(node)
            else:
                loose.append(self.row(node))
        if loose:
            self.out.append(ReportRows(RowType="Section", Title="", Rows=loose))
        return self.out


def _is_section(node: dict[str, Any]) -> bool:
    return node.get("type") == "Section" or any(k in node for k in ("Header", "Rows", "Summary"))


def report_to_xero(report: dict[str, Any], t: Tx, *, report_type: str, name: str, period: str,
                   now: datetime) -> ReportWithRow:
    """Convert one QBO report (rules in the module docstring).

    Args:
        report: the QBO body ``{Header, Columns, Rows}``.
        report_type: Xero's ``ReportType`` (``ProfitAndLoss``…).
        name: Xero's ``ReportName`` (``Profit and Loss``…).
        period: the third title (``"As at 30 April 2019"``, ``"1 April 2019 to 30 April 2019"``).
        now: the report's ``UpdatedDateUTC`` (aware UTC).
    """
    organisation = str(t.refs.company.info.get("CompanyName") or "") if t.refs.has("companyinfo") else ""
    rows = _Converter(report, t).convert(((report.get("Rows") or {}).get("Row")) or [])
    return ReportWithRow(ReportName=name, ReportType=report_type, ReportTitles=[name, organisation, period],
                         ReportDate=long_date(now.date()), UpdatedDateUTC=now, Fields=[], Rows=rows)


def bank_rows(balance_sheet: dict[str, Any], bank_ids: set[str]) -> dict[str, Decimal]:
    """Account Id → balance of the bank accounts listed in a QBO BalanceSheet (Data rows with an ``id``)."""
    out: dict[str, Decimal] = {}

    def walk(rows: list[Any]) -> None:
        for node in rows:
            if not isinstance(node, dict):
                continue
            cols = node.get("ColData") or []
            if cols and str(cols[0].get("id") or "") in bank_ids and len(cols) > 1:
                try:
                    out[str(cols[0]["id"])] = Decimal(str(cols[-1].get("value") or "0"))
                except (InvalidOperation, ValueError):
                    pass
            walk(((node.get("Rows") or {}).get("Row")) or [])

    walk(((balance_sheet.get("Rows") or {}).get("Row")) or [])
    return out


def movements(ledger: dict[str, Any], bank_ids: set[str]) -> dict[str, tuple[Decimal, Decimal]]:
    """Account Id → (money in, money out) from a QBO GeneralLedger report: the amount column of each transaction
    row under the account's section, positive amounts in, negative out."""
    columns = ((ledger.get("Columns") or {}).get("Column")) or []
    amount_at = next((i for i, c in enumerate(columns) if str(c.get("ColType")) in MONEY_TYPES), None)
    out: dict[str, tuple[Decimal, Decimal]] = {}

    def walk(rows: list[Any], account: str | None) -> None:
        for node in rows:
            if not isinstance(node, dict):
                continue
            header = (node.get("Header") or {}).get("ColData") or []
            current = str(header[0].get("id") or "") if header and header[0].get("id") else account
            cols = node.get("ColData") or []
            if cols and current in bank_ids and amount_at is not None and amount_at < len(cols):
                try:
                    value = Decimal(str(cols[amount_at].get("value") or "0"))
                except (InvalidOperation, ValueError):
                    value = Decimal(0)
                received, spent = out.get(current, (Decimal(0), Decimal(0)))
                out[current] = (received + max(value, Decimal(0)), spent + max(-value, Decimal(0)))
            walk(((node.get("Rows") or {}).get("Row")) or [], current)

    walk(((ledger.get("Rows") or {}).get("Row")) or [], None)
    return out
