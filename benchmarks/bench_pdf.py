"""PDF reader throughput: pages per second of ``pipeline.pdf.read_pdf`` with each page
reader against plain pdfplumber ``extract_text()`` on the same file, and the time of a
whole ``namnd extract`` of that file, measured in the same run.

    python benchmarks/bench_pdf.py                 # an 80-page PDF made from the corpus texts
    python benchmarks/bench_pdf.py --pdf FILE      # your own PDF
    python benchmarks/bench_pdf.py --repeat 5      # medians of 5 runs (default 3)
    python benchmarks/bench_pdf.py --no-command    # only the readers, no `namnd extract`
    python benchmarks/bench_pdf.py --ocr 4         # also OCR 4 pages rendered to images

The generated file is made with fpdf2 by ``tests/fixtures/pdf/make_pdfs.py``: the corpus
reports one after another, with a bold title and headings, a running header, a page
number in the footer ("Sid 3 av 80") and words hyphenated at line ends. On that file:

1. ``extract_text``  pdfplumber's ``page.extract_text()`` for every page: the baseline;
2. ``pdfplumber``    ``read_pdf(..., reader="pdfplumber")``: our layout reader on pdfminer;
3. ``pdfium``        ``read_pdf(..., reader="pdfium")``: the same layout stage on PDFium's
                     text API (``pipeline/pdfium_reader.py``);
4. ``pdfium text``   pypdfium2's ``get_text_range()`` for every page, for information: the
                     text alone, no layout (what reading with PDFium costs at the least);
5. ``namnd extract FILE -o OUT --no-progress --pdf-reader R`` as a subprocess for each
   reader: interpreter start-up, imports, model construction, reading, analysis and
   writing included; its time is set against the baseline's time for the same file;
6. where the time of 5. goes, by phase, in a subprocess that does what ``extract`` does
   (``--phases``): imports, ``Pipeline()``, reading, analysis and the record, JSON.

Runs alternate between the readers; figures are medians of ``--repeat`` runs (the best
is shown beside). Goals: the PDFium reader at least 10 times the pages per second of
``extract_text()``; the pdfplumber reader (the fallback) in at most 1.5 times
``extract_text()``'s time; a whole ``namnd extract`` in at most 0.4 of ``extract_text()``'s time.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import find_namnd  # noqa: E402 - the benchmarks folder is on the path when run as a script

READERS = ("pdfium", "pdfplumber")
TARGET_READER = 10.0  # PDFium reader pages/s ≥ 10 × extract_text's
TARGET_FALLBACK = 1.5  # pdfplumber reader time ≤ 1.5 × extract_text's
TARGET_COMMAND = 0.4  # whole `namnd extract` time ≤ 0.4 × extract_text's


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


def ours(path: Path, reader: str) -> int:
    from pipeline.pdf import read_pdf

    return len(read_pdf(path.read_bytes(), str(path), "bench", reader=reader).text)


def pdfium_text(path: Path) -> int:
    import pypdfium2 as pdfium

    chars = 0
    doc = pdfium.PdfDocument(str(path))
    try:
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            chars += len(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        doc.close()
    return chars


def run_command(namnd: str, path: Path, out: Path, reader: str) -> float:
    """Wall seconds of ``namnd extract PATH -o OUT --no-progress --pdf-reader READER``."""
    cmd = [namnd, "extract", str(path), "-o", str(out), "--no-progress", "--pdf-reader", reader]
    t = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - t
    if proc.returncode != 0 or not list(out.glob("*.json")):
        sys.stderr.write(proc.stderr[-2000:])
        raise SystemExit("namnd extract failed: " + " ".join(cmd))
    return seconds


def run_phases(path: Path, reader: str) -> dict[str, float]:
    """The phases of an extract, timed in a fresh interpreter (``--phases``)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--phases", str(path), "--reader", reader]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-2000:])
        raise SystemExit("phases run failed: " + " ".join(cmd))
    return json.loads(proc.stdout.strip().splitlines()[-1])


