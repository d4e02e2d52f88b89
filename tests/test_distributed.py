"""``namnd ingest --scheduler``: the per-document work on a Dask cluster.

One local cluster of two single-threaded worker processes serves the module. A worker is
killed from inside a task (SIGKILL, as the out-of-memory killer would) on a marked
document: the first time only (a marker file remembers it), or every time. The documents
are short Swedish texts written for these tests.
"""

from __future__ import annotations

import functools
import hashlib
import os
import signal
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

distributed = pytest.importorskip("distributed")

import pipeline.distributed as dist  # noqa: E402
from models import Record  # noqa: E402
from pipeline import emit  # noqa: E402
from pipeline.cli import main  # noqa: E402
from pipeline.ingest import ingest  # noqa: E402

TEXTS = [
    """Tjänsteskrivelse
2021-09-14

Fältarbete i Rinkeby under sommaren

Bakgrund

Tre fältassistenter arbetade i Rinkeby fem dagar i veckan under sommarlovet.
Samarbetet med polisen skedde enligt 10 kap. 18 a § offentlighets- och sekretesslagen.
""",
    """Tjänsteutlåtande
2019-02-27

Samverkan kring unga i Skärholmen

Ärendet

Socialsekreterare och poliser träffas varannan vecka i Skärholmen.
Anmälan görs enligt 14 kap. 1 § socialtjänstlagen (2001:453).
Det är svårt att behålla personal i verksamheten.
""",
    """Tjänsteskrivelse
2023-11-08

Trygghetsvandringar i Husby

Sammanfattning

Två fritidsledare och en fältsekreterare går trygghetsvandringar på fredagskvällar.
Lokalerna räcker inte till för verksamheten.
""",
]


