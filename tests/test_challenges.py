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


def test_the_fields_of_a_form_before_the_sentence_are_not_in_its_span(extract):
    text = ("Ärendet\n\nDnr SN 2022/118\nFöredragande: utvecklingsledare Eva Lind\nDet har varit svårt att "
            "rekrytera socialsekreterare till mottagningen.\n")
    (c,) = extract(text).challenges
    assert c.span.text == "Det har varit svårt att rekrytera socialsekreterare till mottagningen."


def test_a_table_laid_out_in_columns_is_no_statement(extract):
    text = ("Bemanning\n\nTabellen visar läget i september.\n\n"
            "  Funktion                    Tjänster   Kommentar\n"
            "  Fältassistenter                  4,0   en vakant sedan maj\n"
            "  Kurator vid polisstationen       0,5   svårt att rekrytera\n\n"
            "Det har varit svårt att rekrytera en kurator till polisstationen.\n")
    (c,) = extract(text).challenges
    assert c.span.text == "Det har varit svårt att rekrytera en kurator till polisstationen."


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
    "Utredningen pekar på tre problem.",
    # an assignment names what to look into, it states no problem: a bracketed list or a
    # list of infinitives goes on with the same purpose
    "I uppdraget ingick att kartlägga arbetet inom SSP (skola, socialtjänst och polis), att jämföra "
    "två modeller samt att beskriva hinder och kostnader.",
    "Uppdraget är att redovisa problem och möjligheter med en gemensam lokal.",
    # the items of a list of proposals
    "Förvaltningen föreslår\n– att den vakanta tjänsten tillsätts för att minska personalomsättningen,\n"
    "– att lokalerna byggs om så att samtalsrummen räcker.",
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


# ---------------------------------------------------------------------------------------
# Mentions that state no problem. Written for these tests, one row per kind of mention.

@pytest.mark.parametrize("text", [
    # purpose clauses: the problem is what an action aims at
    "För att möta utmaningarna har förvaltningen anställt ytterligare en samordnare.",
    "Syftet är att minska personalomsättningen inom barn- och ungdomsenheten.",
    "Insatsen syftar till att förebygga problem i skolan och på fritiden.",
    "Satsningen genomförs i syfte att undanröja hinder för samverkan mellan myndigheterna.",
    "Medlen används för att åtgärda bristerna i lokalerna under våren.",
    "Arbetsgruppen har bildats för att hantera svårigheterna kring informationsutbytet.",
    "Förvaltningen vill på så sätt motverka den höga personalomsättningen.",
    "Syftet med projektet är att komma till rätta med bristen på kontaktfamiljer.",
    # goals
    "Målet är att förbättra samordningen mellan socialtjänsten och polisen.",
    "Målsättningen är att korta handläggningstiderna till under fyra veckor.",
    "Målet är att ingen ungdom ska sakna en kontaktperson.",
    "Målet för 2025 är att minska svårigheterna att rekrytera.",
    # headings and labels
    "4.2 Svårigheter i samverkan",
    "Hinder för samverkan mellan myndigheterna",
    "Problem och utmaningar i det gemensamma arbetet",
    "3. Svårigheter och lärdomar från försöket",
    # "utmaningar" named without stating one
    "Utmaningar och möjligheter beskrivs nedan.",
    "Nedan redovisas de utmaningar som arbetsgruppen har identifierat.",
    "Förvaltningen har identifierat flera utmaningar i arbetet.",
    "Det finns vissa svårigheter som beskrivs i nästa avsnitt.",
    "Rapporten pekar på några problem som behöver åtgärdas.",
    "De största hindren sammanfattas i följande punkter:",
    "Arbetsgruppen ser ett antal utmaningar inför nästa år.",
    "De viktigaste svårigheterna har varit följande.",
    # proposals and decisions
    "Förvaltningen föreslår att nämnden avsätter medel för att lösa bristen på lokaler.",
    "Nämnden beslutar att låta kontoret utreda problemen med handläggningstiderna.",
    "Socialnämnden föreslås godkänna en åtgärdsplan för att minska bristen på socialsekreterare.",
    "Kommunstyrelsen uppdrar åt kontoret att utarbeta en plan för svårigheterna kring sekretessen.",
    "Förvaltningen avser att åtgärda de brister som revisionen har påtalat.",
    # questions
    "Hur ska bristen på lokaler lösas?",
    "Finns det svårigheter att rekrytera socialsekreterare till tjänsterna?",
    "Vilka hinder ser ni för en utökad samverkan?",
    # denied or falling
    "Det har inte funnits några problem med lokalerna under året.",
    "Sekretessen har inte utgjort något hinder för samarbetet.",
    "Personalomsättningen har minskat och är nu låg.",
    "Personalomsättningen har inte varit hög under året.",
    "Sjukfrånvaron har sjunkit till 6,1 procent.",
    "Lagen hindrar inte att socialtjänsten informerar polisen i akuta lägen.",
    "Samverkan med polisen har fungerat väl och inga hinder har uppstått.",
    "Verksamheten har inte haft några svårigheter att bemanna passen.",
    "Enheten har inte haft några kostnader för inhyrd personal i år.",
    # the target group, not the work
    "Insatsen vänder sig till unga som saknar sysselsättning och har svårt att hitta arbete.",
    "Målgruppen är familjer som har svårigheter att ta emot stöd från socialtjänsten.",
    "Arbetet riktar sig till barn med beteendeproblem och deras föräldrar.",
    "Tidigt stöd kan ge hjälp innan problemen har vuxit sig stora.",
    "Enligt offentlighets- och sekretesslagen får uppgifter lämnas ut om det finns risk för att den unge begår nya brott.",
    "Stödet riktar sig till ungdomar som riskerar att dras in i brott.",
    "Anmälningar om oro för barn tas emot av mottagningsgruppen.",
    "Ett begränsat antal personer begår merparten av inbrotten i stadsdelen.",
    # report names, pointers, money figures
    "Rapport om ej verkställda biståndsbeslut under andra kvartalet",
    "De mål som inte nås redovisas närmare i bilaga 2.",
    "Helårsprognosen visar ett underskott på 4,2 mnkr.",
    "Satsningen finansieras genom att en vakant handläggartjänst dras in.",
])
def test_a_mention_is_not_a_challenge(extract, text):
    assert challenges(extract(text)) == []


