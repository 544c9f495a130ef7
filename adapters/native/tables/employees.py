"""Employees of the native ledger (spec ``Employee`` of ``xero_accounting.yaml`` v12.0.2, kept in
``mappings/xero_employees.toml``): the people Xero's pay runs name, outside Xero's current spec."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import ID, NativeBase, UTCDateTime


class EmployeeRow(NativeBase):
    """One employee; ``link_*`` hold its ``ExternalLink``."""

    __tablename__ = "employees"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="ACTIVE")
    first_name: Mapped[str] = mapped_column(String(255))
    last_name: Mapped[str] = mapped_column(String(255))
    link_type: Mapped[str | None] = mapped_column(String(20))
    link_url: Mapped[str | None] = mapped_column(Text)
    link_description: Mapped[str | None] = mapped_column(Text)
    updated_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)
