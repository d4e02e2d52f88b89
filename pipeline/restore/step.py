"""The cleaning step: :func:`restore_edits` reads a whole document.

The fast path's signs (signals.py) give each paragraph a damage score, shrunk towards the
whole document's (a scan is damaged throughout); that sets ``rho``, the prior that a
space is a lost letter. A heavily damaged paragraph is decoded line by line; in a quiet
one only a few tokens around each sign of damage are, including the quieter signs. A
second pass reads the lines the first one repaired.
"""

from __future__ import annotations

import bisect
import re
from typing import Final

from pipeline.edits import Edit
from pipeline.resources import gc_paused

from . import words
from .decoder import _START_CACHE, _Decoder
from .fills import _FILLS, _PRUNE_CACHE
from . import language
from .language import is_swedish, swedish_or_unknown
from .signals import _COMPLETE, _PAIR_JOINS, _TOKEN_INFO, _complete, _signals, _weak_signals
from .tokens import _LETTERS, _tokens_at
from .words import _CACHE_LIMIT, lexicon

#: a paragraph: lines up to a blank one
_PARAGRAPH: Final = re.compile(r"(?:[^\n]|\n(?![ \t\r\u00a0]*\n))+")
_LINE: Final = re.compile(r"[^\n\r]+")
#: a run of four or more letters (exactly the runs of tokens._LETTERS that long)
_LONG_LETTERS: Final = re.compile(r"[^\W\d_]{4,}")
#: damage score from which every line of a paragraph is decoded
_HIGH_DAMAGE: Final = 0.06
#: weight, in tokens, of the document's damage score in a paragraph's
_SHRINK: Final = 30.0
#: tokens decoded either side of a sign of damage in a quiet paragraph
_WINDOW: Final = 4


def _rho(score: float) -> float:
    """Prior that a space is a lost letter, from the paragraph's damage score."""
    return min(0.35, max(0.004, 0.9 * score))


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


#: a comma, semicolon, colon or full stop after a word, with or without a space before it
_MARK: Final = re.compile(r"(\S+?)( ?)[,;:.](?=\s|$)")


def _spaced_marks(text: str) -> bool | None:
    """Does ``text`` set its punctuation off by a space as a habit ("i Lund , Malmö och
    Ystad .")? It does where most marks after whole words stand apart, and the spaced
    marks follow whole words, not fragments. Damage leaves a space before a mark only
    where a word lost its last letter ("gränsern ."): beside words that keep their marks
    ("polisen."), after fragments. None with fewer than three marks after whole words."""
    whole_spaced = whole_attached = fragment_spaced = 0
    for m in _MARK.finditer(text):
        spaced = bool(m.group(2))
        if not _LETTERS.search(m.group(1)):
            continue  # after a bracket or a number: says nothing either way
        if _complete(m.group(1)):
            whole_spaced += spaced
            whole_attached += not spaced
        else:
            fragment_spaced += spaced
    if whole_spaced + whole_attached < 3:
        return None
    return whole_spaced >= whole_attached and fragment_spaced * 4 <= whole_spaced


class _Languages:
    """Is a paragraph Swedish? One too short to tell (a heading, a signature) is in the
    language of the nearest paragraph before it that is long enough; the text's first
    ones are taken to be Swedish. Asked in document order, each paragraph is read at most
    once: a text of many short paragraphs is not read again for each."""

    def __init__(self, text: str, paragraphs: list[tuple[int, int]]) -> None:
        self.text = text
        self.paragraphs = paragraphs
        #: the paragraphs before this one are settled, and ``swedish`` is the verdict of
        #: the nearest of them long enough to tell
        self.settled = 0
        self.swedish = True

    def swedish_at(self, k: int) -> bool:
        for i in range(k, self.settled - 1, -1):
            a, b = self.paragraphs[i]
            verdict = swedish_or_unknown(self.text[a:b])
            if verdict is not None:
                self.swedish = verdict
                break
        self.settled = k + 1
        return self.swedish


