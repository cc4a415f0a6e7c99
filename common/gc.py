"""Pausing Python's cyclic garbage collector around bulk work (computations, PDF rendering)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the length of a bulk computation.

    At national scale a computation builds hundreds of thousands of small objects (group rows,
    forecast rows, indicator values, unsaved snapshots). Each burst of allocations makes the collector
    walk the objects alive, and now and then all of them: about a fifth of the engine's time and a
    seventh of the nightly job's (docs/benchmarks.md). None of these objects form reference cycles,
    so reference counting frees them exactly as before; the collector resumes, if it was running,
    when the block ends, also on an error.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
