"""Restore letters lost in OCR (issue 5): a cleaning step that runs before whitespace
normalisation, since a space may be a lost letter.

Old scanned reports lose letters the OCR engine could not read: in corpus document 004
most lowercase "a" and some "g", "d" and "m" became spaces ("S mlok lisering" =
"Samlokalisering", "  v" = " av"), "l" became "/" ("/okalpolisområde"), "å" became "~"
("n~got") and "g" became "q" ("utbildninq"). Every repair swaps one character for one
character and is returned as an :class:`~pipeline.clean.Edit` of kind ``lost_letter`` or
``ocr_char`` with a confidence.

How it works, cheapest first:

1. **Fast path.** One regex pass looks for the fragments damage leaves: letter-only
   tokens of 1–3 letters that are no Swedish word ("tt", "n", "rn"; Hunspell-checked list
   in ``data/lexicon``), a "~" or lowercase "q" touching a letter, "/" in front of a word,
   a comma standing alone. A document without any is returned untouched and never loads
   the lexicon; undotted abbreviations ("m fl") and section letters ("18 a §") do not
   count.
2. **Damage score.** The share of a paragraph's tokens that are such fragments, shrunk
   towards the whole document's share (a scan is damaged throughout), sets ``rho``, the
   prior that a space is a lost letter. A heavily damaged paragraph is decoded line by
   line; in a quiet one only a few tokens around each sign of damage are, including
   quieter signs once the document has shown damage (two unknown words side by side,
   "soci ltjänst" where a lost letter would make a known word, a double space after a
   word that takes an "a").
3. **Viterbi over a line.** Each space between tokens is a real space or a lost letter;
   of a run of two, one may be a lost letter at the end of the word before or the start
   of the word after (a real double space is unlikely); "/", "~", "q" may be misread
   letters. A dynamic programme over the tokens picks the most probable reading:
   damage priors (which letter: 93 % "a", then "g", "d", "m", from 004) times word
   probabilities. Words are scored by wordfreq's Swedish list (words Hunspell rejects
   down-weighted), a compound splitter (known parts, linking -s-, an inflected head:
   "samlokaliseringen" is in no word list), a character 5-gram model trained on the
   wordfreq vocabulary for names and the rest, and the document's own vocabulary (a
   restored word seen intact elsewhere in the document gets a bonus). Joining two
   tokens that are words on their own must make a known word ("Huvudsaklig resurs" is
   never one word); numbers, codes and e-mail addresses take no lost letters next to
   digits, an address is never read as beginning with a dot ("sedin .arnaut@…" is one
   address that lost a letter), and case follows the neighbours ("B LAGOR" → "BILAGOR").
4. **Confidence.** Forward and backward scores give each repair the margin between the
   best reading and the best one without it; the letter chosen has its own margin over
   the next best letter. A repair whose confidence is below :data:`MIN_CONFIDENCE` is not
   made.

The decoder's inner work (filling templates, scoring words, the Viterbi pass over a line,
the quieter signs) also exists in C, ``pipeline/_decode.c``, which follows this module
step by step and gives the same results to the last bit (tests/test_decode.py); it is
used when built (see pipeline/_native.py). This module stays the reference.

The lexicon (about 100 MB in memory, under a second to load) and every word score,
filling and context decision are cached for the process; the lexicon's tables (word
frequencies, compound parts, the character model) are also cached on disk
(:func:`pipeline.resources.cache_dir`; built in a few seconds the first time).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import math
import re
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Final

from pipeline.edits import Edit
from pipeline.resources import cached_marshal, data_path, gc_paused, package_version, spare_from_gc

__all__ = ["restore_edits", "damage_score", "MIN_CONFIDENCE", "Lexicon", "lexicon", "reset_caches"]

#: Repairs with a lower confidence are not made.
MIN_CONFIDENCE: Final = 0.6

#: the lexicon files, under pipeline/data (or $NAMND_DATA, like every data file)
_LEXICON_DIR: Final = "lexicon"
_MODEL_VERSION: Final = 4

# -- damage model ------------------------------------------------------------------------
# Which letter a lost-letter space stood for, estimated from corpus document 004 (1355 'a',
# 15 'g', 12 'd', 2 'm', 1 'I' of 1385 lost letters), smoothed so the rare ones stay
# possible.
#: a character the model never saw, in any context
_LOG_UNSEEN_CHAR: Final = math.log(1e-6)
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

#: closed-class words: never a part of a compound
_FUNCTION_WORDS: Final = frozenset("""
och att som för med det den de en ett på av till är var har hade inte om men så kan ska
jag du han hon vi ni dem oss er era ert min din sin mig dig sig vår vårt våra mitt ditt
sitt mina dina sina hans hennes dess deras mer mest när där här hur vad vem vilka vilken
vilket från vid ut in upp ner över under mot efter innan sedan då nu ju nog bara också
även eller samt utan dock detta denna dessa blir bli blev varit vara kunna skulle måste
får fick man alla allt andra annan annat många mycket någon något några inga ingen inget
sådan sådant sådana samma egen eget egna hela dels ty ej vars varje bland genom kring
mellan hos åt ur enligt trots utom ens ers kommer vill finns göra gör får tar går ger
att ska skall kan kunde ville borde bör lite redan ännu alltså därför eftersom medan
vilkas vems ingenting allting någonting just här hit dit bort fram emot ifrån inom
utom ovan nedan samt både varken antingen om huruvida fast fastän fort ändå dit ack
era ert jo nej ja icke ända ena andre tre fyra fem sex sju åtta nio tio elva tolv
""".split())
_INFLECTED: Final = re.compile(r"(?:en|et|na|ar|er|or|ade|at|[^aeiouyåäö]a)$")
#: inflection endings a known stem may carry at the end of a word
_SUFFIXES: Final = ("en", "et", "n", "t", "na", "ns", "ts", "ens", "ets", "ar", "er", "or",
             "arna", "erna", "orna", "arnas", "ernas", "ornas", "s", "a", "e", "ade", "at",
             "ande", "ende")
_SUFFIX_SET: Final = frozenset(_SUFFIXES)

_ONE_LETTER_WORDS: Final = {"i", "å", "ö"}

# -- fast path ---------------------------------------------------------------------------
# a token of 1–3 letters standing alone (_short_tokens), a "~" or lowercase "q" touching
# a letter, "/" in front of a word (_other_signals)
_SWEDISH_LOWER: Final = frozenset("abcdefghijklmnopqrstuvwxyzåäö")
#: abbreviations written without dots, as several tokens
_UNDOTTED_ABBREVIATIONS: Final = ("m fl", "m m", "bl a", "t ex", "s k", "o s v", "d v s", "fr o m", "t o m",
                                  "p g a", "e d", "f d")
_UNDOTTED: Final = re.compile(
    r"(?<!\S)(?:" + "|".join(_UNDOTTED_ABBREVIATIONS) + r")(?!\S)"
    r"|(?<=\d )[a-zåäö](?!\S)"  # "18 a §", "punkt 2 b"
    r"|(?<!\S)[Ss]id(?= +\d)"  # "Sid 3 av 9": a page header
)
#: _UNDOTTED's abbreviations and "Sid" as whole tokens, in text whose whitespace is
#: normalised to single spaces and padded with one at either end
_UNDOTTED_PADDED: Final = tuple(f" {a} " for a in _UNDOTTED_ABBREVIATIONS) + (" Sid ", " sid ")
#: a letter after a number ("18 a §"): _UNDOTTED's second alternative, without look-behind
_LETTER_AFTER_NUMBER: Final = re.compile(r"\d [a-zåäö](?!\S)")


def _undotted_in(text: str) -> bool:
    """Does ``text`` hold a match of _UNDOTTED? The pattern, whose look-arounds are tried at
    every offset, runs only where what each of its alternatives needs is there: an
    abbreviation or "Sid" as whole tokens, or a letter after a number."""
    padded = " " + " ".join(text.split()) + " "
    if not (any(a in padded for a in _UNDOTTED_PADDED) or _LETTER_AFTER_NUMBER.search(text)):
        return False
    return _UNDOTTED.search(text) is not None


#: the tokens a match of _UNDOTTED can begin at: a word of an abbreviation, or "Sid"; or a
#: single letter after a number
_UNDOTTED_TOKENS: Final = frozenset(" ".join(_UNDOTTED_ABBREVIATIONS).split()) | {"Sid", "sid"}
_STRAY: Final = frozenset({",", ".", ";", ":"})
_DOTTED: Final = re.compile(r"^[(]?(?:[a-zåäö]{1,3}\.){2,4}[),;:]?$")
_PARAGRAPH: Final = re.compile(r"(?:[^\n]|\n(?![ \t\r\u00a0]*\n))+")
_LINE: Final = re.compile(r"[^\n\r]+")
_CHUNK: Final = re.compile(r"\S+")
_WORD_CHAR: Final = re.compile(r"\w")
_SPACE_CHAR: Final = re.compile(r"\s")
_LETTERS: Final = re.compile(r"[^\W\d_]+")
#: a run of four or more letters (exactly the runs of _LETTERS that long)
_LONG_LETTERS: Final = re.compile(r"[^\W\d_]{4,}")
_CORE: Final = re.compile(r"^[^\w]*(.*?)[^\w]*$", re.S)
_PIECES: Final = re.compile(r"[^\W\d_]+|\d+|[^\w]+|_+")


def _core(tok: str) -> str:
    """``tok`` without the punctuation around it."""
    m = _CORE.match(tok)
    return m.group(1) if m else tok

_SHORT: tuple[frozenset[str], frozenset[str]] | None = None
_SHORT_LOCK: Final = threading.Lock()


def _short_lists() -> tuple[frozenset[str], frozenset[str]]:
    """Swedish words of 1–3 letters (Hunspell-checked) and undotted abbreviations; and
    the short names, which are words only when Capitalised ("Eva", "Bo")."""
    global _SHORT
    if _SHORT is None:
        with _SHORT_LOCK:
            if _SHORT is None:
                words: set[str] = set(_ONE_LETTER_WORDS)
                names: set[str] = set()
                for row in _read_list(f"{_LEXICON_DIR}/sv_short.tsv"):
                    w, _, kind = row.partition("\t")
                    (names if kind == "name" else words).add(w)
                _SHORT = frozenset(words), frozenset(names)
    return _SHORT


def _short_ok() -> frozenset[str]:
    return _short_lists()[0]


def _short_word(piece: str) -> bool:
    """Is a 1–3 letter piece a word as written?"""
    lo = piece.lower()
    words, names = _short_lists()
    if lo in words:
        return len(lo) > 1 or lo in _ONE_LETTER_WORDS
    return lo in names and piece[0].isupper()


def _read_list(name: str) -> list[str]:
    with data_path(name).open(encoding="utf-8") as f:
        return [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]


def _is_fragment(tok: str) -> bool:
    """A 1–3 letter token that is no Swedish word: the typical leftover of a lost letter."""
    if tok.isupper() and len(tok) > 1:
        return False  # acronyms: LUL, HVB
    if len(tok) == 1:
        return tok.lower() not in _ONE_LETTER_WORDS
    if not tok.islower() and not tok.istitle():
        return False  # SiS, FoU
    return not _short_word(tok)


def _other_signals(text: str) -> list[int]:
    """Where ``text`` has a "~" touching a letter (the offset of the pair), a lowercase "q"
    after a lowercase letter and not before "u" or "v", a "/" opening a word of two or
    more lowercase letters, or a comma, semicolon or colon standing alone after a word
    ("Lund , Sundby": the offset of the space). Each character is found with str.find
    and its neighbours checked: on a damaged text, regular expressions for these (each
    trying every offset) took most of the fast path's time."""
    out: list[int] = []
    n = len(text)
    lower = _SWEDISH_LOWER
    i = text.find("~")
    free = 0  # where the next "~" pair may begin: pairs do not overlap
    while i >= 0:
        if i - 1 >= free and _is_letter(text[i - 1]):
            out.append(i - 1)
            free = i + 1
        elif i + 1 < n and _is_letter(text[i + 1]):
            out.append(i)
            free = i + 2
        i = text.find("~", i + 1)
    i = text.find("q")
    while i >= 0:
        if i > 0 and text[i - 1] in lower and text[i + 1:i + 2] not in ("u", "v"):
            out.append(i)
        i = text.find("q", i + 1)
    i = text.find("/")
    while i >= 0:
        if ((i == 0 or text[i - 1].isspace()) and i + 2 < n and text[i + 1] in lower
                and text[i + 2] in lower):
            out.append(i)
        i = text.find("/", i + 1)
    for mark in (" ,", " ;", " :"):
        i = text.find(mark)
        while i >= 0:
            if i > 0 and _is_letter(text[i - 1]) and i + 2 < n and text[i + 2].isspace():
                out.append(i)
            i = text.find(mark, i + 1)
    return out


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


