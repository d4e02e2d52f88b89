"""The damage model: which letter a lost-letter space stood for, which characters OCR
misreads and as what, and what a surplus space costs, as log priors.

The decoder (fills.py, decoder.py) reads these at every choice point; the quieter signs
of damage (signals.py) try the same lost letters.
"""

from __future__ import annotations

import math
from typing import Final

# Which letter a lost-letter space stood for, estimated from corpus document 004 (1355 'a',
# 15 'g', 12 'd', 2 'm', 1 'I' of 1385 lost letters), smoothed so the rare ones stay
# possible.
_LOWER_PRIOR: Final = {"a": 0.93, "g": 0.03, "d": 0.03, "m": 0.01}
_UPPER_PRIOR: Final = {"A": 0.55, "I": 0.25, "G": 0.07, "D": 0.07, "M": 0.06}
_LOG_LOWER: Final = {c: math.log(p) for c, p in _LOWER_PRIOR.items()}
_LOG_UPPER: Final = {c: math.log(p) for c, p in _UPPER_PRIOR.items()}
#: OCR misreadings of one character: (seen, meant, prior that the seen one is wrong).
_OCR: Final = {"/": ("l", 0.12), "~": ("å", 0.9), "q": ("g", 0.3), "|": ("l", 0.5)}
#: A real double space in damaged text (form layout, "Sid  3").
_LOG_EXTRA_SPACE: Final = math.log(0.03)
#: a line ending in more spaces than the document's lines usually do
_LOG_EXTRA_TRAIL: Final = math.log(0.2)

#: the options of a choice point, shared by all templates (never modified)
_LOWER_OPTIONS: Final = list(_LOG_LOWER.items())
_UPPER_OPTIONS: Final = list(_LOG_UPPER.items())
_OCR_OPTIONS: Final = {seen: [(meant, math.log(prior)), (seen, math.log(1 - prior))]
                       for seen, (meant, prior) in _OCR.items()}
