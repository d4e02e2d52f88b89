"""The readers' limits and edges: PDFs whose streams inflate to gigabytes, pages too large
to render, too many pages; NUL bytes in text files; web addresses and file paths in text
the restorer reads; malformed gold files given to ``namnd eval``.

The PDFs are written here, object by object (:func:`build_pdf`): a content stream of
zeros compressed a thousandfold, a page of 5 × 5 metres. Where a test shows that memory
is not spent it runs the reading in a child process with its address space capped, so a
reader without the limits fails there instead of taking the machine's memory.
"""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from models import Record
from pipeline.clean import clean
from pipeline.read import ReadError, read_bytes

REPO = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
MB = 1_000_000


# -- PDFs written object by object ---------------------------------------------------------------

def build_pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (object 1 the catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, attributes: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), attributes) + data + b"\nendstream"


def zeros_flate(megabytes: int) -> bytes:
    """A zlib stream of ``megabytes`` MiB of zero bytes, made without holding them: each
    MiB is one block compressed after a full flush (so every block after the first has
    the same bytes), then an empty final block and the checksum (Adler-32 of n zeros is
    (n mod 65521) << 16 | 1)."""
    c = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    first = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    n = megabytes << 20
    return first + block * (megabytes - 1) + b"\x03\x00" + (((n % 65521) << 16) | 1).to_bytes(4, "big")


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
IMAGE = stream(b"\x80", b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                       b"/BitsPerComponent 8")
TEXT = (b"BT /F1 12 Tf 72 770 Td (Socialn\xe4mnden beslutade att godk\xe4nna rapporten om samverkan) Tj "
        b"0 -16 Td (med polisen i stadsdelen under \xe5ret.) Tj ET")


def one_page_pdf(content: bytes, content_attributes: bytes = b"", mediabox: bytes = b"[0 0 595 842]",
                 page_attributes: bytes = b"") -> bytes:
    """One page with the Helvetica font F1 and a one-pixel grey image Im1 as resources."""
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox " + mediabox + b" " + page_attributes
        + b" /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> /Contents 4 0 R >>",
        stream(content, content_attributes),
        FONT,
        IMAGE,
    ])


def scanned_page_pdf(width: float, height: float) -> bytes:
    """A page of ``width`` × ``height`` points covered by an image: a scan, read by OCR."""
    size = b"%.2f" % width, b"%.2f" % height
    return one_page_pdf(b"q %s 0 0 %s 0 0 cm /Im1 Do Q" % size, mediabox=b"[0 0 %s %s]" % size)


#: what the pages of :func:`many_pages_pdf` say, in turn (no line repeats on most pages,
#: as a running header would)
PAGE_TEXTS = [b"Socialn\xe4mnden f\xf6ljer upp samverkan med polisen.", b"F\xe4ltgruppen arbetar kv\xe4llar och helger.",
              b"Skolan och socialtj\xe4nsten tr\xe4ffas varje m\xe5nad.", b"Ungdomarna m\xf6ts i fritidsg\xe5rden.",
              b"Lokalpolisen deltar i trygghetsvandringar.", b"Uppf\xf6ljningen redovisas till n\xe4mnden i maj."]


def many_pages_pdf(pages: int) -> bytes:
    """``pages`` pages, each showing one of :data:`PAGE_TEXTS`."""
    contents = [stream(b"BT /F1 12 Tf 72 770 Td (%s) Tj ET" % text) for text in PAGE_TEXTS]
    first_page = 4 + len(contents)
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    pages_objects = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                     b"/Contents %d 0 R >>" % (4 + i % len(contents)) for i in range(pages)]
    return build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
                      FONT] + contents + pages_objects)


def limits(**fields):
    from pipeline.limits import Limits

    return Limits(**fields)


