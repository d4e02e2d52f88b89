"""Stage 3 — segment: find the title and the headings, build the section tree.

A heading is a short, title-like line standing on its own: known vocabulary of Swedish
committee documents (``data/headings.json``), lines the PDF reader marked by font size
or weight, upper-case lines, numbered headings ("2.3 Uppdraget", level from the
numbering), agenda items ("§ 112 …", "Ärende 4 …", "4. …" of a kallelse), labels that
end in a colon and title the block below ("Beslutsunderlag:"), or short lines followed
by body text. What looks like a heading but is not one is ruled out by its shape: a
sentence (a finite verb among its first words, a full stop), a field ("Datum:
2021-03-04"), a list item (a numbered line that breaks the document's heading numbering,
or stands under "Bilagor"), an entry of the table of contents. A candidate followed only
by another unknown candidate is a value (as in filled-in forms), not a heading.

Levels: the reader's layout levels where known; the numbering's depth; a heading that
directly follows a known heading without body text is its child; headings inside an
agenda item sit under it; district names under a heading ("Järva",
"Kungsholmen/Norra innerstaden") are sub-headings.

A text export that lost its line breaks ("flattened") has its headings inside long
lines: there a known heading, or a numbered one, standing between the end of one
sentence and the start of the next is a heading.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, Optional

from pipeline.dates import DATE, MONTHS
from pipeline.patterns import DNR_VALUE, OPEN_END, trie_pattern
from pipeline.resources import load_json

MAX_HEADING_CHARS = 90
MAX_HEADING_WORDS = 12
#: a line this long is no line of a text with its line breaks: the text is flattened
FLATTENED_LINE = 600

# a run of three or more digits that is not a year: a phone number, a postcode, an amount
_LONG_NUMBER = r"(?<![\d:])(?!(?:19|20)\d\d(?!\d))\d{3,}"  # not the number of an SFS ("2010:1622")
_NOT_HEADING = re.compile(r"@|https?://|www\.|\b(?:dnr|tel|telefon|tfn)\b[.:]?\s*[\w-]*\d|^[-–•*□■▪]|^\d|"
                          + _LONG_NUMBER + r"|[{}|_]$|^\W+$", re.I)
# Organisation names standing alone are signature or address lines, not headings; so is a
# municipality's name ("Lunds kommun", "Malmö stad"), not a heading that ends in one of the
# words ("Samverkan med annan kommun")
MUNICIPALITY_NAME = re.compile(r"[A-ZÅÄÖ][\w-]*(?:[ -][A-ZÅÄÖ][\w-]*)? (?:kommun|stad|Stad|KOMMUN|STAD)")
_ORGANISATION = re.compile(r"^[\w\- ]{0,40}(?:förvaltning(?:en)?|nämnd(?:en)?|kontor(?:et)?|styrelse(?:n)?|fullmäktige|myndighet(?:en)?)$", re.I)
_LIST_ITEM = re.compile(r"^(?:\d+[.)]|[a-z][.)]|[-–•*])\s")
_FIELD = re.compile(r"\w: \S")  # "Label: value"
# a table of contents entry ends in its page number: "3.1 Barn och unga ....... 5", "Bakgrund    4"
_TOC_ENTRY = re.compile(r"(?:\.{3,}|…|\s{2,}|\t)\s*\d{1,3}$|\s\d{1,3}$")

# numbering of headings and agenda items
_DECIMAL = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})(?P<dot>\.?)\s+(?P<rest>\S.*)$")
_AGENDA = re.compile(r"^(?:(?P<org>[A-ZÅÄÖ]{1,6}(?:\s?[A-ZÅÄÖ]{1,4})?)\s+)?§\s*(?P<num>\d{1,4}\s?[a-z]?)(?![\w/-])\.?"
                     r"(?:\s+(?P<rest>\S.*))?$")
_ITEM = re.compile(r"^(?P<word>Ärende|Punkt|ÄRENDE|PUNKT)\s+(?P<num>\d{1,3}[a-z]?)(?![\w/-])[.:]?(?:\s+(?P<rest>\S.*))?$")
_ROMAN = re.compile(r"^(?P<num>[IVX]{1,5})\.\s+(?P<rest>\S.*)$")
# "Dnr SN 2023/145" standing after an agenda item's number: not its title
_DNR_ONLY = re.compile(r"^(?:dnr|diarienummer|diarienr|ärendenummer)\b", re.I)


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
    #: the text lost its line breaks (headings were found inside its long lines)
    flattened: bool = False
    _starts: list[int] = field(default_factory=list, repr=False)

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


@dataclass(frozen=True)
class Vocabulary:
    top: frozenset[str]
    end_matter: frozenset[str]
    labels: frozenset[str]
    patterns: tuple[re.Pattern, ...]
    list_heads: frozenset[str]  # headings whose block is a list: "Bilagor", "Beslutsunderlag"
    contents: frozenset[str]    # "Innehåll", "Innehållsförteckning"
    subject: re.Pattern         # "Ärende: …", "Ämne: …": the subject line's label
    unmarked_lists: frozenset[str]  # list headings whose items stand without marks, one a line


@lru_cache(maxsize=1)
def _vocabulary() -> Vocabulary:
    data = load_json("headings.json")
    norm = lambda xs: frozenset(normalise_heading(x) for x in xs)  # noqa: E731
    patterns = tuple(re.compile(p, re.I) for p in data.get("heading_patterns", []))
    subject = re.compile(r"^(?:" + "|".join(map(re.escape, data["subject_labels"])) + r")\s*:\s*(?P<rest>.*)$", re.I)
    return Vocabulary(norm(data["top_level"]), norm(data["end_matter"]), norm(data["header_labels"]), patterns,
                      norm(data["list_headings"]), norm(data["contents_headings"]), subject,
                      norm(data["unmarked_list_headings"]))


def normalise_heading(text: str) -> str:
    """A heading as the vocabularies hold it: whitespace collapsed, no closing colon, case
    folded. (str.split: every line of a document is looked up, and a regular expression
    per line cost a quarter of segmentation.)"""
    return " ".join(text.split()).rstrip(":").strip().casefold()


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
    v = _vocabulary()
    n = normalise_heading(text)
    return n in v.top or n in v.end_matter or any(p.match(text.strip().rstrip(":")) for p in v.patterns)


def _is_upper_heading(text: str) -> bool:
    if len(text.split()) > MAX_HEADING_WORDS:
        return False  # the cheap test first: it rules out most body lines
    # all() stops at the first letter that is not upper case, in a body line the second
    if not all(map(str.isupper, filter(str.isalpha, text))):
        return False
    return sum(map(str.isalpha, text)) >= 4


# -- numbering -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Numbering:
    """A heading's number: ``kind`` "decimal" ("2.3"), "agenda" ("§ 112", "Ärende 4") or
    "roman" ("IV."); ``path`` the decimal number's parts; ``rest`` the words after it."""

    kind: str
    path: tuple[int, ...]
    rest: str


