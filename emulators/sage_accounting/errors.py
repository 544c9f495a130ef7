"""Sage's error body and the errors the emulator raises.

Every API error is a JSON array of items (upstream-contracts.md §2 "Errors"; developer.sage.com "Frequently Raised
Errors")::

    [{"$severity": "error", "$dataCode": "RecordInvalid", "$message": "This field is required.",
      "$source": "line_items.tax_rate_id"}]

HTTP statuses are the ones Sage's "Response Codes" guide lists: 401, 404, 405, 415, 422, 429, 500, 503, plus 403 from
"Frequently Raised Errors". Verbatim wordings (quoted from Sage's pages or client code quoting Sage) are marked
*verbatim* at the constructor; every other ``$message`` is the emulator's own (*unconfirmed*), so clients should
key on ``$dataCode`` and HTTP status, never on the message.

OAuth token-endpoint errors are RFC 6749 §5.2 JSON objects instead (``{"error": "invalid_grant"}``), see
:mod:`emulators.sage_accounting.oauth`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: "This field is required." (verbatim: Sage's RecordInvalid example as quoted in SynergiTech/sage-php).
REQUIRED = "This field is required."


@dataclass(frozen=True)
class ErrorItem:
    """One element of Sage's error array."""

    data_code: str
    message: str
    source: str = ""
    severity: str = "error"

    def as_json(self) -> dict[str, str]:
        return {"$severity": self.severity, "$dataCode": self.data_code, "$message": self.message,
                "$source": self.source}


@dataclass
class SageError(Exception):
    """An API error: the HTTP status and the error items; raised anywhere below the HTTP layer.

    Attributes:
        status: the HTTP status.
        items: the body's items (at least one).
        headers: extra response headers (``Retry-After`` on a 429 when configured).
    """

    status: int
    items: list[ErrorItem]
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(f"{i.data_code}: {i.message} ({i.source})" for i in self.items)

    def body(self) -> list[dict[str, str]]:
        return [item.as_json() for item in self.items]


def record_invalid(message: str, source: str = "") -> SageError:
    """422 ``RecordInvalid`` (data code: upstream-contracts.md §2; status: "Response Codes" 422)."""
    return SageError(422, [ErrorItem("RecordInvalid", message, source)])


def required(source: str) -> SageError:
    """422 ``RecordInvalid`` "This field is required." for ``source`` (verbatim message)."""
    return record_invalid(REQUIRED, source)


def invalid_items(items: list[tuple[str, str]]) -> SageError:
    """422 with one ``RecordInvalid`` item per ``(message, source)``."""
    return SageError(422, [ErrorItem("RecordInvalid", message, source) for message, source in items])


def record_not_found(source: str = "") -> SageError:
    """404 ``RecordNotFound`` (data code: upstream-contracts.md §2; status: "Response Codes" 404; message
    unconfirmed)."""
    return SageError(404, [ErrorItem("RecordNotFound", "Record not found", source)])


def unknown_endpoint(path: str) -> SageError:
    """404 for a path Sage does not serve ("Response Codes": "The path/endpoint does not exist"; the body is
    unconfirmed, RecordNotFound is the emulator's choice)."""
    return SageError(404, [ErrorItem("RecordNotFound", f"No route matches {path}", "")])


def method_not_allowed(method: str) -> SageError:
    """405 ("Response Codes": "A request has been made using the wrong HTTP verb"; data code unconfirmed)."""
    return SageError(405, [ErrorItem("MethodNotAllowed", f"The {method} method is not allowed on this resource")])


def not_acceptable() -> SageError:
    """406 for a file download without ``Accept: application/octet-stream`` (swagger ``/attachments/{key}/file``:
    the header "must always be set to application/octet-stream"; status and data code unconfirmed)."""
    return SageError(406, [ErrorItem("NotAcceptable", "Accept must be application/octet-stream")])


def unsupported_media_type() -> SageError:
    """415 ("Response Codes": "The media/language being passed in the request is not supported"; data code
    unconfirmed)."""
    return SageError(415, [ErrorItem("UnsupportedMediaType", "Content-Type must be application/json")])


def unauthorized() -> SageError:
    """401 for a missing, unknown or expired access token ("Response Codes" 401: "credentials are invalid and cannot
    be authorised"); the data code and message for this case are unconfirmed (Sage documents ``AuthorizationFailure``
    for its business-subscription 401)."""
    return SageError(401, [ErrorItem("AuthorizationFailure", "Invalid or expired access token")])


def access_denied() -> SageError:
    """403 ``MultiUserAccessDenied`` (verbatim body: "Frequently Raised Errors", "The 403 Forbidden response always
    has the following body"). The emulator also answers it for a business the user cannot access and for writes
    with a ``readonly`` token (both unconfirmed)."""
    return SageError(403, [ErrorItem("MultiUserAccessDenied",
                                     "The current user is not allowed to access that resource with that method.")])


def unexpected_error(status: int = 500) -> SageError:
    """``UnexpectedError`` "An unexpected error occurred." (verbatim: "Frequently Raised Errors", status 500; the
    same body for other 5xx statuses is unconfirmed)."""
    return SageError(status, [ErrorItem("UnexpectedError", "An unexpected error occurred.")])


def too_many_requests(retry_after: int | None) -> SageError:
    """429 ("Response Codes": "Too many requests have been made against the API"; data code, message and headers
    unconfirmed: ``Retry-After`` only when configured)."""
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    return SageError(429, [ErrorItem("TooManyRequests", "Too many requests")], headers)

