"""A minimal upstream adapter for the flow tests, speaking to :mod:`tests.upstream.fake_upstream`.

It follows the adapter contract of :mod:`adapters.base` for ``sign_in = "upstream"``: tenants from the consent
(``realmId`` → one tenant named from ``CompanyInfo``; otherwise ``GET /businesses`` → several), the user from
``GET /user`` when the source has one, and every API call made with ``self.credentials.credentials(...)``,
refreshing once after a 401 from the source.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp

from adapters.base import LedgerUser, SourceAdapter, Tenant, UpstreamToken, upstream_tenant
from gateway.xero.errors import XeroApiError
from gateway.xero.models import Organisation
from gateway.xero.request import RequestContext, Result, XeroRequest


class SourceRejectedToken(Exception):
    pass


class FakeUpstreamAdapter(SourceAdapter):
    system_name = "Fake source"
    sign_in = "upstream"

    async def startup(self) -> None:
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))

    async def shutdown(self) -> None:
        await self._http.close()

    async def _get(self, api_base: str, access_token: str, path: str) -> Any:
        async with self._http.get(f"{api_base}{path}", headers={"Authorization": f"Bearer {access_token}"}) as resp:
            if resp.status == 401:
                raise SourceRejectedToken()
            resp.raise_for_status()
            return await resp.json()

    async def list_tenants(self) -> list[Tenant]:
        return await self.credentials.tenants(self.code)

    async def tenants_for_authorization(self, token: UpstreamToken, callback_params: Mapping[str, str]) -> list[Tenant]:
        realm = callback_params.get("realmId")
        if realm:
            info = await self._get(token.api_base, token.access_token, f"/companies/{realm}")
            return [upstream_tenant(self.code, realm, info["CompanyInfo"]["CompanyName"])]
        listing = await self._get(token.api_base, token.access_token, "/businesses")
        return [upstream_tenant(self.code, b["id"], b["name"]) for b in listing["$items"]]

    async def user_for_authorization(self, token: UpstreamToken,
                                     callback_params: Mapping[str, str]) -> LedgerUser | None:
        if "realmId" in callback_params:
            return None
        me = await self._get(token.api_base, token.access_token, "/user")
        return LedgerUser(user_id=me["id"], email=me["email"], given_name=me["first_name"],
                          family_name=me["last_name"])

    async def get_organisations(self, ctx: RequestContext, req: XeroRequest) -> Result:
        creds = await self.credentials.credentials(self.code, ctx.tenant_id)
        try:
            info = await self._get(creds.api_base, creds.access_token, f"/companies/{creds.tenant_key}")
        except SourceRejectedToken:
            creds = await self.credentials.refresh(self.code, ctx.tenant_id, failed_token=creds.access_token)
            try:
                info = await self._get(creds.api_base, creds.access_token, f"/companies/{creds.tenant_key}")
            except SourceRejectedToken:
                raise XeroApiError("the source rejected a fresh token") from None
        return Result(items=[Organisation(OrganisationID=ctx.tenant_id, Name=info["CompanyInfo"]["CompanyName"])])
