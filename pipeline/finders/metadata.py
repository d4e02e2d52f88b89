"""Document metadata from the letterhead and the text: date, diarienummer, nämnd,
förvaltning, municipality, handläggare.

The letterhead is what stands before the first heading. Its fields are read in the
forms municipalities use: "Datum 2022-09-28", "Datum: 2022-09-28", a label on one line
and its value on the next, and a row of labels over a row of values ("Datum
Diarienummer" / "2022-09-28   SOCN/2022:318"). The labels of each field live in
``data/metadata.json``. A document's own date is its letterhead date (or its meeting
date, for a protokoll), never a date named in the body; its diarienummer are those of
its letterhead and of its agenda items, never a number given in a sentence to refer to
an earlier matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Optional

import regex

from pipeline.dates import DATE, parse_date
from pipeline.patterns import DNR_VALUE, trie_pattern
from pipeline.resources import load_json
from pipeline.segment import (ADDRESSEE, MUNICIPALITY_NAME, Line, Segmentation, _is_letterhead_label, _vocabulary,
                              cells, normalise_heading, split_lines)

#: nämnd and förvaltning are named near the top (addressee, proposal to decision)
TOP_CHARS = 6000
# a district named after the nämnd: "Stadsdelsnämnden i Angered", "Socialnämnden Hisingen"
# (standing last, before punctuation or the line's end)
_PLACE_AFTER = r"(?:\s+(?:i\s+)?(?P<place>[A-ZÅÄÖ][\wåäöé-]+)(?=[ \t]*(?:[,.;:\n]|$)))?"
NAMND = regex.compile(
    r"(?<![\w-])(?P<name>(?:\p{Lu}[\p{L}-]*(?:-(?: och|,)? [\p{Ll}-]+)*(?:nämnd(?:en)?|NÄMND(?:EN)?)"
    r"(?: (?:för|FÖR) [\p{L} -]+?(?=[,.:\n]|$| \p{Lu}\p{Ll}))?"
    r"|(?:Nämnden|NÄMNDEN) för [\p{Ll} -]+?(?= och [\p{Lu}]|[,.:\n]|$| \p{Lu})"
    r"|\p{Lu}[\p{L}-]*fullmäktige|\p{Lu}[\p{L}-]*FULLMÄKTIGE"
    r"|Kommunstyrelsen(?:s [\p{Ll}]+ utskott)?|KOMMUNSTYRELSEN|\p{Lu}\p{Ll}+ utskottet|\p{Lu}\p{Ll}*utskottet))"
    r"(?![\w-])" + _PLACE_AFTER)
FORVALTNING = regex.compile(
    r"(?<![\w-])(?P<name>\p{Lu}[\p{L}-]*(?:-(?: och|,)? [\p{Ll}-]+)*(?:förvaltning(?:en)?|FÖRVALTNING(?:EN)?|"
    r"kontor(?:et)?|KONTOR(?:ET)?)|(?:Förvaltningen|FÖRVALTNINGEN) för [\p{Ll} -]+?(?=[,.:\n]|$| \p{Lu}))(?![\w-])"
    + _PLACE_AFTER)
# a district before the nämnd: "Farsta stadsdelsnämnd", "Skärholmens stadsdelsförvaltning";
# as a letterhead line also "Förvaltningen social välfärd"
_NAMND_AFTER_PLACE = regex.compile(
    r"(?P<place>\p{Lu}[\p{L}-]+(?: \p{Lu}[\p{L}-]+)?) (?P<name>\p{L}*(?:nämnd|NÄMND|fullmäktige|FULLMÄKTIGE)(?:en|EN)?)")
_FORVALTNING_AFTER_PLACE = regex.compile(
    r"(?P<place>\p{Lu}[\p{L}-]+(?: \p{Lu}[\p{L}-]+)?) (?P<name>\p{L}*(?:förvaltning|FÖRVALTNING|kontor|KONTOR)(?:en|EN|et|ET)?)")
_FORVALTNING_NAMED = regex.compile(r"(?:Förvaltningen|FÖRVALTNINGEN) (?:för )?[\p{Ll}-]+(?: (?:och )?[\p{Ll}-]+){0,3}")
EMAIL_DOMAIN = re.compile(r"@([\w.-]+)\.se\b", re.I)
# Unicode letter classes (the `regex` module): officials' names are not only Swedish
# ("Đorđe Šarić", "Özlem Yıldız", "Sedina Arnaut-Biberić").
PERSON = regex.compile(r"^(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?(?:\s+(?:af\s+|von\s+|de\s+)?\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?){1,3})(?:\s*,.*)?$")
#: the letterhead is at most this many lines before the first heading
LETTERHEAD_LINES = 45


@dataclass
class MetadataMatch:
    title: Optional[str] = None
    date: Optional[str] = None
    diarienummer: list[str] = field(default_factory=list)
    namnd: Optional[str] = None
    forvaltning: Optional[str] = None
    municipality: Optional[str] = None
    handlaggare: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FieldValue:
    """One letterhead field: its kind ("date", "meeting_date", "dnr", "other_dnr",
    "handlaggare"), its value as written, the line it stands on, and its label."""

    kind: str
    value: str
    line: int
    label: str = ""

    @property
    def label_is_meeting_day(self) -> bool:
        """"Sammanträdesdatum", "Sammanträdets datum": a protokoll's own date (not a
        kallelse's "Tid", the time of a meeting still to come); ``meeting_day_labels`` of
        data/metadata.json."""
        return self.label.casefold() in _meeting_days()


#: the field kind of each label list of data/metadata.json
_LABEL_KINDS = (("date", "date_labels"), ("meeting_date", "meeting_day_labels"),
                ("meeting_date", "meeting_time_labels"), ("dnr", "dnr_labels"), ("other_dnr", "other_dnr_labels"),
                ("handlaggare", "handlaggare_labels"))


@lru_cache(maxsize=1)
def _labels() -> tuple[dict[str, str], re.Pattern]:
    data = load_json("metadata.json")
    kinds: dict[str, str] = {}
    for kind, key in _LABEL_KINDS:
        for label in data[key]:
            kinds.setdefault(label.casefold(), kind)
    pattern = re.compile(r"(?P<label>" + trie_pattern(kinds) + r")(?![\wåäö])\.?\s*:?\s*", re.IGNORECASE)
    return kinds, pattern


@lru_cache(maxsize=1)
def _meeting_days() -> frozenset[str]:
    return frozenset(label.casefold() for label in load_json("metadata.json")["meeting_day_labels"])


def _label_of(cell: str) -> tuple[str, str] | None:
    """(kind, the rest of the cell after the label) if the cell starts with a label."""
    kinds, pattern = _labels()
    m = pattern.match(cell)
    if not m:
        return None
    return kinds[m.group("label").casefold()], cell[m.end():].strip()


def letterhead_fields(lines: list[Line], last: int) -> list[FieldValue]:
    """The fields of ``lines[:last]`` (the letterhead), in the order they stand."""
    out: list[FieldValue] = []
    for i in range(min(last, len(lines))):
        labelled = [(col, cell, _label_of(cell)) for col, cell in cells(lines[i].text)]
        if not any(lab for _, _, lab in labelled):
            continue
        below = cells(lines[i + 1].text) if i + 1 < len(lines) else []
        for k, (col, cell, lab) in enumerate(labelled):
            if lab is None:
                continue
            kind, rest = lab
            label = cell[:len(cell) - len(rest)].strip(" :.") if rest else cell.strip(" :.")
            if rest:
                out.append(FieldValue(kind, rest, i, label))
            elif k + 1 < len(labelled) and labelled[k + 1][2] is None:
                out.append(FieldValue(kind, labelled[k + 1][1], i, label))  # "Datum      2022-09-28"
            elif below:
                # the value below the label: in a row of labels over a row of values, the
                # cell in the same column
                value = below[0] if len(below) == 1 else min(below, key=lambda v: abs(v[0] - col))
                out.append(FieldValue(kind, value[1], i + 1, label))
    return out


# "I Stockholm den 12 mars 2020", "Uppsala 2019-05-04", "Lund, den 4 maj 2019": a place and a date
_PLACE_DATE = re.compile(r"^(?:I\s+)?[A-ZÅÄÖ][\wåäö-]+(?:\s+[A-ZÅÄÖ][\wåäö-]+)?,?\s+(?:den\s+)?(?=\d)")


def _date_line(text: str) -> bool:
    """A line that is a date, or a place and a date."""
    m = DATE.search(text)
    if not m:
        return False
    before, after = text[:m.start()].strip(" ,"), text[m.end():].strip(" .,")
    return not after and (not before or bool(_PLACE_DATE.match(text[:m.start()] + "1")) or before.casefold() in ("den",))


def find_date(lines: list[Line], last: int, fields: list[FieldValue], flattened_head: Optional[str] = None) -> Optional[str]:
    """The document's own date, in the order documents give it: a date field of the
    letterhead ("Datum", "Utfärdat"); a protokoll's meeting date; a date standing alone in
    the letterhead (or with the place); the place and date it was signed at the end; a
    kallelse's meeting date ("Tid: tisdagen den 18 september"); any other date of the
    letterhead."""
    def first(kind: str) -> Optional[str]:
        for f in fields:
            if f.kind == kind:
                d = parse_date(f.value)
                if d:
                    return d
        return None

    found = first("date")
    if found:
        return found
    if flattened_head is not None:
        return _date_in_flattened(flattened_head)
    head = lines[:last]
    if any(f.kind == "meeting_date" and f.label_is_meeting_day for f in fields):
        found = first("meeting_date")  # a protokoll: "Sammanträdesdatum"
        if found:
            return found
    for line in head:
        if _date_line(line.text):
            return parse_date(line.text)
    for line in reversed(lines[last:]):  # signed at the end: "Stockholm den 12 mars 2020"
        if _PLACE_DATE.match(line.text) and _date_line(line.text):
            return parse_date(line.text)
    found = first("meeting_date")
    if found:
        return found
    for line in head:
        if len(line.words) <= 8:
            d = parse_date(line.text)
            if d:
                return d
    return None


def _date_in_flattened(head: str) -> Optional[str]:
    """In a text without line breaks and without a date field (see _inline_fields): a date
    right after a meeting's label ("Sammanträdesdatum 2024-03-12", "Tid den 4 maj 2019"),
    else the first date of the letterhead."""
    kinds, pattern = _labels()
    for m in pattern.finditer(head):
        if kinds[m.group("label").casefold()] != "meeting_date" or not m.group("label")[0].isupper():
            continue
        after = re.sub(r"^(?:den|Den)\s+", "", head[m.end():m.end() + 40])
        if DATE.match(after):
            return parse_date(after)
    return parse_date(head)


def _inline_fields(head: str) -> list[FieldValue]:
    """The fields of a flattened letterhead: each capitalised label and the text up to the
    next ("Handläggare Bengt Forsell Datum 2008-04-17 Diarienummer SBN-2008-0214")."""
    kinds, pattern = _labels()
    found = [m for m in pattern.finditer(head) if m.group("label")[0].isupper()
             and (m.start() == 0 or head[m.start() - 1].isspace())]
    out = []
    for k, m in enumerate(found):
        end = found[k + 1].start() if k + 1 < len(found) else min(len(head), m.end() + 80)
        value = head[m.end():end].strip(" :")
        if value:
            out.append(FieldValue(kinds[m.group("label").casefold()], value, 0, m.group("label")))
    return out


def _dnr_values(value: str) -> list[str]:
    """The diarienummer in a field's value (not a date that stands in the same cell, not a
    label read as a registry's prefix)."""
    out = []
    for m in DNR_VALUE.finditer(value):
        v = m.group()
        if DATE.search(v) or sum(ch.isdigit() for ch in v) < 3 or _label_of(v):
            continue
        out.append(v)
    return out