def numbering(text: str) -> Numbering | None:
    m = _AGENDA.match(text)
    if m:
        return Numbering("agenda", (), m.group("rest") or "")
    m = _ITEM.match(text)
    if m:
        return Numbering("agenda", (), m.group("rest") or "")
    m = _DECIMAL.match(text)
    if m:
        path = tuple(int(p) for p in m.group("num").split("."))
        if 0 in path:
            return None
        return Numbering("decimal", path, m.group("rest"))
    m = _ROMAN.match(text)
    if m:
        return Numbering("roman", (), m.group("rest"))
    return None


def _successor(a: tuple[int, ...], b: tuple[int, ...]) -> int | None:
    """How well heading number ``b`` follows ``a`` (0 best), or None if it cannot: a first
    child (2 → 2.1), the next sibling at any level (2.3 → 2.4, 2.3 → 3), or one number
    skipped (2.3 → 2.5: a heading the segmenter missed)."""
    if b == a + (1,):
        return 0
    for depth in range(len(a), 0, -1):
        if len(b) == depth and b[:-1] == a[:depth - 1]:
            step = b[-1] - a[depth - 1]
            if step == 1:
                return 0
            if step == 2:
                return 1
    return None


def _heading_chain(paths: list[tuple[int, ...]]) -> set[int]:
    """Indices of the longest run of numbers that follows a document's heading numbering;
    numbers outside it are list items ("1. Rapporten", "2. Bilaga" under a heading)."""
    n = len(paths)
    if not n:
        return set()
    best: list[tuple[int, int]] = []  # (headings in the chain ending here, -penalty)
    back: list[int] = []
    for j, p in enumerate(paths):
        start_ok = p == (1,) or p == (1, 1) or len(p) == 1
        score, prev = ((1, -(0 if p in ((1,), (1, 1)) else 2)) if start_ok else (0, -99)), -1
        for i in range(max(0, j - 200), j):  # a heading's predecessor is never far back
            step = _successor(paths[i], p)
            if step is None or best[i][0] == 0:
                continue
            cand = (best[i][0] + 1, best[i][1] - step)
            if cand > score:
                score, prev = cand, i
        best.append(score)
        back.append(prev)
    end = max(range(n), key=lambda k: best[k])
    chain = set()
    while end != -1 and best[end][0] > 0:
        chain.add(end)
        end = back[end]
    return chain


# -- what a heading looks like ---------------------------------------------------------------

_CLAUSE_WORDS = frozenset("som att där när vilket vilka om eftersom då och eller samt".split())


def _sentence_like(words: list[str], is_verb: Callable[[str], bool]) -> bool:
    """A finite verb among the first words of a main clause: "Nämnden beslutar", "1.
    Rapporten godkänns" say something, "Överenskommelse om samverkan kring unga som begår
    brott" (a verb in a relative clause) titles something."""
    for w in words[:4]:
        bare = w.strip(",.:;()")
        if bare.casefold() in _CLAUSE_WORDS:
            return False
        if is_verb(bare):
            return True
    return False


#: the endings of a noun's definite form ("nämnden", "arbetet", "förvaltningarna")
_DEFINITE = ("en", "et", "na", "n")
#: words that may open a heading that asks or tells ("Så har försöket genomförts")
_HEADING_OPENERS = frozenset("så här nu hur varför vad vem vilka vilken när var vart därför".split())
#: the kind of a document that calls a meeting, standing as its title
_KALLELSE = re.compile(r"(?:kallelse(?:\s+(?:med|och)\s+föredragningslista)?|föredragningslista)", re.IGNORECASE)
#: "Alingsås i september 2024", "I Stockholm den 2023-02-28": where and when a document was signed
_SIGNING_LINE = re.compile(
    r"^(?:I\s+)?[A-ZÅÄÖ][\w-]+(?:\s[A-ZÅÄÖ][\w-]+)?,?\s+(?:(?:i|den)\s+)?"
    r"(?:(?:19|20)\d\d-\d\d-\d\d|(?:\d{1,2}\s+)?(?:" + "|".join(MONTHS) + r")\s+(?:19|20)\d\d)$", re.IGNORECASE)


def _states_something(words: list[str], is_verb: Callable[[str], bool]) -> bool:
    """Does a line read as a statement: a subject and its finite verb at the start, or a
    finite verb somewhere in a line of eight words or more?"""
    bare = [w.strip(",.:;()") for w in words]
    if bare and bare[0].casefold() in _HEADING_OPENERS:
        return False
    if len(bare) >= 2 and is_verb(bare[1]):
        return True
    # "Individ- och familjenämnden beslutar": a verb after a subject in the definite form
    if any(is_verb(bare[k]) and bare[k - 1].casefold().endswith(_DEFINITE) for k in range(2, min(5, len(bare)))):
        return True
    return len(bare) >= 8 and any(is_verb(w) for w in bare[1:])


