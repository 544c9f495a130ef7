"""The exception tree of the upstream OAuth layer, drawn once, and its two Xero-facing answers.

Internal errors (never shown to a Xero client as such)::

    UpstreamError
    ├── UpstreamTokenError        the token endpoint failed: transport error, HTTP 5xx, a body that is not a token
    │   └── UpstreamGrantInvalid  the token endpoint answered ``invalid_grant`` (RFC 6749 §5.2): the refresh token or
    │                             code is expired, revoked or already used
    └── UpstreamConsentError      the upstream consent cannot complete (denied, no tenant, adapter failure)

Xero-facing (raised to the API front end, rendered by the app's error middleware): the adapters' own
:mod:`adapters.common.errors`, named here by source code:

- :func:`reauthorization_required` → :class:`gateway.xero.errors.Unauthorized` (401 ProblemDetails,
  ``AuthenticationUnsuccessful``);
- :class:`UpstreamUnavailable`: 503 with a plain-text body, for a token endpoint that cannot be reached.
"""

from __future__ import annotations

from adapters.common import errors as adapter_errors
from gateway.settings import SOURCE_CODES
from gateway.xero.errors import Unauthorized


class UpstreamError(Exception):
    """Base of the upstream OAuth layer's internal errors. Messages never contain a secret or a token."""


class UpstreamTokenError(UpstreamError):
    """The source system's token endpoint failed (unreachable, HTTP 5xx, not a token response, an OAuth error other
    than ``invalid_grant``)."""


class UpstreamGrantInvalid(UpstreamTokenError):
    """The token endpoint answered ``invalid_grant``: the refresh token (or code) is expired, revoked or reused."""


class UpstreamConsentError(UpstreamError):
    """The upstream consent cannot be completed."""


class UpstreamUnavailable(adapter_errors.UpstreamUnavailable):
    """HTTP 503, plain text: the source system's token endpoint cannot be reached right now (retry later)."""

    def __init__(self, code: str) -> None:
        super().__init__(code, SOURCE_CODES.get(code, code))


def reauthorization_required(code: str) -> Unauthorized:
    """The 401 answered when the source's authorization of a tenant is gone
    (:func:`adapters.common.errors.reauthorization_required` for source ``code``)."""
    return adapter_errors.reauthorization_required(SOURCE_CODES.get(code, code))