# ", dnr KS 2016/01622" closing a line
_REFERENCE_LINE = re.compile(r",?\s(?:dnr|Dnr|DNR|diarienummer)\.?:?\s+(?P<value>\S+(?:\s\S+)?)\s*$")
_LIST_LINE = re.compile(r"^(?:[-–•*]|[a-zåäö]\)|\d{1,2}\))\s")
_STANDALONE_DNR = re.compile(r"(?<![\w-])[A-ZÅÄÖ]{2,8}-(?:19|20)\d{2}-\d{1,6}(?![\w-])")
_AGENDA_LINE = re.compile(r"^(?:(?:[A-ZÅÄÖ]{1,6}\s+)?§\s*\d+|(?:Ärende|Punkt|ÄRENDE|PUNKT)\s+\d+|\d{1,2}\.)\s")


def find_diarienummer(lines: list[Line], last: int, fields: list[FieldValue],
                      flattened_head: Optional[str] = None) -> list[str]:
    """The document's diarienummer: its letterhead's, and those of its agenda items (a line
    that begins with the label), never one cited in a sentence."""
    found: list[str] = []
    for f in fields:
        if f.kind == "dnr":
            found += _dnr_values(f.value)
    for k, line in enumerate(lines):
        agenda = _AGENDA_LINE.match(line.text)
        if agenda:  # "§ 112        N166-0452/23", "10. KS2011/0142   Antecknas": an item's own number
            for col, cell in cells(line.text[agenda.end():]):
                if DNR_VALUE.fullmatch(cell):
                    found += _dnr_values(cell)
        if k < last:
            if DNR_VALUE.fullmatch(line.text) and not _label_of(line.text):
                found += _dnr_values(line.text)  # a number standing alone in the letterhead
            continue
        lab = _label_of(line.text)
        if lab and lab[0] == "dnr" and lab[1] and len(line.words) <= 8:
            found += _dnr_values(lab[1])
        elif _REFERENCE_LINE.search(line.text) and not DATE.search(line.text) and (
                _LIST_LINE.match(line.text) or (len(line.words) <= 10 and not line.text.endswith("."))):
            # the matter a line of a list or an item's heading names: "- Remiss från
            # kommunstyrelsen, dnr KS 2016/01622", "b) Skrivelse från IVO, dnr 8.5-2013/2241";
            # not an earlier decision ("beslut 2006-01-19, dnr 701-41236-2005")
            found += _dnr_values(_REFERENCE_LINE.search(line.text).group("value"))
        elif "  " in line.text or "\t" in line.text:  # a number beside an agenda item: "§ 45        Dnr SN 2023/145"
            for col, cell in cells(line.text)[1:]:
                lab = _label_of(cell)
                if lab and lab[0] == "dnr":
                    found += _dnr_values(lab[1])
    if flattened_head is not None:
        # "ASN-2024-19690": a registry, a year and a serial, standing alone in the letterhead
        # (its labelled numbers are among ``fields``)
        found += [m.group() for m in _STANDALONE_DNR.finditer(flattened_head)]
    return list(dict.fromkeys(found))


