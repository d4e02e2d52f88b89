"""Police areas named in every form, against a table written blind.

``tests/data/lpo_forms.jsonl`` (see tests/data/FORMS.md) gives a sentence, the document's
municipality and the police areas an annotator reads in it, each by the name the text
writes and whether it is a real area. A name the text writes is compared with the record
through the gazetteer: "Nordost" in a Göteborg report is LPO Storgöteborg Nordost, "LPO
Rinkeby" is LPO Järva. An area the gazetteer does not know is kept as written and marked
unknown.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.finders.police_areas import default_police_area_finder

TABLE = Path(__file__).resolve().parent / "data" / "lpo_forms.jsonl"
ITEMS = [json.loads(line) for line in TABLE.read_text(encoding="utf-8").splitlines() if line.strip()]


def expected(item: dict) -> set[tuple[str, bool]]:
    finder = default_police_area_finder()
    text = item["text"].casefold()
    # the kind of area the sentence names: a närpolisområde and a later LPO of one name differ
    kind = "närpolisområde" if "närpolis" in text else (
        "polismästardistrikt" if "polismästardistrikt" in text else "lokalpolisområde")
    out = set()
    for area in item["lpos"]:
        entry = finder.resolve(area["name"], kind, item.get("municipality")) if area["known"] else None
        out.add(((entry["name"] if entry else area["name"]).casefold(), area["known"]))
    return out


def test_the_table_is_large_and_varied():
    assert len(ITEMS) >= 60
    assert sum(1 for i in ITEMS if not i["lpos"]) >= 15
    assert sum(1 for i in ITEMS for a in i["lpos"] if not a["known"]) >= 12


@pytest.mark.parametrize("item", ITEMS, ids=[i["id"] for i in ITEMS])
def test_police_area_form(pipeline, item):
    document = (f"{item['municipality']} kommun\n\n" if item.get("municipality") else "") + item["text"] + "\n"
    record = pipeline.extract_text(document)
    found = {(lpo.name.casefold(), lpo.known) for lpo in record.lpos}
    assert found == expected(item), item["text"]
    for lpo in record.lpos:
        for mention in lpo.mentions:
            assert record.text[mention.start:mention.end] == mention.text
        if not lpo.known:
            assert any(lpo.name in w for w in record.warnings)
