"""Xero Users ← QBO Employees, and the organisation's branding theme (pure translation).

- ``User`` (spec ``components.schemas.User``) ← ``Employee``: ``UserID`` the stable GUID of the Employee,
  ``FirstName`` ← ``GivenName``, ``LastName`` ← ``FamilyName``, ``EmailAddress`` ← ``PrimaryEmailAddr.Address``,
  ``UpdatedDateUTC`` ← ``MetaData.LastUpdatedTime``. QBO's API exposes no user roles nor who the subscriber is:
  ``OrganisationRole`` is the spec's ``UNKNOWN`` and ``IsSubscriber`` false. Inactive employees are not users.
- ``BrandingTheme``: QBO's invoice templates (custom form styles) are not in its API, so the organisation has Xero's
  documented default theme only (``GET /BrandingThemes`` example: ``Name`` "Standard", ``SortOrder`` 0 — "the default
  branding theme has a value of 0", ``Type`` "INVOICE"), its id the stable GUID of the realm's default theme, dated
  from the company's creation (``CompanyInfo.MetaData.CreateTime``).
"""

from __future__ import annotations

from typing import Any

from adapters.common import fields
from gateway.xero.models.catalogue import BrandingTheme, User

from .common import Tx, created, text, updated

#: ``OrganisationRole`` of a QBO employee (the spec's value for a role not known).
UNKNOWN_ROLE = "UNKNOWN"
STANDARD_THEME = "Standard"


def user_to_xero(row: dict[str, Any], t: Tx) -> User | None:
    """An Employee as a Xero User; ``None`` for an inactive one."""
    if row.get("Active") is False:
        return None
    email = row.get("PrimaryEmailAddr") if isinstance(row.get("PrimaryEmailAddr"), dict) else {}
    return User(UserID=t.guid("Employee", row["Id"]), FirstName=text(row.get("GivenName")),
                LastName=text(row.get("FamilyName")), EmailAddress=text(email.get("Address")),
                UpdatedDateUTC=updated(row), IsSubscriber=False, OrganisationRole=UNKNOWN_ROLE)


def standard_theme(t: Tx) -> BrandingTheme:
    """The realm's one branding theme (module docstring)."""
    return BrandingTheme(BrandingThemeID=t.forward("BrandingTheme", "default", ""), Name=STANDARD_THEME,
                         Type="INVOICE", SortOrder=0, CreatedDateUTC=created(t.refs.company.info))


#: What :func:`user_to_xero` makes of every Xero User field (docs/fields-1004.md).
USER_FIELDS = fields.FieldMap(
    "Users", User,
    fields.computed("UserID", "uuid5 of realmId/Employee/Id (adapters/qbo/ids.py)"),
    fields.populated("EmailAddress", "Employee.PrimaryEmailAddr.Address", condition="when the employee has one"),
    fields.populated("FirstName", "Employee.GivenName"),
    fields.populated("LastName", "Employee.FamilyName"),
    fields.populated("UpdatedDateUTC", "Employee.MetaData.LastUpdatedTime"),
    fields.computed("IsSubscriber", "false: QBO's API does not say who the subscriber is"),
    fields.computed("OrganisationRole", "UNKNOWN: QBO's API exposes no user roles"),
)

#: What :func:`standard_theme` makes of every Xero BrandingTheme field (docs/fields-1004.md).
BRANDING_THEME_FIELDS = fields.FieldMap(
    "BrandingThemes", BrandingTheme,
    fields.computed("BrandingThemeID", "uuid5 of realmId/BrandingTheme/default"),
    fields.computed("Name", "Standard, Xero's documented default theme (custom form styles are not in QBO's API)"),
    fields.computed("Type", "INVOICE"),
    fields.computed("SortOrder", "0, the default theme's"),
    fields.populated("CreatedDateUTC", "CompanyInfo.MetaData.CreateTime"),
    fields.lost("LogoUrl", reason="QBO's API does not expose the company logo"),
)
