"""What the C decoder (pipeline/_decode.c, built as pipeline._decode) is handed: the
lexicon's tables, the character classes the restorer's patterns test, and every constant
of the word scores and the decoder, in the order _decode.c reads them.

The C decoder fills templates, scores words, decodes lines and finds the quieter signs
exactly as fills.py, words.py, decoder.py and signals.py do (tests/test_decode.py); each
of those asks ``Lexicon.native`` first and does the work itself when it answers None.
"""

from __future__ import annotations

import math
import re
from typing import Any, Final

from .decoder import _MIN_START_PER_CHAR
from .fills import _ALL_COMBINATIONS, _PRUNE_MARGIN
from .priors import _LOG_EXTRA_SPACE, _LOG_EXTRA_TRAIL, _LOWER_OPTIONS, _OCR_OPTIONS, _UPPER_OPTIONS
from .tokens import _DIGIT, _LETTERS
from .words import _CACHE_LIMIT, _LOG_COMMON, _ONE_LETTER_WORDS, _SUFFIXES, Lexicon, _short_lists

#: what _CORE's "\w" and _CHUNK's "\S" test, one character at a time
_WORD_CHAR: Final = re.compile(r"\w")
_SPACE_CHAR: Final = re.compile(r"\s")


def _char_classes() -> tuple[bytes, bytes]:
    """For the C decoder: each Latin-1 character's classes as the restorer tests them (two
    bytes each, the bits of pipeline/_decode.c's C_ALPHA ... C_SPACE), and its lowercase."""
    import unicodedata

    classes, lower = bytearray(), bytearray()
    for o in range(256):
        ch = chr(o)
        lo = ch.lower()
        # _decode.c lowercases a character at a time and knows no titlecase letters
        if len(lo) != 1 or ord(lo) > 255 or unicodedata.category(ch) == "Lt":
            raise ValueError(f"Latin-1 character {ch!r} does not lowercase to one Latin-1 character")
        bits = ((1 if ch.isalpha() else 0) | (2 if ch.isupper() else 0) | (4 if ch.islower() else 0)
                | (8 if ch.isdigit() else 0) | (16 if _DIGIT.match(ch) else 0)
                | (32 if _WORD_CHAR.match(ch) else 0) | (64 if _LETTERS.match(ch) else 0)
                | (128 if _SPACE_CHAR.match(ch) else 0))
        classes += bits.to_bytes(2, "little")
        lower.append(ord(lo))
    return bytes(classes), bytes(lower)


def _c_scorer(lex: Lexicon) -> Any:
    """The C decoder (pipeline/_decode.c) over ``lex``'s tables, or None when it is not
    built, stale or refused (NAMND_PURE_PYTHON)."""
    from pipeline._native import c_decoder

    module = c_decoder()
    if module is None:
        return None
    words, names = _short_lists()
    classes, lower = _char_classes()
    # in the order of _decode.c's K_... constants
    constants = [math.log(1e-5), lex.LOG_SINGLE_LETTER, math.log(1e-7), lex.LOG_ACRONYM, math.log(0.1),
                 math.log(3e-6), math.log(1e-3), lex.LOG_OOV, lex.LOG_OOV_CAPITAL, lex.LOG_SHORT_FRAGMENT,
                 lex.LOG_MODIFIER_BONUS, lex.LOG_EXTRA_PART, lex.LOG_INFLECTED_MODIFIER, lex.LOG_INFLECTION,
                 math.log(1e-6), _LOG_COMMON, lex.LOG_ABBREVIATION, lex.LOG_COMMA_ALONE, lex.LOG_DASH_ALONE,
                 lex.LOG_PUNCT_ALONE, lex.LOG_ADDRESS_FRAGMENT, lex.LOG_DIGITS, lex.LOG_SEPARATOR,
                 lex.LOG_HYPHEN, lex.LOG_GLUED_HYPHEN, _PRUNE_MARGIN, _MIN_START_PER_CHAR,
                 _LOG_EXTRA_SPACE, _LOG_EXTRA_TRAIL]
    chars = lex.chars
    codes = b"".join(c.to_bytes(2, "little") for c in chars.codes[:256])
    return module.Scorer(
        lex.logf, lex.parts, sorted(words), sorted(names),
        chars.steps, chars.nexts, chars.width, codes, chars.end, chars.start,
        (lex._trie_first, lex._trie_code, lex._trie_child, lex._trie_end), classes, lower, constants,
        _LOWER_OPTIONS, _UPPER_OPTIONS, _OCR_OPTIONS, "".join(sorted(_ONE_LETTER_WORDS)), list(_SUFFIXES),
        _ALL_COMBINATIONS, _CACHE_LIMIT)
