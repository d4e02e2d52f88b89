"""Batch ingestion of folders into SQLite: incremental, idempotent, crash-safe, parallel.

    >>> from pipeline.ingest import ingest
    >>> summary = ingest(["corpus/"], "namnd.sqlite")           # doctest: +SKIP
    >>> summary.new, summary.skipped, summary.failed            # doctest: +SKIP
    (5, 0, 0)

What a run does:

1. **Plan** (in this process, no spaCy pipeline is built): the inputs are listed
   (:mod:`pipeline.inputs`: what it passes over, such as a folder it cannot list or a
   symbolic link out of the input folders, is recorded as failed) and every input file is
   hashed (sha256 of its bytes, the document ``id``). A file whose hash is already in
   ``documents`` is *skipped*; so is a second copy of the same bytes in one run. Empty,
   oversized, unreadable and non-regular files are recorded as failed here. When nothing
   is left to do, the run ends without starting any worker.
2. **Process** the rest in ``workers`` processes (default: the usable CPUs), forked from
   a server that has built and warmed the :class:`~pipeline.core.Pipeline` once
   (:mod:`pipeline.prebuilt`), so a worker starts ready to work; the server is started
   when the plan meets the first file to process, and builds while the rest is hashed
   (and serves every later run of this process). A worker is sent the
   file it works on and, while documents are short, the next one, so that it never waits
   for this process between two; it returns the record as plain table rows, built and
   serialised in the worker. A file that has not come back within ``timeout`` seconds of
   its worker starting on it fails with reason ``timeout``, and the worker is killed and
   replaced; a worker that dies (a crash, the out-of-memory killer) costs only the file
   it was on, and the file sent ahead to it goes to another worker.
3. **Store**: this process is the only writer. A document's rows go in together: the
   rows of an older version of the same path (a *changed* document) are deleted, the new
   rows inserted and any earlier failure of the path cleared. Several documents share a
   transaction (up to :data:`COMMIT_DOCUMENTS`, or what came in :data:`COMMIT_SECONDS`),
   each inside a savepoint of its own, so that an error storing one undoes only that one.
   A run killed at any moment (``kill -9``) leaves every document either fully stored or
   not at all (an uncommitted transaction is not there when the database is next
   opened); the next run hashes again and does the rest, without duplicates. The
   database is in WAL mode with ``synchronous=NORMAL``: a commit is in the operating
   system's hands once written, so it survives the process being killed; a power cut may
   lose the last few commits, each whole, which the next run does again. With
   ``--scheduler`` the work runs on a Dask cluster instead (:mod:`pipeline.distributed`);
   planning and storing stay here, the same.

Every failure has a *kind*. A ``file`` failure is the file's own (corrupt, encrypted, empty,
binary, too large, over a limit, not a regular file): its bytes would fail the same way
again, so the next run reports it with its old reason without reading it (unless
``retry_failed``, a changed file or another version of namnd). A ``run`` failure is the
run's (a timeout, a worker killed or dead, out of memory, a full disk, an OS error of a
passing kind such as an I/O error or too many open files): the next run tries the file
again by itself. A failure row is replaced, not added to, so it stays visible until the
file is fixed or removed. Every run is logged in the ``runs`` table; one that was killed
stays ``running`` there until the next run marks it ``interrupted``.

Paths are shown and stored (``path``, ``abs_path``, the record's ``source.path``) as
:func:`pipeline.inputs.display_path` writes them: a name that is not UTF-8 has each of its
undecodable bytes as ``\\xNN``. Worker processes import nothing from the current folder
(:mod:`pipeline.importpath`), and end with the run, however it ends.
"""

from __future__ import annotations

import atexit
import errno
import json
import multiprocessing
import multiprocessing.util  # registers multiprocessing's exit handler before _end_live_workers
import os
import signal
import socket
import sqlite3
import stat
import sys
import time
import weakref
from collections import Counter, deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence, Union

from pipeline import emit, importpath
from pipeline.inputs import (DOCUMENT_SUFFIXES, Skipped, display_path, find_inputs,  # noqa: F401
                             iter_inputs, not_regular_reason, path_from_display)
from pipeline.read import DEFAULT_MAX_BYTES, ReadError, read_file_bytes
from pipeline.resources import usable_cpus

