"""Staffing facts: who is placed with the police, how many, how many days a week, how
employed, in which unit. One fact per sentence that names a role and says something
about its placement or working time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from pipeline.finders.numbers import number_pattern, parse_number
from pipeline.patterns import trie_pattern
from pipeline.resources import load_json


@dataclass
class StaffingMatch:
    """What one sentence says about staff; the extract stage merges a sentence that only
    adds days or employment ("De bemannar polishuset tre dagar i veckan") into the fact
    stated just before it in the same section."""

    start: int
    end: int
    role: Optional[str]
    headcount: Optional[int]
    days_min: Optional[float]
    days_max: Optional[float]
    full_time: Optional[bool]
    unit: Optional[str]
    employment: Optional[str]
    anchor: bool = False     # states who is placed (a role with a number or a placement)
    half_time: bool = False  # "halva sin arbetstid": 2.5 days unless days are stated
    #: elliptic facts in the same sentence: "… medan Farsta har en" → [("Farsta", 1)]
    others: list = None

    @property
    def has_attributes(self) -> bool:
        return any(v is not None for v in (self.days_min, self.full_time, self.employment)) or self.half_time


def _words(words) -> str:
    return trie_pattern(sorted(words)).replace("\\ ", r"\s+")


class StaffingFinder:
    def __init__(self, data: dict):
        self.role_of = {form.casefold(): base for base, forms in data["roles"].items() for form in forms}
        num = number_pattern()
        role = _words(self.role_of)
        self._role = re.compile(rf"(?<![\w-])(?i:{role})(?![\w-])")
        self._headcount = re.compile(
            rf"(?<![\w-])(?P<n>(?i:{num}))\s+(?:(?i:anställda|tjänster|personer|medarbetare)\s+(?:som\s+)?)?(?:(?i:samlokaliserade|egna|nya|fasta)\s+)?(?P<role>(?i:{role}))(?![\w-])")
        # "… benämns tjänsten socionom hos polis och utgörs av en medarbetare"
        self._generic_count = re.compile(
            rf"(?<![\w-])(?P<n>(?i:{num}))\s+(?i:medarbetare|anställda|anställd|personer|person|tjänster|heltidstjänster)(?![\w-])")
        # "… medan Farsta har en": a second place with the same kind of staff
        self._elliptic = re.compile(
            rf"(?:,\s*|\s)(?:medan|och|samt|men)\s+(?P<place>[A-ZÅÄÖ][\wåäö]+(?:-[A-ZÅÄÖ][\wåäö]+)*)\s+har\s+(?P<n>(?i:{num}))(?=\s*[.,;]|\s*$)")
        self._none = re.compile(
            rf"(?<![\w-])(?i:inte\s+har|har\s+inte|saknar|inga|ingen)\s+(?:(?i:några|ännu|egna|någon|egen)\s+)*(?P<role>(?i:{role}))(?![\w-])")
        self._days = re.compile(
            rf"(?<![\w-])(?P<a>(?i:{num}))(?:\s*(?:till|–|-|à|eller)\s*(?P<b>(?i:{num})))?\s+(?i:dag(?:ar)?)\s+(?i:i|per|om|varje|/)\s*(?i:veckan|vecka)\b")
        self._daily = re.compile(rf"(?<![\w-])(?i:{_words(data['daily'])})(?![\w-])")
        self._half = re.compile(rf"(?<![\w-])(?i:{_words(data['half_time_days'])})(?![\w-])")
        self._full_true = re.compile(rf"(?<![\w-])(?i:{_words(data['full_time']['true'])})(?![\w-])")
        self._full_false = re.compile(rf"(?<![\w-])(?i:{_words(data['full_time']['false'])})(?![\w-])")
        self.employment_of = {f.casefold(): base for base, forms in data["employment"].items() for f in forms}
        self._employment = re.compile(rf"(?<![\w-])(?i:{_words(self.employment_of)})(?![\w-])")
        attributes = set(self.employment_of) | set(data["daily"]) | set(data["half_time_days"]) | \
            set(data["full_time"]["true"]) | set(data["full_time"]["false"]) | {"dag", "dagar"}
        self._attribute = re.compile(rf"(?<![\w-])(?i:{_words(attributes)})(?![\w-])")
        # Only a sentence holding a role or an attribute can state a fact: the same words.
        # Matched against the lower-cased text: a case-sensitive pattern that starts with
        # its literals scans far faster than a case-insensitive one.
        self._trigger = re.compile(_words({t.lower() for t in set(self.role_of) | attributes}))
        self._placement = re.compile(rf"(?<![\w-])(?:{_words(data['placement_cues'])})(?![\w-])", re.I)
        # a later sentence's days count only when it says they are spent at the place:
        # "De arbetar där tre dagar i veckan", not "Hon är två dagar i veckan med på möten"
        self._at_place = re.compile(
            rf"(?<![\w-])(?:{_words(data['placement_cues'] + data.get('place_back_references', []))})(?![\w-])", re.I)
        suffix = _words(data["unit_suffixes"])
        self._unit = re.compile(rf"(?<![\w-])(?P<u>[a-zåäö]{{3,}}(?:{suffix}))(?![\w-])")
        self._unit_exclude = {u.casefold() for u in data["unit_exclude"]}
        self._titles = {base: (t["title"], re.compile(rf"\s+(?:{_words(t['after'])})(?![\w-])", re.I))
                        for base, t in data.get("qualified_titles", {}).items()}

    def trigger_positions(self, text: str) -> list[int]:
        """Where a role or a working-time/employment word stands: only sentences with one
        of these can state a staffing fact, so the others are never looked at."""
        low = text.lower()
        if len(low) != len(text):  # a character whose lower case is longer: keep offsets exact
            return sorted(m.start() for m in re.finditer(self._trigger.pattern, text, re.I))
        return [m.start() for m in self._trigger.finditer(low)]

    def find_in_sentence(self, text: str, start: int, end: int) -> list[StaffingMatch]:
        """The staffing fact a sentence states, if any (a list, like the challenge finder's)."""
        s = text[start:end]
        role_m = self._role.search(s)
        placement = self._placement.search(s) if role_m else None
        has_attribute = self._attribute.search(s)
        if not (role_m and placement) and not has_attribute:
            return []  # neither who is placed nor anything about working time
        head = self._headcount.search(s) if placement else None
        none_m = self._none.search(s) if placement and not head else None
        days = self._days.search(s) if has_attribute else None
        daily = self._daily.search(s) if has_attribute else None
        half = self._half.search(s) if has_attribute else None
        full_true = self._full_true.search(s) if has_attribute else None
        full_false = self._full_false.search(s) if has_attribute else None
        employments = list(self._employment.finditer(s)) if has_attribute else []
        headcount = None
        role = self.role_of.get(role_m.group(0).casefold()) if role_m else None
        anchor = False
        if head and placement:
            value = parse_number(head.group("n"))
            if value is not None and value == int(value):
                headcount = int(value)
                role = self.role_of.get(head.group("role").casefold(), role)
                anchor = True
        elif none_m and placement:
            headcount, anchor = 0, True
            role = self.role_of.get(none_m.group("role").casefold(), role)
        elif role_m and placement and (generic := self._generic_count.search(s)):
            value = parse_number(generic.group("n"))
            if value is not None and value == int(value):
                headcount, anchor = int(value), True
        if role_m and role:
            # a role named with its place of work is a title of its own: "socionom hos polis"
            qualified = self._titles.get(self.role_of.get(role_m.group(0).casefold()))
            if qualified and qualified[1].match(s, role_m.end()):
                role = qualified[0]
        dmin = dmax = None
        if days:
            a = parse_number(days.group("a"))
            b = parse_number(days.group("b")) if days.group("b") else a
            if a is not None and b is not None and 0 < a <= 7 and 0 < b <= 7:
                dmin, dmax = min(a, b), max(a, b)
        elif daily:
            dmin = dmax = 5.0
        if not anchor and dmin is not None and not self._at_place.search(s):
            dmin = dmax = None  # days of something else: a meeting, another task
        full_time = True if full_true and not full_false else (False if full_false or half else None)
        unit = None
        for m in self._unit.finditer(s):
            if m.group("u").casefold() not in self._unit_exclude and not s[max(0, m.start() - 9):m.start()].endswith("polisens "):
                unit = m.group("u")
                break
        # "projektanställningar har övergått till tillsvidareanställningar": the last one holds now
        emp = self.employment_of.get(employments[-1].group(0).casefold()) if employments else None
        others = []
        if anchor:
            for m in self._elliptic.finditer(s):
                value = parse_number(m.group("n"))
                if value is not None and value == int(value):
                    others.append((m.group("place"), int(value)))
        match = StaffingMatch(start, end, role, headcount, dmin, dmax, full_time, unit, emp, anchor, bool(half), others)
        if not anchor and not match.has_attributes:
            return []
        return [match]


@lru_cache(maxsize=1)
def default_staffing_finder() -> StaffingFinder:
    return StaffingFinder(load_json("staffing.json"))
