"""Batch inputs and workers: what a nightly job over an archive share meets.

Worker processes import nothing from the folder a command runs in; a file name that is
not UTF-8 is one file among others; an error in the parent ends the workers; symbolic
links out of the input folders are followed only when asked; nothing the listing passes
over (a folder it cannot read, a dangling link, a loop, a named pipe) goes unreported;
and a failure the run caused (a timeout) is tried again by the next run, while a failure
of the file is not.

The documents are short Swedish texts written for these tests. Commands that start
worker processes or could hang run in a subprocess with a time limit.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from models import Record
from pipeline.cli import main

NAMND = Path(sys.executable).parent / "namnd"

DOCUMENTS = [
    """Tjänsteskrivelse
2023-05-11

Samverkan mellan socialtjänsten och polisen i Rinkeby

Ärendet

Två socialsekreterare arbetar i polisens lokaler i Rinkeby tre dagar i veckan.
Polisen gör anmälan enligt 14 kap. 1 § socialtjänstlagen (2001:453).
""",
    """Tjänsteutlåtande
2022-11-03

Uppföljning av fältarbetet i Tensta

Bakgrund

Fältassistenterna har under hösten mött unga på kvällstid tillsammans med polisen.
Det har varit svårt att rekrytera personal till verksamheten.
""",
    """Tjänsteskrivelse
2024-01-22

Rapport om trygghetsarbetet i Husby

Sammanfattning

