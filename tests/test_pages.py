"""Page markers of text exports: found as a rising sequence, turned into page breaks,
removed as page furniture; a number that only looks like one is left alone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean import clean
from pipeline.pages import find_pages

BODY = [
    "Socialnämnden gav förvaltningen i uppdrag att redovisa samverkan med polisen.",
    "Under året har två socialsekreterare arbetat på polisstationen tre dagar i veckan.",
    "Förvaltningen bedömer att arbetet har gett ett bättre informationsutbyte.",
    "Det finns fortfarande oklarheter om vad sekretessen tillåter.",
    "Uppdraget redovisas till nämnden i samband med årsrapporten.",
]


def pages_text(markers: list[str], placement: str, lines_per_page: int = 6) -> tuple[str, list[str]]:
    """A text of len(markers) pages, each marker heading or footing its page; also the
    first body line of each page."""
    out, firsts = [], []
    for k, marker in enumerate(markers):
        body = [f"Rad {j + 1} på sidan {k + 1}: {BODY[(k + j) % len(BODY)]}" for j in range(lines_per_page)]
        firsts.append(body[0])
        out += ([marker] + body) if placement == "header" else (body + [marker])
    return "\n".join(out) + "\n", firsts


MARKER_FORMS = [
    "Sida {n} ({m})",
    "Sid {n} av {m}",
    "Sidan {n} av {m}",
    "SIDA {n} ({m})",
    "{n} ({m})",
    "{n}(av){m}",
    "Page {n} of {m}",
    "- {n} -",
    "Sida {n}",
    "Socialförvaltningen              Sida {n} ({m})",
    "Sida {n} ({m})\tTjänsteutlåtande",
]


@pytest.mark.parametrize("form", MARKER_FORMS)
@pytest.mark.parametrize("placement", ["header", "footer"])
def test_markers_become_page_breaks(form, placement):
    markers = [form.format(n=n, m=4) for n in range(1, 5)]
    text, firsts = pages_text(markers, placement)
    found = find_pages(text)
    assert found.pages == 4
    assert found.placement == placement
    for n, first in enumerate(firsts, start=1):
        offset = text.index(first)
        assert sum(1 for s in found.page_starts if s <= offset) == n, (n, first)
    cleaned = clean(text, found.furniture).text
    for marker in markers[1:]:
        assert marker not in cleaned
    assert all(first in cleaned for first in firsts)


def test_a_letterhead_without_a_marker_is_page_one():
    """Stockholm's later pages carry "Sida 2 (3)"; the first page has the letterhead."""
    text = ("Rinkeby-Kista stadsdelsförvaltning\nAvdelningen för individ och familj\nTjänsteutlåtande\n"
            "Dnr 1.2.3-456/2012\n\n" + "\n".join(BODY) + "\n"
            "Rinkeby-Kista stadsdelsförvaltning                 Sida 2 (3)\nTjänsteutlåtande\nDnr 1.2.3-456/2012\n"
            + "\n".join(BODY[::-1]) + "\n"
            "Rinkeby-Kista stadsdelsförvaltning                 Sida 3 (3)\nTjänsteutlåtande\nDnr 1.2.3-456/2012\n"
            "Slutet av texten står här.\n")
    found = find_pages(text)
    assert found.pages == 3 and found.placement == "header"
    cleaned = clean(text, found.furniture).text
    # the letterhead stays once; the running header of pages 2 and 3 goes
    assert cleaned.count("Rinkeby-Kista stadsdelsförvaltning") == 1
    assert cleaned.count("Dnr 1.2.3-456/2012") == 1
    assert cleaned.startswith("Rinkeby-Kista stadsdelsförvaltning\nAvdelningen")
    assert "Sida" not in cleaned


def test_the_marker_on_a_letterhead_line_goes_and_the_name_stays():
    text = ("Socialförvaltningen                      Sida 1 (2)\nTjänsteskrivelse\n\n" + "\n".join(BODY) + "\n"
            "Sida 2 (2)\n" + "\n".join(BODY) + "\n")
    found = find_pages(text)
    cleaned = clean(text, found.furniture).text
    assert cleaned.startswith("Socialförvaltningen\nTjänsteskrivelse")
    assert found.pages == 2


