"""Architecture checks over the whole tree: no import cycle, no copy-paste.

- Import cycles: the import graph of the project's packages is built with ``grimp`` counting every import
  statement (module level, inside functions, and under ``if TYPE_CHECKING:``): a lazy or type-only import still
  marks a design knot (shared/notes/architecture-review.md §3, "Circles"). Each strongly connected group of modules
  is a failure, printed with one shortest cycle through it.
- Copy-paste: pylint's duplicate-code checker (R0801, at least :data:`MIN_SIMILAR_LINES` similar lines, comments,
  docstrings, imports and signatures ignored) runs over ``adapters/`` and over ``emulators/``; every reported
  duplicate fails unless its set of modules is in :data:`ALLOWED_DUPLICATES`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
#: The project's own top-level packages (``connector`` once it exists).
PACKAGES = tuple(name for name in ("gateway", "adapters", "emulators", "connector")
                 if (ROOT / name / "__init__.py").exists())

MIN_SIMILAR_LINES = 6
#: Duplicates accepted on purpose: ``frozenset`` of the dotted module names of one reported duplicate.
ALLOWED_DUPLICATES: frozenset[frozenset[str]] = frozenset()

_SIMILAR_MODULE = re.compile(r"^==(?P<module>[\w.]+):\[(?P<start>\d+):(?P<end>\d+)\]$", re.MULTILINE)


def import_graph(packages: tuple[str, ...] = PACKAGES) -> grimp.ImportGraph:
    """Every import between modules of ``packages``, lazy and ``TYPE_CHECKING`` ones included."""
    return grimp.build_graph(*packages, include_external_packages=False, exclude_type_checking_imports=False,
                             cache_dir=None)


def strongly_connected(graph: grimp.ImportGraph) -> list[list[str]]:
    """Groups of two or more modules that import each other, directly or not (Tarjan, iterative); a module that
    imports itself forms a group of one."""
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    counter = 0
    for root in modules:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in edges[node]:
                    groups.append(sorted(group))
    return sorted(groups)


def shortest_cycle(graph: grimp.ImportGraph, group: list[str]) -> list[str]:
    """One shortest cycle through the group's first module: ``[a, b, …, a]``."""
    start = group[0]
    best: tuple[str, ...] | None = None
    for target in graph.find_modules_directly_imported_by(start):
        if target not in group:
            continue
        back = graph.find_shortest_chain(importer=target, imported=start)
        if back is not None and (best is None or len(back) + 1 < len(best)):
            best = (start, *back)
    return list(best or (start, start))


def describe_cycles(graph: grimp.ImportGraph, groups: list[list[str]]) -> str:
    lines = []
    for group in groups:
        lines.append(f"{len(group)} modules: {', '.join(group)}")
        lines.append("    e.g. " + " -> ".join(shortest_cycle(graph, group)))
    return "\n".join(lines)


def test_the_graph_counts_lazy_and_type_checking_imports(tmp_path, monkeypatch):
    """A cycle made only of a function-level import and a ``TYPE_CHECKING`` one is still found."""
    package = tmp_path / "plantedcycle"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from plantedcycle import b\n    return b\n")
    (package / "b.py").write_text("from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
                                  "    from plantedcycle import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = import_graph(("plantedcycle",))
    assert strongly_connected(graph) == [["plantedcycle.a", "plantedcycle.b"]]


def test_cycle_finder_reports_a_planted_cycle():
    graph = grimp.ImportGraph()
    for name in ("p.a", "p.b", "p.c", "p.d"):
        graph.add_module(name)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.c")
    graph.add_import(importer="p.c", imported="p.a")
    graph.add_import(importer="p.c", imported="p.d")
    assert strongly_connected(graph) == [["p.a", "p.b", "p.c"]]
    assert shortest_cycle(graph, ["p.a", "p.b", "p.c"]) == ["p.a", "p.b", "p.c", "p.a"]


def test_no_import_cycles():
    graph = import_graph()
    groups = strongly_connected(graph)
    assert not groups, f"{len(groups)} import cycle(s):\n{describe_cycles(graph, groups)}"


def test_no_import_cycle_inside_gateway():
    """The gateway's own part of the rule, kept separately so that it stays green while adapter work is open."""
    graph = import_graph()
    groups = [g for g in strongly_connected(graph) if all(m.split(".")[0] == "gateway" for m in g)]
    assert not groups, f"{len(groups)} import cycle(s) inside gateway/:\n{describe_cycles(graph, groups)}"


def duplicates(folder: str, *, root: Path = ROOT) -> list[tuple[frozenset[str], str]]:
    """pylint's duplicate-code report over ``folder`` (relative to ``root``): ``(modules, message)`` per duplicate."""
    done = subprocess.run(  # noqa: S603 - fixed arguments, the project's own interpreter
        [sys.executable, "-m", "pylint", "--disable=all", "--enable=duplicate-code", "--output-format=json",
         f"--min-similarity-lines={MIN_SIMILAR_LINES}", "--ignore-comments=y", "--ignore-docstrings=y",
         "--ignore-imports=y", "--ignore-signatures=y", "--score=n", folder],
        cwd=root, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode & 1 or done.returncode & 32 or not done.stdout.strip().startswith("["):
        raise AssertionError(f"pylint did not run (exit {done.returncode}):\n{done.stderr[-2000:]}")
    out = []
    for message in json.loads(done.stdout):
        if message.get("symbol") != "duplicate-code":
            continue
        modules = frozenset(m["module"] for m in _SIMILAR_MODULE.finditer(message["message"]))
        out.append((modules, message["message"]))
    return out


def test_duplicate_finder_reports_a_planted_copy(tmp_path):
    body = "\n".join(f"    total = total + {n} * value  # line {n}" for n in range(8))
    package = tmp_path / "planted"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in ("one", "two"):
        (package / f"{name}.py").write_text(f"def {name}(value):\n    total = 0\n{body}\n    return total\n")
    found = duplicates("planted", root=tmp_path)
    assert [modules for modules, _ in found] == [frozenset({"planted.one", "planted.two"})]


@pytest.mark.parametrize("folder", ["adapters", "emulators"])
def test_no_duplicate_code(folder):
    found = [(modules, message) for modules, message in duplicates(folder) if modules not in ALLOWED_DUPLICATES]
    report = "\n\n".join(message for _, message in found)
    assert not found, f"{len(found)} duplicate(s) in {folder}/ (min {MIN_SIMILAR_LINES} lines):\n{report}"
