"""The two PDF page readers, PDFium's text API (``pipeline/pdfium_reader.py``) and
pdfplumber, give the same document.

Every PDF the tests make is read by both and the results compared — text, heading hints,
page starts, page count, warnings, or the reason a file fails: the fpdf2 documents of
``tests/fixtures/pdf/make_pdfs.py`` (a bold, larger title and headings, running headers,
page numbers, words hyphenated at line ends, two columns), the LibreOffice fixtures, the
hyphenation, heading and table pages, a scanned page and a page mixing scan and text, the
PDFs ``tests/test_hardening_readers.py`` writes object by object, broken and encrypted
files; and PDFs written here for what a page can do (a turned page, a media box away from
the origin, a crop box, text in a form XObject, kerning and gaps in ``TJ``, letter and word
spacing, text scaled by its matrix, invisible text, two columns, a ruled table). Where
PDFium reads the file it is checked that it did (no hand-over to pdfplumber), and where it
must not (encrypted, truncated, a stream bomb, filters it cannot count) that it handed the
file over.

Then the choice itself: ``--pdf-reader`` on ``extract``, ``review`` and ``ingest``
(``NAMND_PDF_READER``), ``Pipeline(pdf_reader=...)``, ``read(..., pdf_reader=...)``; the
time limit and the decompression check on the PDFium path.
"""

from __future__ import annotations

import logging
import time
import zlib

import pytest
from click.testing import CliRunner

from models import Record
from pipeline import pdf, pdfium_reader
from pipeline.limits import DEFAULT_PDF_READER, MB, PDF_READERS, Limits, pdf_reader
from pipeline.read import ReadError, read, read_bytes
from test_pdf import FIXTURES, NAMES, _small_pdf, make_pdfs, needs_fonts
from test_hardening_readers import (TEXT, _lzw, build_pdf, fake_tesseract, many_pages_pdf, one_page_pdf,
                                    scanned_page_pdf, stream, zeros_flate)



def outcome(data: bytes, reader: str, name: str = "dokument.pdf", **options):
    """What reading ``data`` gives: the RawDocument's parts a later stage uses, or the
    reason it fails."""
    try:
        raw = pdf.read_pdf(data, name, "x", reader=reader, **options)
    except ReadError as exc:
        return ("fails", exc.reason)
    return {"text": raw.text, "headings": raw.heading_hints, "page_starts": raw.page_starts, "pages": raw.pages,
            "warnings": raw.warnings}


def assert_same(data: bytes, name: str = "dokument.pdf", **options):
    """Both readers give the same; returns that."""
    plumber = outcome(data, "pdfplumber", name, **options)
    pdfium = outcome(data, "pdfium", name, **options)
    if isinstance(plumber, dict) and isinstance(pdfium, dict):
        for part in plumber:  # one part at a time: a failure shows which differs
            assert pdfium[part] == plumber[part], part
    assert pdfium == plumber
    return pdfium


def pdfium_reads(data: bytes, limits: Limits | None = None) -> bool:
    """Does the PDFium reader read this file itself (rather than hand it to pdfplumber)?"""
    try:
        pdfium_reader.read_pages(data, limits or Limits(), pdf._Deadline(60.0), [])
    except pdfium_reader.Fallback:
        return False
    return True


