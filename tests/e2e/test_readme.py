"""The README's xero-python snippet, run as written (only GW comes from the environment), against a gateway."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parents[2] / "README.md"


def snippet(name: str) -> str:
    text = README.read_text()
    match = re.search(rf"<!-- snippet: {re.escape(name)} -->\s*```python\n(.*?)```", text, re.S)
    assert match, f"README has no snippet {name!r}"
    return match.group(1)


def test_readme_xero_python_snippet_lists_demo_invoices(gateway, tmp_path):
    app = gateway.cli_json("apps", "create", "--name", "Quick start", "--custom-connection", "--code", "1000",
                           "--tenant", gateway.tenant_id)
    (tmp_path / "app.json").write_text(json.dumps(app))
    (tmp_path / "snippet.py").write_text(snippet("xero-python"))
    done = subprocess.run([sys.executable, "snippet.py"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "GW": gateway.gw("1000")}, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 20
    shape = re.compile(r"^\S+ .+ (AUTHORISED|PAID|DRAFT|SUBMITTED|VOIDED) -?\d+(\.\d+)?$")
    assert all(shape.match(line) for line in lines), lines
