"""PDF pages read with PDFium (pypdfium2's text API) into the layout reader's pages.

:mod:`pipeline.pdf` reads a PDF in two steps: each page's characters become
:class:`~pipeline.pdf._Seg` runs of a :class:`~pipeline.pdf._Page`, then a layout stage
shared by every input finds running headers and footers, columns, headings, paragraphs,
hyphen joins and page offsets. This module is the first step done with PDFium instead of
pdfminer: about ten times faster, with the same pages, so the same document comes out.

What PDFium gives, per character of a page's text page (``FPDFText_LoadPage``): its
Unicode text, its origin on the baseline, the text object it belongs to (one ``Tj``/``TJ``:
one font, one size, one matrix), and whether PDFium made it up itself (the spaces and line
breaks it inserts). Per text object: the font's name (``FPDFText_GetFontInfo``; the name
decides bold, as for pdfplumber), size (``FPDFText_GetFontSize``), descent
(``FPDFFont_GetDescent``) and the character's matrix; per font and character the advance
width (``FPDFFont_GetGlyphWidth``). From these each character gets the box pdfminer gives
it — from the origin, ``descent`` below the baseline to ``descent + size`` above, the
advance wide — so the segments, and everything after them, are those of the pdfplumber
reader. Page objects give the area of images (a scanned page) and the ruling lines that
may draw a table.

What is not the same, and why:

* tables: PDFium finds none. A page whose ruling lines could draw a table (three
  horizontal and three vertical rules, the same test the pdfplumber reader makes) is
  handed to pdfplumber's table finder, so tables come out as with the pdfplumber reader;
  only those pages pay for pdfplumber;
* glyphs printed twice to look bold ("fake bold"): PDFium keeps one of them, so such a
  line is not taken for bold;
* a ligature glyph ("ﬁ") comes as its letters ("fi"), as the cleaner writes it anyway;
* a glyph without a Unicode mapping: pdfplumber writes ``(cid:N)``, this reader leaves it
  out (both count it towards "no Unicode mapping", which drops the page's text layer when
  it is 30 % of the page);
* the vertical position of a character uses PDFium's descent of its font, which differs
  from pdfminer's where the font's own description gives none; the whole font moves
  together, so lines and gaps stay as they were;
* PDFium places characters with whole-numbered glyph widths: where a font's widths have
  fractions (TeX's fonts), positions along a line drift from pdfminer's by a fraction of
  a point, and a gap just at the width that makes a space can come out with a space for
  one reader and without for the other.

Limits. Pages are counted (``FPDF_GetPageCount``) before any page is read, and the time
limit is checked between pages; a page PDFium spends long on is interrupted when it
returns (PDFium's C code cannot be stopped midway; its parsing is fast). PDFium decodes
streams itself, so the decompression guard of :mod:`pipeline.inflate` does not see
them; instead every stream of the file is found by its ``stream`` keyword before PDFium
opens it (:func:`check_streams`): streams whose filters could expand without bound are
counted (Flate: inflated and counted, nothing kept, only when the worst case, 1100 times
the compressed size, would not fit the limit), and a file whose streams would go over
the limit, or that uses a filter this check does not count (LZW, RunLength, chains of
filters, an indirect /Filter), or is encrypted (its streams cannot be counted without
decrypting them), is read by the pdfplumber reader under its guard instead.

The pdfplumber reader also takes every file this reader is not sure to read as it would,
so that a damaged file is read, or fails with its reason, as before: one that PDFium
cannot open, a truncated file (no ``%%EOF`` at its end) or one whose cross-reference
table is damaged (PDFium would rebuild either silently), a file of no pages or over the
page limit (for the same reason and message), a page PDFium cannot load, a file in which
PDFium finds no text at all. :class:`Fallback` carries why; :func:`pipeline.pdf.read_pdf`
logs it (debug) and reads the file with pdfplumber.

PDFium is not thread-safe, and this module keeps its out-parameters in one place: one
document is read at a time per process (a lock).
"""

from __future__ import annotations

import ctypes
import io
import re
import threading
import zlib
from functools import lru_cache
from itertools import repeat
from typing import Optional

from pipeline.inflate import MAX_FLATE_RATIO
from pipeline.limits import Limits

#: one document at a time (PDFium, and the out-parameters of :class:`_Api`)
_LOCK = threading.Lock()


class Fallback(Exception):
    """This document is read by the pdfplumber reader instead (the argument says why)."""


