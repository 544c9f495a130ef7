"""Partner API errors → Xero errors (``{"error": {"code", "message", "retryable"}}``, ``docs/partner-api.md``).

``validation_failed``, ``accounting_period_locked``, ``invalid_request``, ``idempotency_conflict`` → Xero's 400
``ValidationException`` with the partner's message; ``not_found`` → 404; ``missing_scope``/``forbidden`` → 403
``Forbidden``; ``ledger_busy``, ``idempotency_in_progress`` and 5xx → 503 ``ServiceUnavailable``-style
:class:`PartnerUnavailable`.
"""

from __future__ import annotations

from typing import Any

from gateway.xero.errors import Forbidden, NotFound, ValidationException, XeroApiError

SYSTEM_NAME = "Partner Bookkeeping API ledger"


class PartnerUnavailable(XeroApiError):
    """HTTP 503, plain text: the remote ledger is busy or unreachable (retry later)."""

    status = 503

    def body(self) -> str:
        return self.message


def to_xero(status: int, data: Any, *, method: str, path: str) -> XeroApiError:
    """The Xero error for a partner error answer."""
    error = data.get("error") if isinstance(data, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    message = (error.get("message") if isinstance(error, dict) else None) or f"{method} {path}: HTTP {status}"
    if code == "not_found" or status == 404:
        return NotFound()
    if code in ("missing_scope", "forbidden") or status == 403:
        return Forbidden(f"{SYSTEM_NAME}: {message}")
    if status >= 500 or code in ("ledger_busy", "idempotency_in_progress"):
        return PartnerUnavailable(f"The service is temporarily unavailable: {SYSTEM_NAME}: {message}")
    return ValidationException.single(message)
