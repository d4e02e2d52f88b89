"""The ``namnd`` command: a thin layer over :mod:`pipeline.core` and :mod:`pipeline.emit`.

Exit status: 0 when every file succeeded, 1 when any file failed (the rest still done),
2 for a usage error.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
import time
from pathlib import Path
from typing import Iterable, Iterator

import click

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DOCUMENT_SUFFIXES = {".txt", ".text", ".pdf", ".md"}


def iter_inputs(paths: Iterable[str]) -> Iterator[Path]:
    """Files named, and the document files inside folders named (recursively, sorted)."""
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and (f.suffix.lower() in DOCUMENT_SUFFIXES) and not f.name.startswith("."):
                    yield f
        else:
            yield p


def _progress(items: list, enabled: bool, desc: str):
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="doc", file=sys.stderr, leave=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="namnd")
def main() -> None:
    """namnd: Swedish committee documents → structured, verifiable records."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), default="out", show_default=True,
              help="folder for <name>.json files and records.jsonl")
@click.option("--model", default=None, help="an installed spaCy pipeline to use instead of blank Swedish")
@click.option("--progress/--no-progress", default=None, help="progress bar (default: when stderr is a terminal)")
def extract(paths: tuple[str, ...], out_dir: str, model: str | None, progress: bool | None) -> None:
    """Extract records from files or folders (text and PDF)."""
    from models import Record
    from pipeline.core import Pipeline
    from pipeline.emit import output_name, write_json, write_jsonl_line

    files = list(iter_inputs(paths))
    if not files:
        raise click.UsageError("no input files found")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pipeline = Pipeline(model)
    used: set[str] = set()
    ok = failed = 0
    started = time.perf_counter()
    show = sys.stderr.isatty() if progress is None else progress
    with (out / "records.jsonl").open("w", encoding="utf-8") as jsonl:
        for path, result in pipeline.extract_many(_progress(files, show, "extract")):
            if isinstance(result, Record):
                name = output_name(result, used)
                write_json(result, out / name)
                write_jsonl_line(result, jsonl)
                ok += 1
                click.echo(f"ok      {path} → {out / name} ({len(result.law_citations)} citations, "
                           f"{len(result.districts)} districts, {len(result.lpos)} LPOs, "
                           f"{len(result.staffing)} staffing, {len(result.challenges)} challenges)")
            else:
                failed += 1
                click.echo(f"failed  {path}: {result.reason}")
    elapsed = time.perf_counter() - started
    click.echo(f"total: {ok + failed} files, {ok} ok, {failed} failed in {elapsed:.1f}s → {out}")
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--diff", is_flag=True, help="show the repairs instead of the cleaned text")
def clean(file: str, diff: bool) -> None:
    """Print the cleaned text of FILE, or its repairs as a readable diff."""
    from pipeline.clean import clean as clean_text
    from pipeline.read import ReadError, read

    try:
        raw = read(file)
    except ReadError as exc:
        click.echo(f"failed  {file}: {exc.reason}", err=True)
        sys.exit(EXIT_FAILED)
    cleaned = clean_text(raw.text)
    if not diff:
        click.echo(cleaned.text, nl=False)
        return
    text = cleaned.text
    for r in cleaned.repairs:
        line_no = text.count("\n", 0, r.start) + 1
        click.echo(f"line {line_no:5d}  {r.kind:11s} {r.original!r} → {r.replacement!r}  (confidence {r.confidence:.2f})")
    click.echo(f"{len(cleaned.repairs)} repairs")


@main.command()
def schema() -> None:
    """Print the JSON Schema of the record."""
    from models import record_json_schema

    click.echo(json.dumps(record_json_schema(), indent=2, ensure_ascii=False))


@main.command(name="eval")
@click.option("--annotations", "annotations", type=click.Path(file_okay=False, exists=True), default="annotations",
              show_default=True)
@click.option("--corpus", type=click.Path(file_okay=False, exists=True), default=None,
              help="folder of the annotated documents (default: ../corpus beside the annotations)")
