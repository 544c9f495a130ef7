"""Operators' registration of their developer apps at the source systems (``xero-gateway sources set|list``).

A registration holds the app's ``client_id`` and ``client_secret`` (sealed with
:class:`gateway.store.crypto.SecretBox`, never logged, never returned), the environment (QBO: ``sandbox`` or
``production``) and the OAuth/API URLs, each defaulting to ``mappings/upstream_sources.toml``. A source is
*configured* when it has both a registration and an adapter: the caller passes the codes that have one
(``adapter_codes``, the keys of :data:`adapters.registry.ADAPTERS`), so that this module does not import the
adapters' side.

The redirect URI the operator registers at the source is ``{settings.issuer(code)}/callback``
(:func:`callback_url`); it is shown by :func:`list_sources` and :func:`set_source`.

Every function takes the gateway's :class:`~gateway.store.db.Database` and :class:`~gateway.settings.Settings` first
and raises ``ValueError`` with a message meant for the operator on bad input.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from authlib.common.security import is_secure_transport
from sqlalchemy import select

from gateway.settings import SOURCE_CODES, Settings
from gateway.store.crypto import SecretBox
from gateway.store.db import Database

from .defaults import SourceDefaults, TokenAuthMethod, source_defaults
from .models import UpstreamSource

#: The embedded ledger signs users in locally; it has no upstream app.
MAX_CLIENT_ID = 500
MAX_SECRET = 2000


@dataclass(frozen=True)
class Registration:
    """A source's registered developer app with every default applied (the secret in clear, never shown).

    Attributes:
        api_base: the API base URL of the registered environment (no trailing slash).
        redirect_uri: the gateway's callback URL for this source (``{issuer}/callback``).
        scope: the default upstream scopes (``mappings/upstream_sources.toml``).
    """

    code: str
    client_id: str
    client_secret: str = field(repr=False)
    environment: str | None
    authorize_url: str
    token_url: str
    revoke_url: str | None
    api_base: str
    redirect_uri: str
    scope: tuple[str, ...]
    token_endpoint_auth_method: TokenAuthMethod
    refresh_token_expires_in: tuple[str, ...]
    refresh_margin: int
    created_at: datetime
    updated_at: datetime

    def public(self, *, configured: bool) -> dict[str, Any]:
        """The registration as shown to operators: everything but the secret."""
        return {"code": self.code, "system": SOURCE_CODES.get(self.code, self.code), "client_id": self.client_id,
                "environment": self.environment, "authorize_url": self.authorize_url, "token_url": self.token_url,
                "revoke_url": self.revoke_url, "api_base": self.api_base, "scope": " ".join(self.scope),
                "redirect_uri": self.redirect_uri, "configured": configured,
                "created_at": self.created_at.isoformat(), "updated_at": self.updated_at.isoformat()}


def callback_url(settings: Settings, code: str) -> str:
    """The redirect URI of source ``code`` at the gateway: ``{public_url}/{code}/callback``."""
    return f"{settings.issuer(code)}/callback"


def _check_code(code: str, gateway_sign_in: Container[str]) -> str:
    if code not in SOURCE_CODES:
        raise ValueError(f"{code!r} is not a source code (known: {', '.join(sorted(SOURCE_CODES))})")
    if code in gateway_sign_in:
        raise ValueError(f"source {code} ({SOURCE_CODES[code]}) signs users in at the gateway: it has no "
                         "upstream developer app")
    return code


def _check_text(name: str, value: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValueError(f"{name} must not be empty")
    if len(value) > limit or any(c.isspace() for c in value):
        raise ValueError(f"{name} must be at most {limit} characters without spaces")
    return value


def _check_url(name: str, url: str | None, *, required: bool) -> str | None:
    """An absolute https URL (http only on loopback hosts, for emulators: Authlib's ``is_secure_transport``)."""
    if url is None or not url.strip():
        if required:
            raise ValueError(f"{name} is required for this source (no default in mappings/upstream_sources.toml)")
        return None
    url = url.strip()
    if not is_secure_transport(url) or "#" in url:
        raise ValueError(f"{name} {url!r} must be an absolute https URL (http only on a loopback host), "
                         "without fragment")
    return url


def _environment(defaults: SourceDefaults, environment: str | None, api_base: str | None) -> str | None:
    environments = defaults.environments
    if environment is None:
        return defaults.default_environment
    if environments and environment not in environments:
        raise ValueError(f"environment must be one of {', '.join(environments)} for source {defaults.code}")
    if not environments and api_base is None:
        raise ValueError(f"source {defaults.code} ({SOURCE_CODES[defaults.code]}) has no environments")
    return environment


def _resolve(row: UpstreamSource, settings: Settings, box: SecretBox) -> Registration:
    defaults = source_defaults(row.code)
    api_base = row.api_base or defaults.api_base.get(row.environment or "", "")
    return Registration(
        code=row.code, client_id=row.client_id, client_secret=box.decrypt(row.client_secret_sealed),
        environment=row.environment, authorize_url=row.authorize_url or defaults.authorize_url or "",
        token_url=row.token_url or defaults.token_url or "", revoke_url=row.revoke_url or defaults.revoke_url,
        api_base=api_base.rstrip("/"), redirect_uri=callback_url(settings, row.code), scope=defaults.scope,
        token_endpoint_auth_method=defaults.token_endpoint_auth_method,
        refresh_token_expires_in=defaults.refresh_token_expires_in, refresh_margin=defaults.refresh_margin,
        created_at=row.created_at, updated_at=row.updated_at)


async def set_source(db: Database, settings: Settings, *, code: str, client_id: str, client_secret: str,
                     environment: str | None = None, authorize_url: str | None = None, token_url: str | None = None,
                     revoke_url: str | None = None, api_base: str | None = None,
                     adapter_codes: Container[str], gateway_sign_in: Container[str] = ()) -> dict[str, Any]:
    """Register (or replace) the operator's developer app for source ``code``.

    Every call replaces the whole registration: URLs not given fall back to the defaults of
    ``mappings/upstream_sources.toml`` (QBO: Intuit's endpoints from its discovery document; Sage: Sage's).

    Args:
        code: an upstream source code (``"1004"``, ``"1009"``…; not ``"1000"``).
        client_id, client_secret: the app's credentials at the source; the secret is sealed at rest.
        environment: ``sandbox`` or ``production`` for sources with environments (QBO); default from the table.
        authorize_url, token_url, revoke_url, api_base: overrides (absolute https, or http on loopback).
        adapter_codes: the source codes that have an adapter (``adapters.registry.ADAPTERS``), for ``configured``.
        gateway_sign_in: the codes whose users sign in at the gateway itself (password or pairing:
            :func:`adapters.registry.gateway_sign_in_codes`); they take no upstream developer app.

    Returns:
        The stored registration without the secret: ``{code, system, client_id, environment, authorize_url,
        token_url, revoke_url, api_base, scope, redirect_uri, configured, created_at, updated_at}``.

    Raises:
        ValueError: unknown or local code, empty credentials, bad URL or environment, or a source without
            defaults missing a URL.
    """
    _check_code(code, gateway_sign_in)
    defaults = source_defaults(code)
    client_id = _check_text("client_id", client_id, MAX_CLIENT_ID)
    client_secret = _check_text("client_secret", client_secret, MAX_SECRET)
    overrides = {
        "authorize_url": _check_url("authorize_url", authorize_url, required=defaults.authorize_url is None),
        "token_url": _check_url("token_url", token_url, required=defaults.token_url is None),
        "revoke_url": _check_url("revoke_url", revoke_url, required=False),
        "api_base": _check_url("api_base", api_base, required=not defaults.api_base),
    }
    env = _environment(defaults, environment, overrides["api_base"])
    box = SecretBox.from_data_dir(settings.data_dir)
    now = datetime.now(UTC)
    async with db.session() as s, s.begin():
        row = await s.get(UpstreamSource, code)
        if row is None:
            row = UpstreamSource(code=code, created_at=now)
            s.add(row)
        row.client_id = client_id
        row.client_secret_sealed = box.encrypt(client_secret)
        row.environment = env
        row.authorize_url = overrides["authorize_url"]
        row.token_url = overrides["token_url"]
        row.revoke_url = overrides["revoke_url"]
        row.api_base = overrides["api_base"]
        row.updated_at = now
        await s.flush()
        registration = _resolve(row, settings, box)
    return registration.public(configured=code in adapter_codes)


async def list_sources(db: Database, settings: Settings, *, adapter_codes: Container[str]) -> list[dict[str, Any]]:
    """Every registered source app, without secrets (the shape of :func:`set_source`), ordered by code.

    Args:
        adapter_codes: the source codes that have an adapter (``adapters.registry.ADAPTERS``), for ``configured``.
    """
    box = SecretBox.from_data_dir(settings.data_dir)
    async with db.session() as s:
        rows = (await s.scalars(select(UpstreamSource).order_by(UpstreamSource.code))).all()
    return [_public(row, settings, box, configured=row.code in adapter_codes) for row in rows]


def _public(row: UpstreamSource, settings: Settings, box: SecretBox, *, configured: bool) -> dict[str, Any]:
    try:
        return _resolve(row, settings, box).public(configured=configured)
    except ValueError:  # sealed with another key: show it, flagged, rather than fail the whole list
        defaults = source_defaults(row.code)
        return {"code": row.code, "system": SOURCE_CODES.get(row.code, row.code), "client_id": row.client_id,
                "environment": row.environment, "configured": False,
                "error": "the client secret cannot be decrypted with this gateway's key; run sources set again",
                "scope": " ".join(defaults.scope), "redirect_uri": callback_url(settings, row.code)}


async def get_registration(db: Database, settings: Settings, code: str, *,
                           box: SecretBox | None = None) -> Registration | None:
    """The registration of ``code`` with defaults applied and the secret decrypted; ``None`` when not registered.

    Raises:
        ValueError: the stored secret cannot be decrypted with this gateway's key.
    """
    async with db.session() as s:
        row = await s.get(UpstreamSource, code)
    if row is None:
        return None
    return _resolve(row, settings, box or SecretBox.from_data_dir(settings.data_dir))


async def is_registered(db: Database, code: str) -> bool:
    """Whether the operator registered a developer app for ``code`` (no decryption)."""
    async with db.session() as s:
        return await s.get(UpstreamSource, code) is not None