def _as_name(m: regex.Match, is_place: Callable[[str], bool]) -> str:
    """A nämnd's or förvaltning's name, with the district it is named for when one follows
    ("Stadsdelsnämnden i Angered", "Socialnämnden Hisingen")."""
    place = m.group("place")
    if place and is_place(place):
        return m.group(0)[:m.end("place") - m.start()]
    return m.group("name")


def _whole_line(pattern: regex.Pattern, text: str, is_place: Callable[[str], bool]) -> Optional[str]:
    """The name, where ``text`` is a nämnd or förvaltning and nothing else: "Socialnämnden",
    "Socialnämnden Hisingen", "Farsta stadsdelsnämnd", "FARSTA STADSDELSNÄMND"."""
    m = pattern.fullmatch(text)
    if m:  # standing alone, the word after the name can only be the district it is for
        return m.group(0)[:m.end("place") - m.start()] if m.group("place") else m.group("name")
    after_place = _NAMND_AFTER_PLACE if pattern is NAMND else _FORVALTNING_AFTER_PLACE
    m = after_place.fullmatch(text)
    if m:
        place = m.group("place")
        bare = place[:-1] if place.endswith(("s", "S")) else place
        if is_place(place) or is_place(bare) or is_place(bare.title()) or is_place(place.title()):
            return text
    if pattern is FORVALTNING and _FORVALTNING_NAMED.fullmatch(text):
        return text
    return None


