"""Webhook keys, signatures and entropy, as Xero makes them.

- The key is the developer portal's 88-character base64-looking string (64 random bytes, base64), **used as text**:
  its UTF-8 bytes are the HMAC key, it is never base64-decoded (shared/notes/webhooks.md §3).
- ``x-xero-signature`` is ``base64(HMAC-SHA256(key, raw body bytes))``
  (https://developer.xero.com/documentation/webhooks/configuring-your-server).
- ``entropy`` is a random string; observed deliveries use 20 upper-case letters.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string

#: The request header carrying the signature.
SIGNATURE_HEADER = "x-xero-signature"
KEY_BYTES = 64  # base64 of 64 bytes is 88 characters, the portal key's length
ENTROPY_LENGTH = 20


def new_webhook_key() -> str:
    """A fresh webhook key: 88 characters of standard base64 (64 random bytes)."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def sign(body: bytes, key: str) -> str:
    """``x-xero-signature`` of ``body`` (the raw bytes sent) with ``key`` (text, UTF-8 encoded)."""
    return base64.b64encode(hmac.new(key.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")


def new_entropy() -> str:
    """20 random upper-case ASCII letters."""
    return "".join(secrets.choice(string.ascii_uppercase) for _ in range(ENTROPY_LENGTH))
