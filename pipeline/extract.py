"""Stage 5 — extract: an analysed Doc, its sections and metadata → the record's fields.

Here matches become values a researcher can trust: every value gets its span (offsets
into the cleaned text and the page), districts and LPOs are grouped under canonical
names, LPOs are linked to the districts the text says they serve, staffing and
challenges get their district and LPO from the sentence or the section they stand in.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Callable, Optional

from spacy.tokens import Doc

from models import (Challenge, DaysPerWeek, District, LawCitation, Lpo, Section, Span, Staffing)
from pipeline.analyse import doc_text, sentences
from pipeline.finders.numbers import number_pattern
from pipeline.finders.places import DISTRICT_WORDS, LPO_WORDS, Place
from pipeline.finders.staffing import CLAUSE_EDGE, default_staffing_finder, same_role_kind
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


# a heading about a place names little else ("Rinkeby", "Fältverksamheten i Jordbro och
# Brandbergen"); a longer one is the title of a matter ("Svar på motion om fler
# fältassistenter i Vargön och Brålanda"), about the matter, not a place
_PLACE_HEADING_WORDS = 6


def _section_places(seg: Segmentation, offset: int,
                    canonical: Callable[[str], Optional[str]]) -> list[str]:
    """The districts a section is about: those its heading (or, failing that, its
    parent's) names, in their order ("Kungsholmen/Norra innerstaden" gives both)."""
    section = seg.section_at(offset)
    while section is not None:
        if section.heading and len(section.heading.split()) <= _PLACE_HEADING_WORDS:
            found = [n for n in dict.fromkeys(canonical(p) or _place_after_preposition(p, canonical)
                                              for p in heading_parts(section.heading)) if n]
            if found:
                return found
        section = seg.sections[section.parent] if section.parent is not None else None
    return []


def _place_after_preposition(part: str, canonical: Callable[[str], Optional[str]]) -> Optional[str]:
    """"Fältverksamheten i Jordbro": the district a heading's words end on after "i"/"på"."""
    m = re.search(r"\s(?:i|på|inom)\s+(\S.*)$", part)
    return canonical(m.group(1)) if m else None


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


# a count of people who are not staff: the young people, families, pupils a report tells of
_OTHER_PEOPLE = re.compile(rf"(?<![\w-])(?i:{number_pattern()})\s+"
                           r"(?:\w+\s+)?(?i:unga|ungdomar|barn|elever|familjer|flickor|pojkar|vårdnadshavare|"
                           r"klienter|deltagare|personer\s+under|misstänkta)(?![\w-])")
# a person's name before a title in apposition: "Anders Nyström, kommunpolis"
_NAME_BEFORE_TITLE = re.compile(r"(?<![\w-])[A-ZÅÄÖ][a-zåäöé]+(?:[ -][A-ZÅÄÖ][a-zåäöé]+)+,\s*$")
# a role as what someone is or becomes, with no count of its own
_PREDICATE_BEFORE = re.compile(r"(?<![\w-])(?i:är|blir|var|blev|fungerar\s+som|utses\s+till|utsågs\s+till|utsetts\s+till"
                               r"|utsedd\s+till)\s+(?:[\w-]+s\s+)?(?:egen\s+|fasta?\s+|särskilda?\s+)?$")
# a count that opens a fact's words ("är en socialsekreterare placerad": a count, no predicate)
_NUMBER_AT = re.compile(rf"(?i:{number_pattern()})(?![\w-])")
# a place that is no district: a town's centre, its central parts
_GENERIC_PLACE = re.compile(r"(?<![\w-])(?:(?:i|på|vid)\s+(?:centrum|city|stan|centrala\s+\w+)|centralorten|tätorten|huvudorten)(?![\w-])", re.I)
# a sentence that opens by pointing back to the place the one before named
_BACK_TO_PLACE = re.compile(r"\s*(?:Där|Här|Dit|I\s+stadsdelen|I\s+området)\b")


def _listed_with_municipality(places: list[Place], offsets: list[int], text: str, lo: int, hi: int) -> bool:
    """Whether a district and a municipality (its main town) stand in one list between the
    offsets ("i Ljusdal och Järvsö")."""
    here = places[bisect.bisect_left(offsets, lo):bisect.bisect_left(offsets, hi)]
    return any(a.kind != b.kind and {a.kind, b.kind} == {"district", "municipality"} and
               (_LIST_GAP.fullmatch(text, a.end, b.start) or _TOWN_PART_GAP.fullmatch(text, a.end, b.start))
               for a, b in zip(here, here[1:]))


# whom the staff keep in contact with, up to the place: "kontakterna med skolorna på "
_CONTACT_WITH = re.compile(r"(?<![\w-])(?i:kontakt|kontakten|kontakter|kontakterna)\s+(?i:med)\s+[^,.;:]*?(?i:i|på|vid)\s+$")
# "… och en för Rimbo": a count joined to the one before it
_SIBLING_JOIN = re.compile(r"\s(?:och|samt)\s+$")
# a proper name listed right before or after a place: "i Asarum och Svängsta"
_NAME_LISTED_BEFORE = re.compile(r"(?<![\w-])[A-ZÅÄÖ][\wåäö-]+(?:\s*,\s*|\s+(?:och|samt|eller)\s+)$")
_NAME_LISTED_AFTER = re.compile(r"(?:\s*,\s*|\s+(?:och|samt|eller)\s+)[A-ZÅÄÖ][\wåäö-]+")


def _first_of_parts(first: dict, parent: dict, sent_start: int, part_headcount: Optional[int]) -> None:
    """Make ``first`` — a count of the same role earlier in the sentence whose parts go on
    elliptically — a part of ``parent``, a larger group counted in an earlier sentence,
    when their headcounts fit inside it: it shares the group's days, unit and employment."""
    if first.get("parent") is not None or first["kind"] != "group" or first["start"] < sent_start \
            or parent["start"] >= sent_start or not (first["role"] and parent["role"]) \
            or not same_role_kind(first["role"], parent["role"]) \
            or not (first["headcount"] and parent["headcount"] and part_headcount) \
            or first["headcount"] + part_headcount > parent["headcount"]:
        return
    for key in ("days_min", "days_max", "unit", "employment"):
        if first[key] is None:
            first[key] = parent[key]
    first["parent"], first["kind"], first["group"] = parent, "part", parent["group"]


def _listed_with_other_place(places: list[Place], offsets: list[int], text: str, lo: int, hi: int) -> bool:
    """Whether the one district between the offsets stands in a list with a name the
    gazetteer does not hold ("den andra i Asarum och Svängsta": two places, no one district)."""
    here = [p for p in places[bisect.bisect_left(offsets, lo):bisect.bisect_left(offsets, hi)] if p.kind == "district"]
    if len(here) != 1:
        return False
    p = here[0]
    return bool(_NAME_LISTED_BEFORE.search(text, max(lo, p.start - 40), p.start)
                or _NAME_LISTED_AFTER.match(text, p.end, hi))


def _own_clause(text: str, earlier_counts: list[int], own_start: int) -> Optional[int]:
    """Where the clause of a count starts, when it is not the sentence's first count and its
    clause opens with a place adverbial of its own ("… och i tätorten arbetar ytterligare
    tre"); None otherwise."""
    if not earlier_counts:
        return None
    clause = None
    for clause in _NEW_CLAUSE.finditer(text, max(earlier_counts), own_start):
        pass
    if clause is None or not _LOCATIVE.search(text, clause.end(), own_start):
        return None
    return clause.end()


# a new clause inside a sentence, and a place adverbial in it
_NEW_CLAUSE = re.compile(r",|(?<![\w-])(?:och|men|medan|samt)(?![\w-])")
_LOCATIVE = re.compile(r"(?<![\w-])(?:i|på|vid|inom)\s+\w")
# the main town's centre in a list of places: "Ludvika centrum och Marnäs"
_TOWN_PART_GAP = re.compile(r"s?\s+(?:centrum|tätort|stad|city)\s*(?:,|och|samt|&)\s*", re.I)


# one of a group in each of the places listed after it
_ONE_FOR_EACH = re.compile(r"(?i:en|ett)\s+(?:\w+\s+)?(?i:för|i|på)\s+(?i:vart\s+och\s+ett|var\s+och\s+en|varje|vart)\s+(?:(?i:av)\s+)?")
# between a district that is a clause's subject and the count of its staff: "Farsta
# stadsdelsförvaltning har ", "Bromma har sedan 2023 "
_SUBJECT_GAP = re.compile(rf"\s+(?:(?i:{DISTRICT_WORDS})s?\s+)?(?:har|hade|anställde)(?:\s+(?:haft|anställt|nu|numera|"
                          rf"i\s+dag|sedan\s+\d{{4}}|sedan\s+\w+\s+\d{{4}}|också|även))*\s+")
# where a fact's own words end: a new clause, or a list of its parts ("två samordnare, en med
# ansvar för Enskede-Årsta och en med ansvar för Vantör")
_CLAUSE_BREAK = re.compile(r"\s(?:utan|men|medan|eftersom|trots\s+att)\s|;|,\s+(?:en|ett|två|tre|fyra|fem)\s+(?:med|för|i|på|som)\s"
                           r"|,\s+och\s+(?=[A-ZÅÄÖ])"
                           # a coordinated clause with its own place first, then its verb: "… och i
                           # Iggesund arbetar två"
                           r"|,?\s(?:och|men|medan)\s+(?:i|på|vid|inom)\s+\S+(?:\s+\S+)?\s+(?:finns|fanns|arbetar|arbetade|är|var|sitter|har|hade|jobbar)\s")


def _whole_municipality_pattern() -> re.Pattern:
    from pipeline.patterns import phrase_pattern
    from pipeline.resources import load_json
    return re.compile(rf"(?<![\w-])(?i:{phrase_pattern(load_json('staffing.json')['whole_municipality'])})(?![\w-])")


_WHOLE_MUNICIPALITY = _whole_municipality_pattern()


class _StatementRules:
    """When a count of staff states no fact of this document's staffing (the word lists
    and their reasons are in ``staffing.json``; the conventions in annotations/README.md)."""

    def __init__(self) -> None:
        from pipeline.patterns import phrase_pattern
        from pipeline.resources import load_json

        data = load_json("staffing.json")

        def words(key: str) -> str:
            return rf"(?<![\w-])(?i:{phrase_pattern(data[key]['words'])})(?![\w-])"
        finder = default_staffing_finder()
        self.not_fact = finder.need
        self._states_need = finder.states_need  # a need word outside a condition of use ("vid behov")
        self.proposal_heading = re.compile(words("proposal_headings"))
        self.project_group = re.compile(words("project_groups"))
        # an alternative named at the start of its sentence: "Alternativ B. En socialsekreterare …"
        self.alternative = re.compile(r"\s*(?:[-–•]\s*)?(?i:alternativ)\s+[A-ZÅÄÖ1-9]\b")
        self.present_state = re.compile(words("present_state_words"))
        self.lack = re.compile(words("lacks"))
        self.other_municipalities = re.compile(words("other_municipalities"))
        self.other_services = re.compile(words("other_services"))
        # a conditional clause that opens the sentence or follows a comma, the count inside it
        self.conditional = re.compile(
            rf"(?:^|[,;:]\s*(?:(?i:men|och|så)\s+)?)(?i:{phrase_pattern(data['conditional_openers']['words'])})\s[^,;:]*$")
        self.reference = re.compile(rf"{words('reference_heads')}\s+$")
        # a sentence that opens by citing a statute: "Enligt 12 § polislagen får en polis …"
        self.legal_opener = re.compile(
            rf"\s*{words('legal_openers')}\s+(?:\d+\s*(?:kap\.|kapitlet)\s*)?"
            r"(?:\d+\s*[a-z]?\s*§|[\wåäö-]*lagen\b|lag\s*\(\d{4}:\d+\))")
        # "polisstationen i Flemingsberg", "lokalpolisområdets lokaler i centrala Malmö": before
        # a place, and in a fact's own words
        in_premises = rf"{words('police_premises')}\s+(?:i|på)\s+(?:(?i:centrala|norra|södra|östra|västra)\s+)?"
        self.premises = re.compile(rf"{in_premises}$")
        self.at_premises = re.compile(rf"{in_premises}[A-ZÅÄÖ]")
        # "Samtliga arbetar …", "De är på plats …": everyone the sentence before counted
        # (not "De två som återstår", a part; not "Alla av dem")
        self.collective = re.compile(rf"\s*{words('collective_subjects')}\s+(?!(?i:som|av|andra|övriga)\b)(?=[a-zåäö])")


    def clause(self, text: str, sent_start: int, sent_end: int, at: int) -> tuple[int, int]:
        lo = sent_start
        for m in CLAUSE_EDGE.finditer(text, sent_start, at):
            lo = m.end()
        nxt = CLAUSE_EDGE.search(text, at, sent_end)
        return lo, nxt.start() if nxt else sent_end

    def states_fact(self, text: str, sent_start: int, lo: int, hi: int, at: int, own_municipality: Optional[str],
                    municipalities: list[str], headcount: Optional[int] = None, frame_end: Optional[int] = None) -> bool:
        """Whether the count at ``at`` (in the clause ``lo``–``hi`` of the sentence that starts
        at ``sent_start``) states a fact of the document's own staffing: not a need, proposal
        or lack, not a hypothesis, not a reference back to staffing as a topic, not staff of
        another service or another municipality, not a table cell."""
        window = text[max(lo, at - 25):min(hi, at + 25)]
        line_start = text.rfind("\n", 0, at) + 1
        line_end = text.find("\n", at)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        if window.count("\t") >= 2 or window.count("|") >= 2 or _COLUMN_GAP.search(line):
            return False  # a table row (cells between tabs, bars or wide gaps): its cells are not sentences
        # an item of a list of proposals: "Utredningen föreslår\n- att en socialsekreterartjänst …"
        if _LIST_ITEM_ATT.match(text, sent_start) and self.not_fact.search(text, max(0, sent_start - 300), sent_start) \
                and _PROPOSAL_VERB.search(text, max(0, sent_start - 300), sent_start):
            return False
        if headcount and self.lack.search(text, lo, hi):
            return False
        if self.project_group.search(text, lo, hi) or self.alternative.match(text, sent_start):
            return False
        # a proposal that a colon introduces: "Förvaltningen föreslår i stället en
        # försöksverksamhet: att en socialsekreterare …"
        colon = text.rfind(":", sent_start, lo)
        if colon >= 0 and (self.not_fact.search(text, sent_start, colon) or self.project_group.search(text, sent_start, colon)):
            return False  # … or the members of a group a colon lists ("Arbetsgruppen bestod av: …")
        # another service frames the staff when it is named before them ("Inom
        # socialpsykiatrin har boendestödet utökats med två tjänster"), not when it is part
        # of their work ("en socialsekreterare som arbetar halvtid med försörjningsstöd") or
        # of the staff listed before them ("en behandlare från öppenvården och en SIG-samordnare")
        if re.match(r"\s*(?i:att)\s", text[lo:hi]) and self._states_need(text, sent_start, lo):
            return False  # "… föreslår att kommunen ska anställa två fältassistenter, och att en socialsekreterare …"
        if self._states_need(text, lo, hi) or self.other_services.search(text, lo, frame_end or at) \
                or self.other_municipalities.search(text, lo, hi):
            return False
        if self.conditional.search(text[sent_start:at]) or self.reference.search(text[max(sent_start, at - 40):at]):
            return False
        if self.legal_opener.match(text, sent_start, at):
            return False  # what a statute allows or requires of a role, not who works here
        # staff of another municipality, unless it is shared with ours ("en kommunpolis för
        # Ludvika och Smedjebacken" in Ludvika's report)
        return not (own_municipality and own_municipality not in municipalities
                    and any(name != own_municipality for name in municipalities))


# cells of a table laid out with spaces: a word, a wide gap, a word ("… 1,0 tjänst       480 000 kr")
_COLUMN_GAP = re.compile(r"\S[ \t]{5,}\S")
_LIST_ITEM_ATT = re.compile(r"\s*(?:[-–•]\s*|\d+\.\s*)?att\s", re.I)
_PROPOSAL_VERB = re.compile(r"(?<![\w-])(?i:föreslår|föreslås|föreslog|förslaget|förslag\s+till\s+beslut)(?![\w-])")


@lru_cache(maxsize=1)
def _rules() -> _StatementRules:
    return _StatementRules()


def _staff_places(text: str, found: list[Place]) -> list[Place]:
    """The places that can be a staffing fact's district: not the town of a police station
    ("arbetar på polisstationen i Flemingsberg", "hos polisen i Jakobsberg"), nor the
    places listed with it; that is where the police sit. Nor the place of those the staff
    keep in contact with ("ansvarar för kontakterna med skolorna på Väddö")."""
    premises = _rules().premises
    out, dropped_end = [], None
    for p in found:
        if p.kind in ("district", "municipality") and (premises.search(text, max(0, p.start - 40), p.start)
                                                      or _CONTACT_WITH.search(text, max(0, p.start - 50), p.start) or (
                dropped_end is not None and _LIST_GAP.fullmatch(text, dropped_end, p.start))):
            dropped_end = p.end
            continue
        dropped_end = None
        out.append(p)
    return out


def _districts_in(found: list[Place], starts: list[int], start: int, end: int) -> tuple[list[str], bool]:
    """The districts named between two offsets, in order, and whether a municipality is
    named there too (a fact placed in a municipality, its own included — "på
    polisstationen i centrala Umeå" — has no district of ours)."""
    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_left(starts, end)
    here = found[lo:hi]
    names = list(dict.fromkeys(p.name for p in here if p.kind == "district"))
    return names, any(p.kind == "municipality" for p in here)


def _heading_names_role(section, role: str) -> bool:
    """Whether the section's own heading names the role ("Socialsekreterare hos närpolisen")."""
    if section is None or not section.heading:
        return False
    finder = default_staffing_finder()
    return any(same_role_kind(base, role) for _, _, base in finder.roles_in(section.heading))


def _definite_role_at(text: str, at: int) -> bool:
    """Whether the role word at ``at`` is in a definite form ("fältassistenten",
    "socialsekreterarna")."""
    word = re.match(r"[\w-]+", text[at:at + 60])
    return word is not None and default_staffing_finder().is_definite(word.group(0))


def _paragraph_start(text: str, offset: int) -> int:
    i = text.rfind("\n\n", 0, offset)
    return 0 if i < 0 else i + 2


def staffing(doc: Doc, seg: Segmentation, pager: Pager, canonical_district,
             document_district: Optional[str] = None, municipality: Optional[str] = None) -> list[Staffing]:
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
    # the police's own staff are where the police are ("Närpolisen i Angered har fyra
    # närpoliser"); for everyone else a police station's place is not their district
    police_found: list[Place] = doc._.places or []
    police_starts = [p.start for p in police_found]
    found = _staff_places(text, police_found)
    starts = [p.start for p in found]
    is_police = default_staffing_finder().is_police
    rules = _rules()
    heading_ends = sorted(h.end for h in seg.headings)
    facts: list[dict] = []
    by_section: dict[int, list[dict]] = {}
    pending_days: dict[int, tuple] = {}  # days a section's unit was said to work before its staff were counted
    counts_in_sentence: list[int] = []  # where the counts of the sentence being read start
    said_of_all: list = []  # days said of all staff of a role ("Fältsekreterarna arbetar måndag–torsdag")

    def own_district(m, sent_start: int) -> tuple[Optional[str], bool]:
        """(district, decided): decided is True when the text settles it, even as null.
        The fact's own words first (up to a new clause: "… ingen egen fältsekreterare utan
        köper tjänsten av Hässelby-Vällingby"), then what the sentence says before them."""
        own_start = m.count_start if m.count_start is not None else m.start
        places, offsets = (police_found, police_starts) if is_police(m.role) else (found, starts)
        cut = _CLAUSE_BREAK.search(text, own_start, m.end)
        own_end = cut.start() if cut else m.end
        if _WHOLE_MUNICIPALITY.search(text, own_start, own_end):
            return None, True  # "en samordnare för hela kommunen"
        earlier_counts = [c for c in counts_in_sentence if c < own_start]
        # a group named inside a part, or the rest of a group after a part: what the
        # sentence says before it is the other part's ("Två av dem arbetar i Matfors, de andra …");
        # after other counts, only what stands before the first of them is the sentence's
        # ("I Matfors finns två fältassistenter och en kurator"), what follows a count its own
        # ("… en för vart och ett av områdena Lundby och Backa samt en samordnande socialsekreterare")
        before_end = min(earlier_counts) if earlier_counts else own_start
        alone = m.whole_only or m.remainder
        spans = ((own_start, own_end),) if alone else ((own_start, own_end), (sent_start, before_end))
        own_clause = _own_clause(text, earlier_counts, own_start)
        if own_clause is not None and not m.elliptic and len(spans) > 1:
            # "I Delsbo finns en fältassistent och i tätorten arbetar ytterligare tre": a count
            # whose own clause says where is there, not where the count before it is
            spans = ((own_start, own_end), (own_clause, own_start))
        for lo, hi in spans:
            names, other_municipality = _districts_in(places, offsets, lo, hi)
            if not names and not other_municipality and lo == own_start and not is_police(m.role) \
                    and rules.at_premises.search(text, lo, hi):
                # "på polisstationen i centrala Umeå": where the police sit, not the staff's
                # district, nor is what the sentence says before it; the section's or the
                # writing district's decides
                return None, False
            if len(names) > 1 and hi == own_start:
                # several before it, the last its subject: "Skärholmen och Hägersten-Älvsjö
                # Skärholmens stadsdelsförvaltning har två samordnare"
                i = bisect.bisect_left(offsets, hi) - 1
                last, before = places[i], places[i - 1] if i > 0 else None
                coordinated = before is not None and before.kind == "district" and \
                    _LIST_GAP.fullmatch(text, before.end, last.start)  # "Kungsholmens och Norra innerstadens …"
                if last.kind == "district" and not coordinated and _SUBJECT_GAP.fullmatch(text, last.end, own_start):
                    return last.name, True
            if len(names) > 1:
                return None, True
            if names:
                # one district named with another place: a town's centre ("två i centrum och
                # på Söder") or the main town ("kvällar och helger i Ljusdal och Järvsö")
                if _GENERIC_PLACE.search(text, lo, hi) or _listed_with_municipality(places, offsets, text, lo, hi) \
                        or _listed_with_other_place(places, offsets, text, lo, hi):
                    return None, True
                return names[0], True
            if other_municipality:
                return None, True
            if lo == own_clause:
                return None, True  # "i tätorten": a place that is no district
        if _BACK_TO_PLACE.match(text, sent_start):
            # "Där upprätthålls funktionen av en socialsekreterare": the place the sentence
            # before named, if one
            names, _ = _districts_in(places, offsets, sentence_of(max(0, sent_start - 1)), sent_start)
            if len(names) == 1:
                return names[0], True
        return None, False

    sents = sentences(doc)
    sent_starts = [a for a, _ in sents]

    def sentence_of(offset: int) -> int:
        i = bisect.bisect_right(sent_starts, offset) - 1
        return sents[i][0] if i >= 0 else 0

    def sentence_end(offset: int) -> int:
        i = bisect.bisect_right(sent_starts, offset) - 1
        return sents[i][1] if i >= 0 else len(text)

    def statement_start(sent_start: int, at: int) -> int:
        """Where the words before a count begin: the sentence start, or the end of a
        heading the sentence splitter ran into it ("Skärholmen och Hägersten-Älvsjö
        Skärholmens stadsdelsförvaltning har två samordnare")."""
        i = bisect.bisect_right(heading_ends, at) - 1
        if i >= 0 and sent_start < heading_ends[i] <= at:
            end = heading_ends[i]
            while end < at and text[end].isspace():
                end += 1
            return end
        return sent_start

    def in_project_group(offset: int) -> bool:
        """Whether the section at ``offset`` lists who took part in a study or a project."""
        section = seg.section_at(offset)
        return bool(section and section.heading and rules.project_group.search(section.heading))

    def in_proposal(offset: int) -> bool:
        """Whether the section at ``offset`` is a proposal: its own heading says so, or it is
        a label ending in a colon under one that does (the levels of other headings are
        too often guessed to trust)."""
        section = seg.section_at(offset)
        while section is not None and section.heading:
            if rules.proposal_heading.search(section.heading):
                return True
            if not section.heading.rstrip().endswith(":") or section.parent is None:
                return False
            section = seg.sections[section.parent]  # a label under the heading above it
        return False

    title = seg.title_span
    if title:
        # a subtitle: the lines right under the title, up to a blank line, that end no sentence
        end = title[1]
        for _ in range(2):
            if not text.startswith("\n", end):
                break
            line_end = text.find("\n", end + 1)
            line_end = len(text) if line_end < 0 else line_end
            line = text[end + 1:line_end]
            if not line.strip() or line.rstrip().endswith((".", ":", "!", "?")):
                break
            end = line_end
        title = (title[0], end)
    # (a "title" or "heading" that ends a sentence is a sentence: a short text's first line)
    heading_spans = sorted(span for span in [(h.start, h.end) for h in seg.headings] + ([title] if title else [])
                           if not text[span[0]:span[1]].rstrip().endswith((".", "!", "?")))

    def in_heading(at: int) -> bool:
        i = bisect.bisect_right(heading_spans, (at, float("inf"))) - 1
        return i >= 0 and heading_spans[i][0] <= at < heading_spans[i][1]

    def states_fact(m, sent_start: int) -> bool:
        at = m.count_start if m.count_start is not None else m.start
        if in_heading(at):
            return False  # a title or heading names a topic: "Utredning om en socialsekreterare hos polisen"
        if m.headcount is None and _NAME_BEFORE_TITLE.search(text, max(0, at - 40), at):
            return False  # "Anders Nyström, kommunpolis": a person's title, no staffing stated
        if m.headcount in (None, 1) and not _NUMBER_AT.match(text, at) and _PREDICATE_BEFORE.search(text, max(0, at - 50), at) \
                and not _definite_role_at(text, at):
            # "hen är stadsdelsförvaltningens kontaktperson": the function of someone counted
            # (not the subject after the verb: "I Lyckeby är fältassistenten på plats …")
            return False
        if m.refers_back and any(f["role"] and same_role_kind(f["role"], m.role) for f in facts):
            return False  # "de två socialsekreterarna" after they were counted
        if m.whole_only and any(f["headcount"] == m.headcount and f["role"] and m.role and
                                same_role_kind(f["role"], m.role) for f in facts):
            return False  # "Tre av fem fältassistenter …" after the five were counted: the same five
        if in_project_group(at):
            return False
        lo, hi = rules.clause(text, sent_start, sentence_end(at), at)
        if in_proposal(at) and not rules.present_state.search(text, lo, hi):
            return False  # what the nämnd is asked to decide, unless it says what is today
        # a municipality anywhere before in the sentence sets the scene: "I Varbergs kommun,
        # som förvaltningen har studerat, finns sedan 2003 en socialsekreterare …"
        municipalities = [p.name for p in found[bisect.bisect_left(starts, sent_start):bisect.bisect_left(starts, hi)]
                          if p.kind == "municipality"]
        # the whole a part was told of: "två av sex tjänster har stått vakanta" states six posts
        headcount = None if m.whole_only else m.headcount
        frame_end = min([c for c in counts_in_sentence if lo <= c < at], default=at)
        return rules.states_fact(text, sent_start, lo, hi, at, municipality, municipalities, headcount, frame_end)

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
        counts_in_sentence[:] = [x.count_start for x in batch if x.count_start is not None]
        section = seg.section_at(batch[0].start)
        earlier = by_section.get(id(section), [])
        new: list[dict] = []
        for m in batch:
            at = m.count_start if m.count_start is not None else m.start
            m_sent_start = statement_start(sent_start, at)
            if not states_fact(m, m_sent_start):
                continue
            if m.kind == "sum_of_before":
                # "… en fältsekreterare, … en annan, och tre i centralorten. Tillsammans utgör de
                # kommunens fältgrupp": five, where the sentence before counted staff of one
                # role, none of them a part of another
                last = sentence_of(max(0, sent_start - 1))
                counted = [f for f in facts if sentence_of(f["start"]) == last]
                within = lambda f: f["kind"] == "part" and f.get("parent") is not None and \
                    (f["parent"]["headcount"] or 0) > (f["headcount"] or 0)  # noqa: E731
                if len(counted) < 2 or any(f["headcount"] is None or within(f) for f in counted) \
                        or len({f["role"] for f in counted}) != 1:
                    continue
                m.role, m.headcount, m.kind = counted[0]["role"], sum(f["headcount"] for f in counted), "group"
            if m.kind == "count_of_before":
                # "… sitter socialsekreterare i polishuset. De är två": the count of the staff
                # the section named last, completing their fact where it had none
                pool = [f for f in (new or earlier) if f["role"]]
                target = pool[-1] if pool else None
                if target is None:
                    continue
                if target["headcount"] is None:
                    target["headcount"], target["approximate"] = m.headcount, m.approximate
                    for key in _FACT_KEYS:
                        if target[key] is None and getattr(m, key) is not None:
                            target[key] = getattr(m, key)
                    continue
                m.role, m.kind = target["role"], "group"
            if m.kind == "attributes" and m.whole_group and m.days_min is not None:
                said_of_all.append(m)
            if m.kind == "attributes":
                # the fact about the district this sentence (or else its section) names,
                # else the latest: "Skärholmens … och de bemannar polishuset två dagar";
                # a sentence that names a role completes a fact of that role only
                pool = new or earlier
                if m.role is not None:
                    pool = [f for f in pool if f["role"] and same_role_kind(f["role"], m.role)]
                named, _ = _districts_in(found, starts, m.start, m.end)
                wanted = named[:1] or [_section_place(seg, m.start, canonical_district)]
                target = next((f for f in reversed(pool) if f["district"] in wanted and f["district"]), None) or \
                    (pool[-1] if pool else None)
                group = target if target is not None else next(
                    (f for f in reversed(facts) if f["role"] and m.role and same_role_kind(f["role"], m.role)), None)
                one_of_group = m.role is not None and m.headcount == 1 and not m.whole_group and group is not None \
                    and (group["headcount"] or 0) > 1
                district, decided = own_district(m, m_sent_start) if one_of_group else (None, False)
                if one_of_group and (m.has_attributes or district is not None):
                    # one of a group counted before, with what is its own ("Fältassistenterna är
                    # fem. … I Lyckeby är fältassistenten på plats tre kvällar i veckan"): a part
                    part = {"section": section, "district": district if decided else group["district"], "decided": decided,
                            "role": group["role"], "headcount": 1, "approximate": False, "kind": "part",
                            "start": max(m.start, m_sent_start), "end": m.end, "lpo": group["lpo"],
                            "parent": group, "group": group["group"], **{key: getattr(m, key) for key in _FACT_KEYS}}
                    for key in ("days_min", "days_max", "unit", "employment"):
                        if part[key] is None:
                            part[key] = group[key]
                    new.append(part)
                    continue
                if target is None and m.role is not None and (m.has_attributes or m.at_work) and (
                        not any(f["role"] and same_role_kind(f["role"], m.role) for f in facts)
                        or (m.whole_group and _section_places(seg, m.start, canonical_district))
                        or (m.has_attributes and m.headcount == 1 and _heading_names_role(section, m.role))):
                    # the first the document says of this role, with its working time or
                    # days ("Socialsekreteraren sitter hos polisen två dagar i veckan"), or
                    # what is said of all of them under a district's heading ("Hässelby
                    # gård … Fältassistenterna är på plats fyra kvällar i veckan"): a fact of
                    # its own, unless that district's staff of the role are counted; so is
                    # what a section headed by the role says of the one person ("Socialsekreterare
                    # hos närpolisen: Socialsekreteraren är projektanställd … Hon arbetar …")
                    district, decided = own_district(m, m_sent_start)
                    new.append({"section": section, "district": district, "decided": decided, "role": m.role,
                                "headcount": m.headcount, "approximate": False, "kind": "group", "start": max(m.start, m_sent_start),
                                "said_of_all": m.whole_group,
                                "end": m.end, "lpo": _context(found, starts, m_sent_start, m.end, "lpo"),
                                "group": len(facts) + len(new), **{key: getattr(m, key) for key in _FACT_KEYS}})
                    continue
                if target is None and m.role is None and m.days_min is not None and not pool:
                    # "Fältgruppen arbetar kvällstid tre dagar i veckan. Den består av fyra
                    # fältassistenter": said of the unit before its staff are counted
                    pending_days[id(section)] = (m.days_min, m.days_max)
                targets = [target] if target is not None else []
                if target is not None and m.role is None and rules.collective.match(text, m_sent_start):
                    last = sentence_of(target["start"])
                    targets = [f for f in pool if sentence_of(f["start"]) == last]
                groups = {t["group"] for t in targets}
                if target is not None:
                    for t in [f for f in facts + new if f["group"] in groups]:
                        for key in _FACT_KEYS:
                            if t[key] is None and getattr(m, key) is not None:
                                t[key] = getattr(m, key)
                    # "De sitter hos polisen i Tureberg …": the place the group had not stated
                    if target["district"] is None and not target["decided"] and len(named) == 1:
                        target["district"], target["decided"] = named[0], True
                continue
            district, decided = own_district(m, m_sent_start)
            fact = {"section": section, "district": district, "decided": decided, "role": m.role,
                    "headcount": m.headcount, "approximate": m.approximate, "kind": m.kind, "posts": m.posts,
                    "organisation": m.organisation, "field_posts": m.field_posts,
                    "start": max(m.start, m_sent_start), "end": m.end, "lpo": _context(found, starts, m_sent_start, m.end, "lpo"),
                    **{key: getattr(m, key) for key in _FACT_KEYS}}
            if m.kind == "part" and m.count_start is not None and _ONE_FOR_EACH.match(text, m.count_start):
                # "fyra socialsekreterare, en för vart och ett av områdena Lundby, Norra
                # Hisingen och Västra Hisingen": one in each place named
                names, _ = _districts_in(found, starts, m.count_start, m.end)
                if len(names) > 1:
                    parent = next((f for f in reversed(earlier + new)), None)
                    for name in names:
                        new.append({**fact, "role": fact["role"] or (parent["role"] if parent else None),
                                    "district": name, "decided": True, "kind": "each",
                                    "group": len(facts) + len(new)})
                    continue
            if m.kind == "each":
                # "Kungsholmen och Norra innerstaden har var sin samordnare": one each
                names, _ = _districts_in(found, starts, m_sent_start, m.count_start)
                for name in names or [district]:
                    new.append({**fact, "district": name, "decided": True, "group": len(facts) + len(new)})
                continue
            if m.kind in ("part", "more"):
                # the group it is part of: the latest fact larger than the part ("Två av
                # socialsekreterarna …. Den ena av dem …" is one of those two)
                larger = lambda f: f["headcount"] is None or m.headcount is None or f["headcount"] > m.headcount  # noqa: E731
                parent = next((f for f in reversed(earlier + new) if larger(f)), None) \
                    if m.kind == "part" else None
                sibling = new[-1] if new and m.kind == "part" and m.headcount is not None and m.count_start is not None \
                    and new[-1]["headcount"] == m.headcount and new[-1]["role"] \
                    and _SIBLING_JOIN.search(text, max(0, m.count_start - 8), m.count_start) else None
                if sibling is not None and (parent is None or parent["start"] < sent_start):
                    # "en områdespolis med ansvar för Hallstavik och en för Rimbo": one more of
                    # the same, beside it in the sentence, not a part of a larger group before
                    parent = sibling
                if m.ordinal:
                    # "Tre av dem …, och den fjärde …": of the group the parts before were of
                    before = next((f["parent"] for f in reversed(earlier + new) if f.get("parent") is not None), None)
                    parent = before or parent
                if m.remainder:
                    # "de andra": the rest of the group the part before was of
                    parent = next((f["parent"] for f in reversed(earlier + new) if f.get("parent") is not None), None)
                    if parent is None:
                        continue
                parent = parent or (new[-1] if new else (earlier[-1] if earlier else None))
                if parent is None and m.kind == "part" and section is not None:
                    # "Socialsekreterarna har arbetat måndag, onsdag och fredag hos närpolisen
                    # … Den ena tjänsten är …" under a heading of its own: one of the staff of
                    # the role its section names before it, counted earlier in the document
                    named = {base for _, _, base in default_staffing_finder().roles_in(text[section.start:m.start])}
                    parent = next((f for f in reversed(facts) if f["role"] and larger(f) and f["headcount"]
                                   and any(same_role_kind(f["role"], r) for r in named)), None)
                if parent is not None and m.role is None and _OTHER_PEOPLE.search(
                        text, parent["end"], m.count_start if m.count_start is not None else m.start):
                    # "… har 17 unga erbjudits att delta, och elva av dem har samtyckt": "dem"
                    # are the people counted in between, not the staff
                    parent = None
                if parent is None and m.role is None:
                    continue  # "två av dem" with nothing before it to be part of
                if m.kind == "part" and parent is not None and not (m.ordinal or m.remainder) and new:
                    # "Fältgruppen har sex fältsekreterare. Två fältsekreterare har Hallonbergen,
                    # två har Rissne …": the count these parts go on from is the first part of
                    # the same group, not a group of its own
                    _first_of_parts(new[-1], parent, sent_start, m.headcount)
                if parent is not None:
                    if m.fraction and parent["headcount"] and (parent["headcount"] * m.fraction).is_integer():
                        fact["headcount"] = int(parent["headcount"] * m.fraction)  # "varav hälften"
                    if m.remainder and parent["headcount"]:
                        # "Två av dem arbetar i Vargön, de andra i tätorten": six less two
                        counted = sum(f["headcount"] or 0 for f in facts + new if f.get("parent") is parent)
                        rest = parent["headcount"] - counted
                        fact["headcount"] = rest if 0 < rest < parent["headcount"] else None
                    if fact["role"] is None:
                        fact["role"] = parent["role"]
                    if not decided:
                        fact["district"] = parent["district"]
                        fact["decided"] = parent["decided"]
                    if fact["lpo"] is None:
                        fact["lpo"] = parent["lpo"]
                    if m.group_days and parent["days_min"] is None:
                        # "Två av dem arbetar i Andersberg, och gruppen är ute fredag och lördag kväll"
                        parent["days_min"], parent["days_max"] = fact["days_min"], fact["days_max"]
                    if m.kind == "part" or m.elliptic:
                        for key in ("days_min", "days_max", "unit", "employment"):
                            if fact[key] is None:
                                fact[key] = parent[key]
                    fact["parent"] = parent
                fact["group"] = parent["group"] if parent is not None and m.kind == "part" else len(facts) + len(new)
            else:
                fact["group"] = len(facts) + len(new)
            new.append(fact)
        # days said of the unit before its staff were counted are those of every group the
        # sentence that counts them names ("… träffas samverkansgruppen varannan onsdag. I den
        # ingår två socialsekreterare och kommunens fältassistent")
        days = pending_days.pop(id(section), None) if any(f["kind"] == "group" for f in new) else None
        for f in new:
            if days and f["kind"] == "group" and f["days_min"] is None:
                f["days_min"], f["days_max"] = days
            if not f["decided"]:
                heading_places = _section_places(seg, f["start"], canonical_district)
                if len(heading_places) > 1:
                    f["district"] = None  # "Fältverksamheten i Jordbro och Brandbergen": several together
                else:
                    f["district"] = (heading_places or [None])[0] or \
                        _paragraph_district(found, starts, text, f["start"], sentence_of(f["start"])) or document_district
            facts.append(f)
            by_section.setdefault(id(section), []).append(f)
    for f in facts:
        if f["role"] is None and f["kind"] == "group" and f["fte"] is None and not f.get("field_posts"):
            f["role"] = _role_said_before(text, sentence_of(f["start"]), sentence_of)
    facts = _units_of_the_work(facts, text, seg)
    _infer_roles(facts, text)
    for f in facts:
        if f["role"] is None and f["kind"] == "group":
            f["role"] = _role_said_before(text, sentence_of(f["start"]), sentence_of)
    facts = _days_of_all(facts, said_of_all, lambda at: _section_places(seg, at, canonical_district))
    placed_parts: dict[int, set[str]] = {}  # each group's districts its parts' own words name
    for g in facts:
        if g.get("parent") is not None and g["district"] and g["decided"]:
            placed_parts.setdefault(id(g["parent"]), set()).add(g["district"])
    for f in facts:
        # a group whose own words name no district, with parts in different ones ("Tre av dem
        # är anställda av Biskopsgårdens stadsdelsförvaltning och den fjärde … av Torslanda"),
        # is of several districts: none
        parts = placed_parts.get(id(f), set())
        if not f["decided"] and (len(parts) > 1 or f["district"] in parts):
            # … or one part of it is placed in the district the group was given from its
            # section ("3.2 Verksamheten i Vivalla … fyra fältassistenter varav en är
            # stationerad i Vivalla": the others are not)
            f["district"] = None
    _share_days(facts)
    out = []
    for f in facts:
        if f["role"] is None and f.get("posts"):
            continue  # "tre av nio tjänster" of a role the document does not make plain
        days = DaysPerWeek(min=f["days_min"], max=f["days_max"]) if f["days_min"] is not None else None
        out.append(Staffing(district=f["district"], lpo=f["lpo"], role=f["role"], headcount=f["headcount"],
                            approximate=f["approximate"], percent=f["percent"], fte=f["fte"],
                            days_per_week=days, full_time=f["full_time"], unit=f["unit"], employment=f["employment"],
                            span=make_span(text, f["start"], f["end"], pager)))
    return out


def _units_of_the_work(facts: list[dict], text: str, seg: Segmentation) -> list[dict]:
    """A unit's make-up ("Mottagningsgruppen har sju socialsekreterare") is staffing of
    the work where the unit is one of the work's own (a youth or field unit; "Gruppen"
    is the unit named before it, in the text or the section heading), where staff of that
    unit are said elsewhere to do the work, or where a part of it is ("Två av
    socialsekreterarna har sin arbetsplats hos polisen"); otherwise it describes the
    organisation around the work."""
    finder = default_staffing_finder()

    def stem(unit: Optional[str]) -> str:
        return re.sub(r"(?:en|et|n)$", "", (unit or "").casefold())

    def resolved(f: dict) -> str:
        section = seg.section_at(f["start"])
        unit = finder.unit_named_before(f["organisation"], text, section.start if section is not None else 0, f["start"])
        if unit is f["organisation"] and section is not None and section.heading:
            unit = finder.unit_named_before(unit, section.heading, 0, len(section.heading))
        return unit

    working = {stem(f["unit"]) for f in facts if not f.get("organisation") and f["unit"]}
    with_parts = {id(f["parent"]) for f in facts if f.get("parent") is not None and not f.get("organisation")}
    # one sentence's make-up is decided as a whole: "sju socialsekreterare och en gruppledare"
    described: dict[tuple, list[dict]] = {}
    for f in facts:
        if f.get("organisation"):
            described.setdefault((id(f["section"]), f["organisation"]), []).append(f)
    dropped: set[int] = set()
    for members in described.values():
        unit = resolved(members[0])
        field_staff = any(f["role"] and finder.is_field_unit(f["role"]) for f in members)  # "Gruppen har fem fältare"
        if not (finder.is_field_unit(unit) or field_staff or stem(unit) in working or any(id(f) in with_parts for f in members)):
            dropped.update(id(f) for f in members)
    return [f for f in facts if id(f) not in dropped]


def _infer_roles(facts: list[dict], text: str) -> None:
    """A post whose role the sentence does not name ("Farsta
    stadsdelsförvaltning har 1,5 tjänst fördelad på två personer", "Fältgruppen har
    förstärkts med två tjänster") is of the role of the nearest fact of its section, of
    its unit where both name one. A post is no headcount: "två heltidstjänster" may be four
    people at half time."""
    finder = default_staffing_finder()
    field_unit = finder.is_field_unit
    named_field_roles: Optional[list[str]] = None
    for f in facts:
        if f["role"] is None and f.get("field_posts"):
            # "förstärkt fältverksamheten med två tjänster": the field workers the document names
            near = sorted((g for g in facts if g["role"] and field_unit(g["role"])), key=lambda g: abs(g["start"] - f["start"]))
            if near:
                f["role"] = near[0]["role"]
                continue
            # … or, where no fact of theirs was stated, the field workers' title its words name
            # most often (the first of equals)
            if named_field_roles is None:
                named_field_roles = [base for _, _, base in finder.roles_in(text) if base.casefold().startswith("fält")]
            if named_field_roles:
                f["role"] = max(dict.fromkeys(named_field_roles), key=named_field_roles.count)
                continue
        if f["role"] is None and f["fte"] is not None:
            unit = (f.get("unit") or "").casefold()
            near = sorted((g for g in facts if g["role"] and g["section"] is f["section"]
                           and (not unit or not g.get("unit") or g["unit"].casefold() == unit)),
                          key=lambda g: abs(g["start"] - f["start"]))
            if near:
                f["role"] = near[0]["role"]
    for f in facts:
        parent = f.get("parent")
        if f["role"] is None and parent is not None and parent["role"]:
            f["role"] = parent["role"]  # "En av dem är projektanställd …" of posts whose role was found


def _days_of_all(facts: list[dict], said_of_all: list, section_places: Callable[[int], list[str]]) -> list[dict]:
    """Days said of all staff of a role hold for each fact of that role that states none,
    wherever in the document ("Tre fältsekreterare arbetar i centralorten. … Fältsekreterarna
    arbetar måndag–torsdag": the three work four days) — but under a district's heading
    "Socialsekreterarna" are that district's, so there only the facts under the same
    district. Where the document counts them, the statement is theirs, not a fact of its own."""
    for m in said_of_all:
        places = section_places(m.start)
        # a unit's staff are those named after it: "Fältgruppen" of "fältassistenter"
        of_role = (lambda r: same_role_kind(r, m.role)) if m.role else \
            (lambda r: r[:4].casefold() == (m.organisation or "")[:4].casefold())
        same = [f for f in facts if f["role"] and of_role(f["role"]) and not f.get("said_of_all")
                and section_places(f["start"]) == places]
        for f in same:
            if f["days_min"] is None:
                f["days_min"], f["days_max"] = m.days_min, m.days_max
        if any(f["headcount"] is not None for f in same):
            facts = [f for f in facts if not (f.get("said_of_all") and f["role"] and of_role(f["role"]))]
    return facts


def _role_said_before(text: str, sent_start: int, sentence_of: Callable[[int], int]) -> Optional[str]:
    """"Fältsekreterarna arbetar kvällstid … Gruppen har 4,5 tjänster som fördelas på fem
    personer": the one kind of staff the sentence before names, if it names one kind."""
    if sent_start == 0:
        return None
    before = sentence_of(sent_start - 1)
    if "\n\n" in text[before:sent_start].strip():
        return None  # another paragraph
    roles = [base for _, _, base in default_staffing_finder().roles_in(text[before:sent_start])]
    return roles[-1] if roles and all(same_role_kind(roles[-1], r) for r in roles) else None


def _share_days(facts: list[dict]) -> None:
    """Days said of a group hold for its parts ("Fältgruppen består av sex fältsekreterare.
    … Fyra av dem arbetar i första hand på Drottninghög", the group working two to three
    evenings a week), and days said of a unit hold for its other statements in the same
    section ("Fältgruppen arbetar nu kvällstid fyra dagar i veckan. Fältgruppen består av
    sju fältassistenter")."""
    for f in facts:
        if f["days_min"] is None and f.get("unit"):
            unit = f["unit"].casefold()
            same = [g for g in facts if g is not f and g["section"] is f["section"] and g["days_min"] is not None
                    and g["kind"] != "part" and (g.get("unit") or "").casefold() == unit
                    and (g["role"] is None or f["role"] is None or same_role_kind(g["role"], f["role"]))]
            if same:
                f["days_min"], f["days_max"] = same[0]["days_min"], same[0]["days_max"]
    for f in facts:
        parent = f.get("parent")
        if f["days_min"] is None and f["kind"] == "part" and parent is not None and parent["days_min"] is not None:
            f["days_min"], f["days_max"] = parent["days_min"], parent["days_max"]


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
