"""Stage 6 — emit: records as JSON files, a JSONL stream and an SQLite database.

The database (see ``../shared/SPEC.md``, "The database"): one row per document in
``documents`` (``id`` = sha256 of the source bytes, ``record`` = the whole JSON record),
one table per list in the record keyed by ``document_id``, ``failures`` for files that
could not be processed, ``runs`` for the history of ``namnd ingest`` runs, views for
the common questions, and a full-text index (``search`` over ``search_text``: each
document's text section by section) that :func:`search` reads. :func:`store` writes one
record, its index rows included, in one transaction; :mod:`pipeline.ingest` builds batch
runs on the same functions. A namnd database carries ``PRAGMA application_id``
:data:`APPLICATION_ID` and its schema's version as ``PRAGMA user_version``; :func:`connect`
writes to no other database.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, Optional

from models import Record


def output_name(record: Record, used: set[str]) -> str:
    """A file name for the record's JSON, from its source name; unique within ``used``."""
    stem = re.sub(r"[^\w.-]+", "_", Path(record.source.path).stem) or record.id[:16]
    name = stem
    if name in used:
        name = f"{stem}-{record.id[:8]}"
    used.add(name)
    return name + ".json"


def write_json(record: Record, path: Path) -> None:
    """The record as ``path``: a new private file moved into place (:func:`pipeline.outputs.write_text`),
    so a killed run never leaves half a record and a symlink at ``path`` is never written through."""
    from pipeline.outputs import write_text

    write_text(path, record.model_dump_json(indent=2))


def write_jsonl_line(record: Record, fh: IO[str]) -> None:
    fh.write(record.model_dump_json())
    fh.write("\n")


# -- SQLite ------------------------------------------------------------------------------
SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, format TEXT, pages INTEGER, title TEXT, date TEXT,
    namnd TEXT, forvaltning TEXT, municipality TEXT, diarienummer TEXT, schema_version TEXT,
    record TEXT NOT NULL, ingested_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    abs_path TEXT, size INTEGER, run_id INTEGER
);
CREATE TABLE IF NOT EXISTS sections (document_id TEXT REFERENCES documents(id) ON DELETE CASCADE,
    heading TEXT, level INTEGER, start INTEGER, "end" INTEGER, page INTEGER);
CREATE TABLE IF NOT EXISTS law_citations (document_id TEXT REFERENCES documents(id) ON DELETE CASCADE,
    law TEXT, sfs TEXT, chapter TEXT, chapter_end TEXT, section TEXT, section_end TEXT, paragraph TEXT,
    point TEXT, start INTEGER, "end" INTEGER, text TEXT, page INTEGER, section_heading TEXT, sfs_basis TEXT);
CREATE TABLE IF NOT EXISTS districts (document_id TEXT REFERENCES documents(id) ON DELETE CASCADE,
    name TEXT, municipality TEXT, mentions INTEGER, first_start INTEGER, first_page INTEGER);
CREATE TABLE IF NOT EXISTS lpos (document_id TEXT REFERENCES documents(id) ON DELETE CASCADE,
    name TEXT, districts TEXT, mentions INTEGER, first_start INTEGER, first_page INTEGER);
CREATE TABLE IF NOT EXISTS staffing (document_id TEXT REFERENCES documents(id) ON DELETE CASCADE,
    district TEXT, lpo TEXT, role TEXT, headcount INTEGER, days_min REAL, days_max REAL, full_time INTEGER,
    unit TEXT, employment TEXT, start INTEGER, "end" INTEGER, text TEXT, page INTEGER);
CREATE TABLE IF NOT EXISTS challenges (document_id TEXT REFERENCES documents(id) ON DELETE CASCADE,
    district TEXT, category TEXT, start INTEGER, "end" INTEGER, text TEXT, page INTEGER);
CREATE TABLE IF NOT EXISTS repairs (document_id TEXT REFERENCES documents(id) ON DELETE CASCADE,
    original TEXT, replacement TEXT, start INTEGER, "end" INTEGER, kind TEXT, confidence REAL,
    original_start INTEGER, original_end INTEGER);
