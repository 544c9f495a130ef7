"""The partner API's own tables, in the ledger's database but on a base of their own (:class:`PartnerBase`).

They hold what the Partner Bookkeeping API adds to the ledger (issue 16): its OAuth clients (RFC 7591 dynamic
registration), authorization codes and tokens, and the receipts of its ``Idempotency-Key``-ed postings. The ledger
itself (journals, bank transactions, manual journals, payments) is the native ledger's tables, written by the
native adapter's own operations. Secrets, codes and tokens are stored as SHA-256 digests only
(:func:`gateway.store.crypto.secret_hash`); timestamps as aware UTC (:class:`~adapters.native.tables.base.UTCDateTime`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..tables.base import UTCDateTime


class PartnerBase(DeclarativeBase):
    """Declarative base of the partner API's tables, in the ledger's database: the ledger's migration tree creates
    them (``gateway.migrations.trees.LEDGER``; revision ``5721cc615c5e``), when the native adapter starts."""


class PartnerClient(PartnerBase):
    """A client registered with ``POST /ledger/api/oauth/register`` (RFC 7591 §3.2.1 fields)."""

    __tablename__ = "partner_clients"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    secret_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    client_name: Mapped[str] = mapped_column(String(255))
    #: The registered metadata as answered (``redirect_uris``, ``grant_types``, ``token_endpoint_auth_method``…).
    metadata_json: Mapped[dict[str, Any]] = mapped_column(JSON)
    issued_at: Mapped[int] = mapped_column(Integer)


class PartnerCode(PartnerBase):
    """An authorization code (RFC 6749 §4.1.2; single use), with its PKCE challenge (RFC 7636)."""

    __tablename__ = "partner_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[str] = mapped_column(String(64))
    redirect_uri: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
    code_challenge: Mapped[str | None] = mapped_column(String(128), nullable=True)
    code_challenge_method: Mapped[str | None] = mapped_column(String(10), nullable=True)
    auth_time: Mapped[int] = mapped_column(Integer)
    expires_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class PartnerToken(PartnerBase):
    """An access token and its refresh token (both opaque; digests only)."""

    __tablename__ = "partner_tokens"

    access_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    refresh_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    client_id: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[int] = mapped_column(Integer)
    expires_in: Mapped[int] = mapped_column(Integer)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class PartnerPosting(PartnerBase):
    """The receipt of one posting made under an ``Idempotency-Key`` (per client and company).

    ``receipt`` is ``None`` while the posting runs; ``body_hash`` tells a replay (same body) from a conflict.
    """

    __tablename__ = "partner_postings"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    company_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    body_hash: Mapped[str] = mapped_column(String(64))
    receipt: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)