def _short_tokens(text: str) -> set[str]:
    r"""The tokens of 1-3 letters in ``text`` (``(?<!\S)[^\W\d_]{1,3}(?!\S)``), from
    str.split: three times faster than that regular expression, which tries every offset."""
    return {tok for tok in text.split() if len(tok) <= 3
            and (tok.isalpha() or (tok.isalnum() and not any(c.isdecimal() for c in tok)))}


def _signals(text: str) -> list[int]:
    """Offsets of the damage signals in ``text`` (the fast path's only work): a token of
    1–3 letters that is no word ("tt", "n", "rn"), a "~" or lowercase "q" touching a
    letter, "/" in front of a word, a comma standing alone after a word."""
    short_ok = _short_ok()
    out = []
    # the fragments among the text's short tokens, found without match objects: clean
    # text usually has none, and then no position is needed
    fragments = {tok for tok in _short_tokens(text) - short_ok if _is_fragment(tok)}
    for tok, a in _tokens_at(text) if fragments else ():
        b = a + len(tok)
        if b - a > 3 or tok not in fragments:
            continue
        # only a token that can begin an undotted abbreviation's word, or a letter after a
        # number, can lie in one: most fragments of a damaged text need no regex here
        if tok not in _UNDOTTED_TOKENS and (b - a > 1 or a < 2 or not text[a - 2].isdecimal()):
            out.append(a)
            continue
        window = text[max(0, a - 6):b + 6]
        if _undotted_in(window) and any(
                x.start() <= a - max(0, a - 6) < x.end() for x in _UNDOTTED.finditer(window)):
            continue  # "m fl", "18 a §"
        out.append(a)
    out += _other_signals(text)
    out.sort()
    return out


def damage_score(paragraph: str) -> float:
    """Share of a paragraph's tokens that are damage fragments (0 for clean text)."""
    toks = paragraph.split()
    if not toks:
        return 0.0
    return len(_signals(paragraph)) / len(toks)


