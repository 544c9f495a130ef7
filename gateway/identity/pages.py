"""The sign-in, consent and error pages: plain HTML forms from ``templates/``, every value HTML-escaped.

Templates use :class:`string.Template` placeholders (``$name``); this module escapes every value before
substitution, and builds the few repeated fragments (scope list, tenant checkboxes) itself, escaped as well.
Responses are never cached and may not be framed (clickjacking defence for the consent page).
"""

from __future__ import annotations

from functools import cache
from html import escape
from pathlib import Path
from string import Template

from aiohttp import web

from adapters.base import Tenant
from gateway.settings import SOURCE_CODES

from .consent import Permission

TEMPLATES = Path(__file__).resolve().parent / "templates"

_HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
}


@cache
def _template(name: str) -> Template:
    return Template((TEMPLATES / f"{name}.html").read_text(encoding="utf-8"))


def _page(title: str, body: str, *, status: int = 200, head: str = "") -> web.Response:
    html = _template("base").substitute(title=escape(title), body=body, head=head)
    return web.Response(status=status, text=html, content_type="text/html", charset="utf-8", headers=_HEADERS)


def _fill(name: str, *, raw: dict[str, str] | None = None, **values: str) -> str:
    """Substitute escaped ``values`` and the already-escaped HTML fragments of ``raw`` into a template."""
    return _template(name).substitute({k: escape(v, quote=True) for k, v in values.items()}, **(raw or {}))


def _message(text: str) -> str:
    return f'<p class="error" role="alert">{escape(text)}</p>' if text else ""


def source_label(code: str) -> str:
    return SOURCE_CODES.get(code, code)


def login_page(*, code: str, action: str, csrf_token: str, authorize: str, email: str = "", message: str = "",
               status: int = 200) -> web.Response:
    """The sign-in form (``email``, ``password``, hidden ``csrf_token`` and ``authorize`` query)."""
    body = _fill("login", source=source_label(code), action=action, csrf_token=csrf_token, authorize=authorize,
                 email=email, raw={"message": _message(message)})
    return _page("Sign in", body, status=status)


def totp_page(*, code: str, action: str, csrf_token: str, authorize: str, issuer: str, message: str = "",
              status: int = 200) -> web.Response:
    """The second step of signing in for a user with a TOTP second factor: the code (``totp``), hidden
    ``csrf_token`` and ``authorize`` query."""
    body = _fill("login_totp", source=source_label(code), action=action, csrf_token=csrf_token, authorize=authorize,
                 issuer=issuer, raw={"message": _message(message)})
    return _page("Authentication code", body, status=status)


def _permission_item(permission: Permission, ticked: bool) -> str:
    scope = escape(permission.scope, quote=True)
    if permission.fixed:  # never submitted: the server keeps it (gateway.identity.consent)
        box = f'<input type="checkbox" name="scope" value="{scope}" checked disabled>'
        note = " <small>(needed to sign you in)</small>"
    else:
        box = f'<input type="checkbox" name="scope" value="{scope}"{" checked" if ticked else ""}>'
        note = ""
    return f"<li><label>{box} {escape(permission.words)} <code>{scope}</code>{note}</label></li>"


def consent_page(*, code: str, action: str, csrf_token: str, authorize: str, app_name: str, email: str,
                 permissions: list[Permission], tenants: list[Tenant], tenants_required: bool,
                 ticked: set[str] | None = None, message: str = "", status: int = 200) -> web.Response:
    """The consent form: the app's name, each requested permission in words with a checkbox (``scope``; the
    sign-in ones ticked and disabled), one checkbox per tenant the user may grant, and Allow/Deny buttons
    (``decision=approve|deny``). ``ticked``: the permissions to show ticked (default: all)."""
    scope_items = "\n".join(_permission_item(p, ticked is None or p.scope in ticked) for p in permissions)
    if tenants:
        boxes = "\n".join(
            f'<label><input type="checkbox" name="tenant" value="{escape(t.tenant_id, quote=True)}" checked> '
            f"{escape(t.name)}</label>" for t in tenants)
        tenant_html = f"<fieldset><legend>Organisations to connect</legend>\n{boxes}\n</fieldset>"
    elif tenants_required:
        tenant_html = '<p class="error">You have no organisation this application could connect to.</p>'
    else:
        tenant_html = ""
    body = _fill("consent", app_name=app_name, email=email, source=source_label(code), action=action,
                 csrf_token=csrf_token, authorize=authorize,
                 raw={"scopes": scope_items, "tenants": tenant_html, "message": _message(message)})
    return _page("Allow access", body, status=status)


def error_page(message: str, *, detail: str = "", status: int = 400,
               heading: str = "This request cannot be completed") -> web.Response:
    """An error shown to the person in the browser (never a redirect to an unverified client)."""
    return _page(heading, _fill("error", heading=heading, message=message, detail=detail), status=status)


def pairing_page(*, code: str, app_name: str, pairing_code: str, command: str, action: str,
                 refresh_seconds: int = 3) -> web.Response:
    """The page of an agent-connected source (Sage 50) while the pairing code waits for the agent: the code (in an
    element with ``data-pairing-code``), the command to run on the PC, a self-refresh and a "Continue" button for
    browsers without automatic refresh (a plain GET form)."""
    body = _fill("pairing", app_name=app_name, source=source_label(code), pairing_code=pairing_code,
                 command=command, action=action)
    return _page("Connect your books", body, head=f'<meta http-equiv="refresh" content="{int(refresh_seconds)}">')


def pairing_consent_page(*, code: str, action: str, csrf_token: str, app_name: str, agent_name: str,
                         scopes: list[str], tenants: list[Tenant], tenants_required: bool, message: str = "",
                         status: int = 200) -> web.Response:
    """The consent form once an agent confirmed the pairing code: the companies that agent serves (one checkbox
    each), the requested scopes, Allow/Deny (``decision=approve|deny``)."""
    scope_items = "\n".join(f"<li><code>{escape(s)}</code></li>" for s in scopes)
    if tenants:
        boxes = "\n".join(
            f'<label><input type="checkbox" name="tenant" value="{escape(t.tenant_id, quote=True)}" checked> '
            f"{escape(t.name)}</label>" for t in tenants)
        tenant_html = f"<fieldset><legend>Companies to connect</legend>\n{boxes}\n</fieldset>"
    elif tenants_required:
        tenant_html = '<p class="error">The connector on that PC serves no company yet.</p>'
    else:
        tenant_html = ""
    body = _fill("pairing_consent", app_name=app_name, agent_name=agent_name, source=source_label(code),
                 action=action, csrf_token=csrf_token,
                 raw={"scopes": scope_items, "tenants": tenant_html, "message": _message(message)})
    return _page("Allow access", body, status=status)


def source_chooser_page(*, action: str, authorize: str, app_name: str, sources: list[str]) -> web.Response:
    """Host mode's first page (gateway/identity/views_source.py): one button per configured source
    (``source=<code>``), carrying the authorize query (``authorize``) on a plain GET form."""
    choices = "\n".join(
        f'<p><button class="primary" type="submit" name="source" value="{escape(code, quote=True)}">'
        f"{escape(source_label(code))}</button></p>" for code in sources)
    body = _fill("source_chooser", app_name=app_name, action=action, authorize=authorize,
                 raw={"choices": choices})
    return _page("Connect your accounting system", body)
