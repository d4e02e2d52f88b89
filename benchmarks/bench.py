#!/usr/bin/env python
"""Throughput of the namnd pipeline against plain spaCy tokenisation, in one run.

Run by hand from the repository root (not part of the test suite):

    python benchmarks/bench.py                 # 200 documents, median of 3 repetitions
    python benchmarks/bench.py --docs 500 --repeat 5 --json
    python benchmarks/bench.py --corpus DIR    # copies of the documents in DIR instead of corpus/

The corpus (``corpus/*.txt``) is copied into a temporary folder N times, each copy made
distinct by an appended line with its index, so that every document has its own hash and
nothing can be served from a cache. On the same files it measures:

1. tokeniser  ``spacy.blank("sv")`` + ``nlp.pipe`` over the texts read and decoded from disk
              (single process; the baseline); and, for information, the same tokeniser with
              the pipeline's chunk-cache fix (``pipeline.tokenizer.WarmCacheTokenizer``: same
              tokens), which shows how much of the pipeline's lead comes from tokenising more
              cheaply than the baseline;
2. library    ``Pipeline().extract_many(paths)`` plus ``record.model_dump_json()`` of every
              record; the one-off ``Pipeline()`` construction is timed separately;
3. command    ``namnd extract DIR -o OUT`` as a subprocess: wall time including interpreter
              start-up, imports and model construction;
4. tokeniser process  the baseline as a subprocess of its own (``--tokenise DIR``: interpreter,
              ``import spacy``, ``spacy.blank("sv")``, then 1.), the like-for-like yardstick
              of the command, whose time also includes start-up;
5. stages     the library's work split by stage, by calling the stage functions directly
              on the same files one document at a time, in CPU seconds; the stage total is
              shown next to the library's CPU total so the split can be checked.

Every figure is the median of ``--repeat`` repetitions; the repetitions interleave the
measurements so that a machine that speeds up or slows down affects all of them alike.

Two helper modes make whole-process comparisons with any external timer possible
(``/usr/bin/time -v``, hyperfine, ...):

    python benchmarks/bench.py --make-corpus DIR --docs 200   # write the N distinct copies
    python benchmarks/bench.py --tokenise DIR                  # the baseline as a process
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
TARGET_RATIO = 0.5  # whole pipeline >= 0.5x the tokeniser's throughput


# -- corpus ------------------------------------------------------------------------------
def make_corpus(dest: Path, n_docs: int, corpus: Path = CORPUS) -> list[Path]:
    """Write ``n_docs`` distinct copies of the corpus files into ``dest``; return their paths."""
    sources = sorted(corpus.glob("*.txt"))
    if not sources:
        raise SystemExit(f"no corpus files in {corpus}")
    dest.mkdir(parents=True, exist_ok=True)
    blobs = [(s.stem, s.read_bytes()) for s in sources]
    paths = []
    for i in range(n_docs):
        stem, data = blobs[i % len(blobs)]
        if not data.endswith(b"\n"):
            data += b"\n"
        # ASCII, so it is valid in any of the encodings the corpus could be in (all UTF-8 today)
        data += f"\nBenchmarkkopia nr {i}.\n".encode("ascii")
        p = dest / f"{i:06d}_{stem}.txt"
        p.write_bytes(data)
        paths.append(p)
    return paths


# -- the measurements --------------------------------------------------------------------
def run_tokeniser(nlp, paths: list[Path]) -> dict:
    """Baseline: read + decode + ``nlp.pipe`` with a blank Swedish pipeline (tokeniser only)."""
    t0, c0 = time.perf_counter(), time.process_time()
    texts = (p.read_bytes().decode("utf-8") for p in paths)
    tokens = 0
    for doc in nlp.pipe(texts):
        tokens += len(doc)
    return {"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0, "tokens": tokens}


def run_library(pipe, paths: list[Path]) -> dict:
    """``extract_many`` over the files, serialising each record to JSON."""
    from models import Record

    str_paths = [str(p) for p in paths]
    t0, c0 = time.perf_counter(), time.process_time()
    ok = failed = json_chars = 0
    for _path, result in pipe.extract_many(str_paths):
        if isinstance(result, Record):
            json_chars += len(result.model_dump_json())
            ok += 1
        else:
            failed += 1
    return {"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0, "ok": ok, "failed": failed, "json_chars": json_chars}


def _time_process(cmd: list[str]) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run ``cmd``; return it with its wall seconds and its CPU seconds (user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc, seconds, cpu


def run_tokeniser_process(docs_dir: Path) -> dict:
    """The baseline as a whole process: interpreter, ``import spacy``, blank pipeline, tokenising."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--tokenise", str(docs_dir)]
    proc, seconds, cpu = _time_process(cmd)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-2000:])
        raise SystemExit("tokeniser process failed: " + " ".join(cmd))
    return {"seconds": seconds, "cpu": cpu}


