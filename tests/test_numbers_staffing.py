"""Swedish numbers, and staffing facts stated in sentences written for these tests."""

from __future__ import annotations

import pytest

from pipeline.finders.numbers import parse_number


@pytest.mark.parametrize("text,value", [
    ("tre", 3), ("två", 2), ("en", 1), ("ett", 1), ("noll", 0), ("fyra", 4), ("fem", 5), ("sex", 6),
    ("sju", 7), ("åtta", 8), ("nio", 9), ("tio", 10), ("elva", 11), ("tolv", 12), ("tretton", 13),
    ("arton", 18), ("aderton", 18), ("tjugo", 20), ("tjugofem", 25), ("trettio", 30), ("hundra", 100),
    ("tre och en halv", 3.5), ("två och en halv", 2.5), ("sju och en halv", 7.5),
    ("tre och ett halvt", 3.5), ("en halv", 0.5), ("halv", 0.5), ("halva", 0.5),
    ("2,5", 2.5), ("2.5", 2.5), ("10", 10), ("3", 3), ("0,5", 0.5),
    ("TRE", 3), ("Två", 2), ("  fem  ", 5), ("tre  och\nen halv", 3.5),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["hej", "", "några", "många", "tre hundra kronor", "femte", "2,5 dagar", "en och"])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


# --- staffing ----------------------------------------------------------------------------------

def one_fact(extract, text):
    rec = extract(text)
    assert len(rec.staffing) == 1, [s.span.text for s in rec.staffing]
    fact = rec.staffing[0]
    assert rec.text[fact.span.start:fact.span.end] == fact.span.text
    return fact


def days(fact):
    return None if fact.days_per_week is None else (fact.days_per_week.min, fact.days_per_week.max)


@pytest.mark.parametrize("text,role,headcount", [
    ("Förvaltningen har tre socialsekreterare som är placerade hos polisen.", "socialsekreterare", 3),
    ("Tolv socialsekreterare bemannar polishuset.", "socialsekreterare", 12),
    ("Fyra socialsekreterare sitter hos polisen.", "socialsekreterare", 4),
    ("Sex socialsekreterare sitter hos polisen.", "socialsekreterare", 6),
    ("3 socialsekreterare är placerade hos polisen.", "socialsekreterare", 3),
    ("Elva samordnare bemannar polishuset.", "samordnare", 11),
    ("Två socionomer är stationerade hos polisen tre dagar per vecka.", "socionom", 2),
    ("Två socialsekreterare från ungdomsenheten är projektanställda och sitter hos polisen.", "socialsekreterare", 2),
    ("Förvaltningen har två socionomer hos polis.", "socionom hos polis", 2),
    ("Ingen socialsekreterare är placerad hos polisen.", "socialsekreterare", 0),
])
def test_headcount_and_role(extract, text, role, headcount):
    fact = one_fact(extract, text)
    assert (fact.role, fact.headcount) == (role, headcount)


@pytest.mark.parametrize("text,expected", [
    ("Två socialsekreterare sitter i polishuset två till tre dagar i veckan.", (2.0, 3.0)),
    ("Socialsekreteraren sitter hos polisen 2–3 dagar i veckan.", (2.0, 3.0)),
    ("Socialsekreteraren sitter hos polisen en till två dagar i veckan.", (1.0, 2.0)),
    ("En socialsekreterare finns på plats hos polisen en dag i veckan.", (1.0, 1.0)),
    ("SIG-samordnaren sitter hos polisen en dag i veckan.", (1.0, 1.0)),
    ("Ungdomsutredaren är placerad hos polisen tre dagar i veckan.", (3.0, 3.0)),
    ("Två socialsekreterare placerades i polishuset tre dagar i veckan.", (3.0, 3.0)),
    ("Två fältassistenter samlokaliserades med polisen fyra dagar i veckan.", (4.0, 4.0)),
    ("Kuratorn är stationerad hos polisen fyra dagar per vecka.", (4.0, 4.0)),
    ("Socialsekreteraren arbetar tre och en halv dagar i veckan hos polisen.", (3.5, 3.5)),
    ("Fältassistenten arbetar 2,5 dagar i veckan i polishuset.", (2.5, 2.5)),
    ("Socialsekreteraren är på plats i polishuset i princip dagligen.", (5.0, 5.0)),
    ("Fältsekreterarna är på plats i polishuset varje dag.", (5.0, 5.0)),
    ("Socialsekreteraren sitter hos polisen måndag till fredag.", (5.0, 5.0)),
    ("Socialsekreteraren sitter hos polisen alla vardagar.", (5.0, 5.0)),
    ("Den samlokaliserade socialsekreteraren sitter hos polisen fyra dagar i veckan och på socialkontoret en dag.", (4.0, 4.0)),
    # weekdays: each counts once, a span its days, a chain of them joined by "och",
    # "samt", "och därtill" is one statement, "varannan" halves
    ("Kuratorn sitter hos polisen tisdagar och torsdagar.", (2.0, 2.0)),
    ("Fältassistenten arbetar kvällstid onsdag till lördag.", (4.0, 4.0)),
    ("Fältassistenten arbetar kvällstid fredag till söndag.", (3.0, 3.0)),
    ("Fältassistenten arbetar kvällstid fredag till måndag.", (4.0, 4.0)),
    ("Fältassistenten arbetar kvällstid tisdagar och torsdagar samt varje fredag.", (3.0, 3.0)),
    ("Fältassistenten arbetar kvällstid tisdag till fredag och därtill varannan lördag.", (4.5, 4.5)),
    ("Fältassistenten arbetar måndag–onsdag samt varannan fredag.", (3.5, 3.5)),
    ("Fältassistenten arbetar varannan tisdag hos polisen.", (0.5, 0.5)),
    ("Fältassistenten arbetar kvällstid varannan fredag och lördag.", (1.0, 1.0)),
    ("Fältassistenten arbetar varannan fredag samt lördagar.", (1.5, 1.5)),
    ("Socialsekreteraren sitter hos polisen måndagar och onsdagar; fredagar är hon på socialkontoret.", (2.0, 2.0)),
    ("Fältsekreteraren arbetar kvällstid, tisdag, fredag och lördag.", (3.0, 3.0)),
    # days added only at some times make a range from the regular days
    ("Fältassistenten arbetar kvällstid onsdag till lördag, och under sommarlovet även söndagar.", (4.0, 5.0)),
    ("Fältassistenten arbetar måndag–torsdag och är dessutom ute fredag och lördag kväll vid riskhelger.", (4.0, 6.0)),
    ("Fältassistenten arbetar tisdag till fredag och är därutöver ute lördagar vid större evenemang.", (4.0, 5.0)),
    ("Fältassistenten arbetar två kvällar i veckan och under sommarlovet fyra kvällar i veckan.", (2.0, 4.0)),
    # another week at some times, instead of the regular one: a range
    ("Fältsekreteraren arbetar tisdag–torsdag kvällstid och under skolloven fredag och lördag kväll.", (2.0, 3.0)),
    ("Fältsekreteraren arbetar måndag och tisdag och under sommaren måndag till torsdag.", (2.0, 4.0)),
    # a working week and a count of its evenings: the weekdays give the days, evenings on
    # other days add to the most; evenings on the named days themselves are the days
    ("Fältarbetaren arbetar i regel måndag till torsdag, med kvällspass två kvällar i veckan.", (4.0, 4.0)),
    ("Fältsekreteraren arbetar tisdag–fredag och dessutom en kväll i veckan, oftast lördagar.", (4.0, 5.0)),
    ("Fältassistenten arbetar tre kvällar i veckan, i regel torsdag, fredag och lördag.", (3.0, 3.0)),
    ("Fältassistenten har möte måndagar och arbetar tre kvällar i veckan.", (3.0, 3.0)),
    # a day already among the regular ones adds nothing; a regular addition is no range
    ("Fältassistenten arbetar måndag till fredag och under loven även fredagskvällar.", (5.0, 5.0)),
    ("Fältassistenten arbetar tisdag till torsdag och dessutom fredagar.", (4.0, 4.0)),
    # a part of a day after the weekday counts half
    ("Kuratorn sitter hos polisen onsdagar och varannan fredag förmiddag.", (1.25, 1.25)),
    ("Socialsekreteraren sitter hos polisen måndag eftermiddag och torsdag.", (1.5, 1.5)),
    ("Socialsekreteraren finns i polishuset tisdagsförmiddagar och fredagar.", (1.5, 1.5)),
    ("Socialsekreteraren besöker polisstationen varje måndagsförmiddag.", (0.5, 0.5)),
    ("Socialsekreteraren sitter hos polisen måndag till onsdag förmiddag.", (2.5, 2.5)),
    # two parts of a day joined make it whole, and the list of days goes on after them
    ("Fältsekreteraren arbetar tisdagar eftermiddag och kväll samt torsdagar och fredagar kväll.", (3.0, 3.0)),
    ("Kuratorn finns hos polisen måndagar förmiddag och eftermiddag.", (1.0, 1.0)),
    ("Kuratorn finns hos polisen måndagar förmiddag och onsdagar.", (1.5, 1.5)),
])
def test_days_per_week(extract, text, expected):
    assert days(one_fact(extract, text)) == expected


@pytest.mark.parametrize("text,full_time", [
    ("Socialsekreteraren arbetar på heltid hos polisen.", True),
    ("Socialsekreterare arbetar på heltid.", True),
    ("Socialsekreteraren arbetar 100 procent hos polisen.", True),
    ("Familjebehandlaren arbetar heltid i öppenvårdsteamet.", True),
    ("Socialsekreteraren arbetar på deltid hos polisen.", False),
    ("Socialsekreteraren arbetar 50 procent hos polisen.", False),
    ("Socialsekreteraren arbetar halva sin arbetstid hos polisen.", False),
    ("Socialsekreteraren sitter hos polisen två dagar i veckan.", None),
])
def test_full_time(extract, text, full_time):
    assert one_fact(extract, text).full_time is full_time


@pytest.mark.parametrize("text,employment", [
    ("Socialsekreteraren har en projektanställning och sitter hos polisen.", "projektanställning"),
    ("Två socialsekreterare från ungdomsenheten är projektanställda och sitter hos polisen.", "projektanställning"),
    ("Socialsekreteraren har en tillsvidareanställning på mottagningsgruppen.", "tillsvidareanställning"),
    ("Socialsekreteraren är tillsvidareanställd och arbetar på deltid hos polisen.", "tillsvidareanställning"),
    ("Socialsekreteraren har en visstidsanställning.", "visstidsanställning"),
    ("Socialsekreterare är timanställda och arbetar hos polisen.", "timanställning"),
    ("Tjänsten hos polisen är ett vikariat för en socialsekreterare.", "vikariat"),
    ("Fyra socialsekreterare sitter hos polisen.", None),
])
def test_employment(extract, text, employment):
    assert one_fact(extract, text).employment == employment


@pytest.mark.parametrize("text,unit", [
    ("Socialsekreteraren har en tillsvidareanställning på mottagningsgruppen.", "mottagningsgruppen"),
    ("Fältassistenten arbetar två dagar i veckan hos polisen och sitter i ungdomsenheten.", "ungdomsenheten"),
    ("Familjebehandlaren arbetar heltid i öppenvårdsteamet.", "öppenvårdsteamet"),
    ("En socialsekreterare från mottagningsgruppen finns på plats hos polisen en dag i veckan.", "mottagningsgruppen"),
    ("Socialsekreteraren sitter hos polisen två dagar i veckan.", None),
])
def test_unit(extract, text, unit):
    assert one_fact(extract, text).unit == unit


def test_all_fields_of_one_fact(extract):
    fact = one_fact(extract, "Två socialsekreterare från ungdomsenheten sitter i polishuset två till tre "
                             "dagar i veckan och är projektanställda.")
    assert fact.role == "socialsekreterare"
    assert fact.headcount == 2
    assert days(fact) == (2.0, 3.0)
    assert fact.unit == "ungdomsenheten"
    assert fact.employment == "projektanställning"
    assert fact.full_time is None  # not stated: never guessed


def test_district_and_lpo_from_the_sentence(extract):
    fact = one_fact(extract, "Järva stadsdelsförvaltning har tre socialsekreterare som bemannar LPO Järva.")
    assert (fact.district, fact.lpo, fact.headcount) == ("Järva", "Järva", 3)


def test_district_from_the_sentence_without_lpo(extract):
    fact = one_fact(extract, "Socialsekreteraren i Farsta är tillsvidareanställd och sitter hos polisen.")
    assert (fact.district, fact.lpo, fact.employment) == ("Farsta", None, "tillsvidareanställning")


def test_district_from_the_section_heading(extract):
    rec = extract("Rapport om samlokalisering av socialsekreterare hos polisen\n\nÄrendet\n\n"
                  "Skärholmen\n\nStadsdelsförvaltningen har två socialsekreterare som sitter hos polisen.\n\n"
                  "Bromma\n\nUngdomarna i stadsdelen får stöd av fältassistenter.\n")
    (fact,) = rec.staffing
    assert (fact.district, fact.headcount) == ("Skärholmen", 2)


def test_a_later_sentence_completes_the_fact(extract):
    rec = extract("Järva stadsdelsförvaltning har tre socialsekreterare som bemannar LPO Järva. "
                  "De är på plats i princip dagligen.")
    (fact,) = rec.staffing
    assert (fact.headcount, days(fact), fact.district, fact.lpo) == (3, (5.0, 5.0), "Järva", "Järva")


@pytest.mark.parametrize("text", [
    "Socialsekreteraren deltog i mötet om ungdomar.",
    "Socialsekreterarna träffade föräldrarna i går.",
    "Socialsekreterarna skriver yttranden till åklagaren.",
    "Socialsekreterarna deltar i polisens möten.",
    "Kuratorn pratade med eleven på skolan.",
    "Förvaltningen planerar att anställa fler socialsekreterare.",
    "Tre socialsekreterare har slutat under året.",
    "Tre fältassistenter slutade under våren och två tjänster står vakanta.",
    "Polisen arbetar två dagar i veckan i skolan.",
    "Polisen och socialtjänsten har möten två dagar i veckan.",
    "Nämnden sammanträder en dag i månaden.",
])
def test_no_staffing_fact(extract, text):
    assert extract(text).staffing == []


@pytest.mark.parametrize("text,percent", [
    # a part-time post is one person at a share of full time, not a number of days
    ("Socialsekreteraren arbetar halva sin arbetstid hos polisen.", 50),
    ("Socialsekreteraren arbetar halvtid hos polisen.", 50),
    ("En fältsekreterare på halvtid är placerad i polishuset.", 50),
    ("En samordnare på 75 procent sitter hos polisen.", 75),
])
def test_part_time_is_a_share_not_days(extract, text, percent):
    fact = one_fact(extract, text)
    assert (fact.percent, days(fact), fact.full_time) == (percent, None, False)


def test_evenings_without_a_number_are_no_days(extract):
    fact = one_fact(extract, "Fem fältassistenter arbetar kvällar och helger.")
    assert (fact.role, fact.headcount, days(fact)) == ("fältassistent", 5, None)


def test_handlaggare_names_beyond_the_swedish_alphabet(pipeline):
    # our own header block: a name with letters outside å/ä/ö must still be read
    record = pipeline.extract_text(
        "Tjänsteskrivelse\n\nVår referens\n\nĐorđe Šarić\n\n"
        "Ärende om samverkan med polisen i Örebro\n\nSammanfattning\n\nNämnden föreslås besluta.")
    assert record.metadata.handlaggare == ["Đorđe Šarić"]


def test_forvaltning_from_a_filled_in_form(pipeline):
    record = pipeline.extract_text(
        "Projektets namn\n\nTrygga skolvägar i Västerort\n\n"
        "Förvaltningens namn, avdelning/enhet\n"
        "Hässelby-Vällingby stadsdelsförvaltning, Individ och familj, Fältgruppen\n\n"
        "Kontaktperson för projektet, namn, e-post, tfn\n\nEva Lind, eva.lind@example.se\n")
    assert record.metadata.forvaltning == "Hässelby-Vällingby stadsdelsförvaltning"
    assert record.metadata.handlaggare == ["Eva Lind"]


@pytest.mark.parametrize("text,expected", [
    ("Två socialsekreterare sitter hos polisen. De arbetar där tre dagar i veckan.", (3.0, 3.0)),
    ("Två socialsekreterare sitter hos polisen. De är i polishuset tre dagar i veckan.", (3.0, 3.0)),
    ("En socialsekreterare är placerad vid LPO Syd. Hon är på plats i princip dagligen.", (5.0, 5.0)),
    # days spent on something else are not days at the police
    ("En socialsekreterare är placerad vid LPO Syd. Hon är därför två dagar i veckan med när "
     "mottagningsgruppen fördelar ärenden.", None),
    ("Två socialsekreterare sitter hos polisen. De leder en föräldragrupp en dag i veckan.", None),
])
def test_days_stated_in_the_next_sentence_complete_the_fact(pipeline, text, expected):
    record = pipeline.extract_text(text)
    (fact,) = record.staffing
    assert days(fact) == expected


@pytest.mark.parametrize("second,full_time", [
    ("Hon arbetar där på 50 procent.", False),
    ("Tjänsten är på 100 %.", True),
    ("Hon arbetar på deltid.", False),
])
def test_working_time_in_the_next_sentence_completes_the_fact(pipeline, second, full_time):
    record = pipeline.extract_text(f"En socialsekreterare är placerad i polishuset. {second}")
    (fact,) = record.staffing
    assert fact.full_time is full_time


def test_days_after_a_varav_clause_are_the_groups(extract):
    rec = extract("Nattvandrargruppen, som består av fyra fältsekreterare varav en på halvtid, "
                  "har under hösten arbetat tre kvällar i veckan.")
    facts = {(f.headcount, days(f)) for f in rec.staffing}
    assert (4, (3.0, 3.0)) in facts


@pytest.mark.parametrize("text, expected", [
    # days that refer back are the last days stated before
    ("Fältassistenterna arbetar torsdag och fredag kväll. En socialsekreterare har jour under samma kvällar.",
     [(2.0, 2.0), (2.0, 2.0)]),
    ("Fältassistenterna arbetar tre kvällar i veckan. Kuratorn finns på fritidsgården samma dagar.",
     [(3.0, 3.0), (3.0, 3.0)]),
    # with no days before, none
    ("En kurator finns på polisstationen samma dagar som polisens ungdomsgrupp.", [None]),
])
def test_days_referred_back_to(pipeline, text, expected):
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Tanums kommun\n\n{text}\n")
    assert [(d.min, d.max) if (d := s.days_per_week) else None for s in rec.staffing] == expected
