"""Private files of the data directory: directories 0700, files 0600, from the first start.

The data directory holds secrets (signing and encryption keys, hashed tokens, the ledger's books and attachments):
nothing in it is for other users of the machine. SQLite creates a database's ``-wal`` and ``-shm`` files with the
database file's own mode (https://www.sqlite.org/tempfiles.html, "the same permissions as the database file"), so
creating the database file 0600 before SQLite opens it covers them too. The modes are ours: Xero's docs say nothing.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

#: Mode of every directory the gateway creates under its data directory (and of the data directory itself).
DIR_MODE = 0o700
#: Mode of every file the gateway creates there.
FILE_MODE = 0o600


class DataDirectoryError(Exception):
    """The data directory cannot be created or written (read-only file system, wrong owner, no permission)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"data directory {path} is not writable ({reason})")
        self.path = path


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) with mode 0700, or tighten an existing one to 0700.

    Returns:
        ``path``.

    Raises:
        DataDirectoryError: the directory cannot be created or tightened.
    """
    path = Path(path)
    try:
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        os.chmod(path, DIR_MODE)
    except OSError as exc:
        raise DataDirectoryError(path, exc.strerror or type(exc).__name__) from None
    return path


def writable_data_dir(path: Path) -> Path:
    """:func:`private_dir`, then prove the directory writable by creating and removing a probe file.

    A probe rather than ``os.access``: ``access`` says yes to root on a read-only mount.

    Raises:
        DataDirectoryError: the directory cannot be created, tightened or written.
    """
    private_dir(path)
    try:
        fd, probe = tempfile.mkstemp(dir=path, prefix=".probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise DataDirectoryError(Path(path), exc.strerror or type(exc).__name__) from None
    return Path(path)


def private_sqlite_file(database: str) -> None:
    """Create a SQLite database file 0600 before SQLite does (and tighten it and its WAL/SHM files if they exist).

    Args:
        database: the file path of a SQLite URL (``engine.url.database``); ``""`` or ``":memory:"`` do nothing.

    Raises:
        DataDirectoryError: the file's directory cannot be written.
    """
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.parent.exists():
        private_dir(path.parent)
    try:
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if name.exists():
                os.chmod(name, FILE_MODE)
    except FileExistsError:  # another process created it first, with the same mode
        pass
    except OSError as exc:
        raise DataDirectoryError(path.parent, exc.strerror or type(exc).__name__) from None
