"""How much harm the cleaner does to clean text: the words it changes.

``python benchmarks/noharm.py [FOLDER ...]`` cleans every ``.txt`` file of each folder
(default: tests/data/noharm_holdout/, the held-out no-harm text) and prints, per file, its
words, the words cleaning changed and the changes. tests/test_noharm.py asserts the same
count on tests/data/noharm/ and the development set.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipeline.clean import clean  # noqa: E402
from pipeline.read import read  # noqa: E402


def changed_words(path: Path) -> tuple[int, int, list[str]]:
    """(words of the file as read, of them changed by cleaning, the changes). Page
    furniture the reader removes on purpose (page markers, running headers) does not
    count."""
    raw = read(path)
    text = raw.text
    for start, end in sorted(raw.furniture, reverse=True):
        text = text[:start] + text[end:]
    cleaned = clean(raw.text, raw.furniture).text
    before, after = text.split(), cleaned.split()
    changes = []
    changed = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op in ("replace", "delete"):
            changed += i2 - i1
            changes.append(f"{' '.join(before[i1:i2])!r} → {' '.join(after[j1:j2])!r}")
    return len(before), changed, changes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", type=Path, default=[ROOT / "tests" / "data" / "noharm_holdout"])
    ap.add_argument("--examples", type=int, default=5, help="changes shown per file")
    args = ap.parse_args()
    total_words = total_changed = 0
    print(f"{'file':40} {'words':>6} {'changed':>7} {'per 10,000':>10}")
    for folder in args.folders:
        for path in sorted(folder.glob("*.txt")):
            words, changed, changes = changed_words(path)
            total_words, total_changed = total_words + words, total_changed + changed
            print(f"{path.name:40} {words:6d} {changed:7d} {changed / max(words, 1) * 10_000:10.1f}")
            for c in changes[:args.examples]:
                print(f"    {c}")
    print(f"{'all':40} {total_words:6d} {total_changed:7d} {total_changed / max(total_words, 1) * 10_000:10.1f}")


if __name__ == "__main__":
    main()
