"""One signed POST to a receiver, and what came back; the only module here that speaks HTTP.

Xero's request: ``POST``, ``Content-Type: application/json; charset=utf-8``, ``x-xero-signature``, the raw body
bytes (https://developer.xero.com/documentation/webhooks/configuring-your-server). Redirects are not followed and
no cookie is kept: a receiver must answer the URL it registered, with no cookies.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aiohttp

from .signing import SIGNATURE_HEADER

CONTENT_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Reply:
    """A receiver's answer: ``status`` ``None`` when there was none (``error`` says why: timeout, refused…)."""

    status: int | None
    body: bytes = b""
    sets_cookie: bool = False
    error: str | None = None


def client_session(timeout: float) -> aiohttp.ClientSession:
    """A client session for deliveries: ``timeout`` seconds for the whole exchange, no cookie jar."""
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout), cookie_jar=aiohttp.DummyCookieJar())


async def post_signed(http: aiohttp.ClientSession, url: str, body: bytes, signature: str) -> Reply:
    """POST ``body`` with ``signature``; never raises for the receiver's failures (they become a :class:`Reply`)."""
    headers = {"Content-Type": CONTENT_TYPE, SIGNATURE_HEADER: signature}
    try:
        async with http.post(url, data=body, headers=headers, allow_redirects=False) as resp:
            content = await resp.read()
            return Reply(status=resp.status, body=content, sets_cookie="Set-Cookie" in resp.headers)
    except TimeoutError:
        return Reply(status=None, error="no response within the timeout")
    except (aiohttp.ClientError, OSError, asyncio.IncompleteReadError) as exc:
        return Reply(status=None, error=f"{type(exc).__name__}: {exc}")
