"""What every tree's ``env.py`` runs: Alembic's migration environment for one :class:`~.trees.Tree`.

Three ways in:

- from the gateway (:mod:`.runner`): ``config.attributes["connection"]`` is an open synchronous connection inside
  the transaction the runner holds (its lock), so the migrations join that transaction;
- from Alembic's own command line (``alembic -c gateway/migrations/alembic.ini -n gateway upgrade head``): the URL
  comes from ``-x url=…``, else from the gateway's settings (``XERO_GATEWAY_CONFIG``), as the ``serve`` command
  would use it;
- offline (``--sql``): the SQL is printed, nothing is connected.

Autogenerate renders SQLite-safe batch operations (``render_as_batch``; SQLite alters a table by copying it,
https://alembic.sqlalchemy.org/en/latest/batch.html) and compares column types.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import TypeDecorator, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from .trees import TREES, Tree


def _include_name(tree: Tree):
    others = set().union(*(other.table_names() for other in TREES.values() if other.name != tree.name))

    def include(name: str | None, type_: str, _parents) -> bool:
        # A database may hold both trees (one PostgreSQL database for both URLs): each one ignores the other's
        # tables and version table.
        if type_ != "table" or name is None:
            return True
        return name not in others and not name.startswith("alembic_version")

    return include


def _render_item(type_: str, obj, _autogen_context) -> str | bool:
    # A revision must not import application code that later changes: a TypeDecorator (UTCDateTime) is written as
    # the column type it stores.
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def _options(tree: Tree) -> dict:
    return {"target_metadata": tree.load_metadata(), "version_table": tree.version_table, "render_as_batch": True,
            "compare_type": True, "include_name": _include_name(tree), "render_item": _render_item}


def _url(context, tree: Tree) -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from gateway.settings import load_settings

    return getattr(load_settings(), tree.setting)


def run(tree_name: str) -> None:
    """Run the migrations of ``tree_name`` in the current Alembic context (called by the tree's ``env.py``).

    ``config.attributes["tree"]``, when set (:func:`gateway.migrations.runner.config`), is the
    :class:`~.trees.Tree` to use instead of the one registered under ``tree_name``.
    """
    from alembic import context

    tree = context.config.attributes.get("tree") or TREES[tree_name]
    if context.is_offline_mode():
        context.configure(url=_url(context, tree), literal_binds=True, **_options(tree))
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run_on(context, tree, connection)
        return

    async def main() -> None:
        engine = create_async_engine(_url(context, tree), poolclass=pool.NullPool)
        try:
            async with engine.connect() as conn:
                await conn.run_sync(lambda sync: _run_on(context, tree, sync))
                await conn.commit()
        finally:
            await engine.dispose()

    asyncio.run(main())


def _run_on(context, tree: Tree, connection: Connection) -> None:
    context.configure(connection=connection, **_options(tree))
    with context.begin_transaction():
        context.run_migrations()