def handed_over_because(data: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(pdfium_reader.Fallback) as exc:
        pdfium_reader.read_pages(data, limits or Limits(), pdf._Deadline(60.0), [])
    return str(exc.value)


# -- the documents the PDF tests make ----------------------------------------------------------

@pytest.fixture(scope="module")
def fpdf_documents(tmp_path_factory) -> dict[str, bytes]:
    if make_pdfs.fonts() is None:
        pytest.skip("DejaVu fonts (fonts-dejavu-core) not installed")
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for name in NAMES:
        path = folder / f"{name[:3]}.pdf"
        make_pdfs.make_fpdf(name, path)
        out[name] = path.read_bytes()
    return out


@pytest.mark.parametrize("name", NAMES, ids=[n[:3] for n in NAMES])
def test_fpdf2_documents_read_the_same(fpdf_documents, name):
    data = fpdf_documents[name]
    assert pdfium_reads(data)
    raw = assert_same(data)
    gold = make_pdfs.load_source(name).headings
    assert {h: raw["headings"].get(h) for h in gold} == gold
    assert any("running header" in w for w in raw["warnings"]) and any("page numbers" in w for w in raw["warnings"])


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.pdf")))
def test_the_pdfs_in_the_repository_read_the_same(fixture):
    """The LibreOffice fixtures: justified text hyphenated by LibreOffice (PDFium marks those
    hyphens), "fi" and "fl" ligatures, two columns, TrueType fonts."""
    data = (FIXTURES / fixture).read_bytes()
    assert pdfium_reads(data)
    assert_same(data)


@needs_fonts
@pytest.mark.parametrize("make", ["hyphenation", "headings", "wrapped-headings", "table", "long"])
def test_the_test_pages_read_the_same(tmp_path, make):
    path = tmp_path / f"{make}.pdf"
    if make == "hyphenation":
        make_pdfs.hyphenation_pdf(path, ["Barnet fick en LVU-", "placering och bor nu i Rinkeby-",
                                         "Kista. Kontakten med social-", "tjänsten sköts av kultur-",
                                         "och fritidsförvaltningen via e-", "post sedan 2023-", "2024."])
    elif make == "headings":
        make_pdfs.headings_pdf(path, ["Ekonomi", "Budget och uppföljning"])
    elif make == "wrapped-headings":
        make_pdfs.headings_pdf(path, ["Rapport om", "Samverkan med polisen"])
    elif make == "table":
        make_pdfs.table_pdf(path)
    else:
        make_pdfs.long_pdf(path, 6)
    data = path.read_bytes()
    assert pdfium_reads(data)
    raw = assert_same(data)
    if make == "table":  # PDFium finds no tables: pdfplumber's finder reads this page's
        assert "Järva | 3 | 3,5" in raw["text"] and any("table" in w for w in raw["warnings"])


def test_a_scanned_page_and_a_page_of_scan_and_text_are_read_the_same(tmp_path, monkeypatch, fpdf_documents):
    """The scanned page goes to OCR (a stand-in for Tesseract here) whichever reader found it."""
    import pypdfium2 as pdfium

    monkeypatch.setenv("NAMND_TESSERACT", str(fake_tesseract(tmp_path)))
    monkeypatch.setenv("NAMND_OCR", "1")
    scan = scanned_page_pdf(595, 842)
    raw = assert_same(scan)
    assert "Socialnämnden beslutade" in raw["text"] and any("OCR'd" in w for w in raw["warnings"])

    text_pdf = tmp_path / "text.pdf"
    text_pdf.write_bytes(fpdf_documents[NAMES[2]])
    scan_pdf = tmp_path / "scan.pdf"
    scan_pdf.write_bytes(scan)
    mixed = pdfium.PdfDocument.new()
    for source, pages in ((scan_pdf, [0]), (text_pdf, [1, 2])):
        doc = pdfium.PdfDocument(str(source))
        mixed.import_pages(doc, pages)
        doc.close()
    path = tmp_path / "blandad.pdf"
    mixed.save(str(path))
    mixed.close()
    raw = assert_same(path.read_bytes())
    assert raw["pages"] == 3 and any(w.startswith("page(s) 1 had no text layer") for w in raw["warnings"])


# -- the PDFs written object by object ---------------------------------------------------------

@pytest.mark.parametrize("filters", ["none", "flate", "flate-bad-checksum", "runlength", "lzw"])
def test_compressed_content_reads_the_same(filters):
    if filters == "none":
        content, attributes = TEXT, b""
    elif filters == "flate":
        content, attributes = zlib.compress(TEXT), b"/Filter /FlateDecode"
    elif filters == "flate-bad-checksum":
        content, attributes = zlib.compress(TEXT)[:-4] + b"\x00\x00\x00\x00", b"/Filter /FlateDecode"
    elif filters == "runlength":
        content = b"".join(bytes([len(TEXT[i:i + 100]) - 1]) + TEXT[i:i + 100] for i in range(0, len(TEXT), 100)) + b"\x80"
        attributes = b"/Filter /RunLengthDecode"
    else:
        content, attributes = _lzw(TEXT), b"/Filter /LZWDecode"
    data = one_page_pdf(content, attributes)
    raw = assert_same(data)
    assert "Socialnämnden beslutade att godkänna rapporten om samverkan" in raw["text"]
    # LZW and RunLength streams are not counted before PDFium opens a file: pdfplumber reads it
    assert pdfium_reads(data) == (filters in ("none", "flate", "flate-bad-checksum"))


def test_many_pages_and_the_page_limit_read_the_same():
    data = many_pages_pdf(50)
    assert pdfium_reads(data)
    assert assert_same(data)["pages"] == 50
    failed = assert_same(data, limits=Limits(max_pages=10))
    assert failed == ("fails", "PDF too long: 50 pages (limit 10), see --max-pages")


def test_a_stream_bomb_fails_the_same_and_pdfium_never_decodes_it():
    data = one_page_pdf(zeros_flate(64), b"/Filter /FlateDecode")  # 64 MiB of zeros in 65 KB
    limits = Limits(max_decompressed=16 * MB)
    assert "decompression limit" in handed_over_because(data, limits)
    started = time.perf_counter()
    failed = assert_same(data, limits=limits)
    assert time.perf_counter() - started < 20
    assert failed[0] == "fails" and "too large when decompressed" in failed[1] and "16 MB" in failed[1]


@pytest.mark.parametrize("make,handed_over", [
    (lambda: _small_pdf(), None),
    (lambda: _small_pdf(owner_password="ägare"), "encrypted"),
    (lambda: _small_pdf(owner_password="ägare", user_password="hemligt"), "encrypted"),
    (lambda: _small_pdf()[: len(_small_pdf()) // 2], "truncated"),
    (lambda: _small_pdf()[:-40], "truncated"),
    (lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8, "truncated"),
    (lambda: b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n", ""),
    (lambda: b"%PDF-1.4\n%%EOF\n", ""),
    (lambda: build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]), "no text"),
], ids=["whole", "owner-password", "user-password", "truncated-half", "truncated-end", "garbage", "no-pages",
        "header-only", "blank"])
def test_broken_and_encrypted_files_fail_or_read_the_same(make, handed_over):
    data = make()
    assert_same(data, "trasig.pdf")
    if handed_over is None:
        assert pdfium_reads(data)
    else:
        assert handed_over in handed_over_because(data)


# -- what a page can do ------------------------------------------------------------------------

BODY = ["Socialnämnden har under året följt upp samverkan med polisen i stadsdelen.",
        "Socialsekreterarna arbetar tre dagar i veckan på polisstationen i Rinkeby.",
        "Uppföljningen visar att samverkan har blivit tätare och att fler ungdomar",
        "har fått stöd tidigt. Nämnden föreslår att arbetet fortsätter under nästa år."]
REGULAR = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
BOLD = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
FONTS = b"<< /F1 5 0 R /F2 6 0 R >>"


def _show(text: str) -> bytes:
    return text.encode("cp1252")


def page_text(heading: str = "Samverkan med polisen", y: int = 760, extra: bytes = b"") -> bytes:
    """A bold 16-point heading and four lines of 11-point body text, one text object each."""
    out = b"BT /F2 16 Tf 72 %d Td (%s) Tj ET " % (y, _show(heading))
    for k, line in enumerate(BODY):
        out += b"BT /F1 11 Tf 72 %d Td (%s) Tj ET " % (y - 30 - 15 * k, _show(line))
    return out + extra


def a_page(content: bytes, mediabox: bytes = b"[0 0 595 842]", page: bytes = b"", more: tuple = (),
           xobjects: bytes = b"") -> bytes:
    resources = b"<< /Font " + FONTS + (b" /XObject " + xobjects if xobjects else b"") + b" >>"
    return build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      b"<< /Type /Page /Parent 2 0 R /MediaBox " + mediabox + b" " + page + b" /Resources "
                      + resources + b" /Contents 4 0 R >>", stream(content), REGULAR, BOLD] + list(more))


