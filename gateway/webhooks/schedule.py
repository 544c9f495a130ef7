"""When a failed delivery is tried again: "with decreasing frequency for up to 24 hours. After 24 hours the webhook
will be disabled" (https://developer.xero.com/documentation/webhooks/configuring-your-server).

The waits are tenacity's exponential schedule (``retry_initial`` × 2ⁿ⁻¹, at most ``retry_max`` seconds); the
schedule is stored per batch (``next_attempt_at``), so it survives restarts and is shared by every process.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tenacity import RetryCallState, wait_exponential

from gateway.settings import WebhooksSettings


class RetrySchedule:
    """The retry rule of one gateway's settings.

    Args:
        settings: ``[webhooks]`` (``retry_initial``, ``retry_max``, ``retry_window`` in seconds).
    """

    def __init__(self, settings: WebhooksSettings) -> None:
        self._wait = wait_exponential(multiplier=settings.retry_initial, max=settings.retry_max)
        self.window = timedelta(seconds=settings.retry_window)

    def delay(self, attempts: int) -> timedelta:
        """The wait after the ``attempts``-th failed attempt (1-based)."""
        state = RetryCallState(retry_object=None, fn=None, args=(), kwargs={})  # type: ignore[arg-type]
        state.attempt_number = max(1, attempts)
        return timedelta(seconds=self._wait(state))

    def expired(self, first_failure_at: datetime, now: datetime) -> bool:
        """``True`` once failures have lasted the whole window: the subscription is then disabled."""
        return now - first_failure_at >= self.window
