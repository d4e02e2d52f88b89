"""Swedish numbers written as digits or words: "tre", "tre och en halv", "2,5", "två till tre"."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from pipeline.resources import load_json


@lru_cache(maxsize=1)
def cardinals() -> dict[str, int]:
    return {k: v for k, v in load_json("numbers.json")["cardinals"].items()}


@lru_cache(maxsize=1)
def number_pattern() -> str:
    """A regex for one quantity: digits (with decimal comma) or number words, with "och en halv"."""
    words = sorted(cardinals(), key=len, reverse=True)
    word = "(?:" + "|".join(words) + ")"
    return rf"(?:\d+(?:[,.]5)?|{word}(?:\s+och\s+en\s+halv)?|en\s+halv|halva?)"


def parse_number(text: str) -> Optional[float]:
    """'tre och en halv' → 3.5, '2,5' → 2.5, 'två' → 2, 'halv' → 0.5; None when not a number."""
    t = re.sub(r"\s+", " ", text.strip().casefold())
    if re.fullmatch(r"\d+(?:[,.]\d+)?", t):
        return float(t.replace(",", "."))
    half = 0.0
    m = re.fullmatch(r"(.+?) och (?:en|ett) halv[t]?", t)
    if m:
        t, half = m.group(1), 0.5
    if t in ("en halv", "halv", "halva"):
        return 0.5 + half
    value = cardinals().get(t)
    if value is None:
        return None
    return value + half
