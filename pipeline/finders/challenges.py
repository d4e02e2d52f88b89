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

    def find_in_sentence(self, text: str, start: int, end: int) -> Optional[ChallengeMatch]:
        s = text[start:end]
        cues = [m for m in self._cue.finditer(s)]
        if not cues:
            return None
        if self._negation.search(s):
            return None
        # "beteendeproblem", "problematik med brottslighet" describe the target group, not an obstacle
        if all(self._not_context.search(s[max(0, c.start() - 30):c.end() + 30]) for c in cues):
            return None
        if len(s.split()) < 4:
            return None  # a heading or fragment
        category = self.default
        for name, pattern in self._categories:
            if pattern.search(s):
                category = name
                break
        return ChallengeMatch(start, end, category)


@lru_cache(maxsize=1)
def default_challenge_finder() -> ChallengeFinder:
    return ChallengeFinder(load_json("challenges.json"))
