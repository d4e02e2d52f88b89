"""Restoring letters lost in OCR: repair damaged text, never harm clean text.

Numbers are printed (``pytest -s`` shows them) so a run documents how well the
restorer does, not only that it passes:

1. corpus document 004 against its hand-corrected text: the character error rate after
   cleaning must be at least 85 % lower than before;
2. clean documents (000, 001, 003 and Swedish text written for this test): at most one
   changed word per 10,000, also when the same document carries damage elsewhere;
3. simulated damage modelled on 004 (``simulate_damage`` in benchmarks/ocr_damage.py) at
   several rates: the error rate falls by at least an honest floor per rate, and the
   repairs made are nearly all right;
4. property test: restoring never raises and its edits are valid, one character each,
   and never overlap.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from ocr_damage import char_errors, simulate_damage
from pipeline import restore
from pipeline.clean import apply_edits, clean
from pipeline.restore import restore_edits, signals, tokens

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
RAW_004 = CORPUS / "004_fbc38fc54b4e3b7b.txt"
REF_004 = REPO / "annotations" / "004_fbc38fc54b4e3b7b.corrected.txt"
CLEAN_DOCS = ("000_c03b254d8a1ffbd1.txt", "001_46e52080158721e0.txt", "003_82a5e966af9e9f59.txt")
OWN_TEXT = Path(__file__).resolve().parent / "data" / "restore_clean_sv.txt"

RESTORE_KINDS = ("lost_letter", "ocr_char")

#: rate at which "a" is lost → the least relative CER reduction the restorer must reach
#: (measured with these seeds: 88 %, 89 %, 89 %, 92 %; the misses are mostly a lost final
#: letter that leaves another word, "ung" for "unga", "viss" for "vissa", and at low rates
#: a damaged word next to nothing suspicious, which the fast path does not look at)
SIMULATION_FLOORS = {0.02: 0.75, 0.05: 0.80, 0.10: 0.80, 0.20: 0.85}


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _clean_truths() -> dict[str, str]:
    texts = {"own Swedish text": _read(OWN_TEXT)}
    for name in CLEAN_DOCS:
        texts[name[:3]] = _read(CORPUS / name)
    return texts


def _restore_repairs(text: str):
    return [r for r in clean(text).repairs if any(k in r.kind for k in RESTORE_KINDS)]


# -- 1. corpus document 004 -------------------------------------------------------------------

def test_cer_on_004_falls_by_85_percent():
    raw, ref = _read(RAW_004), _read(REF_004)
    before, n = char_errors(raw, ref)
    after, _ = char_errors(clean(raw).text, ref)
    reduction = 1 - after / before
    print(f"\n004: CER raw {before}/{n} = {before / n:.4f}; cleaned {after}/{n} = {after / n:.4f};"
          f" reduction {reduction:.1%}")
    assert reduction >= 0.85


def test_004_examples_from_the_issue():
    raw = _read(RAW_004)
    text = clean(raw).text
    for fixed in ("Samlokalisering socialsekreterare och polis i Järva lokalpolisområde",
                  "med samlokaliseringen", "Stadsdelsförvaltningens namn, avdelning/enhet",
                  "något av SiS", "HBTQ utbildning", "BILAGOR", "Socialtjänstrapport",
                  "i Järva lokalpolisområde", "Detta projekt", "\narbetsmetoden"):
        assert fixed in text, fixed
    # e-mail addresses and numbers stay usable
    assert "fou.sof@stockholm.se" in text
    assert "08-508 01 712" in text


def test_each_repair_is_one_character_with_a_confidence():
    raw = _read(RAW_004)
    edits = restore_edits(raw)
    assert len(edits) > 1000
    for e in edits:
        assert e.end - e.start == 1 and len(e.replacement) == 1
        assert raw[e.start] in " /~q|"
        assert e.kind in RESTORE_KINDS
        assert restore.MIN_CONFIDENCE <= e.confidence <= 1.0


@pytest.mark.parametrize("damaged,expected", [
    ("S mlok liseringen är  tt pröv  en ny  rbetsmetod för s mverk n mell n soci ltjänsten och polisen.",
     "Samlokaliseringen är att pröva en ny arbetsmetod för samverkan mellan socialtjänsten och polisen."),
    ("Sta s elsförvaltningens n mn, av elning/enhet", "Stadsdelsförvaltningens namn, avdelning/enhet"),
    ("Socialsekreterare och polis i Järva /okalpolisområde h r  rbet t tills mm ns.",
     "Socialsekreterare och polis i Järva lokalpolisområde har arbetat tillsammans."),
    ("Det finns n~got  v SiS särskild  ungdomshem och en HBTQ utbildninq h r genomförts.",
     "Det finns något av SiS särskilda ungdomshem och en HBTQ utbildning har genomförts."),
    # an upper-case "I" lost in a heading, the only sign of damage in the text
    ("Se B LAGOR 1 och 2.", "Se BILAGOR 1 och 2."),
])
def test_damaged_sentences(damaged, expected):
    assert " ".join(clean(damaged).text.split()) == expected


#: A damaged first paragraph makes the document a damaged one, so the second is read for
#: its quieter signs: (second paragraph as scanned, as it must come out, what it shows).
_DAMAGED_DOCUMENT = "Nämnden beslutade  tt godkänna rapporten om samverkan med polisen.\n\n"


@pytest.mark.parametrize("scanned,expected", [
    # "/" inside a token is a lost "l" where that makes a known word; other slashes stay
    ("Socia/nämnden har bes/utat att ärendet tas upp i maj el/er juni. Handläggaren och/eller "
     "chefen svarar, han/hon kör 30 km/h och läsåret 2022/23 börjar i augusti.",
     "Socialnämnden har beslutat att ärendet tas upp i maj eller juni. Handläggaren och/eller "
     "chefen svarar, han/hon kör 30 km/h och läsåret 2022/23 börjar i augusti."),
    # a letter after a number keeps its place ("18 a §", "punkt 2 b") unless a lost letter
    # makes it the start of a word ("9 d gar", "2 k p.": a citation depends on "kap.")
    ("Anmälan gjordes enligt 14 k p. 1 § soci ltjänstl gen och ungdomen fick 9 d g r  tt "
     "svara. Det gäller 3 b rn i 2 k p. LVU och 18 a § samt punkt 2 b i beslutet.",
     "Anmälan gjordes enligt 14 kap. 1 § socialtjänstlagen och ungdomen fick 9 dagar att "
     "svara. Det gäller 3 barn i 2 kap. LVU och 18 a § samt punkt 2 b i beslutet."),
    # a lone letter with a dot is an abbreviation: nothing joins it to the next word
    # ("se p. LVU" once came out as "p.ALVU")
    ("Se s. 12 i bilagan. Hon är f. 1990 och bor i Kista. Enligt p. 3 och kap. LVU gäller "
     "detta. Avsnitt B. Polisen deltar, se p. LVU. Mer i s. Bilaga 2.",
     "Se s. 12 i bilagan. Hon är f. 1990 och bor i Kista. Enligt p. 3 och kap. LVU gäller "
     "detta. Avsnitt B. Polisen deltar, se p. LVU. Mer i s. Bilaga 2."),
    # a compound of known parts beside an unknown fragment, and a word cut at a line's end
    ("Samarbetet med narkotik gruppen och lok lpolisområdena fungerar väl enligt "
     "socialsekreterarn \nsom också träffar ungdomarna varje vecka.",
     "Samarbetet med narkotikagruppen och lokalpolisområdena fungerar väl enligt "
     "socialsekreterarna som också träffar ungdomarna varje vecka."),
    # an e-mail address never begins with a dot: ".lindqvist@…" is the rest of an address
    # whose first part lost its last letter ("m ri .lindqvist" = "maria.lindqvist")
    ("Kontaktperson är M ria Lindqvist, m ri .lindqvist@stad.se, och e-post till "
     "registrator@stad.se besvaras inom en vecka.",
     "Kontaktperson är Maria Lindqvist, maria.lindqvist@stad.se, och e-post till "
     "registrator@stad.se besvaras inom en vecka."),
    # a double space after a fragment that a lost letter makes into a word the document
    # holds intact elsewhere ("samordning" below), though no word list knows "samordnin"
    ("Samordnin  av insatserna sker varje vecka. Ansvaret för samordning ligger hos "
     "enhetschefen, som också följer upp utvecklin  över tid och redovisar utveckling "
     "och kostnader.",
     "Samordning av insatserna sker varje vecka. Ansvaret för samordning ligger hos "
     "enhetschefen, som också följer upp utveckling över tid och redovisar utveckling "
     "och kostnader."),
])
def test_quiet_damage_in_a_damaged_document(scanned, expected):
    cleaned = clean(_DAMAGED_DOCUMENT + scanned + "\n").text
    assert cleaned.split("\n\n", 1)[1].split() == expected.split()


# -- 2. clean text is left alone --------------------------------------------------------------

def test_no_false_repairs_on_clean_text():
    words = changed = 0
    for name, text in _clean_truths().items():
        reps = _restore_repairs(text)
        words += len(text.split())
        changed += len(reps)
        assert not reps, (name, [(r.original, r.replacement, r.start) for r in reps])
    rate = changed / words * 10_000
    print(f"\nclean text: {changed} changed words of {words} ({rate:.2f} per 10,000)")
    assert rate <= 1.0


def test_no_false_repairs_next_to_damage():
    """A document that is damaged in one part is read more closely everywhere: its clean
    parts must still come back unchanged (the clean text follows 004's first part)."""
    prefix = _read(RAW_004)[:6000] + "\n\n"
    words = changed = 0
    for name, text in _clean_truths().items():
        doc = prefix + text
        edits = [e for e in restore_edits(doc) if e.start >= len(prefix)]
        words += len(text.split())
        changed += len(edits)
        assert not edits, (name, [(doc[e.start - 20:e.start + 20], e.replacement) for e in edits])
    print(f"\nclean text after damage: {changed} changed words of {words}")
    assert changed / words * 10_000 <= 1.0


def test_corrected_004_is_left_alone():
    """The hand-corrected 004 is real Swedish with a form's layout; it keeps one piece of
    page-header debris ("Sid  3 av 9V sta") that the restorer may read as a word."""
    ref = _read(REF_004)
    edits = restore_edits(ref)
    print(f"\ncorrected 004: {len(edits)} changes in {len(ref.split())} words")
    assert len(edits) <= 1
    assert all("9V sta" in ref[e.start - 10:e.end] for e in edits)


def test_clean_documents_take_the_fast_path():
    for name, text in _clean_truths().items():
        # at most a stray signal, never a damaged paragraph
        assert restore.damage_score(text) < 0.01, name


# -- 3. simulated damage ----------------------------------------------------------------------

def _simulate(rate: float) -> tuple[int, int, int, int, int]:
    before = after = made = right = 0
    for i, truth in enumerate(_clean_truths().values()):
        damaged = simulate_damage(truth, rate, seed=1000 + i)
        b, n = char_errors(damaged, truth)
        a, _ = char_errors(clean(damaged).text, truth)
        before += b
        after += a
        for e in restore_edits(damaged):  # the damage keeps every offset
            made += 1
            right += truth[e.start] == e.replacement
    return before, after, made, right, n


@pytest.mark.parametrize("rate", sorted(SIMULATION_FLOORS))
def test_simulated_damage(rate):
    before, after, made, right, _ = _simulate(rate)
    reduction = 1 - after / before
    precision = right / made if made else 1.0
    print(f"\nsimulated {rate:.0%}: char errors {before} → {after}, reduction {reduction:.1%},"
          f" {made} repairs, {precision:.1%} right")
    assert reduction >= SIMULATION_FLOORS[rate]
    assert precision >= 0.97


def test_a_second_pass_changes_nothing():
    texts = [_read(RAW_004)] + [simulate_damage(t, rate, seed=1000 + i)
                                for rate in (0.05, 0.20)
                                for i, t in enumerate(_clean_truths().values())]
    for text in texts:
        once = clean(text).text
        assert clean(once).text == once


def test_simulator_keeps_length_and_lines():
    text = _read(OWN_TEXT)
    damaged = simulate_damage(text, 0.3, seed=1)
    assert len(damaged) == len(text)
    assert damaged.count("\n") == text.count("\n")
    assert damaged != text


# -- 4. properties ----------------------------------------------------------------------------

_ALPHABET = st.one_of(
    st.sampled_from(list("aadgmlst  ÅåÄäÖöSLB~/q|.,-:;()@§0123456789\n\t\u00a0")),
    st.characters(),
)


@settings(deadline=None, max_examples=200, derandomize=True)
@given(st.one_of(
    st.text(_ALPHABET, max_size=300),
    st.lists(st.sampled_from(["S mlok liseringen", "  v", " rbetsmetoden", "/okal", "n~got",
                              "utbildninq", "B LAGOR", "tt", "och", "Järv ", "m fl", "18 a §",
                              "e-post", "sedin . rn ut@x.se", "\n", "  ", " ", ",", "2022"]),
             max_size=40).map("".join),
))
def test_restore_never_raises_and_edits_are_valid(text):
    edits = restore_edits(text)
    last = 0
    for e in edits:
        assert 0 <= e.start < e.end <= len(text)
        assert e.start >= last  # sorted, not overlapping
        last = e.end
        assert e.end - e.start == 1 and len(e.replacement) == 1
        assert text[e.start] in " /~q|" and e.replacement.isalpha()
        assert 0.0 <= e.confidence <= 1.0
    assert len(apply_edits(text, edits)) == len(text)
    clean(text)  # the whole cleaner copes too


# The damage signs other than short fragments, as regular expressions: the plain statement
# of what signals._other_signals finds with str.find (which is faster on damaged text).
_SIGN_PATTERNS = [re.compile(p) for p in (
    r"[^\W\d_]~|~[^\W\d_]",  # "~" touching a letter: the pair's offset
    r"(?<=[a-zåäö])q(?![uv])",  # "q" after a lowercase letter, not before u/v
    r"(?<!\S)/[a-zåäö]{2}",  # "/" opening a lowercase word
)]
#: a mark set off by a space after a fragment ("gränsern ,"; after a whole word, "Lund ,",
#: it is a typing habit)
_SPACED_MARK_AFTER_LETTER = re.compile(r"(?<=[^\W\d_]) [,;:](?=\s)")


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="aåöqQuvx~/ ,;:\t\n_2²ßéΩ", max_size=40))
def test_other_signals_are_what_the_patterns_find(text):
    want = [m.start() for p in _SIGN_PATTERNS for m in p.finditer(text)]
    want += [m.start() for m in _SPACED_MARK_AFTER_LETTER.finditer(text)
             if not signals._complete(re.split(r"\s", text[:m.start()])[-1])]
    assert sorted(signals._other_signals(text)) == sorted(want)