#: seconds one file may take in a worker before the worker is killed
DEFAULT_TIMEOUT = 600.0
#: documents stored in one transaction at most (each whole or absent: see the module's description)
COMMIT_DOCUMENTS = 32
#: seconds a stored document may wait for its transaction's commit at most (while the run goes on)
COMMIT_SECONDS = 0.25

PathLike = Union[str, os.PathLike]


def timeout_reason(timeout: float) -> str:
    """The failure recorded for a file that gave no result in time, by either engine."""
    return f"timeout: no result within {timeout:g} s"


class IngestError(Exception):
    """The run could not go on at all (e.g. no worker can build the spaCy pipeline)."""


def default_workers() -> int:
    """The CPUs this process may run on (respects taskset/cpusets), at least 1."""
    return usable_cpus()


# -- kinds of failure ----------------------------------------------------------------------
#: a failure of the file itself: tried again only with --retry-failed (or changed bytes, another version)
FILE_FAILURE = "file"
#: a failure the run caused: the next run tries the file again by itself
RUN_FAILURE = "run"

#: reasons (their beginnings) of failures the run caused
_RUN_REASONS = ("timeout", "worker died", "PDF took longer than the time limit", "out of memory",
                "interrupted", "internal error: MemoryError", "disk full")
#: OS errors that say something about the machine at the moment, not about the file
_PASSING_ERRNOS = ("EIO", "ENOMEM", "ENOSPC", "EDQUOT", "EMFILE", "ENFILE", "EAGAIN", "EINTR", "ETIMEDOUT",
                   "ESTALE", "EBUSY", "ENOBUFS", "ENOLCK", "EHOSTDOWN", "EHOSTUNREACH", "ENETDOWN",
                   "ENETUNREACH", "ECONNRESET", "ECONNABORTED", "ECONNREFUSED", "ETXTBSY")
_PASSING_TEXTS = tuple(sorted({os.strerror(getattr(errno, name)) for name in _PASSING_ERRNOS if hasattr(errno, name)}))


def failure_kind(reason: str) -> str:
    """``"run"`` for a failure the run caused (see the module's description), else ``"file"``."""
    if reason.startswith(_RUN_REASONS) or any(text in reason for text in _PASSING_TEXTS):
        return RUN_FAILURE
    return FILE_FAILURE


# -- the summary ---------------------------------------------------------------------------
@dataclass
class Outcome:
    """What happened to one input file."""

    path: str  # as shown and stored (pipeline.inputs.display_path)
    status: str  # "new" | "updated" | "moved" | "skipped" | "failed"
    sha256: Optional[str] = None
    reason: Optional[str] = None
    #: of a failure: "file" (the file's own) or "run" (caused by the run: the next run tries again)
    kind: Optional[str] = None


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
            self.failures.append({"path": outcome.path, "reason": outcome.reason, "sha256": outcome.sha256,
                                  "kind": outcome.kind or failure_kind(outcome.reason or "")})

    @property
    def ok(self) -> bool:
        return self.failed == 0

    @property
    def reasons(self) -> dict[str, int]:
        """Failures counted by kind: the reason up to its first colon ("timeout", "empty file", …)."""
        return dict(Counter(f["reason"].split(":", 1)[0] for f in self.failures).most_common())

    @property
    def kinds(self) -> dict[str, int]:
        """Failures counted by kind: "file" (the file's own) and "run" (tried again by the next run)."""
        counts = Counter(f["kind"] for f in self.failures)
        return {kind: counts[kind] for kind in (FILE_FAILURE, RUN_FAILURE)}

    @property
    def peak_worker_rss_mb(self) -> Optional[float]:
        values = [w["peak_rss_mb"] for w in self.worker_stats if w.get("peak_rss_mb") is not None]
        return max(values) if values else None

    def as_dict(self) -> dict:
        return {
            "db": self.db, "run_id": self.run_id, "status": self.status, "files": self.files,
            "new": self.new, "updated": self.updated, "moved": self.moved, "skipped": self.skipped,
            "failed": self.failed,
            "reasons": self.reasons, "kinds": self.kinds, "failures": self.failures,
            "seconds": round(self.seconds, 3), "plan_seconds": round(self.plan_seconds, 3),
            "workers": self.workers, "workers_started": self.workers_started,
            "peak_worker_rss_mb": self.peak_worker_rss_mb,
        }


