"""Personal identity numbers: found by date and check digit, masked in every output."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner
from hypothesis import given, strategies as st

from pipeline.cli import main
from pipeline.privacy import mask_personal_numbers, personal_numbers


@pytest.mark.parametrize("number", [
    "640823-3234",        # ten digits with "-"
    "6408233234",         # with nothing between
    "19640823-3234",      # twelve digits
    "196408233234",
    "811228+9874",        # "+": a person of a hundred years or more
    "000229-4569",        # 29 February of a leap year
    "460271-2343",        # samordningsnummer: the day plus 60
    "19121212-1212",
])
def test_personal_numbers_are_found(number):
    text = f"Ärendet gäller pojken med personnummer {number}, som placerades i mars."
    assert [text[a:b] for a, b in personal_numbers(text)] == [number]


@pytest.mark.parametrize("text", [
    "Personnumret 640823-3235 har fel kontrollsiffra.",        # the check digit is wrong
    "Numret 990229-1237 har rätt kontrollsiffra men ingen 29 februari.",
    "Diarienummer SN 2019/0412 och dnr 2023-000145.",
    "Ring handläggaren på 070-123 45 67 eller 08-508 25 000.",
    "Löpnummer 2024-1234 i diariet.",
    "Organisationsnummer 212000-0142 tillhör kommunen.",      # month 00: no date
    "Beloppet var 1 234 567 kronor och 6408233234567 är för långt.",
])
def test_other_numbers_are_left_alone(text):
    assert personal_numbers(text) == []
    assert mask_personal_numbers(text).text == text


def test_the_mask_keeps_length_and_separators():
    text = "Barnet (050312-4562) och modern (19640823-3234) hördes."
    masked = mask_personal_numbers(text)
    assert masked.count == 2 and len(masked.text) == len(text)
    assert masked.text == "Barnet (XXXXXX-XXXX) och modern (XXXXXXXX-XXXX) hördes."


@given(st.text(alphabet=st.sampled_from("0123456789-+ aäöX\n"), max_size=80))
def test_masking_only_ever_replaces_digits(text):
    masked = mask_personal_numbers(text)
    assert len(masked.text) == len(text)
    for a, b in zip(text, masked.text):
        assert a == b or (a.isdigit() and b == "X")
    assert mask_personal_numbers(masked.text).text == masked.text


BODY = ("Tjänsteskrivelse\nSocialförvaltningen, Kalmar kommun\n\n"
        "Anmälan enligt 14 kap. 1 § SoL gällde flickan 050312-4562 och hennes bror 050312-4563.\n"
        "Två socialsekreterare arbetar hos polisen tre dagar i veckan. Dnr SN 2024/0117.\n")


def test_a_record_holds_no_valid_personal_number(pipeline):
    rec = pipeline.extract_text(BODY)
    assert "050312-4562" not in rec.model_dump_json()
    assert "XXXXXX-XXXX" in rec.text and "050312-4563" in rec.text  # the invalid one stays
    assert rec.personal_numbers_masked == 1
    assert any("masked 1 personal identity number" in w for w in rec.warnings)
    for span in rec.spans():
        assert rec.text[span.start:span.end] == span.text
    assert [(c.law, c.chapter, c.section) for c in rec.law_citations] == [("SoL", "14", "1")]


def test_keeping_personal_numbers_is_a_choice():
    from pipeline.core import Pipeline

    rec = Pipeline(keep_personal_numbers=True).extract_text(BODY)
    assert "050312-4562" in rec.text and rec.personal_numbers_masked == 0


def test_outputs_of_every_command_are_masked(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "beslut.txt").write_text(BODY, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["extract", str(source), "-o", str(tmp_path / "out")]).exit_code == 0
    db = tmp_path / "namnd.db"
    assert runner.invoke(main, ["ingest", str(source), "--db", str(db), "--workers", "0"]).exit_code == 0
    for fmt in ("csv", "jsonl"):
        result = runner.invoke(main, ["export", "--db", str(db), "--format", fmt, "-o", str(tmp_path / fmt)])
        assert result.exit_code == 0, result.output
    outputs = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix in (".json", ".jsonl", ".csv")]
    assert len(outputs) >= 4
    for path in outputs:
        assert "050312-4562" not in path.read_text(encoding="utf-8"), path
    with sqlite3.connect(db) as conn:
        for (record,) in conn.execute("SELECT record FROM documents"):
            assert json.loads(record)["personal_numbers_masked"] == 1
        dump = "\n".join(conn.iterdump())
    assert "050312-4562" not in dump and "050312-4563" in dump


def test_the_command_can_keep_them(tmp_path):
    source = tmp_path / "beslut.txt"
    source.write_text(BODY, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(source), "-o", str(tmp_path / "out"), "--keep-personal-numbers"])
    assert result.exit_code == 0
    assert "050312-4562" in (tmp_path / "out" / "records.jsonl").read_text(encoding="utf-8")
