"""When a count of staff is a staffing fact, and whose district it is: the conventions of
annotations/README.md ("Districts and staffing, exactly") in sentences written for these
tests. Each text opens with a letterhead naming its municipality, as reports do."""

from __future__ import annotations

import pytest


def facts(pipeline, municipality: str, body: str):
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, {municipality} kommun\n\n{body}\n")
    for s in rec.staffing:
        assert rec.text[s.span.start:s.span.end] == s.span.text
    return [(s.role, s.headcount, s.district) for s in rec.staffing]


@pytest.mark.parametrize("municipality, body, expected", [
    # a need, a wish, a proposal not yet decided, a condition: no fact
    ("Eskilstuna", "En fältsekreterare på heltid behöver anställas under hösten.", []),
    ("Eskilstuna", "För att klara uppdraget behövs ytterligare två socialsekreterare.", []),
    ("Västerås", "Förvaltningen föreslår att en SSPF-samordnare anställs på halvtid.", []),
    ("Västerås", "Om tre socialsekreterare sitter hos polisen fyra dagar i veckan blir väntetiderna längre.", []),
    ("Västerås", "Polisen har framfört önskemål om två fältassistenter även på helgerna.", []),
    ("Västerås", "Nämnden ser gärna att två fältsekreterare anställs till sommaren.", []),
    ("Västerås", "Förvaltningen ska se över möjligheten att utöka fältgruppen med en fältassistent.", []),
    # what a statute allows or requires of a role is not who works here
    ("Västerås", "Enligt 6 § LuL ska en socialsekreterare närvara vid förhöret med den unge.", []),
    ("Västerås", "Av 14 kap. 1 § socialtjänstlagen följer att en kurator ska anmäla oro för ett barn.", []),
    ("Västerås", "Med stöd av polislagen får en polis omhänderta den som är under 18 år.", []),
    # a post to be filled again is no staff at work; the clause before it is
    ("Västerås", "Det tog ett halvår att återbesätta en tjänst som fältsekreterare.", []),
    ("Västerås", "Två fältsekreterare arbetar i Skiljebo, men det tog ett halvår att återbesätta den tredje tjänsten.",
     [("fältsekreterare", 2, "Skiljebo")]),
    # a lack of a number of staff is no staff at work; a lack of any is a fact of none
    ("Gävle", "Inom mottagningsgruppen saknas tre socialsekreterare sedan i våras.", []),
    ("Gävle", "Kommunen saknar i dag fältassistenter.", [("fältassistent", 0, None)]),
    # a role whose form may be one or many, said to work a share of full time: one
    ("Sala", "Kommunens SSPF-samordnare, som arbetar på 40 procent, leder skolgrupperna.", [("SSPF-samordnare", 1, None)]),
    # whom someone works with is not who is at work
    ("Sala", "Den visstidsanställda tjänsten har gjort det svårt att hålla kontakten med kuratorerna.", []),
    # another service, another municipality
    ("Örebro", "Inom äldreomsorgen har hemtjänsten utökats med fyra undersköterskor.", []),
    ("Örebro", "I flera kommuner finns socialsekreterare placerade hos polisen på heltid.", []),
    ("Örebro", "I Karlstad arbetar två socialsekreterare hos polisen.", []),
    # a reference back to staffing as a topic
    ("Umeå", "Placeringen av en socialsekreterare hos polisen har gett kortare väntetider.", []),
    # what stands plainly as today's staffing is a fact, decided future too
    ("Umeå", "Två socialsekreterare från ungdomsenheten arbetar hos polisen.", [("socialsekreterare", 2, None)]),
    ("Umeå", "Enligt överenskommelsen ska en socialsekreterare finnas på polisstationen en dag i veckan.",
     [("socialsekreterare", 1, None)]),
    ("Umeå", "Fältgruppen består av fem fältassistenter, men det behövs fler.", [("fältassistent", 5, None)]),
    # posts said to be funded are still posts; what staff cost is no staff
    ("Luleå", "Fältgruppen har fyra fältsekreterare. En av tjänsterna finansieras med statsbidrag och är "
     "visstidsanställd till och med juni.", [("fältsekreterare", 4, None), ("fältsekreterare", 1, None)]),
    ("Luleå", "Kostnaden för två fältsekreterare beräknas till 1,2 miljoner kronor.", []),
    # the total of a turnover statement is the unit's size; those who left are not
    ("Luleå", "Under året har tre av nio socialsekreterare i ungdomsgruppen slutat.", [("socialsekreterare", 9, None)]),
])
def test_when_a_count_is_a_fact(pipeline, municipality, body, expected):
    assert facts(pipeline, municipality, body) == expected


@pytest.mark.parametrize("municipality, body, expected", [
    # a police station's place is where the police sit
    ("Huddinge", "Två socialsekreterare arbetar på polisstationen i Flemingsberg.", [("socialsekreterare", 2, None)]),
    ("Sollentuna", "En kurator sitter hos polisen i Tureberg två dagar i veckan.", [("kurator", 1, None)]),
    # the place the staff are given is theirs
    ("Sollentuna", "En kurator arbetar i Tureberg två dagar i veckan.", [("kurator", 1, "Tureberg")]),
    # the police's own staff are where the police are
    ("Malmö", "Närpolisen i Rosengård har tre närpoliser.", [("närpolis", 3, "Rosengård")]),
    # counts joined by "och" share the place said after the last
    ("Sundsvall", "Två socialsekreterare och en behandlare arbetar i Matfors.",
     [("socialsekreterare", 2, "Matfors"), ("behandlare", 1, "Matfors")]),
    # a coordinated clause with its own place first is there, and only it
    ("Sundsvall", "I Matfors finns två fältassistenter och i Kovland sitter en kurator.",
     [("fältassistent", 2, "Matfors"), ("kurator", 1, "Kovland")]),
    ("Sundsvall", "I Matfors finns en fältassistent och i tätorten arbetar ytterligare tre.",
     [("fältassistent", 1, "Matfors"), ("fältassistent", 3, None)]),
    # a district with the main town is no one district
    ("Sundsvall", "En fältassistent har centralorten och Matfors som sitt område.", [("fältassistent", 1, None)]),
    # a place before the first count is every count's; a place after a count is that count's
    ("Sundsvall", "I Matfors finns två fältassistenter och en kurator.",
     [("fältassistent", 2, "Matfors"), ("kurator", 1, "Matfors")]),
    ("Sundsvall", "Ungdomsenheten har två socialsekreterare, en för Matfors och en för Kovland, samt en "
     "samordnare.", [("socialsekreterare", 2, None), ("socialsekreterare", 1, "Matfors"),
                     ("socialsekreterare", 1, "Kovland"), ("samordnare", 1, None)]),
    # one more of the same, joined to the count before it, even after a larger group in the section
    ("Sundsvall", "Fältgruppen har sex fältassistenter. Polisen har åtagit sig att ha en områdespolis med ansvar "
     "för Matfors och en för Kovland.", [("fältassistent", 6, None), ("områdespolis", 1, "Matfors"),
                                         ("områdespolis", 1, "Kovland")]),
    # the place of those the staff keep in contact with is theirs, not the staff's
    ("Sundsvall", "En SIG-samordnare arbetar 75 procent och håller kontakten med skolorna i Matfors.",
     [("SIG-samordnare", 1, None)]),
    # a district listed with a place the gazetteer does not hold is no one district
    ("Sundsvall", "En fältassistent arbetar i Stöde och Matfors.", [("fältassistent", 1, None)]),
    # a district and the rest of the municipality is the whole municipality
    ("Sundsvall", "En fältassistent ansvarar för Matfors och övriga delar av kommunen.", [("fältassistent", 1, None)]),
    ("Sundsvall", "En kurator arbetar i Kovland och i resten av kommunen.", [("kurator", 1, None)]),
])
def test_the_district_of_a_fact(pipeline, municipality, body, expected):
    assert facts(pipeline, municipality, body) == expected


