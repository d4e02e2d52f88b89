#!/usr/bin/env python
"""Speed of the cleaner and its lost-letter restorer, run by hand.

    python benchmarks/bench_clean.py                    # median of 3 repetitions
    python benchmarks/bench_clean.py --repeat 5 --copies 60
    python benchmarks/bench_clean.py --readme-table /tmp/restore_readme_table.md

Two goals:

* damaged text: the restorer repairs at least 20,000 words/s;
* clean text: ``clean()`` takes under 50 % of the time ``spacy.blank("sv")`` needs to
  tokenise the same text.

Damaged text is timed three ways: corpus document 004 with every cache emptied first
(a document unlike anything seen before: the worst case), 004 again (a batch of scans
damaged the same way), and a batch of simulated damage (``simulate_damage``, 5–20 %, and
75 %, which is as heavy as 004) on the clean texts, each copy with damage of its own,
caches starting empty (emptying them is not timed). Clean text is 000, 001, 003 and the
test suite's own Swedish text, copied ``--copies`` times. The one-off lexicon load is
printed on its own. Wall-clock and CPU seconds are both shown: the machine may be shared.

Words are the words of the undamaged text (for 004, of its hand-corrected reference):
a damaged text splits into more whitespace tokens than it has words (004: 3374 tokens,
2467 words), and counting those would flatter the restorer by a third. Machines differ
by more than two times in speed, so the damaged-text rows are also given as a share of
spaCy's tokenisation speed on clean text in the same run.

The script also measures the simulated-damage CER table for the README
(``--readme-table``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from ocr_damage import char_errors, development_texts, simulate_damage  # beside this script

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "corpus"
# the same texts, in the same order, as tests/test_restore.py (so the same damage)
CLEAN_FILES = [ROOT / "tests" / "data" / "restore_clean_sv.txt", CORPUS / "000_c03b254d8a1ffbd1.txt",
               CORPUS / "001_46e52080158721e0.txt", CORPUS / "003_82a5e966af9e9f59.txt"]
DAMAGED = CORPUS / "004_fbc38fc54b4e3b7b.txt"
REFERENCE = ROOT / "annotations" / "004_fbc38fc54b4e3b7b.corrected.txt"
RATES = (0.02, 0.05, 0.10, 0.20)
#: the goal for damaged text, in words of the undamaged text per second
GOAL_WORDS_PER_S = 20_000


def _timed(fn, setup=None) -> tuple[float, float]:
    """(wall, CPU) seconds of ``fn()``; ``setup()`` first, untimed."""
    if setup is not None:
        setup()
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def _median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--copies", type=int, default=40, help="copies of the clean texts")
    ap.add_argument("--readme-table", type=Path, help="write the simulated-damage CER table here")
    args = ap.parse_args()

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    if load > (os.cpu_count() or 1):
        print(f"note: load average {load:.1f} on {os.cpu_count()} cores; wall-clock figures are noisy")

    t0 = time.perf_counter()
    from pipeline import restore
    from pipeline.clean import clean
    lex_wall, lex_cpu = _timed(restore.lexicon)
    import_wall = time.perf_counter() - t0
    import spacy

    nlp = spacy.blank("sv")
    rows: list[tuple[str, ...]] = []

    # -- damaged text ---------------------------------------------------------------------
    raw = DAMAGED.read_text(encoding="utf-8")
    words = len(REFERENCE.read_text(encoding="utf-8").split())
    damaged: list[tuple[str, int, float, float]] = []  # (what, words, wall s, CPU s)

    def restore_004():
        restore.restore_edits(raw)

    runs = [_timed(restore_004, setup=restore.reset_caches) for _ in range(args.repeat)]
    damaged.append(("restore: 004, caches empty", words, *_median(runs)))
    restore.restore_edits(raw)
    runs = [_timed(restore_004) for _ in range(args.repeat)]
    damaged.append(("restore: 004 again (same damage)", words, *_median(runs)))
    runs = [_timed(lambda: clean(raw)) for _ in range(args.repeat)]
    damaged.append(("clean(): 004 again", words, *_median(runs)))

    truths = [p.read_text(encoding="utf-8") for p in CLEAN_FILES]
    # the same batches spread over the machine's cores, as `namnd ingest` spreads documents
    # over its workers: (what, words, wall s)
    from pipeline.resources import usable_cpus

    workers = usable_cpus()
    parallel: list[tuple[str, int, float]] = []
    # 75 %: as heavy as 004 (a CER of about 7.7 %), on texts the caches have never seen
    for rate in (0.05, 0.10, 0.20, 0.75):
        batch = [simulate_damage(t, rate, seed=s * 100 + i)
                 for s in range(3) for i, t in enumerate(truths)]
        bw = 3 * sum(len(t.split()) for t in truths)

        def run_batch():
            for d in batch:
                restore.restore_edits(d)

        runs = [_timed(run_batch, setup=restore.reset_caches) for _ in range(args.repeat)]
        damaged.append((f"restore: simulated {rate:.0%}, batch of {len(batch)}, caches empty", bw,
                        *_median(runs)))
        if rate in (0.05, 0.75) and workers > 1:
            wall = statistics.median(_parallel(batch, workers) for _ in range(args.repeat))
            parallel.append((f"restore: simulated {rate:.0%}, batch of {len(batch)}, {workers} processes",
                             bw, wall))

    # -- clean text ------------------------------------------------------------------------
    texts = [t + f"\n\nKopia {k}\n" for k in range(args.copies) for t in truths]
    chars = sum(len(t) for t in texts)
    cwords = sum(len(t.split()) for t in texts)

    def tokenise():
        for t in texts:
            nlp.make_doc(t)

    def clean_all():
        for t in texts:
            clean(t)

    def restore_all():
        for t in texts:
            restore.restore_edits(t)

    tok, cl, rs = [], [], []
    for _ in range(args.repeat):  # interleaved, so load changes hit all three alike
        tok.append(_timed(tokenise))
        cl.append(_timed(clean_all))
        rs.append(_timed(restore_all))
    tw, tc = _median(tok)
    cw, cc = _median(cl)
    rw, rc = _median(rs)
    for what, n, w, c in damaged:
        rows.append((what, f"{n}", f"{n / w:,.0f}", f"{n / c:,.0f}",
                     f"{n / c / (cwords / tc):.1%}", "yes" if n / c >= GOAL_WORDS_PER_S else "no"))
    for what, n, w in parallel:
        rows.append((what, f"{n}", f"{n / w:,.0f}", "", f"{n / w / (cwords / tw):.1%}",
                     "yes" if n / w >= GOAL_WORDS_PER_S else "no"))
    rows.append(("spaCy blank('sv') tokenise: clean text", f"{cwords}", f"{cwords / tw:,.0f}", f"{cwords / tc:,.0f}"))
    rows.append(("clean(): clean text", f"{cwords}", f"{cwords / cw:,.0f}", f"{cwords / cc:,.0f}"))
    rows.append(("restore only: clean text", f"{cwords}", f"{cwords / rw:,.0f}", f"{cwords / rc:,.0f}"))

    from pipeline import _native

    decoder, why = _native.c_decoder_status()
    print(f"\nlost-letter restorer: {_native.implementation(restore)} "
          f"({_native.twin_status('pipeline.restore')[1]}); its decoder: "
          f"{'C' if decoder is not None else 'Python'} ({why})")
    print(f"one-off: import + lexicon load {import_wall:.2f} s (lexicon {lex_wall:.2f} s wall, "
          f"{lex_cpu:.2f} s CPU)\n")
    head = ("what", "words", "words/s (wall)", "words/s (CPU)", "of tokeniser", f"≥ {GOAL_WORDS_PER_S:,}")
    rows = [r + ("",) * (len(head) - len(r)) for r in rows]
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    print("  ".join(h.ljust(widths[i]) if i == 0 else h.rjust(widths[i]) for i, h in enumerate(head)))
    for r in rows:
        print("  ".join(v.ljust(widths[i]) if i == 0 else v.rjust(widths[i]) for i, v in enumerate(r)))
    print(f"\nwords: of the undamaged text. 'of tokeniser': CPU words/s (wall for the rows in several "
          f"processes) as a share of spaCy's on clean text in this run, in one process; the goal of "
          f"{GOAL_WORDS_PER_S:,} words/s is {GOAL_WORDS_PER_S / (cwords / tc):.1%} of it on this machine.")
    print(f"\nclean text, {chars / 1e6:.2f} M characters: clean() takes {cw / tw:.0%} of spaCy's "
          f"tokenisation time (CPU {cc / tc:.0%}); goal < 50 %. The restorer alone: {rw / tw:.1%}.")
    print(f"spaCy tokenises {chars / tw / 1e6:.2f} M chars/s here; clean() runs at {chars / cw / 1e6:.2f} M chars/s.")

    # -- CER table -------------------------------------------------------------------------
    ref = REFERENCE.read_text(encoding="utf-8")
    b, n = char_errors(raw, ref)
    a, _ = char_errors(clean(raw).text, ref)
    lines = ["| text | lost-'a' rate | CER before | CER after | reduction |",
             "| --- | ---: | ---: | ---: | ---: |",
             f"| corpus 004 vs its hand-corrected text (in-sample: the rules were written reading it) "
             f"| (real OCR) | {b / n:.2%} | {a / n:.2%} | {1 - a / b:.1%} |"]
    development = development_texts("cd")
    for label, texts_ in (("simulated, on the tests' text + 000/001/003 (in-sample)", truths),
                          (f"simulated, on development documents c*–d* ({len(development)})", development)):
        for rate in RATES:
            before = after = total = 0
            for i, t in enumerate(texts_):
                d = simulate_damage(t, rate, seed=1000 + i)
                x, m = char_errors(d, t)
                y, _ = char_errors(clean(d).text, t)
                before, after, total = before + x, after + y, total + m
            lines.append(f"| {label} | {rate:.0%} | {before / total:.2%} | "
                         f"{after / total:.2%} | {1 - after / before:.1%} |")
    table = "\n".join(lines) + "\n"
    print("\n" + table)
    if args.readme_table:
        args.readme_table.write_text(table, encoding="utf-8")
        print(f"written to {args.readme_table}")


def _parallel(batch: list[str], workers: int) -> float:
    """Wall seconds to restore ``batch`` in ``workers`` processes, each starting with empty
    caches and the lexicon already loaded (forked after the load, as ingest's workers keep
    theirs); starting the processes is not timed."""
    import multiprocessing

    from pipeline import restore

    restore.reset_caches()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.map(_nothing, range(workers))  # the workers are up
        t = time.perf_counter()
        pool.map(restore.restore_edits, batch, chunksize=1)
        return time.perf_counter() - t


def _nothing(_: int) -> None:
    return None


if __name__ == "__main__":
    main()
