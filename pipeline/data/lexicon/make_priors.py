"""Recompute damage_priors.json: the frequencies of the restorer's lost letters in Swedish.

    python pipeline/data/lexicon/make_priors.py

Each letter's share among the letters the restorer considers (lower case a, g, d, m;
upper case A, I, G, D, M), counted over wordfreq's Swedish list with each word weighted by
its frequency.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from wordfreq import get_frequency_dict

HERE = Path(__file__).resolve().parent


def main() -> None:
    counts: Counter[str] = Counter()
    for word, freq in get_frequency_dict("sv", "large").items():
        for ch in word:
            counts[ch] += freq
    path = HERE / "damage_priors.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for key, letters in (("lower", "agdm"), ("upper", "aigdm")):
        total = sum(counts[ch] for ch in letters)
        data[key] = {(ch.upper() if key == "upper" else ch): round(counts[ch] / total, 3) for ch in letters}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(data["lower"], data["upper"])


if __name__ == "__main__":
    main()
