"""Users (QBO Employees), BrandingThemes (Xero's documented default) and the organisation's key actions on 1004
(translation rules in :mod:`adapters.qbo.translate.people`)."""

from __future__ import annotations

from collections.abc import Callable

import mappings
from gateway.xero.errors import NotFound
from gateway.xero.guids import is_guid
from gateway.xero.models.catalogue import Action, User
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from . import codes
from .ops_base import OperationsBase, check_paths, memory_list, path_param
from .translate.people import standard_theme, user_to_xero

#: The Employees of a realm, in one query (QBO answers at most 1000 rows a query).
EMPLOYEES = "SELECT * FROM Employee STARTPOSITION 1 MAXRESULTS 1000"


def key_actions(supports: Callable[[str], bool]) -> list[Action]:
    """Xero's key actions (``mappings/xero_organisation_actions.toml``, in table order): ``ALLOWED`` when 1004 serves
    every operation the action needs and QBO can do it (``mappings/qbo_organisation.toml`` ``[actions]``)."""
    refused = set(codes.organisation().actions.not_allowed)
    table = mappings.load("xero_organisation_actions")["action"]
    return [Action(Name=name, Status="ALLOWED" if name not in refused and all(supports(op) for op in ops)
                   else "NOT-ALLOWED") for name, ops in table.items()]


class OrganisationOperations(OperationsBase):
    """Users, BrandingThemes, Organisation actions."""

    async def get_users(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Users``: the realm's active Employees (``where``, ``order``, ``If-Modified-Since`` in the gateway)."""
        check_paths(req.query, User)
        async with self.unit(ctx, req) as unit:
            t = await unit.tx()
            rows = (await unit.query(EMPLOYEES)).get("Employee") or []
            users = [u for row in rows if (u := user_to_xero(row, t)) is not None]
            return memory_list(users, req.query, default_order=[OrderTerm("FirstName"), OrderTerm("UserID")])

    async def get_user(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Users/{UserID}``. Raises NotFound (unknown id, or an inactive employee)."""
        key = path_param(req, "UserID")
        async with self.unit(ctx, req) as unit:
            ref = await unit.find(key, ("Employee",)) if is_guid(key) else None
            if ref is None:
                raise NotFound()
            user = user_to_xero(await unit.read("Employee", ref.qbo_id), await unit.tx())
            if user is None:
                raise NotFound()
            return Result(items=[user])

    async def get_branding_themes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BrandingThemes``: Xero's default theme (:mod:`adapters.qbo.translate.people`)."""
        async with self.unit(ctx, req) as unit:
            return Result(items=[standard_theme(await unit.tx("companyinfo", "preferences"))])

    async def get_branding_theme(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BrandingThemes/{BrandingThemeID}``. Raises NotFound."""
        key = path_param(req, "BrandingThemeID")
        async with self.unit(ctx, req) as unit:
            theme = standard_theme(await unit.tx("companyinfo", "preferences"))
            if key.lower() != theme.BrandingThemeID:
                raise NotFound()
            return Result(items=[theme])

    async def get_organisation_actions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Organisation/Actions`` (:func:`key_actions`)."""
        return Result(items=key_actions(lambda op: self.operation(op) is not None))  # type: ignore[attr-defined]
