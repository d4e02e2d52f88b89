"""Pages of a text export: page markers found, turned into page breaks, and removed.

A text export of a paged document keeps the running header or footer of each page where
the page broke: "Sida 2 (4)", "2 (4)", "Sid 3 av 5", "Sidan 2 av 3", "- 3 -", sometimes
on one line with the förvaltning's name or the title ("Socialförvaltningen      Sida 2
(5)"). These lines are no part of the document's text: they become page breaks (so every
span gets its page) and are removed by the cleaner, as recorded repairs.

A line is a page marker only as a member of a sequence: page numbers that rise through
the text and agree on the page count. Whether the markers head or foot their pages is
read from where the first and the last stand. Lines that repeat beside the markers of
several pages (the förvaltning, "Tjänsteutlåtande", the dnr) are running headers and are
removed too, except on the first page, whose header is the letterhead the metadata is
read from. The marker words live in ``data/page_markers.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.resources import load_json


@dataclass
class TextPages:
    """What :func:`find_pages` learnt of a text's pages (offsets into that text)."""

    #: offset where page n (1-based) starts: page_starts[n - 1]; a page whose marker is
    #: missing starts where the next one does
    page_starts: list[int] = field(default_factory=lambda: [0])
    #: the page count the markers declare (or the highest page seen), None without markers
    pages: int | None = None
    #: (start, end) of the text to remove: marker lines with their line break, running
    #: header lines, the marker part of a letterhead line
    furniture: list[tuple[int, int]] = field(default_factory=list)
    #: "header" or "footer", None without markers
    placement: str | None = None


@lru_cache(maxsize=1)
def _grammar() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    data = load_json("page_markers.json")
    words = "|".join(re.escape(w) for w in sorted(data["words"], key=len, reverse=True))
    of = "|".join(re.escape(w) for w in data["of"])
    marker = (rf"(?:(?P<word>{words})\s*)?(?P<n>\d{{1,4}})"
              rf"(?:\s*\(\s*(?P<m1>\d{{1,4}})\s*\)|\s*(?:{of})\s*(?P<m2>\d{{1,4}}))?"
              rf"|[-–—]\s*(?P<dashed>\d{{1,4}})\s*[-–—]")
    # a marker alone on its line, or beside other text with two spaces or a tab between
    whole = re.compile(rf"^(?:{marker})$", re.IGNORECASE)
    after_text = re.compile(rf"^(?P<before>.*?\S)(?:\s{{2,}}|\t\s*)(?:{marker})$", re.IGNORECASE)
    before_text = re.compile(rf"^(?:{marker})(?:\s{{2,}}|\t\s*)(?P<after>\S.*)$", re.IGNORECASE)
    return whole, after_text, before_text


def page_number_line() -> re.Pattern:
    """A page number standing alone, as the PDF reader meets it in a page's outermost row:
    the markers above, and also a bare number or "(3)" (position tells it apart there)."""
    whole, _, _ = _grammar()
    return re.compile(whole.pattern + r"|^\(\s*\d{1,4}\s*\)$|^\d{1,4}$", re.IGNORECASE)


@dataclass
class _Marker:
    line: int
    start: int        # of the line
    end: int          # of the line, its line break included
    n: int
    total: int | None
    rest: str         # the line's other text ("" for a marker alone)
    worded: bool      # "Sida 2 (4)", not "2 (4)"
    cut: tuple[int, int]  # the marker part of the line (and the spaces joining it)


def _parse(match: re.Match) -> tuple[int, int | None, bool, bool] | None:
    """(page, page count, has a word or a count, has a word) of a marker match."""
    if match.group("dashed"):
        return int(match.group("dashed")), None, True, False
    n = int(match.group("n"))
    m = match.group("m1") or match.group("m2")
    total = int(m) if m else None
    if n == 0 or (total is not None and (total == 0 or n > total)):
        return None
    return n, total, bool(match.group("word")) or total is not None, bool(match.group("word"))


def _candidates(text: str) -> list[_Marker]:
    whole, after_text, before_text = _grammar()
    out = []
    pos = 0
    for k, raw in enumerate(text.split("\n")):
        end = pos + len(raw) + 1
        line = raw.strip()
        # cheap tests first: a marker line is short and holds a digit
        if line and len(line) <= 160 and any(ch.isdigit() for ch in line[-12:] + line[:12]):
            lead = len(raw) - len(raw.lstrip())
            m = whole.match(line)
            if m:
                parsed = _parse(m)
                if parsed and parsed[2]:  # a bare number is a marker only with a word or a count
                    out.append(_Marker(k, pos, min(end, len(text)), parsed[0], parsed[1], "", parsed[3],
                                       (pos, min(end, len(text)))))
            else:
                m = after_text.match(line)
                if m:
                    rest = m.group("before")
                    cut = (pos + lead + len(rest), pos + lead + len(line))
                else:
                    m = before_text.match(line)
                    if m:
                        rest = m.group("after")
                        cut = (pos + lead, pos + lead + m.start("after"))
                if m:
                    parsed = _parse(m)
                    if parsed and parsed[2]:
                        out.append(_Marker(k, pos, min(end, len(text)), parsed[0], parsed[1], rest.strip(), parsed[3], cut))
        pos = end
    return out


