"""Alembic environment of the gateway tree (gateway.migrations.trees); the work is in gateway.migrations.environment."""

from gateway.migrations.environment import run

run("gateway")