def _title_shape(text: str, is_verb: Callable[[str], bool], numbered: bool = False) -> bool:
    """The heading tests on a heading's words (a number already taken off). A numbered
    heading or agenda item may be longer and name a date ("4. Ekonomisk uppföljning per den
    30 september 2013"): its number already says it is one."""
    # Any one test below rules a line out, so their order does not change the answer:
    # the cheap length and character tests come first, as most lines are body text that
    # fails one of them, and the regular expressions only see the few lines left.
    limit = 2 * MAX_HEADING_CHARS if numbered else MAX_HEADING_CHARS
    if len(text) < 2 or len(text) > limit or text[-1] in ".,;:!–-":
        return False
    first = text[0]
    if not first.isalpha() or not first.isupper():
        return False
    words = text.split()
    if len(words) > (2 * MAX_HEADING_WORDS if numbered else MAX_HEADING_WORDS):
        return False
    if _FIELD.search(text):
        return False  # "Label: value" is a field, not a heading
    if _LIST_ITEM.match(text) or _NOT_HEADING.search(text):
        return False
    date = DATE.search(text)
    if date and not numbered and len((text[:date.start()] + text[date.end():]).split()) < 3:
        return False  # a date line, "Datum 2022-09-28"; not "Sekretess efter den 30 juni 2009"
    if OPEN_END.search(text) or _ORGANISATION.match(text) or MUNICIPALITY_NAME.fullmatch(text):
        return False  # goes on in the next line; a signature, a municipality's name
    if _SIGNING_LINE.match(text) or len(_cells_of(text)) > 1:  # "Alingsås i september 2024"; a table's row
        return False
    # a numbered line is a list item when it says something ("1. Nämnden godkänner
    # rapporten"); a line of its own is a sentence when a subject and its verb open it
    # ("Socialnämnden föreslås besluta", "Insatsen innehåller") or a long one has a verb,
    # but a heading may ask or tell ("Så har försöket genomförts", "Vad händer nu?")
    if numbered:
        return not _sentence_like(words, is_verb)
    return not _states_something(words, is_verb)


def _is_label(text: str, is_verb: Callable[[str], bool]) -> bool:
    """"Beslutsunderlag:", "Ärendets beredning:": a short label ending in a colon that
    titles the block below, not the lead-in of a sentence ("Nämnden beslutar:")."""
    if not text.endswith(":") or text.endswith("::"):
        return False
    body = text[:-1].rstrip()
    return 0 < len(body.split()) <= 6 and _title_shape(body, is_verb) and not _sentence_like(body.split(), is_verb)


def _is_toc_entry(text: str) -> bool:
    return bool(_TOC_ENTRY.search(text)) and not DATE.search(text)


@dataclass
class _Candidate:
    strong: bool
    number: Numbering | None = None
    row: bool = False  # a line of several columns
    end: int | None = None  # where the heading ends in its line, if before the line's end (a row's columns)


#: a column of a line: words one space apart
_CELL = re.compile(r"[^ \t]+(?: [^ \t]+)*")


def cells(text: str) -> list[tuple[int, str]]:
    """A line's columns (split at two spaces or more, or a tab) and the column each begins
    at, a tab counted as two spaces (finders/metadata.py reads a row of values under a
    row of labels by these columns)."""
    return [(m.start(), m.group()) for m in _CELL.finditer(text.replace("\t", "  "))]


def _cells_of(text: str) -> list[str]:
    """A line's columns: its text split at two spaces or more, or a tab."""
    return [c for _, c in cells(text)]


def _first_cells_end(text: str, cells: int) -> int:
    """Where the first ``cells`` columns of a line end."""
    spans = [m.end() for m in _CELL.finditer(text)]
    return spans[min(cells, len(spans)) - 1] if spans else len(text)


def _is_letterhead_label(text: str) -> bool:
    """A letterhead or protokoll label, or a row of them ("Datum      Diarienummer"), or a
    row with one ("Individ- och familjenämnden      Sammanträdesdatum"), or the addressee
    ("Till Socialnämnden")."""
    v = _vocabulary()
    labels = v.labels
    if text.endswith(":") and v.subject.match(text):
        return True  # "Ärende:" over the subject line
    columns = _cells_of(text)
    if len(columns) > 1:  # a row of a table's heads is no heading either
        return any(normalise_heading(c) in labels or is_known_heading(c) for c in columns)
    return all(normalise_heading(c) in labels for c in columns) or bool(ADDRESSEE.match(text))


def _candidate(line: Line, hints: dict[str, int], is_verb: Callable[[str], bool]) -> _Candidate | None:
    text = line.text
    if text in hints:
        return _Candidate(True)
    if _is_letterhead_label(text):
        return None
    if is_known_heading(text):
        return _Candidate(True)
    num = numbering(text)
    if num is not None and num.kind == "decimal":
        cells = _cells_of(text)
        width = 1  # columns the number and its title take
        if numbering(cells[0]) is None and len(cells) > 1:  # "1.  Upprop": the number in a cell of its own
            cells = [cells[0] + " " + cells[1]] + cells[2:]
            width = 2
        if len(cells) > 1:
            # a row with more columns: an agenda row with the proposal beside it ("2.  Val
            # av justerare      Utses"), or its number and dnr with the title below ("5.
            # KS2011/0187     Enligt förvaltningen"); a row of a table if rows like it stand
            # above or below (checked by the caller)
            first = numbering(cells[0])
            if first is not None and DNR_VALUE.fullmatch(first.rest):
                return _Candidate(True, Numbering("agenda", num.path, first.rest), row=True,
                                  end=_first_cells_end(text, width - 1) if width > 1 else len(text.split()[0]))
            if first is not None and _title_shape(first.rest, is_verb, True):
                return _Candidate(True, first, row=True, end=_first_cells_end(text, width))
            return None
        num = numbering(cells[0]) or num
    if num is not None:
        if num.kind == "agenda":
            rest = num.rest
            if (not rest or _DNR_ONLY.match(rest) or DNR_VALUE.fullmatch(rest) or _title_shape(rest, is_verb, True)
                    or is_known_heading(rest)):
                return _Candidate(True, num)
            return None
        if _is_toc_entry(text):
            return None
        if _title_shape(num.rest, is_verb, True) or is_known_heading(num.rest) or (
                num.rest.endswith(":") and _is_label(num.rest, is_verb)):
            return _Candidate(True, num)
        return None
    if _is_label(text, is_verb):
        return _Candidate(True)
    if _title_shape(text, is_verb):
        return _Candidate(_is_upper_heading(text))
    return None


