"""The ``namnd`` command: a thin layer over :mod:`pipeline.core` and :mod:`pipeline.emit`.

Exit status: 0 when every file succeeded, 1 when any file failed (the rest still done),
2 for a usage error.
"""

from __future__ import annotations

if __name__ == "__main__":  # `python -m pipeline.cli` puts the current folder first on sys.path
    from pipeline.importpath import drop_current_folder

    drop_current_folder()

import itertools
import json
import os
import sqlite3
import sys
import time
from pathlib import Path

import click

from pipeline.inputs import DOCUMENT_SUFFIXES, iter_inputs  # noqa: F401 - the library's input listing

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

FOLLOW_SYMLINKS_HELP = ("follow symbolic links inside the folders also when their target lies outside the "
                        "files and folders named (by default such a link is skipped and reported as failed)")


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


def _limit_options(command):
    """The reader's limits as options (pipeline/limits.py). Each sets its environment
    variable, so the worker processes of --workers read the same limits."""
    from pipeline.limits import ENVIRONMENT, Limits

    def setter(field: str):
        def set_limit(ctx: click.Context, _param: click.Parameter, value) -> None:
            if value is not None and not ctx.resilient_parsing:
                os.environ[ENVIRONMENT[field][0]] = f"{value:g}"  # in the option's unit, as the variable is
        return set_limit

    d = Limits()
    options = [
        ("--max-pages", "max_pages", click.IntRange(min=1), f"pages a PDF may have [default: {d.max_pages}]"),
        ("--max-decompressed-mb", "max_decompressed", click.FloatRange(min=0, min_open=True),
         f"MB (10^6 bytes) a PDF's streams may decompress to [default: {d.max_decompressed // 10**6}]"),
        ("--max-page-megapixels", "max_page_pixels", click.FloatRange(min=0, min_open=True),
         f"megapixels of a page rendered for OCR; a larger page is rendered at a lower resolution "
         f"[default: {d.max_page_pixels // 10**6}]"),
    ]
    for flag, field, kind, text in reversed(options):
        command = click.option(flag, type=kind, default=None, expose_value=False, callback=setter(field),
                               help=text)(command)
    return _pdf_reader_option(command)


def _pdf_reader_option(command):
    """--pdf-reader: sets NAMND_PDF_READER, as the limits set theirs, so worker processes
    read PDFs with the same reader."""
    from pipeline.limits import DEFAULT_PDF_READER, PDF_READER_VARIABLE, PDF_READERS

    def set_reader(ctx: click.Context, _param: click.Parameter, value) -> None:
        if value is not None and not ctx.resilient_parsing:
            os.environ[PDF_READER_VARIABLE] = value

    return click.option("--pdf-reader", type=click.Choice(PDF_READERS), default=None, expose_value=False,
                        callback=set_reader,
                        help=f"how PDF pages are read: pdfium (about ten times faster; a file it is not sure "
                             f"to read as pdfplumber does goes to pdfplumber) or pdfplumber "
                             f"[default: {DEFAULT_PDF_READER}]")(command)


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
              help="with --workers > 1 or --scheduler: seconds per file before it fails with reason 'timeout' "
                   "(0: no limit)")
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="run the work on the workers of this Dask scheduler instead of --workers (needs "
                   "'namnd[dask]' here and on the workers; files are sent to them, nothing needs to be shared)")
@click.option("--keep-personal-numbers", is_flag=True,
              help="leave personnummer and samordningsnummer unmasked (closed archives only)")
