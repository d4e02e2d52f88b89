"""Headings and their levels in the layouts Swedish municipal documents use, through the
whole pipeline (its finite-verb test and gazetteer included). Every document here is
written for the tests."""

from __future__ import annotations

import pytest

LETTERHEAD = ("Lunds kommun\nSocialförvaltningen\nDatum 2024-03-12\nDnr SN 2024/88\n\nTjänsteskrivelse\n\n"
              "Samverkan med polisen i Lund\n\n")


def headings(pipeline, text: str) -> list[tuple[str, int]]:
    return [(s.heading, s.level) for s in pipeline.extract_text(text).sections if s.heading]


@pytest.mark.parametrize("body, expected", [
    # numbered headings at every depth, the level from the numbering
    ("1. Inledning\n\nNämnden gav förvaltningen i uppdrag att utreda frågan.\n\n"
     "2. Nuläge\n\nSocialtjänsten och polisen möts varje vecka.\n\n"
     "2.1 Barn och unga\n\nÄrendena om unga har ökat under året.\n\n"
     "2.1.1 Statistik\n\nAntalet yttranden till åklagare var 58.\n",
     [("1. Inledning", 1), ("2. Nuläge", 1), ("2.1 Barn och unga", 2), ("2.1.1 Statistik", 3)]),
    # headings in capitals and a label line ending in a colon
    ("SAMMANFATTNING\n\nFörvaltningen föreslår att försöket permanentas.\n\n"
     "Förslag till beslut:\n\nNämnden godkänner rapporten.\n",
     [("SAMMANFATTNING", 1), ("Förslag till beslut:", 1)]),
    # a heading that ends in "kommun" is a heading; a municipality's name alone is a signature
    ("Samverkan med annan kommun\n\nFörvaltningen har talat med grannkommunen om ett gemensamt team.\n\n"
     "Eva Ek\nSocialchef\nLunds kommun\n",
     [("Samverkan med annan kommun", 1)]),
])
def test_headings_by_layout(pipeline, body, expected):
    assert headings(pipeline, LETTERHEAD + body) == expected


def test_a_numbered_sentence_is_a_list_item_not_a_heading(pipeline):
    text = (LETTERHEAD + "Förslag till beslut\n\n1. Nämnden godkänner rapporten.\n"
            "2. Nämnden ger förvaltningen i uppdrag att återrapportera i maj.\n")
    assert headings(pipeline, text) == [("Förslag till beslut", 1)]


def test_agenda_items_are_sections(pipeline):
    text = ("PROTOKOLL\nSocialnämnden\nSammanträdesdatum 2021-06-15\n\n"
            "§ 45 Ekonomisk uppföljning\n\nNämnden godkänner uppföljningen.\n\n"
            "§ 46 Samverkan med polisen\n\nNämnden lägger informationen till handlingarna.\n")
    assert [h for h, _ in headings(pipeline, text)] == ["§ 45 Ekonomisk uppföljning", "§ 46 Samverkan med polisen"]


def test_a_table_of_contents_is_no_heading(pipeline):
    text = ("Utredning om samverkan\n\nInnehållsförteckning\n1. Inledning ........ 2\n2. Nuläge ........ 3\n\n"
            "1. Inledning\n\nNämnden gav förvaltningen i uppdrag att utreda frågan.\n\n"
            "2. Nuläge\n\nSocialtjänsten och polisen möts varje vecka.\n")
    assert [h for h, _ in headings(pipeline, text) if h != "Innehållsförteckning"] == ["1. Inledning", "2. Nuläge"]


def test_headings_inside_a_flattened_export(pipeline):
    """A text export that lost its line breaks: the headings stand between sentences."""
    text = ("Lunds kommun Socialförvaltningen Datum 2024-03-12 Dnr SN 2024/88 Tjänsteskrivelse "
            "Samverkan med polisen i Lund "
            "Sammanfattning Förvaltningen föreslår att försöket med en socialsekreterare i polishuset "
            "permanentas. Försöket har pågått i två år och utvärderats av förvaltningen tillsammans med "
            "lokalpolisområdet. "
            "Bakgrund Nämnden beslutade 2022 att pröva samverkan i två år. Socialsekreteraren har arbetat "
            "tre dagar i veckan i polishuset och två dagar på ungdomsenheten. Polisen har stått för "
            "arbetsrummet och socialtjänsten för tjänsten. "
            "Förvaltningens bedömning Försöket har gett kortare handläggningstider och fler unga har fått "
            "stöd tidigt. Förvaltningen bedömer att arbetssättet bör bli permanent.")
    found = [h for h, _ in headings(pipeline, text)]
    assert found == ["Sammanfattning", "Bakgrund", "Förvaltningens bedömning"]