#: a stand-in for Tesseract: says it has Swedish, records the size and resolution of each
#: image it is given, and reads one line of text on it
FAKE_TESSERACT = textwrap.dedent('''\
    import json, sys
    if "--list-langs" in sys.argv:
        print("List of available languages (2):\\nswe\\nosd")
        sys.exit(0)
    image = sys.argv[1]
    with open(image, "rb") as fh:
        fields = fh.read(64).split()
    width, height = int(fields[1]), int(fields[2])
    with open(sys.argv[0] + ".log", "a") as log:
        log.write(json.dumps({"width": width, "height": height, "dpi": sys.argv[sys.argv.index("--dpi") + 1]}) + "\\n")
    print("<div class='ocr_page' title='bbox 0 0 %d %d'><p class='ocr_par' title='bbox 10 10 400 40'>"
          "<span class='ocr_line' title='bbox 10 10 400 40; x_size 30'>"
          "<span class='ocrx_word' title='bbox 10 10 200 40; x_wconf 95'>Socialnämnden</span> "
          "<span class='ocrx_word' title='bbox 210 10 400 40; x_wconf 95'>beslutade</span></span></p></div>"
          % (width, height))
''')


def fake_tesseract(folder: Path) -> Path:
    script = folder / "tesseract"
    script.write_text(f"#!{sys.executable}\n" + FAKE_TESSERACT, encoding="utf-8")
    script.chmod(0o755)
    return script


def renders(script: Path) -> list[dict]:
    log = Path(str(script) + ".log")
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def run_capped(code: str, *, memory_gib: float, env: dict | None = None, timeout: float = 180) -> dict:
    """Run :data:`CHILD_PRELUDE` and ``code`` in a child Python whose address space is capped
    at ``memory_gib``; the child prints one JSON object last, which is returned."""
    cap = int(memory_gib * 2**30)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    path = [str(REPO), str(TESTS)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    child_env = dict(os.environ, PYTHONPATH=os.pathsep.join(path), OMP_NUM_THREADS="1",
                     OPENBLAS_NUM_THREADS="1", NAMND_OCR_WORKERS="1", **(env or {}))
    program = textwrap.dedent(CHILD_PRELUDE) + textwrap.dedent(code)
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=limit, env=child_env, cwd=str(REPO))
    lines = done.stdout.strip().splitlines()
    assert lines, f"no output (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(lines[-1])


CHILD_PRELUDE = """
    import json, resource, sys
    import pipeline
    from pipeline.read import ReadError, read_bytes
    from test_hardening_readers import *

    def rss_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def attempt(data, name):
        try:
            raw = read_bytes(data, name)
            return {"ok": True, "warnings": raw.warnings, "text": raw.text}
        except ReadError as exc:
            return {"ok": False, "reason": exc.reason}
        except BaseException as exc:
            return {"ok": False, "reason": f"{type(exc).__name__}: {exc}"}
"""


# -- limits: one place, overridable ------------------------------------------------------------

def test_limits_have_their_defaults_in_one_place_and_the_environment_overrides_them():
    from pipeline.limits import MB as LIMITS_MB, Limits

    d = Limits()
    assert (d.max_pages, d.max_decompressed, d.max_page_pixels, d.timeout, d.max_ocr_pages) == (
        5000, 512 * LIMITS_MB, 100_000_000, 600.0, 300)
    env = {"NAMND_PDF_MAX_PAGES": "40", "NAMND_PDF_MAX_DECOMPRESSED_MB": "2.5",
           "NAMND_OCR_MAX_PAGE_MEGAPIXELS": "20", "NAMND_PDF_TIMEOUT": "nonsense", "NAMND_OCR_MAX_PAGES": "-3"}
    got = Limits.from_env(env)
    assert (got.max_pages, got.max_decompressed, got.max_page_pixels) == (40, 2_500_000, 20_000_000)
    assert (got.timeout, got.max_ocr_pages) == (d.timeout, d.max_ocr_pages)  # unusable values are ignored
    assert Limits.from_env(env, max_pages=7).max_pages == 7
    with pytest.raises(ValueError):
        Limits(max_pages=0)


# -- decompressed size --------------------------------------------------------------------------

def test_a_flate_bomb_fails_at_the_decompression_limit_with_its_value():
    data = one_page_pdf(zeros_flate(64), b"/Filter /FlateDecode")  # 64 MiB of zeros in 65 KB
    assert len(data) < 100_000
    started = time.perf_counter()
    with pytest.raises(ReadError) as exc:
        read_bytes(data, "bomb.pdf", limits=limits(max_decompressed=16 * MB))
    assert time.perf_counter() - started < 10
    reason = exc.value.reason
    assert "too large when decompressed" in reason and "16 MB" in reason and "--max-decompressed-mb" in reason


