"""The QBO emulator's seed for the benchmark: the recorded samples plus N invoices cloned from a recorded one.

The clones copy ``Invoice.json``'s ``object_sample`` (verbatim Intuit, shared/contracts/qbo/samples) with new
``Id``s and ``DocNumber``s; the samples are linked, never edited. The result is a ``--seed DIR`` for
``python -m gateway emulate qbo`` (emulators/qbo/seed.py reads every ``*.json`` below it).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "contracts" / "qbo" / "samples"
FIRST_ID = 900001  # above every Id of the samples


def write_seed(target: Path, *, invoices: int, samples: Path = SAMPLES) -> Path:
    """Fill ``target`` with links to ``samples/*.json`` and ``bench_invoices.json`` (``invoices`` clones).

    Returns:
        ``target``.

    Raises:
        FileNotFoundError: ``samples`` has no ``Invoice.json``.
    """
    target.mkdir(parents=True, exist_ok=True)
    for sample in sorted(samples.glob("*.json")):
        (target / sample.name).symlink_to(sample)
    recorded = json.loads((samples / "Invoice.json").read_text(encoding="utf-8"))["object_sample"]["Invoice"]
    clones = []
    for n in range(invoices):
        clone = copy.deepcopy(recorded)
        clone["Id"] = str(FIRST_ID + n)
        clone["DocNumber"] = f"B{FIRST_ID + n}"
        clone.pop("LinkedTxn", None)  # one estimate cannot be linked to every clone
        clones.append(clone)
    (target / "bench_invoices.json").write_text(json.dumps({"QueryResponse": {"Invoice": clones}}), encoding="utf-8")
    return target
