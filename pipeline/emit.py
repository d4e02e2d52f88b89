"""Stage 6 — emit: records as JSON files, a JSONL stream and an SQLite database."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import IO, Iterable

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
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(record.model_dump_json(indent=2), encoding="utf-8")
    tmp.replace(path)  # atomic: a killed run never leaves half a record


def write_jsonl_line(record: Record, fh: IO[str]) -> None:
    fh.write(record.model_dump_json())
    fh.write("\n")


SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, format TEXT, pages INTEGER, title TEXT, date TEXT,
    namnd TEXT, forvaltning TEXT, municipality TEXT, diarienummer TEXT, schema_version TEXT,
    record TEXT NOT NULL, ingested_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE TABLE IF NOT EXISTS sections (document_id TEXT REFERENCES documents(id) ON DELETE CASCADE,
    heading TEXT, level INTEGER, start INTEGER, "end" INTEGER, page INTEGER);
CREATE TABLE IF NOT EXISTS law_citations (document_id TEXT REFERENCES documents(id) ON DELETE CASCADE,
    law TEXT, sfs TEXT, chapter TEXT, chapter_end TEXT, section TEXT, section_end TEXT, paragraph TEXT,
    point TEXT, start INTEGER, "end" INTEGER, text TEXT, page INTEGER, section_heading TEXT);
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
    original TEXT, replacement TEXT, start INTEGER, "end" INTEGER, kind TEXT, confidence REAL);
CREATE TABLE IF NOT EXISTS failures (path TEXT, sha256 TEXT, reason TEXT,
    at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));
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
"""

CHILD_TABLES = ("sections", "law_citations", "districts", "lpos", "staffing", "challenges", "repairs")


def connect(path: str | Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.executescript(SCHEMA_SQL)
    return conn


def store(conn: sqlite3.Connection, record: Record) -> None:
    """Insert or replace one record and all its rows, in one transaction."""
    rid = record.id
    md = record.metadata
    with conn:
        for table in CHILD_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE document_id = ?", (rid,))
        conn.execute("DELETE FROM documents WHERE id = ?", (rid,))
        conn.execute(
            "INSERT INTO documents (id, path, format, pages, title, date, namnd, forvaltning, municipality,"
            " diarienummer, schema_version, record) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (rid, record.source.path, record.source.format, record.source.pages, md.title, md.date, md.namnd,
             md.forvaltning, md.municipality, json.dumps(md.diarienummer, ensure_ascii=False),
             record.schema_version, record.model_dump_json()))
        conn.executemany('INSERT INTO sections VALUES (?,?,?,?,?,?)',
                         [(rid, s.heading, s.level, s.start, s.end, s.page) for s in record.sections])
        conn.executemany('INSERT INTO law_citations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
                         [(rid, c.law, c.sfs, c.chapter, c.chapter_end, c.section, c.section_end, c.paragraph,
                           c.point, c.span.start, c.span.end, c.span.text, c.span.page, c.section_heading)
                          for c in record.law_citations])
        conn.executemany('INSERT INTO districts VALUES (?,?,?,?,?,?)',
                         [(rid, d.name, d.municipality, len(d.mentions), d.mentions[0].start if d.mentions else None,
                           d.mentions[0].page if d.mentions else None) for d in record.districts])
        conn.executemany('INSERT INTO lpos VALUES (?,?,?,?,?,?)',
                         [(rid, l.name, json.dumps(l.districts, ensure_ascii=False), len(l.mentions),
                           l.mentions[0].start if l.mentions else None, l.mentions[0].page if l.mentions else None)
                          for l in record.lpos])
        conn.executemany('INSERT INTO staffing VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
                         [(rid, s.district, s.lpo, s.role, s.headcount,
                           s.days_per_week.min if s.days_per_week else None,
                           s.days_per_week.max if s.days_per_week else None,
                           None if s.full_time is None else int(s.full_time), s.unit, s.employment,
                           s.span.start, s.span.end, s.span.text, s.span.page) for s in record.staffing])
        conn.executemany('INSERT INTO challenges VALUES (?,?,?,?,?,?,?)',
                         [(rid, c.district, c.category, c.span.start, c.span.end, c.span.text, c.span.page)
                          for c in record.challenges])
        conn.executemany('INSERT INTO repairs VALUES (?,?,?,?,?,?,?)',
                         [(rid, r.original, r.replacement, r.start, r.end, r.kind, r.confidence)
                          for r in record.repairs])


def store_failure(conn: sqlite3.Connection, path: str, reason: str, sha256: str | None) -> None:
    with conn:
        conn.execute("INSERT INTO failures (path, sha256, reason) VALUES (?,?,?)", (path, sha256, reason))


def store_all(conn: sqlite3.Connection, records: Iterable[Record]) -> int:
    n = 0
    for r in records:
        store(conn, r)
        n += 1
    return n