_NAME_WITH_ROLE = re.compile(r"^[A-ZÅÄÖ][a-zåäöéü]+(?:[ -][A-ZÅÄÖ][a-zåäöéü]+){1,3},\s*[a-zåäö][\wåäö ]*$")
# "Anna Berg (S)", "Lars-Erik Holm (KD), ordförande": a member of the nämnd and the party
_NAME_WITH_PARTY = re.compile(r"^[A-ZÅÄÖ][\wåäöéü-]+(?:\s+[A-ZÅÄÖ][\wåäöéü-]+){1,3}\s+\([A-ZÅÄÖ][A-ZÅÄÖa-zåäö]{0,3}\)(?:,.*)?$")


def _looks_like_person_name(text: str, is_place: Callable[[str], bool]) -> bool:
    if _NAME_WITH_ROLE.match(text) or _NAME_WITH_PARTY.match(text):
        return True  # "Anna Berg, enhetschef": a signature line
    words = text.replace(",", " ").split()
    if not 2 <= len(words) <= 4 or text.isupper():
        return False
    return all(w[0].isupper() and w[1:].islower() or ("-" in w and w[0].isupper()) for w in words) and not is_place(text)


# -- the title ---------------------------------------------------------------------------------

#: an addressee line: "Till Socialnämnden", "TILL KOMMUNSTYRELSEN" (finders/metadata.py reads
#: the name after it)
ADDRESSEE = re.compile(r"^(?:Till|TILL)\s+(?P<rest>\S.*)$")
_CONTACT = re.compile(r"@|\+?\d[\d -]{5,}\d|\b(?:box|tel|telefon|tfn|fax|e-post|mobil)\b|\b\d{3} ?\d{2}\b", re.I)
_DNR_LINE = re.compile(r"^(?:dnr|diarienummer|diarienr|ärendenummer|beteckning|vår beteckning|vår referens|er referens)\b"
                       r"|^[A-ZÅÄÖ]{1,8}[ -]?\d{2,4}[-/:.]\d{1,6}(?:[-/.]\d{1,6})?$", re.I)
# "Avdelningen för individ- och familjeomsorg", "Nämnden för arbete och välfärd", "Ekonomi- och
# kvalitetsavdelningen", "Individ- och familjeomsorgen": units of the organisation
_UNIT_LINE = re.compile(r"^(?:avdelning(?:en)?|enhet(?:en)?|sektion(?:en)?|staben?|kansli(?:et)?|område(?:t)?|"
                        r"verksamhetsområde(?:t)?|förvaltning(?:en)?|kontoret|nämnden)\s+(?:för|inom)\s"
                        r"|^[\w\- ]{0,40}(?:avdelning|enhet|sektion|stab|kansli|kontor|omsorg|förvaltning|nämnd|"
                        r"styrelse|utskott|verksamhet)(?:en|et|n)?$", re.I)
# a municipality's name, or a unit of it: "Umeå kommun", "Lunds kommuns socialförvaltning"
_MUNICIPALITY_LINE = re.compile(MUNICIPALITY_NAME.pattern + r"(?:s \w+)?")


def _letterhead_line(line: Line, is_place: Callable[[str], bool]) -> bool:
    """A line of the letterhead: a label, a field, a date, a number, a contact, a name, the
    förvaltning or the addressee, a unit, a word or two."""
    text = line.text
    v = _vocabulary()
    first_word = normalise_heading(text.split()[0])
    return (len(line.words) < 3 or normalise_heading(text) in v.labels or _is_letterhead_label(text)
            or (first_word in v.labels and (_FIELD.search(text) or len(line.words) <= 4))
            or _NOT_HEADING.search(text) is not None or DATE.search(text) is not None
            or _LIST_ITEM.match(text) is not None or _CONTACT.search(text) is not None
            or _DNR_LINE.search(text) is not None or ADDRESSEE.match(text) is not None
            or _ORGANISATION.match(text) is not None or _MUNICIPALITY_LINE.fullmatch(text) is not None
            or _FIELD.search(text) is not None or _UNIT_LINE.match(text) is not None
            or any(_looks_like_person_name(cell, is_place) for cell in _cells_of(text))
            or text.startswith(("(", "[", "{"))
            or (len(line.words) < 4 and not text.isupper() and not any(w[:1].islower() for w in line.words[1:])))


def find_title(lines: list[Line | None], limit: int = 40,
               is_place: Callable[[str], bool] = lambda s: False,
               is_verb: Callable[[str], bool] = lambda s: False) -> tuple[int, int] | None:
    """Index range of the title lines: the subject line that follows the letterhead.

    The letterhead (labels and their values, names, contacts, dates, numbers, the
    förvaltning, the addressee) stands before the first heading; the title is the first
    substantial line after its last line, or, where the letterhead goes on below the title
    (a dnr under it), the last substantial line among it."""
    v = _vocabulary()
    seen = 0
    for i, line in enumerate(lines):  # "Ärende: Socialsekreterare hos polisen" names it
        if line is None:
            continue
        seen += 1
        if seen > limit:
            break
        m = v.subject.match(line.text)
        if m:
            if m.group("rest"):
                return i, i
            k = next((k for k in range(i + 1, min(len(lines), i + 3)) if lines[k] is not None), None)
            if k is not None and not is_known_heading(lines[k].text):
                j = k
                while j + 1 < len(lines) and j - k < 2 and _continues(lines[j], lines[j + 1]):
                    j += 1
                return k, j
    for i, line in enumerate(lines[:limit]):  # a kallelse has no subject line: its kind is its title
        if line is not None and _KALLELSE.fullmatch(line.text):
            return i, i
    region: list[int] = []
    for i, line in enumerate(lines):
        if line is None:
            continue
        text = line.text
        num = numbering(text)
        if is_known_heading(text) or (num is not None and (num.kind == "agenda" or (num.rest and num.kind != "roman"))):
            break
        if text.endswith((".", ":")) and (len(line.words) > 12 or (
                text.endswith(".") and _states_something(line.words, is_verb))):
            break  # body text (a long line, a sentence): the title, if any, stood above
        region.append(i)
        if len(region) >= limit:
            break
    if not region:
        return None
    letterhead = [_letterhead_line(lines[i], is_place) for i in region]
    substantial = [not lh and not _is_toc_entry(lines[i].text) for i, lh in zip(region, letterhead)]
    last = max((k for k, lh in enumerate(letterhead) if lh), default=-1)
    after = [k for k in range(last + 1, len(region)) if substantial[k]]
    before = [k for k in range(0, last + 1) if substantial[k]]
    runs = sum(1 for k in range(len(region)) if substantial[k] and (k == 0 or not substantial[k - 1]))
    if runs >= 3:
        k = substantial.index(True)  # a form: labels and values in turn; the first value names it
    elif after:
        k = after[0]
    elif before:
        k = before[-1]
        # a title hard-wrapped over two lines: take its first line
        while k > 0 and substantial[k - 1] and region[k - 1] == region[k] - 1 and lines[region[k]].text[:1].islower():
            k -= 1
    else:
        return None
    i = j = region[k]
    # a title hard-wrapped over two lines continues in lower case, or in upper case after an
    # upper-case line that ends in a word that needs a next one ("… ANVÄNDNING AV")
    while j + 1 < len(lines) and j - i < 2 and _continues(lines[j], lines[j + 1]):
        j += 1
    return i, j


