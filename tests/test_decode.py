"""The C decoder (pipeline/_decode.c) against the restorer in Python (pipeline/restore/),
its reference: the same fillings, word scores, restored words and repairs, to the last bit
of every float."""

from __future__ import annotations

import contextlib
import shutil
import sysconfig
import types
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocr_damage import simulate_damage
from pipeline import _native, restore
from pipeline.restore import decoder, fills, signals

ROOT = Path(__file__).resolve().parents[1]
DECODER, WHY = _native.c_decoder_status()
needs_c = pytest.mark.skipif(DECODER is None, reason=f"the C decoder is not usable: {WHY}")

OWN = (ROOT / "tests" / "data" / "restore_clean_sv.txt").read_text(encoding="utf-8")
DOC_004 = (ROOT / "corpus" / "004_fbc38fc54b4e3b7b.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def lex():
    return restore.lexicon()


@contextlib.contextmanager
def python_only(lex):
    """The restorer with the C decoder switched off, every cache emptied before and after."""
    native = lex.native
    restore.reset_caches()
    lex.native = None
    try:
        yield
    finally:
        lex.native = native
        restore.reset_caches()


def templates_of(lex, texts: list[str]) -> list[str]:
    """Every template the Python decoder fills while restoring ``texts``."""
    with python_only(lex):
        for text in texts:
            restore.restore_edits(text)
        return list(fills._FILLS)


def test_the_module_is_used_only_when_built_from_the_source_on_disk(tmp_path):
    source = tmp_path / "_decode.c"
    source.write_text("/* one */\n", encoding="utf-8")
    module = types.ModuleType("pipeline._decode")
    module._SOURCE_SHA256 = "0" * 64
    assert not _native.made_from(module, source)
    import hashlib

    module._SOURCE_SHA256 = hashlib.sha256(b"/* one */\n").hexdigest()
    assert _native.made_from(module, source)


def test_an_install_with_a_c_compiler_has_the_c_decoder():
    """setup.py builds it as optional (an install without a compiler goes on without it);
    where a compiler is there, a missing or stale decoder is a broken install."""
    if _native.pure_python_requested():
        pytest.skip("NAMND_PURE_PYTHON is set")
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        pytest.skip(f"no C compiler ({compiler})")
    assert DECODER is not None, WHY


def test_pure_python_refuses_the_c_decoder(monkeypatch):
    monkeypatch.setenv("NAMND_PURE_PYTHON", "1")
    module, why = _native.c_decoder_status()
    assert module is None and "NAMND_PURE_PYTHON" in why


@needs_c
def test_fillings_equal_the_python_decoders_on_real_and_simulated_damage(lex):
    texts = [DOC_004] + [simulate_damage(OWN, rate, seed=11) for rate in (0.05, 0.3, 0.75)]
    templates = templates_of(lex, texts)
    assert len(templates) > 3000
    handled = 0
    for t in templates:
        got = lex.native.fills_and_words(t)
        if got is None:  # not Latin-1, or too long
            assert any(ord(c) > 255 for c in t) or len(t) > 255
            continue
        handled += 1
        want = fills._fills(lex, t)
        assert got == (want, fills._restored_words(t, want)), t
    assert handled > 0.95 * len(templates)


# templates of our own making: Swedish letters of both cases, lost-letter slots, OCR
# characters, digits, punctuation and other Latin-1 characters
_ALPHABET = "aaaaeeinrstlodgmkvåäöAEGDIMSÅÄÖéü" + "\x00\x00\x00\x00" + "/~q|" + "19.,-:@()_²½ß"
templates = st.text(alphabet=_ALPHABET, min_size=1, max_size=24)


@needs_c
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(template=templates)
def test_any_template_fills_as_in_python(lex, template):
    want = fills._fills(lex, template)
    assert lex.native.fills(template) == want
    assert lex.native.fills_and_words(template) == (want, fills._restored_words(template, want))


@needs_c
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=st.text(alphabet=_ALPHABET.replace("\x00", ""), min_size=1, max_size=20))
def test_any_token_scores_as_in_python(lex, token):
    # the Python caches are bypassed: _token and _word are the uncached computations
    want = lex._token(token) if not token.isalpha() else lex._word(token)
    assert lex.native.token(token) == want
    if token.isalpha():
        assert lex.native.word(token) == want


