"""Sage Accounting's error answers → the gateway's Xero errors.

Sage answers errors as a JSON array of messages (upstream-contracts.md §2 "Errors")::

    [{"$severity": "error", "$dataCode": "RecordInvalid", "$message": "…", "$source": "line_items.tax_rate_id"}]

Data codes seen there: ``RecordInvalid``, ``RecordNotFound``, ``AuthorizationFailure`` ("No active subscription.
(MSE)"), ``MultiUserAccessDenied`` (403). :func:`parse_error` reads the array (also a single object, or anything
else, which gives an error carrying the status only); :func:`to_xero_error` chooses the Xero answer, always keeping
Sage's own message in the text:

- HTTP 429 → :class:`gateway.xero.errors.RateLimited` with ``Retry-After`` (Sage's header when it sends one, else
  60 s: Sage's documented limits are per minute, upstream-contracts.md §2 "Rate limits") and
  ``X-Rate-Limit-Problem: minute`` (xero-contract.md §3, 429 row);
- 5xx → :class:`SageUnavailable` (503, plain text, the status Xero answers when it cannot serve; xero-contract.md §3);
- 403 or ``AuthorizationFailure``/``MultiUserAccessDenied`` → :class:`gateway.xero.errors.Forbidden`
  ``AuthorizationUnsuccessful: …`` (xero-contract.md §3, 403 row);
- 404 or ``RecordNotFound`` on a read of one record → :class:`gateway.xero.errors.NotFound`;
- everything else → :class:`gateway.xero.errors.ValidationException` echoing the Xero element being written, one
  ``ValidationErrors`` message per Sage message: Sage's ``$message`` verbatim, followed by `` ($source)`` when Sage
  names the field.

The exception classes of this adapter are drawn here: :class:`SageError` (internal, never shown as such) and
:class:`SageUnavailable` (503 to the client).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from gateway.xero.errors import Forbidden, NotFound, RateLimited, ValidationException, XeroApiError, element_with_errors

#: Seconds a client is told to wait after a Sage 429 that carries no ``Retry-After``.
DEFAULT_RETRY_AFTER = 60
NOT_FOUND_CODES = frozenset({"RecordNotFound"})
FORBIDDEN_CODES = frozenset({"AuthorizationFailure", "MultiUserAccessDenied"})


@dataclass(frozen=True)
class SageMessage:
    """One entry of Sage's error array."""

    severity: str = "error"
    data_code: str = ""
    message: str = ""
    source: str = ""

    def text(self) -> str:
        """Sage's message, with the field it names: ``"Tax rate is invalid (line_items.tax_rate_id)"``."""
        message = self.message or self.data_code or "Sage Accounting rejected the request"
        return f"{message} ({self.source})" if self.source else message


@dataclass
class SageError(Exception):
    """A Sage error answer (internal; :func:`to_xero_error` turns it into what the client sees).

    Attributes:
        status: Sage's HTTP status.
        messages: the entries of Sage's error array (at least one).
        retry_after: Sage's ``Retry-After`` in seconds, when sent.
    """

    status: int
    messages: list[SageMessage] = field(default_factory=list)
    retry_after: int | None = None

    def __post_init__(self) -> None:
        if not self.messages:
            self.messages = [SageMessage(data_code=str(self.status), message=f"HTTP {self.status}")]
        super().__init__(self.text())

    @property
    def codes(self) -> set[str]:
        return {m.data_code for m in self.messages}

    def text(self) -> str:
        return "; ".join(m.text() for m in self.messages)


class SageUnavailable(XeroApiError):
    """HTTP 503, plain text: Sage Accounting could not serve the call (5xx, timeout, connection error), after the
    bounded retries an idempotent call gets."""

    status = 503

    def __init__(self, reason: str) -> None:
        super().__init__(f"The service is temporarily unavailable: Sage Accounting did not answer ({reason}). "
                         "Try again later.")

    def body(self) -> str:
        return self.message


def _message(entry: Any) -> SageMessage | None:
    if not isinstance(entry, dict):
        return None
    return SageMessage(severity=str(entry.get("$severity") or "error"), data_code=str(entry.get("$dataCode") or ""),
                       message=str(entry.get("$message") or ""), source=str(entry.get("$source") or ""))


def parse_error(status: int, body: bytes | str, *, retry_after: str | None = None) -> SageError:
    """Read a Sage error answer; never raises.

    Args:
        status: the HTTP status.
        body: the raw body (Sage's JSON array; a single object or anything else is tolerated).
        retry_after: the ``Retry-After`` header (seconds), if any.
    """
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    try:
        data = json.loads(text) if text.strip() else None
    except ValueError:
        data = None
    entries = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    messages = [m for m in (_message(e) for e in entries) if m is not None and (m.message or m.data_code)]
    seconds = int(retry_after.strip()) if retry_after and retry_after.strip().isdigit() else None
    return SageError(status=status, messages=messages, retry_after=seconds)


def to_xero_error(error: SageError, *, element: dict[str, Any] | None = None, reading_one: bool = False
                  ) -> XeroApiError:
    """The Xero error the client receives for ``error`` (rules in the module docstring).

    Args:
        error: the parsed Sage error.
        element: the Xero element being written (echoed in the ``ValidationException``).
        reading_one: the call read one record by id (404 / ``RecordNotFound`` → 404).
    """
    if error.status == 429:
        return RateLimited("minute", error.retry_after or DEFAULT_RETRY_AFTER)
    if error.status >= 500:
        return SageUnavailable(f"HTTP {error.status}: {error.text()}")
    if error.status == 403 or error.codes & FORBIDDEN_CODES:
        return Forbidden(f"AuthorizationUnsuccessful: {error.text()}")
    if reading_one and (error.status == 404 or error.codes & NOT_FOUND_CODES):
        return NotFound()
    return ValidationException([element_with_errors(element or {}, [m.text() for m in error.messages])])
