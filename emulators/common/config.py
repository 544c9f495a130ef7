"""What every emulator's settings share: fault rules, accepted developer apps, token lifetimes, the request log.

Each emulator subclasses :class:`BaseEmulatorConfig`, gives the fields without a default its upstream's documented
value (the vendor's figure belongs with the vendor) and adds its own fields. Settings are validated once (pydantic),
from constructor options or a TOML/JSON file (:meth:`BaseEmulatorConfig.from_file`).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

#: A positive duration in seconds, or a positive count (requests per minute).
Positive = Annotated[int, Field(gt=0)]


class FaultRule(BaseModel):
    """One injected fault, matched against each API request in order; the first match applies.

    What each ``kind`` answers is the emulator's own (its ``injection`` module says).

    Attributes:
        kind: ``latency`` (delay, then answer normally), ``server_error`` (HTTP ``status``), ``malformed`` (HTTP 200
            with a truncated JSON body), ``unauthorized`` (401 as for an expired access token), ``throttle`` (429),
            ``disconnect`` (the request is served, its write committed, then the connection drops unanswered).
        path: an ``fnmatch`` pattern on the path below the API root (``/query``, ``/sales_invoices*``, ``*``).
        method: an HTTP method (``GET``, ``POST``…) or ``*``.
        count: how many requests the rule still applies to; ``-1`` for every request.
        status: the HTTP status of ``server_error`` (500-599).
        latency_ms: the delay of ``latency``.
    """

    model_config = ConfigDict(extra="forbid")

    kind: Literal["latency", "server_error", "malformed", "unauthorized", "throttle", "disconnect"]
    path: str = "*"
    method: str = "*"
    count: int = -1
    status: int = Field(default=500, ge=500, le=599)
    latency_ms: int = Field(default=0, ge=0, le=60_000)


class OAuthClient(BaseModel):
    """A developer app the token endpoint accepts (its client id and secret)."""

    model_config = ConfigDict(extra="forbid")

    client_id: str
    client_secret: str


class BaseEmulatorConfig(BaseModel):
    """The settings every emulator has; a subclass sets the upstream's defaults and adds its own.

    Attributes:
        clients: accepted developer apps; empty means any ``client_id`` is accepted and bound to the first secret
            it authenticates with at the token endpoint (demos; tests pin clients).
        access_token_lifetime: seconds (``expires_in``).
        refresh_token_lifetime: seconds.
        refresh_grace_seconds: how long a rotated refresh token still works (0: a used one fails at once).
        authorization_code_lifetime: seconds.
        requests_per_minute: the request limit per company or business.
        timezone: the IANA zone of the emulated company or businesses.
        seed_dir: a folder of upstream-format JSON loaded at start.
        faults: fault-injection rules (also settable at run time: ``/_emulator/faults``).
        request_log_size: how many requests the log keeps (the per-path counters are unbounded).
    """

    model_config = ConfigDict(extra="forbid")

    clients: list[OAuthClient] = Field(default_factory=list)
    access_token_lifetime: Positive
    refresh_token_lifetime: Positive
    refresh_grace_seconds: int = Field(default=0, ge=0)
    authorization_code_lifetime: Positive
    requests_per_minute: Positive
    timezone: str
    seed_dir: str | None = None
    faults: list[FaultRule] = Field(default_factory=list)
    request_log_size: Positive = 1000

    @classmethod
    def from_file(cls, path: str | Path, **overrides: Any) -> Self:
        """Read a ``.toml`` or ``.json`` file (top-level keys are the attributes); ``overrides`` win.

        Raises:
            ValueError: unreadable file or invalid settings (pydantic's ``ValidationError`` is a ``ValueError``).
        """
        file = Path(path)
        text = file.read_text(encoding="utf-8")
        data = tomllib.loads(text) if file.suffix.lower() == ".toml" else json.loads(text)
        return cls.model_validate({**data, **overrides})
