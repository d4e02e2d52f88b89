"""The letterhead and the metadata read from it, in the layouts Swedish municipalities use.

Every letterhead here is written for the tests; the documents are short, but each field
stands as it does in a real one.
"""

from __future__ import annotations

import pytest

from pipeline.dates import parse_date

BODY = "\n\nSammanfattning\n\nFörvaltningen föreslår att nämnden godkänner rapporten om samverkan.\n"


@pytest.mark.parametrize("written, iso", [
    ("2023-11-21", "2023-11-21"),
    ("21 november 2023", "2023-11-21"),
    ("den 3:e maj 2019", "2019-05-03"),
    ("4 sept. 2019", "2019-09-04"),
    ("4/5 2019", "2019-05-04"),
    ("04.05.2019", "2019-05-04"),
    ("2019.05.04", "2019-05-04"),
    ("2023-02-30", None),  # no such day
    ("Dnr 2023-145", None),
])
def test_dates_as_documents_write_them(written, iso):
    assert parse_date(written) == iso


@pytest.mark.parametrize("letterhead, date", [
    # a date field wins over a date elsewhere in the letterhead
    ("Socialförvaltningen\nDatum 2024-03-12\nDnr SN 2024/88\nRevisionsdatum 2022-01-01\n\n"
     "Tjänsteskrivelse om samverkan", "2024-03-12"),
    # labels over values, in columns
    ("Socialförvaltningen\nHandläggare          Datum              Diarienummer\n"
     "Eva Ek               2022-09-28         SN 2022/311\n\nTjänsteskrivelse om samverkan", "2022-09-28"),
    # a protokoll's own day, however the label is worded, before the day it was signed
    ("PROTOKOLL\nSocialnämnden\nSammanträdets datum: 2021-06-15\n\nParagrafer 45–52", "2021-06-15"),
    ("PROTOKOLL\nSocialnämnden\nSammanträdesdatum 15 juni 2021\n\nParagrafer 45–52", "2021-06-15"),
    # a date on its own line
    ("Socialförvaltningen\n2019-10-01\n\nTjänsteskrivelse om samverkan", "2019-10-01"),
])
def test_the_documents_own_date(pipeline, letterhead, date):
    signed = "\nLund den 22 juni 2021\n\nEva Ek\n"
    assert pipeline.extract_text(letterhead + BODY + signed).metadata.date == date


def test_a_kallelses_meeting_time_is_its_date_only_when_nothing_else_is(pipeline):
    text = ("KALLELSE\nSocialnämnden\nTid: tisdagen den 18 september 2018 kl. 13.00\nPlats: Rådhuset\n\n"
            "Ärenden\n\n1. Ekonomisk uppföljning\n")
    assert pipeline.extract_text(text).metadata.date == "2018-09-18"


def test_the_date_it_was_signed_at_the_end(pipeline):
    text = ("Socialförvaltningen\n\nTjänsteskrivelse om samverkan" + BODY
            + "\nLund den 4 maj 2019\n\nEva Ek\nSocialchef\n")
    assert pipeline.extract_text(text).metadata.date == "2019-05-04"


@pytest.mark.parametrize("letterhead, numbers", [
    ("Socialförvaltningen\nDnr KS 2023/145-730\n\nTjänsteskrivelse om samverkan", ["KS 2023/145-730"]),
    ("Socialförvaltningen\nDiarienr: 3.1.1-412/2024\n\nTjänsteskrivelse om samverkan", ["3.1.1-412/2024"]),
    ("Socialförvaltningen\nVår beteckning SCN-2025-00412\n\nTjänsteskrivelse om samverkan", ["SCN-2025-00412"]),
])
def test_diarienummer_of_the_letterhead(pipeline, letterhead, numbers):
    assert pipeline.extract_text(letterhead + BODY).metadata.diarienummer == numbers


def test_a_diarienummer_cited_in_a_sentence_is_not_the_documents(pipeline):
    text = ("Socialförvaltningen\nDnr SN 2024/12\n\nTjänsteskrivelse om samverkan\n\nBakgrund\n\n"
            "Nämnden beslutade 2019-03-01 (dnr SN 2019/55) att pröva samverkan.\n")
    assert pipeline.extract_text(text).metadata.diarienummer == ["SN 2024/12"]


@pytest.mark.parametrize("letterhead, namnd", [
    ("Socialförvaltningen\nTill Socialnämnden\n\nTjänsteskrivelse om samverkan", "Socialnämnden"),
    ("Stadsdelsförvaltningen\nTILL FARSTA STADSDELSNÄMND\n\nTjänsteutlåtande om samverkan", "FARSTA STADSDELSNÄMND"),
])
def test_the_namnd_the_document_is_addressed_to(pipeline, letterhead, namnd):
    assert pipeline.extract_text(letterhead + BODY).metadata.namnd == namnd


def test_the_department_under_the_municipalitys_name(pipeline):
    text = "UMEÅ KOMMUN\nIndivid- och familjeomsorgen\n2026-01-20\n\nTjänsteskrivelse om samverkan" + BODY
    assert pipeline.extract_text(text).metadata.forvaltning == "Individ- och familjeomsorgen"


def test_a_title_under_the_municipalitys_name_is_no_forvaltning(pipeline):
    record = pipeline.extract_text("Umeå kommun\nÖversyn av hemtjänsten" + BODY)
    assert record.metadata.title == "Översyn av hemtjänsten"
    assert record.metadata.forvaltning is None


def test_a_title_line_starting_with_till_goes_on_the_next_line(pipeline):
    record = pipeline.extract_text("Socialförvaltningen\n\nÖverenskommelse om samverkan kring bidrag\n"
                                   "till föreningar i området" + BODY)
    assert record.metadata.title == "Överenskommelse om samverkan kring bidrag till föreningar i området"


def test_the_title_of_a_short_document_signed_at_the_end(pipeline):
    """A body of one short sentence, then the signature: the title stays the subject line."""
    record = pipeline.extract_text("Lunds kommun\nSocialförvaltningen\nDatum 2024-03-12\n\nTjänsteskrivelse\n\n"
                                   "Samverkan med polisen i Lund\n\nFörvaltningen har talat med polisen om ett team.\n\n"
                                   "Eva Ek\nSocialchef\n")
    assert record.metadata.title == "Samverkan med polisen i Lund"


@pytest.mark.parametrize("letterhead, municipality", [
    ("KARLSHAMNS KOMMUN                     TJÄNSTESKRIVELSE", "Karlshamn"),
    ("Karlshamns kommun\nSocialförvaltningen", "Karlshamn"),
    ("MALMÖ STAD\nArbetsmarknads- och socialförvaltningen", "Malmö"),
])
def test_the_municipality_of_a_letterhead_in_any_case(pipeline, letterhead, municipality):
    text = f"{letterhead}\n\nÄrendet gäller samverkan med polisen i Karlskrona och Ronneby.\n"
    assert pipeline.extract_text(text).metadata.municipality == municipality