Stadsdelsförvaltningen och lokalpolisområdet har gemensamma möten varje vecka.
Uppgifter lämnas med stöd av 10 kap. 18 a § offentlighets- och sekretesslagen.
""",
]
SECRET = "Hemlig anteckning som aldrig får läsas in: lösenordet till arkivet är sommarregn.\n"


def write_docs(folder: Path, n: int = len(DOCUMENTS), prefix: str = "") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = folder / f"{prefix}{i:02d}_handling.txt"
        p.write_text(DOCUMENTS[i % len(DOCUMENTS)] + f"\nDiarienummer SN {2020 + i}/{100 + i}.\n", encoding="utf-8")
        out.append(p)
    return out


def rows(db: Path, sql: str, *args) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql, args).fetchall()


def session_processes(sid: int) -> list[int]:
    """Processes still alive in the session ``sid`` (a command started with start_new_session)."""
    alive = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            alive.append(int(entry))
    return alive


def run(cmd: list[str], *, cwd: Path | None = None, timeout: float = 180, memory: int | None = None
        ) -> subprocess.CompletedProcess:
    """Run a command in a session of its own; a hang (past ``timeout``) fails the test and
    ends every process of the session. ``memory``: a limit of its address space in bytes."""

    def limit() -> None:
        if memory:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            errors="replace", start_new_session=True, preexec_fn=limit if memory else None)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"{' '.join(map(str, cmd))} did not end within {timeout} s")
    # the workers and the fork server end with the command
    deadline = time.monotonic() + 10
    while session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = session_processes(proc.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"processes left running after {cmd[1:3]}: {left}"
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def live_workers() -> list:
    return [p for p in multiprocessing.active_children() if p.name == "namnd-worker"]




# -- 1. nothing is imported from the current folder ------------------------------------------------
#: modules a worker imports (or the command itself, under python -m); each leaves a mark when run
PLANTED = ("ftfy", "regex", "numpy", "models", "spacy", "click", "pydantic")


@pytest.mark.parametrize("launcher", ["console script", "python -m"])
@pytest.mark.parametrize("command", ["ingest", "extract"])
def test_workers_never_import_modules_from_the_current_folder(tmp_path, launcher, command):
    work = tmp_path / "nattjobb"
    work.mkdir()
    marks = tmp_path / "marks"
    marks.mkdir()
    for name in PLANTED:
        (work / f"{name}.py").write_text(f"open({str(marks / name)!r}, 'w').write('körd')\n", encoding="utf-8")
    docs = write_docs(tmp_path / "in", 2)
    prefix = [str(NAMND)] if launcher == "console script" else [sys.executable, "-m", "pipeline.cli"]
    if command == "ingest":
        args = ["ingest", str(docs[0].parent), "--db", str(tmp_path / "db.sqlite"), "--workers", "1", "--no-progress"]
    else:
        args = ["extract", str(docs[0].parent), "-o", str(tmp_path / "out"), "--workers", "2", "--no-progress"]
    result = run(prefix + args, cwd=work)
    assert sorted(p.name for p in marks.iterdir()) == [], result.stderr[-3000:]
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]


def test_the_import_path_given_to_children_keeps_the_installation_and_drops_the_current_folder(tmp_path, monkeypatch):
    from pipeline import importpath

    elsewhere = tmp_path / "annan"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    own = sorted(importpath.own_roots())
    cleaned = importpath.clean(["", ".", "rel/lib", str(elsewhere), "/usr/lib/python3/dist-packages", *own])
    assert cleaned == ["/usr/lib/python3/dist-packages", *own]
    # run from the checkout it was imported from, the checkout stays (as an absolute path)
    monkeypatch.chdir(own[0])
    assert importpath.clean(["", "/opt/x"]) == [os.path.abspath(own[0]), "/opt/x"]


# -- 2. names that are not UTF-8; errors in the parent ---------------------------------------------
NOT_UTF8 = b"rapport_\xe5r_2023.txt"  # Latin-1 "rapport_år_2023.txt", as an old Samba share writes it
SHOWN = "rapport_\\xe5r_2023.txt"


def folder_with_a_latin1_name(tmp_path: Path) -> Path:
    folder = tmp_path / "delning"
    write_docs(folder, 2)
    try:
        with open(os.path.join(os.fsencode(folder), NOT_UTF8), "wb") as fh:
            fh.write((DOCUMENTS[2] + "\nEn handling med ett gammalt filnamn.\n").encode("utf-8"))
    except OSError as exc:  # a file system that takes UTF-8 names only
        pytest.skip(f"cannot make a file name that is not UTF-8 here: {exc}")
    return folder


@pytest.mark.parametrize("workers", ["0", "2"])
def test_ingest_stores_a_name_that_is_not_utf8_escaped_and_goes_on(tmp_path, workers):
    folder = folder_with_a_latin1_name(tmp_path)
    db = tmp_path / "db.sqlite"
    cmd = [str(NAMND), "ingest", str(folder), "--db", str(db), "--workers", workers, "--no-progress", "--json"]
    first = run(cmd)
    assert first.returncode == 0, first.stdout + first.stderr[-3000:]
    summary = json.loads(first.stdout)
    assert (summary["new"], summary["failed"]) == (3, 0)
    stored = {Path(p).name: (Path(a).name, json.loads(r)["source"]["path"])
              for p, a, r in rows(db, "SELECT path, abs_path, record FROM documents")}
    assert stored[SHOWN][0] == SHOWN and stored[SHOWN][1].endswith(SHOWN)
    # the stored name matches the file again: the rerun skips it
    again = run(cmd)
    assert again.returncode == 0 and json.loads(again.stdout)["skipped"] == 3, again.stdout + again.stderr[-2000:]
    assert json.loads(rows(db, "SELECT paths FROM runs WHERE id = 2")[0][0]) == [str(folder)]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_extract_prints_and_writes_a_name_that_is_not_utf8_escaped(tmp_path, workers):
    folder = folder_with_a_latin1_name(tmp_path)
    out = tmp_path / "ut"
    result = run([str(NAMND), "extract", str(folder), "-o", str(out), "--workers", workers, "--no-progress"])
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert f"ok      {folder}/{SHOWN} → " in result.stdout
    assert "3 ok, 0 failed" in result.stdout
    paths = [Record.model_validate_json(line).source.path
             for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    assert paths[-1] == f"{folder}/{SHOWN}" and len(paths) == 3


def test_an_error_in_the_parent_ends_the_workers(tmp_path):
    from pipeline.ingest import ingest

    folder = tmp_path / "in"
    write_docs(folder, 3)
    db = tmp_path / "db.sqlite"

    def broken(outcome):
        if outcome.status == "new":
            raise RuntimeError("fel i anroparens återanrop")

    with pytest.raises(RuntimeError, match="återanrop") as caught:
        ingest([folder], db, workers=2, on_outcome=broken)
    # the traceback still holds the run's frames: its workers must have ended all the same
    assert caught.value is not None
    assert live_workers() == []
    assert rows(db, "SELECT status FROM runs") == [("interrupted",)]


INJECT = """
import sys

import pipeline.ingest as ing

real_add = ing.IngestSummary.add


def add(self, outcome):
    real_add(self, outcome)
    if outcome.status == "new":
        raise RuntimeError("fel i huvudprocessen")


