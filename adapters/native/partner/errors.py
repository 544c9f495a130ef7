"""The partner API's one error type: ``{"error": {"code", "message", "retryable"}}`` with an HTTP status.

Codes are the partner API's own (issue 16; ``docs/partner-api.md``, ``adapters/native/partner/web/openapi.json``
``components.schemas.Error``): ``invalid_request``, ``invalid_token``, ``missing_scope``, ``not_found``,
``idempotency_key_required``, ``idempotency_conflict``, ``accounting_period_locked``, ``validation_failed``,
``ledger_busy``.
"""

from __future__ import annotations

from typing import Any

#: Every error code the partner API answers, with its HTTP status and whether a retry may succeed.
CODES: dict[str, tuple[int, bool]] = {
    "invalid_request": (400, False),
    "validation_failed": (422, False),
    "invalid_token": (401, False),
    "missing_scope": (403, False),
    "forbidden": (403, False),
    "not_found": (404, False),
    "idempotency_key_required": (400, False),
    "idempotency_conflict": (409, False),
    "idempotency_in_progress": (409, True),
    "accounting_period_locked": (422, False),
    "ledger_busy": (503, True),
}


class PartnerError(Exception):
    """A partner API error.

    Args:
        code: one of :data:`CODES` (its status and ``retryable`` come from there).
        message: human-readable detail.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status, self.retryable = CODES[code]

    def body(self) -> dict[str, Any]:
        """The wire form ``{"error": {"code", "message", "retryable"}}``."""
        return {"error": {"code": self.code, "message": self.message, "retryable": self.retryable}}
