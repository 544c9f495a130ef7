"""Xero Users ← the consenting Sage ``User``, and the business's one branding theme (pure translation).

- ``User`` ← Sage ``GET /user`` (swagger.user_business.v3.1.json ``User``: ``id``, ``first_name``, ``last_name``,
  ``email``, ``updated_at``): ``UserID`` is the stable GUID of the Sage user id. Sage keeps no role or subscriber
  flag: ``OrganisationRole`` and ``IsSubscriber`` are left out.
- ``BrandingTheme``: Sage's invoice layouts are not in its API, so every business has Xero's documented default only:
  "Standard", ``SortOrder`` 0 ("the default branding theme has a value of 0", spec ``BrandingTheme.SortOrder``), its
  id the stable GUID of the business's theme and ``CreatedDateUTC`` the business's ``created_at``.
"""

from __future__ import annotations

from typing import Any

from adapters.common import fields
from gateway.xero.models.catalogue import BrandingTheme, User

from ..ids import stable_guid
from .common import sage_datetime

#: Xero's default theme (module docstring).
STANDARD_THEME = "Standard"


def user_from_sage(business_id: str, user: dict[str, Any]) -> User:
    """Sage ``User`` → Xero ``User``."""
    return User(UserID=stable_guid(business_id, "user", str(user["id"])), EmailAddress=user.get("email") or None,
                FirstName=user.get("first_name") or None, LastName=user.get("last_name") or None,
                UpdatedDateUTC=sage_datetime(user.get("updated_at") or user.get("created_at")))


def standard_theme(business_id: str, business: dict[str, Any]) -> BrandingTheme:
    """The business's "Standard" theme (module docstring)."""
    return BrandingTheme(BrandingThemeID=stable_guid(business_id, "branding_themes", "standard"),
                         Name=STANDARD_THEME, Type="INVOICE", SortOrder=0,
                         CreatedDateUTC=sage_datetime(business.get("created_at")))


#: What :func:`user_from_sage` makes of every Xero User field (docs/fields-1009.md).
USER_FIELDS = fields.FieldMap(
    "Users", User,
    fields.computed("UserID", "uuid5 of business_id/user/id"),
    fields.populated("EmailAddress", "user.email"),
    fields.populated("FirstName", "user.first_name"),
    fields.populated("LastName", "user.last_name"),
    fields.populated("UpdatedDateUTC", "user.updated_at (else created_at)"),
    fields.lost("IsSubscriber", "OrganisationRole", reason="Sage's API keeps no subscriber flag or user role"),
)

#: What :func:`standard_theme` makes of every Xero BrandingTheme field (docs/fields-1009.md).
BRANDING_THEME_FIELDS = fields.FieldMap(
    "BrandingThemes", BrandingTheme,
    fields.computed("BrandingThemeID", "uuid5 of business_id/branding_themes/standard"),
    fields.computed("Name", "Standard, Xero's documented default theme (Sage's invoice layouts are not in its API)"),
    fields.computed("Type", "INVOICE"),
    fields.computed("SortOrder", "0, the default theme's"),
    fields.populated("CreatedDateUTC", "business.created_at"),
    fields.lost("LogoUrl", reason="Sage's API does not expose the business logo"),
)
