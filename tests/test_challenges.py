"""Challenges: sentences that state a difficulty or obstacle, with their category from
the taxonomy in ``pipeline/data/challenges.json``; sentences that only mention a word, or
deny a problem, are not challenges. All sentences are written for these tests."""

from __future__ import annotations

import pytest

from pipeline.finders.challenges import TAXONOMY
from pipeline.resources import load_json


def challenges(rec):
    for c in rec.challenges:
        assert rec.text[c.span.start:c.span.end] == c.span.text
        assert c.category in TAXONOMY
    return [c.category for c in rec.challenges]


def test_taxonomy_matches_the_data_file():
    data = load_json("challenges.json")
    names = [name for name, _ in data["categories"]]
    assert set(names) <= set(TAXONOMY)
    assert data["default_category"] == "annat" and "annat" in TAXONOMY
    assert {"personalomsättning", "lokaler", "sekretess", "resurser", "handläggningstider",
            "organisation/roll", "samordning"} <= set(TAXONOMY)


@pytest.mark.parametrize("text,category", [
    ("Den höga personalomsättningen bland socialsekreterarna har varit en stor utmaning.", "personalomsättning"),
    ("Det är svårt att rekrytera erfarna socialsekreterare till tjänsterna.", "personalomsättning"),
    ("Många socialsekreterare har slutat och det har varit svårt att ersätta dem.", "personalomsättning"),
    ("Det har varit svårt att hitta lämpliga lokaler hos polisen.", "lokaler"),
    ("Bristen på skrivbord i polishuset gör arbetet svårare att planera.", "lokaler"),
    ("Polisens lokaler saknar internetuppkoppling för socialtjänstens datorer.", "lokaler"),
    ("Sekretessen försvårar informationsutbytet mellan polis och socialtjänst.", "sekretess"),
    ("Det har varit problematiskt att dela information på grund av sekretessen.", "sekretess"),
    ("Långa handläggningstider hos polisen är ett problem för verksamheten.", "handläggningstider"),
    ("Väntetiderna för förhör är en svårighet för socialtjänsten.", "handläggningstider"),
    ("Det saknas resurser för att bemanna polishuset fler dagar.", "resurser"),
    ("Budgeten är begränsad och räcker inte till fler tjänster.", "resurser"),
    ("Socialsekreterarna har inte tid att delta i polisens morgonmöten.", "resurser"),
    ("Rollen som samlokaliserad socialsekreterare är otydlig och uppdraget är inte definierat.", "organisation/roll"),
    ("En utmaning har varit att socialsekreterarens ordinarie arbetsuppgifter ska prioriteras.", "organisation/roll"),
    ("Det är oklart vem som ansvarar för uppföljningen av ärendena.", "organisation/roll"),
    ("Samverkan mellan myndigheterna har fungerat sämre under hösten.", "samordning"),
    ("Det saknas en gemensam struktur för samarbetet mellan polis och socialtjänst.", "samordning"),
    # the verbs as well as the nouns: samordna, samverka, samarbeta
    ("Det har varit svårt att samarbeta med skolorna i området.", "samordning"),
    ("Insatserna för de unga behöver samordnas bättre mellan förvaltningarna.", "samordning"),
    ("Det saknas en utsedd person på polisstationen som ska samverka med oss.", "samordning"),
    ("Bristande kunskap om polisens arbete har varit ett hinder.", "kompetens"),
    ("Kompetensen om LVU är begränsad hos de nyanställda.", "kompetens"),
    ("Allt färre handläggare har utbildats i samtal med barn, vilket är ett problem.", "kompetens"),
    ("Projektet har mött vissa oväntade hinder under året.", "annat"),
    # a stated need for clarity is a challenge: "behöva klargöras", "behov av att tydliggöra"
    ("Ansvarsfördelningen mellan förvaltningarna skulle behöva klargöras.", "organisation/roll"),
    ("Det finns ett behov av att tydliggöra socialsekreterarens uppdrag.", "organisation/roll"),
    ("Arbetsbeskrivningen för tjänsten behöver förtydligas.", "organisation/roll"),
    ("Rutinerna för informationsutbyte med polisen behövde ses över.", "sekretess"),
    ("Brister i dokumentationen har uppmärksammats av revisorerna.", "annat"),
])
def test_stated_challenge_and_category(extract, text, category):
    assert challenges(extract(text)) == [category]


