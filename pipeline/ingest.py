"""Batch ingestion of folders into SQLite: incremental, idempotent, crash-safe, parallel.

    >>> from pipeline.ingest import ingest
    >>> summary = ingest(["corpus/"], "namnd.sqlite")           # doctest: +SKIP
    >>> summary.new, summary.skipped, summary.failed            # doctest: +SKIP
    (5, 0, 0)

What a run does:

1. **Plan** (in this process, no spaCy pipeline is built): every input file is hashed
   (sha256 of its bytes, the document ``id``). A file whose hash is already in
   ``documents`` is *skipped*; so is a second copy of the same bytes in one run. Empty,
   oversized, unreadable and non-regular files are recorded as failed here. When nothing
   is left to do, the run ends without starting any worker.
2. **Process** the rest in ``workers`` processes (default: the usable CPUs), each building
   the :class:`~pipeline.core.Pipeline` once when it starts. A worker gets one file at a
   time; one that has not answered within ``timeout`` seconds is killed and replaced, and
   the file is recorded as failed with reason ``timeout``. A worker that dies (a crash, the
   out-of-memory killer) costs only the file it was on.
3. **Store**: this process is the only writer. Each document is written in one
   transaction: the rows of an older version of the same path (a *changed* document) are
   deleted, the new rows inserted and any earlier failure of the path cleared, together.
   A run killed at any moment (``kill -9``) leaves every document either fully stored or
   not at all; the next run hashes again and does the rest, without duplicates.

Files that failed are tried again on the next run (their failure row is replaced, not
added to), so a failure stays visible until the file is fixed or removed. Every run is
logged in the ``runs`` table; one that was killed stays ``running`` there until the next
run marks it ``interrupted``.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import socket
import sqlite3
import stat
import sys
import time
from collections import Counter, deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence, Union

from pipeline import emit
from pipeline.read import DEFAULT_MAX_BYTES, ReadError, sha256_of_file
from pipeline.resources import usable_cpus

#: file name endings taken from folders (a file named explicitly is always taken)
DOCUMENT_SUFFIXES = {".txt", ".text", ".pdf", ".md"}
#: seconds one file may take in a worker before the worker is killed
DEFAULT_TIMEOUT = 600.0

PathLike = Union[str, os.PathLike]


class IngestError(Exception):
    """The run could not go on at all (e.g. no worker can build the spaCy pipeline)."""


def iter_inputs(paths: Iterable[PathLike]) -> Iterator[Path]:
    """Files named, and the document files inside folders named (recursively, sorted)."""
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and (f.suffix.lower() in DOCUMENT_SUFFIXES) and not f.name.startswith("."):
                    yield f
        else:
            yield p


def default_workers() -> int:
    """The CPUs this process may run on (respects taskset/cpusets), at least 1."""
    return usable_cpus()


# -- the summary ---------------------------------------------------------------------------
@dataclass
class Outcome:
    """What happened to one input file."""

    path: str
    status: str  # "new" | "updated" | "moved" | "skipped" | "failed"
    sha256: Optional[str] = None
    reason: Optional[str] = None


@dataclass
class IngestSummary:
    db: str
    run_id: Optional[int] = None
    files: int = 0
    new: int = 0
    updated: int = 0
    #: stored documents found under a new path, their old one gone: the path was updated
    moved: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    #: seconds spent listing and hashing the inputs and checking them against the database
    plan_seconds: float = 0.0
    workers: int = 0
    workers_started: int = 0
    #: per worker process: pid, tasks, peak_rss_mb (getrusage), and at its end, when it ended normally,
    #: pss_mb (shared pages divided among the processes sharing them) and cpu_s (its CPU time)
    worker_stats: list[dict] = field(default_factory=list)
    status: str = "running"

    def add(self, outcome: Outcome) -> None:
        setattr(self, outcome.status, getattr(self, outcome.status) + 1)
        if outcome.status == "failed":
            self.failures.append({"path": outcome.path, "reason": outcome.reason, "sha256": outcome.sha256})

    @property
    def ok(self) -> bool:
        return self.failed == 0

    @property
    def reasons(self) -> dict[str, int]:
        """Failures counted by kind: the reason up to its first colon ("timeout", "empty file", …)."""
        return dict(Counter(f["reason"].split(":", 1)[0] for f in self.failures).most_common())

    @property
    def peak_worker_rss_mb(self) -> Optional[float]:
        values = [w["peak_rss_mb"] for w in self.worker_stats if w.get("peak_rss_mb") is not None]
        return max(values) if values else None

    def as_dict(self) -> dict:
        return {
            "db": self.db, "run_id": self.run_id, "status": self.status, "files": self.files,
            "new": self.new, "updated": self.updated, "moved": self.moved, "skipped": self.skipped,
            "failed": self.failed,
            "reasons": self.reasons, "failures": self.failures,
            "seconds": round(self.seconds, 3), "plan_seconds": round(self.plan_seconds, 3),
            "workers": self.workers, "workers_started": self.workers_started,
            "peak_worker_rss_mb": self.peak_worker_rss_mb,
        }


# -- the run -------------------------------------------------------------------------------
@dataclass
class _Task:
    path: str
    abs_path: str
    sha256: str
    size: int


def ingest(paths: Iterable[PathLike], db: PathLike, *, workers: Optional[int] = None,
           timeout: Optional[float] = DEFAULT_TIMEOUT, model: Optional[str] = None, force: bool = False,
           retry_failed: bool = False, max_bytes: int = DEFAULT_MAX_BYTES, progress: bool = False,
           on_outcome: Optional[Callable[[Outcome], None]] = None,
           keep_personal_numbers: bool = False) -> IngestSummary:
    """Ingest files and folders into the SQLite database ``db`` (created when missing).

    ``workers``: worker processes (default :func:`default_workers`; ``0`` runs in this
    process, without the timeout). ``timeout``: seconds per file (``None`` or ``0``: no
    limit). ``force``: process documents already stored again. ``retry_failed``: process
    again files that failed before with the same bytes (by default they are reported as
    failed with their old reason, without being read again). ``max_bytes``: larger files
    are recorded as failed without being read. ``on_outcome`` is called for every file as
    soon as its fate is known. Raises :class:`IngestError` when no worker can start.
    """
    started = time.perf_counter()
    n_workers = default_workers() if workers is None else int(workers)
    if n_workers < 0:
        raise ValueError("workers must be >= 0")
    timeout = timeout or None
    input_list = [os.fspath(p) for p in paths]
    Path(db).parent.mkdir(parents=True, exist_ok=True)
    conn = emit.connect(db)
    summary = IngestSummary(db=str(db), workers=n_workers)
    try:
        summary.run_id = _start_run(conn, input_list, n_workers)
    except BaseException:
        conn.close()
        raise
    bar = _progress_bar(progress)

    def report(outcome: Outcome) -> None:
        summary.add(outcome)
        if bar is not None:
            bar.update(1)
        if on_outcome is not None:
            on_outcome(outcome)

    try:
        files = _unique(iter_inputs(input_list))
        if bar is not None:
            bar.reset(total=len(files))
        todo = _plan(conn, files, summary, report, max_bytes=max_bytes, force=force,
                     retry_failed=retry_failed or force)
        summary.plan_seconds = time.perf_counter() - started
        if todo:
            if n_workers == 0:
                results = _run_in_process([t.path for t in todo], model=model, mode="rows",
                                          keep_personal_numbers=keep_personal_numbers)
            else:
                results = run_pool([t.path for t in todo], n_workers, model=model, timeout=timeout, mode="rows",
                                   stats=summary.worker_stats, keep_personal_numbers=keep_personal_numbers)
            for i, kind, payload in results:
                report(_commit(conn, todo[i], kind, payload, summary.run_id))
        summary.status = "completed"
    except IngestError:
        summary.status = "failed"
        raise
    except BaseException:
        summary.status = "interrupted"
        raise
    finally:
        summary.seconds = time.perf_counter() - started
        summary.workers_started = len(summary.worker_stats)
        if bar is not None:
            bar.close()
        try:
            _finish_run(conn, summary)
        finally:
            conn.close()
    return summary


def _unique(files: Iterable[Path]) -> list[tuple[str, str]]:
    """(path as given, real absolute path) of each file once, though named twice (a folder and a file in it)."""
    seen: set[str] = set()
    out = []
    for f in files:
        abs_path = os.path.realpath(f)
        if abs_path not in seen:
            seen.add(abs_path)
            out.append((str(f), abs_path))
    return out


def _plan(conn: sqlite3.Connection, files: list[tuple[str, str]], summary: IngestSummary, report: Callable[[Outcome], None],
          *, max_bytes: int, force: bool, retry_failed: bool = False) -> list[_Task]:
    """Hash every input; report skipped and cheaply failed files; return the files to process.

    A file whose bytes already failed under this version of namnd is not processed again
    unless ``retry_failed``: a corrupt file or one that timed out would fail the same way on
    every run (a nightly job would spend the whole timeout on it each night)."""
    from pipeline import __version__

    failing = {row[0] for row in conn.execute("SELECT DISTINCT COALESCE(abs_path, path) FROM failures")}
    seen_digests: set[str] = set()
    todo: list[_Task] = []
    for path, abs_path in files:
        summary.files += 1

        def fail(reason: str, digest: Optional[str] = None) -> None:
            _store_failure(conn, path, abs_path, digest, reason, summary.run_id)
            report(Outcome(path, "failed", digest, reason))

        try:
            st = os.stat(path)
        except OSError as exc:
            fail(f"cannot open: {exc.strerror or exc}")
            continue
        if stat.S_ISDIR(st.st_mode):
            fail("is a directory")
            continue
        if not stat.S_ISREG(st.st_mode):
            fail("not a regular file")
            continue
        try:
            digest = sha256_of_file(path)
        except OSError as exc:
            fail(f"cannot read: {exc.strerror or exc}")
            continue
        if st.st_size == 0:
            fail("empty file", digest)
            continue
        if st.st_size > max_bytes:
            fail(f"file too large: {st.st_size} bytes (limit {max_bytes})", digest)
            continue
        if not retry_failed and (abs_path in failing or path in failing):
            # the same bytes failed under this version of namnd (an upgrade may have fixed it)
            before = conn.execute(
                "SELECT f.reason FROM failures f JOIN runs r ON r.id = f.run_id"
                " WHERE (f.abs_path = ? OR (f.abs_path IS NULL AND f.path = ?)) AND f.sha256 = ?"
                " AND r.namnd_version = ?",
                (abs_path, path, digest, __version__)).fetchone()
            if before is not None:
                report(Outcome(path, "failed", digest,
                               f"{before[0]} (the same bytes failed before; not retried, see --retry-failed)"))
                continue
        duplicate = digest in seen_digests  # a second copy of the same bytes in this run
        seen_digests.add(digest)
        stored = None if duplicate else conn.execute(
            "SELECT abs_path, path FROM documents WHERE id = ?", (digest,)).fetchone()
        if duplicate or (not force and stored):
            status = "skipped"
            stale = _stale_versions(conn, path, abs_path, digest)
            if stale or abs_path in failing or path in failing:
                # the path's bytes changed into a document already stored from elsewhere
                with _writing(conn):
                    for old in stale:
                        emit.delete_document(conn, old)
                    _clear_failures(conn, path, abs_path)
                status = "updated" if stale else "skipped"
            if status == "skipped" and not duplicate and _moved_here(conn, digest, path, abs_path, stored):
                status = "moved"
            report(Outcome(path, status, digest))
            continue
        todo.append(_Task(path, abs_path, digest, st.st_size))
    return todo


def _moved_here(conn: sqlite3.Connection, digest: str, path: str, abs_path: str,
                stored: tuple[Optional[str], str]) -> bool:
    """A stored document (``stored``: its abs_path and path) met under another path while
    its stored path no longer exists: the file was moved or renamed, so its path (column
    and record) becomes this one. A copy (the old path still there) keeps the path it was
    first stored under."""
    old = stored[0] or stored[1]
    if old == abs_path or os.path.exists(old):
        return False
    with _writing(conn):
        conn.execute("UPDATE documents SET path = ?, abs_path = ?, record = json_set(record, '$.source.path', ?) "
                     "WHERE id = ?", (path, abs_path, path, digest))
    return True


def _commit(conn: sqlite3.Connection, task: _Task, kind: str, payload, run_id: Optional[int]) -> Outcome:
    """Store one worker result in one transaction; return the file's outcome."""
    if kind != "ok":
        _store_failure(conn, task.path, task.abs_path, task.sha256, payload, run_id)
        return Outcome(task.path, "failed", task.sha256, payload)
    rows = payload
    rid = rows["documents"][0][0]  # the hash of the bytes the worker read
    with _writing(conn):
        stale = _stale_versions(conn, task.path, task.abs_path, rid)
        for old in stale:
            emit.delete_document(conn, old)
        existed = conn.execute("SELECT 1 FROM documents WHERE id = ?", (rid,)).fetchone() is not None
        if existed:
            emit.delete_document(conn, rid)
        _clear_failures(conn, task.path, task.abs_path)
        emit.insert_rows(conn, rows, abs_path=task.abs_path, size=task.size, run_id=run_id)
    return Outcome(task.path, "updated" if stale or existed else "new", rid)


