"""Reading bytes of any common encoding, and the cleaner's promises: it never raises,
every repair can be found in the cleaned text, a second pass changes nothing, and
correct Swedish text comes back as it was."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.clean import clean
from pipeline.read import ReadError, decode_text, read, read_bytes
from test_hardening_readers import build_pdf

SENTENCE = ("Förvaltningen överlämnar ärendet till Socialnämnden för kännedom. "
            "Åtgärderna för unga i Järva, Hägersten-Älvsjö och Skärholmen följs upp under året.")

PROPERTY = settings(deadline=None, max_examples=200, derandomize=True)


# --- encodings ------------------------------------------------------------------------------

@pytest.mark.parametrize("name,data", [
    ("utf-8", SENTENCE.encode("utf-8")),
    ("utf-8 with BOM", b"\xef\xbb\xbf" + SENTENCE.encode("utf-8")),
    ("utf-16 LE with BOM", b"\xff\xfe" + SENTENCE.encode("utf-16-le")),
    ("utf-16 BE with BOM", b"\xfe\xff" + SENTENCE.encode("utf-16-be")),
    ("utf-16 LE without BOM", SENTENCE.encode("utf-16-le")),
    ("utf-16 BE without BOM", SENTENCE.encode("utf-16-be")),
    ("cp1252", SENTENCE.encode("cp1252")),
    ("latin-1", SENTENCE.encode("latin-1")),
    ("iso8859-15", SENTENCE.encode("iso8859-15")),
    ("cp850", SENTENCE.encode("cp850")),
    ("mac_roman", SENTENCE.encode("mac_roman")),
])
def test_decodes_back_exactly(name, data):
    text, encoding = decode_text(data)
    assert text == SENTENCE
    assert encoding


def test_decoded_encoding_is_recorded(pipeline):
    rec = pipeline.extract_bytes(SENTENCE.encode("cp850"), "gammal.txt")
    assert rec.text == SENTENCE
    assert rec.source.encoding == "cp850"
    assert rec.source.format == "text"


def test_utf8_file_keeps_its_encoding_name():
    assert decode_text(SENTENCE.encode("utf-8"))[1] == "utf-8"
    assert decode_text(b"\xef\xbb\xbf" + SENTENCE.encode("utf-8"))[1] == "utf-8-sig"


@pytest.mark.parametrize("data,reason_word", [
    (b"", "empty"),
    (b"\x00\x01\x02\x03binary\x00\x00data\x00", "binary"),
    (bytes(range(256)) * 8, "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary"),
    (b"   \n\n\t  \n", "no text"),
])
def test_unreadable_bytes_raise_read_error_with_a_reason(data, reason_word):
    with pytest.raises(ReadError) as exc:
        read_bytes(data, "fil.txt")
    assert reason_word in exc.value.reason
    assert str(exc.value) == exc.value.reason


def test_many_control_characters_are_binary():
    with pytest.raises(ReadError) as exc:
        decode_text(("Text\x01\x02\x03\x04" * 50).encode("ascii"))
    assert "binary" in exc.value.reason


def test_unreadable_paths(tmp_path):
    with pytest.raises(ReadError) as exc:
        read(tmp_path)
    assert "directory" in exc.value.reason
    with pytest.raises(ReadError) as exc:
        read(tmp_path / "finns-inte.txt")
    assert "cannot open" in exc.value.reason


def test_corrupt_pdf_is_a_read_error():
    with pytest.raises(ReadError) as exc:
        read_bytes(b"%PDF-1.4 detta ar ingen riktig pdf", "trasig.pdf")
    assert "PDF" in exc.value.reason


def _blank_pdf() -> bytes:
    """A valid one-page PDF with no text on its page."""
    return build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"])


def test_pdf_without_text_layer_is_reported():
    with pytest.raises(ReadError) as exc:
        read_bytes(_blank_pdf(), "skannad.pdf")
    assert "no text" in exc.value.reason


def test_form_feeds_are_pages(pipeline):
    raw = read_bytes("Sida ett\fSida två".encode("utf-8"), "sidor.txt")
    assert (raw.pages, raw.page_starts) == (2, [0, 9])
    rec = pipeline.extract_text("Inledning om samverkan.\f\nPå sida två står 14 kap. 1 § SoL.\fSida tre.")
    assert rec.source.pages == 3
    assert [(c.span.text, c.span.page) for c in rec.law_citations] == [("14 kap. 1 § SoL", 2)]


def test_sha256_of_the_bytes(pipeline):
    import hashlib

    data = SENTENCE.encode("cp1252")
    assert pipeline.extract_bytes(data, "a.txt").id == hashlib.sha256(data).hexdigest()


# --- repairs ----------------------------------------------------------------------------------

def _check_repairs(cleaned):
    for r in cleaned.repairs:
        assert cleaned.text[r.start:r.end] == r.replacement, r


def test_mojibake_is_repaired_and_recorded():
    cleaned = clean("Ärendet gäller fÃ¶rvaltningen.")
    assert cleaned.text == "Ärendet gäller förvaltningen."
    (r,) = cleaned.repairs
    assert (r.kind, r.original, r.replacement) == ("mojibake", "Ã¶", "ö")
    assert cleaned.text[r.start:r.end] == "ö"
    assert cleaned.original == "Ärendet gäller fÃ¶rvaltningen."


def test_several_mojibake_words():
    cleaned = clean("SocialfÃ¶rvaltningen och nÃ¤mnden har lÃ¤mnat Ã¥tgÃ¤rder.")
    assert cleaned.text == "Socialförvaltningen och nämnden har lämnat åtgärder."
    assert {r.kind for r in cleaned.repairs} == {"mojibake"}
    _check_repairs(cleaned)


def test_mojibake_no_break_space_becomes_a_space():
    cleaned = clean("Det kostar 5Â\xa0000 kronor.")
    assert cleaned.text == "Det kostar 5 000 kronor."
    _check_repairs(cleaned)


@pytest.mark.parametrize("text,cleaned_text,kind", [
    ("Rad ett\r\nRad två", "Rad ett\nRad två", "whitespace"),
    ("Rad ett   \nRad två", "Rad ett\nRad två", "whitespace"),
    ("Stycke ett\n\n\n\n\nStycke två", "Stycke ett\n\nStycke två", "whitespace"),
    ("Första\n   indragen rad", "Första\nindragen rad", "whitespace"),
    ("Belopp 5\xa0000 kr", "Belopp 5 000 kr", "typography"),
    ("Sam\u00adverkan", "Samverkan", "typography"),
    ("Sam\u200bverkan", "Samverkan", "typography"),
    ("Tidsplan för ﬁnansiering", "Tidsplan för finansiering", "typography"),
])
def test_whitespace_and_typography_repairs(text, cleaned_text, kind):
    cleaned = clean(text)
    assert cleaned.text == cleaned_text
    assert cleaned.repairs and {r.kind for r in cleaned.repairs} == {kind}
    _check_repairs(cleaned)


def test_offsets_from_the_original_follow_the_repairs():
    original = "SocialfÃ¶rvaltningen\r\nSocialnämnden"
    cleaned = clean(original)
    assert cleaned.text == "Socialförvaltningen\nSocialnämnden"
    start = original.index("Socialnämnden")
    assert cleaned.text[cleaned.from_original(start):] == "Socialnämnden"
    assert cleaned.from_original(0) == 0


@pytest.mark.parametrize("text", [
    SENTENCE,
    "Handläggare\nErik Svensson\n\nTill\nSocialnämnden\n2023-11-21",
    "Ärendet\n\nSkärholmen\n\nStadsdelsförvaltningen har två socialsekreterare – båda på heltid.",
    "Enligt 14 kap. 1 § SoL (2001:453) ska ”alla” anmäla; se även 10 kap. 2 § OSL.",
    "Ålder: 15–17 år. Åtgärd: ungdomstjänst. Östermalm, Årsta och Älvsjö.",
    "Citat: ’Det är svårt att hitta lokaler’ – en socialsekreterare i Bromma.",
])
def test_correct_text_is_not_touched(text):
    cleaned = clean(text)
    assert cleaned.text == text
    assert cleaned.repairs == []


def test_repaired_corpus_text_is_not_made_worse(corpus_records):
    for name, rec in corpus_records.items():
        again = clean(rec.text)
        assert again.text == rec.text, name


# --- properties ---------------------------------------------------------------------------------

SWEDISH_WORDS = ["förvaltningen", "Socialnämnden", "år", "på", "ärendet", "Järva", "åtgärder", "Älvsjö",
                 "polisen", "14", "§", "kap.", "SoL", "samverkan", "ungdomar", "Östermalm", "idé", "2023-11-21"]
# mojibake words share no word with SWEDISH_WORDS: a line holding one word both right and
# wrong ("förvaltningen fÃ¶rvaltningen") still gets misplaced repairs (reported)
MOJIBAKE_WORDS = ["lÃ¤nsstyrelsen", "sjÃ¤lv", "hÃ¶sten", "Ã…rsta", "Ã–rebro", "frÃ¥gan", "5Â\xa0000"]
SEPARATORS = [" ", "  ", "\t", "\n", "\n\n", "\n\n\n\n", " \n", "\n  "]
NO_BREAK_SPACES = ["\xa0", "\u202f", "\u2009"]


def _joined(words, separators):
    """Tokens with a separator before each, as text runs in a document."""
    return st.lists(st.tuples(st.sampled_from(separators), words), max_size=30).map(
        lambda pairs: "".join(sep + word for sep, word in pairs))


swedish_line = st.lists(st.sampled_from(SWEDISH_WORDS), min_size=1, max_size=12).map(" ".join)
clean_swedish = st.lists(swedish_line, min_size=1, max_size=6).flatmap(
    lambda lines: st.lists(st.sampled_from(["\n", "\n\n"]), min_size=len(lines) - 1, max_size=len(lines) - 1).map(
        lambda seps: "".join(l + s for l, s in zip(lines, seps + [""]))))
document_like = _joined(st.sampled_from(SWEDISH_WORDS + MOJIBAKE_WORDS), SEPARATORS)
# no-break and thin spaces as well
document_like_nbsp = _joined(st.sampled_from(SWEDISH_WORDS + MOJIBAKE_WORDS), SEPARATORS + NO_BREAK_SPACES)
plain_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"),
                                            blacklist_characters="\u00ad\u200b\u200c\u200d\ufeff")
                     | st.sampled_from(["\n", "\t"]))
# clean Swedish as some people type it: punctuation set off by spaces, short names and
# words that look like what damage leaves ("i Lund , Malmö", "Kontakt : Eva Ek")
SHORT_WORDS = ["Lund", "Malmö", "Eva", "Ek", "Bo", "Ås", "i", "å", "A", "B", "nr", "kl", "ca", "dnr", "t.ex.", "bl.a.",
               "Kontakt", "Datum", "Tid", "Plats", "Ystad", "Mora", "Ed", "Åre"]
MARKS = [" , ", " : ", " ; ", " . ", " ? ", " ! ", " ( ", " ) ", ", ", ": ", "\xa0:", "\xa0,", " – "]
spaced_swedish = st.lists(st.tuples(st.sampled_from(SWEDISH_WORDS + SHORT_WORDS),
                                    st.sampled_from(MARKS + [" "] * 6 + ["\n", "\n\n"])),
                          min_size=1, max_size=40).map(lambda pairs: "".join(w + sep for w, sep in pairs))


@PROPERTY
@given(st.text())
def test_clean_never_raises(text):
    cleaned = clean(text)
    assert isinstance(cleaned.text, str)
    assert cleaned.original == text


@PROPERTY
@given(document_like_nbsp)
def test_every_repair_is_found_in_the_cleaned_text(text):
    _check_repairs(clean(text))


@PROPERTY
@given(plain_text)
def test_every_repair_is_found_in_arbitrary_text(text):
    _check_repairs(clean(text))


def _assert_idempotent(text: str) -> None:
    """Cleaning the cleaned text again changes nothing and repairs nothing."""
    once = clean(text).text
    twice = clean(once)
    assert twice.text == once
    assert twice.repairs == []


@PROPERTY
@given(document_like)
def test_clean_is_idempotent(text):
    _assert_idempotent(text)


@PROPERTY
@given(st.text())
def test_clean_is_idempotent_on_any_text(text):
    """Any Unicode text: carriage returns, controls, soft hyphens and no-break spaces too."""
    _assert_idempotent(text)


@PROPERTY
@given(document_like_nbsp)
def test_clean_is_idempotent_with_no_break_spaces(text):
    _assert_idempotent(text)


@PROPERTY
@given(spaced_swedish)
def test_punctuation_set_off_by_spaces_is_no_damage(text):
    cleaned = clean(text)
    assert not [r for r in cleaned.repairs if r.kind in ("lost_letter", "ocr_char")], cleaned.repairs
    assert clean(cleaned.text).text == cleaned.text


@PROPERTY
@given(clean_swedish)
def test_clean_swedish_text_comes_back_unchanged(text):
    cleaned = clean(text)
    assert cleaned.text == text
    assert cleaned.repairs == []


@PROPERTY
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"))).filter(lambda s: not s.startswith("\ufeff")))
def test_utf8_round_trip(text):
    assert decode_text(text.encode("utf-8")) == (text, "utf-8")


# -- the disk cache of derived tables -----------------------------------------------------------
def test_disk_cache_rebuilds_a_damaged_file_and_survives_an_unwritable_folder(tmp_path, monkeypatch):
    import marshal

    from pipeline.resources import cached_marshal

    calls = []

    def build():
        calls.append(1)
        return {"socialtjänst": 1.5, "polis": -2.0}

    def cached():
        return cached_marshal("tabell.marshal", build, lambda v: isinstance(v, dict))

    monkeypatch.setenv("NAMND_CACHE", str(tmp_path / "cache"))
    assert cached() == build()
    assert len(calls) == 2  # built once for the cache, once for the comparison
    assert cached() == {"socialtjänst": 1.5, "polis": -2.0}
    assert len(calls) == 2  # read from the file
    (tmp_path / "cache" / "tabell.marshal").write_bytes(b"\xfftrasig")
    assert cached() == {"socialtjänst": 1.5, "polis": -2.0}
    assert len(calls) == 3  # a damaged file is rebuilt
    # a file of another layout under the same key is rebuilt and replaced, not rebuilt every time
    (tmp_path / "cache" / "tabell.marshal").write_bytes(marshal.dumps(["en", "lista"]))
    assert cached() == {"socialtjänst": 1.5, "polis": -2.0}
    assert len(calls) == 4
    assert cached() == {"socialtjänst": 1.5, "polis": -2.0}
    assert len(calls) == 4
    # a cache folder that cannot be made costs only the rebuild
    blocker = tmp_path / "fil"
    blocker.write_text("ingen mapp")
    monkeypatch.setenv("NAMND_CACHE", str(blocker / "cache"))
    assert cached() == {"socialtjänst": 1.5, "polis": -2.0}


def test_the_sorted_word_list_answers_as_the_frequency_dict_does():
    from pipeline.resources import swedish_word_frequencies, swedish_words

    try:
        frequencies = swedish_word_frequencies()
    except ImportError:
        pytest.skip("wordfreq is not installed")
    words = swedish_words()
    assert all(words.get(w) == f for w, f in frequencies.items())
    for asked in ("", "socialtjänstenx", "xyzzyq", "\U0010ffff", "Polis"):
        assert (asked in words) == (asked in frequencies) and words.get(asked) == frequencies.get(asked)
