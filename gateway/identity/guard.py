"""The Accounting API guard: who calls, for which tenant, with which scopes.

The Accounting front end (``gateway.api``) calls :func:`authenticate_api_call` once per request, before dispatching
to the adapter. What it reads is cached in the process (:mod:`.cache`) and dropped by every revocation: a deleted
connection, a revoked refresh token or a revoked app ends access on the very next call in the process that made
the change, and within ``[identity] revocation_poll_interval`` seconds in the others sharing the database.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiohttp import web

from gateway.appkeys import IDENTITY
from gateway.xero.errors import Forbidden
from gateway.xero.guids import normalise_guid
from gateway.xero.request import RequestContext

from .bearer import AUTHENTICATION_UNSUCCESSFUL, authenticate_bearer
from .usage import note_use

AUTHORIZATION_UNSUCCESSFUL = "AuthorizationUnsuccessful"
TENANT_HEADER = "xero-tenant-id"


async def authenticate_api_call(request: web.Request, code: str, *, scopes: Sequence[str], path: str,
                                tenant_required: bool = True) -> RequestContext:
    """Authenticate and authorise one Accounting API call.

    Args:
        request: the aiohttp request (reads ``Authorization`` and ``xero-tenant-id``, in any case).
        code: the source code from the URL (``"1000"``); the token's ``iss`` must be ``settings.issuer(code)``.
        scopes: the operation's broad scopes from ``mappings/xero_operations.toml`` (spec ``security``); any one
            suffices. Granular scopes covering ``path`` are accepted too (``mappings/scopes.toml``).
        path: the operation's spec path template (``/Invoices/{InvoiceID}``, ``/Reports/BalanceSheet``).
        tenant_required: ``False`` for operations without a tenant; the header is then optional.

    Returns:
        ``RequestContext(source_code, tenant_id, client_id, app_name, user_id, scopes)``: ``tenant_id`` lower-case
        hyphenated (``""`` only when not required and not sent); ``user_id`` the adapter's user id, ``None`` for a
        custom connection.

    Raises:
        Unauthorized: ``AuthenticationUnsuccessful`` (no or invalid token, revoked authorisation, disabled app) or
            ``TokenExpired: token expired at MM/DD/YYYY HH:MM:SS`` (xero-contract.md §3).
        Forbidden: ``AuthenticationUnsuccessful`` when ``xero-tenant-id`` is missing, not a GUID, or not a live
            connection of the caller (xero-node issue #432); ``AuthorizationUnsuccessful`` when no held scope
            grants the operation. A custom-connection token may omit the header: its own tenant is used
            (https://developer.xero.com/documentation/guides/oauth2/custom-connections/).
    """
    state = request.app[IDENTITY]
    principal = await authenticate_bearer(request, code)
    raw = request.headers.get(TENANT_HEADER, "").strip()
    if raw:
        tenant_id = normalise_guid(raw)
        if tenant_id is None or (principal.custom_connection and tenant_id != principal.custom_tenant_id):
            raise Forbidden(AUTHENTICATION_UNSUCCESSFUL)
    elif principal.custom_connection and principal.custom_tenant_id:
        tenant_id = principal.custom_tenant_id
    elif tenant_required:
        raise Forbidden(AUTHENTICATION_UNSUCCESSFUL)
    else:
        tenant_id = None
    if tenant_id is not None and not await state.store.has_connection(
            code=code, client_id=principal.client_id, user_id=principal.user_id, tenant_id=tenant_id):
        raise Forbidden(AUTHENTICATION_UNSUCCESSFUL)
    if not state.scopes.allows(principal.scopes, scopes, path):
        raise Forbidden(AUTHORIZATION_UNSUCCESSFUL)
    note_use(request, code=code, client_id=principal.client_id, user_id=principal.user_id, tenant_id=tenant_id)
    return RequestContext(source_code=code, tenant_id=tenant_id or "", client_id=principal.client_id,
                          app_name=principal.app_name, user_id=principal.user_id, scopes=principal.scopes)
