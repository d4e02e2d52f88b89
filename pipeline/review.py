"""A review page per record: the cleaned text with every extracted value marked.

One self-contained HTML file (styles and script inline, nothing fetched): the document's
cleaned text, in which each citation, district, police area, staffing fact, challenge,
heading and repair is a ``<mark>`` with ``data-kind``, ``data-start`` and ``data-end``
(offsets into the cleaned text) and ``data-id`` (the value it belongs to); a side panel
lists the record's values, and clicking one scrolls to its marks and highlights them.
Marks that overlap without nesting are split into pieces that share their value's
attributes, so the page's text is the record's text, character for character.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, field

from models import Record

KINDS = ("citation", "district", "lpo", "staffing", "challenge", "heading", "repair")
_TITLES = {"citation": "Lagrum", "district": "Stadsdelar och orter", "lpo": "Lokalpolisområden",
           "staffing": "Bemanning", "challenge": "Utmaningar", "heading": "Rubriker", "repair": "Reparationer"}


@dataclass
class _Value:
    id: str
    kind: str
    label: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    note: str = ""


def _values(record: Record) -> list[_Value]:
    out: list[_Value] = []

    def add(kind: str, label: str, spans, note: str = "") -> None:
        # a repair that deleted text (page furniture, a doubled space) is a mark of no width
        spans = [(s, e) for s, e in spans if 0 <= s <= e <= len(record.text) and (s < e or kind == "repair")]
        if spans:
            out.append(_Value(f"v{len(out)}", kind, label, spans, note))

    for c in record.law_citations:
        where = " ".join(p for p in (f"{c.chapter} kap." if c.chapter else "",
                                     f"{c.section}{'–' + c.section_end if c.section_end else ''} §" if c.section else "") if p)
        add("citation", f"{c.law or 'lag okänd'} {where}".strip() + (f" ({c.sfs})" if c.sfs else ""),
            [(c.span.start, c.span.end)])
    for d in record.districts:
        add("district", d.name, [(m.start, m.end) for m in d.mentions])
    for lpo in record.lpos:
        add("lpo", lpo.name, [(m.start, m.end) for m in lpo.mentions])
    for s in record.staffing:
        days = ""
        if s.days_per_week:
            lo, hi = s.days_per_week.min, s.days_per_week.max
            days = f", {lo:g}{'–' + format(hi, 'g') if hi != lo else ''} dagar/vecka"
        label = f"{s.headcount if s.headcount is not None else '?'} {s.role or 'roll okänd'}" + \
            (f", {s.district}" if s.district else "") + days
        add("staffing", label, [(s.span.start, s.span.end)])
    for c in record.challenges:
        add("challenge", c.category, [(c.span.start, c.span.end)])
    for sec in record.sections:
        if sec.heading and record.text.startswith(sec.heading, sec.start):
            add("heading", sec.heading, [(sec.start, sec.start + len(sec.heading))])
    for r in record.repairs:
        sure = f", säkerhet {r.confidence:.2f}" if r.confidence is not None else ""
        add("repair", f"{r.original!r} → {r.replacement!r}", [(r.start, r.end)], f"{r.kind}{sure}")
    return out


def _open(v: _Value, start: int, end: int) -> str:
    title = v.label + (f" ({v.note})" if v.note else "")
    deleted = ' data-deleted="1"' if start == end else ""
    return (f'<mark class="k-{v.kind}" data-kind="{v.kind}" data-id="{v.id}" data-start="{start}" '
            f'data-end="{end}"{deleted} title="{html.escape(title)}">')


def marked_text(record: Record, values: list[_Value]) -> str:
    """The cleaned text as HTML, each value's spans marked, page starts shown."""
    text = record.text
    marks = sorted(((s, e, v) for v in values for s, e in v.spans if s < e), key=lambda m: (m[0], -m[1]))
    opening: dict[int, list] = defaultdict(list)
    for m in marks:
        opening[m[0]].append(m)
    deletions: dict[int, list] = defaultdict(list)
    for v in values:
        for s, e in v.spans:
            if s == e:
                deletions[s].append((s, e, v))
    pages = {o: i + 1 for i, o in enumerate(record.source.page_starts)} if len(record.source.page_starts) > 1 else {}
    bounds = sorted({0, len(text)} | {m[0] for m in marks} | {m[1] for m in marks} | set(pages) | set(deletions))
    out: list[str] = []
    stack: list = []
    pos = 0
    for b in bounds:
        out.append(html.escape(text[pos:b]))
        pos = b
        while any(m[1] == b for m in stack):
            # close down to the mark that ends here, then open again those that go on
            reopen = []
            while stack[-1][1] != b:
                reopen.append(stack.pop())
                out.append("</mark>")
            stack.pop()
            out.append("</mark>")
            for m in reversed(reopen):
                out.append(_open_span(m))
                stack.append(m)
        if b in pages and b > 0:
            out.append(f'<span class="page" data-page="{pages[b]}"></span>')
        out += [_open_span(m) + "</mark>" for m in deletions.get(b, [])]
        for m in opening.get(b, []):
            out.append(_open_span(m))
            stack.append(m)
    out.extend("</mark>" for _ in stack)
    return "".join(out)


