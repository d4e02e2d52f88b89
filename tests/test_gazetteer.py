"""The place gazetteers checked against each other: the police areas of
``places/lpos.json`` against the municipalities of ``places/municipalities.tsv`` and the
districts of ``places/districts.json``, read through the project's own loaders."""

from __future__ import annotations

import pytest

from pipeline.finders.places import load_gazetteer
from pipeline.resources import load_json, load_tsv

LPO_KIND = "lokalpolisområde"
FORMER_KINDS = {"närpolisområde", "polismästardistrikt"}


def lpos() -> list[dict]:
    return load_json("places/lpos.json")["lpos"]


def current() -> list[dict]:
    return [e for e in lpos() if e["kind"] == LPO_KIND and e["valid_to"] is None]


def municipalities() -> list[str]:
    return [row["name"] for row in load_tsv("places/municipalities.tsv")]


def current_lpos_of(municipality: str) -> set[str]:
    return {e["name"] for e in current() if municipality in e["municipalities"]}


def test_there_are_290_municipalities():
    names = municipalities()
    assert len(names) == len(set(names)) == 290


def test_every_entry_has_a_known_kind_and_the_existing_keys():
    keys = {"name", "region", "polisomrade", "municipalities", "districts", "aliases", "verified",
            "coverage_verified", "valid_from", "valid_to", "predecessors", "successors"}
    for e in lpos():
        assert keys <= e.keys(), e["name"]
        assert e["kind"] in {LPO_KIND} | FORMER_KINDS, e["name"]


def test_every_municipality_belongs_to_a_current_lpo():
    covered = {m for e in current() for m in e["municipalities"]}
    assert [m for m in municipalities() if m not in covered] == []


def test_lpo_municipalities_are_municipalities():
    known = set(municipalities())
    assert [(e["name"], m) for e in lpos() for m in e["municipalities"] if m not in known] == []


def test_every_lpo_entry_names_a_source():
    assert [e["name"] for e in lpos() if not (e.get("source") or "").strip()] == []


def test_lpo_districts_are_canonical_district_names():
    districts = {d["name"] for d in load_json("places/districts.json")["districts"]}
    assert [(e["name"], d) for e in lpos() for d in e["districts"] if d not in districts] == []


def test_no_two_current_lpos_share_a_name_or_alias():
    owner: dict[str, str] = {}
    clashes = []
    for e in current():
        for form in {e["name"], *e["aliases"]}:
            if form in owner and owner[form] != e["name"]:
                clashes.append((form, owner[form], e["name"]))
            owner.setdefault(form, e["name"])
    assert clashes == []


def _descendants(name: str, by_name: dict[str, list[dict]]) -> set[str]:
    seen: set[str] = set()
    todo = [s for e in by_name.get(name, []) for s in e["successors"]]
    while todo:
        n = todo.pop()
        if n not in seen:
            seen.add(n)
            todo += [s for e in by_name.get(n, []) for s in e["successors"]]
    return seen


def test_aliases_never_equal_another_entrys_name():
    """An alias may only repeat the name of a former area the aliased entry descends from
    (the närpolisområde Rinkeby before LPO Järva, once called LPO Rinkeby)."""
    by_name: dict[str, list[dict]] = {}
    for e in lpos():
        by_name.setdefault(e["name"], []).append(e)
    clashes = []
    for e in lpos():
        for alias in e["aliases"]:
            for other in by_name.get(alias, []):
                if other is e:
                    continue
                if other["valid_to"] is not None and e["name"] in _descendants(other["name"], by_name):
                    continue
                clashes.append((e["name"], alias))
    assert clashes == []


def test_every_former_entry_has_an_end_date():
    former = [e for e in lpos() if e["kind"] in FORMER_KINDS or e["valid_to"] is not None]
    assert former
    assert [e["name"] for e in former if not e["valid_to"]] == []
    assert [e["name"] for e in lpos() if e["kind"] in FORMER_KINDS and e["valid_to"] > "2014-12-31"] == []


def test_predecessors_and_successors_name_entries():
    names = {e["name"] for e in lpos()}
    assert [(e["name"], n) for e in lpos() for n in e["predecessors"] + e["successors"] if n not in names] == []


