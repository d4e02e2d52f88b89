"""Districts, lokalpolisområden (LPO) and municipalities told apart by context, in
sentences written for these tests."""

from __future__ import annotations

import pytest

from pipeline.finders.places import NameIndex, default_place_finder


def places(rec):
    """(districts, LPOs) of a record as {name: [mention texts]}; spans checked on the way."""
    for d in rec.districts:
        for m in d.mentions:
            assert rec.text[m.start:m.end] == m.text
    for lpo in rec.lpos:
        for m in lpo.mentions:
            assert rec.text[m.start:m.end] == m.text
    return ({d.name: [m.text for m in d.mentions] for d in rec.districts},
            {l.name: [m.text for m in l.mentions] for l in rec.lpos})


@pytest.mark.parametrize("text,districts,lpos", [
    # the LPO word decides: an LPO, not the district of the same name
    ("Socialsekreterarna träffar polisen i LPO Järva varje vecka.", {}, {"Järva": ["Järva"]}),
    ("Socialsekreterarna sitter i lokalpolisområdet Järva.", {}, {"Järva": ["Järva"]}),
    ("Järva lokalpolisområde har fått förstärkning.", {}, {"Järva": ["Järva"]}),
    ("Järva LPO har fått nya lokaler.", {}, {"Järva": ["Järva"]}),
    ("Samarbetet med LPO Rinkeby har pågått länge.", {}, {"Järva": ["Rinkeby"]}),
    ("Socialsekreterarna sitter på LPO Globen.", {}, {"Globen": ["Globen"]}),
    ("Samarbetet med lokalpolisområde Södertälje har utvecklats.", {}, {"Södertälje": ["Södertälje"]}),
    # an administrative word makes a district
    ("Järva stadsdelsförvaltning har ansvar för uppföljningen.", {"Järva": ["Järva"]}, {}),
    ("Järvas socialsekreterare deltar i mötena.", {"Järva": ["Järvas"]}, {}),
    ("Skärholmens stadsdelsförvaltning har två socialsekreterare.", {"Skärholmen": ["Skärholmens"]}, {}),
    ("Enligt Rinkeby-Kista stadsdelsnämnd har samarbetet fungerat väl.", {"Rinkeby-Kista": ["Rinkeby-Kista"]}, {}),
    ("Hägersten-Älvsjö stadsdelsförvaltning deltar i projektet.", {"Hägersten-Älvsjö": ["Hägersten-Älvsjö"]}, {}),
    ("Hägersten–Älvsjö stadsdelsförvaltning deltar.", {"Hägersten-Älvsjö": ["Hägersten–Älvsjö"]}, {}),
    ("Enskede-Årsta-Vantörs stadsdelsförvaltning har en socialsekreterare hos polisen.",
     {"Enskede-Årsta-Vantör": ["Enskede-Årsta-Vantörs"]}, {}),
    ("Norra innerstadens stadsdelsförvaltning samverkar med polisen.", {"Norra innerstaden": ["Norra innerstadens"]}, {}),
    ("I stadsdelsområde Bromma pågår ett liknande arbete.", {"Bromma": ["Bromma"]}, {}),
    ("Insatsen riktar sig till unga i Tensta och Husby.", {"Tensta": ["Tensta"], "Husby": ["Husby"]}, {}),
    ("Ungdomar från Skärholmen och Hägersten-Älvsjö deltog.",
     {"Skärholmen": ["Skärholmen"], "Hägersten-Älvsjö": ["Hägersten-Älvsjö"]}, {}),
    # both in one sentence
    ("Polisen i Järva lokalpolisområde samarbetar med Järva stadsdelsförvaltning.", {"Järva": ["Järva"]}, {"Järva": ["Järva"]}),
    ("Spånga-Tensta stadsdelsförvaltning samarbetar med LPO Järva.", {"Spånga-Tensta": ["Spånga-Tensta"]}, {"Järva": ["Järva"]}),
    # municipalities are not districts
    ("Södertälje kommun har fattat beslut om en ny organisation.", {}, {}),
    # a police unit's name is neither a police area of the gazetteer nor a district
    ("Polisenhet Nordost ersattes 2015 av ett lokalpolisområde.", {}, {}),
    # "polisen i X" names the police area where X is one
    ("Polisen i Södertälje och Södertälje kommun har ett avtal.", {}, {"Södertälje": ["Södertälje"]}),
    ("Malmö stad har beslutat om en ny satsning.", {}, {}),
    ("Stockholms stad har elva stadsdelsnämnder.", {}, {}),
    ("Botkyrka kommun samarbetar med lokalpolisområde Botkyrka.", {}, {"Botkyrka": ["Botkyrka"]}),
    # people and ordinary words
    ("Lina Andersson är samordnare för projektet.", {}, {}),
    ("Mötet leddes av Lina Svensson.", {}, {}),
    ("Handläggare Lina Andersson har skrivit rapporten.", {}, {}),
    ("Vi åkte till Globen för att se en match.", {}, {}),
    ("Det blåste från norr och söder under dagen.", {}, {}),
    ("Familjen bor i Centrum.", {}, {}),
    ("Rapporten handlar om samverkan mellan polis och socialtjänst.", {}, {}),
])
def test_places_in_a_sentence(extract, text, districts, lpos):
    assert places(extract(text)) == (districts, lpos)


