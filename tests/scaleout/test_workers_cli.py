"""``serve --workers`` refuses what cannot work, with exit status 2 and one line, before starting anything."""

from __future__ import annotations

import pytest

from gateway.cli import main


@pytest.mark.parametrize(("argv", "message"), [
    (["--workers", "0", "--port", "18099"], "at least 2 workers"),
    (["--workers", "2", "--port", "0"], "needs a fixed --port"),
])
def test_serve_workers_refuses_bad_values(capsys, tmp_path, argv, message):
    assert main(["serve", *argv, "--data-dir", str(tmp_path / "data")]) == 2
    assert message in capsys.readouterr().err
