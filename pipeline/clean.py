"""Stage 2 — clean: repair the text without ever making correct text worse.

Steps run in order, each producing :class:`Edit`s against the text the step before
left: line ends, mojibake (ftfy), lost OCR letters (:mod:`pipeline.restore`),
typography (no-break spaces, soft hyphens, ligatures), whitespace. An :class:`EditLog`
merges the edits into regions of change, so each recorded repair goes straight from
the original text to the cleaned text (original, replacement, offsets in the cleaned
text, kind, confidence), and offsets of the raw text (page starts) are carried into
the cleaned text. Clean text takes a fast path: each step first checks, with one
regex search, whether it has anything to do.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Sequence

from pipeline.edits import Edit, apply_edits
from pipeline.restore import restore_edits

# A character that UTF-8 lead bytes become in cp1252/latin-1, followed by one that a
# continuation byte becomes: the signature of UTF-8 read with the wrong code page.
MOJIBAKE = re.compile(
    "[\u00c2\u00c3\u00c5\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)

_NEWLINES = re.compile(r"\r\n?")
_NBSP = "\u00a0\u2007\u202f\u2009"                       # no-break and thin spaces
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"         # soft hyphen, zero-width characters
_TYPOGRAPHY = re.compile(f"[{_NBSP}{_INVISIBLE}\ufb00-\ufb06]")  # one class: one quick scan


@dataclass
class RepairRecord:
    original: str
    replacement: str
    start: int  # in the cleaned text
    end: int
    kind: str
    confidence: float
    original_start: int = 0  # in the original text
    original_end: int = 0


class EditLog:
    """Where the current text differs from the original, as merged regions.

    Each region is ``[orig_start, orig_end, cur_start, cur_end]``: original
    ``orig[orig_start:orig_end]`` became ``cur[cur_start:cur_end]``. Edits of a later
    step that overlap an earlier region merge with it, so a repair never goes stale.
    """

    def __init__(self) -> None:
        self.regions: list[list[int]] = []
        self.kinds: list[list[str]] = []
        self.confidence: list[float] = []
        self._cur_ends: list[int] = []
        self._orig_ends: list[int] = []

    def _to_orig(self, cur: int) -> int:
        """An offset of the current text that lies outside every region, in the original."""
        # regions are sorted and disjoint: the last one ending at or before ``cur`` decides
        i = bisect.bisect_right(self._cur_ends, cur) - 1
        if i < 0:
            return cur
        o_s, o_e, c_s, c_e = self.regions[i]
        return cur - (c_e - o_e)

    def apply(self, edits: list[Edit]) -> None:
        if not edits:
            return
        self._cur_ends = [r[3] for r in self.regions]
        if not self.regions:
            # the first step that changes anything: its edits are the regions
            # (the current text is still the original, so offsets are original offsets)
            shift = 0
            for e in edits:
                growth = len(e.replacement) - (e.end - e.start)
                self.regions.append([e.start, e.end, e.start + shift, e.end + shift + growth])
                self.kinds.append([e.kind])
                self.confidence.append(e.confidence)
                shift += growth
            self._orig_ends = [r[1] for r in self.regions]
            return
        items = [(r[2], r[3], "r", i) for i, r in enumerate(self.regions)]
        items += [(e.start, e.end, "e", i) for i, e in enumerate(edits)]
        items.sort(key=lambda t: (t[0], t[1], t[2]))
        groups: list[list[tuple]] = []
        g_start = g_end = -1
        for item in items:
            if groups and (item[0] < g_end or (item[0] == g_end and (item[0] == item[1] or g_start == g_end))):
                groups[-1].append(item)
                g_end = max(g_end, item[1])
                continue
            groups.append([item])
            g_start, g_end = item[0], item[1]
        regions, kinds, confidence = [], [], []
        shift = 0
        for g in groups:
            if len(g) == 1:  # the common case: a region or an edit on its own
                c_s, c_e, t, i = g[0]
                if t == "r":
                    o_s, o_e = self.regions[i][0], self.regions[i][1]
                    regions.append([o_s, o_e, c_s + shift, c_e + shift])
                    kinds.append(self.kinds[i])
                    confidence.append(self.confidence[i])
                else:
                    e = edits[i]
                    growth = len(e.replacement) - (c_e - c_s)
                    regions.append([self._to_orig(c_s), self._to_orig(c_e), c_s + shift, c_e + shift + growth])
                    kinds.append([e.kind])
                    confidence.append(e.confidence)
                    shift += growth
                continue
            c_s = min(x[0] for x in g)
            c_e = max(x[1] for x in g)
            old = [i for _, _, t, i in g if t == "r"]
            new = [edits[i] for _, _, t, i in g if t == "e"]
            o_s = min([self.regions[i][0] for i in old if self.regions[i][2] == c_s] or [self._to_orig(c_s)])
            o_e = max([self.regions[i][1] for i in old if self.regions[i][3] == c_e] or [self._to_orig(c_e)])
            growth = sum(len(e.replacement) - (e.end - e.start) for e in new)
            regions.append([o_s, o_e, c_s + shift, c_e + shift + growth])
            kind_list: list[str] = []
            for k in [k for i in old for k in self.kinds[i]] + [e.kind for e in new]:
                if k not in kind_list:
                    kind_list.append(k)
            kinds.append(kind_list)
            confidence.append(min([self.confidence[i] for i in old] + [e.confidence for e in new]))
            shift += growth
        self.regions, self.kinds, self.confidence = regions, kinds, confidence
        self._orig_ends = [r[1] for r in regions]

    def from_original(self, offset: int) -> int:
        """An original offset in the current text; inside a changed region, the region's start."""
        # the regions are sorted and disjoint: the first one ending after ``offset`` may hold it
        i = bisect.bisect_right(self._orig_ends, offset)
        if i < len(self.regions) and self.regions[i][0] <= offset:
            return self.regions[i][2]
        if i == 0:
            return offset
        _, o_e, _, c_e = self.regions[i - 1]
        return offset + c_e - o_e


