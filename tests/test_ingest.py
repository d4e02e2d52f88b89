"""Batch ingestion into SQLite: incremental, idempotent, crash-safe, parallel.

The tests use small folders made from the corpus and at most two workers. The one that
kills a run uses the installed ``namnd`` command in a subprocess and SIGKILL.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from models import Record
from pipeline import emit
from pipeline.cli import main
from pipeline.ingest import ingest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
NAMND = Path(sys.executable).parent / "namnd"


def make_folder(dest: Path, n: int) -> list[Path]:
    """``n`` distinct documents made from the corpus (an added line makes each hash its own)."""
    dest.mkdir(parents=True, exist_ok=True)
    sources = sorted(CORPUS.glob("*.txt"))
    out = []
    for i in range(n):
        src = sources[i % len(sources)]
        data = src.read_bytes().rstrip(b"\n") + f"\n\nKopia nr {i}.\n".encode()
        p = dest / f"{i:03d}_{src.name}"
        p.write_bytes(data)
        out.append(p)
    return out


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(db: Path, sql: str, *args) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def check_consistent(db: Path) -> None:
    """Integrity, no orphan rows, and every document's rows exactly those of its JSON record."""
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    for table in emit.CHILD_TABLES:
        assert rows(db, f"SELECT COUNT(*) FROM {table} WHERE document_id NOT IN (SELECT id FROM documents)") \
            == [(0,)], table
    for doc_id, record in rows(db, "SELECT id, record FROM documents"):
        rec = json.loads(record)
        assert rec["id"] == doc_id
        for table in emit.CHILD_TABLES:
            (n,), = rows(db, f"SELECT COUNT(*) FROM {table} WHERE document_id = ?", doc_id)
            assert n == len(rec[table]), (doc_id, table)
        (n,), = rows(db, f"SELECT COUNT(*) FROM {emit.SEARCH_TABLE} WHERE document_id = ?", doc_id)
        assert n == len(emit.search_pieces(Record.model_validate(rec))), (doc_id, "search")
    # the full-text index holds exactly the rows of its table, no more, no fewer
    assert rows(db, f"SELECT COUNT(*) FROM {emit.SEARCH_TABLE} WHERE document_id NOT IN (SELECT id FROM documents)") \
        == [(0,)]
    conn = sqlite3.connect(db)
    try:
        conn.execute("INSERT INTO search(search, rank) VALUES ('integrity-check', 1)")
    finally:
        conn.close()


def dump(db: Path) -> list:
    """Everything in the database but the run log and the timestamps."""
    out = []
    # closed here: a connection left to the garbage collector is closed whenever a
    # collection runs, and the last one to close checkpoints the WAL into the database
    # file, in the middle of some later test
    conn = sqlite3.connect(db)
    try:
        for table in emit.TABLES:
            if table == "runs":
                continue
            cur = conn.execute(f"SELECT * FROM {table}")
            cols = [d[0] for d in cur.description]
            keep = [i for i, c in enumerate(cols) if c not in ("ingested_at", "at", "run_id")]
            out.append((table, sorted((tuple(r[i] for i in keep) for r in cur), key=repr)))
    finally:
        conn.close()
    return out


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """The five corpus documents ingested once by two workers (shared by the read-only tests)."""
    folder = tmp_path_factory.mktemp("corpus")
    files = make_folder(folder, 5)
    db = tmp_path_factory.mktemp("db") / "namnd.sqlite"
    summary = ingest([folder], db, workers=2)
    return folder, files, db, summary