def test_a_proposal_section_states_no_facts_but_what_is_today(pipeline):
    body = ("Förslag till organisation\n\n"
            "Två socialsekreterare placeras hos polisen tre dagar i veckan. "
            "Ungdomsgruppen består i dag av åtta socialsekreterare.")
    assert facts(pipeline, "Jönköping", body) == [("socialsekreterare", 8, None)]


def test_a_role_completes_only_a_fact_of_that_role(pipeline):
    body = ("Två jobbcoacher arbetar i projektet. Därtill finns en socialsekreterare på halvtid som kontakt. "
            "Jobbcoacherna är på plats i Fisksätra två dagar i veckan.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialtjänsten, Nacka kommun\n\n{body}\n")
    days = {s.role: s.days_per_week for s in rec.staffing}
    assert days["socialsekreterare"] is None
    assert (days["jobbcoach"].min, days["jobbcoach"].max) == (2, 2)


def test_a_groups_days_hold_for_its_parts(pipeline):
    body = ("Fältgruppen består av sex fältsekreterare. Fyra av dem arbetar främst i Råslätt. "
            "Fältsekreterarna arbetar kvällstid två till tre kvällar i veckan.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Jönköping kommun\n\n{body}\n")
    got = [(s.headcount, s.days_per_week.min if s.days_per_week else None,
            s.days_per_week.max if s.days_per_week else None) for s in rec.staffing]
    assert got == [(6, 2, 3), (4, 2, 3)]


def test_the_count_its_parts_go_on_from_is_a_part_too(pipeline):
    # the second sentence splits the group: its first count names the role again, the others
    # are elliptic ("två har …"); all three share the group's days
    body = ("Fältgruppen har sex fältassistenter som arbetar onsdag till lördag. Två fältassistenter har "
            "Sörby som sitt område, två har Rosta och två har Vivalla.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Örebro kommun\n\n{body}\n")
    got = [(s.headcount, s.days_per_week.min if s.days_per_week else None) for s in rec.staffing]
    assert got == [(6, 4), (2, 4), (2, 4), (2, 4)]


def test_a_table_row_is_no_statement(pipeline):
    body = "Stadsdel\tTjänster\tUnga\nNorr\t2,0\t14\nSöder\t1,5\t9\n\nTabellen visar läget i augusti."
    assert facts(pipeline, "Malmö", body) == []


@pytest.mark.parametrize("municipality, body, expected", [
    # a district that is the clause's subject, after a heading the text ran into it
    ("Helsingborg", "Norr och Söder Söders stadsdelsförvaltning har tre fältassistenter.", [("fältassistent", 3, "Söder")]),
    # a coordinated subject names several districts: null
    ("Stockholm", "Kungsholmens och Norra innerstadens stadsdelsförvaltningar har en fältassistent.",
     [("fältassistent", 1, None)]),
    # a year before "av": the group it tells of
    ("Helsingborg", "Gruppen består sedan 2019 av sex fältsekreterare, sammanlagt 5,5 tjänster.",
     [("fältsekreterare", 6, None)]),
    # a whole number of posts of a role is that many people; a fraction or a half-time post a volume
    ("Lycksele", "Fältverksamheten består av tre tjänster som fältsekreterare.", [("fältsekreterare", 3, None)]),
    ("Lycksele", "Polisen har en kommunpolis och två tjänster som områdespolis.",
     [("kommunpolis", 1, None), ("områdespolis", 2, None)]),
    ("Lycksele", "För ungdomsarbetet har 1,5 tjänst som kurator avsatts.", [("kurator", None, None)]),
    ("Lycksele", "Nämnden har en halvtidstjänst som SSPF-samordnare.", [("SSPF-samordnare", None, None)]),
])
def test_counts_and_subjects(pipeline, municipality, body, expected):
    assert facts(pipeline, municipality, body) == expected


@pytest.mark.parametrize("body, days", [
    ("Därtill deltar en av fältassistenterna varannan vecka i polisens utsättningsmöten.", 0.5),
    ("En socialsekreterare deltar varje vecka i lokalpolisområdets morgongenomgångar.", 1),
    ("En kurator närvarar vid polisens veckomöten.", 1),
    # presence with no meeting says no days
    ("En socialsekreterare finns hos polisen varannan vecka.", None),
    # weekdays every other week: half of them; "varannan vecka" of another clause halves nothing
    ("En socialsekreterare finns på polisstationen varannan vecka, måndag och onsdag.", 1),
    ("En socialsekreterare finns på polisstationen måndag och onsdag, och skolorna besöks varannan vecka.", 2),
    ("Två av fältsekreterarna arbetar lördagar och söndagar, varannan helg tillsammans med polisen.", 1),
    # days in a later clause that states a wish or a proposal are not the staff's days
    ("En kurator finns hos polisen tisdagar, men förvaltningen föreslår att hon är där även fredagar.", 1),
    ("En kurator finns hos polisen tisdagar, och nämnden ser gärna att närvaron utökas till tre dagar i veckan.", 1),
])
def test_days_of_a_recurring_meeting(pipeline, body, days):
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Falun kommun\n\n{body}\n")
    (fact,) = rec.staffing
    assert (fact.days_per_week.min if fact.days_per_week else None) == days


def test_days_called_in_when_needed_are_not_a_wish(pipeline):
    # "vid behov" says when the staff come, not that staff are needed: the days are a range
    rec = pipeline.extract_text("Tjänsteskrivelse\nSocialförvaltningen, Falun kommun\n\n"
                                "En kurator finns hos polisen tisdagar, och vid behov även fredagar.\n")
    (fact,) = rec.staffing
    assert (fact.days_per_week.min, fact.days_per_week.max) == (1, 2)


@pytest.mark.parametrize("body, days", [
    # a unit or a pronoun as the subject of the staff's working time
    ("Fältgruppen består av fyra fältassistenter. Fältgruppen arbetar i huvudsak kvällstid torsdag till lördag.", 3),
    ("Fältverksamheten består av tre fältsekreterare. De arbetar kvällstid, tisdag, torsdag och fredag.", 3),
])
def test_working_time_said_of_staff_counted_before(pipeline, body, days):
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Kalmar kommun\n\n{body}\n")
    first = rec.staffing[0]
    assert first.days_per_week is not None and first.days_per_week.min == days


def test_one_in_each_of_the_places_listed(pipeline):
    body = ("Verksamheten fortsätter med fyra socialsekreterare, en för vart och ett av områdena "
            "Lundby, Backa och Tynnered samt en samordnande socialsekreterare.")
    assert facts(pipeline, "Göteborg", body) == [
        ("socialsekreterare", 4, None), ("socialsekreterare", 1, "Lundby"), ("socialsekreterare", 1, "Backa"),
        ("socialsekreterare", 1, "Tynnered"), ("socialsekreterare", 1, None)]


