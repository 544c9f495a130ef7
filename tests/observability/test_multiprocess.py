"""``/metrics`` with several worker processes: under ``PROMETHEUS_MULTIPROC_DIR`` each process writes its samples to
the directory and the scrape aggregates them (gateway.observability.views._registry, prometheus_client's
multiprocess mode). Each process here is a separate interpreter, as the workers are."""

from __future__ import annotations

import os
import subprocess
import sys

from prometheus_client.parser import text_string_to_metric_families

WORKER = """
from gateway.observability.metrics import REQUESTS
REQUESTS.labels(source="1000", operation="getInvoices", status="200").inc({count})
"""
SCRAPE = """
import sys
from prometheus_client import generate_latest
from gateway.observability.views import _registry
sys.stdout.write(generate_latest(_registry()).decode())
"""


def run(code: str, directory) -> str:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    return subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True,
                          timeout=60).stdout


def test_the_scrape_sums_the_counters_of_every_worker(tmp_path):
    run(WORKER.format(count=2), tmp_path)
    run(WORKER.format(count=3), tmp_path)
    exposition = run(SCRAPE, tmp_path)
    (value,) = [s.value for family in text_string_to_metric_families(exposition) for s in family.samples
                if s.name == "xero_gateway_requests_total"
                and s.labels == {"source": "1000", "operation": "getInvoices", "status": "200"}]
    assert value == 5
