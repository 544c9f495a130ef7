"""Which tax rates a document may use: output VAT on sales, input VAT on purchases.

The table is ``mappings/native_tax_usage.toml`` (report tax type → side, document type → side), loaded once and
validated. A rate whose report tax type the table does not list (``NONE``, rates a client creates) may be used on
either side; a document type it does not list is not checked.

Xero answers a rate used on the wrong kind of document with "The TaxType code '…' does not exist or cannot be used
with this type of transaction." (:data:`adapters.native.messages.TAX_TYPE_INVALID`).
"""

from __future__ import annotations

from functools import cache

import mappings

from ..tables.core import TaxRate

SIDES = ("SALES", "PURCHASES")


@cache
def _table() -> tuple[dict[str, str], dict[str, str]]:
    """``(side by report tax type, side by document type)``.

    Raises:
        ValueError: a side other than ``SALES`` / ``PURCHASES``.
    """
    data = mappings.load("native_tax_usage")
    by_report = dict(data["side_by_report_tax_type"])
    by_document = dict(data["side_by_document_type"])
    bad = {k: v for k, v in {**by_report, **by_document}.items() if v not in SIDES}
    if bad:
        raise ValueError(f"native_tax_usage.toml: unknown sides {bad}")
    return by_report, by_document


def document_side(document_type: str | None) -> str | None:
    """``"SALES"`` / ``"PURCHASES"`` for a checked document type (``ACCREC``…), else ``None``."""
    return _table()[1].get(document_type or "")


def usable_on(rate: TaxRate, side: str | None) -> bool:
    """Whether ``rate`` may be used on a document of ``side`` (``None``: any side is fine)."""
    rate_side = _table()[0].get(rate.report_tax_type or "")
    return side is None or rate_side is None or rate_side == side
