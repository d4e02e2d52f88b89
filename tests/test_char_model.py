"""The restorer's character model (pipeline/restore/charmodel.py) and compound-part trie
(words.py), kept as flat arrays, give the same numbers as reading the back-off tables and
a plain trie directly."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import restore
from pipeline.restore import charmodel, words

#: training words of our own: enough shared n-grams that most contexts back off somewhere
WORDS = """socialtjänst socialsekreterare samverkan samlokalisering stadsdel stadsdelarna
förvaltning förvaltningen nämnden nämnd beslut beslutade arbete arbetet fältassistent
fältassistenterna skola skolor kväll kvällar ungdom ungdomar polis polisen område områden
lokal lokalen trygghet tryggheten uppdrag uppdraget rapport rapporten handläggare
handläggning vårdnadshavare barn barnen orosanmälan insats insatser åtgärd åtgärder
är även öppen överenskommelse café""".split()
ORDER, DISCOUNT = 5, 0.75


@pytest.fixture(scope="module")
def model():
    table, backoff = charmodel._train_ngrams(WORDS, ORDER, DISCOUNT)
    return table, backoff, charmodel.CharModel(*charmodel._automaton(table, backoff))


def reference_char(table: dict[str, float], backoff: dict[str, float], ctx: str, c: str) -> float:
    """log P(c | ctx) read from the tables: the n-gram itself, else the back-off weights of
    ctx, ctx[1:], ... added until a shorter context holds the character."""
    v = table.get(ctx + c)
    if v is not None:
        return v
    bo = 0.0
    while ctx:
        bo += backoff.get(ctx, 0.0)
        ctx = ctx[1:]
        v = table.get(ctx + c)
        if v is not None:
            return v + bo
    return bo + math.log(1e-6)


def reference_word(table, backoff, w: str, end: bool) -> float:
    padded = "^" * (ORDER - 1) + w + ("$" if end else "")
    lp = 0.0
    for i in range(ORDER - 1, len(padded)):
        lp += reference_char(table, backoff, padded[i - ORDER + 1:i], padded[i])
    return lp


@pytest.mark.parametrize("word", [
    "socialtjänst",  # seen in training
    "stadsdelsförvaltningen",  # a new compound of seen pieces
    "samverkansarbetet",
    "xyzzq",  # letters the model never saw after each other
    "fältassistentßen",  # a letter the model never saw at all
    "жук",  # nor any of these
    "a",
    "",
])
def test_word_scores_equal_reading_the_tables(model, word):
    table, backoff, chars = model
    assert chars.ngram(word) == reference_word(table, backoff, word, end=True)
    assert chars.prefix(word) == reference_word(table, backoff, word, end=False)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aeilnorstdgåäöxzß^", max_size=14))
def test_any_text_scores_as_the_tables_say(model, text):
    table, backoff, chars = model
    word = text.replace("^", "")
    assert chars.ngram(word) == reference_word(table, backoff, word, end=True)
    # a word end after any context: the "^" padding of a word start included
    ctx = text[-(ORDER - 1):]
    assert chars.end_after(text) == reference_char(table, backoff, ctx, "$")


def test_the_trie_holds_exactly_the_words(model):
    parts = {"social": -7.0, "socialt": -9.5, "tjänst": -8.0, "stad": -6.5, "stads": -9.0, "del": -7.5,
             "café": -11.0}
    symbols = charmodel._automaton(*charmodel._train_ngrams(WORDS, ORDER, DISCOUNT))[0]
    first, codes, nodes, ends = words._trie(parts, symbols)

    def three(b: bytes, i: int) -> int:
        return int.from_bytes(b[3 * i:3 * i + 3], "little")

    def lookup(w: str) -> float | None:
        node = 0
        for ch in w:
            c = symbols.index(ch) if ch in symbols else len(symbols)
            kids = {codes[k]: three(nodes, k) for k in range(three(first, node), three(first, node + 1))}
            if c not in kids:
                return None
            node = kids[c]
        return None if ends[node] == words._NEG else ends[node]

    for w, lp in parts.items():
        assert lookup(w) == lp
    for w in ("soc", "socia", "tjäns", "stadsd", "delar", "x", "sociaß", "caf"):
        assert lookup(w) is None
    # children sorted by code within each node: the decoder stops at the first larger one
    for node in range(len(ends)):
        kids = codes[three(first, node):three(first, node + 1)]
        assert list(kids) == sorted(kids)


@pytest.mark.parametrize("word,parts", [
    ("socialtjänsten", ("social", "tjänst")),  # a head with an inflection ending
    ("stadsdelsnämnd", ("stad", "del", "nämnd")),  # linking -s- twice
    ("samverkansgrupp", ("samverkan", "grupp")),
])
def test_compounds_of_known_parts_are_found(word, parts):
    lex = restore.lexicon()
    assert all(p in lex.parts for p in parts)
    assert lex.compound(word) is not None


@pytest.mark.parametrize("word", ["xqzvbnmlkj", "tjänstxqz", "qxqxqxqx"])
def test_no_compound_without_known_parts(word):
    assert restore.lexicon().compound(word) is None
