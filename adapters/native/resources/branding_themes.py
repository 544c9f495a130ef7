"""Branding themes: every organisation has Xero's default theme, "Standard".

Spec ``components.schemas.BrandingTheme`` and the example of ``GET /BrandingThemes`` (one theme: ``Name``
"Standard", ``SortOrder`` 0 — "the default branding theme has a value of 0"). The ledger offers no way to create
themes (the Accounting API has none either), so the theme is derived rather than stored: its id is a ``uuid5`` of
the organisation id, stable across restarts, and it dates from the organisation's creation.
"""

from __future__ import annotations

from gateway.xero.models.catalogue import BrandingTheme

from ..ids import stable_id
from ..tables.core import Company

STANDARD_NAME = "Standard"


def standard_theme_id(company_id: str) -> str:
    """The ``BrandingThemeID`` of an organisation's "Standard" theme."""
    return stable_id("branding-theme", company_id, "standard")


def themes(company: Company) -> list[BrandingTheme]:
    """The organisation's branding themes, in ``SortOrder``."""
    return [BrandingTheme(BrandingThemeID=standard_theme_id(company.id), Name=STANDARD_NAME, Type="INVOICE",
                          SortOrder=0, CreatedDateUTC=company.created_utc)]


def find(company: Company, theme_id: str) -> BrandingTheme | None:
    """A theme by ``BrandingThemeID`` (case-insensitive), or ``None``."""
    wanted = theme_id.strip().lower()
    return next((t for t in themes(company) if t.BrandingThemeID == wanted), None)
