"""The ``namnd`` command through click's CliRunner: outputs, exit status (0 all good,
1 some file failed, 2 usage error), a read-only ``query``, CSV export."""

from __future__ import annotations

import csv
import json
import sqlite3
from contextlib import closing

import jsonschema
import pytest

from models import Record
from pipeline.cli import main

REPORT_A = """Tjänsteutlåtande
2023-10-02

Rapport om socialsekreterare hos polisen i Skärholmen

Bakgrund

Skärholmens stadsdelsförvaltning har två socialsekreterare som sitter hos polisen tre dagar i veckan.
Polisen gör anmälningar enligt 14 kap. 1 § SoL.
"""

REPORT_B = """Tjänsteskrivelse
2024-02-12

Uppföljning av samverkan med lokalpolisområde Järva under året

Ärendet

Järva stadsdelsförvaltning samarbetar med LPO Järva. Det har varit svårt att hitta lokaler hos polisen.
"""


#: commands run in this process use the session's pipeline
pytestmark = pytest.mark.usefixtures("shared_pipeline")


def good_folder(folder):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a_rapport.txt").write_text(REPORT_A, encoding="utf-8")
    (folder / "d_uppfoljning.txt").write_text(REPORT_B, encoding="cp1252")
    return folder


def db_count(db, table):
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


@pytest.fixture
def ingested(tmp_path, runner):
    """A database holding the two good reports."""
    db = tmp_path / "namnd.sqlite"
    result = runner.invoke(main, ["ingest", str(good_folder(tmp_path / "in")), "--db", str(db),
                                  "--workers", "0", "--json", "--no-progress"])
    assert result.exit_code == 0, result.output
    return db


# --- extract --------------------------------------------------------------------------------

def test_extract_with_bad_files_does_the_rest_and_exits_1(tmp_path, runner):
    folder = good_folder(tmp_path / "in")
    (folder / "b_tom.txt").write_bytes(b"")
    (folder / "c_binar.txt").write_bytes(b"\x00\x01\x02binary\x00\x00\xff\xfe\x00" * 20)
    out = tmp_path / "out"
    result = runner.invoke(main, ["extract", str(folder), "-o", str(out), "--no-progress"])
    assert result.exit_code == 1, result.output
    # the good ones are written
    for stem in ("a_rapport", "d_uppfoljning"):
        rec = Record.model_validate_json((out / f"{stem}.json").read_text(encoding="utf-8"))
        assert rec.source.path.endswith(f"{stem}.txt")
    lines = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    records = [Record.model_validate_json(line) for line in lines]
    assert [r.metadata.date for r in records] == ["2023-10-02", "2024-02-12"]
    assert not (out / "b_tom.json").exists() and not (out / "c_binar.json").exists()
    # every file is accounted for, failures with their reason
    failed = [line for line in result.output.splitlines() if line.startswith("failed")]
    assert len(failed) == 2
    assert any("b_tom.txt" in line and "empty" in line for line in failed)
    assert any("c_binar.txt" in line and "binary" in line for line in failed)
    assert "2 ok, 2 failed" in result.output


