"""Challenges: sentences that state a difficulty, obstacle or problem, with a category
from a small fixed taxonomy (``data/challenges.json``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.patterns import trie_pattern
from pipeline.resources import load_json

TAXONOMY = ("personalomsättning", "lokaler", "sekretess", "resurser", "handläggningstider",
            "organisation/roll", "samordning", "kompetens", "annat")


@dataclass
class ChallengeMatch:
    start: int
    end: int
    category: str


def _alt(words) -> str:
    return trie_pattern(sorted({w.casefold() for w in words})).replace("\\ ", r"\s+")


class ChallengeFinder:
    def __init__(self, data: dict):
        self._cue = re.compile(rf"(?<![\wåäö])(?:{_alt(data['cues'])})(?![\wåäö])", re.I)
        # the same cues for a first scan of the lower-cased document: literal-first and
        # case-sensitive, so much faster; the word boundary before is checked in code
        self._cue_scan = re.compile(rf"(?:{_alt(data['cues'])})(?![\wåäö])")
        self._negation = re.compile(rf"(?<![\wåäö])(?:{_alt(data['negations'])})(?![\wåäö])", re.I)
        self._not_context = re.compile(rf"(?:{_alt(data['not_challenge_contexts'])})", re.I)
        self._category_names = [name for name, _ in data["categories"]]
        # all categories in one pattern, one group each in rank order: one scan finds the
        # first term, and where terms of several categories start there, the first
        # alternative that matches is the category ranked first
        self._categories = re.compile(
            r"(?<![\wåäö])(?:" + "|".join(f"({_alt(terms)})" for _, terms in data["categories"]) + ")", re.I)
        self.default = data.get("default_category", "annat")
        conjunctions = _alt(data["clause_conjunctions"])
        self._soft_break = re.compile(rf",\s+|;\s+|\s+(?:{conjunctions})\s+")
        self._negated = re.compile(rf"(?:\b(?:{_alt(data['negators'])})\b(?:\s+[\wåäö]+){{0,4}}\s+)$", re.I)
        self._solving = re.compile(rf"\b(?:{_alt(data['solving_verbs'])})\s+(?:[\wåäö]+\s+){{0,2}}$", re.I)
        # where a sentence's clauses part: a comma or semicolon before a conjunction or a new
        # subject, or a conjunction before one
        self._clause_break = re.compile(
            rf"(?:[,;]\s+(?=(?:{_alt(data['clause_starts_after_comma'])})\b)|;\s+"
            rf"|\s+(?:{conjunctions})\s+(?=(?:{_alt(data['clause_starts_after_conjunction'])})\b))")

    def cue_positions(self, text: str) -> list[int]:
        low = text.lower()
        if len(low) != len(text):  # a character whose lower case is longer: keep offsets exact
            return [m.start() for m in self._cue.finditer(text)]
        return [m.start() for m in self._cue_scan.finditer(low)
                if not (m.start() and (low[m.start() - 1].isalnum() or low[m.start() - 1] == "_"))]

    def category_of(self, s: str) -> tuple[str, int]:
        """The category whose term occurs first in ``s`` (and where), else the default;
        of categories whose terms start at the same place, the one ranked first."""
        m = self._categories.search(s)
        if m is None:
            return self.default, -1
        return self._category_names[m.lastindex - 1], m.start()

    def find_in_sentence(self, text: str, start: int, end: int) -> list[ChallengeMatch]:
        """The challenges a sentence states: one per clause when its clauses name
        different kinds of problem ("… organisatoriska aspekter och den stora
        personalomsättningen …"), else the sentence as one."""
        s = text[start:end]
        cues = [m for m in self._cue.finditer(s)]
        if not cues or self._negation.search(s) or len(s.split()) < 4:
            return []
        # a cue counts unless it is negated ("inte varit några problem", "ingen brist på"),
        # the object of solving ("lösa problem") or describes the target group ("beteendeproblem")
        live = [c for c in cues
                if not self._negated.search(s, max(0, c.start() - 45), c.start())
                and not self._solving.search(s, max(0, c.start() - 30), c.start())
                and not self._not_context.search(s[max(0, c.start() - 30):c.end() + 30])]
        if not live:
            return []
        if s.lstrip().startswith("{"):
            return []  # a form's instruction in braces, not the report's own words
        breaks = [(m.start(), m.end()) for m in self._clause_break.finditer(s)]
        # two problems joined without a clause break ("… svårt att få lokaler och i andra
        # har det varit utmanande …"): part them at the last "och"/"men"/comma between
        for c1, c2 in zip(live, live[1:]):
            if not any(c1.end() <= a < c2.start() for a, _ in breaks):
                seps = list(self._soft_break.finditer(s, c1.end(), c2.start()))
                if seps:
                    breaks.append((seps[-1].start(), seps[-1].end()))
        breaks.sort()
        clauses = []
        pos = 0
        for a, b in breaks:
            clauses.append((pos, a))
            pos = b
        clauses.append((pos, len(s)))
        tagged = []  # (start, end, category, has_cue, has_category)
        for a, b in clauses:
            if len(s[a:b].split()) < 3:
                continue
            category, where = self.category_of(s[a:b])
            has_cue = any(a <= c.start() < b for c in live)
            if where >= 0 or has_cue:
                tagged.append((a, b, category, has_cue, where >= 0))
        with_cue = [t for t in tagged if t[3]]
        named = [t for t in tagged if t[4]]
        if len(with_cue) >= 2:
            # each clause states a problem of its own ("… är svårt att …, och det saknas …")
            parts = with_cue
        elif len({t[2] for t in named}) >= 2:
            # the clauses name different kinds of problem ("… organisatoriska aspekter och
            # den stora personalomsättningen …")
            parts = named
        else:
            parts = []
        if parts:
            out = []
            for i, (a, b, category, _, _) in enumerate(parts):
                if i == 0:
                    a = 0  # the first clause carries the text before it ("De utmaningar … rör")
                out.append(ChallengeMatch(start + a, start + b, category))
            return out
        category, _ = self.category_of(s)
        return [ChallengeMatch(start, end, category)]


@lru_cache(maxsize=1)
def default_challenge_finder() -> ChallengeFinder:
    return ChallengeFinder(load_json("challenges.json"))