# ---------------------------------------------------------------------------------------
# Stated problems in varied wording, with their category. Written for these tests.

@pytest.mark.parametrize("text,category", [
    ("Personalomsättningen i mottagningsgruppen har varit hög under året.", "personalomsättning"),
    ("Tre av sju handläggare har slutat sedan i våras.", "personalomsättning"),
    ("En av tjänsterna har stått vakant sedan augusti.", "personalomsättning"),
    ("Det har varit svårt att behålla erfarna socialsekreterare i gruppen.", "personalomsättning"),
    ("Det finns en risk att medarbetarna väljer att sluta när projektet avslutas.", "personalomsättning"),
    ("Lokalerna på polisstationen är trånga och saknar samtalsrum.", "lokaler"),
    ("Socialsekreteraren har inget eget arbetsrum hos polisen.", "lokaler"),
    ("Rummen i polishuset är inte anpassade för besök av barn.", "lokaler"),
    ("Frågan om lokaler är fortfarande inte löst.", "lokaler"),
    ("Handläggarna är osäkra på vilka uppgifter de får lämna ut till skolan.", "sekretess"),
    ("Sekretessreglerna upplevs som svåra att tolka när ett ärende är brådskande.", "sekretess"),
    ("Oklarheter kring sekretessen gör att information sällan delas mellan myndigheterna.", "sekretess"),
    ("Sekretessen gör det svårt att dela information med skolan.", "sekretess"),
    ("Två dagar i veckan räcker inte för att hinna med alla ärenden.", "resurser"),
    ("Kostnaden för tjänsten ryms inte i nämndens budget.", "resurser"),
    ("Arbetsbelastningen i gruppen är mycket hög.", "resurser"),
    ("Projektet saknar finansiering efter juni nästa år.", "resurser"),
    ("Socialsekreterarna hinner inte följa upp alla ärenden.", "resurser"),
    ("Underskottet förklaras främst av ökade kostnader för familjehem.", "resurser"),
    ("Handläggningstiderna för förhandsbedömningar har blivit längre under hösten.", "handläggningstider"),
    ("Tidsfristen på fyra månader överskreds i var tredje utredning.", "handläggningstider"),
    ("Yttrandena till åklagaren har vid flera tillfällen försenats.", "handläggningstider"),
    ("Det tar för lång tid innan familjen får en första kontakt med socialtjänsten.", "handläggningstider"),
    ("Väntetiderna till öppenvården är fortsatt långa.", "handläggningstider"),
    ("Rollfördelningen mellan fältassistenterna och socialsekreterarna är oklar.", "organisation/roll"),
    ("Gränsdragningen mot avhopparverksamheten är fortfarande otydlig.", "organisation/roll"),
    ("Det är oklart vem som ska ansvara för uppföljningen efter projekttiden.", "organisation/roll"),
    ("Arbetstiderna har varit svåra att samordna med polisens scheman.", "samordning"),
    ("Polisen och socialtjänsten har olika syn på när samverkan ska inledas.", "samordning"),
    ("Stadsdelarna arbetar på olika sätt, vilket försvårar en gemensam uppföljning.", "samordning"),
    ("Polisen har ännu inte kunnat avsätta en fast kontaktperson.", "samordning"),
    ("Samverkan är i hög grad beroende av enskilda personer.", "samordning"),
    ("Många nyanställda saknar erfarenhet av ungdomsärenden.", "kompetens"),
    ("Kunskapen om den nya lagen behöver spridas till fler medarbetare.", "kompetens"),
    ("Det finns en brist på utbildade familjebehandlare i kommunen.", "kompetens"),
    ("Det har saknats en fast kontaktperson hos polisen under hösten.", "samordning"),
    ("Det finns ingen gemensam planering för insatserna kring de unga.", "samordning"),
    ("Rollerna behöver också tydliggöras i den nya överenskommelsen.", "organisation/roll"),
    ("Verksamheten är sårbar eftersom den bygger på en enda person.", "annat"),
    ("Det har visat sig svårt att nå familjerna under sommaren.", "annat"),
    # reaching the case-management system is an IT problem, though the premises are named
    ("Det går inte att nå verksamhetssystemet från polisens lokaler.", "annat"),
])
def test_a_stated_problem_in_varied_wording(extract, text, category):
    assert challenges(extract(text)) == [category]


