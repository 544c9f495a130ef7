"""Observability: Prometheus metrics, health and readiness endpoints, and the request id in every log line.

Modules: :mod:`.metrics` (the metrics, defined once), :mod:`.context` (the request id's key and header),
:mod:`.requests` (the outermost middleware: request id, request metrics), :mod:`.views` (``/metrics``,
``/healthz``, ``/readyz`` and their :func:`~.views.setup`), :mod:`.gauges` (gauges read from the database at each
scrape). This package module imports none of them: low modules (the error middleware, the token store) import
:mod:`.metrics` or :mod:`.context` without pulling in the views.
"""