@click.option("--follow-symlinks", is_flag=True, help=FOLLOW_SYMLINKS_HELP)
@_limit_options
def extract(paths: tuple[str, ...], out_dir: str, model: str | None, progress: bool | None, workers: int,
            timeout: float, scheduler: str | None, keep_personal_numbers: bool, follow_symlinks: bool) -> None:
    """Extract records from files or folders (text and PDF)."""
    from models import Record
    from pipeline import outputs
    from pipeline.core import Pipeline
    from pipeline.emit import output_name, write_json, write_jsonl_line

    found, out = _inputs_and_output(paths, out_dir, follow_symlinks)
    files = found.files
    used: set[str] = set()
    ok = failed = 0
    started = time.perf_counter()
    show = sys.stderr.isatty() if progress is None else progress
    if workers > 1 or scheduler:
        results = _extract_parallel(files, workers, model, timeout, show, keep_personal_numbers, scheduler)
    else:
        results = Pipeline(model, keep_personal_numbers=keep_personal_numbers).extract_many(
            _progress(files, show, "extract"))
    results = _with_skipped(found, results)  # in input order; paths as they can be shown
    # the files of the previous extract into this folder that this one does not write again
    # are removed at the end; a run that stops early keeps them all in the manifest instead
    previous = outputs.previous_outputs(out)
    written: set[str] = set()
    complete = False
    try:
        with outputs.replacing(out / "records.jsonl") as jsonl:
            for path, result in results:
                if isinstance(result, Record):
                    name = output_name(result, used)
                    write_json(result, out / name)
                    written.add(name)
                    write_jsonl_line(result, jsonl)
                    ok += 1
                    click.echo(f"ok      {path} → {out / name} ({len(result.law_citations)} citations, "
                               f"{len(result.districts)} districts, {len(result.lpos)} LPOs, "
                               f"{len(result.staffing)} staffing, {len(result.challenges)} challenges)")
                else:
                    failed += 1
                    click.echo(f"failed  {path}: {result.reason}")
        written.add("records.jsonl")
        settled = outputs.settle_folder(out, written, previous)
        complete = True
    except OSError as exc:
        raise click.ClickException(f"cannot write to {out}: {exc}") from None
    finally:
        results.close()  # the worker processes end here, however the loop ended
        if not complete:
            try:
                outputs.write_manifest(out, previous | written)
            except OSError:
                pass
    if settled.removed:
        click.echo(f"removed {len(settled.removed)} files the previous extract wrote into {out} and this one "
                   f"did not: {_names(settled.removed)}")
    if settled.foreign:
        click.echo(f"warning: {out} also holds {len(settled.foreign)} .json files this run did not write "
                   f"(left as they are): {_names(settled.foreign)}", err=True)
    elapsed = time.perf_counter() - started
    click.echo(f"total: {ok + failed} files, {ok} ok, {failed} failed in {elapsed:.1f}s → {out}")
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


def _names(names: list[str], at_most: int = 10) -> str:
    from pipeline.outputs import escape_controls

    shown = ", ".join(escape_controls(n) for n in names[:at_most])
    return shown + (f" and {len(names) - at_most} more" if len(names) > at_most else "")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), default="review", show_default=True,
              help="folder for one <name>.html page per document")
@click.option("--model", default=None, help="an installed spaCy pipeline to use instead of blank Swedish")
@click.option("--keep-personal-numbers", is_flag=True,
              help="leave personnummer and samordningsnummer unmasked (closed archives only)")
@click.option("--follow-symlinks", is_flag=True, help=FOLLOW_SYMLINKS_HELP)
@_limit_options
def review(paths: tuple[str, ...], out_dir: str, model: str | None, keep_personal_numbers: bool,
           follow_symlinks: bool) -> None:
    """Write a review page per document: its cleaned text with every extracted value marked.

    Each page is one HTML file that needs nothing else (no network): open it in a browser,
    click a value in the side panel to see where the text says it.
    """
    from models import Record
    from pipeline.core import Pipeline
    from pipeline.emit import output_name
    from pipeline.review import render

    from pipeline.outputs import write_text

    found, out = _inputs_and_output(paths, out_dir, follow_symlinks)
    used: set[str] = set()
    failed = 0
    pipe = Pipeline(model, keep_personal_numbers=keep_personal_numbers)
    for path, result in _with_skipped(found, pipe.extract_many(found.files)):
        if isinstance(result, Record):
            page = out / (output_name(result, used).removesuffix(".json") + ".html")
            try:
                write_text(page, render(result))  # a new private file moved into place
            except OSError as exc:
                raise click.ClickException(f"cannot write {page}: {exc}") from None
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


def _inputs_and_output(paths: tuple[str, ...], out_dir: str, follow_symlinks: bool = False):
    """The inputs the paths name (:class:`pipeline.inputs.Inputs`: the files, and what was
    skipped with why; a usage error when there is neither) and the output folder, made."""
    from pipeline.inputs import find_inputs

    found = find_inputs(paths, follow_symlinks=follow_symlinks)
    if not found.entries:
        raise click.UsageError("no input files found")
    return found, _output_folder(out_dir)