def _continues(line: Line, nxt: Line | None) -> bool:
    """Does a title or heading wrapped at ``line`` go on in ``nxt``? It does where ``nxt``
    begins in lower case, or ``line`` ends in a word that needs another ("… mellan",
    "… ANVÄNDNING AV") and ``nxt`` is no heading of its own."""
    if (nxt is None or _is_letterhead_label(nxt.text) or is_known_heading(nxt.text) or numbering(nxt.text)
            or _LIST_ITEM.match(nxt.text)):
        return False
    if nxt.text[:1].islower():
        return True
    return bool(OPEN_END.search(line.text)) and (not line.text.isupper() or nxt.text.isupper())


# -- the table of contents ------------------------------------------------------------------------

def _contents_lines(lines: list[Line | None]) -> set[int]:
    """Lines of a table of contents: after "Innehåll(sförteckning)", its entries (numbered
    lines, lines ending in a page number or a filler) up to the first line that is none,
    or the first entry's heading met again, where the body begins."""
    v = _vocabulary()
    out: set[int] = set()
    for i, line in enumerate(lines):
        if line is None or normalise_heading(line.text) not in v.contents:
            continue
        first: str | None = None
        for k in range(i + 1, min(len(lines), i + 120)):
            entry = lines[k]
            if entry is None:
                continue
            key = _entry_key(entry.text)
            if first is not None and key == first:
                break  # the body begins with the first chapter
            numbered = numbering(entry.text) is not None
            if not (numbered or _is_toc_entry(entry.text) or entry.text.endswith("_")) or entry.text.endswith("."):
                break
            first = first or key
            out.add(k)
    return out


def _entry_key(text: str) -> str:
    """A contents entry or a heading as the two are compared: no number, no page number,
    no filler."""
    text = _TOC_ENTRY.sub("", text).rstrip(" ._-")
    num = numbering(text)
    if num is not None and num.rest:
        text = num.rest
    return normalise_heading(text)


# -- segmentation --------------------------------------------------------------------------------

