"""A contract-accurate Sage 50 Accounts UK stand-in: the company as a SQLite file of the ODBC tables, and a fake SDO.

For tests and offline demos of the Sage 50 connector (source code 1001). Public interface:

- :func:`main` ``(argv) -> int``: ``--data-dir DIR [--seed DIR] [--fault …] [--clear-faults]``; creates or opens the
  company at ``DIR/ACCDATA`` and prints one JSON line of paths for the connector (:mod:`.main`).
- :class:`emulators.sage50.sdo.SDOEngine`: the fake ``SDOEngine.32`` (Workspaces → Connect → CreateObject →
  Fields/Items → Update, LastError), the same object model as pywin32's dispatch of the real one.
- :mod:`.control`: Sage users and fault rules (``inject``, ``clear_faults``), read by every process on every call.
- :class:`emulators.sage50.sageuser.SageUser`: a person editing the company in Sage while the connector runs.
- :mod:`.schema` (DDL from ``odbc-schema.json``), :mod:`.company` (the file), :mod:`.posting` (ledger rules),
  :mod:`.demo` (the demo company), :mod:`.seed` (``--seed``), :mod:`.errors` (SDO's ErrorCode).
"""

from __future__ import annotations

from .main import main

__all__ = ["main"]
