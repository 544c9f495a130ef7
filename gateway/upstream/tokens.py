"""Upstream access tokens for the adapters: stored sealed, refreshed ahead of expiry, once.

:class:`UpstreamTokens` implements :class:`adapters.base.CredentialsProvider` (and
:class:`adapters.base.ThrottleRecorder`): an upstream adapter receives it as
``services.credentials`` (see :mod:`adapters.base`):

- :meth:`UpstreamTokens.credentials` returns the tenant's :class:`UpstreamCredentials` (access token, tenant key,
  API base). An access token within ``refresh_margin`` seconds of its expiry (per source,
  ``mappings/upstream_sources.toml``; QBO 300 s of 3600 s, Sage 60 s of 300 s) is refreshed first.
- :meth:`UpstreamTokens.refresh` renews a token the source rejected (``failed_token``), unless it was renewed
  meanwhile.

Refresh happens once per upstream authorization, however many calls need it:

1. *In one process* (asyncio single flight): the first caller starts one refresh task per authorization; every
   concurrent caller awaits that same task (``asyncio.shield``, so a cancelled request does not abort a refresh
   whose rotated refresh token must be stored).
2. *Across processes sharing the database* (SQLite or PostgreSQL): a lease taken by compare-and-set on the token
   row, ``UPDATE upstream_authorizations SET lease_owner=:me, lease_expires_at=:now+lease WHERE id=:id AND
   version=:v AND status='active' AND (lease_owner IS NULL OR lease_owner=:me OR lease_expires_at<=:now)``; one
   process matches the row, the others see ``rowcount`` 0. Plain ``UPDATE … WHERE`` with ``rowcount`` behaves
   the same on both databases (no ``SELECT … FOR UPDATE``, which SQLite lacks). A process that finds the lease
   taken uses the current access token while it is still valid, or re-reads the row every ``lease_poll`` seconds
   (tenacity, bounded by ``lease_seconds + http_timeout``) until the holder has stored the new tokens
   (``version`` + 1) or the lease has expired (a crashed holder). ``lease_seconds`` must exceed ``http_timeout``
   so that a live holder never loses its lease.
3. The holder stores the rotated refresh token and the new access token, and commits, *before* it hands the
   access token to anyone (``UPDATE … WHERE id=:id AND lease_owner=:me``, clearing the lease).

An ``invalid_grant`` from the token endpoint (refresh token expired, revoked or reused), or a refresh token past its
known expiry, marks the authorization ``reauthorization_required``: every call for its tenants then answers 401
(:func:`gateway.upstream.errors.reauthorization_required`) until the user connects the organisation again (a new
consent replaces the tenant's authorization). A token endpoint that cannot be reached answers 503
(:class:`gateway.upstream.errors.UpstreamUnavailable`) and leaves the tokens as they were.

Tokens are sealed with :class:`gateway.store.crypto.SecretBox`; nothing here logs a token or a secret.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy import or_, select, update
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_delay, wait_fixed

from adapters.base import LedgerUser, Tenant, UpstreamCredentials
from gateway.observability.metrics import TOKEN_REFRESH_FAILURES, TOKEN_REFRESHES
from gateway.settings import Settings
from gateway.store.activity import event as activity_event
from gateway.store.crypto import SecretBox
from gateway.store.db import Database

from . import oauth, registry
from .defaults import source_defaults
from .errors import UpstreamGrantInvalid, UpstreamTokenError, UpstreamUnavailable, reauthorization_required
from .models import ACTIVE, REAUTHORIZATION_REQUIRED, UpstreamAuthorization, UpstreamTenant
from .throttling import record_throttle

log = structlog.get_logger("gateway.upstream")

#: Seconds a refresh lease lasts (must exceed the token request timeout).
DEFAULT_LEASE_SECONDS = 60.0
#: Seconds between two reads of the token row while another process holds the lease.
DEFAULT_LEASE_POLL = 0.05


@dataclass(frozen=True)
class _TokenState:
    access_token: str = field(repr=False)
    token_type: str
    expires_at: datetime


class _LeaseBusy(Exception):
    """Another process holds the refresh lease (or the row changed under us): read again."""


class UpstreamTokens:
    """Store and provider of upstream tokens (one per process; shared by the adapters and the identity server).

    Args:
        settings: gateway settings (data directory for the sealing key, issuer for the callback URL).
        db: the gateway's database.
        box: sealing box (default: ``SecretBox.from_data_dir(settings.data_dir)``).
        clock: epoch seconds (tests move it forward instead of sleeping).
        refresh_margin: seconds before expiry to refresh, overriding the per-source table for every source.
        lease_seconds, lease_poll: see the module docstring.
        http_timeout: seconds a token request may take.

    Raises:
        ValueError: ``lease_seconds`` not above ``http_timeout``.
    """

    def __init__(self, settings: Settings, db: Database, *, box: SecretBox | None = None,
                 clock: Callable[[], float] = time.time, refresh_margin: float | None = None,
                 lease_seconds: float = DEFAULT_LEASE_SECONDS, lease_poll: float = DEFAULT_LEASE_POLL,
                 http_timeout: float = oauth.DEFAULT_TIMEOUT) -> None:
        if lease_seconds <= http_timeout:
            raise ValueError("lease_seconds must exceed http_timeout")
        self.settings = settings
        self.db = db
        self.box = box or SecretBox.from_data_dir(settings.data_dir)
        self.clock = clock
        self.refresh_margin = refresh_margin
        self.lease_seconds = lease_seconds
        self.lease_poll = lease_poll
        self.http_timeout = http_timeout
        self.owner = uuid.uuid4().hex
        self._flights: dict[str, asyncio.Future[_TokenState]] = {}

    def now(self) -> datetime:
        """The provider's "now" (aware UTC)."""
        return datetime.fromtimestamp(self.clock(), UTC)

    def _margin(self, code: str) -> timedelta:
        margin = self.refresh_margin if self.refresh_margin is not None else source_defaults(code).refresh_margin
        return timedelta(seconds=margin)

    # Adapters ------------------------------------------------------------------------------------------------

    async def credentials(self, code: str, tenant_id: str) -> UpstreamCredentials:
        """Credentials for one call to tenant ``tenant_id`` of source ``code``, refreshed first when due.

        Raises:
            Unauthorized: the tenant has no usable upstream authorization (``invalid_grant`` seen, refresh token
                expired, never consented): re-authorization needed.
            UpstreamUnavailable: the token endpoint cannot be reached (503).
        """
        tenant, auth = await self._load(code, tenant_id)
        state = self._state(auth)
        if state.expires_at - self._margin(code) <= self.now():
            state = await self._single_flight(auth.id, code, failed_token=None)
        return self._credentials(tenant, auth, state)

    async def refresh(self, code: str, tenant_id: str, *, failed_token: str) -> UpstreamCredentials:
        """Renew the access token the source just rejected, unless another call already did.

        Args:
            failed_token: the access token the source answered 401 to.

        Raises:
            Unauthorized, UpstreamUnavailable: as :meth:`credentials`.
        """
        tenant, auth = await self._load(code, tenant_id)
        state = await self._single_flight(auth.id, code, failed_token=failed_token)
        return self._credentials(tenant, auth, state)

    async def tenants(self, code: str) -> list[Tenant]:
        """Every tenant of source ``code`` consented so far (names from the latest consent), by name."""
        async with self.db.session() as s:
            rows = (await s.scalars(select(UpstreamTenant).where(UpstreamTenant.source_code == code)
                                    .order_by(UpstreamTenant.tenant_name, UpstreamTenant.tenant_id))).all()
        return [Tenant(tenant_id=r.tenant_id, name=r.tenant_name, tenant_type=r.tenant_type, tenant_key=r.tenant_key)
                for r in rows]

    async def throttled(self, code: str, tenant_id: str, *, retry_after: int | None) -> None:
        """Record the source's HTTP 429 for the tenant, now (:class:`adapters.base.ThrottleRecorder`; the console's
        "throttled" status, :mod:`.throttling`). Never raises."""
        await record_throttle(self.db, code=code, tenant_id=tenant_id, at=self.now(), retry_after=retry_after)

    async def status(self, code: str, tenant_id: str) -> str | None:
        """``"active"`` or ``"reauthorization_required"`` for a consented tenant; ``None`` when unknown."""
        async with self.db.session() as s:
            tenant = await s.get(UpstreamTenant, tenant_id)
            if tenant is None or tenant.source_code != code:
                return None
            auth = await s.get(UpstreamAuthorization, tenant.authorization_id)
            return auth.status if auth else None

    # Identity server -----------------------------------------------------------------------------------------

    async def save_authorization(self, *, code: str, issued: oauth.IssuedTokens, api_base: str,
                                 tenants: Sequence[Tenant], user: LedgerUser, auth_event_id: str) -> str:
        """Store a fresh consent (tokens sealed) and make it the authorization of each of ``tenants``.

        Args:
            tenants: upstream tenants (``tenant_key`` set; ids from :func:`adapters.base.upstream_tenant_id`).
            user: the Xero-side user of the consent (``sub`` of the partner's tokens).
            auth_event_id: the Xero authorisation event the consent is granted under.

        Returns:
            The new authorization's id.
        """
        now = self.now()
        auth_id = str(uuid.uuid4())
        async with self.db.session() as s, s.begin():
            s.add(UpstreamAuthorization(
                id=auth_id, source_code=code, auth_event_id=auth_event_id, user_id=user.user_id, email=user.email,
                given_name=user.given_name, family_name=user.family_name, api_base=api_base, scope=issued.scope,
                token_type=issued.token_type, access_token_sealed=self.box.encrypt(issued.access_token),
                refresh_token_sealed=self.box.encrypt(issued.refresh_token) if issued.refresh_token else None,
                access_expires_at=issued.expires_at, refresh_expires_at=issued.refresh_expires_at, status=ACTIVE,
                version=1, created_at=now, updated_at=now))
            await s.flush()
            for tenant in tenants:
                row = await s.get(UpstreamTenant, tenant.tenant_id)
                if row is None:
                    s.add(UpstreamTenant(tenant_id=tenant.tenant_id, source_code=code, tenant_key=tenant.tenant_key,
                                         tenant_name=tenant.name, tenant_type=tenant.tenant_type,
                                         authorization_id=auth_id, created_at=now, updated_at=now))
                else:
                    row.tenant_name = tenant.name
                    row.tenant_type = tenant.tenant_type
                    row.authorization_id = auth_id
                    row.updated_at = now
        return auth_id

    async def user_for_event(self, auth_event_id: str) -> LedgerUser | None:
        """The Xero-side user of the consent granted under ``auth_event_id``; ``None`` when there is none."""
        async with self.db.session() as s:
            auth = await s.scalar(select(UpstreamAuthorization).where(
                UpstreamAuthorization.auth_event_id == auth_event_id).limit(1))
        if auth is None:
            return None
        return LedgerUser(user_id=auth.user_id, email=auth.email, given_name=auth.given_name,
                          family_name=auth.family_name)

    # Internals -----------------------------------------------------------------------------------------------

    async def _load(self, code: str, tenant_id: str) -> tuple[UpstreamTenant, UpstreamAuthorization]:
        async with self.db.session() as s:
            tenant = await s.get(UpstreamTenant, tenant_id)
            auth = await s.get(UpstreamAuthorization, tenant.authorization_id) if tenant else None
        if tenant is None or auth is None or tenant.source_code != code or auth.status != ACTIVE:
            raise reauthorization_required(code)
        return tenant, auth

    def _state(self, auth: UpstreamAuthorization) -> _TokenState:
        try:
            access = self.box.decrypt(auth.access_token_sealed)
        except ValueError:
            log.error("upstream_token_unreadable", authorization_id=auth.id,
                      hint="sealed with another key: check XERO_GATEWAY_SECRET_KEY / keys/secret.key")
            raise UpstreamUnavailable(auth.source_code) from None
        return _TokenState(access_token=access, token_type=auth.token_type, expires_at=auth.access_expires_at)

    @staticmethod
    def _credentials(tenant: UpstreamTenant, auth: UpstreamAuthorization, state: _TokenState) -> UpstreamCredentials:
        return UpstreamCredentials(code=tenant.source_code, tenant_id=tenant.tenant_id, tenant_key=tenant.tenant_key,
                                   access_token=state.access_token, token_type=state.token_type,
                                   api_base=auth.api_base, expires_at=state.expires_at, authorization_id=auth.id)

    async def _single_flight(self, auth_id: str, code: str, *, failed_token: str | None) -> _TokenState:
        """One refresh flight per authorization in this process: join the one under way, or start one. A caller
        whose ``failed_token`` is what the joined flight handed out (it found nothing to renew) starts the next
        flight itself: at most two flights are awaited."""
        state = await self._join_or_start(auth_id, code, failed_token)
        if failed_token is not None and state.access_token == failed_token:
            state = await self._join_or_start(auth_id, code, failed_token)
        return state

    async def _join_or_start(self, auth_id: str, code: str, failed_token: str | None) -> _TokenState:
        flight = self._flights.get(auth_id)
        if flight is None:
            flight = asyncio.ensure_future(self._flight(auth_id, code, failed_token))
            self._flights[auth_id] = flight
            flight.add_done_callback(lambda done: self._landed(auth_id, done))
        return await asyncio.shield(flight)

    def _landed(self, auth_id: str, flight: asyncio.Future[_TokenState]) -> None:
        if self._flights.get(auth_id) is flight:
            del self._flights[auth_id]
        if not flight.cancelled():
            flight.exception()  # retrieved here too, so that an unawaited failure is not reported as lost

    async def _flight(self, auth_id: str, code: str, failed_token: str | None) -> _TokenState:
        try:
            async for attempt in AsyncRetrying(stop=stop_after_delay(self.lease_seconds + self.http_timeout),
                                               wait=wait_fixed(self.lease_poll),
                                               retry=retry_if_exception_type(_LeaseBusy), reraise=True):
                with attempt:
                    return await self._refresh_or_reuse(auth_id, code, failed_token)
        except _LeaseBusy:
            log.warning("upstream_refresh_lease_timeout", code=code, authorization_id=auth_id)
            raise UpstreamUnavailable(code) from None
        raise AssertionError("unreachable")  # pragma: no cover - AsyncRetrying either returns or raises

    async def _refresh_or_reuse(self, auth_id: str, code: str, failed_token: str | None) -> _TokenState:
        """One look at the token row: reuse the current token, wait for another process, or take the lease and
        refresh."""
        async with self.db.session() as s:
            auth = await s.get(UpstreamAuthorization, auth_id)
        if auth is None or auth.status != ACTIVE:
            raise reauthorization_required(code)
        now = self.now()
        state = self._state(auth)
        still_valid = state.expires_at > now and state.access_token != failed_token
        due = state.expires_at - self._margin(code) <= now
        if still_valid and not due:
            return state
        # A lease of this process's own is stale (one flight per authorization here at a time): take it over.
        if auth.lease_owner not in (None, self.owner) and auth.lease_expires_at and auth.lease_expires_at > now:
            if still_valid:
                return state  # another process is renewing it; this one still works meanwhile
            raise _LeaseBusy
        refresh_token = self._refresh_token(auth)
        if refresh_token is None or (auth.refresh_expires_at is not None and auth.refresh_expires_at <= now):
            if still_valid:
                return state
            await self._mark_reauthorization(auth.id, version=auth.version)
            raise reauthorization_required(code)
        async with self.db.session() as s, s.begin():
            taken = await s.execute(update(UpstreamAuthorization).where(
                UpstreamAuthorization.id == auth.id, UpstreamAuthorization.version == auth.version,
                UpstreamAuthorization.status == ACTIVE,
                or_(UpstreamAuthorization.lease_owner.is_(None), UpstreamAuthorization.lease_owner == self.owner,
                    UpstreamAuthorization.lease_expires_at <= now),
            ).values(lease_owner=self.owner, lease_expires_at=now + timedelta(seconds=self.lease_seconds)))
        if taken.rowcount != 1:
            raise _LeaseBusy
        return await self._refresh_under_lease(auth, code, refresh_token)

    def _refresh_token(self, auth: UpstreamAuthorization) -> str | None:
        if not auth.refresh_token_sealed:
            return None
        try:
            return self.box.decrypt(auth.refresh_token_sealed)
        except ValueError:
            log.error("upstream_token_unreadable", authorization_id=auth.id)
            raise UpstreamUnavailable(auth.source_code) from None

    async def _refresh_under_lease(self, auth: UpstreamAuthorization, code: str, refresh_token: str) -> _TokenState:
        released = False
        try:
            try:
                reg = await registry.get_registration(self.db, self.settings, code, box=self.box)
            except ValueError:
                reg = None
            if reg is None:
                log.error("upstream_registration_unusable", code=code)
                TOKEN_REFRESH_FAILURES.labels(source=code, reason="registration_unusable").inc()
                raise UpstreamUnavailable(code)
            try:
                response = await oauth.refresh(reg, refresh_token=refresh_token, http_timeout=self.http_timeout)
            except UpstreamGrantInvalid:
                released = await self._mark_reauthorization(auth.id, owner=self.owner)
                log.warning("upstream_reauthorization_required", code=code, authorization_id=auth.id)
                TOKEN_REFRESH_FAILURES.labels(source=code, reason="reauthorization_required").inc()
                raise reauthorization_required(code) from None
            except UpstreamTokenError as exc:
                log.warning("upstream_refresh_failed", code=code, authorization_id=auth.id, reason=str(exc))
                TOKEN_REFRESH_FAILURES.labels(source=code, reason="upstream_error").inc()
                raise UpstreamUnavailable(code) from None
            now = self.now()
            issued = oauth.issued_tokens(response, reg=reg, now=now)
            # Authlib echoes the old refresh token when the response has none (RFC 6749 §6 lets the server keep it).
            rotated = issued.refresh_token is not None and issued.refresh_token != refresh_token
            values = {
                "access_token_sealed": self.box.encrypt(issued.access_token), "token_type": issued.token_type,
                "access_expires_at": issued.expires_at, "version": UpstreamAuthorization.version + 1,
                "lease_owner": None, "lease_expires_at": None, "refreshed_at": now, "updated_at": now}
            if rotated:
                values["refresh_token_sealed"] = self.box.encrypt(issued.refresh_token)
            if issued.refresh_expires_at is not None or rotated:
                values["refresh_expires_at"] = issued.refresh_expires_at
            if issued.scope:
                values["scope"] = issued.scope
            async with self.db.session() as s, s.begin():
                stored = await s.execute(update(UpstreamAuthorization).where(
                    UpstreamAuthorization.id == auth.id, UpstreamAuthorization.lease_owner == self.owner)
                    .values(**values))
            if stored.rowcount != 1:
                log.error("upstream_refresh_lease_lost", code=code, authorization_id=auth.id)
                TOKEN_REFRESH_FAILURES.labels(source=code, reason="lease_lost").inc()
                raise UpstreamUnavailable(code)
            released = True
            log.info("upstream_token_refreshed", code=code, authorization_id=auth.id, rotated=rotated)
            TOKEN_REFRESHES.labels(source=code).inc()
            return _TokenState(access_token=issued.access_token, token_type=issued.token_type,
                               expires_at=issued.expires_at)
        finally:
            if not released:
                await self._release(auth.id)

    async def _release(self, auth_id: str) -> None:
        async with self.db.session() as s, s.begin():
            await s.execute(update(UpstreamAuthorization).where(
                UpstreamAuthorization.id == auth_id, UpstreamAuthorization.lease_owner == self.owner)
                .values(lease_owner=None, lease_expires_at=None))

    async def _mark_reauthorization(self, auth_id: str, *, owner: str | None = None,
                                    version: int | None = None) -> bool:
        """Set ``reauthorization_required`` (and drop the lease). With ``owner`` only while holding the lease; with
        ``version`` only if nobody refreshed meanwhile. Returns whether the row was updated."""
        stmt = update(UpstreamAuthorization).where(UpstreamAuthorization.id == auth_id)
        if owner is not None:
            stmt = stmt.where(UpstreamAuthorization.lease_owner == owner)
        if version is not None:
            stmt = stmt.where(UpstreamAuthorization.version == version)
        async with self.db.session() as s, s.begin():
            done = await s.execute(stmt.values(status=REAUTHORIZATION_REQUIRED, lease_owner=None,
                                               lease_expires_at=None, updated_at=self.now()))
            if done.rowcount == 1:  # the operators' activity log (issue 15)
                auth = await s.get(UpstreamAuthorization, auth_id)
                s.add(activity_event("reauthorisation_needed", actor="gateway", at=self.now(),
                                     source_code=auth.source_code if auth else None,
                                     detail=f"upstream authorisation {auth_id} needs the user's consent again"))
        return done.rowcount == 1