def phases_main(path: Path, reader: str) -> None:
    """What ``namnd extract`` does for one file, each phase timed; prints one JSON object."""
    t0 = time.perf_counter()
    import pipeline.cli  # noqa: F401 - the command's own imports
    from pipeline.core import Pipeline
    from pipeline.read import read

    t1 = time.perf_counter()
    pipe = Pipeline()
    t2 = time.perf_counter()
    raw = read(path, pdf_reader=reader)
    t3 = time.perf_counter()
    record = pipe._finish(pipe._prepare(raw))
    t4 = time.perf_counter()
    record.model_dump_json()
    t5 = time.perf_counter()
    print(json.dumps({"imports": t1 - t0, "Pipeline()": t2 - t1, "read": t3 - t2, "analysis": t4 - t3,
                      "JSON": t5 - t4}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdf", type=Path, help="a PDF to measure (default: a generated 80-page PDF)")
    parser.add_argument("--pages", type=int, default=80, help="pages of the generated PDF")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-command", action="store_true", help="skip the `namnd extract` subprocesses")
    parser.add_argument("--ocr", type=int, default=0, metavar="N", help="also OCR N pages rendered to images")
    parser.add_argument("--phases", type=Path, metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--reader", choices=READERS, default="pdfium", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phases:
        phases_main(args.phases, args.reader)
        return 0
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    if load > 0.5:
        print(f"note: load average {load:.2f} at start: other processes are using the CPUs, figures will be noisy")

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
        runs = {"extract_text": plain, "pdfplumber": functools.partial(ours, reader="pdfplumber"),
                "pdfium": functools.partial(ours, reader="pdfium"), "pdfium text": pdfium_text}
        ours(path, "pdfium")  # PDFium's library and our module loaded before the clock runs
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.repeat):
            for name, fn in runs.items():
                t = time.perf_counter()
                fn(path)
                times[name].append(time.perf_counter() - t)
        base = statistics.median(times["extract_text"])
        print(f"{path.name}: {pages} pages, {args.repeat} runs each, alternating")
        print(f"  {'reader':13s} {'pages/s':>8s} {'(best)':>8s}   {'× extract_text':>14s}")
        for name, ts in times.items():
            median = statistics.median(ts)
            print(f"  {name:13s} {pages / median:8.1f} {pages / min(ts):8.1f}   {base / median:13.2f}×")
        ratio = base / statistics.median(times["pdfium"])
        print(f"  PDFium reader: {ratio:.1f}× the pages/s of extract_text (goal ≥ {TARGET_READER:g}×)")
        fallback = statistics.median(times["pdfplumber"]) / base
        print(f"  pdfplumber reader: {fallback:.2f} of extract_text's time (goal ≤ {TARGET_FALLBACK:g})")

        if not args.no_command:
            namnd = find_namnd()
            command: dict[str, list[float]] = {reader: [] for reader in READERS}
            for k in range(args.repeat):
                for reader in READERS:
                    command[reader].append(run_command(namnd, path, Path(tmp) / f"out-{reader}-{k}", reader))
            print(f"namnd extract of {path.name} (whole process, median of {args.repeat}); "
                  f"extract_text takes {base:.2f} s")
            for reader in READERS:
                seconds = statistics.median(command[reader])
                print(f"  --pdf-reader {reader:10s} {seconds:6.2f} s   {seconds / base:.2f} of extract_text's time")
            print(f"  goal: ≤ {TARGET_COMMAND:g} of extract_text's time")
            for reader in READERS:
                phases = [run_phases(path, reader) for _ in range(args.repeat)]
                medians = {name: statistics.median(p[name] for p in phases) for name in phases[0]}
                total = sum(medians.values())
                shown = "  ".join(f"{name} {seconds:.2f}" for name, seconds in medians.items())
                print(f"  where the time goes, {reader:10s}: {shown}  (sum {total:.2f} s)")

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