@pytest.mark.parametrize("body, expected", [
    ("Fältgruppen består av fyra fältsekreterare. Två av tjänsterna är projektanställningar.",
     [("fältsekreterare", 4, None), ("fältsekreterare", 2, None)]),
    ("Verksamheten bemannas med två socialsekreterare. Den ena tjänsten är en tillsvidareanställning.",
     [("socialsekreterare", 2, None), ("socialsekreterare", 1, None)]),
])
def test_parts_of_the_posts(pipeline, body, expected):
    assert facts(pipeline, "Kalmar", body) == expected


@pytest.mark.parametrize("body, expected", [
    # "den andra" with the verb left out: the second of the pair, its one place its district
    ("Fältgruppen består av två fältsekreterare. Den ena ansvarar för Berga och Norrliden, den andra för Oxhagen.",
     [("fältsekreterare", 2, None), ("fältsekreterare", 1, None), ("fältsekreterare", 1, "Oxhagen")]),
    # an ordinal with a relative clause between dashes
    ("Fältgruppen har tre fältsekreterare. Två av dem arbetar i centrum, och den tredje – som är nyanställd – "
     "arbetar i Oxhagen.", [("fältsekreterare", 3, None), ("fältsekreterare", 2, None), ("fältsekreterare", 1, "Oxhagen")]),
    # bare parts told apart by their working time
    ("Fältgruppen har tre fältsekreterare, varav två arbetar 80 procent och en heltid.",
     [("fältsekreterare", 3, None), ("fältsekreterare", 2, None), ("fältsekreterare", 1, None)]),
    # two shares of a working time, one for each of a pair
    ("Två kuratorer sitter hos polisen. De är anställda på 60 respektive 80 procent.",
     [("kurator", 2, None), ("kurator", 1, None), ("kurator", 1, None)]),
    # shares of something else are no staff
    ("Två kuratorer sitter hos polisen. Andelen anmälningar steg till 30 respektive 45 procent.",
     [("kurator", 2, None)]),
])
def test_each_of_a_pair(pipeline, body, expected):
    assert facts(pipeline, "Kalmar", body) == expected


def test_the_colleague_at_work_is_the_second_of_a_pair(pipeline):
    body = ("Två kuratorer tjänstgör på polisstationen. Den ena arbetar där heltid, medan kollegan "
            "sitter där måndagar och onsdagar.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Kalmar kommun\n\n{body}\n")
    assert [(s.role, s.headcount, s.days_per_week.min if s.days_per_week else None) for s in rec.staffing] == [
        ("kurator", 2, None), ("kurator", 1, None), ("kurator", 1, 2.0)]


def test_a_definite_role_at_work_after_a_count_has_the_days_of_its_own_clause(pipeline):
    body = ("Två fältsekreterare finns på plats hos polisen tre dagar i veckan, medan den samordnande "
            "socialsekreteraren är där i princip dagligen.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Kalmar kommun\n\n{body}\n")
    assert [(s.role, s.headcount, s.days_per_week.min if s.days_per_week else None) for s in rec.staffing] == [
        ("fältsekreterare", 2, 3.0), ("socialsekreterare", 1, 5.0)]


def test_a_definite_role_at_work_shares_the_days_of_the_count_it_is_joined_to(pipeline):
    body = "I samverkansgruppen, som träffas varje tisdag, ingår kommunpolisen och en fältassistent."
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Kalmar kommun\n\n{body}\n")
    assert sorted((s.role, s.headcount, s.days_per_week.min if s.days_per_week else None) for s in rec.staffing) == [
        ("fältassistent", 1, 1.0), ("kommunpolis", 1, 1.0)]


@pytest.mark.parametrize("municipality, body, expected", [
    # a district named with another place is no fact's single district
    ("Helsingborg", "Fältgruppen består av sex fältsekreterare, två i centrum och på Söder.",
     [("fältsekreterare", 6, None), ("fältsekreterare", 2, None)]),
    ("Ljusdal", "En fältassistent arbetar kvällar och helger i Ljusdal och Järvsö.", [("fältassistent", 1, None)]),
    # "Där": the place the sentence before named
    ("Stockholm", "Skarpnäck har ingen samordnare på heltid. Där sköts uppgiften av en socialsekreterare på ungdomsenheten.",
     [("samordnare", 0, "Skarpnäck"), ("socialsekreterare", 1, "Skarpnäck")]),
    # a person's title is no staffing fact; an offer or an intention is none either
    ("Södertälje", "Föredragande: Anna Berg, kommunpolis, och Karl Lind, enhetschef.", []),
    ("Luleå", "Polisen har erbjudit arbetsplatser i polishuset för två socialsekreterare.", []),
    ("Luleå", "Förvaltningen avser att anställa en fältsekreterare till hösten.", []),
    # the five counted before, told of again: no new fact
    ("Sundsvall", "Fältgruppen består av fem fältassistenter. Tre av fem fältassistenter anställdes under 2010.",
     [("fältassistent", 5, None), ("fältassistent", 3, None)]),
])
def test_places_and_statements_in_context(pipeline, municipality, body, expected):
    assert facts(pipeline, municipality, body) == expected


@pytest.mark.parametrize("body, days", [
    ("Två av socialsekreterarna närvarar vid förhör på polisstationen en till två gånger i veckan.", (1, 2)),
    ("Fältassistenterna, som är sex till antalet, är i princip dagligen i kontakt med skolorna.", None),
])
def test_times_a_week_and_contact(pipeline, body, days):
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Uppsala kommun\n\n{body}\n")
    d = rec.staffing[0].days_per_week
    assert ((d.min, d.max) if d else None) == days


@pytest.mark.parametrize("body, expected", [
    # roles of this work: a youth secretary, a contact person, an investigator
    ("Socialtjänstens ungdomssekreterare deltar i polisens veckovisa samverkansmöten.", [("ungdomssekreterare", None, None)]),
    ("Polisen har utsett en kontaktperson för socialtjänsten.", [("kontaktperson", 1, None)]),
    # a role as what someone counted before is: no new fact
    ("Kommunen har en SIG-samordnare på heltid. Hen är förvaltningens kontaktperson gentemot polisen.",
     [("SIG-samordnare", 1, None)]),
    # a role listed among a meeting's members is not the one taking part
    ("Varannan vecka deltar de i SSPF-möten (skola, socialtjänst, polis och fritid).", []),
])
def test_more_roles_and_predicates(pipeline, body, expected):
    assert facts(pipeline, "Södertälje", body) == expected


def test_then_takes_the_time_named_before(pipeline):
    body = ("Fältgruppen består av fem fältassistenter. Polisen patrullerar i centrum på torsdags- och "
            "fredagskvällar, och två av fältassistenterna arbetar då vid resecentrum.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Kalmar kommun\n\n{body}\n")
    part = rec.staffing[-1]
    assert part.headcount == 2 and (part.days_per_week.min, part.days_per_week.max) == (2, 2)


def test_a_count_of_the_staff_named_before(pipeline):
    body = ("Polissamverkan\n\nTisdagar och torsdagar sitter socialsekreterare från ungdomsgruppen i polishuset. "
            "De är tre till antalet. För det första har kontakten med polisen blivit snabbare.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Kalmar kommun\n\n{body}\n")
    assert [(s.role, s.headcount, s.days_per_week.min if s.days_per_week else None) for s in rec.staffing] == \
        [("socialsekreterare", 3, 2)]  # "För det första" is an ordinal, not one of them


