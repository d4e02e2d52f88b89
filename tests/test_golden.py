"""Whole documents against their hand annotations.

Every annotated document of the seed corpus (annotations/) and of the development set
(annotations/dev/) is extracted and compared with its gold, field by field and item by
item, with the matching rules of ``namnd eval`` (pipeline/evaluate.py). What the pipeline
still gets wrong is listed in tests/golden/known_differences.json: per document and
field, the gold items it misses and the items it adds. The file is kept by hand: a change
that fixes an item, or breaks one, fails this test until the file says so, so every
change of the output is a visible, reviewed line, measured against the truth and never
against the pipeline's own earlier output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evaluate import differences, load_annotations

ROOT = Path(__file__).resolve().parents[1]
KNOWN = Path(__file__).resolve().parent / "golden" / "known_differences.json"
SETS = ((ROOT / "annotations", ROOT / "corpus", ""), (ROOT / "annotations" / "dev", ROOT / "corpus" / "dev", "dev/"))
GOLDS = [(prefix + gold["document"], corpus / gold["document"], gold)
         for annotations, corpus, prefix in SETS for gold in load_annotations(annotations)]


def _key(item) -> str:
    return json.dumps(item, ensure_ascii=False, sort_keys=True)


def _as_sets(diff: dict) -> dict:
    return {field: {side: sorted(map(_key, items)) for side, items in sides.items() if items}
            for field, sides in diff.items()}


@pytest.fixture(scope="module")
def known() -> dict:
    return json.loads(KNOWN.read_text(encoding="utf-8"))


def test_every_seed_document_is_compared():
    names = {name for name, _, _ in GOLDS}
    assert {"000_c03b254d8a1ffbd1.txt", "001_46e52080158721e0.txt", "002_a6dff680f92bb0b7.txt",
            "003_82a5e966af9e9f59.txt", "004_fbc38fc54b4e3b7b.txt"} <= names
    assert sum(name.startswith("dev/") for name in names) >= 40


def test_the_known_differences_name_only_annotated_documents(known):
    assert set(known) <= {name for name, _, _ in GOLDS}


@pytest.mark.parametrize("name, path, gold", GOLDS, ids=[name for name, _, _ in GOLDS])
def test_document_against_its_gold(pipeline, known, name, path, gold):
    now = _as_sets(differences(gold, pipeline.extract_file(path)))
    expected = _as_sets(known.get(name, {}))
    lines = []
    for field in sorted(set(now) | set(expected)):
        for side in ("missing", "extra"):
            got, want = set(now.get(field, {}).get(side, [])), set(expected.get(field, {}).get(side, []))
            lines += [f"  {field} {side}, newly: {x}" for x in sorted(got - want)]
            lines += [f"  {field} {side} no longer (remove it from known_differences.json): {x}"
                      for x in sorted(want - got)]
    assert not lines, f"{name} differs from its gold otherwise than known_differences.json says:\n" + "\n".join(lines)
