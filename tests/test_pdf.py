"""PDF ingestion: layout-aware text, headings, pages, OCR, broken files.

The PDFs are made from the corpus text exports by two producers (see
``tests/fixtures/pdf/make_pdfs.py``): fpdf2, built here in a temporary folder, and
LibreOffice (from a python-docx .docx), committed as fixtures. Each has a bold, larger
title and headings, a running header, page numbers, words hyphenated at line ends and
(000) the district sections in two columns.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import os
import time
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from models import Record
from pipeline import ocr, pdf
from pipeline.core import Failure
from pipeline.read import ReadError, read, read_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"
_spec = importlib.util.spec_from_file_location("make_pdfs", FIXTURES / "make_pdfs.py")
make_pdfs = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("make_pdfs", make_pdfs)
_spec.loader.exec_module(make_pdfs)

NAMES = list(make_pdfs.DOCUMENTS)
PRODUCERS = ("fpdf2", "libreoffice")
CASES = [(producer, name) for producer in PRODUCERS for name in NAMES]
IDS = [f"{producer}-{name[:3]}" for producer, name in CASES]

#: tools a machine must have for these tests (CI sets NAMND_REQUIRED_TOOLS=fonts,tesseract):
#: there a missing one fails the tests instead of skipping them
REQUIRED = {t.strip() for t in os.environ.get("NAMND_REQUIRED_TOOLS", "").split(",") if t.strip()}
needs_fonts = pytest.mark.skipif(make_pdfs.fonts() is None and "fonts" not in REQUIRED,
                                 reason="DejaVu fonts (fonts-dejavu-core) not installed")


def norm(text: str) -> str:
    return " ".join(text.split())


def similarity(a: str, b: str) -> float:
    """Character similarity after whitespace normalisation (1 − normalised edit distance)."""
    return Levenshtein.normalized_similarity(norm(a), norm(b))


def source_text(name: str) -> str:
    return "\n".join(text for _, text, _ in make_pdfs.load_source(name).blocks)


@pytest.fixture(scope="session")
def fpdf_docs(tmp_path_factory) -> dict[str, dict]:
    if make_pdfs.fonts() is None and "fonts" not in REQUIRED:
        pytest.skip("DejaVu fonts (fonts-dejavu-core) not installed")
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for name in NAMES:
        path = folder / f"{name[:3]}.pdf"
        info = make_pdfs.make_fpdf(name, path)
        info["path"] = path
        out[name] = info
    return out


@pytest.fixture(scope="session")
def pdf_path(fpdf_docs):
    def get(producer: str, name: str) -> Path:
        if producer == "fpdf2":
            return fpdf_docs[name]["path"]
        return FIXTURES / f"lo_{name[:3]}.pdf"
    return get


@pytest.fixture(scope="session")
def raws(pdf_path):
    return {(producer, name): read(pdf_path(producer, name)) for producer, name in CASES}


# -- text, headings, running headers ------------------------------------------------------------

@pytest.mark.parametrize("producer,name", CASES, ids=IDS)
def test_extracted_text_matches_the_source(raws, producer, name):
    raw = raws[(producer, name)]
    sim = similarity(source_text(name), raw.text)
    print(f"{producer} {name}: similarity {sim:.4f}, {raw.pages} pages")
    assert sim >= 0.99
    assert raw.format == "pdf" and raw.pages == len(raw.page_starts)


@pytest.mark.parametrize("producer,name", CASES, ids=IDS)
def test_all_headings_found_with_their_levels(raws, producer, name):
    raw = raws[(producer, name)]
    gold = make_pdfs.load_source(name).headings
    assert {h: raw.heading_hints.get(h) for h in gold} == gold
    # body text is never a layout heading
    assert all(len(h) < 100 and not h.endswith(".") for h in raw.heading_hints)
    # each heading is a line of its own in the text
    lines = set(raw.text.split("\n"))
    assert all(h in lines for h in gold)


@pytest.mark.parametrize("producer,name", CASES, ids=IDS)
def test_no_running_header_or_page_number_left(raws, producer, name):
    raw = raws[(producer, name)]
    conf = make_pdfs.DOCUMENTS[name]
    source = source_text(name)
    for part in conf["header"]:  # the header's words may stand in the body too
        assert raw.text.count(part) == source.count(part), part
    for line in raw.text.split("\n"):
        line = line.strip()
        assert not re.fullmatch(r"(Sid )?\d+( av \d+| \(\d+\)|/\d+)?", line), line
    assert not re.search(r"\bSid \d+ av \d+\b", raw.text)
    assert any("running header" in w for w in raw.warnings)
    assert any("page numbers" in w for w in raw.warnings)


def test_hyphenation_joins_words_and_keeps_compounds(tmp_path):
    lines = ["Barnet fick en LVU-", "placering och bor nu i Rinkeby-", "Kista. Kontakten med social-",
             "tjänsten sköts av kultur-", "och fritidsförvaltningen via e-", "post sedan 2023-",
             "2024, och samlokali-", "seringen har gett ut-", "redningen stöd. SOCIALTJÄNS-", "TEN har öppet."]
    path = tmp_path / "hyphens.pdf"
    make_pdfs.hyphenation_pdf(path, lines)
    raw = read(path)
    # (a one-page PDF has no running header to tell apart from its first line)
    assert norm(raw.text).endswith("Barnet fick en LVU-placering och bor nu i Rinkeby-Kista. Kontakten med socialtjänsten "
                              "sköts av kultur- och fritidsförvaltningen via e-post sedan 2023-2024, och "
                              "samlokaliseringen har gett utredningen stöd. SOCIALTJÄNSTEN har öppet.")
    assert "Sid 1 av 1" not in raw.text


@pytest.mark.parametrize("headings,lines", [
    # a heading line ending in a function word goes on in the next one
    (["Rapport om", "Samverkan med polisen"], ["Rapport om Samverkan med polisen"]),
    (["Ansvar och", "Uppföljning"], ["Ansvar och Uppföljning"]),
    # a heading that merely ends in the letters of one ("Ekonomi": "i") does not
    (["Ekonomi", "Budget och uppföljning"], ["Ekonomi", "Budget och uppföljning"]),
    (["Bostadsrum", "Lokaler"], ["Bostadsrum", "Lokaler"]),
])
def test_wrapped_headings_are_joined_at_a_function_word_only(tmp_path, headings, lines):
    path = tmp_path / "rubriker.pdf"
    make_pdfs.headings_pdf(path, headings)
    text_lines = [ln.strip() for ln in read(path).text.splitlines() if ln.strip()]
    start = text_lines.index(lines[0])
    assert text_lines[start:start + len(lines)] == lines


@pytest.mark.parametrize("head,tail,how", [
    ("social", "tjänsten", "join"), ("Social", "tjänsten", "join"), ("samlokali", "seringen.", "join"),
    ("ut", "redning", "join"), ("Hägersten-Älv", "sjö", "join"), ("SOCIAL", "TJÄNSTEN", "join"),
    ("LVU", "placering", "keep"), ("SoL", "anmälan", "keep"), ("Rinkeby", "Kista", "keep"),
    ("e", "post", "keep"), ("sms", "lån", "keep"), ("2023", "2024", "keep"), ("16", "åringar", "keep"),
    ("https://www.x.se/sharepoint", "dokument/a.pdf", "keep"),
    ("kultur", "och", "space"), ("barn", "eller", "space"),
])
def test_join_hyphenated(head, tail, how):
    assert pdf.join_hyphenated(head, tail) == how


@needs_fonts
def test_fpdf_hyphen_breaks_are_all_resolved(fpdf_docs, raws):
    """Every word the generator broke at a line end comes back whole (as often as in the source)."""
    for name in NAMES:
        text = norm(raws[("fpdf2", name)].text)
        source = norm(source_text(name))
        breaks = fpdf_docs[name]["breaks"]
        assert breaks, name
        words = {word.strip("<>.,;:!?()") for _, _, word in breaks}
        wrong = [w for w in words if text.count(w) != source.count(w)]
        assert not wrong, (name, wrong)


# -- two columns, tables ------------------------------------------------------------------------

@pytest.mark.parametrize("producer", PRODUCERS)
def test_two_column_pages_read_column_by_column(raws, producer):
    name = "000_c03b254d8a1ffbd1"
    text = norm(raws[(producer, name)].text)
    src = make_pdfs.load_source(name)
    start = [t for _, t, _ in src.blocks].index("Järva")
    end = [t for _, t, _ in src.blocks].index("Ärendets beredning")
    # every paragraph of the two-column part comes back whole and in order
    pos = 0
    for _, block, _ in src.blocks[start:end]:
        found = text.find(norm(block), pos)
        assert found >= 0, block[:60]
        pos = found + len(norm(block))


@needs_fonts
def test_ruled_table_kept_as_rows(tmp_path):
    path = tmp_path / "table.pdf"
    make_pdfs.table_pdf(path)
    raw = read(path)
    assert "Lokalpolisområde | Socialsekreterare | Dagar i veckan" in raw.text
    assert "Järva | 3 | 3,5" in raw.text and "Södermalm | 2 | 5" in raw.text
    assert "hur många dagar i veckan de arbetar där." in norm(raw.text)
    assert "Efter tabellen fortsätter texten med en beskrivning av samverkan" in norm(raw.text)
    assert raw.text.index("de arbetar där.") < raw.text.index("Järva | 3") < raw.text.index("Efter tabellen")
    assert any("table" in w for w in raw.warnings)
    assert raw.heading_hints == {"Bemanning per lokalpolisområde": 1}


# -- pages --------------------------------------------------------------------------------------

def _page_of(raw, offset: int) -> int:
    page = 1
    for n, start in enumerate(raw.page_starts, 1):
        if start <= offset:
            page = n
    return page


@needs_fonts
def test_page_starts_put_every_line_on_its_page(fpdf_docs, raws):
    for name in NAMES:
        raw = raws[("fpdf2", name)]
        info = fpdf_docs[name]
        assert raw.pages == info["pages"]
        pos = 0
        checked = 0
        for page, line in info["lines"]:
            if len(line) < 25 or line.endswith("-") or line in info["source"].headings:
                continue
            if any(line.startswith(rest) for _, rest, _ in info["breaks"]):
                continue
            at = raw.text.find(line, pos)
            if at < 0:
                continue
            assert _page_of(raw, at) == page, (name, page, line)
            pos = at
            checked += 1
        assert checked > 10 * raw.pages * 0.5, name


@pytest.mark.parametrize("producer,name", CASES, ids=IDS)
def test_record_spans_carry_their_pages(pipeline, pdf_path, fpdf_docs, producer, name):
    record = pipeline.extract_file(pdf_path(producer, name))
    assert record.source.format == "pdf" and record.source.pages
    spans = [c.span for c in record.law_citations] + [m for d in record.districts for m in d.mentions]
    spans += [m for l in record.lpos for m in l.mentions] + [c.span for c in record.challenges]
    spans += [s.span for s in record.staffing]
    assert all(s.page is not None and 1 <= s.page <= record.source.pages for s in spans)
    assert all(record.text[s.start:s.end] == s.text for s in spans)
    assert all(s.page is not None and 1 <= s.page <= record.source.pages for s in record.sections)
    if producer != "fpdf2":
        return
    # the page each span's surrounding text, and each section's heading, stands on in the PDF
    info = fpdf_docs[name]
    page_text: dict[int, str] = {}
    for page, line in info["lines"]:
        page_text[page] = page_text.get(page, "") + " " + line
    checked = 0
    for s in spans:
        context = norm(record.text[max(0, s.start - 20):s.end + 20])
        pages = [p for p, t in page_text.items() if context in norm(t)]
        if len(pages) == 1:
            assert s.page == pages[0], (s.text, context)
            checked += 1
    cursor = 0
    for section in record.sections:
        if section.heading in info["source"].headings:
            # the heading's (first, if it wraps) line, after the previous heading
            while not (len(info["lines"][cursor][1]) > 3 and section.heading.startswith(info["lines"][cursor][1])):
                cursor += 1
            assert section.page == info["lines"][cursor][0], section.heading
            checked += 1
    assert checked >= len(spans) // 2 + len(info["source"].headings)


# -- the record of a PDF and of the text export -------------------------------------------------

def _comparable(record: Record):
    citations = [(c.law, c.sfs, c.chapter, c.chapter_end, c.section, c.section_end, c.paragraph, c.point)
                 for c in record.law_citations]
    districts = {d.name: len(d.mentions) for d in record.districts}
    lpos = {l.name: (sorted(l.districts), len(l.mentions)) for l in record.lpos}
    return citations, districts, lpos


@pytest.mark.parametrize("producer,name", CASES, ids=IDS)
def test_pdf_record_equals_text_record(pipeline, corpus_records, pdf_path, producer, name):
    from_pdf = pipeline.extract_file(pdf_path(producer, name))
    from_text = corpus_records[name]
    pdf_cit, pdf_dist, pdf_lpo = _comparable(from_pdf)
    txt_cit, txt_dist, txt_lpo = _comparable(from_text)
    assert pdf_cit == txt_cit
    assert pdf_dist == txt_dist
    assert pdf_lpo == txt_lpo
    assert from_pdf.metadata == from_text.metadata


# -- a long report ------------------------------------------------------------------------------

@needs_fonts
def test_pdfplumber_reads_each_page_of_a_long_report_once_from_its_layout(tmp_path, monkeypatch):
    """The pdfplumber reader interprets each page once, for pdfminer's layout, and never
    builds pdfplumber's per-character objects, which are most of ``extract_text()``'s time
    (its speed against ``extract_text()`` is measured by benchmarks/bench_pdf.py, not here)."""
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.page import Page

    path = tmp_path / "long.pdf"
    pages = make_pdfs.long_pdf(path, 12)
    interpreted: list[int] = []
    objects_built: list[int] = []
    process_page, objects = PDFPageInterpreter.process_page, Page.objects

    def counted_process_page(self, page):
        interpreted.append(page.pageid)
        return process_page(self, page)

    def counted_objects(self):
        objects_built.append(self.page_number)
        return objects.fget(self)

    monkeypatch.setattr(PDFPageInterpreter, "process_page", counted_process_page)
    monkeypatch.setattr(Page, "objects", property(counted_objects))
    raw = pdf.read_pdf(path.read_bytes(), str(path), "x", reader="pdfplumber")
    assert raw.pages == pages and not [w for w in raw.warnings if "could not be read" in w]
    assert len(interpreted) == len(set(interpreted)) == pages
    assert objects_built == []


# -- broken files -------------------------------------------------------------------------------

def _small_pdf(**encryption) -> bytes:
    from fpdf import FPDF

    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=12)
    doc.multi_cell(0, 6, "Samverkan med polisen enligt 14 kap. 1 § SoL. " * 30)
    if encryption:
        doc.set_encryption(**encryption)
    return bytes(doc.output())


@pytest.mark.parametrize("data,reason", [
    (lambda: _small_pdf(owner_password="ägare", user_password="hemligt"), "encrypted PDF: a password is needed"),
    (lambda: _small_pdf()[: len(_small_pdf()) // 2], "truncated or corrupt PDF"),
    (lambda: _small_pdf()[:-40], "truncated or corrupt PDF"),
    (lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8, "truncated or corrupt PDF"),
    (lambda: b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n", "corrupt PDF"),
    (lambda: b"%PDF-1.4\n%%EOF\n", "corrupt PDF"),
    (lambda: b"", "empty file"),
], ids=["encrypted", "truncated-half", "truncated-end", "garbage", "no-pages", "header-only", "empty"])
def test_broken_pdfs_are_read_errors(data, reason):
    with pytest.raises(ReadError) as exc:
        read_bytes(data(), "trasig.pdf")
    assert reason in exc.value.reason


def test_owner_password_only_is_read():
    raw = read_bytes(_small_pdf(owner_password="ägare"), "skyddad.pdf")
    assert "14 kap. 1 § SoL" in raw.text


def test_blank_pdf_is_reported():
    from fpdf import FPDF

    doc = FPDF()
    doc.add_page()
    doc.add_page()
    with pytest.raises(ReadError) as exc:
        read_bytes(bytes(doc.output()), "tom.pdf")
    assert "no text" in exc.value.reason and "2 page(s)" in exc.value.reason


def test_page_and_time_limits(pdf_path):
    data = pdf_path("fpdf2", NAMES[0]).read_bytes()
    with pytest.raises(ReadError) as exc:
        pdf.read_pdf(data, "lång.pdf", "x", max_pages=3)
    assert "too long: 9 pages (limit 3)" in exc.value.reason
    with pytest.raises(ReadError) as exc:
        pdf.read_pdf(data, "långsam.pdf", "x", timeout=1e-6)
    assert "time limit" in exc.value.reason


def test_time_limit_interrupts_a_page_that_never_ends(monkeypatch, pdf_path):
    """A page pdfminer never finishes is stopped by the alarm, not only between pages."""
    data = pdf_path("fpdf2", NAMES[2]).read_bytes()

    def forever(page, index, warnings):
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(pdf, "_read_page", forever)
    t = time.monotonic()
    with pytest.raises(ReadError) as exc:
        pdf.read_pdf(data, "hänger.pdf", "x", timeout=0.5, reader="pdfplumber")
    assert "time limit" in exc.value.reason
    assert time.monotonic() - t < 5


def test_bad_pdfs_in_a_batch_are_failures(pipeline, tmp_path, pdf_path):
    good = pdf_path("fpdf2", NAMES[2])
    bad = tmp_path / "trasig.pdf"
    bad.write_bytes(good.read_bytes()[:3000])
    locked = tmp_path / "låst.pdf"
    locked.write_bytes(_small_pdf(owner_password="a", user_password="b"))
    results = dict(pipeline.extract_many([bad, good, locked]))
    assert isinstance(results[str(good)], Record)
    assert isinstance(results[str(bad)], Failure) and "PDF" in results[str(bad)].reason
    assert isinstance(results[str(locked)], Failure) and "encrypted" in results[str(locked)].reason


# -- scanned PDFs -------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def scanned(fpdf_docs, tmp_path_factory) -> Path:
    """Pages 1–2 of the fpdf2 PDF of 003, rendered at 300 dpi into an image-only PDF."""
    path = tmp_path_factory.mktemp("scan") / "003_scan.pdf"
    make_pdfs.scanned_pdf(fpdf_docs[NAMES[2]]["path"], path, [0, 1])
    return path


def test_scanned_pdf_without_tesseract_needs_ocr(monkeypatch, scanned):
    monkeypatch.setattr(ocr, "tesseract_binary", lambda: None)
    with pytest.raises(ReadError) as exc:
        read(scanned)
    reason = exc.value.reason
    assert "scanned PDF" in reason and "2 page(s)" in reason and "needs OCR" in reason
    assert "Tesseract is not installed" in reason


def test_scanned_pdf_with_ocr_turned_off(monkeypatch, scanned):
    monkeypatch.setenv("NAMND_OCR", "0")
    with pytest.raises(ReadError) as exc:
        read(scanned)
    assert "needs OCR" in exc.value.reason and "turned off" in exc.value.reason


def test_parse_hocr():
    hocr = """<div class='ocr_page' id='page_1' title='image "x"; bbox 0 0 2480 3508; ppageno 0'>
    <p class='ocr_par' id='par_1_1' lang='swe' title="bbox 300 384 651 427">
    <span class='ocr_line' id='line_1_1' title="bbox 300 384 651 427; baseline 0 -9; x_size 44; x_descenders 9; x_ascenders 9">
    <span class='ocrx_word' id='word_1_1' title='bbox 300 384 500 427; x_wconf 96'>Socialtj&auml;nsten</span>
    <span class='ocrx_word' id='word_1_2' title='bbox 520 384 651 427; x_wconf 90'>&amp; polisen</span>
    </span></p></div>"""
    (line,) = ocr.parse_hocr(hocr, 72 / 300)
    assert line.text == "Socialtjänsten & polisen"
    assert (round(line.x0, 1), round(line.top, 1), round(line.size, 1)) == (72.0, 92.2, 10.6)
    assert line.confidence == 93.0 and line.paragraph == 1


requires_tesseract = pytest.mark.skipif(not ocr.status()[0] and "tesseract" not in REQUIRED,
                                        reason=f"OCR not available: {ocr.status()[1]}")


@pytest.mark.parametrize("tool", ["fonts", "tesseract"])
def test_a_machine_that_must_have_the_tools_has_them(tool):
    """Where the tools are required (CI), the PDF and OCR tests never skip silently: a
    missing tool fails here, with the reason."""
    if tool not in REQUIRED:
        pytest.skip(f"{tool} not required here (NAMND_REQUIRED_TOOLS)")
    if tool == "fonts":
        assert make_pdfs.fonts() is not None, "DejaVu fonts (fonts-dejavu-core) are not installed"
    else:
        assert ocr.status()[0], ocr.status()[1]


@requires_tesseract
def test_scanned_pdf_is_ocrd_with_low_character_error_rate(scanned, raws):
    t = time.perf_counter()
    raw = read(scanned)
    seconds = time.perf_counter() - t
    original = raws[("fpdf2", NAMES[2])]
    reference = norm(original.text[: original.page_starts[2]])  # the same two pages
    got = norm(raw.text)
    cer = Levenshtein.distance(reference, got) / len(reference)
    print(f"OCR of 2 pages: {seconds:.1f} s, CER {cer:.4f}")
    assert cer < 0.05
    assert raw.pages == 2 and len(raw.page_starts) == 2 and 0 < raw.page_starts[1] < len(raw.text)
    assert any("OCR'd with Tesseract" in w for w in raw.warnings)
    assert "Malmö stad" not in raw.text  # the running header went
    assert "Sammanfattning" in raw.heading_hints


@requires_tesseract
def test_mixed_pdf_ocrs_only_its_scanned_page(tmp_path, fpdf_docs, scanned):
    import pypdfium2 as pdfium

    path = tmp_path / "mixed.pdf"
    text_pdf = pdfium.PdfDocument(str(fpdf_docs[NAMES[2]]["path"]))
    scan = pdfium.PdfDocument(str(scanned))
    out = pdfium.PdfDocument.new()
    out.import_pages(scan, [0])
    out.import_pages(text_pdf, [1, 2])
    out.save(str(path))
    for d in (out, scan, text_pdf):
        d.close()
    raw = read(path)
    assert raw.pages == 3
    assert any(w.startswith("page(s) 1 had no text layer") for w in raw.warnings)
    assert "Vänsterpartiet har inkommit med ett nämndinitiativ" in norm(raw.text)
    assert raw.text.index("Vänsterpartiet har inkommit") < raw.page_starts[1] < raw.page_starts[2]


def test_ocr_runs_one_thread_per_tesseract_and_pages_in_parallel(monkeypatch, scanned):
    """OMP_THREAD_LIMIT=1 for each Tesseract, and as many at once as there are cores."""
    import subprocess
    import threading

    seen = []
    running = [0, 0]  # now, most at once
    lock = threading.Lock()
    # each fake Tesseract waits (up to 20 s) for the other to start: a fixed sleep made the
    # test depend on rendering the next page taking less time than the sleep
    both_started = threading.Barrier(2)

    class FakePopen:
        def __init__(self, cmd, stdout=None, stderr=None, env=None):
            seen.append((cmd, env.get("OMP_THREAD_LIMIT")))
            self.returncode = 0
            with lock:
                running[0] += 1
                running[1] = max(running[1], running[0])

        def communicate(self, timeout=None):
            try:
                both_started.wait(timeout=20)
            except threading.BrokenBarrierError:
                pass  # run one after the other: the assertion below says so
            with lock:
                running[0] -= 1
            return b"", b""

        def kill(self):
            pass

    monkeypatch.setattr(ocr, "tesseract_binary", lambda: "/usr/bin/tesseract")
    monkeypatch.setattr(subprocess, "Popen", FakePopen)
    results = ocr.ocr_pdf_pages(scanned.read_bytes(), [0, 1], workers=2)
    assert results == {0: [], 1: []}
    assert [env for _, env in seen] == ["1", "1"]
    assert all("-l" in cmd and "swe" in cmd and "hocr" in cmd for cmd, _ in seen)
    assert running[1] == 2