def _sequence(cands: list[_Marker]) -> list[_Marker]:
    """The longest run of markers whose page numbers rise and whose page counts agree."""
    best: list[_Marker] = []
    for total in dict.fromkeys(c.total for c in cands):
        run: list[_Marker] = []
        for c in cands:
            if c.total == total and (not run or c.n > run[-1].n):
                run.append(c)
        if len(run) > len(best):
            best = run
    if len(best) == 1 and (not best[0].worded or best[0].total is None):
        return []  # "2 (4)" or "Sida 3" alone may be anything; "Sida 2 (4)" is a page
    return best


def _repeated(lines: list[str], markers: list[_Marker], radius: int = 3) -> set[str]:
    """Lines that stand within ``radius`` lines of the markers of two pages or more."""
    seen: dict[str, set[int]] = {}
    for mk in markers:
        for k in range(max(0, mk.line - radius), min(len(lines), mk.line + radius + 1)):
            text = " ".join(lines[k].split())
            if text and k != mk.line:
                seen.setdefault(text, set()).add(mk.n)
        if mk.rest:
            seen.setdefault(" ".join(mk.rest.split()), set()).add(mk.n)
    return {t for t, pages in seen.items() if len(pages) >= 2}


def _placement(lines: list[str], markers: list[_Marker]) -> str:
    """"header" or "footer": a header stands before its page's text, a footer after it.

    Measured in non-blank lines against the usual page length (the median distance between
    two markers): page 1's marker with little text before it heads its page, with a page
    of text before it foots it. When the first marker numbers page 2 or more, page 1 went
    without, as a letterhead page does without a running header; only when page 1 and 2's
    text both stand before it and the last marker closes the text are they footers."""
    nonblank = [0]
    for line in lines:
        nonblank.append(nonblank[-1] + (1 if line.strip() else 0))
    before = nonblank[markers[0].line]
    after = nonblank[-1] - nonblank[markers[-1].line + 1]
    gaps = sorted(nonblank[b.line] - nonblank[a.line + 1] for a, b in zip(markers, markers[1:]))
    page = gaps[len(gaps) // 2] if gaps else 40
    first, last = markers[0], markers[-1]
    if first.n == 1:
        return "header" if before <= max(3, 0.3 * page) else "footer"
    closes = after <= max(3, 0.15 * page) and (last.total is None or last.n == last.total)
    return "footer" if closes and before >= 1.5 * page else "header"


def find_pages(text: str) -> TextPages:
    """Page markers of ``text`` as page starts and furniture to remove."""
    markers = _sequence(_candidates(text))
    if not markers:
        return TextPages()
    lines = text.split("\n")
    placement = _placement(lines, markers)
    last = markers[-1]
    pages = max(last.n, last.total or 0)

    # where each page starts: a header opens its page, a footer closes it
    starts: dict[int, int] = {1: 0}
    for mk in markers:
        if placement == "header" and mk.n >= 2:
            starts[mk.n] = mk.start
        elif placement == "footer" and mk.n + 1 <= pages:
            starts[mk.n + 1] = mk.end
    page_starts = [0] * pages
    following = len(text)
    for n in range(pages, 0, -1):  # a page without a marker starts where the next one does
        following = starts.get(n, following)
        page_starts[n - 1] = following
    page_starts[0] = 0

    # what to remove
    repeated = _repeated(lines, markers)
    furniture: list[tuple[int, int]] = []
    letterhead_page = placement == "header"
    marker_lines = {mk.line: mk for mk in markers}
    pos = 0
    offsets = []
    for raw in lines:
        offsets.append(pos)
        pos += len(raw) + 1
    for mk in markers:
        on_first_page = mk.n == 1 and letterhead_page
        if not mk.rest or (mk.rest in repeated and not on_first_page):
            furniture.append((mk.start, mk.end))
        else:
            furniture.append(mk.cut)
        if on_first_page:
            continue
        # running header or footer lines beside this marker, blank lines between them passed
        # over; the first line of other text ends the walk
        for step in (-1, 1):
            k = mk.line + step
            while 0 <= k < len(lines) and abs(k - mk.line) <= 3 and k not in marker_lines:
                text_k = " ".join(lines[k].split())
                if text_k and text_k not in repeated:
                    break
                if text_k:
                    furniture.append((offsets[k], min(offsets[k] + len(lines[k]) + 1, len(text))))
                k += step
    return TextPages(page_starts, pages, _merged(_mid_sentence(text, _merged(furniture))), placement)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(set(spans)):
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _mid_sentence(text: str, furniture: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where a page breaks inside a sentence ("… från tisdag till | Sida 2 (3) | fredag och
    …"), the blank lines around the removed header go too, leaving one line break: the
    sentence is not split into two paragraphs."""
    out = list(furniture)
    clusters: list[tuple[int, int]] = []  # furniture with only blank space between: one break
    for s, e in furniture:
        if clusters and not text[clusters[-1][1]:s].strip():
            clusters[-1] = (clusters[-1][0], e)
        else:
            clusters.append((s, e))
    for s, e in clusters:
        a, b = s, e
        while a > 0 and text[a - 1].isspace():
            a -= 1
        while b < len(text) and text[b].isspace():
            b += 1
        if 0 < a and b < len(text) and text[a] == "\n" and text[a - 1] not in ".!?:;" and text[b].islower():
            out.append((a + 1, b))
    return out
