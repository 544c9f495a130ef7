"""A source that refuses the gateway's refresh token leaves one ``reauthorisation_needed`` row in the operators'
activity log (issue 15), naming the source and never the token."""

from __future__ import annotations

from gateway.appkeys import DB
from gateway.store import activity

from .test_tokens import TENANT


async def test_reauthorisation_needed_is_logged_once(env):
    _, tokens = await env.connected("1004")
    env.fake.revoke_grants()  # the user disconnected the app at the source
    env.advance(3600 + 10)
    for _ in range(2):
        assert (await env.organisation(tokens["access_token"], TENANT)).status == 401
    rows = await activity.query(env.client.app[DB], kind="reauthorisation_needed")
    assert [(r.source_code, r.actor) for r in rows] == [("1004", "gateway")]
    assert tokens["access_token"] not in rows[0].detail and tokens["refresh_token"] not in rows[0].detail
