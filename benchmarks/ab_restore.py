#!/usr/bin/env python
"""Two versions of the lost-letter restorer, compiled and timed in turns (run by hand).

    python benchmarks/ab_restore.py HEAD~1            # that commit against the working tree
    python benchmarks/ab_restore.py HEAD~3 HEAD --rounds 8
    python benchmarks/ab_restore.py HEAD --plain      # plain Python instead of mypyc and C

On a shared machine, the speed of one run drifts by ±10 % within minutes. Two versions
timed one after the other can differ by more than a change is worth. Here each version is
built into a folder of its own, from that revision's restorer (the package pipeline/restore/,
or the single module pipeline/restore.py of revisions before it), its C decoder _decode.c
and the build that goes with them (setup.py, pipeline/_native.py), the way that setup.py
builds it; the rest of the pipeline is the working tree's. The two run in turns: A, B, A,
B, ... Each run times corpus document 004 with every cache emptied
("cold") and again with its caches warm ("warm"), and a batch of twelve texts damaged as
heavily as 004 (``simulate_damage`` of ocr_damage.py at 75 %, as in bench_clean.py; the
same batch for both versions) with every cache emptied
("heavy"), in CPU seconds. The script then prints the median of each and whether both
versions made the same repairs, with the same confidences, on 004 and on the batch.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

# 004 and its reference, and the clean texts the heavy batch is made from, in
# bench_clean.py's order
from bench_clean import CLEAN_FILES, DAMAGED as DOC, REFERENCE

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# one timing run in a fresh process: prints "cold warm heavy" seconds, then 004's and the
# heavy batch's "repairs/confidences" as short hashes
_RUN = r"""
import hashlib, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[2]]  # the version's tree, then this folder
from pipeline import _native, restore
from ocr_damage import simulate_damage
want = sys.argv[4]
got = _native.implementation(restore)
if got != want:
    sys.exit(f"expected the {want} restorer, got {got}: {_native.twin_status('pipeline.restore')[1]}")
raw = open(sys.argv[3], encoding="utf-8").read()
restore.lexicon()
cold, warm = [], []
for _ in range(3):
    restore.reset_caches()
    t = time.process_time(); edits = restore.restore_edits(raw); cold.append(time.process_time() - t)
for _ in range(10):
    t = time.process_time(); restore.restore_edits(raw); warm.append(time.process_time() - t)
texts = [open(p, encoding="utf-8").read() for p in sys.argv[5:]]
batch = [simulate_damage(t, 0.75, seed=s * 100 + i) for s in range(3) for i, t in enumerate(texts)]
restore.reset_caches()
t = time.process_time(); batch_edits = [restore.restore_edits(d) for d in batch]; heavy = time.process_time() - t

def prints(edits):
    what = hashlib.sha256(repr([(e.start, e.replacement, e.kind) for e in edits]).encode()).hexdigest()[:8]
    sure = hashlib.sha256(repr([e.confidence for e in edits]).encode()).hexdigest()[:8]
    return f"{what}/{sure}"

c_decoder = "C-decoder" if getattr(restore.lexicon(), "native", None) is not None else "no-C-decoder"
print(sorted(cold)[1], sorted(warm)[5], heavy, prints(edits), prints([e for es in batch_edits for e in es]),
      c_decoder)