# -- incremental and idempotent ---------------------------------------------------------------
def test_first_run_stores_every_document_with_all_its_rows(ingested):
    folder, files, db, summary = ingested
    assert (summary.new, summary.updated, summary.skipped, summary.failed) == (5, 0, 0, 0)
    assert summary.status == "completed" and summary.workers_started == 2
    assert sorted(r[0] for r in rows(db, "SELECT id FROM documents")) == sorted(sha(f) for f in files)
    check_consistent(db)
    # the views answer the common questions
    assert rows(db, "SELECT SUM(citations) FROM citations_per_law") == \
        rows(db, "SELECT COUNT(*) FROM law_citations")
    assert rows(db, "SELECT COUNT(*) FROM staffing_per_district")[0][0] > 0
    assert rows(db, "SELECT COUNT(*) FROM challenges_per_category")[0][0] > 0
    assert rows(db, "SELECT status, new FROM runs WHERE id = ?", summary.run_id) == [("completed", 5)]


def test_second_run_processes_nothing_and_builds_no_pipeline(ingested, monkeypatch):
    folder, files, db, first = ingested
    before = dump(db)
    import pipeline.core

    def refuse(*args, **kwargs):
        raise AssertionError("the spaCy pipeline was built although there was nothing to do")

    monkeypatch.setattr(pipeline.core.Pipeline, "__init__", refuse)
    monkeypatch.setattr("pipeline.ingest._pipeline_here", refuse)
    started = time.perf_counter()
    second = ingest([folder], db, workers=0)  # workers=0 would build the pipeline in this process
    elapsed = time.perf_counter() - started
    assert (second.new, second.updated, second.skipped, second.failed) == (0, 0, 5, 0)
    assert second.workers_started == 0
    assert elapsed < 0.05 * first.seconds, (elapsed, first.seconds)
    assert dump(db) == before


def test_changed_file_replaces_its_old_rows(tmp_path):
    folder = tmp_path / "docs"
    files = make_folder(folder, 3)
    db = tmp_path / "db.sqlite"
    ingest([folder], db, workers=0)  # in this process: the tests need no isolation here
    old = sha(files[1])
    files[1].write_bytes(files[1].read_bytes() + "\nEn tillagd rad om socialtjänstlagen.\n".encode())
    summary = ingest([folder], db, workers=0)
    assert (summary.new, summary.updated, summary.skipped, summary.failed) == (0, 1, 2, 0)
    ids = {r[0] for r in rows(db, "SELECT id FROM documents")}
    assert ids == {sha(f) for f in files} and old not in ids
    check_consistent(db)
    # a file changed back into bytes already stored from elsewhere: the stale version goes, nothing is processed
    files[2].write_bytes(files[0].read_bytes())
    summary = ingest([folder], db, workers=0)
    assert (summary.new, summary.updated, summary.skipped) == (0, 1, 2)
    assert rows(db, "SELECT COUNT(*) FROM documents") == [(2,)]
    check_consistent(db)


def test_a_moved_file_takes_its_new_path_and_a_copy_keeps_the_first(tmp_path):
    folder = tmp_path / "inkorg"
    (doc,) = make_folder(folder, 1)
    db = tmp_path / "db.sqlite"
    assert ingest([folder], db, workers=0).new == 1
    archive = tmp_path / "arkiv" / "2023"
    archive.mkdir(parents=True)
    moved = archive / "rapport.txt"
    doc.rename(moved)
    summary = ingest([archive], db, workers=0)
    assert (summary.new, summary.moved, summary.skipped) == (0, 1, 0)
    (path, abs_path, record) = rows(db, "SELECT path, abs_path, record FROM documents")[0]
    assert abs_path == os.path.realpath(moved) and path == str(moved)
    assert json.loads(record)["source"]["path"] == str(moved)
    assert rows(db, "SELECT moved FROM runs WHERE id = 2") == [(1,)]
    # a copy elsewhere is the same document: the path stays the one it has
    copy = tmp_path / "kopia.txt"
    copy.write_bytes(moved.read_bytes())
    again = ingest([copy], db, workers=0)
    assert (again.moved, again.skipped) == (0, 1)
    assert rows(db, "SELECT path FROM documents") == [(str(moved),)]
    check_consistent(db)