# -- the run -------------------------------------------------------------------------------
@dataclass
class _Input:
    """One input of a run."""

    path: str  # as shown and stored
    fs_path: str  # as the file system knows it (a name that is not UTF-8 holds surrogates)
    abs_path: str  # its real absolute path, as shown and stored
    skipped: Optional[str] = None  # why discovery passed it over


@dataclass
class _Task:
    path: str
    abs_path: str
    sha256: str
    size: int
    fs_path: str = ""


def ingest(paths: Iterable[PathLike], db: PathLike, *, workers: Optional[int] = None,
           timeout: Optional[float] = DEFAULT_TIMEOUT, model: Optional[str] = None, force: bool = False,
           retry_failed: bool = False, max_bytes: int = DEFAULT_MAX_BYTES, progress: bool = False,
           on_outcome: Optional[Callable[[Outcome], None]] = None,
           keep_personal_numbers: bool = False, follow_symlinks: bool = False,
           scheduler: Optional[str] = None) -> IngestSummary:
    """Ingest files and folders into the SQLite database ``db`` (created when missing).

    ``workers``: worker processes (default :func:`default_workers`; ``0`` runs in this
    process, without the timeout). ``timeout``: seconds per file (``None`` or ``0``: no
    limit). ``force``: process documents already stored again. ``retry_failed``: process
    again files that failed before with the same bytes (by default they are reported as
    failed with their old reason, without being read again). ``max_bytes``: larger files
    are recorded as failed without being read. ``on_outcome`` is called for every file as
    soon as its fate is known and stored. ``follow_symlinks``: follow symbolic links inside
    the folders also when their target lies outside the inputs (see :mod:`pipeline.inputs`).
    ``scheduler``: the address of a Dask scheduler (``tcp://host:8786``) whose workers do
    the work instead of local processes (:mod:`pipeline.distributed`; ``workers`` is then
    ignored). Raises :class:`IngestError` when no worker can start. Whatever ends the run
    (an error here, an exception from ``on_outcome``, Ctrl-C), its worker processes end
    with it (a cluster's work for it is cancelled).
    """
    started = time.perf_counter()
    n_workers = default_workers() if workers is None else int(workers)
    if n_workers < 0:
        raise ValueError("workers must be >= 0")
    if scheduler is not None:
        from pipeline import distributed  # a clear error here when Dask is not installed

        distributed.require()
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
        found = find_inputs(input_list, follow_symlinks=follow_symlinks)
        files = _unique(found.entries)
        if bar is not None:
            bar.reset(total=len(files))
        _clear_listed_folders(conn, found.folders)
        # the first file to process starts the workers' fork server, which builds the
        # Pipeline while the rest is hashed
        first_work = (lambda: _start_server(model, keep_personal_numbers)) \
            if scheduler is None and n_workers > 0 else None
        todo = _plan(conn, files, summary, report, max_bytes=max_bytes, force=force,
                     retry_failed=retry_failed or force, on_first=first_work)
        summary.plan_seconds = time.perf_counter() - started
        if todo:
            paths = [t.fs_path for t in todo]
            writer = _Writer(conn, summary.run_id, report)
            if scheduler is not None:
                results = distributed.run_cluster(paths, scheduler, model=model, timeout=timeout,
                                                  stats=summary.worker_stats, heartbeat=COMMIT_SECONDS,
                                                  keep_personal_numbers=keep_personal_numbers)
            elif n_workers == 0:
                # one document at a time here: each is committed as soon as it is done
                writer.most = 1
                results = _run_in_process(paths, model=model, mode="rows", keep_personal_numbers=keep_personal_numbers)
            else:
                results = run_pool(paths, n_workers, model=model, timeout=timeout, mode="rows",
                                   stats=summary.worker_stats, keep_personal_numbers=keep_personal_numbers,
                                   heartbeat=COMMIT_SECONDS)
            try:
                for result in results:
                    if result is not None:  # None: a heartbeat, nothing finished meanwhile
                        i, kind, payload = result
                        writer.store(todo[i], kind, payload)
                    writer.commit_when_due()
                writer.commit()
            finally:
                try:
                    results.close()  # ends the workers now, however the loop ended
                finally:
                    writer.abandon()  # an uncommitted transaction left by an error: rolled back
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
        if scheduler is not None:
            summary.workers = len(summary.worker_stats)  # the cluster's workers that took part
        if bar is not None:
            bar.close()
        try:
            _finish_run(conn, summary)
        finally:
            conn.close()
    return summary


