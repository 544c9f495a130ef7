"""The contract every source-system adapter implements.

An adapter translates Xero Accounting API operations to one source system (the native ledger, QBO, Sage…). The
front end never imports a concrete adapter: it asks :mod:`adapters.registry` for the class registered under a
source code, instantiates it once per process, and dispatches each call to the method named after the spec's
``operationId`` in snake case (``getInvoices`` → ``get_invoices``).

Normative rules:

- An operation method MUST have the signature
  ``async def get_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result`` and MUST return the
  canonical models of :mod:`gateway.xero.models` (Xero's field names, ``Decimal`` money in the document's
  currency, dates as ``date``/aware UTC ``datetime``).
- An operation the adapter does not define is unsupported: the front end answers HTTP 501 with a Xero-shaped
  body naming the operation and the source code. An adapter MAY raise
  :class:`gateway.xero.errors.OperationNotSupported` for a supported method's unsupported variant.
- Capabilities are derived, never listed: :meth:`SourceAdapter.supported_operations`.
- Errors: raise only :class:`gateway.xero.errors.XeroApiError` subclasses (``ValidationException`` with echoed
  elements, ``NotFound``, ``QueryParseException``…). With ``req.query.summarize_errors`` true (the default) a write
  with any invalid element MUST raise ``ValidationException`` and write nothing; with it false the adapter writes
  the valid elements and returns every element, failed ones carrying ``HasErrors``/``ValidationErrors`` and
  ``StatusAttributeString`` ``"ERROR"``.
- ``ctx.tenant_id`` has already been checked against the caller's connections; the adapter MUST scope every read
  and write to that tenant.
- Exactly-once under ``Idempotency-Key`` (``gateway/api/idempotency.py``): the gateway claims the key in its own
  database before the call and completes it after; when the outcome of an earlier call with the key is unknown (a
  5xx, a crash between the source's commit and the gateway's), it calls :meth:`SourceAdapter.recorded_write`
  before calling the operation again. An adapter whose source cannot find its own earlier write by
  ``req.idempotency_key`` MUST override it (the native ledger commits the key with the write); one whose source
  dedupes by the key (QBO ``requestid``, Sage's write ledger, Sage 50's job key) MAY keep the default.

Upstream sign-in (``sign_in = "upstream"``: QBO, Sage Accounting), where users authorise the gateway through the
source system's own OAuth 2.0 consent (the flow is the gateway's: :mod:`gateway.upstream`):

- The adapter MUST implement :meth:`SourceAdapter.tenants_for_authorization`: given the token set of a fresh
  consent and the callback's query parameters, return the tenants that consent covers, each built with
  :func:`upstream_tenant` (a stable ``tenant_id``: uuid5 of the source code and the upstream key, so that the same
  QBO realm or Sage business always maps to the same Xero ``tenantId``). QBO: one tenant per consent, the
  ``realmId`` of the callback, named from ``CompanyInfo``. Sage: ``GET /businesses``, one tenant per business.
- It MAY override :meth:`SourceAdapter.upstream_scopes` (default: ``services.default_scope``, the source's scope in
  ``mappings/upstream_sources.toml``) and :meth:`SourceAdapter.user_for_authorization` (the upstream user, e.g.
  Sage ``GET /user``; default: none, the gateway then derives a stable user from the consented tenants).
- It receives its collaborators from the source pool as ``services`` (:class:`AdapterServices`) at construction,
  never later: ``services.credentials`` (a :class:`CredentialsProvider`), ``services.db`` (a
  :class:`DatabaseHandle` on the gateway's database, where the adapter keeps its own tables, created
  by the gateway's migrations before :meth:`SourceAdapter.startup`: their ``MetaData`` is named in
  ``gateway.migrations.trees.GATEWAY``) and ``services.default_scope`` (the source's consent scope).
- For every Xero call it MUST obtain its credentials ONCE, ``creds = await credentials.credentials(self.code,
  ctx.tenant_id)``, and use them for every upstream request of that call (:mod:`adapters.common.unit`):
  ``creds.access_token``, ``creds.tenant_key`` (QBO realmId, Sage business id) and ``creds.api_base``; the
  provider renews the access token ahead of expiry, once across processes. When the source answers 401 to a token
  believed valid, the adapter MAY call ``await credentials.refresh(self.code, ctx.tenant_id,
  failed_token=creds.access_token)`` and retry the request once. Both raise
  :class:`gateway.xero.errors.Unauthorized` when the tenant needs re-authorization (let it propagate) and
  :class:`adapters.common.errors.UpstreamUnavailable` (503) when the token endpoint cannot be reached.
- :meth:`SourceAdapter.list_tenants` SHOULD return ``await credentials.tenants(self.code)`` (the tenants
  consented so far).
"""

