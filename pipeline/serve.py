"""Datasette over a namnd database, read-only, described by ``data/database.json``.

Datasette (the optional extra ``[serve]``) gives researchers a browsable, queryable view
of the database: every table and column described, the full-text index wired to the
section texts, canned queries for the common questions, the source and the licence.
Its query connections are read-only; namnd asks for nothing that writes.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from pipeline.resources import load_json


def metadata(db: str | os.PathLike) -> dict:
    """Datasette's metadata for the database file ``db``."""
    data = load_json("database.json")
    tables = {}
    for name, table in data["tables"].items():
        entry = {"description": table["description"]}
        if "columns" in table:
            entry["columns"] = table["columns"]
        tables[name] = entry
    tables["search_text"].update({"fts_table": "search", "fts_pk": "id", "searchmode": "raw"})
    tables["documents"]["sort_desc"] = "date"
    return {
        "title": data["title"],
        "description": data["description"],
        "source": data["source"],
        "license": data["license"],
        "databases": {Path(db).stem: {"tables": tables, "queries": data["queries"]}},
    }


def serve(db: str | os.PathLike, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Replace this process with Datasette serving ``db`` (returns only on failure)."""
    import datasette  # noqa: F401 - a clear ImportError when the extra is not installed

    meta = Path(tempfile.mkdtemp(prefix="namnd-serve-")) / "metadata.json"
    meta.write_text(json.dumps(metadata(db), ensure_ascii=False, indent=1), encoding="utf-8")
    args = [sys.executable, "-m", "datasette", "serve", str(db), "--metadata", str(meta),
            "--host", host, "--port", str(port), "--setting", "default_page_size", "50"]
    os.execv(sys.executable, args)
