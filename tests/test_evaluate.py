"""The scorer of ``namnd eval`` (pipeline/evaluate.py) on predictions whose scores are
known: a prediction equal to the gold, an empty prediction, and hand-made mixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models import (Challenge, DaysPerWeek, District, LawCitation, Lpo, Metadata, Record, Section, Source, Span,
                    Staffing)
from pipeline.evaluate import (Report, Score, corpus_for, evaluate, heading_key, load_annotations, load_manifest,
                               same_role, score_document)

REPO = Path(__file__).resolve().parents[1]
GOLD_FILES = [path for folder in (REPO / "annotations", REPO / "annotations" / "dev", REPO / "annotations" / "holdout")
              for path in sorted(folder.glob("*.json"))]


def _span(text: str = "x") -> Span:
    return Span(start=0, end=len(text), text=text, page=None)


def record_from_gold(gold: dict) -> Record:
    """The record a perfect pipeline would give for ``gold``."""
    m = gold.get("metadata", {})
    return Record(
        id="0" * 64, source=Source(path=gold["document"], format="text", pages=gold.get("pages")),
        metadata=Metadata(**{k: m.get(k) for k in ("title", "date", "namnd", "forvaltning", "municipality")},
                          diarienummer=m.get("diarienummer", []), handlaggare=m.get("handlaggare", [])),
        text="x",
        sections=[Section(heading=s["heading"], level=s["level"], start=0, end=0, page=s.get("page"))
                  for s in gold.get("sections", [])],
        districts=[District(name=d["name"], mentions=[_span()]) for d in gold.get("districts", [])],
        lpos=[Lpo(name=l["name"], districts=l.get("districts", []), mentions=[_span()]) for l in gold.get("lpos", [])],
        law_citations=[LawCitation(span=_span(c["quote"]), **{k: c.get(k) for k in (
            "law", "sfs", "chapter", "chapter_end", "section", "section_end", "paragraph", "point")})
            for c in gold.get("law_citations", [])],
        staffing=[Staffing(district=s.get("district"), lpo=s.get("lpo"), role=s.get("role"),
                           headcount=s.get("headcount"),
                           days_per_week=DaysPerWeek(**s["days_per_week"]) if s.get("days_per_week") else None,
                           span=_span(s["quote"])) for s in gold.get("staffing", [])],
        challenges=[Challenge(district=c.get("district"), category=c["category"], span=_span(c["quote"]))
                    for c in gold.get("challenges", [])],
    )


def empty_record(gold: dict) -> Record:
    return Record(id="0" * 64, source=Source(path=gold["document"], format="text"), metadata=Metadata(), text="")


# --- the arithmetic ------------------------------------------------------------------------------

@pytest.mark.parametrize("tp, fp, fn, p, r, f1", [
    (3, 1, 1, 0.75, 0.75, 0.75),
    (2, 0, 2, 1.0, 0.5, 2 / 3),
    (0, 2, 0, 0.0, None, None),
    (0, 0, 3, None, 0.0, None),
    (0, 0, 0, None, None, None),
    (1, 3, 0, 0.25, 1.0, 0.4),
])
def test_precision_recall_f1(tp, fp, fn, p, r, f1):
    s = Score(tp, fp, fn)
    for got, want in ((s.precision, p), (s.recall, r), (s.f1, f1)):
        assert got == pytest.approx(want) if want is not None else got is None


# --- the gold itself ------------------------------------------------------------------------------

def _quotes(gold: dict) -> list[str]:
    out = [item["quote"] for field in ("law_citations", "staffing", "challenges") for item in gold.get(field, [])]
    out += [q for field in ("districts", "lpos") for item in gold.get(field, []) for q in item.get("quotes", [])]
    return out


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_every_quote_of_the_gold_stands_in_its_document(path):
    """A quote shows where a value stands: it must be the document's own text (for 004, of
    its hand-corrected text), as the reader decodes it."""
    from pipeline.read import read

    gold = json.loads(path.read_text(encoding="utf-8"))
    corrected = path.with_name(path.stem + ".corrected.txt")
    text = (corrected.read_text(encoding="utf-8") if corrected.exists()
            else read(corpus_for(path.parent) / gold["document"]).text)
    missing = [q for q in _quotes(gold) if q not in text]
    assert not missing, missing


# --- a prediction equal to the gold scores 1.0, an empty one 0 recall --------------------------

@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_a_perfect_prediction_scores_one_on_every_field(path):
    gold = json.loads(path.read_text(encoding="utf-8"))
    report = Report()
    score_document(gold, record_from_gold(gold), report, layout="lines")
    for name, s in report.fields.items():
        assert s.fp == 0 and s.fn == 0, (name, s)
        assert s.precision in (None, 1.0) and s.recall in (None, 1.0), name


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_an_empty_prediction_finds_nothing_and_claims_nothing(path):
    gold = json.loads(path.read_text(encoding="utf-8"))
    report = Report()
    score_document(gold, empty_record(gold), report)
    for name, s in report.fields.items():
        assert s.tp == 0 and s.fp == 0, (name, s)
    assert report.fields["sections"].fn == len(gold.get("sections", []))
    assert report.fields["law_citations"].fn == len(gold.get("law_citations", []))
    assert report.fields["staffing"].fn == len(gold.get("staffing", []))


# --- known mixtures ------------------------------------------------------------------------------

GOLD = {
    "document": "x.txt",
    "pages": 3,
    "metadata": {"title": "Yttrande över remiss om trygghetsplan", "date": "2021-03-04",
                 "diarienummer": ["KS 2021/12", "SN 2021/7"], "namnd": "Socialnämnden",
                 "forvaltning": None, "municipality": "Vara", "handlaggare": ["Eva Ek"]},
    "sections": [{"heading": "1. Inledning", "level": 1, "page": 1},
                 {"heading": "1.1 Uppdraget", "level": 2, "page": 1},
                 {"heading": "Bakgrund", "level": 1, "page": 2},
                 {"heading": "§ 112 Yttrande över remiss", "level": 1, "page": 3}],
    "law_citations": [{"law": "SoL", "sfs": "2001:453", "chapter": "14", "section": "1", "quote": "14 kap. 1 § SoL"},
                      {"law": "LVU", "sfs": "1990:52", "chapter": None, "section": "2", "quote": "2 § LVU"}],
    "districts": [{"name": "Rosengård"}, {"name": "Fosie"}],
    "lpos": [{"name": "Malmö Öster", "districts": ["Rosengård"]}],
    "staffing": [{"district": "Rosengård", "headcount": 2, "days_per_week": {"min": 3, "max": 3}, "quote": "två"}],
    "challenges": [{"category": "lokaler", "quote": "lokalerna är för små för verksamheten"}],
}


def _mixed_prediction() -> Record:
    return Record(
        id="0" * 64, source=Source(path="x.txt", format="text", pages=3),
        metadata=Metadata(title="Yttrande över remiss om trygghetsplanen", date="2021-03-05",
                          diarienummer=["KS 2021/12"], namnd="SOCIALNÄMNDEN", forvaltning="Socialförvaltningen",
                          municipality="Vara", handlaggare=[]),
        text="x",
        sections=[Section(heading="Inledning", level=1, start=0, end=0, page=1),       # number dropped: a match
                  Section(heading="1.1 Uppdraget", level=1, start=0, end=0, page=1),   # level wrong
                  Section(heading="Bakgrund", level=1, start=0, end=0, page=1),        # page wrong
                  Section(heading="Sida 2 (3)", level=1, start=0, end=0, page=2)],     # not a heading
        districts=[District(name="Rosengård", mentions=[_span()]), District(name="Hyllie", mentions=[_span()])],
        lpos=[Lpo(name="Malmö Öster", districts=["Rosengård", "Fosie"], mentions=[_span()])],
        law_citations=[LawCitation(law="SoL", sfs="2001:453", chapter="14", section="1", span=_span()),
                       LawCitation(law="LVU", sfs=None, chapter=None, section="2", span=_span())],
        staffing=[Staffing(district="Rosengård", headcount=2, days_per_week=DaysPerWeek(min=3, max=3), span=_span()),
                  Staffing(district=None, headcount=1, span=_span())],
        challenges=[Challenge(category="resurser", span=_span("eftersom lokalerna är för små för verksamheten"))],
    )


EXPECTED = {  # field: (tp, fp, fn)
    "metadata.title": (1, 0, 0),          # similar enough (≥ 0.9)
    "metadata.date": (0, 1, 1),
    "metadata.diarienummer": (1, 0, 1),
    "metadata.namnd": (1, 0, 0),          # case does not matter
    "metadata.forvaltning": (0, 1, 0),    # the gold has none
    "metadata.municipality": (1, 0, 0),
    "metadata.handlaggare": (0, 0, 1),
    "sections": (3, 1, 1),
    "sections.level": (2, 2, 2),
    "sections.page": (2, 2, 2),
    "source.pages": (1, 0, 0),
    "law_citations": (2, 0, 0),
    "law_citations.full": (1, 1, 1),      # LVU's sfs missing
    "law_citations.laws": (2, 0, 0),      # SoL and LVU both found
    "districts": (1, 1, 1),
    "lpos": (1, 0, 0),
    "lpos.districts": (1, 1, 0),
    "staffing": (1, 1, 0),
    "challenges": (1, 0, 0),              # the spans overlap
    "challenges.category": (0, 1, 1),
}


def test_known_mixture_gives_known_counts():
    report = Report()
    score_document(GOLD, _mixed_prediction(), report, layout="flattened")
    got = {name: (s.tp, s.fp, s.fn) for name, s in report.fields.items()}
    for name, want in EXPECTED.items():
        assert got[name] == want, name
    assert got["sections [flattened]"] == got["sections"]


@pytest.mark.parametrize("heading, key", [
    ("2.3 Uppdraget", "uppdraget"),
    ("2.3. Uppdraget", "uppdraget"),
    ("§ 112 Yttrande över remiss", "yttrande över remiss"),
    ("SN § 45 Budget 2024", "budget 2024"),
    ("Ärende 4 Budgetuppföljning", "budgetuppföljning"),
    ("IV. Slutsatser", "slutsatser"),
    ("BESLUTSUNDERLAG:", "beslutsunderlag"),
    ("§ 112", "§ 112"),  # a number alone stays itself
    ("2024 års budget", "2024 års budget"),
])
def test_heading_key_drops_a_leading_number(heading, key):
    assert heading_key(heading) == key


# --- sets, manifests and folders -----------------------------------------------------------------

def test_corpus_folder_of_an_annotation_folder(tmp_path):
    assert corpus_for(tmp_path / "annotations") == tmp_path / "corpus"
    assert corpus_for(tmp_path / "annotations" / "dev") == tmp_path / "corpus" / "dev"


def test_evaluate_scores_a_set_and_rows_by_layout(tmp_path, pipeline):
    corpus, annotations = tmp_path / "corpus" / "dev", tmp_path / "annotations" / "dev"
    corpus.mkdir(parents=True)
    annotations.mkdir(parents=True)
    text = ("Tjänsteskrivelse\n\nUppföljning av samverkan med polisen\n\nBakgrund\n\n"
            "Nämnden gav förvaltningen i uppdrag att följa upp samverkan.\n\nBedömning\n\n"
            "Förvaltningen bedömer att samverkan fungerar väl.\n")
    (corpus / "a.txt").write_text(text, encoding="utf-8")
    (corpus / "MANIFEST.tsv").write_text("file\tmunicipality\tyear\tkind\tlayout\n"
                                         "a.txt\tVara\t2020\ttjänsteskrivelse\tlines\n", encoding="utf-8")
    gold = {"document": "a.txt", "metadata": {}, "sections": [{"heading": "Bakgrund", "level": 1},
                                                              {"heading": "Bedömning", "level": 1}]}
    (annotations / "a.json").write_text(json.dumps(gold), encoding="utf-8")
    assert load_manifest(corpus)["a.txt"]["layout"] == "lines"
    assert [g["document"] for g in load_annotations(annotations)] == ["a.txt"]
    report = evaluate(annotations, pipeline=pipeline)
    assert (report.fields["sections"].tp, report.fields["sections [lines]"].tp) == (2, 2)


@pytest.mark.parametrize("gold, pred, same", [
    ("socialsekreterare", "socialsekreterare", True),
    ("SIG-samordnare", "samordnare", True),  # a compound is a kind of its last part
    ("socionom", "socionom hos polis", True),  # a title qualified by its place of work
    ("socionom hos polis", "socionom", True),
    ("socionom", "socialsekreterare", False),
    ("kurator", "socionom hos polis", False),
    (None, None, True),
    ("kurator", None, False),
])
def test_same_role(gold, pred, same):
    assert same_role(gold, pred) is same
