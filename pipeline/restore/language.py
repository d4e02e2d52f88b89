"""Which text is Swedish: only Swedish is restored.

A lost-letter reading of English, Norwegian or Danish finds "words" everywhere ("of the"
→ "ofa the", "og" → "oga"), so a paragraph that another language explains better than
Swedish is left as it is, and a short word that is common in another language ("the",
"og", "und") is no sign of damage, even inside a Swedish paragraph that quotes it.

The languages, and how much better another must explain a paragraph, are in
``data/languages.json``; the word frequencies are wordfreq's "small" lists (words with a
Zipf frequency of 3 or more: a per-million frequency of one or more).
"""

from __future__ import annotations

import math
import re
import threading
from typing import Final

from pipeline.resources import load_json

_WORD: Final = re.compile(r"[^\W\d_]{2,}")
_VOWELS: Final = frozenset("aeiouyåäöæøéü")
#: the Zipf frequency given a word a list does not hold (the lists stop at 3)
_FLOOR: Final = 1.5

_TABLES: dict[str, dict[str, float]] | None = None
_LOCK = threading.Lock()


def _settings() -> dict:
    return load_json("languages.json")


def _tables() -> dict[str, dict[str, float]]:
    """Zipf frequency per word for Swedish and each compared language (loaded once)."""
    global _TABLES
    if _TABLES is None:
        with _LOCK:
            if _TABLES is None:
                from wordfreq import get_frequency_dict

                tables = {}
                for lang in ["sv"] + list(_settings()["compare"]):
                    tables[lang] = {w: math.log10(f) + 9.0 for w, f in get_frequency_dict(lang, "small").items()}
                _TABLES = tables
    return _TABLES


def foreign_word(token: str) -> bool:
    """Is ``token`` a common word of another language, far more common there than in
    Swedish ("the", "og", "und", "til"), so that it is no fragment of a Swedish word?"""
    w = token.casefold()
    if len(w) < 2 or not any(ch in _VOWELS for ch in w):
        return False  # single letters, and the debris of tokenisers ("ll" of "I'll"): in every list
    settings = _settings()
    tables = _tables()
    best = max(tables[lang].get(w, 0.0) for lang in settings["compare"])
    return best >= settings["common_zipf"] and best - tables["sv"].get(w, 0.0) >= settings["common_margin"]


def known_elsewhere(token: str) -> bool:
    """Is ``token`` a word of another language's list (a per-million frequency of one or
    more), though perhaps a rare one ("oubliés", "ønskjer")?"""
    w = token.casefold()
    tables = _tables()
    return len(w) > 1 and any(w in tables[lang] for lang in _settings()["compare"])


def swedish_or_unknown(text: str) -> bool | None:
    """Like :func:`is_swedish`, but None where ``text`` is too short to tell."""
    if len(_WORD.findall(text)) < _settings()["min_tokens"]:
        return None
    return is_swedish(text)


def foreign_phrase(text: str) -> bool:
    """Do the few words of ``text`` (a word and its neighbours) read as another language
    rather than Swedish ("think globally, act locally")? Three words or more are needed."""
    words = [w.casefold() for w in _WORD.findall(text)]
    return len(words) >= 3 and not _fits_swedish(words)


def is_swedish(text: str) -> bool:
    """Is ``text`` (a paragraph) Swedish, or too short to tell? It is not when another
    language gives its words a higher frequency than Swedish does, by the margin of
    ``languages.json`` per word on average. Damaged Swedish stays Swedish: its fragments
    are rare in every language, and its intact words are Swedish."""
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) < _settings()["min_tokens"]:
        return True
    return _fits_swedish(words)


def _fits_swedish(words: list[str]) -> bool:
    settings = _settings()
    tables = _tables()

    def fit(lang: str) -> float:
        table = tables[lang]
        return sum(table.get(w, _FLOOR) for w in words) / len(words)

    sv = fit("sv")
    return all(fit(lang) < sv + settings["margin_per_token"] for lang in settings["compare"])