@contextmanager
def _writing(conn: sqlite3.Connection):
    """One write transaction, taking the write lock at its start (no lock upgrade that could fail
    when another process writes to the same database)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


def _stale_versions(conn: sqlite3.Connection, path: str, abs_path: str, current: str) -> list[str]:
    """Ids of documents stored for this path with other bytes (older versions of a changed file)."""
    return [row[0] for row in conn.execute(
        "SELECT id FROM documents WHERE (abs_path = ? OR (abs_path IS NULL AND path = ?)) AND id != ?",
        (abs_path, path, current))]


def _clear_failures(conn: sqlite3.Connection, path: str, abs_path: str) -> None:
    conn.execute("DELETE FROM failures WHERE abs_path = ? OR (abs_path IS NULL AND path = ?)", (abs_path, path))


def _store_failure(conn: sqlite3.Connection, path: str, abs_path: str, digest: Optional[str], reason: str,
                   run_id: Optional[int]) -> None:
    """One row per failing path: the newest failure replaces an older one."""
    with _writing(conn):
        _clear_failures(conn, path, abs_path)
        emit.insert_failure(conn, path, reason, digest, abs_path=abs_path, run_id=run_id)


def _start_run(conn: sqlite3.Connection, paths: list[str], workers: int) -> int:
    from pipeline import __version__

    host = socket.gethostname()
    with _writing(conn):
        # a run that is still 'running' but whose process is gone was killed; one whose
        # process lives is another ingest on this database: two would repeat each other's
        # work, so the second one stops here (runs of other hosts cannot be checked)
        for run_id, pid in conn.execute("SELECT id, pid FROM runs WHERE status = 'running' AND host = ?",
                                        (host,)).fetchall():
            if not _alive(pid) or not _is_python(pid):
                conn.execute("UPDATE runs SET status = 'interrupted' WHERE id = ?", (run_id,))
            elif pid != os.getpid():
                raise IngestError(f"another ingest is running on this database (run {run_id}, pid {pid}); "
                                  "wait for it to finish or stop it")
        cur = conn.execute("INSERT INTO runs (pid, host, namnd_version, paths, workers) VALUES (?,?,?,?,?)",
                           (os.getpid(), host, __version__, json.dumps(paths, ensure_ascii=False), workers))
    return cur.lastrowid


def _finish_run(conn: sqlite3.Connection, s: IngestSummary) -> None:
    with _writing(conn):
        conn.execute(
            "UPDATE runs SET finished_at = strftime('%Y-%m-%dT%H:%M:%SZ','now'), status = ?, files = ?, new = ?,"
            " updated = ?, moved = ?, skipped = ?, failed = ?, seconds = ? WHERE id = ?",
            (s.status, s.files, s.new, s.updated, s.moved, s.skipped, s.failed, round(s.seconds, 3), s.run_id))


def _alive(pid: Optional[int]) -> bool:
    if not pid:
        return False
    if os.name == "nt":
        return _alive_on_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _alive_on_windows(pid: int) -> bool:
    """On Windows os.kill(pid, 0) would end the process: ask the kernel whether it runs."""
    try:
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    except (AttributeError, OSError):
        return False


def _is_python(pid: int) -> bool:
    """Is ``pid`` a Python process (so possibly namnd, not a process that got a dead run's
    pid)? Where /proc is missing, assume it is."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmdline = fh.read()
    except FileNotFoundError:
        return not os.path.isdir("/proc/self")  # no /proc at all: cannot tell
    except OSError:
        return True
    return b"python" in cmdline or b"namnd" in cmdline


