"""The exception tree of the upstream OAuth layer, drawn once, and its two Xero-facing answers.

Internal errors (never shown to a Xero client as such)::

    UpstreamError
    ├── UpstreamTokenError        the token endpoint failed: transport error, HTTP 5xx, a body that is not a token
    │   └── UpstreamGrantInvalid  the token endpoint answered ``invalid_grant`` (RFC 6749 §5.2): the refresh token or
    │                             code is expired, revoked or already used
    └── UpstreamConsentError      the upstream consent cannot complete (denied, no tenant, adapter failure)

Xero-facing (raised to the API front end, rendered by :func:`gateway.app.render_error`):

- :func:`reauthorization_required` → :class:`gateway.xero.errors.Unauthorized` (401 ProblemDetails). Its ``Detail``
  starts with ``AuthenticationUnsuccessful`` (xero-contract.md §3), never ``TokenExpired`` (clients refresh their
  Xero token on ``TokenExpired``, which cannot help here); the explanation after the colon is the gateway's own
  wording (unconfirmed: Xero has no equivalent situation).
- :class:`UpstreamUnavailable`: 503 with a plain-text body, the shape Xero answers when it is offline
  (xero-contract.md §3, 503 row), for a token endpoint that cannot be reached.
"""

from __future__ import annotations

from gateway.settings import SOURCE_CODES
from gateway.xero.errors import Unauthorized, XeroApiError


class UpstreamError(Exception):
    """Base of the upstream OAuth layer's internal errors. Messages never contain a secret or a token."""


class UpstreamTokenError(UpstreamError):
    """The source system's token endpoint failed (unreachable, HTTP 5xx, not a token response, an OAuth error other
    than ``invalid_grant``)."""


class UpstreamGrantInvalid(UpstreamTokenError):
    """The token endpoint answered ``invalid_grant``: the refresh token (or code) is expired, revoked or reused."""


class UpstreamConsentError(UpstreamError):
    """The upstream consent cannot be completed."""


class UpstreamUnavailable(XeroApiError):
    """HTTP 503, plain text: the source system's token endpoint cannot be reached right now (retry later)."""

    status = 503

    def __init__(self, code: str) -> None:
        system = SOURCE_CODES.get(code, code)
        super().__init__(f"The service is temporarily unavailable: {system} (source {code}) did not renew its "
                         "authorization. Try again later.")

    def body(self) -> str:
        return self.message


def reauthorization_required(code: str) -> Unauthorized:
    """The 401 answered when the source's authorization of a tenant is gone (``invalid_grant``, refresh token
    expired): the user must connect the organisation again through ``/{code}/identity/connect/authorize``."""
    system = SOURCE_CODES.get(code, code)
    return Unauthorized(f"AuthenticationUnsuccessful: the {system} authorization of this organisation has expired "
                        "or was revoked at the source; it needs re-authorization (the user must connect the "
                        "organisation again)")
