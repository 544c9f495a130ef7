"""The data directory: private from the first start (0700 directories, 0600 files); a read-only one stops the start
with one line naming it (issue 11, items 4 and 10)."""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from adapters.native.resources.attachments import AttachmentStore
from gateway.app import create_app
from gateway.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_first_start_creates_private_files(aiohttp_client, tmp_path):
    data = tmp_path / "data"
    client = await aiohttp_client(create_app(load_settings(data_dir=data)))
    # a call that writes the gateway's runtime state (rate-limit counters) while the engines are open
    await client.get("/1000/api.xro/2.0/Invoices")
    await AttachmentStore(data / "attachments").write(str(uuid.uuid4()), str(uuid.uuid4()), b"%PDF-1.4")

    assert mode(data) == 0o700
    for directory in [data / "keys", data / "attachments", *(data / "attachments").iterdir()]:
        assert mode(directory) == 0o700, directory
    files = [p for p in data.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {"gateway.db", "ledger.db", "gateway.db-wal", "ledger.db-wal", "gateway.db-shm", "ledger.db-shm"} <= names
    for path in files:
        assert mode(path) == 0o600, path


async def test_existing_files_are_tightened(aiohttp_client, tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "gateway.db").touch(mode=0o644)
    (data / "gateway.db").chmod(0o644)
    await aiohttp_client(create_app(load_settings(data_dir=data)))
    assert mode(data) == 0o700
    assert mode(data / "gateway.db") == 0o600


@pytest.mark.skipif(sys.platform != "linux" or shutil.which("unshare") is None, reason="needs Linux unshare")
def test_read_only_data_directory_is_one_line(tmp_path):
    # a read-only tmpfs in a private mount namespace: read-only even for root, and gone when the process ends
    data = tmp_path / "ro"
    data.mkdir()
    script = (f"mount -t tmpfs -o ro tmpfs {data} || exit 77; "
              f"exec {sys.executable} -m gateway serve --data-dir {data} --port 1")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("no mount namespaces here")
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    if done.returncode == 77:
        pytest.skip("cannot mount a tmpfs here")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [f"xero-gateway: data directory {data} is not writable "
                                                "(Read-only file system)"]
    assert "Traceback" not in done.stderr
