"""Published reports of the native ledger: snapshots of a report as it was when published (Xero's "published
reports", fetched by ``ReportID``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import ID, NativeBase, UTCDateTime


class PublishedReport(NativeBase):
    """One published report: its ``ReportWithRow`` as rendered then (``content``, the JSON wire form)."""

    __tablename__ = "published_reports"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    report_type: Mapped[str] = mapped_column(String(40))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)
