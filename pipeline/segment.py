"""Stage 3 — segment: find the title and the headings, build the section tree.

A heading is a short, title-like line standing on its own: known vocabulary of Swedish
committee documents (``data/headings.json``), lines the PDF reader marked by font size
or weight, upper-case lines, or short lines followed by body text. A candidate that is
followed only by another unknown candidate is a value (as in filled-in forms), not a
heading. Levels: the reader's layout levels where known; a heading that directly
follows a known heading without body text is its child; district names under a
heading ("Järva", "Kungsholmen/Norra innerstaden") are sub-headings.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from pipeline.patterns import OPEN_END
from pipeline.resources import load_json

MAX_HEADING_CHARS = 90
MAX_HEADING_WORDS = 12

_DATE = re.compile(r"\b(?:19|20)\d{2}-\d{2}-\d{2}\b|\b\d{1,2} (?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)\w* (?:19|20)\d{2}\b", re.I)
_NOT_HEADING = re.compile(r"@|https?://|www\.|\b(?:dnr|tel|telefon|tfn)\b[.:]?\s*[\w-]*\d|^[-–•*□■▪]|^\d|\d{3}|[{}|_]$|^\W+$", re.I)
# Organisation names standing alone are signature or address lines, not headings.
_ORGANISATION = re.compile(r"^[\w\- ]{0,40}(?:förvaltning(?:en)?|nämnd(?:en)?|kontor(?:et)?|styrelse(?:n)?|fullmäktige|myndighet(?:en)?)$", re.I)
_LIST_ITEM = re.compile(r"^(?:\d+[.)]|[a-z][.)]|[-–•*])\s")
_FIELD = re.compile(r"\w: \S")  # "Label: value"


@dataclass
class Line:
    start: int
    end: int
    text: str  # stripped

    @property
    def words(self) -> list[str]:
        return self.text.split()


@dataclass
class Heading:
    text: str
    level: int
    start: int
    end: int


@dataclass
class SectionSpan:
    heading: str | None
    level: int
    start: int
    end: int
    parent: int | None = None


@dataclass
class Segmentation:
    title: str | None
    title_span: tuple[int, int] | None
    headings: list[Heading]
    sections: list[SectionSpan]

    def __post_init__(self) -> None:
        self._starts = [s.start for s in self.sections]

    def section_at(self, offset: int) -> SectionSpan | None:
        """The innermost section containing ``offset``.

        Sections nest and are ordered by start, so the last one to start at or before
        ``offset`` is the innermost one around it, unless it has already ended: then its
        ancestors are the candidates. A bisection and a walk up the tree, not a scan.
        """
        if len(self._starts) != len(self.sections):  # the list was replaced or extended
            self._starts = [s.start for s in self.sections]
        i = bisect.bisect_right(self._starts, offset) - 1
        section = self.sections[i] if i >= 0 else None
        while section is not None and not section.start <= offset < section.end:
            section = self.sections[section.parent] if section.parent is not None else None
        return section


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], frozenset[str], frozenset[str], tuple[re.Pattern, ...]]:
    data = load_json("headings.json")
    norm = lambda xs: frozenset(normalise_heading(x) for x in xs)  # noqa: E731
    patterns = tuple(re.compile(p, re.I) for p in data.get("heading_patterns", []))
    return norm(data["top_level"]), norm(data["end_matter"]), norm(data["header_labels"]), patterns


def normalise_heading(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(":").strip().casefold()


def split_lines(text: str) -> list[Line | None]:
    """Lines of the text; ``None`` stands for a blank line."""
    out: list[Line | None] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        else:
            out.append(None)
        pos += len(raw) + 1
    return out


@lru_cache(maxsize=65536)
def is_known_heading(text: str) -> bool:
    top, end, _, patterns = _vocabulary()
    n = normalise_heading(text)
    return n in top or n in end or any(p.match(text.strip().rstrip(":")) for p in patterns)


def _is_upper_heading(text: str) -> bool:
    if len(text.split()) > MAX_HEADING_WORDS:
        return False  # the cheap test first: it rules out most body lines
    # all() stops at the first letter that is not upper case, in a body line the second
    if not all(map(str.isupper, filter(str.isalpha, text))):
        return False
    return sum(map(str.isalpha, text)) >= 4


def _is_candidate(line: Line, hints: dict[str, int]) -> bool:
    text = line.text
    if text in hints or is_known_heading(text):
        return True
    # Any one test below rules a line out, so their order does not change the answer:
    # the cheap length and character tests come first, as most lines are body text that
    # fails one of them, and the regular expressions only see the few lines left.
    if len(text) < 2 or len(text) > MAX_HEADING_CHARS or text[-1] in ".,;:!–-":
        return False
    first = text[0]
    if not first.isalpha() or not first.isupper():
        return False
    if len(line.words) > MAX_HEADING_WORDS:
        return False
    if _FIELD.search(text):
        return False  # "Label: value" is a field, not a heading
    if _LIST_ITEM.match(text) or _NOT_HEADING.search(text) or _DATE.search(text):
        return False
    if OPEN_END.search(text) or _ORGANISATION.match(text):  # goes on in the next line; a signature
        return False
    return True


_NAME_WITH_ROLE = re.compile(r"^[A-ZÅÄÖ][a-zåäöéü]+(?:[ -][A-ZÅÄÖ][a-zåäöéü]+){1,3},\s*[a-zåäö][\wåäö ]*$")


def _looks_like_person_name(text: str, is_place: Callable[[str], bool]) -> bool:
    if _NAME_WITH_ROLE.match(text):
        return True  # "Anna Berg, enhetschef": a signature line
    words = text.replace(",", " ").split()
    if not 2 <= len(words) <= 4 or text.isupper():
        return False
    return all(w[0].isupper() and w[1:].islower() or ("-" in w and w[0].isupper()) for w in words) and not is_place(text)


def find_title(lines: list[Line | None], limit: int = 40) -> tuple[int, int] | None:
    """Index range of the title lines: the first substantial non-label line near the top."""
    _, _, labels, _ = _vocabulary()
    seen = 0
    for i, line in enumerate(lines):
        if line is None:
            continue
        seen += 1
        if seen > limit:
            break
        text = line.text
        if normalise_heading(text) in labels or is_known_heading(text):
            continue
        if len(line.words) < 4 or _NOT_HEADING.search(text) or _DATE.fullmatch(text) or _LIST_ITEM.match(text):
            continue
        if text.endswith((".", ":")) and len(line.words) > 12:
            return None  # body text before any title: the document has none we can tell
        j = i
        # a title hard-wrapped over two lines continues in lower case
        while j + 1 < len(lines) and lines[j + 1] is not None and lines[j + 1].text[:1].islower() and j - i < 2:
            j += 1
        return i, j
    return None


def segment(text: str, hints: dict[str, int] | None = None,
            is_district: Callable[[str], bool] | None = None,
            lines: list[Line | None] | None = None) -> Segmentation:
    """Find title, headings and sections in cleaned ``text``."""
    hints = hints or {}
    is_district = is_district or (lambda s: False)
    _, end_matter, _, _ = _vocabulary()
    lines = lines if lines is not None else split_lines(text)
    title_range = find_title(lines)
    first_body = title_range[1] + 1 if title_range else 0
    title = title_span = None
    if title_range:
        tl = [lines[k] for k in range(title_range[0], title_range[1] + 1)]
        title = " ".join(l.text for l in tl)
        title_span = (tl[0].start, tl[-1].end)

    indexed = [(i, l) for i, l in enumerate(lines) if l is not None and i >= first_body]
    wrap = _wrap_width(lines)
    # three independent tests, cheapest first: most lines run on from the line before
    candidate = {i: _stands_alone(lines, i, hints, wrap) and _is_candidate(l, hints)
                 and not _looks_like_person_name(l.text, is_district) for i, l in indexed}
    # Decide from the end: a candidate is a heading if body text follows it, or if it is
    # known vocabulary (or a layout heading) followed by another heading.
    is_heading: dict[int, bool] = {}
    next_is: str | None = None  # "heading" | "body" | None (end of text)
    for i, line in reversed(indexed):
        if candidate[i]:
            strong = line.text in hints or is_known_heading(line.text) or _is_upper_heading(line.text)
            if next_is == "body" or (strong and next_is in ("heading", None)):
                is_heading[i] = True
                next_is = "heading"
                continue
        is_heading[i] = False
        next_is = "body"

    headings: list[Heading] = []
    prev_was_heading = False
    container_level = 0  # >0 while known sub-headings sit under a parent
    for i, line in indexed:
        if not is_heading.get(i):
            prev_was_heading = False
            continue
        heading = line.text
        norm = normalise_heading(heading)
        if _all_places(heading, is_district) and headings:
            level = max(2, hints.get(heading, 2))
        elif heading in hints:
            level = hints[heading]
        elif norm in end_matter:
            level, container_level = 1, 0
        elif prev_was_heading and headings and is_known_heading(headings[-1].text):
            level = headings[-1].level + 1
            container_level = level
        elif container_level and is_known_heading(heading):
            level = container_level
        else:
            level, container_level = 1, 0
        headings.append(Heading(heading, level, line.start, line.end))
        prev_was_heading = True

    return Segmentation(title, title_span, headings, build_sections(text, headings))


def _wrap_width(lines: list[Line | None]) -> int | None:
    """The line width of hard-wrapped text (PDF extractions), or None for one-line paragraphs."""
    lengths = sorted(len(l.text) for l in lines if l is not None)
    if len(lengths) < 20:
        return None
    # in hard-wrapped text most lines are continued by the next line
    continued = sum(1 for a, b in zip(lines, lines[1:]) if a is not None and b is not None)
    if continued < 0.4 * len(lengths):
        return None
    return lengths[int(len(lengths) * 0.8)]


def _stands_alone(lines: list[Line | None], i: int, hints: dict[str, int], wrap: int | None) -> bool:
    """A heading starts a block (blank line or text start before it) and is not a wrapped line."""
    line = lines[i]
    if line.text in hints:
        return True
    prev = lines[i - 1] if i > 0 else None
    # after a blank line, or after a line that ends a sentence (PDF text without blank lines)
    if prev is not None and not (prev.text.endswith((".", "!", "?")) or _is_upper_heading(line.text)):
        return False
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    if nxt is not None:
        if nxt.text[:1].islower():
            return False  # the sentence runs on
        if wrap and len(line.text) >= 0.6 * wrap and not is_known_heading(line.text):
            return False  # a full-width first line of a wrapped paragraph
    return True


def heading_parts(text: str) -> list[str]:
    """The names a heading joins: "Kungsholmen/Norra innerstaden", "Farsta och Skarpnäck"."""
    return [p.strip() for p in re.split(r"/|,| och ", text) if p.strip()]


def _all_places(text: str, is_district: Callable[[str], bool]) -> bool:
    parts = heading_parts(text)
    return bool(parts) and all(is_district(p) for p in parts)


def build_sections(text: str, headings: Iterable[Heading]) -> list[SectionSpan]:
    """The section tree: a section runs from its heading to the next heading of its level
    or above (or the end of the text); its parent is the nearest open section above it."""
    headings = list(headings)
    sections: list[SectionSpan] = []
    if not headings or text[: headings[0].start].strip():
        first = headings[0].start if headings else len(text)
        sections.append(SectionSpan(None, 0, 0, first))
    stack: list[int] = []  # indices into sections of the sections still open
    for h in headings:
        while stack and sections[stack[-1]].level >= h.level:
            sections[stack.pop()].end = h.start
        parent = stack[-1] if stack else None
        sections.append(SectionSpan(h.text, h.level, h.start, len(text), parent))
        stack.append(len(sections) - 1)
    return sections