def test_hyphenated_name_is_one_district_not_its_parts(extract):
    rec = extract("Hägersten-Älvsjö stadsdelsförvaltning deltar i projektet.")
    assert [d.name for d in rec.districts] == ["Hägersten-Älvsjö"]


def test_a_place_name_that_is_also_a_first_name(extract):
    assert extract("Lina Andersson från Södertälje kommun deltog.").districts == []
    rec = extract("Familjen flyttade till Lina hage.")
    assert [(d.name, d.municipality) for d in rec.districts] == [("Lina", "Södertälje")]


@pytest.mark.parametrize("text,name,municipality", [
    ("Järva stadsdelsförvaltning har ansvar för uppföljningen.", "Järva", "Stockholm"),
    ("Linköpings kommun och polisen samverkar i Skäggetorp.", "Skäggetorp", "Linköping"),
    ("Stadsområde Norr i Malmö har avvecklats.", "Norr", "Malmö"),
])
def test_district_municipality(extract, text, name, municipality):
    rec = extract(text)
    assert [(d.name, d.municipality) for d in rec.districts] == [(name, municipality)]


@pytest.mark.parametrize("text,municipality", [
    ("Södertälje kommun har fattat beslut om en ny organisation.", "Södertälje"),
    ("Malmö stad har beslutat om en ny satsning.", "Malmö"),
    ("Linköpings kommun och polisen samverkar i Skäggetorp.", "Linköping"),
    # no "X kommun": the municipality the named districts belong to
    ("Järva stadsdelsförvaltning har ansvar för uppföljningen.", "Stockholm"),
    ("Samarbetet med lokalpolisområde Södertälje har utvecklats.", None),
    ("Rapporten handlar om samverkan mellan polis och socialtjänst.", None),
])
def test_metadata_municipality(extract, text, municipality):
    assert extract(text).metadata.municipality == municipality


@pytest.mark.parametrize("text,lpo,districts", [
    ("Spånga-Tensta stadsdelsförvaltning samarbetar med LPO Järva.", "Järva", ["Spånga-Tensta"]),
    ("Skarpnäcks stadsdelsförvaltning samarbetar med lokalpolisområde Globen.", "Globen", ["Skarpnäck"]),
    ("Kungsholmens stadsdelsförvaltning samverkar med LPO Norrmalm.", "Norrmalm", ["Kungsholmen"]),
    ("Polisen i Järva lokalpolisområde samarbetar med Järva stadsdelsförvaltning.", "Järva", ["Järva"]),
    ("Socialsekreterarna träffar polisen i LPO Järva varje vecka.", "Järva", []),
    ("Botkyrka kommun samarbetar med lokalpolisområde Botkyrka.", "Botkyrka", []),
])
def test_lpo_serves_districts(extract, text, lpo, districts):
    rec = extract(text)
    assert [(l.name, l.districts) for l in rec.lpos] == [(lpo, districts)]


def test_lpo_linked_to_the_district_of_its_section(extract):
    rec = extract("Rapport om samlokalisering av socialsekreterare hos polisen\n\nÄrendet\n\n"
                  "Skärholmen\n\nSocialsekreterarna sitter på LPO Skärholmen två dagar i veckan.\n\n"
                  "Bromma\n\nStadsdelen samarbetar med polisen i andra former.\n")
    assert [(l.name, l.districts) for l in rec.lpos] == [("Skärholmen", ["Skärholmen"])]