def segment(text: str, hints: dict[str, int] | None = None,
            is_district: Callable[[str], bool] | None = None,
            lines: list[Line | None] | None = None,
            is_verb: Callable[[str], bool] | None = None) -> Segmentation:
    """Find title, headings and sections in cleaned ``text``.

    ``is_district`` tells district names (sub-headings, never person names);
    ``is_verb`` finite verbs (sentences are no headings)."""
    hints = hints or {}
    is_district = is_district or (lambda s: False)
    is_verb = is_verb or (lambda s: False)
    v = _vocabulary()
    lines = lines if lines is not None else split_lines(text)
    title_range = find_title(lines, is_place=is_district, is_verb=is_verb)
    first_body = title_range[1] + 1 if title_range else 0
    title = title_span = None
    if title_range:
        tl = [lines[k] for k in range(title_range[0], title_range[1] + 1)]
        title = " ".join(l.text for l in tl)
        title_span = (tl[0].start, tl[-1].end)

    if _is_flattened(lines):
        headings = _inline_headings(text, lines, title_span, is_verb, is_district)
        if title is None and headings:
            title_span = _inline_title(text, headings[0].start)
            title = text[title_span[0]:title_span[1]] if title_span else None
        return Segmentation(title, title_span, headings, build_sections(text, headings), flattened=True)

    contents = _contents_lines(lines)
    indexed = [(i, l) for i, l in enumerate(lines) if l is not None and i >= first_body and i not in contents]
    wrap = _wrap_width(lines)
    # three independent tests, cheapest first: most lines run on from the line before
    candidate: dict[int, _Candidate | None] = {}
    for i, l in indexed:
        c = None
        if _stands_alone(lines, i, hints, wrap):
            c = _candidate(l, hints, is_verb)
            if c is not None and c.number is None and _looks_like_person_name(l.text, is_district):
                c = None
        candidate[i] = c
    for i, c in list(candidate.items()):
        # a row among rows of several columns is a table's, not an agenda item
        if c is not None and c.row and any(
                0 <= k < len(lines) and lines[k] is not None and len(_cells_of(lines[k].text)) > 1 for k in (i - 1, i + 1)):
            candidate[i] = None
    _drop_list_items(lines, indexed, candidate)

    # Decide from the end: a candidate is a heading if body text follows it, or if it is
    # strong (known vocabulary, a layout heading, upper case, numbered, a label) and
    # another heading follows it.
    is_heading: dict[int, bool] = {}
    next_is: str | None = None  # "heading" | "body" | None (end of text)
    for i, line in reversed(indexed):
        c = candidate[i]
        if c is not None and (next_is == "body" or (c.strong and next_is in ("heading", None))):
            is_heading[i] = True
            next_is = "heading"
            continue
        is_heading[i] = False
        next_is = "body"

    headings: list[Heading] = []
    prev_was_heading = False
    container_level = 0  # >0 while known sub-headings sit under a parent
    numbered_depth = 0    # depth of the last numbered heading (decimal), 0 before any
    in_agenda = False     # inside an agenda item: its own headings are level 2
    skip: set[int] = set()
    heading_lines: list[int] = []
    for i, line in indexed:
        if i in skip or not is_heading.get(i):
            prev_was_heading = False if i not in skip else prev_was_heading
            continue
        heading, start, end = line.text, line.start, line.end
        if candidate[i] is not None and candidate[i].end is not None:
            heading = line.text[:candidate[i].end]
            end = start + candidate[i].end
        norm = normalise_heading(heading)
        num = candidate[i].number if candidate[i] else None
        if num is not None and num.kind == "agenda":
            level, container_level, numbered_depth, in_agenda = 1, 0, 0, True
            title_line = _agenda_title(lines, i, num)
            if title_line is not None:
                k, t = title_line
                parts = [t.text]
                while k + 1 < len(lines) and len(parts) < 3 and _continues(lines[k], lines[k + 1]):
                    k += 1
                    parts.append(lines[k].text)
                heading = _agenda_heading(heading) + " " + " ".join(parts)
                end = lines[k].end
                skip.update(range(i + 1, k + 1))
        elif num is not None and num.kind == "decimal":
            level = len(num.path)
            numbered_depth, container_level, in_agenda = level, 0, False
        elif num is not None:  # roman
            level, container_level, numbered_depth, in_agenda = 1, 0, 1, False
        elif _all_places(heading, is_district) and headings:
            level = max(2, hints.get(heading, 2))
        elif heading in hints:
            level = hints[heading]
        elif in_agenda:
            level = 2
        elif norm in v.end_matter:
            level, container_level, numbered_depth = 1, 0, 0
        elif prev_was_heading and headings and is_known_heading(headings[-1].text):
            level = headings[-1].level + 1
            container_level = level
        elif container_level and is_known_heading(heading):
            level = container_level
        elif numbered_depth and not (norm in v.top and numbered_depth == 1):
            level = numbered_depth + 1  # an unnumbered sub-heading of a numbered chapter
        else:
            level, container_level = 1, 0
        headings.append(Heading(heading, level, start, end))
        heading_lines.append(i)
        prev_was_heading = True

    agenda = [h for h, i in zip(headings, heading_lines) if candidate[i] and candidate[i].number
              and candidate[i].number.kind == "agenda"]
    if len(agenda) == 1 and title is None:
        # a protokollsutdrag: its one item's title is the document's
        item = agenda[0]
        words = numbering(item.text)
        if words is not None and words.rest and not (_DNR_ONLY.match(words.rest) or DNR_VALUE.fullmatch(words.rest)):
            title = words.rest
            title_span = (item.end - len(title), item.end)
    return Segmentation(title, title_span, headings, build_sections(text, headings))


def _drop_list_items(lines: list[Line | None], indexed: list[tuple[int, Line]],
                     candidate: dict[int, _Candidate | None]) -> None:
    """Numbered candidates that are list items, not headings: those outside the document's
    heading numbering, and those in the block of a list heading ("Bilagor")."""
    v = _vocabulary()
    decimal = [(i, c.number.path) for i, c in ((i, candidate[i]) for i, _ in indexed)
               if c is not None and c.number is not None and c.number.kind == "decimal"]
    chain = _heading_chain([p for _, p in decimal])
    for k, (i, _) in enumerate(decimal):
        if k not in chain:
            candidate[i] = None
    # The block of a list heading runs over its items: numbered or marked lines and the
    # lines that continue them in lower case, and, under headings whose lists have no marks
    # ("Beslutet skickas till", "Beslutsplanering"), the lines up to the next known heading.
    list_block = False
    unmarked = False
    for i, line in indexed:
        norm = normalise_heading(line.text)
        if norm in v.list_heads:
            list_block, unmarked = True, norm in v.unmarked_lists
            continue
        if not list_block:
            continue
        num = numbering(line.text)
        if num is not None and num.kind == "decimal":
            candidate[i] = None
        elif unmarked and not is_known_heading(line.text) and (num is None or num.kind != "agenda"):
            candidate[i] = None
        elif not (_LIST_ITEM.match(line.text) or line.text[:1].islower()):
            list_block = False


def _agenda_heading(text: str) -> str:
    """The item's number without a dnr beside it: "SN § 45   Dnr SN 2023/145" → "SN § 45",
    "5.  KS2011/0187   Enligt förvaltningen" → "5."."""
    m = re.search(r"\s{2,}|\t|\s(?=(?:dnr|diarienummer|diarienr)\b)", text, re.I)
    return text[:m.start()].strip() if m else text


def _agenda_title(lines: list[Line | None], i: int, num: Numbering) -> tuple[int, Line] | None:
    """The title line of an agenda item whose number stands on a line of its own (perhaps
    with its dnr, or with the dnr on the line below)."""
    if num.rest and not (_DNR_ONLY.match(num.rest) or DNR_VALUE.fullmatch(num.rest)):
        return None
    for k in range(i + 1, min(len(lines), i + 4)):
        line = lines[k]
        if line is None:
            continue
        if _DNR_ONLY.match(line.text) or _DNR_LINE.match(line.text):
            continue
        if line.text[:1].isupper() and len(line.words) <= 2 * MAX_HEADING_WORDS and not line.text.endswith("."):
            return k, line
        return None
    return None


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
    # after a blank line, a line that ends a sentence (PDF text without blank lines), or a
    # heading that needs no text of its own ("Ärendet" over "Bakgrund")
    if prev is not None and not (prev.text.endswith((".", "!", "?", ":")) or _is_upper_heading(line.text)
                                 or numbering(line.text) is not None or is_known_heading(prev.text)):
        return False
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    if nxt is not None:
        if nxt.text[:1].islower() and not _LIST_ITEM.match(nxt.text):
            return False  # the sentence runs on (a list of "a) …" items does not)
        if wrap and len(line.text) >= 0.6 * wrap and not is_known_heading(line.text) and numbering(line.text) is None:
            return False  # a full-width first line of a wrapped paragraph
    return True