def _unique(entries: Iterable[Union[PathLike, Skipped]]) -> list[_Input]:
    """Each input once, though named twice (a folder and a file in it): its path as shown,
    as the file system knows it, and its real absolute path; what discovery skipped, with why."""
    seen: set[str] = set()
    out = []
    for e in entries:
        if isinstance(e, Skipped):
            abs_path = e.abs_path or os.path.abspath(e.path)
            out.append(_Input(display_path(e.path), e.path, display_path(abs_path), e.reason))
            continue
        abs_path = os.path.realpath(e)
        if abs_path not in seen:
            seen.add(abs_path)
            out.append(_Input(display_path(e), os.fspath(e), display_path(abs_path)))
    return out


def _clear_listed_folders(conn: sqlite3.Connection, folders: list[str]) -> None:
    """Failures of folders (one that could not be listed, a link to one that was not
    followed) that are listed in full now are gone; one skipped again is recorded again."""
    marked = conn.execute("SELECT DISTINCT abs_path FROM failures WHERE sha256 IS NULL").fetchall()
    if not marked:
        return
    listed = {display_path(f) for f in folders}
    gone = [(a,) for (a,) in marked if a in listed]
    if gone:
        with _writing(conn):
            conn.executemany("DELETE FROM failures WHERE abs_path = ? AND sha256 IS NULL", gone)


def _hash_regular(path: str) -> tuple[os.stat_result, str]:
    """The status and sha256 of a regular file, opened without blocking (a file swapped
    for a named pipe after the listing is refused, not waited on). Raises ReadError."""
    import hashlib

    try:
        st = os.stat(path)
    except OSError as exc:
        raise ReadError(f"cannot open: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise ReadError("is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(not_regular_reason(st.st_mode))
    h = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as fh:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise ReadError(not_regular_reason(st.st_mode))
            while block := fh.read(1 << 20):
                h.update(block)
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}") from None
    return st, h.hexdigest()


def _plan(conn: sqlite3.Connection, files: list[_Input], summary: IngestSummary, report: Callable[[Outcome], None],
          *, max_bytes: int, force: bool, retry_failed: bool = False,
          on_first: Optional[Callable[[], None]] = None) -> list[_Task]:
    """Hash every input; report skipped and cheaply failed files; return the files to process
    (``on_first`` is called when the first is found).

    A file whose bytes already failed under this version of namnd, by a fault of its own
    (kind ``file``), is not processed again unless ``retry_failed``: a corrupt file would
    fail the same way on every run. A failure the run caused (kind ``run``: a timeout, a
    dead worker) is tried again."""
    from pipeline import __version__

    failing = {row[0] for row in conn.execute("SELECT DISTINCT COALESCE(abs_path, path) FROM failures")}
    seen_digests: set[str] = set()
    todo: list[_Task] = []
    for item in files:
        summary.files += 1
        path, abs_path = item.path, item.abs_path

        def fail(reason: str, digest: Optional[str] = None) -> None:
            kind = failure_kind(reason)
            _store_failure(conn, path, abs_path, digest, reason, summary.run_id, kind)
            report(Outcome(path, "failed", digest, reason, kind))

        if item.skipped is not None:
            fail(item.skipped)
            continue
        try:
            st, digest = _hash_regular(item.fs_path)
        except ReadError as exc:
            fail(exc.reason)
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
                "SELECT f.reason, f.kind FROM failures f JOIN runs r ON r.id = f.run_id"
                " WHERE (f.abs_path = ? OR (f.abs_path IS NULL AND f.path = ?)) AND f.sha256 = ?"
                " AND r.namnd_version = ?",
                (abs_path, path, digest, __version__)).fetchone()
            # a row of a database from before kinds were stored has its kind told by its reason
            if before is not None and (before[1] or failure_kind(before[0])) == FILE_FAILURE:
                report(Outcome(path, "failed", digest,
                               f"{before[0]} (the same bytes failed before; not retried, see --retry-failed)",
                               FILE_FAILURE))
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
        if not todo and on_first is not None:
            on_first()
        todo.append(_Task(path, abs_path, digest, st.st_size, item.fs_path))
    return todo


