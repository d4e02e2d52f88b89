"""Session fixtures shared by the whole suite, and the benchmarks folder on the import path.

Building the spaCy pipeline takes about a second and a half, so one :class:`Pipeline`
serves every test, and the five corpus documents are extracted once.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from models import Record
from pipeline import Pipeline

REPO = Path(__file__).resolve().parents[1]
# the restorer's tests damage text and count errors with the benchmarks' own helpers
# (benchmarks/ocr_damage.py): importable as top-level modules, as the benchmarks import them
if str(REPO / "benchmarks") not in sys.path:
    sys.path.insert(0, str(REPO / "benchmarks"))
CORPUS = REPO / "corpus"
CORPUS_NAMES = (
    "000_c03b254d8a1ffbd1",
    "001_46e52080158721e0",
    "002_a6dff680f92bb0b7",
    "003_82a5e966af9e9f59",
    "004_fbc38fc54b4e3b7b",
)


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root."""
    return REPO


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """One analysis pipeline for the whole session."""
    return Pipeline()


@pytest.fixture(scope="session")
def corpus_records(pipeline: Pipeline) -> dict[str, Record]:
    """The records of the five corpus files, keyed by file stem ("000_c03b254d8a1ffbd1")."""
    paths = [CORPUS / f"{name}.txt" for name in CORPUS_NAMES]
    missing = [p for p in paths if not p.exists()]
    assert not missing, f"corpus files missing: {missing}"
    out: dict[str, Record] = {}
    for path, result in pipeline.extract_many(paths):
        assert isinstance(result, Record), f"{path}: {getattr(result, 'reason', result)}"
        out[Path(path).stem] = result
    return out


@pytest.fixture
def extract(pipeline: Pipeline):
    """Extract a record from a Swedish text written in a test."""
    def run(text: str) -> Record:
        return pipeline.extract_text(text)
    return run


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def shared_pipeline(monkeypatch, pipeline: Pipeline) -> Pipeline:
    """Commands run in this process (and ingest's in-process worker) use the session's
    pipeline instead of building one."""
    import pipeline.core as core
    import pipeline.ingest as ing

    monkeypatch.setattr(core, "Pipeline", lambda *args, **kwargs: pipeline)
    monkeypatch.setattr(ing, "_pipeline_here", lambda *args, **kwargs: pipeline)
    return pipeline
