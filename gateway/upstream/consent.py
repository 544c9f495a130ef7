"""Completing an upstream consent: exchange the code, ask the adapter for tenants and user, store the tokens.

Called by the identity server's callback (``GET /{code}/callback``, :mod:`gateway.identity.views_upstream`) once it
has matched the source's redirect to a pending partner request. Any failure raises
:class:`~gateway.upstream.errors.UpstreamConsentError` or :class:`~gateway.upstream.errors.UpstreamTokenError`; the
caller answers the partner app ``error=access_denied`` and shows it nothing of the source's answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from adapters.base import LedgerUser, SourceAdapter, Tenant, UpstreamToken, upstream_tenant

from . import oauth
from .errors import UpstreamConsentError
from .registry import Registration
from .tokens import UpstreamTokens

#: Namespace of the user ids the gateway derives when the source names no user (:func:`derived_user`).
UPSTREAM_USER_NAMESPACE = uuid.UUID("9e2c6b1a-4f37-5d08-b6a1-2c8e5f3d7a94")


@dataclass(frozen=True)
class CompletedConsent:
    """A stored consent: its authorization id, the Xero-side user and the tenants it covers."""

    authorization_id: str
    user: LedgerUser
    tenants: tuple[Tenant, ...]


def derived_user(code: str, tenants: Sequence[Tenant], *, auth_event_id: str) -> LedgerUser:
    """The user of a consent whose source names none: uuid5 of the source code and the sorted tenant keys (so a
    re-consent of the same QBO realm is the same user and updates the same connection), without e-mail."""
    keys = ",".join(sorted(t.tenant_key for t in tenants)) or f"event:{auth_event_id}"
    return LedgerUser(user_id=str(uuid.uuid5(UPSTREAM_USER_NAMESPACE, f"{code}/{keys}")), email="")


def normalise_tenants(code: str, tenants: Sequence[Tenant]) -> tuple[Tenant, ...]:
    """Rebuild each tenant with :func:`adapters.base.upstream_tenant` (one per key, first name wins).

    Raises:
        UpstreamConsentError: a tenant without ``tenant_key``, or whose ``tenant_id`` is not the stable one.
    """
    out: dict[str, Tenant] = {}
    for tenant in tenants:
        if not isinstance(tenant, Tenant) or not tenant.tenant_key:
            raise UpstreamConsentError(f"source {code}: the adapter returned a tenant without tenant_key")
        fixed = upstream_tenant(code, tenant.tenant_key, tenant.name or tenant.tenant_key,
                                tenant.tenant_type or "ORGANISATION")
        if tenant.tenant_id and tenant.tenant_id.lower() != fixed.tenant_id:
            raise UpstreamConsentError(f"source {code}: the adapter returned a tenant id that is not "
                                       "upstream_tenant_id(code, tenant_key)")
        out.setdefault(fixed.tenant_key, fixed)
    return tuple(out.values())


async def complete_consent(tokens: UpstreamTokens, adapter: SourceAdapter, reg: Registration, *, code_value: str,
                           callback_params: Mapping[str, str], auth_event_id: str,
                           require_tenant: bool) -> CompletedConsent:
    """Turn the source's authorization code into a stored upstream authorization.

    Args:
        tokens: the token store.
        adapter: the source's started adapter (hooks ``tenants_for_authorization``, ``user_for_authorization``).
        reg: the source's registration.
        code_value: the ``code`` of the source's redirect.
        callback_params: every query parameter of that redirect (QBO adds ``realmId``).
        auth_event_id: the Xero authorisation event to grant under.
        require_tenant: the partner asked for API scopes, so at least one tenant is needed.

    Raises:
        UpstreamTokenError: the code exchange failed (``UpstreamGrantInvalid`` for ``invalid_grant``).
        UpstreamConsentError: the adapter failed or found no tenant.
    """
    issued = oauth.issued_tokens(await oauth.exchange_code(reg, code=code_value, http_timeout=tokens.http_timeout),
                                 reg=reg, now=tokens.now())
    token = UpstreamToken(access_token=issued.access_token, token_type=issued.token_type, api_base=reg.api_base,
                          scope=issued.scope, expires_at=issued.expires_at, response=issued.response)
    try:
        tenants = normalise_tenants(reg.code, await adapter.tenants_for_authorization(token, callback_params))
        user = await adapter.user_for_authorization(token, callback_params)
    except UpstreamConsentError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the adapter raised, the consent fails the same way
        raise UpstreamConsentError(f"source {reg.code}: the adapter could not list the consented tenants "
                                   f"({type(exc).__name__})") from exc
    if require_tenant and not tenants:
        raise UpstreamConsentError(f"source {reg.code}: the consent covers no tenant")
    if user is None:
        user = derived_user(reg.code, tenants, auth_event_id=auth_event_id)
    authorization_id = await tokens.save_authorization(code=reg.code, issued=issued, api_base=reg.api_base,
                                                       tenants=tenants, user=user, auth_event_id=auth_event_id)
    return CompletedConsent(authorization_id=authorization_id, user=user, tenants=tenants)