# -- lexicon and word model --------------------------------------------------------------
class Lexicon:
    """Swedish word probabilities: wordfreq + Hunspell filter + compounds + char 5-grams."""

    ORDER = 5
    DISCOUNT = 0.75
    #: probability mass of words not in the list (compounds, names, rare forms)
    LOG_OOV = math.log(0.02)
    LOG_OOV_CAPITAL = math.log(0.12)
    #: a known word Hunspell rejects (English, chat, debris) keeps 2% of its frequency
    LOG_REJECTED = math.log(0.02)
    #: parts of a compound: each modifier costs its frequency times this bonus
    LOG_MODIFIER_BONUS = 4.5
    LOG_EXTRA_PART = math.log(0.1)  # a third, fourth … part
    LOG_INFLECTED_MODIFIER = math.log(0.05)
    LOG_INFLECTION = math.log(0.1)
    LOG_SINGLE_LETTER = math.log(1e-9)
    LOG_SHORT_FRAGMENT = math.log(1e-4)  # on top of the character model
    LOG_ACRONYM = math.log(2e-6)
    LOG_DIGITS = math.log(1e-3)
    LOG_ABBREVIATION = math.log(1e-3)
    LOG_SEPARATOR = math.log(0.05)  # a dot, @, / inside a token
    LOG_HYPHEN = math.log(0.2)  # Rinkeby-Kista, "arbets- och"
    LOG_GLUED_HYPHEN = math.log(0.01)  # "-Tensta"
    LOG_PUNCT_ALONE = math.log(1e-3)  # "□", "_" between spaces
    LOG_DASH_ALONE = math.log(0.01)  # " - " as a dash
    LOG_COMMA_ALONE = math.log(1e-5)  # "," "." between spaces: rare in clean text
    #: ".arnaut@stad.se": an e-mail address never begins with a dot, so this is the rest of
    #: one whose first part lost its last letter to a space ("sedin .arnaut@…")
    LOG_ADDRESS_FRAGMENT = math.log(1e-6)

    def __init__(self) -> None:
        rejected = _read_list(f"{_LEXICON_DIR}/sv_rejected.tsv")
        # the derived tables come from the disk cache: deriving them from wordfreq's list
        # (training the character model, building its automaton) takes seconds, reading
        # them about 0.25 s. The key names all they are made of.
        version = package_version("wordfreq") or "0"
        recipe = "\n".join([*rejected, "", *sorted(_FUNCTION_WORDS), "",
                             repr((self.LOG_REJECTED, self.ORDER, self.DISCOUNT))])
        digest = hashlib.sha256(recipe.encode("utf-8")).hexdigest()[:16]
        self.logf, self.parts, model, trie = cached_marshal(
            f"lexicon-v{_MODEL_VERSION}-wf{version}-{digest}.marshal", lambda: self._derive(set(rejected)),
            lambda t: (isinstance(t, tuple) and len(t) == 4 and all(isinstance(d, dict) for d in t[:2])
                       and isinstance(t[2], tuple) and len(t[2]) == 4
                       and isinstance(t[3], tuple) and len(t[3]) == 4))
        self._load_automaton(*model)
        #: the compound parts as a compact trie (see _trie): about 1 MB, where a dict per
        #: node took tens of thousands of dicts and a node x character table 9 MB
        self._trie_first, self._trie_code, self._trie_child, self._trie_end = trie
        #: the decoder in C over these tables (pipeline/_decode.c), None without it
        self.native: Any = _c_scorer(self)
        self._cache: dict[str, float] = {}
        self._good: dict[str, bool] = {}
        self._compound_cache: dict[str, bool] = {}

    def _derive(self, rejected: set[str]) -> tuple[dict[str, float], dict[str, float],
                                                   tuple[str, bytes, bytes, int],
                                                   tuple[bytes, bytes, bytes, list[float]]]:
        """(word log frequencies, compound parts, the character model as an automaton (see
        :func:`_automaton`), the parts' trie (see :func:`_trie`)), from wordfreq's list."""
        from pipeline.resources import swedish_word_frequencies

        freq = swedish_word_frequencies()
        letters = re.compile(r"^[a-zåäöéü]+$")
        logf: dict[str, float] = {}
        train: list[str] = []
        for w, f in freq.items():
            if not letters.match(w):
                continue
            lp = math.log(f)
            if w in rejected:
                lp += self.LOG_REJECTED
            elif f >= 1e-7 and len(w) >= 2:
                train.append(w)
            logf[w] = lp
        #: compound parts: frequent, Hunspell-accepted words of 3+ letters
        parts = {w: lp for w, lp in logf.items()
                 if len(w) >= 3 and lp >= math.log(1e-6) and w not in rejected
                 and w not in _FUNCTION_WORDS}
        table, backoff = _train_ngrams(train, self.ORDER, self.DISCOUNT)
        model = _automaton(table, backoff)
        return logf, parts, model, _trie(parts, model[0])

    # -- character model -----------------------------------------------------------------
    # The 5-gram model runs as an automaton: a state is the longest context the model
    # knows of what has been read; a step reads one character, adds its log probability
    # (backed off as the model says) and moves to the next state. Two flat arrays, state *
    # width + character code, replace looking up substrings in a dict of n-grams: in a
    # dict of that size nearly every lookup was a cache miss, and the substrings had to be
    # made and hashed first.
    def _load_automaton(self, symbols: str, steps: bytes, nexts: bytes, start: int) -> None:
        self._steps = array("d")
        self._steps.frombytes(steps)
        self._next = array("i")
        self._next.frombytes(nexts)
        #: codes: 0 .. len(symbols) - 1 the model's characters, len(symbols) any other
        self._width = len(symbols) + 1
        other = len(symbols)
        self._codes: list[int] = [other] * 256
        self._wide: dict[str, int] = {}
        for code, ch in enumerate(symbols):
            if ord(ch) < 256:
                self._codes[ord(ch)] = code
            else:
                self._wide[ch] = code
        self._other = other
        self._end = symbols.index("$")
        #: the state at a word's start ("^^^^" read)
        self._start = start

    def trim_caches(self, limit: int = 500_000) -> None:
        """Forget cached scores when a long run has filled the caches."""
        for cache in (self._cache, self._good, self._compound_cache):
            if len(cache) >= limit:
                cache.clear()
        if limit == 0 and self.native is not None:
            self.native.clear()  # it keeps its own caches within the limit

    def _code(self, ch: str) -> int:
        o = ord(ch)
        return self._codes[o] if o < 256 else self._wide.get(ch, self._other)

    def _state(self, context: str) -> int:
        """The state after reading ``context`` from no context at all."""
        state = 0
        nexts, width = self._next, self._width
        for ch in context:
            state = nexts[state * width + self._code(ch)]
        return state

    def _read(self, state: int, text: str, lp: float) -> tuple[float, int]:
        """``lp`` plus log P(``text`` | ``state``), and the state after it."""
        steps, nexts, width, codes = self._steps, self._next, self._width, self._codes
        for ch in text:
            o = ord(ch)
            i = state * width + (codes[o] if o < 256 else self._wide.get(ch, self._other))
            lp += steps[i]
            state = nexts[i]
        return lp, state

    def ngram(self, w: str) -> float:
        """log P(w) under the character model (lowercase letters, with word end)."""
        lp, state = self._read(self._start, w, 0.0)
        return lp + self._steps[state * self._width + self._end]

    def _prefix(self, w: str) -> float:
        """log P of the first characters of a word being ``w`` (no word end)."""
        return self._read(self._start, w, 0.0)[0]

    def _end_after(self, context: str) -> float:
        """log P that a word ends after ``context`` ("^^^^" padded at a word start)."""
        return self._steps[self._state(context) * self._width + self._end]

    def good(self, chunk: str) -> bool:
        """Is this token a proper word (or number, punctuation) as it stands?"""
        g = self._good.get(chunk)
        if g is None:
            g = True
            for piece in _LETTERS.findall(chunk):
                lo = piece.lower()
                if len(lo) == 1:
                    if lo not in _ONE_LETTER_WORDS and not (piece.isupper() and len(chunk) > 1):
                        g = False
                elif len(lo) <= 3:
                    if not piece.isupper() and not _short_word(piece):
                        g = False
                elif self.logf.get(lo, _NEG) < math.log(1e-6) and not piece.isupper():
                    g = False
                if not g:
                    break
            self._good[chunk] = g
        return g

    def all_known(self, text: str) -> bool:
        """Every run of letters in ``text`` is a known word of 2+ letters."""
        native = self.native
        if native is not None:
            got: bool | None = native.all_known(text)
            if got is not None:
                return got
        if len(text) > 3 and text.isalpha():
            return self.logf.get(text.lower(), _NEG) >= _LOG_COMMON
        for piece in _LETTERS.findall(text):
            lo = piece.lower()
            if len(lo) == 1:
                if lo not in _ONE_LETTER_WORDS:
                    return False
            elif len(lo) <= 3:
                if not _short_word(piece):
                    return False
            elif self.logf.get(lo, _NEG) < _LOG_COMMON:
                return False
        return True

    # -- compounds -------------------------------------------------------------------------
    def is_compound(self, w: str) -> bool:
        """Can ``w`` be read as known parts (see :meth:`compound`)? Memoised."""
        native = self.native
        if native is not None:
            answer: bool | None = native.is_compound(w)
            if answer is not None:
                return answer
        got = self._compound_cache.get(w)
        if got is None:
            got = self._compound_cache[w] = self.compound(w) is not None
        return got

    def compound(self, w: str) -> float | None:
        """Best log score of ``w`` as known parts (modifiers may end in linking -s).

        A compound's head carries its own frequency; each modifier its frequency plus
        :attr:`LOG_MODIFIER_BONUS`. Function words are never parts, and a modifier in an
        inflected form ("rapporten-", "kostnader-") is unlikely. The head may also be a
        known part plus an inflection ending.
        """
        n = len(w)
        if n < 6:
            return None
        parts = self.parts
        first, child_code, child_node, trie_end = (self._trie_first, self._trie_code, self._trie_child,
                                                   self._trie_end)
        codes = [self._code(ch) for ch in w]
        inflected = _INFLECTED.search
        bonus = self.LOG_MODIFIER_BONUS
        extra_part, inflected_modifier = self.LOG_EXTRA_PART, self.LOG_INFLECTED_MODIFIER
        log_inflection = self.LOG_INFLECTION
        # the inflection endings the word may carry, by length (the same for every head;
        # found when a head is first tried)
        endings: list[int] | None = None
        # best[i]: best score of w[:i] as a sequence of modifiers (_NEG: none); floats
        # with a sentinel rather than None keep the arithmetic unboxed when compiled
        best: list[float] = [_NEG] * (n + 1)
        best[0] = 0.0
        result = _NEG
        for i in range(n - 2):
            bi = best[i]
            if bi == _NEG:
                continue
            if i > 0 and n - i >= 4:
                if endings is None:
                    endings = [k for k in range(1, 6) if w[n - k:] in _SUFFIX_SET]
                # the head w[i:] as a known part plus an inflection ending
                head = _NEG
                longest = min(5, n - i - 3)
                for k in endings:
                    if k > longest:
                        break
                    hp = parts.get(w[i:n - k])
                    if hp is not None and hp > head:
                        head = hp
                if head != _NEG:
                    h = head + log_inflection
                    if bi + h > result:
                        result = bi + h
            # the known parts starting at i, walking the trie of parts
            node = 0
            for j in range(i + 1, n + 1):
                # the child of node for this character: its children are sorted by code
                c = codes[j - 1]
                k = 3 * node
                at = first[k] | (first[k + 1] << 8) | (first[k + 2] << 16)
                k += 3
                stop = first[k] | (first[k + 1] << 8) | (first[k + 2] << 16)
                while at < stop and child_code[at] < c:
                    at += 1
                if at == stop or child_code[at] != c:
                    break
                k = 3 * at
                node = child_node[k] | (child_node[k + 1] << 8) | (child_node[k + 2] << 16)
                if j - i < 3:
                    continue
                p: float = trie_end[node]
                if p == _NEG:
                    continue
                if j == n:
                    if i > 0:
                        sc = bi + p
                        if sc > result:
                            result = sc
                    continue
                if n - j < 3:
                    continue
                sc = bi + p + bonus + (extra_part if i > 0 else 0.0)
                if inflected(w, i, j):
                    sc += inflected_modifier
                if sc > best[j]:
                    best[j] = sc
                if w[j] == "s" and n - j > 3:  # linking -s-
                    if sc > best[j + 1]:
                        best[j + 1] = sc
        return None if result == _NEG else result

    # -- words -----------------------------------------------------------------------------
    def word(self, p: str) -> float:
        """log P of one run of letters as a word, as written (case matters)."""
        lp = self._cache.get(p)
        if lp is None:
            lp = self._word(p)
            self._cache[p] = lp
        return lp

    def _word(self, p: str) -> float:
        lo = p.lower()
        n = len(lo)
        if n == 1:
            if lo in _ONE_LETTER_WORDS:
                return self.logf.get(lo, math.log(1e-5))
            return self.LOG_SINGLE_LETTER
        if p.isupper():
            base = self.logf.get(lo)
            if base is not None and n >= 4 and base > math.log(1e-7):
                return base
            return self.LOG_ACRONYM if n <= 5 else self._oov(lo, True) + math.log(0.1)
        inner_caps = n > 1 and not p[1:].islower()
        capital = p[0].isupper()
        base = self.logf.get(lo)
        if n <= 3:
            if _short_word(p):
                lp = base if base is not None else math.log(1e-7)
            else:
                lp = self.ngram(lo) + self.LOG_OOV + self.LOG_SHORT_FRAGMENT
        elif base is not None and base > math.log(3e-6):
            lp = base
        else:
            oov = self._oov(lo, capital)
            lp = oov if base is None else max(base, oov)
        if inner_caps:
            lp += math.log(1e-3)
        return lp

    def _oov(self, lo: str, capital: bool) -> float:
        lp = self.ngram(lo) + (self.LOG_OOV_CAPITAL if capital else self.LOG_OOV)
        if lp < -4.5 * len(lo):
            return lp  # not Swedish-looking at all: no compound or inflection can save it
        comp = self.compound(lo)
        if comp is not None and comp > lp:
            lp = comp
        logf = self.logf
        for k in range(1, min(5, len(lo) - 5) + 1):
            if lo[-k:] in _SUFFIX_SET:
                stem = logf.get(lo[:-k])
                if stem is not None and stem + self.LOG_INFLECTION > lp:
                    lp = stem + self.LOG_INFLECTION
        return lp

    def token(self, tok: str) -> float:
        """log P of a whitespace-delimited token (letters, digits, punctuation)."""
        if tok.isalpha():  # the common case: one run of letters
            return self.word(tok)
        lp = self._cache.get("\x01" + tok)
        if lp is None:
            lp = self._token(tok)
            self._cache["\x01" + tok] = lp
        return lp

    def _token(self, tok: str) -> float:
        if _DOTTED.match(tok):
            return self.LOG_ABBREVIATION  # t.ex. bl.a. m.fl. s.k.
        core = _core(tok)
        if not core:
            if tok in (",", ".", ";", ":", "!", "?"):
                return self.LOG_COMMA_ALONE
            if tok in ("-", "–", "—"):
                return self.LOG_DASH_ALONE
            return self.LOG_PUNCT_ALONE
        total = self.LOG_ADDRESS_FRAGMENT if tok[0] == "." and "@" in tok else 0.0
        pieces = _PIECES.findall(core)
        last = len(pieces) - 1
        for i, piece in enumerate(pieces):
            ch = piece[0]
            if ch.isalpha():
                if len(piece) == 1 and ((i < last and pieces[i + 1][0] in ".-")
                                        or (i == last and tok.endswith("."))):
                    total += self.LOG_ABBREVIATION  # t.ex., bl.a., and a lone "s.", "p.", "P."
                else:
                    total += self.word(piece)
            elif ch.isdigit():
                total += self.LOG_DIGITS
            elif i and piece != "-":
                total += self.LOG_SEPARATOR  # a dot, @, / inside a token
            elif i:
                total += self.LOG_HYPHEN  # Rinkeby-Kista
        if tok[0] == "-" and core[0].isalpha():
            total += self.LOG_GLUED_HYPHEN  # "-Tensta": a hyphen glued to the next word
        elif tok[-1] == "-" and core[-1].isalpha():
            total += self.LOG_HYPHEN  # "arbets- och"
        return total


