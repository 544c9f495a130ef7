"""Users, BrandingThemes and Organisation actions.

A mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter`.

- ``getUsers``/``getUser`` ↔ Sage ``GET /user`` (swagger.user_business.v3.1.json ``User``: ``id``, ``first_name``,
  ``last_name``, ``email``, ``updated_at``). Sage's API reveals only the user whose consent the call runs under (no
  list of a business's users), so that user is the organisation's one Xero user. ``UserID`` is the stable GUID of the
  Sage user id. Sage keeps no role or subscriber flag: ``OrganisationRole`` and ``IsSubscriber`` are left out.
- ``getBrandingThemes``/``getBrandingTheme``: Sage has no branding themes in its API (its invoice layouts are not
  exposed), so every business has Xero's documented default only: "Standard", ``SortOrder`` 0 ("the default branding
  theme has a value of 0", spec ``BrandingTheme.SortOrder``; spec example of ``GET /BrandingThemes``), as the native
  ledger answers it (:mod:`adapters.native.branding_themes`). Its id is the stable GUID of the business and its
  ``CreatedDateUTC`` the business's ``created_at``.
- ``getOrganisationActions``: each key action ``ALLOWED`` when this adapter implements its operations
  (:mod:`adapters.common.organisation_actions`).
- ``getOrganisationCISSettings`` ↔ Sage ``GET /cis_settings`` (``CisSettings``: ``contractor`` →
  ``CISContractorEnabled``, ``subcontractor`` → ``CISSubContractorEnabled``; UK businesses); only the tenant's own
  ``OrganisationID`` (the tenant id, :mod:`.translate.organisation`).
"""

from __future__ import annotations

from adapters.base import snake_case
from adapters.common.organisation_actions import actions
from gateway.xero.errors import NotFound
from gateway.xero.models.catalogue import CISOrgSetting
from gateway.xero.request import RequestContext, Result, XeroRequest

from .ops_base import OpsBase
from .query import normalise_guid
from .translate.people import standard_theme, user_from_sage


class OrganisationOps(OpsBase):
    """Mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter` (module docstring)."""

    async def get_users(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Users`` → ``GET /user``: the consenting Sage user."""
        async with self.unit(ctx, req) as unit:
            return Result(items=[user_from_sage(unit.business_id, await unit.get_one("/user"))])

    async def get_user(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Users/{UserID}``: the consenting Sage user when the id is theirs. Raises ``NotFound``."""
        wanted = normalise_guid(req.path_params.get("UserID", ""))
        async with self.unit(ctx, req) as unit:
            user = user_from_sage(unit.business_id, await unit.get_one("/user"))
        if not wanted or user.UserID != wanted:
            raise NotFound()
        return Result(items=[user])

    async def get_branding_themes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BrandingThemes``: the default theme (module docstring)."""
        async with self.unit(ctx, req) as unit:
            business = (await unit.tx("business")).refs.obj("business")
            return Result(items=[standard_theme(unit.business_id, business)])

    async def get_branding_theme(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BrandingThemes/{BrandingThemeID}``. Raises ``NotFound``."""
        wanted = normalise_guid(req.path_params.get("BrandingThemeID", ""))
        async with self.unit(ctx, req) as unit:
            theme = standard_theme(unit.business_id, (await unit.tx("business")).refs.obj("business"))
        if not wanted or theme.BrandingThemeID != wanted:
            raise NotFound()
        return Result(items=[theme])

    async def get_organisation_actions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Organisation/Actions``: derived from the operations this adapter implements."""
        return Result(items=list(actions(lambda op: callable(getattr(self, snake_case(op), None)))))

    async def get_organisation_cis_settings(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Organisation/{OrganisationID}/CISSettings`` → ``GET /cis_settings``. Raises ``NotFound`` (another
        organisation's id)."""
        if normalise_guid(req.path_params.get("OrganisationID", "")) != ctx.tenant_id.lower():
            raise NotFound()
        async with self.unit(ctx, req) as unit:
            settings = await unit.get_one("/cis_settings")
        return Result(items=[CISOrgSetting(CISContractorEnabled=settings.get("contractor") is True,
                                           CISSubContractorEnabled=settings.get("subcontractor") is True)])