def three_pages() -> bytes:
    """Three pages under a running header, numbered in the footer, each with its heading."""
    contents = []
    for i, heading in enumerate(["Bakgrund", "Ärendet", "Bedömning"], 1):
        contents.append(b"BT /F1 8 Tf 72 800 Td (%s) Tj ET " % _show("Stockholms stad - Tjänsteutlåtande")
                        + page_text(heading) + b"BT /F1 8 Tf 280 40 Td (Sid %d av 3) Tj ET" % i)
    kids = b" ".join(b"%d 0 R" % (7 + 2 * i) for i in range(3))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count 3 >>" % kids, b"<< >>",
               b"<< >>", REGULAR, BOLD]
    for i, content in enumerate(contents):
        objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font " + FONTS
                    + b" >> /Contents %d 0 R >>" % (8 + 2 * i), stream(content)]
    return build_pdf(objects)


def two_columns() -> bytes:
    left = b"".join(b"BT /F1 10 Tf 72 %d Td (%s) Tj ET " % (700 - 13 * k, _show(line[:38]))
                    for k, line in enumerate(BODY * 3))
    right = b"".join(b"BT /F1 10 Tf 320 %d Td (%s) Tj ET " % (700 - 13 * k, _show(line[38:]))
                     for k, line in enumerate(BODY * 3))
    return a_page(b"BT /F2 16 Tf 72 760 Td (J\xe4rva) Tj ET " + left + right)


