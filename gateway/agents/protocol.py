"""The agent protocol's request bodies (v1, docs/sage50-agent.md), validated with pydantic.

Unknown members are ignored (a newer agent may send more); wrong types answer 400 ``invalid_request``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class CompanyBody(_Body):
    company_key: str = Field(min_length=1, max_length=128)
    name: str = Field(min_length=1, max_length=200)
    data_path: str = Field("", max_length=1000)


class PairBody(_Body):
    pairing_code: str = Field(min_length=4, max_length=32)
    agent_name: str = Field("", max_length=200)
    agent_version: str = Field("", max_length=40)
    companies: list[CompanyBody] = Field(default_factory=list, max_length=100)


class CompanyStatus(_Body):
    last_sync_at: str | None = None
    error: str | None = Field(None, max_length=120)


class PollBody(_Body):
    companies: list[CompanyBody] = Field(default_factory=list, max_length=100)
    status: dict[str, CompanyStatus] = Field(default_factory=dict)


class SyncBody(_Body):
    company_key: str = Field(min_length=1, max_length=128)
    table: str = Field(min_length=1, max_length=64)
    rows: list[dict[str, Any]] = Field(default_factory=list, max_length=5000)
    deleted: list[Any] = Field(default_factory=list, max_length=5000)
    final: bool = False
    watermark: str | None = None


class ErrorBody(_Body):
    code: str = Field(max_length=80)
    message: str = Field("", max_length=2000)


class ResultBody(_Body):
    status: Literal["succeeded", "failed", "retryable"]
    result: dict[str, Any] | None = None
    error: ErrorBody | None = None
