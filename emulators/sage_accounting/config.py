"""The emulator's settings, validated once (pydantic), from constructor options or a TOML/JSON file.

Defaults are Sage's documented values where Sage documents one (upstream-contracts.md §2 "OAuth 2.0", "Lists",
"Rate limits"; developer.sage.com "Frequently Raised Errors" for the 60-second authorisation code). Values the
vendor does not document are marked *unconfirmed* at the attribute. Tests shorten lifetimes, or move the emulator's
clock (``POST /_emulator/clock``).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: The list-envelope spellings of the page size (pagination guide: ``$itemsPerPage``; best-practices guide:
#: ``$items_per_page``). Which one the live API sends per endpoint is unconfirmed.
ITEMS_PER_PAGE_KEYS = ("$itemsPerPage", "$items_per_page")


class FaultRule(BaseModel):
    """One injected fault, matched against each ``/v3.1/…`` request in order; the first match applies.

    Attributes:
        kind: ``latency`` (delay, then answer normally), ``server_error`` (HTTP ``status`` with Sage's
            ``UnexpectedError`` body), ``malformed`` (HTTP 200 with a truncated JSON body), ``unauthorized`` (401 as
            for an expired access token), ``throttle`` (429 as the request limit answers).
        path: an ``fnmatch`` pattern on the path after ``/v3.1`` (``/sales_invoices*``, ``*``).
        method: ``GET``/``POST``/``PUT``/``DELETE`` or ``*``.
        count: how many requests the rule still applies to; ``-1`` for every request.
        status: the HTTP status of ``server_error`` (500-599; Sage documents 500 and 503).
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
    """A developer app the token endpoint accepts (Sage Developer Self Service: Client ID / Client Secret)."""

    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(min_length=1)
    client_secret: str = Field(min_length=1)


class EmulatorConfig(BaseModel):
    """Settings of one emulator instance.

    Attributes:
        clients: accepted developer apps; empty means any ``client_id`` is accepted and bound to the first secret
            it authenticates with at the token endpoint (demos). Tests pin clients here or through
            ``PUT /_emulator/clients``.
        access_token_lifetime: seconds (Sage: 300, ``expires_in``).
        refresh_token_lifetime: seconds (Sage: 2678400 = 31 days, ``refresh_token_expires_in``).
        refresh_grace_seconds: how long a rotated refresh token still works (0: Sage rotates on every use; a grace
            period is not documented).
        authorization_code_lifetime: seconds (Sage: 60, single use; "Frequently Raised Errors").
        requests_per_minute: per business over a sliding 60-second window (Sage v3.0's documented 200 calls per
            60 s per business; the v3.1 figure is unconfirmed).
        requests_per_day: per business per UTC day, or ``None`` for no daily limit (a third-party figure of 2,500 is
            unconfirmed, so none by default).
        retry_after: seconds to send in ``Retry-After`` with a 429, or ``None`` to send no such header (Sage
            documents no rate-limit headers; unconfirmed).
        require_business_header: refuse a business-scoped request without ``X-Business`` (422). Sage itself falls
            back to the user's lead business (Authentication guide); strict mode catches an adapter that forgets
            the header. Set ``false`` for Sage's documented behaviour.
        items_per_page_key: which spelling of the page size list envelopes carry (see ``ITEMS_PER_PAGE_KEYS``).
        seed_dir: a folder of Sage-format JSON loaded at start (layout: :mod:`emulators.sage_accounting.seed`);
            without it the built-in demo data is loaded (``demo_data``).
        demo_data: load the built-in deterministic demo documents when no ``seed_dir`` is given.
        validate_requests: check POST/PUT bodies against the spec's ``post*``/``put*`` definitions and answer 422
            on a mismatch (needs the spec files; :mod:`emulators.sage_accounting.spec`).
        spec_dir: the folder of Sage's swagger files (default: ``shared/contracts/sage-accounting`` beside the
            repository, or ``$SAGE_ACCOUNTING_SPEC_DIR``).
        timezone: the businesses' zone for "today" (default dates); timestamps are UTC.
        faults: fault-injection rules (also settable at run time: ``/_emulator/faults``).
        request_log_size: how many requests the log keeps (the per-path counters are unbounded).
    """

    model_config = ConfigDict(extra="forbid")

    clients: list[OAuthClient] = Field(default_factory=list)
    access_token_lifetime: int = Field(default=300, gt=0)
    refresh_token_lifetime: int = Field(default=2_678_400, gt=0)
    refresh_grace_seconds: int = Field(default=0, ge=0)
    authorization_code_lifetime: int = Field(default=60, gt=0)
    requests_per_minute: int = Field(default=200, gt=0)
    requests_per_day: int | None = Field(default=None, gt=0)
    retry_after: int | None = Field(default=None, ge=0)
    require_business_header: bool = True
    items_per_page_key: Literal["$itemsPerPage", "$items_per_page"] = "$itemsPerPage"
    seed_dir: str | None = None
    demo_data: bool = True
    validate_requests: bool = False
    spec_dir: str | None = None
    timezone: str = "Europe/London"
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