from __future__ import annotations

import re
import uuid
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol, runtime_checkable

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gateway.settings import Settings
from gateway.xero.request import RequestContext, Result, XeroRequest

from .agents import AgentLink
from .common.changes import ChangeFeed

#: Namespace of upstream tenant ids: ``uuid5(UPSTREAM_TENANT_NAMESPACE, f"{code}/{tenant_key}")``.
UPSTREAM_TENANT_NAMESPACE = uuid.UUID("3b0f7c52-9d6e-5a41-8c2f-7e1d4a6b9c03")


@dataclass(frozen=True)
class Tenant:
    """One Xero tenant (organisation) the source system serves.

    Attributes:
        tenant_key: the tenant's key at an upstream source (QBO ``realmId``, Sage business ``id``); empty for
            sources that sign users in locally.
    """

    tenant_id: str
    name: str
    tenant_type: str = "ORGANISATION"
    tenant_key: str = ""


def upstream_tenant_id(code: str, tenant_key: str) -> str:
    """The stable Xero ``tenantId`` of an upstream tenant: uuid5 of the source code and the upstream key."""
    return str(uuid.uuid5(UPSTREAM_TENANT_NAMESPACE, f"{code}/{tenant_key}"))


def upstream_tenant(code: str, tenant_key: str, name: str, tenant_type: str = "ORGANISATION") -> Tenant:
    """A :class:`Tenant` of an upstream source, with its stable id (:func:`upstream_tenant_id`).

    Raises:
        ValueError: empty ``tenant_key``.
    """
    if not tenant_key:
        raise ValueError("an upstream tenant needs its upstream key")
    return Tenant(tenant_id=upstream_tenant_id(code, tenant_key), name=name, tenant_type=tenant_type,
                  tenant_key=tenant_key)


@dataclass(frozen=True)
class UpstreamToken:
    """The token set of a fresh upstream consent, as :meth:`SourceAdapter.tenants_for_authorization` sees it.

    Attributes:
        access_token: the upstream access token (send it as ``Authorization: Bearer``); never log it.
        api_base: the registered API base URL (no trailing slash): QBO ``https://quickbooks.api.intuit.com`` (or
            the sandbox host), Sage ``https://api.accounting.sage.com/v3.1``.
        expires_at: when ``access_token`` expires (aware UTC).
        response: the other members of the token response (``id_token``, ``requested_by_id``…); no secret.
    """

    access_token: str = field(repr=False)
    token_type: str
    api_base: str
    scope: str
    expires_at: datetime
    response: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class UpstreamCredentials:
    """What an adapter needs for the upstream requests of one Xero call (given by :class:`CredentialsProvider`).

    Attributes:
        code: the gateway source code (``"1004"``).
        tenant_id: the Xero ``tenantId``.
        tenant_key: the tenant at the source (QBO ``realmId``, Sage business id for ``X-Business``).
        access_token: send as ``Authorization: Bearer``; never log it.
        token_type: the token type of the source's token response (``bearer``).
        api_base: API base URL without trailing slash (QBO host, Sage ``…/v3.1``).
        expires_at: the access token's expiry (aware UTC).
        authorization_id: the upstream authorization serving the tenant.
    """

    code: str
    tenant_id: str
    tenant_key: str
    access_token: str = field(repr=False)
    token_type: str
    api_base: str
    expires_at: datetime
    authorization_id: str


