"""The lookup lemmatizer gives the lemmas of spaCy's Swedish lookup table."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.analyse import LemmaTable, build_nlp

SENTENCE = ("Socialsekreterarna i stadsdelarna möter utmaningar med långa väntetider, och nämnden "
            "beslutade att fältassistenterna ska arbeta fler kvällar i Järvas skolor. Xyzzyq.")


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


@pytest.mark.parametrize("form,lemma", [
    ("stadsdelarna", "stadsdel"),
    ("utmaningar", "utmaning"),
    ("väntetider", "väntetid"),
    ("beslutade", "besluta"),
    ("fältassistenterna", "fältassistent"),
    ("kvällar", "kväll"),
    ("skolor", "skola"),
    ("Xyzzyq", "Xyzzyq"),  # not in the table: the form itself
])
def test_lemmas_of_our_sentence(nlp, form, lemma):
    doc = nlp(SENTENCE)
    assert {t.text: t.lemma_ for t in doc}[form] == lemma


def test_same_lemmas_as_spacys_table(nlp):
    from spacy.lookups import load_lookups

    table = load_lookups("sv", ["lemma_lookup"]).get_table("lemma_lookup")
    for _ in range(2):  # the second time from the component's cache
        for token in nlp(SENTENCE):
            assert token.lemma_ == table.get(token.orth, token.text), token.text


def test_lemma_table_arrays_round_trip():
    words = {11: "stadsdel", 7: "utmaning", 2**63 + 5: "stadsdel", 3: "kväll"}
    table = LemmaTable.from_bytes(LemmaTable.from_dict(words).to_bytes())
    assert len(table) == 4
    asked = np.array([3, 4, 2**63 + 5, 11, 2**64 - 1, 0], dtype=np.uint64)
    assert table.lookup(asked) == ["kväll", None, "stadsdel", "stadsdel", None, None]
    assert LemmaTable.from_dict({}).lookup(asked) == [None] * 6
