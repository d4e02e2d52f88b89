"""Building fast regular expressions from word lists.

A plain alternation of hundreds of names makes the regex engine try every branch at
every position. Folding the names into a trie first shares their prefixes, so a
gazetteer of all Swedish municipalities or a law registry matches in one quick pass.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left
from typing import Iterable

_LAST_CHAR = chr(sys.maxunicode)  # no character sorts after it


def trie_pattern(words: Iterable[str]) -> str:
    """A regex (no anchors, no groups captured) matching exactly the given strings."""
    return _trie_node(sorted({word for word in words if word}), 0) or "(?!)"


def phrase_pattern(phrases: Iterable[str]) -> str:
    """:func:`trie_pattern` for phrases: a space in a phrase matches any run of whitespace,
    so "på plats" is found across the line break of a wrapped text."""
    return trie_pattern(phrases).replace("\\ ", r"\s+")


def _trie_node(words: list[str], depth: int) -> str:
    """The regex of the trie node of ``words`` (sorted, distinct, all with the same first
    ``depth`` characters): its children in the order of their characters, those that end
    a word and have no children of their own in one character class after the others.
    The trie is walked on the sorted list itself; each child's words are found by bisection."""
    if len(words) == 1:
        return re.escape(words[0][depth:])  # one word left: the rest of it
    ends_here = bool(words) and len(words[0]) == depth
    prefix = words[0][:depth] if words else ""
    branches = []
    singles = []
    i = 1 if ends_here else 0
    while i < len(words):
        ch = words[i][depth]
        # the words that go on with ch: up to the first that goes on with a later character
        end = len(words) if ch == _LAST_CHAR else bisect_left(words, prefix + chr(ord(ch) + 1), i + 1)
        if end - i == 1 and len(words[i]) == depth + 1:
            singles.append(re.escape(ch))
        else:
            branches.append(re.escape(ch) + _trie_node(words[i:end], depth + 1))
        i = end
    if singles:
        branches.append(singles[0] if len(singles) == 1 else "[" + "".join(singles) + "]")
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        return "(?:" + body + ")?"
    return body


#: a line ending in a function word goes on in the next line (a wrapped sentence or
#: heading): shared by the PDF reader's heading joins and the segmenter
OPEN_END = re.compile(r"\b(?:och|eller|i|att|av|som|för|med|på|till|en|ett|de|den|det|är|har|kan|om|vid|från|samt|"
                      r"men|så|inom|under|mellan|hos|genom|efter|utan|där|när|vilket|vilka|sin|sina|sitt)$", re.I)


# A diarienummer: a registry prefix ("KS", "SOCN", "N167", "Soc") and a number of digit
# groups ("2023/145-730", "3.1.1-412/2024", "2022:318", "2016/00398-IFN-700"), or the
# spaced "NAV 2025 00382": shared by the metadata finder and the segmenter (an agenda
# item's number may stand beside its dnr alone)
_DNR_PREFIX = r"[A-ZÅÄÖ][A-ZÅÄÖa-zåäö]{0,7}\d{0,4}"
_DNR_CORE = r"\d{1,4}(?:[./:-]\d{1,6}){1,4}"
_DNR_SUFFIX = r"(?:-[A-ZÅÄÖ]{1,6}(?:-\d{1,4})?)?"
DNR_VALUE = re.compile(
    rf"(?<![\w./-])(?:(?:{_DNR_PREFIX}(?:\s?[-./:]\s?|\s)?)?{_DNR_CORE}{_DNR_SUFFIX}"
    rf"|[A-ZÅÄÖ]{{2,8}}\s(?:19|20)\d{{2}}\s\d{{2,6}})(?![\w/])")
