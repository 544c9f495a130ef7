"""The version of each company's chart (accounts, tax rates, currencies), bumped in the transaction that changes it,
and the version of all its data (any row of the company), bumped likewise (:mod:`adapters.native.data_version`).

Reads cache a company's chart in process (:mod:`adapters.native.chart_cache`) and compare the cached version with
this row's, read in the same statement as the company row: a change committed by any process sharing the database
is seen by the next read everywhere, at the cost of an outer join on a primary key.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from .base import NativeBase


class ChartVersion(NativeBase):
    """How many flushes have changed a company's chart (no row: never changed since this table exists, version 0)."""

    __tablename__ = "chart_versions"

    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    #: How many transactions have changed any row of the company (answers of reads are cached under it: the
    #: gateway's answer cache, gateway/api/answer_cache.py). 0 until the first change after this column exists.
    data_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