def _moved_here(conn: sqlite3.Connection, digest: str, path: str, abs_path: str,
                stored: tuple[Optional[str], str]) -> bool:
    """A stored document (``stored``: its abs_path and path) met under another path while
    its stored path no longer exists: the file was moved or renamed, so its path (column
    and record) becomes this one. A copy (the old path still there) keeps the path it was
    first stored under."""
    old = stored[0] or stored[1]
    if old == abs_path or os.path.exists(old) or os.path.exists(path_from_display(old)):
        return False
    with _writing(conn):
        conn.execute("UPDATE documents SET path = ?, abs_path = ?, record = json_set(record, '$.source.path', ?) "
                     "WHERE id = ?", (path, abs_path, path, digest))
    return True


class _Writer:
    """Stores worker results, several documents to a transaction, each document in a
    savepoint of its own: an error storing one undoes that one only (it is recorded as its
    failure and the run goes on), an error of the database itself (locked, full, corrupt)
    ends the run. A transaction is committed once it holds :attr:`most` documents or its
    first is :data:`COMMIT_SECONDS` old; the outcomes are reported after the commit, so a
    document reported stored is stored. The transaction's documents go into the full-text
    index together, just before it commits (:func:`pipeline.emit.index_documents`), so the
    index and the tables change in the same transaction. Whatever was not committed when
    the process dies is not in the database, whole documents as they were; the next run
    does them again."""

    def __init__(self, conn: sqlite3.Connection, run_id: Optional[int], report: Callable[[Outcome], None],
                 most: int = COMMIT_DOCUMENTS, seconds: float = COMMIT_SECONDS):
        self.conn, self.run_id, self.report = conn, run_id, report
        self.most, self.seconds = most, seconds
        self.outcomes: list[Outcome] = []
        self.since: Optional[float] = None  # when the open transaction began
        #: documents stored in the open transaction and not yet in the full-text index: they
        #: go in together before it commits (emit.index_documents)
        self.unindexed: list[str] = []

    def store(self, task: _Task, kind: str, payload) -> None:
        """Add one worker result (``kind`` "ok" with the record's rows, or "failed" with the reason)."""
        conn = self.conn
        if self.since is None:
            conn.execute("BEGIN IMMEDIATE")
            self.since = time.monotonic()
        replaces = None
        if kind == "ok":
            try:
                replaces = _replaced(conn, task, payload)
            except (KeyError, IndexError, TypeError):  # no rows: fails below, as this document's failure
                replaces = None
            if self.unindexed and replaces is not None and (replaces[0] or replaces[1]):
                # a document is deleted below: what the index holds must be whole first (it may
                # be one stored in this transaction; the index's delete needs the rows it indexed)
                self._index()
        conn.execute("SAVEPOINT document")
        try:
            outcome = _store_rows(conn, task, kind, payload, self.run_id, replaces)
        except (sqlite3.OperationalError, sqlite3.InternalError):
            raise
        except sqlite3.DatabaseError as exc:
            if type(exc) is sqlite3.DatabaseError:  # "file is not a database", corruption
                raise
            reason = f"internal error: cannot store the document: {type(exc).__name__}: {exc}"
        except Exception as exc:  # noqa: BLE001 - one document's error must not stop an archive run
            reason = f"internal error: cannot store the document: {type(exc).__name__}: {exc}"
        else:
            conn.execute("RELEASE document")
            self.outcomes.append(outcome)
            if kind == "ok":
                self.unindexed.append(outcome.sha256)
            return
        conn.execute("ROLLBACK TO document")
        kind_of = failure_kind(reason)
        _record_failure(conn, task.path, task.abs_path, task.sha256, reason, self.run_id, kind_of)
        conn.execute("RELEASE document")
        self.outcomes.append(Outcome(task.path, "failed", task.sha256, reason, kind_of))

    def commit_when_due(self) -> None:
        if self.since is not None and (len(self.outcomes) >= self.most
                                       or time.monotonic() - self.since >= self.seconds):
            self.commit()

    def _index(self) -> None:
        emit.index_documents(self.conn, self.unindexed)
        self.unindexed = []

    def commit(self) -> None:
        """Index, then commit the open transaction; then report its documents' outcomes."""
        if self.since is None:
            return
        self._index()
        self.conn.commit()
        self.since = None
        outcomes, self.outcomes = self.outcomes, []
        for outcome in outcomes:
            self.report(outcome)

    def abandon(self) -> None:
        """Roll back a transaction an error left open (its documents are done again by the next run)."""
        if self.since is not None:
            self.since = None
            self.outcomes, self.unindexed = [], []
            self.conn.rollback()


