"""Stage 1 — read: bytes on disk → text with page boundaries.

Text files of any common encoding are decoded (BOMs, UTF-16 without BOM, UTF-8, the
legacy Swedish code pages); PDFs go through :mod:`pipeline.pdf`. A file that cannot be
read raises :class:`ReadError` with a reason a person can act on; it never leaks a
traceback to the batch.
"""

from __future__ import annotations

import hashlib
import re
import os
import stat
from dataclasses import dataclass, field

from pipeline.limits import Limits, pdf_reader as choose_pdf_reader
from pipeline.pages import find_pages

#: Larger files are refused rather than read into memory (configurable per call; the
#: default of :class:`~pipeline.limits.Limits`).
DEFAULT_MAX_BYTES = Limits.max_bytes

TEXT_SUFFIXES = {".txt", ".text", ".md", ".csv", ".tsv", ""}
PDF_MAGIC = b"%PDF-"

# Legacy code pages a Swedish text export may come in, most likely first. cp850 is the
# DOS code page of old Nordic archives; mac_roman the classic Mac export.
LEGACY_ENCODINGS = ("cp1252", "iso8859-15", "cp850", "mac_roman")

_SWEDISH_LETTERS = set("åäöÅÄÖéÉüÜ")


class ReadError(Exception):
    """A file that cannot be read; ``reason`` is shown to the user and stored."""

    def __init__(self, reason: str, sha256: str | None = None):
        super().__init__(reason)
        self.reason = reason
        #: the file's hash when its bytes were read, so a failure can be stored without reading it again
        self.sha256 = sha256


