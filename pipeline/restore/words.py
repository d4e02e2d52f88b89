"""Swedish words: how probable a run of letters is as a word, as written.

:class:`Lexicon` scores words from wordfreq's Swedish list (forms Hunspell rejects
down-weighted), compounds of known parts (with linking -s- and an inflected head), the
character model (charmodel.py) for names and the rest, and whole tokens (numbers, codes,
addresses, abbreviations). The short-word lists ("tt" is no word, "Bo" is a name) and the
thresholds other modules share sit here too. :func:`lexicon` is the process-wide one.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from typing import Any, Final

from pipeline.resources import cached_marshal, data_path, package_version, spare_from_gc

from .charmodel import DISCOUNT, ORDER, CharModel, _automaton, _train_ngrams
from .tokens import _LETTERS, _core

#: a score below every real one: no word, no reading
_NEG: Final = -1e18
#: size at which a process-wide cache is emptied
_CACHE_LIMIT: Final = 500_000
#: a word at least this frequent (log) counts as common
_LOG_COMMON: Final = math.log(1e-7) - 0.01

#: the lexicon files, under pipeline/data (or $NAMND_DATA, like every data file)
_LEXICON_DIR: Final = "lexicon"
_MODEL_VERSION: Final = 4

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
#: an abbreviation with dots ("t.ex.", "bl.a.", "(m.fl.)")
_DOTTED: Final = re.compile(r"^[(]?(?:[a-zåäö]{1,3}\.){2,4}[),;:]?$")
#: a token's pieces: runs of letters, of digits, of other characters
_PIECES: Final = re.compile(r"[^\W\d_]+|\d+|[^\w]+|_+")

#: the short-word lists (see _short_lists), read on first use
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


class Lexicon:
    """Swedish word probabilities: wordfreq + Hunspell filter + compounds + char 5-grams."""

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
                             repr((self.LOG_REJECTED, ORDER, DISCOUNT))])
        digest = hashlib.sha256(recipe.encode("utf-8")).hexdigest()[:16]
        self.logf, self.parts, model, trie = cached_marshal(
            f"lexicon-v{_MODEL_VERSION}-wf{version}-{digest}.marshal", lambda: self._derive(set(rejected)),
            lambda t: (isinstance(t, tuple) and len(t) == 4 and all(isinstance(d, dict) for d in t[:2])
                       and isinstance(t[2], tuple) and len(t[2]) == 4
                       and isinstance(t[3], tuple) and len(t[3]) == 4))
        #: the character model, as an automaton (see charmodel.py)
        self.chars = CharModel(*model)
        #: the compound parts as a compact trie (see _trie): about 1 MB, where a dict per
        #: node took tens of thousands of dicts and a node x character table 9 MB
        self._trie_first, self._trie_code, self._trie_child, self._trie_end = trie
        #: the decoder in C over these tables (pipeline/_decode.c): :func:`lexicon` gives
        #: the process-wide lexicon one (see cdecoder.py); None without it
        self.native: Any = None
        self._cache: dict[str, float] = {}
        self._good: dict[str, bool] = {}
        self._compound_cache: dict[str, bool] = {}

    def _derive(self, rejected: set[str]) -> tuple[dict[str, float], dict[str, float],
                                                   tuple[str, bytes, bytes, int],
                                                   tuple[bytes, bytes, bytes, list[float]]]:
        """(word log frequencies, compound parts, the character model as an automaton (see
        charmodel.py's :func:`_automaton`), the parts' trie (see :func:`_trie`)), from
        wordfreq's list."""
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
        table, backoff = _train_ngrams(train, ORDER, DISCOUNT)
        model = _automaton(table, backoff)
        return logf, parts, model, _trie(parts, model[0])

    def trim_caches(self, limit: int = 500_000) -> None:
        """Forget cached scores when a long run has filled the caches."""
        for cache in (self._cache, self._good, self._compound_cache):
            if len(cache) >= limit:
                cache.clear()
        if limit == 0 and self.native is not None:
            self.native.clear()  # it keeps its own caches within the limit

    # -- words as they stand -------------------------------------------------------------
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
        chars = self.chars
        codes = [chars.code(ch) for ch in w]
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
                lp = self.chars.ngram(lo) + self.LOG_OOV + self.LOG_SHORT_FRAGMENT
        elif base is not None and base > math.log(3e-6):
            lp = base
        else:
            oov = self._oov(lo, capital)
            lp = oov if base is None else max(base, oov)
        if inner_caps:
            lp += math.log(1e-3)
        return lp

    def _oov(self, lo: str, capital: bool) -> float:
        lp = self.chars.ngram(lo) + (self.LOG_OOV_CAPITAL if capital else self.LOG_OOV)
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
    (charmodel.py's :func:`_automaton`: ``symbols``, then any other character)."""
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


_LEXICON: Lexicon | None = None
_LEX_LOCK: Final = threading.Lock()


def lexicon() -> Lexicon:
    """The process-wide lexicon, built on first use."""
    global _LEXICON
    if _LEXICON is None:
        with _LEX_LOCK:
            if _LEXICON is None:
                # cdecoder.py reads the decoder's constants too, so it sits above this module
                from .cdecoder import _c_scorer

                lex = Lexicon()
                lex.native = _c_scorer(lex)
                _LEXICON = lex
                spare_from_gc()  # it lives as long as the process
    return _LEXICON
