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
from pipeline.finders.staffing import default_staffing_finder, same_role_kind
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
            lpos.setdefault(p.name, Lpo(name=p.name, districts=[], mentions=[], known=p.known,
                                        kind=p.area or "lokalpolisområde")).mentions.append(span)
    _link_lpos(doc, seg, found, lpos, canonical_district)
    return list(districts.values()), list(lpos.values())


def _new_subject_pattern() -> re.Pattern:
    """A coordinated clause with a subject of its own: the district named before it is not
    the subject of what follows ("Kungsholmen har arbetsgivaransvaret och
    socialsekreteraren har ett rum på LPO Norrmalm")."""
    from pipeline.patterns import trie_pattern
    from pipeline.resources import load_json

    words = set(load_json("clause_subjects.json")["pronouns"])
    words |= set(default_staffing_finder().role_of)
    return re.compile(rf"(?:,|\b(?:och|men|samt)\b)\s+(?i:{trie_pattern(sorted(words))})\b")


_NEW_SUBJECT = _new_subject_pattern()

_GENERIC_LPO = re.compile(rf"(?<![\w-])(?:{LPO_WORDS})(?![\w-])(?!\s+[A-ZÅÄÖ])")


# "lokalpolisområde Söder omfattar stadsområdena Väster, Söder och Öster": what it serves
_SERVES = re.compile(r"\s*(?:\w+\s+){0,2}?(?:omfattar|omfattade|täcker|täckte|innefattar|ansvarar\s+för|ansvarade\s+för|"
                     r"har\s+ansvar\s+för|består\s+av|bestod\s+av)\s+(?:(?:stadsområdena|stadsdelarna|stadsdelsområdena|"
                     r"områdena|kommunerna|stadsdelsförvaltningarna)\s+)?", re.I)
_LIST_GAP = re.compile(r"\s*(?:,|och|samt|&)\s*(?:(?:stadsområdet|stadsdelen)\s+)?", re.I)
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
                served = _served(text, here, p)
                if served:
                    for name in served:
                        link(p.name, name)
                    continue
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


def _served(text: str, here: list[Place], lpo: Place) -> list[str]:
    """The districts an LPO is said to serve by a verb right after it ("omfattar
    stadsområdena Väster, Söder och Öster"): the list of districts that follows."""
    m = _SERVES.match(text, lpo.end)
    if m is None:
        return []
    out, pos = [], m.end()
    for q in here:
        if q.start < pos:
            continue
        if q.kind == "lpo" or (q.start != pos and not _LIST_GAP.fullmatch(text, pos, q.start)):
            break  # the list has ended
        if q.kind == "district":
            out.append(q.name)
        pos = q.end
    return out


def _context(found: list[Place], starts: list[int], start: int, end: int, kind: str) -> Optional[str]:
    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_left(starts, end)
    for p in found[lo:hi]:
        if p.kind == kind:
            return p.name
    return None


_FACT_KEYS = ("days_min", "days_max", "full_time", "unit", "employment", "percent", "fte")


_CLAUSE_BREAK = re.compile(r"\s(?:utan|men|medan|eftersom|trots\s+att)\s|;")


def _whole_municipality_pattern() -> re.Pattern:
    from pipeline.patterns import phrase_pattern
    from pipeline.resources import load_json
    return re.compile(rf"(?<![\w-])(?i:{phrase_pattern(load_json('staffing.json')['whole_municipality'])})(?![\w-])")


_WHOLE_MUNICIPALITY = _whole_municipality_pattern()


def _districts_in(found: list[Place], starts: list[int], start: int, end: int) -> tuple[list[str], bool]:
    """The districts named between two offsets, in order, and whether a municipality is
    named there too (a fact about another municipality has no district of ours)."""
    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_left(starts, end)
    here = found[lo:hi]
    names = list(dict.fromkeys(p.name for p in here if p.kind == "district"))
    return names, any(p.kind == "municipality" for p in here)


def _paragraph_start(text: str, offset: int) -> int:
    i = text.rfind("\n\n", 0, offset)
    return 0 if i < 0 else i + 2