if __name__ == "__main__":
    ing.IngestSummary.add = add
    from pipeline.cli import main

    sys.argv = ["namnd", "ingest", sys.argv[1], "--db", sys.argv[2], "--workers", "2", "--no-progress"]
    main()
"""


def test_an_error_in_the_parent_never_leaves_the_command_hanging(tmp_path):
    folder = tmp_path / "in"
    write_docs(folder, 3)
    script = tmp_path / "inject.py"
    script.write_text(INJECT, encoding="utf-8")
    result = run([sys.executable, str(script), str(folder), str(tmp_path / "db.sqlite")], timeout=120)
    assert "fel i huvudprocessen" in result.stderr
    assert result.returncode == 1


def test_an_error_writing_the_output_ends_the_extract_workers(tmp_path, monkeypatch):
    import pipeline.emit

    folder = tmp_path / "in"
    write_docs(folder, 3)

    def broken(record, path):
        raise RuntimeError("fel när posten skrevs")

    monkeypatch.setattr(pipeline.emit, "write_json", broken)
    result = CliRunner().invoke(main, ["extract", str(folder), "-o", str(tmp_path / "ut"), "--workers", "2",
                                       "--no-progress"])
    assert isinstance(result.exception, RuntimeError), result.output
    assert live_workers() == []


def test_one_document_that_breaks_spacys_batch_fails_alone(tmp_path, shared_pipeline, monkeypatch):
    from pipeline.core import Failure

    Pipeline = type(shared_pipeline)
    docs = write_docs(tmp_path / "in", 3)
    docs[1].write_text(DOCUMENTS[1] + "\nTRASIG rad som modellen inte klarar.\n", encoding="utf-8")
    real = Pipeline._make_doc

    def make_doc(self, p):
        if "TRASIG" in p.cleaned.text:
            raise ValueError("modellen klarar inte dokumentet")
        return real(self, p)

    monkeypatch.setattr(Pipeline, "_make_doc", make_doc)
    results = list(shared_pipeline.extract_many(docs))
    assert [Path(p).name for p, _ in results] == [d.name for d in docs]
    assert isinstance(results[0][1], Record) and isinstance(results[2][1], Record)
    assert isinstance(results[1][1], Failure) and "modellen klarar inte" in results[1][1].reason


# -- 3 and 4. links, loops, unreadable folders, pipes: followed by policy, never lost in silence -------
OUTSIDE_FILE = "symbolic link to a file outside the input folders (use --follow-symlinks)"
OUTSIDE_FOLDER = "symbolic link to a folder outside the input folders (use --follow-symlinks)"


def outside(tmp_path: Path) -> Path:
    other = tmp_path / "utanfor"
    other.mkdir(exist_ok=True)
    (other / "hemlig.txt").write_text(DOCUMENTS[0] + SECRET, encoding="utf-8")
    (other / "mapp").mkdir(exist_ok=True)
    (other / "mapp" / "annan.txt").write_text(DOCUMENTS[1] + SECRET, encoding="utf-8")
    return other


def make_link_to_outside_file(folder: Path, tmp_path: Path) -> str:
    (folder / "genvag.txt").symlink_to(outside(tmp_path) / "hemlig.txt")
    return "genvag.txt"


def make_link_to_outside_folder(folder: Path, tmp_path: Path) -> str:
    (folder / "arkivet").symlink_to(outside(tmp_path) / "mapp")
    return "arkivet"


def make_dangling_link(folder: Path, tmp_path: Path) -> str:
    (folder / "borttagen.txt").symlink_to(folder / "finns_inte.txt")
    return "borttagen.txt"


def make_link_loop(folder: Path, tmp_path: Path) -> str:
    (folder / "slinga_a.txt").symlink_to(folder / "slinga_b.txt")
    (folder / "slinga_b.txt").symlink_to(folder / "slinga_a.txt")
    return "slinga_a.txt"


def make_fifo(folder: Path, tmp_path: Path) -> str:
    os.mkfifo(folder / "ror.txt")
    return "ror.txt"


#: (what the folder holds, how it is made, the reason it is reported with, kind)
PASSED_OVER = [
    ("link to a file outside", make_link_to_outside_file, OUTSIDE_FILE),
    ("link to a folder outside", make_link_to_outside_folder, OUTSIDE_FOLDER),
    ("dangling link", make_dangling_link, "dangling symbolic link"),
    ("link loop", make_link_loop, "symbolic link loop"),
    ("named pipe", make_fifo, "not a regular file: a named pipe"),
]


@pytest.mark.parametrize("what,make,reason", PASSED_OVER, ids=[c[0] for c in PASSED_OVER])
def test_ingest_reports_what_it_passes_over_and_exits_1(tmp_path, shared_pipeline, what, make, reason):
    folder = tmp_path / "in"
    write_docs(folder, 2)
    name = make(folder, tmp_path)
    db = tmp_path / "db.sqlite"
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "--workers", "0", "--json",
                                       "--no-progress"])
    assert result.exit_code == 1, result.output
    summary = json.loads(result.output)
    assert summary["new"] == 2 and summary["failed"] >= 1
    failure = next(f for f in summary["failures"] if Path(f["path"]).name == name)
    assert failure["reason"].startswith(reason) and failure["kind"] == "file"
    stored = {Path(p).name: (r, k) for p, r, k in rows(db, "SELECT path, reason, kind FROM failures")}
    assert stored[name][0].startswith(reason) and stored[name][1] == "file"
    # nothing from outside the input folders was read
    assert rows(db, "SELECT COUNT(*) FROM documents WHERE record LIKE '%sommarregn%'") == [(0,)]
    text = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "--workers", "0", "--no-progress"])
    assert text.exit_code == 1 and f"failed  {folder / name}: {reason}" in text.output
    assert "2 skipped" in text.output


@pytest.mark.parametrize("what,make,reason", PASSED_OVER, ids=[c[0] for c in PASSED_OVER])
def test_extract_reports_what_it_passes_over_and_exits_1(tmp_path, shared_pipeline, what, make, reason):
    folder = tmp_path / "in"
    write_docs(folder, 2)
    name = make(folder, tmp_path)
    result = CliRunner().invoke(main, ["extract", str(folder), "-o", str(tmp_path / "ut"), "--no-progress"])
    assert result.exit_code == 1, result.output
    assert f"failed  {folder / name}: {reason}" in result.output
    assert "2 ok" in result.output
    assert "sommarregn" not in (tmp_path / "ut" / "records.jsonl").read_text(encoding="utf-8")


@pytest.mark.parametrize("make,taken", [(make_link_to_outside_file, ["genvag.txt"]),
                                        (make_link_to_outside_folder, ["annan.txt"])],
                         ids=["file", "folder"])
def test_follow_symlinks_takes_links_out_of_the_input_folders(tmp_path, shared_pipeline, make, taken):
    folder = tmp_path / "in"
    write_docs(folder, 2)
    make(folder, tmp_path)
    db = tmp_path / "db.sqlite"
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "--workers", "0", "--json",
                                       "--no-progress", "--follow-symlinks"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["new"] == 3
    assert sorted(Path(p).name for (p,) in rows(db, "SELECT path FROM documents")) == sorted(
        ["00_handling.txt", "01_handling.txt", *taken])
    out = tmp_path / "ut"
    result = CliRunner().invoke(main, ["extract", str(folder), "-o", str(out), "--no-progress", "--follow-symlinks"])
    assert result.exit_code == 0 and "3 ok, 0 failed" in result.output, result.output


def test_links_inside_the_input_folders_are_followed_and_a_link_named_is_taken(tmp_path, shared_pipeline):
    folder = tmp_path / "in"
    docs = write_docs(folder, 2)
    (folder / "sub").mkdir()
    (folder / "sub" / "senaste.txt").symlink_to(docs[0])  # inside: the same document, once
    (folder / "alla").symlink_to(folder)  # a link back to the folder itself: its files are listed
    other = outside(tmp_path)
    named = tmp_path / "namngiven.txt"
    named.symlink_to(other / "hemlig.txt")  # named on the command line: the user chose it
    db = tmp_path / "db.sqlite"
    result = CliRunner().invoke(main, ["ingest", str(folder), str(named), "--db", str(db), "--workers", "0",
                                       "--json", "--no-progress"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert (summary["new"], summary["failed"]) == (3, 0)


def scandir_refusing(folder: Path):
    real = os.scandir

    def scandir(path="."):
        if os.path.realpath(path) == os.path.realpath(folder):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    return scandir


def test_a_folder_that_cannot_be_listed_is_reported_and_cleared_once_listed(tmp_path, shared_pipeline, monkeypatch):
    folder = tmp_path / "in"
    write_docs(folder, 2)
    locked = folder / "las"
    locked.mkdir()
    (locked / "last.txt").write_text(DOCUMENTS[2] + "\nEn handling i en låst mapp.\n", encoding="utf-8")
    db = tmp_path / "db.sqlite"
    args = ["ingest", str(folder), "--db", str(db), "--workers", "0", "--json", "--no-progress"]
    with monkeypatch.context() as m:
        m.setattr(os, "scandir", scandir_refusing(locked))
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, result.output
        summary = json.loads(result.output)
        assert summary["new"] == 2
        assert [(Path(f["path"]).name, f["reason"]) for f in summary["failures"]] == [
            ("las", "cannot list folder: Permission denied")]
        extracted = CliRunner().invoke(main, ["extract", str(folder), "-o", str(tmp_path / "ut"), "--no-progress"])
        assert extracted.exit_code == 1 and f"failed  {locked}: cannot list folder" in extracted.output
    assert rows(db, "SELECT reason FROM failures") == [("cannot list folder: Permission denied",)]
    # readable again: its file is stored and the folder's failure is gone
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["new"] == 1
    assert rows(db, "SELECT COUNT(*) FROM failures") == [(0,)]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every folder")
def test_a_folder_without_read_permission_is_reported(tmp_path, shared_pipeline):
    folder = tmp_path / "in"
    write_docs(folder, 1)
    locked = folder / "las"
    write_docs(locked, 1, prefix="last_")
    locked.chmod(0)
    try:
        result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(tmp_path / "db.sqlite"),
                                           "--workers", "0", "--no-progress"])
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 1 and f"failed  {locked}: cannot list folder" in result.output


def test_extract_refuses_a_named_pipe_named_on_the_command_line(tmp_path):
    fifo = tmp_path / "ror.txt"
    os.mkfifo(fifo)
    doc = write_docs(tmp_path / "in", 1)[0]
    result = run([str(NAMND), "extract", str(doc), str(fifo), "-o", str(tmp_path / "ut"), "--no-progress"],
                 timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr[-2000:]
    assert f"failed  {fifo}: not a regular file: a named pipe (FIFO)" in result.stdout
    assert "1 ok, 1 failed" in result.stdout


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_the_reader_refuses_a_device_before_reading_it(device):
    code = ("from pipeline.read import ReadError, read\n"
            f"try:\n    read({device!r})\nexcept ReadError as exc:\n    print(exc.reason)\n")
    result = run([sys.executable, "-c", code], timeout=60, memory=1 << 30)
    assert result.stdout.strip() == "not a regular file: a character device", result.stderr[-2000:]


def test_ingest_refuses_a_device_named_on_the_command_line(tmp_path, shared_pipeline):
    db = tmp_path / "db.sqlite"
    result = CliRunner().invoke(main, ["ingest", "/dev/zero", "--db", str(db), "--workers", "0", "--no-progress"])
    assert result.exit_code == 1
    assert "failed  /dev/zero: not a regular file: a character device" in result.output


# -- 5. failures of the file and failures of the run ---------------------------------------------
def hang_on_stuck_files(pipe, path, mode):
    """Run in the workers instead of the normal work: a file named *fastnar* never finishes."""
    if "fastnar" in Path(path).name:
        time.sleep(3600)
    from pipeline.ingest import _process_one

    return _process_one(pipe, path, mode)


def test_a_timeout_is_tried_again_by_the_next_run_and_a_corrupt_file_is_not(tmp_path, shared_pipeline, monkeypatch):
    import functools

    import pipeline.ingest as ing

    folder = tmp_path / "in"
    write_docs(folder, 2)
    stuck = folder / "fastnar.txt"
    stuck.write_text(DOCUMENTS[2] + "\nEn lång handling.\n", encoding="utf-8")
    (folder / "trasig.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n")
    db = tmp_path / "db.sqlite"
    with monkeypatch.context() as m:
        m.setattr(ing, "run_pool", functools.partial(ing.run_pool, processor=hang_on_stuck_files))
        first = ing.ingest([folder], db, workers=1, timeout=1)
    assert (first.new, first.failed) == (2, 2)
    kinds = {Path(f["path"]).name: (f["kind"], f["reason"]) for f in first.failures}
    assert kinds["fastnar.txt"][0] == "run" and kinds["fastnar.txt"][1].startswith("timeout")
    assert kinds["trasig.pdf"][0] == "file" and kinds["trasig.pdf"][1].startswith("corrupt PDF")
    assert first.kinds == {"file": 1, "run": 1}
    assert dict(rows(db, "SELECT path, kind FROM failures")) == {str(stuck): "run", str(folder / "trasig.pdf"): "file"}

    processed: list[str] = []
    real = ing._run_in_process

    def counting(paths, **kw):
        processed.extend(Path(p).name for p in paths)
        return real(paths, **kw)

    monkeypatch.setattr(ing, "_run_in_process", counting)
    second = ing.ingest([folder], db, workers=0)  # no flags
    assert processed == ["fastnar.txt"]
    assert (second.new, second.skipped, second.failed) == (1, 2, 1)
    assert "not retried" in second.failures[0]["reason"] and second.failures[0]["kind"] == "file"
    assert rows(db, "SELECT path FROM failures") == [(str(folder / "trasig.pdf"),)]


#: a failure row as an older namnd left it (no kind: told by its reason) or as this one does
EARLIER_FAILURES = [
    ("timeout: no result within 600 s", None, True),
    ("worker died: killed by SIGKILL (out of memory?)", None, True),
    ("PDF took longer than the time limit of 540 s to read", None, True),
    ("internal error: MemoryError: ", None, True),
    ("cannot read: Input/output error", None, True),
    ("cannot read: Too many open files", None, True),
    ("corrupt PDF: no pages", None, False),
    ("binary file: contains NUL bytes, not text", None, False),
    ("internal error: ValueError: okänt fel", None, False),
    ("timeout: no result within 600 s", "run", True),
    ("encrypted PDF: a password is needed", "file", False),
]


@pytest.mark.parametrize("reason,kind,retried", EARLIER_FAILURES)
def test_the_kind_of_an_earlier_failure_decides_whether_the_next_run_tries_again(
        tmp_path, shared_pipeline, reason, kind, retried):
    from pipeline.ingest import ingest

    folder = tmp_path / "in"
    (doc,) = write_docs(folder, 1)
    db = tmp_path / "db.sqlite"
    ingest([folder], db, workers=0)
    with closing(sqlite3.connect(db)) as conn, conn:
        digest, = conn.execute("SELECT id FROM documents").fetchone()
        conn.execute("DELETE FROM documents")
        cols, values = ["path", "sha256", "reason", "abs_path", "run_id"], [str(doc), digest, reason,
                                                                             os.path.realpath(doc), 1]
        if kind is not None:
            cols.append("kind")
            values.append(kind)
        conn.execute(f"INSERT INTO failures ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", values)
    again = ingest([folder], db, workers=0)
    if retried:
        assert (again.new, again.failed) == (1, 0)
        assert rows(db, "SELECT COUNT(*) FROM failures") == [(0,)]
    else:
        assert (again.new, again.failed) == (0, 1) and "not retried" in again.failures[0]["reason"]


@pytest.mark.parametrize("reason,kind", [
    ("timeout: no result within 1 s", "run"),
    ("worker died: exit status 1", "run"),
    ("cannot read: No space left on device", "run"),
    ("cannot list folder: Input/output error", "run"),
    ("cannot list folder: Permission denied", "file"),
    ("cannot open: No such file or directory", "file"),
    ("empty file", "file"),
    ("file too large: 99 bytes (limit 10)", "file"),
    ("not a regular file: a named pipe (FIFO)", "file"),
    (OUTSIDE_FILE, "file"),
])
def test_failure_kinds(reason, kind):
    from pipeline.ingest import failure_kind

    assert failure_kind(reason) == kind


def test_the_text_summary_says_which_failures_the_run_caused(tmp_path, monkeypatch):
    import pipeline.ingest as ing

    folder = tmp_path / "in"
    write_docs(folder, 1)

    def fake_ingest(*args, **kwargs):
        summary = ing.IngestSummary(db="x", files=2, new=1)
        summary.add(ing.Outcome(str(folder / "fastnar.txt"), "failed", None, "timeout: no result within 1 s", "run"))
        return summary

    monkeypatch.setattr(ing, "ingest", fake_ingest)
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(tmp_path / "db.sqlite"), "--no-progress"])
    assert result.exit_code == 1
    assert "failed  " + str(folder / "fastnar.txt") + ": timeout: no result within 1 s (caused by the run: " \
        "tried again by the next run)" in result.output
    assert "1 failed (1 caused by the run)" in result.output
