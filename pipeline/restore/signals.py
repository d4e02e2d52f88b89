"""Signs of damage: where a text shows that OCR lost letters.

The fast path (:func:`_signals`, one cheap pass) finds the fragments damage leaves: tokens
of 1–3 letters that are no word ("tt", "n", "rn"), a "~" or lowercase "q" touching a
letter, "/" in front of a word, a comma standing alone. A text without any is left alone
and never loads the lexicon; undotted abbreviations ("m fl") and section letters ("18 a §")
do not count. :func:`damage_score` is the share of a paragraph's tokens that are such
fragments. The quieter signs (:func:`_weak_signals`) are read once a document has shown
damage: two unknown words side by side, "soci ltjänst" where a lost letter would make a
known word, a double space after a word that takes an "a".
"""

from __future__ import annotations

from collections import Counter
from typing import Final

from .language import foreign_word
from .priors import _LOST_LETTERS, _LOWER_LETTERS, _LOWER_PRIOR
from .tokens import _CHUNK, _UNDOTTED, _UNDOTTED_TOKENS, _core, _is_letter, _tokens_at, _undotted_in
from .words import (_CACHE_LIMIT, _LOG_COMMON, _NEG, _ONE_LETTER_WORDS, Lexicon, _read_list, _short_ok,
                    _short_word, lexicon)

#: lowercase Swedish letters: a "q" after one, a "/" before two are signs (_other_signals)
_SWEDISH_LOWER: Final = frozenset("abcdefghijklmnopqrstuvwxyzåäö")


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
                # a mark set off by a space after a whole word is a typing habit ("i Lund ,
                # Malmö"); after a fragment the space is a lost letter ("gränsern ,")
                start = i
                while start > 0 and not text[start - 1].isspace():
                    start -= 1
                if not _complete(text[start:i]):
                    out.append(i)
            i = text.find(mark, i + 1)
    return out


def _short_tokens(text: str) -> set[str]:
    r"""The tokens of 1-3 letters in ``text`` (``(?<!\S)[^\W\d_]{1,3}(?!\S)``), from
    str.split: three times faster than that regular expression, which tries every offset."""
    return {tok for tok in text.split() if len(tok) <= 3
            and (tok.isalpha() or (tok.isalnum() and not any(c.isdecimal() for c in tok)))}


def _abbreviations() -> frozenset[str]:
    """Abbreviations written without dots in tables and lists (data/lexicon/sv_abbreviations.tsv)."""
    global _ABBREVIATIONS
    if _ABBREVIATIONS is None:
        _ABBREVIATIONS = frozenset(w.casefold() for w in _read_list("lexicon/sv_abbreviations.tsv"))
    return _ABBREVIATIONS


_ABBREVIATIONS: frozenset[str] | None = None


def _in_capitals(text: str, a: int, b: int) -> bool:
    """Does the letter at ``text[a:b]`` stand among upper-case words ("B LAGOR"), where a
    lost letter may have split one?"""
    before = text[max(0, a - 30):a].split()
    after = text[b:b + 30].split()
    near = (before[-1:] + after[:1])
    return any(len(w) > 1 and w.isalpha() and w.isupper() for w in near)


def _complete(word: str) -> bool:
    """Is ``word`` (a token before a spaced punctuation mark, a short token's neighbour) a
    word of its own: a number, an acronym, a word wordfreq's Swedish list holds, a compound
    of two such words, the last part of a hyphenated word, or a common word of another
    language? Memoised: the same few words are asked about many times."""
    got = _COMPLETE.get(word)
    if got is None:
        if len(_COMPLETE) >= _CACHE_LIMIT:
            _COMPLETE.clear()
        got = _COMPLETE[word] = _is_complete(word)
    return got


_COMPLETE: dict[str, bool] = {}


def _is_complete(word: str) -> bool:
    core = _core(word)
    if not core or any(ch.isdigit() for ch in core):
        return bool(core)
    if "-" in core:
        core = core.rsplit("-", 1)[1] or core
    if len(core) > 1 and core.isupper():
        return True  # "NGO", "MFF"
    lo = core.casefold()
    known = lexicon().logf
    if lo in known or lo in _abbreviations() or _short_word(core) or foreign_word(core):
        return True
    # a compound: a known head after a known modifier (a linking "s" allowed; a head of
    # three letters from the checked short words): "skolförvaltningen", "handlingsdel";
    # a damaged word ends in a fragment that is no word ("myndighetern", "gränsern")
    for i in range(3, len(lo) - 2):
        head = lo[i:]
        if (head in known if len(head) > 3 else _short_word(head)) and (
                lo[:i] in known or (lo[i - 1] == "s" and lo[:i - 1] in known)):
            return True
    return False