def _trie(words: dict[str, float], symbols: str) -> tuple[bytes, bytes, bytes, list[float]]:
    """A trie of ``words``, compact: (where each node's children begin, as 3-byte
    little-endian offsets, one more at the end; each child's character code, sorted within
    a node; each child's node, 3 bytes; each node's score, :data:`_NEG` where no word
    ends). Node 0 is the root. Characters are coded like the character model's
    (:func:`_automaton`: ``symbols``, then any other character)."""
    code = {ch: i for i, ch in enumerate(symbols)}
    other = len(symbols)
    children: list[dict[int, int]] = [{}]
    ends: list[float] = [_NEG]
    for w, lp in words.items():
        node = 0
        for ch in w:
            c = code.get(ch, other)
            nxt = children[node].get(c)
            if nxt is None:
                nxt = children[node][c] = len(ends)
                children.append({})
                ends.append(_NEG)
            node = nxt
        ends[node] = lp
    if len(ends) >= 1 << 24:
        raise ValueError("too many compound parts for 3-byte node numbers")
    first, codes, nodes = bytearray(), bytearray(), bytearray()
    for kids in children:
        first += len(codes).to_bytes(3, "little")
        for c in sorted(kids):
            codes.append(c)
            nodes += kids[c].to_bytes(3, "little")
    first += len(codes).to_bytes(3, "little")
    return bytes(first), bytes(codes), bytes(nodes), ends


