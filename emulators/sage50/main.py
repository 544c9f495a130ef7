"""``python -m emulators.sage50 --data-dir DIR [--seed DIR] [--fault KIND[:COUNT[:OBJECT]]]... [--clear-faults]``.

Creates the company at ``DIR/ACCDATA`` (the demo company, or the ``--seed`` folder's tables) unless one exists there,
applies the fault options to its control file, prints one JSON line and exits (status 0; 2 on bad usage or input).
Nothing keeps running: the "running stand-in" is the fake SDO inside whichever process opens the company, and it
reads the control file on every ``Connect`` and ``Update``. The line::

    {"data_path": "DIR/ACCDATA", "database": "DIR/ACCDATA/sage50.db",
     "odbc": {"dbapi": "sqlite3", "database": "DIR/ACCDATA/sage50.db", "detect_types": "PARSE_DECLTYPES"},
     "sdo": {"engine": "emulators.sage50.sdo:SDOEngine", "data_path": "DIR/ACCDATA", "user": "CONNECTOR",
             "password": "connector", "control_file": "DIR/ACCDATA/stand-in.json"},
     "company": {"name": "...", "created": true, "source": "demo"}}

``--fault`` kinds: see :mod:`.control` (``COUNT`` a number of uses or ``always``; ``OBJECT`` a ``CreateObject`` name).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import control, demo, seed
from .company import DB_FILE, Company

ACCDATA = "ACCDATA"
SDO_ENGINE = "emulators.sage50.sdo:SDOEngine"


def _fault(text: str) -> tuple[str, int, str | None]:
    kind, _, rest = text.partition(":")
    count_text, _, object_name = rest.partition(":")
    if kind not in control.FAULT_KINDS:
        raise argparse.ArgumentTypeError(f"unknown fault {kind!r}; one of {', '.join(control.FAULT_KINDS)}")
    try:
        count = -1 if count_text == "always" else int(count_text or 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"bad count {count_text!r}: a number or 'always'") from None
    return kind, count, object_name or None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="emulators.sage50",
                                description="Sage 50 Accounts UK stand-in: a company file and a fake SDO")
    p.add_argument("--data-dir", required=True, metavar="DIR", help="folder of the company (DIR/ACCDATA)")
    p.add_argument("--seed", metavar="DIR", help="folder of TABLE.json files to load instead of the demo company")
    p.add_argument("--fault", action="append", type=_fault, default=[], metavar="KIND[:COUNT[:OBJECT]]",
                   help=f"add a fault rule ({', '.join(control.FAULT_KINDS)})")
    p.add_argument("--clear-faults", action="store_true", help="remove every fault rule first")
    return p


def prepare(data_dir: Path | str, seed_dir: Path | str | None = None) -> dict[str, object]:
    """Create (demo or seed) or open the company under ``data_dir``; the JSON line's content.

    Raises:
        ValueError, FileNotFoundError: a bad seed folder (the half-made company is removed).
    """
    data_path = Path(data_dir).resolve() / ACCDATA
    created = not (data_path / DB_FILE).exists()
    source = "existing"
    if created:
        try:
            if seed_dir:
                with Company(data_path, create=True) as company:
                    seed.load(company, seed_dir)
                source = "seed"
            else:
                demo.build(data_path)
                source = "demo"
        except Exception:
            for leftover in data_path.glob(DB_FILE + "*"):
                leftover.unlink()
            raise
    control.initialise(data_path)
    with Company(data_path) as company:
        names = company.rows("COMPANY")
    return {
        "data_path": str(data_path), "database": str(data_path / DB_FILE),
        "odbc": {"dbapi": "sqlite3", "database": str(data_path / DB_FILE), "detect_types": "PARSE_DECLTYPES"},
        "sdo": {"engine": SDO_ENGINE, "data_path": str(data_path), "user": "CONNECTOR",
                "password": control.password_of(data_path, "CONNECTOR"),
                "control_file": str(data_path / control.CONTROL_FILE)},
        "company": {"name": names[0]["NAME"] if names else "", "created": created, "source": source},
    }


def main(argv: list[str] | None = None) -> int:
    """Run the command line; the exit status."""
    args = build_parser().parse_args(argv)
    try:
        line = prepare(args.data_dir, args.seed)
        data_path = Path(str(line["data_path"]))
        if args.clear_faults:
            control.clear_faults(data_path)
        for kind, count, object_name in args.fault:
            control.inject(data_path, kind, count=count, object_name=object_name)
    except (ValueError, OSError) as error:
        print(f"emulators.sage50: {error}", file=sys.stderr)
        return 2
    print(json.dumps(line), flush=True)
    return 0
