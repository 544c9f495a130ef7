"""The Xero-facing errors every upstream adapter raises for its authorization, with the system named by the caller.

- :func:`reauthorization_required` → :class:`gateway.xero.errors.Unauthorized` (401 ProblemDetails). Its ``Detail``
  starts with ``AuthenticationUnsuccessful`` (xero-contract.md §3), never ``TokenExpired`` (clients refresh their
  Xero token on ``TokenExpired``, which cannot help here); the explanation after the colon is the gateway's own
  wording (unconfirmed: Xero has no equivalent situation).
- :class:`UpstreamUnavailable`: 503 with a plain-text body, the shape Xero answers when it is offline
  (xero-contract.md §3, 503 row), for a token endpoint that cannot be reached.
"""

from __future__ import annotations

from gateway.xero.errors import Unauthorized, XeroApiError


class UpstreamUnavailable(XeroApiError):
    """HTTP 503, plain text: the source system's token endpoint cannot be reached right now (retry later).

    Args:
        code: the gateway source code (``"1004"``).
        system: the source system's name (``"QuickBooks Online"``).
    """

    status = 503

    def __init__(self, code: str, system: str) -> None:
        super().__init__(f"The service is temporarily unavailable: {system} (source {code}) did not renew its "
                         "authorization. Try again later.")

    def body(self) -> str:
        return self.message


def reauthorization_required(system: str) -> Unauthorized:
    """The 401 answered when the source's authorization of a tenant is gone (``invalid_grant``, refresh token
    expired, a fresh token refused): the user must connect the organisation again through
    ``/{code}/identity/connect/authorize``.

    Args:
        system: the source system's name (``"QuickBooks Online"``).
    """
    return Unauthorized(f"AuthenticationUnsuccessful: the {system} authorization of this organisation has expired "
                        "or was revoked at the source; it needs re-authorization (the user must connect the "
                        "organisation again)")
