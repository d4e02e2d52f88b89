"""Timing shared by the benchmark scripts, which import it from the folder they run in."""

from __future__ import annotations

import statistics
import time
from typing import Callable


def median_cpu_seconds(fn: Callable[[], object], repeat: int) -> float:
    """The median CPU time of ``repeat`` calls of ``fn``: CPU time, not wall time, so that
    other work on a shared machine does not count."""
    runs = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        runs.append(time.process_time() - start)
    return statistics.median(runs)
