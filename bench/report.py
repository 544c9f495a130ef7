"""Interleaved measurement of a scenario beside its baseline, and the printed table.

A pair runs rounds A B A B …, so that a change of the machine's load during the run touches both sides alike; each
side's figure is the median of its rounds, shown with the rounds' minimum and maximum.
"""

from __future__ import annotations

import statistics
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from .load import Sample

Round = Callable[[], Awaitable[Sample]]


@dataclass
class Spread:
    """The median of per-round figures with their minimum and maximum."""

    values: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")

    def show(self, unit: str, scale: float = 1.0, digits: int = 1) -> str:
        """``"12.3 ms [11.0–14.2]"``: the figures times ``scale``."""
        if not self.values:
            return "n/a"
        lo, hi = min(self.values) * scale, max(self.values) * scale
        return f"{self.median * scale:,.{digits}f} {unit} [{lo:,.{digits}f}–{hi:,.{digits}f}]"


@dataclass
class Paired:
    """Both sides of an interleaved pair: their per-round figures and the non-OK answers of each side."""

    a: Spread
    b: Spread
    errors_a: int = 0
    errors_b: int = 0


async def interleave(a: Round, b: Round, *, rounds: int, figure: Callable[[Sample], float],
                     before_each: Callable[[], Awaitable[None]] | None = None) -> Paired:
    """Run ``a`` and ``b`` alternately ``rounds`` times each; ``figure`` turns a round's sample into its number.

    Args:
        before_each: awaited before every round (e.g. resetting an emulator's rate-limit windows).
    """
    result = Paired(Spread([]), Spread([]))
    for _ in range(rounds):
        for side, run in (("a", a), ("b", b)):
            if before_each is not None:
                await before_each()
            sample = await run()
            getattr(result, side).values.append(figure(sample))
            setattr(result, f"errors_{side}", getattr(result, f"errors_{side}") + sample.errors)
    return result


def p50(sample: Sample) -> float:
    """A round's median latency, seconds."""
    return sample.quantile(0.5)


def throughput(sample: Sample) -> float:
    """A round's successful requests per second."""
    return sample.throughput


@dataclass
class Row:
    """One line of the table (text cells)."""

    scenario: str
    gateway: str
    baseline: str = "—"
    ratio: str = "—"
    notes: str = ""


class Table:
    """The rows of one run, printed as a Markdown table."""

    HEADER = ("scenario", "gateway", "baseline", "gateway ÷ baseline", "notes")

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.failed = False

    def add(self, row: Row) -> None:
        self.rows.append(row)
        print(f"  done: {row.scenario}: {row.gateway}", flush=True)

    def fail(self, scenario: str, error: BaseException) -> None:
        """A scenario that could not be measured: a row saying why; the run then exits non-zero."""
        self.failed = True
        self.add(Row(scenario, "FAILED", notes=f"{type(error).__name__}: {error}"[:300]))

    def render(self) -> str:
        cells = [self.HEADER, *((r.scenario, r.gateway, r.baseline, r.ratio, r.notes) for r in self.rows)]
        lines = ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells]
        lines.insert(1, "|" + "---|" * len(self.HEADER))
        return "\n".join(lines)
