"""Is the restorer's confidence a probability? Measure it, and fit the calibration.

    python benchmarks/calibrate_restorer.py           # the reliability tables
    python benchmarks/calibrate_restorer.py --fit     # refit pipeline/data/lexicon/restore_calibration.json

Candidate repairs are collected with their raw decoder scores (``restore_edits(text,
candidates_from=0.05)``) on texts whose truth is known:

- clean Swedish documents damaged by the simulator (``ocr_damage.simulate_damage``) at
  several rates: a candidate is right where it puts back the letter that was lost;
- the same documents undamaged, and the no-harm set's clean text: every candidate there
  is wrong.

The fitting set is the seed corpus's clean documents (000, 001, 003) and the development
documents a* and b*; the held-out set the development documents c* and d* and the
no-harm files. The calibration is an isotonic (monotone) fit of right-or-wrong on the raw
score over the fitting set, kept as at most 40 points joined by straight lines. The
tables show, for bands of calibrated confidence, how many repairs the restorer would make
with it and how many of those are right, on the held-out set and on corpus document 004
(real OCR damage, never used in fitting).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from ocr_damage import development_texts, simulate_damage  # noqa: E402

from pipeline.read import read  # noqa: E402
from pipeline.restore import restore_edits  # noqa: E402
from pipeline.restore.calibration import MIN_CONFIDENCE, calibrated  # noqa: E402
from pipeline.restore.language import is_swedish  # noqa: E402

RATES = (0.02, 0.05, 0.1, 0.2, 0.4, 0.75)
SEEDS = (1, 2)
FLOOR = 0.05
CALIBRATION = ROOT / "pipeline" / "data" / "lexicon" / "restore_calibration.json"
BANDS = ((0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 0.99), (0.99, 1.0001))


def sets() -> tuple[list[str], list[str], list[str]]:
    """(fitting texts, held-out texts, held-out clean-only texts)."""
    seed = [ROOT / "corpus" / f"{n}.txt" for n in ("000_c03b254d8a1ffbd1", "001_46e52080158721e0",
                                                   "003_82a5e966af9e9f59")]
    fit = [t for t in (read(p).text for p in seed) if is_swedish(t)] + development_texts("ab")
    held = development_texts("cd")
    noharm = [read(p).text for p in sorted((ROOT / "tests" / "data" / "noharm").glob("*.txt"))]
    return fit, held, noharm


def candidates(texts: list[str], clean_only: list[str] = ()) -> list[tuple[float, bool]]:
    """(raw score, right) of every candidate repair."""
    out = []
    for k, truth in enumerate(texts):
        for rate in RATES:
            for seed in SEEDS:
                damaged = simulate_damage(truth, rate, seed=seed * 1000 + k)
                for e in restore_edits(damaged, candidates_from=FLOOR):
                    right = damaged[e.start] != truth[e.start] and truth[e.start] == e.replacement
                    out.append((e.confidence, right))
    for text in list(texts) + list(clean_only):
        out += [(e.confidence, False) for e in restore_edits(text, candidates_from=FLOOR)]
    return out


def isotonic(pairs: list[tuple[float, bool]]) -> list[tuple[float, float, int]]:
    """Pool adjacent violators: (mean score, share right, size) of monotone blocks."""
    blocks: list[list[float]] = []  # [sum of scores, sum right, count]
    for score, right in sorted(pairs):
        blocks.append([score, float(right), 1])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            s, r, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += r
            blocks[-1][2] += c
    return [(s / c, r / c, int(c)) for s, r, c in blocks]


def fit(pairs: list[tuple[float, bool]], most: int = 40) -> list[list[float]]:
    """At most ``most`` points of the isotonic fit (block means joined by straight lines),
    from score 0 to score 1."""
    blocks = isotonic(pairs)
    while len(blocks) > most:  # merge the smallest block into its neighbour
        i = min(range(len(blocks)), key=lambda k: blocks[k][2])
        j = i + 1 if i + 1 < len(blocks) and (i == 0 or blocks[i + 1][2] < blocks[i - 1][2]) else i - 1
        a, b = sorted((i, j))
        (sa, pa, ca), (sb, pb, cb) = blocks[a], blocks[b]
        blocks[a:b + 1] = [((sa * ca + sb * cb) / (ca + cb), (pa * ca + pb * cb) / (ca + cb), ca + cb)]
    points = [[round(s, 4), round(p, 4)] for s, p, _ in blocks]
    if points[0][0] > 0:
        points.insert(0, [0.0, points[0][1]])
    if points[-1][0] < 1:
        points.append([1.0, points[-1][1]])
    return points


def table(title: str, pairs: list[tuple[float, bool]]) -> None:
    """Reliability by band of calibrated confidence."""
    print(f"\n{title}")
    print(f"{'calibrated confidence':>22} {'repairs':>8} {'mean conf.':>10} {'right':>7}")
    made = right_made = 0
    gap = 0.0
    for lo, hi in BANDS:
        band = [(calibrated(s), r) for s, r in pairs if lo <= calibrated(s) < hi]
        if not band:
            print(f"{lo:>10.2f} – {min(hi, 1.0):<9.2f} {0:8d} {'–':>10} {'–':>7}")
            continue
        mean = sum(c for c, _ in band) / len(band)
        share = sum(r for _, r in band) / len(band)
        made += len(band)
        right_made += sum(r for _, r in band)
        gap += len(band) * abs(mean - share)
        print(f"{lo:>10.2f} – {min(hi, 1.0):<9.2f} {len(band):8d} {mean:10.3f} {share:7.3f}")
    if made:
        print(f"{'repairs made (≥ %.2f)' % MIN_CONFIDENCE:>22} {made:8d} {'':>10} {right_made / made:7.3f}"
              f"   calibration error {gap / made:.3f}")


def real_damage() -> list[tuple[float, bool]]:
    raw = (ROOT / "corpus" / "004_fbc38fc54b4e3b7b.txt").read_text(encoding="utf-8")
    truth = (ROOT / "annotations" / "004_fbc38fc54b4e3b7b.corrected.txt").read_text(encoding="utf-8")
    return [(e.confidence, raw[e.start] != truth[e.start] and truth[e.start] == e.replacement)
            for e in restore_edits(raw, candidates_from=FLOOR)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit", action="store_true", help="refit the calibration on the fitting set and write it")
    args = ap.parse_args()
    fitting, held, noharm = sets()
    if args.fit:
        pairs = candidates(fitting)
        points = fit(pairs)
        text = json.dumps({
            "source": ("Fitted by benchmarks/calibrate_restorer.py --fit: an isotonic fit of right-or-wrong on "
                       f"the decoder's raw score, over {len(pairs)} candidate repairs (raw score ≥ {FLOOR}) in the "
                       "seed corpus's clean documents 000, 001, 003 and the development documents a* and b*, "
                       f"damaged by the simulator at rates {', '.join(str(r) for r in RATES)} (seeds "
                       f"{', '.join(str(s) for s in SEEDS)}) and undamaged"),
            "points": points}, ensure_ascii=False, indent=1)
        # one point a line
        text = text.replace("[\n   ", "[").replace(",\n   ", ", ").replace("\n  ]", "]")
        CALIBRATION.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {CALIBRATION.relative_to(ROOT)}: {len(points)} points from {len(pairs)} candidates")
        return
    table(f"held-out: development documents c*, d* ({len(held)}), simulated damage at "
          f"{', '.join(f'{r:.0%}' for r in RATES)}, and clean text", candidates(held, noharm))
    table("real damage: corpus document 004 against its hand-corrected text", real_damage())


if __name__ == "__main__":
    main()
