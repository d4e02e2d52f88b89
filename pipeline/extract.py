"""Stage 5 — extract: an analysed Doc, its sections and metadata → the record's fields.

Here matches become values a researcher can trust: every value gets its span (offsets
into the cleaned text and the page), districts and LPOs are grouped under canonical
names, LPOs are linked to the districts the text says they serve, staffing and
challenges get their district and LPO from the sentence or the section they stand in.
"""

from __future__ import annotations

import bisect
import re
from typing import Callable, Optional

from spacy.tokens import Doc

from models import (Challenge, DaysPerWeek, District, LawCitation, Lpo, Section, Span, Staffing)
from pipeline.analyse import doc_text, sentences
from pipeline.finders.places import LPO_WORDS, Place
from pipeline.segment import Segmentation, heading_parts


class Pager:
    """Page numbers (1-based) of offsets in the cleaned text."""

    def __init__(self, page_starts: Optional[list[int]], paged: bool):
        self.starts = page_starts or [0]
        self.paged = paged

    def __call__(self, offset: int) -> Optional[int]:
        if not self.paged:
            return None
        return bisect.bisect_right(self.starts, offset)


def make_span(text: str, start: int, end: int, pager: Pager) -> Span:
    # spans never start or end on whitespace
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start=start, end=end, text=text[start:end], page=pager(start))


def sections(seg: Segmentation, pager: Pager) -> list[Section]:
    return [Section(heading=s.heading, level=s.level, start=s.start, end=s.end, page=pager(s.start))
            for s in seg.sections]


def law_citations(doc: Doc, seg: Segmentation, pager: Pager) -> list[LawCitation]:
    out = []
    for m in doc._.law_citations or []:
        section = seg.section_at(m.start)
        out.append(LawCitation(
            law=m.law, sfs=m.sfs, chapter=m.chapter, chapter_end=m.chapter_end, section=m.section,
            section_end=m.section_end, paragraph=m.paragraph, point=m.point,
            span=make_span(doc_text(doc), m.start, m.end, pager),
            section_heading=section.heading if section else None, sfs_basis=m.sfs_basis))
    return out


def _section_places(seg: Segmentation, offset: int,
                    canonical: Callable[[str], Optional[str]]) -> list[str]:
    """The districts a section is about: those its heading (or, failing that, its
    parent's) names, in their order ("Kungsholmen/Norra innerstaden" gives both)."""
    section = seg.section_at(offset)
    while section is not None:
        if section.heading:
            found = [n for n in dict.fromkeys(canonical(p) for p in heading_parts(section.heading)) if n]
            if found:
                return found
        section = seg.sections[section.parent] if section.parent is not None else None
    return []


def _section_place(seg: Segmentation, offset: int,
                   canonical: Callable[[str], Optional[str]]) -> Optional[str]:
    """The first district the section is about, if any."""
    found = _section_places(seg, offset, canonical)
    return found[0] if found else None


def places(doc: Doc, seg: Segmentation, pager: Pager, canonical_district) -> tuple[list[District], list[Lpo]]:
    text = doc_text(doc)
    found: list[Place] = doc._.places or []
    districts: dict[str, District] = {}
    lpos: dict[str, Lpo] = {}
    for p in found:
        span = make_span(text, p.start, p.end, pager)
        if p.kind == "district":
            districts.setdefault(p.name, District(name=p.name, municipality=p.municipality, mentions=[])).mentions.append(span)
        elif p.kind == "lpo":
            lpos.setdefault(p.name, Lpo(name=p.name, districts=[], mentions=[])).mentions.append(span)
    _link_lpos(doc, seg, found, lpos, canonical_district)
    return list(districts.values()), list(lpos.values())


def _new_subject_pattern() -> re.Pattern:
    """A coordinated clause with a subject of its own: the district named before it is not
    the subject of what follows ("Kungsholmen har arbetsgivaransvaret och
    socialsekreteraren har ett rum på LPO Norrmalm")."""
    from pipeline.patterns import trie_pattern
    from pipeline.resources import load_json

    words = set(load_json("clause_subjects.json")["pronouns"])
    words |= {form for forms in load_json("staffing.json")["roles"].values() for form in forms}
    return re.compile(rf"(?:,|\b(?:och|men|samt)\b)\s+(?i:{trie_pattern(sorted(words))})\b")


_NEW_SUBJECT = _new_subject_pattern()

_GENERIC_LPO = re.compile(rf"(?<![\w-])(?:{LPO_WORDS})(?![\w-])(?!\s+[A-ZÅÄÖ])")


_COORDINATED = re.compile(r"^(?:s?\s*(?:stadsdelsförvaltning(?:ar|en|s)?|stadsdelsnämnd(?:er|en)?))?\s*(?:,|och|samt|&)\s*$")
_WITH_DISTRICT = re.compile(r"^\s*(?:\w+\s+){0,3}?(?:tillsammans\s+med|med|och)\s+$")


