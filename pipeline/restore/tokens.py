"""How the restorer cuts text: tokens and their offsets, runs of letters, a token's core,
and the undotted abbreviations ("m fl", "18 a §") that are never damage.

The fast path (signals.py), the lexicon (words.py) and the decoder (fills.py, decoder.py)
all read text through these, so the C decoder's character classes (cdecoder.py) are made
from the same patterns.
"""

from __future__ import annotations

import re
from typing import Final

#: abbreviations written without dots, as several tokens
_UNDOTTED_ABBREVIATIONS: Final = ("m fl", "m m", "bl a", "t ex", "s k", "o s v", "d v s", "fr o m", "t o m",
                                  "p g a", "e d", "f d")
_UNDOTTED: Final = re.compile(
    r"(?<!\S)(?:" + "|".join(_UNDOTTED_ABBREVIATIONS) + r")(?![^\s)\]”»,.;:])"  # "(GATA, PARK m m)"
    r"|(?<=\d )[a-zåäö](?!\S)"  # "18 a §", "punkt 2 b"
    r"|(?<!\S)[Ss]id(?= +\d)"  # "Sid 3 av 9": a page header
)
#: _UNDOTTED's abbreviations and "Sid" as whole tokens, in text whose whitespace is
#: normalised to single spaces and padded with one at either end
_UNDOTTED_PADDED: Final = tuple(f" {a} " for a in _UNDOTTED_ABBREVIATIONS) + (" Sid ", " sid ")
#: a letter after a number ("18 a §"): _UNDOTTED's second alternative, without look-behind
_LETTER_AFTER_NUMBER: Final = re.compile(r"\d [a-zåäö](?!\S)")


#: what may close an undotted abbreviation besides a space: a bracket, a quote, a mark
_CLOSERS: Final = str.maketrans({ch: " " for ch in ")]”»,.;:"})


def _undotted_in(text: str) -> bool:
    """Does ``text`` hold a match of _UNDOTTED? The pattern, whose look-arounds are tried at
    every offset, runs only where what each of its alternatives needs is there: an
    abbreviation or "Sid" as whole tokens, or a letter after a number."""
    padded = " " + " ".join(text.translate(_CLOSERS).split()) + " "
    if not (any(a in padded for a in _UNDOTTED_PADDED) or _LETTER_AFTER_NUMBER.search(text)):
        return False
    return _UNDOTTED.search(text) is not None


#: the tokens a match of _UNDOTTED can begin at: a word of an abbreviation, or "Sid"; or a
#: single letter after a number
_UNDOTTED_TOKENS: Final = frozenset(" ".join(_UNDOTTED_ABBREVIATIONS).split()) | {"Sid", "sid"}

#: a token: a run of non-space characters
_CHUNK: Final = re.compile(r"\S+")
#: a run of letters
_LETTERS: Final = re.compile(r"[^\W\d_]+")
#: a token's core, inside the punctuation around it (see _core)
_CORE: Final = re.compile(r"^[^\w]*(.*?)[^\w]*$", re.S)
_DIGIT: Final = re.compile(r"\d")


def _core(tok: str) -> str:
    """``tok`` without the punctuation around it."""
    m = _CORE.match(tok)
    return m.group(1) if m else tok


def _is_letter(ch: str) -> bool:
    r"""Is ``ch`` a letter as :data:`_LETTERS` counts them (``[^\W\d_]``)?"""
    return ch.isalnum() and not ch.isdecimal()


def _tokens_at(text: str) -> list[tuple[str, int]]:
    """The whitespace-separated tokens of ``text`` (the matches of ``\\S+``) with their
    offsets, from str.split and str.find: a token is the first match of itself at or after
    the end of the one before, since only whitespace lies between. Several times cheaper
    than a match object per token."""
    out = []
    pos = 0
    for tok in text.split():
        pos = text.find(tok, pos)
        out.append((tok, pos))
        pos += len(tok)
    return out
