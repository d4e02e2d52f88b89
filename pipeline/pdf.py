"""PDF reading with pdfplumber, keeping the layout signals the later stages need.

Lines come from ``page.extract_text_lines``; a line's font size and weight mark it as
a heading, vertical gaps separate paragraphs, hard-wrapped lines are joined, running
headers/footers and page numbers are removed (and reported in warnings).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from statistics import median

from pipeline.read import RawDocument, ReadError

DEFAULT_MAX_PAGES = 2000

PAGE_NUMBER = re.compile(
    r"^(?:(?:sid(?:an)?|s\.|page)\s*)?\d{1,4}(?:\s*(?:\(\s*\d{1,4}\s*\)|av\s*\d{1,4}|/\s*\d{1,4}))?$|^-\s*\d{1,4}\s*-$",
    re.IGNORECASE,
)


def read_pdf(data: bytes, path: str, digest: str, *, max_pages: int = DEFAULT_MAX_PAGES) -> RawDocument:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        page_count = len(pdf.pages)
    except PDFPasswordIncorrect:
        raise ReadError("encrypted PDF: a password is needed to open it") from None
    except PDFSyntaxError as exc:
        raise ReadError(f"corrupt PDF: {exc}") from None
    except Exception as exc:  # pdfminer raises many types for broken files
        if "encrypt" in type(exc).__name__.lower() or "password" in str(exc).lower():
            raise ReadError("encrypted PDF: cannot be decrypted") from None
        raise ReadError(f"corrupt PDF: {type(exc).__name__}: {exc}") from None
    if page_count == 0:
        raise ReadError("PDF has no pages")
    if page_count > max_pages:
        raise ReadError(f"PDF too long: {page_count} pages (limit {max_pages})")
    try:
        with pdf:
            pages = [_page_lines(page) for page in pdf.pages]
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(f"corrupt PDF: {type(exc).__name__}: {exc}") from None
    if not any(pages):
        raise ReadError(f"PDF has no text layer ({page_count} pages): it needs OCR")
    warnings: list[str] = []
    pages = _drop_running_lines(pages, warnings)
    body_size = _body_font_size(pages)
    heading_levels = _heading_levels(pages, body_size)
    text_parts: list[str] = []
    page_starts: list[int] = []
    hints: dict[str, int] = {}
    offset = 0
    for lines in pages:
        page_text = _page_text(lines, heading_levels, hints)
        if text_parts:
            text_parts.append("\n\n")
            offset += 2
        page_starts.append(offset)
        text_parts.append(page_text)
        offset += len(page_text)
    return RawDocument(path=path, format="pdf", text="".join(text_parts), sha256=digest,
                       page_starts=page_starts, pages=page_count, encoding=None,
                       heading_hints=hints, warnings=warnings)


def _page_lines(page) -> list[dict]:
    lines = []
    for line in page.extract_text_lines(return_chars=True, strip=True):
        chars = [c for c in line["chars"] if c["text"].strip()]
        if not chars or not line["text"].strip():
            continue
        sizes = [round(c["size"], 1) for c in chars]
        bold = sum(1 for c in chars if _is_bold(c.get("fontname", ""))) > 0.6 * len(chars)
        lines.append({"text": line["text"].strip(), "top": line["top"], "bottom": line["bottom"],
                      "x0": line["x0"], "x1": line["x1"], "size": median(sizes), "bold": bold})
    return lines


def _is_bold(fontname: str) -> bool:
    name = fontname.lower()
    return "bold" in name or "black" in name or "heavy" in name or name.endswith(",b")


def _normalise_running(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def _drop_running_lines(pages: list[list[dict]], warnings: list[str]) -> list[list[dict]]:
    """Remove page numbers and lines repeated at the top or bottom of most pages."""
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = {_normalise_running(l["text"]) for l in lines[:2] + lines[-2:]}
        counts.update(edge)
    threshold = max(2, (len(pages) + 1) // 2)
    running = {t for t, n in counts.items() if n >= threshold and len(pages) >= 2}
    removed: Counter[str] = Counter()
    out = []
    for lines in pages:
        keep = []
        for i, line in enumerate(lines):
            at_edge = i < 2 or i >= len(lines) - 2
            if at_edge and (PAGE_NUMBER.match(line["text"]) or _normalise_running(line["text"]) in running):
                removed[line["text"] if not PAGE_NUMBER.match(line["text"]) else "<page number>"] += 1
                continue
            keep.append(line)
        out.append(keep)
    for text, n in removed.items():
        warnings.append(f"removed running header/footer {text!r} from {n} page(s)")
    return out


def _body_font_size(pages: list[list[dict]]) -> float:
    weights: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            weights[line["size"]] += len(line["text"])
    return weights.most_common(1)[0][0] if weights else 10.0


def _heading_levels(pages: list[list[dict]], body: float) -> dict[float, int]:
    """Map font sizes clearly larger than the body to heading levels, largest = 1."""
    larger = sorted({l["size"] for lines in pages for l in lines if l["size"] >= body * 1.12}, reverse=True)
    return {size: i + 1 for i, size in enumerate(larger)}


def _is_heading(line: dict, levels: dict[float, int]) -> int:
    text = line["text"]
    if len(text) > 120 or text.endswith((".", ",", ";")):
        return 0
    if line["size"] in levels:
        return levels[line["size"]]
    if line["bold"] and len(text.split()) <= 12:
        return len(levels) + 1
    return 0


_LIST_START = re.compile(r"^(?:\d{1,2}[.)]|[-–•*▪])\s")


def _page_text(lines: list[dict], levels: dict[float, int], hints: dict[str, int]) -> str:
    paragraphs: list[str] = []
    current = ""
    prev = None
    # a line that stops well short of the right margin ends its paragraph (hard wraps
    # fill the line; the last line of a paragraph, a list item or an address line does not)
    if lines:
        rights = sorted(l["x1"] for l in lines)
        lefts = sorted(l["x0"] for l in lines)
        right = rights[int(len(rights) * 0.9)]
        left = lefts[len(lefts) // 10]
        short_limit = left + 0.75 * (right - left)
    for line in lines:
        level = _is_heading(line, levels)
        text = line["text"]
        if level:
            if current:
                paragraphs.append(current)
            paragraphs.append(text)
            hints[text] = level
            current, prev = "", None
            continue
        if prev is not None and current:
            height = max(prev["bottom"] - prev["top"], 1.0)
            gap = line["top"] - prev["bottom"]
            char_w = (prev["x1"] - prev["x0"]) / max(len(prev["text"]), 1)
            first_word = len(text.split()[0]) if text.split() else 0
            # the previous line ended early although the next word would have fitted
            ended_early = prev["x1"] < short_limit and (right - prev["x1"]) > (first_word + 2) * char_w
            if gap > 0.9 * height or ended_early or _LIST_START.match(text):
                paragraphs.append(current)
                current = text
            elif re.search(r"\w-$", current) and text[:1].islower():
                current = current[:-1] + text  # a word hyphenated at the line end
            else:
                current = current + " " + text
        else:
            current = text
        prev = line
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)
