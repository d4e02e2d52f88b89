"""Staffing facts: who works in the described function, how many, how much of their time,
how many days a week, how employed, in which unit.

A sentence is read as a row of *counts*, each tied to a role or to an earlier group of
staff: "Fältgruppen består av sju fältassistenter" (a count before its role), "Tre av
kuratorerna" and "två av dem" (a part of a group), "Fältsekreterarna är fyra till antalet"
(a count after its role), "ytterligare en", "de övriga två", "den ena … den andra …",
"var sin samordnare" (one for each place named), "ingen egen SIG-samordnare" (none). Each
count opens a fact; what follows it up to the next count (working time, days, employment,
a place) belongs to it: "två på heltid och en på 75 procent" is two facts. A sentence with
a role and a placement ("socialsekreterare är placerade hos polisen") but no count is a
fact with no headcount. The extract stage links facts to the groups they are part of and
to their district.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from pipeline.finders.numbers import cardinals, number_pattern, parse_number
from pipeline.patterns import phrase_pattern
from pipeline.resources import load_json


def same_role_kind(a: str, b: str) -> bool:
    """Two names of one kind of role: equal, or one a compound whose last part is the
    other ("SIG-samordnare" is a kind of "samordnare", "områdessocialsekreterare" of
    "socialsekreterare")."""
    a, b = " ".join(a.split()).casefold(), " ".join(b.split()).casefold()
    return a == b or a.endswith(b) or b.endswith(a)


@dataclass
class StaffingMatch:
    """One count of staff and what the text says about it.

    ``kind`` says how the count relates to others: "group" (a role with its count, or a
    role with a placement and no count), "part" (a part of a group named before: "två av
    dem", "den ena", "varav tre", a bare "två" after a group), "each" (one per place
    coordinated before it: "X och Y har var sin samordnare"), "more" ("ytterligare en"),
    "attributes" (no count: a later sentence that adds days or working time to the fact
    before it)."""

    start: int
    end: int
    role: Optional[str]
    headcount: Optional[int]
    days_min: Optional[float] = None
    days_max: Optional[float] = None
    full_time: Optional[bool] = None
    unit: Optional[str] = None
    employment: Optional[str] = None
    kind: str = "group"
    approximate: bool = False
    percent: Optional[float] = None
    fte: Optional[float] = None
    #: the span of the count itself, and where the fact's own words start (for its place)
    count_start: Optional[int] = None
    whole_only: bool = False  # a group named inside a part ("tre av de fyra …"): no place of its own
    fraction: Optional[float] = None  # "hälften": a share of the group it is part of
    elliptic: bool = False  # "… medan Farsta har en": the same kind of staff, stated again
    refers_back: bool = False  # "de två ungdomspoliserna": staff the text may have named before
    posts: bool = False  # counted as posts ("tre tjänster"): people only where the role is known
    organisation: Optional[str] = None  # the unit whose make-up the sentence tells
    field_posts: bool = False  # posts of a field unit ("fältverksamheten … två tjänster"), role from the document
    remainder: bool = False  # "de andra": the group less the parts counted before
    ordinal: bool = False  # "den tredje", "den fjärde": one more of the group the parts before were of
    whole_group: bool = False  # said of all staff of the role: "Fältsekreterarna arbetar …", "Fältassistenternas kvällsarbete …"
    at_work: bool = False  # one person of the role at work, no count: "kommunpolisen ska delta i …"
    group_days: bool = False  # a part's days stated of its whole group: "Två av dem …, och gruppen är ute fredag och lördag"

    @property
    def has_attributes(self) -> bool:
        return any(v is not None for v in (self.days_min, self.full_time, self.employment, self.percent, self.fte))


_LOWER_WORD = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
#: how many words' role names are remembered before the memo starts afresh
_ROLE_NAMES_LIMIT = 50_000
_COUNT_PRECEDERS = set(",./:-_")


def _word_start(s: str, i: int) -> int:
    """The start of the word (letters, digits, hyphens) that holds position ``i``."""
    while i > 0 and (s[i - 1].isalnum() or s[i - 1] in "-_"):
        i -= 1
    return i

# literal hints, looked for in the lower-cased sentence before a pattern is tried
_UNIT_HINTS = ("grupp", "enhet", "sektion", "mottagning", "team")
_ORGANISATION_HINTS = ("gruppen", "enheten", "sektionen", "avdelningen")
# a word of the text: "socialsekreterarna", "SIG-samordnare", "SSPF-samordnaren"
_WORD = re.compile(r"(?<![\w-])[^\W\d_][\w]*(?:-[\w]+)*(?![\w-])")


def _inflections(base: str) -> list[str]:
    """The forms of a Swedish agent noun: socialsekreterare(n|na → -arna), fältassistent(en,
    er, erna), socionom(en, er, erna); each with its genitive."""
    if base.endswith("are"):
        forms = [base, base + "n", base[:-1] + "na"]
    elif base.endswith("or"):
        forms = [base, base + "n", base + "er", base + "erna"]
    elif base.endswith("a"):
        forms = [base, base + "n", base[:-1] + "or", base[:-1] + "orna"]
    else:
        forms = [base, base + "en", base + "er", base + "erna"]
    return forms + [f + "s" for f in forms if not f.endswith("s")]


class StaffingFinder:
    def __init__(self, data: dict):
        known, compound = self._init_roles(data)
        self._init_counts(data, known, compound)
        self._init_working_time(data)
        self._init_context(data)
        self._init_meetings(data)
        self._init_triggers(data)
        # a need, wish or proposal, and the phrases that only say when staff are called in
        # ("vid behov"): read here and by the statement rules of pipeline.extract
        self.need = re.compile(rf"(?<![\w-])(?i:{phrase_pattern(data['not_facts']['words'])})(?![\w-])")
        self.condition_of_use = re.compile(
            rf"(?<![\w-])(?i:{phrase_pattern(data['conditions_of_use']['words'])})(?![\w-])")

    def _init_roles(self, data: dict) -> tuple[str, str]:
        """Every form of each role, the heads a compound role ends in, and the patterns of a
        role: a known form (``known``) or a compound of a head (``compound``)."""
        roles = data["roles"]
        not_roles = {w.casefold() for w in roles.get("not_roles", [])}
        organisation = {w.casefold() for w in roles.get("organisation_when_definite", [])}
        self.role_of: dict[str, str] = {}
        for base in roles["base"]:
            forms = roles.get("irregular", {}).get(base) or _inflections(base)
            for form in {base, *forms}:
                if form.casefold() in not_roles:
                    continue
                if base.casefold() in organisation and form.casefold() in (base + "en", base + "ens"):
                    continue  # "polisen" is the police, not one police officer
                self.role_of.setdefault(form.casefold(), base)
        self._organisation_forms = {f for b in organisation for f in (b + "en", b + "ens")} | {"polisen", "polisens"}
        heads = sorted({h for h in roles.get("compound_heads", [])}, key=len, reverse=True)
        head_forms = sorted({f for h in heads for f in _inflections(h)}, key=len, reverse=True)
        self._heads = {f.casefold(): h for h in heads for f in _inflections(h)}
        known = phrase_pattern(self.role_of)
        # a role: a known form, or a compound whose last part is a role's head
        # ("områdessocialsekreterare", "SSPF-samordnaren"); its whole word is the role
        compound = rf"[A-ZÅÄÖa-zåäö]{{2,}}-?(?:{phrase_pattern(head_forms)})"
        self._role = re.compile(rf"(?<![\w-])(?P<role>(?i:{known})|{compound})(?![\w-])")
        self._not_roles = not_roles
        self._role_names: dict[str, Optional[str]] = {}
        self._last_roles: tuple = (None, [])
        self._last_starts: tuple = (None, [])
        self._last_words: tuple = (None, ("", set()))
        self._police = {r.casefold() for r in roles.get("police", [])}
        return known, compound

    def _init_counts(self, data: dict, known: str, compound: str) -> None:
        """The counts of staff in all their forms, and the words that must stand in a
        sentence for each to be tried."""
        num = number_pattern()
        numbers = load_json("numbers.json")
        tens = numbers["approximate_tens"]
        self._approx = {k.casefold(): v for k, v in numbers["approximate"].items()}
        self._approx.update({f"ett {w}{tens['suffix']}": v for w, v in cardinals().items() if v >= tens["from"]})
        self._hedge = re.compile(rf"^(?:{phrase_pattern(numbers['hedges'])})\s+", re.I)
        self._vague = {w.casefold() for w in numbers["vague"]}
        self._both = {k.casefold(): v for k, v in numbers["both"].items()}
        hedge = phrase_pattern(numbers["hedges"])
        approx = phrase_pattern(set(self._approx) | self._vague | set(self._both))
        adjectives = phrase_pattern(data["adjectives_before_role"])
        # the phrases first: "ett tiotal" is one count, not "ett" and a word
        count = rf"(?P<n>(?i:{approx})|(?i:(?:(?:{hedge})\s+)?{num}))"
        self._num = num
        # "tre (nya) socialsekreterare", "tre av kuratorerna", "två av de fyra fältassistenterna"
        self._count_role = re.compile(
            rf"(?<![\w,./:-]){count}\s+(?:(?i:av)\s+(?:(?i:de|dessa|våra|[a-zåäö]+s)\s+)?(?:(?P<total>(?i:{num}))\s+)?)?"
            rf"(?:(?i:{adjectives})\s+){{0,2}}(?P<role>{_WORD.pattern})")
        # "två av dem", "en av dessa"
        # "två av dem", "två av tjänsterna": part of the staff or posts counted before
        served = phrase_pattern([w.split()[-1] for w in data["people_served"]["words"]])
        self._count_of_them = re.compile(
            rf"(?<![\w,.-]){count}\s+(?i:av)\s+(?i:dem|dessa|de\s+(?!(?:{served})\b)\w+a|tjänsterna|platserna|medarbetarna)\b"
            rf"(?!\s+(?i:{known}))")
        # the same with "av dem" first: "Av dem har en Styckåsen som område och en Dottevik"
        self._of_them_first = re.compile(
            rf"(?<![\w-])(?i:av)\s+(?i:dem|dessa)\s+(?:(?i:har|hade|är|var|arbetar|arbetade|utgår|ansvarar|sköter)\s+)"
            rf"(?:(?i:numera|nu|i\s+dag)\s+)?{count}(?=\s)")
        # "tre tjänster", "två av sex tjänster", "sju socialsekreterartjänster": a whole number
        # of posts is that many people (a fraction, "1,5 tjänst", is a volume only)
        self._post_count = re.compile(
            rf"(?<![\w,.-]){count}\s+(?:(?i:av)\s+(?P<total>(?i:{num}))\s+)?(?P<head>[a-zåäöA-ZÅÄÖ-]*?)"
            rf"(?i:tjänst|tjänster)(?![\wåäö])(?!\s+(?i:som)\b)")
        # "den ena", "den andra": one of two named before
        self._one_of_two = re.compile(r"(?<![\w-])(?i:den|det)\s+(?P<w>ena|andra|tredje|fjärde|femte|sjätte|förstnämnda|sistnämnda)(?![\w-])")
        # one of the staff named by what they do, or as the other's colleague: "Den som arbetar
        # heltid har centralorten …", "Hennes kollega arbetar halvtid", "Kollegan rör sig i …"
        work = phrase_pattern(data["at_work"]["verbs"] + ["arbetar", "har", "utgår", "är ute", "är placerad", "är anställd",
                                                          "är på plats", "finns på plats", "sitter"])
        self._one_who = re.compile(
            rf"(?:^|(?<=[,;:]\s)|(?<=\s(?i:och|men)\s)|(?<=\s(?i:medan)\s))"
            rf"(?:(?i:den)\s+(?i:som)|(?i:hennes|hans|dennes)\s+(?i:kollega)|(?i:kollegan))"
            rf"(?=\s+(?:(?i:också|även|nu|främst|huvudsakligen)\s+)?(?i:{work})(?![\w-]))")
        # "de övriga två", "övriga tre", "de två andra", "de andra två"
        counted = lambda name: rf"(?P<{name}>(?i:(?:(?:{hedge})\s+)?{num})|(?i:{approx}))"  # noqa: E731
        self._others = re.compile(
            rf"(?<![\w-])(?:(?:(?i:de)\s+)?(?:(?i:övriga)\s+{counted('n1')}|{counted('n2')}\s+(?i:övriga|andra)|(?i:andra)\s+{counted('n3')})"
            rf"|(?i:de)\s+{counted('n4')}(?=\s+(?i:som)\b))(?![\w-])")
        # the rest of a group some of whom were just counted, with no number of its own:
        # "Två av dem arbetar i Vargön, de andra i tätorten", "… medan övriga rör sig i centrum"
        self._remainder = re.compile(
            r"(?<![\w-])(?i:de\s+andra|de\s+övriga|övriga|resten)(?=\s+(?i:i|på|vid|inom|har|hade|arbetar|rör|är|var|finns|"
            r"sköter|ansvarar|tar|utgår|delar(?!\s+(?i:av)\b))\b|\s*[,.;:–])")  # not "övriga delar av kommunen"
        # "ytterligare en (socialsekreterare)"
        self._more = re.compile(rf"(?<![\w-])(?i:ytterligare)\s+{count}(?![\w-])")
        # "varav två", ", två på heltid och en på 75 procent", "två i Hallunda-Norsborg"
        self._bare_part = re.compile(
            rf"(?:(?i:varav|så\s+att)\s+|[,;:(]\s*|\s(?i:och|samt|medan|men)\s+|(?<=\s)(?i:arbetar|arbetade|sitter|tjänstgör|deltar|jobbar)\s+)"
            rf"(?:(?i:endast|bara|enbart|blott)\s+)?"  # "fyra tjänster men endast tre är tillsatta"
            rf"(?P<n>(?i:(?:(?:{hedge})\s+)?{num})|(?i:{approx})|(?i:hälften))"
            rf"(?=\s+(?i:på|i|är|har|hade|arbetar|arbetade|med|från|inom|vid|som|jobbar|finns|tjänstgör|projekt|tillsvidare|visstid"
            rf"|särskilt|främst|huvudsakligen|enbart|bara|också|även|sedan|numera|nu|dessutom|sedermera)\b"
            # "varav en arbetar 75 procent och en heltid": a working time after the count
            rf"|\s+(?i:heltid|halvtid|deltid)\b(?!\s+(?i:tjänst|tjänster)\b)|\s+\d{{1,3}}\s*(?:%|(?i:procent)\b)"
            rf"|\s+(?i:för)\s+(?:(?i:vart|var|varje)\b|[A-ZÅÄÖ]))")
        self._elliptic = re.compile(
            rf"(?:,\s*|\s)(?i:och|samt|medan|men)\s+(?:(?i:i|på|inom|för)\s+)?(?P<place>[A-ZÅÄÖ][\wåäö]+(?:[- ][A-ZÅÄÖ][\wåäö]+)*)"
            rf"\s+(?:(?i:har|hade|finns|fanns)\s+)?{count}(?=\s*[.,;]|\s*$)")
        # "De är två", "Dessa är tre till antalet": a count of the staff the sentence before named
        self._pronoun_count = re.compile(
            # "De är två", and with a time first: "Vid årets slut var de fyra"
            rf"(?:(?i:de|dessa)\s+(?i:är|var|blir)|(?:[\w-]+\s+){{1,4}}?(?i:är|var|blir)\s+(?i:de|dessa))"
            rf"\s+(?:(?i:nu|numera|i\s+dag|alltså)\s+)?{count}"
            rf"(?:\s+(?i:till\s+antalet))?(?=\s*[.,;:]|\s+(?i:och|men|varav)\b|\s*$)")
        # "Fältsekreterarna är fyra till antalet", "socialsekreterare, två stycken,", "Fältarbetarna
        # var vid årets början fem och vid årets slut fyra" (the later count holds)
        when = rf"(?i:{phrase_pattern(data['points_in_time']['words'])})"
        self._count_after = re.compile(
            rf"(?:\s+(?i:i|på|inom|från|vid|hos)\s+[\w-]+(?:\s+[\w-]+){{0,3}}?|\s+(?i:där|här))?"
            rf"(?:\s+(?i:är|var|blir)(?:\s+(?:(?i:numera|nu|i\s+dag|då|fortfarande|sedan\s+dess|därmed|alltså|sammanlagt|totalt|"
            rf"efter\s+\w+|under\s+(?:\d{{4}}|året|perioden|hösten|våren|sommaren))|{when}))*\s+(?:(?i:{num})\s+(?i:och|men)\s+{when}\s+)?"
            # inverted order, the verb before the role: "Sammantaget är fältassistenterna alltså fem"
            rf"|(?:\s+(?i:alltså|sammanlagt|totalt|därmed|numera))+\s+"
            rf"|,\s*(?:(?i:sammanlagt|totalt|tillsammans|i\s+dag)\s+)?|,\s*(?i:som)(?:\s+(?i:i\s+dag|nu|numera|då)|\s+(?i:för)\s+[\w-]+\s+(?i:del))?\s+(?i:är|var)\s+|:\s*){count}"
            rf"(?=(?:\s+{when})?(?:\s+(?i:till\s+antalet|stycken|st\b|personer)|\s*[.,;:](?!\d)|\s+(?i:och|men|varav|som|samtliga|båda|alla)\b))")
        # "X och Y har var sin samordnare"
        self._each = re.compile(rf"(?<![\w-])(?i:var\s+sin|var\s+sitt|varsin|varsitt)\s+(?:(?i:{adjectives})\s+)?(?P<role>(?i:{known})|{compound})")
        # "ingen (egen) SIG-samordnare", "saknar fältsekreterare"
        self._none = re.compile(
            rf"(?<![\w-])(?i:inte\s+har\s+(?:någon|några|egna|egen)|har\s+inte\s+(?:någon|några|egna|egen)|saknar(?:\s+(?:i\s+dag|nu|numera|fortfarande|ännu|helt|längre))?|(?:har|hade|finns|fanns|fått)\s+(?:\w+\s+){{0,2}}(?:ingen|inga)|^(?:ingen|inga))\s+(?:(?i:några|ännu|egen|egna|någon|fast|fasta)\s+)*(?P<role>(?i:{known})|{compound})(?![\w-])")
        self._not_staffing = re.compile(
            rf"(?<![\w-])(?i:{phrase_pattern(data['not_staffing']['words'] + data['departures']['words'])})(?![\w-])")
        self._departure = re.compile(rf"(?<![\w-])(?i:{phrase_pattern(data['departures']['words'])})(?![\w-])")
        self._part_turnover = re.compile(rf"(?<![\w-])(?i:{phrase_pattern(data['part_turnover']['words'])})(?![\w-])")
        self._owner_before = re.compile(rf"(?<![\w-])(?i:{phrase_pattern(data['not_new_after'])})\s+$")
        self._part_follower = re.compile(rf"\s*(?:(?i:{phrase_pattern(data['part_followers'])})(?![\w-])|[,.;:])")
        self._presence_before = re.compile(rf"(?<![\w-])(?i:{phrase_pattern(data['presence_before_role'])})\s+(?:\w+\s+){{0,2}}$")
        presence_after = data["presence_after_role"]
        self._presence_after = re.compile(
            rf"(?:\s+(?i:från|på|i|inom|vid)\s+[\w-]+(?:\s+(?:och\s+)?[\w-]+){{0,4}}?)?"
            rf"(?:\s+(?i:{phrase_pattern(presence_after)})|\s+(?i:har|hade)\s+(?:[\w-]+\s+){{1,3}}?(?i:funnits|suttit|arbetat|tjänstgjort|varit))(?![\w-])")
        people = data["generic_people"]
        # "sju personer", "två anställda som socialsekreterare hos polis"
        self._people_singular = {k.casefold(): v for k, v in people["singular"].items() if not k.startswith("_")}
        self._people = re.compile(rf"(?<![\w,./:-]){count}\s+(?P<word>(?i:{phrase_pattern(people['words'])}))(?![\w-])"
                                  rf"(?:\s+(?i:som)\s+(?P<role>(?i:{known})|{compound})(?![\w-]))?")
        self._people_words = {w.casefold() for w in people["words"]}
        self._total_before = re.compile(rf"(?<![\w-])(?i:{phrase_pattern(people['total_words'])})\s+$")
        self._people_verb = re.compile(rf"(?<![\w-])(?i:{phrase_pattern(people['verbs'])})(?![\w-])")
        self._people_unit = re.compile(rf"(?<![\w-])(?i:{phrase_pattern(people['units'])})(?![\w-])")
        self._vague_needs = re.compile(rf"(?<![\w-])(?i:{phrase_pattern(data['vague_needs'])})(?![\w-])")
        # "en (ny) tjänst som SSPF-samordnare", "en halvtidstjänst som …", "0,5 tjänst som …"
        self._post_as = re.compile(
            rf"(?<![\w,.-])(?P<n>\d+,\d+|(?i:{num}))\s+(?:(?i:ny|nya|extra|särskild|egen)\s+)?(?P<kind>(?i:halvtids|heltids))?"
            rf"(?i:tjänst|tjänster)\s+(?i:som)\s+(?P<role>(?i:{known})|{compound})(?![\w-])")
        units = data["organisation_units"]
        self._unit_description = re.compile(
            rf"(?<![\w-])(?P<unit>[a-zåäöA-ZÅÄÖ-]*(?i:{phrase_pattern(units['suffixes'])}))(?![\w-])(?:,?\s+(?i:som))?\s+(?:[\wåäö,-]+\s+){{0,6}}?"
            rf"(?i:{phrase_pattern(units['verbs'])})(?![\w-])")
        self._field_prefixes = tuple(p.casefold() for p in units["field_prefixes"])
        self._unit_name = re.compile(rf"(?<![\w-])[\wåäöÅÄÖ-]*(?i:{phrase_pattern(units['suffixes'])})(?![\w-])")
        self._field_work = re.compile(rf"(?i:{phrase_pattern(units['field_work_subjects']['words'])})(?![\w-])")
        self._bare_units = {u.casefold() for u in units["suffixes"]}
        self._post_title = re.compile(rf"(?i:tjänst\w*)\s+(?:(?i:som)\s+)?(?P<role>(?i:{known})|{compound})(?![\w-])")
        self._and_role = re.compile(rf"\s+(?i:och|samt)\s+(?:(?i:{known})|{compound})(?![\w-])")
        # which words a sentence must hold for each reading to be tried at all: most
        # sentences hold few of them, and a set lookup is far cheaper than a pattern scan
        first = lambda phrases: {p.split()[0].casefold() for p in phrases}  # noqa: E731
        self._number_words = set(cardinals()) | first(self._approx) | self._vague | first(self._both) | \
            first(numbers["hedges"]) | {"hälften", "halv", "halva"}
        self._time_words = {w.split()[-1].casefold() for w in set(data["percent_words"]) | set(data["full_time"]["true"]) |
                            set(data["full_time"]["false"])} | {"procent", "heltid", "deltid", "halvtid"}
        self._employment_hints = tuple(sorted({w.split()[0][:6].casefold() for forms in data["employment"].values()
                                               for w in forms}))
        # matched in the lower-cased sentence (same offsets), without a case-insensitive scan
        self._count_start = re.compile(rf"(?:\d|(?:{phrase_pattern(self._number_words)})(?![\w-]))")
        # where a role may stand, found in the lower-cased text by its literal forms (fast),
        # then widened to the whole word: "områdessocialsekreterarna" holds "socialsekreterarna"
        self._role_hint = re.compile(phrase_pattern({f.lower() for f in self.role_of} | set(self._heads)))
        self._day_unit_hint = re.compile(phrase_pattern({u.casefold() for u in data["day_units"]}))
        self._weekday_hint = re.compile(phrase_pattern({d.casefold() for d in data["weekdays"]}))
        self._count_pattern = count
        at_work = data["at_work"]
        self._work_verb_after = re.compile(
            rf"\s+(?:(?i:också|även|nu|numera|i\s+första\s+hand|främst|bland\s+annat)\s+)?(?i:{phrase_pattern(at_work['verbs'])})(?![\w-])")
        self._work_verb_before = re.compile(
            rf"(?<![\w-])(?:(?i:{phrase_pattern(['ingår', 'deltar', 'medverkar'])})|"
            rf"(?i:{phrase_pattern(at_work['assigning'])}))\s+(?:(?i:också|även|dessutom)\s+)?$")
        # "… är placerad", "… arbetar heltid och är anställd …": a singular predicative in the
        # role's clause (up to a comma, semicolon or full stop)
        self._singular_predicate = re.compile(
            rf"[^,.;:()]*?(?<![\w-])(?i:är|var|blir|blev|har\s+varit)\s+(?:[\w-]+\s+)?"
            rf"(?i:{phrase_pattern(data['singular_predicates']['words'])})(?![\w-])"
            # one person's share of a working time: "Kommunens samordnare, som arbetar på 50 procent"
            # (several would work "50 procent vardera")
            rf"|,?\s*(?i:som)\s+(?i:arbetar|är\s+anställd|tjänstgör)\s+(?i:på\s+)?(?:\d{{1,3}}\s*(?:%|(?i:procent))|(?i:halvtid|deltid))"
            rf"(?!\s+(?i:vardera|var|var\s+och\s+en)\b)")
        # a count standing before a role, perhaps with adjectives between: "två (nya) samordnare"
        self._counted_before = re.compile(rf"(?<![\w-])(?i:{num})\s+(?:[\w-]+\s+){{0,2}}$")

    def _init_working_time(self, data: dict) -> None:
        """Working time, volume, days per week, employment and unit."""
        num, count = self._num, self._count_pattern
        self._fte = re.compile(
            rf"(?<![\w,.-])(?P<n>\d+,\d+|\d+|(?i:{num}))\s+(?i:(?P<kind>heltids|halvtids)?tjänst(?:er)?|årsarbetare|årsarbetskrafter)(?![\w-])")
        self._persons = re.compile(rf"(?:(?i:fördelad[et]?|fördelade|fördelas|uppdelad[et]?|uppdelade|uppdelas|delas)\s+(?i:på|mellan)"
                                   rf"|(?i:delas|delad|delade|delat|upprätthålls|bemannas|bemannad)\s+(?i:av))\s+{count}\s+(?i:personer|medarbetare|anställda|tjänstepersoner)")
        percent_word = phrase_pattern(data["percent_words"])
        self._percent_of = {k.casefold(): v for k, v in data["percent_words"].items()}
        self._percent = re.compile(
            rf"(?:(?<![\w-])(?P<word>(?i:{percent_word}))(?![\w-])"
            rf"|(?<![\w,.])(?P<p>\d{{1,3}})\s*(?:%|(?i:procent))(?:s\b)?(?!\s+(?i:av)\s+(?!(?i:sin|sina|arbetstiden|heltid|en\s+heltid)\b)|\s+(?i:fler|färre|högre|lägre|mer|mindre|av\s+alla|av\s+de)\b))")
        self._percent_cue = re.compile(r"(?i:på|arbetar|arbetade|vardera|tjänstgör|om|anställd|anställda|avsätter|\()\s*$")
        self._days = re.compile(
            rf"(?<![\w-])(?P<a>(?i:{num}))(?:\s*(?:(?i:till|eller|à)|–|-)\s*(?P<b>(?i:{num})))?\s+(?P<unit>(?i:{phrase_pattern(data['day_units'])}))"
            rf"(?:\s+|\s*(?=/))(?P<per>(?i:i|per|om|varje|/|varannan)\s*(?i:veckan|vecka))")
        self._daily = re.compile(rf"(?<![\w-])(?i:{phrase_pattern(data['daily'])})(?![\w-])")
        self._day_units = {k.casefold(): v for k, v in data["day_units"].items()}
        self._evening_units = {u.casefold() for u in data["evening_units"]["units"]}
        weekday_form = rf"(?P<d>{phrase_pattern(data['weekdays'])})"
        self._weekday_of = {k: v for k, v in data["weekdays"].items()}
        # "tisdagar", "tisdagen", "fredagskvällar", "fredags- och lördagskvällar"
        wd = rf"(?:{phrase_pattern(data['weekdays'])})(?:s(?:kvällar(?:na)?|kväll(?:en)?|nätter(?:na)?|natt(?:en)?|" \
             rf"eftermiddag(?:ar(?:na)?|en)?|förmiddag(?:ar(?:na)?|en)?)|s-|ar(?:na)?|en)?"
        # one weekday or a span of them: "tisdag", "varannan lördag", "måndag–torsdag",
        # "tisdag till fredag"; a chain of them joined by "och", "samt", "och därtill" … is
        # one statement of days ("tisdag till fredag och därtill varannan lördag")
        # a part of a day after it counts half ("varannan fredag förmiddag", "tisdagseftermiddagar")
        part_of_day = phrase_pattern([u for u, v in data["day_units"].items() if v < 1])
        # two parts joined make the day whole ("onsdagar eftermiddag och kväll")
        day_part = phrase_pattern(data["day_parts"]["parts"])
        self._weekday_item = re.compile(
            rf"(?<![\w-])(?i:(?P<every>varannan\s+|var\s+annan\s+|varje\s+|alla\s+)?(?P<a>{wd})"
            rf"(?:\s*(?:till|–|-|—)\s*(?P<b>{wd}))?(?:\s+(?P<part>{part_of_day})"
            rf"(?:\s+(?:och|samt)\s+(?P<part2>{day_part})(?![\w-]))?)?)(?![\w-])")
        self._weekday_join = re.compile(
            r"\s*(?:,\s*)?(?i:(?:och|samt|eller|plus|liksom)\s+)?(?i:(?:därtill|dessutom|även|också)\s+)?")
        self._weekday = re.compile(rf"(?i:{weekday_form})")
        occasional = data["occasional_days"]
        self._occasional_addition = re.compile(rf"(?<![\w-])(?i:{phrase_pattern(occasional['additions'])})(?![\w-])")
        self._occasional_condition = re.compile(rf"(?<![\w-])(?i:{phrase_pattern(occasional['conditions'])})(?![\w-])")
        del weekday_form
        self._full_true = re.compile(rf"(?<![\w-])(?i:{phrase_pattern(data['full_time']['true'])})(?![\w-])")
        self._full_false = re.compile(rf"(?<![\w-])(?i:{phrase_pattern(data['full_time']['false'])})(?![\w-])")
        self.employment_of = {f.casefold(): base for base, forms in data["employment"].items() for f in forms}
        self._employment = re.compile(rf"(?<![\w-])(?i:{phrase_pattern(self.employment_of)})(?![\w-])")

    def _init_meetings(self, data: dict) -> None:
        """Days of a recurring meeting with the police that staff take part in."""
        meetings = data["meetings"]
        self._meeting_verb = re.compile(rf"(?<![\w-])(?i:{phrase_pattern(meetings['verbs'])})(?![\w-])")
        # compounds too: "utsättningsmöten", "SSPF-mötena", "morgongenomgångar"
        self._meeting_word = re.compile(rf"(?i:{phrase_pattern(meetings['meeting_words'])})(?![\w-])")
        self._meeting_frequency_of = {k.casefold(): v for k, v in meetings["frequencies"].items()}
        self._times_a_week = re.compile(
            rf"(?<![\w-])(?P<a>(?i:{self._num}))(?:\s+(?i:till|à|–|-)\s+(?P<b>(?i:{self._num})))?\s+(?i:gånger|gång)\s+(?i:i|per|om)\s+(?i:veckan|vecka)(?![\w-])")
        self._meeting_frequency = re.compile(
            rf"(?<![\w-])(?i:{phrase_pattern(meetings['frequencies'])})(?![\w-])")

    def _meeting_days(self, s: str, a: int, b: int) -> Optional[tuple[float, float]]:
        """"deltar varannan vecka i polisens utsättningsmöten": 0.5 days a week. The verb may
        stand anywhere in the sentence ("Därtill deltar en av fältassistenterna …"), the
        meeting and its frequency in the fact's own words."""
        if not (self._meeting_verb.search(s) and self._meeting_word.search(s, a, b)):
            return None
        times = self._times_a_week.search(s, a, b)
        if times:
            low, high = parse_number(times.group("a")), parse_number(times.group("b") or times.group("a"))
            return (low, high) if low is not None and high is not None else None
        m = self._meeting_frequency.search(s, a, b)
        value = self._meeting_frequency_of.get(re.sub(r"\s+", " ", m.group(0).casefold())) if m else None
        return None if value is None else (value, value)

    def _init_context(self, data: dict) -> None:
        """Where the staff are (a placement, a place referred back to), the verbs of a
        staffing statement, units, and titles of a role named with its place of work."""
        self._placement = re.compile(rf"(?<![\w-])(?:{phrase_pattern(data['placement_cues'])})(?![\w-])", re.I)
        self._at_place = re.compile(
            rf"(?<![\w-])(?:{phrase_pattern(data['placement_cues'] + data.get('place_back_references', []))})(?![\w-])", re.I)
        self._verb = re.compile(rf"(?<![\w-])(?i:{phrase_pattern(data['staffing_verbs'])})(?![\w-])")
        self._working_time = re.compile(
            rf"(?<![\w-])(?i:{phrase_pattern(data['working_time_words']['words'])})(?![\w-])")
        # a sentence whose subject is staff named before: a pronoun or a unit ("De arbetar
        # kvällstid", "Fältgruppen arbetar i huvudsak kvällstid torsdag till lördag")
        units = phrase_pattern(data["unit_suffixes"] + ["verksamheten"])
        self._staff_subject = re.compile(
            rf"\s*(?:(?:De|Dessa|Båda|Alla)\b|[A-ZÅÄÖ][a-zåäö-]*(?:{units})s?\b|(?:Gruppen|Teamet|Enheten)\b)")
        suffix = phrase_pattern(data["unit_suffixes"])
        self._unit = re.compile(rf"(?<![\w-])(?P<u>[a-zåäö]{{3,}}(?:{suffix}))(?![\w-])")
        self._unit_exclude = {u.casefold() for u in data["unit_exclude"]}
        self._titles = {base: (t["title"], re.compile(rf"\s+(?:{phrase_pattern(t['after'])})(?![\w-])", re.I))
                        for base, t in data.get("qualified_titles", {}).items()}

    def _init_triggers(self, data: dict) -> None:
        """The words that can start a fact (a role, a part of a group, a post) and those
        that can only add to one (working time, days, employment), found by one literal
        scan of the lower-cased text; "polisen" (the police) is none, nor "tjänst" inside
        "tjänsteskrivelse"."""
        attributes = set(self.employment_of) | set(data["daily"]) | set(data["percent_words"]) | \
            set(data["full_time"]["true"]) | set(data["full_time"]["false"]) | set(data["day_units"])
        facts = {t.lower() for t in set(self.role_of) | set(self._heads)} - self._organisation_forms
        facts |= {"av dem", "av dessa", "den ena", "den andra", "övriga", "varav", "ytterligare", "tjänst ",
                  "tjänst,", "tjänst.", "tjänster", "tjänsten", "tjänsterna", "årsarbetare",
                  "heltidstjänster", "halvtidstjänster", "deltidstjänster", "den som ", "kollega",
                  "de är ", "de var ", "dessa är ", "dessa var ", "är de ", "var de ", "är dessa ", "var dessa ",
                  "utgör de ", "bildar de ", "utgör dessa ", "bildar dessa "} | \
            {f"de {w} " for w, v in cardinals().items() if 2 <= v <= 20} | \
            {w.lower() for w in data["generic_people"]["words"]}
        additions = {t.lower() for t in attributes} | {"procent", "%"} | {d.lower() for d in data["weekdays"]}
        self._trigger = re.compile(phrase_pattern(facts | additions))
        self._fact_words = facts

    # ------------------------------------------------------------------------------------

    def trigger_positions(self, text: str) -> tuple[list[int], list[int]]:
        """Where a word stands that can start a staffing fact (a role, a part word, a post),
        and where one that can only add to a fact (working time, days, employment): only
        sentences with one of these are read."""
        low = text.lower()
        if len(low) != len(text):  # a character whose lower case is longer: keep offsets exact
            found = sorted(((m.start(), m.group(0).lower()) for m in re.finditer(self._trigger.pattern, text, re.I)))
        else:
            found = [(m.start(), m.group(0)) for m in self._trigger.finditer(low)]
        facts = [i for i, w in found if w in self._fact_words]
        return facts, [i for i, w in found if w not in self._fact_words]

    def role_name(self, surface: str) -> Optional[str]:
        try:
            return self._role_names[surface]
        except KeyError:
            if len(self._role_names) >= _ROLE_NAMES_LIMIT:
                self._role_names.clear()  # the words asked about grow with an archive
            name = self._role_names[surface] = self._role_name(surface)
            return name

    def _role_name(self, surface: str) -> Optional[str]:
        """The base form of a role as written: 'kuratorerna' → 'kurator',
        'områdessocialsekreterarna' → 'områdessocialsekreterare'; None for a word that is no role."""
        key = surface.casefold()
        if key in self._not_roles:
            return None
        if key in self.role_of:
            return self.role_of[key]
        # a compound whose last part is a role: the longest such part decides its kind
        for i in range(2, len(key) - 3):
            tail = key[i:]
            base = self.role_of.get(tail) or self._heads.get(tail)
            if base:
                if tail in self._organisation_forms:
                    return None  # "närpolisen", "lokalpolisen": the police, not an officer
                whole = surface[:i] + base
                return None if whole.casefold() in self._not_roles else whole
        return None

    def is_definite(self, surface: str) -> bool:
        """'socialsekreteraren', 'kuratorerna', 'fältassistentens': a role named before."""
        key = surface.casefold()
        base = (self.role_name(surface) or surface).casefold()
        if key == base:
            return False
        return key.endswith(("arna", "arnas", "erna", "ernas", "orna", "ornas", "aren", "arens", "en", "ens", "orn", "orns", "n"))  \
            and not (key.endswith("er") or key.endswith("or"))

    def _is_singular(self, surface: str, s: str = "", after: int = 0) -> bool:
        """Whether a role named without a count is one person: its form says so
        ("socialsekreteraren", "kuratorn"), or, where the form may be one or many
        ("Kommunens SSPF-samordnare"), a singular predicative in its clause does ("… är
        placerad vid kommunledningskontoret")."""
        key = surface.casefold().rstrip("s") if not surface.casefold().endswith("ss") else surface.casefold()
        base = (self.role_name(surface) or surface).casefold()
        if base.endswith("are") and key == base:
            return bool(s) and self._singular_predicate.match(s, after) is not None
        if base.endswith("are"):
            return key == base + "n"
        return key in (base, base + "en", base + "n")

    def _introduces(self, surface: str) -> Optional[bool]:
        """Whether a role named without a count brings in staff not named before: a bare
        plural does ("socialsekreterare är placerade hos polisen", "fältassistenter");
        a definite form refers back, a bare singular is a title ("Anna Berg, kommunpolis").
        Returns None when it does not introduce any."""
        key = surface.casefold()
        base = (self.role_name(surface) or surface).casefold()
        if self.is_definite(surface):
            return None
        if key == base:
            return True if base.endswith("are") else None
        return True

    def _count_starts(self, s: str) -> list[int]:
        """Where a count can start: a number word, an approximate or vague quantifier's first
        word, or a digit. The count patterns are tried only there (anchored), which is far
        cheaper than scanning the sentence with each of them."""
        if self._last_starts[0] is not s:
            low = s.lower()
            low = low if len(low) == len(s) else s
            # a count starts a word (checked here: a look-behind in front of the pattern
            # would keep the regex engine from scanning for its literals)
            self._last_starts = (s, [m.start() for m in self._count_start.finditer(low)
                                     if not m.start() or low[m.start() - 1] not in _COUNT_PRECEDERS
                                     and not low[m.start() - 1].isalnum()])
        return self._last_starts[1]

    def _anchored(self, pattern: re.Pattern, s: str, starts: list[int]):
        """The non-overlapping matches of a count pattern that start at one of ``starts``."""
        end = -1
        for pos in starts:
            if pos >= end and (m := pattern.match(s, pos)) is not None:
                yield m
                end = m.end()

    def _matches_with_role(self, pattern: re.Pattern, s: str, starts: list[int]):
        """The matches of a count pattern whose word after the count is a role; where it is
        not ("sedan 2017 tre fältassistenter": "2017" and "tre"), the next count is tried."""
        end = -1
        for pos in starts:
            if pos >= end and (m := pattern.match(s, pos)) is not None and self.role_name(m.group("role")):
                yield m
                end = m.end()

    def roles_in(self, s: str) -> list[tuple[int, int, str]]:
        """The roles a sentence names: (start, end, base form), from a scan of its words."""
        if self._last_roles[0] is s:
            return self._last_roles[1]
        out = []
        low = s.lower()
        end = -1
        for hint in self._role_hint.finditer(low) if len(low) == len(s) else ():
            if hint.start() < end:
                continue
            m = _WORD.match(s, _word_start(s, hint.start()))
            if m is None:
                continue
            end = m.end()
            base = self.role_name(m.group(0))
            if base:
                out.append((m.start(), m.end(), base))
        if len(low) != len(s):  # a character whose lower case is longer: scan the words
            out = [(m.start(), m.end(), b) for m in _WORD.finditer(s) if (b := self.role_name(m.group(0)))]
        self._last_roles = (s, out)
        return out

    def _counts(self, s: str) -> list[tuple[int, int, dict]]:
        """Every count in a sentence, as (start, end, what it counts), in text order."""
        roles = self.roles_in(s)
        words = self._words_of(s)[1]
        # "den ena … den andra" counts one each, with no number word
        one_who = "den som" in self._words_of(s)[0] or bool(words & {"kollega", "kollegan"})
        numbered = bool(words & self._number_words) or _DIGIT.search(s) is not None or "ena" in words or one_who
        found: list[tuple[int, int, dict]] = []
        if not numbered and not (roles and words & {"ingen", "inga", "saknar", "någon", "några", "egen", "egna", "inte",
                                                     "varsin", "varsitt", "sin", "sitt"}):
            return found
        taken: list[tuple[int, int]] = []

        def add(a: int, b: int, info: dict) -> None:
            if all(b <= x or a >= y for x, y in taken):
                found.append((a, b, info))
                taken.append((a, b))

        def follows_as_part(m: re.Match) -> bool:
            # "ytterligare en" / "den andra" / "de övriga två" stand for staff only when a
            # verb or preposition follows, not a noun ("ytterligare en svårighet")
            return bool(self._part_follower.match(s, m.end()))

        for m in self._none.finditer(s) if roles and words & {"ingen", "inga", "saknar", "någon", "några", "egna", "egen"} else ():
            if role := self.role_name(m.group("role")):
                add(m.start(), m.end(), {"n": 0, "role": role, "kind": "group"})
        for m in self._each.finditer(s) if roles and words & {"varsin", "varsitt", "sin", "sitt"} else ():
            if role := self.role_name(m.group("role")):
                add(m.start(), m.end(), {"n": 1, "role": role, "kind": "each"})
        if not numbered:
            return found
        starts = self._count_starts(s)
        for m in self._anchored(self._post_as, s, starts) if "tjänst" in s else ():
            role = self.role_name(m.group("role"))
            size = parse_number(m.group("n"))
            if role and size:
                half = (m.group("kind") or "").casefold() == "halvtids"
                fte = size * (0.5 if half else 1)
                # a whole number of (full) posts is that many people ("fyra tjänster som
                # områdespolis" → 4); "0,5 tjänst som …", "en halvtidstjänst som …" are volumes only
                people = int(size) if size == int(size) and not half else None
                add(m.start(), m.end(), {"n": people, "role": role, "kind": "group", "fte": fte,
                                         "posts": people is not None})
        for m in self._anchored(self._post_count, s, starts) if "tjänst" in s else ():
            value, approx, ok = self._value(m.group("n"))
            if not ok or value is None or re.search(r"(?i:motsvarar|motsvarande)\s+(?:\w+\s+)?$", s[max(0, m.start() - 30):m.start()]) \
                    or re.match(r",?\s+(?i:fördelade?)\s+(?i:på)\b", s[m.end():]):
                continue  # "motsvarar en tjänst", "tre tjänster, fördelade på fyra …": a volume
            head = m.group("head")
            if head.casefold() in ("heltids", "halvtids", "deltids") and value > 1:
                # "tre heltidstjänster": posts, their role from the sentence or the unit ("en
                # heltidstjänst" is mostly a measure: "underlag för en heltidstjänst")
                head = ""
            role = next((r for r in (self.role_name(head), self.role_name(head + "e")) if r), None) if head else None
            if head and role is None:
                continue  # "en e-tjänst", "tre lönetjänster": no role's posts
            if role is None:
                # in apposition to the role it follows: "SIG-samordnaren (en tjänst, 100 procent)";
                # after a counted role it is that count's volume ("två samordnare, en tjänst var")
                role_start, role = next(((a, base) for a, b, base in self.roles_in(s)
                                         if re.fullmatch(r"\s*[(,–-]\s*", s[b:m.start()])), (None, None))
                if role_start is not None and self._counted_before.search(s, max(0, role_start - 40), role_start):
                    continue
            clause = s[s.rfind(",", 0, m.start()) + 1:m.start()]
            field = role is None and any(self.is_field_unit(w) for w in re.findall(r"[\wåäö-]+", clause.casefold()))
            if role is None and not field:
                # "brist på erfarna socialsekreterare …, där fyra av elva tjänster …": the posts
                # of the role the sentence named before them
                named = [base for a, _, base in self.roles_in(s) if a < m.start()]
                role = named[-1] if named else None
            info = {"n": value, "role": role, "kind": "group", "fte": float(value), "approx": approx, "posts": True}
            if field:
                info["field"] = True  # "förstärkt fältverksamheten med två tjänster": the field workers' posts
            if m.group("total"):
                total, _, total_ok = self._value(m.group("total"))
                info["kind"] = "part"
                if total_ok and total:
                    info["total"] = total
            add(m.start(), m.end(), info)
        for m in self._more.finditer(s) if "ytterligare" in words else ():
            value, approx, ok = self._value(m.group("n"))
            after = self._role.match(s, m.end() + 1) if m.end() < len(s) else None
            role = self.role_name(after.group("role")) if after else None
            if ok and (role or follows_as_part(m)):
                add(m.start(), after.end() if role else m.end(), {"n": value, "role": role, "kind": "more", "approx": approx})
        for m in self._one_who.finditer(s) if one_who else ():
            add(m.start(), m.end(), {"n": 1, "role": None, "kind": "part"})
        for m in self._one_of_two.finditer(s) if words & {"ena", "andra", "tredje", "fjärde", "femte", "sjätte", "förstnämnda", "sistnämnda"} else ():
            nxt = s[m.end():m.end() + 30]
            role_m = self._role.match(nxt.lstrip()) if nxt.strip() else None
            role = self.role_name(role_m.group("role")) if role_m else None
            # "Två av områdespoliserna har centrum, den tredje Grängesberg": an ordinal that
            # goes on counting the parts of a group, a place name after it or the preposition
            # of the verb left out ("Den ena har ansvar för centrum, den andra för Svartbyn")
            goes_on = re.match(r"\s+(?:[A-ZÅÄÖ]|(?i:för|mot)\s)", nxt) and _PARTS_BEFORE.search(s, 0, m.start())
            # "den fjärde – som har deltidstjänsten – finns i Bua": a relative clause between dashes
            goes_on = goes_on or re.match(r"\s*[–—]\s*(?i:som)\s", nxt)
            if role is None and not goes_on and not follows_as_part(m) and not re.match(
                    r"\s+(?:(?i:tjänsten|av\s+dem|av\s+dessa|heltid|halvtid|deltid)\b|\d{1,3}\s*(?:%|(?i:procent)))", nxt) \
                    and not self._weekday_item.match(nxt.lstrip()):  # "den ena måndagar och tisdagar, den andra torsdagar"
                continue  # "den andra delen": an ordinal; "den ena tjänsten", "den ena av dem" are parts
            if role is None and m.group(0)[:3].casefold() == "det" and not re.match(r"\s+(?i:tjänsten)\b", nxt):
                continue  # "För det tredje är lokalerna trånga": people are "den", not "det"
            end = m.end() + (len(nxt) - len(nxt.lstrip()) + role_m.end() if role else 0)
            info = {"n": 1, "role": role, "kind": "part", "ordinal": m.group("w").casefold() not in ("ena", "andra")}
            # "den ena av de två socionomerna": the pair is stated too
            pair = re.match(rf"\s+(?i:av)\s+(?i:de|dessa)\s+(?P<total>(?i:{self._num}))\s+(?P<role>\S+?)(?=[\s,.;]|$)", s[m.end():])
            if role is None and pair and self.role_name(pair.group("role")):
                total, _, ok = self._value(pair.group("total"))
                info["role"] = self.role_name(pair.group("role"))
                if ok:
                    info["total"] = total
                end = m.end() + pair.end()
            add(m.start(), end, info)
        for m in self._matches_with_role(self._count_role, s, starts) if roles else ():
            role = self.role_name(m.group("role"))
            value, approx, ok = self._value(m.group("n"))
            if role is not None and self._is_time_or_age(s, m) and m.group("total"):
                # "sedan 2009 av sju fältassistenter": a year, then the group it tells of
                total, total_approx, total_ok = self._value(m.group("total"))
                if total_ok:
                    add(m.start("total"), m.end(), {"n": total, "role": role, "kind": "group", "approx": total_approx})
                continue
            if role is None or not ok or self._is_time_or_age(s, m) or (m.group("n").isdigit() and re.search(r"\d\s$", s[max(0, m.start() - 2):m.start()])):
                continue
            of = re.match(r"\s+(?i:av)\b", s[m.end("n"):])
            before = s[max(0, m.start() - 20):m.start()]
            refers_back = not of and self.is_definite(m.group("role")) and bool(
                re.search(r"(?i:\bde|\bdessa|\bvåra)\s+$", before)) and not re.search(r"(?i:\bav)\s+\w+\s+$", before)
            # "de två socialsekreterarna": staff named before, unless the document has not
            # ("av de fem …" names a group); the extract stage knows which
            if self._owner_before.search(before):
                continue  # "polisens två ungdomsutredare": the police's own staff
            if m.group("n").casefold() in self._both and not self.is_definite(m.group("role")):
                continue  # "har båda socialsekreterare placerade": "båda" is the subject's
            if m.group("n").isdigit() and (m.group("n").startswith("0")):
                continue  # "0 Fältsekreterare" in a table of amounts
            if value is None and not approx and not self._vague_needs.search(s):
                continue  # "Flera samordnare efterfrågar …": some, but not said to work anywhere
            if re.match(r"\s+(?i:mindre|färre|fler|mer)\b", s[m.end():]):
                continue  # "en handläggare mindre för förhandsbedömningar": a difference, no staff
            if self._and_role.match(s, m.end()) and not of:
                role = None  # "tolv fältassistenter och fritidsledare": one count for both
            info = {"n": value, "role": role, "kind": "part" if of else "group", "approx": approx}
            if refers_back:
                info["refers_back"] = True
            if of and m.group("total"):
                # "tre av de fyra ungdomscoacherna": the group of four is stated too
                total, _, ok = self._value(m.group("total"))
                if ok:
                    info["total"] = total
            add(m.start(), m.end(), info)
        for r_start, r_end, role in roles:
            m = self._count_after.match(s, r_end)
            if m is None:
                continue
            value, approx, ok = self._value(m.group("n"))
            if m.group("n").isdigit() and re.match(r"\.\s", s[m.end():]) and (
                    re.search(r"\n[ \t]*$", s[:m.start("n")]) or re.match(r"\.\s+[A-ZÅÄÖ]", s[m.end():])):
                continue  # "…, 2. Verksamheten …": the number of a list item
            if ok:
                if len({base for _, _, base in roles}) > 1 and re.search(r",\s*(?i:sammanlagt|totalt|tillsammans)", m.group(0)):
                    role = None  # "socialsekreterare … och poliser …, totalt åtta personer"
                add(r_start, m.end(), {"n": value, "role": role, "kind": "group", "approx": approx})
        for m in self._anchored(self._count_of_them, s, starts) if "av" in words else ():
            value, approx, ok = self._value(m.group("n"))
            if ok:
                add(m.start(), m.end(), {"n": value, "role": None, "kind": "part", "approx": approx})
        for m in self._of_them_first.finditer(s) if "av" in words else ():
            value, approx, ok = self._value(m.group("n"))
            if ok:
                add(m.start("n"), m.end(), {"n": value, "role": None, "kind": "part", "approx": approx})
        for m in self._others.finditer(s) if words & {"övriga", "andra"} or {"de", "som"} <= words else ():
            value, approx, ok = self._value(next(g for g in m.groups() if g))
            if ok and (follows_as_part(m) or re.match(r"\s+(?i:som)\b", s[m.end():])):
                add(m.start(), m.end(), {"n": value, "role": None, "kind": "part", "approx": approx})
        for m in self._anchored(self._people, s, starts) if words & self._people_words else ():
            role = self.role_name(m.group("role")) if m.group("role") else None
            total = bool(roles) and roles[0][0] < m.start() and self._total_before.search(s, max(0, m.start() - 20), m.start())
            if role or total or (self._people_verb.search(s) and (self._people_unit.search(s) or roles)):
                value, approx, ok = self._value(m.group("n"))
                if ok and not re.search(r"(?i:fördelad[et]?|fördelade|uppdelad[et]?)\s+(?i:på|mellan)\s+$", s[max(0, m.start() - 20):m.start()]):
                    named = {base for a, _, base in roles if a < m.start()}
                    if role is None and total and len(named) > 1:
                        # "– sammanlagt fyra medarbetare" after staff of several roles
                        role = self._people_singular.get(m.group("word").casefold())
                    if role is None:
                        # "Till tjänsterna som fältsekreterare har två personer anställts": the
                        # title named before the count ("… utgörs av en medarbetare som också
                        # arbetar som SIG-samordnare": roles after it are what else they do)
                        title = self._post_title.search(s, 0, m.start())
                        if title and self.role_name(title.group("role")):
                            role = self._qualified(s, self.role_name(title.group("role")), title.end())
                    add(m.start(), m.end(), {"n": value, "role": role, "kind": "group", "approx": approx})
        # "… sköts av en fältsekreterare, i Rydaholm och Bor av en annan": one more of the same
        for m in _ANOTHER_ONE.finditer(s) if "annan" in words and found else ():
            # its words start at its own clause (", i Kovland av en annan"), which the count
            # before does not reach
            before = max((b for _, b, _ in found if b <= m.start()), default=0)
            comma = s.rfind(",", before, m.start())
            add(comma + 1 if comma >= 0 else m.start(), m.end(), {"n": 1, "role": None, "kind": "more", "elliptic": True})
        # "Båda är anställda på 80 respektive 100 procent": one person at each share of a
        # working time (not "andelen ökade till 40 respektive 60 procent")
        low = self._words_of(s)[0]
        for m in _SHARES_EACH.finditer(s) if "respektive" in words and re.search(r"tjänst|anställ|arbet", low) else ():
            # the cue of a share of working time, or "till" ("tjänstlediga … till 80 respektive 100 procent")
            cue = s[max(0, m.start() - 12):m.start()]
            if (self._percent_cue.search(cue) or re.search(r"(?i:till)\s*$", cue)) and all(
                    0 < int(m.group(g)) <= 100 for g in ("a", "b")):
                add(m.start("a"), m.end("a"), {"n": 1, "role": None, "kind": "part", "percent": float(m.group("a"))})
                add(m.start("b"), m.end(), {"n": 1, "role": None, "kind": "part", "percent": float(m.group("b"))})
        found.sort(key=lambda x: (x[0], x[1]))
        if found:
            # bare counts after a group: "varav två …", "…, två på heltid och en på 75 procent"
            for m in self._bare_part.finditer(s, found[0][1]):
                word = m.group("n").casefold()
                if word in self._both:
                    continue  # "båda på heltid": the whole group again, not a part of it
                if word == "hälften":
                    add(m.start("n"), m.end("n"), {"n": None, "role": None, "kind": "part", "fraction": 0.5})
                    continue
                value, approx, ok = self._value(m.group("n"))
                if ok and not self._is_time_or_age(s, m):
                    add(m.start("n"), m.end("n"), {"n": value, "role": None, "kind": "part", "approx": approx})
            if any(info["kind"] == "part" for _, _, info in found) and words & {"andra", "övriga", "resten"}:
                for m in self._remainder.finditer(s, found[0][1]):
                    add(m.start(), m.end(), {"n": None, "role": None, "kind": "part", "remainder": True})
            # "I Hammarkullen finns en områdespolis och i Hjällbo två": the same staff, elsewhere
            for m in self._elliptic.finditer(s, found[0][1]):
                value, approx, ok = self._value(m.group("n"))
                if ok:  # the fact's words start at "och i Hjällbo", not at its count
                    add(m.start() + 1, m.end("n"), {"n": value, "role": None, "kind": "more", "approx": approx,
                                                    "elliptic": True})
        found.sort(key=lambda x: (x[0], x[1]))
        return found

    def _value(self, text: str) -> tuple[Optional[int], bool, bool]:
        """A count's value, whether it is approximate, and whether it is a count at all:
        'drygt 20' → (20, True, True), 'några' → (None, False, True), 'en halv' → (…, False)."""
        t = re.sub(r"\s+", " ", text.strip().casefold())
        approx = False
        hedged = self._hedge.match(t)
        if hedged:
            t, approx = t[hedged.end():], True
        if t in self._approx:
            return self._approx[t], True, True
        if t in self._both:
            return self._both[t], approx, True
        if t in self._vague:
            return None, False, True
        v = parse_number(t)
        if v is None or v != int(v):
            return None, False, False
        return int(v), approx, True

    @staticmethod
    def _is_time_or_age(s: str, m: re.Match) -> bool:
        """A number that counts something else: "2 socialsekreterare" in "kl. 2", a year."""
        n = m.group("n")
        return n.isdigit() and (len(n) == 4 or s[max(0, m.start() - 4):m.start()].lower().endswith(("kl. ", "kl ")))

    # ------------------------------------------------------------------------------------

    def _days_in(self, s: str, a: int, b: int) -> tuple[Optional[float], Optional[float]]:
        part = s[a:b]
        whole = self._words_of(s)[0]  # the sentence lower-cased once
        low = whole[a:b] if len(whole) == len(s) else part.lower()
        # each reading is tried only where its words stand: a count before "dag(ar)",
        # "kväll(ar)", "pass" …, "dagligen"/"vardagar"/"varje dag", a weekday
        counted = []
        if self._day_unit_hint.search(low):
            counted = [(x, days) for pos in self._count_starts(part)
                       if (x := self._days.match(part, pos)) and (days := self._counted_days(x)) is not None]
        if counted:
            (m, (x, y)), later = counted[0], counted[1:]
            # another week's days at some times: "tre kvällar i veckan …, och under sommarlovet
            # fem kvällar i veckan" is 3–5
            other = next((days for m2, days in later if self._occasional_condition.search(part, m.end(), m2.start())), None)
            if other is not None:
                x, y = min(x, other[0]), max(y, other[1])
            return self._working_week(part, m, y) or (x, y)
        if ("dag" in low or "vardag" in low) and self._daily.search(part):
            return 5.0, 5.0
        if not self._weekday_hint.search(low):
            return None, None
        chain = self._weekday_chain(part)
        if chain is None:
            return None, None
        weights, first, last = chain
        n = float(sum(weights.values()))
        lo = max((e.end() for e in CLAUSE_EDGE.finditer(part, 0, first)), default=0)
        hi = next((e.start() for e in CLAUSE_EDGE.finditer(part, last)), len(part))
        if _EVERY_OTHER_WEEK.search(part, lo, hi):
            n /= 2  # "varannan vecka, tisdag och onsdag" (in the weekdays' clause)
        extra = self._occasional_days(part, last, weights)
        other = self._other_week(part, last) if not extra else None
        if other is not None:
            return min(n, other), max(n, other)
        return n, n + extra

    def _other_week(self, part: str, after: int) -> Optional[float]:
        """The days of another week that some times have instead of the regular one, named
        right after it: "tisdag–fredag kvällstid och under sommarlovet fredag och lördag kväll"
        (two then, four else: 2–4); None where there is none, or it adds to the week."""
        condition = self._occasional_condition.search(part, after, min(len(part), after + 40))
        if condition is None or not re.fullmatch(r"[\s,]*(?:\w+tid\s*)?(?:,?\s*(?i:och|men|samt)\s+)?", part[after:condition.start()]):
            return None
        chain = self._weekday_chain(part, condition.end())
        if chain is None or chain[1] - condition.end() > 12 or self._occasional_addition.search(part, after, chain[1]):
            return None
        return float(sum(chain[0].values()))

    def _working_week(self, part: str, evenings: re.Match, most: float) -> Optional[tuple[float, float]]:
        """The days of a working week named before a count of its evenings in the same clause
        ("tisdag till fredag, med kvällspass två till tre kvällar i veckan" is four), the
        evenings on other days it names after them added to the most ("måndag till fredag
        och dessutom två kvällar i veckan, oftast fredagar och lördagar" is 5–6); None where
        the count is of days, or the weekdays are no more days than the evenings."""
        if re.sub(r"\s+", " ", evenings.group("unit").casefold()) not in self._evening_units:
            return None
        chain = self._weekday_chain(part)
        if chain is None or chain[2] > evenings.start() or CLAUSE_EDGE.search(part, chain[2], evenings.start()):
            return None
        weights = chain[0]
        n = float(sum(weights.values()))
        if n <= most:
            return None
        later = self._weekday_chain(part, evenings.end())
        extra = 0.0
        if later is not None and later[1] - evenings.end() <= 30:
            extra = float(sum(w for day, w in later[0].items() if day not in weights))
        return n, n + extra

    def _counted_days(self, m: re.Match) -> Optional[tuple[float, float]]:
        """The days a week of a count of days ("tre dagar i veckan", "två till tre kvällar i
        veckan", "en dag varannan vecka"), None where it is no share of a week."""
        x, y = parse_number(m.group("a")), parse_number(m.group("b")) if m.group("b") else None
        y = x if y is None else y
        if x is None or y is None:
            return None
        unit = self._day_units.get(re.sub(r"\s+", " ", m.group("unit").casefold()), 1)
        x, y = x * unit, y * unit
        if m.group("per").casefold().startswith("varannan"):
            x, y = x / 2, y / 2
        return (min(x, y), max(x, y)) if 0 < x <= 7 and 0 < y <= 7 else None

    def _occasional_days(self, part: str, after: int, regular: dict[int, float]) -> float:
        """Days added to the week's regular days only at some times, after them in the
        sentence: "tisdag till fredag, och under sommarlovet även lördagar" adds one."""
        addition = self._occasional_addition.search(part, after, min(len(part), after + 60))
        if addition is None or "." in part[after:addition.start()]:
            return 0.0
        more = self._weekday_chain(part, addition.end())
        if more is None or more[1] - addition.end() > 25:
            return 0.0
        extra, _, more_end = more
        if not self._occasional_condition.search(part, after, min(len(part), more_end + 60)):
            return 0.0
        return float(sum(w for day, w in extra.items() if day not in regular))

    def _weekday_chain(self, part: str, start: int = 0) -> Optional[tuple[dict[int, float], int, int]]:
        """The days of the first chain of weekdays in ``part`` from ``start`` (each day's
        share of a week: 1, or 0.5 every other week or for a part of the day), with where
        the chain starts and ends: each day counts once, a span counts its days ("fredag
        till söndag" is three; "fredag till måndag" runs over the weekend), a day or span
        after "varannan" half ("tisdag till fredag och därtill varannan lördag" is 4.5)."""
        weight: dict[int, float] = {}
        first = last = None
        share = 1.0
        for m in self._weekday_item.finditer(part, start):
            join = None
            if last is not None:
                join = self._weekday_join.fullmatch(part, last, m.start())
                if not join:
                    break
            a_day = self._weekday_of[self._weekday.match(m.group("a")).group("d").casefold()]
            b_day = self._weekday_of[self._weekday.match(m.group("b")).group("d").casefold()] if m.group("b") else a_day
            every = re.sub(r"\s+", " ", (m.group("every") or "").casefold())
            if every or join is None or _ADDING_JOIN.search(join.group(0)):
                share = 0.5 if every.startswith(("varannan", "var annan")) else 1.0
            # else "varannan fredag och lördag": the first day's "varannan" holds for the list
            span = b_day - a_day if b_day >= a_day else b_day + 7 - a_day
            # the part of a day is of the day it follows: "måndag till onsdag förmiddag" is 2.5
            part_of_day = (bool(m.group("part")) and not m.group("part2")) \
                or "middag" in (m.group("b") or m.group("a")).casefold()
            for k in range(span + 1):
                day = (a_day - 1 + k) % 7 + 1
                weight[day] = max(weight.get(day, 0.0), share * (0.5 if part_of_day and k == span else 1.0))
            first = m.start() if first is None else first
            last = m.end()
        if first is None:
            return None
        return weight, first, last

    def _percent_in(self, s: str, a: int, b: int) -> Optional[float]:
        for m in self._percent.finditer(s, a, b):
            if m.group("word"):
                return float(self._percent_of[re.sub(r"\s+", " ", m.group("word").casefold())])
            value = int(m.group("p"))
            if 0 < value <= 100 and self._percent_cue.search(s[max(0, m.start() - 12):m.start()]):
                return float(value)
        return None

    def _fte_in(self, s: str, a: int, b: int) -> Optional[float]:
        for m in (m for pos in self._count_starts(s) if a <= pos < b and (m := self._fte.match(s, pos, b))):
            value = parse_number(m.group("n").replace(",", ".") if m.group("n")[0].isdigit() else m.group("n"))
            if value is not None and 0 < value <= 100:
                return value * (0.5 if (m.group("kind") or "").casefold() == "halvtids" else 1)
        return None

    def _words_of(self, s: str) -> tuple[str, set[str]]:
        """The lower-cased sentence and the set of its words, made once per sentence."""
        if self._last_words[0] is not s:
            low = s.lower()
            self._last_words = (s, (low, set(_LOWER_WORD.findall(low))))
        return self._last_words[1]

    def states_need(self, text: str, lo: int, hi: int) -> bool:
        """A need, wish or proposal word in ``text[lo:hi]``, other than in a phrase that says
        when staff are called in ("vid förhör när det behövs")."""
        uses = [(m.start(), m.end()) for m in self.condition_of_use.finditer(text, lo, hi)]
        return any(not any(a <= m.start() < b for a, b in uses) for m in self.need.finditer(text, lo, hi))

    def _before_need(self, s: str, b: int, hi: int) -> int:
        """``hi``, or the start of the first clause after ``b`` that states a need, wish or
        proposal, whichever comes first."""
        if not self.need.search(s, b, hi):
            return hi
        edges = list(CLAUSE_EDGE.finditer(s, b, hi))
        for k, edge in enumerate(edges):
            if self.states_need(s, edge.end(), edges[k + 1].start() if k + 1 < len(edges) else hi):
                return edge.start()
        return hi

    def _attributes(self, s: str, a: int, b: int) -> dict:
        low = self._words_of(s)[0]
        words = set(_LOWER_WORD.findall(low, a, b)) if (a, b) != (0, len(s)) else self._words_of(s)[1]
        part = low[a:b]
        days = self._days_in(s, a, b)  # it looks for its words itself, compounds too ("fredagskvällar")
        if days[0] is not None and "kontakt" in part and _DAILY_CONTACT.search(part):
            days = (None, None)  # "i princip dagligen i kontakt med socialsekreterarna": contact, not presence
        if days[0] is None and "veck" in part:
            meeting = self._meeting_days(s, a, b)
            if meeting is not None:
                days = meeting
        timed = words & self._time_words or "%" in part
        percent = self._percent_in(s, a, b) if timed else None
        full_true = self._full_true.search(s, a, b) if timed else None
        full_false = self._full_false.search(s, a, b) if timed else None
        full_time = True if (full_true and not full_false) or percent == 100 else (
            False if full_false or (percent is not None and percent < 100) else None)
        employments = list(self._employment.finditer(s, a, b)) if any(h in part for h in self._employment_hints) else []
        # "projektanställningar har övergått till tillsvidareanställningar": the last one holds now
        employment = self.employment_of.get(re.sub(r"\s+", " ", employments[-1].group(0).casefold())) if employments else None
        unit = None
        for m in self._unit.finditer(s, a, b) if any(h in part for h in _UNIT_HINTS) else ():
            if m.group("u").casefold() not in self._unit_exclude and not s[max(0, m.start() - 9):m.start()].endswith("polisens "):
                unit = m.group("u")
                break
        fte = self._fte_in(s, a, b) if "tjänst" in part or "årsarbet" in part else None
        return {"days_min": days[0], "days_max": days[1], "percent": percent, "fte": fte,
                "full_time": full_time, "employment": employment, "unit": unit}

    def is_police(self, role: Optional[str]) -> bool:
        """Whether a role is one of the police's own ("närpolis", "kommunpolis")."""
        return bool(role) and role.casefold() in self._police

    def _organisation_described(self, s: str) -> Optional[str]:
        """The unit a sentence tells the make-up of, with neither a placement nor field
        workers in it ("Mottagningsgruppen består av nio socialsekreterare och en
        gruppledare"): its staff are staff of the work only where the document ties that
        unit to the work (the extract stage decides)."""
        low = self._words_of(s)[0]
        m = self._unit_description.search(s) if any(h in low for h in _ORGANISATION_HINTS) else None
        if m is None or self.is_field_unit(m.group("unit")) or self._placement.search(s):
            return None
        if re.search(r"(?i:\b(?:till|i|på|inom|från|vid|av|för)\s+(?:\w+\s+){0,2})$", s[:m.start()]) or \
                re.search(r"(?i:anställ|rekryter|tillsatt|tillsätt|inrätta|utse|utsåg)", s):
            return None  # the unit is not the subject, or the sentence tells of a hiring
        if any(self.is_field_unit(base) for _, _, base in self.roles_in(s)):
            return None
        return m.group("unit")

    def is_field_unit(self, unit: str) -> bool:
        """A unit whose staff do the work itself: a youth or field unit ("Ungdomsgruppen")."""
        return unit.casefold().startswith(self._field_prefixes)

    def unit_named_before(self, unit: str, text: str, lo: int, hi: int) -> str:
        """A unit as the text names it: "Gruppen" is the last unit named with a name of its
        own in ``text[lo:hi]`` (else itself)."""
        if unit.casefold() not in self._bare_units:
            return unit
        named = [m.group(0) for m in self._unit_name.finditer(text, lo, hi) if m.group(0).casefold() not in self._bare_units]
        return named[-1] if named else unit

    def find_in_sentence(self, text: str, start: int, end: int) -> list[StaffingMatch]:
        """The staffing facts a sentence states, in text order. Days it refers back to ("har
        beredskap under samma kvällar") are the last days the text stated before it."""
        found = self._find_in_sentence(text, start, end)
        if found and any(m.days_min is None for m in found) and "samma" in text[start:end].lower():
            same = _SAME_DAYS.search(text, start, end)
            days = self._days_said_before(text, start) if same else None
            for m in found if days else ():
                if m.days_min is None and m.count_start is not None and m.count_start < same.start():
                    m.days_min, m.days_max = days
        return found

    def _days_said_before(self, text: str, start: int) -> Optional[tuple[float, float]]:
        """The days of the last of the (up to four) sentences before ``start`` that states days."""
        before = text[max(0, start - 900):start]
        ends = [m.end() for m in _SENTENCE_END.finditer(before)]
        bounds = list(zip([0] + ends, ends + [len(before)]))
        for a, b in list(reversed(bounds))[:4]:
            lo, hi = self._days_in(before, a, b)
            if lo is not None:
                return lo, hi
        return None

    def _find_in_sentence(self, text: str, start: int, end: int) -> list[StaffingMatch]:
        s = text[start:end]
        pronoun = self._pronoun_count.match(s)
        if pronoun:
            value, approximate, ok = self._value(pronoun.group("n"))
            if ok and value is not None:
                # the extract stage gives it the staff the text named before
                head = StaffingMatch(start, start + pronoun.end(), None, value, kind="count_of_before",
                                     approximate=approximate, count_start=start + pronoun.start("n"),
                                     **self._attributes(s, pronoun.end(), len(s)))
                rest = self._find_in_sentence(text, start + pronoun.end(), end) if pronoun.end() < len(s) else []
                return [head] + rest
        together = _TOGETHER_THEY.match(s)
        if together:
            # "Tillsammans utgör de kommunens fältgrupp": the staff the sentence before counted,
            # summed (the extract stage adds them up)
            return [StaffingMatch(start, end, None, None, kind="sum_of_before", count_start=start + together.start(),
                                  **self._attributes(s, together.end(), len(s)))]
        counts = self._counts(s)
        organisation = self._organisation_described(s) if counts else None
        out: list[StaffingMatch] = []
        if counts:
            persons = self._persons.search(s)
            for i, (a, b, info) in enumerate(counts):
                around = (counts[i - 1][1] if i else 0, counts[i + 1][0] if i + 1 < len(counts) else len(s))
                if self._not_staffing.search(s, *around) or ("total" in info and self._part_turnover.search(s, *around)):
                    # staff who left, what they cost: not who works where; but the whole
                    # they were part of is ("fem av elva socialsekreterare har slutat": eleven)
                    if "total" in info:
                        role = self._qualified(s, info["role"], b)
                        out.append((a, b, StaffingMatch(
                            start + a, start + b, role, info["total"], kind="group", count_start=start + a,
                            whole_only=True, posts=info.get("posts", False),
                            **{**self._attributes(s, a, b), "percent": None, "full_time": None})))
                    continue
                # a fact's words run from the end of the count before it to the next count,
                # and not into a later clause that states a wish or a need ("…, och
                # förvaltningen ser gärna att närvaron utökas till tre dagar i veckan")
                hi = self._before_need(s, b, counts[i + 1][0] if i + 1 < len(counts) else len(s))
                # the first count's words include what the sentence says before it
                attrs = self._attributes(s, a, hi)
                if i == 0 and not re.search(r"(?<![\w-])(?i:med)\s+$", s[:a]):
                    # what the sentence says before the count, in the count's own clause — not
                    # for people it works with ("Hon arbetar två dagar i veckan och samarbetar
                    # med en av ungdomsutredarna": the days are hers)
                    edge = None
                    for edge in CLAUSE_EDGE.finditer(s, 0, a):
                        pass
                    before = self._attributes(s, edge.end() if edge else 0, a)
                    for key, value in before.items():
                        if attrs[key] is None:
                            attrs[key] = value
                    if attrs["days_min"] is None and edge is not None and _THEN.search(s, b, hi):
                        attrs["days_min"], attrs["days_max"] = self._days_in(s, 0, edge.start())
                group_days = False
                if info["kind"] == "part" and attrs["days_min"] is not None:
                    # the days of a clause whose subject is the whole group: its days, not the part's
                    whole = _WHOLE_GROUP_CLAUSE.search(s, b, hi)
                    if whole and self._days_in(s, a, whole.start())[0] is None:
                        group_days = True
                if "fte" in info:
                    attrs["fte"] = info["fte"]
                if "percent" in info:
                    attrs["percent"] = info["percent"]
                role = self._qualified(s, info["role"], b)
                match = StaffingMatch(
                    start + (a if i else 0), start + hi, role, info["n"], kind=info["kind"],
                    approximate=info.get("approx", False), count_start=start + a, **attrs)
                match.fraction = info.get("fraction")
                match.remainder = info.get("remainder", False)
                match.ordinal = info.get("ordinal", False)
                match.elliptic = info.get("elliptic", False)
                match.refers_back = info.get("refers_back", False)
                match.group_days = group_days
                match.posts = info.get("posts", False)
                match.field_posts = info.get("field", False)
                out.append((a, b, match))
                if "total" in info:
                    # the whole group: its own words are the count and role only
                    out.append((a, b, StaffingMatch(
                        start + a, start + b, role, info["total"], kind="group",
                        count_start=start + a, whole_only=True, posts=info.get("posts", False),
                        **{**attrs, "percent": None, "full_time": None})))
            # a role in the definite singular at work beside the counts: "Polisen har avdelat
            # kommunpolisen och två områdespoliser för arbetet"
            for r_start, r_end, base in self.roles_in(s):
                if all(r_end <= a or r_start >= b2 for a, b2, _ in out) and (role_m := self._role.match(s, r_start)) \
                        and self._at_work_in(s, role_m):
                    # its words run to the next count: "… medan den samordnande socialsekreteraren
                    # är där i princip dagligen" (5 days)
                    hi = min([a for a, _, _ in out if a > r_end], default=len(s))
                    attrs = self._attributes(s, r_end, hi) if hi > r_end else {}
                    out.append((r_start, r_end, StaffingMatch(start + r_start, start + (hi if hi == len(s) else r_end),
                                                              self._qualified(s, base, r_end), 1,
                                                              kind="group", count_start=start + r_start, **attrs)))
            out.sort(key=lambda x: x[0])
            # counts joined by "och" share what is said after the last: "En socialsekreterare
            # och en fältsekreterare är på plats tisdag till torsdag"
            for (a, b, m), (a2, _, m2) in zip(reversed(out[:-1]), reversed(out[1:])):
                if re.fullmatch(r"\s*(?:,|och|samt|&)\s*", s[b:a2]) and not m2.elliptic:
                    for key in ("days_min", "days_max", "percent", "full_time", "employment"):
                        if getattr(m, key) is None:
                            setattr(m, key, getattr(m2, key))
                    m.end = m2.end  # and the words that say where: its place is theirs
            # a group (or a part) whose parts each name their weekdays in its sentence is there
            # on all of them: "Två socialsekreterare …: den ena måndagar och tisdagar, den andra torsdagar" (3)
            for i, (a, b, m) in enumerate(out):
                parts = [(a2, m2) for a2, _, m2 in out[i + 1:] if m2.kind == "part"]
                if m.kind in ("group", "part") and m.days_min is None and len(parts) >= 2 and m.headcount \
                        and sum(m2.headcount or 0 for _, m2 in parts) == m.headcount \
                        and all(m2.days_min is not None for _, m2 in parts):
                    union: dict[int, float] = {}
                    for a2, m2 in parts:
                        chain = self._weekday_chain(s[a2:m2.end - start])
                        if chain is None:
                            union = {}
                            break
                        for day, share in chain[0].items():
                            union[day] = max(union.get(day, 0.0), share)
                    if union:
                        m.days_min = m.days_max = float(sum(union.values()))
            # a group whose parts stand in a "varav" clause inside its sentence: the days the
            # sentence goes on to state are the group's ("Fältgruppen, som består av tre
            # fältassistenter varav en på 75 procent, har arbetat fyra kvällar i veckan")
            # — not when the days stand in the part's own clause ("nio socialsekreterare, varav
            # två har sin arbetsplats i polishuset tre dagar i veckan": the two's days)
            for i, (a, b, m) in enumerate(out):
                if m.kind == "group" and m.days_min is None:
                    later = [(a2, b2, m2) for a2, b2, m2 in out[i + 1:] if m2.kind == "part"]
                    dated = next(((b2, m2) for _, b2, m2 in later if m2.days_min is not None), None)
                    if later and dated and re.search(r"(?i:\bvarav\b)", s[b:later[0][0] + 1]) \
                            and "," in s[dated[0]:dated[1].end - start]:
                        m.days_min, m.days_max = dated[1].days_min, dated[1].days_max
            out.sort(key=lambda x: x[0])
            out = [m for _, _, m in out]
            for m in out:
                m.organisation = organisation
            if persons and len(out) == 1 and out[0].fte is not None:
                out[0].headcount, out[0].approximate, _ = self._value(persons.group("n"))
            # "Hon arbetar på polisstationen två dagar i veckan och samarbetar med en av
            # ungdomsutredarna": what a pronoun subject is said to do before the count of
            # those it works with is said of the staff the text named before
            a0 = counts[0][0]
            if _PRONOUN_SUBJECT.match(s) and _WITH_BEFORE.search(s, 0, a0):
                before = self._attributes(s, 0, a0)
                if before["days_min"] is not None or before["percent"] is not None:
                    out.insert(0, StaffingMatch(start, start + a0, None, None, kind="attributes", **before))
            return out
        # no count: a role with a placement ("socialsekreterare är placerade hos polisen"),
        # a volume ("Fältgruppen har förstärkts med 1,5 tjänst"), or attributes of the fact before
        first = next(iter(self.roles_in(s)), None)
        role_m = self._role.match(s, first[0]) if first else None
        placement = self._placement.search(s) if role_m else None
        at_meeting = False
        if role_m and placement is None and "polis" in s.lower() and self._meeting_word.search(s):
            # taking part in the police's meetings is being placed with them, for that day:
            # "socialtjänstens ungdomssekreterare deltar i polisens veckovisa samverkansmöten"
            # (the role the verb's subject, not one listed among the meeting's members)
            verb = self._meeting_verb.search(s, role_m.end())
            placement = verb if verb and not re.search(r"[,.;:()]", s[role_m.end():verb.start()]) else None
            at_meeting = placement is not None
        if role_m and self._at_work_in(s, role_m):
            role = self._qualified(s, self.role_name(role_m.group("role")), role_m.end())
            return [StaffingMatch(start, end, role, 1, kind="attributes", count_start=start + role_m.start(),
                                  at_work=True, **self._attributes(s, role_m.start(),
                                                                   self._before_need(s, role_m.end(), len(s))))]
        low, words = self._words_of(s)
        if placement is None and not (self._day_unit_hint.search(low) or self._weekday_hint.search(low)
                                      or words & self._time_words or "%" in s or "/" in s
                                      or "tjänst" in low or any(h in low for h in self._employment_hints)):
            return []  # neither staff said to be somewhere nor anything about working time
        at_place = bool(self._at_place.search(s))
        attrs = self._attributes(s, 0, self._before_need(s, role_m.end() if role_m else 0, len(s)))
        if role_m and placement and self._states_presence(s, role_m) and self._introduces(role_m.group("role")) \
                and self.role_name(role_m.group("role")).casefold() not in self._police \
                and not self._owner_before.search(s[max(0, role_m.start() - 20):role_m.start()]) \
                and not re.search(r"(?<![\w-])(?i:inte|ej|aldrig)(?![\w-])", s) and not self._not_staffing.search(s):
            role = self._qualified(s, self.role_name(role_m.group("role")), role_m.end())
            one = self._is_singular(role_m.group("role"), s, role_m.end())
            return [StaffingMatch(start, end, role, 1 if one else None, kind="group",
                                  count_start=start + role_m.start(), **attrs)]
        fte = attrs["fte"]
        if fte is not None and self._verb.search(s) and not self._not_staffing.search(s) and re.search(
                r"(?i:förstärk|utök|inrätta|anställ|tillsätt|omfatta|består|fördela|bemann|finns|fanns|avsätt|avsatt)", s):
            persons = self._persons.search(s)
            headcount, approximate, _ = self._value(persons.group("n")) if persons else (None, False, True)
            post = self._fte.search(s)  # the fact's words start at the post ("… men kräver att
            # ungdomsgruppen utökas med en tjänst"), so its clause is the post's
            match = StaffingMatch(start, end, self.role_name(role_m.group("role")) if role_m else None, headcount,
                                  kind="group", approximate=approximate,
                                  count_start=start + (post.start() if post else 0), **attrs)
            # "Kommunens fältverksamhet består av en tjänst, som delas av två personer": the
            # field workers' posts, their role the document's word for its field workers
            clause = s[:post.start()] if post else s
            match.field_posts = match.role is None and any(
                self.is_field_unit(w) for w in re.findall(r"[\wåäö-]+", clause.casefold()))
            return [match]
        # a role named before ("Socialsekreteraren sitter hos polisen två dagar i veckan"):
        # what the sentence adds completes that fact; the extract stage makes it a fact of
        # its own when the document has stated none before it
        role = self._qualified(s, self.role_name(role_m.group("role")), role_m.end()) if role_m else None
        headcount = None
        if role_m and not self._owner_before.search(s[max(0, role_m.start() - 20):role_m.start()]) \
                and not _WITH_BEFORE.search(s, max(0, role_m.start() - 20), role_m.start()):
            headcount = 1 if self._is_singular(role_m.group("role"), s, role_m.end()) else None
        else:
            role = None
        if role and placement and not self._not_staffing.search(s) and self._verb.search(s):
            out = [StaffingMatch(start, end, role, headcount, kind="attributes",
                                 count_start=start + role_m.start(),
                                 # a meeting's day is not all their working days
                                 whole_group=not at_meeting and self._names_all_of_them(s, role_m), **attrs)]
            # "Samordnaren och socialsekreterarna kommer att ha arbetsplats hos polisen en till
            # två dagar i veckan": each role of a coordinated subject, the same
            roles = self.roles_in(s)
            for (_, b1, _), (a2, b2, base) in zip(roles, roles[1:]):
                if not re.fullmatch(r"\s*(?:,|och|samt)\s*", s[b1:a2]) or placement.start() < a2:
                    break
                other = self._role.match(s, a2)
                out.append(StaffingMatch(start, end, self._qualified(s, base, b2),
                                         1 if other and self._is_singular(other.group("role"), s, b2) else None,
                                         kind="attributes", count_start=start + a2, **attrs))
            return out
        if any(attrs[k] is not None for k in ("days_min", "percent", "employment", "full_time")):
            edge = CLAUSE_EDGE.search(s, role_m.end()) if role else None
            if role and self._departure.search(s, 0, edge.start() if edge else len(s)):
                return []  # "Den fältsekreterare som arbetade i Sulvik slutade vid årsskiftet, …"
            if attrs["days_min"] is not None and not at_place and not (
                    (role or self._staff_subject.match(s) or self._field_work.match(s.lstrip())) and self._working_time.search(s)):
                attrs["days_min"] = attrs["days_max"] = None  # days of something else: a meeting
            match = StaffingMatch(start, end, role, headcount, kind="attributes",
                                  count_start=start + role_m.start() if role else None,
                                  whole_group=self._names_all_of_them(s, role_m) if role else bool(self._field_unit_opens(s)),
                                  **attrs)
            if match.whole_group and not role:
                match.organisation = self._field_unit_opens(s)
            return [match] if match.has_attributes else []
        return []

    def _at_work_in(self, s: str, role_m: re.Match) -> bool:
        """A role in the definite singular as the subject of its part in the work
        ("SIG-samordnaren leder arbetet", "… och att kommunpolisen ska delta i …", "Från
        polisens sida ingår kommunpolisen") or the object of an assignment ("Polisen har
        avdelat kommunpolisen och …"): one person at work."""
        surface = role_m.group("role")
        before = s[:role_m.start()]
        # "kommunens fältassistent": a genitive makes the indefinite form definite
        definite = self.is_definite(surface) or _GENITIVE_BEFORE.search(before) is not None
        if not (definite and self._is_singular(surface)):
            return False
        if self._work_verb_before.search(before):
            return True
        listed = _LISTED_AFTER_VERB.search(before)
        if listed and not _OBJECT_PREPOSITION.search(before, listed.end("verb")):
            return True  # "I den ingår från socialtjänstens sida två socialsekreterare och kommunens fältassistent"
        # "… medan den samordnande socialsekreteraren är där": "den" and an adjective before it
        opens = re.search(r"(?:^\s*|(?<![\w-])(?i:att|och|men|samt|medan)\s+|[,;:]\s*)(?:[\w-]+s\s+|(?i:den)\s+[\wåäö-]+[ae]\s+)?$", before)
        # "Kommunpolisen för Skövde tillträdde i september"
        after = re.match(r"\s+(?i:för|i|på)\s+[A-ZÅÄÖ][\w-]*", s[role_m.end():])
        return bool(opens) and self._work_verb_after.match(s, role_m.end() + (after.end() if after else 0)) is not None

    def _names_all_of_them(self, s: str, role_m: re.Match) -> bool:
        """A role in the definite plural opening its sentence, not narrowed by a place or
        unit after it, names all of them: "Fältsekreterarna arbetar måndag–torsdag",
        "Fältassistenternas kvällsarbete är förlagt till …" (not "Socialsekreterarna i
        polishuset …", some of them)."""
        surface = role_m.group("role").casefold()
        if s[:role_m.start()].strip() or not surface.endswith(("arna", "erna", "orna", "arnas", "ernas", "ornas")):
            return False
        return not re.match(r"\s+(?i:i|på|från|vid|inom|hos|som)\b", s[role_m.end():])

    def _field_unit_opens(self, s: str) -> Optional[str]:
        """"Fältgruppens arbetstid är förlagd till onsdag–lördag", "Fältverksamheten arbetar
        kvällstid": the field unit the sentence opens with, whose staff it speaks of."""
        s = s.lstrip()
        m = self._unit_name.match(s)
        ok = m and self.is_field_unit(m.group(0)) and m.group(0).casefold().rstrip("s") not in self._bare_units
        if not ok:
            m = self._field_work.match(s)  # "Fältarbetet bedrivs huvudsakligen tre kvällar i veckan"
        return m.group(0) if m and (ok or m.re is self._field_work) else None

    def _states_presence(self, s: str, role_m: re.Match) -> bool:
        """Staff named without a count are a fact only where the sentence says they are
        there: "har haft socialsekreterare … placerade hos polisen", "arbetar
        socialsekreterare på plats", "Socialsekreterare från mottagningen är placerade hos
        polisen" — not "ett initiativ gällande socialsekreterare hos polisen"."""
        before = s[max(0, role_m.start() - 40):role_m.start()]
        if re.search(r"(?i:\bde|\bdessa|\bsom|\btjänsten\s+som)\s+(?:\w+\s+)?$", before):
            return False
        if self._presence_before.search(before):
            return True
        return bool(self._presence_after.match(s, role_m.end()))

    def _qualified(self, s: str, role: Optional[str], at: int) -> Optional[str]:
        """A role named with its place of work is a title of its own: "socionom hos polis"."""
        if role and role in self._titles:
            title, after = self._titles[role]
            if after.match(s, at):
                return title
        return role


