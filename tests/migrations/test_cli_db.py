"""``xero-gateway db upgrade|current|revision`` (gateway.migrations.commands through gateway.cli)."""

from __future__ import annotations

import json
import shutil

from alembic import command

from gateway.cli import main
from gateway.migrations import commands, runner, trees
from gateway.migrations.trees import Tree
from gateway.store.db import make_engine


def run(capsys, *argv):
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def test_db_upgrade_then_current(capsys, tmp_path):
    data = str(tmp_path / "data")
    code, before = run(capsys, "db", "current", "--data-dir", data)
    assert code == 0 and {name: state["up_to_date"] for name, state in before.items()} == {"gateway": False,
                                                                                          "ledger": False}
    assert run(capsys, "db", "upgrade", "--data-dir", data) == (0, {"gateway": "created", "ledger": "created"})
    code, after = run(capsys, "db", "current", "--data-dir", data)
    assert all(state["up_to_date"] and state["current"] == state["heads"] for state in after.values())
    assert run(capsys, "db", "upgrade", "--data-dir", data) == (0, {"gateway": "current", "ledger": "current"})


async def test_db_revision_autogenerates_what_a_model_change_needs(tmp_path, monkeypatch):
    """A model gains a column: ``db revision`` writes the revision that adds it, and with it the check passes."""
    shutil.copytree(trees.GATEWAY.script_location, tmp_path / "gateway")  # a scratch copy of the source tree
    monkeypatch.setattr(trees, "_HERE", tmp_path)
    planted = Tree(name="gateway", version_table="alembic_version", setting="database_url",
                   metadata=("tests.migrations.planted:METADATA",))
    monkeypatch.setitem(trees.TREES, "gateway", planted)
    runner.script.cache_clear()
    try:
        written = await commands.revision("gateway", "add planted column")
        assert len(written) == 1 and written[0].parent == tmp_path / "gateway" / "versions"
        text = written[0].read_text()
        assert "batch_op.add_column(sa.Column('planted_column', sa.String(length=20), nullable=True))" in text
        engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}")
        try:
            async with engine.connect() as conn:
                await conn.run_sync(lambda sync: command.upgrade(runner.config(planted, sync), "head"))
                await conn.run_sync(lambda sync: command.check(runner.config(planted, sync)))
        finally:
            await engine.dispose()
    finally:
        runner.script.cache_clear()
