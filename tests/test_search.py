"""Full-text search over ingested documents: å, ä and ö kept apart, consistent through
reruns, replaced documents and an older database without the index."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from pipeline import emit
from pipeline.cli import main

HEAD = "Tjänsteskrivelse\nSocialförvaltningen, Kalmar kommun\n\n"
FIRST = HEAD + ("Bakgrund\n\nLäget i centrum har förbättrats sedan fältgruppen började arbeta kvällstid.\n\n"
                "Ekonomi\n\nKostnaden för rödbetor i skolköket redovisas inte här.\n")
SECOND = HEAD + "Bakgrund\n\nFältassistenterna möter unga vid resecentrum på fredagskvällar.\n"


def ingest(folder, db, *extra):
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "--workers", "0", "--no-progress",
                                       *extra])
    assert result.exit_code == 0, result.output


def hits(db, query):
    result = CliRunner().invoke(main, ["search", "--db", str(db), query, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "a.txt").write_text(FIRST, encoding="utf-8")
    (d / "b.txt").write_text(SECOND, encoding="utf-8")
    return d


def test_a_hit_names_its_document_section_and_words(folder, tmp_path):
    db = tmp_path / "n.db"
    ingest(folder, db)
    (hit,) = hits(db, "rödbetor")
    assert hit["path"].endswith("a.txt") and hit["heading"] == "Ekonomi" and "[rödbetor]" in hit["snippet"]
    result = CliRunner().invoke(main, ["search", "--db", str(db), "fredagskvällar"])
    assert "b.txt — Bakgrund" in result.output and "[fredagskvällar]" in result.output


@pytest.mark.parametrize("query, found", [
    ("läget", 1), ("laget", 0),          # ä is no a
    ("förbättrats", 1), ("forbattrats", 0),
    ("kvällstid", 1), ("kvallstid", 0),
    ('"började arbeta"', 1), ("fält*", 2),
    ("rödbetor OR fredagskvällar", 2), ("rödbetor NOT skolköket", 0),
    ('"unterminated', 0),                 # not a valid expression: searched as words
])
def test_swedish_letters_are_letters_of_their_own(folder, tmp_path, query, found):
    db = tmp_path / "n.db"
    ingest(folder, db)
    assert len({h["document_id"] for h in hits(db, query)}) == found


def test_reruns_and_replaced_documents_keep_the_index_true(folder, tmp_path):
    db = tmp_path / "n.db"
    ingest(folder, db)
    ingest(folder, db)                    # unchanged: skipped, nothing indexed twice
    assert len(hits(db, "rödbetor")) == 1
    ingest(folder, db, "--force")         # processed again: replaced, still once
    assert len(hits(db, "rödbetor")) == 1
    (folder / "a.txt").write_text(FIRST.replace("rödbetor", "kålrötter"), encoding="utf-8")
    ingest(folder, db)                    # a changed file replaces its older version
    assert hits(db, "rödbetor") == [] and len(hits(db, "kålrötter")) == 1
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO search(search, rank) VALUES ('integrity-check', 1)")
        assert conn.execute(f"SELECT COUNT(*) FROM {emit.SEARCH_TABLE}").fetchone()[0] == \
            conn.execute("SELECT COUNT(*) FROM search").fetchone()[0]


def test_a_database_from_before_the_index_is_indexed_when_opened(folder, tmp_path):
    db = tmp_path / "n.db"
    ingest(folder, db)
    with sqlite3.connect(db) as conn:   # as a database of an older namnd: no index at all
        for statement in ("DROP TRIGGER IF EXISTS search_text_insert", "DROP TRIGGER search_text_delete",
                          "DROP TABLE search", f"DROP TABLE {emit.SEARCH_TABLE}"):
            conn.execute(statement)
    emit.connect(db).close()
    assert len(hits(db, "rödbetor")) == 1 and len(hits(db, "fredagskvällar")) == 1


def test_search_never_writes(folder, tmp_path):
    db = tmp_path / "n.db"
    ingest(folder, db)
    before = db.read_bytes()
    hits(db, "rödbetor")
    assert db.read_bytes() == before


def test_long_texts_travel_as_utf8_and_are_stored_as_text(folder, tmp_path):
    db = tmp_path / "n.db"
    ingest(folder, db)
    with sqlite3.connect(db) as conn:
        types = conn.execute("SELECT DISTINCT typeof(record) FROM documents").fetchall()
        bodies = conn.execute(f"SELECT DISTINCT typeof(body) FROM {emit.SEARCH_TABLE}").fetchall()
        assert types == [("text",)] and bodies == [("text",)]
        # the record is JSON SQLite can read, with the letters as they were
        texts = [t for (t,) in conn.execute("SELECT json_extract(record, '$.text') FROM documents")]
        assert any("rödbetor" in t for t in texts) and any("fredagskvällar" in t for t in texts)
    # rows given with str for those columns (as an older caller builds them) are stored the same
    rows = {"documents": [("x" * 64, "c.txt", "txt", 1, None, None, None, None, None, "[]", 1,
                           json.dumps({"text": "Kvällsvandring på torget"}, ensure_ascii=False))],
            emit.SEARCH_TABLE: [("x" * 64, None, "Kvällsvandring på torget")]}
    conn = emit.connect(db)
    with conn:
        emit.insert_rows(conn, rows)
    conn.close()
    assert [h["path"] for h in hits(db, "kvällsvandring")] == ["c.txt"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT typeof(record), json_extract(record, '$.text') FROM documents "
                            "WHERE id = ?", ("x" * 64,)).fetchone() == ("text", "Kvällsvandring på torget")


def test_the_index_merges_at_its_setting_and_opening_it_again_writes_nothing(tmp_path):
    db = tmp_path / "n.db"
    emit.connect(db).close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT v FROM search_config WHERE k = 'automerge'").fetchone() == (emit.INDEX_AUTOMERGE,)
        conn.execute("INSERT INTO search(search, rank) VALUES ('automerge', 4)")  # as SQLite's default
    conn = emit.connect(db)  # an older database gets the setting
    assert conn.execute("SELECT v FROM search_config WHERE k = 'automerge'").fetchone() == (emit.INDEX_AUTOMERGE,)
    conn.close()
    conn = emit.connect(db)
    assert conn.total_changes == 0
    conn.close()
