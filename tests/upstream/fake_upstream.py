"""A tiny OAuth 2.0 source system for the upstream-flow tests: authorize, token (rotating refresh tokens) and three
resource endpoints, on an aiohttp app bound to 127.0.0.1.

It plays both shapes the gateway must fit:

- ``mode="realm"`` (QBO-like, upstream-contracts.md §1): the authorize redirect carries ``realmId``; one tenant per
  consent, named by ``GET /companies/{realmId}`` → ``{"CompanyInfo": {"CompanyName": …}}``.
- ``mode="businesses"`` (Sage-like, §2): no ``realmId``; ``GET /businesses`` → ``{"$items": [{"id", "name"}]}`` lists
  every business of the consent, ``GET /user`` the consenting user.

Token endpoint behaviour (RFC 6749): client authentication by HTTP Basic or form body (``auth_method``), codes single
use and bound to their ``redirect_uri``, refresh tokens rotated on every use (the previous one becomes
``invalid_grant``), ``invalid_grant`` after :meth:`FakeUpstream.revoke_grants`. ``refresh_gate`` holds refresh
requests until the test releases it, so that concurrent callers pile up.
"""

from __future__ import annotations

import asyncio
import base64
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from aiohttp import web


@dataclass
class Grant:
    keys: list[str]
    refresh_token: str
    revoked: bool = False