def test_a_second_ingest_on_the_same_database_stops_while_the_first_runs(tmp_path):
    import socket

    from pipeline.ingest import IngestError

    folder = tmp_path / "docs"
    make_folder(folder, 1)
    db = tmp_path / "db.sqlite"
    ingest([folder], db, workers=0)
    # a live Python process holds a 'running' run on this host: another ingest is under way
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        conn = sqlite3.connect(db)
        with conn:
            conn.execute("INSERT INTO runs (pid, host, status) VALUES (?, ?, 'running')",
                         (other.pid, socket.gethostname()))
        conn.close()
        with pytest.raises(IngestError, match="another ingest is running"):
            ingest([folder], db, workers=0)
        result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "--workers", "0"])
        assert result.exit_code == 2 and "another ingest is running" in result.output
    finally:
        other.kill()
        other.wait()
    # once it is gone, its run counts as interrupted and ingesting goes on
    assert ingest([folder], db, workers=0).skipped == 1
    assert rows(db, "SELECT status FROM runs WHERE pid = ?", other.pid) == [("interrupted",)]


def report_limits(pipe, path, mode):
    """Run in the workers instead of the normal work: the Tesseract processes a worker may
    start, and the PDF reader's time limit."""
    from pipeline import ocr

    return ocr.default_workers(), os.environ.get("NAMND_PDF_TIMEOUT")


def test_workers_share_the_cpus_for_ocr_and_the_reader_stops_before_the_pool(tmp_path, monkeypatch):
    # each worker running one Tesseract per CPU would start workers × CPUs of them; the
    # reader's own limit, a little under the pool's, lets it end its Tesseract processes
    import pipeline.ingest as ing

    monkeypatch.delenv("NAMND_OCR_WORKERS", raising=False)
    monkeypatch.delenv("NAMND_PDF_TIMEOUT", raising=False)
    monkeypatch.setattr(ing, "usable_cpus", lambda: 4)
    paths = [str(p) for p in make_folder(tmp_path / "docs", 2)]
    got = [payload for _, kind, payload in ing.run_pool(paths, 2, timeout=100, processor=report_limits)]
    assert got == [(2, "90"), (2, "90")]


def test_liveness_check_never_signals_a_process_on_windows(monkeypatch):
    # os.kill(pid, 0) ends the process on Windows; there the kernel is asked instead
    import pipeline.ingest as ing

    def no_kill(*args):
        raise AssertionError("os.kill called")

    monkeypatch.setattr(ing.os, "kill", no_kill)
    monkeypatch.setattr(ing.os, "name", "nt")
    assert ing._alive(os.getpid()) in (True, False)  # no ctypes.windll here: False, never a kill


def test_duplicate_bytes_are_one_document(tmp_path):
    folder = tmp_path / "docs"
    (a,) = make_folder(folder, 1)
    (folder / "copy.txt").write_bytes(a.read_bytes())
    db = tmp_path / "db.sqlite"
    summary = ingest([folder, a], db, workers=0)  # the file is also named twice
    assert (summary.files, summary.new, summary.skipped) == (2, 1, 1)
    assert rows(db, "SELECT COUNT(*) FROM documents") == [(1,)]


# -- crash safety ---------------------------------------------------------------------------------
def test_killed_run_is_completed_by_the_next_without_duplicates(tmp_path):
    folder = tmp_path / "docs"
    files = make_folder(folder, 24)
    db = tmp_path / "db.sqlite"
    cmd = [str(NAMND), "ingest", str(folder), "--db", str(db), "--workers", "2", "--no-progress", "--json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stored = 0
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists():
                try:
                    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
                    stored = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
                    conn.close()
                except sqlite3.Error:
                    stored = 0
                if stored >= 2:
                    break
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)  # mid-run: documents are being stored
    finally:
        proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert 2 <= stored < len(files), "the run was not killed in the middle"
    check_consistent(db)  # whatever was committed is whole

    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["failed"] == 0
    assert summary["new"] + summary["skipped"] == len(files)
    assert summary["skipped"] >= stored  # nothing committed before the kill is done again
    ids = [r[0] for r in rows(db, "SELECT id FROM documents")]
    assert sorted(ids) == sorted(sha(f) for f in files)  # every document exactly once
    check_consistent(db)
    statuses = dict(rows(db, "SELECT id, status FROM runs"))
    assert statuses == {1: "interrupted", 2: "completed"}