def _with_skipped(found, results):
    """``results`` ((path, Record | Failure) for each of ``found.files``, in order) with a
    Failure for each input skipped in its place; every path as it can be shown."""
    from pipeline.core import Failure
    from pipeline.inputs import Skipped, display_path

    try:
        for entry in found.entries:
            if isinstance(entry, Skipped):
                yield display_path(entry.path), Failure(display_path(entry.path), entry.reason)
            else:
                path, result = next(results)
                yield display_path(path), result
    finally:
        results.close()


def _output_folder(out_dir: str) -> Path:
    """The output folder, made private (0o700 less the umask) when missing; an error when it cannot be."""
    from pipeline.outputs import make_dirs

    try:
        return make_dirs(out_dir)
    except OSError as exc:
        raise click.ClickException(f"cannot make the output folder {out_dir}: {exc}") from None


def _extract_parallel(files: list[Path], workers: int, model: str | None, timeout: float, show: bool,
                      keep_personal_numbers: bool = False, scheduler: str | None = None):
    """(path, Record | Failure) in input order, computed by the worker pool of :mod:`pipeline.ingest`
    (or, with ``scheduler``, on a Dask cluster: :mod:`pipeline.distributed`, connected to here,
    so that a missing Dask or an unreachable scheduler is an error before any document)."""
    import functools

    from pipeline.ingest import IngestError, run_pool

    paths = [str(f) for f in files]
    client = None
    if scheduler and paths:
        try:
            from pipeline import distributed

            client = distributed.connect(scheduler)
        except IngestError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        engine = functools.partial(distributed.run_cluster, scheduler=client)
    else:
        engine = functools.partial(run_pool, workers=max(1, workers))
    pool = engine(paths, model=model, timeout=timeout or None, mode="json",
                  keep_personal_numbers=keep_personal_numbers)
    return _in_input_order(paths, pool, show, client)


def _in_input_order(paths: list[str], pool, show: bool, client=None):
    from models import Record
    from pipeline.core import Failure
    from pipeline.ingest import _progress_bar

    bar = _progress_bar(show, "extract", len(paths))
    ready: dict[int, tuple[str, object]] = {}
    following = 0
    try:
        for index, kind, payload in pool:
            path = paths[index]
            if kind == "ok":
                try:
                    ready[index] = (path, Record.model_validate_json(payload))
                except ValueError as exc:  # one file's record, not the batch
                    ready[index] = (path, Failure(path, f"internal error: {type(exc).__name__}: {exc}"))
            else:
                ready[index] = (path, Failure(path, payload))  # the command prints the reason only
            if bar is not None:
                bar.update(1)
            while following in ready:
                yield ready.pop(following)
                following += 1
    finally:
        pool.close()  # the workers end with this generator, however it ends (a cluster's tasks are cancelled)
        if client is not None:
            client.close()
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
    """Score the pipeline against hand-checked gold: precision, recall, F1 per field.

    Every gold file is checked first: a malformed one (or a document missing from the
    corpus) stops the evaluation with exit status 2, naming each such file and what is
    wrong, and nothing is scored.
    """
    from pipeline.evaluate import EvaluationError, Report, evaluate, evaluate_sets

    if corpus and not annotations:
        raise click.UsageError("--corpus needs --annotations")
    try:
        if annotations:
            reports = {str(annotations): evaluate(Path(annotations), Path(corpus) if corpus else None)}
        else:
            reports = evaluate_sets(Path("."))
    except EvaluationError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
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
              help="process again files that failed before with the same bytes by a fault of their own (by "
                   "default they are reported as failed with their old reason, without being read); failures "
                   "the run caused (a timeout, a dead worker) are tried again without it")
@click.option("--model", default=None, help="an installed spaCy pipeline to use instead of blank Swedish")
@click.option("--json", "as_json", is_flag=True, help="print a machine-readable summary")
@click.option("--progress/--no-progress", default=None, help="progress bar (default: when stderr is a terminal)")
@click.option("--keep-personal-numbers", is_flag=True,
              help="leave personnummer and samordningsnummer unmasked (closed archives only)")
@click.option("--follow-symlinks", is_flag=True, help=FOLLOW_SYMLINKS_HELP)
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="run the work on the workers of this Dask scheduler instead of --workers (needs "
                   "'namnd[dask]' here and on the workers; files are sent to them, nothing needs to be shared); "
                   "planning and the database stay here")
