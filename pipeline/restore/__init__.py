"""Restore letters lost in OCR: a cleaning step that runs before whitespace normalisation,
since a space may be a lost letter.

Old scanned reports lose letters the OCR engine could not read: in corpus document 004
most lowercase "a" and some "g", "d" and "m" became spaces ("S mlok lisering" =
"Samlokalisering", "  v" = " av"), "l" became "/" ("/okalpolisområde"), "å" became "~"
("n~got") and "g" became "q" ("utbildninq"). Every repair swaps one character for one
character and is returned as an :class:`~pipeline.edits.Edit` of kind ``lost_letter`` or
``ocr_char`` with a confidence.

How it works, cheapest first, and where each part is:

1. **Fast path** (signals.py). One pass looks for the fragments damage leaves: letter-only
   tokens of 1–3 letters that are no Swedish word ("tt", "n", "rn"; Hunspell-checked list
   in ``data/lexicon``), a "~" or lowercase "q" touching a letter, "/" in front of a word,
   a comma standing alone. A document without any is returned untouched and never loads
   the lexicon; undotted abbreviations ("m fl") and section letters ("18 a §") do not
   count (tokens.py).
2. **Damage score** (step.py). The share of a paragraph's tokens that are such fragments,
   shrunk towards the whole document's share (a scan is damaged throughout), sets
   ``rho``, the prior that a space is a lost letter. A heavily damaged paragraph is
   decoded line by line; in a quiet one only a few tokens around each sign of damage
   are, including quieter signs once the document has shown damage (signals.py: two
   unknown words side by side, "soci ltjänst" where a lost letter would make a known
   word, a double space after a word that takes an "a").
3. **Viterbi over a line** (decoder.py). Each space between tokens is a real space or a
   lost letter; of a run of two, one may be a lost letter at the end of the word before
   or the start of the word after (a real double space is unlikely); "/", "~", "q" may be
   misread letters. A dynamic programme over the tokens picks the most probable reading:
   damage priors (priors.py: which letter, "a", "g", "d", "m" and an upper-case "I", by
   their frequencies in Swedish) times word probabilities. Each word candidate is a template whose best fillings fills.py
   finds. Words are scored (words.py) by wordfreq's Swedish list (words Hunspell rejects
   down-weighted), a compound splitter (known parts, linking -s-, an inflected head:
   "samlokaliseringen" is in no word list), a character 5-gram model trained on the
   wordfreq vocabulary for names and the rest (charmodel.py), and the document's own
   vocabulary (a restored word seen intact elsewhere in the document gets a bonus).
   Joining two tokens that are words on their own must make a known word ("Huvudsaklig
   resurs" is never one word); numbers, codes and e-mail addresses take no lost letters
   next to digits, an address is never read as beginning with a dot ("sedin .arnaut@…"
   is one address that lost a letter), web addresses and file paths are left as they are
   ("kommun.se/faq", "G:\\Rapporter\\2019", "~/Dokument/lokal/"; decoder.py's
   ``_address``), and case follows the neighbours ("B LAGOR" → "BILAGOR").
4. **Confidence** (decoder.py). Forward and backward scores give each repair the margin
   between the best reading and the best one without it; the letter chosen has its own
   margin over the next best letter. A repair whose confidence is below
   :data:`MIN_CONFIDENCE` is not made.

The decoder's inner work (filling templates, scoring words, the Viterbi pass over a line,
the quieter signs) also exists in C, ``pipeline/_decode.c``, which follows fills.py,
words.py, decoder.py and signals.py step by step and gives the same results to the last
bit (tests/test_decode.py); cdecoder.py hands it the lexicon's tables, and it is used
when built (see pipeline/_native.py). This package stays the reference.

The lexicon (about 100 MB in memory, under a second to load) and every word score,
filling and context decision are cached for the process; the lexicon's tables (word
frequencies, compound parts, the character model) are also cached on disk
(:func:`pipeline.resources.cache_dir`; built in a few seconds the first time).

The package's modules share their names with a leading underscore among themselves; only
the names below are for the rest of namnd. The package may run compiled with mypyc, as a
whole (setup.py, pipeline/_native.py); its modules import each other relatively, so the
compiled copy is the same source.
"""

from __future__ import annotations

from .calibration import MIN_CONFIDENCE
from .signals import damage_score
from .step import reset_caches, restore_edits
from .words import Lexicon, lexicon

__all__ = ["restore_edits", "damage_score", "MIN_CONFIDENCE", "Lexicon", "lexicon", "reset_caches"]