# -- bad files ----------------------------------------------------------------------------------
def test_bad_files_are_failures_with_reasons_and_never_stop_the_batch(tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    good = make_folder(folder, 3)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \n\n\t\n")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n")
    (folder / "huge.txt").write_bytes(("Socialtjänstlagen gäller. " * 8000).encode())  # > max_bytes below
    db = tmp_path / "db.sqlite"
    expected = {"empty.txt": "empty file", "blank.txt": "no text", "binary.txt": "binary file",
                "broken.pdf": "corrupt PDF", "huge.txt": "file too large"}

    summary = ingest([folder], db, workers=2, max_bytes=100_000)
    assert (summary.new, summary.failed) == (3, 5)
    assert {r[0] for r in rows(db, "SELECT id FROM documents")} == {sha(f) for f in good}
    failures = {Path(p).name: (reason, digest) for p, reason, digest in rows(db, "SELECT path, reason, sha256 FROM failures")}
    assert set(failures) == set(expected)
    for name, prefix in expected.items():
        assert failures[name][0].startswith(prefix), failures[name]
        assert failures[name][1] == sha(folder / name)
    assert summary.reasons["file too large"] == 1 and not summary.ok

    # the next run does not read the failed files again: they are failed with their old reason
    processed: list[str] = []
    import pipeline.ingest

    real = pipeline.ingest._run_in_process

    def counting(paths, **kw):
        processed.extend(Path(p).name for p in paths)
        return real(paths, **kw)

    monkeypatch.setattr(pipeline.ingest, "_run_in_process", counting)
    again = ingest([folder], db, workers=0, max_bytes=100_000)
    assert (again.new, again.skipped, again.failed) == (0, 3, 5)
    assert processed == []
    assert {Path(f["path"]).name for f in again.failures} == set(expected)
    assert all("not retried" in f["reason"] for f in again.failures if Path(f["path"]).name != "empty.txt"
               and Path(f["path"]).name != "huge.txt")
    assert rows(db, "SELECT COUNT(*) FROM failures") == [(5,)]
    # ... unless asked to: then they are read and fail once each again
    retried = ingest([folder], db, workers=0, max_bytes=100_000, retry_failed=True)
    assert retried.failed == 5 and sorted(processed) == ["binary.txt", "blank.txt", "broken.pdf"]
    assert not any("not retried" in f["reason"] for f in retried.failures)
    assert rows(db, "SELECT COUNT(*) FROM failures") == [(5,)]
    # failures recorded by another version of namnd are tried again: an upgrade may fix them
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE runs SET namnd_version = '0.0.1'")
    conn.close()
    processed.clear()
    upgraded = ingest([folder], db, workers=0, max_bytes=100_000)
    assert upgraded.failed == 5 and sorted(processed) == ["binary.txt", "blank.txt", "broken.pdf"]
    # a fixed file leaves the failures table
    (folder / "empty.txt").write_bytes((CORPUS / "003_82a5e966af9e9f59.txt").read_bytes())
    fixed = ingest([folder / "empty.txt"], db, workers=0)
    assert fixed.new == 1
    assert rows(db, "SELECT COUNT(*) FROM failures WHERE path LIKE '%empty.txt'") == [(0,)]
    check_consistent(db)


def hang_on_stuck_files(pipe, path, mode):
    """Run in the workers instead of the normal work: a file named *stuck* never finishes."""
    if "stuck" in Path(path).name:
        time.sleep(3600)
    from pipeline.ingest import _process_one

    return _process_one(pipe, path, mode)


