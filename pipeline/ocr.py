"""OCR of PDF pages that have no text layer: Tesseract with its Swedish model.

Pages are rendered with pypdfium2 (pdfplumber's own renderer) at 300 dpi in the calling
thread (a page too large for that within the pixel limit at a lower resolution, see
:func:`render_dpi`), and each rendered page is recognised by its own ``tesseract``
process with ``OMP_THREAD_LIMIT=1``: Tesseract's OpenMP threads make one page *slower*
on a small machine (≈ 20 s instead of ≈ 2 s per page on 2 cores), so the parallelism is
across pages, one process per core.

Tesseract's hOCR output gives each line with its box, its estimated text size
(``x_size``) and its paragraph; :func:`ocr_pdf_pages` returns the lines in points, in
page coordinates, so the PDF reader treats them like the lines of a text layer
(running headers, headings by size, reflow, hyphenation). The text then goes through
the cleaner like any damaged text.

Needs the Debian packages ``tesseract-ocr`` and ``tesseract-ocr-swe`` (or any
Tesseract ≥ 4 with ``swe.traineddata``); :func:`status` says what is missing.
``NAMND_TESSERACT`` names another binary, ``NAMND_OCR_LANG`` another model
(for example ``swe+eng``), ``NAMND_OCR_WORKERS`` the number of parallel pages.
"""

from __future__ import annotations

import html
import math
import os
import re
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional

LANGUAGE = os.environ.get("NAMND_OCR_LANG", "swe")
DPI = 300
#: seconds one page may take in Tesseract
PAGE_TIMEOUT = 180.0
#: how the reason of a page refused for its size begins
TOO_LARGE = "too large to OCR"