@dataclass
class CleanedText:
    text: str
    original: str
    repairs: list[RepairRecord] = field(default_factory=list)
    log: EditLog = field(default_factory=EditLog)

    def from_original(self, offset: int) -> int:
        """An offset into the original text, carried into the cleaned text."""
        return self.log.from_original(offset)


def _minimal(start: int, old: str, new: str, kind: str) -> Edit | None:
    """The edit of ``old`` → ``new`` trimmed to the characters that differ."""
    if old == new:
        return None
    p = 0
    while p < min(len(old), len(new)) and old[p] == new[p]:
        p += 1
    s = 0
    while s < min(len(old), len(new)) - p and old[len(old) - 1 - s] == new[len(new) - 1 - s]:
        s += 1
    return Edit(start + p, start + len(old) - s, new[p:len(new) - s], kind)


def newline_edits(text: str) -> list[Edit]:
    return [Edit(m.start(), m.end(), "\n", "whitespace") for m in _NEWLINES.finditer(text)]


_WORD = re.compile(r"\S+")


def mojibake_edits(text: str) -> list[Edit]:
    """ftfy on each word that carries a mojibake signature ("fÃ¶rvaltningen").

    A word is fixed alone, so the repair is exactly the damaged characters; a line
    whose damage spans words (a mis-decoded quotation mark pair) is fixed whole."""
    if not MOJIBAKE.search(text):
        return []
    import ftfy  # only a text with mojibake needs it

    edits: list[Edit] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        if MOJIBAKE.search(line):
            line_edits = []
            for m in _WORD.finditer(line):
                if MOJIBAKE.search(m.group()):
                    fixed = ftfy.fix_text(m.group(), normalization="NFC", uncurl_quotes=False,
                                          fix_line_breaks=False)
                    e = _minimal(pos + m.start(), m.group(), fixed, "mojibake")
                    if e:
                        line_edits.append(e)
            if not line_edits:
                fixed = ftfy.fix_text(line, normalization="NFC", uncurl_quotes=False, fix_line_breaks=False)
                e = _minimal(pos, line, fixed, "mojibake")
                if e:
                    line_edits.append(e)
            edits.extend(line_edits)
        pos += len(line)
    return edits