def _store_rows(conn: sqlite3.Connection, task: _Task, kind: str, payload, run_id: Optional[int],
                replaces: Optional[tuple[list[str], bool]] = None) -> Outcome:
    """Store one worker result inside the caller's transaction; return the file's outcome.
    The document is not yet in the full-text index: the caller adds it before committing.
    ``replaces``: :func:`_replaced` of the rows, when the caller has asked already."""
    if kind != "ok":
        failure = failure_kind(payload)
        _record_failure(conn, task.path, task.abs_path, task.sha256, payload, run_id, failure)
        return Outcome(task.path, "failed", task.sha256, payload, failure)
    rows = payload
    rid = rows["documents"][0][0]  # the hash of the bytes the worker read
    stale, existed = replaces if replaces is not None else _replaced(conn, task, rows)
    for old in stale:
        emit.delete_document(conn, old)
    if existed:
        emit.delete_document(conn, rid)
    _clear_failures(conn, task.path, task.abs_path)
    emit.insert_rows(conn, rows, abs_path=task.abs_path, size=task.size, run_id=run_id, index=False)
    return Outcome(task.path, "updated" if stale or existed else "new", rid)


def _replaced(conn: sqlite3.Connection, task: _Task, rows) -> tuple[list[str], bool]:
    """What storing these rows deletes first: the older versions of the path (their ids),
    and whether a document of the same bytes is stored already."""
    rid = rows["documents"][0][0]
    return (_stale_versions(conn, task.path, task.abs_path, rid),
            conn.execute("SELECT 1 FROM documents WHERE id = ?", (rid,)).fetchone() is not None)


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
                   run_id: Optional[int], kind: Optional[str] = None) -> None:
    """One row per failing path, in a transaction of its own (see :func:`_record_failure`)."""
    with _writing(conn):
        _record_failure(conn, path, abs_path, digest, reason, run_id, kind)


def _record_failure(conn: sqlite3.Connection, path: str, abs_path: str, digest: Optional[str], reason: str,
                    run_id: Optional[int], kind: Optional[str] = None) -> None:
    """One row per failing path: the newest failure replaces an older one (inside the caller's transaction)."""
    _clear_failures(conn, path, abs_path)
    emit.insert_failure(conn, path, reason, digest, abs_path=abs_path, run_id=run_id,
                        kind=kind or failure_kind(reason))


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
                           (os.getpid(), host, __version__,
                            json.dumps([display_path(p) for p in paths], ensure_ascii=False), workers))
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
# A worker does its tasks in the order they were sent, one at a time; the parent may send
# the next before the last is done (PREFETCH), so it knows which one the worker is on: the
# oldest it has not had an answer for.


def _process_one(pipe, path: str, mode: str):
    if mode == "rows":
        # the parent has checked the size: its byte limit applies, not read()'s; the type is
        # checked again (a file swapped for a named pipe meanwhile is refused, not waited on)
        data = read_file_bytes(path, max_bytes=sys.maxsize)
        return emit.record_rows(pipe.extract_bytes(data, display_path(path)))
    return pipe.extract_file(path).model_dump_json()


