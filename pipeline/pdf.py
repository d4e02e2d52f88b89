"""PDF reading, keeping the layout signals the later stages need.

Each page's characters are read with their boxes, sizes and fonts, by one of two readers:
PDFium's text API (:mod:`pipeline.pdfium_reader`, the default) or pdfplumber, whose
pdfminer layout (``page.layout``) is walked once per page (:func:`_read_page`). Both give
the same characters, which are grouped into text segments (runs on one baseline,
:func:`_segments_of`); from there on every step is shared: segments into rows, and rows
into lines in reading order:

* two-column regions (a gutter that many rows share, text of column width on both
  sides) are read column by column; ruled tables are kept as tables, one row a line,
  cells separated by `` | `` (and said so in ``warnings``);
* rows at the top and bottom of the pages that repeat on most pages (running headers
  and footers), and page numbers ("Sid 3 av 9", "2 (5)", "3/9", "- 4 -"), are removed
  and reported in ``warnings``;
* font size and weight mark headings: sizes clearly above the body size get levels
  (largest = 1), bold body-size lines the level below; a heading wrapped over two
  lines is one heading; the title (the largest size, only at the top of page 1) gets
  no level. They go to ``RawDocument.heading_hints``;
* hard-wrapped lines are reflowed into paragraphs: a vertical gap, a change of size or
  an indented first line starts a new paragraph (blank line), a line that stops early
  or a list item a new line (address blocks, lists); a paragraph runs on across columns
  and pages; a word hyphenated at a line end is joined where that makes a word
  ("social-|tjänsten"), and keeps its hyphen in compounds ("LVU-|placering",
  "Rinkeby-|Kista", "kultur-|och"), see :func:`join_hyphenated`;
* each page's first character offset goes into ``page_starts``, so every span gets a
  page.

Pages without a text layer are OCR'd (:mod:`pipeline.ocr`); their lines go through the
same steps. Every failure is a :class:`~pipeline.read.ReadError` with a reason: an
encrypted, corrupt, truncated, empty or scanned-but-no-OCR file, or one over a limit of
:class:`~pipeline.limits.Limits` (pages, decompressed streams, time, pages to OCR, a page
too large to OCR), each checked before what it guards is spent.

We walk ``page.layout`` instead of using ``page.chars`` because building pdfplumber's
per-character dictionaries is most of ``extract_text()``'s time; the layout objects hold
the same text, positions, sizes and font names.
"""

from __future__ import annotations

import io
import itertools
import logging
import os
import re
import signal
import threading
import time
from collections import Counter
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator, Optional

from pipeline.inflate import TooLarge, decompression_limit
from pipeline.limits import OPTION, Limits, pdf_reader
from pipeline.pages import page_number_line
from pipeline.read import RawDocument, ReadError
from pipeline.patterns import OPEN_END
from pipeline.resources import WordList, swedish_words

#: the defaults of :class:`~pipeline.limits.Limits` (where all the limits are set)
DEFAULT_MAX_PAGES = Limits.max_pages
#: seconds one PDF may take, OCR included
DEFAULT_TIMEOUT = Limits.timeout
#: pages of one PDF that may be OCR'd
DEFAULT_MAX_OCR_PAGES = Limits.max_ocr_pages

# "Sid 3 av 9", "3 (9)", "3/9", "- 3 -", "Page 3", "(3)", "3": the text exports' grammar
PAGE_NUMBER = page_number_line()

# A line-end hyphen: hyphen-minus, soft hyphen, Unicode hyphen.
_HYPHENS = "-\u00ad\u2010"
_LIST_START = re.compile(r"^(?:\d{1,2}[.)]|[a-zåäö][.)]|[-–•*▪□■●○◦])\s")
# Words after a suspended hyphen: "kultur- och fritidsnämnden", "barn- eller ungdoms…".
_SUSPENDED = frozenset({"och", "eller", "samt", "resp", "respektive", "&"})
# Lower-case prefixes written with a hyphen ("e-post", "it-stöd", "tv-serie").
_HYPHEN_PREFIXES = frozenset({"e", "it", "tv", "pc", "ip", "sms", "mms", "pdf", "wifi", "hbtq", "hbtqi", "lss", "lvu",
                              "lvm", "sol", "lul", "bbic", "sip", "sig", "cd", "dvd", "gps", "usb", "vd", "ekg", "adhd"})
_VOWELS = set("aeiouyåäöéüAEIOUYÅÄÖÉÜ")

_log = logging.getLogger(__name__)

# pdfminer logs a warning for every oddity of a damaged file; the reader reports
# what matters itself.
if logging.getLogger("pdfminer").level == logging.NOTSET:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------

