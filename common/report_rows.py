"""How many per-sub-district rows the PDF report lists (`reports.pdf` and the apps' chapters).

Up to `ALL_ROWS` sub-districts (Chaoyang has 43) a table lists every one. Beyond that a PDF of
every row is neither readable nor quick (at 296 sub-districts the tables and bar charts were the
whole of a 10-second render, docs/benchmarks.md): a table lists the `SHOWN_ROWS` furthest behind
(and, for the headline table, the `BEST_ROWS` best) and says how many it left to the indicator
export (Excel), which has every value with its numerator and denominator.

Light on purpose: the apps' chapter builders import it at start-up, and `reports.pdf` loads
WeasyPrint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

ALL_ROWS = 50
SHOWN_ROWS = 20
BEST_ROWS = 5


@dataclass(frozen=True)
class Excerpt:
    """The rows a table shows out of `total`; `best` follows `rows` after a gap."""

    rows: list
    total: int
    best: list = field(default_factory=list)

    @property
    def omitted(self) -> int:
        return self.total - len(self.rows) - len(self.best)


def excerpt(rows: Iterable[Any], *, worst_first: Callable[[Any], Any] | None = None) -> Excerpt:
    """Every row up to ALL_ROWS (in their order); beyond, the SHOWN_ROWS first by `worst_first`."""
    rows = list(rows)
    if len(rows) <= ALL_ROWS:
        return Excerpt(rows, len(rows))
    ranked = sorted(rows, key=worst_first) if worst_first is not None else rows
    return Excerpt(ranked[:SHOWN_ROWS], len(rows))