def _progress_bar(enabled: bool, desc: str = "ingest", total: int = 0):
    """A progress bar on stderr for a run with worker processes (None when not shown)."""
    if not enabled:
        return None
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: worker processes are started mid-run
    return tqdm(total=total, desc=desc, unit="doc", file=sys.stderr, leave=False, dynamic_ncols=True)


# -- workers -------------------------------------------------------------------------------
# Protocol over one duplex pipe per worker:
#   parent → worker: (index, path) | None (finish)
#   worker → parent: ("ready", pid) | ("init_error", text) | ("ok", index, payload, maxrss_kb)
#                    | ("failed", index, reason, maxrss_kb) | ("bye", maxrss_kb, pss_kb, cpu_seconds)
# payload is emit.record_rows(record) (mode "rows") or the record's JSON (mode "json").


def _process_one(pipe, path: str, mode: str):
    if mode == "rows":
        # the parent has checked size and type; read here so that its byte limit applies, not read()'s
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise ReadError(f"cannot read: {exc.strerror or exc}") from None
        return emit.record_rows(pipe.extract_bytes(data, path))
    return pipe.extract_file(path).model_dump_json()


def _worker_main(conn, model: Optional[str], mode: str, processor: Optional[Callable] = None,
                 ocr_workers: int = 1, timeout: Optional[float] = None, keep_personal_numbers: bool = False) -> None:
    """A worker process: build the Pipeline once, then extract the files it is sent.
    ``ocr_workers``: Tesseract processes it may run for a scanned PDF, its share of the
    CPUs (unless NAMND_OCR_WORKERS says otherwise): N workers each running one Tesseract
    per CPU would start N² of them. ``timeout``: the pool's limit per file; the PDF reader
    gets a little less, so that it stops first, with its own reason, and ends its
    Tesseract processes (unless NAMND_PDF_TIMEOUT says otherwise)."""
    os.environ.setdefault("NAMND_OCR_WORKERS", str(ocr_workers))
    if timeout:
        os.environ.setdefault("NAMND_PDF_TIMEOUT", f"{max(1.0, 0.9 * timeout):g}")
    # Ctrl-C and a scheduler's SIGTERM reach the whole process group: they are the parent's to
    # handle (it ends the workers); a worker whose parent is gone sees EOF on its pipe and ends
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        from pipeline.core import Pipeline

        pipe = Pipeline(model, keep_personal_numbers=keep_personal_numbers)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which stops the run
        conn.send(("init_error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if task is None:
            try:
                conn.send(("bye", _maxrss_kb(), _pss_kb(), _cpu_seconds()))
            except OSError:
                pass
            return
        index, path = task
        kind, payload = _attempt(processor or _process_one, pipe, path, mode)
        try:
            conn.send((kind, index, payload, _maxrss_kb()))
        except (BrokenPipeError, OSError):
            return


def _attempt(process: Callable, pipe, path: str, mode: str) -> tuple[str, object]:
    """("ok", result) or ("failed", reason) for one file, in a worker or in this process."""
    try:
        return "ok", process(pipe, path, mode)
    except ReadError as exc:
        return "failed", exc.reason
    except Exception as exc:  # noqa: BLE001  (a bug must not stop an archive run; it is reported per file)
        return "failed", f"internal error: {type(exc).__name__}: {exc}"


def _maxrss_kb() -> Optional[int]:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    except Exception:  # noqa: BLE001 - not on every platform
        return None


def _cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


def _pss_kb() -> Optional[int]:
    """Proportional set size (shared pages divided among the processes sharing them), Linux only."""
    try:
        with open("/proc/self/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def _context():
    # forkserver: a worker starts from a small clean server process (spaCy already imported
    # there), not from this one: it inherits neither the SQLite connection nor the other
    # workers' pipes, so it sees EOF and ends when this process dies.
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["pipeline.core"])
        return ctx
    return multiprocessing.get_context("spawn")


class _Worker:
    def __init__(self, ctx, model: Optional[str], mode: str, processor: Optional[Callable], ocr_workers: int,
                 timeout: Optional[float], keep_personal_numbers: bool = False):
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child, model, mode, processor, ocr_workers, timeout,
                                                           keep_personal_numbers),
                                name="namnd-worker", daemon=True)
        self.proc.start()
        child.close()
        self.ready = False
        self.task: Optional[int] = None
        self.deadline: Optional[float] = None
        self.tasks = 0
        self.maxrss_kb: Optional[int] = None
        self.pss_kb: Optional[int] = None
        self.cpu_s: Optional[float] = None

    def stats(self) -> dict:
        return {"pid": self.proc.pid, "tasks": self.tasks,
                "peak_rss_mb": None if self.maxrss_kb is None else round(self.maxrss_kb / 1024, 1),
                "pss_mb": None if self.pss_kb is None else round(self.pss_kb / 1024, 1),
                "cpu_s": None if self.cpu_s is None else round(self.cpu_s, 2)}

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


