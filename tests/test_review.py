"""Review pages: the cleaned text, every value marked, a panel that finds them; in a browser."""

from __future__ import annotations

import os
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.review import KINDS, render

ROOT = Path(__file__).resolve().parent.parent
PAGED = ROOT / "corpus" / "dev" / "c03_malmo-rosengard_tjansteskrivelse_2010.txt"  # pages, repairs
WITH_LPO = ROOT / "corpus" / "dev" / "b02_goteborg-socialforvaltningen-nordost_tjansteutlatande_2022.txt"
REQUIRED = {t.strip() for t in os.environ.get("NAMND_REQUIRED_TOOLS", "").split(",") if t.strip()}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class _Page(HTMLParser):
    """The text inside <pre>, every mark's attributes and text, the panel's links."""

    def __init__(self):
        super().__init__()
        self.in_pre = False
        self.text: list[str] = []
        self.marks: list[dict] = []
        self.open: list[dict] = []
        self.links: list[dict] = []
        self.pages: list[str] = []
        self.external = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "pre":
            self.in_pre = True
        elif tag == "mark":
            a["inner"] = ""
            self.marks.append(a)
            self.open.append(a)
        elif tag == "a" and "data-target" in a:
            self.links.append(a)
        elif tag == "span" and a.get("class") == "page":
            self.pages.append(a["data-page"])
        if "src" in a or (tag == "link") or (a.get("href") or "#").startswith(("http", "//")):
            self.external.append((tag, a))

    def handle_endtag(self, tag):
        if tag == "pre":
            self.in_pre = False
        elif tag == "mark":
            self.open.pop()

    def handle_data(self, data):
        if self.in_pre:
            self.text.append(data)
            for m in self.open:
                m["inner"] += data


def parsed(record) -> _Page:
    page = _Page()
    page.feed(render(record))
    return page


@pytest.fixture(scope="module")
def records(pipeline):
    return [pipeline.extract_file(PAGED), pipeline.extract_file(WITH_LPO)]


def test_the_page_shows_the_cleaned_text_exactly(records):
    for record in records:
        assert "".join(parsed(record).text) == record.text


def test_every_mark_covers_its_offsets(records):
    for record in records:
        page = parsed(record)
        assert page.marks
        for m in page.marks:
            start, end = int(m["data-start"]), int(m["data-end"])
            assert m["data-kind"] in KINDS
            if m.get("data-deleted"):  # a repair that deleted text: a mark of no width
                assert m["data-kind"] == "repair" and start == end and m["inner"] == ""
                continue
            assert 0 <= start < end <= len(record.text)
            assert m["inner"] and m["inner"] in record.text[start:end]  # a piece of it where marks cross


def test_every_kind_of_value_is_marked_and_listed(records):
    kinds = {m["data-kind"] for r in records for m in parsed(r).marks}
    assert kinds == set(KINDS)
    for record in records:
        page = parsed(record)
        ids = {m["data-id"] for m in page.marks}
        assert {a["data-target"] for a in page.links} == ids  # each listed value has marks, each mark a value
    assert len(records[0].law_citations) == sum(a["data-kind"] == "citation" for a in parsed(records[0]).links)


def test_pages_are_shown_and_nothing_is_fetched(records):
    page = parsed(records[0])
    assert page.pages == ["2", "3"] and records[0].source.pages == 3
    for record in records:
        assert parsed(record).external == []


def test_personal_numbers_are_masked_on_the_page(pipeline):
    record = pipeline.extract_text("Tjänsteskrivelse\nSocialförvaltningen, Kalmar kommun\n\n"
                                   "Anmälan enligt 14 kap. 1 § SoL gällde flickan 050312-4562.\n")
    assert "050312-4562" not in render(record) and "XXXXXX-XXXX" in render(record)


def test_the_command_writes_a_page_per_document(tmp_path):
    result = CliRunner().invoke(main, ["review", str(PAGED), str(WITH_LPO), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f.stem + ".html" for f in (PAGED, WITH_LPO))


@pytest.mark.skipif(CHROMIUM is None and "chromium" not in REQUIRED, reason="Debian's chromium is not installed")
def test_clicking_a_value_scrolls_to_its_marks_in_a_browser(tmp_path):
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "chromium is required here (NAMND_REQUIRED_TOOLS) but not installed"
    result = CliRunner().invoke(main, ["review", str(PAGED), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (page_file,) = tmp_path.glob("*.html")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 700})
            requests = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            for kind in ("citation", "district", "staffing", "challenge", "heading", "repair"):
                assert page.locator(f'mark[data-kind="{kind}"]').count() > 0, kind
            assert page.locator("mark.active").count() == 0
            last = page.locator('#values a[data-kind="citation"]').last
            target = last.get_attribute("data-target")
            last.click()
            active = page.locator("mark.active")
            assert active.count() >= 1
            assert {active.nth(i).get_attribute("data-id") for i in range(active.count())} == {target}
            box = active.first.bounding_box()
            assert box is not None and 0 <= box["y"] <= 700  # scrolled into view
            assert page.evaluate("document.getElementById('text').scrollTop") > 0
            page.locator('#values a[data-kind="district"]').first.click()
            assert page.locator(f'mark.active[data-id="{target}"]').count() == 0  # one value at a time
            assert requests == [page_file.as_uri()]  # nothing fetched but the page itself
        finally:
            browser.close()