@_limit_options
def ingest(paths: tuple[str, ...], db: str, workers: int | None, timeout: float, force: bool, retry_failed: bool,
           model: str | None, as_json: bool, progress: bool | None, keep_personal_numbers: bool,
           follow_symlinks: bool, scheduler: str | None) -> None:
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
                             retry_failed=retry_failed, progress=show, keep_personal_numbers=keep_personal_numbers,
                             follow_symlinks=follow_symlinks, scheduler=scheduler)
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
            again = " (caused by the run: tried again by the next run)" if f["kind"] == "run" else ""
            click.echo(f"failed  {f['path']}: {f['reason']}{again}")
        moved = f"{summary.moved} moved, " if summary.moved else ""
        by_run = summary.kinds["run"]
        of_run = f" ({by_run} caused by the run)" if by_run else ""
        click.echo(f"total: {summary.files} files: {summary.new} new, {summary.updated} updated, {moved}"
                   f"{summary.skipped} skipped, {summary.failed} failed{of_run} in {summary.seconds:.1f}s")
    sys.exit(EXIT_FAILED if summary.failed else EXIT_OK)


def _readonly(db: str, user_sql: bool = True) -> sqlite3.Connection:
    from pipeline.emit import connect_readonly

    try:
        return connect_readonly(db, user_sql=user_sql, warn=lambda text: click.echo(f"warning: {text}", err=True))
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
    from pipeline.outputs import escape_controls, json_safe

    conn = _readonly(db, user_sql=False)
    try:
        hits = run_search(conn, text, limit)
    except sqlite3.Error as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    finally:
        conn.close()
    if as_json:
        click.echo(json_safe(json.dumps(hits, ensure_ascii=False, indent=2)))
        return
    for hit in hits:  # the document's words with their control characters written out, never obeyed
        heading = escape_controls(hit["heading"]) if hit["heading"] else "(before the first heading)"
        click.echo(f"{escape_controls(hit['path'])} — {heading}\n    {escape_controls(hit['snippet'])}")
    if not hits:
        click.echo("no hits")


#: seconds a query may run in SQLite when ``namnd query`` is not given --timeout
QUERY_TIMEOUT = 60.0
#: rows fetched at a time; the table's column widths are those of the first batch
_BATCH = 500


@main.command()
@click.option("--db", required=True, type=click.Path(dir_okay=False))
@click.argument("sql")
@click.option("--json", "fmt", flag_value="json", help="rows as JSON objects")
@click.option("--csv", "fmt", flag_value="csv", help="rows as CSV")
@click.option("--timeout", type=click.FloatRange(min=0), default=QUERY_TIMEOUT, show_default=True,
              help="seconds the query may run in SQLite (printing not counted); then it is stopped with an "
                   "error and exit status 1 (0: no limit)")
def query(db: str, sql: str, fmt: str | None, timeout: float) -> None:
    """Run one SQL query on a read-only connection and print the rows as they come.

    The connection cannot change the database: writes, ATTACH, VACUUM and pragmas that
    set a value are refused (exit status 2); pragmas that read (table_info, index_list …)
    are allowed. The table's column widths are those of the first 500 rows. The table,
    and CSV printed to a terminal, show control characters as escapes (\\x1b, \\n);
    --json keeps the exact text (in JSON escapes), so does --csv into a file or pipe, but
    for a text cell that starts like a spreadsheet formula (= + - @, tab, carriage
    return): it gets a ' in front.
    """
    from pipeline.emit import TimeLimit

    conn = _readonly(db)
    limit = TimeLimit(conn, timeout)
    try:
        with limit.running():
            cur = conn.execute(sql)
        cols = [d[0] for d in cur.description or []]

        def batches():
            while True:
                with limit.running():
                    rows = cur.fetchmany(_BATCH)
                if not rows:
                    return
                yield rows

        _print_rows(fmt, cols, batches())
    except (sqlite3.Error, sqlite3.Warning) as exc:
        if limit.exceeded:
            click.echo(f"error: the query ran for {timeout:g} s in SQLite and was stopped (--timeout; 0: no limit)",
                       err=True)
            sys.exit(EXIT_FAILED)
        hint = " (the connection is read-only)" if "authoriz" in str(exc) or "readonly" in str(exc) else ""
        click.echo(f"error: {exc}{hint}", err=True)
        sys.exit(EXIT_USAGE)
    except BrokenPipeError:  # the reader stopped reading (`| head`): nothing more to print
        _quiet_stdout()
        sys.exit(EXIT_SIGPIPE)
    finally:
        conn.close()