# --------------------------------------------------------------------------------------
# Streams: their decompressed size, before PDFium decodes any
# --------------------------------------------------------------------------------------

#: filters the text reader never decodes (images: decoded only to render a page for OCR,
#: where the pixel limit bounds them)
_IMAGE_FILTERS = frozenset({b"DCTDecode", b"DCT", b"JPXDecode", b"CCITTFaxDecode", b"CCF", b"JBIG2Decode"})
_FLATE = frozenset({b"FlateDecode", b"Fl"})
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+|\d+\s+\d+\s+R)")
_NAME = re.compile(rb"/([^\s/\[\]<>()]+)")
#: how far before a ``stream`` keyword its dictionary is looked for
_DICT_REACH = 65536
#: bytes inflated at a time while a stream is counted
_BLOCK = 1 << 20


def check_streams(data: bytes, limit: int) -> None:
    """Raise :class:`Fallback` unless every stream of the file decompresses, in all, to at
    most ``limit`` bytes with a filter counted here.

    Every ``stream`` keyword is taken for a stream (one inside another stream's data too:
    a stream PDFium finds through the cross-reference table may lie anywhere); its data
    runs to the next ``endstream``. A stream without a filter, or with image filters
    only, counts its own size; a Flate stream counts what it inflates to, which is
    computed only when the worst case of all of them would not fit."""
    if b"/Encrypt" in data:
        raise Fallback("the file is encrypted: its streams cannot be counted without decrypting them")
    view = memoryview(data)
    known = 0
    flate: list[tuple[int, int]] = []  # (start, end) of each Flate stream's data
    pos = 0
    while True:
        at = data.find(b"stream", pos)
        if at < 0:
            break
        pos = at + 6
        if data[at - 3:at] == b"end":
            continue
        head_from = data.rfind(b"obj", max(0, at - _DICT_REACH), at)
        head = data[head_from if head_from >= 0 else max(0, at - _DICT_REACH):at]
        start = at + 6
        if data[start:start + 2] == b"\r\n":
            start += 2
        elif data[start:start + 1] in (b"\n", b"\r"):
            start += 1
        end = data.find(b"endstream", start)
        if end < 0:
            end = len(data)
        found = _FILTER.findall(head)
        if not found:
            known += end - start
            continue
        value = found[-1]
        if value.endswith(b"R"):
            raise Fallback("a stream's /Filter is an indirect object")
        names = _NAME.findall(value)
        if len(names) == 1 and names[0] in _FLATE:
            flate.append((start, end))
        elif names and all(n in _IMAGE_FILTERS for n in names):
            known += end - start
        else:
            shown = " ".join(n.decode("latin-1") for n in names) or "none"
            raise Fallback(f"a stream has filters this check does not count ({shown})")
    worst = sum(end - start for start, end in flate) * MAX_FLATE_RATIO
    if known + worst <= limit:
        return
    if known > limit:
        raise Fallback("the streams exceed the decompression limit")
    # the largest first: each one counted brings the worst case down the most
    flate.sort(key=lambda se: se[0] - se[1])
    for start, end in flate:
        worst -= (end - start) * MAX_FLATE_RATIO
        known += _inflated_size(view[start:end], limit - known)
        if known + worst <= limit:
            return
    raise Fallback("the streams exceed the decompression limit")  # pragma: no cover (unreachable)


def _inflated_size(data, left: int) -> int:
    """What ``data`` inflates to (up to where it is damaged, as a decoder stops there);
    :class:`Fallback` as soon as that passes ``left``. Nothing is kept."""
    d = zlib.decompressobj()
    total = 0
    buf = data
    try:
        while True:
            got = len(d.decompress(buf, _BLOCK))
            total += got
            if total > left:
                raise Fallback("the streams exceed the decompression limit")
            buf = d.unconsumed_tail
            if d.eof or (not buf and got < _BLOCK):
                break
    except zlib.error:
        pass
    return total


# --------------------------------------------------------------------------------------
# PDFium's functions, with the types this module calls them with
# --------------------------------------------------------------------------------------

