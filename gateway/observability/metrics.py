"""The gateway's Prometheus metrics, defined once (prometheus_client's default registry).

prometheus_client keeps metrics in process-wide registries by design (one per process; with several worker
processes its multiprocess mode aggregates them, see :mod:`gateway.observability.views`), so these are module
constants rather than application state. Names follow Prometheus' conventions
(https://prometheus.io/docs/practices/naming/): the ``xero_gateway_`` prefix, ``_total`` for counters, the unit in
the name (``_seconds``). Labels are bounded: ``source`` is a gateway source code (``1000``…) or ``none``,
``operation`` a Xero ``operationId`` or a gateway route template.

The upstream calls' metrics live in :mod:`adapters.common.metrics` (the adapters may not import the gateway); the
same registry exports them.

This module imports nothing of the project, so that any module may import it without a cycle.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

#: Every HTTP request the gateway answered.
REQUESTS = Counter("xero_gateway_requests_total", "HTTP requests answered by the gateway.",
                   ["source", "operation", "status"])
#: Time from the request's arrival to its response, in seconds.
REQUEST_DURATION = Histogram("xero_gateway_request_duration_seconds", "Time to answer one HTTP request, seconds.",
                             ["source", "operation"])
#: Accounting API calls refused by the rate limiter (Xero's 429 with ``X-Rate-Limit-Problem``).
RATE_LIMIT_REJECTIONS = Counter("xero_gateway_rate_limit_rejections_total",
                                "Calls refused with HTTP 429 by the gateway's rate limits.", ["source", "problem"])
#: ``Idempotency-Key`` requests answered with a stored response instead of calling the adapter.
IDEMPOTENT_REPLAYS = Counter("xero_gateway_idempotent_replays_total",
                             "Requests answered by replaying the stored response of their Idempotency-Key.",
                             ["source", "operation"])
#: Versioned reads answered from the answer cache (gateway/api/answer_cache.py), and those that had to be computed.
ANSWER_CACHE_HITS = Counter("xero_gateway_answer_cache_hits_total",
                            "Reads answered with a kept answer of the same data version.", ["source", "operation"])
ANSWER_CACHE_MISSES = Counter("xero_gateway_answer_cache_misses_total",
                              "Versioned reads computed and rendered (no kept answer of their data version).",
                              ["source", "operation"])
#: Upstream access tokens refreshed by the gateway.
TOKEN_REFRESHES = Counter("xero_gateway_upstream_token_refreshes_total",
                          "Upstream access tokens refreshed.", ["source"])
#: Upstream token refreshes that failed, by reason.
TOKEN_REFRESH_FAILURES = Counter("xero_gateway_upstream_token_refresh_failures_total",
                                 "Upstream token refreshes that failed.", ["source", "reason"])
#: Webhook deliveries answered with something other than 2xx (or not answered).
WEBHOOK_DELIVERY_FAILURES = Counter("xero_gateway_webhook_delivery_failures_total",
                                    "Webhook deliveries that failed (non-2xx answer, timeout or connection error).")
#: Webhook events waiting in the outbox (read from the database at each scrape: :mod:`.gauges`).
WEBHOOK_BACKLOG = Gauge("xero_gateway_webhook_backlog_events", "Webhook events waiting for delivery.",
                        multiprocess_mode="mostrecent")
#: Seconds since each Sage 50 company's replica was last synced by its connector (read at each scrape).
AGENT_SYNC_LAG = Gauge("xero_gateway_agent_sync_lag_seconds",
                       "Seconds since each agent-served company was last synced by its connector.",
                       ["source", "tenant_id"], multiprocess_mode="mostrecent")