@pytest.mark.parametrize("text, signs", [
    ("n~got om ~ret", [0, 9]),  # the pairs "n~" and "~r"
    ("utbildninq och quorum", [9]),
    ("se /okalpolisområdet och och/eller", [3]),
    ("i Lund , Sundby ; Järva", []),  # spaced after whole words: a typing habit
    ("i gränsern , kommunern ; Järva", [10, 22]),  # after fragments: lost letters
    ("a~~b", [0, 2]),
])
def test_other_signals_by_example(text, signs):
    assert sorted(signals._other_signals(text)) == signs


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="aÅöxq12²½_- \t\n\u00a0.,éΩß", max_size=30))
def test_short_tokens_are_what_the_pattern_finds(text):
    want = set(re.findall(r"(?<!\S)[^\W\d_]{1,3}(?!\S)", text))
    assert signals._short_tokens(text) == want


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from("m fl bl a t ex s k o v d fr p g e f Sid sid id 18 2 § x av ö".split()
                                + [" ", "  ", "\t", "\n", "\u00a0", "", "7a", "Sid3"]), max_size=12).map(" ".join))
def test_undotted_check_agrees_with_the_pattern(text):
    assert tokens._undotted_in(text) == (tokens._UNDOTTED.search(text) is not None)


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="ab a\t\n\u00a0\u2003.-", max_size=30))
def test_tokens_at_are_the_non_space_runs(text):
    assert tokens._tokens_at(text) == [(m.group(), m.start()) for m in re.finditer(r"\S+", text)]