def test_a_current_name_resolves_to_the_current_entry():
    """The finder keeps the first entry of a name: a current LPO must come before a former
    area of the same name."""
    g = load_gazetteer()
    for e in current():
        for form in {e["name"], *e["aliases"]}:
            assert g.lpos[form]["name"] == e["name"], form


@pytest.mark.parametrize("municipality,lpo", [
    ("Lessebo", "Nybro"),
    ("Tingsryd", "Nybro"),
    ("Uppvidinge", "Nybro"),
    ("Svalöv", "Klippan"),
    ("Örkelljunga", "Ängelholm"),
    ("Säffle", "Arvika"),
    ("Trollhättan", "Östra Fyrbodal"),
    ("Vänersborg", "Östra Fyrbodal"),
    ("Lilla Edet", "Östra Fyrbodal"),
    ("Färgelanda", "Östra Fyrbodal"),
    ("Åmål", "Östra Fyrbodal"),
    ("Härnösand", "Södra Ångermanland"),
    ("Kramfors", "Södra Ångermanland"),
    ("Örnsköldsvik", "Norra Ångermanland"),
    ("Sundsvall", "Medelpad"),
    ("Timrå", "Medelpad"),
    ("Boden", "Luleå/Boden"),
    ("Luleå", "Luleå/Boden"),
    ("Håbo", "Enköping/Håbo"),
    ("Strängnäs", "Eskilstuna/Strängnäs"),
    ("Laholm", "Halmstad/Laholm"),
    ("Hylte", "Falkenberg"),
    ("Knivsta", "Uppsala/Knivsta"),
    ("Jönköping", "Södra Vätterbygden"),
    ("Arjeplog", "Piteå älvdal"),
    ("Bromölla", "Karlshamn"),
    ("Olofström", "Karlshamn"),
    ("Ronneby", "Karlskrona"),
    ("Hällefors", "Karlskoga"),
    ("Upplands-Bro", "Järfälla"),
    ("Sundbyberg", "Solna"),
    ("Öckerö", "Storgöteborg Hisingen"),
    ("Kungälv", "Storgöteborg Kungälv-Ale"),
])
def test_municipality_belongs_to_its_lpo(municipality, lpo):
    assert current_lpos_of(municipality) == {lpo}


@pytest.mark.parametrize("alias,lpo", [
    ("Luleå-Boden", "Luleå/Boden"),
    ("Enköping-Håbo", "Enköping/Håbo"),
    ("Enköping–Håbo", "Enköping/Håbo"),
    ("Eskilstuna och Strängnäs", "Eskilstuna/Strängnäs"),
    ("Halmstad-Laholm", "Halmstad/Laholm"),
    ("Uppsala-Knivsta", "Uppsala/Knivsta"),
    ("Rinkeby", "Järva"),
    ("Falkenberg/Hylte", "Falkenberg"),
    ("Kungälv-Ale", "Storgöteborg Kungälv-Ale"),
    ("Piteå Älvdal", "Piteå älvdal"),
])
def test_written_variants_resolve_to_the_lpo(alias, lpo):
    assert load_gazetteer().lpos[alias]["name"] == lpo


def test_trollhattan_is_not_an_lpo_name():
    forms = {f for e in lpos() for f in (e["name"], *e["aliases"])}
    assert "Trollhättan" not in forms
    assert "Trollhättan" not in load_gazetteer().lpos


def test_goteborg_city_serves_orgryte_harlanda():
    (city,) = [e for e in current() if e["name"] == "Storgöteborg City"]
    assert {"Centrum", "Majorna-Linné", "Örgryte-Härlanda"} <= set(city["districts"])


def test_globen_serves_enskede_arsta_vantor_skarpnack_and_alvsjo():
    (globen,) = [e for e in current() if e["name"] == "Globen"]
    assert set(globen["districts"]) == {"Enskede-Årsta-Vantör", "Skarpnäck", "Älvsjö"}


def test_malmo_stadsomraden_ended_2017_04_30():
    ended = {d["name"]: d["valid_to"] for d in load_json("places/districts.json")["districts"]
             if d["municipality"] == "Malmö" and d["kind"] == "stadsområde"}
    assert ended == dict.fromkeys(["Innerstaden", "Norr", "Söder", "Väster", "Öster"], "2017-04-30")
