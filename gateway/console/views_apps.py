"""``/admin/apps``: list, create (each kind), rotate, revoke, delete, restore, expiry, webhook subscription and
webhook key rotation.

Rotating the secret or the webhook key, revoking and deleting ask for a fresh TOTP code
(:func:`.auth.require_fresh_code`). A client secret (and a
webhook key) appears once, in the answer to the POST that made it (``Cache-Control: no-store``), and nowhere else.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from gateway.identity import apps
from gateway.identity.scopes import IDENTITY_SCOPES
from gateway.settings import SOURCE_CODES
from gateway.webhooks import subscriptions
from gateway.xero.guids import normalise_guid

from . import forms
from .auth import FreshCodeRequired, actor, operator, require_fresh_code, see_other
from .render import page
from .state import CONSOLE

FRESH_CODE_MESSAGE = "This action needs a new code from your authenticator app."


async def _listing(request: web.Request, *, error: str | None = None, shown: dict[str, Any] | None = None,
                   notice: str | None = None, status: int = 200) -> web.Response:
    state = request.app[CONSOLE]
    now = state.identity.clock.now()
    listed = await apps.list_apps(state.db, now=now)
    hooks = {}
    for app in listed:
        try:
            hooks[app["client_id"]] = await subscriptions.show(state.db, app["client_id"])
        except LookupError:
            pass
    scopes = [s for s in state.identity.scopes.known if s not in IDENTITY_SCOPES]
    return page(request, "apps.html", {"apps": listed, "kinds": apps.KINDS, "scopes": scopes, "hooks": hooks,
                                       "codes": SOURCE_CODES, "error": error, "shown": shown, "notice": notice},
                status=status)


@operator
async def list_apps(request: web.Request) -> web.StreamResponse:
    return await _listing(request)


async def _served_tenant(request: web.Request, code: str | None, tenant_id: str | None) -> None:
    if not code or not tenant_id:
        raise ValueError("a custom connection needs a source and a tenant id")
    adapter = await request.app[CONSOLE].identity.sources.get(code)
    if normalise_guid(tenant_id) not in {normalise_guid(t.tenant_id) for t in await adapter.list_tenants()}:
        raise ValueError(f"tenant {tenant_id} is not served by source {code}")


@operator
async def create(request: web.Request) -> web.StreamResponse:
    state = request.app[CONSOLE]
    form = await request.post()
    try:
        fields = forms.new_app(form)
        if fields["custom_connection"]:
            await _served_tenant(request, fields["code"], fields["tenant_id"])
        created = await apps.create_app(state.db, **fields, now=state.identity.clock.now(), **actor(request))
    except ValueError as exc:
        return await _listing(request, error=str(exc), status=400)
    return await _listing(request, shown={"title": f"App {fields['name']!r} created", **created},
                          notice="Copy the client secret now: it is not shown again." if created["client_secret"]
                          else "A public app has no client secret: it uses PKCE.")


def _action(name: str, *, fresh: bool):
    @operator
    async def handler(request: web.Request) -> web.StreamResponse:
        state = request.app[CONSOLE]
        client_id = request.match_info["client_id"]
        who = {**actor(request), "now": state.identity.clock.now()}
        form = await request.post()
        try:
            if fresh:
                await require_fresh_code(request)
            if name == "rotate":
                rotated = await apps.rotate_secret(state.db, client_id, **who)
                return await _listing(request, shown={"title": "Client secret rotated", **rotated},
                                      notice="Copy the new client secret now: it is not shown again.")
            if name == "revoke":
                await apps.revoke_app(state.db, client_id, **who)
            elif name == "delete":
                await apps.delete_app(state.db, client_id, **who)
            elif name == "restore":
                await apps.restore_app(state.db, client_id, **who)
            elif name == "expiry":
                await apps.set_expiry(state.db, client_id, forms.expiry(form), **who)
            elif name == "webhook":
                hook = await subscriptions.set_subscription(
                    state.db, state.box, client_id, url=str(form.get("url", "")) or None,
                    events=str(form.get("events", "")) or None)
                if "webhook_key" in hook:
                    return await _listing(request, shown={"title": "Webhook created", "client_id": client_id,
                                                          "webhook_key": hook["webhook_key"]},
                                          notice="Copy the webhook key now: it is not shown again.")
            elif name == "rotate-webhook-key":  # as `xero-gateway webhooks rotate-key`
                hook = await subscriptions.rotate_key(state.db, state.box, client_id)
                return await _listing(request, shown={"title": "Webhook key rotated", "client_id": client_id,
                                                      "webhook_key": hook["webhook_key"]},
                                      notice="Copy the new webhook key now: it is not shown again.")
        except FreshCodeRequired:
            return await _listing(request, error=FRESH_CODE_MESSAGE, status=403)
        except (ValueError, LookupError) as exc:
            return await _listing(request, error=str(exc), status=400)
        return see_other("/admin/apps")

    handler.__name__ = f"app_{name}"
    return handler


#: Actions that ask for a fresh TOTP code (issue 15: rotate, revoke, delete, secrets).
SENSITIVE = ("rotate", "revoke", "delete", "rotate-webhook-key")
ACTIONS = {name: _action(name, fresh=name in SENSITIVE)
           for name in ("rotate", "revoke", "delete", "restore", "expiry", "webhook", "rotate-webhook-key")}