def heading_parts(text: str) -> list[str]:
    """The names a heading joins: "Kungsholmen/Norra innerstaden", "Farsta och Skarpnäck"."""
    return [p.strip() for p in re.split(r"/|,| och ", text) if p.strip()]


def _all_places(text: str, is_district: Callable[[str], bool]) -> bool:
    parts = heading_parts(text)
    return bool(parts) and all(is_district(p) for p in parts)


# -- flattened text ----------------------------------------------------------------------------------

def _is_flattened(lines: list[Line | None]) -> bool:
    """Most of the text stands in a few very long lines: its line breaks were lost."""
    present = [l for l in lines if l is not None]
    total = sum(len(l.text) for l in present)
    long = sum(len(l.text) for l in present if len(l.text) >= FLATTENED_LINE)
    return total > 0 and long >= 0.6 * total


@lru_cache(maxsize=1)
def _known_heading_pattern() -> re.Pattern:
    """The known headings as words in running text, longest first, capitalised as a
    heading is ("Förvaltningens synpunkter", "BAKGRUND")."""
    data = load_json("headings.json")
    names = set()
    for name in data["top_level"] + data["end_matter"]:
        name = name.rstrip(":")
        names.update({name, name.upper()})
    return re.compile(r"(?:" + trie_pattern(names) + r")(?=:?\s)")


# a sentence ends; what follows may be a heading: ". ", "? ", "! ", ": " or the text's start
_BOUNDARY = re.compile(r"(?:^|(?<=[.!?:])\s+|(?<=[.!?:][\"”»)])\s+)")
_INLINE_NUMBER = re.compile(r"(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?=[A-ZÅÄÖ])")
_CAPITALISED = re.compile(r"[A-ZÅÄÖ][\wåäöéü-]*")


def _inline_headings(text: str, lines: list[Line | None], title_span: tuple[int, int] | None,
                     is_verb: Callable[[str], bool], is_place: Callable[[str], bool]) -> list[Heading]:
    """Headings inside the long lines of a flattened text, each followed by the capitalised
    word that starts the text under it:

    - a known heading, capitalised as a heading is, after the end of a sentence, a date or
      a number, a word in lower case, or another heading ("… i riskzon Förslag till
      beslut Socialnämnden …", "Ärendet Bakgrund Sedan …");
    - a number and the words of its title ("3.1 Barn och unga Under perioden …"), kept
      where the numbers follow a document's heading numbering;
    - after the end of a sentence, a short noun phrase of its own ("… i juli. Samverkan med
      polisen Förvaltningen har …"): no finite verb in it, one in the sentence after."""
    known = _known_heading_pattern()
    v = _vocabulary()
    found: list[tuple[int, int, Optional[tuple[int, ...]]]] = []
    for line in lines:
        if line is None:
            continue
        t = line.text
        sentence_starts = {b.end() for b in _BOUNDARY.finditer(t)}
        heading_end = -1  # where the last heading found in this line ends
        prev_end = 0  # where the token before ends
        for tok in _TOKEN.finditer(t):
            pos = tok.start()
            # the last characters before the token (a flattened text is one long line:
            # never the whole line before it)
            before_end, prev_end = prev_end, tok.end()
            if pos < heading_end or (title_span and line.start + pos < title_span[1]):
                continue
            after_sentence = pos in sentence_starts
            before = t[max(0, before_end - 2):before_end]
            after_heading = heading_end >= 0 and before_end > 0 and line.start + before_end <= found[-1][1]
            m = known.match(t, pos)
            if m and _sentence_starts(t, m.end()) and normalise_heading(m.group()) not in v.labels and (
                    after_sentence or after_heading or _ends_run_on(before)) and not _caps_run_on(t, m):
                end = m.end()
                year = _YEAR_AFTER.match(t, end)  # "Resultat 2020 Under året …"
                if year and _sentence_starts(t, year.end()):
                    end = year.end()
                found.append((line.start + pos, line.start + end, None))
                heading_end = end
                continue
            n = _INLINE_NUMBER.match(t, pos)
            if n and (after_sentence or after_heading or _ends_run_on(before)):
                end = _title_end(t, n.end(), is_verb)
                if end is not None and normalise_heading(t[n.end():end]) not in v.labels:
                    path = tuple(int(p) for p in n.group("num").split("."))
                    found.append((line.start + pos, line.start + end, path))
                    heading_end = end
                    continue
            if after_sentence and not before[-2:-1].isdigit():  # "2. Överenskommelse …": a list's item
                end = _phrase_heading_end(t, pos, is_verb, is_place)
                if end is not None:
                    found.append((line.start + pos, line.start + end, None))
                    heading_end = end
    # numbers must follow the heading numbering (the contents' entries and lists do not),
    # from 1 and more than one: "753 75 Uppsala" holds a number and a name, not a chapter
    numbered = [k for k, f in enumerate(found) if f[2] is not None]
    chain = sorted(_heading_chain([found[k][2] for k in numbered]))
    if len(chain) < 2 or found[numbered[chain[0]]][2][0] != 1:
        chain = []
    keep = {numbered[k] for k in chain} | {k for k, f in enumerate(found) if f[2] is None}
    headings = []
    depth = 0
    for k, (start, end, path) in enumerate(found):
        if k not in keep:
            continue
        if path is not None:
            depth = len(path)
            level = depth
        else:
            key = normalise_heading(text[start:end])
            level = 1 if key in v.top or key in v.end_matter or not depth else depth + 1
        headings.append(Heading(text[start:end], level, start, end))
    return headings


_TOKEN = re.compile(r"\S+")
_YEAR_AFTER = re.compile(r" (?:19|20)\d\d(?:[–-](?:19|20)?\d\d)?(?=\s)")