def test_a_flate_bomb_at_the_default_limits_spends_no_memory():
    """1 GiB of zeros in 1 MB: read at the default limits, the file fails on the limit of
    512 MB before that memory is taken (without the limit it takes over 2 GB)."""
    got = run_capped("""
        data = one_page_pdf(zeros_flate(1024), b"/Filter /FlateDecode")
        before = rss_mb()
        result = attempt(data, "bomb.pdf")
        result.update(size=len(data), grown=rss_mb() - before, module=pipeline.__file__)
        print(json.dumps(result))
    """, memory_gib=2.0)
    assert got["module"].startswith(str(REPO))
    assert got["size"] < 1_200_000
    assert not got["ok"]
    assert "too large when decompressed" in got["reason"] and "512 MB" in got["reason"], got["reason"]
    assert got["grown"] < 150, f"reading took {got['grown']:.0f} MB more"


def test_a_runlength_bomb_fails_at_the_decompression_limit():
    run = b"\x81 " * (300_000)  # each pair: a space 128 times; 600 KB that decode to 38 MB
    data = one_page_pdf(run + b"\x80", b"/Filter /RunLengthDecode")
    with pytest.raises(ReadError) as exc:
        read_bytes(data, "rle.pdf", limits=limits(max_decompressed=8 * MB))
    assert "too large when decompressed" in exc.value.reason and "8 MB" in exc.value.reason


@pytest.mark.parametrize("filters", ["flate", "flate-bad-checksum", "runlength", "lzw"])
def test_compressed_content_within_the_limit_is_read_as_before(filters):
    """The decoders kept to the budget decode what pdfminer's own decode: Flate (also one
    whose checksum is damaged), RunLength, LZW."""
    if filters == "flate":
        content, attributes = zlib.compress(TEXT), b"/Filter /FlateDecode"
    elif filters == "flate-bad-checksum":
        content, attributes = zlib.compress(TEXT)[:-4] + b"\x00\x00\x00\x00", b"/Filter /FlateDecode"
    elif filters == "runlength":
        content = b"".join(bytes([len(TEXT[i:i + 100]) - 1]) + TEXT[i:i + 100] for i in range(0, len(TEXT), 100))
        content, attributes = content + b"\x80", b"/Filter /RunLengthDecode"
    else:
        content, attributes = _lzw(TEXT), b"/Filter /LZWDecode"
    raw = read_bytes(one_page_pdf(content, attributes), "komprimerad.pdf", limits=limits(max_decompressed=1 * MB))
    assert "Socialnämnden beslutade att godkänna rapporten om samverkan" in raw.text


def _lzw(data: bytes) -> bytes:
    """LZW as PDF writes it (early change, 9–12 bit codes), kept simple: a clear code,
    each byte as a literal code, and the end-of-data code, with the code width growing as
    the decoder's table does."""
    codes = [256] + list(data) + [257]
    out, acc, nbits, width, table = bytearray(), 0, 0, 9, 258
    for i, code in enumerate(codes):
        acc = (acc << width) | code
        nbits += width
        while nbits >= 8:
            nbits -= 8
            out.append((acc >> nbits) & 0xFF)
        if 0 < i < len(codes) - 1:
            if i > 1:
                table += 1  # the decoder adds an entry for each code after the first
            if table + 1 >= (1 << width) and width < 12:
                width += 1
    if nbits:
        out.append((acc << (8 - nbits)) & 0xFF)
    return bytes(out)


# -- pages --------------------------------------------------------------------------------------

def test_too_many_pages_fail_before_the_pages_are_read():
    data = many_pages_pdf(50)
    assert read_bytes(data, "femtio.pdf", limits=limits(max_pages=50)).pages == 50
    with pytest.raises(ReadError) as exc:
        read_bytes(data, "femtio.pdf", limits=limits(max_pages=10))
    assert exc.value.reason == "PDF too long: 50 pages (limit 10), see --max-pages"


def test_the_page_limit_applies_to_a_pipeline_without_workers(pipeline, monkeypatch, tmp_path):
    path = tmp_path / "femtio.pdf"
    path.write_bytes(many_pages_pdf(50))
    monkeypatch.setattr(pipeline, "limits", limits(max_pages=10))
    ((_, result),) = list(pipeline.extract_many([path]))
    assert not isinstance(result, Record)
    assert result.reason.startswith("PDF too long: 50 pages (limit 10)")


