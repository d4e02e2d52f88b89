"""The five corpus documents end to end: schema, spans, agreement between the text export
(000) and the PDF extraction (002) of one report, headings. Each document against its
gold: test_golden.py."""

from __future__ import annotations

import json
from collections import Counter

import jsonschema
import pytest

from conftest import CORPUS_NAMES
from models import record_json_schema

TEXT_EXPORT, PDF_EXTRACTION = "000_c03b254d8a1ffbd1", "002_a6dff680f92bb0b7"


@pytest.fixture(scope="module")
def validator():
    schema = record_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_all_five_documents_are_extracted(corpus_records):
    assert sorted(corpus_records) == sorted(CORPUS_NAMES)


@pytest.mark.parametrize("name", CORPUS_NAMES)
def test_record_validates_against_the_json_schema(corpus_records, validator, name):
    data = json.loads(corpus_records[name].model_dump_json())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert data["schema_version"] == "1"


@pytest.mark.parametrize("name", CORPUS_NAMES)
def test_every_span_is_the_text_it_points_at(corpus_records, name):
    rec = corpus_records[name]
    for s in rec.spans():
        assert 0 <= s.start <= s.end <= len(rec.text)
        assert rec.text[s.start:s.end] == s.text
        assert s.text == s.text.strip()


@pytest.mark.parametrize("name", CORPUS_NAMES)
def test_sections_start_at_their_heading(corpus_records, name):
    rec = corpus_records[name]
    starts = [s.start for s in rec.sections]
    assert starts == sorted(starts)
    for s in rec.sections:
        assert 0 <= s.start <= len(rec.text)
        assert s.start <= s.end <= len(rec.text)  # a section never ends before it starts
        if s.heading is None:
            assert s.level == 0 and s.start == 0
        else:
            assert s.level >= 1
            assert rec.text[s.start:s.start + len(s.heading)] == s.heading


@pytest.mark.parametrize("name", CORPUS_NAMES)
def test_repairs_point_at_their_replacement(corpus_records, name):
    rec = corpus_records[name]
    for r in rec.repairs:
        assert rec.text[r.start:r.end] == r.replacement


@pytest.mark.parametrize("name", CORPUS_NAMES)
def test_citations_carry_the_heading_they_stand_under(corpus_records, name):
    rec = corpus_records[name]
    headings = {s.heading for s in rec.sections}
    for c in rec.law_citations:
        assert c.section_heading in headings


def test_id_is_the_sha256_of_the_file(corpus_records, repo):
    import hashlib

    for name, rec in corpus_records.items():
        assert rec.id == hashlib.sha256((repo / "corpus" / f"{name}.txt").read_bytes()).hexdigest()
        assert rec.source.format == "text"


# --- one report, two extractions --------------------------------------------------------------

def test_text_export_and_pdf_extraction_name_the_same_districts(corpus_records):
    a, b = corpus_records[TEXT_EXPORT], corpus_records[PDF_EXTRACTION]
    assert {d.name for d in a.districts} == {d.name for d in b.districts}


def test_text_export_and_pdf_extraction_name_the_same_lpos(corpus_records):
    a, b = corpus_records[TEXT_EXPORT], corpus_records[PDF_EXTRACTION]
    assert {l.name for l in a.lpos} == {l.name for l in b.lpos}


def test_text_export_and_pdf_extraction_link_lpos_to_the_same_districts(corpus_records):
    def links(rec):
        return {(l.name, d) for l in rec.lpos for d in l.districts}
    assert links(corpus_records[TEXT_EXPORT]) == links(corpus_records[PDF_EXTRACTION])


def test_text_export_and_pdf_extraction_state_the_same_staffing(corpus_records):
    def facts(rec):
        return [(s.district, s.lpo, s.role, s.headcount, s.days_per_week, s.full_time, s.unit, s.employment)
                for s in rec.staffing]
    assert facts(corpus_records[TEXT_EXPORT]) == facts(corpus_records[PDF_EXTRACTION])


def test_text_export_and_pdf_extraction_state_the_same_challenges(corpus_records):
    def found(rec):
        return [(c.district, c.category) for c in rec.challenges]
    assert found(corpus_records[TEXT_EXPORT]) == found(corpus_records[PDF_EXTRACTION])


def test_text_export_and_pdf_extraction_cite_the_same_provisions(corpus_records):
    def provisions(rec):
        return Counter((c.law, c.chapter, c.section) for c in rec.law_citations)
    assert provisions(corpus_records[TEXT_EXPORT]) == provisions(corpus_records[PDF_EXTRACTION])


# --- headings of 000 ------------------------------------------------------------------------------

def test_headings_of_000(corpus_records):
    rec = corpus_records[TEXT_EXPORT]
    levels = {s.heading: s.level for s in rec.sections if s.heading}
    for top in ("Sammanfattning", "Bakgrund", "Ärendet"):
        assert levels.get(top) == 1, top
    for district in ("Järva", "Skärholmen", "Hässelby-Vällingby", "Bromma", "Södermalm", "Hägersten-Älvsjö"):
        assert levels.get(district) == 2, district


def test_district_headings_of_000_stand_under_arendet(corpus_records):
    rec = corpus_records[TEXT_EXPORT]
    sections = [s for s in rec.sections if s.heading]
    i = next(k for k, s in enumerate(sections) if s.heading == "Ärendet")
    under = []
    for s in sections[i + 1:]:
        if s.level <= 1:
            break
        under.append(s.heading)
    assert "Järva" in under and "Skärholmen" in under and "Bromma" in under
    assert all(s.start >= sections[i].start for s in sections[i + 1:])
