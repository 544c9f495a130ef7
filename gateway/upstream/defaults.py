"""Per-source defaults of upstream OAuth (``mappings/upstream_sources.toml``), validated into typed objects.

A source code without an entry has no default: its operator must give every URL to ``xero-gateway sources set``.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

import mappings
from gateway.settings import SOURCE_CODES

TokenAuthMethod = Literal["client_secret_basic", "client_secret_post"]


class SourceDefaults(BaseModel):
    """The defaults of one source system.

    Attributes:
        api_base: environment name → API base URL (``{"": url}`` when the source has no environments).
        default_environment: the environment used when the operator names none (``None``: no environments).
        scope: upstream scopes requested at consent.
        token_endpoint_auth_method: client authentication at the token endpoint (RFC 6749 §2.3.1).
        refresh_token_expires_in: token-response fields holding the refresh token's lifetime in seconds.
        refresh_margin: seconds before expiry at which an access token is refreshed.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    authorize_url: str | None = None
    token_url: str | None = None
    revoke_url: str | None = None
    api_base: dict[str, str] = Field(default_factory=dict)
    default_environment: str | None = None
    scope: tuple[str, ...] = ()
    token_endpoint_auth_method: TokenAuthMethod = "client_secret_basic"  # noqa: S105 - a method name
    refresh_token_expires_in: tuple[str, ...] = ()
    refresh_margin: int = Field(60, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _api_base_mapping(cls, data: dict) -> dict:
        base = data.get("api_base")
        if isinstance(base, str):
            data = {**data, "api_base": {"": base}}
        return data

    @model_validator(mode="after")
    def _environment_known(self) -> SourceDefaults:
        environments = self.environments
        if environments and self.default_environment not in environments:
            raise ValueError(f"source {self.code}: default_environment must be one of {environments}")
        if not environments and self.default_environment is not None:
            raise ValueError(f"source {self.code}: default_environment without [api_base] environments")
        return self

    @property
    def environments(self) -> tuple[str, ...]:
        """Named environments (``("sandbox", "production")`` for QBO), empty when the source has none."""
        return tuple(k for k in self.api_base if k)


@cache
def _table() -> dict[str, SourceDefaults]:
    raw = mappings.load("upstream_sources").get("sources", {})
    table = {}
    for code, entry in raw.items():
        if code not in SOURCE_CODES:
            raise ValueError(f"mappings/upstream_sources.toml: {code} is not a source code")
        table[code] = SourceDefaults.model_validate({**entry, "code": code})
    return table


def source_defaults(code: str) -> SourceDefaults:
    """The defaults of source ``code`` (empty defaults when the table has no entry for it).

    Raises:
        pydantic.ValidationError, ValueError: the TOML table is malformed (at start-up, on first use).
    """
    return _table().get(code) or SourceDefaults(code=code)
