"""The migration trees: one per database the gateway owns, as data.

Each tree has its own Alembic script directory (``gateway/migrations/<name>/``) and its own version table, so that
both may live in one database (a PostgreSQL database given as both ``database_url`` and ``native.database_url``).
The metadata of a tree are named ``"module:attribute"`` and imported lazily, like the adapter registry
(adapters/registry.py): the gateway's schema never imports a concrete adapter, yet the adapters' tables that live in
the gateway's database (ids maps, write ledgers, history, contact groups, the Sage 50 replica) are migrated with it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import reduce
from pathlib import Path

from sqlalchemy import MetaData

__all__ = ["GATEWAY", "LEDGER", "TREES", "Tree"]

_HERE = Path(__file__).parent


@dataclass(frozen=True)
class Tree:
    """One database's migration history.

    Attributes:
        name: the tree's name, also its folder under ``gateway/migrations/`` (``gateway``, ``ledger``).
        version_table: Alembic's version table in that database.
        metadata: ``"module:attribute"`` of every ``MetaData`` whose tables the tree migrates (dotted attributes
            allowed, e.g. ``"adapters.native.tables:NativeBase.metadata"``).
        setting: the :class:`gateway.settings.Settings` property holding the database URL.
    """

    name: str
    version_table: str
    metadata: tuple[str, ...]
    setting: str

    @property
    def script_location(self) -> Path:
        """The tree's Alembic script directory (``env.py``, ``versions/``)."""
        return _HERE / self.name

    def load_metadata(self) -> list[MetaData]:
        """Import and return the tree's ``MetaData`` objects.

        Raises:
            ImportError, AttributeError: a named module or attribute does not exist.
        """
        found = []
        for spec in self.metadata:
            module, _, attribute = spec.partition(":")
            found.append(reduce(getattr, attribute.split("."), importlib.import_module(module)))
        return found

    def table_names(self) -> set[str]:
        """The names of every table the tree migrates."""
        return {name for metadata in self.load_metadata() for name in metadata.tables}


#: The gateway's own database (``settings.database_url``).
GATEWAY = Tree(
    name="gateway", version_table="alembic_version", setting="database_url",
    metadata=("gateway.store.schema:metadata", "adapters.qbo.tables:METADATA",
              "adapters.sage_accounting.tables:METADATA", "adapters.sage50.tables:metadata"))
#: The native ledger's database (``settings.native_database_url``).
LEDGER = Tree(name="ledger", version_table="alembic_version_ledger", setting="native_database_url",
              metadata=("adapters.native.tables:NativeBase.metadata",
                        "adapters.native.partner.tables:PartnerBase.metadata"))
#: Every tree by name.
TREES = {tree.name: tree for tree in (GATEWAY, LEDGER)}
