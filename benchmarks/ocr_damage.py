"""OCR damage made on purpose, and the error rate it leaves: for the benchmarks and the
tests of the lost-letter restorer (pipeline/restore/).

:func:`simulate_damage` damages clean text the way corpus document 004 is damaged, with
offsets and lines kept, so a repair can be checked against the clean original;
:func:`char_errors` counts the character errors between a text and its reference;
:func:`development_texts` gives the development documents a benchmark damages.
benchmarks/bench_clean.py and benchmarks/ab_restore.py import this module from the
folder they run in; the tests find it through tests/conftest.py.
"""

from __future__ import annotations

import random
from pathlib import Path

#: the development set (corpus/dev/)
DEVELOPMENT = Path(__file__).resolve().parents[1] / "corpus" / "dev"

#: the damage model of corpus document 004, relative to the rate at which "a" is lost
DAMAGE_MODEL = {
    "a": (" ", 1.0), "g": (" ", 0.25), "d": (" ", 0.25), "m": (" ", 0.1),
    "l": ("/", 0.1), "å": ("~", 0.25),
}


def simulate_damage(text: str, rate: float, seed: int = 0) -> str:
    """OCR damage like 004's: each lowercase "a" becomes a space with probability
    ``rate``; "g", "d", "m" become spaces, "l" a "/" and "å" a "~" with the smaller
    probabilities of :data:`DAMAGE_MODEL`. Length and line structure are kept."""
    rng = random.Random(seed)
    out = []
    for ch in text:
        rule = DAMAGE_MODEL.get(ch)
        if rule is not None and rng.random() < rate * rule[1]:
            out.append(rule[0])
        else:
            out.append(ch)
    return "".join(out)


def normalise_whitespace(text: str) -> list[str]:
    """The lines of ``text`` with runs of whitespace collapsed, blank lines dropped."""
    return [" ".join(ln.split()) for ln in text.splitlines() if ln.strip()]


def levenshtein(a: str, b: str) -> int:
    """The edit distance between ``a`` and ``b`` (rapidfuzz's when it is installed)."""
    if a == b:
        return 0
    try:  # a test dependency; the pure-Python loop below is the fallback
        from rapidfuzz.distance import Levenshtein
    except ImportError:
        pass
    else:
        return Levenshtein.distance(a, b)
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def char_errors(hypothesis: str, reference: str) -> tuple[int, int]:
    """(edit distance, reference length) after normalising whitespace on both sides;
    line by line when both have the same lines, else over the whole text."""
    h, r = normalise_whitespace(hypothesis), normalise_whitespace(reference)
    if len(h) == len(r):
        return sum(levenshtein(x, y) for x, y in zip(h, r)), sum(len(y) for y in r)
    return levenshtein("\n".join(h), "\n".join(r)), len("\n".join(r))


def development_texts(initials: str) -> list[str]:
    """The Swedish documents of the development set whose names begin with one of
    ``initials`` ("cd": c01…d12, the restorer's held-out text), as the reader reads them."""
    from pipeline.read import read
    from pipeline.restore.language import is_swedish

    paths = sorted(p for p in DEVELOPMENT.glob("*.txt") if p.name[0] in initials)
    return [t for t in (read(p).text for p in paths) if is_swedish(t)]