def run_command(namnd: str, docs_dir: Path, out_dir: Path, n_expected: int) -> dict:
    """``namnd extract DIR -o OUT`` as a subprocess; wall time of the whole process."""
    cmd = [namnd, "extract", str(docs_dir), "-o", str(out_dir), "--no-progress"]
    proc, seconds, cpu = _time_process(cmd)
    written = len(list(out_dir.glob("*.json"))) if out_dir.is_dir() else 0
    if proc.returncode != 0 or written != n_expected:
        sys.stderr.write(proc.stderr[-2000:])
        raise SystemExit(f"command failed: exit {proc.returncode}, {written}/{n_expected} records written: "
                         + " ".join(cmd))
    return {"seconds": seconds, "cpu": cpu}


STAGE_GROUPS = ("read", "clean", "segment+metadata", "spaCy", "record building")


def run_stages(pipe, paths: list[Path]) -> dict[str, float]:
    """The library's work, one document at a time, with a timer around each stage.

    ``Pipeline._prepare`` is timed as a whole; ``clean`` and ``segment`` inside it are timed
    by wrapping the names ``pipeline.core`` calls them by, so "metadata" is the rest of
    ``_prepare`` (header lines, the metadata finders, the page map). The spaCy part is the
    tokeniser (``_make_doc``, which also sets the Doc extensions) and then each pipeline
    component called on its own.
    """
    import pipeline.core as core
    from pipeline.read import read

    times: dict[str, float] = defaultdict(float)
    # CPU seconds of this process: on a shared machine, wall time per stage would also count the
    # moments other processes had the CPU, which differ from stage to stage and run to run
    clock = time.process_time

    def timed(name: str, fn: Callable) -> Callable:
        def wrapper(*args, **kwargs):
            t = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                times[name] += clock() - t
        return wrapper

    # time clean and segment inside _prepare where core calls them by these names
    wrapped = {name: getattr(core, name) for name in ("clean", "segment") if callable(getattr(core, name, None))}
    for name, fn in wrapped.items():
        setattr(core, name, timed(name, fn))
    components = list(pipe.nlp.pipeline)
    try:
        for path in paths:
            t = clock()
            raw = read(str(path))
            t1 = clock()
            times["read"] += t1 - t
            prepared = pipe._prepare(raw)
            t2 = clock()
            times["_prepare"] += t2 - t1
            doc = pipe._make_doc(prepared)
            t3 = clock()
            times["spaCy: tokeniser (make_doc)"] += t3 - t2
            for name, proc in components:
                t = clock()
                doc = proc(doc)
                times[f"spaCy: {name}"] += clock() - t
            t = clock()
            record = pipe._record(prepared, doc)
            t1 = clock()
            times["record: _record"] += t1 - t
            record.model_dump_json()
            times["record: model_dump_json"] += clock() - t1
    finally:
        for name, fn in wrapped.items():
            setattr(core, name, fn)
    rest = "metadata (rest of _prepare)" if len(wrapped) == 2 else "_prepare (not split)"
    times[rest] = times.pop("_prepare") - sum(times[name] for name in wrapped)
    return dict(times)


def stage_group(name: str) -> str:
    if name in ("segment", "metadata (rest of _prepare)", "_prepare (not split)"):
        return "segment+metadata"
    if name.startswith("spaCy"):
        return "spaCy"
    if name.startswith("record"):
        return "record building"
    return name


