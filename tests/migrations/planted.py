"""A gateway metadata with one column that no migration adds (``identity_apps.planted_column``): what a developer
who changes a model and forgets the revision leaves behind. Used by test_schema_matches_head to prove the check
fails then."""

from __future__ import annotations

from sqlalchemy import Column, MetaData, String

from gateway.migrations.trees import GATEWAY

METADATA = MetaData()
for _metadata in GATEWAY.load_metadata():
    for _table in _metadata.sorted_tables:
        _table.to_metadata(METADATA)
METADATA.tables["identity_apps"].append_column(Column("planted_column", String(20), nullable=True))