@runtime_checkable
class CredentialsProvider(Protocol):
    """The gateway's upstream token store as an adapter sees it (the gateway's ``UpstreamTokens`` implements it).

    Implementations MUST renew an access token ahead of its expiry and at most once across processes, and MUST
    raise :class:`gateway.xero.errors.Unauthorized` (tenant needs re-authorization) or a 503
    :class:`gateway.xero.errors.XeroApiError` (token endpoint unreachable) rather than anything else.
    """

    async def credentials(self, code: str, tenant_id: str) -> UpstreamCredentials:
        """The tenant's credentials, renewed first when due."""
        ...

    async def refresh(self, code: str, tenant_id: str, *, failed_token: str) -> UpstreamCredentials:
        """Renew ``failed_token`` (the source answered 401 to it) unless another call already did."""
        ...

    async def tenants(self, code: str) -> list[Tenant]:
        """Every tenant of source ``code`` consented so far."""
        ...


@runtime_checkable
class ThrottleRecorder(Protocol):
    """What a :class:`CredentialsProvider` MAY also implement: a record of the source's HTTP 429s per tenant, which
    the operators' console shows as the tenant's "throttled" status (the gateway's ``UpstreamTokens`` implements it;
    issue 15). :class:`adapters.common.http.UpstreamClient` reports every 429 it receives for a stored tenant.

    Implementations MUST NOT raise: the call's own answer (Xero's 429) matters more than the record.
    """

    async def throttled(self, code: str, tenant_id: str, *, retry_after: int | None) -> None:
        """The source answered HTTP 429 for ``tenant_id`` now; ``retry_after``: its ``Retry-After`` in seconds
        (``None`` when it sent none, or an HTTP-date)."""
        ...


@runtime_checkable
class DatabaseHandle(Protocol):
    """The gateway's database as an adapter sees it (``gateway.store.db.Database`` implements it).

    Attributes:
        engine: the async engine (``engine.dialect.name`` is ``sqlite`` or ``postgresql``), migrated: the adapters'
            own tables are created and altered by the gateway's migration tree (``gateway.migrations.trees``).
        session: the session factory (``expire_on_commit=False``).
    """

    engine: AsyncEngine
    session: async_sessionmaker[AsyncSession]


@dataclass(frozen=True)
class AdapterServices:
    """The collaborators the source pool hands an upstream or agent-connected adapter at construction.

    Attributes:
        db: the gateway's database, for the adapter's own tables (GUID maps, write ledgers, replicas).
        credentials: the upstream credentials provider (``sign_in == "upstream"``).
        default_scope: the source's consent scopes (``scope`` in ``mappings/upstream_sources.toml``).
        agents: the on-premise agents' link (``sign_in == "agent"``: :class:`adapters.agents.AgentLink`).
    """

    db: DatabaseHandle
    credentials: CredentialsProvider | None = None
    default_scope: tuple[str, ...] = ()
    agents: AgentLink | None = None


@dataclass(frozen=True)
class LedgerUser:
    """A person who signs in at the gateway (local sign-in adapters only)."""

    user_id: str
    email: str
    given_name: str = ""
    family_name: str = ""
    tenant_ids: tuple[str, ...] = field(default_factory=tuple)


class SignInNotSupported(Exception):
    """Raised by local sign-in hooks of an adapter whose users sign in upstream."""