def _worker_main(conn, model: Optional[str], mode: str, processor: Optional[Callable] = None,
                 ocr_workers: int = 1, timeout: Optional[float] = None, keep_personal_numbers: bool = False) -> None:
    """A worker process: build the Pipeline once, then extract the files it is sent.
    ``ocr_workers``: Tesseract processes it may run for a scanned PDF, its share of the
    CPUs (unless NAMND_OCR_WORKERS says otherwise): N workers each running one Tesseract
    per CPU would start N² of them. ``timeout``: the pool's limit per file; the PDF reader
    gets a little less, so that it stops first, with its own reason, and ends its
    Tesseract processes (unless NAMND_PDF_TIMEOUT says otherwise)."""
    sys.path[:] = importpath.clean()  # nothing is imported from the current folder
    os.environ.setdefault("NAMND_OCR_WORKERS", str(ocr_workers))
    if timeout:
        os.environ.setdefault("NAMND_PDF_TIMEOUT", f"{max(1.0, 0.9 * timeout):g}")
    # Ctrl-C and a scheduler's SIGTERM reach the whole process group: they are the parent's to
    # handle (it ends the workers); a worker whose parent is gone sees EOF on its pipe and ends
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        from pipeline import prebuilt

        pipe = prebuilt.take(model, keep_personal_numbers)  # built before the fork (pipeline.prebuilt)
        if pipe is None:
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
    # The server imports pipeline.core (and this module, which a worker's task names) once,
    # with the clean import path it is started with, and builds the Pipeline the first run
    # asks for (pipeline.prebuilt; see _Worker).
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["pipeline.core", "pipeline.ingest", "pipeline.prebuilt"])
        return ctx
    return multiprocessing.get_context("spawn")


@contextmanager
def _for_server(model: Optional[str], keep_personal_numbers: bool) -> Iterator[None]:
    """Within it, a fork server started (with the first worker, or by :func:`_start_server`)
    and the workers get an import path without the current folder, and the server builds
    the Pipeline of this configuration before it forks the first worker (pipeline.prebuilt)."""
    from pipeline import prebuilt

    saved = os.environ.get(prebuilt.ENV)
    os.environ[prebuilt.ENV] = prebuilt.spec(model, keep_personal_numbers)
    try:
        with importpath.for_children():
            yield
    finally:
        if saved is None:
            os.environ.pop(prebuilt.ENV, None)
        else:
            os.environ[prebuilt.ENV] = saved


def _start_server(model: Optional[str], keep_personal_numbers: bool) -> None:
    """Start the workers' fork server now, without waiting for it: it imports and builds
    while this process goes on (a server already running is left as it is)."""
    if _context().get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    with _for_server(model, keep_personal_numbers):
        forkserver.ensure_running()


class _Worker:
    def __init__(self, ctx, model: Optional[str], mode: str, processor: Optional[Callable], ocr_workers: int,
                 timeout: Optional[float], keep_personal_numbers: bool = False):
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child, model, mode, processor, ocr_workers, timeout,
                                                           keep_personal_numbers),
                                name="namnd-worker", daemon=True)
        with _for_server(model, keep_personal_numbers):
            self.proc.start()
        _LIVE.add(self)
        child.close()
        self.ready = False
        #: the tasks sent and not yet answered, oldest (the one being worked on) first
        self.queue: deque[int] = deque()
        #: when the worker began on the oldest, and when it must have answered
        self.since: Optional[float] = None
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
        _LIVE.discard(self)


#: workers started and not yet ended, ended at exit whatever happened before
_LIVE: "weakref.WeakSet[_Worker]" = weakref.WeakSet()


def _end_live_workers() -> None:
    """At exit, end workers still alive (a run left by an exception nobody caught). They
    ignore SIGTERM, so multiprocessing's own exit handler, which sends it and then waits
    for them, would wait forever; this runs before it (handlers run last registered first)."""
    for w in list(_LIVE):
        try:
            w.kill()
        except Exception:  # noqa: BLE001 - at exit, end as many as can be ended
            pass


atexit.register(_end_live_workers)


def _death_reason(exitcode: Optional[int]) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = " (out of memory?)" if -exitcode == signal.SIGKILL else ""
        return f"worker died: killed by {name}{hint}"
    return f"worker died: exit status {exitcode}"


#: tasks a worker holds at most: the one it works on and the next, sent ahead so that it
#: never waits for this process between two documents
PREFETCH = 2
#: a next task is sent ahead only while tasks take less than this (seconds, on average):
#: a long one sent ahead could wait behind another while a worker idles at the end of the run
PREFETCH_BELOW = 2.0


