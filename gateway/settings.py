"""Gateway settings, validated once at start-up.

Shape: ``config/default.toml`` (shipped in the package's directory tree) merged with an optional operator file
(``--config PATH``) and command-line overrides. Every consumer receives a :class:`Settings`; nothing reads the
environment or the files again.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config" / "default.toml"

#: Source-software codes the gateway routes (first path segment). Code -> source system.
SOURCE_CODES: dict[str, str] = {
    "1000": "Native ledger (embedded)",
    "1001": "Sage 50 / Sage Desktop UK",
    "1004": "QuickBooks Online",
    "1009": "Sage Business Cloud Accounting",
    "1010": "Partner Bookkeeping API ledger",
}


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ServerSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)
    public_url: str = ""
    data_dir: Path = Path("data")
    provider_name: str = "Xero Gateway"


class IdentitySettings(_Section):
    access_token_lifetime: int = Field(1800, gt=0)
    id_token_lifetime: int = Field(300, gt=0)
    authorization_code_lifetime: int = Field(300, gt=0)
    refresh_token_grace: int = Field(1800, ge=0)
    refresh_token_idle_expiry: int = Field(60 * 86400, gt=0)
    secure_cookies: bool = False
    #: entries per in-process identity cache (verified tokens, apps, authorisations, connections; identity/cache.py)
    cache_size: int = Field(10000, gt=0)
    #: seconds between two reads of the revocation count by one process: how soon a revocation made by another
    #: process takes effect here (one primary-key SELECT each time)
    revocation_poll_interval: float = Field(1.0, gt=0)


class NativeSettings(_Section):
    database_url: str = ""
    demo_company: bool = True
    demo_user_email: str = "demo@xero-gateway.local"
    demo_user_password: str = "demo-ledger-password"  # noqa: S105 - documented demo default


class DatabaseSettings(_Section):
    url: str = ""


class RateLimitSettings(_Section):
    """Xero's published API limits (https://developer.xero.com/documentation/guides/oauth2/limits/ and
    https://developer.xero.com/faq/limits): per tenant (app + tenant pair) 60 calls a minute, 5,000 a day and 5 in
    progress at once; per app 10,000 calls a minute across tenants. ``concurrency_lease`` (seconds) bounds how long a
    crashed process can hold a concurrency slot.

    Where the counters live (``store``, gateway/ratelimit/):

    - ``"memory"`` (the default): in the process, no I/O per call; for one gateway process only, since each process
      would count on its own;
    - ``"redis"``: one Redis server shared by every process, at ``redis_url`` (e.g. ``redis://127.0.0.1:6379/0``;
      ``rediss://`` for TLS, credentials in the URL); keys start with ``redis_prefix`` (processes with the same URL
      and prefix share budgets); one round trip per call plus one for the release, each given up after
      ``redis_timeout`` seconds (the call then fails rather than waits on a hung server);
    - ``"database"``: the gateway's own database (``[database] url``), for several processes on PostgreSQL without
      Redis; two statements per call plus one for the release.
    """

    enabled: bool = True
    tenant_per_minute: int = Field(60, gt=0)
    tenant_per_day: int = Field(5000, gt=0)
    tenant_concurrent: int = Field(5, gt=0)
    app_per_minute: int = Field(10000, gt=0)
    concurrency_lease: int = Field(300, gt=0)
    store: Literal["memory", "redis", "database"] = "memory"
    redis_url: str = ""
    redis_prefix: str = "xero-gateway:rate:"
    redis_timeout: float = Field(2.0, gt=0)

    @model_validator(mode="after")
    def _redis_needs_a_url(self) -> RateLimitSettings:
        if self.store == "redis" and not self.redis_url:
            raise ValueError('[rate_limits] store = "redis" needs redis_url (e.g. "redis://127.0.0.1:6379/0")')
        return self


class IdempotencySettings(_Section):
    """``Idempotency-Key`` records (gateway/api/idempotency.py): ``retention`` seconds a key is remembered,
    ``wait`` seconds a concurrent duplicate waits for the first call's outcome before answering 409,
    ``in_progress_timeout`` seconds after which a call still marked in progress (its process died) counts as an
    unknown outcome."""

    retention: int = Field(86400, gt=0)
    wait: float = Field(10.0, ge=0)
    in_progress_timeout: int = Field(300, gt=0)


class AnswerCacheSettings(_Section):
    """Rendered answers of reads kept in process under the tenant's data version (gateway/api/answer_cache.py):
    only for the operations an adapter versions (``SourceAdapter.answer_version``), after the guard and the rate
    limiter admitted the call. ``max_bytes`` bounds the kept bodies (least recently used dropped first)."""

    enabled: bool = True
    max_bytes: int = Field(64 * 1024 * 1024, gt=0)


class AgentSettings(_Section):
    """Sources reached through an on-premise connector (Sage 50, code 1001; docs/sage50-agent.md):
    ``write_wait`` seconds a write waits for the connector before answering 503 with ``Retry-After`` (the job stays
    queued; a retry with the same ``Idempotency-Key`` gets its outcome), ``lease`` seconds a connector holds a job
    before it is served again, ``offline_after`` seconds without a poll after which a connector counts as offline
    (a keyless write is then refused before queueing)."""

    write_wait: float = Field(25.0, ge=0, le=120)
    lease: int = Field(120, ge=1, le=3600)
    offline_after: int = Field(60, ge=1, le=3600)


class WebhooksSettings(_Section):
    """Webhook deliveries (gateway/webhooks): ``poll_interval`` seconds between outbox polls, ``batch_size`` events
    per delivery at most, ``delivery_timeout`` seconds a receiver has to answer (Xero: 5, for deliveries and
    intent-to-receive), ``lease`` seconds a worker holds a claimed batch (after that another process delivers it
    again), ``retry_initial``/``retry_max`` seconds of the exponential retry schedule and ``retry_window`` seconds
    after the first failed attempt when the subscription is disabled (Xero: 24 hours)."""

    enabled: bool = True
    poll_interval: float = Field(2.0, gt=0)
    batch_size: int = Field(100, gt=0)
    delivery_timeout: float = Field(5.0, gt=0)
    lease: float = Field(60.0, gt=0)
    retry_initial: float = Field(30.0, gt=0)
    retry_max: float = Field(3600.0, gt=0)
    retry_window: float = Field(86400.0, gt=0)
    #: Change detectors (gateway/webhooks/detectors.py): whether this process polls sources, how often (seconds) it
    #: looks for tenants due, each source's poll interval in seconds (QBO CDC: 1 call per poll against 500/minute
    #: per realm; Sage: up to 10 calls per poll against a reported 2,500/day per business), the seconds of clock
    #: difference allowed when recognising the gateway's own writes, how long they are remembered, and how old a
    #: detected change must be before it is announced (``settle``: the gateway's own write is remembered only after
    #: the source answered it).
    detect: bool = True
    detect_tick: float = Field(1.0, gt=0, le=60)
    poll_intervals: dict[str, float] = Field(default_factory=lambda: {"1004": 300.0, "1009": 900.0})
    own_write_slack: float = Field(2.0, ge=0, le=300)
    settle: float = Field(2.0, ge=0, le=300)
    own_write_keep: float = Field(3600.0, gt=0)

    @model_validator(mode="after")
    def _lease_outlasts_a_delivery(self) -> WebhooksSettings:
        # a lease shorter than a delivery would let a second worker send the same batch while the first still waits
        if self.lease <= self.delivery_timeout:
            raise ValueError("webhooks.lease must be longer than webhooks.delivery_timeout")
        return self


class SmtpSettings(_Section):
    """The operator's SMTP server, through which ``emailInvoice`` sends invoices (native ledger).

    ``host`` empty means no server is configured: ``emailInvoice`` then answers a Xero-shaped 400 saying so.
    ``starttls`` upgrades a plain connection (port 587); ``use_tls`` connects with implicit TLS (port 465).
    ``from_address`` is the sender (``From``); ``password`` is never printed (``SecretStr``).
    """

    host: str = ""
    port: int = Field(587, ge=1, le=65535)
    username: str = ""
    password: SecretStr = SecretStr("")
    starttls: bool = True
    use_tls: bool = False
    from_address: str = ""
    timeout: float = Field(30.0, gt=0)

    @model_validator(mode="after")
    def _one_tls_mode(self) -> SmtpSettings:
        if self.starttls and self.use_tls:
            raise ValueError("smtp.starttls and smtp.use_tls exclude each other")
        if self.host and not self.from_address:
            raise ValueError("smtp.from_address is required when smtp.host is set")
        return self


class ObservabilitySettings(_Section):
    """``/metrics`` access (gateway.observability.views): loopback clients always; others only with
    ``Authorization: Bearer <metrics_token>``; an empty token (the default) keeps it loopback-only."""

    metrics_token: SecretStr = SecretStr("")


class HostModeSettings(_Section):
    """Host mode (gateway/hostmode): Xero's own paths served at the root for requests whose ``Host`` is one of
    Xero's hostnames, so that SDKs that hard-code them work unmodified once the operator points those names at the
    gateway (DNS or hosts file) and serves a certificate for them (``serve --tls-cert --tls-key``).

    ``identity_host`` serves discovery, JWKS, the token, revocation and userinfo endpoints (and is the tokens'
    ``iss``: ``https://{identity_host}``, what xero-node's openid-client expects); ``login_host`` the authorize
    page; ``api_host`` ``/connections`` and ``/api.xro/2.0``. Hostnames: Xero's developer docs
    (https://developer.xero.com/documentation/guides/oauth2/auth-flow).
    """

    enabled: bool = False
    identity_host: str = "identity.xero.com"
    login_host: str = "login.xero.com"
    api_host: str = "api.xero.com"


class TlsSettings(_Section):
    """TLS terminated by the gateway itself (``serve --tls-cert PEM --tls-key PEM``); empty: plain HTTP."""

    cert_file: str = ""
    key_file: str = ""

    @model_validator(mode="after")
    def _both(self) -> TlsSettings:
        if bool(self.cert_file) != bool(self.key_file):
            raise ValueError("tls.cert_file and tls.key_file go together")
        return self
class ActivitySettings(_Section):
    """The operators' activity log (gateway/store/activity.py): rows older than ``retention_days`` are deleted every
    ``prune_interval`` seconds by the serving process."""

    retention_days: int = Field(365, ge=1)
    prune_interval: float = Field(3600.0, gt=0)


class ConsoleSettings(_Section):
    """The operators' web console at ``/admin`` (gateway/console) and the app lifecycle it shows.

    ``enabled`` mounts it (the intervals below apply either way: gateway/housekeeping.py); ``usage_flush_interval``
    seconds between two writes of the apps' and connections' "last used" (at most one write per app per interval,
    never one per call); ``expiry_sweep_interval`` seconds between two looks for apps whose expiry has passed (their
    cached status is dropped and ``app_expired`` logged once); ``session_max_age`` seconds an operator's sign-in
    lasts.
    """

    enabled: bool = True
    usage_flush_interval: float = Field(60.0, gt=0)
    expiry_sweep_interval: float = Field(5.0, gt=0)
    session_max_age: int = Field(8 * 3600, gt=0)


class Settings(_Section):
    server: ServerSettings = ServerSettings()
    host_mode: HostModeSettings = HostModeSettings()
    tls: TlsSettings = TlsSettings()
    identity: IdentitySettings = IdentitySettings()
    native: NativeSettings = NativeSettings()
    database: DatabaseSettings = DatabaseSettings()
    rate_limits: RateLimitSettings = RateLimitSettings()
    idempotency: IdempotencySettings = IdempotencySettings()
    answer_cache: AnswerCacheSettings = AnswerCacheSettings()
    agents: AgentSettings = AgentSettings()
    webhooks: WebhooksSettings = WebhooksSettings()
    smtp: SmtpSettings = SmtpSettings()
    observability: ObservabilitySettings = ObservabilitySettings()
    activity: ActivitySettings = ActivitySettings()
    console: ConsoleSettings = ConsoleSettings()

    @property
    def data_dir(self) -> Path:
        return self.server.data_dir

    @property
    def public_url(self) -> str:
        """Base URL of the gateway as clients see it, without trailing slash."""
        if self.server.public_url:
            return self.server.public_url.rstrip("/")
        scheme = "https" if self.tls.cert_file else "http"
        return f"{scheme}://{self.server.host}:{self.server.port}"

    def issuer(self, code: str) -> str:
        """OIDC issuer (and ``iss`` claim) for one source code: ``{public_url}/{code}``."""
        return f"{self.public_url}/{code}"

    @property
    def database_url(self) -> str:
        return self.database.url or f"sqlite+aiosqlite:///{self.data_dir.resolve() / 'gateway.db'}"

    @property
    def native_database_url(self) -> str:
        return self.native.database_url or f"sqlite+aiosqlite:///{self.data_dir.resolve() / 'ledger.db'}"


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def load_settings(
    config_path: str | Path | None = None,
    *,
    port: int | None = None,
    host: str | None = None,
    data_dir: str | Path | None = None,
    host_mode: bool | None = None,
    tls_cert: str | None = None,
    tls_key: str | None = None,
) -> Settings:
    """Load and validate settings.

    Args:
        config_path: optional operator TOML merged over ``config/default.toml``.
        port, host, data_dir: command-line overrides (win over both files).
        host_mode, tls_cert, tls_key: ``serve --host-mode --tls-cert PEM --tls-key PEM`` (win over both files).

    Raises:
        pydantic.ValidationError: a value is of the wrong type or an unknown key is present.
        FileNotFoundError: ``config_path`` does not exist.
    """
    data: dict[str, Any] = {}
    if DEFAULT_CONFIG.exists():
        data = tomllib.loads(DEFAULT_CONFIG.read_text())
    if config_path:
        data = _merge(data, tomllib.loads(Path(config_path).read_text()))
    server = data.setdefault("server", {})
    if port is not None:
        server["port"] = port
    if host is not None:
        server["host"] = host
    if data_dir is not None:
        server["data_dir"] = str(data_dir)
    if host_mode is not None:
        data.setdefault("host_mode", {})["enabled"] = host_mode
    if tls_cert is not None or tls_key is not None:
        tls = data.setdefault("tls", {})
        tls.update({k: v for k, v in (("cert_file", tls_cert), ("key_file", tls_key)) if v is not None})
    return Settings.model_validate(data)