@click.option("--json", "as_json", is_flag=True, help="machine-readable scores")
@click.option("--per-document", is_flag=True, help="also print each document's table")
def eval_command(annotations: str, corpus: str | None, as_json: bool, per_document: bool) -> None:
    """Score the pipeline against hand-checked gold: precision, recall, F1 per field."""
    from pipeline.evaluate import Report, evaluate

    report = evaluate(Path(annotations), Path(corpus) if corpus else None)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        return
    if per_document:
        for doc, fields in report.per_document.items():
            click.echo(f"\n{doc}")
            sub = Report(fields=fields)
            click.echo(sub.table())
        click.echo("\nall documents")
    click.echo(report.table())


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="SQLite database file")
@click.option("--json", "as_json", is_flag=True, help="print a machine-readable summary")
@click.option("--progress/--no-progress", default=None)
def ingest(paths: tuple[str, ...], db: str, as_json: bool, progress: bool | None) -> None:
    """Ingest files or folders into an SQLite database; unchanged documents are skipped."""
    from models import Record
    from pipeline.core import Pipeline
    from pipeline.emit import connect, store, store_failure
    from pipeline.read import sha256_of

    files = list(iter_inputs(paths))
    conn = connect(db)
    known = {row[0]: row[1] for row in conn.execute("SELECT id, path FROM documents")}
    todo: list[Path] = []
    summary = {"new": 0, "updated": 0, "skipped": 0, "failed": 0, "failures": []}
    known_paths = {p: i for i, p in known.items()}
    for f in files:
        try:
            digest = sha256_of(f.read_bytes())
        except OSError as exc:
            summary["failed"] += 1
            summary["failures"].append({"path": str(f), "reason": f"cannot read: {exc.strerror}"})
            store_failure(conn, str(f), f"cannot read: {exc.strerror}", None)
            continue
        if digest in known:
            summary["skipped"] += 1
        else:
            todo.append(f)
    pipeline = Pipeline() if todo else None
    show = sys.stderr.isatty() if progress is None else progress
    if pipeline:
        for path, result in pipeline.extract_many(_progress(todo, show, "ingest")):
            if isinstance(result, Record):
                old = known_paths.get(path)
                if old and old != result.id:
                    with conn:
                        conn.execute("DELETE FROM documents WHERE id = ?", (old,))
                    summary["updated"] += 1
                else:
                    summary["new"] += 1
                store(conn, result)
            else:
                summary["failed"] += 1
                summary["failures"].append({"path": path, "reason": result.reason})
                store_failure(conn, path, result.reason, result.sha256)
    conn.close()
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
    else:
        for f in summary["failures"]:
            click.echo(f"failed  {f['path']}: {f['reason']}")
        click.echo(f"total: {len(files)} files: {summary['new']} new, {summary['updated']} updated, "
                   f"{summary['skipped']} skipped, {summary['failed']} failed")
    sys.exit(EXIT_FAILED if summary["failed"] else EXIT_OK)


def _readonly(db: str) -> sqlite3.Connection:
    if not Path(db).exists():
        raise click.UsageError(f"no such database: {db}")
    return sqlite3.connect(f"file:{Path(db).resolve()}?mode=ro", uri=True)


@main.command()
@click.option("--db", required=True, type=click.Path(dir_okay=False))
@click.argument("sql")
@click.option("--json", "fmt", flag_value="json", help="rows as JSON objects")
@click.option("--csv", "fmt", flag_value="csv", help="rows as CSV")
def query(db: str, sql: str, fmt: str | None) -> None:
    """Run a read-only SQL query and print the rows."""
    conn = _readonly(db)
    try:
        cur = conn.execute(sql)
    except sqlite3.Error as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    cols = [d[0] for d in cur.description or []]
    rows = cur.fetchall()
    if fmt == "json":
        click.echo(json.dumps([dict(zip(cols, r)) for r in rows], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(cols)
        w.writerows(rows)
    else:
        widths = [min(60, max([len(str(c))] + [len(str(r[i])) for r in rows])) for i, c in enumerate(cols)]
        click.echo("  ".join(str(c).ljust(w) for c, w in zip(cols, widths)))
        for r in rows:
            click.echo("  ".join(str(v)[:60].ljust(w) for v, w in zip(r, widths)))


@main.command()
@click.option("--db", required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), required=True)
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), default="export", show_default=True)
def export(db: str, fmt: str, out_dir: str) -> None:
    """Export the database: one CSV per table, or the records as JSONL."""
    conn = _readonly(db)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        with (out / "records.jsonl").open("w", encoding="utf-8") as fh:
            for (record,) in conn.execute("SELECT record FROM documents ORDER BY path"):
                fh.write(record + "\n")
        click.echo(f"wrote {out / 'records.jsonl'}")
        return
    for table in ("documents", "sections", "law_citations", "districts", "lpos", "staffing", "challenges",
                  "repairs", "failures"):
        cur = conn.execute(f"SELECT * FROM {table}")
        cols = [d[0] for d in cur.description]
        if table == "documents":
            keep = [i for i, c in enumerate(cols) if c != "record"]  # the whole record is too wide for a sheet
        else:
            keep = list(range(len(cols)))
        with (out / f"{table}.csv").open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([cols[i] for i in keep])
            for row in cur:
                w.writerow([row[i] for i in keep])
    click.echo(f"wrote CSV files to {out}")


if __name__ == "__main__":
    main()