def typography_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for m in _TYPOGRAPHY.finditer(text):
        ch = m.group()
        if ch in _NBSP:
            repl = " "
        elif ch in _INVISIBLE:
            repl = ""
        else:  # ligature
            repl = unicodedata.normalize("NFKC", ch)
        edits.append(Edit(m.start(), m.end(), repl, "typography"))
    return edits


def whitespace_edits(text: str) -> list[Edit]:
    """Spaces at line ends and line starts, runs of blank lines, blank text at both ends.
    A walk over the lines with str methods: cheaper than a regex that would stop at
    every space between words."""
    edits: list[Edit] = []
    head = len(text) - len(text.lstrip())
    if head == len(text):
        return [Edit(0, len(text), "", "whitespace")] if text else []
    tail = len(text.rstrip())
    if head:
        edits.append(Edit(0, head, "", "whitespace"))
    pos = head
    body = text[head:tail]
    blank_start = -1  # start of a run of blank lines (offset of its first newline)
    blank_count = 0
    for line in body.split("\n"):
        end = pos + len(line)
        stripped = line.strip(" \t")
        if not stripped:
            if blank_count == 0:
                blank_start = pos - 1
            blank_count += 1
        else:
            if blank_count >= 2:
                # the newline before the run, the run's lines and their spaces → one blank line
                edits.append(Edit(blank_start, pos, "\n\n", "whitespace"))
            elif blank_count == 1 and pos - blank_start > 2:
                edits.append(Edit(blank_start + 1, pos - 1, "", "whitespace"))  # spaces on a blank line
            blank_count = 0
            lead = len(line) - len(line.lstrip(" "))
            if lead:
                edits.append(Edit(pos, pos + lead, "", "whitespace"))
            trail = len(line) - len(line.rstrip(" \t"))
            if trail:
                edits.append(Edit(end - trail, end, "", "whitespace"))
        pos = end + 1
    if tail < len(text):
        edits.append(Edit(tail, len(text), "", "whitespace"))
    return edits


#: The cleaning steps in order; each sees the output of the one before. Lost letters
#: are restored after typography (the restorer reads the spaces a reader sees: a no-break
#: space is one) and before whitespace is normalised (a space may be a lost letter).
STEPS = (newline_edits, mojibake_edits, typography_edits, restore_edits, whitespace_edits)
#: rounds of the steps at most: cleaning goes on until a round changes nothing
MAX_ROUNDS = 3


def _apply(text: str, edits: list[Edit], log: EditLog) -> str:
    """``text`` with ``edits`` made, and recorded in ``log``."""
    if not edits:
        return text
    edits.sort(key=lambda e: (e.start, e.end))
    log.apply(edits)
    return apply_edits(text, edits)


def clean(text: str, furniture: Sequence[tuple[int, int]] = ()) -> CleanedText:
    """Clean ``text``; the result keeps the original and every repair.

    ``furniture`` are (start, end) spans of ``text`` that are no part of the document (a
    text export's page markers and running headers, from the reader): they are removed
    first, as repairs of kind ``page_furniture``."""
    result = CleanedText(text=text, original=text)
    current = text
    if furniture:
        current = _apply(current, [Edit(s, e, "", "page_furniture") for s, e in furniture], result.log)
    # Cleaning is idempotent: what the steps leave, they leave as it is. A round can make
    # the next one's work visible (a repaired word beside a damaged one, a space a
    # no-break space was), so the rounds go on until one changes nothing.
    for _ in range(MAX_ROUNDS):
        before = current
        for step in STEPS:
            current = _apply(current, step(current), result.log)
        if current == before:
            break
    result.text = current
    for (o_s, o_e, c_s, c_e), kinds, conf in zip(result.log.regions, result.log.kinds, result.log.confidence):
        original, replacement = text[o_s:o_e], current[c_s:c_e]
        if original != replacement:
            result.repairs.append(RepairRecord(original, replacement, c_s, c_e, "+".join(kinds), conf, o_s, o_e))
    return result
