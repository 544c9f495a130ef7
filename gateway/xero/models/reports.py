"""Xero's row-and-cell reports (``GET /Reports/...``) as Pydantic models.

Shapes are the spec's (``xero_accounting.yaml`` v16.1.0, ``components.schemas``): ``ReportWithRows`` (the
``Reports`` collection) of ``ReportWithRow``; its ``Rows`` are ``ReportRows`` (``RowType`` ``Header``,
``Section``, ``Row`` or ``SummaryRow``, spec ``RowType``), a ``Section`` nesting ``ReportRow`` items; each row
has ``Cells`` (``ReportCell``: a string ``Value`` and ``Attributes`` of ``ReportAttribute`` ``Id``/``Value``);
``Fields`` are ``ReportFields``. ``UpdatedDateUTC`` is ``x-is-msdate-time`` (``/Date(ms+0000)/``); the spec
examples carry no ``UpdatedDateUTCString`` companion, so none is rendered.

Every value is a string, as Xero renders it (amounts ``"1234.56"``, dates ``"30 Apr 2019"``): see the examples
under ``/Reports/BalanceSheet``, ``/Reports/TrialBalance`` … in the spec.
"""

from __future__ import annotations

from .core import MsDateTime, XeroModel

#: ``RowType`` values (spec ``components.schemas.RowType``).
ROW_TYPES = ("Header", "Section", "Row", "SummaryRow")


class ReportAttribute(XeroModel):
    """A cell attribute (spec ``ReportAttribute``), e.g. ``{"Id": "account", "Value": "<AccountID>"}``."""

    Id: str | None = None
    Value: str | None = None


class ReportCell(XeroModel):
    """One cell (spec ``ReportCell``): its display ``Value`` and optional ``Attributes``."""

    Value: str | None = None
    Attributes: list[ReportAttribute] | None = None


class ReportRow(XeroModel):
    """A row inside a ``Section`` (spec ``ReportRow``): ``Row`` or ``SummaryRow``."""

    RowType: str | None = None
    Title: str | None = None
    Cells: list[ReportCell] | None = None


class ReportRows(XeroModel):
    """A top-level row (spec ``ReportRows``): a ``Header`` (cells) or a ``Section`` (title and nested rows)."""

    RowType: str | None = None
    Title: str | None = None
    Cells: list[ReportCell] | None = None
    Rows: list[ReportRow] | None = None


class ReportFields(XeroModel):
    """A report field (spec ``ReportFields``)."""

    FieldID: str | None = None
    Description: str | None = None
    Value: str | None = None


class ReportWithRow(XeroModel):
    """One report (spec ``ReportWithRow``), the item of the ``Reports`` collection."""

    ReportID: str | None = None
    ReportName: str | None = None
    ReportTitle: str | None = None
    ReportType: str | None = None
    ReportTitles: list[str] | None = None
    ReportDate: str | None = None
    UpdatedDateUTC: MsDateTime | None = None
    Fields: list[ReportFields] | None = None
    Rows: list[ReportRows] | None = None