def ruled_table() -> bytes:
    rules = b"".join(b"72 %d m 472 %d l S " % (600 - 20 * k, 600 - 20 * k) for k in range(4))
    rules += b"".join(b"%d 540 m %d 600 l S " % (x, x) for x in (72, 272, 372, 472))
    cells = b""
    for k, row in enumerate([("Område", "Antal", "Dagar"), ("Järva", "3", "3,5"), ("Globen", "1", "2")]):
        for x, cell in zip((76, 276, 376), row):
            cells += b"BT /F1 10 Tf %d %d Td (%s) Tj ET " % (x, 585 - 20 * k, _show(cell))
    return a_page(page_text() + rules + cells)


FORM = stream(b"BT /F1 11 Tf 0 0 Td (Texten i formul\xe4ret st\xe5r i ett eget XObject.) Tj ET",
              b"/Type /XObject /Subtype /Form /BBox [0 0 400 50] /Resources << /Font " + FONTS + b" >>")

PAGES = {
    "plain": lambda: a_page(page_text()),
    "turned-90": lambda: a_page(page_text(), page=b"/Rotate 90"),
    "turned-90-upright": lambda: a_page(b"q 0 1 -1 0 595 0 cm " + page_text(y=500) + b"Q", page=b"/Rotate 90"),
    "turned-270-upright": lambda: a_page(b"q 0 -1 1 0 0 842 cm " + page_text(y=500) + b"Q", page=b"/Rotate 270"),
    "mediabox-away-from-origin": lambda: a_page(b"q 1 0 0 1 50 50 cm " + page_text() + b"Q", mediabox=b"[50 50 645 892]"),
    "cropbox": lambda: a_page(page_text(), page=b"/CropBox [20 20 575 822]"),
    "form-xobject": lambda: a_page(page_text() + b"q 1 0 0 1 72 600 cm /Fm1 Do Q", more=(FORM,),
                                   xobjects=b"<< /Fm1 7 0 R >>"),
    "scaled-form-xobject": lambda: a_page(page_text() + b"q 1.5 0 0 1.5 72 560 cm /Fm1 Do Q", more=(FORM,),
                                          xobjects=b"<< /Fm1 7 0 R >>"),
    # words set apart by TJ's positioning, no space characters; kerning inside words
    "tj-gaps-and-kerning": lambda: a_page(page_text(extra=b"BT /F1 11 Tf 72 600 Td [(Samverk) 20 (an) -280 (med) -280 "
                                                          b"(polisen) -30 (s) 15 (ker) -1000 (i) -280 (Rinkeby.)] TJ ET")),
    "letter-and-word-spacing": lambda: a_page(page_text(extra=b"BT /F1 11 Tf 1.5 Tc 4 Tw 72 600 Td "
                                                              b"(Samverkan med polisen fungerar v\xe4l.) Tj ET")),
    "scaled-by-the-text-matrix": lambda: a_page(
        b"BT /F2 1 Tf 16 0 0 16 72 760 Tm (Samverkan med polisen) Tj ET "
        + b"".join(b"BT /F1 1 Tf 11 0 0 11 72 %d Tm (%s) Tj ET " % (730 - 15 * k, _show(line))
                   for k, line in enumerate(BODY))),
    "invisible-text": lambda: a_page(b"3 Tr " + page_text()),
    "three-pages": three_pages,
    "two-columns": two_columns,
    "ruled-table": ruled_table,
}


