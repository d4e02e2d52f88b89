#!/usr/bin/env python
"""Throughput of ``namnd ingest`` with 1 and 2 worker processes, and on a Dask cluster.

Run by hand from the repository root (not part of the test suite):

    python benchmarks/bench_ingest.py                       # 400 documents, medians of 3 runs
    python benchmarks/bench_ingest.py --docs 900 --repeat 5
    python benchmarks/bench_ingest.py --no-dask --no-command
    python benchmarks/bench_ingest.py --json > ingest.json  # machine-readable; progress on stderr

The documents are the text documents of ``corpus/dev/`` copied ``--docs`` times under
names of their own (``doc00000.txt`` …), each copy varied so that every file has its own
hash: a number in the text is changed in every copy, every third copy has two paragraphs
swapped and every third another has an added line. (``corpus/holdout/`` is never used.)

Before anything is timed, the files are read once (the page cache) and a small ingest
runs with the largest worker count, so that what one process keeps between runs is
there: the worker processes' fork server with its built and warmed Pipeline, the
on-disk caches of the restorer and the word frequencies. Then, on a fresh database each
time, with the runs of the different set-ups interleaved (library calls of
:func:`pipeline.ingest.ingest`):

* documents/s of the whole run (planning, starting the workers, storing included), for
  each worker count; the median of ``--repeat`` runs, and 2 workers against 1;
* steady documents/s (from the first stored document to the last), the CPU time of the
  writing process and of the workers, peak RSS per worker;
* with Dask installed (``--no-dask`` to skip): a ``LocalCluster`` of two single-threaded
  worker processes, started and warmed before the timing, its documents/s against the
  local pool's with 2 workers;
* the ceiling (``--no-ceiling`` to skip): the same work (read, extract, the rows) split
  between 1 and 2 independent processes started together, without the pool and without
  the database: what 2 workers can give at most on this machine at this moment (two
  processes share caches and memory bandwidth, or two hyperthreads one core);
* ``namnd ingest`` as a process (``--no-command`` to skip), once per worker count: the
  interpreter, the fork server and its Pipeline started cold, as a nightly job starts;
* a second run over the same folder and database: nothing to do, under 5 % of the time.

The machine's load average is printed before and after: other work on the same cores
lowers every figure, the 2-worker speed-up most.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus" / "dev"
TARGET_SPEEDUP_2 = 1.8
TARGET_RSS_MB = 500
TARGET_RERUN_RATIO = 0.05
WARM_UP_DOCS = 40

_NUMBER = re.compile(rb"(?<![\d-])\d{2,4}(?![\d-])")


def make_corpus(dest: Path, n_docs: int, corpus: Path = CORPUS, seed: int = 8) -> list[Path]:
    """``n_docs`` varied copies of the corpus's text files in ``dest``, every one with its own hash and name."""
    if "holdout" in corpus.resolve().parts:
        raise SystemExit("the held-out documents are not for benchmarks")
    sources = sorted(corpus.glob("*.txt"))
    if not sources:
        raise SystemExit(f"no text documents in {corpus}")
    dest.mkdir(parents=True, exist_ok=True)
    blobs = [s.read_bytes() for s in sources]
    rng = random.Random(seed)
    paths, digests = [], set()
    for i in range(n_docs):
        data = blobs[i % len(blobs)]
        # 1. a changed number (the k-th number of the document gets the copy's index)
        numbers = list(_NUMBER.finditer(data))
        if numbers:
            m = numbers[(i // len(blobs)) % len(numbers)]
            data = data[:m.start()] + str(100 + i).encode() + data[m.end():]
        # 2. every third copy: two neighbouring body paragraphs swapped
        if i % 3 == 1:
            paras = data.split(b"\n\n")
            if len(paras) > 6:
                k = rng.randrange(3, len(paras) - 2)
                paras[k], paras[k + 1] = paras[k + 1], paras[k]
                data = b"\n\n".join(paras)
        # 3. every third copy: an added line
        if i % 3 == 2:
            data = data.rstrip(b"\n") + f"\n\nTillagd rad i kopia {i}.\n".encode("ascii")
        if hashlib.sha256(data).hexdigest() in digests:  # every hash must differ
            data += f"\nKopia {i}.\n".encode("ascii")
        digests.add(hashlib.sha256(data).hexdigest())
        p = dest / f"doc{i:05d}.txt"
        p.write_bytes(data)
        paths.append(p)
    return paths


def fresh(db: Path) -> Path:
    for p in db.parent.glob(db.name + "*"):
        p.unlink()
    return db


def run_library(docs: Path, db: Path, workers: int, scheduler: str | None = None) -> dict:
    from pipeline.ingest import ingest

    times: list[float] = []
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    extra = {"scheduler": scheduler} if scheduler else {}
    summary = ingest([docs], db, workers=workers, on_outcome=lambda o: times.append(time.perf_counter()), **extra)
    wall = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    processed = summary.new + summary.updated + summary.failed
    first, last = (min(times) - t0, max(times) - t0) if times else (0.0, 0.0)
    steady = (processed - 1) / (last - first) if processed > 1 and last > first else None
    return {
        "workers": workers, "seconds": wall,
        "new": summary.new, "skipped": summary.skipped, "failed": summary.failed,
        "docs_per_s": processed / wall if wall else None,
        "first_result_s": first, "steady_docs_per_s": steady,
        "parent_cpu_s": (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime),
        "worker_stats": summary.worker_stats,
        "peak_worker_rss_mb": summary.peak_worker_rss_mb,
        "worker_cpu_s": sum(w.get("cpu_s") or 0 for w in summary.worker_stats),
    }


def run_command(docs: Path, db: Path, workers: int) -> dict:
    namnd = Path(sys.executable).parent / "namnd"
    if not namnd.exists():
        namnd = Path(shutil.which("namnd") or "namnd")
    cmd = [str(namnd), "ingest", str(docs), "--db", str(db), "--workers", str(workers), "--json", "--no-progress"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr[-2000:])
        raise SystemExit(f"command failed with exit status {proc.returncode}")
    out = json.loads(proc.stdout)
    return {"workers": workers, "seconds": wall, "new": out["new"], "skipped": out["skipped"],
            "failed": out["failed"], "docs_per_s": (out["new"] + out["failed"]) / wall}


def _ceiling_worker(paths: list[str], start, results) -> None:
    """In a process of its own: build and warm a Pipeline, wait for the others, then time
    the workers' work (read, extract, the record's rows) on ``paths``; no pool, no writer."""
    from pipeline import emit
    from pipeline.core import Pipeline
    from pipeline.prebuilt import warm_up
    from pipeline.read import read_file_bytes

    pipe = Pipeline()
    warm_up(pipe)
    start.wait()
    t0 = time.perf_counter()
    for p in paths:
        emit.record_rows(pipe.extract_bytes(read_file_bytes(p), p))
    results.put(time.perf_counter() - t0)


def ceiling(paths: list[Path], n: int) -> float:
    """Documents/s of the same work split between ``n`` independent processes started
    together (no pool, no database): what ``n`` workers could give on this machine at most."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(n + 1), ctx.Queue()
    procs = [ctx.Process(target=_ceiling_worker, args=([str(p) for p in paths[k::n]], start, results))
             for k in range(n)]
    for proc in procs:
        proc.start()
    start.wait()
    seconds = max(results.get() for _ in procs)
    for proc in procs:
        proc.join()
    return len(paths) / seconds


def start_cluster():
    """A Dask LocalCluster of two single-threaded worker processes, or None without Dask."""
    try:
        from distributed import LocalCluster
    except ImportError:
        return None
    return LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                        silence_logs=40)


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))  # noqa: E731
    return "\n".join([line(headers), "  ".join("-" * w for w in widths)] + [line(r) for r in rows])


def f(x, fmt="{:.2f}") -> str:
    return "—" if x is None else fmt.format(x)


def median(runs: list[dict], key: str):
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=400, help="documents (default 400)")
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts (default 1,2)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per set-up, interleaved; medians (default 3)")
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster runs")
    ap.add_argument("--no-command", action="store_true", help="skip the `namnd ingest` process runs")
    ap.add_argument("--no-ceiling", action="store_true",
                    help="skip timing the work alone in independent processes (the most the workers could give)")
    ap.add_argument("--keep", metavar="DIR", type=Path, help="build the documents and databases in DIR and keep them")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args(argv)
    counts = [int(x) for x in args.workers.split(",") if x.strip()]
    log = (lambda *a: print(*a, file=sys.stderr, flush=True)) if args.json else (lambda *a: print(*a, flush=True))

    tmp_ctx = tempfile.TemporaryDirectory(prefix="namnd-bench-ingest-") if not args.keep else None
    base = Path(tmp_ctx.name) if tmp_ctx else args.keep
    base.mkdir(parents=True, exist_ok=True)
    cluster = None
    try:
        docs = base / "docs"
        if docs.exists():
            shutil.rmtree(docs)
        paths = make_corpus(docs, args.docs)
        n_bytes = sum(len(p.read_bytes()) for p in paths)  # read once: the page cache
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        load_before = os.getloadavg()
        log(f"{args.docs} documents ({len(list(CORPUS.glob('*.txt')))} originals varied), {n_bytes:,} bytes; "
            f"usable CPUs {cores}; load average before {load_before[0]:.2f}")

        # warm-up, not timed: the fork server and its Pipeline, the on-disk caches
        warm = base / "warm"
        warm.mkdir(exist_ok=True)
        for p in paths[:WARM_UP_DOCS]:
            shutil.copy(p, warm / p.name)
        run_library(warm, fresh(base / "warm.sqlite"), max(counts))
        setups: list[tuple[str, int, str | None]] = [(f"{w} worker(s)", w, None) for w in counts]
        if not args.no_dask:
            cluster = start_cluster()
            if cluster is None:
                log("  Dask is not installed (pip install 'namnd[dask]'): no cluster runs")
            else:
                run_library(warm, fresh(base / "warm-dask.sqlite"), 0, cluster.scheduler_address)
                setups.append(("Dask, 2 workers", 0, cluster.scheduler_address))

        runs: dict[str, list[dict]] = {name: [] for name, _, _ in setups}
        ceilings: dict[int, list[float]] = {w: [] for w in counts}
        for rep in range(max(1, args.repeat)):
            for name, w, scheduler in setups:
                r = run_library(docs, fresh(base / "run.sqlite"), w, scheduler)
                if r["new"] != args.docs or r["failed"]:
                    raise SystemExit(f"{name}: {r['new']} new, {r['failed']} failed of {args.docs}")
                r["load"] = os.getloadavg()[0]
                runs[name].append(r)
                log(f"  {name}, run {rep + 1}: {r['seconds']:.2f}s, {r['docs_per_s']:.1f} docs/s "
                    f"(load average now {r['load']:.2f})")
            if not args.no_ceiling:
                for w in counts:
                    ceilings[w].append(ceiling(paths, w))
                    log(f"  the work alone in {w} process(es), run {rep + 1}: {ceilings[w][-1]:.1f} docs/s")

        # the rerun: same folder, same database, nothing to do
        last_name, last_w, _ = setups[len(counts) - 1]
        db = base / "run.sqlite"
        first = run_library(docs, fresh(db), last_w)
        rerun = run_library(docs, db, last_w)
        assert rerun["new"] == 0 and rerun["skipped"] == args.docs, rerun

        command = []
        if not args.no_command:
            for w in counts:
                c = run_command(docs, fresh(base / "cmd.sqlite"), w)
                command.append(c)
                log(f"  `namnd ingest --workers {w}` as a process: {c['seconds']:.2f}s, {c['docs_per_s']:.1f} docs/s")
        load_after = os.getloadavg()
    finally:
        if cluster is not None:
            cluster.close()
        if tmp_ctx:
            tmp_ctx.cleanup()

    summary = []
    for name, w, scheduler in setups:
        rs = runs[name]
        summary.append({
            "setup": name, "workers": w, "dask": scheduler is not None,
            "docs_per_s": median(rs, "docs_per_s"), "seconds": median(rs, "seconds"),
            "all_docs_per_s": [round(r["docs_per_s"], 2) for r in rs],
            "steady_docs_per_s": median(rs, "steady_docs_per_s"), "first_result_s": median(rs, "first_result_s"),
            "parent_cpu_s": median(rs, "parent_cpu_s"), "worker_cpu_s": median(rs, "worker_cpu_s"),
            "peak_worker_rss_mb": max((r["peak_worker_rss_mb"] or 0) for r in rs) or None,
        })
    by = {s["setup"]: s for s in summary}
    one, two = by.get("1 worker(s)"), by.get("2 worker(s)")
    dask = by.get("Dask, 2 workers")
    speedup = two["docs_per_s"] / one["docs_per_s"] if one and two else None
    steady_speedup = (two["steady_docs_per_s"] / one["steady_docs_per_s"]
                      if one and two and one["steady_docs_per_s"] and two["steady_docs_per_s"] else None)
    dask_ratio = dask["docs_per_s"] / two["docs_per_s"] if dask and two else None
    # each round runs 1 worker, then 2, back to back: their ratio sees the machine in one state
    # (a shared machine's speed drifts over minutes, which the medians of whole runs mix in)
    rounds = ([b["docs_per_s"] / a["docs_per_s"] for a, b in zip(runs["1 worker(s)"], runs["2 worker(s)"])]
              if one and two else [])
    cmd = {c["workers"]: c for c in command}
    command_speedup = cmd[2]["docs_per_s"] / cmd[1]["docs_per_s"] if 1 in cmd and 2 in cmd else None
    peak_rss = max((s["peak_worker_rss_mb"] or 0) for s in summary if not s["dask"])
    ceiling_rates = {w: statistics.median(v) for w, v in ceilings.items() if v}
    ceiling_speedup = ceiling_rates[2] / ceiling_rates[1] if 1 in ceiling_rates and 2 in ceiling_rates else None
    report = {
        "environment": {"python": platform.python_version(), "platform": platform.platform(), "cpus": cores,
                        "load_before": load_before, "load_after": load_after},
        "docs": args.docs, "bytes": n_bytes, "repeat": args.repeat, "setups": summary,
        "speedup_2_vs_1": speedup, "steady_speedup_2_vs_1": steady_speedup, "speedup_per_round": rounds,
        "dask_vs_local_2": dask_ratio,
        "command": command, "command_speedup_2_vs_1": command_speedup,
        "ceiling_docs_per_s": ceiling_rates, "ceiling_speedup_2_vs_1": ceiling_speedup,
        "rerun": {"seconds": rerun["seconds"], "ratio": rerun["seconds"] / first["seconds"],
                  "workers_started": len(rerun["worker_stats"])},
        "peak_worker_rss_mb": peak_rss,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0

    print()
    print(f"Python {platform.python_version()}, {platform.platform()}, usable CPUs {cores}, "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    print(f"{args.docs} documents, {n_bytes:,} bytes; medians of {args.repeat} interleaved runs, "
          "each on a fresh database, after a warm-up")
    print()
    rows = [[s["setup"], f(s["docs_per_s"], "{:.1f}"), " ".join(f"{x:.1f}" for x in s["all_docs_per_s"]),
             f(s["seconds"], "{:.2f}"), f(s["first_result_s"], "{:.2f}"), f(s["steady_docs_per_s"], "{:.1f}"),
             f(s["parent_cpu_s"], "{:.2f}"), "—" if s["dask"] else f(s["worker_cpu_s"], "{:.1f}"),
             f(s["peak_worker_rss_mb"], "{:.0f}")] for s in summary]
    print(table(["set-up", "docs/s", "runs (docs/s)", "seconds", "1st stored s", "steady docs/s", "writer CPU s",
                 "workers CPU s", "peak RSS MB/worker"], rows))
    print()
    if speedup is not None:
        verdict = "met" if speedup >= TARGET_SPEEDUP_2 else "NOT met"
        print(f"2 workers vs 1: {speedup:.2f}× (steady state {f(steady_speedup)}×); target ≥ {TARGET_SPEEDUP_2}× — "
              f"{verdict}")
        print(f"  per round (1 then 2 workers, back to back): {' '.join(f'{x:.2f}' for x in rounds)}×; "
              f"median {statistics.median(rounds):.2f}×")
    if ceiling_speedup is not None:
        print("the work alone in independent processes (no pool, no database): "
              + ", ".join(f"{w}: {r:.1f} docs/s" for w, r in ceiling_rates.items())
              + f"; 2 vs 1: {ceiling_speedup:.2f}× — the most 2 workers can give on this machine now"
              + (f"; the pool reaches {speedup / ceiling_speedup:.0%} of it" if speedup else ""))
    if dask_ratio is not None:
        print(f"Dask LocalCluster (2 single-threaded workers) vs the local pool with 2 workers: {dask_ratio:.2f}× "
              f"({dask['docs_per_s']:.1f} vs {two['docs_per_s']:.1f} docs/s)")
    if command:
        print("`namnd ingest` as a process (cold start): " + ", ".join(
            f"{c['workers']} worker(s) {c['docs_per_s']:.1f} docs/s ({c['seconds']:.1f}s)" for c in command)
            + (f"; 2 vs 1: {command_speedup:.2f}×" if command_speedup else ""))
    verdict = "met" if peak_rss <= TARGET_RSS_MB else "NOT met"
    print(f"peak RSS per worker: {peak_rss:.0f} MB; target ≤ {TARGET_RSS_MB} MB — {verdict}")
    ratio = report["rerun"]["ratio"]
    verdict = "met" if ratio < TARGET_RERUN_RATIO else "NOT met"
    print(f"rerun (nothing to do, {report['rerun']['workers_started']} workers started): {rerun['seconds']:.3f}s = "
          f"{100 * ratio:.2f}% of the first run; target < 5% — {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
