"""Intuit's webhooks for QuickBooks Online, received at ``POST /{code}/webhooks/intuit`` (the source whose change
table declares ``push = "intuit"``: 1004).

Intuit signs each notification with the app's **verifier token**: header ``intuit-signature`` = base64 of
HMAC-SHA256 over the raw request body, keyed with the token (Intuit developer guide, "Webhooks": "Hash the
notification payload with HMAC_SHA256_ALGORITHM using your verifier token as the key … compare to the
intuit-signature header"). The body is ``{"eventNotifications": [{"realmId": "…", "dataChangeEvent": {"entities":
[{"name", "id", "operation", "lastUpdated"}]}}]}``.

A verified notification only makes each named realm's tenant due for an immediate Change Data Capture poll
(:func:`.polls.poll_now`): the poll reads the changed records (their status, their creation time) and moves the same
watermark as the scheduled polls, so a change is announced once whether it came by notification, by schedule, or
both, and a notification Intuit never sent is caught by the next scheduled poll. The answer is an empty 200, as
Intuit expects, fast (Intuit retries a notification not answered within 3 seconds).

The operator stores the token with ``xero-gateway sources set 1004 … --webhook-verifier-token TOKEN``; it is sealed
at rest with the gateway's secret box, like the developer app's client secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

import structlog
from aiohttp import web
from sqlalchemy import select

import mappings
from adapters.base import upstream_tenant_id
from gateway import appkeys
from gateway.store.crypto import SecretBox
from gateway.store.db import Database
from gateway.xero.errors import NotFound, PostDataInvalidException, Unauthorized

from . import polls
from .detectors import DETECTORS
from .models import SourceVerifier

log = structlog.get_logger("gateway.webhooks")

#: The push protocol this module speaks (``push`` in ``mappings/webhook_changes.toml``).
PUSH = "intuit"
SIGNATURE_HEADER = "intuit-signature"


def intuit_signature(raw_body: bytes, verifier_token: str) -> str:
    """``base64(HMAC-SHA256(key=verifier token as UTF-8, msg=raw body))``: Intuit's ``intuit-signature``."""
    digest = hmac.new(verifier_token.encode("utf-8"), raw_body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def push_codes() -> set[str]:
    """The source codes whose upstream pushes Intuit's notifications."""
    return {code for code, section in mappings.load("webhook_changes").items() if section.get("push") == PUSH}


async def set_verifier_token(db: Database, box: SecretBox, code: str, token: str) -> None:
    """Store (seal) the operator's verifier token of ``code``.

    Raises:
        ValueError: ``code`` does not receive Intuit's webhooks, or the token is empty or longer than 500 characters.
    """
    if code not in push_codes():
        raise ValueError(f"source {code} does not send Intuit webhooks; only {', '.join(sorted(push_codes()))} do")
    token = token.strip()
    if not token or len(token) > 500:
        raise ValueError("the webhook verifier token must be 1 to 500 characters")
    now = datetime.now(UTC)
    async with db.session() as s, s.begin():
        row = await s.get(SourceVerifier, code)
        if row is None:
            s.add(SourceVerifier(code=code, verifier_token_sealed=box.encrypt(token), updated_at=now))
        else:
            row.verifier_token_sealed = box.encrypt(token)
            row.updated_at = now


async def verifier_token(db: Database, box: SecretBox, code: str) -> str | None:
    """The verifier token of ``code``, or ``None`` when the operator has not set one."""
    async with db.session() as s:
        sealed = await s.scalar(select(SourceVerifier.verifier_token_sealed).where(SourceVerifier.code == code))
    return box.decrypt(sealed) if sealed else None


def _realms(body: object) -> list[str]:
    if not isinstance(body, dict) or not isinstance(body.get("eventNotifications"), list):
        raise PostDataInvalidException("an Intuit notification needs eventNotifications")
    realms = []
    for note in body["eventNotifications"]:
        realm = note.get("realmId") if isinstance(note, dict) else None
        if not isinstance(realm, str) or not realm:
            raise PostDataInvalidException("every eventNotifications item needs a realmId")
        realms.append(realm)
    return realms


async def receive(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``POST /{code}/webhooks/intuit``: verify, make the realms' tenants due, answer an empty 200.

    Raises:
        NotFound: ``code`` does not receive Intuit's webhooks.
        Unauthorized: no verifier token is set, or ``intuit-signature`` does not match the body (401).
        PostDataInvalidException: a signed body that is not an Intuit notification (400).
    """
    if code not in push_codes():
        raise NotFound()
    raw = await request.read()
    settings = request.app[appkeys.SETTINGS]
    db = request.app[appkeys.DB]
    token = await verifier_token(db, SecretBox.from_data_dir(settings.data_dir), code)
    received = request.headers.get(SIGNATURE_HEADER, "")
    if token is None or not hmac.compare_digest(intuit_signature(raw, token), received):
        log.warning("intuit_webhook_refused", source_code=code, configured=token is not None)
        raise Unauthorized("the intuit-signature header does not match the body")
    try:
        realms = _realms(json.loads(raw))
    except ValueError as exc:
        raise PostDataInvalidException("the Intuit notification is not JSON") from exc
    due = await polls.poll_now(db, code, [upstream_tenant_id(code, realm) for realm in realms],
                               now=datetime.now(UTC))
    if due and DETECTORS in request.app:
        request.app[DETECTORS].wake()
    return web.Response(status=200)