def restore_edits(text: str, candidates_from: float | None = None) -> list[Edit]:
    """One-character edits restoring letters lost in OCR; clean text gives none.

    A second pass reads the text as the first left it (a repaired neighbour can make the
    next repair clear); every edit swaps one character, so the offsets of both passes are
    offsets into ``text``. ``candidates_from`` (to measure the calibration): every candidate
    repair of the first pass with a raw score from that floor up, with that score."""
    # the decoder makes tens of thousands of short-lived tuples, lists and dicts, and no
    # reference cycles: the cyclic collector's passes over them found nothing
    with gc_paused():
        edits = _restore_pass(text, candidates_from=candidates_from)
        if not edits or candidates_from is not None:
            return edits
        from pipeline.edits import apply_edits

        starts = [m.start() for m in _LINE.finditer(text)]
        touched = {starts[bisect.bisect_right(starts, e.start) - 1] for e in edits}
        more = _restore_pass(apply_edits(text, edits), touched)
    if more:
        done = {e.start for e in edits}
        edits = sorted(edits + [e for e in more if e.start not in done], key=lambda e: e.start)
    return edits


def _restore_pass(text: str, only: set[int] | None = None, candidates_from: float | None = None) -> list[Edit]:
    """One reading of ``text``; with ``only``, of the lines starting at those offsets."""
    if not text:
        return []
    sig = _signals(text)
    if not sig:
        return []
    lex = lexicon()
    lex.trim_caches(_CACHE_LIMIT)
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
    languages = _Languages(text, paragraphs)
    sig_iter = iter(sig)
    nxt = next(sig_iter, None)
    counted: list[tuple[int, int, list[int], int]] = []
    total_tok = 0
    for k, (a, b) in enumerate(paragraphs):
        here = []
        while nxt is not None and nxt < b:
            if nxt >= a:
                here.append(nxt)
            nxt = next(sig_iter, None)
        if here and not languages.swedish_at(k):
            continue  # another language: a lost-letter reading would find "words" in it everywhere
        ntok = len(text[a:b].split())
        total_tok += ntok
        counted.append((a, b, here, ntok))
    # The damage of a scan is a property of the whole document: a paragraph's own score
    # is shrunk towards the document's, so in a heavily damaged document even a paragraph
    # without a signal is read whole.
    doc_score = sum(len(here) for _, _, here, _ in counted) / max(total_tok, 1)
    if not doc_score:
        return []
    lines = _LINE.findall(text)
    trail_base = 1 if lines and sum(ln.endswith(" ") for ln in lines) * 2 > len(lines) else 0
    # the document's own vocabulary: every word of 4+ letters as it stands somewhere
    doc_vocab = frozenset({w.lower() for w in _LONG_LETTERS.findall(text)})
    dec = _Decoder(lex, doc_vocab, trail_base)
    dec.candidates_from = candidates_from
    edits: list[Edit] = []
    doc_habit = _spaced_marks(text)
    for a, b, here, ntok in counted:
        habit = _spaced_marks(text[a:b])
        dec.spaced_marks = bool(doc_habit) if habit is None else habit
        score = (len(here) + _SHRINK * doc_score) / (ntok + _SHRINK)
        rho = _rho(score)
        para = text[a:b]
        for m in _LINE.finditer(para):
            la, lb = a + m.start(), a + m.end()
            if only is not None and la not in only:
                continue
            line = text[la:lb]
            if not is_swedish(line):
                continue  # a line of another language in a Swedish paragraph (minutes in two languages)
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


def reset_caches() -> None:
    """Forget every cached score and filling (the lexicon stays loaded): for benchmarks."""
    _FILLS.clear()
    _PRUNE_CACHE.clear()
    language.forget()
    _START_CACHE.clear()
    _TOKEN_INFO.clear()
    _PAIR_JOINS.clear()
    _COMPLETE.clear()
    lex = words._LEXICON
    if lex is not None:
        lex.trim_caches(limit=0)