def _ends_run_on(before: str) -> bool:
    """Does the text before a capitalised known heading end where a heading may follow
    without a full stop: a word in lower case, a number or a date, a closing bracket?"""
    last = before[-1:] if before else ""
    return not before or last.islower() or last.isdigit() or last in ")]”\""


def _caps_run_on(text: str, m: re.Match) -> bool:
    """Is an upper-case known heading the first word of a longer upper-case phrase ("YTTRANDE
    ÖVER REMISS …": a title), not a heading of its own?"""
    if not m.group().isupper():
        return False
    nxt = _TOKEN.search(text, m.end())
    return bool(nxt) and nxt.group().isupper() and nxt.group().isalpha() and len(nxt.group()) > 1 and (
        _known_heading_pattern().match(text, nxt.start()) is None)


def _phrase_heading_end(text: str, pos: int, is_verb: Callable[[str], bool],
                        is_place: Callable[[str], bool]) -> int | None:
    """Where a short heading of unknown words that begins at ``pos`` ends, if one does: two
    to six words, the first capitalised and the rest not, no finite verb among them, then
    a capitalised word (no acronym, no place) that begins a sentence with a finite verb
    soon. One word alone is left out: "Barnahus Gävleborg har …" names something."""
    words = list(_TOKEN.finditer(text, pos, min(len(text), pos + 160)))
    if len(words) < 4 or not words[0].group()[:1].isupper():
        return None
    for k in range(1, min(7, len(words) - 1)):
        w = words[k].group()
        if not w[:1].isupper():
            if not w.isalpha():
                return None  # punctuation, numbers: a sentence, not a heading
            continue
        if k < 2 or not (w[1:2].islower() or w[1:2] == ""):
            return None  # one word alone, or an acronym after it ("SIG-samordnare")
        phrase = text[pos:words[k - 1].end()]
        head = [x.group() for x in words[:k]]
        following = [x.group().strip(",.:;") for x in words[k:k + 4]]
        if (is_place(w.strip(",.:;")) or OPEN_END.search(phrase) or any(is_verb(x) for x in head)
                or not any(is_verb(x) for x in following[1:]) or not _title_shape(phrase, is_verb)):
            return None
        return words[k - 1].end()
    return None


# what a flattened letterhead holds before its subject line: dates, numbers and codes,
# addresses, labels, nämnder and förvaltningar, the municipality
_LETTERHEAD_THING = re.compile(
    r"(?<!\S)(?!(?:19|20)\d\d(?:[–-](?:19|20)?\d\d)?(?!\S))\S*\d\S*(?: \d+)*|\S+@\S+"
    r"|(?<!\S)[A-ZÅÄÖ]\S*(?:nämnd|NÄMND|förvaltning|FÖRVALTNING|kontor|KONTOR)\S*"
    r"(?: (?:för|FÖR|i) [^A-ZÅÄÖ]\S*(?: \S+){0,3}?)?(?= [A-ZÅÄÖ])|(?:kommun|KOMMUN|stad|Stad|STAD)\b")


def _inline_title(text: str, first_heading: int) -> tuple[int, int] | None:
    """The subject line of a flattened letterhead: of the stretches of words between its
    fields (dates, numbers, labels, the names of the organisation and, near the start,
    of the municipality) before the first heading, the last of three words or more that
    opens with a capital ("… Diarienummer SBN-2008-0214 Socialnämnden för barn och unga
    Överenskommelse om samverkan … i riskzon Förslag till beslut")."""
    head = text[:first_heading]
    v = _vocabulary()
    blocked: list[tuple[int, int]] = []
    tokens = list(_TOKEN.finditer(head))
    seventh = tokens[6].start() if len(tokens) > 6 else len(head)  # past the letterhead's first words
    for m in _LETTERHEAD_THING.finditer(head):
        if m.group(0).casefold() in ("kommun", "stad") and m.start() > seventh:
            continue  # "Stockholms stad" inside the subject line, not the letterhead's municipality
        blocked.append(m.span())
    for k, m in enumerate(tokens):
        word = m.group()
        if not word[:1].isupper() or normalise_heading(word) not in v.labels:
            continue
        if word.isupper() and k + 1 < len(tokens) and tokens[k + 1].group().isupper():
            continue  # "FÖRSLAG TILL BOSTADSFÖRSÖRJNINGSPROGRAM": a word of an upper-case title
        blocked.append(m.span())
    blocked.sort()
    stretches, pos = [], 0
    for a, b in blocked + [(len(head), len(head))]:
        if a > pos:
            stretches.append((pos, a))
        pos = max(pos, b)
    for a, b in reversed(stretches):
        piece = head[a:b]
        start = a + len(piece) - len(piece.lstrip(" ,:;–-\n\t"))
        end = a + len(piece.rstrip(" ,:;–-\n\t"))
        words = head[start:end].split()
        if 3 <= len(words) <= 3 * MAX_HEADING_WORDS and words[0][:1].isupper():
            return start, end
    return None


def _sentence_starts(text: str, pos: int) -> bool:
    """After the heading, a sentence begins: a capitalised word (or a number, a list)."""
    rest = text[pos:pos + 40].lstrip(" :")
    return bool(rest) and (rest[0].isupper() or rest[0].isdigit() or rest[0] in "-–•\"”")


def _title_end(text: str, pos: int, is_verb: Callable[[str], bool]) -> int | None:
    """Where a numbered heading's title ends in running text: before the first capitalised
    word after its first (the next sentence), within the length of a heading."""
    words = list(re.finditer(r"\S+", text[pos:pos + 200]))
    if not words:
        return None
    end = None
    for k, w in enumerate(words[:MAX_HEADING_WORDS + 1]):
        token = w.group()
        if k > 0 and (token[0].isupper() or token[0].isdigit() or token[0] in "-–•"):
            end = pos + words[k - 1].end()
            break
        if token.endswith((".", ",", ";", "?", "!")):
            return None  # a sentence, not a title
    if end is None:
        return None
    title = text[pos:end]
    return end if _title_shape(title, is_verb) else None


# -- the tree ----------------------------------------------------------------------------------------

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