#: where a clause ends inside a sentence: a semicolon or colon, a contrast, a coordinated
#: clause after a comma, a relative clause — "som" before a verb, not "som" meaning "as"
#: ("ett rum som delas med en av ungdomsutredarna", not "utses som ersättare")
CLAUSE_EDGE = re.compile(r"[;:]|\s(?:men|medan|utan)\s|,\s+(?:och|samt|varav|vilket|som)\s"
                         r"|\s(?:som|vilket|vilka)\s+(?:är|var|har|hade|kan|ska|\w+(?:ar|er|ir|as|es|ts|ds))\s")
# a join that adds days of another rhythm: "tisdag till fredag och därtill varannan lördag"
_ADDING_JOIN = re.compile(r"(?i:samt|plus|liksom|därtill|dessutom|även|också)")
# parts of a group counted earlier in the sentence: "två av områdespoliserna", "den ena"
_PARTS_BEFORE = re.compile(r"(?<![\w-])(?i:av\s+(?:dem|dessa|de\s+\w+|\w+(?:arna|erna|orna))|den\s+(?:ena|andra)|varav)(?![\w-])")
# a coordinated clause whose subject is a whole group: "…, och gruppen är ute fredagar",
# "… men samtliga arbetar kvällstid"
_WHOLE_GROUP_CLAUSE = re.compile(r",?\s+(?:och|men|medan)\s+(?:(?i:de|alla|samtliga|båda|bägge|hela\s+\w+)"
                                 r"|[\wåäö-]*(?i:gruppen|teamet))\s+(?!(?i:som|av|andra|övriga)\b)")