# -- calibration ----------------------------------------------------------------------------------

def test_the_calibration_is_a_monotone_map_onto_probabilities():
    from pipeline.restore import calibration

    scores = [i / 200 for i in range(201)]
    probabilities = [calibration.calibrated(s) for s in scores]
    assert all(0.0 <= p <= 1.0 for p in probabilities)
    assert probabilities == sorted(probabilities)
    xs = calibration._SCORES
    assert xs == sorted(xs) and xs[0] == 0.0 and xs[-1] == 1.0


def test_repairs_carry_the_calibrated_confidence_and_candidates_the_raw_score():
    from pipeline.restore import calibration

    text = _read(RAW_004)
    made = restore_edits(text)
    raw = restore.restore_edits(text, candidates_from=0.05)
    by_start = {e.start: e.confidence for e in raw}
    assert all(e.confidence >= calibration.MIN_CONFIDENCE for e in made)
    # every first-pass repair made is a candidate whose raw score calibrates to its confidence
    first = [e for e in made if e.start in by_start]
    assert len(first) > 0.9 * len(made)
    for e in first:
        assert e.confidence == round(calibration.calibrated(by_start[e.start]), 4)
    # on simulated damage, candidates below the threshold are there too, and not made
    low = []
    for i, truth in enumerate(_clean_truths().values()):
        for rate in (0.1, 0.4, 0.75):
            damaged = simulate_damage(truth, rate, seed=7 + i)
            made_at = {e.start for e in restore_edits(damaged)}
            found = [e for e in restore.restore_edits(damaged, candidates_from=0.05)
                     if calibration.calibrated(e.confidence) < calibration.MIN_CONFIDENCE]
            assert not any(e.start in made_at for e in found)
            low += found
    assert low
