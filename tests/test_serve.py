"""namnd serve: Datasette over a namnd database, described, searchable, read-only, over HTTP."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.serve import metadata

pytest.importorskip("datasette")
NAMND = Path(sys.executable).parent / "namnd"
TEXT = ("Tjänsteskrivelse\nSocialförvaltningen, Kalmar kommun\n\nBakgrund\n\n"
        "Anmälan enligt 14 kap. 1 § SoL kom från polisen. Två socialsekreterare arbetar hos polisen "
        "tre dagar i veckan i Norrliden.\n\nEkonomi\n\nKostnaden för rödbetor redovisas inte här.\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, None


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docs")
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    db = folder.parent / "namnd.db"
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "--workers", "0", "--no-progress"])
    assert result.exit_code == 0, result.output
    port = free_port()
    proc = subprocess.Popen([str(NAMND), "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(base + "/-/versions.json")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail(proc.stdout.read().decode())
    yield base, db
    proc.terminate()
    proc.wait(timeout=30)


def test_every_table_and_column_is_described(tmp_path):
    from pipeline import emit

    db = tmp_path / "n.db"
    emit.connect(db).close()
    tables = metadata(db)["databases"]["n"]["tables"]
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_%' "
                                            "AND name != 'search'")] + ["search_text"]
        for name in names:
            assert tables[name]["description"], name
            kind = conn.execute("SELECT type FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
            if kind == "table":
                columns = [r[1] for r in conn.execute(f"PRAGMA table_info({name})")]
                assert set(columns) <= set(tables[name]["columns"]), name


def test_served_over_http_with_metadata_queries_and_search(served):
    base, db = served
    status, meta = get(base + "/-/metadata.json")
    assert status == 200 and meta["license"] and meta["source"] == "namnd"
    name = db.stem
    status, rows = get(f"{base}/{name}/citations_per_law_and_section.json?_shape=array")
    assert status == 200 and rows[0]["law"] == "SoL" and rows[0]["chapter"] == "14"
    status, rows = get(f"{base}/{name}/staffing_per_district_and_year.json?_shape=array")
    assert status == 200 and rows and rows[0]["people_counted"] == 2
    status, rows = get(f"{base}/{name}/challenges_per_category.json?_shape=array")
    assert status == 200
    status, rows = get(f"{base}/{name}/search_documents.json?" + urllib.parse.urlencode({"q": "rödbetor", "_shape": "array"}))
    assert status == 200 and len(rows) == 1 and rows[0]["heading"] == "Ekonomi"
    status, rows = get(f"{base}/{name}/search_text.json?" + urllib.parse.urlencode({"_search": "rödbetor", "_shape": "array"}))
    assert status == 200 and len(rows) == 1


def test_served_database_is_read_only(served):
    base, db = served
    sql = urllib.parse.urlencode({"sql": "DELETE FROM documents"})
    status, _ = get(f"{base}/{db.stem}.json?{sql}")
    assert status >= 400
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 1