CREATE TABLE IF NOT EXISTS failures (path TEXT, sha256 TEXT, reason TEXT,
    at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')), abs_path TEXT, run_id INTEGER);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')), finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running', pid INTEGER, host TEXT, namnd_version TEXT, paths TEXT,
    workers INTEGER, files INTEGER, new INTEGER, updated INTEGER, skipped INTEGER, failed INTEGER,
    seconds REAL, moved INTEGER);
CREATE VIEW IF NOT EXISTS citations_per_law AS
    SELECT law, chapter, section, COUNT(*) AS citations, COUNT(DISTINCT document_id) AS documents
    FROM law_citations GROUP BY law, chapter, section ORDER BY citations DESC;
CREATE VIEW IF NOT EXISTS staffing_per_district AS
    SELECT district, lpo, COUNT(*) AS facts, MAX(headcount) AS max_headcount,
           MIN(days_min) AS min_days, MAX(days_max) AS max_days
    FROM staffing GROUP BY district, lpo;
CREATE VIEW IF NOT EXISTS challenges_per_category AS
    SELECT category, COUNT(*) AS challenges, COUNT(DISTINCT document_id) AS documents
    FROM challenges GROUP BY category ORDER BY challenges DESC;
CREATE TABLE IF NOT EXISTS search_text (id INTEGER PRIMARY KEY,
    document_id TEXT REFERENCES documents(id) ON DELETE CASCADE, heading TEXT, body TEXT);
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(heading, body, content='search_text', content_rowid='id',
    tokenize='unicode61 remove_diacritics 0');
CREATE TRIGGER IF NOT EXISTS search_text_delete AFTER DELETE ON search_text BEGIN
    INSERT INTO search(search, rowid, heading, body) VALUES ('delete', old.id, old.heading, old.body);
