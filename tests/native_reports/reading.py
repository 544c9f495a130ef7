"""Reading Xero-shaped reports in tests: find rows by label, read amounts as ``Decimal``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from adapters.native.adapter import NativeLedgerAdapter
from gateway.xero.models import dump
from tests.front import xero_request
from tests.native.conftest import ctx


def amount(text: str) -> Decimal:
    """A cell's amount (``""`` reads as 0; a percentage ``"7.3%"`` as 7.3)."""
    return Decimal(text.removesuffix("%")) if text else Decimal("0")


@dataclass
class Report:
    """One rendered report (the JSON dict of a ``ReportWithRow``)."""

    data: dict[str, Any]

    @property
    def header(self) -> list[str]:
        return [c["Value"] for c in self.data["Rows"][0]["Cells"]]

    @property
    def sections(self) -> list[dict[str, Any]]:
        return [r for r in self.data["Rows"] if r["RowType"] == "Section"]

    def section(self, title: str) -> dict[str, Any]:
        """The first section titled ``title``. Raises ``KeyError``."""
        for section in self.sections:
            if section["Title"] == title:
                return section
        raise KeyError(f"no section {title!r} in {[s['Title'] for s in self.sections]}")

    def rows(self, title: str | None = None) -> list[dict[str, Any]]:
        """Every row (of the section ``title`` when given)."""
        sections = [self.section(title)] if title is not None else self.sections
        return [row for section in sections for row in section["Rows"]]

    def find(self, label: str, section: str | None = None) -> dict[str, Any]:
        """The row whose first cell is ``label``. Raises ``KeyError``."""
        for row in self.rows(section):
            if row["Cells"][0]["Value"] == label:
                return row
        raise KeyError(f"no row {label!r}")

    def has(self, label: str, section: str | None = None) -> bool:
        try:
            self.find(label, section)
        except KeyError:
            return False
        return True

    def texts(self, label: str, section: str | None = None) -> list[str]:
        """The value cells' texts of a row."""
        return [c["Value"] for c in self.find(label, section)["Cells"][1:]]

    def amounts(self, label: str, section: str | None = None) -> list[Decimal]:
        """The value cells of a row as amounts."""
        return [amount(t) for t in self.texts(label, section)]

    def account_rows(self, section: str) -> list[dict[str, Any]]:
        """The rows of ``section`` that carry an ``account`` attribute."""
        return [r for r in self.rows(section) if r["RowType"] == "Row" and r["Cells"][0].get("Attributes")]


async def report(adapter: NativeLedgerAdapter, operation_id: str, **params: Any) -> Report:
    """Run a report operation with raw query parameters (as the front end passes them) and read it."""
    method = adapter.operation(operation_id)
    assert method is not None, f"{operation_id} is not implemented"
    req = xero_request(operation_id, params=params)
    result = await method(ctx(), req)
    assert len(result.items) == 1
    return Report(dump(result.items[0]))
