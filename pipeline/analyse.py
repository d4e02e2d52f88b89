"""Stage 4 — analyse: the Swedish spaCy pipeline and the project's components.

``build_nlp()`` is the one place that builds it: ``spacy.blank("sv")`` with the
sentencizer, the lookup lemmatizer (tables from spacy-lookups-data) and the
components below, registered as spaCy factories. A trained ``sv_core_news_*``
pipeline is used instead of the blank one when it is installed and asked for
(``model=`` or the ``NAMND_SPACY_MODEL`` environment variable); it is never required.

Each component reads ``doc.text`` with a finder from :mod:`pipeline.finders`, stores
its structured matches on a ``Doc`` extension and, for spaCy users, the same matches
as span groups in ``doc.spans``.
"""

from __future__ import annotations

import bisect
import os
from typing import Optional

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.finders.challenges import default_challenge_finder
from pipeline.finders.laws import default_finder
from pipeline.finders.places import default_place_finder
from pipeline.finders.staffing import default_staffing_finder

for _name, _default in (("namnd_date", None), ("namnd_municipality", None), ("namnd_boundaries", None),
                        ("law_citations", None), ("places", None), ("staffing", None), ("challenges", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

COMPONENTS = ("namnd_boundaries", "namnd_places", "namnd_laws", "namnd_staffing", "namnd_challenges")


def _span_group(doc: Doc, name: str, ranges: list[tuple[int, int, str]]) -> None:
    spans = []
    for start, end, label in ranges:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans[name] = spans


@Language.component("namnd_boundaries")
def structure_boundaries(doc: Doc) -> Doc:
    """Sentences never run across a paragraph break or a heading line."""
    offsets = set(doc._.namnd_boundaries or ())
    text = doc.text
    pos = text.find("\n\n")
    while pos != -1:
        offsets.add(pos + 2)
        pos = text.find("\n\n", pos + 2)
    if not offsets or len(doc) < 2:
        return doc
    starts = [t.idx for t in doc]
    for off in sorted(offsets):
        i = bisect.bisect_left(starts, off)
        # the first non-space token at or after the offset starts a sentence
        while i < len(doc) and doc[i].is_space:
            i += 1
        if 0 < i < len(doc):
            doc[i].is_sent_start = True
    return doc


@Language.factory("namnd_laws")
def make_law_component(nlp: Language, name: str):
    finder = default_finder()

    def law_citations(doc: Doc) -> Doc:
        matches = finder.find(doc.text, doc._.namnd_date)
        doc._.law_citations = matches
        _span_group(doc, "law_citations", [(m.start, m.end, m.law or "LAW") for m in matches])
        return doc

    return law_citations


@Language.factory("namnd_places")
def make_place_component(nlp: Language, name: str):
    finder = default_place_finder()

    def places(doc: Doc) -> Doc:
        found = finder.find(doc.text, doc._.namnd_municipality)
        doc._.places = found
        for kind in ("district", "lpo", "municipality"):
            _span_group(doc, kind + "s" if kind != "municipality" else "municipalities",
                        [(p.start, p.end, p.name) for p in found if p.kind == kind])
        return doc

    return places


@Language.factory("namnd_staffing")
def make_staffing_component(nlp: Language, name: str):
    finder = default_staffing_finder()

    def staffing(doc: Doc) -> Doc:
        text = doc.text
        found = []
        for sent in doc.sents:
            m = finder.find_in_sentence(text, sent.start_char, sent.end_char)
            if m:
                found.append(m)
        doc._.staffing = found
        _span_group(doc, "staffing", [(m.start, m.end, m.role or "STAFF") for m in found])
        return doc

    return staffing


@Language.factory("namnd_challenges")
def make_challenge_component(nlp: Language, name: str):
    finder = default_challenge_finder()

    def challenges(doc: Doc) -> Doc:
        text = doc.text
        found = []
        for sent in doc.sents:
            found.extend(finder.find_in_sentence(text, sent.start_char, sent.end_char))
        doc._.challenges = found
        _span_group(doc, "challenges", [(m.start, m.end, m.category) for m in found])
        return doc

    return challenges


def build_nlp(model: Optional[str] = None) -> Language:
    """The analysis pipeline. ``model``: an installed spaCy pipeline name, or None for blank Swedish."""
    model = model or os.environ.get("NAMND_SPACY_MODEL") or None
    if model:
        nlp = spacy.load(model, exclude=["ner"])
        if "senter" not in nlp.pipe_names and "parser" not in nlp.pipe_names and "sentencizer" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer")
    else:
        nlp = spacy.blank("sv")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    for component in COMPONENTS:
        nlp.add_pipe(component)
    return nlp
