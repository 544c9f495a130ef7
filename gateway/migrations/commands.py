"""What ``xero-gateway db upgrade|current|revision`` do, over every tree of :mod:`.trees`.

``upgrade`` and ``current`` act on the databases the settings name (``settings.database_url``,
``settings.native_database_url``), as ``serve`` would open them. ``revision`` writes a new revision file into the
tree's ``versions/`` folder of a source checkout: Alembic's autogenerate compares the metadata with a scratch SQLite
database brought to the current head, so it needs no running database (docs/migrations.md).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command

from gateway.settings import Settings
from gateway.store.db import make_engine
from gateway.store.files import private_dir

from . import runner
from .trees import TREES, Tree


def _engine(settings: Settings, tree: Tree):
    url = getattr(settings, tree.setting)
    if url.startswith("sqlite") and "///" in url:
        private_dir(settings.data_dir)  # 0700, as serve makes it
    return make_engine(url)


async def upgrade(settings: Settings) -> dict[str, str]:
    """Migrate every database to its head.

    Returns:
        ``{tree name: "created" | "adopted" | "upgraded" | "current"}`` (see :func:`.runner.upgrade`).

    Raises:
        gateway.migrations.runner.MigrationError, sqlalchemy.exc.SQLAlchemyError: a tree failed (rolled back).
    """
    done = {}
    for tree in TREES.values():
        engine = _engine(settings, tree)
        try:
            done[tree.name] = await runner.upgrade(engine, tree)
        finally:
            await engine.dispose()
    return done


async def current(settings: Settings) -> dict[str, dict[str, object]]:
    """Each database's revisions and its tree's heads.

    Returns:
        ``{tree name: {"current": [revision, …], "heads": [revision, …], "up_to_date": bool}}``; ``current`` is
        empty for a database never migrated (new, or of the release before migrations).
    """
    found = {}
    for tree in TREES.values():
        engine = _engine(settings, tree)
        try:
            now, heads = await runner.revisions(engine, tree)
        finally:
            await engine.dispose()
        found[tree.name] = {"current": list(now), "heads": list(heads), "up_to_date": now == heads}
    return found


async def revision(tree_name: str, message: str) -> list[Path]:
    """Autogenerate a revision of ``tree_name`` from the difference between its metadata and its head.

    Returns:
        The paths of the files written (empty ``upgrade()`` when nothing differs: then delete it).

    Raises:
        KeyError: no such tree.
    """
    tree = TREES[tree_name]
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite+aiosqlite:///{Path(scratch) / 'head.db'}")
        try:
            async with engine.connect() as conn:
                await conn.run_sync(lambda sync: command.upgrade(runner.config(tree, sync), "head"))
                scripts = await conn.run_sync(
                    lambda sync: command.revision(runner.config(tree, sync), message=message, autogenerate=True))
        finally:
            await engine.dispose()
    runner.script.cache_clear()  # the new head
    found = scripts if isinstance(scripts, list) else [scripts]
    return [Path(script.path) for script in found if script is not None]
