"""The migrations alone make the schema at start-up: no module of the gateway or of an adapter creates tables of its
own (``create_all``) beside the runner's recipe for a new database. An adapter creating its tables at start-up
hid tables that no revision created (a later database would lack them) and raced the migrations' write lock."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Where ``create_all`` belongs: the runner's new-database recipe, and the tests' and tools' helper
#: (``gateway.store.db.Database.create_all``).
ALLOWED = {"gateway/migrations/runner.py", "gateway/store/db.py"}


def create_all_calls(root: Path, packages: tuple[str, ...] = ("gateway", "adapters")) -> list[str]:
    """``path:line`` of every ``….create_all`` named in the modules of ``packages`` outside :data:`ALLOWED`."""
    found = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if relative in ALLOWED:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and node.attr == "create_all":
                    found.append(f"{relative}:{node.lineno}")
    return found


def test_no_start_up_creates_tables_beside_the_migrations():
    assert create_all_calls(ROOT) == []


def test_the_finder_sees_a_planted_create_all(tmp_path):
    module = tmp_path / "adapters" / "planted" / "tables.py"
    module.parent.mkdir(parents=True)
    module.write_text("async def create_tables(db):\n    async with db.engine.begin() as conn:\n"
                      "        await conn.run_sync(METADATA.create_all)\n")
    assert create_all_calls(tmp_path) == ["adapters/planted/tables.py:3"]