@pytest.mark.parametrize("make", list(PAGES))
def test_what_a_page_can_do_reads_the_same(make):
    data = PAGES[make]()
    assert pdfium_reads(data) or make == "turned-90"  # a page of only rotated text has no text for either
    raw = assert_same(data)
    if make == "turned-90":
        assert raw == ("fails", "PDF has no text: its 1 page(s) hold neither text nor images")
    else:
        assert "Socialsekreterarna arbetar tre dagar i" in raw["text"]
    if make == "three-pages":
        assert raw["page_starts"][1] > 0 and set(raw["headings"]) >= {"Bakgrund", "Ärendet", "Bedömning"}
        assert any("running header" in w for w in raw["warnings"]) and any("page numbers" in w for w in raw["warnings"])
    if make == "ruled-table":
        assert "Järva | 3 | 3,5" in raw["text"]


def test_text_drawn_twice_at_one_place_is_read_once_by_pdfium():
    """A documented difference: a text object printed again 0.4 pt to the right (bold made
    by overprinting) is read twice by pdfminer, once by PDFium."""
    again = b"".join(b"BT /F1 14 Tf %.1f 640 Td (Rubrik i fetstil) Tj ET " % (72 + dx) for dx in (0.0, 0.4))
    data = a_page(page_text(extra=again))
    assert outcome(data, "pdfplumber")["text"].count("Rubrik i fetstil") == 2
    assert outcome(data, "pdfium")["text"].count("Rubrik i fetstil") == 1


# -- the decompression check -------------------------------------------------------------------

def test_small_flate_streams_are_not_inflated_to_be_counted(monkeypatch):
    def never(*args):
        raise AssertionError("inflated")

    monkeypatch.setattr(pdfium_reader, "_inflated_size", never)
    pdfium_reader.check_streams(one_page_pdf(zlib.compress(TEXT), b"/Filter /FlateDecode"), 512 * MB)


def test_streams_are_inflated_and_counted_when_the_worst_case_does_not_fit():
    data = one_page_pdf(zlib.compress(TEXT * 200), b"/Filter /FlateDecode")
    pdfium_reader.check_streams(data, 2 * MB)  # worst case ~ 1100 × its size: counted, and it fits
    with pytest.raises(pdfium_reader.Fallback):
        pdfium_reader.check_streams(data, 20_000)


@pytest.mark.parametrize("attributes,why", [
    (b"/Filter 9 0 R", "indirect"),
    (b"/Filter [/ASCIIHexDecode /FlateDecode]", "ASCIIHexDecode FlateDecode"),
    (b"/Filter /LZWDecode", "LZWDecode"),
    (b"/Filter /RunLengthDecode", "RunLengthDecode"),
])
def test_filters_the_check_cannot_count_hand_the_file_over(attributes, why):
    with pytest.raises(pdfium_reader.Fallback) as exc:
        pdfium_reader.check_streams(one_page_pdf(b"00", attributes), 512 * MB)
    assert why in str(exc.value)


def test_image_streams_count_their_own_size():
    image = stream(b"\xff" * 5000, b"/Type /XObject /Subtype /Image /Width 100 /Height 50 /ColorSpace /DeviceGray "
                                   b"/BitsPerComponent 8 /Filter /DCTDecode")
    data = build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>", image])
    pdfium_reader.check_streams(data, 10_000)
    with pytest.raises(pdfium_reader.Fallback):
        pdfium_reader.check_streams(data, 4_000)


# -- time limit, a failing PDFium reader --------------------------------------------------------

def test_the_time_limit_interrupts_a_page_pdfium_never_finishes(monkeypatch, fpdf_documents):
    def forever(*args):
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(pdfium_reader, "_read_page", forever)
    started = time.monotonic()
    with pytest.raises(ReadError) as exc:
        pdf.read_pdf(fpdf_documents[NAMES[2]], "hänger.pdf", "x", timeout=0.5, reader="pdfium")
    assert "time limit" in exc.value.reason
    assert time.monotonic() - started < 5


def test_a_failing_pdfium_reader_costs_speed_not_the_document(monkeypatch, fpdf_documents, caplog):
    data = fpdf_documents[NAMES[1]]
    expected = outcome(data, "pdfplumber")

    def broken(*args):
        raise RuntimeError("trasig läsare")

    monkeypatch.setattr(pdfium_reader, "_characters", broken)
    with caplog.at_level(logging.WARNING, logger="pipeline.pdf"):
        assert outcome(data, "pdfium") == expected
    assert "the PDFium reader failed (RuntimeError: trasig läsare)" in caplog.text


