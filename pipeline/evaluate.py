"""Scoring the pipeline against the hand-checked gold in ``annotations/``.

Per field: true positives, false positives, false negatives, precision, recall, F1,
micro-averaged over documents. Matching rules (documented in the README):

- sections: heading text, case- and whitespace-insensitive, a leading number ("2.3",
  "§ 112", "Ärende 4") ignored, fuzzy (≥ 0.85 similarity, so OCR-damaged headings in 004
  count when recognisably the same); ``sections.level`` also requires the level,
  ``sections.page`` the page (documents whose gold gives pages); in a set whose manifest
  names each document's layout, ``sections [layout]`` scores the headings of each layout
  apart (flattened exports against documents with their line breaks);
- source.pages: the number of pages the gold gives;
- metadata.*: each gold value against the predicted one (lists as sets);
- law_citations: multiset of (law, chapter, section); ``law_citations.full`` adds sfs,
  ranges, paragraph and point; ``law_citations.laws``: the set of distinct laws cited;
- districts, lpos: sets of canonical names (a police area's name resolved through the
  gazetteer on both sides, see :func:`police_area_key`); ``lpos.districts``: (lpo,
  district) pairs;
- staffing: one-to-one matches of (role, district, headcount, days min, days max), roles
  compared by :func:`same_role`;
- challenges: span overlap — a predicted span matches a gold quote when at least half
  of the shorter of the two is shared (character blocks), one-to-one.

Every gold file is checked before anything is scored (:func:`load_gold_files`): a file
that is no JSON, or JSON that is not a gold annotation (a field missing, of the wrong
type), and a document its set's corpus folder lacks, stop the evaluation with an
:class:`EvaluationError` that names each such file and what is wrong with it. Scores over
a set with a file left out would look like the set's scores and not be.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from pydantic import BaseModel, ConfigDict, ValidationError

from models import Record


class EvaluationError(ValueError):
    """The evaluation cannot run: what is wrong, naming the gold file or document."""


# -- the gold file's format (annotations/README.md), as far as the scorer reads it: other
# -- fields (quotes, notes) may be there too. Strict: "3" is no headcount, true no page.

class _Gold(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")


class _GoldMetadata(_Gold):
    title: Optional[str] = None
    date: Optional[str] = None
    namnd: Optional[str] = None
    forvaltning: Optional[str] = None
    municipality: Optional[str] = None
    diarienummer: list[str] = []
    handlaggare: list[str] = []


class _GoldSection(_Gold):
    heading: str
    level: Optional[int] = None
    page: Optional[int] = None


class _GoldCitation(_Gold):
    law: Optional[str]
    sfs: Optional[str] = None
    chapter: Optional[str] = None
    chapter_end: Optional[str] = None
    section: Optional[str] = None
    section_end: Optional[str] = None
    paragraph: Optional[str] = None
    point: Optional[str] = None


class _GoldPlace(_Gold):
    name: str


class _GoldLpo(_Gold):
    name: str
    districts: list[str] = []


class _GoldDays(_Gold):
    min: float
    max: float


class _GoldStaffing(_Gold):
    role: Optional[str] = None
    district: Optional[str] = None
    headcount: Optional[float] = None
    days_per_week: Optional[_GoldDays] = None


class _GoldChallenge(_Gold):
    category: str
    quote: str


class _GoldFile(_Gold):
    document: str
    pages: Optional[int] = None
    metadata: _GoldMetadata = _GoldMetadata()
    sections: list[_GoldSection] = []
    law_citations: list[_GoldCitation] = []
    districts: list[_GoldPlace] = []
    lpos: list[_GoldLpo] = []
    staffing: list[_GoldStaffing] = []
    challenges: list[_GoldChallenge] = []


def _where(loc: tuple) -> str:
    """A pydantic error location as a path into the JSON: "sections[2].heading"."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


#: what a field should be, by pydantic's error type
_WANTED = {"string_type": "should be a string", "int_type": "should be a whole number",
           "float_type": "should be a number", "list_type": "should be a list",
           "dict_type": "should be an object", "model_type": "should be an object",
           "model_attributes_type": "should be an object"}


