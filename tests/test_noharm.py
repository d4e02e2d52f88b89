"""The cleaner does no harm to clean text it has not seen.

At least 50,000 words of clean text written for the project: the development set's
documents (corpus/dev/) and tests/data/noharm/, which holds the kinds of clean text a
lost-letter restorer is most tempted to "repair": punctuation set off by spaces, names and
addresses, abbreviations and numbers, tables and forms, short words and dialect, and
passages in English, Norwegian, Danish, German, Finnish, Polish and Somali. Every word that cleaning changes counts,
whatever the kind of repair; page furniture the reader removed on purpose (page markers,
running headers) does not. At most one changed word per 10,000 is allowed, and the table
of each kind's words and changes is printed (``pytest -s tests/test_noharm.py``).
The held-out no-harm text (tests/data/noharm_holdout/) is not asserted here: it is
measured, never tuned on, by ``python benchmarks/noharm.py``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from noharm import changed_words  # benchmarks/noharm.py
from pipeline.clean import clean

ROOT = Path(__file__).resolve().parents[1]
NOHARM = ROOT / "tests" / "data" / "noharm"
DEV = ROOT / "corpus" / "dev"
MIN_WORDS = 50_000
MAX_CHANGED_PER_10K = 1.0


def _kind(path: Path) -> str:
    if path.parent == DEV:
        return "development set documents"
    return path.stem.rsplit("_", 1)[0].replace("_", " ")


@pytest.fixture(scope="module")
def table() -> dict[str, list[int]]:
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    examples = []
    for path in sorted(NOHARM.glob("*.txt")) + sorted(DEV.glob("*.txt")):
        words, changed, changes = changed_words(path)
        row = rows[_kind(path)]
        row[0] += 1
        row[1] += words
        row[2] += changed
        examples += [f"{path.name}: {c}" for c in changes]
    print(f"\n{'kind':28} {'files':>5} {'words':>7} {'changed':>7} {'per 10,000':>10}")
    for kind, (files, words, changed) in sorted(rows.items()):
        print(f"{kind:28} {files:5d} {words:7d} {changed:7d} {changed / words * 10_000:10.2f}")
    total_words, total_changed = sum(r[1] for r in rows.values()), sum(r[2] for r in rows.values())
    print(f"{'all':28} {sum(r[0] for r in rows.values()):5d} {total_words:7d} {total_changed:7d} "
          f"{total_changed / total_words * 10_000:10.2f}")
    for e in examples[:20]:
        print("  changed:", e)
    return dict(rows)


def test_the_no_harm_set_is_large_enough(table):
    assert sum(words for _, words, _ in table.values()) >= MIN_WORDS
    assert {"spaced punctuation", "names addresses", "abbreviations numbers", "tables forms", "short words",
            "english", "norwegian", "danish", "german finnish", "finnish", "polish", "somali", "mixed",
            "development set documents"} <= set(table)


def test_clean_text_is_left_as_it_is(table):
    words = sum(w for _, w, _ in table.values())
    changed = sum(c for _, _, c in table.values())
    assert changed / words * 10_000 <= MAX_CHANGED_PER_10K, f"{changed} of {words} words changed"


@pytest.mark.parametrize("text, kept", [
    ("Vi har kontor i Lund , Malmö och Ystad .", "i Lund , Malmö"),
    ("Kontakt : Eva Ek , telefon 0418-47 38 05 .", "Kontakt : Eva Ek ,"),
    ("The working group met in Malmö and agreed on a plan for the summer of 2025.", "agreed on a plan"),
    ("Vi ser frem til et godt samarbejde og til at mødes igen i Helsingør til foråret.", "frem til et godt"),
    ("Adress: c/o Eva Ek, Box 1234, 831 82 Östersund", "c/o Eva Ek"),
    ("Alternativ A – samlokalisering, alternativ B – fast kontaktperson", "Alternativ A –"),
    ("Samrådsmöte hålls ons 8 maj kl 18.30 i aulan.", "ons 8 maj kl 18.30"),
    ("Ledamöter: Anna Berg (S), Omar Koç (M) och Lisa Holm (C).", "Omar Koç (M)"),
])
def test_clean_forms_that_look_damaged_are_kept(text, kept):
    """Kept when the document around them shows damage, which the restorer repairs."""
    damaged = ("Socialsekreterare och polis i Järva /okalpolisområde h r  rbet t tills mm ns.\n"
               "Projektet syft r till  tt utveckl  samverk n.\n\n")
    out = clean(damaged + text + "\n").text
    assert out.startswith("Socialsekreterare och polis i Järva lokalpolisområde har arbetat tillsammans.\n"
                          "Projektet syftar till att utveckla samverkan.\n\n")
    assert kept in out, out


@pytest.mark.parametrize("text", [
    # short words that stand between whole words, with no letter that would join them to
    # either into a word: dialect, short place names, list letters
    "Dä va int lätt te gå opp i backen, å int va dä roligt när dä regna, men int gav vi opp för dä.",
    "Bussen går från Ljugarn via Lau till Burgsvik, och i Lau stannar den vid kyrkan.",
    "Enligt p. a och d i bilagan gäller kraven skolorna, enligt p. g förskolorna.",
    # a language that no word list of the restorer holds, whose letters read as no Swedish
    "Svenska kurser hålls i biblioteket.\n\nA könyvtár hétfőtől péntekig reggel nyolctól este hatig "
    "tart nyitva, szombaton és vasárnap zárva van, de a kávézó akkor is működik.",
])
def test_clean_text_with_short_unknown_words_is_left_as_it_is(text):
    """Short tokens that are no word of the lexicon are the restorer's sign of damage; these
    stand where no lost letter could have made them, so clean text stays as it is."""
    assert clean(text).text == text
