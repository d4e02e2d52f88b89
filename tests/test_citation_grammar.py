"""The grammar of references and the identity of laws, on a table written for it.

``data/citation_grammar_forms.jsonl`` holds Swedish sentences written for this project,
each with every citation it makes (law, SFS number, chapter, chapter_end, section,
section_end, stycke, punkt): enumerations where the chapter carries over, ranges and
lettered sections, a law's identity by abbreviation, title and written number, "i" and
the law after a provision, paraphrased titles, named provisions (lex Sarah, lex Maria),
statutes the registry must know, and sentences that only look like citations. The table
was written from the annotation guide and the registry, without the finder's output.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from pipeline.finders.laws import default_finder

FIELDS = ("law", "sfs", "chapter", "chapter_end", "section", "section_end", "paragraph", "point")
ROWS = [json.loads(line) for line in (Path(__file__).parent / "data" / "citation_grammar_forms.jsonl").open(encoding="utf-8")]


@pytest.fixture(scope="module")
def finder():
    return default_finder()


def _found(finder, row) -> list:
    return finder.find(row["text"], row["date"])


def test_the_table_covers_every_kind_of_form():
    kinds = Counter(row["kind"] for row in ROWS)
    assert len(ROWS) >= 120
    assert len({row["id"] for row in ROWS}) == len(ROWS)
    assert len({(row["text"], row["date"]) for row in ROWS}) == len(ROWS)  # one sentence may be dated twice
    for kind, least in {"enumeration": 30, "range": 10, "letters": 8, "identity": 10, "written-sfs": 8,
                        "i-law": 10, "title": 15, "anaphora": 5, "lex": 8, "statute": 20, "negative": 10}.items():
        assert kinds[kind] >= least, kind


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_form(finder, row):
    want = Counter(tuple(c[k] for k in FIELDS) for c in row["expected"])
    got = Counter(tuple(getattr(c, k) for k in FIELDS) for c in _found(finder, row))
    assert got == want, row.get("note") or row["text"]


@pytest.mark.parametrize("row", [r for r in ROWS if r["expected"]], ids=[r["id"] for r in ROWS if r["expected"]])
def test_spans_are_exact(finder, row):
    """Every span starts and ends on the citation's own characters, in text order."""
    text = row["text"]
    found = _found(finder, row)
    for c in found:
        span = text[c.start:c.end]
        assert span and span == span.strip() and not span.endswith((",", ".", "och"))
        if "§" in span or "kap" in span:  # a provision written out, not one known by name
            assert c.section is None or c.section.split()[0] in span
            assert c.chapter is None or c.chapter.split()[0] in span
    assert [c.start for c in found] == sorted(c.start for c in found)


def test_f1_over_the_whole_table(finder):
    """Scored like the evaluation: every field of every citation must agree."""
    tp = fp = fn = 0
    for row in ROWS:
        want = Counter(tuple(c[k] for k in FIELDS) for c in row["expected"])
        got = Counter(tuple(getattr(c, k) for k in FIELDS) for c in _found(finder, row))
        both = sum((want & got).values())
        tp, fp, fn = tp + both, fp + sum(got.values()) - both, fn + sum(want.values()) - both
    assert (tp, fp, fn) == (tp, 0, 0) and tp >= 300