def gold_problems(data: object) -> list[str]:
    """What keeps ``data`` (a parsed gold file) from being a gold annotation: [] when nothing."""
    if not isinstance(data, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number",
                type(None): "null"}.get(type(data), type(data).__name__)
        return [f"the file holds {kind}, not a JSON object with a \"document\""]
    try:
        _GoldFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = _where(err["loc"])
            if err["type"] == "missing":
                problems.append(f"{where}: required field missing")
                continue
            wanted = _WANTED.get(err["type"], err["msg"].removeprefix("Input ").lower())
            given = json.dumps(err.get("input"), ensure_ascii=False, default=str)
            problems.append(f"{where}: {wanted}, not {given if len(given) <= 40 else given[:37] + '...'}")
        return problems
    document = data["document"]
    parts = Path(document).parts
    if not document.strip() or Path(document).is_absolute() or ".." in parts:
        return [f"document: {document!r} is no file name inside the corpus folder"]
    return []


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    #: the gold items no prediction matched, and the predictions no gold item matched
    missing: list = field(default_factory=list, compare=False, repr=False)
    extra: list = field(default_factory=list, compare=False, repr=False)

    def add(self, other: "Score") -> None:
        """Add another score's counts (its items stay with it)."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> Optional[float]:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> Optional[float]:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> Optional[float]:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    fields: dict[str, Score] = field(default_factory=dict)
    per_document: dict[str, dict[str, Score]] = field(default_factory=dict)

    def add(self, doc: str, name: str, score: Score) -> None:
        self.fields.setdefault(name, Score()).add(score)
        self.per_document.setdefault(doc, {})[name] = score

    def as_dict(self) -> dict:
        def row(s: Score) -> dict:
            return {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": s.precision, "recall": s.recall, "f1": s.f1}
        return {"fields": {k: row(v) for k, v in self.fields.items()},
                "documents": {d: {k: row(v) for k, v in fs.items()} for d, fs in self.per_document.items()}}

    def table(self) -> str:
        def fmt(x: Optional[float]) -> str:
            return "   –" if x is None else f"{x:.2f}"
        lines = [f"{'field':28} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>5} {'R':>5} {'F1':>5}"]
        # a field's rows by layout ("sections [flattened]") right under the field
        order = []
        for name in self.fields:
            if " [" not in name:
                order += [name] + sorted(n for n in self.fields if n.startswith(name + " ["))
        for name in order:
            s = self.fields[name]
            lines.append(f"{name:28} {s.tp:4d} {s.fp:4d} {s.fn:4d} {fmt(s.precision):>5} {fmt(s.recall):>5} {fmt(s.f1):>5}")
        return "\n".join(lines)


def _norm(s: Optional[str]) -> str:
    return re.sub(r"\s+", " ", (s or "")).strip().rstrip(":").strip().casefold()


# "2.3", "2.3.", "§ 112", "SN § 45", "Ärende 4", "Punkt 4", "IV." before a heading's words
_HEADING_NUMBER = re.compile(
    r"^(?:[a-zåäö]{1,6}\s+)?§\s*\d+\s*[a-z]?\b|^(?:ärende|punkt|p\.)\s*\d+[a-z]?\b|^\d{1,2}(?:\.\d{1,2})*\.?(?=\s)"
    r"|^[ivx]+\.(?=\s)")


def heading_key(heading: Optional[str]) -> str:
    """A heading as the scorer compares it: normalised, its leading number dropped
    (unless the number is all there is)."""
    text = _norm(heading)
    rest = _HEADING_NUMBER.sub("", text, count=1).strip(" .:–-")
    return rest or text


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def multiset_score(gold: Iterable, pred: Iterable) -> Score:
    g, p = Counter(gold), Counter(pred)
    tp = sum((g & p).values())
    return Score(tp, sum(p.values()) - tp, sum(g.values()) - tp,
                 missing=list((g - p).elements()), extra=list((p - g).elements()))


def fuzzy_score(gold: list, pred: list, match: Callable[[object, object], bool]) -> Score:
    """Greedy one-to-one matching in order."""
    used: set[int] = set()
    missing = []
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and match(g, p):
                used.add(i)
                break
        else:
            missing.append(g)
    tp = len(gold) - len(missing)
    return Score(tp, len(pred) - tp, len(missing), missing=missing,
                 extra=[p for i, p in enumerate(pred) if i not in used])


def _overlap(a: str, b: str) -> float:
    a, b = _norm(a), _norm(b)
    if not a or not b:
        return 0.0
    blocks = difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    shared = sum(bl.size for bl in blocks if bl.size >= 3)
    return shared / min(len(a), len(b))


def police_area_key(name: str, municipality: Optional[str] = None) -> str:
    """A police area's name as the scorer compares it: the gazetteer's name for any name
    the text may write ("Nordost" in Göteborg is Storgöteborg Nordost, "Rinkeby" is
    Järva), the name itself for an area the gazetteer does not hold. The gold records the
    name the document writes; resolving it is the pipeline's work, checked here."""
    from pipeline.finders.police_areas import default_police_area_finder

    entry = default_police_area_finder().resolve(name, municipality=municipality)
    return entry["name"] if entry else name


