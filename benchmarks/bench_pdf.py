"""PDF reader throughput: pages per second of ``pipeline.pdf.read_pdf`` against plain
pdfplumber ``extract_text()`` on the same file, measured in the same run.

    python benchmarks/bench_pdf.py                 # a 100-page PDF made from the corpus texts
    python benchmarks/bench_pdf.py --pdf FILE      # your own PDF
    python benchmarks/bench_pdf.py --ocr 4         # also OCR 4 pages rendered to images

The generated file is made with fpdf2 by ``tests/fixtures/pdf/make_pdfs.py`` (headings,
running header, page numbers, hyphenation). Runs alternate between the two readers;
the best and the median of ``--repeat`` runs are printed. The goal: our
reader takes at most 1.5× the time of ``extract_text()``.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


@functools.lru_cache(maxsize=1)
def _make_pdfs():
    """The tests' PDF generator (loaded once)."""
    spec = importlib.util.spec_from_file_location("make_pdfs", ROOT / "tests" / "fixtures" / "pdf" / "make_pdfs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_pdfs", module)
    spec.loader.exec_module(module)
    return module


def plain(path: Path) -> int:
    import pdfplumber

    chars = 0
    with pdfplumber.open(path) as doc:
        for page in doc.pages:
            chars += len(page.extract_text() or "")
            page.close()
    return chars


def ours(path: Path) -> int:
    from pipeline.pdf import read_pdf

    return len(read_pdf(path.read_bytes(), str(path), "bench").text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdf", type=Path, help="a PDF to measure (default: a generated 100-page PDF)")
    parser.add_argument("--pages", type=int, default=100, help="pages of the generated PDF")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ocr", type=int, default=0, metavar="N", help="also OCR N pages rendered to images")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = args.pdf
        if path is None:
            path = Path(tmp) / "bench.pdf"
            _make_pdfs().long_pdf(path, args.pages)
        import pdfplumber

        with pdfplumber.open(path) as doc:
            pages = len(doc.pages)
        from pipeline.pdf import _lexicon

        _lexicon()  # the Swedish word list is loaded once per process, not per file
        times: dict[str, list[float]] = {"extract_text": [], "namnd": []}
        for _ in range(args.repeat):
            for name, fn in (("extract_text", plain), ("namnd", ours)):
                t = time.perf_counter()
                fn(path)
                times[name].append(time.perf_counter() - t)
        print(f"{path.name}: {pages} pages, {args.repeat} runs each, alternating")
        for name, ts in times.items():
            print(f"  {name:13s} best {pages / min(ts):6.1f} pages/s   median {pages / statistics.median(ts):6.1f} pages/s")
        ratio = min(times["namnd"]) / min(times["extract_text"])
        print(f"  time ratio namnd / extract_text (best): {ratio:.2f}  (goal ≤ 1.5)")

        if args.ocr:
            from pipeline import ocr
            from pipeline.read import read

            ok, why = ocr.status()
            if not ok:
                print(f"OCR: skipped, {why}")
                return 0
            scan = Path(tmp) / "scan.pdf"
            _make_pdfs().scanned_pdf(path, scan, list(range(min(args.ocr, pages))))
            t = time.perf_counter()
            raw = read(scan)
            dt = time.perf_counter() - t
            print(f"OCR: {raw.pages} pages in {dt:.1f} s = {raw.pages / dt:.2f} pages/s "
                  f"({ocr.default_workers()} Tesseract processes, OMP_THREAD_LIMIT=1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