_PROPOSAL = regex.compile(r"^Förslag till (?P<genitive>[\p{L}- ]+?)s beslut$", regex.I)


def find_namnd(text: str, lines: list[Line], last: int, is_place: Callable[[str], bool]) -> Optional[str]:
    """The nämnd the document is for: the addressee ("Till Rinkeby-Kista stadsdelsnämnd"), a
    nämnd standing alone in the letterhead, "Förslag till socialnämndens beslut", else the
    first nämnd named near the top."""
    head = lines[:last]
    for k, line in enumerate(head):
        m = ADDRESSEE.match(line.text)
        rest = m.group("rest") if m else (head[k + 1].text if line.text in ("Till", "TILL") and k + 1 < len(head) else None)
        if rest:
            rest = DATE.sub("", rest).strip(" ,")  # "Till Enskede-Årsta-Vantörs stadsdelsnämnd 2007-05-24"
            found = _whole_line(NAMND, rest[:1].upper() + rest[1:], is_place)
            if found:
                return found
    for m in _INLINE_ADDRESSEE.finditer(text, 0, TOP_CHARS // 4):  # a flattened letterhead
        found = _whole_line(NAMND, m.group("rest"), is_place)
        if found:
            return found
    for line in head:
        for _, cell in cells(line.text):
            found = _whole_line(NAMND, cell, is_place)
            if found:
                return found
    for line in lines:
        m = _PROPOSAL.match(line.text)
        if m and NAMND.fullmatch(m.group("genitive").strip()):
            name = m.group("genitive").strip()
            return name[0].upper() + name[1:]
        m = _DECISION_LEAD.search(line.text)  # "I stadsdelsnämnden Angered:" (Göteborg)
        if m:
            found = _whole_line(NAMND, m.group("body")[0].upper() + m.group("body")[1:], is_place)
            if found:
                return found
        m = _DECISION_SUBJECT.match(line.text)  # "Stadsområdesnämnd Norr föreslås besluta"
        if m:
            found = _whole_line(NAMND, m.group("body"), is_place)
            if found:
                return found
    m = NAMND.search(text, 0, TOP_CHARS)
    return _as_name(m, is_place) if m else None


#: the lead-in of a decision proposal: "I socialnämnden Nordost:", "I stadsdelsnämnden Angered:"
_DECISION_LEAD = re.compile(r"(?:^|(?<=\s))I (?P<body>[a-zåäö][\wåäö-]*(?: och [\wåäö-]+)?(?:nämnd(?:en)?|styrelsen|"
                            r"fullmäktige)(?: [A-ZÅÄÖ][\wåäö-]+)?):")
#: a decision's subject: "Stadsområdesnämnd Norr föreslås besluta", "Socialnämnden beslutar"
_DECISION_SUBJECT = re.compile(r"^(?P<body>.{3,60}?) (?:föreslås (?:att )?besluta|beslutar|har att besluta)\b")
#: an addressee inside a flattened letterhead: "… Till Enskede-Årsta-Vantörs stadsdelsnämnd 2007-05-24 …"
_INLINE_ADDRESSEE = regex.compile(r"(?<=\s)Till (?P<rest>\p{Lu}[\p{L}-]*(?: \p{L}[\p{L}-]*){0,3}?(?:nämnd(?:en)?|styrelsen|fullmäktige)(?: \p{Lu}\p{Ll}+(?=[ ,.]))?)")


_FORVALTNING_LABEL = re.compile(r"^(?:\w+)?förvaltning(?:ens)?(?:\s+namn)?\b", re.I)


def find_forvaltning(text: str, lines: list[Line], last: int, is_place: Callable[[str], bool],
                     namnd: Optional[str] = None, title: Optional[str] = None) -> Optional[str]:
    """The authoring förvaltning or kontor: a form's field, one standing alone in the
    letterhead, the department under the municipality's name (not the document's
    ``title`` standing there), the förvaltning of the nämnd the document is for, else the
    first named near the top."""
    # a form's field: "Stadsdelsförvaltningens namn, avdelning/enhet" and its value below
    for i, line in enumerate(lines[:40]):
        if _FORVALTNING_LABEL.match(line.text) and i + 1 < len(lines) and not FORVALTNING.fullmatch(line.text):
            value = lines[i + 1].text.split(",")[0].strip()
            if re.search(r"(?:förvaltning(?:en)?|kontor(?:et)?)$", value, re.I) and len(value.split()) <= 5:
                return value
    for line in lines[:last]:
        for _, cell in cells(line.text):
            found = _whole_line(FORVALTNING, cell, is_place)
            if found:
                return found
    # the department under the municipality's name: "UMEÅ KOMMUN" / "Individ- och familjeomsorgen"
    for k, line in enumerate(lines[:min(last, 6)]):
        if MUNICIPALITY_NAME.fullmatch(cells(line.text)[0][1]) and k + 1 < last:
            below = cells(lines[k + 1].text)[0][1]
            if (1 <= len(below.split()) <= 6 and below[0].isupper() and not NAMND.fullmatch(below)
                    and not _label_of(below) and not _is_letterhead_label(below) and not DATE.search(below)
                    and not any(ch.isdigit() for ch in below) and not PERSON.fullmatch(below)
                    and not (title and (title == below or title.startswith(below + " ")))):
                return below
    # the förvaltning of the nämnd the document is for, named like it ("Farsta
    # stadsdelsnämnd" → "Farsta stadsdelsförvaltning", "Socialnämnden Hisingen" →
    # "Socialförvaltningen Hisingen"), where the text names it
    if namnd and re.search(r"nämnd", namnd, re.I):
        wanted = re.sub(r"nämnd(en)?\b", lambda m: "förvaltning" + ("en" if m.group(1) else "(?:en)?"),
                        re.escape(namnd), flags=re.I)
        m = re.search(r"(?<![\w-])" + wanted + r"(?![\w-])", text, re.I)
        if m:
            return m.group()
    m = FORVALTNING.search(text, 0, TOP_CHARS)
    return _as_name(m, is_place) if m else None




_NAME_AT_START = regex.compile(r"\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?(?:\s+(?:af\s+|von\s+|de\s+)?\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?){1,3}")


def _names_in(value: str, is_place: Callable[[str], bool]) -> list[str]:
    """The people a field's value names: "Camilla Westerberg, ekonom, och Jonas Hed",
    "Jonas Ekberg Mirza Telefon 08-508 …" (a flattened letterhead runs on)."""
    labels = _vocabulary().labels
    out = []
    for part in re.split(r",|\s+och\s+|\s{2,}|\t", value):
        m = _NAME_AT_START.match(part.strip())
        if not m:
            continue
        words = m.group().split()
        while words and (normalise_heading(words[-1]) in labels or _label_of(words[-1])
                         or words[-1].casefold().endswith(_role_suffixes())):
            words.pop()  # "… Mirza Telefon", "… Wikström Sektionschef": the next field, a title
        name = " ".join(words)
        if len(words) >= 2 and not is_place(name):
            out.append(name)
    return out


@lru_cache(maxsize=1)
def _role_suffixes() -> tuple[str, ...]:
    return tuple(load_json("metadata.json")["role_suffixes"])


def find_handlaggare(lines: list[Line], last: int, fields: list[FieldValue],
                     is_place: Callable[[str], bool]) -> list[str]:
    """Named handläggare, contact persons and "Vår referens"; else the names under the
    förvaltning at the top of the letterhead."""
    names: list[str] = []
    for f in fields:
        if f.kind == "handlaggare":
            names += _names_in(f.value, is_place)
    # labels further down: a kallelse's "Föredragande: …", a form's "Kontaktperson …"
    for i, line in enumerate(lines[last:last + 200], start=last):
        lab = _label_of(line.text)
        if not lab or lab[0] != "handlaggare":
            continue
        candidates = ([lab[1]] if lab[1] else []) + [l.text for l in lines[i + 1:i + 2]]
        for cand in candidates:
            m = PERSON.match(cand)
            if m and not is_place(m.group(1)):
                names.append(" ".join(m.group(1).split()))
                break
    if names:
        return list(dict.fromkeys(names))
    # no label: person-name lines right under the authoring förvaltning in the letterhead
    head = lines[:min(last, 30)]
    for i, line in enumerate(head):
        if FORVALTNING.fullmatch(line.text):
            for nxt in head[i + 1:i + 4]:
                m = PERSON.fullmatch(nxt.text)
                if not m or is_place(nxt.text):
                    break
                names.append(m.group(1))
            break
    return names


def find_metadata(text: str, seg: Segmentation, is_place: Callable[[str], bool],
                  municipalities: dict[str, str], lines: Optional[list[Line]] = None) -> MetadataMatch:
    """Every metadata field of a cleaned text and its segmentation."""
    lines = lines if lines is not None else [l for l in split_lines(text) if l is not None]
    first_heading = seg.headings[0].start if seg.headings else len(text)
    last = sum(1 for l in lines if l.start < first_heading)
    last = min(last, LETTERHEAD_LINES)
    if last == 0:
        last = min(len(lines), 12)
    fields = letterhead_fields(lines, last)
    head = text[:min(first_heading, 1500)] if seg.flattened else None
    if head is not None:
        fields = fields + _inline_fields(head)
    namnd = find_namnd(text, lines, last, is_place)
    return MetadataMatch(
        title=seg.title,
        date=find_date(lines, last, fields, head),
        diarienummer=find_diarienummer(lines, last, fields, head),
        namnd=namnd,
        forvaltning=find_forvaltning(text, lines, last, is_place, namnd, seg.title),
        municipality=municipality_from_text(text, municipalities),
        handlaggare=find_handlaggare(lines, last, fields, is_place),
    )


def municipality_from_text(text: str, municipalities: dict[str, str]) -> Optional[str]:
    """An explicit "Linköpings kommun" / "Malmö stad", else the e-mail domain of the authority."""
    for m in _KOMMUN_STAD.finditer(text):
        before = text[max(0, m.start() - 40):m.start()]
        n = _NAME_BEFORE.search(before)
        if not n:
            continue
        name = n.group(1)
        for cand in (name, name[:-1] if name.endswith(("s", "S")) else None):  # "KARLSHAMNS KOMMUN" too
            if cand:
                for form in (cand, cand.title()):
                    if form in municipalities:
                        return municipalities[form]
    for m in EMAIL_DOMAIN.finditer(text):
        domain = m.group(1).split(".")[-1].casefold()
        for name, canonical in municipalities.items():
            if _ascii_fold(name) == domain:
                return canonical
    return None


_KOMMUN_STAD = re.compile(r"(?<=\s)(?:kommun|stad|Stad|KOMMUN|STAD)\b")
_NAME_BEFORE = re.compile(r"(?<![\w-])([A-ZÅÄÖ][\wåäöÅÄÖ]+(?:[ -][A-ZÅÄÖ][\wåäöÅÄÖ]+)?)\s+$")


def _ascii_fold(s: str) -> str:
    return (s.casefold().replace("å", "a").replace("ä", "a").replace("ö", "o").replace("é", "e")
            .replace(" ", "").replace("-", ""))