def same_role(gold: Optional[str], pred: Optional[str]) -> bool:
    """Two names of a role are the same role when equal, or when one is a compound whose
    last part is the other ("SIG-samordnare" is a kind of "samordnare",
    "områdessocialsekreterare" a kind of "socialsekreterare"): the gold names the role as
    the document's context makes it plain, the text often by its head word alone. A title
    qualified by its place of work is a kind of its head role too ("socionom hos polis" is a
    socionom)."""
    from pipeline.finders.staffing import same_role_kind

    if gold is None or pred is None:
        return gold is pred
    head = lambda role: re.split(r"\s+(?:hos|vid|på|i)\s+", role.strip(), maxsplit=1)[0]  # noqa: E731
    return same_role_kind(gold, pred) or same_role_kind(head(gold), head(pred))


def _value_score(gold, pred, equal: Callable = lambda a, b: a == b) -> Score:
    if gold in (None, [], "") and pred in (None, [], ""):
        return Score()
    if gold in (None, [], ""):
        return Score(fp=1, extra=[pred])
    if pred in (None, [], ""):
        return Score(fn=1, missing=[gold])
    return Score(tp=1) if equal(gold, pred) else Score(fp=1, fn=1, missing=[gold], extra=[pred])


def score_document(gold: dict, record: Record, report: Report, layout: Optional[str] = None) -> None:
    """Add one document's scores to ``report``; ``layout`` (from the set's manifest) adds the
    headings to that layout's own row too."""
    doc = gold["document"]
    gm, pm = gold.get("metadata", {}), record.metadata
    report.add(doc, "metadata.title", _value_score(gm.get("title"), pm.title, lambda a, b: similarity(_norm(a), _norm(b)) >= 0.9))
    for key in ("date", "namnd", "forvaltning", "municipality"):
        report.add(doc, f"metadata.{key}", _value_score(gm.get(key), getattr(pm, key), lambda a, b: _norm(a) == _norm(b)))
    report.add(doc, "metadata.diarienummer", multiset_score(gm.get("diarienummer", []), pm.diarienummer))
    report.add(doc, "metadata.handlaggare", multiset_score(gm.get("handlaggare", []), pm.handlaggare))

    gold_h = [(heading_key(s["heading"]), s.get("level"), s.get("page")) for s in gold.get("sections", [])]
    pred_h = [(heading_key(s.heading), s.level, s.page) for s in record.sections if s.heading]
    same_heading = lambda g, p: similarity(g[0], p[0]) >= 0.85  # noqa: E731
    headings = fuzzy_score(gold_h, pred_h, same_heading)
    report.add(doc, "sections", headings)
    if layout:
        report.add(doc, f"sections [{layout}]", headings)
    report.add(doc, "sections.level", fuzzy_score(gold_h, pred_h, lambda g, p: same_heading(g, p) and g[1] == p[1]))
    if "pages" in gold:
        report.add(doc, "source.pages", _value_score(gold["pages"], record.source.pages))
        if gold["pages"] is not None:
            report.add(doc, "sections.page", fuzzy_score(gold_h, pred_h, lambda g, p: same_heading(g, p) and g[2] == p[2]))

    gc = gold.get("law_citations", [])
    pc = record.law_citations
    report.add(doc, "law_citations", multiset_score(
        [(c["law"], c.get("chapter"), c.get("section")) for c in gc], [(c.law, c.chapter, c.section) for c in pc]))
    full = ("law", "sfs", "chapter", "chapter_end", "section", "section_end", "paragraph", "point")
    report.add(doc, "law_citations.full", multiset_score(
        [tuple(c.get(k) for k in full) for c in gc], [tuple(getattr(c, k) for k in full) for c in pc]))
    report.add(doc, "law_citations.laws", multiset_score({c["law"] for c in gc if c["law"]}, {c.law for c in pc if c.law}))

    report.add(doc, "districts", multiset_score({d["name"] for d in gold.get("districts", [])},
                                                {d.name for d in record.districts}))
    municipality = gm.get("municipality") or pm.municipality
    lpo = lambda name: police_area_key(name, municipality)  # noqa: E731
    # the gold annotates lokalpolisområden; the areas of before 2015 are the record's too
    current = [l for l in record.lpos if l.kind == "lokalpolisområde"]
    report.add(doc, "lpos", multiset_score({lpo(l["name"]) for l in gold.get("lpos", [])},
                                           {lpo(l.name) for l in current}))
    report.add(doc, "lpos.districts", multiset_score(
        {(lpo(l["name"]), d) for l in gold.get("lpos", []) for d in l.get("districts", [])},
        {(lpo(l.name), d) for l in current for d in l.districts}))

    def staff_key(role, district, headcount, days):
        return (role, district, headcount, days["min"] if days else None, days["max"] if days else None)
    report.add(doc, "staffing", fuzzy_score(
        [staff_key(s.get("role"), s.get("district"), s.get("headcount"), s.get("days_per_week"))
         for s in gold.get("staffing", [])],
        [staff_key(s.role, s.district, s.headcount, s.days_per_week.model_dump() if s.days_per_week else None)
         for s in record.staffing],
        lambda g, p: same_role(g[0], p[0]) and g[1:] == p[1:]))
    report.add(doc, "challenges", fuzzy_score(
        [c["quote"] for c in gold.get("challenges", [])], [c.span.text for c in record.challenges],
        lambda g, p: _overlap(g, p) >= 0.5))
    report.add(doc, "challenges.category", fuzzy_score(
        [(c["quote"], c["category"]) for c in gold.get("challenges", [])],
        [(c.span.text, c.category) for c in record.challenges],
        lambda g, p: _overlap(g[0], p[0]) >= 0.5 and g[1] == p[1]))