@needs_fonts
def test_pdfium_reads_a_long_report_itself(tmp_path):
    """A report of many pages is PDFium's own to read, page for page (its speed against
    extract_text() is measured by benchmarks/bench_pdf.py, not here)."""
    path = tmp_path / "lång.pdf"
    pages = make_pdfs.long_pdf(path, 12)
    data = path.read_bytes()
    assert pdfium_reads(data)
    assert pdf.read_pdf(data, str(path), "x", reader="pdfium").pages == pages


# -- the choice of reader -----------------------------------------------------------------------

def test_the_reader_is_chosen_by_argument_then_environment_then_default():
    assert DEFAULT_PDF_READER in PDF_READERS
    assert pdf_reader(None, {}) == DEFAULT_PDF_READER
    assert pdf_reader(None, {"NAMND_PDF_READER": "pdfplumber"}) == "pdfplumber"
    assert pdf_reader(None, {"NAMND_PDF_READER": " PDFium "}) == "pdfium"
    assert pdf_reader(None, {"NAMND_PDF_READER": "okänd"}) == DEFAULT_PDF_READER  # an unusable value is ignored
    assert pdf_reader("pdfplumber", {"NAMND_PDF_READER": "pdfium"}) == "pdfplumber"
    with pytest.raises(ValueError):
        pdf_reader("pdfminer")


@pytest.fixture
def spy(monkeypatch):
    """Counts the documents the PDFium reader reads."""
    calls = []
    original = pdfium_reader.read_pages

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(pdfium_reader, "read_pages", counting)
    return calls


def test_read_takes_the_reader(tmp_path, monkeypatch, spy, fpdf_documents):
    path = tmp_path / "rapport.pdf"
    path.write_bytes(fpdf_documents[NAMES[2]])
    monkeypatch.setenv("NAMND_PDF_READER", "pdfium")
    by_plumber = read(path, pdf_reader="pdfplumber")
    assert spy == []
    by_pdfium = read(path)  # the environment's choice
    assert spy == [1]
    assert (by_plumber.text, by_plumber.page_starts) == (by_pdfium.text, by_pdfium.page_starts)
    monkeypatch.setenv("NAMND_PDF_READER", "pdfplumber")
    read_bytes(path.read_bytes(), "rapport.pdf")
    assert spy == [1]
    with pytest.raises(ValueError):
        read(path, pdf_reader="pdfminer")
    with pytest.raises(ValueError):  # whatever the file
        read_bytes("Nämnden beslutade.".encode(), "beslut.txt", pdf_reader="pdfminer")


def test_the_pipeline_takes_the_reader(pipeline, monkeypatch, spy, fpdf_documents):
    from pipeline import Pipeline

    data = fpdf_documents[NAMES[0]]
    monkeypatch.setattr(pipeline, "pdf_reader", "pdfplumber")  # as Pipeline(pdf_reader="pdfplumber") sets it
    by_plumber = pipeline.extract_bytes(data, "rapport.pdf")
    assert spy == []
    monkeypatch.setattr(pipeline, "pdf_reader", "pdfium")
    by_pdfium = pipeline.extract_bytes(data, "rapport.pdf")
    assert spy == [1]
    assert by_plumber.model_dump() == by_pdfium.model_dump()
    with pytest.raises(ValueError):
        Pipeline(pdf_reader="pdfminer")  # refused before the models are loaded


def test_extract_takes_the_reader_as_an_option(tmp_path, monkeypatch, spy, fpdf_documents):
    from pipeline.cli import main

    monkeypatch.setenv("NAMND_PDF_READER", "pdfium")  # recorded, so what the option sets is undone
    path = tmp_path / "rapport.pdf"
    path.write_bytes(fpdf_documents[NAMES[2]])
    records = {}
    for reader in PDF_READERS:
        out = tmp_path / reader
        result = CliRunner().invoke(main, ["extract", str(path), "-o", str(out), "--no-progress",
                                           "--pdf-reader", reader])
        assert result.exit_code == 0, result.output
        records[reader] = Record.model_validate_json(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert spy == [1]  # the pdfplumber run did not call it
    assert records["pdfium"].model_dump() == records["pdfplumber"].model_dump()
    result = CliRunner().invoke(main, ["extract", str(path), "-o", str(tmp_path / "x"), "--pdf-reader", "pdfminer"])
    assert result.exit_code == 2 and "pdfminer" in result.output


@pytest.mark.parametrize("command", ["extract", "review", "ingest"])
def test_every_reading_command_has_the_option(command):
    from pipeline.cli import main

    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "--pdf-reader [pdfium|pdfplumber]" in result.output
