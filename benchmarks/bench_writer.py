#!/usr/bin/env python
"""The ingest writer alone: the CPU the one writing process spends per document.

With two workers on two cores every CPU second of the writer is taken from the workers, so
its cost per document bounds what a second worker can add. This script stores the rows of
varied development documents (as ``bench_ingest.py`` makes them) the way ``namnd ingest``
does (:class:`pipeline.ingest._Writer`: savepoints, shared transactions, the full-text
index), with no workers, and prints the writer's CPU per document, with and without the
full-text index. Run by hand from the repository root:

    python benchmarks/bench_writer.py                     # 300 documents, medians of 5 runs
    python benchmarks/bench_writer.py --docs 900 --rows /tmp/rows.pickle   # keep the rows

CPU seconds vary from run to run on a shared machine; instruction counts do not. For a
comparison of two versions of the writer, count instructions with Valgrind, storing once
(``--store-only``) and subtracting a run that stores nothing:

    python benchmarks/bench_writer.py --docs 300 --rows /tmp/rows.pickle --store-only
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \\
        python benchmarks/bench_writer.py --docs 300 --rows /tmp/rows.pickle --store-only
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \\
        python benchmarks/bench_writer.py --docs 0 --rows /tmp/rows.pickle --store-only
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))


def build_rows(n_docs: int) -> list[bytes]:
    """The pickled rows of ``n_docs`` varied development documents, as workers send them."""
    from bench_ingest import make_corpus

    from pipeline import emit
    from pipeline.core import Pipeline
    from pipeline.read import read_file_bytes

    pipe = Pipeline()
    with tempfile.TemporaryDirectory(prefix="namnd-bench-writer-") as tmp:
        paths = make_corpus(Path(tmp), n_docs)
        return [pickle.dumps(emit.record_rows(pipe.extract_bytes(read_file_bytes(p), str(p)))) for p in paths]


def store(blobs: list[bytes], db: Path, *, index: bool = True) -> float:
    """Store the rows as ingest's writer does; the CPU seconds it took (unpickling included)."""
    from pipeline import emit, ingest

    conn = emit.connect(db)
    writer = ingest._Writer(conn, None, lambda outcome: None, seconds=float("inf"))
    skipped = emit.index_documents
    if not index:
        emit.index_documents = lambda conn, ids: None
    try:
        cpu = time.process_time()
        for k, blob in enumerate(blobs):
            task = ingest._Task(path=f"doc{k:05d}.txt", abs_path=f"/archive/doc{k:05d}.txt", sha256="", size=1)
            writer.store(task, "ok", pickle.loads(blob))
            writer.commit_when_due()
        writer.commit()
        return time.process_time() - cpu
    finally:
        emit.index_documents = skipped
        conn.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=300, help="documents (default 300)")
    ap.add_argument("--repeat", type=int, default=5, help="runs per set-up, interleaved; medians (default 5)")
    ap.add_argument("--rows", type=Path, help="a file to keep the rows in, reused when it holds enough")
    ap.add_argument("--store-only", action="store_true",
                    help="store the rows once and print nothing (for counting instructions with Valgrind)")
    args = ap.parse_args(argv)
    from bench_ingest import fresh

    blobs: list[bytes] = []
    if args.rows and args.rows.exists():
        blobs = pickle.loads(args.rows.read_bytes())
    if len(blobs) < args.docs:
        if args.store_only:
            raise SystemExit("--store-only needs --rows with enough documents: make them first without it")
        blobs = build_rows(args.docs)
        if args.rows:
            args.rows.write_bytes(pickle.dumps(blobs))
    blobs = blobs[:args.docs]

    with tempfile.TemporaryDirectory(prefix="namnd-bench-writer-") as tmp:
        db = Path(tmp) / "writer.sqlite"
        if args.store_only:
            store(blobs, db)
            return 0
        with_index, without = [], []
        for _ in range(max(1, args.repeat)):
            with_index.append(store(blobs, fresh(db)))
            without.append(store(blobs, fresh(db), index=False))
    n = max(1, len(blobs))
    full, bare = statistics.median(with_index), statistics.median(without)
    print(f"{len(blobs)} documents, {sum(map(len, blobs)) / n / 1024:.1f} KiB of pickled rows each; "
          f"medians of {args.repeat} interleaved runs; load average {os.getloadavg()[0]:.2f}")
    print(f"writer CPU: {full:.2f}s, {1000 * full / n:.2f} ms per document "
          f"(runs: {' '.join(f'{x:.2f}' for x in with_index)})")
    print(f"without the full-text index: {bare:.2f}s, {1000 * bare / n:.2f} ms per document; "
          f"the index's share {(full - bare) / full:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