def _char_classes() -> tuple[bytes, bytes]:
    """For the C decoder: each Latin-1 character's classes as restore.py tests them (two
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
    codes = b"".join(c.to_bytes(2, "little") for c in lex._codes[:256])
    return module.Scorer(
        lex.logf, lex.parts, sorted(words), sorted(names),
        lex._steps, lex._next, lex._width, codes, lex._end, lex._start,
        (lex._trie_first, lex._trie_code, lex._trie_child, lex._trie_end), classes, lower, constants,
        _LOWER_OPTIONS, _UPPER_OPTIONS, _OCR_OPTIONS, "".join(sorted(_ONE_LETTER_WORDS)), list(_SUFFIXES),
        _ALL_COMBINATIONS, _CACHE_LIMIT)


_LEXICON: Lexicon | None = None
_LEX_LOCK: Final = threading.Lock()


def lexicon() -> Lexicon:
    """The process-wide lexicon, built on first use."""
    global _LEXICON
    if _LEXICON is None:
        with _LEX_LOCK:
            if _LEXICON is None:
                _LEXICON = Lexicon()
                spare_from_gc()  # it lives as long as the process
    return _LEXICON


def _train_ngrams(words: list[str], order: int,
                  discount: float) -> tuple[dict[str, float], dict[str, float]]:
    """Interpolated absolute discounting, stored as backoff tables (ARPA style)."""
    counts: list[Counter[str]] = [Counter() for _ in range(order + 1)]
    pad = "^" * (order - 1)
    for w in words:
        s = pad + w + "$"
        for n in range(1, order + 1):
            grams = counts[n]
            for i in range(order - n, len(s) - n + 1):
                grams[s[i:i + n]] += 1
    # context totals and number of distinct followers
    ctx_total: list[Counter[str]] = [Counter() for _ in range(order + 1)]
    ctx_types: list[Counter[str]] = [Counter() for _ in range(order + 1)]
    for n in range(1, order + 1):
        for g, c in counts[n].items():
            ctx_total[n][g[:-1]] += c
            ctx_types[n][g[:-1]] += 1
    table: dict[str, float] = {}
    backoff: dict[str, float] = {}
    prob: dict[str, float] = {}
    total1 = sum(counts[1].values())
    vocab = len(counts[1]) + 1
    for g, c in counts[1].items():
        prob[g] = (c + 0.5) / (total1 + 0.5 * vocab)
    for n in range(2, order + 1):
        for h, tot in ctx_total[n].items():
            backoff[h] = math.log(discount * ctx_types[n][h] / tot)
        for g, c in counts[n].items():
            h = g[:-1]
            lower = prob.get(g[1:])
            if lower is None:  # unseen lower order cannot happen for a seen higher one
                lower = 1e-6
            prob[g] = (c - discount) / ctx_total[n][h] + math.exp(backoff[h]) * lower
    for g, p in prob.items():
        table[g] = math.log(p)
    return table, backoff


def _automaton(table: dict[str, float], backoff: dict[str, float]) -> tuple[str, bytes, bytes, int]:
    """The back-off model of ``table`` and ``backoff`` as an automaton (see
    :meth:`Lexicon._load_automaton`): (its characters, the step log probabilities and next
    states as bytes of ``array("d")`` and ``array("i")``, the start state).

    States are the contexts the model knows, the empty one first (state 0). From context
    ``h``, character ``c`` costs ``table[h + c]`` if the model holds it, else the back-off
    weights of ``h``, ``h[1:]``, ... summed in that order until a shorter context holds it
    (the same sums, in the same order, as reading the table directly), or an unseen
    character's floor. The next state is the longest known context that ends the text read
    so far: a suffix of ``h + c``, since every suffix of a known context is known."""
    import numpy as np  # spaCy's dependency; only for building, once per machine

    contexts = [""] + sorted(backoff, key=lambda h: (len(h), h))
    state_of = {h: i for i, h in enumerate(contexts)}
    symbols = "".join(sorted({ch for g in table for ch in g}))
    width = len(symbols) + 1
    code = {ch: i for i, ch in enumerate(symbols)}
    grouped: dict[str, tuple[list[int], list[float]]] = {}
    for g, lp in table.items():
        codes, values = grouped.setdefault(g[:-1], ([], []))
        codes.append(code[g[-1]])
        values.append(lp)
    children = {h: (np.array(c, dtype=np.intp), np.array(v, dtype=np.float64)) for h, (c, v) in grouped.items()}
    steps = np.empty((len(contexts), width), dtype=np.float64)
    nexts = np.zeros((len(contexts), width), dtype=np.int32)
    longest = max(len(h) for h in contexts)
    #: context -> (code, state) of each known context one character longer
    extended: dict[str, list[tuple[int, int]]] = {}
    for g in contexts[1:]:
        extended.setdefault(g[:-1], []).append((code[g[-1]], state_of[g]))
    for s, h in enumerate(contexts):
        # the back-off sums before each shorter context, added in the reading order
        levels = [h]
        sums = [0.0]
        bo = 0.0
        ctx = h
        while ctx:
            bo += backoff.get(ctx, 0.0)
            ctx = ctx[1:]
            levels.append(ctx)
            sums.append(bo)
        row = steps[s]
        row[:] = bo + _LOG_UNSEEN_CHAR
        # shortest context first, so the longest one that holds a character has the last word
        for ctx, bo in zip(reversed(levels), reversed(sums)):
            got = children.get(ctx)
            if got is not None:
                row[got[0]] = got[1] + bo if ctx != h else got[1]
        # the next state: what the state of h[1:] moves to, unless h + c is itself a known
        # context (never for the longest contexts: h[1:] + c is what follows them)
        if h:
            nexts[s] = nexts[state_of[h[1:]]]
        for c, longer in extended.get(h, ()):
            nexts[s, c] = longer
        # an unknown character (the last code) leads to state 0, as from state 0 itself:
        # no context holds it, so nothing read counts
    start = state_of["^" * longest]
    return symbols, steps.tobytes(), nexts.tobytes(), start


# -- the line decoder ----------------------------------------------------------------------
_NEG: Final = -1e18
#: longest word made of joined tokens, in tokens and characters
_MAX_SPAN: Final = 5
_MAX_WORD: Final = 48
_LOG_DOC_VOCAB_BONUS: Final = 2.0
_PRUNE_MARGIN: Final = 4.0
#: a template with more fillings than this tries only those with at most two points away
#: from their first option (see _few_deviations): 64 gave the same repairs and
#: confidences on 004 and 36 simulated texts, with 6 % more candidate words to score
_ALL_COMBINATIONS: Final = 16
_SPLIT_TEMPLATE: Final = re.compile("\x00")
_DIGIT: Final = re.compile(r"\d")
_OCR_CHARS: Final = re.compile("[/~q|]")
_CHOICE_POINT: Final = re.compile("[\x00/~q|]")
#: a run of letters and lost-letter slots in a template
_RUN: Final = re.compile("(?:[^\\W\\d_]|\x00)+")
#: the options of a choice point, shared by all templates (never modified)
_LOWER_OPTIONS: Final = list(_LOG_LOWER.items())
_UPPER_OPTIONS: Final = list(_LOG_UPPER.items())
_OCR_OPTIONS: Final = {seen: [(meant, math.log(prior)), (seen, math.log(1 - prior))]
                for seen, (meant, prior) in _OCR.items()}


#: a template's best fillings, (score, text), best first
Fills = tuple[tuple[float, str], ...]
#: a template's choice points: (position, the options there: (character, log prior), ...)
ChoicePoints = list[tuple[int, Sequence[tuple[str, float]]]]
#: template -> (its best fillings, the words each filling restores; see _restored_words)
_FILLS: dict[str, tuple[Fills, tuple[tuple[str, ...], ...] | None]] = {}
_PRUNE_CACHE: dict[str, tuple[tuple[str, float], ...]] = {}
_FILLS_MAX: Final = 400_000
_START_CACHE: dict[str, bool] = {}
_MIN_START_PER_CHAR: Final = -3.2
_CACHE_LIMIT: Final = 500_000


def _is_letter(ch: str) -> bool:
    r"""Is ``ch`` a letter as :data:`_LETTERS` counts them (``[^\W\d_]``)?"""
    return ch.isalnum() and not ch.isdecimal()


def _restored_words(template: str, fills: Fills) -> tuple[tuple[str, ...], ...] | None:
    """For each filling, the words of 4+ letters that the filling makes and the template
    does not hold as they stand (lowercased): the words the document's own vocabulary can
    confirm. None when no filling makes one.

    Such a word holds a character the filling changed (a run of letters without one is a
    run of the template too), so only the runs around changed characters are read."""
    if not fills or (len(fills) == 1 and fills[0][1] == template):
        return None
    before: set[str] | None = None
    out: list[tuple[str, ...]] = []
    found = False
    n = len(template)
    for _, text in fills:
        words: list[str] = []
        i = 0
        while i < n:
            if text[i] == template[i] or not _is_letter(text[i]):
                i += 1
                continue
            a, b = i, i + 1
            while a > 0 and _is_letter(text[a - 1]):
                a -= 1
            while b < n and _is_letter(text[b]):
                b += 1
            i = b
            if b - a < 4:
                continue
            if before is None:
                before = set(_LETTERS.findall(template))
            w = text[a:b]
            if w not in before:
                words.append(w.lower())
        if words:
            found = True
        out.append(tuple(words))
    return tuple(out) if found else None


class _Decoder:
    """Viterbi over the tokens of one line.

    The best fillings of a word template are cached for the process; the bonus for words
    of the document's own vocabulary is added per document.
    """

    def __init__(self, lex: Lexicon, doc_vocab: frozenset[str], trail_base: int = 0):
        self.lex = lex
        self.doc_vocab = doc_vocab
        #: spaces a line normally ends with in this document (PDF exports: one)
        self.trail_base = trail_base
        self.fills: dict[str, Fills] = {}

    # A template is the text of a word candidate in which "\x00" marks a lost-letter slot;
    # "/", "~", "q" and "|" are optional OCR choice points.
    def best_fills(self, template: str) -> Fills:
        """The best fillings of ``template``: (score, text), best first."""
        entry = _FILLS.get(template)
        if entry is not None and entry[1] is None:
            return entry[0]  # it restores no word the document could confirm: shared as is
        found = self.fills.get(template)
        if found is not None:
            return found
        if entry is None:
            if len(_FILLS) >= _FILLS_MAX:
                _FILLS.clear()
                _START_CACHE.clear()
            native = self.lex.native
            entry = native.fills_and_words(template) if native is not None else None
            if entry is None:  # not for the C decoder (not Latin-1, or too long)
                fills = self._fills(template)
                entry = (fills, _restored_words(template, fills))
            _FILLS[template] = entry
        got, restored = entry
        if restored is not None and self.doc_vocab:
            got = self._doc_bonus(got, restored)
        self.fills[template] = got
        return got

    def _plausible_start(self, prev: str | None, chunk: str) -> bool:
        """Could a word begin like ``prev`` (the best reading of the tokens joined so far)
        + a lost letter + ``chunk``? The character model's mean log probability per letter
        of the beginning, with the best of the lost letters; unknown (``prev`` None) is
        plausible."""
        if prev is None:
            return True
        native = self.lex.native
        if native is not None:
            answer: bool | None = native.plausible_start(prev, chunk)
            if answer is not None:
                return answer
        key = prev + "\x00" + chunk
        got = _START_CACHE.get(key)
        if got is None:
            got = False
            # the word that would begin here: the last run of letters once a lost letter
            # joins the two; found once, since every lost letter is a letter
            joined = prev + "a" + chunk
            slot = len(prev)
            last = None
            for last in _LETTERS.finditer(joined):
                pass
            assert last is not None  # the lost letter itself is a run of letters
            a, b = last.span()
            for ch in _LOWER_PRIOR:
                w = (joined[a:slot] + ch + joined[slot + 1:b] if a <= slot < b else joined[a:b]).lower()
                if len(w) < 6 or self.lex._prefix(w) >= _MIN_START_PER_CHAR * len(w):
                    got = True
                    break
            _START_CACHE[key] = got
        return got

    def _joins_into_word(self, letter: str, following: str) -> bool:
        """Does a lost letter between ``letter`` and the letters ``following`` begins with
        make a known word ("d" + "gar" = "dagar")?"""
        head = _LETTERS.match(following)
        if head is None:
            return False
        return any(self.lex.all_known(letter + ch + head.group()) for ch in _LOWER_PRIOR)

    def _doc_bonus(self, fills: Fills, restored: tuple[tuple[str, ...], ...]) -> Fills:
        """A restored word seen elsewhere in the document is strong evidence."""
        vocab = self.doc_vocab
        for words in restored:
            if words and not vocab.isdisjoint(words):
                break
        else:
            return fills  # the usual case: nothing here is confirmed
        out = [(sc + _LOG_DOC_VOCAB_BONUS if words and not vocab.isdisjoint(words) else sc, text)
               for (sc, text), words in zip(fills, restored)]
        out.sort(key=lambda r: -r[0])
        return tuple(out)

    def _choices(self, template: str) -> ChoicePoints | None:
        """The choice points of ``template``: (position, [(character, log prior), ...]);
        None when the template cannot be a word (a lost letter beside a digit, ...)."""
        has_slot = "\x00" in template
        if has_slot and _DIGIT.search(template):
            return None  # codes and numbers ("9V", "A-4") take no lost letters
        if not has_slot and not _OCR_CHARS.search(template):
            return []
        points: ChoicePoints = []
        n = len(template)
        for m in _CHOICE_POINT.finditer(template):
            i = m.start()
            ch = template[i]
            left = template[i - 1] if i > 0 else ""
            right = template[i + 1] if i + 1 < n else ""
            if ch == "\x00":
                la, ra = left.isalpha(), right.isalpha()
                if left.isdigit() or right.isdigit() or not (la or ra):
                    return None
                if ra and not la:  # word start
                    nxt = template[i + 2] if i + 2 < n else ""
                    if right.isupper():
                        if nxt.isalpha() and nxt.isupper():
                            opts = _UPPER_OPTIONS
                        else:
                            return None  # never "aNästa"
                    else:
                        opts = _LOWER_OPTIONS
                elif la and not ra:  # word end
                    prev = template[i - 2] if i >= 2 else ""
                    opts = (_UPPER_OPTIONS if left.isupper() and (not prev.isalpha() or prev.isupper())
                            else _LOWER_OPTIONS)
                else:
                    if left.islower() and right.isupper():
                        return None  # never "avaSiS"
                    opts = _UPPER_OPTIONS if left.isupper() and right.isupper() else _LOWER_OPTIONS
                points.append((i, opts))
                continue
            if ch == "q":
                if not (left.isalpha() and left.islower()) or right in ("u", "v"):
                    continue
            elif ch == "/":
                # "/okal…" at a word start, or "Socia/tjänst…" between lowercase letters
                if not (right.isalpha() and right.islower()):
                    continue
                if left and not (left.isalpha() and left.islower()) and left not in "\x00":
                    continue
            elif not (left.isalpha() or right.isalpha()):
                continue
            points.append((i, _OCR_OPTIONS[ch]))
        return points

    def _fills(self, template: str) -> Fills:
        """The best fillings, best first. best_fills uses _decode.c's copy when it can; the
        two give the same fillings and scores (tests/test_decode.py). Tuples, not lists:
        the process-wide cache holds hundreds of thousands of them, and tuples of strings
        and numbers are left out of the garbage collector's walks."""
        points = self._choices(template)
        if points is None:
            return ()
        if not points:
            return ((self.lex.token(template), template),)
        # Which chunks stand as proper words on their own? Joining or extending only such
        # chunks must give a known word; fragments may become anything plausible.
        # (a stray "," or "." standing alone is itself a sign of damage: "Lund ," = "Lunda,")
        known_only = all(self.lex.good(c) and c not in _STRAY
                         for c in _SPLIT_TEMPLATE.split(template) if c)
        options = points if known_only else self._prune(template, points)
        base = list(template)
        results: list[tuple[float, str]] = []
        positions = [pos for pos, _ in options]
        opt_lists = [opts for _, opts in options]
        full = 1
        for opts in opt_lists:
            full *= len(opts)
        lex = self.lex
        # A lost letter joining two words that stand on their own must make a known word
        # (see _joins_ok). Where no other choice point shares the run of letters, both
        # sides are the same in every filling: decide them once, and what is left to check
        # per filling is whether the whole run is a known word.
        joins: list[tuple[int, int, int]] = []  # (slot, run start, run end), checked per filling
        whole_known: list[tuple[int, int]] = []  # runs that must be known words
        last = len(template) - 1
        inner = [pos for pos, _ in points if template[pos] == "\x00" and 0 < pos < last]
        if inner and not known_only:
            point_at = [pos for pos, _ in points]
            for m in _RUN.finditer(template):
                a, b = m.span()
                here = [pos for pos in inner if a < pos < b]
                if not here:
                    continue
                shared = sum(1 for pos in point_at if a <= pos < b) > 1
                for pos in here:
                    if shared:
                        joins.append((pos, a, b))
                    elif (pos - a >= 2 and b - pos >= 3 and lex.all_known(template[a:pos])
                          and lex.all_known(template[pos + 1:b])):
                        if (a, b) not in whole_known:
                            whole_known.append((a, b))
        combos: Iterable[Sequence[tuple[str, float]]]
        # the candidate fillings: (prior, text)
        candidates: list[tuple[float, str]]
        if len(options) == 1:  # the common case, without the general machinery
            pos = positions[0]
            head, tail = template[:pos], template[pos + 1:]
            candidates = [(0.0 + lp, head + ch + tail) for ch, lp in opt_lists[0]]
        else:
            if full <= _ALL_COMBINATIONS:
                # every combination, the first point varying fastest; picks come reversed,
                # and the prior is summed in point order
                combos = itertools.product(*reversed(opt_lists))
            else:
                # at most two points away from their first option (a lost letter's
                # likeliest letter in its context, once pruned): a word that needs three
                # less likely letters at once is not the reading to find
                combos = ([opt_lists[i][c] for i, c in enumerate(combo)][::-1]
                          for combo in _few_deviations([len(o) for o in opt_lists], 2))
            candidates = []
            for picks in combos:
                prior = 0.0
                for pos, (ch, lp) in zip(positions, reversed(picks)):
                    base[pos] = ch
                    prior += lp
                candidates.append((prior, "".join(base)))
        for prior, text in candidates:
            if text != template:
                if known_only:
                    if not lex.all_known(text):
                        continue
                else:
                    if whole_known and not all(lex.all_known(text[a:b]) for a, b in whole_known):
                        continue
                    if joins and not self._joins_ok(text, joins):
                        continue
            results.append((lex.token(text) + prior, text))
        results.sort(key=lambda r: -r[0])
        return tuple(results[:6])

    def _joins_ok(self, text: str, joins: list[tuple[int, int, int]]) -> bool:
        """A lost letter joining two words that stand on their own must make a known word.

        ("Huvudsaklig resurs" is never "huvudsakligaresurs"; "samverkans rbetet" may
        well be "samverkansarbetet", since "rbetet" is no word.) ``joins`` holds each
        join's position and the bounds of the run of letters around it."""
        known = self.lex.all_known
        for pos, a, b in joins:
            if (pos - a >= 2 and b - pos >= 3 and known(text[a:pos])
                    and known(text[pos + 1:b]) and not known(text[a:b])):
                return False
        return True

    def _prune(self, template: str, points: ChoicePoints) -> ChoicePoints:
        """Keep, at each choice point, the options the character model finds plausible
        in the three letters either side (cached by that context)."""
        lex = self.lex
        default = list(template)
        for pos, opts in points:
            default[pos] = opts[0][0]
        out = []
        cache = _PRUNE_CACHE
        dtext = "".join(default)
        # every choice point holds a letter in the default reading: find its run of letters
        runs = [m.span() for m in _LETTERS.finditer(dtext)]
        r = 0
        for pos, opts in points:
            # an OCR character ("~", "/") has two readings, the character or what it stands
            # for; the letters around it say too little to drop either
            if len(opts) == 1 or template[pos] != "\x00":
                out.append((pos, opts))
                continue
            while runs[r][1] <= pos:
                r += 1
            run_a, run_b = runs[r]
            # the context: up to three letters either side, "^"/"$" where the word ends
            a = max(run_a, pos - 3)
            b = min(run_b, pos + 4)
            left = dtext[a:pos].lower()
            right = dtext[pos + 1:b].lower()
            if a == run_a:
                left = "^^^^" + left
            if b == run_b:
                right += "$"
            key = f"{left}{template[pos]}{opts[0][0]}{right}"
            keep = cache.get(key)
            if keep is None:
                scored = []
                steps, nexts, width = lex._steps, lex._next, lex._width
                after_left = lex._state(left)
                # log probabilities are at most 0: an option whose running score already
                # trails the best so far by the margin is dropped without the rest
                best_so_far = _NEG
                for ch, lp in opts:
                    if ch.isalpha():
                        sc = 0.0
                        floor = best_so_far - _PRUNE_MARGIN
                        state = after_left
                        for c in ch.lower() + right:
                            i = state * width + lex._code(c)
                            sc += steps[i]
                            state = nexts[i]
                            if lp + sc < floor:
                                break
                        if lp + sc < floor:
                            continue
                    else:  # an OCR character kept ("/"): the word ends and another starts
                        word_start = right.rstrip("$")
                        sc = lex._end_after(left) + (lex._prefix(word_start) if word_start else 0.0)
                    scored.append((lp + sc, ch, lp))
                    if lp + sc > best_so_far:
                        best_so_far = lp + sc
                best = max(sc for sc, _, _ in scored)
                kept = [(ch, lp) for sc, ch, lp in sorted(scored, reverse=True)
                        if sc >= best - _PRUNE_MARGIN]
                # the original character of an OCR point always stays a possibility
                if template[pos] != "\x00" and all(ch != template[pos] for ch, _ in kept):
                    kept.append(next(o for o in opts if o[0] == template[pos]))
                if len(cache) > 200_000:
                    cache.clear()
                keep = cache[key] = tuple(kept)  # a tuple: see _fills
            out.append((pos, keep))
        return out

    # -- one line ------------------------------------------------------------------------
    def line(self, line: str, offset: int, rho: float, edits: list[Edit]) -> None:
        """Decode one line (or window of one) starting at ``offset``; add its repairs to
        ``edits``. In C when the C decoder is there, else :meth:`line_in_python`; the two
        make the same repairs (tests/test_decode.py)."""
        native = self.lex.native
        if native is not None:
            lr, lnr = math.log(rho), math.log(1.0 - rho)
            prot: list[bool] | None = None
            if _undotted_in(line):
                tokens = _tokens_at(line)
                prot = self._protected(line, [(a, a + len(t)) for t, a in tokens], [t for t, _ in tokens])
            found: list[tuple[int, str, bool, float, float]] = native.decode_line(
                line, lr, lnr, self.trail_base, prot, self.best_fills, self.lex.good, self._plausible_start)
            for line_pos, new, ocr, m_path, m_letter in found:
                conf = _sigmoid(m_path) * _sigmoid(m_letter)
                if conf >= MIN_CONFIDENCE:
                    edits.append(Edit(offset + line_pos, offset + line_pos + 1, new,
                                      "ocr_char" if ocr else "lost_letter", round(conf, 4)))
            return
        self.line_in_python(line, offset, rho, edits)

    def _protected(self, line: str, chunks: list[tuple[int, int]], texts: list[str]) -> list[bool]:
        """Which chunks stay as they are: undotted abbreviations of several tokens ("m fl",
        "bl a") and a letter after a number ("18 a §"); but a letter after a number that a
        lost letter joins to the next token into a word is the start of that word ("9 d
        gar", "2 k p.")."""
        n = len(chunks)
        prot = [False] * n
        for m in _UNDOTTED.finditer(line):
            for ci, (ca, cb) in enumerate(chunks):
                if m.start() <= ca < m.end():
                    prot[ci] = not (cb - ca == 1 and ca >= 2 and line[ca - 2].isdigit()
                                    and ci + 1 < n and line[cb:chunks[ci + 1][0]] == " "
                                    and self._joins_into_word(texts[ci], texts[ci + 1]))
        return prot

    def line_in_python(self, line: str, offset: int, rho: float, edits: list[Edit]) -> None:
        """:meth:`line` in Python: the reference the C decoder follows."""
        chunks = [(m.start(), m.end()) for m in _CHUNK.finditer(line)]
        n = len(chunks)
        if n == 0:
            return
        lr, lnr = math.log(rho), math.log(1.0 - rho)
        gaps = [line[:chunks[0][0]]]
        gaps += [line[chunks[k - 1][1]:chunks[k][0]] for k in range(1, n)]
        gaps.append(line[chunks[-1][1]:])
        soft = [g != "" and g.strip(" ") == "" for g in gaps]
        texts = [line[a:b] for a, b in chunks]
        good = [self.lex.good(t) for t in texts]
        prot = self._protected(line, chunks, texts) if _undotted_in(line) else [False] * n

        # gap options: (s, p, cost); s = the gap's first space is the previous word's lost
        # last letter, p = its last space is the next word's lost first letter
        def options(k: int) -> list[tuple[int, int, float]]:
            g = gaps[k]
            L = len(g)
            if k == 0:
                if not soft[0]:
                    return [(0, 0, 0.0)]
                return [(0, 0, L * lnr), (0, 1, lr + (L - 1) * lnr)]
            if k == n:
                if not soft[n]:
                    return [(0, 0, 0.0)]
                tb = self.trail_base
                # lines that normally end in one space make a second one a sign of damage
                extra = _LOG_EXTRA_SPACE if tb else _LOG_EXTRA_TRAIL
                out = [(0, 0, L * lnr + max(0, L - tb) * extra)]
                if L > tb:
                    out.append((1, 0, lr + (L - 1) * lnr + max(0, L - 1 - tb) * extra))
                return out
            if not soft[k]:
                return [(0, 0, 0.0)]
            out = []
            for s in (0, 1):
                for p in (0, 1):
                    m = L - s - p
                    if m < 1:
                        continue
                    out.append((s, p, (s + p) * lr + m * lnr + (m - 1) * _LOG_EXTRA_SPACE))
            return out

        single = [(0, 0, lnr)]  # a single space between two tokens: always a real space
        gap_opts = [single if gaps[k] == " " and 0 < k < n else options(k) for k in range(n + 1)]
        # each gap's options by their s (first space is the previous word's lost letter)
        by_first: list[dict[int, list[tuple[int, int, float]]]] = []
        for g in gap_opts:
            d: dict[int, list[tuple[int, int, float]]] = {}
            for o in g:
                d.setdefault(o[0], []).append(o)
            by_first.append(dict(sorted(d.items())))
        # alpha[k][2 * s + p]: best score of the line up to the start of the word at chunk
        # k, the gap before it split as (s, p) (an int key: no tuple per lookup)
        alpha: list[dict[int, float]] = [dict() for _ in range(n + 1)]
        back: list[dict[int, tuple[int, int, str] | None]] = [dict() for _ in range(n + 1)]
        for s, p, c in gap_opts[0]:
            alpha[0][2 * s + p] = c
            back[0][2 * s + p] = None
        # word edges from chunk k: (p, [(j, s, score, template), ...])
        edges_at: list[list[tuple[int, list[tuple[int, int, float, str]]]]] = [[] for _ in range(n + 1)]
        for k in range(n):
            alpha_k = alpha[k]
            if not alpha_k:
                continue
            best_in: dict[int, float] = {}
            for sp, sc in alpha_k.items():
                p0 = sp & 1
                if sc > best_in.get(p0, _NEG):
                    best_in[p0] = sc
            last_j = min(n, k + _MAX_SPAN)
            for p0, sc_in in best_in.items():
                if prot[k] and p0:
                    continue
                elist: list[tuple[int, int, float, str]] = []
                edges_at[k].append((p0, elist))
                lead = "\x00" if p0 else ""
                body = texts[k]
                joins = 0
                prev_fill = None
                for j in range(k + 1, last_j + 1):
                    if j > k + 1:
                        if gaps[j - 1] != " " or prot[j - 2] or prot[j - 1]:
                            break
                        if j > k + 2 and good[j - 2] and good[j - 1]:
                            break  # a long join runs through fragments, not whole words
                        if joins and not self._plausible_start(prev_fill, texts[j - 1]):
                            break  # no word begins like this: longer joins are hopeless
                        body = body + "\x00" + texts[j - 1]
                        joins += 1
                        if len(body) > _MAX_WORD:
                            break
                    prev_fill = None
                    alpha_j, back_j = alpha[j], back[j]
                    for s1, opts in by_first[j].items():
                        if s1:
                            if prot[j - 1]:
                                continue
                            template = lead + body + "\x00"
                        else:
                            template = lead + body
                        fills: Fills | None
                        if prot[k] and j == k + 1:
                            fills = ((self.lex.LOG_ABBREVIATION, template),)
                        else:
                            fills = self.best_fills(template)
                        if not fills:
                            continue
                        if not s1:
                            prev_fill = fills[0][1]
                        wsc = fills[0][0] + joins * lr
                        elist.append((j, s1, wsc, template))
                        base = sc_in + wsc
                        for s, p, c in opts:
                            tot = base + c
                            sp = 2 * s + p
                            if tot > alpha_j.get(sp, _NEG):
                                alpha_j[sp] = tot
                                back_j[sp] = (k, p0, template)
        if not alpha[n]:
            return
        total = max(alpha[n].values())
        # follow the back pointers
        state = max(alpha[n], key=lambda sp: alpha[n][sp])
        j = n
        words = []
        while j > 0:
            s, p = state >> 1, state & 1
            link = back[j][state]
            assert link is not None  # only alpha[0] has no back pointer, and j > 0 here
            k, p0, template = link
            words.append((k, j, p0, s, template))
            # the state we came from: best alpha[k] with p == p0
            cand = [(sp, v) for sp, v in alpha[k].items() if sp & 1 == p0]
            state = max(cand, key=lambda x: x[1])[0]
            j = k
        words.reverse()
        if all(self.best_fills(w[4])[0][1] == w[4] for w in words):
            return  # the best reading changes nothing: no margins needed
        # backward scores beta[k][p]: best completion from the start of the word at chunk k
        beta: list[dict[int, float]] = [dict() for _ in range(n + 1)]
        for s, p, c in gap_opts[n]:
            beta[n][p] = 0.0
        for k in range(n - 1, -1, -1):
            for p0, elist in edges_at[k]:
                best = _NEG
                for j, s1, wsc, _t in elist:
                    beta_j = beta[j]
                    for s, p, c in by_first[j][s1]:
                        b = beta_j.get(p)
                        if b is not None:
                            v = wsc + c + b
                            if v > best:
                                best = v
                if best > _NEG:
                    beta[k][p0] = best

        def through(g: int, cond: Callable[[int, int], bool]) -> float:
            """Best total of a line reading in which gap g is a boundary meeting ``cond``."""
            best = _NEG
            for sp, a in alpha[g].items():
                s, p = sp >> 1, sp & 1
                if cond(s, p) and p in beta[g]:
                    best = max(best, a + beta[g][p])
            return best

        for k, j, p0, s1, template in words:
            fills = self.best_fills(template)
            best_score, best_text = fills[0]
            if best_text == template:
                continue
            # map template positions to line offsets
            positions = []
            pos_in_line = chunks[k][0] - (1 if p0 else 0)
            for t_i, ch in enumerate(template):
                positions.append(pos_in_line + t_i)
            # note: template characters map one-to-one onto line characters, since every
            # slot stands for exactly one space and joins are single spaces
            for t_i, (orig, new) in enumerate(zip(template, best_text)):
                if orig == new:
                    continue
                # margin of the word reading against the next best filling that differs here
                alt = _NEG
                for sc, txt in fills[1:]:
                    if txt[t_i] != new:
                        alt = sc
                        break
                if alt == _NEG and len(fills) > 1:
                    alt = fills[-1][0]
                m_letter = best_score - alt if alt > _NEG else 20.0
                if orig == "\x00":
                    line_pos = positions[t_i]
                    # which gap holds this space, and what reading leaves it a real space
                    if t_i == 0 and p0:
                        m_path = total - through(k, lambda s, p: p == 0)
                    elif t_i == len(template) - 1 and s1:
                        if j == n:
                            alt_total = max((v for sp, v in alpha[n].items() if sp >> 1 == 0), default=_NEG)
                        else:
                            alt_total = through(j, lambda s, p: s == 0)
                        m_path = total - alt_total
                    else:
                        # a join between two tokens: the reading with a boundary there
                        gap = _gap_index(chunks, line_pos)
                        m_path = total - through(gap, lambda s, p: True)
                    kind = "lost_letter"
                else:
                    line_pos = positions[t_i]
                    m_path = 50.0  # the character is there either way; only its reading counts
                    kind = "ocr_char"
                conf = _sigmoid(m_path) * _sigmoid(m_letter)
                if conf >= MIN_CONFIDENCE:
                    edits.append(Edit(offset + line_pos, offset + line_pos + 1, new, kind,
                                      round(conf, 4)))


