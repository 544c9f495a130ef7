"""Throttling of failed sign-ins and failed client authentications (issue 11, item 2).

Xero documents no numbers for its own login; ours follow NIST SP 800-63B §5.2.2 ("limit consecutive failed
authentication attempts … to no more than 100"), far tighter so that guessing is slow:

- sign-in at ``/identity/login``: :data:`ACCOUNT_FAILURES` failures per e-mail address and :data:`ADDRESS_FAILURES`
  per client IP address, each within :data:`WINDOW_S` seconds;
- ``/connect/token``: the same numbers per ``client_id`` and per client IP address for wrong client secrets.

Once a key has that many failures in its sliding window, further attempts are refused *before* the password or
secret is checked (so a right password does not get in either) until the oldest failure leaves the window. The
failure log and its sliding window are pyrate-limiter's (``InMemoryBucket`` with ``Rate``): per process, which a
throttle can afford (several processes each allow as many).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from cachetools import TTLCache
from pyrate_limiter import Duration, InMemoryBucket, Rate, RateItem

#: Failures allowed per account (e-mail address or ``client_id``) within :data:`WINDOW_S`. Ours.
ACCOUNT_FAILURES = 10
#: Failures allowed per client IP address within :data:`WINDOW_S` (several users may share one address). Ours.
ADDRESS_FAILURES = 50
#: The sliding window, in seconds (15 minutes). Ours.
WINDOW_S = 15 * 60
#: Most keys tracked at once (oldest forgotten first): bounds memory under a spray of addresses.
MAX_KEYS = 100_000


class FailureThrottle:
    """Failures per key in a sliding window; a key at its limit is refused until its oldest failure expires.

    Args:
        limit: failures allowed per key within ``window_s``.
        window_s: the window, in seconds.
        clock: epoch seconds (tests move it by hand).
    """

    def __init__(self, *, limit: int, window_s: int = WINDOW_S, clock: Callable[[], float] = time.time) -> None:
        self.limit = limit
        self.window_ms = int(Duration.SECOND) * window_s
        self.clock = clock
        self._buckets: TTLCache[str, InMemoryBucket] = TTLCache(maxsize=MAX_KEYS, ttl=window_s,
                                                                timer=clock)

    def _now_ms(self) -> int:
        return int(self.clock() * 1000)

    def blocked(self, key: str) -> bool:
        """Whether ``key`` already has ``limit`` failures in the window (the next attempt must be refused)."""
        bucket = self._buckets.get(key)
        if bucket is None:
            return False
        oldest_counted = bucket.peek(self.limit - 1)
        return oldest_counted is not None and self._now_ms() - oldest_counted.timestamp < self.window_ms

    def failed(self, key: str) -> None:
        """Record one failure of ``key``."""
        now = self._now_ms()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = InMemoryBucket([Rate(self.limit, self.window_ms)])
        bucket.leak(now)
        bucket.put(RateItem(key, now))
        self._buckets[key] = bucket  # (re)arms the entry's expiry: forgotten a window after its last failure


class SignInThrottle:
    """One throttle per account and one per client address.

    Args:
        clock: epoch seconds.
    """

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self.accounts = FailureThrottle(limit=ACCOUNT_FAILURES, clock=clock)
        self.addresses = FailureThrottle(limit=ADDRESS_FAILURES, clock=clock)

    def blocked(self, *, account: str, address: str) -> bool:
        """Whether an attempt for ``account`` from ``address`` must be refused unchecked."""
        return self.accounts.blocked(account.strip().lower()) or self.addresses.blocked(address)

    def failed(self, *, account: str, address: str) -> None:
        """Record a failed attempt."""
        self.accounts.failed(account.strip().lower())
        self.addresses.failed(address)


#: The message shown (sign-in page) or sent (``error_description``) when throttled.
THROTTLED_MESSAGE = ("Too many failed attempts. Wait 15 minutes before trying again.")