def write_docs(folder: Path, n: int, marked: tuple[int, ...] = ()) -> list[Path]:
    """``n`` documents, each with a line of its own; those in ``marked`` have *dodar* in their name."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        name = f"{i:02d}_{'dodar' if i in marked else 'handling'}.txt"
        p = folder / name
        p.write_text(TEXTS[i % len(TEXTS)] + f"\nDiarienummer SN {2010 + i}/{300 + i}.\n", encoding="utf-8")
        out.append(p)
    return out


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(db: Path, sql: str, *args) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql, args).fetchall()


def dump(db: Path) -> list:
    """Everything in the database but the run log, the timestamps and the run ids."""
    out = []
    with closing(sqlite3.connect(db)) as conn:
        for table in emit.TABLES:
            if table == "runs":
                continue
            cur = conn.execute(f"SELECT * FROM {table}")
            keep = [i for i, d in enumerate(cur.description) if d[0] not in ("ingested_at", "at", "run_id")]
            out.append((table, sorted((tuple(r[i] for i in keep) for r in cur), key=repr)))
    return out


def check_consistent(db: Path) -> None:
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    for doc_id, record in rows(db, "SELECT id, record FROM documents"):
        rec = Record.model_validate_json(record)
        for table in emit.CHILD_TABLES:
            assert rows(db, f"SELECT COUNT(*) FROM {table} WHERE document_id = ?", doc_id) == \
                [(len(getattr(rec, table)),)], table
        assert rows(db, f"SELECT COUNT(*) FROM {emit.SEARCH_TABLE} WHERE document_id = ?", doc_id) == \
            [(len(emit.search_pieces(rec)),)]
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("INSERT INTO search(search, rank) VALUES ('integrity-check', 1)")


# -- processors run on the workers instead of the normal work (tests only) --------------------------
def _marked(path: str) -> bool:
    return "dodar" in Path(path).name


def kill_once(pipe, item, mode):
    """A marked document kills its worker the first time it is worked on."""
    data, path = item
    marker = Path(os.environ["NAMND_TEST_MARKERS"]) / (Path(path).name + ".dog")
    if _marked(path) and not marker.exists():
        marker.write_text("en gång", encoding="utf-8")
        os.kill(os.getpid(), signal.SIGKILL)
    return dist._process_bytes(pipe, item, mode)


def kill_always(pipe, item, mode):
    """A marked document kills every worker it is sent to, after a moment (as the
    out-of-memory killer strikes once a document has taken its memory)."""
    data, path = item
    if _marked(path):
        Path(os.environ["NAMND_TEST_MARKERS"], Path(path).name + f".{os.getpid()}").write_text("", encoding="utf-8")
        time.sleep(0.2)
        os.kill(os.getpid(), signal.SIGKILL)
    return dist._process_bytes(pipe, item, mode)


def hang_on_marked(pipe, item, mode):
    data, path = item
    if _marked(path):
        time.sleep(3600)
    return dist._process_bytes(pipe, item, mode)


# -- the cluster --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cluster():
    import dask

    # a document may be on one worker that dies and be tried again on another; a second death fails it
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                      silence_logs=50) as c:
            with distributed.Client(c, set_as_default=False) as client:
                yield c.scheduler_address, client


def builds(client) -> dict[str, int]:
    return client.run(lambda: __import__("pipeline.distributed", fromlist=["BUILDS"]).BUILDS)


def with_processor(monkeypatch, processor) -> None:
    monkeypatch.setattr(dist, "run_cluster", functools.partial(dist.run_cluster, processor=processor))


# -- the tests --------------------------------------------------------------------------------
def test_cluster_ingest_stores_what_the_local_pool_stores_and_a_rerun_skips(cluster, tmp_path):
    address, client = cluster
    folder = tmp_path / "in"
    files = write_docs(folder, 8)
    on_cluster, local = tmp_path / "kluster.sqlite", tmp_path / "lokal.sqlite"
    summary = ingest([folder], on_cluster, scheduler=address)
    assert (summary.new, summary.failed, summary.status) == (8, 0, "completed")
    assert sum(w["documents"] for w in summary.worker_stats) == 8
    assert ingest([folder], local, workers=2).new == 8
    assert dump(on_cluster) == dump(local)
    check_consistent(on_cluster)
    # nothing changed: nothing is sent to the cluster
    again = ingest([folder], on_cluster, scheduler=address)
    assert (again.new, again.skipped, again.worker_stats) == (0, 8, [])
    # a changed file replaces its old version, as without a cluster
    files[0].write_text(TEXTS[2] + "\nEn rad som ändrats.\n", encoding="utf-8")
    changed = ingest([folder], on_cluster, scheduler=address)
    assert (changed.updated, changed.skipped) == (1, 7)
    assert sorted(r[0] for r in rows(on_cluster, "SELECT id FROM documents")) == sorted(sha(f) for f in files)


def test_each_worker_builds_the_pipeline_once(cluster, tmp_path):
    address, client = cluster
    write_docs(tmp_path / "a", 6)
    write_docs(tmp_path / "b", 6)
    (tmp_path / "b" / "00_handling.txt").write_text(TEXTS[1] + "\nAnnan.\n", encoding="utf-8")
    first = ingest([tmp_path / "a"], tmp_path / "a.sqlite", scheduler=address)
    second = ingest([tmp_path / "b"], tmp_path / "b.sqlite", scheduler=address)
    assert first.new == second.new == 6
    # two runs, twelve documents, both workers busy: one Pipeline per worker process
    assert all(w["documents"] >= 1 for w in first.worker_stats + second.worker_stats)
    assert set(builds(client).values()) == {1}


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(cluster, tmp_path, monkeypatch):
    address, client = cluster
    markers = tmp_path / "markers"
    markers.mkdir()
    monkeypatch.setenv("NAMND_TEST_MARKERS", str(markers))  # the client's NAMND_* settings reach the tasks
    with_processor(monkeypatch, kill_once)
    folder = tmp_path / "in"
    files = write_docs(folder, 12, marked=(5,))
    db = tmp_path / "db.sqlite"
    before = set(builds(client))
    summary = ingest([folder], db, scheduler=address)
    assert (markers / "05_dodar.txt.dog").exists()  # a worker was killed
    assert (summary.new, summary.failed) == (12, 0), summary.failures
    ids = [r[0] for r in rows(db, "SELECT id FROM documents")]
    assert sorted(ids) == sorted(sha(f) for f in files)  # every document once
    check_consistent(db)
    # the killed worker was started again by its nanny, and built its Pipeline once
    client.wait_for_workers(2, timeout=60)
    after = builds(client)
    assert set(after) != before and set(after.values()) == {1}


def test_a_document_that_kills_every_worker_fails_as_a_run_failure(cluster, tmp_path, monkeypatch):
    address, client = cluster
    markers = tmp_path / "markers"
    markers.mkdir()
    monkeypatch.setenv("NAMND_TEST_MARKERS", str(markers))
    folder = tmp_path / "in"
    # the first tasks hold one document each; once times are known, several: the marked
    # document is in a task of several
    files = write_docs(folder, 24, marked=(20,))
    db = tmp_path / "db.sqlite"
    with monkeypatch.context() as m:
        with_processor(m, kill_always)
        summary = ingest([folder], db, scheduler=address)
    # its task of several died on two workers (allowed-failures 1), then it alone on two more
    assert len(list(markers.iterdir())) == 4
    assert (summary.new, summary.failed) == (23, 1)
    (failure,) = summary.failures
    assert Path(failure["path"]).name == "20_dodar.txt"
    assert failure["kind"] == "run" and failure["reason"].startswith("worker died: 2 Dask worker(s) died")
    assert rows(db, "SELECT kind FROM failures") == [("run",)]
    # a failure the run caused: the next run tries it again by itself
    client.wait_for_workers(2, timeout=60)
    again = ingest([folder], db, scheduler=address)
    assert (again.new, again.skipped, again.failed) == (1, 23, 0)
    assert sorted(r[0] for r in rows(db, "SELECT id FROM documents")) == sorted(sha(f) for f in files)
    assert rows(db, "SELECT COUNT(*) FROM failures") == [(0,)]
    check_consistent(db)


def test_a_stuck_document_times_out_and_its_worker_is_restarted(cluster, tmp_path, monkeypatch):
    address, client = cluster
    with_processor(monkeypatch, hang_on_marked)
    folder = tmp_path / "in"
    write_docs(folder, 5, marked=(0,))
    client.wait_for_workers(2, timeout=60)
    started = time.monotonic()
    summary = ingest([folder], tmp_path / "db.sqlite", scheduler=address, timeout=2)
    assert time.monotonic() - started < 40
    assert (summary.new, summary.failed) == (4, 1)
    assert summary.failures[0]["reason"].startswith("timeout") and summary.failures[0]["kind"] == "run"
    client.wait_for_workers(2, timeout=60)
    # the stuck thread went with its worker: each worker runs a task again
    for address_of_worker in client.nthreads():
        assert client.submit(os.getpid, workers=[address_of_worker], pure=False).result(timeout=30) > 0


def test_extract_on_the_cluster_writes_what_extract_writes(cluster, tmp_path):
    address, client = cluster
    folder = tmp_path / "in"
    write_docs(folder, 4)
    runner = CliRunner()
    here = runner.invoke(main, ["extract", str(folder), "-o", str(tmp_path / "lokalt"), "--no-progress"])
    there = runner.invoke(main, ["extract", str(folder), "-o", str(tmp_path / "kluster"), "--no-progress",
                                 "--scheduler", address])
    assert here.exit_code == there.exit_code == 0, there.output
    assert (tmp_path / "lokalt" / "records.jsonl").read_text(encoding="utf-8") == \
        (tmp_path / "kluster" / "records.jsonl").read_text(encoding="utf-8")


def test_without_dask_the_command_says_what_to_install(tmp_path, monkeypatch):
    import sys

    write_docs(tmp_path / "in", 1)
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed raises ImportError
    for args in (["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "db.sqlite")],
                 ["extract", str(tmp_path / "in"), "-o", str(tmp_path / "ut")]):
        result = CliRunner().invoke(main, args + ["--scheduler", "tcp://127.0.0.1:1", "--no-progress"])
        assert result.exit_code == 2, result.output
        assert "pip install 'namnd[dask]'" in result.output
    assert not (tmp_path / "db.sqlite").exists() or rows(tmp_path / "db.sqlite", "SELECT COUNT(*) FROM documents") \
        == [(0,)]


def test_an_unreachable_scheduler_is_an_error_not_a_hang(tmp_path, monkeypatch):
    monkeypatch.setattr(dist, "CONNECT_TIMEOUT", 2.0)
    write_docs(tmp_path / "in", 2)
    for args in (["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "db.sqlite"), "--json"],
                 ["extract", str(tmp_path / "in"), "-o", str(tmp_path / "ut")]):
        started = time.monotonic()
        result = CliRunner().invoke(main, args + ["--scheduler", "tcp://127.0.0.1:9", "--no-progress"])
        assert result.exit_code == 2, result.output
        assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
        assert time.monotonic() - started < 30
    # the run is logged as failed, the files are left for the next run
    assert rows(tmp_path / "db.sqlite", "SELECT status FROM runs") == [("failed",)]
    assert rows(tmp_path / "db.sqlite", "SELECT COUNT(*) FROM failures") == [(0,)]

