"""The worker pool and the writer of ``namnd ingest`` at speed: workers forked with their
Pipeline built, a document sent ahead to a busy worker, several documents to a transaction.

Each guarantee of the slower one-at-a-time design still holds: a worker that dies costs
the document it was on and no other, a document whose rows cannot be stored is that
document's failure only, the full-text index matches the tables, and what is reported
stored is committed. The documents are short Swedish texts written for these tests.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pipeline.ingest as ing
from models import Record
from pipeline import emit

TEXT = """Tjänsteskrivelse
2022-04-{day:02d}

Uppföljning av samverkan i Tensta

Bakgrund

Två fältsekreterare arbetar i Tensta tisdag till fredag tillsammans med polisen.
Uppgifter lämnas enligt 10 kap. 2 § offentlighets- och sekretesslagen.
Handling nummer {i}.
"""


def write_docs(folder: Path, n: int, marked: tuple[int, ...] = ()) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = folder / f"{i:02d}_{'dodar' if i in marked else 'handling'}.txt"
        p.write_text(TEXT.format(day=1 + i % 28, i=i), encoding="utf-8")
        out.append(p)
    return out


def rows(db: Path, sql: str, *args) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql, args).fetchall()


def index_is_whole(db: Path) -> None:
    """The full-text index holds exactly the text rows of the stored documents."""
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("INSERT INTO search(search, rank) VALUES ('integrity-check', 1)")
    for doc_id, record in rows(db, "SELECT id, record FROM documents"):
        pieces = emit.search_pieces(Record.model_validate_json(record))
        assert rows(db, f"SELECT COUNT(*) FROM {emit.SEARCH_TABLE} WHERE document_id = ?", doc_id) == [(len(pieces),)]
    assert rows(db, "SELECT COUNT(*) FROM search WHERE search MATCH 'Tensta'") == \
        rows(db, f"SELECT COUNT(*) FROM {emit.SEARCH_TABLE} WHERE body LIKE '%Tensta%' OR heading LIKE '%Tensta%'")


def kill_on_marked(pipe, path, mode):
    """Run in the workers: a marked document kills its worker (as the out-of-memory killer would)."""
    if "dodar" in Path(path).name:
        os.kill(os.getpid(), signal.SIGKILL)
    return ing._process_one(pipe, path, mode)


def test_a_dead_worker_costs_its_document_and_the_one_sent_ahead_goes_elsewhere(tmp_path, monkeypatch):
    import functools

    monkeypatch.setattr(ing, "run_pool", functools.partial(ing.run_pool, processor=kill_on_marked))
    folder = tmp_path / "in"
    files = write_docs(folder, 16, marked=(9,))
    db = tmp_path / "db.sqlite"
    # one worker: once documents are seen to be short it always holds the next one too, so
    # the one after the marked document was sent to the worker that dies
    summary = ing.ingest([folder], db, workers=1)
    assert (summary.new, summary.failed) == (15, 1)
    assert Path(summary.failures[0]["path"]).name == "09_dodar.txt"
    assert summary.failures[0]["reason"].startswith("worker died: killed by SIGKILL")
    assert summary.failures[0]["kind"] == "run"
    assert summary.workers_started == 2  # the dead one was replaced
    stored = [r[0] for r in rows(db, "SELECT path FROM documents")]
    assert sorted(Path(p).name for p in stored) == sorted(f.name for f in files if "dodar" not in f.name)
    index_is_whole(db)


def test_a_document_whose_rows_cannot_be_stored_fails_alone_in_its_transaction(tmp_path, pipeline):
    files = write_docs(tmp_path / "in", 6)
    db = tmp_path / "db.sqlite"
    conn = emit.connect(db)
    reported: list[ing.Outcome] = []
    writer = ing._Writer(conn, None, reported.append, most=100, seconds=3600)  # one transaction for all
    for i, f in enumerate(files):
        rows_of = emit.record_rows(pipeline.extract_file(f))
        if i == 3:
            rows_of["sections"] = [("för", "få", "värden")]  # rows no table takes
        task = ing._Task(str(f), str(f), rows_of["documents"][0][0], f.stat().st_size, str(f))
        writer.store(task, "ok", rows_of)
        writer.commit_when_due()
    assert reported == []  # nothing is reported before it is committed
    writer.commit()
    conn.close()
    assert [o.status for o in reported] == ["new"] * 3 + ["failed"] + ["new"] * 2
    assert reported[3].reason.startswith("internal error: cannot store the document")
    assert rows(db, "SELECT COUNT(*) FROM documents") == [(5,)]
    assert rows(db, "SELECT COUNT(*) FROM failures") == [(1,)]
    for table in emit.CHILD_TABLES + (emit.SEARCH_TABLE,):
        assert rows(db, f"SELECT COUNT(*) FROM {table} WHERE document_id NOT IN (SELECT id FROM documents)") == [(0,)]
    index_is_whole(db)


def test_an_interrupted_transaction_leaves_nothing_and_the_next_run_does_it(tmp_path, pipeline):
    files = write_docs(tmp_path / "in", 4)
    db = tmp_path / "db.sqlite"
    conn = emit.connect(db)
    writer = ing._Writer(conn, None, lambda o: None, most=100, seconds=3600)
    for f in files[:3]:
        rows_of = emit.record_rows(pipeline.extract_file(f))
        writer.store(ing._Task(str(f), str(f), rows_of["documents"][0][0], 1, str(f)), "ok", rows_of)
    writer.abandon()  # what an error (or Ctrl-C) before the commit does
    conn.close()
    assert rows(db, "SELECT COUNT(*) FROM documents") == [(0,)]
    index_is_whole(db)
    assert ing.ingest([tmp_path / "in"], db, workers=0).new == 4
    index_is_whole(db)


def test_outcomes_are_reported_once_committed(tmp_path):
    folder = tmp_path / "in"
    write_docs(folder, 10)
    db = tmp_path / "db.sqlite"
    seen: list[int] = []

    def count_stored(outcome):
        # reported stored: a reader of the database sees it (it is committed)
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            seen.append(conn.execute("SELECT COUNT(*) FROM documents WHERE id = ?", (outcome.sha256,)).fetchone()[0])

    summary = ing.ingest([folder], db, workers=2, on_outcome=count_stored)
    assert summary.new == 10 and seen == [1] * 10
    index_is_whole(db)


def test_a_changed_document_and_its_replacement_keep_the_index_whole(tmp_path):
    folder = tmp_path / "in"
    files = write_docs(folder, 12)
    db = tmp_path / "db.sqlite"
    assert ing.ingest([folder], db, workers=2).new == 12
    for f in files[::3]:  # changed: their old versions are deleted in the transactions that store the new
        f.write_text(f.read_text(encoding="utf-8").replace("Tensta", "Rinkeby"), encoding="utf-8")
    again = ing.ingest([folder], db, workers=2)
    assert (again.updated, again.skipped) == (4, 8)
    assert rows(db, "SELECT COUNT(*) FROM search WHERE search MATCH 'Rinkeby'")[0][0] >= 4
    index_is_whole(db)


PROBE = textwrap.dedent('''
    import json, os, sys
    sys.path.insert(0, {here!r})
    import pipeline.ingest as ing

    def probe(pipe, path, mode):
        from pipeline import prebuilt
        # the worker's Pipeline is the one the fork server built and warmed
        return prebuilt._built is not None and pipe is prebuilt._built[1]

    if __name__ == "__main__":
        import probe_module
        paths = sys.argv[1:]
        got = [payload for _, kind, payload in ing.run_pool(paths, 2, processor=probe_module.probe)]
        print(json.dumps(got))
''')


def test_workers_start_with_the_pipeline_the_fork_server_built(tmp_path):
    here = tmp_path / "probe"
    here.mkdir()
    (here / "probe_module.py").write_text(PROBE.format(here=str(here)), encoding="utf-8")
    files = write_docs(tmp_path / "in", 4)
    result = subprocess.run([sys.executable, str(here / "probe_module.py"), *map(str, files)],
                            capture_output=True, text=True, timeout=180, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout) == [True] * 4