@pytest.mark.parametrize("heading,sentence,districts", [
    # a section about several districts together: its LPO serves them all
    ("Farsta/Skarpnäck", "Farsta har arbetsgivaransvaret och socialsekreteraren sitter på LPO Globen.",
     ["Farsta", "Skarpnäck"]),
    ("Bromma och Hässelby-Vällingby", "Socialsekreterarna sitter på LPO Vällingby två dagar i veckan.",
     ["Bromma", "Hässelby-Vällingby"]),
    # a district that is the LPO's own subject is the one it serves
    ("Farsta/Skarpnäck", "Enskede-Årsta-Vantör har en socialsekreterare på LPO Globen.",
     ["Enskede-Årsta-Vantör"]),
    ("Farsta/Skarpnäck", "Farsta bemannar LPO Globen en dag i veckan.", ["Farsta"]),
])
def test_lpo_of_a_section_about_several_districts(extract, heading, sentence, districts):
    rec = extract("Rapport om samlokalisering av socialsekreterare hos polisen\n\nÄrendet\n\n"
                  f"{heading}\n\n{sentence}\n\nSödermalm\n\nArbetet har just börjat.\n")
    lpo = next(l for l in rec.lpos if l.name in ("Globen", "Vällingby"))
    assert lpo.districts == districts


def test_district_named_in_a_heading_counts(extract):
    rec = extract("Rapport om samverkan med polisen\n\nÄrendet\n\nSkärholmen\n\n"
                  "Samarbetet har fungerat väl under året.\n\nBromma\n\nArbetet har just börjat.\n")
    names = [d.name for d in rec.districts]
    assert names == ["Skärholmen", "Bromma"]
    levels = {s.heading: s.level for s in rec.sections if s.heading}
    assert levels["Skärholmen"] == levels["Bromma"] == 2
    assert levels["Ärendet"] == 1


def test_mentions_are_grouped_under_one_canonical_name(extract):
    rec = extract("Skärholmens stadsdelsförvaltning har två socialsekreterare. "
                  "I Skärholmen finns också fältassistenter.")
    (d,) = rec.districts
    assert d.name == "Skärholmen"
    assert [m.text for m in d.mentions] == ["Skärholmens", "Skärholmen"]


def test_place_finder_kinds():
    found = default_place_finder().find("LPO Järva och Järva stadsdelsförvaltning ligger i Stockholms stad.")
    assert [(p.kind, p.name) for p in found] == [("lpo", "Järva"), ("district", "Järva"), ("municipality", "Stockholm")]


def test_an_lpo_serves_the_districts_its_verb_lists(extract):
    rec = extract("Malmö stad\n\nLokalpolisområde Norr omfattar stadsområdena Norr och Innerstaden, medan "
                  "lokalpolisområde Söder omfattar stadsområdena Väster, Söder och Öster.\n")
    served = {l.name: set(l.districts) for l in rec.lpos}
    assert served == {"Malmö Norr": {"Norr", "Innerstaden"}, "Malmö Söder": {"Väster", "Söder", "Öster"}}


@pytest.mark.parametrize("body, expected", [
    # the place of signing, a meeting room, a venue line: no districts
    ("Ärendet gäller fältverksamheten.\n\nTanumshede den 4 maj 2015\nKarin Ek\nSocialchef", set()),
    ("Ärendet gäller fältverksamheten. Folkhälsosamordnaren Tanumshede den 4 maj 2015 Karin Ek", set()),
    ("Sammanträdet hålls i sammanträdesrum Fontin.", set()),
    ("Plats: Kommunhuset, Ytterby\nTid: 13.00", set()),
    # a town of the municipality named as a place is a district
    ("Fältassistenterna arbetar i Grebbestad och Fjällbacka.", {"Grebbestad", "Fjällbacka"}),
])
def test_places_that_are_no_districts(pipeline, body, expected):
    municipality = "Kungälv" if "Fontin" in body or "Ytterby" in body else "Tanum"
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, {municipality} kommun\n\n{body}\n")
    assert {d.name for d in rec.districts} == expected


def test_lower_case_centrum_listed_with_districts(pipeline):
    rec = pipeline.extract_text("Tjänsteskrivelse\nSocialförvaltningen, Landskrona kommun\n\n"
                                "Fältassistenterna arbetar främst i centrum och på Öster. I centrum finns också biblioteket.\n")
    centrum = [d for d in rec.districts if d.name == "Centrum"]
    assert centrum and [m.text for m in centrum[0].mentions] == ["centrum"]


def test_names_listed_after_an_administrative_word(pipeline):
    rec = pipeline.extract_text("Tjänsteskrivelse\nSocialförvaltningen, Borås Stad\n\n"
                                "Den 1 januari 2017 avvecklades stadsdelsnämnderna Norr, Väster och Öster.\n")
    assert {"Norr", "Väster", "Öster"} <= {d.name for d in rec.districts}