@needs_c
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(word=st.one_of(
    st.text(alphabet="aeinorstlkdgmvbpuåäöhjf", min_size=1, max_size=30),
    st.lists(st.sampled_from(["social", "tjänst", "polis", "område", "lokal", "arbete", "s", "en", "na",
                              "samverkan", "grupp", "ung", "dom", "skola", "ar", "utred", "ning"]),
             min_size=1, max_size=5).map("".join)))
def test_word_checks_agree_with_python(lex, word):
    native = lex.native
    try:
        lex.native = None
        lex._compound_cache.clear()
        want_known, want_compound, want_score = lex.all_known(word), lex.is_compound(word), lex.compound(word)
    finally:
        lex.native = native
    assert native.all_known(word) == want_known
    assert native.is_compound(word) == want_compound
    assert native.compound(word) == want_score
    for text in (word.capitalize(), word.upper(), word + " och", "-" + word):
        try:
            lex.native = None
            want = lex.all_known(text)
        finally:
            lex.native = native
        assert native.all_known(text) == want


@needs_c
@pytest.mark.parametrize("prev, chunk", [
    ("samverk", "rbetet"), ("lokalpolisomr", "det"), ("Rinkeby", "Kist"), ("xqzv", "bbbbk"),
    ("hand", "ggning"), ("9", "gar"), ("e-post", "dress"), ("social", "tjänst."),
])
def test_plausible_starts_agree(lex, prev, chunk):
    dec = decoder._Decoder(lex, frozenset())
    native = lex.native
    try:
        lex.native = None
        decoder._START_CACHE.clear()
        want = dec._plausible_start(prev, chunk)
    finally:
        lex.native = native
    assert native.plausible_start(prev, chunk) == want


# lines of our own, damaged: the whole decoder, C against Python (with characters beyond
# Latin-1, which the C decoder hands to the Python word checks)
_OWN_LINES = [
    "Nämnden beslutade att godkänna rapporten om samverkan med polisen i Järva.",
    "Socialtjänsten och lokalpolisområdet Rinkeby har gemensamma arbetsplatsträffar.",
    "Handläggaren ska enligt 11 kap. 1 § SoL inleda en utredning utan dröjsmål.",
    "Bl a deltar fältassistenter m fl i arbetet; se punkt 18 a § och sid 3 av 9.",
    "Kontakt: anna.andersson@stad.se, tel 08-508 000 00 – vardagar 8–16.",
    "FÖRVALTNINGENS FÖRSLAG TILL BESLUT   Bilaga 2",
]


@needs_c
@pytest.mark.parametrize("rate", [0.0, 0.1, 0.4, 0.8])
@pytest.mark.parametrize("seed", [1, 2])
def test_repairs_equal_the_python_decoders(lex, rate, seed):
    text = "\n".join(simulate_damage(line, rate, seed=seed) for line in _OWN_LINES) + "\n"
    with python_only(lex):
        want = restore.restore_edits(text)
    restore.reset_caches()
    assert restore.restore_edits(text) == want


@needs_c
def test_repairs_of_004_equal_the_python_decoders(lex):
    with python_only(lex):
        want = restore.restore_edits(DOC_004)
    restore.reset_caches()
    assert restore.restore_edits(DOC_004) == want
    assert len(want) > 1000


@needs_c
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=st.lists(st.sampled_from(
    "Rinkeby Kista socialtjänsten  samverkan  polisen  gr nn  ung omar v  fält ssistent  "
    "m fl bl a 18 a § 2022 , . / l~n q ÖVERSIKT Järv  / okal – “soci” ltjänst n–  • s mverk".split(" ")
    + ["x" * 300, "samverk n" + "s" * 260]), min_size=1, max_size=14),
    spaces=st.sampled_from([" ", "  ", "   "]))
