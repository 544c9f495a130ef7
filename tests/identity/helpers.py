"""Drive the identity server over plain HTTP, as a browser and a client app would."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiohttp.test_utils import TestClient
from joserfc import jwt

from gateway.identity import apps
from gateway.identity.state import IdentityState

from .fake_adapter import EMAIL, PASSWORD

REDIRECT_URI = "https://app.example.test/callback"
SCOPES = "openid profile email offline_access accounting.transactions accounting.settings"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


class FormParser(HTMLParser):
    """The first form of a page: action, method, inputs (with type, name, value, checked)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get"), "inputs": []})
        elif tag in ("input", "button") and self.forms:
            a.setdefault("type", "submit" if tag == "button" else "text")
            self.forms[-1]["inputs"].append(a)


def first_form(html: str) -> dict[str, Any]:
    parser = FormParser()
    parser.feed(html)
    assert parser.forms, html
    return parser.forms[0]


def hidden_fields(form: dict[str, Any]) -> dict[str, str]:
    return {i["name"]: i.get("value", "") for i in form["inputs"] if i["type"] == "hidden"}


def checkboxes(form: dict[str, Any], name: str = "tenant") -> list[str]:
    """The values of the form's checkboxes called ``name`` (the tenant choice by default)."""
    return [i["value"] for i in form["inputs"] if i["type"] == "checkbox" and i.get("name") == name]


def ticked_scopes(form: dict[str, Any]) -> list[str]:
    """The permissions a browser submits as they are shown: ticked and not disabled."""
    return [i["value"] for i in form["inputs"]
            if i["type"] == "checkbox" and i.get("name") == "scope" and "checked" in i and "disabled" not in i]


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query, keep_blank_values=True).items()}


def claims_of(token: str, state: IdentityState) -> dict[str, Any]:
    """Verify a gateway JWT with the published JWKS and return its claims."""
    from joserfc.jwk import KeySet

    return jwt.decode(token, KeySet.import_key_set(state.keys.jwks), algorithms=["RS256"]).claims


@dataclass
class Gateway:
    """A started gateway app under a test client."""

    client: TestClient
    state: IdentityState
    code: str = "1000"

    async def create_app(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("name", "Test App")
        kwargs.setdefault("redirect_uris", [REDIRECT_URI])
        kwargs.setdefault("scopes", None)
        return await apps.create_app(self.state.db, **kwargs)

    def url(self, tail: str, code: str | None = None) -> str:
        return f"/{code or self.code}{tail}"

    async def authorize_page(self, params: dict[str, str], code: str | None = None):
        return await self.client.get(self.url("/identity/connect/authorize", code), params=params,
                                     allow_redirects=False)

    async def sign_in(self, location: str, *, email: str = EMAIL, password: str = PASSWORD):
        """From the redirect to the login page: fetch the form and post the credentials."""
        page = await self.client.get(location, allow_redirects=False)
        assert page.status == 200, await page.text()
        form = first_form(await page.text())
        data = {**hidden_fields(form), "email": email, "password": password}
        return await self.client.post(form["action"], data=data, allow_redirects=False)

    async def consent(self, page_html: str, *, approve: bool = True, tenants: list[str] | None = None,
                      csrf: str | None = None, untick: tuple[str, ...] = ()):
        """Submit the consent form as a browser would, with the permissions in ``untick`` unticked."""
        form = first_form(page_html)
        data: list[tuple[str, str]] = list(hidden_fields(form).items())
        if csrf is not None:
            data = [(k, csrf if k == "csrf_token" else v) for k, v in data]
        data.extend(("scope", s) for s in ticked_scopes(form) if s not in untick)
        for tenant in checkboxes(form) if tenants is None else tenants:
            data.append(("tenant", tenant))
        data.append(("decision", "approve" if approve else "deny"))
        return await self.client.post(form["action"], data=data, allow_redirects=False)

    async def authorize(self, client_id: str, *, scope: str = SCOPES, state: str = "st-123",
                        redirect_uri: str = REDIRECT_URI, challenge: str | None = None, approve: bool = True,
                        tenants: list[str] | None = None, extra: dict[str, str] | None = None,
                        untick: tuple[str, ...] = ()) -> dict[str, str]:
        """The whole browser part: authorize → sign in (if needed) → consent (``untick``: permissions the user
        removes) → callback query."""
        params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri, "scope": scope,
                  "state": state, **(extra or {})}
        if challenge:
            params.update(code_challenge=challenge, code_challenge_method="S256")
        response = await self.authorize_page(params)
        if response.status == 302 and "/identity/login" in response.headers["Location"]:
            response = await self.sign_in(response.headers["Location"])
            assert response.status == 302, await response.text()
            response = await self.client.get(response.headers["Location"], allow_redirects=False)
        assert response.status == 200, await response.text()
        response = await self.consent(await response.text(), approve=approve, tenants=tenants, untick=untick)
        assert response.status == 302, await response.text()
        location = response.headers["Location"]
        assert location.startswith(redirect_uri + "?"), location
        return query_of(location)

    async def token(self, data: dict[str, str], *, basic: tuple[str, str] | None = None, code: str | None = None):
        headers = {}
        if basic:
            headers["Authorization"] = "Basic " + base64.b64encode(f"{basic[0]}:{basic[1]}".encode()).decode()
        response = await self.client.post(self.url("/connect/token", code), data=data, headers=headers)
        return response.status, await response.json()

    async def exchange(self, app: dict[str, Any], callback: dict[str, str], *, verifier: str | None = None,
                       redirect_uri: str = REDIRECT_URI) -> dict[str, Any]:
        data = {"grant_type": "authorization_code", "code": callback["code"], "redirect_uri": redirect_uri}
        if verifier:
            data["code_verifier"] = verifier
        if app["client_secret"]:
            status, body = await self.token(data, basic=(app["client_id"], app["client_secret"]))
        else:
            status, body = await self.token({**data, "client_id": app["client_id"]})
        assert status == 200, body
        return body

    async def user_token(self, app: dict[str, Any] | None = None, **kwargs: Any) -> tuple[dict, dict]:
        """A confidential app (created unless given) and a token set from the full flow with PKCE."""
        app = app or await self.create_app()
        verifier, challenge = pkce_pair()
        callback = await self.authorize(app["client_id"], challenge=challenge, **kwargs)
        return app, await self.exchange(app, callback, verifier=verifier)

    async def refresh(self, app: dict[str, Any], refresh_token: str, *, scope: str | None = None):
        data = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": app["client_id"],
                "client_secret": app["client_secret"]}
        if scope is not None:
            data["scope"] = scope
        return await self.token(data)

    async def get(self, tail: str, token: str | None = None, *, headers: dict[str, str] | None = None,
                  code: str | None = None, params: dict[str, str] | None = None):
        h = dict(headers or {})
        if token:
            h["Authorization"] = f"Bearer {token}"
        return await self.client.get(self.url(tail, code), headers=h, params=params)

    async def guard(self, token: str | None, *, tenant: str | None, scopes: str = "accounting.transactions",
                    path: str = "/Invoices", code: str | None = None, tenant_header: str = "xero-tenant-id",
                    tenant_required: bool = True):
        headers = {tenant_header: tenant} if tenant is not None else {}
        response = await self.get("/_test/guard", token, headers=headers, code=code, params={
            "scopes": scopes, "path": path, "tenant_required": "1" if tenant_required else "0"})
        return response.status, await response.json()