# a genitive before a role: "kommunens fältassistent", "Stadsdelens SSPF-samordnare"
_GENITIVE_BEFORE = re.compile(r"(?<![\w-])(?!(?i:hos|oss|dess|vars|tills|delvis|bitvis|annars)\s)[\w-]{2,}[^\Ws]s\s+$")
# a role listed among the subjects of "ingår", "deltar", "medverkar" after it, with "och"
# or a comma before it ("I gruppen ingår två socialsekreterare och kommunens fältassistent,
# och från polisens sida närpolischefen")
_LISTED_AFTER_VERB = re.compile(
    r"(?<![\w-])(?P<verb>(?i:ingår|deltar|medverkar))\s[^.;:]*?(?:\s(?i:och|samt)\s+|,\s*)"
    r"(?:(?i:från)\s+[\w-]+\s+(?i:sida)\s+)?(?:[\w-]+s\s+)?$")
# a preposition before a role makes it no subject ("deltar i möten med rektorn och kuratorn")
_OBJECT_PREPOSITION = re.compile(r"(?<![\w-])(?i:med|hos|till|mot|för|om|i|på)\s")
# a role or count after "med", "mellan" is whom the subject works with, not who is at work
# ("… har gjort det svårt att bygga upp kontakter med poliserna", "samarbetar med en av
# ungdomsutredarna")
_WITH_BEFORE = re.compile(r"(?<![\w-])(?i:med|mellan)\s+(?:(?i:de|den|det|dess|våra|vår)\s+)?$")
# "en annan" standing for one more of the staff just counted, at the end of its clause
_ANOTHER_ONE = re.compile(r"(?<![\w-])(?i:en\s+annan)(?=\s*[,.;:]|\s+(?i:och|samt|medan)\b|\s+(?i:i|på|vid|för)\s+[A-ZÅÄÖ])")
# a sentence about all the staff the sentence before counted: "Tillsammans utgör de …"
_TOGETHER_THEY = re.compile(r"\s*(?i:tillsammans|sammantaget|sammanlagt|totalt)\s+(?i:utgör|bildar|är)\s+(?i:de|dessa)\s+(?![\d]|(?i:en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio)\b)")
# days that refer back to days said before: "under samma kvällar", "samma dagar", "samma tider"
_SAME_DAYS = re.compile(r"(?<![\w-])(?i:samma)\s+(?i:kvällar|kvällarna|dagar|dagarna|tider|tiderna|veckodagar|helger|pass)(?![\w-])")
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-ZÅÄÖ0-9])")
# a personal pronoun as the subject: "Hon arbetar …", "De sitter …"
_PRONOUN_SUBJECT = re.compile(r"\s*(?i:hon|han|hen|de|båda|bägge)\s+(?!(?i:är|var)\s+(?:\d|[a-zåäö]+\s*[.,]))")
# two shares of time, one each: "på 80 respektive 100 procent"
_SHARES_EACH = re.compile(r"(?<![\w,.])(?P<a>\d{1,3})\s*(?:%\s*)?(?i:respektive)\s+(?P<b>\d{1,3})\s*(?:%|(?i:procent))")
_EVERY_OTHER_WEEK = re.compile(r"(?<![\w-])(?i:varannan|var\s+annan)\s+(?i:vecka|helg)(?![\w-])")
# "… på fredags- och lördagskvällar, och två av fältassistenterna arbetar då …": "då" is the
# time the sentence named before
_THEN = re.compile(r"(?<![\w-])(?i:då)(?![\w-])")
_DAILY_CONTACT = re.compile(r"(?i:dagligen|varje\s+dag|daglig|dagligt|dagliga)\s+(?:\w+\s+)?kontakt")


@lru_cache(maxsize=1)
def default_staffing_finder() -> StaffingFinder:
    return StaffingFinder(load_json("staffing.json"))
