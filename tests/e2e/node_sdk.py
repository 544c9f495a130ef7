"""The pinned xero-node SDK under tests/e2e/xero_node (package.json + package-lock.json; node_modules is a cache).

``make test`` installs Node.js in CI when it is missing and runs ``npm ci`` there once; a test that needs the SDK
installs it itself when node_modules is absent, under an exclusive lock on ``.npm-ci.lock`` beside it (two
pytest-xdist workers asking at once install it once, never into each other's half-written tree). Without ``node``
the tests skip, except in CI (``CI=true``), where they fail: the host-mode promise is checked with the real SDK there.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

import pytest

SDK_DIR = Path(__file__).resolve().parent / "xero_node"
NPM_TIMEOUT = 300  # seconds; a cold `npm ci` of xero-node takes about 10 s


def node_sdk() -> Path:
    """The folder whose node_modules holds the pinned xero-node (installed with ``npm ci`` when absent)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the xero-node tests: node and npm are missing (make test installs them)")
        pytest.skip("node/npm not installed (CI installs them: make test)")
    installed = SDK_DIR / "node_modules" / "xero-node" / "package.json"
    if installed.exists():
        return SDK_DIR
    with (SDK_DIR / ".npm-ci.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes; the kernel drops it if the process dies
        if not installed.exists():  # another worker may have installed it while this one waited
            done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=SDK_DIR, capture_output=True,
                                  text=True, timeout=NPM_TIMEOUT, check=False)
            assert done.returncode == 0, f"npm ci failed:\n{done.stderr}"
    return SDK_DIR
