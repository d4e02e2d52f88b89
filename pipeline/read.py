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
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.pages import find_pages

#: Larger files are refused rather than read into memory (configurable per call).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

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


def read(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read one file. Raises :class:`ReadError` for anything that is not a readable document."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ReadError(f"cannot open: {exc.strerror or exc}") from None
    if p.is_dir():
        raise ReadError("is a directory")
    if size > max_bytes:
        raise ReadError(f"file too large: {size} bytes (limit {max_bytes})")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}") from None
    return read_bytes(data, str(p))


def read_bytes(data: bytes, path: str = "<bytes>") -> RawDocument:
    digest = sha256_of(data)
    try:
        return _read_bytes(data, path, digest)
    except ReadError as exc:
        if exc.sha256 is None:
            exc.sha256 = digest
        raise


def _read_bytes(data: bytes, path: str, digest: str) -> RawDocument:
    if not data:
        raise ReadError("empty file")
    # a PDF may have a few bytes of junk before its header (readers accept 1 KB of it)
    junk_then_pdf = PDF_MAGIC in data[:1024] and b"endobj" in data
    if data.startswith(PDF_MAGIC) or junk_then_pdf or path.lower().endswith(".pdf"):
        from pipeline import pdf  # pdfplumber is imported only when a PDF is read

        return pdf.read_pdf(data, path, digest)
    text, encoding = decode_text(data)
    if not text.strip():
        raise ReadError("no text: the file holds only whitespace")
    page_starts = [0]
    # Page markers ("Sida 2 (4)", "Sid 3 av 5") are page breaks, and the cleaner removes them.
    found = find_pages(text)
    warnings = []
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
    """Decode bytes of a text file; returns (text, encoding name). Raises ReadError for binary data."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16"), "utf-16"
    utf16 = _sniff_utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16), utf16
    if b"\x00" in data[:65536]:
        raise ReadError("binary file: contains NUL bytes, not text")
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text, encoding = _best_legacy_decoding(data)
    if _control_ratio(text) > 0.01:
        raise ReadError("binary file: too many control characters for text")
    return text, encoding


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