def test_extract_all_good_exits_0(tmp_path, runner):
    out = tmp_path / "out"
    result = runner.invoke(main, ["extract", str(good_folder(tmp_path / "in")), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.json")) == ["a_rapport.json", "d_uppfoljning.json"]
    rec = Record.model_validate_json((out / "a_rapport.json").read_text(encoding="utf-8"))
    assert [(c.law, c.chapter, c.section) for c in rec.law_citations] == [("SoL", "14", "1")]
    assert [d.name for d in rec.districts] == ["Skärholmen"]


def test_extract_a_named_file(tmp_path, runner):
    path = tmp_path / "enstaka.txt"
    path.write_text(REPORT_B, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["extract", str(path), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    rec = Record.model_validate_json((out / "enstaka.json").read_text(encoding="utf-8"))
    assert [l.name for l in rec.lpos] == ["Järva"]


# --- clean, schema, eval ----------------------------------------------------------------------

def test_clean_prints_the_cleaned_text_and_the_repairs(tmp_path, runner):
    path = tmp_path / "trasig.txt"
    path.write_text("Ärendet gäller fÃ¶rvaltningen.", encoding="utf-8")
    result = runner.invoke(main, ["clean", str(path)])
    assert result.exit_code == 0
    assert result.output == "Ärendet gäller förvaltningen."
    result = runner.invoke(main, ["clean", str(path), "--diff"])
    assert result.exit_code == 0
    assert "mojibake" in result.output and "1 repairs" in result.output


def test_schema_prints_valid_json_schema(runner):
    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    for field in ("id", "schema_version", "source", "metadata", "text", "sections", "districts", "lpos",
                  "law_citations", "staffing", "challenges", "repairs", "warnings"):
        assert field in schema["properties"], field


def test_eval_prints_a_table_with_a_sections_row(repo, runner):
    result = runner.invoke(main, ["eval", "--annotations", str(repo / "annotations")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:4] == ["field", "tp", "fp", "fn"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:] if line.strip()}
    assert "sections" in rows and "law_citations" in rows
    tp, fp, fn = map(int, rows["sections"][:3])
    assert tp > 0


# --- ingest, query, export --------------------------------------------------------------------

def test_ingest_twice_skips_everything_the_second_time(tmp_path, runner):
    folder = good_folder(tmp_path / "in")
    db = tmp_path / "namnd.sqlite"
    args = ["ingest", str(folder), "--db", str(db), "--workers", "0", "--json", "--no-progress"]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    summary = json.loads(first.output.strip().splitlines()[-1])
    assert (summary["new"], summary["skipped"], summary["failed"]) == (2, 0, 0)
    assert db_count(db, "documents") == 2
    citations = db_count(db, "law_citations")
    assert citations == 1
    second = runner.invoke(main, args)
    assert second.exit_code == 0, second.output
    summary = json.loads(second.output.strip().splitlines()[-1])
    assert (summary["new"], summary["updated"], summary["skipped"], summary["failed"]) == (0, 0, 2, 0)
    assert db_count(db, "documents") == 2
    assert db_count(db, "law_citations") == citations


def test_query_prints_rows(ingested, runner):
    result = runner.invoke(main, ["query", "--db", str(ingested), "SELECT COUNT(*) AS n FROM documents", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"n": 2}]
    result = runner.invoke(main, ["query", "--db", str(ingested), "SELECT law, chapter, section FROM law_citations"])
    assert result.exit_code == 0
    assert "SoL" in result.output and "law" in result.output.splitlines()[0]


@pytest.mark.parametrize("sql", [
    "DELETE FROM documents",
    "INSERT INTO failures (path, reason) VALUES ('x.txt', 'påhittad')",
    "UPDATE documents SET path = 'flyttad.txt'",
    "DROP TABLE documents",
])
def test_query_is_read_only(ingested, runner, sql):
    with closing(sqlite3.connect(ingested)) as conn:
        before = conn.execute("SELECT id, path FROM documents ORDER BY id").fetchall()
        failures = conn.execute("SELECT COUNT(*) FROM failures").fetchone()[0]
    result = runner.invoke(main, ["query", "--db", str(ingested), sql])
    assert result.exit_code != 0
    with closing(sqlite3.connect(ingested)) as conn:
        assert conn.execute("SELECT id, path FROM documents ORDER BY id").fetchall() == before
        assert conn.execute("SELECT COUNT(*) FROM failures").fetchone()[0] == failures


def test_export_csv(ingested, tmp_path, runner):
    out = tmp_path / "export"
    result = runner.invoke(main, ["export", "--db", str(ingested), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with (out / "documents.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2
    assert {"id", "path", "date"} <= set(rows[0])
    assert "record" not in rows[0]
    assert sorted(r["date"] for r in rows) == ["2023-10-02", "2024-02-12"]
    assert (out / "law_citations.csv").exists()


def test_export_jsonl(ingested, tmp_path, runner):
    out = tmp_path / "export"
    result = runner.invoke(main, ["export", "--db", str(ingested), "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    for line in lines:
        Record.model_validate_json(line)


# --- usage errors ------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    [],
    ["extract"],
    ["frobnicate"],
    ["export", "--db", "finns-inte.sqlite", "--format", "xml"],
    ["query", "SELECT 1"],
    ["ingest", "mapp"],
])
def test_usage_errors_exit_2(runner, args):
    assert runner.invoke(main, args).exit_code == 2


def test_extract_of_an_empty_folder_is_a_usage_error(tmp_path, runner):
    (tmp_path / "tom").mkdir()
    result = runner.invoke(main, ["extract", str(tmp_path / "tom"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2


def test_query_of_a_missing_database_is_a_usage_error(tmp_path, runner):
    result = runner.invoke(main, ["query", "--db", str(tmp_path / "saknas.sqlite"), "SELECT 1"])
    assert result.exit_code == 2
    assert not (tmp_path / "saknas.sqlite").exists()
