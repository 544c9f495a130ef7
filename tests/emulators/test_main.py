"""What every emulator's ``main`` does alike: bad settings end the process with status 2 and a message."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.emulators.support import free_port


@pytest.mark.parametrize("module", ["emulators.qbo", "emulators.sage_accounting"])
def test_main_rejects_a_missing_seed(module, tmp_path):
    done = subprocess.run([sys.executable, "-m", module, "--port", str(free_port()), "--seed",
                           str(tmp_path / "absent")], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "seed directory not found" in done.stderr
