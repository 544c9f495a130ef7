"""Intent to receive, run as Xero runs it (https://developer.xero.com/documentation/webhooks/configuring-your-server).

A series of POSTs with empty ``events`` and sequences 0, some signed with the webhook key and some with another
key, in random order. The receiver must answer every correctly signed one with 200, no body and no cookie, and
every incorrectly signed one with 401, each within the timeout (5 s). The first failure is reported with the
developer portal's string (shared/notes/webhooks.md §4); the cookie string is this gateway's (the portal's wording
for it is not documented).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import aiohttp

from .events import intent_to_receive_body
from .signing import new_entropy, new_webhook_key, sign
from .transport import post_signed

NOT_200 = "Response not 200"
HAS_BODY = "Response contains a body"
BAD_SIGNATURE_NOT_401 = "Response to incorrectly signed payload not 401"
HAS_COOKIE = "Response contains a cookie"  # ours: the rule is Xero's, the portal's wording is not documented

#: Correctly and incorrectly signed requests per run.
GOOD_REQUESTS = 2
BAD_REQUESTS = 2


@dataclass(frozen=True)
class IntentResult:
    """``passed``, or the portal's ``failure`` string with a ``detail`` for the operator."""

    passed: bool
    failure: str | None = None
    detail: str | None = None


async def intent_to_receive(http: aiohttp.ClientSession, url: str, key: str) -> IntentResult:
    """Run one intent-to-receive series against ``url``.

    Args:
        http: a session from :func:`gateway.webhooks.transport.client_session` (its timeout applies per request).
        url: the subscription's URL.
        key: the webhook key (text).

    Returns:
        The outcome; the series stops at the first failure.
    """
    plan = [True] * GOOD_REQUESTS + [False] * BAD_REQUESTS
    secrets.SystemRandom().shuffle(plan)
    for correctly_signed in plan:
        body = intent_to_receive_body(new_entropy())
        reply = await post_signed(http, url, body, sign(body, key if correctly_signed else new_webhook_key()))
        if reply.status is None:  # no answer at all (timeout, refused): whichever the signature, not a 200
            return IntentResult(False, NOT_200, reply.error)
        if correctly_signed:
            if reply.status != 200:
                return IntentResult(False, NOT_200, reply.error or f"HTTP {reply.status} to a correctly signed request")
            if reply.body:
                return IntentResult(False, HAS_BODY, f"{len(reply.body)} bytes to a correctly signed request")
            if reply.sets_cookie:
                return IntentResult(False, HAS_COOKIE, "Set-Cookie in the answer to a correctly signed request")
        elif reply.status != 401:
            return IntentResult(False, BAD_SIGNATURE_NOT_401,
                                reply.error or f"HTTP {reply.status} to an incorrectly signed request")
    return IntentResult(True)