#: the fields whose unmatched items :func:`differences` lists (the others repeat them)
DIFFERENCE_FIELDS = ("metadata.title", "metadata.date", "metadata.namnd", "metadata.forvaltning",
                     "metadata.municipality", "metadata.diarienummer", "metadata.handlaggare", "source.pages",
                     "sections", "sections.level", "sections.page", "law_citations.full", "districts", "lpos",
                     "lpos.districts", "staffing", "challenges", "challenges.category")


def _plain(item):
    """An item as JSON holds it: tuples as lists, long quotes cut."""
    if isinstance(item, (tuple, list)):
        return [_plain(x) for x in item]
    if isinstance(item, str) and len(item) > 80:
        return item[:77] + "..."
    return item


def differences(gold: dict, record: Record) -> dict[str, dict[str, list]]:
    """Where a record departs from its gold, field by field: the gold items it misses and
    the items it has that the gold has not, as the scorer matches them."""
    report = Report()
    score_document(gold, record, report)
    out = {}
    for name in DIFFERENCE_FIELDS:
        s = report.per_document[gold["document"]].get(name)
        if s is not None and (s.missing or s.extra):
            out[name] = {"missing": [_plain(x) for x in s.missing], "extra": [_plain(x) for x in s.extra]}
    return out


def load_gold_files(directory: Path, corpus: Optional[Path] = None) -> list[tuple[Path, dict]]:
    """Every gold file (``*.json``) of ``directory`` and what it holds, in name order.
    Raises :class:`EvaluationError` naming every file that cannot be read, is no JSON or
    is no gold annotation, or (given the ``corpus`` folder) whose document the folder
    lacks, and what is wrong with each; or when there is no gold file."""
    directory = Path(directory)
    out: list[tuple[Path, dict]] = []
    errors: list[str] = []
    paths = sorted(directory.glob("*.json"))
    if not paths:
        raise EvaluationError(f"{directory}: no gold files (*.json)")
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            errors.append(f"{path}: cannot read: {exc.strerror or exc}")
            continue
        except UnicodeDecodeError as exc:
            errors.append(f"{path}: not UTF-8 text (byte {exc.start})")
            continue
        except json.JSONDecodeError as exc:
            errors.append(f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
            continue
        except RecursionError:
            errors.append(f"{path}: invalid JSON: nested too deeply")
            continue
        problems = gold_problems(data)
        if problems:
            more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
            errors.append(f"{path}: " + "; ".join(problems[:5]) + more)
            continue
        if corpus is not None and not (Path(corpus) / data["document"]).is_file():
            errors.append(f"{path}: its document {data['document']!r} is not in {corpus}")
            continue
        out.append((path, data))
    if errors:
        raise EvaluationError(_listed(errors))
    return out


def _listed(errors: list[str]) -> str:
    if len(errors) == 1:
        return errors[0]
    return f"{len(errors)} gold files cannot be used:\n" + "\n".join(f"  {e}" for e in errors)


def load_annotations(directory: Path) -> list[dict]:
    """The gold annotations of ``directory`` (see :func:`load_gold_files`)."""
    return [data for _, data in load_gold_files(directory)]




def load_manifest(corpus: Path) -> dict[str, dict[str, str]]:
    """``MANIFEST.tsv`` of a corpus folder, if it has one: file name → its row
    (municipality, year, kind, layout, page_markers, encoding, notes)."""
    path = Path(corpus) / "MANIFEST.tsv"
    if not path.exists():
        return {}
    rows = path.read_text(encoding="utf-8").splitlines()
    header = rows[0].split("\t")
    out = {}
    for row in rows[1:]:
        if row.strip():
            cells = dict(zip(header, row.split("\t")))
            out[cells["file"]] = cells
    return out


def corpus_for(annotations: Path) -> Path:
    """The corpus folder an annotation folder describes: ``annotations`` → ``corpus``,
    ``annotations/dev`` → ``corpus/dev``, ``annotations/holdout`` → ``corpus/holdout``."""
    annotations = Path(annotations)
    if annotations.name == "annotations":
        return annotations.parent / "corpus"
    if annotations.parent.name == "annotations":
        return annotations.parent.parent / "corpus" / annotations.name
    return annotations.parent / "corpus"


#: the annotated sets of a checkout, reported apart: (name, annotations below the root)
SETS = (("seed corpus", Path("annotations")), ("development set", Path("annotations") / "dev"),
        ("held-out set", Path("annotations") / "holdout"))


def evaluate(annotations: Path, corpus: Optional[Path] = None, pipeline=None) -> Report:
    """Run the pipeline over the annotated documents of one set and score every field."""
    from pipeline.core import Pipeline

    annotations = Path(annotations)
    corpus = Path(corpus) if corpus else corpus_for(annotations)
    golds = load_gold_files(annotations, corpus)
    pipeline = pipeline or Pipeline()
    manifest = load_manifest(corpus)
    report = Report()
    paths = [corpus / g["document"] for _, g in golds]
    for (path, gold), (_, result) in zip(golds, pipeline.extract_many(paths)):
        if not isinstance(result, Record):
            raise EvaluationError(f"{path}: its document {corpus / gold['document']} cannot be read: {result.reason}")
        layout = manifest.get(gold["document"], {}).get("layout")
        score_document(gold, result, report, layout)
    return report


def evaluate_sets(root: Path, pipeline=None) -> dict[str, Report]:
    """Each annotated set under ``root`` (see :data:`SETS`), scored apart."""
    from pipeline.core import Pipeline

    sets = [(name, Path(root) / relative) for name, relative in SETS]
    sets = [(name, directory) for name, directory in sets if any(directory.glob("*.json"))]
    errors = []
    for _, directory in sets:  # every set's gold is checked before the pipeline is built
        try:
            load_gold_files(directory, corpus_for(directory))
        except EvaluationError as exc:
            errors.append(str(exc))
    if errors:
        raise EvaluationError("\n".join(errors))
    if not sets:
        return {}
    pipeline = pipeline or Pipeline()
    return {name: evaluate(directory, pipeline=pipeline) for name, directory in sets}