END;
"""

#: created after the migration, since some index columns may have been added by it
INDEX_SQL = """
CREATE INDEX IF NOT EXISTS documents_path ON documents(path);
CREATE INDEX IF NOT EXISTS documents_abs_path ON documents(abs_path);
CREATE INDEX IF NOT EXISTS sections_document ON sections(document_id);
CREATE INDEX IF NOT EXISTS law_citations_document ON law_citations(document_id);
CREATE INDEX IF NOT EXISTS law_citations_law ON law_citations(law, chapter, section);
CREATE INDEX IF NOT EXISTS districts_document ON districts(document_id);
CREATE INDEX IF NOT EXISTS districts_name ON districts(name);
CREATE INDEX IF NOT EXISTS lpos_document ON lpos(document_id);
CREATE INDEX IF NOT EXISTS staffing_document ON staffing(document_id);
CREATE INDEX IF NOT EXISTS challenges_document ON challenges(document_id);
CREATE INDEX IF NOT EXISTS repairs_document ON repairs(document_id);
CREATE INDEX IF NOT EXISTS failures_abs_path ON failures(abs_path);
CREATE INDEX IF NOT EXISTS failures_path ON failures(path);
CREATE INDEX IF NOT EXISTS search_text_document ON search_text(document_id);
"""

CHILD_TABLES = ("sections", "law_citations", "districts", "lpos", "staffing", "challenges", "repairs")
#: the full-text index's own rows: a document's text section by section (``search`` indexes
#: them with a tokenizer that keeps å, ä and ö apart from a and o)
SEARCH_TABLE = "search_text"
TABLES = ("documents",) + CHILD_TABLES + ("failures", "runs")
VIEWS = ("citations_per_law", "staffing_per_district", "challenges_per_category")

#: the columns :func:`record_rows` fills, per table (the database may have more, e.g. from a newer version)
COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("id", "path", "format", "pages", "title", "date", "namnd", "forvaltning", "municipality",
                  "diarienummer", "schema_version", "record"),
    "sections": ("document_id", "heading", "level", "start", "end", "page"),
    "law_citations": ("document_id", "law", "sfs", "chapter", "chapter_end", "section", "section_end",
                      "paragraph", "point", "start", "end", "text", "page", "section_heading", "sfs_basis"),
    "districts": ("document_id", "name", "municipality", "mentions", "first_start", "first_page"),
    "lpos": ("document_id", "name", "districts", "mentions", "first_start", "first_page"),
    "staffing": ("document_id", "district", "lpo", "role", "headcount", "days_min", "days_max", "full_time",
                 "unit", "employment", "start", "end", "text", "page"),
    "challenges": ("document_id", "district", "category", "start", "end", "text", "page"),
    SEARCH_TABLE: ("document_id", "heading", "body"),
    "repairs": ("document_id", "original", "replacement", "start", "end", "kind", "confidence", "original_start",
                "original_end"),
}

# columns added after the first release: (table, column, type) — added to older databases on connect
_ADDED_COLUMNS = (
    ("documents", "abs_path", "TEXT"),
    ("documents", "size", "INTEGER"),
    ("documents", "run_id", "INTEGER"),
    ("law_citations", "sfs_basis", "TEXT"),
    ("repairs", "original_start", "INTEGER"),
    ("repairs", "original_end", "INTEGER"),
    ("failures", "abs_path", "TEXT"),
    ("failures", "run_id", "INTEGER"),
    ("failures", "kind", "TEXT"),
    ("runs", "moved", "INTEGER"),
)


def _insert_sql(table: str, columns: Iterable[str]) -> str:
    return _insert_statement(table, tuple(columns))


#: the long text columns, which :func:`record_rows` gives as UTF-8 bytes: the bytes a worker
#: process sends go into SQLite as they are, stored as TEXT (``CAST(? AS TEXT)`` reads them in
#: the database's encoding, UTF-8). A ``str`` there is stored as ever. As ``str`` the writer
#: would decode them from the pickle and encode them again for SQLite, some 6 % of its work.
UTF8_COLUMNS = frozenset({("documents", "record"), (SEARCH_TABLE, "body")})


@lru_cache(maxsize=None)
def _insert_statement(table: str, cols: tuple[str, ...]) -> str:
    """The INSERT for these columns (made once: the writer inserts a dozen kinds of row per document)."""
    values = ",".join("CAST(? AS TEXT)" if (table, c) in UTF8_COLUMNS else "?" for c in cols)
    return f'INSERT INTO {table} ({", ".join(_q(c) for c in cols)}) VALUES ({values})'


def _q(column: str) -> str:
    return f'"{column}"'


#: ``PRAGMA application_id`` of a namnd database: the ASCII of "nmnd" (0x6E6D6E64)
APPLICATION_ID = int.from_bytes(b"nmnd", "big")
#: ``PRAGMA user_version`` of a database of this schema: the first release's schema is 1,
#: and every column added since (:data:`_ADDED_COLUMNS`) counts one more
SCHEMA_VERSION = 1 + len(_ADDED_COLUMNS)


class ForeignDatabaseError(sqlite3.DatabaseError):
    """The file is no namnd database (another application's, or no SQLite database at all):
    namnd leaves it as it is."""


def connect(path: str | Path, *, timeout: float = 30.0) -> sqlite3.Connection:
    """Open (or create) a namnd database for writing: WAL journal, foreign keys, current schema.

    Before anything is written the file is checked (:func:`_whose`): a new or empty file
    becomes a namnd database, marked with :data:`APPLICATION_ID`; a namnd database is used;
    one made by a namnd that did not mark its databases yet is marked; anything else raises
    :class:`ForeignDatabaseError` and is left byte for byte as it was. A new file is
    created readable and writable by its owner only (SQLite gives its ``-wal`` and ``-shm``
    files the same mode). ``PRAGMA user_version`` is the schema's version
    (:data:`SCHEMA_VERSION`; a newer namnd's higher one is kept).

    WAL with ``synchronous=NORMAL``: every committed transaction survives the process being
    killed; a power cut may lose the last few commits, never consistency. The log is copied
    back into the database (checkpointed) every 20,000 pages (about 80 MB) and when the last
    connection closes, not every 1,000: in a long ingest the writer otherwise spends about
    half its commit time on checkpoints, on the core the workers need.
    """
    if str(path) not in ("", ":memory:"):  # SQLite's names for databases with no file
        _create_private(Path(path))
    conn = sqlite3.connect(str(path), timeout=timeout)
    try:
        conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        if _whose(conn) != "namnd":
            conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA wal_autocheckpoint=20000")
        conn.execute("PRAGMA foreign_keys=ON")
        with conn:
            conn.executescript(SCHEMA_SQL)
            _migrate(conn)
            conn.executescript(INDEX_SQL)
            if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    except BaseException:
        conn.close()
        raise
    return conn


def _create_private(path: Path) -> None:
    """Create ``path`` empty with mode 0o600 (less the umask) when nothing has its name yet,
    so that SQLite, which would create it with 0o644, opens a file only its owner can read."""
    from pipeline.outputs import FILE_MODE, make_dirs

    if os.path.lexists(path):
        return
    try:
        make_dirs(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    except FileExistsError:  # made meanwhile by another process: checked like any existing file
        return
    except OSError as exc:  # as SQLite's own "unable to open database file" would be
        raise sqlite3.OperationalError(f"cannot create the database file: {exc.strerror or exc}") from None
    os.close(fd)


def _whose(conn: sqlite3.Connection) -> str:
    """Whose database ``conn`` opened, by reading only: "namnd" (marked as namnd's), "new"
    (no tables, no other application's mark) or "unmarked" (namnd's tables, made before
    namnd marked its databases); anything else raises :class:`ForeignDatabaseError`."""
    try:
        app = conn.execute("PRAGMA application_id").fetchone()[0]
        names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}
        columns = {row[1] for row in conn.execute("PRAGMA table_info(documents)")}
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") != "SQLITE_NOTADB":
            raise  # busy, locked, unreadable: the file may well be namnd's
        raise ForeignDatabaseError("not an SQLite database; namnd leaves it as it is") from None
    if app == APPLICATION_ID:
        return "namnd"
    if app != 0:
        raise ForeignDatabaseError(f"the database of another application (application_id {app:#x}); "
                                   "namnd leaves it as it is: give --db a new file or a namnd database")
    if not names:
        return "new"
    if set(COLUMNS["documents"]) <= columns:
        return "unmarked"
    raise ForeignDatabaseError("an SQLite database that namnd did not make (it has none of namnd's tables); "
                               "namnd leaves it as it is: give --db a new file or a namnd database")


def _migrate(conn: sqlite3.Connection) -> None:
    for table, column, kind in _ADDED_COLUMNS:
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if column not in have:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {_q(column)} {kind}")
    # the index's rows are added by index_documents, not by a trigger per row (see there)
    conn.execute("DROP TRIGGER IF EXISTS search_text_insert")
    # a database made before the full-text index: index the documents it holds
    if conn.execute(f"SELECT 1 FROM {SEARCH_TABLE} LIMIT 1").fetchone() is None:
        for (record,) in conn.execute("SELECT record FROM documents").fetchall():
            rows = record_rows(Record.model_validate_json(record))
            conn.executemany(_insert_sql(SEARCH_TABLE, COLUMNS[SEARCH_TABLE]), rows[SEARCH_TABLE])
        conn.execute(f"INSERT INTO search(rowid, heading, body) SELECT id, heading, body FROM {SEARCH_TABLE}")
    _set_index_merging(conn)


#: how many segments of one size the full-text index gathers before it merges them into one
#: (FTS5's ``automerge``: 2 to 16, SQLite's default 4). Every commit of the writer adds a
#: segment; merging at 16 rewrites each indexed word about half as often as at 4, which
#: saves about a fifth of the index's share of the writer's CPU in a long ingest (counted
#: with Valgrind, ``docs/ingest.md``). A search reads a few more segments: for an archive's
#: millions of documents a handful of levels of at most 15 each.
INDEX_AUTOMERGE = 16


def _set_index_merging(conn: sqlite3.Connection) -> None:
    """Store :data:`INDEX_AUTOMERGE` in the index's configuration, unless it is there already
    (a connection opened for writing should not write when nothing changes)."""
    row = conn.execute("SELECT v FROM search_config WHERE k = 'automerge'").fetchone()
    if row is None or row[0] != INDEX_AUTOMERGE:
        conn.execute("INSERT INTO search(search, rank) VALUES ('automerge', ?)", (INDEX_AUTOMERGE,))


def record_rows(record: Record) -> dict[str, list[tuple]]:
    """The rows a record becomes, per table, in the column order of :data:`COLUMNS`.

    Plain tuples of str/int/float/None, and UTF-8 bytes for the long texts of
    :data:`UTF8_COLUMNS` (the record's JSON, the indexed text): cheap to pickle, so worker
    processes can build them and the one writing process only inserts (:func:`insert_rows`
    stores those bytes as TEXT).
    """
    rid = record.id
    md = record.metadata
    return {
        "documents": [(rid, record.source.path, record.source.format, record.source.pages, md.title, md.date,
                       md.namnd, md.forvaltning, md.municipality, json.dumps(md.diarienummer, ensure_ascii=False),
                       record.schema_version, record.model_dump_json().encode())],
        "sections": [(rid, s.heading, s.level, s.start, s.end, s.page) for s in record.sections],
        "law_citations": [(rid, c.law, c.sfs, c.chapter, c.chapter_end, c.section, c.section_end, c.paragraph,
                           c.point, c.span.start, c.span.end, c.span.text, c.span.page, c.section_heading,
                           c.sfs_basis) for c in record.law_citations],
        "districts": [(rid, d.name, d.municipality, len(d.mentions), d.mentions[0].start if d.mentions else None,
                       d.mentions[0].page if d.mentions else None) for d in record.districts],
        "lpos": [(rid, l.name, json.dumps(l.districts, ensure_ascii=False), len(l.mentions),
                  l.mentions[0].start if l.mentions else None, l.mentions[0].page if l.mentions else None)
                 for l in record.lpos],
        "staffing": [(rid, s.district, s.lpo, s.role, s.headcount,
                      s.days_per_week.min if s.days_per_week else None,
                      s.days_per_week.max if s.days_per_week else None,
                      None if s.full_time is None else int(s.full_time), s.unit, s.employment,
                      s.span.start, s.span.end, s.span.text, s.span.page) for s in record.staffing],
        "challenges": [(rid, c.district, c.category, c.span.start, c.span.end, c.span.text, c.span.page)
                       for c in record.challenges],
        "repairs": [(rid, r.original, r.replacement, r.start, r.end, r.kind, r.confidence,
                     getattr(r, "original_start", None), getattr(r, "original_end", None)) for r in record.repairs],
        SEARCH_TABLE: [(rid, heading, body.encode()) for heading, body in search_pieces(record)],
    }


def search_pieces(record: Record) -> list[tuple[Optional[str], str]]:
    """The document's text as (section heading, text) pieces that do not overlap: each
    section up to the next one that starts (a sub-section is a piece of its own)."""
    sections = sorted(record.sections, key=lambda s: s.start)
    if not sections:
        return [(None, record.text)] if record.text.strip() else []
    pieces = [(None, record.text[:sections[0].start])]
    for i, s in enumerate(sections):
        end = min(s.end, sections[i + 1].start) if i + 1 < len(sections) else s.end
        pieces.append((s.heading, record.text[s.start:end]))
    return [(h, body) for h, body in pieces if body.strip()]


def delete_document(conn: sqlite3.Connection, document_id: str) -> None:
    """Remove a document and all its rows (no transaction of its own: call inside one)."""
    for table in CHILD_TABLES + (SEARCH_TABLE,):
        conn.execute(f"DELETE FROM {table} WHERE document_id = ?", (document_id,))
    conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))


def insert_rows(conn: sqlite3.Connection, rows: dict[str, list[tuple]], *, abs_path: Optional[str] = None,
                size: Optional[int] = None, run_id: Optional[int] = None, index: bool = True) -> None:
    """Insert the rows of :func:`record_rows` (no transaction of its own: call inside one).
    ``index=False``: the caller adds the document to the full-text index itself, with
    others, before its transaction ends (:func:`index_documents`)."""
    (doc,) = rows["documents"]
    conn.execute(_insert_statement("documents", COLUMNS["documents"] + ("abs_path", "size", "run_id")),
                 doc + (abs_path, size, run_id))
    for table in CHILD_TABLES + (SEARCH_TABLE,):
        if rows.get(table):
            conn.executemany(_insert_statement(table, COLUMNS[table]), rows[table])
    if index:
        index_documents(conn, [doc[0]])


def index_documents(conn: sqlite3.Connection, document_ids: list[str]) -> None:
    """Add the documents' text (their :data:`SEARCH_TABLE` rows) to the full-text index, in
    the caller's transaction: every writer calls it for what it inserted, before it commits.

    One statement for many documents: FTS5 gathers the terms of a statement in memory and
    writes them out once; a trigger per row (which SQLite runs as a statement of its own)
    made it write the index out for every row, some five times the work."""
    for start in range(0, len(document_ids), 500):
        part = document_ids[start:start + 500]
        conn.execute(f"INSERT INTO search(rowid, heading, body) SELECT id, heading, body FROM {SEARCH_TABLE} "
                     f"WHERE document_id IN ({','.join('?' * len(part))})", part)


def store(conn: sqlite3.Connection, record: Record) -> None:
    """Insert or replace one record and all its rows, in one transaction."""
    abs_path = size = None
    try:
        st = os.stat(record.source.path)
        abs_path, size = os.path.realpath(record.source.path), st.st_size
    except (OSError, ValueError):
        pass
    with conn:
        delete_document(conn, record.id)
        insert_rows(conn, record_rows(record), abs_path=abs_path, size=size)


def insert_failure(conn: sqlite3.Connection, path: str, reason: str, sha256: str | None, *,
                   abs_path: Optional[str] = None, run_id: Optional[int] = None, kind: Optional[str] = None) -> None:
    """One failure row, inside the caller's transaction (see :func:`store_failure`). ``kind``:
    "file" (the file's own fault) or "run" (the run's: the next ingest tries it again)."""
    conn.execute("INSERT INTO failures (path, sha256, reason, abs_path, run_id, kind) VALUES (?,?,?,?,?,?)",
                 (path, sha256, reason, abs_path, run_id, kind))


def store_failure(conn: sqlite3.Connection, path: str, reason: str, sha256: str | None, *,
                  abs_path: Optional[str] = None, run_id: Optional[int] = None, kind: Optional[str] = None) -> None:
    with conn:
        insert_failure(conn, path, reason, sha256, abs_path=abs_path, run_id=run_id, kind=kind)


def store_all(conn: sqlite3.Connection, records: Iterable[Record]) -> int:
    n = 0
    for r in records:
        store(conn, r)
        n += 1
    return n


# -- read-only access --------------------------------------------------------------------
#: pragmas whose argument names what to read (``PRAGMA table_info(documents)``, also as
#: ``pragma_table_info('documents')``): allowed with or without it
_READ_PRAGMAS_OF = frozenset({
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    "foreign_key_check", "integrity_check", "quick_check",
})
#: pragmas that read a setting, allowed only without an argument (with one they would set it:
#: ``PRAGMA user_version=5``, ``PRAGMA journal_mode=delete``); any other pragma is refused
_READ_PRAGMAS = _READ_PRAGMAS_OF | frozenset({
    "database_list", "collation_list", "function_list", "module_list", "pragma_list", "compile_options",
    "user_version", "schema_version", "application_id", "data_version", "page_count", "page_size",
    "freelist_count", "encoding", "journal_mode", "foreign_keys", "query_only",
})
_READ_ACTIONS = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION,
                           sqlite3.SQLITE_RECURSIVE})


def _read_only_authorizer(action: int, arg1, arg2, _db, _trigger) -> int:
    if action in _READ_ACTIONS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in (_READ_PRAGMAS if arg2 is None else _READ_PRAGMAS_OF):
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_UPDATE and arg1 in ("sqlite_master", "sqlite_schema"):
        # asked when a table-valued pragma (pragma_table_info('documents')) is declared; the
        # schema table itself can never be written without PRAGMA writable_schema, which is refused
        return sqlite3.SQLITE_OK
    # writes, schema changes, ATTACH (also what VACUUM INTO does), transactions, setting pragmas
    return sqlite3.SQLITE_DENY


def connect_readonly(path: str | Path, *, user_sql: bool = True,
                     warn: Optional[Callable[[str], None]] = None) -> sqlite3.Connection:
    """A connection that can never change the database, nor write any other file.

    Three locks: the file is opened read-only (``mode=ro``), ``PRAGMA query_only`` is set,
    and an authorizer lets only reads through (no ATTACH, no VACUUM INTO, no pragma that
    sets a value, so ``query_only`` cannot be switched off again). Raises
    :class:`FileNotFoundError` when there is no such file. ``user_sql=False`` is for SQL
    of namnd's own with the user's words only as parameters (the full-text search, whose
    module declares its table when it opens it, which the authorizer would refuse): the
    first two locks.

    A database that cannot change (its file or its folder not writable, or without any
    write permission bit, which counts for root too) and has no ``-wal`` file with
    transactions in it is opened ``immutable``: SQLite then creates no ``-wal`` and
    ``-shm`` files beside it. With transactions in its ``-wal`` it is read with them, as
    any reader does, where SQLite can; when it cannot (no ``-shm`` file and a folder it may
    not write), the database file alone is read and ``warn`` is told that the latest
    transactions are missing.
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"no such database: {path}")
    real = p.resolve()
    uri = real.as_uri() + "?mode=ro"
    if not (_writable(real) and _writable(real.parent)):
        wal = Path(f"{real}-wal")
        if not (wal.is_file() and wal.stat().st_size > 0):
            uri += "&immutable=1"
        elif not (Path(f"{real}-shm").exists() or _writable(real.parent)):
            uri += "&immutable=1"
            if warn is not None:
                warn(f"{wal.name} holds transactions that are not read: without a {real.name}-shm file and in "
                     "a folder that may not be written, SQLite can read the database file only; the latest "
                     "documents may be missing")
    conn = sqlite3.connect(uri, uri=True)
    conn.execute("PRAGMA query_only=ON")
    if user_sql:
        conn.set_authorizer(_read_only_authorizer)
    return conn


def _writable(path: Path) -> bool:
    """Whether this process may write ``path``, and its mode allows anyone to (so a file
    made read-only with chmod counts as read-only for root too)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & 0o222) and os.access(path, os.W_OK)


class TimeLimit:
    """Stops a connection's statements once they have run ``seconds`` in SQLite, in all.

    Only the time inside :meth:`running` blocks counts (the execute and each fetch), not
    the time between fetches, in which rows are printed to a reader that may be slow. A
    stopped statement raises :class:`sqlite3.OperationalError` ("interrupted") and
    :attr:`exceeded` is set. ``seconds`` 0 or ``None``: no limit.
    """

    def __init__(self, conn: sqlite3.Connection, seconds: Optional[float], *, every: int = 10_000):
        self.seconds = seconds or None
        self.used = 0.0
        self.exceeded = False
        self._since: Optional[float] = None
        if self.seconds is not None:
            conn.set_progress_handler(self._check, every)  # called every `every` SQLite VM steps

    @contextmanager
    def running(self) -> Iterator[None]:
        self._since = time.monotonic()
        try:
            yield
        finally:
            self.used += time.monotonic() - self._since
            self._since = None

    def _check(self) -> int:
        if self._since is not None and self.used + (time.monotonic() - self._since) > self.seconds:
            self.exceeded = True
            return 1  # non-zero: SQLite interrupts the statement
        return 0


def search(conn: sqlite3.Connection, query: str, limit: int = 20) -> list[dict]:
    """Full-text hits for ``query`` (FTS5 syntax: words, "a phrase", prefix*, AND/OR/NOT),
    best first: each hit's document id and path, its section heading and a snippet with
    the matched words in [brackets]. A query that is no valid FTS5 expression is searched
    as a phrase of its words."""
    sql = ("SELECT d.id, d.path, t.heading, snippet(search, 1, '[', ']', '…', 12) "
           "FROM search JOIN search_text t ON t.id = search.rowid JOIN documents d ON d.id = t.document_id "
           "WHERE search MATCH ? ORDER BY rank LIMIT ?")
    try:
        found = conn.execute(sql, (query, limit)).fetchall()
    except sqlite3.OperationalError:  # "unterminated string", "fts5: syntax error near …"
        phrase = '"' + query.replace('"', '""') + '"'
        found = conn.execute(sql, (phrase, limit)).fetchall()
    return [{"document_id": i, "path": path, "heading": heading, "snippet": " ".join(snippet.split())}
            for i, path, heading, snippet in found]
