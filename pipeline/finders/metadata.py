"""Document metadata from the header block and the text: date, diarienummer, nämnd,
förvaltning, municipality, handläggare."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

import regex

from pipeline.segment import Line, split_lines

MONTHS = {"januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
          "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12}
ISO_DATE = re.compile(r"\b((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")
LONG_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+((?:19|20)\d{2})\b", re.I)
DNR = re.compile(
    r"(?:Dnr|DNR|Diarienummer|Diarienr|Ärendenummer|Ärendenr)\.?\s*[:.]?\s*"
    r"(?P<d>(?:[A-ZÅÄÖ]{1,8}[ -]?)?\d{2,4}[-/.:]\d{1,6}(?:[-/.:]\d{1,6})?)"
)
# "ASN-2024-19690", "KS-2023-00123": a registry prefix, a year and a serial, standing alone
STANDALONE_DNR = re.compile(r"(?P<d>[A-ZÅÄÖ]{2,8}-(?:19|20)\d{2}-\d{1,6})(?![\w-])")
_YEAR_SERIAL = re.compile(r"-(?:19|20)\d{2}-\d")
#: nämnd and förvaltning are named near the top (addressee, proposal to decision)
TOP_CHARS = 6000
NAMND = re.compile(r"(?<![\w-])(?:[A-ZÅÄÖ][\wåäö]*(?:-(?: och|,)? [\wåäö]+)*nämnd(?:en)?|Kommunstyrelsen|Kommunfullmäktige)(?![\w-])")
FORVALTNING = re.compile(r"(?<![\w-])[A-ZÅÄÖ][\wåäö]*(?:- och [\wåäö]+)?(?:förvaltning(?:en)?|kontoret)(?![\w-])")
EMAIL_DOMAIN = re.compile(r"@([\w.-]+)\.se\b", re.I)
HANDLAGGARE_LABELS = re.compile(r"^(?:Handläggare|Vår referens|Kontaktperson(?:\s+för\s+projektet)?|Föredragande|Ansvarig handläggare)\b", re.I)
# Unicode letter classes (the `regex` module): officials' names are not only Swedish
# ("Đorđe Šarić", "Özlem Yıldız", "Sedina Arnaut-Biberić").
PERSON = regex.compile(r"^(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?(?:\s+(?:af\s+|von\s+|de\s+)?\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?){1,3})(?:\s*,.*)?$")
HEADER_ZONE_LINES = 30


@dataclass
class MetadataMatch:
    title: Optional[str] = None
    date: Optional[str] = None
    diarienummer: list[str] = field(default_factory=list)
    namnd: Optional[str] = None
    forvaltning: Optional[str] = None
    municipality: Optional[str] = None
    handlaggare: list[str] = field(default_factory=list)


def _header_lines(text: str, title_start: Optional[int], lines: Optional[list[Line]] = None) -> list[Line]:
    lines = lines if lines is not None else [l for l in split_lines(text) if l is not None]
    zone = [l for l in lines[:HEADER_ZONE_LINES]]
    if title_start is not None:
        zone = [l for l in zone if l.start < title_start] or zone[:10]
    return zone


def find_date(text: str, header: list[Line]) -> Optional[str]:
    for i, line in enumerate(header):
        if re.match(r"^Datum\b", line.text, re.I):
            for cand in header[i:i + 3]:
                d = _date_in(cand.text)
                if d:
                    return d
    for line in header:
        d = _date_in(line.text)
        if d:
            return d
    # forms and reports: the date of signing, "I Stockholm den 2023-02-28"
    m = re.search(r"\bI\s+[A-ZÅÄÖ][\wåäö]+\s+den\s+(" + ISO_DATE.pattern + ")", text)
    if m:
        return _date_in(m.group(1))
    return None


def _date_in(s: str) -> Optional[str]:
    m = ISO_DATE.search(s)
    if m:
        return m.group(0)
    m = LONG_DATE.search(s)
    if m:
        return f"{m.group(3)}-{MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"
    return None


def find_diarienummer(text: str) -> list[str]:
    out: list[str] = []
    for m in DNR.finditer(text):
        if m.group("d") not in out:
            out.append(m.group("d"))
    # "ASN-2024-19690": found from its "-2024-" part, a rare sequence, then read whole
    for y in _YEAR_SERIAL.finditer(text):
        m = STANDALONE_DNR.search(text, max(0, y.start() - 8), y.end() + 8)
        if not m:
            continue
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "-_"):
            continue
        if m.group("d") not in out:
            out.append(m.group("d"))
    return out


def find_namnd(text: str, header: list[Line]) -> Optional[str]:
    for i, line in enumerate(header):
        if NAMND.fullmatch(line.text):
            return line.text
    m = NAMND.search(text, 0, TOP_CHARS)
    return m.group(0) if m else None


_FORVALTNING_LABEL = re.compile(r"^(?:\w+)?förvaltning(?:ens)?(?:\s+namn)?\b", re.I)


def find_forvaltning(text: str, header: list[Line], lines: Optional[list[Line]] = None) -> Optional[str]:
    # a form's field: "Stadsdelsförvaltningens namn, avdelning/enhet" and its value below
    for i, line in enumerate((lines or [])[:40]):
        if _FORVALTNING_LABEL.match(line.text) and i + 1 < len(lines):
            value = lines[i + 1].text.split(",")[0].strip()
            if re.search(r"(?:förvaltning(?:en)?|kontor(?:et)?)$", value) and len(value.split()) <= 5:
                return value
    for line in header:
        if FORVALTNING.fullmatch(line.text):
            return line.text
    m = FORVALTNING.search(text, 0, TOP_CHARS)
    return m.group(0) if m else None


def find_handlaggare(header: list[Line], all_lines: list[Line], is_place) -> list[str]:
    names: list[str] = []
    for i, line in enumerate(all_lines[:60]):
        if HANDLAGGARE_LABELS.match(line.text):
            rest = HANDLAGGARE_LABELS.sub("", line.text).strip(" :")
            candidates = ([rest] if rest and not rest.startswith(",") else []) + [l.text for l in all_lines[i + 1:i + 3]]
            for cand in candidates:
                m = PERSON.match(cand)
                if m and not is_place(m.group(1)):
                    names.append(" ".join(m.group(1).split()))
                    break
    if names:
        return list(dict.fromkeys(names))
    # no label: person-name lines right under the authoring förvaltning in the header
    for i, line in enumerate(header):
        if FORVALTNING.fullmatch(line.text):
            for nxt in header[i + 1:i + 4]:
                m = PERSON.fullmatch(nxt.text)
                if not m or is_place(nxt.text):
                    break
                names.append(m.group(1))
            break
    return names


def municipality_from_text(text: str, municipalities: dict[str, str]) -> Optional[str]:
    """An explicit "Linköpings kommun" / "Malmö stad", else the e-mail domain of the authority."""
    for m in _KOMMUN_STAD.finditer(text):
        before = text[max(0, m.start() - 40):m.start()]
        n = _NAME_BEFORE.search(before)
        if not n:
            continue
        name = n.group(1)
        for cand in (name, name[:-1] if name.endswith("s") else None):
            if cand and cand in municipalities:
                return municipalities[cand]
    for m in EMAIL_DOMAIN.finditer(text):
        domain = m.group(1).split(".")[-1].casefold()
        for name, canonical in municipalities.items():
            if _ascii_fold(name) == domain:
                return canonical
    return None


_KOMMUN_STAD = re.compile(r"(?<=\s)(?:kommun|stad)\b")
_NAME_BEFORE = re.compile(r"(?<![\w-])([A-ZÅÄÖ][\wåäö]+(?:[ -][A-ZÅÄÖ][\wåäö]+)?)\s+$")


def _ascii_fold(s: str) -> str:
    return (s.casefold().replace("å", "a").replace("ä", "a").replace("ö", "o").replace("é", "e")
            .replace(" ", "").replace("-", ""))
