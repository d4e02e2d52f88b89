"""How much citation extraction adds to spaCy tokenisation of the same text.

    python benchmarks/bench_citations.py [--docs 200] [--repeat 5]

Reads the corpus, multiplies it to --docs texts, and times in the same run:
spaCy tokenisation alone (``spacy.blank("sv")``), the citation finder on the same texts
(``pipeline.finders.laws``: mentions, provisions, resolution), and the finder wrapped as
the ``namnd_laws`` spaCy component (finder plus span groups on the Doc). Prints the
medians and the ratios to tokenisation; the target is under 10 %.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import spacy

from pipeline.analyse import build_nlp
from pipeline.finders.laws import default_finder
from timing import median_cpu_seconds  # beside this script

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    base = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    texts = [base[i % len(base)] + f"\n\n{i}" for i in range(args.docs)]
    chars = sum(map(len, texts))

    tokenizer = spacy.blank("sv")
    finder = default_finder()
    nlp = build_nlp()
    law_component = nlp.get_pipe("namnd_laws")
    docs = [tokenizer.make_doc(t) for t in texts]
    for d, t in zip(docs, texts):
        d._.namnd_text = t
    finder.find(texts[0], "2023-01-01")  # compile and warm the patterns once

    def timed(fn) -> float:
        return median_cpu_seconds(fn, args.repeat)

    tok = timed(lambda: [tokenizer.make_doc(t) for t in texts])
    find = timed(lambda: [finder.find(t, "2023-01-01") for t in texts])
    comp = timed(lambda: [law_component(d) for d in docs])
    found = sum(len(finder.find(t, "2023-01-01")) for t in texts)
    print(f"{args.docs} documents, {chars:,} characters, {found} citations; CPU seconds, median of {args.repeat}")
    print(f"{'stage':34} {'seconds':>8} {'chars/s':>12} {'vs tokenisation':>16}")
    for name, secs in (("spaCy tokenisation (blank sv)", tok), ("citation finder (text → citations)", find),
                       ("namnd_laws component (+ spans)", comp)):
        print(f"{name:34} {secs:8.3f} {chars / secs:12,.0f} {secs / tok:15.1%}")
    print(f"target: citation extraction adds under 10 % → {'met' if comp / tok < 0.10 else 'NOT met'}")


if __name__ == "__main__":
    main()