def _signals(text: str) -> list[int]:
    """Offsets of the damage signals in ``text`` (the fast path's only work): a token of
    1–3 letters that is no word ("tt", "n", "rn"), a "~" or lowercase "q" touching a
    letter, "/" in front of a word, a comma standing alone after a fragment.

    What only looks like a fragment is none: an abbreviation written without dots ("dec",
    "kv", "adp"), a common word of another language ("the", "og", "und"), a capital letter
    standing alone outside upper-case text ("Alternativ A", "hall B", "[X]")."""
    short_ok = _short_ok()
    out = []
    # the fragments among the text's short tokens, found without match objects: clean
    # text usually has none, and then no position is needed
    fragments = {tok for tok in _short_tokens(text) - short_ok if _is_fragment(tok)}
    if fragments:
        # "m²" holds no letter a lost letter leaves
        fragments = {tok for tok in fragments if tok.isalpha() and tok.casefold() not in _abbreviations()
                     and not foreign_word(tok)}
    toks = _tokens_at(text) if fragments else []
    candidates = []
    for i, (tok, a) in enumerate(toks):
        b = a + len(tok)
        if b - a > 3 or tok not in fragments:
            continue
        if b - a == 1 and tok.isupper() and not _in_capitals(text, a, b):
            continue
        candidates.append((i, _between_words(text, toks, i)))
    # a token the text uses as a word of its own again and again is one, even where a
    # letter would join it to a neighbour into a compound ("int ofta" in dialect)
    standing = Counter(toks[i][0].casefold() for i, stands in candidates if stands is not False)
    for i, stands in candidates:
        tok, a = toks[i]
        b = a + len(tok)
        if stands is True or (stands is None and standing[tok.casefold()] >= _WORD_OF_THE_TEXT):
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


_VOWELS: Final = frozenset("aeiouyåäöéAEIOUYÅÄÖÉ")


def _single_gap(gap: str) -> bool:
    """Is ``gap`` (the whitespace between two tokens) one space, or line breaks alone? A
    letter lost to a space makes a gap wider than that."""
    return gap == " " or (gap != "" and gap.strip("\r\n") == "")


#: how many times a short token must stand as a word (see _between_words) to be one
_WORD_OF_THE_TEXT: Final = 3


def _between_words(text: str, toks: list[tuple[str, int]], i: int) -> bool | None:
    """Does the short token ``toks[i]`` stand as a word of its own: a single gap on either
    side, beside it whole words, other short tokens, marks or numbers, and no letter that
    would join it to either into a known word? A letter lost to a space leaves a wide gap
    beside the piece it cuts off ("för  tt"), or two pieces side by side that one letter
    joins ("h r", "inom r men", "K rin"); a token with none of these is a word of the
    text, however rare: a dialect word ("dä", "int"), a short place name ("Lau"), a list
    letter ("Åtg. a och d"). None where only a compound would join it to a neighbour
    ("int ofta": "intaofta"): a word if the text uses it so often (see _signals)."""
    tok, a = toks[i]
    if len(tok) > 1 and not any(ch in _VOWELS for ch in tok):
        return False  # "tt", "rn": no word of Swedish
    # (neighbour's core, joined as neighbour + letter + token?) for each neighbour whose
    # letters touch the token; the text's first and last token have nothing on one side
    neighbours: list[tuple[str, bool]] = []
    if i > 0:
        left, la = toks[i - 1]
        if not _single_gap(text[la + len(left):a]):
            return False
        if _is_letter(left[-1]):
            neighbours.append((_core(left), True))
    if i + 1 < len(toks):
        right, ra = toks[i + 1]
        if not _single_gap(text[a + len(tok):ra]):
            return False
        if _is_letter(right[0]):
            neighbours.append((_core(right), False))
    lex = lexicon()
    compound = False
    for word, before in neighbours:
        if len(word) > 3 and not _complete(word):
            return False  # "soci ltjänst": a longer piece that is no word
        first, second = (word.lower(), tok.lower()) if before else (tok.lower(), word.lower())
        # the letters lost in lower-case text; in upper case ("B LAGOR") also an "I"
        letters = _LOST_LETTERS if (tok.isupper() or word.isupper()) else _LOWER_LETTERS
        for ch in letters:
            joined = first + ch + second
            if lex.logf.get(joined, _NEG) >= _LOG_COMMON:
                return False
            compound = compound or lex.is_compound(joined)
    return None if compound else True


def damage_score(paragraph: str) -> float:
    """Share of a paragraph's tokens that are damage fragments (0 for clean text)."""
    toks = paragraph.split()
    if not toks:
        return 0.0
    return len(_signals(paragraph)) / len(toks)


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