"""


#: the restorer and its build, taken from the revision being timed: the package or the
#: single module (whichever the revision has), the C decoder (revisions before it had none),
#: the import finder that picks the compiled build and setup.py that makes it
RESTORER = ("pipeline/restore", "pipeline/restore.py", "pipeline/_decode.c", "pipeline/_native.py", "setup.py")


def restorer_at(rev: str | None) -> dict[str, bytes]:
    """The files of :data:`RESTORER` at ``rev`` (None: the working tree), by path."""
    if rev is None:
        paths = []
        for name in RESTORER:
            path = ROOT / name
            paths += sorted(path.glob("*.py")) if path.is_dir() else [path] if path.exists() else []
        return {p.relative_to(ROOT).as_posix(): p.read_bytes() for p in paths}
    listed = subprocess.run(["git", "ls-tree", "-r", "--name-only", rev, "--", *RESTORER], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    return {name: subprocess.run(["git", "show", f"{rev}:{name}"], cwd=ROOT, capture_output=True,
                                 check=True).stdout
            for name in listed if name.endswith((".py", ".c"))}


def build(tree: Path, files: dict[str, bytes], compiled: bool) -> None:
    """The pipeline in ``tree`` with the restorer's ``files``, compiled unless plain."""
    pkg = tree / "pipeline"
    pkg.mkdir(parents=True)
    own = {Path(name).name for name in RESTORER}
    for item in (ROOT / "pipeline").iterdir():
        if (item.name in own or item.name == "__pycache__" or item.name.startswith("_restore_native")
                or item.name.startswith("_decode.")):
            continue
        os.symlink(item, pkg / item.name)
    # a revision without an import finder of its own uses the working tree's
    files = {"pipeline/_native.py": (ROOT / "pipeline" / "_native.py").read_bytes(), **files}
    for name, data in files.items():
        path = tree / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if compiled:
        if "setup.py" not in files:
            shutil.copy2(ROOT / "setup.py", tree / "setup.py")
        subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"], cwd=tree,
                       check=True, capture_output=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a", help="git revision of version A")
    ap.add_argument("b", nargs="?", help="git revision of version B (default: the working tree)")
    ap.add_argument("--rounds", type=int, default=6, help="runs of each version, in turns")
    ap.add_argument("--plain", action="store_true", help="time plain Python, not the compiled module")
    args = ap.parse_args()

    want = "plain Python" if args.plain else "compiled"
    env = dict(os.environ)
    if args.plain:
        env["NAMND_PURE_PYTHON"] = "1"
    with tempfile.TemporaryDirectory(prefix="namnd-ab-") as tmp:
        trees = {}
        for name, rev in (("A", args.a), ("B", args.b)):
            trees[name] = Path(tmp) / name
            print(f"building {name} ({rev or 'working tree'}) ...", file=sys.stderr)
            build(trees[name], restorer_at(rev), compiled=not args.plain)
        results: dict[str, list[tuple[float, float, str]]] = {"A": [], "B": []}
        for _ in range(args.rounds):
            for name in ("A", "B"):
                proc = subprocess.run([sys.executable, "-c", _RUN, str(trees[name]), str(HERE), str(DOC), want,
                                       *map(str, CLEAN_FILES)], capture_output=True, text=True, env=env)
                if proc.returncode != 0:
                    sys.exit(f"version {name} failed:\n{proc.stderr[-3000:]}")
                out = proc.stdout.split()
                results[name].append((float(out[0]), float(out[1]), float(out[2]), out[3], out[4], out[5]))
    # words of the undamaged text (004: its hand-corrected reference): a damaged text splits
    # into more whitespace tokens than it has words
    words = len(REFERENCE.read_text(encoding="utf-8").split())
    heavy_words = 3 * sum(len(p.read_text(encoding="utf-8").split()) for p in CLEAN_FILES)
    print(f"\n{want} restorer, median of {args.rounds} runs in turns, CPU s; words of the undamaged text: "
          f"corpus 004 ({words} words) cold and warm; heavy = 12 texts at 75 % simulated damage ({heavy_words} words), cold")
    print(f"{'':4}{'cold s':>9}{'words/s':>10}{'warm s':>9}{'words/s':>10}{'heavy s':>9}{'words/s':>10}"
          "  004 / heavy: repairs/confidences")
    medians = {}
    for name, rev in (("A", args.a), ("B", args.b or "working tree")):
        cold, warm, heavy = (statistics.median(r[i] for r in results[name]) for i in range(3))
        medians[name] = (cold, warm, heavy)
        seen = {f"{r[3]} / {r[4]}, {r[5]}" for r in results[name]}
        print(f"{name:<4}{cold:9.4f}{words / cold:10,.0f}{warm:9.4f}{words / warm:10,.0f}"
              f"{heavy:9.3f}{heavy_words / heavy:10,.0f}  {', '.join(sorted(seen))}  ({rev})")
    (ca, wa, ha), (cb, wb, hb) = medians["A"], medians["B"]
    print(f"B/A time: cold {cb / ca:.3f}, warm {wb / wa:.3f}, heavy {hb / ha:.3f}")
    # on a machine shared with others a run is only ever slowed down: the fastest run of
    # each is the steadier comparison when the medians jump about
    fastest = {n: [min(r[i] for r in results[n]) for i in range(3)] for n in ("A", "B")}
    print("B/A time, fastest runs: " + ", ".join(
        f"{label} {fastest['B'][i] / fastest['A'][i]:.3f}" for i, label in enumerate(("cold", "warm", "heavy"))))
    for label, col in (("004", 3), ("heavy batch", 4)):
        (a_what, a_sure), (b_what, b_sure) = (results[n][0][col].split("/") for n in ("A", "B"))
        print(f"{label}: " + ("the same repairs" if a_what == b_what else "the repairs DIFFER") + ", "
              + ("the same confidences" if a_sure == b_sure else "other confidences"))


if __name__ == "__main__":
    main()