@pytest.mark.parametrize("text", [
    "Enligt 14 kap. 1 § SoL ska anmälan göras.\nSe bilaga 2 (4 sidor).\nNämnden beslutar.\n",
    "Kostnader\n2 (4)\nÖvrigt\n",                 # one bare "2 (4)": no sequence
    "Tabell\n1\n2\n3\n4\n",                       # bare numbers are never markers
    "Sida 1\nNämnden beslutar.\n",                # "Sida 1" alone says nothing
    "Budget 2024 (2025)\nNämnden beslutar.\n",     # a year is not a page
    "Punkt 3 av 2\nText.\nPunkt 4 av 2\n",          # a page beyond the count
])
def test_what_only_looks_like_a_marker_is_left_alone(text):
    found = find_pages(text)
    assert found.pages is None and found.furniture == [] and found.page_starts == [0]


def test_a_missing_marker_keeps_the_numbering():
    markers = ["Sid 1 av 4", "Sid 2 av 4", "", "Sid 4 av 4"]
    text, firsts = pages_text(markers, "footer")
    found = find_pages(text)
    assert found.pages == 4
    # page 3 lost its footer: page 3 starts after page 2's, and where page 4 starts is
    # not known, so its text stays with page 3 (never with a page the markers do not reach)
    def page(line: str) -> int:
        return sum(1 for s in found.page_starts if s <= text.index(line))
    assert [page(f) for f in firsts] == [1, 2, 3, 3]

    markers = ["Sida 1 (4)", "Sida 2 (4)", "", "Sida 4 (4)"]
    text, firsts = pages_text(markers, "header")
    found = find_pages(text)
    # page 3 lost its header: its text stays with page 2, and page 4 is still page 4
    assert [page(f) for f in firsts] == [1, 2, 2, 4]


def test_pages_reach_the_record(pipeline):
    text, firsts = pages_text([f"Sida {n} (3)" for n in (1, 2, 3)], "header")
    text = "Rapport om samverkan\n\n" + text.replace(firsts[2], "Bedömning\n\n" + firsts[2])
    record = pipeline.extract_text(text)
    assert record.source.pages == 3
    assert any(r.kind == "page_furniture" for r in record.repairs)
    assert "Sida" not in record.text
    heading = next(s for s in record.sections if s.heading == "Bedömning")
    assert heading.page == 3


lines = st.lists(st.one_of(st.text(max_size=40), st.sampled_from(["Sida 2 (3)", "3 (3)", "Sid 1 av 2", "- 4 -", ""])),
                 max_size=30)


@given(lines)
@settings(max_examples=300, deadline=None)
def test_page_starts_and_furniture_are_well_formed(parts):
    text = "\n".join(parts)
    found = find_pages(text)
    assert found.page_starts[0] == 0
    assert found.page_starts == sorted(found.page_starts)
    assert all(0 <= s <= len(text) for s in found.page_starts)
    if found.pages is not None:
        assert len(found.page_starts) == found.pages
    last = 0
    for s, e in found.furniture:
        assert last <= s < e <= len(text)
        last = e
    clean(text, found.furniture)  # the cleaner takes the furniture as it comes


def test_a_page_break_inside_a_sentence_is_no_paragraph_break():
    from pipeline.core import Pipeline

    header = "Kalmar kommun, Socialförvaltningen                    Sida {n} (2)\n"
    text = (header.format(n=1) + "\nTjänsteskrivelse\n\nFältgruppen arbetar kvällstid från tisdag till\n\n\n"
            + header.format(n=2) + "\nfredag i centrum.\n\nUtvärdering\n\nArbetet fortsätter.\n")
    rec = Pipeline().extract_text(text)
    assert "från tisdag till\nfredag i centrum." in rec.text
    assert rec.source.pages == 2 and "\n\nUtvärdering\n\n" in rec.text  # real paragraphs stay