def _gap_index(chunks: list[tuple[int, int]], pos: int) -> int:
    """The gap (1..n-1) that holds line position ``pos``."""
    lo, hi = 0, len(chunks) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if chunks[mid][1] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-min(x, 50.0)))
    e = math.exp(max(x, -50.0))
    return e / (1.0 + e)


def _few_deviations(sizes: list[int], max_dev: int) -> Iterator[tuple[int, ...]]:
    """Assignments with at most ``max_dev`` positions away from option 0."""
    k = len(sizes)
    yield (0,) * k
    for a in range(k):
        for ia in range(1, sizes[a]):
            c = [0] * k
            c[a] = ia
            yield tuple(c)
            if max_dev >= 2:
                for b in range(a + 1, k):
                    for ib in range(1, sizes[b]):
                        c2 = list(c)
                        c2[b] = ib
                        yield tuple(c2)


# -- the step ------------------------------------------------------------------------------
#: damage score from which every line of a paragraph is decoded
_HIGH_DAMAGE: Final = 0.06
#: a word at least this frequent (log) counts as common
_LOG_COMMON: Final = math.log(1e-7) - 0.01
#: weight, in tokens, of the document's damage score in a paragraph's
_SHRINK: Final = 30.0
#: tokens decoded either side of a sign of damage in a quiet paragraph
_WINDOW: Final = 4


