"""Output files, the database and the query command, under attack and mishap.

Symlinks planted in an output folder are never written through; outputs are private
under any umask; another application's database is refused and left as it was; ``query``
stops at its time limit, prints rows as they come, allows pragmas that only read and
leaves nothing beside a database that cannot change; CSV cells cannot run as formulas
and control characters in a document never reach a terminal raw; ``export`` fails with
a message, and ``extract`` tidies what its previous run into the same folder wrote.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import select
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

import pipeline
from models import Record
from pipeline import emit, outputs
from pipeline.cli import main

RAPPORT = """Tjänsteskrivelse
2024-02-12

Uppföljning av samverkan med lokalpolisområde Järva

Ärendet

Järva stadsdelsförvaltning samarbetar med LPO Järva.
=HYPERLINK("http://x","klicka") Det har varit svårt att hitta lokaler hos polisen.
@SUMMA(A1) Det har varit svårt att rekrytera personal till polisen.
Det har varit svårt \x1b]0;kapad\x07\x1b[2J att behålla socialsekreterare \x9b31m hos polisen.
"""

ANDRA = """Tjänsteutlåtande
2023-10-02

Rapport om socialsekreterare hos polisen i Skärholmen

Bakgrund

Skärholmens stadsdelsförvaltning har två socialsekreterare som sitter hos polisen tre dagar i veckan.
"""

ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT {} FROM c"
ROOT = os.geteuid() == 0
#: the repository whose ``pipeline`` these tests import, for the commands run in a subprocess
CODE = Path(pipeline.__file__).resolve().parents[1]
#: commands run in this process use the session's pipeline
pytestmark = pytest.mark.usefixtures("shared_pipeline")




def documents(folder: Path, *texts: tuple[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts or (("a_rapport.txt", RAPPORT),):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def ingest(runner, folder: Path, db: Path):
    result = runner.invoke(main, ["ingest", str(folder), "--db", str(db), "--workers", "0", "--no-progress"])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def db(tmp_path, runner):
    """A database holding the report with formulas and escape sequences in its sentences."""
    return ingest(runner, documents(tmp_path / "in"), tmp_path / "db" / "namnd.db")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(db: Path) -> set[str]:
    return {p.name for p in db.parent.iterdir() if p.name != db.name and p.name.startswith(db.name)}


# -- 1. symlinks in the output folder ------------------------------------------------------------------
@pytest.fixture
def victim(tmp_path):
    """A file that symlinks in output folders point to: no command may change it."""
    path = tmp_path / "offer" / "viktig.txt"
    path.parent.mkdir()
    path.write_text("orörd\n", encoding="utf-8")
    return path


def untouched(victim: Path) -> bool:
    return victim.read_text(encoding="utf-8") == "orörd\n"


def plant(folder: Path, names, target: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).symlink_to(target)


def test_extract_never_writes_through_a_symlink(tmp_path, runner, victim):
    out = tmp_path / "ut"
    names = ["a_rapport.json", "records.jsonl", outputs.MANIFEST]
    plant(out, names + [n + ".tmp" for n in names], victim)
    result = runner.invoke(main, ["extract", str(documents(tmp_path / "in")), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert untouched(victim)
    for name in names:
        assert not (out / name).is_symlink() and (out / name).is_file(), name
    record = Record.model_validate_json((out / "a_rapport.json").read_text(encoding="utf-8"))
    assert record.metadata.date == "2024-02-12"
    (line,) = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert Record.model_validate_json(line).id == record.id


def test_export_never_writes_through_a_symlink(db, tmp_path, runner, victim):
    out = tmp_path / "export"
    names = [f"{t}.csv" for t in emit.TABLES + emit.VIEWS]
    plant(out, names + [n + ".tmp" for n in names], victim)
    result = runner.invoke(main, ["export", "--db", str(db), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert untouched(victim)
    for name in names:
        assert not (out / name).is_symlink(), name
    with (out / "challenges.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 3
    jsonl = tmp_path / "jsonl"
    plant(jsonl, ["records.jsonl", "records.jsonl.tmp"], victim)
    result = runner.invoke(main, ["export", "--db", str(db), "--format", "jsonl", "-o", str(jsonl)])
    assert result.exit_code == 0, result.output
    assert untouched(victim) and not (jsonl / "records.jsonl").is_symlink()
    assert len((jsonl / "records.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_review_never_writes_through_a_symlink(tmp_path, runner, victim):
    out = tmp_path / "granskning"
    plant(out, ["a_rapport.html", "a_rapport.html.tmp"], victim)
    result = runner.invoke(main, ["review", str(documents(tmp_path / "in")), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert untouched(victim)
    page = out / "a_rapport.html"
    assert not page.is_symlink() and "Järva" in page.read_text(encoding="utf-8")


# -- 2. permissions ----------------------------------------------------------------------------------------
@pytest.fixture
def umask_000():
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


def test_outputs_are_private_under_an_open_umask(tmp_path, runner, umask_000):
    source = documents(tmp_path / "in")
    (tmp_path / "db").mkdir()
    db = ingest(runner, source, tmp_path / "db" / "namnd.db")
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    conn = emit.connect(db)  # while it is open, SQLite's -wal and -shm files are there: the same mode
    try:
        assert {db.name + "-wal", db.name + "-shm"} <= siblings(db)
        for name in siblings(db):
            assert private(db.parent / name), name
    finally:
        conn.close()
    new_folders = [tmp_path / "ut" / "extract", tmp_path / "csv", tmp_path / "jsonl", tmp_path / "html"]
    for args in (["extract", str(source), "-o", str(new_folders[0]), "--no-progress"],
                 ["export", "--db", str(db), "--format", "csv", "-o", str(new_folders[1])],
                 ["export", "--db", str(db), "--format", "jsonl", "-o", str(new_folders[2])],
                 ["review", str(source), "-o", str(new_folders[3])]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
    for folder in new_folders + [tmp_path / "ut"]:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        for path in folder.iterdir():
            assert path.is_dir() or stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_umask_narrows_the_modes_further(tmp_path):
    old = os.umask(0o277)
    try:
        outputs.make_dirs(tmp_path / "smal")
        outputs.write_text(tmp_path / "fil.txt", "hej")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "smal").stat().st_mode) == 0o500
    assert stat.S_IMODE((tmp_path / "fil.txt").stat().st_mode) == 0o400


# -- 3. someone else's database ------------------------------------------------------------------------------
def foreign(path: Path, application_id: int = 0, tables: bool = True) -> Path:
    with closing(sqlite3.connect(path)) as conn:
        if application_id:
            conn.execute(f"PRAGMA application_id={application_id}")
        if tables:
            conn.executescript("CREATE TABLE kunder (id INTEGER PRIMARY KEY, namn TEXT);"
                               "INSERT INTO kunder (namn) VALUES ('Anna'), ('Bo');")
        conn.commit()
    return path


@pytest.mark.parametrize("make", [
    lambda p: foreign(p),                                         # tables of its own, no mark
    lambda p: foreign(p, application_id=0x47504B47, tables=False),  # another application's mark
    lambda p: p.write_text("inte en databas\n" * 100, encoding="utf-8"),
], ids=["tables", "application_id", "text"])
def test_another_applications_file_is_refused_and_left_as_it_was(tmp_path, runner, make):
    db = tmp_path / "annan.sqlite"
    make(db)
    before = sha(db)
    result = runner.invoke(main, ["ingest", str(documents(tmp_path / "in")), "--db", str(db), "--workers", "0",
                                  "--no-progress"])
    assert result.exit_code == 2, result.output
    assert "leaves it as it is" in result.output and "Traceback" not in result.output
    assert sha(db) == before
    assert siblings(db) == set()  # no -wal, -shm or -journal either
    with pytest.raises(emit.ForeignDatabaseError):
        emit.connect(db)
    assert sha(db) == before


def marks(db: Path) -> tuple[int, int]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("PRAGMA application_id").fetchone()[0], conn.execute("PRAGMA user_version").fetchone()[0]


def test_a_new_or_empty_file_becomes_a_marked_namnd_database(tmp_path):
    assert emit.APPLICATION_ID == 0x6E6D6E64  # "nmnd"
    empty = tmp_path / "tom.db"
    empty.touch()
    for db in (tmp_path / "ny.db", empty):
        emit.connect(db).close()
        assert marks(db) == (0x6E6D6E64, emit.SCHEMA_VERSION)
        emit.connect(db).close()  # and is used again
        assert marks(db) == (0x6E6D6E64, emit.SCHEMA_VERSION)


def test_a_database_of_an_older_namnd_is_adopted_and_marked(tmp_path):
    db = tmp_path / "gammal.sqlite"
    with closing(sqlite3.connect(db)) as conn:  # the first release's tables, with a document's failure
        conn.executescript("""
            CREATE TABLE documents (id TEXT PRIMARY KEY, path TEXT NOT NULL, format TEXT, pages INTEGER,
                title TEXT, date TEXT, namnd TEXT, forvaltning TEXT, municipality TEXT, diarienummer TEXT,
                schema_version TEXT, record TEXT NOT NULL, ingested_at TEXT);
            CREATE TABLE failures (path TEXT, sha256 TEXT, reason TEXT, at TEXT);
            INSERT INTO failures VALUES ('a.txt', NULL, 'empty file', '2024-01-01T00:00:00Z');""")
        conn.commit()
    emit.connect(db).close()
    assert marks(db) == (0x6E6D6E64, emit.SCHEMA_VERSION)
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT path, reason FROM failures").fetchall() == [("a.txt", "empty file")]


# -- 4. query --------------------------------------------------------------------------------------------------
@pytest.fixture
def empty_db(tmp_path):
    (tmp_path / "tom").mkdir()
    path = tmp_path / "tom" / "namnd.db"
    emit.connect(path).close()
    return path


def test_query_stops_at_its_time_limit(empty_db, runner):
    started = time.monotonic()
    result = runner.invoke(main, ["query", "--db", str(empty_db), "--timeout", "1", ENDLESS.format("count(*)")])
    assert time.monotonic() - started < 30
    assert result.exit_code == 1, result.output
    assert "--timeout" in result.stderr and "Traceback" not in result.output
    (option,) = [p for p in main.commands["query"].params if p.name == "timeout"]
    assert option.default == 60


def test_the_time_limit_counts_time_in_sqlite_only(empty_db):
    conn = emit.connect_readonly(empty_db)
    limit = emit.TimeLimit(conn, 0.5, every=100)
    with limit.running():
        cur = conn.execute(ENDLESS.format("x"))
    for _ in range(3):
        time.sleep(0.3)  # a slow reader: 0.9 s between fetches, not counted
        with limit.running():
            assert len(cur.fetchmany(10)) == 10
    assert not limit.exceeded
    with pytest.raises(sqlite3.OperationalError), limit.running():
        cur.fetchall()
    assert limit.exceeded
    conn.close()


@pytest.mark.parametrize("fmt, first_lines", [
    ([], ["x", "1", "2"]),
    (["--csv"], ['"x"', "1", "2"]),
    (["--json"], ["[", "{", '"x": 1', "},"]),
])
def test_query_prints_rows_as_they_come(empty_db, fmt, first_lines):
    # an endless result: rows printed only after it is all fetched would never be printed
    cmd = [sys.executable, "-m", "pipeline.cli", "query", "--db", str(empty_db), *fmt, ENDLESS.format("x")]
    env = {**os.environ, "PYTHONPATH": str(CODE)}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    got = b""
    deadline = time.monotonic() + 30
    try:
        while got.count(b"\n") < 10 and time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], 0.5)
            if ready:
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                got += chunk
    finally:
        proc.kill()
        proc.wait()
    lines = [line.strip() for line in got.decode().splitlines()]
    assert lines[:len(first_lines)] == first_lines, got[:200]


def test_query_output_unchanged_in_form(db, runner):
    result = runner.invoke(main, ["query", "--db", str(db), "--json", "SELECT category FROM challenges ORDER BY start"])
    assert result.exit_code == 0, result.output
    assert result.output == json.dumps([{"category": "lokaler"}, {"category": "personalomsättning"},
                                        {"category": "personalomsättning"}], ensure_ascii=False, indent=2) + "\n"
    result = runner.invoke(main, ["query", "--db", str(db), "--json", "SELECT 1 WHERE 0"])
    assert result.output == "[]\n"


@pytest.mark.parametrize("sql, column", [
    ("PRAGMA table_info(documents)", "name"),
    ("PRAGMA main.table_xinfo('documents')", "name"),
    ("PRAGMA index_list(documents)", "name"),
    ("PRAGMA index_info(documents_path)", "name"),
    ("PRAGMA foreign_key_list(sections)", "table"),
    ("SELECT name FROM pragma_table_info('documents')", "name"),
    ("PRAGMA user_version", "user_version"),
])
def test_pragmas_that_read_are_allowed(db, runner, sql, column):
    result = runner.invoke(main, ["query", "--db", str(db), "--json", sql])
    assert result.exit_code == 0, result.output
    assert column in json.loads(result.output)[0]


@pytest.mark.parametrize("sql", ["PRAGMA journal_mode=delete", "PRAGMA user_version=5", "PRAGMA query_only=0",
                                 "PRAGMA application_id=1", "PRAGMA wal_checkpoint(TRUNCATE)",
                                 "PRAGMA writable_schema=1", "UPDATE sqlite_master SET sql = 'x'",
                                 "SELECT * FROM pragma_user_version(5)"])
def test_pragmas_that_write_are_still_refused(db, runner, sql):
    before = marks(db)
    result = runner.invoke(main, ["query", "--db", str(db), sql])
    assert result.exit_code == 2, result.output
    assert marks(db) == before


def read_only_copy(db: Path, folder: Path) -> Path:
    folder.mkdir()
    copy = folder / db.name
    shutil.copy(db, copy)  # the database was closed: no -wal left to copy
    assert siblings(copy) == set()
    return copy


@pytest.mark.parametrize("command", [["query", "SELECT COUNT(*) FROM documents"], ["search", "lokaler"]])
def test_nothing_is_left_beside_a_read_only_database_file(db, tmp_path, runner, command):
    copy = read_only_copy(db, tmp_path / "arkiv")
    copy.chmod(0o444)
    result = runner.invoke(main, [command[0], "--db", str(copy), command[1]])
    assert result.exit_code == 0, result.output
    assert "1" in result.output or "lokaler" in result.output
    assert siblings(copy) == set()


def test_nothing_is_left_in_a_read_only_folder_and_export_works_there(db, tmp_path, runner):
    copy = read_only_copy(db, tmp_path / "arkiv")
    copy.parent.chmod(0o555)
    try:
        result = runner.invoke(main, ["query", "--db", str(copy), "SELECT COUNT(*) AS n FROM documents", "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == [{"n": 1}]
        result = runner.invoke(main, ["export", "--db", str(copy), "--format", "csv", "-o", str(tmp_path / "ut")])
        assert result.exit_code == 0, result.output
        assert (tmp_path / "ut" / "documents.csv").is_file()
        assert siblings(copy) == set()
    finally:
        copy.parent.chmod(0o755)


def wal_database(folder: Path) -> Path:
    """A database whose last transaction is only in its -wal file (copied while its writer was open)."""
    source = folder / "skrivs"
    source.mkdir(parents=True)
    conn = sqlite3.connect(source / "w.db")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("INSERT INTO t VALUES ('bara i walen')")
    conn.commit()
    copy = folder / "kopia"
    copy.mkdir()
    for name in ("w.db", "w.db-wal"):
        shutil.copy(source / name, copy / name)
    conn.close()
    assert (copy / "w.db-wal").stat().st_size > 0
    return copy / "w.db"


def test_a_read_only_database_with_a_wal_is_read_with_it(tmp_path, runner):
    db = wal_database(tmp_path)
    db.chmod(0o444)
    result = runner.invoke(main, ["query", "--db", str(db), "--json", "SELECT x FROM t"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"x": "bara i walen"}]


def test_a_wal_that_cannot_be_read_is_named_in_a_warning(tmp_path, runner):
    db = wal_database(tmp_path)
    db.parent.chmod(0o555)
    try:
        result = runner.invoke(main, ["query", "--db", str(db), "--json", "SELECT COUNT(*) AS n FROM t"])
    finally:
        db.parent.chmod(0o755)
    assert result.exit_code == 0, result.output
    assert "w.db-wal" in result.stderr and "missing" in result.stderr
    assert json.loads(result.stdout) == [{"n": 0}]  # the database file as it was at its last checkpoint


# -- 5. output that attacks its reader ----------------------------------------------------------------------
def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_cells_never_run_as_formulas(db, tmp_path, runner):
    with closing(sqlite3.connect(db)) as conn, conn:  # numbers stay numbers, a sign and all
        conn.execute("INSERT INTO staffing (document_id, headcount, days_min, unit, text) "
                     "VALUES ('x', -3, -0.5, '-3', '+46 8 123 45')")
    out = tmp_path / "export"
    result = runner.invoke(main, ["export", "--db", str(db), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    raw = (out / "challenges.csv").read_text(encoding="utf-8-sig")
    texts = [r["text"] for r in csv.DictReader(io.StringIO(raw))]
    assert texts[0] == "'=HYPERLINK(\"http://x\",\"klicka\") Det har varit svårt att hitta lokaler hos polisen."
    assert texts[1].startswith("'@SUMMA(A1)")
    assert texts[2].startswith("Det har varit svårt")  # not a formula: as it is
    assert '"\'=HYPERLINK(""http://x"",""klicka"")' in raw  # quoted, quotes doubled
    staffing = list(csv.DictReader(io.StringIO((out / "staffing.csv").read_text(encoding="utf-8-sig"))))[-1]
    assert (staffing["headcount"], staffing["days_min"]) == ("-3", "-0.5")
    assert (staffing["unit"], staffing["text"]) == ("'-3", "'+46 8 123 45")  # text that looks like a number is text

    result = runner.invoke(main, ["query", "--db", str(db), "--csv",
                                  "SELECT text, -3 AS n, '=1+1' AS f FROM challenges ORDER BY start LIMIT 1"])
    assert result.exit_code == 0, result.output
    assert rows_of(result.stdout) == [["text", "n", "f"], [texts[0], "-3", "'=1+1"]]


def test_control_characters_never_reach_a_terminal_raw(db, runner, monkeypatch):
    sql = "SELECT text FROM challenges ORDER BY start"
    table = runner.invoke(main, ["query", "--db", str(db), sql]).stdout
    assert "\x1b" not in table and "\x9b" not in table and "\x07" not in table
    assert "\\x1b]0;kapad\\x07\\x1b[2J" in table
    hits = runner.invoke(main, ["search", "--db", str(db), "behålla"]).stdout
    assert "\x1b" not in hits and "\\x1b" in hits
    for args in (["--json"], []):
        out = runner.invoke(main, ["search", "--db", str(db), "behålla", *args]).stdout
        assert "\x9b" not in out and "\x1b" not in out
    # JSON: the same text, escaped by JSON (C1 controls too)
    out = runner.invoke(main, ["query", "--db", str(db), "--json", sql]).stdout
    assert "\x9b" not in out and json.loads(out)[2]["text"].count("\x1b") == 2
    assert "\x9b31m" in json.loads(out)[2]["text"]
    # CSV into a pipe or a file: the exact text; to a terminal: escaped
    out = runner.invoke(main, ["query", "--db", str(db), "--csv", sql]).stdout
    assert "\x1b]0;kapad\x07\x1b[2J" in rows_of(out)[3][0]
    # the records to standard output: the same JSON values, with C1 controls escaped too
    out = runner.invoke(main, ["export", "--db", str(db), "--format", "jsonl", "-o", "-"]).stdout
    assert "\x9b" not in out and "\x9b31m" in Record.model_validate_json(out).text
    monkeypatch.setattr("pipeline.cli._is_terminal", lambda stream: True)
    out = runner.invoke(main, ["query", "--db", str(db), "--csv", sql]).stdout
    assert "\x1b" not in out and "\\x1b]0;kapad" in out


def test_escape_controls_and_json_safe():
    assert outputs.escape_controls("a\x1b[31mb\nc\td\u202ee\x9b") == "a\\x1b[31mb\\nc\\td\\u202ee\\x9b"
    assert outputs.escape_controls("rad\nrad\tx\r", keep="\n\t") == "rad\nrad\tx\\r"
    text = json.dumps({"t": "a\x9bb\u202ec\x7f"}, ensure_ascii=False)
    assert json.loads(outputs.json_safe(text)) == {"t": "a\x9bb\u202ec\x7f"}
    assert not any(ch in outputs.json_safe(text) for ch in "\x9b\u202e\x7f")


# -- 6. export's errors, extract's earlier runs ----------------------------------------------------------------
def test_export_to_a_folder_that_cannot_be_written_is_an_error_message(db, tmp_path, runner):
    blocker = tmp_path / "en_fil"
    blocker.write_text("x", encoding="utf-8")
    result = runner.invoke(main, ["export", "--db", str(db), "--format", "csv", "-o", str(blocker / "ut")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "cannot" in result.output and "Traceback" not in result.output
    out = tmp_path / "ut"
    (out / "documents.csv").mkdir(parents=True)  # something that cannot be replaced by a file
    for fmt in ("csv", "jsonl"):
        if fmt == "jsonl":
            (out / "records.jsonl").mkdir()
        result = runner.invoke(main, ["export", "--db", str(db), "--format", fmt, "-o", str(out)])
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
        assert "error: cannot write" in result.output
        assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(ROOT, reason="root writes into a folder without write permission")
def test_export_to_a_read_only_folder_is_an_error_message(db, tmp_path, runner):
    out = tmp_path / "låst"
    out.mkdir(mode=0o555)
    try:
        result = runner.invoke(main, ["export", "--db", str(db), "--format", "csv", "-o", str(out)])
    finally:
        out.chmod(0o755)
    assert result.exit_code == 1 and "error: cannot write" in result.output


def test_extract_removes_what_its_previous_run_wrote_and_this_one_did_not(tmp_path, runner):
    source = documents(tmp_path / "in", ("a_rapport.txt", RAPPORT), ("b_andra.txt", ANDRA))
    out = tmp_path / "ut"
    result = runner.invoke(main, ["extract", str(source), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.glob("*.json")} == {"a_rapport.json", "b_andra.json"}
    (out / "egen.json").write_text("{}", encoding="utf-8")  # the user's own: never touched
    (out / "anteckningar.txt").write_text("mina", encoding="utf-8")
    (source / "b_andra.txt").unlink()
    result = runner.invoke(main, ["extract", str(source), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.glob("*.json")} == {"a_rapport.json", "egen.json"}
    assert "removed 1 files" in result.stdout and "b_andra.json" in result.stdout
    assert "egen.json" in result.stderr and "warning" in result.stderr
    assert (out / "egen.json").read_text(encoding="utf-8") == "{}"
    assert (out / "anteckningar.txt").read_text(encoding="utf-8") == "mina"
    assert len((out / "records.jsonl").read_text(encoding="utf-8").splitlines()) == 1
    assert result.output.splitlines()[-1].startswith("total:")


def test_a_manifest_never_removes_anything_outside_its_folder(tmp_path):
    out = tmp_path / "ut"
    out.mkdir()
    elsewhere = tmp_path / "annan.json"
    elsewhere.write_text("{}", encoding="utf-8")
    (out / outputs.MANIFEST).write_text(f"../annan.json\n{elsewhere}\nrecords.jsonl\nx.txt\n", encoding="utf-8")
    assert outputs.previous_outputs(out) == {"records.jsonl"}
    outputs.settle_folder(out, {"records.jsonl"}, outputs.previous_outputs(out))
    assert elsewhere.exists()
