"""Alembic environment of the ledger tree (gateway.migrations.trees); the work is in gateway.migrations.environment."""

from gateway.migrations.environment import run

run("ledger")
