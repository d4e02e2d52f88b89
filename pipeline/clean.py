"""Stage 2 — clean: repair the text without ever making correct text worse.

Each step produces edits against its input; every edit becomes a recorded repair
(original, replacement, offsets in the cleaned text, kind) and offsets from the raw
text (page starts, layout hints) are carried into the cleaned text by
:class:`OffsetMap`. Clean text takes a fast path: the mojibake step only looks at lines
that hold a tell-tale sequence, the whitespace step is a single regex pass.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass, field

import ftfy

# A character that UTF-8 lead bytes become in cp1252/latin-1, followed by one that a
# continuation byte becomes: the signature of UTF-8 read with the wrong code page.
MOJIBAKE = re.compile(
    "[\u00c2\u00c3\u00c5\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)

_WHITESPACE = re.compile(
    r"(?P<edge>\A\s+|\s+\Z)"                       # blank lines before and after the text
    r"|(?P<blank>\n(?:[ \t\u00a0]*\n){2,})"       # runs of blank lines → one blank line
    r"|(?P<crlf>\r\n?)"                           # Windows/Mac line ends
    r"|(?P<trail>[ \t\u00a0]+(?=\r?\n|\Z))"       # trailing spaces
    r"|(?P<lead>(?:(?<=\n)|\A)[ \u00a0]+)"        # leading spaces of a line
    r"|(?P<nbsp>[\u00a0\u2007\u202f\u2009])"      # no-break and thin spaces
    r"|(?P<invisible>[\u00ad\u200b\u200c\u200d\ufeff])"  # soft hyphen, zero-width chars
    r"|(?P<ligature>[\ufb00-\ufb06])"
)


@dataclass(frozen=True)
class Edit:
    """One change: ``text[start:end]`` of the input became ``replacement``."""

    start: int
    end: int
    replacement: str
    kind: str
    confidence: float = 1.0


class OffsetMap:
    """Maps offsets in an input text to offsets in the output of a list of edits."""

    def __init__(self, edits: list[Edit]):
        self._starts: list[int] = []
        self._rows: list[tuple[int, int, int, int]] = []  # in_start, in_end, out_start, out_end
        delta = 0
        for e in edits:
            out_start = e.start + delta
            out_end = out_start + len(e.replacement)
            self._starts.append(e.start)
            self._rows.append((e.start, e.end, out_start, out_end))
            delta += len(e.replacement) - (e.end - e.start)

    def __call__(self, offset: int) -> int:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            return offset
        in_start, in_end, out_start, out_end = self._rows[i]
        if offset >= in_end:
            return out_end + (offset - in_end)
        return out_start + min(offset - in_start, out_end - out_start)


@dataclass
class RepairRecord:
    original: str
    replacement: str
    start: int  # in the cleaned text
    end: int
    kind: str
    confidence: float


@dataclass
class CleanedText:
    text: str
    original: str
    repairs: list[RepairRecord] = field(default_factory=list)
    maps: list[OffsetMap] = field(default_factory=list)

    def from_original(self, offset: int) -> int:
        """An offset into the original text, carried into the cleaned text."""
        for m in self.maps:
            offset = m(offset)
        return offset


def apply_edits(text: str, edits: list[Edit]) -> str:
    parts, pos = [], 0
    for e in edits:
        parts.append(text[pos:e.start])
        parts.append(e.replacement)
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)


def mojibake_edits(text: str) -> list[Edit]:
    """ftfy on each line that carries a mojibake signature; minimal per-character edits."""
    if not MOJIBAKE.search(text):
        return []
    edits: list[Edit] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        if MOJIBAKE.search(line):
            fixed = ftfy.fix_text(line, normalization="NFC", uncurl_quotes=False, fix_line_breaks=False)
            if fixed != line:
                matcher = difflib.SequenceMatcher(None, line, fixed, autojunk=False)
                for op, i1, i2, j1, j2 in matcher.get_opcodes():
                    if op != "equal":
                        edits.append(Edit(pos + i1, pos + i2, fixed[j1:j2], "mojibake"))
        pos += len(line)
    return edits


def whitespace_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for m in _WHITESPACE.finditer(text):
        kind = m.lastgroup
        if kind == "blank":
            repl = "\n\n"
        elif kind == "crlf":
            repl = "\n"
        elif kind in ("edge", "trail", "lead", "invisible"):
            repl = ""
        elif kind == "nbsp":
            repl = " "
        else:  # ligature
            repl = unicodedata.normalize("NFKC", m.group())
        if repl != m.group():
            edits.append(Edit(m.start(), m.end(), repl, "whitespace" if kind != "ligature" else "typography"))
    return edits


#: The cleaning steps in order; each sees the output of the one before.
STEPS = (mojibake_edits, whitespace_edits)


def clean(text: str) -> CleanedText:
    """Clean ``text``; the result keeps the original and every repair."""
    result = CleanedText(text=text, original=text)
    current = text
    for step in STEPS:
        edits = step(current)
        if not edits:
            continue
        omap = OffsetMap(edits)
        new_text = apply_edits(current, edits)
        # earlier repairs move with this step's edits
        for r in result.repairs:
            r.start, r.end = omap(r.start), omap(r.end)
        for e in edits:
            start = omap(e.start)
            result.repairs.append(RepairRecord(current[e.start:e.end], e.replacement, start,
                                               start + len(e.replacement), e.kind, e.confidence))
        result.maps.append(omap)
        current = new_text
    result.text = current
    result.repairs.sort(key=lambda r: (r.start, r.end))
    return result
