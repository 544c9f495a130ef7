"""Tables of upstream OAuth, on the gateway's own :class:`gateway.store.db.Base`.

- ``upstream_sources``: the operator's developer app per source code (``xero-gateway sources set``). URL columns
  hold the operator's overrides only (``NULL``: the default of ``mappings/upstream_sources.toml`` applies).
- ``upstream_authorizations``: one upstream consent and its token set. ``version`` and the lease columns implement
  the refresh compare-and-set described in :mod:`gateway.upstream.tokens`.
- ``upstream_tenants``: one row per source tenant ever consented: its stable Xero ``tenant_id`` (uuid5 of the
  source code and the upstream key), the upstream key (QBO ``realmId``, Sage business ``id``) and the authorization
  whose tokens serve it (the newest consent covering it), and the source's last HTTP 429 for it (``throttled_at``,
  with its ``Retry-After`` seconds when sent: :mod:`gateway.upstream.throttling`).
- ``upstream_pending``: a partner app's authorization request waiting for the upstream consent (single use,
  expiring), keyed by the digest of the ``state`` sent upstream.

Secrets (client secret, access and refresh tokens) are encrypted with :class:`gateway.store.crypto.SecretBox`; the
upstream ``state`` is stored as a SHA-256 digest. Timestamps use :class:`gateway.store.models.UTCDateTime`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.store.base import Base
from gateway.store.models import UTCDateTime

#: ``upstream_authorizations.status`` values.
ACTIVE = "active"
REAUTHORIZATION_REQUIRED = "reauthorization_required"


class UpstreamSource(Base):
    """An operator's developer app at one source system."""

    __tablename__ = "upstream_sources"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    client_id: Mapped[str] = mapped_column(Text)
    client_secret_sealed: Mapped[str] = mapped_column(Text)
    environment: Mapped[str | None] = mapped_column(String(32), nullable=True)
    authorize_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    token_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    revoke_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    api_base: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class UpstreamAuthorization(Base):
    """One upstream consent: its tokens (sealed), lifetimes, status, and the Xero-side user and authorisation event
    it was granted under."""

    __tablename__ = "upstream_authorizations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source_code: Mapped[str] = mapped_column(String(8))
    auth_event_id: Mapped[str] = mapped_column(String(36), index=True)
    user_id: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), default="")
    given_name: Mapped[str] = mapped_column(String(200), default="")
    family_name: Mapped[str] = mapped_column(String(200), default="")
    api_base: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text, default="")
    token_type: Mapped[str] = mapped_column(String(32), default="Bearer")
    access_token_sealed: Mapped[str] = mapped_column(Text)
    refresh_token_sealed: Mapped[str | None] = mapped_column(Text, nullable=True)
    access_expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    refresh_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(32), default=ACTIVE)
    version: Mapped[int] = mapped_column(Integer, default=1)
    lease_owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class UpstreamTenant(Base):
    """A source tenant known to the gateway (``tenant_id`` = uuid5 of code and key: stable across consents)."""

    __tablename__ = "upstream_tenants"

    tenant_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source_code: Mapped[str] = mapped_column(String(8), index=True)
    tenant_key: Mapped[str] = mapped_column(String(200))
    tenant_name: Mapped[str] = mapped_column(String(300), default="")
    tenant_type: Mapped[str] = mapped_column(String(32), default="ORGANISATION")
    authorization_id: Mapped[str] = mapped_column(ForeignKey("upstream_authorizations.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: When the source last answered HTTP 429 to a call for this tenant (``NULL``: never).
    throttled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: That 429's ``Retry-After`` in seconds (``NULL``: the source sent none).
    retry_after: Mapped[int | None] = mapped_column(Integer, nullable=True)


class UpstreamPending(Base):
    """A partner app's authorize request waiting for the upstream consent (single use: ``used_at``)."""

    __tablename__ = "upstream_pending"

    state_hash: Mapped[str] = mapped_column(String(128), primary_key=True)
    source_code: Mapped[str] = mapped_column(String(8))
    client_id: Mapped[str] = mapped_column(String(64))
    redirect_uri: Mapped[str] = mapped_column(Text)
    partner_state: Mapped[str | None] = mapped_column(Text, nullable=True)
    authorize_query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
