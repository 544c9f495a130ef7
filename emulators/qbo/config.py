"""The emulator's settings, validated once (pydantic), from constructor options or a TOML/JSON file.

Every default is QBO's documented value (upstream-contracts.md §1 "Throttling", "OAuth 2.0"); tests shorten the
lifetimes to expire tokens, or move the emulator's clock (``POST /_emulator/clock``).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: The default company (realm) id: a numeric string, as Intuit's are (upstream-contracts.md §1 "Entity shapes").
DEFAULT_REALM_ID = "9341452000000001"


class FaultRule(BaseModel):
    """One injected fault, matched against each ``/v3/company/…`` request in order; the first match applies.

    Attributes:
        kind: ``latency`` (delay, then answer normally), ``server_error`` (HTTP ``status``, QBO's gateway body),
            ``malformed`` (a truncated JSON body with HTTP 200), ``unauthorized`` (401 "Token expired", Intuit's
            lower-case gateway envelope), ``throttle`` (429 ThrottleExceeded, XML as QBO sends it).
        path: an ``fnmatch`` pattern on the path after ``/v3/company/{realmId}`` (``/query``, ``/invoice*``, ``*``).
        method: ``GET``/``POST`` or ``*``.
        count: how many requests the rule still applies to; ``-1`` for every request.
        status: the HTTP status of ``server_error`` (500, 502, 503, 504).
        latency_ms: the delay of ``latency``.
    """

    model_config = ConfigDict(extra="forbid")

    kind: Literal["latency", "server_error", "malformed", "unauthorized", "throttle"]
    path: str = "*"
    method: str = "*"
    count: int = -1
    status: int = Field(default=500, ge=500, le=599)
    latency_ms: int = Field(default=0, ge=0, le=60_000)


class OAuthClient(BaseModel):
    """A developer app the token endpoint accepts (Intuit's Keys & credentials)."""

    model_config = ConfigDict(extra="forbid")

    client_id: str
    client_secret: str


class EmulatorConfig(BaseModel):
    """Settings of one emulator instance.

    Attributes:
        realm_id: the default company; seeded data belongs to it and the authorize endpoint grants it.
        realms: further (empty) companies.
        clients: accepted developer apps; empty means any ``client_id`` is accepted and bound to the first secret
            it authenticates with at the token endpoint (convenient for demos; tests can pin clients).
        access_token_lifetime: seconds (Intuit: 3600, ``expires_in``).
        refresh_token_lifetime: seconds, rolling (Intuit: 100 days, ``x_refresh_token_expires_in``).
        refresh_token_hard_lifetime: seconds from the first grant (Intuit blog 2025-11: at most 5 years).
        refresh_grace_seconds: how long a rotated refresh token still works (0: Intuit says always use the newest;
            the grace period of the real service is unconfirmed).
        authorization_code_lifetime: seconds (unconfirmed for Intuit; RFC 6749 §4.1.2 recommends ≤ 10 minutes).
        requests_per_minute: per realm (Intuit: 500, batch included).
        batch_requests_per_minute: per realm (Intuit: 40).
        concurrent_requests: per realm (Intuit: 10).
        max_batch_items: items in one batch request (Intuit: 30).
        timezone: the company's zone for ``MetaData`` times and ``time`` (the samples are US Pacific).
        seed_dir: a folder of Intuit-format JSON loaded at start (see :mod:`emulators.qbo.seed`).
        check_properties: refuse request properties the XSD does not know (Fault 2010; needs ``xmlschema``).
        xsd_dir: Intuit's XSD folder (default ``shared/contracts/qbo/xsd`` beside the repository).
        faults: fault-injection rules (also settable at run time: ``/_emulator/faults``).
        request_log_size: how many requests the log keeps (the per-path counters are unbounded).
    """

    model_config = ConfigDict(extra="forbid")

    realm_id: str = Field(default=DEFAULT_REALM_ID, pattern=r"^\d{1,20}$")
    realms: list[str] = Field(default_factory=list)
    clients: list[OAuthClient] = Field(default_factory=list)
    access_token_lifetime: int = Field(default=3600, gt=0)
    refresh_token_lifetime: int = Field(default=100 * 86400, gt=0)
    refresh_token_hard_lifetime: int = Field(default=5 * 365 * 86400, gt=0)
    refresh_grace_seconds: int = Field(default=0, ge=0)
    authorization_code_lifetime: int = Field(default=600, gt=0)
    requests_per_minute: int = Field(default=500, gt=0)
    batch_requests_per_minute: int = Field(default=40, gt=0)
    concurrent_requests: int = Field(default=10, gt=0)
    max_batch_items: int = Field(default=30, gt=0)
    timezone: str = "America/Los_Angeles"
    seed_dir: str | None = None
    check_properties: bool = True
    xsd_dir: str | None = None
    faults: list[FaultRule] = Field(default_factory=list)
    request_log_size: int = Field(default=1000, gt=0)

    @classmethod
    def from_file(cls, path: str | Path, **overrides: Any) -> EmulatorConfig:
        """Read a ``.toml`` or ``.json`` file (top-level keys are the attributes above).

        Raises:
            ValueError: unreadable file or invalid settings (pydantic's ``ValidationError`` is a ``ValueError``).
        """
        file = Path(path)
        text = file.read_text(encoding="utf-8")
        data = tomllib.loads(text) if file.suffix.lower() == ".toml" else json.loads(text)
        return cls.model_validate({**data, **overrides})

    def all_realms(self) -> list[str]:
        """The default realm first, then the others (duplicates dropped)."""
        return list(dict.fromkeys([self.realm_id, *self.realms]))