def snake_case(operation_id: str) -> str:
    """``getInvoiceAsPdf`` → ``get_invoice_as_pdf``; ``getOrganisationCISSettings`` → ``…_cis_settings``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", operation_id).lower()


class SourceAdapter(ABC):
    """Base class of every adapter.

    Class attributes:
        system_name: the source system's name, for errors and the coverage matrix.
        sign_in: ``"local"`` when users sign in at the gateway against the adapter (native ledger);
            ``"upstream"`` when the authorization is delegated to the source's own OAuth consent.
        web_extension: ``"module:function"`` of an aiohttp ``setup(app)`` that adds the source's own HTTP surface
            beside Xero's (the native ledger's Partner Bookkeeping API), or ``None``. The gateway mounts it through
            :func:`adapters.registry.web_extensions` without importing the adapter's package.

    Args:
        code: the gateway source code this instance serves (``"1000"``).
        settings: validated gateway settings.
        services: the collaborators an upstream adapter needs (:class:`AdapterServices`), given by the source pool
            at construction; ``None`` for local adapters, which keep their own state.
    """

    system_name: ClassVar[str] = ""
    sign_in: ClassVar[str] = "local"
    web_extension: ClassVar[str | None] = None

    def __init__(self, *, code: str, settings: Settings, services: AdapterServices | None = None) -> None:
        self.code = code
        self.settings = settings
        self.services = services

    @classmethod
    def signs_in_upstream(cls) -> bool:
        """Whether users authorise this source through its own OAuth consent (``sign_in == "upstream"``)."""
        return cls.sign_in == "upstream"

    @property
    def credentials(self) -> CredentialsProvider:
        """The upstream credentials provider (``services.credentials``).

        Raises:
            RuntimeError: the adapter was built without services (a local adapter, or a test forgot them).
        """
        if self.services is None or self.services.credentials is None:
            raise RuntimeError(f"source {self.code}: the adapter needs credentials (given by the source pool)")
        return self.services.credentials

    async def startup(self) -> None:
        """Open connections, create schema, seed data. Called once before the first request."""

    async def shutdown(self) -> None:
        """Release what :meth:`startup` opened."""

    @abstractmethod
    async def list_tenants(self) -> list[Tenant]:
        """Every tenant this source serves (for the CLI and consent)."""

    # Local sign-in (``sign_in == "local"``) -------------------------------------------------------------

    async def authenticate_user(self, email: str, password: str) -> LedgerUser | None:
        """Check a user's credentials; ``None`` when they are wrong. Raises :class:`SignInNotSupported`."""
        raise SignInNotSupported(self.code)

    async def get_ledger_user(self, user_id: str) -> LedgerUser | None:
        """A signed-in user by id; ``None`` when unknown. Raises :class:`SignInNotSupported`."""
        raise SignInNotSupported(self.code)

    async def find_ledger_user(self, email: str) -> LedgerUser | None:
        """A user by e-mail address; ``None`` when unknown. Raises :class:`SignInNotSupported`."""
        raise SignInNotSupported(self.code)

    async def create_user(self, *, email: str, password: str, tenant_ids: list[str],
                          given_name: str = "", family_name: str = "") -> LedgerUser:
        """Add a user with access to ``tenant_ids``. Raises ``ValueError`` (duplicate e-mail, unknown tenant)
        or :class:`SignInNotSupported`."""
        raise SignInNotSupported(self.code)

    # Upstream sign-in (``sign_in == "upstream"``) ------------------------------------------------------

    def upstream_scopes(self, xero_scopes: frozenset[str]) -> list[str]:
        """The upstream scopes to request for a consent.

        Args:
            xero_scopes: the Xero scopes the partner app asked for (an adapter may ask for a read-only upstream
                scope when they are all ``.read`` scopes).

        Returns:
            Scope names of the source; default: ``services.default_scope`` (the source's ``scope`` in
            ``mappings/upstream_sources.toml``, passed in by the source pool).
        """
        return list(self.services.default_scope) if self.services is not None else []

    async def tenants_for_authorization(self, token: UpstreamToken, callback_params: Mapping[str, str]) -> list[Tenant]:
        """The tenants a fresh upstream consent covers, each made with :func:`upstream_tenant`.

        Args:
            token: the consent's token set (call the source with ``token.access_token`` at ``token.api_base``).
            callback_params: the query parameters of the source's redirect to the gateway (QBO: ``realmId``).

        Returns:
            One tenant (QBO) or several (Sage); an empty list when the consent covers none.

        Raises:
            SignInNotSupported: the adapter does not sign users in upstream. Any other exception makes the consent
                fail (the partner app receives ``error=access_denied``).
        """
        raise SignInNotSupported(self.code)

    async def user_for_authorization(self, token: UpstreamToken,
                                     callback_params: Mapping[str, str]) -> LedgerUser | None:
        """The upstream user behind a fresh consent (``user_id`` stable per upstream user), or ``None`` (default)
        when the source does not say; the gateway then derives a stable user id from the consented tenants."""
        return None

    # Changes made at the source (webhooks) ---------------------------------------------------------------

    def change_feed(self) -> ChangeFeed | None:
        """The source's change feed (:class:`adapters.common.changes.ChangeFeed`), or ``None`` (default) when the
        gateway cannot observe changes made directly in the source by polling it.

        An adapter whose source can list its changes since a moment (QBO Change Data Capture, Sage
        ``updated_or_created_since``/``deleted_since``) SHOULD return one; the gateway's webhook detectors poll it
        for every tenant with a subscribed app.
        """
        return None

    # Idempotency-Key -----------------------------------------------------------------------------------------

    async def recorded_write(self, ctx: RequestContext, req: XeroRequest) -> Result | None:
        """The answer of an earlier call of ``req.operation_id`` with ``req.idempotency_key`` whose write committed.

        The gateway calls this, for a keyed ``PUT``/``POST`` only, when an earlier call with the same key and request
        ended with an unknown outcome; a :class:`Result` is answered (and stored for later replays) as if the
        operation had returned it, ``None`` makes the gateway call the operation again.

        Args:
            ctx: the caller (the key is scoped to ``ctx.source_code``, ``ctx.client_id`` and ``ctx.tenant_id``).
            req: the retried request (same operation, body and key as the call whose outcome is unknown).

        Returns:
            The earlier call's answer, or ``None`` (default) when no write committed under the key or the adapter
            cannot tell. The default is correct only for an adapter whose operations dedupe by the key themselves.

        Raises:
            XeroApiError: the source could not be asked (the outcome stays unknown).
        """
        return None

    # Answer cache ----------------------------------------------------------------------------------------------

    async def answer_version(self, ctx: RequestContext, operation_id: str) -> Hashable | None:
        """The version of the tenant's data under which the gateway may cache the answer of a read.

        The gateway (``gateway/api/answer_cache.py``) calls this, after the guard and the rate limiter admitted a
        ``GET``, and serves a kept answer when one was rendered for the same version, operation, path parameters,
        query, caller and answer-changing headers. An adapter that returns a version MUST change it in the same
        transaction as any change to the tenant's data that could change the operation's answer, in every process
        serving the source, and MUST NOT return one for an operation whose answer depends on anything else (the
        date, an upstream, the process).

        Args:
            ctx: the admitted caller (``ctx.tenant_id`` names the data).
            operation_id: the spec ``operationId`` about to be called.

        Returns:
            A hashable version, or ``None`` (default): never cached.

        Raises:
            XeroApiError: the version could not be read (the call then fails as the operation would).
        """
        return None

    # Online documents --------------------------------------------------------------------------------------------

    async def online_invoice(self, token: str) -> Result | None:
        """The public page of an online invoice (the ``OnlineInvoiceUrl`` of ``getOnlineInvoice``), which the
        gateway serves at ``/{code}/online/invoice/{token}`` without sign-in (:mod:`gateway.api.online`).

        An adapter that implements ``getOnlineInvoice`` with URLs of that route MUST implement this; the token is
        the only credential, so it MUST be unguessable and the answer MUST be ``None`` for any token it did not
        issue.

        Args:
            token: the last path segment, as sent.

        Returns:
            The page (``content`` and ``content_type``, e.g. the invoice's PDF), or ``None`` (default): unknown token,
            answered 404.
        """
        return None

    # Capabilities ------------------------------------------------------------------------------------------

    @classmethod
    def supported_operations(cls, operation_ids: Iterable[str]) -> frozenset[str]:
        """The spec ``operationId``s this adapter class implements (derived from its methods)."""
        return frozenset(op for op in operation_ids if callable(getattr(cls, snake_case(op), None)))

    def operation(self, operation_id: str) -> Callable[..., Awaitable[Any]] | None:
        """The bound method serving ``operation_id``.

        Returns:
            ``async (ctx, req) -> Result``, or ``None`` when the adapter does not implement the operation.
        """
        method = getattr(self, snake_case(operation_id), None)
        return method if callable(method) else None