def _open_span(m) -> str:
    start, end, value = m
    return _open(value, start, end)


_STYLE = """
body{margin:0;font:15px/1.5 system-ui,sans-serif;color:#222}
header{padding:.6em 1em;background:#f3f1ea;border-bottom:1px solid #ddd}
header h1{font-size:1.15em;margin:0}
header p{margin:.2em 0 0;color:#555;font-size:.9em}
main{display:flex;height:calc(100vh - 4.2em)}
#text{flex:3;overflow:auto;padding:1em 1.5em}
#text pre{white-space:pre-wrap;font:14px/1.55 ui-monospace,monospace;margin:0}
#values{flex:1.3;overflow:auto;padding:.5em 1em;border-left:1px solid #ddd;background:#fafafa;font-size:.9em}
#values h2{font-size:1em;margin:1em 0 .3em}
#values ul{margin:0;padding-left:1.1em}
#values a{color:#134;text-decoration:none}
#values a:hover{text-decoration:underline}
mark{background:none;border-bottom:2px solid;padding:0}
.k-citation{border-color:#2b6cb0;background:#e6f0fa}
.k-district{border-color:#2f855a;background:#e6f6ec}
.k-lpo{border-color:#805ad5;background:#f0eafb}
.k-staffing{border-color:#c05621;background:#fdf0e6}
.k-challenge{border-color:#b7791f;background:#fdf8e1}
.k-heading{border-color:#4a5568;font-weight:bold}
.k-repair{border-color:#c53030;border-bottom-style:dotted}
.k-repair[data-deleted]::after{content:"⌫";color:#c53030;font-size:.8em}
mark.active{outline:3px solid #e53e3e;background:#fff3a0}
.page{display:block;margin:1em 0;border-top:1px dashed #aaa;color:#888;font-size:.8em}
.page::before{content:"sida " attr(data-page)}
"""

_SCRIPT = """
document.querySelectorAll('#values a[data-target]').forEach(function (a) {
  a.addEventListener('click', function (event) {
    event.preventDefault();
    document.querySelectorAll('mark.active').forEach(function (m) { m.classList.remove('active'); });
    var marks = document.querySelectorAll('mark[data-id="' + a.dataset.target + '"]');
    marks.forEach(function (m) { m.classList.add('active'); });
    if (marks.length) { marks[0].scrollIntoView({block: 'center'}); }
  });
});
"""


def render(record: Record) -> str:
    """The review page of ``record``: one HTML document, nothing fetched from anywhere."""
    values = _values(record)
    md = record.metadata
    facts = " · ".join(x for x in (record.source.path, md.date or "", f"{record.source.pages} sidor"
                                   if record.source.pages else "", md.municipality or "") if x)
    panel = []
    for kind in KINDS:
        of_kind = [v for v in values if v.kind == kind]
        if not of_kind:
            continue
        panel.append(f'<h2 data-kind="{kind}">{_TITLES[kind]} ({len(of_kind)})</h2><ul>')
        panel += [f'<li><a href="#" data-target="{v.id}" data-kind="{kind}">{html.escape(v.label)}</a></li>'
                  for v in of_kind]
        panel.append("</ul>")
    if record.personal_numbers_masked:
        panel.append(f"<p>{record.personal_numbers_masked} personnummer maskerade.</p>")
    title = html.escape(md.title or record.source.path)
    return (f'<!doctype html><html lang="sv"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title><style>{_STYLE}</style></head><body>"
            f"<header><h1>{title}</h1><p>{html.escape(facts)}</p></header>"
            f'<main><article id="text"><pre>{marked_text(record, values)}</pre></article>'
            f'<aside id="values">{"".join(panel)}</aside></main>'
            f"<script>{_SCRIPT}</script></body></html>\n")
