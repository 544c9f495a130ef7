"""Published reports: a report's snapshot kept under a ``ReportID`` (``GET /Reports``, ``GET /Reports/{ReportID}``).

Rules (spec ``getReportsList``: "the organisation's unique reports that require a uuid to fetch"; ``getReportFromId``;
https://developer.xero.com/documentation/api/accounting/reports): a published report is frozen as it was when
published — later postings do not change it. The list shows each report's header (``ReportID``, name, type, title,
date, when published) without its rows; the report by id is the whole snapshot. Publishing is not an API operation;
the ledger publishes (the demo company publishes its balance sheet as at the end of the month before its first start,
:mod:`adapters.native.demo.planning`).
"""

from __future__ import annotations

from sqlalchemy import select

from gateway.xero.models import dump
from gateway.xero.models.reports import ReportWithRow

from ..books import Books
from ..tables.published_reports import PublishedReport


async def publish(books: Books, report: ReportWithRow) -> PublishedReport:
    """Keep a snapshot of ``report`` under a new ``ReportID``."""
    row = PublishedReport(id=books.new_id("report"), company_id=books.company.id,
                          report_type=report.ReportType or "", content=dump(report), published_utc=books.now())
    books.session.add(row)
    await books.session.flush()
    return row


def to_model(row: PublishedReport, *, with_rows: bool) -> ReportWithRow:
    """The snapshot with its ``ReportID`` and publication time; rows only when asked (the report by id)."""
    report = ReportWithRow.model_validate(row.content)
    report.ReportID, report.UpdatedDateUTC = row.id, row.published_utc
    if not with_rows:
        report.Rows, report.Fields = None, None
    return report


async def all_rows(books: Books) -> list[PublishedReport]:
    """The company's published reports, oldest first."""
    return list(await books.session.scalars(select(PublishedReport).where(
        PublishedReport.company_id == books.company.id).order_by(PublishedReport.published_utc, PublishedReport.id)))


async def get_by_id(books: Books, report_id: str) -> PublishedReport | None:
    """A published report of the company by ``ReportID``, or ``None``."""
    return await books.get(PublishedReport, report_id)