@pytest.mark.parametrize("municipality, body, expected", [
    # a stadsdel in the definite form of its last word
    ("Kungsbacka", "Fältassistenterna arbetar främst på Tingberget.", {"Tingberg"}),
    ("Enköping", "Fältsekreterarna finns ofta vid Västerleden på kvällarna.", {"Västerled"}),
    # a name that is also a common word, in a list of places, before or after another
    ("Kungsbacka", "Insatserna gällde Hede och Kolla.", {"Hede", "Kolla"}),
    ("Kungsbacka", "Satsningen avsåg Åsa, Frillesås och Fjärås.", {"Åsa", "Frillesås", "Fjärås"}),
])
def test_definite_forms_and_lists(pipeline, municipality, body, expected):
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, {municipality} kommun\n\n{body}\n")
    assert {d.name for d in rec.districts} == expected


@pytest.mark.parametrize("municipality, body, expected", [
    # names the gazetteer lacks, listed with a district of the document's own or after a
    # word that says what they are, are districts under the name the text writes
    ("Kungsbacka", "Fältassistenterna arbetar på Tingberget, Björkvretan och Lillnorrby.",
     {"Tingberg", "Björkvretan", "Lillnorrby"}),
    ("Kungsbacka", "Fältassistenterna arbetar i centrala Kungsbacka och i Ekelyckan.", {"Ekelyckan"}),
    ("Kungsbacka", "Trygghetsvandringar gjordes i stadsdelarna Björkvretan och Hagviksberget.",
     {"Björkvretan", "Hagviksberget"}),
    # a square, a street, a school, a label before a name, a frequent word: not districts
    ("Kungsbacka", "Fältassistenterna finns på Tingberget och Storgatan.", {"Tingberg"}),
    ("Kungsbacka", "Fältassistenterna finns på Tingberget och vid Tallbackaskolan.", {"Tingberg"}),
    ("Kungsbacka", "Kungsbacka, Besöksadress Stadshuset, Storgatan 37", set()),
    ("Kungsbacka", "Fältassistenterna finns på Tingberget och Polisen har områdespoliser där.", {"Tingberg"}),
    # with no municipality the document's districts are unknown
    (None, "Fältassistenterna arbetar på Björkvretan och Lillnorrby.", set()),
])
def test_places_listed_that_the_gazetteer_lacks(pipeline, municipality, body, expected):
    head = f"Tjänsteskrivelse\nSocialförvaltningen, {municipality} kommun\n\n" if municipality else "Tjänsteskrivelse\n\n"
    rec = pipeline.extract_text(f"{head}{body}\n")
    assert {d.name for d in rec.districts} == expected


def test_a_police_area_named_after_a_town_the_gazetteer_puts_elsewhere(pipeline):
    # the text's own words make it a lokalpolisområde, known to the gazetteer or not
    rec = pipeline.extract_text("Tjänsteskrivelse\nSocialförvaltningen, Ludvika kommun\n\n"
                                "Lokalpolisområde Ludvika omfattar Ludvika och Smedjebackens kommuner.\n")
    assert [l.name for l in rec.lpos] == ["Ludvika"]


def test_a_name_of_several_words_in_either_case():
    from pipeline.finders.places import _other_case_tail

    assert _other_case_tail("Tjärna Ängar") == "Tjärna ängar"
    assert _other_case_tail("Vårby gård") == "Vårby Gård"
    assert _other_case_tail("Rinkeby") is None


def test_names_are_found_whole_at_word_starts_the_longest_first():
    index = NameIndex(["Vårby", "Vårby gård", "Rinkeby", "Rinkeby-Kista", "Kista", "Kistas"])
    text = ("I Vårby\n  gård, Rinkeby-Kista och Rinkeby-2 men inte Rinkebyskolan, Rinkeby-skolan "
            "eller Husby-Kista; Kistas.")
    assert [text[start:end] for start, end in index.find(text)] == [
        "Vårby\n  gård", "Rinkeby-Kista", "Rinkeby", "Kistas"]


def test_a_part_of_a_combined_locality_name_is_named_as_itself(pipeline):
    # SCB joins small places into one tätort ("Bökenäs, Korsanäs och Kuggeboda"); a text that
    # names one of them means that one, a text that writes the whole name the whole
    one = pipeline.extract_text("Tjänsteskrivelse\nRonneby kommun\n\nBakgrund\n\n"
                                "Fältgruppen har under hösten gått kvällsrundor i Kuggeboda.\n")
    whole = pipeline.extract_text("Tjänsteskrivelse\nRonneby kommun\n\nBakgrund\n\n"
                                  "Fältgruppen har under hösten gått kvällsrundor i Bökenäs, Korsanäs och Kuggeboda.\n")
    assert [d.name for d in one.districts] == ["Kuggeboda"]
    assert [d.name for d in whole.districts] == ["Bökenäs, Korsanäs och Kuggeboda"]