@dataclass
class FakeUpstream:
    client_id: str = "fake-client-id"
    client_secret: str = "fake-client-secret"
    auth_method: str = "basic"  # or "post"
    mode: str = "realm"
    realm: str = "9130357"
    businesses: list[tuple[str, str]] = field(default_factory=lambda: [("biz-a1", "Alpha Trading Ltd"),
                                                                        ("biz-b2", "Beta Services Ltd")])
    companies: dict[str, str] = field(default_factory=lambda: {"9130357": "Sandbox Company_US_1"})
    user: dict[str, str] = field(default_factory=lambda: {"id": "sage-user-42", "email": "owner@example.test",
                                                          "first_name": "Olive", "last_name": "Owner"})
    decision: str = "approve"  # or "deny"
    expires_in: int = 3600
    offset: float = 0.0
    token_failure: int | None = None  # answer every token request with this HTTP status
    refresh_gate: asyncio.Event | None = None
    api_hook: Callable[[str], Awaitable[None]] | None = None
    # observations
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    refresh_calls: int = 0
    api_tokens: list[str] = field(default_factory=list)
    base_url: str = ""
    _codes: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    _grants: dict[str, Grant] = field(default_factory=dict)
    _access: dict[str, tuple[str, float]] = field(default_factory=dict)

    def now(self) -> float:
        return time.time() + self.offset

    # test controls --------------------------------------------------------------------------------------------

    def revoke_grants(self) -> None:
        """Every refresh token becomes invalid_grant and every access token 401 (the user disconnected the app)."""
        for grant in self._grants.values():
            grant.revoked = True
        self._access.clear()

    def reject_access_token(self, token: str) -> None:
        """The source stops accepting one access token (it still lets the refresh token work)."""
        self._access.pop(token, None)

    def current_refresh_tokens(self) -> set[str]:
        return {g.refresh_token for g in self._grants.values() if not g.revoked}

    # app ------------------------------------------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/oauth2/authorize", self.authorize)
        app.router.add_post("/oauth2/token", self.token)
        app.router.add_get("/companies/{key}", self.company)
        app.router.add_get("/businesses", self.list_businesses)
        app.router.add_get("/user", self.current_user)
        return app

    async def authorize(self, request: web.Request) -> web.Response:
        """The user's consent page, answered at once with the test's ``decision``."""
        q = dict(request.query)
        self.authorize_requests.append(q)
        if q.get("client_id") != self.client_id or q.get("response_type") != "code" or not q.get("redirect_uri"):
            return web.Response(status=400, text="bad authorize request")
        params = {"state": q.get("state", "")}
        if self.decision == "deny":
            params = {"error": "access_denied", "error_description": "User denied at Fake Source", **params}
        else:
            code = secrets.token_urlsafe(16)
            keys = [self.realm] if self.mode == "realm" else [k for k, _ in self.businesses]
            self._codes[code] = (q["redirect_uri"], keys)
            params = {"code": code, **params}
            if self.mode == "realm":
                params["realmId"] = self.realm
        raise web.HTTPFound(f"{q['redirect_uri']}?{urlencode(params)}")

    def _client_ok(self, request: web.Request, form) -> bool:
        if self.auth_method == "basic":
            scheme, _, value = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "basic":
                return False
            user, _, password = base64.b64decode(value).decode().partition(":")
            return user == self.client_id and password == self.client_secret
        return form.get("client_id") == self.client_id and form.get("client_secret") == self.client_secret

    def _issue(self, grant_id: str) -> dict:
        access = "at-" + secrets.token_urlsafe(16)
        refresh = "rt-" + secrets.token_urlsafe(16)
        self._grants[grant_id].refresh_token = refresh
        self._access[access] = (grant_id, self.now() + self.expires_in)
        return {"access_token": access, "refresh_token": refresh, "token_type": "bearer",
                "expires_in": self.expires_in, "x_refresh_token_expires_in": 8726400,
                "refresh_token_expires_in": 2678400, "scope": "full_access"}

    async def token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.token_requests.append({k: v for k, v in form.items() if k in ("grant_type", "redirect_uri")})
        if self.token_failure is not None:
            return web.Response(status=self.token_failure, text="token endpoint down")
        if not self._client_ok(request, form):
            return web.json_response({"error": "invalid_client"}, status=401)
        if form.get("grant_type") == "authorization_code":
            found = self._codes.pop(form.get("code", ""), None)
            if found is None or found[0] != form.get("redirect_uri"):
                return web.json_response({"error": "invalid_grant"}, status=400)
            grant_id = secrets.token_hex(4)
            self._grants[grant_id] = Grant(keys=found[1], refresh_token="")
            return web.json_response(self._issue(grant_id))
        if form.get("grant_type") == "refresh_token":
            self.refresh_calls += 1
            if self.refresh_gate is not None:
                await self.refresh_gate.wait()
            grant_id = next((g for g, grant in self._grants.items()
                             if grant.refresh_token == form.get("refresh_token") and not grant.revoked), None)
            if grant_id is None:
                return web.json_response({"error": "invalid_grant", "error_description": "Token invalid"}, status=400)
            return web.json_response(self._issue(grant_id))
        return web.json_response({"error": "unsupported_grant_type"}, status=400)

    async def _grant_of(self, request: web.Request) -> Grant:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        found = self._access.get(token) if scheme.lower() == "bearer" else None
        if found is None or found[1] <= self.now() or self._grants[found[0]].revoked:
            raise web.HTTPUnauthorized(text='{"fault":{"type":"AUTHENTICATION"}}', content_type="application/json")
        self.api_tokens.append(token)
        if self.api_hook is not None:
            await self.api_hook(token)
        return self._grants[found[0]]

    async def company(self, request: web.Request) -> web.Response:
        grant = await self._grant_of(request)
        key = request.match_info["key"]
        if key not in grant.keys:
            raise web.HTTPForbidden()
        name = self.companies.get(key) or dict(self.businesses).get(key, key)
        return web.json_response({"CompanyInfo": {"CompanyName": name}})

    async def list_businesses(self, request: web.Request) -> web.Response:
        grant = await self._grant_of(request)
        items = [{"id": k, "name": n, "displayed_as": n} for k, n in self.businesses if k in grant.keys]
        return web.json_response({"$total": len(items), "$page": 1, "$items": items})

    async def current_user(self, request: web.Request) -> web.Response:
        await self._grant_of(request)
        return web.json_response(self.user)