def test_extract_takes_the_limits_as_options(tmp_path, monkeypatch):
    from pipeline.cli import main

    # recorded so that what the options set is undone after the test
    monkeypatch.setenv("NAMND_PDF_MAX_PAGES", "5000")
    monkeypatch.setenv("NAMND_PDF_MAX_DECOMPRESSED_MB", "512")
    path = tmp_path / "femtio.pdf"
    path.write_bytes(many_pages_pdf(50))
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(one_page_pdf(zeros_flate(16), b"/Filter /FlateDecode"))
    result = CliRunner().invoke(main, ["extract", str(path), str(bomb), "-o", str(tmp_path / "ut"),
                                       "--max-pages", "10", "--max-decompressed-mb", "4"])
    assert result.exit_code == 1, result.output
    assert "PDF too long: 50 pages (limit 10), see --max-pages" in result.output
    assert "streams exceed the limit of 4 MB, see --max-decompressed-mb" in result.output


# -- pages too large to render ------------------------------------------------------------------

@pytest.mark.parametrize("width,height,dpi", [
    (595, 842, 300),            # A4: as it is
    (2384, 3370, 254),          # A0: about 250 dpi within 100 megapixels
    (14400, 14400, 50),         # the largest page PDF allows (5 × 5 m): 50 dpi
])
def test_render_dpi_fits_the_pixel_budget(width, height, dpi):
    from pipeline.ocr import render_dpi

    got = render_dpi(width, height, 300, 100_000_000)
    assert got == pytest.approx(dpi, abs=1)
    scale = got / 72
    assert math.ceil(width * scale) * math.ceil(height * scale) <= 100_000_000


@pytest.mark.parametrize("width,height", [(1e6, 1e6), (0, 842), (float("nan"), 842), (float("inf"), 1)])
def test_render_dpi_refuses_a_page_it_cannot_render_legibly(width, height):
    from pipeline.ocr import render_dpi

    assert render_dpi(width, height, 300, 100_000_000) is None


def test_a_page_too_large_for_the_pixel_budget_is_ocrd_at_a_lower_resolution(tmp_path, monkeypatch):
    script = fake_tesseract(tmp_path)
    monkeypatch.setenv("NAMND_TESSERACT", str(script))
    monkeypatch.setenv("NAMND_OCR", "1")
    data = scanned_page_pdf(1190, 1684)  # A2
    raw = read_bytes(data, "a2.pdf", limits=limits(max_page_pixels=2_000_000))
    (render,) = renders(script)
    assert render["width"] * render["height"] <= 2_000_000
    assert 60 <= int(render["dpi"]) < 300
    assert "Socialnämnden beslutade" in raw.text
    (note,) = [w for w in raw.warnings if "rendered for OCR at" in w]
    assert f"at {render['dpi']} dpi instead of 300" in note and "2 megapixels" in note
    assert "--max-page-megapixels" in note


def test_a_huge_page_at_the_default_limits_is_rendered_within_100_megapixels(tmp_path):
    """A 780-byte PDF with a page of 5 × 5 metres: at 300 dpi 3.6 gigapixels; it is
    rendered at 50 dpi instead, in a child whose memory is capped at 2 GiB."""
    script = fake_tesseract(tmp_path)
    got = run_capped("""
        data = scanned_page_pdf(14400, 14400)
        before = rss_mb()
        result = attempt(data, "stor.pdf")
        result.update(size=len(data), grown=rss_mb() - before)
        print(json.dumps(result))
    """, memory_gib=2.0, env={"NAMND_TESSERACT": str(script), "NAMND_OCR": "1"})
    assert got["size"] < 1000
    assert got["ok"], got["reason"]
    (render,) = renders(script)
    assert render["width"] * render["height"] <= 100_000_000 and render["dpi"] == "50"
    assert any("rendered for OCR at 50 dpi instead of 300" in w for w in got["warnings"]), got["warnings"]
    assert got["grown"] < 600, f"reading took {got['grown']:.0f} MB more"


def test_a_page_too_large_even_at_the_lowest_resolution_is_refused(tmp_path):
    script = fake_tesseract(tmp_path)
    got = run_capped("""
        print(json.dumps(attempt(scanned_page_pdf(1e6, 1e6), "gigantisk.pdf")))
    """, memory_gib=2.0, env={"NAMND_TESSERACT": str(script), "NAMND_OCR": "1"})
    assert not got["ok"]
    reason = got["reason"]
    assert reason.startswith("scanned PDF: page 1 too large to OCR"), reason
    assert "100 megapixels" in reason and "--max-page-megapixels" in reason
    assert renders(script) == []  # nothing was rendered


