"""The upstream HTTP requests' Prometheus metrics (prometheus_client's default registry).

Defined here, not in ``gateway.observability.metrics``, because the adapters import nothing of the gateway but its
leaves; the gateway's ``/metrics`` exports this registry all the same. Counted once per HTTP exchange in
:meth:`adapters.common.http.UpstreamClient._once`, so every retry and the repeat after a token refresh count.
``outcome`` is the HTTP status, or ``error`` when no answer came (timeout, connection error).
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

#: HTTP requests sent to an upstream, by gateway source code and outcome.
UPSTREAM_REQUESTS = Counter("xero_gateway_upstream_requests_total", "HTTP requests sent to upstream systems.",
                            ["source", "outcome"])
#: Time of one upstream HTTP exchange, in seconds (answers and failures alike).
UPSTREAM_DURATION = Histogram("xero_gateway_upstream_request_duration_seconds",
                              "Time of one HTTP exchange with an upstream system, seconds.", ["source"])