@dataclass
class OcrLine:
    """One line Tesseract found, in PDF points (origin top left)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    confidence: float
    paragraph: int = 0


def tesseract_binary() -> Optional[str]:
    return os.environ.get("NAMND_TESSERACT") or shutil.which("tesseract")


@lru_cache(maxsize=8)
def _languages(binary: str) -> frozenset[str]:
    try:
        done = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    lines = (done.stdout + "\n" + done.stderr).splitlines()
    return frozenset(l.strip() for l in lines if l.strip() and " " not in l.strip() and not l.endswith(":"))


def status(language: Optional[str] = None) -> tuple[bool, str]:
    """(True, "") when OCR can run; else (False, why not — a sentence for the user)."""
    language = language or LANGUAGE
    binary = tesseract_binary()
    if not binary:
        return False, "Tesseract is not installed (Debian: apt-get install tesseract-ocr tesseract-ocr-swe)"
    have = _languages(binary)
    missing = [l for l in language.split("+") if l not in have]
    if missing:
        return False, (f"Tesseract has no model for {'+'.join(missing)!r} "
                       f"(Debian: apt-get install tesseract-ocr-{missing[0]})")
    return True, ""


def default_workers() -> int:
    try:
        n = int(os.environ.get("NAMND_OCR_WORKERS", "0"))
    except ValueError:
        n = 0
    if n > 0:
        return n
    from pipeline.resources import usable_cpus

    return usable_cpus()


def render_dpi(width: float, height: float, dpi: float = DPI, max_pixels: Optional[int] = None) -> Optional[float]:
    """The resolution a page of ``width`` × ``height`` points is rendered at for OCR:
    ``dpi``, or lower where that would make more than ``max_pixels`` pixels (so the image
    fits the limit); None where even :data:`~pipeline.limits.MIN_OCR_DPI` would not fit
    (or the size is no size), and the page is not rendered."""
    from pipeline.limits import MIN_OCR_DPI

    if not (math.isfinite(width) and math.isfinite(height) and width > 0 and height > 0):
        return None
    if max_pixels is None:
        return float(dpi)

    def pixels(d: float) -> int:
        scale = d / 72
        return math.ceil(width * scale) * math.ceil(height * scale)

    chosen = float(dpi)
    if pixels(chosen) > max_pixels:
        chosen = 72 * math.sqrt(max_pixels / (width * height))
        while chosen >= MIN_OCR_DPI and pixels(chosen) > max_pixels:
            chosen *= 0.999  # the pixel edges round up
    return chosen if chosen >= MIN_OCR_DPI else None


def _size_note(width: float, height: float, dpi: float, max_pixels: int, chosen: Optional[float]) -> str:
    from pipeline.limits import MIN_OCR_DPI, OPTION, describe_pixels

    if not (math.isfinite(width) and math.isfinite(height) and width > 0 and height > 0):
        return f"cannot render page: its size is {width:g} × {height:g} pt"
    cm = f"{width / 72 * 2.54:.0f} × {height / 72 * 2.54:.0f} cm"
    limit = f"the limit of {describe_pixels(max_pixels)} per page"
    option = f"see {OPTION['max_page_pixels']}"
    if chosen is None:
        return (f"{TOO_LARGE}: the page is {cm}, and within {limit} it could only be rendered "
                f"at less than {MIN_OCR_DPI:g} dpi ({option})")
    return (f"rendered for OCR at {chosen:.0f} dpi instead of {dpi:g}: the page is {cm}, and at {dpi:g} dpi "
            f"it would exceed {limit} ({option}); small text may be lost")


def ocr_pdf_pages(data: bytes, pages: list[int], *, language: Optional[str] = None, dpi: int = DPI,
                  workers: Optional[int] = None, deadline: Optional[Callable[[], float]] = None,
                  page_timeout: float = PAGE_TIMEOUT, max_pixels: Optional[int] = None,
                  notes: Optional[dict[int, str]] = None) -> dict[int, list[OcrLine] | str]:
    """OCR the given pages (0-based) of a PDF. Returns {page: lines} or {page: error text}.

    ``deadline`` returns the seconds left for the whole file; pages not done by then
    are reported as timed out and their Tesseract processes are killed. ``max_pixels``:
    the most pixels a rendered page may have (see :func:`render_dpi`; default the limit
    of :class:`~pipeline.limits.Limits`); a page rendered at a lower resolution for it
    gets a note in ``notes``, a page that cannot be is reported with a reason beginning
    :data:`TOO_LARGE`.
    """
    import pypdfium2 as pdfium

    from pipeline.limits import Limits

    if max_pixels is None:
        max_pixels = Limits.from_env().max_page_pixels
    language = language or LANGUAGE
    binary = tesseract_binary()
    if not binary:
        return {p: "Tesseract is not installed" for p in pages}
    workers = max(1, min(workers or default_workers(), len(pages)))
    remaining = deadline or (lambda: float("inf"))
    results: dict[int, list[OcrLine] | str] = {}
    procs: set[subprocess.Popen] = set()
    lock = threading.Lock()
    cancelled = threading.Event()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def recognise(index: int, image_path: str, scale: float) -> None:
        if cancelled.is_set():
            results[index] = "cancelled"
            return
        cmd = [binary, image_path, "stdout", "-l", language, "--dpi", f"{72 / scale:.0f}", "--psm", "3", "hocr"]
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        except OSError as exc:
            results[index] = f"cannot run Tesseract: {exc}"
            return
        with lock:
            procs.add(proc)
        try:
            limit = max(1.0, min(page_timeout, remaining()))
            out, err = proc.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            results[index] = "timed out"
            return
        finally:
            with lock:
                procs.discard(proc)
            try:
                os.unlink(image_path)
            except OSError:
                pass
        if cancelled.is_set():
            results[index] = "cancelled"
        elif proc.returncode != 0:
            message = err.decode("utf-8", "replace").strip().splitlines()
            results[index] = f"Tesseract failed: {message[-1] if message else proc.returncode}"
        else:
            results[index] = parse_hocr(out.decode("utf-8", "replace"), scale)

    # A rendered page is an image of several MB on disk until Tesseract has read it: only
    # a few pages ahead of the recognisers are rendered, not the whole document at once.
    ahead = threading.BoundedSemaphore(2 * workers)

    def recognise_then_free(index: int, image_path: str, scale: float) -> None:
        try:
            recognise(index, image_path, scale)
        finally:
            ahead.release()

    with tempfile.TemporaryDirectory(prefix="namnd-ocr-") as tmp, ThreadPoolExecutor(workers) as pool:
        doc = pdfium.PdfDocument(data)
        futures = []
        try:
            for index in pages:
                left = remaining()
                if left <= 0 or not ahead.acquire(timeout=-1 if left == float("inf") else left):
                    results[index] = "timed out"
                    continue
                # render in this thread (pdfium is not thread-safe); recognise in the pool
                page = doc[index]
                try:
                    width, height = page.get_size()
                    chosen = render_dpi(width, height, dpi, max_pixels)
                    if chosen is None or chosen < dpi:
                        note = _size_note(width, height, dpi, max_pixels, chosen)
                        if chosen is None:
                            results[index] = note
                            ahead.release()
                            continue
                        if notes is not None:
                            notes[index] = note
                    bitmap = page.render(scale=chosen / 72, grayscale=True)
                    image = bitmap.to_pil()
                    image_path = os.path.join(tmp, f"page-{index + 1}.pgm")
                    image.save(image_path)
                    del image, bitmap
                except Exception as exc:  # a page pdfium cannot render is reported, not fatal
                    results[index] = f"cannot render page: {exc}"
                    ahead.release()
                    continue
                finally:
                    page.close()
                futures.append(pool.submit(recognise_then_free, index, image_path, 72.0 / chosen))
            for f in futures:
                f.result()
        except BaseException:
            # the file's time ran out (or the run was interrupted): stop every Tesseract
            cancelled.set()
            with lock:
                for proc in list(procs):
                    proc.kill()
            raise
        finally:
            doc.close()
    return results


_HOCR = re.compile(
    r"""<\w+ class=['"](ocr_par|ocr_line|ocr_header|ocr_caption|ocr_textfloat|ocrx_word)['"][^>]*?"""
    r"""title=['"]([^'"]*)['"][^>]*>((?:(?!</?span|</?p\b|</?div).)*)""",
    re.S,
)
_BBOX = re.compile(r"bbox (\d+) (\d+) (\d+) (\d+)")
_XSIZE = re.compile(r"x_size ([\d.]+)")
_WCONF = re.compile(r"x_wconf ([\d.]+)")
_TAG = re.compile(r"<[^>]+>")