# -- NUL bytes in text files --------------------------------------------------------------------

SENTENCE = "Socialnämnden beslutade att godkänna uppföljningen av samverkan med polisen.\n"
LONG = (SENTENCE * 1200).encode("utf-8")  # about 95 KB: longer than the first 64 KB


@pytest.mark.parametrize("at", [10, 70_000, len(LONG) - 5], ids=["in-the-first-64-KB", "after-64-KB", "near-the-end"])
def test_a_nul_byte_anywhere_makes_a_text_file_binary(at):
    data = LONG[:at] + b"\x00" + LONG[at:]
    with pytest.raises(ReadError) as exc:
        read_bytes(data, "rapport.txt")
    assert exc.value.reason == f"binary file: contains NUL bytes (the first at byte {at}), not text"


@pytest.mark.parametrize("text", [SENTENCE.encode("utf-8"), LONG], ids=["short", "long"])
def test_nul_bytes_padding_the_end_are_dropped_with_a_warning(text):
    raw = read_bytes(text + bytes(4096), "utfylld.txt")
    assert "\x00" not in raw.text
    assert raw.text == text.decode("utf-8")
    assert "removed 4096 NUL bytes that padded the end of the file" in raw.warnings


def test_nul_characters_in_utf16_text():
    body = (SENTENCE * 3).encode("utf-16")
    with pytest.raises(ReadError) as exc:
        read_bytes(body + "\x00".encode("utf-16-le") + SENTENCE.encode("utf-16-le"), "utf16.txt")
    assert "binary file: contains NUL characters" in exc.value.reason
    raw = read_bytes(body + bytes(64), "utf16.txt")
    assert "\x00" not in raw.text and raw.encoding == "utf-16"
    with pytest.raises(ReadError) as exc:
        read_bytes(bytes(5000), "nollor.txt")
    assert exc.value.reason == "binary file: holds only NUL bytes"


def test_a_record_never_holds_a_nul(pipeline):
    record = pipeline.extract_bytes(LONG + bytes(100), "utfylld.txt")
    assert "\x00" not in record.text
    assert any("NUL bytes" in w for w in record.warnings)


# -- addresses and paths in text the restorer reads ----------------------------------------------

#: the sentence before each address has lost letters, as OCR loses them ("S mlok liseringen",
#: "/okalpolisområdet", "  v" for "av"): the restorer reads the paragraph
DAMAGED = "S mlok liseringen med /okalpolisområdet h r pågått  v  tt l ng tid och n~got h r förändr ts. "


@pytest.mark.parametrize("sentence,address", [
    ("Mer information finns på {} och på kommunens webbplats.", "https://www.exempel.se/nyheter/2019"),
    ("Rapporten ligger i {} hos nämndsekreteraren.", "G:\\Socialtjänst\\Rapporter/2019/fält.docx"),
    ("Läs mer på {} om fältgruppens arbete.", "www.kommun.se/fält"),
    ("Frågor om ansökan besvaras via {} under kontorstid.", "faq@kommun.se"),
    ("Vanliga frågor finns på {} och i receptionen.", "kommun.se/faq"),
    ("Resultaten redovisas på {} och i bilaga 2.", "iq.se"),
    ("Resultaten redovisas på  {} och i bilaga 2.", "iq.se"),
    ("Skicka frågor till  {} senast i maj.", "faq@kommun.se"),
    ("Underlaget finns i {} på den delade enheten.", "\\\\server01\\socialtjanst\\lokalpolis\\rapport.pdf"),
    ("Protokollet sparas i {} varje vecka.", "/srv/arkiv/ista/2019"),
    ("Mallen ligger i mappen {} på din dator.", "~/Dokument/Samverkan/lokal/avtal.pdf"),
    ("Polisens sida {} beskriver organisationen.", "https://www.polisen.se/om-polisen/organisation/polisregion-stockholm/"),
    ("Kontakta registrator@stockholm.se eller se {} för blanketter.", "stockholm.se/blanketter"),
])
def test_the_restorer_leaves_web_addresses_mail_and_paths_as_they_are(sentence, address):
    text = DAMAGED + sentence.format(address)
    cleaned = clean(text).text
    assert cleaned.startswith("Samlokaliseringen med lokalpolisområdet har pågått")  # the restorer ran
    assert cleaned.endswith(sentence.format(address)), cleaned[len(DAMAGED) - 10:]