def test_days_said_of_a_unit_before_its_staff_are_counted(pipeline):
    body = ("Fältverksamheten\n\nFältgruppen arbetar kvällstid tre dagar i veckan. "
            "Den består av fyra fältassistenter. Två av dem har fast anställning.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Kalmar kommun\n\n{body}\n")
    assert [(s.headcount, s.days_per_week.min if s.days_per_week else None) for s in rec.staffing] == [(4, 3), (2, 3)]


def test_a_heading_naming_several_districts_gives_none(pipeline):
    body = "Fältarbetet i Handen och Vendelsö\n\nFältgruppen består av fem fältassistenter."
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Haninge kommun\n\n{body}\n")
    assert [(s.role, s.headcount, s.district) for s in rec.staffing] == [("fältassistent", 5, None)]


def test_days_said_of_all_of_a_role_hold_for_each_fact_of_it(pipeline):
    # "Fältarbetarna arbetar …" speaks of all of them, wherever it stands in the document
    body = ("Fältverksamheten har utökats till sju fältarbetare.\n\nArbetet i området\n\n"
            "Fältarbetarna arbetar två till tre kvällar i veckan i centrum.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Kalmar kommun\n\n{body}\n")
    assert [(s.headcount, s.days_per_week.min, s.days_per_week.max) for s in rec.staffing] == [(7, 2, 3)]


def test_a_role_counted_again_under_another_heading_is_a_fact_of_its_own(pipeline):
    body = ("Ungdomsenheten\n\nUngdomsenheten har sex socialsekreterare.\n\nMottagningen\n\n"
            "Två socialsekreterare från mottagningen sitter hos polisen en dag i veckan.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Kalmar kommun\n\n{body}\n")
    assert [(s.headcount, s.days_per_week.min if s.days_per_week else None) for s in rec.staffing] == [(6, None), (2, 1)]


def test_days_said_of_everyone_counted_before(pipeline):
    body = ("I polishuset finns två socialsekreterare från ungdomsenheten och en SIG-samordnare. "
            "Samtliga arbetar där måndag till onsdag; torsdagar är de på socialkontoret.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Luleå kommun\n\n{body}\n")
    assert [(s.role, s.headcount, s.days_per_week.min if s.days_per_week else None) for s in rec.staffing] == \
        [("socialsekreterare", 2, 3), ("SIG-samordnare", 1, 3)]


def test_the_rest_of_a_group_is_the_group_less_its_counted_part(pipeline):
    body = ("Fältsekreterarna, sju till antalet, hör till förebyggande enheten. "
            "Tre av dem arbetar i Gammelstad, de andra i centrum.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Luleå kommun\n\n{body}\n")
    assert [(s.headcount, s.district) for s in rec.staffing] == [(7, None), (3, "Gammelstad"), (4, None)]


@pytest.mark.parametrize("body, expected", [
    ("På polisstationen finns två socialsekreterare och en behandlare, sammanlagt tre medarbetare.",
     [("socialsekreterare", 2), ("behandlare", 1), ("medarbetare", 3)]),
    # staff of another service listed before a role do not make it that service's
    ("I polishuset finns en socialsekreterare, en behandlare från öppenvården och en SIG-samordnare – totalt tre personer.",
     [("socialsekreterare", 1), ("behandlare", 1), ("SIG-samordnare", 1), ("person", 3)]),
])
def test_a_total_after_the_staff_it_sums_is_a_fact(pipeline, body, expected):
    # over several roles, the total's role is its own word
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Umeå kommun\n\n{body}\n")
    assert [(s.role, s.headcount) for s in rec.staffing] == expected


def test_a_unit_named_after_its_staff_takes_their_role(pipeline):
    body = ("Fältassistenterna arbetar kvällstid onsdag till fredag. "
            "Gruppen har 3,5 tjänster som fördelas på fyra personer.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Gävle kommun\n\n{body}\n")
    assert [(s.role, s.headcount, s.fte, s.days_per_week.min) for s in rec.staffing] == \
        [("fältassistent", 4, 3.5, 3)]


@pytest.mark.parametrize("body, expected", [
    # the youth unit's or field group's make-up is staff of the work; another unit's is not
    ("Ungdomsgruppen består av sju socialsekreterare och en samordnare.",
     [("socialsekreterare", 7, None), ("samordnare", 1, None)]),
    ("Mottagningsgruppen består av nio socialsekreterare och en gruppledare.", []),
    # … unless a part of it is said to do the work, or "Gruppen" is a youth unit named before
    ("Mottagningsgruppen har åtta socialsekreterare och en gruppledare. Två av socialsekreterarna "
     "har sin arbetsplats hos polisen varannan vecka.",
     [("socialsekreterare", 8, None), ("gruppledare", 1, None), ("socialsekreterare", 2, None)]),
    ("Ungdomsenheten handlägger ärenden om unga lagöverträdare. Enheten består av fem "
     "socialsekreterare och en gruppledare.",
     [("socialsekreterare", 5, None), ("gruppledare", 1, None)]),
    # handläggare and heads of unit are staff of the work where a count names them at it …
    ("Polisen bidrar till insatsgruppen med två handläggare från lokalpolisområdet.", [("handläggare", 2, None)]),
    # … not where they prepared the matter or sat in a group a colon lists
    ("Ärendet har handlagts av två handläggare på enheten för barn och unga.", []),
    ("Styrgruppen bestod av: en verksamhetschef, två enhetschefer och en kommunpolis.", []),
    # a proposal put to the nämnd by a member ("yrkar") is not a decision
    ("Ledamoten yrkar att två fältassistenttjänster inrättas från årsskiftet.", []),
    # who took part in a study or a project
    ("Arbetsgruppen bestod av en avdelningschef, två enhetschefer och en kommunpolis.", []),
    ("Utredningen bygger på samtal med berörda.\n\nIntervjuade\nTvå socialsekreterare, mottagningsgruppen\n"
     "En kommunpolis, lokalpolisområdet", []),
    # an alternative, an aim, a request, another service
    ("Alternativ B. En socialsekreterare på heltid placeras hos polisen tre dagar i veckan.", []),
    ("Ambitionen är att ytterligare en socialsekreterare ska kunna dela uppdraget.", []),
    ("Skolorna har efterfrågat en fast kontaktperson på socialtjänsten.", []),
    ("Socialpsykiatrin har under året utökats med en behandlare.", []),
    # "dem" are the young people counted in between
    ("En SIG-samordnare är anställd på halvtid. Sedan starten har 17 unga erbjudits att delta, och elva av dem har samtyckt.",
     [("SIG-samordnare", 1, None)]),
])
def test_units_projects_and_other_people(pipeline, body, expected):
    assert facts(pipeline, "Östersund", body) == expected