@dataclass
class RawDocument:
    """What the reader hands to the cleaner."""

    path: str
    format: str  # "pdf" | "text"
    text: str
    sha256: str
    #: offsets in ``text`` where each page starts; page n (1-based) starts at page_starts[n-1]
    page_starts: list[int] = field(default_factory=lambda: [0])
    pages: int | None = None
    encoding: str | None = None
    #: heading lines the reader recognised from layout (font size/weight), with level
    heading_hints: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: (start, end) in ``text`` of page furniture the cleaner removes (page markers and
    #: running headers of a text export)
    furniture: list[tuple[int, int]] = field(default_factory=list)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_of_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    """The same hash as :func:`sha256_of`, read in blocks (a large file is never held whole)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def read(path: str | os.PathLike, *, max_bytes: int | None = None, limits: Limits | None = None,
         pdf_reader: str | None = None) -> RawDocument:
    """Read one file. Raises :class:`ReadError` for anything that is not a readable document.
    The document's path is the path as it can be shown (a name that is not UTF-8 with its
    bytes as ``\\xNN``, see :func:`pipeline.inputs.display_path`). ``limits`` (default
    :meth:`Limits.from_env() <pipeline.limits.Limits.from_env>`) bound what reading it may
    cost; ``max_bytes`` overrides their ``max_bytes``. ``pdf_reader`` reads a PDF's pages:
    "pdfium" or "pdfplumber" (default :func:`pipeline.limits.pdf_reader`, that is
    ``NAMND_PDF_READER`` or PDFium)."""
    from pipeline.inputs import display_path

    limits = limits or Limits.from_env()
    data = read_file_bytes(path, max_bytes=max_bytes or limits.max_bytes)
    return read_bytes(data, display_path(path), limits=limits, pdf_reader=pdf_reader)


def read_file_bytes(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``. Anything else is refused before
    a byte is read: a folder, a named pipe (reading would wait for a writer), a device
    (/dev/zero never ends), a socket. The file is opened without blocking and checked again
    on the open descriptor, so a file swapped for a pipe in between is refused too."""
    from pipeline.inputs import not_regular_reason

    def check(st: os.stat_result) -> None:
        if stat.S_ISDIR(st.st_mode):
            raise ReadError("is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise ReadError(not_regular_reason(st.st_mode))
        if st.st_size > max_bytes:
            raise ReadError(f"file too large: {st.st_size} bytes (limit {max_bytes})")

    try:
        check(os.stat(path))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ReadError(f"cannot open: {exc.strerror or exc}") from None
    try:
        with open(fd, "rb") as fh:
            check(os.fstat(fd))
            blocks, size = [], 0
            while size <= max_bytes:  # a file that grows while it is read stops at the limit
                block = fh.read(min(1 << 24, max_bytes + 1 - size))
                if not block:
                    break
                blocks.append(block)
                size += len(block)
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise ReadError(f"file too large: more than {max_bytes} bytes (limit {max_bytes})")
    return blocks[0] if len(blocks) == 1 else b"".join(blocks)


def read_bytes(data: bytes, path: str = "<bytes>", *, limits: Limits | None = None,
               pdf_reader: str | None = None) -> RawDocument:
    """Read a file's bytes (``path`` names it; a name ending in .pdf is read as a PDF)."""
    if pdf_reader is not None:
        choose_pdf_reader(pdf_reader)  # ValueError for a reader that does not exist, whatever the file
    digest = sha256_of(data)
    try:
        return _read_bytes(data, path, digest, limits, pdf_reader)
    except ReadError as exc:
        if exc.sha256 is None:
            exc.sha256 = digest
        raise


def _read_bytes(data: bytes, path: str, digest: str, limits: Limits | None = None,
                pdf_reader: str | None = None) -> RawDocument:
    if not data:
        raise ReadError("empty file")
    # a PDF may have a few bytes of junk before its header (readers accept 1 KB of it)
    junk_then_pdf = PDF_MAGIC in data[:1024] and b"endobj" in data
    if data.startswith(PDF_MAGIC) or junk_then_pdf or path.lower().endswith(".pdf"):
        from pipeline import pdf  # pdfplumber is imported only when a PDF is read

        return pdf.read_pdf(data, path, digest, limits=limits, reader=pdf_reader)
    text, encoding, padding = _decode(data)
    if not text.strip():
        raise ReadError("no text: the file holds only whitespace")
    page_starts = [0]
    # Page markers ("Sida 2 (4)", "Sid 3 av 5") are page breaks, and the cleaner removes them.
    found = find_pages(text)
    warnings = []
    if padding:
        warnings.append(f"removed {padding} NUL bytes that padded the end of the file")
    if found.pages:
        warnings.append(f"removed page markers of {found.pages} pages ({found.placement}s)")
    # Form feeds mark pages in text exports (pdftotext, old word processors).
    if "\f" in text:
        page_starts += [i + 1 for i, ch in enumerate(text) if ch == "\f"]
        # a trailing form feed does not start a page
        if page_starts[-1] >= len(text):
            page_starts.pop()
        pages = len(page_starts)
    elif found.pages:
        page_starts, pages = found.page_starts, found.pages
    else:
        pages = None
    return RawDocument(path=path, format="text", text=text, sha256=digest, page_starts=page_starts,
                       pages=pages, encoding=encoding, furniture=found.furniture, warnings=warnings)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes of a text file; returns (text, encoding name). Raises ReadError for binary data.

    No text holds a NUL (beyond the zero bytes of UTF-16's code units): NULs that only pad
    the end of the file (a file preallocated or zero-filled after a crash) are dropped,
    and a file with a NUL anywhere else is binary, wherever in the file it stands."""
    text, encoding, _ = _decode(data)
    return text, encoding


def _decode(data: bytes) -> tuple[str, str, int]:
    """(text, encoding, NUL bytes dropped from the end): :func:`decode_text`'s work."""
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding, width = _strict(data[3:], "utf-8"), "utf-8-sig", 1
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding, width = _strict(data, "utf-16"), "utf-16", 2
    elif utf16 := _sniff_utf16_without_bom(data):
        text, encoding, width = _strict(data, utf16), utf16, 2
    else:
        body = data.rstrip(b"\x00")
        if not body and data:
            raise ReadError("binary file: holds only NUL bytes")
        at = body.find(b"\x00")
        if at >= 0:
            raise ReadError(f"binary file: contains NUL bytes (the first at byte {at}), not text")
        try:
            text = body.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            text, encoding = _best_legacy_decoding(body)
        if _control_ratio(text) > 0.01:
            raise ReadError("binary file: too many control characters for text")
        return text, encoding, len(data) - len(body)
    body = text.rstrip("\x00")
    at = body.find("\x00")
    if at >= 0:
        raise ReadError(f"binary file: contains NUL characters (the first at character {at}), not text")
    if not body and text:
        raise ReadError("binary file: holds only NUL characters")
    return body, encoding, (len(text) - len(body)) * width


def _strict(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReadError(f"undecodable {encoding} text at byte {exc.start}") from None
    return text.lstrip("\ufeff")


def _sniff_utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _best_legacy_decoding(data: bytes) -> tuple[str, str]:
    """Pick the legacy code page whose decoding looks most like Swedish text."""
    best: tuple[float, str, str] | None = None
    for enc in LEGACY_ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None:  # latin-1 decodes any byte sequence
        return data.decode("latin-1"), "latin-1"
    return best[1], best[2]


def _plausibility(text: str) -> float:
    swedish = sum(1 for ch in text if ch in _SWEDISH_LETTERS)
    odd = sum(1 for ch in text if ord(ch) > 127 and ch not in _SWEDISH_LETTERS and not ch.isalpha())
    # box-drawing and symbols from the wrong code page count against a candidate
    return swedish - 3 * odd


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:65536]
    # C0 controls only: C1 characters appear in mojibake, which the cleaner repairs
    return len(_CONTROL.findall(sample)) / len(sample)