def run_pool(paths: Sequence[str], workers: int, *, model: Optional[str] = None, timeout: Optional[float] = None,
             mode: str = "rows", stats: Optional[list] = None, processor: Optional[Callable] = None,
             keep_personal_numbers: bool = False, heartbeat: Optional[float] = None
             ) -> Iterator[Optional[tuple[int, str, object]]]:
    """Process ``paths`` in ``workers`` processes; yield ``(index, "ok"|"failed", payload)`` as they finish.

    ``payload`` is the record's rows (``mode="rows"``) or its JSON (``mode="json"``) when
    ok, the reason when failed. Every path is yielded exactly once, in completion order.
    A file that takes longer than ``timeout`` seconds fails with reason ``timeout``; its
    worker is killed and replaced. A worker that dies fails the file it was on; a file
    sent ahead to it goes to another. Per-worker figures are appended to ``stats``.
    ``processor(pipeline, path, mode) -> payload`` replaces the work done per file; it must
    be a module-level function the workers can import (for tests and custom payloads).
    ``keep_personal_numbers``: the workers' Pipeline leaves personal identity numbers unmasked.
    ``heartbeat``: seconds after which ``None`` is yielded when nothing finished meanwhile,
    so that the caller can do its periodic work (commit what it has stored).
    """
    if not paths:
        return
    ctx = _context()
    pending = deque(range(len(paths)))
    outstanding = len(paths)
    pool: list[_Worker] = []
    startup_deaths = 0
    limit = max(1, min(workers, len(paths)))
    mean_seconds: Optional[float] = None  # how long a task takes, a moving average

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
        depth = PREFETCH if mean_seconds is not None and mean_seconds < PREFETCH_BELOW else 1
        for w in pool:
            while w.ready and pending and len(w.queue) < depth:
                index = pending.popleft()
                try:
                    w.conn.send((index, paths[index]))
                except OSError:  # it died: the file goes back, the death is seen below
                    pending.appendleft(index)
                    w.ready = False
                    break
                if not w.queue:
                    w.since = now
                    w.deadline = now + timeout if timeout else None
                w.queue.append(index)

    def give_back(w: _Worker) -> None:
        """The tasks sent ahead to a worker that is gone, which it never began: to another."""
        pending.extendleft(reversed(w.queue))
        w.queue.clear()

    try:
        top_up()
        last_yield = time.monotonic()
        while outstanding:
            done: list[tuple[int, str, object]] = []
            assign()
            now = time.monotonic()
            deadlines = [w.deadline for w in pool if w.queue and w.deadline is not None]
            wait_for = max(0.0, min(deadlines) - now) if deadlines else None
            if heartbeat:
                beat = max(0.0, last_yield + heartbeat - now)
                wait_for = beat if wait_for is None else min(wait_for, beat)
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
                        w.queue.remove(index)  # the oldest: tasks are done in the order sent
                        w.tasks += 1
                        now = time.monotonic()
                        took = now - (w.since or now)
                        mean_seconds = took if mean_seconds is None else 0.8 * mean_seconds + 0.2 * took
                        # it is on the next one already, if one was sent ahead
                        w.since = now if w.queue else None
                        w.deadline = now + timeout if w.queue and timeout else None
                        outstanding -= 1
                        done.append((index, msg[0], payload))
                if not messages and not w.proc.is_alive():
                    w.proc.join()
                    if w.queue:
                        done.append((w.queue.popleft(), "failed", _death_reason(w.proc.exitcode)))
                        outstanding -= 1
                        give_back(w)
                    elif not w.ready:
                        startup_deaths += 1
                        if startup_deaths > 2 * limit + 2:
                            raise IngestError(f"workers die while starting: {_death_reason(w.proc.exitcode)}")
                    w.conn.close()
                    retire(w)
            now = time.monotonic()
            for w in list(pool):
                if w.queue and w.deadline is not None and now >= w.deadline:
                    done.append((w.queue.popleft(), "failed", timeout_reason(timeout)))
                    outstanding -= 1
                    w.kill()
                    give_back(w)
                    retire(w)
            top_up()
            assign()  # hand out new work before the caller spends time on the results
            if done:
                last_yield = time.monotonic()
                yield from done
            elif heartbeat and time.monotonic() - last_yield >= heartbeat:
                last_yield = time.monotonic()
                yield None
    finally:
        _shutdown(pool, stats)


def _shutdown(pool: list[_Worker], stats: Optional[list]) -> None:
    """Ask idle workers to finish (collecting their last figures); kill the others."""
    asked = []
    for w in pool:
        if w.ready and not w.queue and w.proc.is_alive():
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