def test_an_address_that_lost_letters_is_still_repaired():
    """An e-mail address after the fragments of its own first part is the rest of that
    address, as before: only an address after a whole word is left alone."""
    text = "Kontaktperson är M ria Lindqvist, m ri .lindqvist@stad.se, och e-post till registrator@stad.se besvaras."
    cleaned = clean(text).text
    assert "Maria Lindqvist, maria.lindqvist@stad.se" in cleaned and "registrator@stad.se" in cleaned


# -- namnd eval with gold files it cannot use ----------------------------------------------------

GOOD_GOLD = {"document": "a.txt", "metadata": {"municipality": "Vara"},
             "sections": [{"heading": "Bakgrund", "level": 1}], "staffing": [], "challenges": []}


def _eval_folder(tmp_path: Path, golds: dict[str, str]) -> Path:
    annotations, corpus = tmp_path / "annotations", tmp_path / "corpus"
    annotations.mkdir()
    corpus.mkdir()
    (corpus / "a.txt").write_text("Tjänsteskrivelse\n\nBakgrund\n\nNämnden har följt upp samverkan.\n",
                                  encoding="utf-8")
    for name, text in golds.items():
        (annotations / name).write_text(text, encoding="utf-8")
    return annotations


def _eval(annotations: Path):
    from pipeline.cli import main

    return CliRunner().invoke(main, ["eval", "--annotations", str(annotations)])


@pytest.mark.parametrize("text,problem", [
    ('{"document": "a.txt",\n "sections": [', "invalid JSON at line 2, column"),
    ("[1, 2]", "the file holds an array, not a JSON object"),
    ('{"sections": []}', "document: required field missing"),
    (json.dumps({**GOOD_GOLD, "sections": [{"level": 1}]}), "sections[0].heading: required field missing"),
    (json.dumps({**GOOD_GOLD, "pages": "3"}), 'pages: should be a whole number, not "3"'),
    (json.dumps({**GOOD_GOLD, "staffing": [{"headcount": 2, "days_per_week": {"min": "tre", "max": 3}}]}),
     'staffing[0].days_per_week.min: should be a number, not "tre"'),
    (json.dumps({**GOOD_GOLD, "law_citations": [{"law": "SoL", "chapter": ["14"]}]}),
     'law_citations[0].chapter: should be a string, not ["14"]'),
    (json.dumps({**GOOD_GOLD, "document": "saknas.txt"}), "its document 'saknas.txt' is not in"),
    (json.dumps({**GOOD_GOLD, "document": "../hemlig.txt"}), "is no file name inside the corpus folder"),
], ids=["invalid-json", "a-list", "no-document", "section-without-heading", "pages-as-text", "days-as-text",
        "chapter-as-list", "missing-document", "outside-the-corpus"])
def test_eval_names_a_gold_file_it_cannot_use_and_exits_2(tmp_path, text, problem):
    annotations = _eval_folder(tmp_path, {"a.json": json.dumps(GOOD_GOLD), "b.json": text})
    result = _eval(annotations)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert f"error: {annotations / 'b.json'}: " in result.output and problem in result.output, result.output
    assert "a.json" not in result.output  # the good file is not blamed
    assert "Traceback" not in result.output


def test_eval_lists_every_gold_file_it_cannot_use_at_once(tmp_path):
    annotations = _eval_folder(tmp_path, {"a.json": "{", "b.json": "null", "c.json": json.dumps(GOOD_GOLD)})
    result = _eval(annotations)
    assert result.exit_code == 2
    assert "2 gold files cannot be used" in result.output
    assert f"{annotations / 'a.json'}: invalid JSON" in result.output
    assert f"{annotations / 'b.json'}: the file holds null, not a JSON object" in result.output


def test_eval_of_a_folder_without_gold_files(tmp_path):
    annotations = _eval_folder(tmp_path, {})
    result = _eval(annotations)
    assert result.exit_code == 2 and "no gold files (*.json)" in result.output