class _Api:
    """The raw PDFium functions used here, called directly (handles and out-pointers
    passed as integers: a call costs a third of a call through pypdfium2's bindings).
    The two called once per character (``origin_of``, ``object_of``) take no argument
    conversion at all: the handle and the out-pointers as ctypes objects, the index as an
    int."""

    def __init__(self) -> None:
        import pypdfium2.raw as raw

        V, I, U, D, F = ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_double, ctypes.c_float

        def fn(name: str, restype, *argtypes):
            address = ctypes.cast(getattr(raw, name), ctypes.c_void_p).value
            return ctypes.CFUNCTYPE(restype, *argtypes)(address)

        def bare(name: str, restype):
            function = ctypes.CFUNCTYPE(restype)(ctypes.cast(getattr(raw, name), ctypes.c_void_p).value)
            function.argtypes = None
            return function

        self.raw = raw
        self.origin_of = bare("FPDFText_GetCharOrigin", I)
        self.object_of = bare("FPDFText_GetTextObject", V)
        self.count_chars = fn("FPDFText_CountChars", I, V)
        self.get_text = fn("FPDFText_GetText", I, V, I, I, V)
        self.char_index = fn("FPDFText_GetCharIndexFromTextIndex", I, V, I)
        self.unicode = fn("FPDFText_GetUnicode", U, V, I)
        self.is_generated = fn("FPDFText_IsGenerated", I, V, I)
        self.is_hyphen = fn("FPDFText_IsHyphen", I, V, I)
        self.unicode_error = fn("FPDFText_HasUnicodeMapError", I, V, I)
        self.origin = fn("FPDFText_GetCharOrigin", I, V, I, V, V)
        self.text_object = fn("FPDFText_GetTextObject", V, V, I)
        self.matrix = fn("FPDFText_GetMatrix", I, V, I, V)
        self.loose_box = fn("FPDFText_GetLooseCharBox", I, V, I, V)
        self.font_size = fn("FPDFText_GetFontSize", D, V, I)
        self.font_info = fn("FPDFText_GetFontInfo", U, V, I, V, U, V)
        self.object_font = fn("FPDFTextObj_GetFont", V, V)
        self.descent = fn("FPDFFont_GetDescent", I, V, F, V)
        self.glyph_width = fn("FPDFFont_GetGlyphWidth", I, V, U, F, V)
        self.count_objects = fn("FPDFPage_CountObjects", I, V)
        self.get_object = fn("FPDFPage_GetObject", V, V, I)
        self.form_count = fn("FPDFFormObj_CountObjects", I, V)
        self.form_object = fn("FPDFFormObj_GetObject", V, V, ctypes.c_ulong)
        self.object_type = fn("FPDFPageObj_GetType", I, V)
        self.object_matrix = fn("FPDFPageObj_GetMatrix", I, V, V)
        self.count_segments = fn("FPDFPath_CountSegments", I, V)
        self.segment = fn("FPDFPath_GetPathSegment", V, V, I)
        self.segment_type = fn("FPDFPathSegment_GetType", I, V)
        self.segment_point = fn("FPDFPathSegment_GetPoint", I, V, V, V)
        self.segment_close = fn("FPDFPathSegment_GetClose", I, V)
        self.rotation = fn("FPDFPage_GetRotation", I, V)
        self.media_box = fn("FPDFPage_GetMediaBox", I, V, V, V, V, V)
        self.bounding_box = fn("FPDF_GetPageBoundingBox", I, V, V)
        self.valid_xref = fn("FPDF_DocumentHasValidCrossReferenceTable", I, V)
        # out-parameters, reused: one reader at a time per process (PDFium is not
        # thread-safe either)
        self.f6 = (ctypes.c_float * 6)()
        self.f1 = (ctypes.c_float * 1)()
        self.name = ctypes.create_string_buffer(256)
        self._origins = (ctypes.c_double * 0)()
        self._pointers: tuple[list, list] = ([], [])

    def origins(self, n: int):
        """A buffer for the origins of ``n`` characters and pointers to each x and y in it
        (kept for the next page, grown when a page has more characters), or None for a
        page of more than :data:`_POOLED` characters."""
        if n > _POOLED:
            return None
        if len(self._origins) < 2 * n:
            size = max(2 * n, 2 * len(self._origins), 8192)
            self._origins = (ctypes.c_double * size)()
            base = ctypes.addressof(self._origins)
            self._pointers = ([ctypes.c_void_p(base + 16 * i) for i in range(size // 2)],
                              [ctypes.c_void_p(base + 16 * i + 8) for i in range(size // 2)])
        return self._origins, self._pointers[0], self._pointers[1]


#: the most characters of a page whose origins are fetched through kept pointer objects
#: (about 100 bytes each): a larger page is read with a slower call that needs none
_POOLED = 50_000


@lru_cache(maxsize=1)
def _api() -> _Api:
    return _Api()


def available() -> tuple[bool, str]:
    """(True, "") when this pypdfium2 has every function the reader calls; else why not."""
    try:
        _api()
    except (ImportError, AttributeError) as exc:
        return False, f"pypdfium2 lacks what the PDFium reader needs ({exc})"
    return True, ""


# --------------------------------------------------------------------------------------
# Document → pages
# --------------------------------------------------------------------------------------

def read_pages(data: bytes, limits: Limits, deadline, warnings: list[str]) -> list:
    """The pages of a PDF as :class:`~pipeline.pdf._Page` objects, or :class:`Fallback`
    when the pdfplumber reader should read it. ``deadline`` is checked before each page;
    ``warnings`` gets what the pages say (as the pdfplumber reader words it)."""
    with _LOCK:
        return _read_pages(data, limits, deadline, warnings)


def _read_pages(data: bytes, limits: Limits, deadline, warnings: list[str]) -> list:
    from pipeline import pdf as layout

    ok, why = available()
    if not ok:
        raise Fallback(why)
    if b"%%EOF" not in data[-2048:]:
        raise Fallback("the file is truncated (no %%EOF at its end)")
    check_streams(data, limits.max_decompressed)
    import pypdfium2 as pdfium

    api = _api()
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise Fallback(f"PDFium cannot open it ({exc})") from None
    tables = _Tables(data)
    try:
        if not api.valid_xref(_address(doc.raw)):
            raise Fallback("its cross-reference table is damaged (PDFium would rebuild it)")
        page_count = len(doc)
        if page_count == 0:
            raise Fallback("PDFium finds no pages")
        if page_count > limits.max_pages:
            raise Fallback("over the page limit")
        pages = []
        fonts: dict[int, _Font] = {}
        for i in range(page_count):
            deadline.check(f"page {i + 1} of {page_count}")
            try:
                page = doc[i]
                textpage = page.get_textpage()
            except pdfium.PdfiumError as exc:
                raise Fallback(f"PDFium cannot load page {i + 1} ({exc})") from None
            try:
                pages.append(_read_page(api, _address(page.raw), _address(textpage.raw), i, warnings, fonts,
                                        tables, layout))
            finally:
                textpage.close()
                page.close()
        if not any(p.segs or p.needs_ocr for p in pages):
            raise Fallback("PDFium finds no text")  # pdfplumber says why, or finds what PDFium could not
        return pages
    finally:
        tables.close()
        doc.close()


def _address(handle) -> int:
    """A pypdfium2 handle as the integer the calls here take."""
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


class _Tables:
    """pdfplumber's table finder for the pages whose rules may draw a table (the document
    opened with pdfplumber once, at the first such page)."""

    def __init__(self, data: bytes):
        self.data = data
        self.pdf = None
        self.failed = False

    def find(self, index: int, out, layout) -> None:
        if self.failed:
            return
        if self.pdf is None:
            import pdfplumber

            try:
                self.pdf = pdfplumber.open(io.BytesIO(self.data))
            except Exception:  # pdfplumber cannot open what PDFium read: no tables
                self.failed = True
                return
        try:
            page = self.pdf.pages[index]
        except Exception:  # no such page for pdfminer: no tables
            return
        layout._find_tables(page, out)
        page.close()

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


class _Font:
    """What a font gives every character set in it: bold (by its name, as pdfplumber's
    reader decides), descent per point of size, and advance widths (per 1000 of the size)."""

    __slots__ = ("handle", "bold", "descent", "widths")

    def __init__(self, handle: int, bold: bool, descent: float):
        self.handle, self.bold, self.descent = handle, bold, descent
        self.widths: dict[str, Optional[float]] = {}


def _font(api: _Api, textpage: int, index: int, handle: int, fonts: dict) -> _Font:
    font = fonts.get(handle)
    if font is None:
        from pipeline.pdf import _is_bold

        n = api.font_info(textpage, index, api.name, 256, None)
        name = api.name.raw[:max(n - 1, 0)].decode("utf-8", "replace") if n else ""
        descent = 0.0
        if api.descent(handle, 1000.0, ctypes.addressof(api.f1)):
            descent = api.f1[0] / 1000.0
            if descent > 0:
                descent = -descent
        font = fonts[handle] = _Font(handle, _is_bold(name), descent)
    return font


def _page_box(api: _Api, page: int) -> tuple[float, float, float, float]:
    """The page's media box (the page's own, else the one it inherits, which PDFium gives
    only cut to the crop box: the same unless a crop box is inherited too)."""
    b = api.f6
    a = ctypes.addressof(b)
    if not api.media_box(page, a, a + 4, a + 8, a + 12):
        if not api.bounding_box(page, a):  # FS_RECTF: left, top, right, bottom
            return 0.0, 0.0, 612.0, 792.0
        left, top, right, bottom = b[0], b[1], b[2], b[3]
        return min(left, right), min(top, bottom), max(left, right), max(top, bottom)
    x0, y0, x1, y1 = b[0], b[1], b[2], b[3]
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _page_matrix(rotation: int, box) -> tuple[tuple[float, ...], float, float]:
    """pdfminer's page matrix for a rotation (0–3 quarter turns) about the media box, and
    the page's width and height as pdfplumber gives them."""
    x0, y0, x1, y1 = box
    if rotation == 1:
        return (0.0, -1.0, 1.0, 0.0, -y0, x1), y1 - y0, x1 - x0
    if rotation == 2:
        return (-1.0, 0.0, 0.0, -1.0, x1, y1), x1 - x0, y1 - y0
    if rotation == 3:
        return (0.0, 1.0, -1.0, 0.0, y1, -x0), y1 - y0, x1 - x0
    return (1.0, 0.0, 0.0, 1.0, -x0, -y0), x1 - x0, y1 - y0


def _mult(m, n) -> tuple[float, ...]:
    """The matrix m then n (PDF's row-vector convention)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _page_text(api: _Api, textpage: int, n: int) -> list[str]:
    """The text of each character index. One call gets the page's text; PDFium leaves out
    of it the characters it takes for control characters, found here by where the text
    index and the character index part, and asked for one by one. A hyphen at a line end
    PDFium marks (U+FFFE in the text, 0x02 as the character) is a hyphen again."""
    buf = ctypes.create_string_buffer(4 * n + 4)  # UTF-16: two units for a character beyond the BMP
    got = api.get_text(textpage, 0, n, buf)
    text = buf.raw[:max(got - 1, 0) * 2].decode("utf-16-le", "replace")
    if len(text) == n:
        out = list(text)
        if "\ufffe" in text or "\x02" in text:
            for i, t in enumerate(out):
                if t in "\ufffe\x02":
                    out[i] = _marked(api, textpage, i)
        return out
    # the character index of each text index is the text index plus the control
    # characters before it: find where that offset grows, by halving
    out: list[Optional[str]] = [None] * n
    m = len(text)
    offset_at: dict[int, int] = {}

    def offset(k: int) -> int:
        if k not in offset_at:
            index = api.char_index(textpage, k)
            offset_at[k] = index - k if index >= 0 else n - m
        return offset_at[k]

    def fill(lo: int, hi: int) -> None:
        """Text indices lo..hi-1."""
        if lo >= hi:
            return
        a, b = offset(lo), offset(hi - 1)
        if a == b:
            for k in range(lo, hi):
                out[k + a] = text[k]
            return
        if hi - lo <= 2:
            for k in range(lo, hi):
                out[k + offset(k)] = text[k]
            return
        mid = (lo + hi) // 2
        fill(lo, mid)
        fill(mid, hi)

    if m and len(text) <= n:
        fill(0, m)
    for i in range(n):
        if out[i] is None or out[i] in "\ufffe\x02":
            out[i] = _marked(api, textpage, i)
    return out  # type: ignore[return-value]


def _marked(api: _Api, textpage: int, index: int) -> str:
    """The text of a character PDFium marks: a hyphen at a line end, or its own code."""
    if api.is_hyphen(textpage, index):
        return "-"
    u = api.unicode(textpage, index)
    return chr(u) if 0 < u < 0x110000 and u != 0xFFFE else ""


def _read_page(api: _Api, page: int, textpage: int, index: int, warnings: list[str], fonts: dict,
               tables: _Tables, layout):
    """One page: characters → segments (the same as the pdfplumber reader's ``_read_page``)."""
    rotation = api.rotation(page)
    ctm, width, height = _page_matrix(rotation if 0 <= rotation <= 3 else 0, _page_box(api, page))
    out = layout._Page(index, float(width), float(height))
    image_area, curves, h_edges, v_edges = _graphics(api, page, ctm)

    n = api.count_chars(textpage)
    chars, visible, cid, rotated = _characters(api, textpage, n, ctm, height, fonts) if n > 0 else ([], 0, 0, 0)

    if not layout._text_to_read(out, visible, cid, image_area, curves, warnings):
        return out
    if rotated > 0.5 * visible:
        warnings.append(f"page {index + 1}: {rotated} characters of rotated text left out")
    out.segs = layout._segments_of(chars)
    if h_edges >= 3 and v_edges >= 3:
        tables.find(index, out, layout)
    return out


def _characters(api: _Api, textpage: int, n: int, ctm, height: float, fonts: dict):
    """The page's upright characters as (text, x0, x1, top, bottom, size, bold) in PDFium's
    order (None for a space of the text), and the counts of visible, unmapped and rotated
    characters."""
    text = _page_text(api, textpage, n)
    handle = ctypes.c_void_p(textpage)
    pooled = api.origins(n)
    # one call per character, made by map() (no Python loop around the calls)
    if pooled is not None:
        buffer, x_at, y_at = pooled
        list(map(api.origin_of, repeat(handle, n), range(n), x_at, y_at))
    else:
        buffer = (ctypes.c_double * (2 * n))()
        base = ctypes.addressof(buffer)
        list(map(api.origin, repeat(textpage, n), range(n), range(base, base + 16 * n, 16),
                 range(base + 8, base + 16 * n + 8, 16)))
    xy = buffer[:2 * n]
    xs, ys = xy[0::2], xy[1::2]

    ra, rb, rc, rd, re_, rf = ctm
    per_object: dict[int, tuple] = {}
    chars: list[Optional[tuple]] = []
    append = chars.append
    visible = cid = rotated = 0
    is_generated = api.is_generated
    for start, end, obj in _object_runs(api, handle, n):
        if obj is None:
            continue  # PDFium's own line breaks
        info = None
        last_x = last_y = y_of = None  # the last origin; the baseline top, bottom, size are of
        first = -1  # index of the last character appended
        for i in range(start, end):
            t = text[i]
            if t.isspace() or not t:
                if t and not (t in " \r\n" and is_generated(textpage, i)):
                    append(None)  # a space of the text (PDFium's own spaces are left out)
                last_x = None
                continue
            ox = xs[i]
            oy = ys[i]
            if ox == last_x and oy == last_y:
                # a further letter of a glyph whose text is several ("fi", a ligature PDFium
                # splits): one character, as pdfminer gives it, as wide as the glyph
                if first >= 0 and chars[-1] is not None:
                    c = chars[-1]
                    x1 = _pieces_right(api, textpage, first, xs[first], ys[first], ra, rb, re_, info)
                    chars[-1] = (c[0] + t, c[1], x1 if x1 is not None else c[2]) + c[3:]
                continue
            last_x, last_y = ox, oy
            if info is None:
                info = per_object.get(obj)
                if info is None:
                    info = per_object[obj] = _object_info(api, textpage, i, obj, ctm, fonts)
                kind, a, b, c, d, size_pt, descent, font, bold, x_scale = info
                widths = font.widths
                dsc = descent * size_pt
                top_edge = dsc + size_pt
                per_width = a * size_pt / 1000.0
                straight = b == 0 and c == 0 and rb == 0 and rc == 0
            visible += 1
            if kind != 1:
                if kind == 0:
                    rotated += 1
                else:
                    cid += 1
                continue
            w = widths.get(t, -1.0)
            if w == -1.0:
                w = widths[t] = _width(api, font, t)
            if w is None:
                adv = _loose_advance(api, textpage, i, ox) / x_scale if x_scale else 0.0
                w = adv * 1000.0 / size_pt if size_pt else 0.0
            first = i
            # pdfminer's box: (0, descent) and (advance, descent + size) through the
            # character's matrix, from its origin, on the page
            if straight:
                px0 = ra * ox + re_
                px1 = px0 + w * per_width
                if px1 < px0:
                    px0, px1 = px1, px0
                if oy != y_of:
                    y_of = oy
                    ly = rd * oy + rf
                    py0, py1 = ly + d * dsc, ly + d * top_edge
                    if py1 < py0:
                        py0, py1 = py1, py0
                    top, bottom, size = height - py1, height - py0, py1 - py0
                append((t, px0, px1, top, bottom, size, bold))
                continue
            adv = w * size_pt / 1000.0
            lx = ra * ox + rc * oy + re_
            ly = rb * ox + rd * oy + rf
            px0, py0 = lx + c * dsc, ly + d * dsc
            px1, py1 = lx + a * adv + c * top_edge, ly + b * adv + d * top_edge
            if px1 < px0:
                px0, px1 = px1, px0
            if py1 < py0:
                py0, py1 = py1, py0
            y_of = None
            append((t, px0, px1, height - py1, height - py0, py1 - py0, bold))
    return chars, visible, cid, rotated


def _pieces_right(api: _Api, textpage: int, index: int, ox: float, oy: float, ra: float, rb: float, re_: float,
                  info) -> Optional[float]:
    """The right edge on the page of a glyph whose text is several letters (its width is
    the glyph's, which no single letter has): from PDFium's loose box; None when the page
    is turned (the caller keeps what it has)."""
    if rb != 0 or info is None or info[2] != 0 or info[3] != 0:
        return None
    adv = _loose_advance(api, textpage, index, ox)
    x0 = ra * ox + re_
    x1 = ra * (ox + adv) + re_
    return max(x0, x1)


def _object_runs(api: _Api, handle, n: int) -> list[tuple[int, int, Optional[int]]]:
    """(first, end, text object) of each run of characters of one text object (None: the
    line breaks PDFium adds). A text object's characters follow each other in PDFium's
    text page (it orders whole objects), so where the first and the last character of a
    stretch are of one object, all of it is: the runs are found by halving, a few calls
    per run instead of one per character."""
    get = api.object_of
    runs: list[list] = []
    if n <= 0:
        return []
    stack = [(0, n - 1, get(handle, 0), get(handle, n - 1))]
    while stack:
        lo, hi, a, b = stack.pop()
        if a == b and (a is not None or hi - lo <= 1):  # line breaks: None, but not one object
            pieces = ((lo, hi, a),)
        elif hi - lo <= 1:
            pieces = ((lo, lo, a), (hi, hi, b))
        else:
            mid = (lo + hi) // 2
            m = get(handle, mid)
            stack.append((mid, hi, m, b))  # popped after the left half: runs come in order
            stack.append((lo, mid, a, m))
            continue
        for p_lo, p_hi, obj in pieces:
            if runs and runs[-1][2] == obj and runs[-1][1] >= p_lo - 1:
                if p_hi > runs[-1][1]:
                    runs[-1][1] = p_hi
            else:
                runs.append([p_lo, p_hi, obj])
    return [(lo, hi + 1, obj) for lo, hi, obj in runs]


def _object_info(api: _Api, textpage: int, index: int, obj: int, ctm, fonts: dict) -> tuple:
    """(kind, a, b, c, d, font size, descent, font, bold, x scale) of the text object of
    character ``index``: kind 1 upright, 0 rotated (pdfminer's test: a·d > 0 and b·c ≤ 0
    on the page), 2 set in a font without Unicode mapping; a … d its matrix on the page,
    the x scale in the unrotated page space (a loose box's width over it is the advance)."""
    m = api.f6
    api.matrix(textpage, index, ctypes.addressof(m))
    a, b, c, d, _, _ = _mult((m[0], m[1], m[2], m[3], 0.0, 0.0), ctm)
    none = _Font(0, False, 0.0)
    if not (a * d > 0 and b * c <= 0):
        return (0, a, b, c, d, 0.0, 0.0, none, False, m[0])
    if api.unicode_error(textpage, index):
        return (2, a, b, c, d, 0.0, 0.0, none, False, m[0])
    handle = api.object_font(obj)
    size_pt = api.font_size(textpage, index)
    if not handle:
        return (1, a, b, c, d, size_pt, 0.0, none, False, m[0])
    font = _font(api, textpage, index, handle, fonts)
    return (1, a, b, c, d, size_pt, font.descent, font, font.bold, m[0])


def _width(api: _Api, font: _Font, t: str) -> Optional[float]:
    """Advance width of character ``t`` in ``font`` per 1000 of the size; None where PDFium
    cannot map the character back to the font's code."""
    if len(t) != 1 or not font.handle:
        return None
    if not api.glyph_width(font.handle, ord(t), 1000.0, ctypes.addressof(api.f1)):
        return None
    w = api.f1[0]
    return w if w > 0 else None


def _loose_advance(api: _Api, textpage: int, index: int, ox: float) -> float:
    """A character's advance on the page (in unrotated page space) from PDFium's loose box,
    where its width cannot be looked up."""
    b = api.f6
    if not api.loose_box(textpage, index, ctypes.addressof(b)):  # FS_RECTF: left, top, right, bottom
        return 0.0
    return max(b[2] - ox, 0.0)


# --------------------------------------------------------------------------------------
# Graphics: images (a scan) and rules (a table)
# --------------------------------------------------------------------------------------

_TEXT, _PATH, _IMAGE, _SHADING, _FORM = 1, 2, 3, 4, 5
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2


def _graphics(api: _Api, page: int, ctm) -> tuple[float, int, int, int]:
    """(area of the images, paths, horizontal rules, vertical rules) of the page, counted
    as the pdfplumber reader counts pdfminer's layout objects: each subpath is a line, a
    rectangle or a curve; a thin one (under 2 pt) is a rule, a rectangle two of each."""
    totals = [0.0, 0, 0, 0]
    m = api.f6
    stack = [(page, True, ctm)]
    while stack:
        holder, is_page, matrix = stack.pop()
        count = api.count_objects(holder) if is_page else api.form_count(holder)
        for k in range(count):
            obj = api.get_object(holder, k) if is_page else api.form_object(holder, k)
            if not obj:
                continue
            kind = api.object_type(obj)
            if kind == _TEXT:
                continue
            if kind not in (_PATH, _IMAGE, _FORM):
                continue
            if not api.object_matrix(obj, ctypes.addressof(m)):
                continue
            full = _mult((m[0], m[1], m[2], m[3], m[4], m[5]), matrix)
            if kind == _FORM:
                stack.append((obj, False, full))
            elif kind == _IMAGE:
                xs, ys = _corners(full, ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)))
                totals[0] += max(max(xs) - min(xs), 0.0) * max(max(ys) - min(ys), 0.0)
            else:
                _path(api, obj, full, totals)
    return totals[0], totals[1], totals[2], totals[3]


def _corners(m, points) -> tuple[list[float], list[float]]:
    a, b, c, d, e, f = m
    return [a * x + c * y + e for x, y in points], [b * x + d * y + f for x, y in points]


def _path(api: _Api, obj: int, matrix, totals: list) -> None:
    """Count one path object's subpaths as pdfminer classifies them."""
    n = api.count_segments(obj)
    if n <= 0:
        return
    fa = ctypes.addressof(api.f6)
    subpaths: list[tuple[str, list]] = []
    shape: list[str] = []
    points: list[tuple[float, float]] = []
    bezier = 0  # points of the current Bézier curve seen (PDFium gives its 3 points one by one)
    for k in range(n):
        seg = api.segment(obj, k)
        if not seg:
            continue
        kind = api.segment_type(seg)
        api.segment_point(seg, fa, fa + 4)
        pt = (api.f6[0], api.f6[1])
        if kind == _MOVETO:
            if shape:
                subpaths.append(("".join(shape), points))
            shape, points = ["m"], [pt]
            continue
        if not shape:
            shape, points = ["m"], [pt]  # a subpath must start with a move: start one here
            continue
        if kind == _BEZIERTO:
            bezier += 1
            if bezier < 3:
                continue  # a control point: pdfminer keeps only where the curve ends
            bezier = 0
        shape.append("l" if kind == _LINETO else "c")
        points.append(pt)
        if api.segment_close(seg):
            if pt == points[0] and len(points) > 1:
                shape[-1] = "h"  # back to the start and closed: pdfminer's "h"
            else:
                shape.append("h")
                points.append(points[0])
    if shape:
        subpaths.append(("".join(shape), points))
    a, b, c, d, e, f = matrix
    for shape_s, pts in subpaths:
        pts = [(a * x + c * y + e, b * x + d * y + f) for x, y in pts]
        if len(shape_s) > 3 and shape_s[-2:] == "lh" and pts[-2] == pts[0]:
            shape_s = shape_s[:-2] + "h"
            pts = pts[:-1]
        totals[1] += 1
        if shape_s in ("mlh", "ml"):
            xs, ys = (pts[0][0], pts[1][0]), (pts[0][1], pts[1][1])
            rect = False
        elif shape_s in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[:4]
            closed = pts[0] == pts[4]
            square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
            rect = closed and square
            if rect:
                xs, ys = (pts[0][0], pts[2][0]), (pts[0][1], pts[2][1])
            else:
                xs, ys = [q[0] for q in pts], [q[1] for q in pts]
        else:
            xs, ys = [q[0] for q in pts], [q[1] for q in pts]
            rect = False
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        if h < 2:
            totals[2] += 1
        elif w < 2:
            totals[3] += 1
        elif rect:
            totals[2] += 2
            totals[3] += 2