def _rho(score: float) -> float:
    """Prior that a space is a lost letter, from the paragraph's damage score."""
    return min(0.35, max(0.004, 0.9 * score))


#: token -> (its core, is the core an unknown word, is a "/" in it a sign of damage):
#: what _weak_signals needs of a token, the same in every document
_TOKEN_INFO: dict[str, tuple[str, bool, bool]] = {}
#: two neighbouring cores "left\x00right" -> does a lost letter join them into a word
_PAIR_JOINS: dict[str, bool] = {}


def _weak_signals(line: str, lex: Lexicon, doc_vocab: frozenset[str] = frozenset()) -> list[int]:
    """Quieter signs of a lost letter, as offsets into ``line``: an unknown word that a
    lost letter would join to its neighbour into a known word ("soci ltjänstens",
    "ut nför"), two unknown words side by side, a line opening with a space before an
    unknown word (" rbetet"), an unknown word ending a line before a space that an "a"
    makes known ("socialsekreterarn "), a "/" inside a word whose parts are not words
    ("bes/utade") or that is a known word with an "l" in its place ("el/er"). A double
    space between two words counts where a lost letter would make a common word or a word
    of the document's own vocabulary ``doc_vocab`` ("Wallenbergs  llé" in a text that
    names "Wallenbergs allé" elsewhere)."""
    native = lex.native
    if native is not None:  # in C (pipeline/_decode.c) for a Latin-1 line
        got: list[int] | None = native.weak_signals(line, doc_vocab)
        if got is not None:
            return got
    out = []
    prev_oov = False
    prev_end = -2
    prev_core = ""
    prev_start = 0
    logf = lex.logf
    known = lex.all_known  # rare wordfreq entries count as unknown
    for m in _CHUNK.finditer(line):
        tok = m.group()
        info = _TOKEN_INFO.get(tok)
        if info is None:
            core = _core(tok)
            slash = False
            if "/" in core:
                parts = core.split("/")
                # "el/er", "bes/ut", "Socia/tjänsten": an l read as "/"
                slash = (any(p and p.isalpha() and p.islower() and not known(p) for p in parts)
                         or known(core.replace("/", "l")))
            info = (core, core.isalpha() and not core.isupper() and not known(core), slash)
            if len(_TOKEN_INFO) >= _CACHE_LIMIT:
                _TOKEN_INFO.clear()
            _TOKEN_INFO[tok] = info
        core, oov, slash = info
        if slash:
            out.append(m.start())
        gap = m.start() - prev_end
        if gap == 1 and prev_core.isalpha() and core.isalpha():
            if prev_oov and oov:
                out.append(m.start())
            elif oov or prev_oov or len(core) <= 3 or len(prev_core) <= 3:
                # "soci ltjänstens", "han läggning", "se an"; beside an unknown word, also
                # a compound of known parts ("lok lpolisområdena", "narkotik gruppen")
                pair = prev_core + "\x00" + core
                joins = _PAIR_JOINS.get(pair)
                if joins is None:
                    joins = False
                    left, right = prev_core.lower(), core.lower()
                    for ch in _LOWER_PRIOR:
                        joined = left + ch + right
                        if logf.get(joined, _NEG) >= _LOG_COMMON or (
                                (oov or prev_oov) and lex.is_compound(joined)):
                            joins = True
                            break
                    if len(_PAIR_JOINS) >= _CACHE_LIMIT:
                        _PAIR_JOINS.clear()
                    _PAIR_JOINS[pair] = joins
                if joins:
                    out.append(m.start())
        elif gap == 2 and prev_core.isalpha() and core.isalpha():
            # a double space: "andr  x" = "andra x", "x  rbetet" = "x arbetet"
            left, right = prev_core.lower(), core.lower()
            if (logf.get(left + "a", _NEG) >= _LOG_COMMON or logf.get("a" + right, _NEG) >= _LOG_COMMON
                    or any(left + ch in doc_vocab or ch + right in doc_vocab for ch in _LOWER_PRIOR)):
                out.append(m.start())
        if oov and m.start() > 0 and prev_end < 0 and core[0].islower():
            if logf.get("a" + core.lower(), _NEG) >= _LOG_COMMON or m.start() == 1:
                out.append(m.start())  # " rbetet" at the start of a line
        prev_oov, prev_start, prev_end, prev_core = oov, m.start(), m.end(), core
    # an unknown word ending a line that has a space after it: "socialsekreterarn "
    if prev_oov and prev_end < len(line) and prev_core[-1:].islower():
        if logf.get(prev_core.lower() + "a", _NEG) >= _LOG_COMMON:
            out.append(prev_start)
    return out