@pytest.mark.parametrize("body, expected", [
    # a whole number of posts is that many people; the role from the word or the sentence
    ("Fältverksamheten har fyra fältsekreterartjänster.", [("fältsekreterare", 4, None)]),
    ("Det är svårt att rekrytera socialsekreterare till ungdomsenheten, där två av åtta tjänster "
     "har tillsatts under hösten.", [("socialsekreterare", 8, None)]),
    # posts of a field unit are the field workers' the document names, not the role named first
    ("Under året har förvaltningen placerat en socialsekreterare hos polisen och förstärkt "
     "fältgruppen med två tjänster. Fältgruppen består nu av sex fältsekreterare.",
     [("socialsekreterare", 1, None), ("fältsekreterare", 2, None), ("fältsekreterare", 6, None)]),
    # a measure of time, posts shared by people named: a volume only
    ("Samordnarens tid motsvarar en tjänst och tas ur enhetens budget.", []),
    ("Fältgruppen har tre tjänster, fördelade på fyra fältassistenter.", [("fältassistent", 4, None)]),
    # posts of no role the document makes plain are left out; an e-tjänst is no post
    ("Kontaktcenter har två tjänster.", []),
    ("En e-tjänst för anmälan om oro lanserades i mars.", []),
    # a post in apposition to the role before it: that role's; after a count, that count's volume
    ("Skolgrupperna startade i januari; SSPF-samordnaren (en tjänst, 100 procent) är anställd i sektorn.",
     [("SSPF-samordnare", 1, None)]),
    ("Kommunen har två SIG-samordnare, en tjänst var.", [("SIG-samordnare", 2, None)]),
    ("Förvaltningen har en SIG-samordnare (en tjänst).", [("SIG-samordnare", 1, None)]),
])
def test_posts(pipeline, body, expected):
    assert facts(pipeline, "Kalmar", body) == expected


@pytest.mark.parametrize("body, expected", [
    # a count after "är" is a count, not what someone is
    ("Från den 3 september är en socialsekreterare placerad hos polisen två dagar i veckan.",
     [("socialsekreterare", 1, None)]),
    # a decided placement with no number
    ("Socialnämnden beslutade 2018 att under en försöksperiod placera socialsekreterare i polishuset.",
     [("socialsekreterare", None, None)]),
    # a part with an adverb after its count
    ("Ungdomsgruppen har sju socialsekreterare, varav två särskilt handlägger ärenden om unga lagöverträdare.",
     [("socialsekreterare", 7, None), ("socialsekreterare", 2, None)]),
    ("Barn- och familjeenheten har åtta socialsekreterare, varav tre sedan i våras sitter hos polisen.",
     [("socialsekreterare", 8, None), ("socialsekreterare", 3, None)]),
])
def test_counts_after_copula_and_adverbs(pipeline, body, expected):
    assert facts(pipeline, "Örnsköldsvik", body) == expected


@pytest.mark.parametrize("body, expected", [
    # a coordinator by another title, a count after the role's place
    ("SSPF-koordinatorerna är två.", [("SSPF-koordinator", 2, None)]),
    ("Socialsekreterarna hos polisen är två. Den ena arbetar heltid och den andra 50 procent.",
     [("socialsekreterare", 2, None), ("socialsekreterare", 1, None), ("socialsekreterare", 1, None)]),
    # "de två ungdomspoliserna": a first mention counts, a second does not
    ("Socialsekreteraren samarbetar med de två ungdomspoliserna.", [("ungdomspolis", 2, None)]),
    ("Närpolisen har två ungdomspoliser. Socialsekreteraren samarbetar med de två ungdomspoliserna.",
     [("ungdomspolis", 2, None)]),
])
def test_titles_and_references(pipeline, body, expected):
    assert facts(pipeline, "Enköping", body) == expected


@pytest.mark.parametrize("body, expected", [
    # a table laid out with spaces
    ("Åtgärd                         Kostnad per år\nFältassistent, 0,5 tjänst         240 000 kr\n", []),
    # an item of a list of proposals
    ("Utredningen föreslår\n- att en fältassistent anställs på heltid från 2012-01-01,\n- att samverkan följs upp.", []),
    # a condition after "men"
    ("Kommunen ingår inte i arbetet, men om det sprids kan det bli aktuellt att inrätta en SIG-samordnare.", []),
    # people a room is shared with are no staffing
    ("Hon arbetar hos polisen två dagar i veckan och har ett rum som delas med en av ungdomsutredarna.", []),
])
def test_tables_lists_and_clauses(pipeline, body, expected):
    assert facts(pipeline, "Boden", body) == expected


@pytest.mark.parametrize("body", [
    "Hon arbetar hos polisen två dagar i veckan och samarbetar med en av ungdomsutredarna.",
    "Socialsekreteraren är på plats tisdagar och torsdagar och träffar där regelbundet tillsammans med två områdespoliser.",
])
def test_days_of_the_main_clause_stay_there(pipeline, body):
    # the days are the subject's, not those of the people the subject works with
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Boden kommun\n\n{body}\n")
    assert [s.days_per_week for s in rec.staffing if s.role in ("ungdomsutredare", "områdespolis")] == [None]


@pytest.mark.parametrize("body, expected", [
    # staff shared with a neighbouring municipality are ours too
    ("I lokalpolisområdet arbetar en kommunpolis för Ludvika och Smedjebacken.", [("kommunpolis", 1, None)]),
    # one for each place, count before the place
    ("Polisen har en områdespolis med särskilt ansvar för Grängesberg och en för Sunnansjö.",
     [("områdespolis", 1, "Grängesberg"), ("områdespolis", 1, "Sunnansjö")]),
    # a new clause with its own subject ends the fact's place
    ("En fältassistent finns i Grängesberg tisdagar och torsdagar, och Sunnansjö besöks varannan vecka.",
     [("fältassistent", 1, "Grängesberg")]),
])
def test_shared_staff_and_places_in_lists(pipeline, body, expected):
    assert facts(pipeline, "Ludvika", body) == expected


def test_an_ordinal_goes_on_counting_the_parts_of_a_group(pipeline):
    body = ("I lokalpolisområdet arbetar fyra områdespoliser. Två av områdespoliserna har Mora centrum och "
            "Färnäs som sina områden, den tredje Venjan och den fjärde Sollerön och Vika.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Mora kommun\n\n{body}\n")
    assert [(s.headcount, s.district) for s in rec.staffing] == [(4, None), (2, None), (1, "Venjan"), (1, None)]


def test_an_ordinal_of_a_list_of_points_is_no_part(pipeline):
    body = ("Ungdomsgruppen har fyra socialsekreterare. För det första är lokalerna trånga. "
            "Den tredje Sollerön-frågan gäller skolskjutsarna.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Mora kommun\n\n{body}\n")
    assert [(s.role, s.headcount) for s in rec.staffing] == [("socialsekreterare", 4)]


@pytest.mark.parametrize("body, expected", [
    # the verb before the role, an adverb before the count
    ("I Bergsjö finns en fältassistent. Sammantaget är fältassistenterna alltså fyra.",
     [("fältassistent", 1), ("fältassistent", 4)]),
    ("Fältassistenterna var vid årets slut fyra.", [("fältassistent", 4)]),
    ("Fältassistenterna är numera fem.", [("fältassistent", 5)]),
    ("Fältsekreterarna samarbetar med lokalpolisområdets områdespoliser, som för Vetlandas del är två till antalet.",
     [("områdespolis", 2)]),
    # a point in time after the count, or two of them: the later count holds
    ("Fältassistenterna var fyra vid årsskiftet. Två av dem arbetar i Bergsjö.",
     [("fältassistent", 4), ("fältassistent", 2)]),
    ("Fältsekreterarna var vid periodens början sex och vid periodens slut fem. Tre av dem har fast anställning.",
     [("fältsekreterare", 5), ("fältsekreterare", 3)]),
    # a time first, then the pronoun: the count of the staff named before
    ("Sedan i våras sitter socialsekreterare från ungdomsgruppen hos polisen. Vid årets slut var de tre.",
     [("socialsekreterare", 3)]),
])
def test_a_count_after_the_role_in_other_word_orders(pipeline, body, expected):
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Nordanstig kommun\n\n{body}\n")
    assert [(s.role, s.headcount) for s in rec.staffing] == expected