def staffing(doc: Doc, seg: Segmentation, pager: Pager, canonical_district,
             document_district: Optional[str] = None) -> list[Staffing]:
    """Staffing facts. A count tied to a role starts a fact ("group"); a part of a group
    ("två av dem", "den ena", "varav tre") takes the group's role, place and days unless it
    states its own; the group and its parts are each a fact ("tre socialsekreterare, två
    på heltid och en på 75 procent" is three).
    A sentence with no count completes the fact before it in its section.

    The district is the one the fact's own words name ("två i Hallunda-Norsborg"), else
    the one its sentence names, else its group's, else its section heading's, else the one
    its paragraph named earlier, else the district whose administration wrote the document;
    null where several are named for one fact, the whole municipality is meant, or the fact
    is about another municipality."""
    text = doc_text(doc)
    found: list[Place] = doc._.places or []
    starts = [p.start for p in found]
    facts: list[dict] = []
    by_section: dict[int, list[dict]] = {}

    def own_district(m, sent_start: int) -> tuple[Optional[str], bool]:
        """(district, decided): decided is True when the text settles it, even as null.
        The fact's own words first (up to a new clause: "… ingen egen fältsekreterare utan
        köper tjänsten av Hässelby-Vällingby"), then what the sentence says before them."""
        own_start = m.count_start if m.count_start is not None else m.start
        cut = _CLAUSE_BREAK.search(text, own_start, m.end)
        own_end = cut.start() if cut else m.end
        if _WHOLE_MUNICIPALITY.search(text, own_start, own_end):
            return None, True  # "en samordnare för hela kommunen"
        spans = ((own_start, own_end),) if m.whole_only else ((own_start, own_end), (sent_start, own_start))
        for lo, hi in spans:
            names, other_municipality = _districts_in(found, starts, lo, hi)
            if len(names) > 1:
                return None, True
            if names:
                return names[0], True
            if other_municipality:
                return None, True
        return None, False

    sents = sentences(doc)
    sent_starts = [a for a, _ in sents]

    def sentence_of(offset: int) -> int:
        i = bisect.bisect_right(sent_starts, offset) - 1
        return sents[i][0] if i >= 0 else 0

    matches = list(doc._.staffing or [])
    k = 0
    while k < len(matches):
        # the matches of one sentence together: parts find their group among them
        sent_start = sentence_of(matches[k].start)
        j = k + 1
        while j < len(matches) and sentence_of(matches[j].start) == sent_start:
            j += 1
        batch = matches[k:j]
        k = j
        section = seg.section_at(batch[0].start)
        earlier = by_section.get(id(section), [])
        new: list[dict] = []
        for m in batch:
            if m.kind == "attributes":
                # the fact about the district this sentence (or else its section) names,
                # else the latest: "Skärholmens … och de bemannar polishuset två dagar"
                pool = new or earlier
                named, _ = _districts_in(found, starts, m.start, m.end)
                wanted = named[:1] or [_section_place(seg, m.start, canonical_district)]
                target = next((f for f in reversed(pool) if f["district"] in wanted and f["district"]), None) or \
                    (pool[-1] if pool else None)
                if target is None and m.role is not None and m.has_attributes and \
                        not any(f["role"] and same_role_kind(f["role"], m.role) for f in facts):
                    # the first the document says of this role, with its working time or
                    # days ("Socialsekreteraren sitter hos polisen två dagar i veckan"): a
                    # fact of its own
                    district, decided = own_district(m, sent_start)
                    new.append({"section": section, "district": district, "decided": decided, "role": m.role,
                                "headcount": m.headcount, "approximate": False, "kind": "group", "start": m.start,
                                "end": m.end, "lpo": _context(found, starts, sent_start, m.end, "lpo"),
                                "group": len(facts) + len(new), **{key: getattr(m, key) for key in _FACT_KEYS}})
                    continue
                if target is not None:
                    for t in [f for f in (new or earlier) if f["group"] == target["group"]]:
                        for key in _FACT_KEYS:
                            if t[key] is None and getattr(m, key) is not None:
                                t[key] = getattr(m, key)
                    # "De sitter hos polisen i Tureberg …": the place the group had not stated
                    if target["district"] is None and not target["decided"] and len(named) == 1:
                        target["district"], target["decided"] = named[0], True
                continue
            district, decided = own_district(m, sent_start)
            fact = {"section": section, "district": district, "decided": decided, "role": m.role,
                    "headcount": m.headcount, "approximate": m.approximate, "kind": m.kind,
                    "start": m.start, "end": m.end, "lpo": _context(found, starts, sent_start, m.end, "lpo"),
                    **{key: getattr(m, key) for key in _FACT_KEYS}}
            if m.kind == "each":
                # "Kungsholmen och Norra innerstaden har var sin samordnare": one each
                names, _ = _districts_in(found, starts, sent_start, m.count_start)
                for name in names or [district]:
                    new.append({**fact, "district": name, "decided": True, "group": len(facts) + len(new)})
                continue
            if m.kind in ("part", "more"):
                # the group it is part of: the latest fact larger than the part ("Två av
                # socialsekreterarna …. Den ena av dem …" is one of those two)
                larger = lambda f: f["headcount"] is None or m.headcount is None or f["headcount"] > m.headcount  # noqa: E731
                parent = next((f for f in reversed(earlier + new) if larger(f)), None) \
                    if m.kind == "part" else None
                parent = parent or (new[-1] if new else (earlier[-1] if earlier else None))
                if parent is None and m.role is None:
                    continue  # "två av dem" with nothing before it to be part of
                if parent is not None:
                    if m.fraction and parent["headcount"] and (parent["headcount"] * m.fraction).is_integer():
                        fact["headcount"] = int(parent["headcount"] * m.fraction)  # "varav hälften"
                    if fact["role"] is None:
                        fact["role"] = parent["role"]
                    if not decided:
                        fact["district"] = parent["district"]
                        fact["decided"] = parent["decided"]
                    if fact["lpo"] is None:
                        fact["lpo"] = parent["lpo"]
                    if m.kind == "part" or m.elliptic:
                        for key in ("days_min", "days_max", "unit", "employment"):
                            if fact[key] is None:
                                fact[key] = parent[key]
                    fact["parent"] = parent
                fact["group"] = parent["group"] if parent is not None and m.kind == "part" else len(facts) + len(new)
            else:
                fact["group"] = len(facts) + len(new)
            new.append(fact)
        for f in new:
            if not f["decided"]:
                f["district"] = _section_place(seg, f["start"], canonical_district) or \
                    _paragraph_district(found, starts, text, f["start"], sent_start) or document_district
            facts.append(f)
            by_section.setdefault(id(section), []).append(f)
    out = []
    for f in facts:
        days = DaysPerWeek(min=f["days_min"], max=f["days_max"]) if f["days_min"] is not None else None
        out.append(Staffing(district=f["district"], lpo=f["lpo"], role=f["role"], headcount=f["headcount"],
                            approximate=f["approximate"], percent=f["percent"], fte=f["fte"],
                            days_per_week=days, full_time=f["full_time"], unit=f["unit"], employment=f["employment"],
                            span=make_span(text, f["start"], f["end"], pager)))
    return out


def _paragraph_district(found: list[Place], starts: list[int], text: str, start: int, sent_start: int) -> Optional[str]:
    """The one district an earlier sentence of the paragraph names, if only one."""
    names, other = _districts_in(found, starts, _paragraph_start(text, start), sent_start)
    return names[0] if len(names) == 1 and not other else None


def challenges(doc: Doc, seg: Segmentation, pager: Pager, canonical_district) -> list[Challenge]:
    found: list[Place] = doc._.places or []
    starts = [p.start for p in found]
    out = []
    for m in doc._.challenges or []:
        district = _context(found, starts, m.start, m.end, "district") or _section_place(
            seg, m.start, canonical_district)
        out.append(Challenge(district=district, category=m.category, span=make_span(doc_text(doc), m.start, m.end, pager)))
    return out
