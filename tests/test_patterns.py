"""Regular expressions built from word lists (pipeline/patterns.py)."""

from __future__ import annotations

import re

import pytest

from pipeline.patterns import phrase_pattern, trie_pattern


@pytest.mark.parametrize("words", [
    ["kap", "kapitel", "kr", "kap."],
    ["a", "b", "ab", "abc", "abd", "b-c", "[x]", "x^y", "\\"],
    ["LVU", "LVM", "LSS", "SoL", "SoF", "OSL"],
])
def test_trie_pattern_matches_exactly_its_words(words):
    pattern = re.compile(trie_pattern(words))
    assert all(pattern.fullmatch(w) for w in words)
    others = {w + tail for w in words for tail in ("s", "-", " ")} | {w[:-1] for w in words} | {""}
    assert not [w for w in others - set(words) if pattern.fullmatch(w)]


def test_trie_pattern_shares_prefixes_and_puts_last_letters_in_one_class():
    assert trie_pattern(["kap", "kapitel", "kr", "ks"]) == "k(?:ap(?:itel)?|[rs])"
    assert trie_pattern(["polis", "polis", ""]) == "polis"


def test_a_space_of_a_phrase_matches_any_whitespace():
    assert re.fullmatch(phrase_pattern(["på plats"]), "på\n  plats")
