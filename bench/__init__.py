"""Benchmarks of the gateway: ``make bench`` runs :mod:`bench.request_path`; the other scripts measure one thing
each."""
