"""Drive the gateway's sign-in and consent pages over plain HTTP, as a person in a browser would.

Forms are read with the standard library's HTML parser; nothing about field names is assumed beyond HTML
semantics: ``type=email``/``type=password`` inputs get the credentials, hidden inputs (CSRF token, request
state) are sent back, tenant checkboxes are ticked, and the submit button whose value or name says
approve/allow (or deny) is pressed.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlparse

import requests


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get").lower(),
                               "inputs": []})
        elif tag in ("input", "button") and self.forms:
            a.setdefault("type", "submit" if tag == "button" else "text")
            self.forms[-1]["inputs"].append(a)


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def _submit(session: requests.Session, page_url: str, html: str, *, email: str, password: str,
            approve: bool) -> requests.Response:
    parser = _Forms()
    parser.feed(html)
    assert parser.forms, f"no form on {page_url}:\n{html[:2000]}"
    form = parser.forms[0]
    data: list[tuple[str, str]] = []
    buttons = []
    for field in form["inputs"]:
        kind, name = field["type"].lower(), field.get("name", "")
        if kind in ("submit", "button"):
            buttons.append(field)
        elif kind == "email" or (kind == "text" and "email" in name.lower()):
            data.append((name, email))
        elif kind == "password":
            data.append((name, password))
        elif kind == "checkbox":
            data.append((name, field.get("value", "on")))
        elif name:
            data.append((name, field.get("value", "")))
    wanted = ("approve", "allow", "accept", "yes") if approve else ("deny", "cancel", "reject", "no")
    pressed = next((b for b in buttons if any(w in (b.get("value", "") + b.get("name", "")).lower()
                                               for w in wanted)), None)
    if pressed is None and approve and buttons:
        pressed = buttons[0]
    if pressed is not None and pressed.get("name"):
        data.append((pressed["name"], pressed.get("value", "")))
    action = urljoin(page_url, form["action"] or page_url)
    if form["method"] == "post":
        return session.post(action, data=data, allow_redirects=False, timeout=30)
    return session.get(action, params=data, allow_redirects=False, timeout=30)


def authorize(gw: str, *, client_id: str, redirect_uri: str, scope: str, state: str, challenge: str,
              email: str, password: str, approve: bool = True, max_steps: int = 8) -> dict[str, list[str]]:
    """Run the browser part of the authorization-code flow; return the callback's query parameters."""
    session = requests.Session()
    response = session.get(f"{gw}/identity/connect/authorize", allow_redirects=False, timeout=30, params={
        "response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri, "scope": scope,
        "state": state, "code_challenge": challenge, "code_challenge_method": "S256"})
    url = response.url
    for _ in range(max_steps):
        if response.status_code in (301, 302, 303, 307, 308):
            location = urljoin(url, response.headers["Location"])
            if location.startswith(redirect_uri):
                return parse_qs(urlparse(location).query)
            url = location
            response = session.get(location, allow_redirects=False, timeout=30)
            continue
        assert response.status_code == 200, f"{response.status_code} at {url}: {response.text[:1000]}"
        response = _submit(session, url, response.text, email=email, password=password, approve=approve)
    raise AssertionError("the authorization flow did not reach the redirect URI")
