"""Which text is Swedish: only Swedish is restored.

A lost-letter reading of English, Norwegian or Danish finds "words" everywhere ("of the"
→ "ofa the", "og" → "oga"), so a paragraph that another language explains better than
Swedish is left as it is, and a short word that is common in another language ("the",
"og", "und") is no sign of damage, even inside a Swedish paragraph that quotes it.

A language no list holds (Somali, Sámi, Kurdish, Tigrinya written in Latin letters) ties
with Swedish in that comparison, every word unknown to every list; so a paragraph must
also read as Swedish on its own: enough of its words Swedish words, or its letters
Swedish by the character model of words.py. Damaged Swedish passes: its intact words
are Swedish and its fragments are pieces of Swedish words.

The languages, and how much better another must explain a paragraph, are in
``data/languages.json``; the word frequencies are wordfreq's "small" lists (words with a
Zipf frequency of 3 or more: a per-million frequency of one or more); a Swedish word is
one of the lexicon's (words.py: wordfreq's large Swedish list).
"""

from __future__ import annotations

import math
import re
import threading
from typing import Final

from pipeline.resources import cached_marshal, load_json, package_version

from .words import lexicon

_WORD: Final = re.compile(r"[^\W\d_]{2,}")
_VOWELS: Final = frozenset("aeiouyåäöæøéü")
#: the Zipf frequency given a word a list does not hold (the lists stop at 3)
_FLOOR: Final = 1.5

_TABLES: dict[str, dict[str, float]] | None = None
_LOCK = threading.Lock()


def _settings() -> dict:
    return load_json("languages.json")


def _tables() -> dict[str, dict[str, float]]:
    """Zipf frequency per word for Swedish and each compared language (loaded once, from
    the disk cache when it is there)."""
    global _TABLES
    if _TABLES is None:
        with _LOCK:
            if _TABLES is None:
                langs = ["sv"] + list(_settings()["compare"])

                def build() -> dict[str, dict[str, float]]:
                    from wordfreq import get_frequency_dict

                    return {lang: {w: round(math.log10(f) + 9.0, 2) for w, f in get_frequency_dict(lang, "small").items()}
                            for lang in langs}

                def valid(tables: object) -> bool:
                    return isinstance(tables, dict) and set(tables) == set(langs)

                version = package_version("wordfreq") or "0"
                _TABLES = cached_marshal(f"wordfreq-small-{'-'.join(langs)}-{version}.marshal", build, valid)
    return _TABLES


#: how many words each cache below holds at most
_ZIPFS_LIMIT = 200_000


def _zipfs(w: str) -> tuple[float, float]:
    """(``w``'s Zipf frequency in Swedish, the highest in another language), 0 where a list
    has none: from its vector (the lists hold no word below 3, far above the floor)."""
    v = _vector(w)
    other = max(v[1:])
    return (v[0] if v[0] > _FLOOR else 0.0), (other if other > _FLOOR else 0.0)


def foreign_word(token: str) -> bool:
    """Is ``token`` a common word of another language, far more common there than in
    Swedish ("the", "og", "und", "til"), so that it is no fragment of a Swedish word?"""
    known = _FOREIGN.get(token)
    if known is None:
        if len(_FOREIGN) >= _ZIPFS_LIMIT:
            _FOREIGN.clear()
        known = _FOREIGN[token] = _is_foreign(token)
    return known


_FOREIGN: dict[str, bool] = {}


def _is_foreign(token: str) -> bool:
    w = token.casefold()
    if len(w) < 2 or not any(ch in _VOWELS for ch in w):
        return False  # single letters, and the debris of tokenisers ("ll" of "I'll"): in every list
    settings = _settings()
    sv, best = _zipfs(w)
    return best >= settings["common_zipf"] and best - sv >= settings["common_margin"]


def known_elsewhere(token: str) -> bool:
    """Is ``token`` a word of another language's list (a per-million frequency of one or
    more), though perhaps a rare one ("oubliés", "ønskjer")?"""
    w = token.casefold()
    return len(w) > 1 and _zipfs(w)[1] > 0.0


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
    ``languages.json`` per word on average, nor when it does not read as Swedish at all
    (:func:`_reads_swedish`). Damaged Swedish stays Swedish: its fragments are rare in
    every language, and its intact words are Swedish."""
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) < _settings()["min_tokens"]:
        return True
    return _fits_swedish(words) and _reads_swedish(words)


#: word → (is it a Swedish word, log probability of its letters and end under the
#: character model), looked up once a word
_READINGS: dict[str, tuple[bool, float]] = {}


def _reads_swedish(words: list[str]) -> bool:
    """Do ``words`` read as Swedish by themselves: at least ``min_swedish_words`` of them
    Swedish words, or their letters at least ``min_letter_logprob`` per letter (word ends
    counted) under the Swedish character model? Text in a language the compared lists do
    not hold fails both."""
    settings = _settings()
    known = 0
    logprob = 0.0
    letters = 0
    for w in words:
        got = _READINGS.get(w)
        if got is None:
            lex = lexicon()
            got = (w in lex.logf, lex.chars.ngram(w))
            if len(_READINGS) >= _ZIPFS_LIMIT:
                _READINGS.clear()
            _READINGS[w] = got
        known += got[0]
        logprob += got[1]
        letters += len(w) + 1
    return (known >= settings["min_swedish_words"] * len(words)
            or logprob >= settings["min_letter_logprob"] * letters)


#: word → its Zipf frequency in Swedish and in each compared language (_FLOOR where a list
#: has none), looked up once a word
_VECTORS: dict[str, tuple[float, ...]] = {}


def _vector(w: str) -> tuple[float, ...]:
    got = _VECTORS.get(w)
    if got is None:
        tables = _tables()
        got = tuple(tables[lang].get(w, _FLOOR) for lang in ["sv"] + list(_settings()["compare"]))
        if len(_VECTORS) >= _ZIPFS_LIMIT:
            _VECTORS.clear()
        _VECTORS[w] = got
    return got


def _fits_swedish(words: list[str]) -> bool:
    """Does Swedish give ``words`` a mean frequency no other language beats by the margin?"""
    sums = [0.0] * (1 + len(_settings()["compare"]))
    for w in words:
        for i, z in enumerate(_vector(w)):
            sums[i] += z
    margin = _settings()["margin_per_token"] * len(words)
    return all(other < sums[0] + margin for other in sums[1:])


def forget() -> None:
    """Forget the words looked up so far (the tables stay loaded): for benchmarks."""
    _VECTORS.clear()
    _FOREIGN.clear()
    _READINGS.clear()
