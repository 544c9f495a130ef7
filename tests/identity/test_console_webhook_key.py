"""Rotating an app's webhook key from the console over plain HTTP (issue 15): the CLI's ``webhooks rotate-key``
behind a CSRF token and a fresh TOTP code, the new key shown once and used from then on."""

from __future__ import annotations

import re

from gateway.store.crypto import SecretBox
from gateway.webhooks import subscriptions
from gateway.webhooks.models import WebhookSubscription

from .helpers import first_form, hidden_fields
from .test_console_guard import _operator, _sign_in, cheap_hashes  # noqa: F401 - cheap_hashes: an autouse fixture

SHOWN_KEY = re.compile(r'<code id="shown-webhook-key">([^<]+)</code>')


async def _stored_key(gw, box: SecretBox, client_id: str) -> str:
    async with gw.state.db.session() as s:
        return box.decrypt((await s.get(WebhookSubscription, client_id)).key_sealed)


async def test_rotating_the_webhook_key_needs_a_fresh_code_and_shows_the_new_key_once(gw):
    totp = await _operator(gw)
    app = await gw.create_app()
    box = SecretBox.from_data_dir(gw.state.settings.data_dir)
    created = await subscriptions.set_subscription(gw.state.db, box, app["client_id"],
                                                   url="https://partner.example/webhooks", events="INVOICE")
    old_key = created["webhook_key"]
    assert (await _sign_in(gw, totp)).status == 303
    page = await gw.client.get("/admin/apps")
    html = await page.text()
    action = f"/admin/apps/{app['client_id']}/rotate-webhook-key"
    assert f'action="{action}"' in html
    csrf = hidden_fields(first_form(html))["csrf_token"]

    refused = await gw.client.post(action, data={"csrf_token": csrf}, allow_redirects=False)
    assert refused.status == 403 and SHOWN_KEY.search(await refused.text()) is None
    assert await _stored_key(gw, box, app["client_id"]) == old_key

    gw.state.clock.advance(30)  # the sign-in's code is spent (RFC 6238 §5.2)
    rotated = await gw.client.post(action, data={"csrf_token": csrf, "totp": totp.at(gw.state.clock.time())},
                                   allow_redirects=False)
    assert rotated.status == 200 and rotated.headers["Cache-Control"] == "no-store"
    shown = SHOWN_KEY.search(await rotated.text())
    assert shown is not None and shown.group(1) != old_key
    assert await _stored_key(gw, box, app["client_id"]) == shown.group(1)
    assert SHOWN_KEY.search(await (await gw.client.get("/admin/apps")).text()) is None  # shown once

    gw.state.clock.advance(30)
    unknown = await gw.client.post("/admin/apps/no-such-app/rotate-webhook-key", allow_redirects=False,
                                   data={"csrf_token": csrf, "totp": totp.at(gw.state.clock.time())})
    assert unknown.status == 400 and "has no webhook" in await unknown.text()