def read_pdf(data: bytes, path: str, digest: str, *, max_pages: Optional[int] = None,
             timeout: Optional[float] = None, ocr: Optional[bool] = None,
             max_ocr_pages: Optional[int] = None, limits: Optional[Limits] = None,
             reader: Optional[str] = None) -> RawDocument:
    """Read one PDF. Raises :class:`ReadError` for anything that is not a readable document.

    ``limits`` defaults to :meth:`Limits.from_env() <pipeline.limits.Limits.from_env>`
    (the defaults, as ``NAMND_PDF_MAX_PAGES``, ``NAMND_PDF_TIMEOUT`` … override them);
    ``max_pages``, ``timeout`` and ``max_ocr_pages`` override it. ``NAMND_OCR=0`` turns
    OCR off. ``reader`` reads the pages: "pdfium" (:mod:`pipeline.pdfium_reader`, which
    hands a file it is not sure to read as pdfplumber does to pdfplumber) or "pdfplumber";
    the default is :func:`pipeline.limits.pdf_reader`'s (``NAMND_PDF_READER``).
    """
    reader = pdf_reader(reader)
    limits = (limits or Limits.from_env()).with_overrides(
        max_pages=max_pages or None, timeout=timeout or None, max_ocr_pages=max_ocr_pages or None)
    timeout = float(limits.timeout)
    if ocr is None:
        ocr = os.environ.get("NAMND_OCR", "1").strip().lower() not in ("0", "no", "false", "off")
    truncated = b"%%EOF" not in data[-2048:]
    try:
        with _time_limit(timeout) as deadline, decompression_limit(limits.max_decompressed):
            return _read(data, path, digest, limits, deadline, ocr, truncated, reader)
    except _Timeout:
        raise ReadError(f"PDF took longer than the time limit of {timeout:g} s to read") from None
    except TooLarge as exc:
        raise ReadError(exc.reason) from None
    except (ReadError, MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:  # pdfminer raises many types for broken files (and RecursionError)
        raise ReadError(_describe(_unwrap(exc), truncated)) from None


def _unwrap(exc: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's exceptions in PdfminerException(original)."""
    for _ in range(5):
        if type(exc).__name__ == "PdfminerException" and exc.args and isinstance(exc.args[0], BaseException):
            exc = exc.args[0]
        else:
            break
    return exc


def _describe(exc: BaseException, truncated: bool) -> str:
    name = type(exc).__name__
    if name == "PDFPasswordIncorrect":
        return "encrypted PDF: a password is needed to open it"
    if "encrypt" in name.lower() or "password" in str(exc).lower():
        return f"encrypted PDF: cannot be decrypted ({name})"
    if isinstance(exc, RecursionError):
        return _corrupt("structure nested too deeply", truncated)
    detail = str(exc) or name
    return _corrupt(detail if name in ("PDFSyntaxError", "PSEOF") else f"{name}: {detail}", truncated)


def _corrupt(detail: str, truncated: bool) -> str:
    detail = " ".join(str(detail).split())[:200]
    if truncated:
        return f"truncated or corrupt PDF (no %%EOF at its end): {detail}"
    return f"corrupt PDF: {detail}"


def _open(data: bytes, max_pages: int):
    """The pdfplumber document and its pages (errors become ReadErrors in read_pdf). The
    pages are counted before pdfplumber makes an object of each: a file of more than
    ``max_pages`` fails with only that many looked at."""
    import pdfplumber
    from pdfminer.pdfpage import PDFPage

    pdf = pdfplumber.open(io.BytesIO(data))
    try:
        counted = sum(1 for _ in itertools.islice(PDFPage.create_pages(pdf.doc), max_pages + 1))
        if counted > max_pages:
            declared = _declared_page_count(pdf.doc)
            many = f"{declared} pages" if declared is not None and declared > max_pages else f"more than {max_pages} pages"
            raise ReadError(f"PDF too long: {many} (limit {max_pages}), see {OPTION['max_pages']}")
        return pdf, pdf.pages
    except BaseException:
        pdf.close()
        raise


def _declared_page_count(doc) -> Optional[int]:
    """The /Count of the page tree's root (what the file says of itself), if it has one."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(doc.catalog["Pages"]).get("Count"))
    except Exception:  # a broken page tree: no count to report
        return None
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def _read(data: bytes, path: str, digest: str, limits: Limits, deadline: "_Deadline", ocr: bool,
          truncated: bool, reader: str = "pdfplumber") -> RawDocument:
    pages: Optional[list[_Page]] = None
    warnings: list[str] = []
    if reader == "pdfium":
        from pipeline import pdfium_reader

        try:
            pages = pdfium_reader.read_pages(data, limits, deadline, warnings)
        except pdfium_reader.Fallback as why:
            _log.debug("%s: read with pdfplumber: %s", path, why)
            pages = None
            warnings.clear()
        except MemoryError:
            raise
        except Exception as exc:  # a failure of the PDFium reader costs speed, not the document
            _log.warning("%s: the PDFium reader failed (%s: %s); read with pdfplumber", path, type(exc).__name__, exc)
            pages = None
            warnings.clear()
    if pages is None:
        pages = _read_pages(data, limits, deadline, truncated, warnings)
    if truncated:
        warnings.append("the PDF has no %%EOF marker at its end (truncated?): text may be incomplete")
    return _layout(data, path, digest, pages, limits, deadline, ocr, warnings)


def _read_pages(data: bytes, limits: Limits, deadline: "_Deadline", truncated: bool,
                warnings: list[str]) -> list["_Page"]:
    """The pages, read with pdfplumber (pdfminer's layout objects)."""
    pdf, pdf_pages = _open(data, limits.max_pages)
    with pdf:
        page_count = len(pdf_pages)
        if page_count == 0:
            raise ReadError(_corrupt("no pages", truncated) if truncated else "PDF has no pages")
        pages: list[_Page] = []
        broken: list[str] = []
        for i, page in enumerate(pdf_pages):
            deadline.check(f"page {i + 1} of {page_count}")
            try:
                pages.append(_read_page(page, i, warnings))
            except RecursionError:
                broken.append(f"{i + 1} (structure nested too deeply)")
                pages.append(_Page(i, 1.0, 1.0))
            except Exception as exc:  # one damaged page does not lose the others
                detail = " ".join(str(_unwrap(exc)).split())[:120] or type(_unwrap(exc)).__name__
                broken.append(f"{i + 1} ({detail})")
                pages.append(_Page(i, 1.0, 1.0))
            page.close()  # drop the page's cached layout
        if broken and len(broken) == page_count:
            raise ReadError(_corrupt(f"no page could be read: {broken[0]}", truncated))
        if broken:
            warnings.append("page(s) that could not be read: " + ", ".join(broken[:10]))
    return pages


def _layout(data: bytes, path: str, digest: str, pages: list["_Page"], limits: Limits, deadline: "_Deadline",
            ocr: bool, warnings: list[str]) -> RawDocument:
    """Pages → the document: OCR of scanned pages, running lines, reading order, text."""
    page_count = len(pages)
    scanned = [p.index for p in pages if p.needs_ocr]
    refused: list[str] = []
    if scanned:
        refused = _ocr_pages(data, pages, scanned, page_count, ocr, limits, deadline, warnings)
    if not any(p.segs for p in pages):
        if scanned and len(refused) == len(scanned):
            raise ReadError(f"scanned PDF: {refused[0]}")
        if scanned:
            raise ReadError(f"scanned PDF: OCR found no text on its {page_count} page(s)")
        raise ReadError(f"PDF has no text: its {page_count} page(s) hold neither text nor images")

    _drop_running_lines(pages, warnings)
    lines: list[_Line] = []
    for p in pages:
        lines.extend(_page_lines(p))
        if p.tables:
            warnings.append(f"page {p.index + 1}: {len(p.tables)} table(s) kept as rows, cells separated by ' | '")
    text, page_starts, hints = _assemble(lines, page_count)
    if not text.strip():
        raise ReadError(f"PDF has no text: only page headers/footers on its {page_count} page(s)")
    return RawDocument(path=path, format="pdf", text=text, sha256=digest, page_starts=page_starts,
                       pages=page_count, encoding=None, heading_hints=hints, warnings=warnings)


def _ocr_pages(data: bytes, pages: list["_Page"], scanned: list[int], page_count: int, ocr: bool,
               limits: Limits, deadline: "_Deadline", warnings: list[str]) -> list[str]:
    """OCR the scanned pages; returns why each page refused for its size was refused."""
    from pipeline import ocr as ocr_mod

    max_ocr_pages = limits.max_ocr_pages
    all_scanned = len(scanned) == sum(1 for p in pages if p.segs or p.needs_ocr)
    ok, why = ocr_mod.status() if ocr else (False, "OCR is turned off (NAMND_OCR=0)")
    if not ok:
        if all_scanned:
            raise ReadError(f"scanned PDF: no text layer on its {page_count} page(s); it needs OCR, but {why}")
        warnings.append(f"page(s) {_page_list(scanned)} have no text layer and were not OCR'd: {why}")
        return []
    if len(scanned) > max_ocr_pages:
        raise ReadError(f"scanned PDF: {len(scanned)} page(s) need OCR (limit {max_ocr_pages})")
    notes: dict[int, str] = {}
    results = ocr_mod.ocr_pdf_pages(data, scanned, deadline=deadline.remaining, max_pixels=limits.max_page_pixels,
                                    notes=notes)
    failed, done, refused = [], [], []
    for index in scanned:
        res = results.get(index)
        page = pages[index]
        if isinstance(res, str) or res is None:
            failed.append(f"{index + 1} ({res or 'no result'})")
            if isinstance(res, str) and res.startswith(ocr_mod.TOO_LARGE):
                refused.append(f"page {index + 1} {res}")
            continue
        page.segs = _snap_sizes([_Seg.from_ocr(l) for l in res])
        page.ocr = True
        done.append(index)
    if done:
        warnings.append(f"page(s) {_page_list(done)} had no text layer and were OCR'd with Tesseract "
                        f"({ocr_mod.LANGUAGE}): expect OCR errors")
    if failed:
        warnings.append("OCR failed on page(s) " + ", ".join(failed))
    warnings.extend(f"page {index + 1}: {note}" for index, note in sorted(notes.items()))
    return refused


def _snap_sizes(segs: list["_Seg"]) -> list["_Seg"]:
    """OCR sizes scatter by ±10 %: sizes near the page's body size become the body size
    (a heading must also be a Tesseract paragraph of its own, see :func:`_own_paragraph`)."""
    weights: Counter[float] = Counter()
    for s in segs:
        weights[round(s.size * 2) / 2] += len(s.text)
    if not weights:
        return segs
    total = sum(weights.values())
    acc = 0.0
    body = 0.0
    for size in sorted(weights):
        acc += weights[size]
        if acc >= total / 2:
            body = size
            break
    for s in segs:
        s.size = body if abs(s.size - body) <= 0.08 * body else round(s.size * 2) / 2
    return segs


def _page_list(indexes: list[int]) -> str:
    nums = [i + 1 for i in indexes]
    if len(nums) > 12:
        return ", ".join(map(str, nums[:10])) + f", … ({len(nums)} pages)"
    return ", ".join(map(str, nums))


# --------------------------------------------------------------------------------------
# Time limit
# --------------------------------------------------------------------------------------

class _Timeout(BaseException):
    """The per-file time limit ran out (a BaseException, so no broad ``except`` in pdfminer swallows it)."""


class _Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def check(self, where: str = "") -> None:
        if time.monotonic() > self.end:
            raise _Timeout(where)


@contextmanager
def _time_limit(seconds: float) -> Iterator[_Deadline]:
    """A deadline checked between pages, and in the main thread also a SIGALRM that
    interrupts a page pdfminer never finishes (a pathological content stream)."""
    deadline = _Deadline(seconds)
    use_alarm = (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
                 and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0))
    previous = None
    if use_alarm:
        def _on_alarm(signum, frame):
            raise _Timeout("alarm")

        try:
            previous = signal.signal(signal.SIGALRM, _on_alarm)
            # a little later than the deadline: the cooperative check reports it better
            signal.setitimer(signal.ITIMER_REAL, seconds + 1.0)
        except (ValueError, OSError):
            use_alarm = False
    try:
        yield deadline
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


# --------------------------------------------------------------------------------------
# One page: characters → segments
# --------------------------------------------------------------------------------------

class _Seg:
    """A run of characters on one baseline without a wide gap."""

    __slots__ = ("parts", "x0", "x1", "top", "bottom", "size", "nbold", "nchars", "base", "par", "_text")

    def __init__(self, text: str, x0: float, x1: float, top: float, bottom: float, size: float, bold: bool):
        self.parts = [text]
        self.x0, self.x1, self.top, self.bottom = x0, x1, top, bottom
        self.size = size
        self.base = bottom
        self.nchars = len(text)
        self.nbold = self.nchars if bold else 0
        self.par = None  # OCR: the paragraph Tesseract put the line in
        self._text = None

    @classmethod
    def from_ocr(cls, line) -> "_Seg":
        seg = cls(line.text, line.x0, line.x1, line.top, line.bottom, line.size, False)
        seg.par = line.paragraph
        return seg

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self.parts).strip()
        return self._text


class _Page:
    __slots__ = ("index", "width", "height", "segs", "tables", "needs_ocr", "ocr", "edge_keys")

    def __init__(self, index: int, width: float, height: float):
        self.index, self.width, self.height = index, width, height
        self.segs: list[_Seg] = []
        self.tables: list[tuple[float, float, float, float, list[list[str]]]] = []
        self.needs_ocr = False
        self.ocr = False
        self.edge_keys: set[str] = set()


@lru_cache(maxsize=512)
def _is_bold(fontname: str) -> bool:
    name = fontname.lower().split("+", 1)[-1]
    return ("bold" in name or "black" in name or "heavy" in name or "semibold" in name or "demi" in name
            or name.endswith((",b", "-b", ",bolditalic")) or "-bd" in name)


def _text_to_read(out: _Page, visible: int, cid: int, image_area: float, curves: int, warnings: list[str]) -> bool:
    """Whether a page's text layer is to be read (either reader): not when most of its
    characters have no Unicode mapping, nor when the page is a scan (little text over a
    large image, or only drawn shapes), which is then marked for OCR."""
    if visible and cid > 0.3 * visible:
        warnings.append(f"page {out.index + 1}: the text layer has no Unicode mapping (font without ToUnicode)")
        visible = 0
    if visible < 30 and (image_area > 0.3 * max(out.width * out.height, 1.0) or (not visible and curves > 200)):
        out.needs_ocr = True
        return False
    return visible > 0


def _read_page(page, index: int, warnings: list[str]) -> _Page:
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage

    height = float(page.height)
    out = _Page(index, float(page.width), height)
    layout = page.layout
    chars: list = []
    image_area = 0.0
    visible = cid = rotated = 0  # characters that are not spaces; unmapped; not upright
    h_edges = v_edges = 0  # thin lines and rectangles: what a ruled table is drawn with
    curves = 0
    stack = [iter(layout)]
    while stack:
        for obj in stack[-1]:
            kind = type(obj)
            if kind is LTChar or isinstance(obj, LTChar):  # the identity test is the quick one
                chars.append(obj)
                t = obj.get_text()
                if not t.isspace():  # counted here: the page's characters are walked once
                    visible += 1
                    if t.startswith("(cid:"):
                        cid += 1
                    if not obj.upright:
                        rotated += 1
            elif isinstance(obj, LTImage):
                image_area += max(obj.width, 0) * max(obj.height, 0)
            elif isinstance(obj, LTCurve):
                curves += 1
                if obj.height < 2:
                    h_edges += 1
                elif obj.width < 2:
                    v_edges += 1
                elif kind.__name__ == "LTRect":
                    h_edges += 2
                    v_edges += 2
            elif isinstance(obj, LTContainer):
                stack.append(iter(obj))
                break
        else:
            stack.pop()

    if not _text_to_read(out, visible, cid, image_area, curves, warnings):
        return out

    if rotated:
        chars = [c for c in chars if c.upright]
        if rotated > 0.5 * visible:
            warnings.append(f"page {index + 1}: {rotated} characters of rotated text left out")

    out.segs = _segments(chars, height)
    # a table of 2 rows and 2 columns (all _find_tables keeps) needs 3 rules each way:
    # header and footer rules alone never make one, and the search costs the page's chars
    if h_edges >= 3 and v_edges >= 3:
        _find_tables(page, out)
    return out


def _segments(chars: list, height: float) -> list[_Seg]:
    """pdfminer's characters (in content-stream order) → same-baseline runs."""
    items: list[Optional[tuple]] = []
    append = items.append
    for c in chars:
        t = c.get_text()
        if t.isspace() or not t:
            append(None)
            continue
        append((t, c.x0, c.x1, height - c.y1, height - c.y0, c.size or (c.y1 - c.y0), _is_bold(c.fontname)))
    return _segments_of(items)


def _segments_of(chars) -> list[_Seg]:
    """Group characters into same-baseline runs. Each character is (text, x0, x1, top,
    bottom, size, bold) in page points from the top left, or None for a space; both
    readers give them in their text's order. (The open segment's running values are kept
    in local variables, and stored in it when it closes: the loop runs once per character.)"""
    segs: list[_Seg] = []
    cur: Optional[_Seg] = None
    parts: list[str] = []
    base = x1_max = top_min = bottom_max = size_max = 0.0
    nchars = nbold = 0
    last_x1 = last_x0 = 0.0
    last_t = ""
    pending_space = False
    for c in chars:
        if c is None:
            pending_space = True
            continue
        t, x0, x1, top, bottom, size, bold = c
        if cur is not None:
            if t == last_t and abs(x0 - last_x0) < 0.08 * size and abs(bottom - base) < 0.1 * size:
                nbold += len(t)  # the same glyph printed again, slightly shifted: "fake bold"
                continue
            last_t, last_x0 = t, x0
            ref = size_max if size_max > size else size
            gap = x0 - last_x1
            if abs(bottom - base) <= 0.3 * ref and -0.5 * ref <= gap <= 1.0 * ref:
                if pending_space or gap > 0.2 * ref:
                    parts.append(" ")
                parts.append(t)
                last_x1 = x1
                if x1 > x1_max:
                    x1_max = x1
                if top < top_min:
                    top_min = top
                if bottom > bottom_max:
                    bottom_max = bottom
                n = len(t)
                nchars += n
                if bold:
                    nbold += n
                if size > size_max:
                    size_max = size
                pending_space = False
                continue
            cur.x1, cur.top, cur.bottom, cur.size, cur.nchars, cur.nbold = (x1_max, top_min, bottom_max, size_max,
                                                                            nchars, nbold)
        else:
            last_t, last_x0 = t, x0
        cur = _Seg(t, x0, x1, top, bottom, size, bold)
        segs.append(cur)
        parts, base, x1_max, top_min, bottom_max, size_max = cur.parts, bottom, x1, top, bottom, size
        nchars, nbold = cur.nchars, cur.nbold
        last_x1 = x1
        pending_space = False
    if cur is not None:
        cur.x1, cur.top, cur.bottom, cur.size, cur.nchars, cur.nbold = x1_max, top_min, bottom_max, size_max, nchars, nbold
    return segs


def _find_tables(page, out: _Page) -> None:
    """Ruled tables: kept as rows of cells; their characters leave the text flow."""
    try:
        tables = page.find_tables()
    except Exception:  # a table finder failure must not lose the page's text
        return
    for table in tables:
        try:
            rows = table.extract()
        except Exception:
            continue
        rows = [[" ".join((cell or "").split()) for cell in row] for row in rows]
        rows = [r for r in rows if any(r)]
        if len(rows) < 2 or max(len(r) for r in rows) < 2:
            continue
        x0, top, x1, bottom = table.bbox
        out.tables.append((x0, top, x1, bottom, rows))
        out.segs = [s for s in out.segs if not (x0 - 1 <= (s.x0 + s.x1) / 2 <= x1 + 1
                                                and top - 1 <= (s.top + s.bottom) / 2 <= bottom + 1)]


# --------------------------------------------------------------------------------------
# Running headers, footers, page numbers
# --------------------------------------------------------------------------------------

_DIGITS = re.compile(r"\d{1,4}")


def _running_key(text: str) -> str:
    """Running headers compare with their numbers blanked: "Sid 2 av 9" ~ "Sid 3 av 9"."""
    return " ".join(_DIGITS.sub("#", text.casefold()).split())


def _rows(segs: list[_Seg]) -> list[list[_Seg]]:
    """Segments into rows: a segment joins the row whose first segment's band holds its middle."""
    ordered = sorted(segs, key=lambda s: s.top + s.bottom)
    rows: list[list[_Seg]] = []
    band_top = band_bottom = 0.0
    for s in ordered:
        mid = (s.top + s.bottom) / 2
        if rows and band_top <= mid <= band_bottom:
            rows[-1].append(s)
        else:
            rows.append([s])
            band_top, band_bottom = s.top, s.bottom
    for r in rows:
        r.sort(key=lambda s: s.x0)
    return rows


def _edge_rows(page: _Page) -> tuple[list[list[_Seg]], set[int]]:
    """Rows near the top and bottom of a page, and which of them are outermost (by id)."""
    rows = _rows(page.segs)
    top_zone, bottom_zone = 0.15 * page.height, 0.85 * page.height
    edge = [r for r in rows[:3] if min(s.top for s in r) < top_zone]
    edge += [r for r in rows[-3:] if max(s.bottom for s in r) > bottom_zone and r not in edge]
    outer = set()
    if rows and min(s.top for s in rows[0]) < top_zone:
        outer.add(id(rows[0]))
    if rows and max(s.bottom for s in rows[-1]) > bottom_zone:
        outer.add(id(rows[-1]))
    return edge, outer


def _is_page_number(text: str, page_count: int) -> bool:
    """"Sid 3 av 9", "3 (9)", "3/9", "- 3 -", "Page 3"; a bare number only when it is not a year."""
    if not PAGE_NUMBER.match(text):
        return False
    if text.isdigit():
        n = int(text)
        return 0 < n and not (1900 <= n <= 2100 and n > page_count)
    return True


def _drop_running_lines(pages: list[_Page], warnings: list[str]) -> None:
    """Remove page numbers (in the outermost row at the top or bottom of a page), and rows
    or segments that repeat at the same height near the top or bottom of most pages."""
    page_count = len(pages)
    tops: dict[str, list[float]] = {}
    edges: dict[int, tuple[list[list[_Seg]], set[int]]] = {}
    for p in pages:
        if not p.segs:
            continue
        rows, outer = _edge_rows(p)
        edges[p.index] = (rows, outer)
        seen: dict[str, float] = {}
        for r in rows:
            seen.setdefault(_running_key(" ".join(s.text for s in r)), r[0].top)
            for s in r:
                seen.setdefault(_running_key(s.text), s.top)
        for key, top in seen.items():
            tops.setdefault(key, []).append(top)
    with_text = len(edges)
    threshold = max(2, (with_text + 1) // 2)
    running: dict[str, float] = {}  # key → the height it stands at
    if with_text >= 2:
        for key, ys in tops.items():
            if not key or len(ys) < threshold:
                continue
            ys.sort()
            mid = ys[len(ys) // 2]
            # a running header stands at the same height on every page; body text only by chance
            if sum(1 for y in ys if abs(y - mid) <= 6.0) >= threshold:
                running[key] = mid

    def is_running(text: str, top: float) -> bool:
        y = running.get(_running_key(text))
        return y is not None and abs(top - y) <= 6.0

    removed: dict[str, list] = {}
    numbered: set[int] = set()
    for p in pages:
        if p.index not in edges:
            continue
        rows, outer = edges[p.index]
        drop: set[int] = set()
        for r in rows:
            row_text = " ".join(s.text for s in r)
            outermost = id(r) in outer
            if is_running(row_text, r[0].top) or (outermost and _is_page_number(row_text, page_count)):
                targets = r
            else:
                targets = [s for s in r if is_running(s.text, s.top)
                           or (outermost and _is_page_number(s.text, page_count))]
            for s in targets:
                drop.add(id(s))
                if _is_page_number(s.text, page_count):
                    numbered.add(p.index)
                else:
                    entry = removed.setdefault(_running_key(s.text), [s.text, 0])
                    entry[1] += 1
        if drop:
            p.segs = [s for s in p.segs if id(s) not in drop]
    for text, n in removed.values():
        warnings.append(f"removed running header/footer {text!r} from {n} page(s)")
    if numbered:
        warnings.append(f"removed page numbers from {len(numbered)} page(s)")


# --------------------------------------------------------------------------------------
# Reading order: rows, columns, lines
# --------------------------------------------------------------------------------------

class _Line:
    __slots__ = ("text", "x0", "x1", "top", "bottom", "size", "bold", "page", "region", "table", "ocr", "par")

    def __init__(self, segs: list[_Seg], page: int, region: int, ocr: bool):
        self.text = " ".join(s.text for s in segs)
        self.x0 = min(s.x0 for s in segs)
        self.x1 = max(s.x1 for s in segs)
        self.top = min(s.top for s in segs)
        self.bottom = max(s.bottom for s in segs)
        # the size most of the characters have; bold when most characters are
        sizes: Counter[float] = Counter()
        nbold = nchars = 0
        for s in segs:
            sizes[round(s.size * 2) / 2] += s.nchars
            nbold += s.nbold
            nchars += s.nchars
        self.size = sizes.most_common(1)[0][0]
        self.bold = nbold > 0.6 * nchars
        self.page, self.region, self.table, self.ocr = page, region, False, ocr
        self.par = segs[0].par


def _page_lines(page: _Page) -> list[_Line]:
    ordered: list[tuple[list[_Seg], int]] = []
    # region 0 is the full-width text of every page (one geometry for the document);
    # each column found gets a region of its own
    counter = [page.index * 1000]
    _order(page.segs, 0, ordered, 0, counter)
    lines = [_Line(segs, page.index, region, page.ocr) for segs, region in ordered if segs]
    for x0, top, x1, bottom, rows in page.tables:
        line = _Line([_Seg("", x0, x1, top, bottom, 0.0, False)], page.index, -1, False)
        line.text = "\n".join(" | ".join(cell for cell in row) for row in rows)
        line.table = True
        at = next((k for k, l in enumerate(lines) if l.top > top), len(lines))
        lines.insert(at, line)
    return lines


def _order(segs: list[_Seg], region: int, out: list, depth: int, counter: list[int]) -> None:
    rows = _rows(segs)
    found = _find_gutter(rows) if depth < 3 and len(rows) >= 3 else None
    if found is None:
        out.extend((r, region) for r in rows)
        return
    gutter, runs = found
    i = 0
    for a, b in runs:
        out.extend((r, region) for r in rows[i:a])
        left = [s for r in rows[a:b] for s in r if s.x1 <= gutter]
        right = [s for r in rows[a:b] for s in r if s.x0 >= gutter]
        counter[0] += 1
        _order(left, counter[0], out, depth + 1, counter)
        counter[0] += 1
        _order(right, counter[0], out, depth + 1, counter)
        i = b
    out.extend((r, region) for r in rows[i:])


def _find_gutter(rows: list[list[_Seg]]):
    """A vertical gutter many rows share, with column-wide text on both sides.

    Returns (x, [(first_row, end_row), …]) for the runs of rows read as two columns, or None.
    """
    candidates = set()
    for r in rows:
        for s0, s1 in zip(r, r[1:]):
            if s1.x0 - s0.x1 >= 0.9 * max(s0.size, s1.size, 6.0):
                candidates.add(round(s1.x0 - 1.0))
    if not candidates:
        return None
    span = max(s.x1 for r in rows for s in r) - min(s.x0 for r in rows for s in r)
    best = None
    for m in candidates:
        status = []
        for r in rows:
            if any(s.x0 < m < s.x1 for s in r):
                status.append(0)  # crosses the gutter
            elif r[0].x1 <= m and r[-1].x0 >= m:
                status.append(2)  # text on both sides
            else:
                status.append(1)  # one side only
        runs = []
        k = 0
        while k < len(rows):
            if status[k] == 0:
                k += 1
                continue
            j = k
            while j < len(rows) and status[j] != 0:
                j += 1
            both = sum(1 for t in status[k:j] if t == 2)
            if both >= 3 and _columns_of_text(rows[k:j], m, span):
                runs.append((k, j, both))
            k = j
        score = sum(r[2] for r in runs)
        if runs and (best is None or score > best[0]):
            best = (score, m, [(a, b) for a, b, _ in runs])
    if best is None:
        return None
    return best[1], best[2]


def _columns_of_text(rows: list[list[_Seg]], m: float, span: float) -> bool:
    """Both sides hold text of column width (not labels and values of a form)."""
    lw = sorted(sum(s.x1 - s.x0 for s in r if s.x1 <= m) for r in rows if r[0].x1 <= m)
    rw = sorted(sum(s.x1 - s.x0 for s in r if s.x0 >= m) for r in rows if r[-1].x0 >= m)
    if len(lw) < 3 or len(rw) < 3:
        return False
    return lw[len(lw) // 2] >= 0.25 * span and rw[len(rw) // 2] >= 0.25 * span


# --------------------------------------------------------------------------------------
# Lines → paragraphs, headings, pages
# --------------------------------------------------------------------------------------

def _body_size(lines: list[_Line]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        if not line.table:
            weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def _heading_groups(lines: list[_Line], body: float) -> tuple[dict[int, tuple[int, str]], dict[str, int]]:
    """Heading lines, with wrapped headings merged. Returns
    ({first line index: (number of lines, heading text)}, {heading text: level})."""
    def styled(line: _Line) -> bool:
        return not line.table and (line.size >= body * 1.12 or (line.bold and not line.ocr))

    groups: list[tuple[int, int, str, _Line]] = []
    k = 0
    while k < len(lines):
        line = lines[k]
        if not styled(line):
            k += 1
            continue
        j = k + 1
        text = line.text
        while (j < len(lines) and styled(lines[j]) and lines[j].size == line.size and lines[j].bold == line.bold
               and lines[j].page == line.page and 0 <= lines[j].top - lines[j - 1].bottom < 0.8 * line.size
               and (lines[j].text[:1].islower() or text.endswith((",", "-", "–")) or OPEN_END.search(text))):
            text = _join_lines(text, lines[j].text)
            j += 1
        if _heading_text(text) and (not line.ocr or _own_paragraph(lines, k, j)):
            groups.append((k, j - k, text, line))
        k = j
    # OCR sizes scatter: sizes within 10 % of each other are one level
    ocr_sizes = sorted({line.size for _, _, _, line in groups if line.ocr}, reverse=True)
    cluster: dict[float, float] = {}
    for size in ocr_sizes:
        head = next((c for c in cluster.values() if size >= 0.9 * c), size)
        cluster[size] = head

    def key(line: _Line) -> float:
        return cluster.get(line.size, line.size) if line.ocr else line.size

    # levels: sizes above the body, largest first; a size seen only in the first lines of
    # page 1 (the title) takes no level of its own
    sizes: Counter[float] = Counter()
    for k, n, text, line in groups:
        if line.size >= body * 1.12:
            sizes[key(line)] += 1
    first_page = {key(line) for k, n, text, line in groups if line.page == 0 and k < 12}
    later = {key(line) for k, n, text, line in groups if not (line.page == 0 and k < 12)}
    biggest = max(sizes, default=0)
    title_sizes = {s for s in first_page if s not in later and sizes[s] <= 2 and s == biggest} if later else set()
    ranked = sorted((s for s in sizes if s not in title_sizes), reverse=True)
    levels = {s: i + 1 for i, s in enumerate(ranked)}
    starts: dict[int, tuple[int, str]] = {}
    hints: dict[str, int] = {}
    for k, n, text, line in groups:
        starts[k] = (n, text)
        if key(line) in title_sizes:
            continue
        hints.setdefault(text, levels.get(key(line), len(levels) + 1))
    return starts, hints


def _own_paragraph(lines: list[_Line], k: int, j: int) -> bool:
    """OCR: lines k..j-1 make up a whole Tesseract paragraph (a heading stands alone)."""
    par, page = lines[k].par, lines[k].page
    if any(l.par != par for l in lines[k:j]):
        return False
    before = lines[k - 1] if k > 0 else None
    after = lines[j] if j < len(lines) else None
    return all(n is None or n.page != page or n.par != par for n in (before, after))


def _heading_text(text: str) -> bool:
    words = text.split()
    if not words or len(text) > 120 or len(words) > 14 or text.endswith((".", ",", ";")):
        return False
    if len(text) >= 2 and text[-1] in _HYPHENS and text[-2].isalpha():
        return False  # a hyphenated word runs on: body text
    if _LIST_START.match(text) or PAGE_NUMBER.match(text):
        return False
    return any(ch.isalpha() for ch in text)


def _join_lines(left: str, right: str) -> str:
    """Join two wrapped lines; a hyphen at the end of ``left`` is resolved."""
    if len(left) >= 2 and left[-1] in _HYPHENS and left[-2].isalnum() and right[:1].isalnum():
        head = left.rsplit(None, 1)[-1][:-1]
        tail = re.match(r"[\w\-]+", right)
        how = join_hyphenated(head, tail.group(0) if tail else right)
        if how == "join":
            return left[:-1] + right
        if how == "space":
            return left[:-1] + "- " + right
        return left[:-1] + "-" + right
    return left + " " + right


def _region_bounds(lines: list[_Line]) -> dict[int, tuple[float, float]]:
    by_region: dict[int, list[_Line]] = {}
    for line in lines:
        if not line.table:
            by_region.setdefault(line.region, []).append(line)
    bounds = {}
    for region, ls in by_region.items():
        x0s = sorted(l.x0 for l in ls)
        x1s = sorted(l.x1 for l in ls)
        bounds[region] = (x0s[len(x0s) // 10], x1s[min(len(x1s) - 1, int(len(x1s) * 0.95))])
    return bounds


def _typical_gap(lines: list[_Line]) -> dict[float, float]:
    """The usual gap between consecutive lines of a paragraph, per font size (whole document)."""
    gaps: dict[float, list[float]] = {}
    for a, b in zip(lines, lines[1:]):
        if a.page == b.page and a.region == b.region and not a.table and not b.table and a.size == b.size:
            g = b.top - a.bottom
            if -0.2 * a.size <= g < 1.5 * a.size:
                gaps.setdefault(a.size, []).append(g)
    out = {}
    for size, gs in gaps.items():
        gs.sort()
        out[size] = gs[len(gs) // 3]  # paragraph gaps are the minority: take a low quantile
    return out


def _ended_early(prev: _Line, nxt: _Line, bounds: dict[int, tuple[float, float]]) -> bool:
    """The previous line stops although the next line's first word would have fitted."""
    left, right = bounds.get(prev.region, (prev.x0, prev.x1))
    width = right - left
    if width <= 0:
        return False
    char_w = (prev.x1 - prev.x0) / max(len(prev.text), 1)
    first = nxt.text.split(None, 1)[0] if nxt.text.split() else ""
    room = right - prev.x1
    return room > (len(first) + 1.5) * char_w and room > 0.04 * width


def _assemble(lines: list[_Line], page_count: int) -> tuple[str, list[int], dict[str, int]]:
    """Lines in reading order → text (paragraphs apart by a blank line, lines of a block
    such as an address by a line break), page start offsets, heading hints."""
    body = _body_size(lines)
    headings, hints = _heading_groups(lines, body)
    bounds = _region_bounds(lines)
    typical = _typical_gap(lines)
    out: list[str] = []
    length = 0  # characters in out
    page_starts: list[Optional[int]] = [None] * page_count
    para = ""  # the open paragraph

    def flush() -> None:
        nonlocal para, length
        if para:
            if out:
                out.append("\n\n")
                length += 2
            out.append(para)
            length += len(para)
            para = ""

    def para_offset() -> int:
        """Offset in the text where the open paragraph starts."""
        return length + (2 if out else 0)

    def mark(page: int, offset: int) -> None:
        if page_starts[page] is None:
            page_starts[page] = offset

    prev: Optional[_Line] = None
    k = 0
    while k < len(lines):
        line = lines[k]
        if k in headings or line.table:
            n, text = headings.get(k, (1, line.text))
            flush()
            for part in lines[k:k + n]:
                mark(part.page, para_offset())
            para = text
            flush()
            prev = None
            k += n
            continue
        text = line.text
        how = 2 if prev is None or not para else _breaks(prev, line, bounds, typical)
        if how == 2:
            flush()
            mark(line.page, para_offset())
            para = text
        elif how == 1:
            mark(line.page, para_offset() + len(para) + 1)
            para = para + "\n" + text
        else:
            joined = _join_lines(para, text)
            mark(line.page, para_offset() + len(joined) - len(text))
            para = joined
        prev = line
        k += 1
    flush()
    text = "".join(out)
    # a page without text starts where the next page with text starts
    nxt = len(text)
    for i in range(page_count - 1, -1, -1):
        if page_starts[i] is None:
            page_starts[i] = nxt
        nxt = page_starts[i]
    page_starts[0] = 0
    for i in range(1, page_count):
        page_starts[i] = max(page_starts[i], page_starts[i - 1])
    return text, page_starts, hints


def _breaks(prev: _Line, line: _Line, bounds, typical) -> int:
    """What stands between ``prev`` and ``line``: 0 the paragraph runs on (a space or a
    joined hyphen), 1 a line break (lines of an address, list items), 2 a new paragraph."""
    text = line.text
    gap = line.top - prev.bottom
    # a word hyphenated at the line end runs on, however short the line looks
    if len(prev.text) >= 2 and prev.text[-1] in _HYPHENS and prev.text[-2].isalnum() and text[:1].isalnum():
        if line.page != prev.page or line.region != prev.region or gap < 1.5 * prev.size:
            return 0
    early = _ended_early(prev, line, bounds)
    if line.page != prev.page or line.region != prev.region:
        # the paragraph runs on into the next column or page unless it visibly ended;
        # a full last line that ends a sentence, then a capital: most likely a new paragraph
        if early or _LIST_START.match(text) or (prev.text.endswith((".", "!", "?")) and text[:1].isupper()):
            return 2
        return 0
    usual = typical.get(prev.size, 0.3 * prev.size)
    if gap - usual > 0.35 * max(prev.size, line.size) or gap < -0.5 * prev.size:
        return 2
    if line.ocr and prev.ocr:
        if line.par != prev.par:
            return 2  # Tesseract's paragraphs (OCR sizes scatter too much to compare)
    elif abs(line.size - prev.size) > 0.6:
        return 2
    left, _ = bounds.get(line.region, (line.x0, line.x1))
    indent = line.x0 - left
    prev_indent = prev.x0 - left
    if indent > 1.0 * line.size and prev_indent < 0.5 * line.size and not _LIST_START.match(prev.text):
        return 2  # an indented first line
    if _LIST_START.match(text) or early or (prev.text.endswith(":") and text[:1].isupper()):
        return 1
    return 0


# --------------------------------------------------------------------------------------
# Hyphenation
# --------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _lexicon() -> Optional[WordList]:
    """Swedish word list: wordfreq's 'sv' frequencies (None when wordfreq is missing)."""
    try:
        return swedish_words()
    except Exception:  # wordfreq absent or its data unreadable: fall back to the rules alone
        return None


def is_word(word: str) -> Optional[bool]:
    """Is ``word`` a Swedish word? None when no lexicon is available."""
    lex = _lexicon()
    if lex is None:
        return None
    return word.casefold() in lex


def join_hyphenated(head: str, tail: str) -> str:
    """How to join ``head-`` at a line end with ``tail`` at the start of the next line.

    Returns "join" (a word broken by hyphenation: "social-|tjänsten" → "socialtjänsten"),
    "keep" (a hyphenated compound: "LVU-|placering", "Rinkeby-|Kista", "e-|post",
    "2023-|2024") or "space" (a suspended hyphen: "kultur-|och" → "kultur- och").

    A joined form the lexicon knows is joined; otherwise the hyphen stays where the first
    part is an abbreviation, a number or a known prefix, or the second part a name, and
    a lower-case word broken in two is joined (the lexicon lacks many compounds:
    "samlokaliseringen").
    """
    tail_word = re.match(r"[^\W\d_]*", tail).group(0) if tail[:1].isalpha() else tail.rstrip(".,;:!?)»”\"'")
    if not tail_word:
        return "keep"
    address = "/" in head or "@" in head or head.lower().startswith(("http", "www."))
    last = re.split(r"[-/.@:]", head)[-1]  # the part after an earlier hyphen: "Hägersten-Älv-"
    if not last:
        return "keep"
    if any(ch.isdigit() for ch in last) or tail_word[:1].isdigit():
        return "keep"
    if address:
        return "join" if is_word(last + tail_word) else "keep"  # "…/sharepoint-|dokument/…"
    joined_is_word = is_word(last + tail_word)
    if tail_word.casefold() in _SUSPENDED and not joined_is_word:
        return "space"
    upper_head = sum(1 for ch in last if ch.isupper())
    if tail_word[0].isupper():
        # "Rinkeby-Kista"; an upper-case word broken in two ("SOCIAL-TJÄNSTEN") is a word when joined
        if last.isupper() and tail_word.isupper() and joined_is_word:
            return "join"
        return "keep"
    if upper_head > 1 or (upper_head == 1 and not last[0].isupper()):
        return "keep"  # "LVU-placering", "SoL-anmälan"
    word = last.casefold()
    if word in _HYPHEN_PREFIXES:
        return "keep"  # "e-post", "sms-lån", "it-stöd" (web text also has "epost", "smslån")
    if joined_is_word:
        return "join"  # "ut-|redning", "social-|tjänsten"
    if not any(ch in _VOWELS for ch in word):
        return "keep"  # an abbreviation in lower case: "lvm-|hem", "hbtqi-|frågor"
    # a lower-case word the lexicon does not know: hyphenation far more often breaks a
    # word ("samlokali-|seringen") than a lower-case compound keeps its own hyphen
    return "join"
