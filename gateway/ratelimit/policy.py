"""Xero's API limits as data: the limits, their fixed windows, and what a caller has left.

Source: https://developer.xero.com/documentation/guides/oauth2/limits/ and https://developer.xero.com/faq/limits
(shared/notes/xero-contract.md §4):

- per tenant, i.e. per app and tenant pair ("rate limits apply to each connection"): 5 calls in progress at once,
  60 calls a minute, 5,000 calls a day;
- per app across every tenant: 10,000 calls a minute;
- every response carries ``X-DayLimit-Remaining``, ``X-MinLimit-Remaining`` and ``X-AppMinLimit-Remaining``;
- a call over a limit answers HTTP 429 with ``Retry-After`` (seconds) and ``X-Rate-Limit-Problem`` naming the limit
  (``minute``, ``day``, ``appminute``; xero-python's ``RateLimitException.rate_limit`` reads it, pyxero puts it in
  its message). ``concurrent`` is the gateway's name for the concurrency limit (unconfirmed: Xero's docs do not
  spell the header value for it).

Windows are fixed, not rolling: the UTC minute and the UTC day (Xero's docs say "per minute" and "per day";
whether Xero's windows roll is unconfirmed). A tenant is keyed by source code too: the same tenant id under two
source codes is two organisations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gateway.settings import RateLimitSettings

MINUTE = 60
DAY = 86400

#: ``X-Rate-Limit-Problem`` values.
PROBLEM_MINUTE = "minute"
PROBLEM_DAY = "day"
PROBLEM_APP_MINUTE = "appminute"
PROBLEM_CONCURRENT = "concurrent"

#: Seconds a caller refused for concurrency is told to wait: a slot frees when any call in progress ends, which
#: cannot be predicted (the gateway's choice).
CONCURRENT_RETRY_AFTER = 1


@dataclass(frozen=True)
class Limits:
    """The configured limits (``[rate_limits]`` in config/default.toml).

    Attributes:
        per_minute, per_day, concurrent: per app and tenant.
        app_per_minute: per app across tenants.
        lease: seconds a concurrency slot counts at most (a crashed process's slot frees itself then).
    """

    per_minute: int
    per_day: int
    concurrent: int
    app_per_minute: int
    lease: int

    @classmethod
    def from_settings(cls, settings: RateLimitSettings) -> Limits:
        return cls(per_minute=settings.tenant_per_minute, per_day=settings.tenant_per_day,
                   concurrent=settings.tenant_concurrent, app_per_minute=settings.app_per_minute,
                   lease=settings.concurrency_lease)


@dataclass(frozen=True)
class Windows:
    """The fixed windows an instant falls in (epoch seconds, UTC)."""

    now: float
    minute: int
    day: int

    @classmethod
    def at(cls, now: float) -> Windows:
        return cls(now=now, minute=int(now // MINUTE) * MINUTE, day=int(now // DAY) * DAY)

    def retry_after(self, problem: str) -> int:
        """Whole seconds until the window of ``problem`` ends (at least 1)."""
        if problem == PROBLEM_DAY:
            end = self.day + DAY
        elif problem in (PROBLEM_MINUTE, PROBLEM_APP_MINUTE):
            end = self.minute + MINUTE
        else:
            return CONCURRENT_RETRY_AFTER
        return max(1, math.ceil(end - self.now))


@dataclass(frozen=True)
class Scopes:
    """The counter scopes of one call: who it counts against."""

    tenant: str
    app: str

    @classmethod
    def of(cls, *, code: str, client_id: str, tenant_id: str) -> Scopes:
        return cls(tenant=f"{code}:{client_id}:{tenant_id}", app=client_id)

    @property
    def minute(self) -> str:
        return f"{PROBLEM_MINUTE}:{self.tenant}"

    @property
    def day(self) -> str:
        return f"{PROBLEM_DAY}:{self.tenant}"

    @property
    def app_minute(self) -> str:
        return f"{PROBLEM_APP_MINUTE}:{self.app}"

    @property
    def concurrent(self) -> str:
        return f"{PROBLEM_CONCURRENT}:{self.tenant}"


@dataclass(frozen=True)
class Quota:
    """What the caller has left after this call (never negative)."""

    minute: int
    day: int
    app_minute: int

    def headers(self) -> dict[str, str]:
        """Xero's remaining-calls headers (https://developer.xero.com/faq/limits)."""
        return {"X-MinLimit-Remaining": str(max(0, self.minute)), "X-DayLimit-Remaining": str(max(0, self.day)),
                "X-AppMinLimit-Remaining": str(max(0, self.app_minute))}


def worst_problem(problems: list[str], windows: Windows) -> str:
    """The problem to report when several limits are exceeded: the one whose window ends last (retrying before
    then fails anyway); ties in the order day, minute, appminute, concurrent."""
    order = [PROBLEM_DAY, PROBLEM_MINUTE, PROBLEM_APP_MINUTE, PROBLEM_CONCURRENT]
    return max(problems, key=lambda p: (windows.retry_after(p), -order.index(p)))
