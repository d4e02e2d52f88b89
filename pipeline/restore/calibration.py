"""How sure a repair is: the decoder's margins turned into a probability that is right.

The decoder's confidence is the product of two margins (how much better the reading with
the repair is than the best without it, and the letter chosen than the next best), passed
through a sigmoid: a score, not yet a probability. ``data/lexicon/restore_calibration.json``
maps it to one: the share of repairs with that score that were right, measured on
candidate repairs in texts whose truth is known (simulated damage of clean Swedish text
at several rates, and clean text, where every candidate is wrong), fitted by
``benchmarks/calibrate_restorer.py``. A repair whose calibrated confidence is below
:data:`MIN_CONFIDENCE` is not made.
"""

from __future__ import annotations

import bisect
from typing import Final

from pipeline.resources import load_json

#: Repairs with a lower calibrated confidence are not made.
MIN_CONFIDENCE: Final = 0.6

_TABLE: Final = load_json("lexicon/restore_calibration.json")
_SCORES: Final[list[float]] = [float(p[0]) for p in _TABLE["points"]]
_PROBABILITIES: Final[list[float]] = [float(p[1]) for p in _TABLE["points"]]


def calibrated(score: float) -> float:
    """The probability that a repair with decoder score ``score`` (0–1) is right: the
    measured points, joined by straight lines."""
    xs, ys = _SCORES, _PROBABILITIES
    if score <= xs[0]:
        return ys[0]
    if score >= xs[-1]:
        return ys[-1]
    i = bisect.bisect_right(xs, score)
    x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
    return y0 + (y1 - y0) * (score - x0) / (x1 - x0) if x1 > x0 else y1