def test_days_said_of_the_field_unit_hold_for_its_staff(pipeline):
    body = ("Fältverksamheten\n\nI Bergsjö finns en fältassistent och i Harmånger arbetar ytterligare två. "
            "Kommunens SSPF-samordnare leder skolgrupperna.\n\nArbetstider\n\n"
            "Fältgruppens arbetstid är förlagd till tisdag–fredag.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Nordanstig kommun\n\n{body}\n")
    days = {(s.role, s.headcount): s.days_per_week.min if s.days_per_week else None for s in rec.staffing}
    assert days[("fältassistent", 1)] == 4 and days[("fältassistent", 2)] == 4
    assert all(d is None for (role, _), d in days.items() if role != "fältassistent")


@pytest.mark.parametrize("body, days", [
    # days in the part's own clause are the part's; days after the part's clause are the group's
    ("Mottagningen har sex socialsekreterare, varav två har sin arbetsplats i polishuset två dagar i veckan.",
     [(6, None), (2, 2.0)]),
    ("Fältgruppen, som består av fyra fältassistenter varav en på halvtid, arbetar tre kvällar i veckan.",
     [(4, 3.0), (1, 3.0)]),
    # the field work named as the subject: its days hold for the field staff
    ("Fältgruppen har tre fältsekreterare. Fältarbetet bedrivs i huvudsak fyra kvällar i veckan.", [(3, 4.0)]),
    ("Två fältare har Ekenäs som sitt område. Fältverksamheten arbetar kvällstid onsdag till lördag.", [(2, 4.0)]),
])
def test_whose_days_a_sentence_states(pipeline, body, days):
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Kristinehamn kommun\n\n{body}\n")
    assert [(s.headcount, s.days_per_week.min if s.days_per_week else None) for s in rec.staffing] == days


@pytest.mark.parametrize("body, expected", [
    # a role whose form may be one or many: a singular predicative makes it one
    ("Kommunens SIG-samordnare arbetar heltid och är placerad på kommunledningskontoret.", [("SIG-samordnare", 1)]),
    ("Socialsekreterare från ungdomsgruppen är stationerad i polishuset varje onsdag.", [("socialsekreterare", 1)]),
    ("Socialsekreterare från ungdomsgruppen är placerade i polishuset.", [("socialsekreterare", None)]),
    # a post shared by people: the people are the headcount
    ("Fältassistenterna arbetar kvällstid. Kommunens fältverksamhet består av en tjänst, som delas av två personer.",
     [("fältassistent", 2)]),
])
def test_one_or_many(pipeline, body, expected):
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Säffle kommun\n\n{body}\n")
    assert [(s.role, s.headcount) for s in rec.staffing] == expected


def test_what_is_said_of_all_of_a_role_under_a_district_heading_is_that_districts_fact(pipeline):
    body = ("Bemanning\n\nFörvaltningens fältassistenter är fem.\n\nBagarmossen\n\n"
            "Fältassistenterna är på plats tre kvällar i veckan och samarbetar med fritidsgården. "
            "Flera av de unga som polisen möter är redan kända av socialtjänsten.")
    rec = pipeline.extract_text(f"Tjänsteutlåtande\nSocialförvaltningen, Stockholms stad\n\n{body}\n")
    rows = [(s.role, s.headcount, s.district, s.days_per_week.min if s.days_per_week else None) for s in rec.staffing]
    assert rows == [("fältassistent", 5, None, None), ("fältassistent", None, "Bagarmossen", 3.0)]


@pytest.mark.parametrize("body, expected", [
    # a part after "men endast": the posts filled
    ("Fältverksamheten har fyra fältassistenttjänster men endast tre är tillsatta.",
     [("fältassistent", 4), ("fältassistent", 3)]),
    # people a room is shared with, and what happened on some occasions, are no staffing
    ("Fältassistenterna är fyra. De har delat ett kontorsrum med två poliser från ungdomsgruppen.", [("fältassistent", 4)]),
    ("Fältassistenterna är fyra. Vid fem tillfällen i juni fanns bara en fältassistent i tjänst.", [("fältassistent", 4)]),
    # who covered during a vacancy; a part told by how long they have worked (the whole is a fact)
    ("Fältassistenterna är fyra. Under vakansen täckte två socialsekreterare från mottagningen upp kvällspassen.",
     [("fältassistent", 4)]),
    ("Tre av mottagningens nio socialsekreterare har mindre än ett års erfarenhet.", [("socialsekreterare", 9)]),
    # on leave for something else; a post in another municipality
    ("Fältassistenterna är fyra. En fältassistent är tjänstledig för studier till och med juni.", [("fältassistent", 4)]),
    ("Fältassistenterna är fyra. I maj slutade en av dem för en tjänst i en annan kommun.", [("fältassistent", 4)]),
    # "den andra" before a verb of the work; "de två som återstår"
    ("Socialsekreterarna i polishuset är två: den ena har Tuna som område, medan den andra följer ärendena i centrum.",
     [("socialsekreterare", 2), ("socialsekreterare", 1), ("socialsekreterare", 1)]),
    ("Fältgruppen har fem fältsekreterare. Tre av dem har Tuna som sitt område. De två som återstår rör sig i centrum.",
     [("fältsekreterare", 5), ("fältsekreterare", 3), ("fältsekreterare", 2)]),
    # a need named as a noun, every municipality, a post withdrawn, a difference
    ("Fältassistenterna är fyra. Behovet av fältassistenter motsvarar ytterligare två tjänster.", [("fältassistent", 4)]),
    ("Fältassistenterna är fyra. Varje kommun i länet har en SSPF-samordnare.", [("fältassistent", 4)]),
    ("Fältassistenterna är fyra. Fram till 2015 fanns en femte fältassistent, men den tjänsten drogs in.",
     [("fältassistent", 4)]),
    ("Fältassistenterna är fyra. Under sommaren har gruppen haft en fältassistent mindre.", [("fältassistent", 4)]),
    ("Den fältassistent som arbetade i Bor slutade i maj, och tjänsten är vakant. Fältassistenterna är fyra.",
     [("fältassistent", 4)]),
    ("SSPF-samordnaren är anställd på heltid, varav hälften finansieras av skolan.", [("SSPF-samordnare", 1)]),
    # a need word in a phrase that says when staff are called in is no need
    ("En socialsekreterare sitter i polishuset. Därutöver deltar ytterligare en socialsekreterare vid förhör när det behövs.",
     [("socialsekreterare", 1), ("socialsekreterare", 1)]),
    # titles and employment before the role
    ("Ungdomsgruppen består av sex socialsekreterare och en förste socialsekreterare.",
     [("socialsekreterare", 6), ("socialsekreterare", 1)]),
    ("Tjänsten är nu tillsatt med en visstidsanställd fältassistent.", [("fältassistent", 1)]),
    # the youth outpatient care is part of the work; a time between the copula and the count
    ("I öppenvården arbetar två behandlare med unga som begått brott.", [("behandlare", 2)]),
    ("Fältassistenterna var under 2012 tre till antalet.", [("fältassistent", 3)]),
    # several full-time posts are people; one is mostly a measure
    ("Fältassistenterna arbetar kvällstid. Fältverksamheten har tre heltidstjänster.", [("fältassistent", 3)]),
    ("Fältassistenterna är fyra. Förvaltningen bedömer att det saknas underlag för en heltidstjänst.", [("fältassistent", 4)]),
    # the recruitment of someone is not yet staff; what holds when someone is there is no fact
    ("Fältassistenterna är fyra. Rekryteringen av en familjebehandlare är klar.", [("fältassistent", 4)]),
    ("Fältassistenterna är fyra. När en socialsekreterare finns på plats kan förhören hållas snabbare.",
     [("fältassistent", 4)]),
    # a school's staff; a motion's subject; a count judged not warranted; a second proposed "att"
    ("Fältassistenterna är fyra. De samverkar med högstadieskolans två kuratorer.", [("fältassistent", 4)]),
    ("Fältassistenterna är fyra. Förvaltningen bedömer att en socialsekreterare i polishuset inte är motiverad.",
     [("fältassistent", 4)]),
    ("Fältassistenterna är fyra. I en motion föreslås att kommunen anställer ytterligare två fältassistenter, "
     "och att en socialsekreterare placeras i polishuset.", [("fältassistent", 4)]),
    # a number that no longer holds
    ("Fältassistenterna är fyra. Fram till utgången av 2010 hade kommunen fem fältassistenter.", [("fältassistent", 4)]),
    ("Fältassistenterna är fyra. Arbetet startade som ett försök med två socialsekreterare i polishuset.",
     [("fältassistent", 4)]),
    # a part of the young people is no staff
    ("Fältassistenterna är fyra. Flera av de unga har kontakt med socialtjänsten sedan tidigare.",
     [("fältassistent", 4)]),
    ("Fältassistenterna är fyra. Tre av eleverna har varit aktuella hos polisen.", [("fältassistent", 4)]),
])
def test_parts_of_staff_and_of_others(pipeline, body, expected):
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Kungsbacka kommun\n\n{body}\n")
    assert [(s.role, s.headcount) for s in rec.staffing] == expected