EXIT_SIGPIPE = 128 + 13  # as a command ended by SIGPIPE


def _print_rows(fmt: str | None, cols: list[str], batches) -> None:
    """Print rows batch by batch (flushed after each), as JSON, CSV or a table."""
    from pipeline.outputs import csv_cell, csv_writer, escape_controls, json_safe

    out = sys.stdout
    if fmt == "json":  # the layout of json.dumps(rows, indent=2), one row at a time
        first = True
        for rows in batches:
            for r in rows:
                item = json.dumps(dict(zip(cols, r)), ensure_ascii=False, indent=2, default=_json_value)
                out.write(("[\n  " if first else ",\n  ") + json_safe(item).replace("\n", "\n  "))
                first = False
            out.flush()
        out.write("[]\n" if first else "\n]\n")
    elif fmt == "csv":
        terminal = _is_terminal(out)

        def cell(v):
            v = csv_cell(v)
            return escape_controls(v, keep="\n\t") if terminal and isinstance(v, str) else v

        w = csv_writer(out)
        w.writerow([cell(c) for c in cols])
        for rows in batches:
            w.writerows([cell(v) for v in r] for r in rows)
            out.flush()
    else:
        def cell(v) -> str:
            return escape_controls(str(v))[:60]

        batches = iter(batches)
        first = next(batches, [])
        widths = [min(60, max([len(cell(c))] + [len(cell(r[i])) for r in first])) for i, c in enumerate(cols)]
        out.write("  ".join(cell(c).ljust(w) for c, w in zip(cols, widths)) + "\n")
        for rows in itertools.chain([first], batches):
            out.write("".join("  ".join(cell(v).ljust(w) for v, w in zip(r, widths)) + "\n" for r in rows))
            out.flush()
    out.flush()


@main.command()
@click.option("--db", required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), required=True)
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), default="export", show_default=True,
              help="folder to write to; with --format jsonl, '-' writes the records to standard output")
def export(db: str, fmt: str, out_dir: str) -> None:
    """Export the database: one CSV per table and view, or the records as JSONL.

    Each file is written anew and moved into place (readable by its owner only). In CSV a
    text cell that starts like a spreadsheet formula (= + - @, tab, carriage return) gets a
    ' in front, and text cells are quoted; numbers are left as they are. The JSONL holds
    the exact records.
    """
    from pipeline import outputs
    from pipeline.emit import TABLES, VIEWS

    conn = _readonly(db)
    try:
        if fmt == "jsonl":
            rows = conn.execute("SELECT record FROM documents ORDER BY path, id")
            if out_dir == "-":
                for (record,) in rows:  # the same JSON values; what a terminal would obey escaped
                    sys.stdout.write(outputs.json_safe(record) + "\n")
                return
            target = _output_folder(out_dir) / "records.jsonl"
            n = 0
            with outputs.replacing(target) as fh:
                for (record,) in rows:
                    fh.write(record + "\n")
                    n += 1
            click.echo(f"wrote {n} records to {target}")
            return
        out = _output_folder(out_dir)
        present = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        written = []
        for table in TABLES + VIEWS:
            if table not in present:  # a database from an older version
                continue
            cur = conn.execute(f"SELECT * FROM {table}" + ("" if table in VIEWS else " ORDER BY rowid"))
            cols = [d[0] for d in cur.description]
            # the whole record is too wide for a spreadsheet cell: it is in the JSONL export
            keep = [i for i, c in enumerate(cols) if not (table == "documents" and c == "record")]
            with outputs.replacing(out / f"{table}.csv", encoding="utf-8-sig", newline="") as fh:
                w = outputs.csv_writer(fh)
                w.writerow([cols[i] for i in keep])
                for row in cur:
                    w.writerow([outputs.csv_cell(row[i]) for i in keep])
            written.append(f"{table}.csv")
        click.echo(f"wrote {len(written)} CSV files to {out}: {', '.join(written)}")
    except sqlite3.Error as exc:
        click.echo(f"error: database {db}: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    except OSError as exc:
        click.echo(f"error: cannot write to {out_dir}: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    finally:
        conn.close()


def _json_value(value):
    """JSON for what SQLite holds beyond text and numbers: a BLOB as hexadecimal."""
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _quiet_stdout() -> None:
    """After a broken pipe: standard output to /dev/null, so that flushing it at exit fails no more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    main()