def test_the_span_is_the_sentence(extract):
    text = "Samverkan fungerar väl. Det har varit svårt att hitta lämpliga lokaler hos polisen. Arbetet fortsätter."
    rec = extract(text)
    (c,) = rec.challenges
    assert c.span.text == "Det har varit svårt att hitta lämpliga lokaler hos polisen."


def test_clauses_naming_different_problems_are_separate_challenges(extract):
    rec = extract("Utmaningarna gäller främst bristen på lokaler och den höga personalomsättningen.")
    assert challenges(rec) == ["lokaler", "personalomsättning"]
    first, second = rec.challenges
    assert first.span.end <= second.span.start
    assert "lokaler" in first.span.text and "personalomsättningen" in second.span.text


def test_district_from_the_sentence(extract):
    rec = extract("I Skärholmen har det varit svårt att hitta lokaler hos polisen.")
    assert [(c.district, c.category) for c in rec.challenges] == [("Skärholmen", "lokaler")]


def test_district_from_the_section(extract):
    rec = extract("Rapport om samverkan med polisen\n\nÄrendet\n\nBromma\n\n"
                  "Det har varit svårt att rekrytera socialsekreterare till tjänsten.\n\n"
                  "Farsta\n\nArbetet har kommit igång enligt plan.\n")
    assert [(c.district, c.category) for c in rec.challenges] == [("Bromma", "personalomsättning")]


def test_no_district_when_the_text_names_none(extract):
    rec = extract("Det saknas resurser för att bemanna polishuset fler dagar.")
    assert [c.district for c in rec.challenges] == [None]


@pytest.mark.parametrize("text", [
    "Arbetet har fortlöpt utan svårigheter.",
    "Samarbetet fungerar utan problem.",
    "Samarbetet har fungerat bra och inga hinder har uppstått.",
    "Det finns inga problem med lokalerna.",
    "Ett problemfritt samarbete har etablerats.",
    "Ungdomar med normbrytande beteende och missbruksproblem är målgruppen.",
    "Lokalerna är ljusa och fina och verksamheten trivs.",
    "Samverkan med polisen har utvecklats positivt under året.",
    "Sekretessen hanteras enligt förvaltningens rutiner.",
    "Uppdraget har tydliggjorts under året och fungerar nu väl.",
    "Nämnden beslutade att tydliggöra ansvaret i delegationsordningen.",
    "Utmaningar.",
    "Svårigheter",
])
def test_not_a_challenge(extract, text):
    assert challenges(extract(text)) == []


@pytest.mark.parametrize("text,expected", [
    # two problems in one sentence, joined by "och" without a comma: one challenge each
    ("I en del områden har det varit svårt att hitta lokaler och på andra håll har "
     "sekretessen försvårat informationsutbytet.", ["lokaler", "sekretess"]),
    # two problems joined by "men"
    ("Bemanningen är otillräcklig men det största hindret är den höga personalomsättningen.",
     ["resurser", "personalomsättning"]),
    # one problem with its cause stays one challenge
    ("Det har varit svårt att planera arbetet eftersom lokalerna saknas.", ["lokaler"]),
])
def test_one_challenge_per_stated_problem(extract, text, expected):
    assert sorted(challenges(extract(text))) == sorted(expected)


@pytest.mark.parametrize("text", [
    "{Beskriv gärna projektets utmaningar och hinder här}",
    "Seminariet handlade om hinder och framgångsfaktorer i samverkan mellan myndigheter.",
    "Rapporten beskriver framgångsfaktorer och utmaningar i arbetet.",
])
def test_topics_and_form_instructions_are_not_challenges(extract, text):
    assert challenges(extract(text)) == []
