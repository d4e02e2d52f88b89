"""The warm-cache tokenizer gives exactly spaCy's tokens, whatever it has seen before."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings, strategies as st

from pipeline.analyse import build_nlp
from pipeline.tokenizer import WarmCacheTokenizer

PROPERTY = settings(deadline=None, max_examples=300, derandomize=True)

# Our own sentences, with the special cases that stop spaCy's caching: line breaks,
# "kap.", "kr", "t.ex.", "bl.a." and the like, also inside punctuation ("(kap.").
TEXTS = [
    "Enligt 5 kap. 1 § socialtjänstlagen (SoL) ska nämnden verka för att barn växer upp\n"
    "under trygga förhållanden. Kostnaden blev 12 000 kr per månad, dvs. mer än väntat.",
    "Uppdraget (t.ex. samverkan med polisen) följs upp bl.a. i Rinkeby-Kista och Spånga-Tensta.\n\n"
    "Ärendet\n  Förvaltningen föreslår att nämnden godkänner rapporten.",
    "Se 11 kap. 10 §, 14 kap. 1 a § SoL och 3 § LVU.\tTabell 2: 4,5 tjänster (heltid).\n",
    "Kl. 13.00 sammanträder nämnden, s.k. extra möte; ca 40 ärenden m.m. behandlas.\u00a0Slut.",
    "S mlok liseringen  av socia/sekreterare och n~got    mer:\r\n\"citat\" — [not] ‘x’ 2021/22",
    "",
    "   \n\n  ",
    "Kap.kap. kr.kr kr, (kr) t.ex.. bl.a.,",
]


def _tokens(doc):
    return [(t.orth_, t.whitespace_, t.norm_, t.is_space) for t in doc]


@pytest.fixture(scope="module")
def plain():
    return spacy.blank("sv").tokenizer


def test_same_tokens_as_spacy_on_our_sentences_in_every_order(plain):
    warm = WarmCacheTokenizer(spacy.blank("sv").tokenizer)
    # each text seen twice, so the second reading comes from the warmed cache
    for text in TEXTS + TEXTS[::-1]:
        assert _tokens(warm(text)) == _tokens(plain(text)), text


def test_pipe_gives_the_same_docs(plain):
    warm = WarmCacheTokenizer(spacy.blank("sv").tokenizer)
    assert [_tokens(d) for d in warm.pipe(TEXTS)] == [_tokens(plain(t)) for t in TEXTS]


def test_warms_only_new_chunks_and_stops_at_its_limit(plain):
    warm = WarmCacheTokenizer(spacy.blank("sv").tokenizer, max_chunks=12)
    warm(TEXTS[0])
    seen = set(warm.warmed)
    assert "socialtjänstlagen" in seen and "kap." in seen
    warm(TEXTS[1])  # past the limit: no more warming, still spaCy's tokens
    assert warm.warmed == seen
    assert _tokens(warm(TEXTS[1])) == _tokens(plain(TEXTS[1]))


def test_a_new_special_case_reaches_the_wrapped_tokenizer():
    warm = WarmCacheTokenizer(spacy.blank("sv").tokenizer)
    warm("Avdelningen för IFO-stöd svarar.")
    warm.add_special_case("IFO-stöd", [{"ORTH": "IFO"}, {"ORTH": "-stöd"}])
    assert warm.warmed == set()  # spaCy emptied its cache: everything is warmed anew
    assert [t.text for t in warm("Avdelningen för IFO-stöd svarar.")][2:4] == ["IFO", "-stöd"]


def test_pickles_as_spacy_does(plain):
    import pickle

    warm = WarmCacheTokenizer(spacy.blank("sv").tokenizer)
    warm(TEXTS[0])
    again = pickle.loads(pickle.dumps(warm))
    assert again.warmed == set() and again.max_chunks == warm.max_chunks
    assert _tokens(again(TEXTS[2])) == _tokens(plain(TEXTS[2]))


def test_the_pipeline_uses_it():
    nlp = build_nlp()
    assert isinstance(nlp.tokenizer, WarmCacheTokenizer)
    assert nlp.tokenizer.rules  # the rest of spaCy's tokenizer is reached through it


PIECES = st.sampled_from([
    "nämnden", "Järvas", "socialtjänstlagen", "kap.", "kr", "t.ex.", "bl.a.", "(kap.", "kr,", "§",
    "1", "2022/23", "SoL", "LVU:s", "S", "mlok", "n~got", "socia/sekreterare", "—", "\"", "(", ")",
    ".", ",", "dvs.", "Kl.", "e-post:", "a@b.se", "http://x.se", "12 000", "ö", "Å",
])
SEPARATORS = st.sampled_from([" ", " ", " ", "", "\n", "\n\n", "  ", "\t", "\u00a0", " \n "])


@PROPERTY
@given(st.lists(st.tuples(PIECES, SEPARATORS), max_size=40))
def test_same_tokens_as_spacy_on_any_text(parts):
    text = "".join(p + s for p, s in parts)
    assert _tokens(_WARM(text)) == _tokens(_PLAIN(text))


# one wrapper for all examples: its cache grows with what earlier examples held
_WARM = WarmCacheTokenizer(spacy.blank("sv").tokenizer)
_PLAIN = spacy.blank("sv").tokenizer