@pytest.mark.parametrize("text,expected", [
    # a consequence told in a "vilket" clause belongs to its problem
    ("Socialsekreteraren saknar ett eget samtalsrum, vilket försvårar samtal med familjerna.", ["lokaler"]),
    # "mellan X och Y" joins two nouns: no second problem after its "och"
    ("Det finns en risk att ansvarsfördelningen mellan fältgruppen och mottagningen blir otydlig.",
     ["organisation/roll"]),
    # a problem with its detail of the same kind stays one
    ("Vi har haft svårt att rekrytera nya handläggare, och två tjänster är fortfarande vakanta.",
     ["personalomsättning"]),
    # a noun that only names its subject's kind is no second problem
    ("Bristen på lokaler var under våren och sommaren en av de största utmaningarna.", ["lokaler"]),
    # a list of parallel "att" clauses: one problem each
    ("Orsakerna är att det saknas lokaler, att handläggningstiderna är långa och att sekretessen "
     "försvårar informationsutbytet.", ["lokaler", "handläggningstider", "sekretess"]),
    # an announcement that goes on to say what the problems are states them
    ("Arbetsgruppen ser några svårigheter, främst i fråga om lokaler och sekretess.", ["lokaler"]),
    ("Rapporten pekar på flera svårigheter: lokalerna är trånga och personalomsättningen är hög.",
     ["lokaler", "personalomsättning"]),
    # a measure taken before the problem is no problem of its own
    ("Förvaltningen har tagit fram en ny rutin, men kunskapen om rutinen behöver spridas.", ["kompetens"]),
    ("Lokalen i skolan är för liten och kuratorerna har inte tid att delta i mötena.", ["lokaler", "resurser"]),
])
def test_how_a_sentence_parts_into_problems(extract, text, expected):
    assert challenges(extract(text)) == expected