def test_a_word_ending_in_a_unit_word_is_no_unit(pipeline):
    body = "Två socialsekreterare sitter i polishuset och har mer än fem års erfarenhet av ungdomsärenden."
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Vetlanda kommun\n\n{body}\n")
    assert [(s.headcount, s.unit) for s in rec.staffing] == [(2, None)]


@pytest.mark.parametrize("body, expected", [
    ("Kommunpolisen för Sandviken tillträdde i september.", [("kommunpolis", 1, None)]),
    # a role in the definite singular doing its part in the work is one person
    ("Polisen har lovat att patrullera fredagar och lördagar samt att kommunpolisen ska delta i föräldramötena.",
     [("kommunpolis", 1, None)]),
    ("Från polisens sida ingår kommunpolisen i SSPF-gruppen.", [("kommunpolis", 1, None)]),
    ("Lokalpolisområdet omfattar två kommuner, och kommunpolisen delar sin tid mellan dem.", [("kommunpolis", 1, None)]),
    ("Kuratorn deltar i SSPF-mötena varje vecka.", [("kurator", 1, 1.0)]),
    # named as a co-author, or saying something, it is no fact
    ("Förslaget har tagits fram tillsammans med kommunpolisen.", []),
    ("Kommunpolisen har framfört att en gemensam rutin behövs.", []),
    # counted before: the later mention adds nothing
    ("Lokalpolisområdet har en kommunpolis. Kommunpolisen deltar i styrgruppen.", [("kommunpolis", 1, None)]),
])
def test_one_person_at_work(pipeline, body, expected):
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Sandviken kommun\n\n{body}\n")
    assert [(s.role, s.headcount, s.days_per_week.min if s.days_per_week else None) for s in rec.staffing] == expected


def test_in_a_districts_own_report_a_police_building_in_the_town_leaves_the_districts_staff_its_own(pipeline):
    body = "Två av socialsekreterarna har arbetat i lokalpolisområdets lokaler i centrala Malmö två dagar i veckan."
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nStadsområdesförvaltning Söder, Malmö stad\n\n{body}\n")
    assert [(s.headcount, s.district) for s in rec.staffing] == [(2, "Söder")]


def test_people_counted_under_a_post_title_take_the_title_named_before_them(pipeline):
    body = ("I Farsta benämns tjänsten socionom hos polis och utgörs av en medarbetare som också arbetar "
            "som familjebehandlare.")
    rec = pipeline.extract_text(f"Tjänsteutlåtande\nSocialförvaltningen, Stockholms stad\n\n{body}\n")
    assert [(s.role, s.headcount, s.district) for s in rec.staffing] == [("socionom hos polis", 1, "Farsta")]


@pytest.mark.parametrize("body, expected", [
    # the pair is there on every weekday either of them is
    ("Två socialsekreterare arbetar hos polisen: den ena måndagar och tisdagar, den andra torsdagar.",
     [(2, 3.0), (1, 2.0), (1, 1.0)]),
    ("Ungdomsgruppen har sex socialsekreterare. Två av dem sitter i polishuset: den ena tisdagar, den andra "
     "tisdagar och fredagar.", [(6, None), (2, 2.0), (1, 1.0), (1, 2.0)]),
])
def test_parts_naming_their_weekdays(pipeline, body, expected):
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Tyresö kommun\n\n{body}\n")
    assert [(s.headcount, s.days_per_week.min if s.days_per_week else None) for s in rec.staffing] == expected


def test_one_of_a_group_counted_before_with_its_own_place_or_days_is_a_part(pipeline):
    body = ("Fältsekreterarna är fyra till antalet och arbetar kvällstid.\n\nBergsjön\n\n"
            "I Bergsjön är fältsekreteraren på plats två kvällar i veckan.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Göteborgs stad\n\n{body}\n")
    rows = [(s.role, s.headcount, s.district, s.days_per_week.min if s.days_per_week else None) for s in rec.staffing]
    assert rows == [("fältsekreterare", 4, None, None), ("fältsekreterare", 1, "Bergsjön", 2.0)]


@pytest.mark.parametrize("body, expected", [
    # one of the staff named by what they do, or as the other's colleague
    ("Fältverksamheten har två fältarbetare. Den som arbetar heltid har Kiruna C som område. "
     "Hennes kollega arbetar halvtid och ansvarar för byarna.",
     [("fältarbetare", 2), ("fältarbetare", 1), ("fältarbetare", 1)]),
    ("Fältverksamheten har två fältarbetare. Den ena utgår från fritidsgården. Kollegan rör sig i centralorten.",
     [("fältarbetare", 2), ("fältarbetare", 1), ("fältarbetare", 1)]),
    # "den som" of someone else is no part
    ("Fältverksamheten har två fältarbetare. Den som är misstänkt för brott ska höras skyndsamt.",
     [("fältarbetare", 2)]),
])
def test_one_named_by_what_they_do(pipeline, body, expected):
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Kiruna kommun\n\n{body}\n")
    assert [(s.role, s.headcount) for s in rec.staffing] == expected


def test_a_group_with_parts_in_two_districts_is_of_none(pipeline):
    body = ("Fältgruppen består av fyra fältassistenter. Tre av dem är anställda av Bromma stadsdelsförvaltning "
            "och den fjärde, som är anställd av Hässelby-Vällingby stadsdelsförvaltning, arbetar på halvtid i gruppen.")
    rec = pipeline.extract_text(f"Tjänsteutlåtande\nBromma stadsdelsförvaltning\n\n{body}\n")
    assert [(s.headcount, s.district) for s in rec.staffing] == [(4, None), (3, "Bromma"), (1, "Hässelby-Vällingby")]