# -- helpers -----------------------------------------------------------------------------
def find_namnd() -> str:
    beside = Path(sys.executable).parent / "namnd"
    if beside.exists():
        return str(beside)
    found = shutil.which("namnd")
    if not found:
        raise SystemExit("the `namnd` command is not installed (pip install -e .)")
    return found


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values}


def fmt_rate(x: float | None) -> str:
    if x is None:
        return "—"
    if x >= 1e6:
        return f"{x / 1e6:.2f} M"
    if x >= 1e4:
        return f"{x / 1e3:.1f} k"
    return f"{x:.1f}"


def table(headers: list[str], rows: list[list[str]], align: str) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(cells, widths, align))

    return "\n".join([line(headers), "  ".join("-" * w for w in widths)] + [line(r) for r in rows])


# -- main --------------------------------------------------------------------------------
def tokenise_main(folder: Path) -> None:
    """The baseline as a process of its own, for whole-process timers."""
    import spacy

    paths = sorted(folder.glob("*.txt"))
    nlp = spacy.blank("sv")
    result = run_tokeniser(nlp, paths)
    print(f"tokenised {len(paths)} documents, {result['tokens']} tokens in {result['seconds']:.2f}s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=200, help="documents in the benchmark corpus (default 200)")
    ap.add_argument("--corpus", type=Path, default=CORPUS,
                    help="folder of the .txt documents to copy (default corpus/); e.g. a folder holding only "
                         "the clean ones, to see the pipeline without the OCR-damaged 004")
    ap.add_argument("--repeat", type=int, default=3, help="repetitions; figures are medians (default 3)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON instead of tables")
    ap.add_argument("--no-command", action="store_true", help="skip the `namnd extract` subprocess")
    ap.add_argument("--make-corpus", metavar="DIR", type=Path,
                    help="only write the --docs distinct copies into DIR and exit")
    ap.add_argument("--tokenise", metavar="DIR", type=Path,
                    help="only run the tokeniser baseline over DIR/*.txt and exit (for process timers)")
    args = ap.parse_args(argv)
    if args.docs < 1 or args.repeat < 1:
        ap.error("--docs and --repeat must be at least 1")

    if args.make_corpus:
        paths = make_corpus(args.make_corpus, args.docs, args.corpus)
        print(f"wrote {len(paths)} documents to {args.make_corpus}")
        return 0
    if args.tokenise:
        tokenise_main(args.tokenise)
        return 0

    log = (lambda *a: print(*a, file=sys.stderr, flush=True)) if args.json else (lambda *a: print(*a, flush=True))
    if os.environ.get("NAMND_SPACY_MODEL"):
        log(f"note: NAMND_SPACY_MODEL={os.environ['NAMND_SPACY_MODEL']} is set; library and command use it")

    t = time.perf_counter()
    import spacy

    import_spacy = time.perf_counter() - t
    t = time.perf_counter()
    from pipeline.core import Pipeline

    import_pipeline = time.perf_counter() - t
    from pipeline import _native, restore

    namnd = None if args.no_command else find_namnd()

    env = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "spacy": spacy.__version__,
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "load_average_at_start": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "restorer": f"{_native.implementation(restore)} ({_native.twin_status('pipeline.restore')[1]}); "
                    f"its decoder: {'C' if _native.c_decoder_status()[0] is not None else 'Python'}",
    }
    if (env["load_average_at_start"] or 0) > 0.5:
        log(f"note: load average {env['load_average_at_start']:.2f} at start: other processes are using the "
            "CPUs, wall-clock figures will be noisy (the CPU-time columns less so)")

    with tempfile.TemporaryDirectory(prefix="namnd-bench-") as tmp:
        tmp_path = Path(tmp)
        docs_dir = tmp_path / "docs"
        paths = make_corpus(docs_dir, args.docs, args.corpus)
        texts = [p.read_bytes().decode("utf-8") for p in paths]
        n_chars = sum(len(s) for s in texts)
        n_bytes = sum(p.stat().st_size for p in paths)
        del texts

        t = time.perf_counter()
        pipe = Pipeline()
        construct = time.perf_counter() - t
        tok_nlp = spacy.blank("sv")
        from pipeline.tokenizer import WarmCacheTokenizer

        warm_nlp = spacy.blank("sv")
        warm_nlp.tokenizer = WarmCacheTokenizer(warm_nlp.tokenizer)
        # warm-up on the original corpus files (other hashes than the copies): first-call costs
        # (lazy regex compilation, lookup tables) are not what the throughput figures are about
        originals = sorted(CORPUS.glob("*.txt"))
        run_tokeniser(tok_nlp, originals)
        run_tokeniser(warm_nlp, originals)
        run_library(pipe, originals)
        run_stages(pipe, originals)

        runs: dict[str, list[float]] = defaultdict(list)
        cpu_runs: dict[str, list[float]] = defaultdict(list)
        stage_runs: dict[str, list[float]] = defaultdict(list)
        tokens = None
        log(f"{args.docs} documents, {n_chars} characters; {args.repeat} repetitions")
        for rep in range(args.repeat):
            r = run_tokeniser(tok_nlp, paths)
            runs["tokeniser"].append(r["seconds"])
            cpu_runs["tokeniser"].append(r["cpu"])
            tokens = r["tokens"]
            r = run_tokeniser(warm_nlp, paths)
            runs["tokeniser, cache fix"].append(r["seconds"])
            cpu_runs["tokeniser, cache fix"].append(r["cpu"])
            r = run_library(pipe, paths)
            if r["failed"] or r["ok"] != len(paths):
                raise SystemExit(f"library run: {r['failed']} failures out of {len(paths)}")
            runs["library"].append(r["seconds"])
            cpu_runs["library"].append(r["cpu"])
            for name, secs in run_stages(pipe, paths).items():
                stage_runs[name].append(secs)
            if namnd:
                r = run_tokeniser_process(docs_dir)
                runs["tokeniser process"].append(r["seconds"])
                cpu_runs["tokeniser process"].append(r["cpu"])
                out = tmp_path / f"out{rep}"
                r = run_command(namnd, docs_dir, out, len(paths))
                runs["command"].append(r["seconds"])
                cpu_runs["command"].append(r["cpu"])
                shutil.rmtree(out, ignore_errors=True)
            log(f"  repetition {rep + 1}: " + ", ".join(f"{k} {v[-1]:.2f}s" for k, v in runs.items()))

    med = {k: statistics.median(v) for k, v in runs.items()}
    stage_med = {k: statistics.median(v) for k, v in stage_runs.items()}
    cpu_med = {k: statistics.median(v) for k, v in cpu_runs.items()}
    tok_s, tok_cpu = med["tokeniser"], cpu_med["tokeniser"]
    results = {}
    for name in ("tokeniser", "tokeniser, cache fix", "library", "tokeniser process", "command"):
        if name not in med:
            continue
        s = med[name]
        # the command is a whole process: its like-for-like yardstick is the tokeniser's process
        yard = "tokeniser process" if name in ("command", "tokeniser process") else "tokeniser"
        results[name] = {
            "seconds": summary(runs[name]),
            "cpu_seconds": summary(cpu_runs[name]),
            "docs_per_s": args.docs / s,
            "chars_per_s": n_chars / s,
            "tokens_per_s": tokens / s if name in ("tokeniser", "tokeniser, cache fix") else None,
            "ratio_to_tokeniser": tok_s / s,
            "cpu_ratio_to_tokeniser": tok_cpu / cpu_med[name],
            "yardstick": yard,
            "ratio_to_yardstick": med[yard] / s,
            "cpu_ratio_to_yardstick": cpu_med[yard] / cpu_med[name],
        }
    stage_total = sum(stage_med.values())
    groups: dict[str, float] = defaultdict(float)
    for name, s in stage_med.items():
        groups[stage_group(name)] += s

    report = {
        "environment": env,
        "docs": args.docs,
        "characters": n_chars,
        "bytes": n_bytes,
        "tokens": tokens,
        "repeat": args.repeat,
        "import_seconds": {"spacy": import_spacy, "pipeline": import_pipeline},
        "construction_seconds": construct,
        "results": results,
        "stages_seconds": stage_med,
        "stage_groups_seconds": dict(groups),
        "stage_total_seconds": stage_total,
        "target_ratio": TARGET_RATIO,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0

    print()
    print(f"Python {env['python']} ({env['implementation']}), spaCy {env['spacy']}, "
          f"os.cpu_count() = {env['cpu_count']}, usable CPUs = {env['affinity']}, {env['platform']}, "
          f"load average at start {env['load_average_at_start']:.2f}")
    print(f"lost-letter restorer: {env['restorer']}")
    print(f"{args.docs} documents ({len(list(args.corpus.glob('*.txt')))} files of {args.corpus} copied), "
          f"{n_chars:,} characters, {tokens:,} tokens; median of {args.repeat} repetitions")
    print(f"one-off: import spacy {import_spacy:.2f}s, import pipeline {import_pipeline:.2f}s, "
          f"Pipeline() construction {construct:.2f}s")
    print()
    rows = []
    labels = {"tokeniser": 'tokeniser  spacy.blank("sv").pipe',
              "tokeniser, cache fix": "  (info) the same + our chunk-cache fix",
              "library": "library    extract_many + JSON",
              "tokeniser process": "tokeniser  as a process (--tokenise)",
              "command": "command    namnd extract DIR -o OUT"}
    for name, r in results.items():
        s = r["seconds"]
        rows.append([labels[name], f"{s['median']:.2f}", f"{s['min']:.2f}–{s['max']:.2f}",
                     fmt_rate(r["docs_per_s"]), fmt_rate(r["chars_per_s"]), fmt_rate(r["tokens_per_s"]),
                     f"{r['ratio_to_tokeniser']:.3f}×", f"{r['ratio_to_yardstick']:.3f}×",
                     f"{r['cpu_seconds']['median']:.2f}", f"{r['cpu_ratio_to_yardstick']:.3f}×"])
    print(table(["", "wall s", "min–max", "docs/s", "chars/s", "tokens/s", "vs tokeniser", "vs like", "CPU s",
                 "CPU vs like"], rows, "lrrrrrrrrr"))
    print("(rates and ratios are wall-clock throughput. 'vs tokeniser': against the in-process tokeniser; "
          "'vs like': against its like-for-like yardstick, the in-process tokeniser for the library, the "
          "tokeniser as a process for the command (both then include interpreter start-up and imports); "
          "'CPU vs like': the same in CPU seconds, which other load on the machine disturbs less)")
    for name in ("library", "command"):
        if name in results:
            r = results[name]
            ratio = r["ratio_to_yardstick"]
            verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
            print(f"target ≥ {TARGET_RATIO}× tokeniser, {name} against {r['yardstick']}: {ratio:.3f}× — {verdict}"
                  + (f" (against the in-process tokeniser: {r['ratio_to_tokeniser']:.3f}×)"
                     if r["yardstick"] != "tokeniser" else ""))

    print()
    print("library stages (one document at a time; median CPU seconds per stage)")
    rows = []
    for group in STAGE_GROUPS:
        members = [n for n in stage_med if stage_group(n) == group]
        for n in members:
            s = stage_med[n]
            label = n if len(members) > 1 else group
            rows.append([("  " if len(members) > 1 else "") + label, f"{s:.3f}", f"{1000 * s / args.docs:.2f}",
                         f"{100 * s / stage_total:.1f}%", fmt_rate(n_chars / s) if s > 0 else "—"])
        if len(members) > 1:
            s = groups[group]
            rows.append([f"{group} (subtotal)", f"{s:.3f}", f"{1000 * s / args.docs:.2f}",
                         f"{100 * s / stage_total:.1f}%", fmt_rate(n_chars / s)])
    rows.append(["stage total", f"{stage_total:.3f}", f"{1000 * stage_total / args.docs:.2f}", "100.0%",
                 fmt_rate(n_chars / stage_total)])
    print(table(["stage", "seconds", "ms/doc", "share", "chars/s alone"], rows, "lrrrr"))
    lib = cpu_med["library"]
    print(f"stage total / library total, CPU seconds = {stage_total:.2f}s / {lib:.2f}s = {stage_total / lib:.2f} "
          f"(tokeniser baseline: {tok_cpu:.2f} CPU s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
