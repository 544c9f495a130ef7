"""Fixtures of the scale-out tests: the throwaway PostgreSQL cluster of tests/pg.py."""

from tests.pg import database_url, pg_cluster  # noqa: F401  (fixtures)