def parse_hocr(hocr: str, scale: float) -> list[OcrLine]:
    """Tesseract hOCR → lines in points. ``scale`` = points per pixel (72 / dpi)."""
    out: list[OcrLine] = []
    paragraph = 0
    line: dict | None = None

    def finish() -> None:
        if line and line["words"]:
            x0, top, x1, bottom = line["box"]
            conf = sum(line["conf"]) / len(line["conf"])
            out.append(OcrLine(" ".join(line["words"]), x0 * scale, x1 * scale, top * scale, bottom * scale,
                               line["size"] * scale, conf, line["par"]))

    for m in _HOCR.finditer(hocr):
        kind, title, body = m.groups()
        if kind == "ocr_par":
            paragraph += 1
            continue
        box = _BBOX.search(title)
        if not box:
            continue
        if kind == "ocrx_word":
            text = html.unescape(_TAG.sub("", body)).strip()
            if line is not None and text:
                line["words"].append(text)
                conf = _WCONF.search(title)
                line["conf"].append(float(conf.group(1)) if conf else 0.0)
            continue
        finish()
        x0, top, x1, bottom = (int(v) for v in box.groups())
        size = _XSIZE.search(title)
        line = {"box": (x0, top, x1, bottom), "words": [], "conf": [], "par": paragraph,
                # x_size spans ascenders and descenders: about the font size; without it, the box
                "size": float(size.group(1)) if size else (bottom - top) / 1.15}
    finish()
    return out
