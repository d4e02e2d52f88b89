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

import click

from pipeline.ingest import DOCUMENT_SUFFIXES, iter_inputs  # noqa: F401 - the library's input listing

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _progress(items: list, enabled: bool, desc: str):
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="doc", file=sys.stderr, leave=False)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """--version: the version, and whether the lost-letter restorer runs compiled (it is
    the slow stage on OCR-damaged text, so a user wondering about speed needs to know)."""
    if not value or ctx.resilient_parsing:
        return
    from pipeline import __version__, _native

    module, why = _native.twin_status("pipeline.restore")
    click.echo(f"namnd, version {__version__}")
    click.echo(f"lost-letter restorer: {'compiled' if module is not None else 'plain Python'} ({why})")
    decoder, why = _native.c_decoder_status()
    click.echo(f"its decoder: {'C' if decoder is not None else 'Python'} ({why})")
    ctx.exit(EXIT_OK)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and whether the restorer is compiled, and exit.")
def main() -> None:
    """namnd: Swedish committee documents → structured, verifiable records."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), default="out", show_default=True,
              help="folder for <name>.json files and records.jsonl")
@click.option("--model", default=None, help="an installed spaCy pipeline to use instead of blank Swedish")
@click.option("--progress/--no-progress", default=None, help="progress bar (default: when stderr is a terminal)")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="worker processes; more than 1 uses the worker pool of `ingest` (same output, same order)")
@click.option("--timeout", type=click.FloatRange(min=0), default=0, show_default=True,
              help="with --workers > 1: seconds per file before it fails with reason 'timeout' (0: no limit)")
@click.option("--keep-personal-numbers", is_flag=True,
              help="leave personnummer and samordningsnummer unmasked (closed archives only)")
def extract(paths: tuple[str, ...], out_dir: str, model: str | None, progress: bool | None, workers: int,
            timeout: float, keep_personal_numbers: bool) -> None:
    """Extract records from files or folders (text and PDF)."""
    from models import Record
    from pipeline.core import Pipeline
    from pipeline.emit import output_name, write_json, write_jsonl_line

    files, out = _inputs_and_output(paths, out_dir)
    used: set[str] = set()
    ok = failed = 0
    started = time.perf_counter()
    show = sys.stderr.isatty() if progress is None else progress
    if workers > 1:
        results = _extract_parallel(files, workers, model, timeout, show, keep_personal_numbers)
    else:
        results = Pipeline(model, keep_personal_numbers=keep_personal_numbers).extract_many(
            _progress(files, show, "extract"))
    with (out / "records.jsonl").open("w", encoding="utf-8") as jsonl:
        for path, result in results:
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
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), default="review", show_default=True,
              help="folder for one <name>.html page per document")
@click.option("--model", default=None, help="an installed spaCy pipeline to use instead of blank Swedish")
@click.option("--keep-personal-numbers", is_flag=True,
              help="leave personnummer and samordningsnummer unmasked (closed archives only)")
def review(paths: tuple[str, ...], out_dir: str, model: str | None, keep_personal_numbers: bool) -> None:
    """Write a review page per document: its cleaned text with every extracted value marked.

    Each page is one HTML file that needs nothing else (no network): open it in a browser,
    click a value in the side panel to see where the text says it.
    """
    from models import Record
    from pipeline.core import Pipeline
    from pipeline.emit import output_name
    from pipeline.review import render

    files, out = _inputs_and_output(paths, out_dir)
    used: set[str] = set()
    failed = 0
    for path, result in Pipeline(model, keep_personal_numbers=keep_personal_numbers).extract_many(files):
        if isinstance(result, Record):
            page = out / (output_name(result, used).removesuffix(".json") + ".html")
            tmp = page.with_name(page.name + ".tmp")
            tmp.write_text(render(result), encoding="utf-8")
            tmp.replace(page)
            click.echo(f"ok      {path} → {page}")
        else:
            failed += 1
            click.echo(f"failed  {path}: {result.reason}")
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


@main.command()
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="SQLite database made by `namnd ingest`")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on (0.0.0.0: all)")
def serve(db: str, port: int, host: str) -> None:
    """Browse and query the database in Datasette (read-only): tables and columns
    described, full-text search, canned queries. Needs the extra: pip install 'namnd[serve]'.
    """
    from pipeline.serve import serve as run

    if not Path(db).is_file():
        raise click.UsageError(f"no such database: {db}")
    try:
        run(db, host=host, port=port)
    except ImportError:
        click.echo("error: Datasette is not installed: pip install 'namnd[serve]'", err=True)
        sys.exit(EXIT_USAGE)


def _inputs_and_output(paths: tuple[str, ...], out_dir: str) -> tuple[list[Path], Path]:
    """The input files the paths name (a usage error when none) and the output folder, made."""
    files = list(iter_inputs(paths))
    if not files:
        raise click.UsageError("no input files found")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return files, out


def _extract_parallel(files: list[Path], workers: int, model: str | None, timeout: float, show: bool,
                      keep_personal_numbers: bool = False):
    """(path, Record | Failure) in input order, computed by the worker pool of :mod:`pipeline.ingest`."""
    from models import Record
    from pipeline.core import Failure
    from pipeline.ingest import _progress_bar, run_pool

    paths = [str(f) for f in files]
    bar = _progress_bar(show, "extract", len(paths))
    ready: dict[int, tuple[str, object]] = {}
    following = 0
    for index, kind, payload in run_pool(paths, workers, model=model, timeout=timeout or None, mode="json",
                                         keep_personal_numbers=keep_personal_numbers):
        path = paths[index]
        if kind == "ok":
            ready[index] = (path, Record.model_validate_json(payload))
        else:
            ready[index] = (path, Failure(path, payload))  # the command prints the reason only
        if bar is not None:
            bar.update(1)
        while following in ready:
            yield ready.pop(following)
            following += 1
    if bar is not None:
        bar.close()


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
    cleaned = clean_text(raw.text, raw.furniture)
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
@click.option("--annotations", "annotations", type=click.Path(file_okay=False, exists=True), default=None,
              help="score one annotated folder only [default: the seed corpus (annotations/), the "
                   "development set (annotations/dev/) and the held-out set (annotations/holdout/), each apart]")
@click.option("--corpus", type=click.Path(file_okay=False, exists=True), default=None,
              help="folder of the annotated documents (default: corpus/ for annotations/, corpus/NAME/ "
                   "for annotations/NAME/)")
@click.option("--json", "as_json", is_flag=True, help="machine-readable scores")
@click.option("--per-document", is_flag=True, help="also print each document's table")
def eval_command(annotations: str | None, corpus: str | None, as_json: bool, per_document: bool) -> None:
    """Score the pipeline against hand-checked gold: precision, recall, F1 per field."""
    from pipeline.evaluate import Report, evaluate, evaluate_sets

    if annotations:
        reports = {str(annotations): evaluate(Path(annotations), Path(corpus) if corpus else None)}
    else:
        if corpus:
            raise click.UsageError("--corpus needs --annotations")
        reports = evaluate_sets(Path("."))
        if not reports:
            raise click.UsageError("no annotations/ here: run in the repository or give --annotations")
    if as_json:
        out = {name: report.as_dict() for name, report in reports.items()}
        click.echo(json.dumps(out if len(out) > 1 else next(iter(out.values())), indent=2, ensure_ascii=False))
        return
    for k, (name, report) in enumerate(reports.items()):
        if len(reports) > 1:
            if k:
                click.echo()
            click.echo(f"{name} ({len(report.per_document)} documents)")
        if per_document:
            for doc, fields in report.per_document.items():
                click.echo(f"\n{doc}")
                click.echo(Report(fields=fields).table())
            click.echo("\nall documents")
        click.echo(report.table())


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="SQLite database file (created if missing)")
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="worker processes [default: the usable CPUs]; 0 runs in this process, without --timeout")
@click.option("--timeout", type=click.FloatRange(min=0), default=600, show_default=True,
              help="seconds one file may take; then its worker is killed and the file fails with reason "
                   "'timeout' (0: no limit)")
@click.option("--force", is_flag=True, help="process documents already in the database again (and failed files)")
@click.option("--retry-failed", is_flag=True,
              help="process again files that failed before with the same bytes (by default they are reported "
                   "as failed with their old reason, without being read)")
@click.option("--model", default=None, help="an installed spaCy pipeline to use instead of blank Swedish")
@click.option("--json", "as_json", is_flag=True, help="print a machine-readable summary")
@click.option("--progress/--no-progress", default=None, help="progress bar (default: when stderr is a terminal)")
@click.option("--keep-personal-numbers", is_flag=True,
              help="leave personnummer and samordningsnummer unmasked (closed archives only)")
def ingest(paths: tuple[str, ...], db: str, workers: int | None, timeout: float, force: bool, retry_failed: bool,
           model: str | None, as_json: bool, progress: bool | None, keep_personal_numbers: bool) -> None:
    """Ingest files or folders into an SQLite database; unchanged documents are skipped.

    A document is identified by the sha256 of its bytes: one already stored is skipped, a
    changed file replaces its older version. Safe to kill at any moment and run again.
    """
    import signal

    from pipeline.ingest import IngestError
    from pipeline.ingest import ingest as run_ingest

    show = sys.stderr.isatty() if progress is None else progress

    received: list[int] = []

    def terminate(signum, frame):  # a scheduler's SIGTERM ends the run like Ctrl-C: run logged as interrupted
        received.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    try:
        summary = run_ingest(paths, db, workers=workers, timeout=timeout, model=model, force=force,
                             retry_failed=retry_failed, progress=show, keep_personal_numbers=keep_personal_numbers)
    except IngestError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except sqlite3.Error as exc:
        click.echo(f"error: database {db}: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        click.echo("interrupted: the documents stored so far are complete; run again to finish", err=True)
        sys.exit(128 + (received[0] if received else signal.SIGINT))
    if as_json:
        click.echo(json.dumps(summary.as_dict(), ensure_ascii=False))
    else:
        for f in summary.failures:
            click.echo(f"failed  {f['path']}: {f['reason']}")
        moved = f"{summary.moved} moved, " if summary.moved else ""
        click.echo(f"total: {summary.files} files: {summary.new} new, {summary.updated} updated, {moved}"
                   f"{summary.skipped} skipped, {summary.failed} failed in {summary.seconds:.1f}s")
    sys.exit(EXIT_FAILED if summary.failed else EXIT_OK)


def _readonly(db: str, user_sql: bool = True) -> sqlite3.Connection:
    from pipeline.emit import connect_readonly

    try:
        return connect_readonly(db, user_sql=user_sql)
    except FileNotFoundError:
        raise click.UsageError(f"no such database: {db}") from None
    except sqlite3.Error as exc:
        raise click.UsageError(f"cannot open database {db}: {exc}") from None


@main.command()
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="SQLite database made by `namnd ingest`")
@click.argument("text")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="at most this many hits")
@click.option("--json", "as_json", is_flag=True, help="print the hits as JSON")
def search(db: str, text: str, limit: int, as_json: bool) -> None:
    """Full-text search of the ingested documents: each hit's path, section and a snippet.

    TEXT is words (all must occur), "a phrase", prefix* or AND/OR/NOT; å, ä and ö are
    letters of their own ("år" does not find "ar").
    """
    from pipeline.emit import search as run_search

    conn = _readonly(db, user_sql=False)
    try:
        hits = run_search(conn, text, limit)
    except sqlite3.Error as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    finally:
        conn.close()
    if as_json:
        click.echo(json.dumps(hits, ensure_ascii=False, indent=2))
        return
    for hit in hits:
        click.echo(f"{hit['path']} — {hit['heading'] or '(before the first heading)'}\n    {hit['snippet']}")
    if not hits:
        click.echo("no hits")


@main.command()
@click.option("--db", required=True, type=click.Path(dir_okay=False))
@click.argument("sql")
@click.option("--json", "fmt", flag_value="json", help="rows as JSON objects")
@click.option("--csv", "fmt", flag_value="csv", help="rows as CSV")
def query(db: str, sql: str, fmt: str | None) -> None:
    """Run one SQL query on a read-only connection and print the rows.

    The connection cannot change the database: writes, ATTACH, VACUUM and pragmas that
    set a value are refused (exit status 2).
    """
    conn = _readonly(db)
    try:
        cur = conn.execute(sql)
        cols = [d[0] for d in cur.description or []]
        rows = cur.fetchall()
    except (sqlite3.Error, sqlite3.Warning) as exc:
        hint = " (the connection is read-only)" if "authoriz" in str(exc) or "readonly" in str(exc) else ""
        click.echo(f"error: {exc}{hint}", err=True)
        sys.exit(EXIT_USAGE)
    finally:
        conn.close()
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
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), default="export", show_default=True,
              help="folder to write to; with --format jsonl, '-' writes the records to standard output")
def export(db: str, fmt: str, out_dir: str) -> None:
    """Export the database: one CSV per table and view, or the records as JSONL."""
    from pipeline.emit import TABLES, VIEWS

    conn = _readonly(db)
    if fmt == "jsonl":
        rows = conn.execute("SELECT record FROM documents ORDER BY path, id")
        if out_dir == "-":
            for (record,) in rows:
                sys.stdout.write(record + "\n")
            return
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        target = out / "records.jsonl"
        tmp = target.with_suffix(".jsonl.tmp")
        n = 0
        with tmp.open("w", encoding="utf-8") as fh:
            for (record,) in rows:
                fh.write(record + "\n")
                n += 1
        tmp.replace(target)
        click.echo(f"wrote {n} records to {target}")
        return
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    present = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    written = []
    for table in TABLES + VIEWS:
        if table not in present:  # a database from an older version
            continue
        cur = conn.execute(f"SELECT * FROM {table}" + ("" if table in VIEWS else " ORDER BY rowid"))
        cols = [d[0] for d in cur.description]
        # the whole record is too wide for a spreadsheet cell: it is in the JSONL export
        keep = [i for i, c in enumerate(cols) if not (table == "documents" and c == "record")]
        with (out / f"{table}.csv").open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([cols[i] for i in keep])
            for row in cur:
                w.writerow([row[i] for i in keep])
        written.append(f"{table}.csv")
    click.echo(f"wrote {len(written)} CSV files to {out}: {', '.join(written)}")


if __name__ == "__main__":
    main()
