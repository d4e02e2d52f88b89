"""The damage model: which letter a lost-letter space stood for, which characters OCR
misreads and as what, and what a surplus space costs, as log priors.

The decoder (fills.py, decoder.py) reads these at every choice point; the quieter signs
of damage (signals.py) try the same lost letters.
"""

from __future__ import annotations

import math
from typing import Final

from pipeline.resources import load_json

# Which letter a lost-letter space stood for, before the words around it are read: the
# letters' frequencies in Swedish (data/lexicon/damage_priors.json), not the damage of any
# one document, so that no document is read with priors fitted to it.
_PRIORS: Final = load_json("lexicon/damage_priors.json")
_LOWER_PRIOR: Final[dict[str, float]] = dict(_PRIORS["lower"])
_UPPER_PRIOR: Final[dict[str, float]] = dict(_PRIORS["upper"])
#: the letters a lost-letter space may have stood for in lower-case text, and in any text
#: (upper case adds the "I" of headings), in lower case
_LOWER_LETTERS: Final[tuple[str, ...]] = tuple(_LOWER_PRIOR)
_LOST_LETTERS: Final[tuple[str, ...]] = tuple(dict.fromkeys([*_LOWER_PRIOR, *(c.lower() for c in _UPPER_PRIOR)]))
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
