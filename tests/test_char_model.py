"""The restorer's character model and compound-part trie, kept as flat arrays, give the
same numbers as reading the back-off tables and a plain trie directly."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import restore

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
    table, backoff = restore._train_ngrams(WORDS, ORDER, DISCOUNT)
    lex = restore.Lexicon.__new__(restore.Lexicon)  # only the character model: no word list
    lex._load_automaton(*restore._automaton(table, backoff))
    return table, backoff, lex


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
    table, backoff, lex = model
    assert lex.ngram(word) == reference_word(table, backoff, word, end=True)
    assert lex._prefix(word) == reference_word(table, backoff, word, end=False)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aeilnorstdgåäöxzß^", max_size=14))
def test_any_text_scores_as_the_tables_say(model, text):
    table, backoff, lex = model
    word = text.replace("^", "")
    assert lex.ngram(word) == reference_word(table, backoff, word, end=True)
    # a word end after any context: the "^" padding of a word start included
    ctx = text[-(ORDER - 1):]
    assert lex._end_after(text) == reference_char(table, backoff, ctx, "$")


def test_the_trie_holds_exactly_the_words(model):
    _, _, lex = model
    parts = {"social": -7.0, "socialt": -9.5, "tjänst": -8.0, "stad": -6.5, "stads": -9.0, "del": -7.5}
    nexts, ends = restore._trie(parts, restore._automaton(*restore._train_ngrams(WORDS, ORDER, DISCOUNT))[0])
    from array import array

    lex._trie_next, lex._trie_end = array("i"), array("d")
    lex._trie_next.frombytes(nexts)
    lex._trie_end.frombytes(ends)

    def lookup(w: str) -> float | None:
        node = 0
        for ch in w:
            node = lex._trie_next[node * lex._width + lex._code(ch)]
            if node == 0:
                return None
        end = lex._trie_end[node]
        return None if end == restore._NEG else end

    for w, lp in parts.items():
        assert lookup(w) == lp
    for w in ("soc", "socia", "tjäns", "stadsd", "delar", "x", "sociaß"):
        assert lookup(w) is None