def test_a_stuck_file_times_out_and_its_worker_is_replaced(tmp_path, monkeypatch):
    import functools

    import pipeline.ingest

    monkeypatch.setattr(pipeline.ingest, "run_pool",
                        functools.partial(pipeline.ingest.run_pool, processor=hang_on_stuck_files))
    folder = tmp_path / "docs"
    good = make_folder(folder, 3)
    (folder / "000_stuck.txt").write_bytes((CORPUS / "003_82a5e966af9e9f59.txt").read_bytes() + b"\nFast.\n")
    db = tmp_path / "db.sqlite"
    started = time.monotonic()
    summary = ingest([folder], db, workers=1, timeout=1)
    assert time.monotonic() - started < 60
    assert (summary.new, summary.failed) == (3, 1)
    assert summary.failures[0]["reason"].startswith("timeout")
    assert Path(summary.failures[0]["path"]).name == "000_stuck.txt"
    assert summary.workers_started == 2  # the stuck one was killed and replaced
    assert {r[0] for r in rows(db, "SELECT id FROM documents")} == {sha(f) for f in good}
    assert rows(db, "SELECT reason FROM failures")[0][0].startswith("timeout")


def test_cli_json_summary_and_exit_status(tmp_path):
    folder = tmp_path / "docs"
    make_folder(folder, 2)
    (folder / "empty.txt").write_bytes(b"")
    db = tmp_path / "db.sqlite"
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(folder), "--db", str(db), "--workers", "0", "--json"])
    assert result.exit_code == 1, result.output
    summary = json.loads(result.output)
    assert {k: summary[k] for k in ("new", "updated", "skipped", "failed")} == \
        {"new": 2, "updated": 0, "skipped": 0, "failed": 1}
    assert summary["reasons"] == {"empty file": 1}
    assert summary["failures"][0]["reason"] == "empty file"
    (folder / "empty.txt").unlink()
    result = runner.invoke(main, ["ingest", str(folder), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["skipped"] == 2
    result = runner.invoke(main, ["ingest", str(folder), "--db", str(tmp_path), "--json"])
    assert result.exit_code == 2


# -- query and export ------------------------------------------------------------------------------
def test_query_reads_and_never_writes(ingested, tmp_path):
    _, _, db, _ = ingested
    runner = CliRunner()
    result = runner.invoke(main, ["query", "--db", str(db), "--json", "SELECT law, citations FROM citations_per_law"])
    assert result.exit_code == 0, result.output
    assert sum(r["citations"] for r in json.loads(result.output)) == rows(db, "SELECT COUNT(*) FROM law_citations")[0][0]

    def state():
        # SQLite may create an empty -wal and the -shm index for a reader of a WAL database
        return {p.name: sha(p) for p in db.parent.iterdir()
                if not (p.name == db.name + "-shm" or (p.name == db.name + "-wal" and p.stat().st_size == 0))}

    gc.collect()  # no connection of an earlier test left to close (and checkpoint) meanwhile
    before, contents = state(), dump(db)
    other = tmp_path / "other.sqlite"
    for sql in ["DELETE FROM documents", "INSERT INTO failures (path) VALUES ('x')", "DROP TABLE repairs",
                "UPDATE documents SET title = 'x'", "CREATE TABLE t (x)", "PRAGMA query_only = 0",
                "PRAGMA journal_mode = DELETE", "PRAGMA user_version = 7", f"ATTACH '{other}' AS o",
                f"VACUUM INTO '{other}'", "VACUUM", "BEGIN"]:
        result = runner.invoke(main, ["query", "--db", str(db), sql])
        assert result.exit_code == 2, (sql, result.output)
    assert not other.exists()
    assert state() == before and dump(db) == contents


def test_export_csv_and_jsonl(ingested, tmp_path):
    _, files, db, _ = ingested
    runner = CliRunner()
    result = runner.invoke(main, ["export", "--db", str(db), "--format", "jsonl", "-o", str(tmp_path / "j")])
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "j" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(Record.model_validate_json(line).id for line in lines) == sorted(sha(f) for f in files)

    result = runner.invoke(main, ["export", "--db", str(db), "--format", "csv", "-o", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    import csv

    for name in emit.TABLES + emit.VIEWS:
        assert (tmp_path / "c" / f"{name}.csv").exists(), name
    with (tmp_path / "c" / "documents.csv").open(encoding="utf-8-sig", newline="") as fh:
        docs = list(csv.DictReader(fh))
    assert len(docs) == 5 and "record" not in docs[0] and docs[0]["id"]
    with (tmp_path / "c" / "law_citations.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == rows(db, "SELECT COUNT(*) FROM law_citations")[0][0]


# -- schema -------------------------------------------------------------------------------------
OLD_SCHEMA = """
CREATE TABLE documents (id TEXT PRIMARY KEY, path TEXT NOT NULL, format TEXT, pages INTEGER, title TEXT,
    date TEXT, namnd TEXT, forvaltning TEXT, municipality TEXT, diarienummer TEXT, schema_version TEXT,
    record TEXT NOT NULL, ingested_at TEXT);
CREATE TABLE law_citations (document_id TEXT, law TEXT, sfs TEXT, chapter TEXT, chapter_end TEXT,
    section TEXT, section_end TEXT, paragraph TEXT, point TEXT, start INTEGER, "end" INTEGER, text TEXT,
    page INTEGER, section_heading TEXT);
CREATE TABLE failures (path TEXT, sha256 TEXT, reason TEXT, at TEXT);
"""


def test_a_database_of_the_first_version_is_upgraded_in_place(tmp_path):
    db = tmp_path / "old.sqlite"
    conn = sqlite3.connect(db)
    conn.executescript(OLD_SCHEMA)
    conn.execute("INSERT INTO failures VALUES ('a.txt', NULL, 'empty file', '2024-01-01T00:00:00Z')")
    conn.commit()
    conn.close()
    emit.connect(db).close()
    cols = {t: {r[1] for r in rows(db, f"PRAGMA table_info({t})")} for t in ("documents", "law_citations", "failures")}
    assert {"abs_path", "size", "run_id"} <= cols["documents"]
    assert "sfs_basis" in cols["law_citations"] and {"abs_path", "run_id"} <= cols["failures"]
    assert rows(db, "SELECT path, reason FROM failures") == [("a.txt", "empty file")]
    assert {"runs", "citations_per_law"} <= {r[0] for r in rows(db, "SELECT name FROM sqlite_master")}


def test_store_keeps_working_on_its_own(tmp_path):
    from pipeline.ingest import _pipeline_here

    record = _pipeline_here(None).extract_file(CORPUS / "003_82a5e966af9e9f59.txt")
    db = tmp_path / "db.sqlite"
    conn = emit.connect(db)
    emit.store(conn, record)
    emit.store(conn, record)  # insert or replace
    conn.close()
    assert rows(db, "SELECT COUNT(*) FROM documents") == [(1,)]
    check_consistent(db)


def test_extract_with_workers_gives_the_same_output(tmp_path):
    folder = tmp_path / "docs"
    make_folder(folder, 3)
    (folder / "empty.txt").write_bytes(b"")
    runner = CliRunner()
    one = runner.invoke(main, ["extract", str(folder), "-o", str(tmp_path / "one"), "--no-progress"])
    two = runner.invoke(main, ["extract", str(folder), "-o", str(tmp_path / "two"), "--no-progress",
                               "--workers", "2"])
    assert one.exit_code == two.exit_code == 1
    strip = lambda out: [line.replace("/one", "/X").replace("/two", "/X") for line in out.splitlines()[:-1]]  # noqa: E731
    assert strip(one.output) == strip(two.output)  # the same lines in the same order, but the timed total
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "two").iterdir()) and "records.jsonl" in names
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
