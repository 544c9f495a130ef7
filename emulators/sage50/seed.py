"""``--seed DIR``: a company loaded from a folder of ``TABLE.json`` files, as they are.

Each file is named after a dictionary table (``SALES_LEDGER.json``; the name is matched case-insensitively) and
holds a JSON array of rows keyed by ODBC column names. Rows are inserted without any posting rule: amounts are kept
as written (JSON numbers are read as ``Decimal``, never float), columns a row leaves out take their defaults, and
``RECORD_CREATE_DATE``/``RECORD_MODIFY_DATE`` default to now. A seed that later takes SDO writes needs at least the
``COMPANY`` row (control accounts, financial year, lock date), ``TAX_CODE``, ``NOMINAL_LEDGER`` and ``DEPARTMENT`` 0.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from . import schema
from .company import Company


def load(company: Company, folder: Path | str) -> dict[str, int]:
    """Insert every ``TABLE.json`` of ``folder`` into ``company`` in one transaction; ``{table: rows}``.

    Raises:
        ValueError: a file that is not named after a table, is not a JSON array of objects, or names a column the
            table does not have (nothing is written then).
        FileNotFoundError: ``folder`` is not a directory.
    """
    path = Path(folder)
    if not path.is_dir():
        raise FileNotFoundError(f"seed folder {path} does not exist")
    known = {name.upper(): name for name in schema.tables()}
    counts: dict[str, int] = {}
    with company.transaction():
        for file in sorted(path.glob("*.json")):
            table = known.get(file.stem.upper())
            if table is None:
                raise ValueError(f"{file.name}: {file.stem} is not a Sage 50 table")
            rows = json.loads(file.read_text(encoding="utf-8"), parse_float=Decimal)
            if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
                raise ValueError(f"{file.name}: expected a JSON array of rows")
            for row in rows:
                try:
                    company.insert(table, row)
                except KeyError as error:
                    raise ValueError(f"{file.name}: {error.args[0]}") from None
            counts[table] = len(rows)
    return counts
