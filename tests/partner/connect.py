"""Connecting a partner API client to the native ledger: RFC 7591 registration, the consent page, PKCE S256 and the
token exchange, over real HTTP against the in-process gateway (:mod:`tests.support.native`)."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qs, urlsplit

from aiohttp.test_utils import TestClient

from adapters.native.partner.web.scopes import SCOPES

REDIRECT_URI = "http://127.0.0.1:9/callback"
ALL_SCOPES = " ".join(SCOPES)


@dataclass
class Connection:
    client_id: str
    access_token: str
    refresh_token: str | None
    scope: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def pkce_pair() -> tuple[str, str]:
    """``(code_verifier, code_challenge)`` for S256 (RFC 7636 §4.1-4.2)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


async def register(client: TestClient, *, name: str = "Firm Tool", public: bool = True) -> dict:
    body = {"client_name": name, "redirect_uris": [REDIRECT_URI],
            "grant_types": ["authorization_code", "refresh_token"],
            "token_endpoint_auth_method": "none" if public else "client_secret_basic"}
    resp = await client.post("/ledger/api/oauth/register", json=body)
    data = await resp.json()
    assert resp.status == 201, data
    return data


def hidden_fields(html: str) -> dict[str, str]:
    return {m.group(1): unescape(m.group(2))
            for m in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)}


async def authorize(client: TestClient, client_id: str, *, scope: str, email: str, password: str,
                    decision: str = "allow", challenge: str | None = None, state: str = "st-1"):
    """Open the consent page and submit it; the POST's response (a 302 on success)."""
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT_URI, "scope": scope,
             "state": state}
    if challenge is not None:
        query |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    page = await client.get("/ledger/api/oauth/authorize", params=query)
    html = await page.text()
    assert page.status == 200, html
    form = hidden_fields(html) | {"email": email, "password": password, "decision": decision}
    return await client.post("/ledger/api/oauth/authorize", data=form, allow_redirects=False)


def redirect_params(location: str) -> dict[str, str]:
    assert location.startswith(REDIRECT_URI), location
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


async def connect(client: TestClient, *, email: str, password: str, scope: str = ALL_SCOPES,
                  name: str = "Firm Tool") -> Connection:
    """Register a public client and run the whole authorization code + PKCE flow as ``email``."""
    registered = await register(client, name=name)
    verifier, challenge = pkce_pair()
    resp = await authorize(client, registered["client_id"], scope=scope, email=email, password=password,
                           challenge=challenge)
    assert resp.status == 302, await resp.text()
    params = redirect_params(resp.headers["Location"])
    assert params["state"] == "st-1"
    token = await client.post("/ledger/api/oauth/token", data={
        "grant_type": "authorization_code", "code": params["code"], "redirect_uri": REDIRECT_URI,
        "client_id": registered["client_id"], "code_verifier": verifier})
    data = await token.json()
    assert token.status == 200, data
    return Connection(client_id=registered["client_id"], access_token=data["access_token"],
                      refresh_token=data.get("refresh_token"), scope=data["scope"])