def _link_lpos(doc: Doc, seg: Segmentation, found: list[Place], lpos: dict[str, Lpo], canonical_district) -> None:
    """Link each LPO to the districts the text says it serves.

    Within a sentence, an LPO belongs to the district named last before it (the
    subject: "Skarpnäcks stadsdelsförvaltning … på plats på LPO Globen") and to districts
    joined to it after ("delar LPO Vällingby med Bromma"); with no district before it,
    to the district of the section it stands in. A sentence that refers to the LPO
    without naming it ("De delar LPO med Hägersten-Älvsjö") links its districts to the
    LPO named last."""
    if not lpos:
        return
    text = doc_text(doc)
    starts = [p.start for p in found]
    last_lpo: Optional[str] = None

    def link(lpo: str, district: Optional[str]) -> None:
        if district and district not in lpos[lpo].districts:
            lpos[lpo].districts.append(district)

    for sent_start, sent_end in sentences(doc):
        lo = bisect.bisect_left(starts, sent_start)
        hi = bisect.bisect_left(starts, sent_end)
        if lo == hi:
            continue
        here = [p for p in found[lo:hi] if p.kind in ("lpo", "district")]
        sent_lpos = [p for p in here if p.kind == "lpo"]
        if sent_lpos:
            for p in sent_lpos:
                before = [q for q in here if q.kind == "district" and q.end <= p.start]
                # An LPO with no district as its clause's subject serves the districts of
                # its section: all those a heading names together ("Kungsholmen/Norra
                # innerstaden"); with several LPOs in the sentence ("bemannar LPO Globen
                # och LPO Farsta") which serves which is unclear: the heading's first only.
                if before and _NEW_SUBJECT.search(text, before[-1].end, p.start):
                    before = []  # that district belongs to an earlier clause
                if not before:
                    heading = _section_places(seg, p.start, canonical_district)
                    for name in heading if len(sent_lpos) == 1 else heading[:1]:
                        link(p.name, name)
                # the subject closest before the LPO, with districts coordinated with it
                # ("Skärholmen och Hägersten-Älvsjö delar LPO Skärholmen")
                k = len(before) - 1
                while k >= 0:
                    link(p.name, before[k].name)
                    if k == 0 or not _COORDINATED.match(text[before[k - 1].end:before[k].start]):
                        break
                    k -= 1
                for q in here:
                    if q.kind == "district" and q.start >= p.end and _WITH_DISTRICT.match(text[p.end:q.start]):
                        link(p.name, q.name)
            last_lpo = sent_lpos[-1].name
        elif last_lpo:
            sent_text = text[sent_start:sent_end]
            if _GENERIC_LPO.search(sent_text):
                for q in here:
                    if q.kind == "district":
                        link(last_lpo, q.name)


def _context(found: list[Place], starts: list[int], start: int, end: int, kind: str) -> Optional[str]:
    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_left(starts, end)
    for p in found[lo:hi]:
        if p.kind == kind:
            return p.name
    return None


def staffing(doc: Doc, seg: Segmentation, pager: Pager, canonical_district) -> list[Staffing]:
    """Staffing facts: a sentence that says who is placed starts a fact; later sentences of
    the same section that add days, working time or employment complete it."""
    found: list[Place] = doc._.places or []
    starts = [p.start for p in found]
    facts: list[dict] = []
    # the facts of each section and of each group, so completing one is not a scan of all
    by_section: dict[int, list[dict]] = {}
    by_group: dict[int, list[dict]] = {}

    def add(fact: dict) -> None:
        facts.append(fact)
        by_section.setdefault(id(fact["section"]), []).append(fact)
        by_group.setdefault(fact["group"], []).append(fact)

    for m in doc._.staffing or []:
        section = seg.section_at(m.start)
        section_district = _section_place(seg, m.start, canonical_district)
        district = _context(found, starts, m.start, m.end, "district") or section_district
        lpo = _context(found, starts, m.start, m.end, "lpo")
        if not m.anchor:
            # complete the fact about this section's district, else the latest in the section
            same = by_section.get(id(section), [])
            target = next((f for f in reversed(same) if f["district"] == section_district), None) or (same[-1] if same else None)
            if target is not None:
                # facts stated together ("X har två …, medan Y har en") share what follows
                for t in by_group[target["group"]]:
                    for key, value in (("days_min", m.days_min), ("days_max", m.days_max), ("full_time", m.full_time),
                                       ("employment", m.employment), ("unit", m.unit)):
                        if t[key] is None and value is not None:
                            t[key] = value
                    if t["days_min"] is None and m.half_time:
                        t["days_min"] = t["days_max"] = 2.5
                if target["lpo"] is None and lpo is not None:
                    target["lpo"] = lpo
                continue
            if m.role is None:
                continue
        days_min, days_max = m.days_min, m.days_max
        if days_min is None and m.half_time:
            days_min = days_max = 2.5
        group = len(facts)
        add({"section": section, "district": district, "lpo": lpo, "role": m.role,
             "headcount": m.headcount, "days_min": days_min, "days_max": days_max,
             "full_time": m.full_time, "unit": m.unit, "employment": m.employment,
             "start": m.start, "end": m.end, "group": group})
        for place, count in m.others or []:
            other = canonical_district(place)
            if other:
                add({**facts[-1], "district": other, "headcount": count, "lpo": None, "group": group})
    out = []
    for f in facts:
        days = DaysPerWeek(min=f["days_min"], max=f["days_max"]) if f["days_min"] is not None else None
        out.append(Staffing(district=f["district"], lpo=f["lpo"], role=f["role"], headcount=f["headcount"],
                            days_per_week=days, full_time=f["full_time"], unit=f["unit"], employment=f["employment"],
                            span=make_span(doc_text(doc), f["start"], f["end"], pager)))
    return out


def challenges(doc: Doc, seg: Segmentation, pager: Pager, canonical_district) -> list[Challenge]:
    found: list[Place] = doc._.places or []
    starts = [p.start for p in found]
    out = []
    for m in doc._.challenges or []:
        district = _context(found, starts, m.start, m.end, "district") or _section_place(
            seg, m.start, canonical_district)
        out.append(Challenge(district=district, category=m.category, span=make_span(doc_text(doc), m.start, m.end, pager)))
    return out
