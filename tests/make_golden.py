"""Write tests/golden/<name>.json: a compact summary of each corpus record.

    python tests/make_golden.py          # after an intended change of the output

test_corpus.py compares the pipeline's current output with these files, field by field,
so a change shows up as a readable diff of the summary that moved.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
GOLDEN = Path(__file__).resolve().parent / "golden"


def summarise(record) -> dict:
    """The parts of a record a reader checks first, as plain JSON values."""
    def days(s):
        return [s.days_per_week.min, s.days_per_week.max] if s.days_per_week else None

    summary = {
        "metadata": record.metadata.model_dump(mode="json"),
        "headings": [[s.heading, s.level] for s in record.sections if s.heading],
        "law_citations": [[c.law, c.sfs, c.chapter, c.chapter_end, c.section, c.section_end, c.paragraph, c.point]
                          for c in record.law_citations],
        "districts": [d.name for d in record.districts],
        "lpos": [[l.name, list(l.districts)] for l in record.lpos],
        "staffing": [[s.district, s.lpo, s.role, s.headcount, days(s), s.full_time, s.unit, s.employment]
                     for s in record.staffing],
        "challenges": [[c.category, c.district] for c in record.challenges],
    }
    return json.loads(json.dumps(summary, ensure_ascii=False))


def dumps(summary: dict) -> str:
    """JSON with one list item per line: small files, readable diffs."""
    def one(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    parts = []
    for key, value in summary.items():
        if isinstance(value, list) and value:
            items = ",\n".join(f"  {one(v)}" for v in value)
            parts.append(f" {one(key)}: [\n{items}\n ]")
        else:
            parts.append(f" {one(key)}: {one(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def corpus_paths() -> list[Path]:
    return sorted(CORPUS.glob("*.txt")) + sorted(CORPUS.glob("*.pdf"))


def main() -> int:
    from models import Record
    from pipeline import Pipeline

    GOLDEN.mkdir(exist_ok=True)
    failed = 0
    for path, result in Pipeline().extract_many(corpus_paths()):
        if not isinstance(result, Record):
            print(f"failed  {path}: {result.reason}", file=sys.stderr)
            failed += 1
            continue
        out = GOLDEN / f"{Path(path).stem}.json"
        out.write_text(dumps(summarise(result)), encoding="utf-8")
        print(f"wrote   {out.relative_to(REPO)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