def test_any_line_decodes_as_in_python(lex, line, spaces):
    text = spaces.join(line)
    dec = decoder._Decoder(lex, frozenset({"socialtjänsten", "samverkan"}), trail_base=0)
    want: list = []
    got: list = []
    native = lex.native
    try:
        lex.native = None
        dec.line_in_python(text, 0, 0.2, want)
    finally:
        lex.native = native
    dec_c = decoder._Decoder(lex, frozenset({"socialtjänsten", "samverkan"}), trail_base=0)
    dec_c.line(text, 0, 0.2, got)
    assert got == want


@needs_c
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tokens=st.lists(st.sampled_from(
    "soci ltjänstens han läggning se an Wallenbergs llé allé rbetet socialsekreterarn el/er bes/utade "
    "Socia/tjänsten lok lpolisområdena narkotik gruppen HVB SiS , . ( ) 18 a § ut nför "
    "utvecklin över andr x".split(" ") + ["x" * 200, "ab/" + "c" * 252]), min_size=1, max_size=10),
    gaps=st.lists(st.sampled_from([" ", "  ", "   ", "\t"]), min_size=10, max_size=10),
    lead=st.sampled_from(["", " ", "  "]), trail=st.sampled_from(["", " ", "  "]))
def test_weak_signals_agree_with_python(lex, tokens, gaps, lead, trail):
    line = lead + "".join(t + g for t, g in zip(tokens, gaps))[:-1] + trail
    vocab = frozenset({"allé", "utveckling", "andra", "arbetet"})
    native = lex.native
    try:
        lex.native = None
        signals._TOKEN_INFO.clear()
        signals._PAIR_JOINS.clear()
        want = signals._weak_signals(line, lex, vocab)
    finally:
        lex.native = native
    got = native.weak_signals(line, vocab)
    assert got is None or got == want
    assert signals._weak_signals(line, lex, vocab) == want


@needs_c
def test_a_scorer_that_was_never_initialised_refuses_work():
    bare = DECODER.Scorer.__new__(DECODER.Scorer)
    for call in (lambda: bare.word("kommun"), lambda: bare.fills("s\x00mverkan"), lambda: bare.clear(),
                 lambda: bare.weak_signals("a b", frozenset()), lambda: bare.all_known("och")):
        with pytest.raises(RuntimeError):
            call()


@needs_c
def test_decode_line_checks_what_best_fills_returns(lex):
    args = ("Nämnden s mverk r", 0.1, 0.9, 0, None)
    for bad in (lambda t: [(0.0, t)], lambda t: ((0.0,),), lambda t: ((0.0, t + "x"),), lambda t: (("0", t),)):
        with pytest.raises(TypeError):
            lex.native.decode_line(*args, bad, lex.good, lambda a, b: True)


@needs_c
def test_decode_line_takes_a_snapshot_of_the_protected_chunks(lex):
    protected = []

    class Shrinks:  # empties the list it stands in while it is being read
        def __bool__(self):
            protected.clear()
            return False

    protected += [Shrinks(), False, False, False]
    dec = decoder._Decoder(lex, frozenset())
    got = lex.native.decode_line("aa bb cc dd", 0.1, 0.9, 0, protected, dec.best_fills, lex.good,
                                 dec._plausible_start)
    assert isinstance(got, list)


@needs_c
def test_decoding_lines_beyond_latin1_leaks_nothing(lex):
    import sys

    dec = decoder._Decoder(lex, frozenset())
    line = "Socialn mnden beslut r “bra” – " + "x" * 300 + " slut"
    for _ in range(50):  # caches filled
        dec.line(line, 0, 0.2, [])
    before = sys.getallocatedblocks()
    for _ in range(2000):
        dec.line(line, 0, 0.2, [])
    assert sys.getallocatedblocks() - before < 500  # a leak per call would be thousands
