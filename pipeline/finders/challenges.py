"""Challenges: sentences that state a difficulty, obstacle or problem, with a category
from a small fixed taxonomy (``data/challenges.json``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

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
        self._negation = re.compile(rf"(?<![\wåäö])(?:{_alt(data['negations'])})(?![\wåäö])", re.I)
        self._not_context = re.compile(rf"(?:{_alt(data['not_challenge_contexts'])})", re.I)
        self._categories = [(name, re.compile(rf"(?<![\wåäö])(?:{_alt(terms)})", re.I))
                            for name, terms in data["categories"]]
        self.default = data.get("default_category", "annat")

    def cue_positions(self, text: str) -> list[int]:
        return [m.start() for m in self._cue.finditer(text)]

    def category_of(self, s: str) -> tuple[str, int]:
        """The category whose term occurs first in ``s`` (and where), else the default."""
        best: tuple[int, int, str] | None = None
        for rank, (name, pattern) in enumerate(self._categories):
            m = pattern.search(s)
            if m and (best is None or (m.start(), rank) < best[:2]):
                best = (m.start(), rank, name)
        return (best[2], best[0]) if best else (self.default, -1)

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
                if not _NEGATED.search(s, max(0, c.start() - 45), c.start())
                and not _SOLVING.search(s, max(0, c.start() - 30), c.start())
                and not self._not_context.search(s[max(0, c.start() - 30):c.end() + 30])]
        if not live:
            return []
        clauses = []
        pos = 0
        for m in _CLAUSE_BREAK.finditer(s):
            clauses.append((pos, m.start()))
            pos = m.end()
        clauses.append((pos, len(s)))
        tagged = []
        for a, b in clauses:
            category, where = self.category_of(s[a:b])
            if where >= 0 and len(s[a:b].split()) >= 3:
                tagged.append((a, b, category))
        if len({c for _, _, c in tagged}) >= 2:
            # the clause holding the cue carries the text before it ("De utmaningar … rör främst")
            out = []
            for i, (a, b, category) in enumerate(tagged):
                if i == 0:
                    a = 0
                out.append(ChallengeMatch(start + a, start + b, category))
            return out
        category, _ = self.category_of(s)
        return [ChallengeMatch(start, end, category)]


_NEGATED = re.compile(r"(?:\b(?:inte|inga|ingen|inget|aldrig|utan|knappast)\b(?:\s+[\wåäö]+){0,4}\s+)$", re.I)
_SOLVING = re.compile(r"\b(?:lösa|löser|förebygga|förebygger|motverka|motverkar|åtgärda|åtgärdar|hantera|hanterar|undvika|minska)\s+(?:[\wåäö]+\s+){0,2}$", re.I)

# Where a sentence's clauses part: a comma or semicolon before a conjunction or a new
# subject, or "och"/"samt"/"men" before one.
_CLAUSE_BREAK = re.compile(
    r"(?:[,;]\s+(?=(?:och|men|samt|medan|vilket|eftersom|att|det|de|den)\b)|;\s+"
    r"|\s+(?:och|samt|men|medan)\s+(?=(?:den|det|de|att|polisens|socialtjänstens|hög|stor|brist)\b))")


@lru_cache(maxsize=1)
def default_challenge_finder() -> ChallengeFinder:
    return ChallengeFinder(load_json("challenges.json"))
