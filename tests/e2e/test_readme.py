"""The README's SDK snippets, run as written (only GW comes from the environment), against a gateway on loopback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from .node_sdk import node_sdk
from .oauth_browser import _submit

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parents[2] / "README.md"


def snippet(name: str, language: str = "python") -> str:
    text = README.read_text()
    match = re.search(rf"<!-- snippet: {re.escape(name)} -->\s*```{language}\n(.*?)```", text, re.S)
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


NODE_REDIRECT_URI = "http://localhost:5000/callback"  # the README's


def _browser_consent(consent_url: str, *, email: str, password: str, max_steps: int = 8) -> str:
    """Follow the consent URL as a person would (sign in, allow); return where the browser lands."""
    session = requests.Session()
    response = session.get(consent_url, allow_redirects=False, timeout=30)
    url = consent_url
    for _ in range(max_steps):
        if response.status_code in (301, 302, 303):
            url = requests.compat.urljoin(url, response.headers["Location"])
            if url.startswith(NODE_REDIRECT_URI):
                return url
            response = session.get(url, allow_redirects=False, timeout=30)
            continue
        assert response.status_code == 200, f"{response.status_code} at {url}: {response.text[:1000]}"
        response = _submit(session, url, response.text, email=email, password=password, approve=True)
    raise AssertionError("the consent did not reach the redirect URI")


def test_readme_xero_node_snippet_runs_without_xero(gateway, tmp_path):
    sdk = node_sdk()
    app = gateway.cli_json("apps", "create", "--name", "README node", "--redirect-uri", NODE_REDIRECT_URI)
    (tmp_path / "app.json").write_text(json.dumps(app))
    (tmp_path / "recipe.js").write_text(snippet("xero-node", "js"))
    # Xero's hosts unreachable even where the network is open: axios would go through a proxy that does not exist
    env = {**os.environ, "GW": gateway.gw("1000"), "NODE_PATH": str(sdk / "node_modules"),
           "HTTPS_PROXY": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "NO_PROXY": "127.0.0.1"}
    proc = subprocess.Popen(["node", "recipe.js"], cwd=tmp_path, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(120, proc.kill)
    watchdog.start()
    try:
        first = proc.stdout.readline()  # bounded by the watchdog
        assert first.startswith("Open in a browser: "), first + proc.stderr.read()
        consent_url = first.split(": ", 1)[1].strip()
        assert consent_url.startswith(gateway.gw("1000") + "/identity/connect/authorize?")
        proc.stdin.write(_browser_consent(consent_url, email="demo@xero-gateway.local",
                                          password="demo-ledger-password") + "\n")  # noqa: S106 - demo default
        proc.stdin.flush()
        out, err = proc.communicate(timeout=120)
    finally:
        watchdog.cancel()
    assert proc.returncode == 0, err
    lines = out.strip().splitlines()
    assert lines and all(re.match(r"^\S+ .+ AUTHORISED -?\d+(\.\d+)?$", line) for line in lines), lines
