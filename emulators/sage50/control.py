"""The stand-in's control files in the data path: Sage users, fault rules and who is logged on.

Every process that opens the company (the test, the connector under test, ``xero-gateway emulate sage50``) reads
these files on every ``Connect``/``Update``, so a rule written by one process is seen by the others at once. Writes
take an advisory lock (``flock`` on ``stand-in.lock``) so that two processes never consume the same use of a rule.

``stand-in.json``::

    {"users": {"MANAGER": "", "CONNECTOR": "connector"},
     "faults": [{"kind": "accounts_busy", "count": 1, "object": "TransactionPost"}]}

Fault kinds (sage50.md §9.4), each consumed once per ``count`` (``-1``: until cleared); ``object`` optionally limits a
rule to one ``CreateObject`` name:

- ``logon_name_in_use``: ``Connect`` raises ``sdoLogonNameInUse`` ("Username is already in use").
- ``logon_exclusive``: ``Connect`` raises ``sdoLogonExclusive`` (a backup or Check Data holds the data).
- ``accounts_busy``: ``Update``/``AllocatePayment`` return false with ``sdoFileLockedAccountsBusy``; nothing written.
- ``closed_ledger``: ``Update`` returns false with ``sdoClosedLedgerDateControlError`` whatever the date (the real
  rule, a date before ``COMPANY.CLOSED_LEDGER_CHECK_DATE``, applies without any rule).
- ``update_without_number``: ``Update`` returns true and the write lands, but ``InvoicePost``'s ``INVOICE_NUMBER``
  stays 0: Dankular's SopPost observation (sage50.md §4). (``TransactionPost`` reports no number in any case.)

``QUEUE.json`` lists the live SDO sessions (Sage's ``QUEUE.DTA`` plays this part): a second ``Connect`` under a user
name with a live session fails with ``sdoLogonNameInUse``. A session whose process has gone is ignored, as if Sage
had cleaned up (POSIX only; elsewhere every listed session counts).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no cross-process lock
    fcntl = None  # type: ignore[assignment]

CONTROL_FILE = "stand-in.json"
QUEUE_FILE = "QUEUE.json"
LOCK_FILE = "stand-in.lock"

FAULT_KINDS = ("logon_name_in_use", "logon_exclusive", "accounts_busy", "closed_ledger", "update_without_number")

#: When each kind is checked: on ``Connect`` or on a write (``Update``, ``AllocatePayment``).
HOOKS = {"logon_name_in_use": "connect", "logon_exclusive": "connect", "accounts_busy": "update",
         "closed_ledger": "update", "update_without_number": "update"}

#: The users a new company has: Sage's ``MANAGER`` and a reserved connector user (Codat's advice, sage50.md §2).
DEFAULT_USERS = {"MANAGER": "", "CONNECTOR": "connector"}


@contextmanager
def _locked(data_path: Path) -> Iterator[None]:
    with open(data_path / LOCK_FILE, "a+", encoding="utf-8") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _load(path: Path, default: dict[str, Any]) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default


def _save(path: Path, value: dict[str, Any]) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(value, indent=1), encoding="utf-8")
    os.replace(temporary, path)


def read(data_path: Path | str) -> dict[str, Any]:
    """The control file as a dict (``users``, ``faults``); defaults when it does not exist yet."""
    return _load(Path(data_path) / CONTROL_FILE, {"users": dict(DEFAULT_USERS), "faults": []})


def initialise(data_path: Path | str, users: dict[str, str] | None = None) -> None:
    """Write the control file unless it exists (``users``: name → password, default :data:`DEFAULT_USERS`)."""
    path = Path(data_path)
    with _locked(path):
        if not (path / CONTROL_FILE).exists():
            _save(path / CONTROL_FILE, {"users": dict(users or DEFAULT_USERS), "faults": []})


def inject(data_path: Path | str, kind: str, *, count: int = 1, object_name: str | None = None) -> None:
    """Add a fault rule (see the module docstring).

    Raises:
        ValueError: an unknown ``kind`` or a ``count`` of 0 or below -1.
    """
    if kind not in FAULT_KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; one of {', '.join(FAULT_KINDS)}")
    if count == 0 or count < -1:
        raise ValueError("count is a positive number of uses, or -1 for 'until cleared'")
    path = Path(data_path)
    with _locked(path):
        control = read(path)
        control.setdefault("faults", []).append({"kind": kind, "count": count, "object": object_name})
        _save(path / CONTROL_FILE, control)


def clear_faults(data_path: Path | str) -> None:
    """Remove every fault rule."""
    path = Path(data_path)
    with _locked(path):
        control = read(path)
        control["faults"] = []
        _save(path / CONTROL_FILE, control)


def take(data_path: Path | str, hook: str, object_name: str | None = None) -> str | None:
    """Consume one use of the first rule for ``hook`` (``connect``/``update``) and ``object_name``; its kind."""
    path = Path(data_path)
    with _locked(path):
        control = read(path)
        for rule in control.get("faults", []):
            if HOOKS[rule["kind"]] != hook or rule.get("object") not in (None, object_name):
                continue
            if rule["count"] > 0:
                rule["count"] -= 1
            if rule["count"] == 0:
                control["faults"].remove(rule)
            _save(path / CONTROL_FILE, control)
            return rule["kind"]
    return None


def password_of(data_path: Path | str, user: str) -> str | None:
    """The password of Sage user ``user`` (case-insensitive name); ``None`` for an unknown user."""
    users = {name.upper(): password for name, password in read(data_path).get("users", {}).items()}
    return users.get(user.upper())


# ---------------------------------------------------------------------------------------------------- sessions


def _alive(pid: int) -> bool:
    if os.name != "posix":  # pragma: no cover
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's live process
        return True
    return True


def logon(data_path: Path | str, user: str, unique: str) -> None:
    """Record a session of ``user``.

    Raises:
        LookupError: ``user`` already has a live session (the caller answers ``sdoLogonNameInUse``).
    """
    path = Path(data_path)
    with _locked(path):
        queue = _load(path / QUEUE_FILE, {"sessions": []})
        live = [s for s in queue["sessions"] if _alive(s["pid"])]
        if any(s["user"].upper() == user.upper() for s in live):
            raise LookupError(user)
        live.append({"user": user, "unique": unique, "pid": os.getpid()})
        _save(path / QUEUE_FILE, {"sessions": live})


def logoff(data_path: Path | str, unique: str) -> None:
    """End the session ``unique`` (no error if it has gone)."""
    path = Path(data_path)
    with _locked(path):
        queue = _load(path / QUEUE_FILE, {"sessions": []})
        queue["sessions"] = [s for s in queue["sessions"] if s["unique"] != unique]
        _save(path / QUEUE_FILE, queue)