def _death_reason(exitcode: Optional[int]) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = " (out of memory?)" if -exitcode == signal.SIGKILL else ""
        return f"worker died: killed by {name}{hint}"
    return f"worker died: exit status {exitcode}"


def run_pool(paths: Sequence[str], workers: int, *, model: Optional[str] = None, timeout: Optional[float] = None,
             mode: str = "rows", stats: Optional[list] = None,
             processor: Optional[Callable] = None, keep_personal_numbers: bool = False) -> Iterator[tuple[int, str, object]]:
    """Process ``paths`` in ``workers`` processes; yield ``(index, "ok"|"failed", payload)`` as they finish.

    ``payload`` is the record's rows (``mode="rows"``) or its JSON (``mode="json"``) when
    ok, the reason when failed. Every path is yielded exactly once, in completion order.
    A file that takes longer than ``timeout`` seconds fails with reason ``timeout``; its
    worker is killed and replaced. Per-worker figures are appended to ``stats``.
    ``processor(pipeline, path, mode) -> payload`` replaces the work done per file; it must
    be a module-level function the workers can import (for tests and custom payloads).
    ``keep_personal_numbers``: the workers' Pipeline leaves personal identity numbers unmasked.
    """
    if not paths:
        return
    ctx = _context()
    pending = deque(range(len(paths)))
    outstanding = len(paths)
    pool: list[_Worker] = []
    startup_deaths = 0
    limit = max(1, min(workers, len(paths)))

    def retire(w: _Worker) -> None:
        pool.remove(w)
        if stats is not None:
            stats.append(w.stats())

    def top_up() -> None:
        while pending and len(pool) < min(limit, outstanding):
            pool.append(_Worker(ctx, model, mode, processor, max(1, usable_cpus() // limit), timeout,
                                keep_personal_numbers))

    def assign() -> None:
        now = time.monotonic()
        for w in pool:
            if w.ready and w.task is None and pending:
                index = pending.popleft()
                try:
                    w.conn.send((index, paths[index]))
                except OSError:  # it died while idle: the file goes back, the death is seen below
                    pending.appendleft(index)
                    w.ready = False
                    continue
                w.task = index
                w.deadline = now + timeout if timeout else None

    try:
        top_up()
        while outstanding:
            done: list[tuple[int, str, object]] = []
            assign()
            now = time.monotonic()
            deadlines = [w.deadline for w in pool if w.task is not None and w.deadline is not None]
            wait_for = max(0.0, min(deadlines) - now) if deadlines else None
            waitables: dict = {}
            for w in pool:
                waitables[w.conn] = w
                waitables[w.proc.sentinel] = w
            for obj in wait(list(waitables), timeout=wait_for):
                w = waitables[obj]
                if w not in pool:
                    continue
                messages = []
                try:
                    while w.conn.poll():
                        messages.append(w.conn.recv())
                except (EOFError, OSError):
                    pass
                for msg in messages:
                    if msg[0] == "ready":
                        w.ready = True
                        startup_deaths = 0
                    elif msg[0] == "init_error":
                        raise IngestError(f"a worker could not build the pipeline: {msg[1]}")
                    elif msg[0] in ("ok", "failed"):
                        _, index, payload, w.maxrss_kb = msg
                        w.tasks += 1
                        w.task = w.deadline = None
                        outstanding -= 1
                        done.append((index, msg[0], payload))
                if not messages and not w.proc.is_alive():
                    w.proc.join()
                    if w.task is not None:
                        done.append((w.task, "failed", _death_reason(w.proc.exitcode)))
                        outstanding -= 1
                    elif not w.ready:
                        startup_deaths += 1
                        if startup_deaths > 2 * limit + 2:
                            raise IngestError(f"workers die while starting: {_death_reason(w.proc.exitcode)}")
                    w.conn.close()
                    retire(w)
            now = time.monotonic()
            for w in list(pool):
                if w.task is not None and w.deadline is not None and now >= w.deadline:
                    done.append((w.task, "failed", f"timeout: no result within {timeout:g} s"))
                    outstanding -= 1
                    w.kill()
                    retire(w)
            top_up()
            assign()  # hand out new work before the caller spends time on the results
            yield from done
    finally:
        _shutdown(pool, stats)


def _shutdown(pool: list[_Worker], stats: Optional[list]) -> None:
    """Ask idle workers to finish (collecting their last figures); kill the others."""
    asked = []
    for w in pool:
        if w.ready and w.task is None and w.proc.is_alive():
            try:
                w.conn.send(None)
                asked.append(w)
                continue
            except OSError:
                pass
        w.kill()
    end = time.monotonic() + 5
    for w in asked:
        try:
            if w.conn.poll(max(0.0, end - time.monotonic())):
                msg = w.conn.recv()
                if msg[0] == "bye":
                    w.maxrss_kb, w.pss_kb, w.cpu_s = msg[1] or w.maxrss_kb, msg[2], msg[3]
        except (EOFError, OSError):
            pass
        w.proc.join(max(0.1, end - time.monotonic()))
        w.kill()
    if stats is not None:
        stats.extend(w.stats() for w in pool)
    pool.clear()


_in_process: dict[tuple[Optional[str], bool], object] = {}


def _pipeline_here(model: Optional[str], keep_personal_numbers: bool = False):
    """The Pipeline of this process for ``workers=0``, built on first use and kept for later runs."""
    key = (model or os.environ.get("NAMND_SPACY_MODEL") or None, keep_personal_numbers)
    if key not in _in_process:
        from pipeline.core import Pipeline

        _in_process[key] = Pipeline(model, keep_personal_numbers=keep_personal_numbers)
    return _in_process[key]


def _run_in_process(paths: Sequence[str], *, model: Optional[str], mode: str,
                    keep_personal_numbers: bool = False) -> Iterator[tuple[int, str, object]]:
    """The same as :func:`run_pool` in this process (``workers=0``): no timeout, no isolation."""
    pipe = _pipeline_here(model, keep_personal_numbers)
    for i, path in enumerate(paths):
        yield (i, *_attempt(_process_one, pipe, path, mode))
