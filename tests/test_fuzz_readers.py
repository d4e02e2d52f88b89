"""Fuzzing the readers: whatever the bytes and whatever the file's name, reading gives a
document or the library's own :class:`~pipeline.read.ReadError` with a reason, never
another exception and never a hang.

Three properties, each over examples hypothesis makes from a fixed seed (``derandomize``,
no example database: CI runs the same examples every time), sized to keep the file under
half a minute on two cores:

* any bytes as a text file: :func:`~pipeline.read.read_bytes`, then the cleaner;
* a small valid PDF made here, with bytes flipped, inserted, deleted or cut off: the PDF
  reader (OCR off, a short time limit);
* any file name (Unicode, and on Linux any bytes, as the file system hands them over):
  a small file written under it, read through the path API and extracted.

A hang would not raise: each example runs under hypothesis's deadline and a watchdog
(:func:`faulthandler.dump_traceback_later`) that ends the run with every thread's stack
if one example takes more than a minute.
"""

from __future__ import annotations

import faulthandler
import os
import sys
import tempfile
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from models import Record
from pipeline.clean import clean
from pipeline.read import RawDocument, ReadError, read, read_bytes
from test_hardening_readers import build_pdf

#: seconds an example may run before the watchdog ends the run
WATCHDOG = 60
FUZZ = settings(derandomize=True, database=None, deadline=timedelta(seconds=10), print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def pdf_limits():
    """What a mutated PDF may cost: a short time limit (and OCR is off, see no_ocr)."""
    from pipeline.limits import Limits

    return Limits(timeout=8.0, max_decompressed=64_000_000)


@contextmanager
def watchdog():
    faulthandler.dump_traceback_later(WATCHDOG, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


@pytest.fixture(autouse=True, scope="module")
def no_ocr():
    """OCR off: a mutation that leaves a page without text would otherwise start Tesseract."""
    patch = pytest.MonkeyPatch()
    patch.setenv("NAMND_OCR", "0")
    yield
    patch.undo()


def read_or_reason(call):
    """What ``call`` returns, or None when it raises a ReadError with a reason."""
    try:
        return call()
    except ReadError as exc:
        assert isinstance(exc.reason, str) and exc.reason.strip(), repr(exc.reason)
        return None


def check_document(raw: RawDocument) -> None:
    assert isinstance(raw, RawDocument) and isinstance(raw.text, str) and raw.text.strip()
    assert "\x00" not in raw.text
    assert raw.page_starts and raw.page_starts[0] == 0
    assert all(0 <= s <= len(raw.text) for s in raw.page_starts)
    assert all(0 <= a <= b <= len(raw.text) for a, b in raw.furniture)


# -- (a) any bytes as a text file -----------------------------------------------------------------

SWEDISH = "abcdefghijklmnopqrstuvwxyzåäöéABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ0123456789 .,;:-–§/()\n\t\f~q|@"
SWEDISH_TEXT = st.text(alphabet=SWEDISH, max_size=600)
#: bytes of text files as they come: any bytes, and Swedish-looking text in the encodings
#: the reader knows (with OCR damage, page markers, form feeds, a stray control character)
TEXT_FILES = st.one_of(
    st.binary(max_size=3000),
    SWEDISH_TEXT.map(lambda t: t.encode("utf-8")),
    SWEDISH_TEXT.map(lambda t: t.encode("cp1252", "replace")),
    SWEDISH_TEXT.map(lambda t: t.encode("utf-16")),
    SWEDISH_TEXT.map(lambda t: t.encode("utf-16-le")),
    st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(SWEDISH_TEXT, st.sampled_from(["\nSida 2 (3)\n", "\n2 (4)\n", "\fSid 3 av 5\n", "\x00", "\x00" * 9,
                                            "\x01", "\r\n", "\ufeff", "Ã¶", "S mlok liseringen  v "]),
              SWEDISH_TEXT).map(lambda t: "".join(t).encode("utf-8", "surrogatepass")),
)


@settings(FUZZ, max_examples=1500)
@given(TEXT_FILES)
@example(b"Socialn\xe4mnden\x00" + b"x" * 70_000)      # a NUL among the first bytes
@example(b"Samverkan med polisen. " * 4000 + b"\x00 och mer")  # a NUL after the first 64 KB
@example(b"Samverkan med polisen." + bytes(70_000))     # NUL padding at the end only
@example("Sida 1 (2)\nText\n\fSida 2 (2)\n\f".encode())
@example(b"\xff\xfe\x00")                               # a UTF-16 BOM and half a code unit
@example("\ud800 lokalpolisen".encode("utf-8", "surrogatepass"))
def test_any_bytes_as_a_text_file_read_and_clean(data):
    with watchdog():
        raw = read_or_reason(lambda: read_bytes(data, "fuzz.txt"))
        if raw is None:
            return
        check_document(raw)
        assert raw.format == "text"
        cleaned = clean(raw.text, raw.furniture)
        assert isinstance(cleaned.text, str) and "\x00" not in cleaned.text
        for r in cleaned.repairs:
            assert 0 <= r.start <= r.end <= len(cleaned.text)
            assert cleaned.text[r.start:r.end] == r.replacement
            assert raw.text[r.original_start:r.original_end] == r.original


# -- (b) mutated PDFs ----------------------------------------------------------------------------

def _small_pdfs() -> list[bytes]:
    """Two small valid PDFs: fpdf2's (compressed, with an image and an outline-free page
    tree) and one written by hand (uncompressed, a cross-reference table to break)."""
    from fpdf import FPDF

    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", "B", size=16)
    doc.cell(0, 10, "Samverkan med polisen", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("helvetica", size=11)
    doc.multi_cell(0, 6, "Socialnämnden beslutade enligt 14 kap. 1 § SoL att fortsätta samverkan. " * 4)
    doc.add_page()
    doc.multi_cell(0, 6, "Två socialsekreterare arbetar i lokalpolisområdet tre dagar i veckan. " * 3)
    fpdf_bytes = bytes(doc.output())

    text = (b"BT /F1 12 Tf 72 770 Td (Socialn\xe4mnden f\xf6ljer upp samverkan med polisen) Tj "
            b"0 -16 Td (i lokalpolisomr\xe5det under \xe5ret.) Tj ET")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
               b"/Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    return [fpdf_bytes, build_pdf(objects)]


PDFS = _small_pdfs()

#: one change to a PDF's bytes: (kind, where as a fraction of its length, bytes)
MUTATION = st.tuples(st.sampled_from(["flip", "insert", "delete", "truncate", "replace"]),
                     st.floats(min_value=0, max_value=1, allow_nan=False),
                     st.binary(min_size=1, max_size=16)
                     | st.sampled_from([b"obj", b"endobj", b"stream", b"R", b"<<", b">>", b"[", b"(", b"\\",
                                        b"999999999", b"-1", b"/Length 0", b"/Count 99999", b"%%EOF", b"0 0 R"]))


def mutate(data: bytes, mutations: list[tuple[str, float, bytes]]) -> bytes:
    buf = bytearray(data)
    for kind, where, blob in mutations:
        at = min(int(where * len(buf)), max(len(buf) - 1, 0))
        if kind == "flip" and buf:
            buf[at] ^= blob[0] or 0x01
        elif kind == "insert":
            buf[at:at] = blob
        elif kind == "delete":
            del buf[at:at + len(blob) * 8]
        elif kind == "truncate":
            del buf[at:]
        else:
            buf[at:at + len(blob)] = blob
    return bytes(buf)


@settings(FUZZ, max_examples=1200)
@given(st.sampled_from(range(len(PDFS))), st.lists(MUTATION, min_size=1, max_size=4))
@example(1, [("replace", 0.55, b"/Count 99999")])
@example(1, [("truncate", 0.5, b"x")])
@example(0, [("flip", 0.3, b"\xff"), ("flip", 0.31, b"\xff")])
def test_mutated_pdf_reads_or_fails_with_a_reason(which, mutations):
    data = mutate(PDFS[which], mutations)
    with watchdog():
        raw = read_or_reason(lambda: read_bytes(data, "fuzz.pdf", limits=pdf_limits()))
    if raw is not None:
        check_document(raw)
        assert raw.format == "pdf" and raw.pages == len(raw.page_starts)


def test_the_pdfs_fuzzed_are_readable_as_made():
    for data in PDFS:
        assert "Socialnämnden" in read_bytes(data, "hel.pdf", limits=pdf_limits()).text


# -- (c) file names -----------------------------------------------------------------------------

CONTENT = "Socialnämnden i Vara beslutade den 4 mars 2021 att fortsätta samverkan med polisen.\n"


def _usable(name: str) -> bool:
    if not name or name in (".", "..") or "/" in name or "\x00" in name:
        return False
    try:
        encoded = os.fsencode(name)
    except UnicodeEncodeError:  # a lone surrogate the file system cannot have handed over
        return False
    return len(encoded) <= 200


UNICODE_NAMES = st.text(min_size=1, max_size=40).filter(_usable)
BYTE_NAMES = (st.binary(min_size=1, max_size=60)
              .filter(lambda b: b"/" not in b and b"\x00" not in b and b not in (b".", b".."))
              .map(os.fsdecode).filter(_usable))
NAMES = st.one_of(UNICODE_NAMES, BYTE_NAMES) if sys.platform.startswith("linux") else UNICODE_NAMES


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory(prefix="namnd-fuzz-") as tmp:
        yield Path(tmp)


@settings(FUZZ, max_examples=400)
@given(name=NAMES, suffix=st.sampled_from(["", ".txt", ".TXT", ".md", ".pdf"]))
@example(name="rapport_\udce5r", suffix=".txt")          # Latin-1 "å" from an old share
@example(name="-n", suffix="")
@example(name="\n\t lokal polis \r", suffix=".txt")
@example(name="a" * 180, suffix=".txt")
def test_any_file_name_is_read_through_the_path_api(pipeline, folder, name, suffix):
    path = folder / (name + suffix)
    try:
        path.write_text(CONTENT, encoding="utf-8")
    except OSError:  # a name this file system refuses (too long once suffixed, …)
        return
    try:
        with watchdog():
            for given_as in (str(path), path, os.fsencode(path)):
                raw = read_or_reason(lambda: read(given_as))
                if suffix == ".pdf":
                    assert raw is None  # a text file with a PDF's name: "corrupt PDF"
                    continue
                check_document(raw)
                assert raw.text == CONTENT
                raw.path.encode("utf-8")  # printable and storable as it is
            if suffix != ".pdf":
                record = pipeline.extract_file(str(path))
                assert isinstance(record, Record) and record.text == CONTENT.strip()
                record.model_dump_json()  # and so is the record holding it
    finally:
        path.unlink()
