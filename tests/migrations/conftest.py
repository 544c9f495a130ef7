"""Fixtures of the migration tests: a fresh SQLite or PostgreSQL database (tests/pg.py), and helpers that run
Alembic's commands on an async engine."""

from __future__ import annotations

from tests.pg import database_url, pg_cluster  # noqa: F401  (fixtures)
