"""Does the time to extract one document grow linearly with its size?

    python benchmarks/bench_scale.py [--sizes 1 5] [--repeat 3]

Builds one text per size (in millions of characters) by joining the documents of
``corpus/`` and ``corpus/dev/`` over and over, extracts each with the library
(``Pipeline().extract_text``) and, in the same run, tokenises it with plain
``spacy.blank("sv")`` as the baseline. Prints CPU seconds (median), characters per
second, and each size's time as a multiple of the smallest size's time, beside the
multiple that linear growth would give. A stage that scans the whole text for every
match shows up here as a multiple well above the linear one.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import spacy

from pipeline import Pipeline
from pipeline.read import read
from timing import median_cpu_seconds  # beside this script

ROOT = Path(__file__).resolve().parent.parent


def documents() -> list[str]:
    paths = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "corpus" / "dev").glob("*.txt"))
    return [read(path).text for path in paths]  # decoded as the pipeline decodes them


def text_of(size: int, parts: list[str]) -> str:
    out, n, i = [], 0, 0
    while n < size:
        out.append(parts[i % len(parts)])
        n += len(out[-1]) + 2
        i += 1
    return "\n\n".join(out)[:size]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 5], help="sizes in millions of characters")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    parts = documents()
    pipeline = Pipeline()
    tokenizer = spacy.blank("sv")
    tokenizer.max_length = 10 ** 8

    def timed(fn) -> float:
        return median_cpu_seconds(fn, args.repeat)

    pipeline.extract_text(text_of(50_000, parts))  # warm caches and lazily built tables
    rows = []
    for size in args.sizes:
        text = text_of(int(size * 1_000_000), parts)
        rows.append((size, len(text), timed(lambda: pipeline.extract_text(text)),
                     timed(lambda: tokenizer.make_doc(text))))
    first = rows[0]
    print(f"{len(parts)} documents joined; CPU seconds, median of {args.repeat}")
    print(f"{'size':>8} {'namnd s':>8} {'chars/s':>10} {'× smallest':>10} {'linear':>7} "
          f"{'spaCy tok s':>11} {'× smallest':>10} {'namnd/tok':>9}")
    for size, chars, secs, tok in rows:
        print(f"{size:6.1f} M {secs:8.2f} {chars / secs:10,.0f} {secs / first[2]:10.2f} {size / first[0]:7.2f} "
              f"{tok:11.2f} {tok / first[3]:10.2f} {secs / tok:9.2f}")


if __name__ == "__main__":
    main()