def _windows(line: str, positions: list[int]) -> list[tuple[int, int]]:
    """Stretches of ``line`` reaching :data:`_WINDOW` tokens either side of each position."""
    chunks = [(a, a + len(tok)) for tok, a in _tokens_at(line)]
    if not chunks:
        return []
    starts = [a for a, _ in chunks]
    spans: list[tuple[int, int]] = []
    for pos in sorted(positions):
        c = max(0, bisect.bisect_right(starts, pos) - 1)
        i0, i1 = max(0, c - _WINDOW), min(len(chunks) - 1, c + _WINDOW)
        if spans and i0 <= spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], max(spans[-1][1], i1))
        else:
            spans.append((i0, i1))
    out = []
    for i0, i1 in spans:
        a = 0 if i0 == 0 else chunks[i0][0]
        b = len(line) if i1 == len(chunks) - 1 else chunks[i1][1]
        out.append((a, b))
    return out


def restore_edits(text: str) -> list[Edit]:
    """One-character edits restoring letters lost in OCR; clean text gives none.

    A second pass reads the text as the first left it (a repaired neighbour can make the
    next repair clear); every edit swaps one character, so the offsets of both passes are
    offsets into ``text``."""
    # the decoder makes tens of thousands of short-lived tuples, lists and dicts, and no
    # reference cycles: the cyclic collector's passes over them found nothing
    with gc_paused():
        edits = _restore_pass(text)
        if not edits:
            return edits
        from pipeline.edits import apply_edits

        starts = [m.start() for m in _LINE.finditer(text)]
        touched = {starts[bisect.bisect_right(starts, e.start) - 1] for e in edits}
        more = _restore_pass(apply_edits(text, edits), touched)
    if more:
        done = {e.start for e in edits}
        edits = sorted(edits + [e for e in more if e.start not in done], key=lambda e: e.start)
    return edits


def _restore_pass(text: str, only: set[int] | None = None) -> list[Edit]:
    """One reading of ``text``; with ``only``, of the lines starting at those offsets."""
    if not text:
        return []
    sig = _signals(text)
    if not sig:
        return []
    lex = lexicon()
    lex.trim_caches(_CACHE_LIMIT)
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
    sig_iter = iter(sig)
    nxt = next(sig_iter, None)
    counted: list[tuple[int, int, list[int], int]] = []
    total_tok = 0
    for a, b in paragraphs:
        here = []
        while nxt is not None and nxt < b:
            if nxt >= a:
                here.append(nxt)
            nxt = next(sig_iter, None)
        ntok = len(text[a:b].split())
        total_tok += ntok
        counted.append((a, b, here, ntok))
    # The damage of a scan is a property of the whole document: a paragraph's own score
    # is shrunk towards the document's, so in a heavily damaged document even a paragraph
    # without a signal is read whole.
    doc_score = len(sig) / max(total_tok, 1)
    lines = _LINE.findall(text)
    trail_base = 1 if lines and sum(ln.endswith(" ") for ln in lines) * 2 > len(lines) else 0
    # the document's own vocabulary: every word of 4+ letters as it stands somewhere
    doc_vocab = frozenset({w.lower() for w in _LONG_LETTERS.findall(text)})
    dec = _Decoder(lex, doc_vocab, trail_base)
    edits: list[Edit] = []
    for a, b, here, ntok in counted:
        score = (len(here) + _SHRINK * doc_score) / (ntok + _SHRINK)
        rho = _rho(score)
        para = text[a:b]
        for m in _LINE.finditer(para):
            la, lb = a + m.start(), a + m.end()
            if only is not None and la not in only:
                continue
            line = text[la:lb]
            if score >= _HIGH_DAMAGE:
                dec.line(line, la, rho, edits)
                continue
            # a quiet paragraph: only the neighbourhood of each sign of damage, including
            # the quieter signs once a document has shown damage somewhere
            where = [s - la for s in here if la <= s < lb] + _weak_signals(line, lex, doc_vocab)
            for wa, wb in _windows(line, where):
                dec.line(line[wa:wb], la + wa, rho, edits)
    edits.sort(key=lambda e: e.start)
    return edits


# -- for benchmarks ---------------------------------------------------------------------------
def reset_caches() -> None:
    """Forget every cached score and filling (the lexicon stays loaded): for benchmarks."""
    _FILLS.clear()
    _PRUNE_CACHE.clear()
    _START_CACHE.clear()
    _TOKEN_INFO.clear()
    _PAIR_JOINS.clear()
    if _LEXICON is not None:
        _LEXICON.trim_caches(limit=0)