def test_a_group_one_part_of_which_is_placed_in_the_headings_district_is_not_all_there(pipeline):
    body = ("Verksamheten i Vivalla\n\nI Vivalla finns en SIG-samordnare på heltid. Fältgruppen, som har fyra "
            "fältassistenter varav en är stationerad i Vivalla, deltar i det uppsökande arbetet.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Örebro kommun\n\n{body}\n")
    assert [(s.role, s.headcount, s.district) for s in rec.staffing] == [
        ("SIG-samordnare", 1, "Vivalla"), ("fältassistent", 4, None), ("fältassistent", 1, "Vivalla")]


@pytest.mark.parametrize("body, days", [
    # the days of a clause whose subject is the whole group are the group's
    ("Fältgruppen består av fem fältassistenter. Två av dem arbetar mest i Brandbergen, och gruppen "
     "är ute torsdag och fredag kväll.", [2.0, 2.0]),
    ("Fältgruppen består av fem fältassistenter. Två av dem arbetar mest i Brandbergen, men samtliga "
     "arbetar kvällstid tre kvällar i veckan.", [3.0, 3.0]),
    # the part's own days are the part's
    ("Fältgruppen består av fem fältassistenter. Två av dem arbetar torsdag och fredag kväll.", [None, 2.0]),
])
def test_days_of_the_whole_group_in_a_parts_sentence(pipeline, body, days):
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Haninge kommun\n\n{body}\n")
    assert [s.days_per_week.min if s.days_per_week else None for s in rec.staffing] == days


def test_the_members_of_a_group_listed_after_its_verb(pipeline):
    body = ("Samverkansgruppen träffas på polisstationen varannan tisdag. I den ingår från socialtjänstens sida "
            "två socialsekreterare och kommunens fältassistent, och från polisens sida närpolischefen och en "
            "av områdespoliserna.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Nora kommun\n\n{body}\n")
    assert [(s.role, s.headcount, s.days_per_week.min if s.days_per_week else None) for s in rec.staffing] == [
        ("socialsekreterare", 2, 0.5), ("fältassistent", 1, 0.5), ("närpolischef", 1, 0.5), ("områdespolis", 1, 0.5)]


@pytest.mark.parametrize("body", [
    "Socialsekreteraren deltar i möten med rektorn och kuratorn.",
    "Kommunens fältassistent deltog i mötet i fjol.",
])
def test_no_member_at_work(pipeline, body):
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Nora kommun\n\n{body}\n")
    assert all(s.role not in ("kurator", "fältassistent") for s in rec.staffing)


def test_a_title_and_its_subtitle_name_a_topic(pipeline):
    text = ("Kristinehamns kommun\nSocialförvaltningen\n\nTrygghet i centrum\nUtredning om en fältsekreterare med "
            "placering hos polisen\n\n1. Bakgrund\n\nKommunen har i dag två fältsekreterare.\n")
    rec = pipeline.extract_text(text)
    assert [(s.role, s.headcount) for s in rec.staffing] == [("fältsekreterare", 2)]


def test_a_part_under_a_heading_of_its_own_is_of_the_group_its_section_names(pipeline):
    text = ("Tjänsteskrivelse\nSocialförvaltningen, Kalmar kommun\n\nSammanfattning\n\n"
            "Sedan mars har två kuratorer haft sin arbetsplats hos polisen.\n\nVerksamhetens innehåll\n\n"
            "Kuratorerna har arbetat tisdag och torsdag hos polisen. Den ena tjänsten är en "
            "tillsvidareanställning, den andra är en projektanställning.\n")
    rec = pipeline.extract_text(text)
    assert [(s.role, s.headcount) for s in rec.staffing] == [("kurator", 2), ("kurator", 1), ("kurator", 1)]


@pytest.mark.parametrize("body, expected", [
    # "en annan": one more of the staff just counted, in its own place
    ("Arbetet i Matfors sköts av en fältassistent, i Kovland av en annan.",
     [("fältassistent", 1, "Matfors"), ("fältassistent", 1, "Kovland")]),
    ("Orsaken till förseningen är en annan.", []),
    # "Tillsammans utgör de …": the staff the sentence before counted, summed
    ("En fältassistent arbetar i Matfors och två i Kovland. Tillsammans utgör de kommunens fältgrupp.",
     [("fältassistent", 1, "Matfors"), ("fältassistent", 2, "Kovland"), ("fältassistent", 3, None)]),
    # … not where the sentence before counted a group and its part, or several roles
    ("Fältgruppen har tre fältassistenter, varav en i Kovland. Tillsammans utgör de kommunens fältgrupp.",
     [("fältassistent", 3, None), ("fältassistent", 1, "Kovland")]),
    ("Där arbetar en kurator och två fältassistenter. Tillsammans utgör de ett team.",
     [("kurator", 1, None), ("fältassistent", 2, None)]),
])
def test_one_more_and_the_sum_of_those_counted(pipeline, body, expected):
    assert facts(pipeline, "Sundsvall", body) == expected


@pytest.mark.parametrize("body, expected", [
    # "av dem" first, the count after the verb
    ("Fältgruppen har tre fältsekreterare. Av dem har en Kovland som sitt område.",
     [("fältsekreterare", 3, None), ("fältsekreterare", 1, "Kovland")]),
    # a field unit's posts shared by people: the field workers' role the document names,
    # though no fact of theirs was stated
    ("Den fältassistent som arbetade i Kovland slutade i maj.\n\nPolisen har två områdespoliser. "
     "Kommunens fältverksamhet består av en tjänst, som delas av två personer på halvtid.",
     [("områdespolis", 2, None), ("fältassistent", 2, None)]),
])
def test_parts_and_posts_of_a_field_unit(pipeline, body, expected):
    assert facts(pipeline, "Sundsvall", body) == expected


def test_a_coordinated_subject_completes_each_of_its_roles(pipeline):
    body = ("Arbetet bemannas med en SIG-samordnare och två kuratorer. Samordnaren och kuratorerna kommer att "
            "ha sin arbetsplats hos polisen två dagar i veckan.")
    rec = pipeline.extract_text(f"Tjänsteskrivelse\nSocialförvaltningen, Kalmar kommun\n\n{body}\n")
    assert [(s.role, s.headcount, s.days_per_week.min if s.days_per_week else None) for s in rec.staffing] == [
        ("SIG-samordnare", 1, 2.0), ("kurator", 2, 2.0)]


def test_the_one_person_a_section_headed_by_the_role_speaks_of(pipeline):
    text = ("Tjänsteskrivelse\nSocialförvaltningen, Kalmar kommun\n\nBakgrund\n\n"
            "Sedan i höstas är en kurator från ungdomsgruppen placerad hos polisen.\n\n"
            "Kurator hos polisen\n\n"
            "Kuratorn är projektanställd till och med december. Hon arbetar på polisstationen två dagar i veckan "
            "och samarbetar med en av ungdomsutredarna.\n")
    rec = pipeline.extract_text(text)
    kurator = [(s.headcount, s.days_per_week.min if s.days_per_week else None) for s in rec.staffing if s.role == "kurator"]
    assert kurator == [(1, None), (1, 2.0)]
