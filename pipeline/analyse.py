"""Stage 4 — analyse: the Swedish spaCy pipeline and the project's components.

``build_nlp()`` is the one place that builds it: ``spacy.blank("sv")`` with the
project's sentence component (punctuation, paragraph breaks, heading lines), the lookup
lemmatizer on spaCy's Swedish table (spacy-lookups-data) and the components below, all
registered as spaCy factories. A trained ``sv_core_news_*``
pipeline is used instead of the blank one when it is installed and asked for
(``model=`` or the ``NAMND_SPACY_MODEL`` environment variable); it is never required.

Each component reads ``doc.text`` with a finder from :mod:`pipeline.finders`, stores
its structured matches on a ``Doc`` extension and, for spaCy users, the same matches
as span groups in ``doc.spans``.
"""

from __future__ import annotations

import bisect
import os
import re
from typing import Optional

import numpy as np
import spacy
from spacy.attrs import IDX, IS_SPACE, LEMMA, ORTH, SENT_START
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from pipeline.finders.challenges import default_challenge_finder
from pipeline.finders.laws import default_finder
from pipeline.finders.places import default_place_finder
from pipeline.finders.staffing import default_staffing_finder
from pipeline.resources import load_json
from pipeline.tokenizer import WarmCacheTokenizer

for _name, _default in (("namnd_date", None), ("namnd_municipality", None), ("namnd_boundaries", None),
                        ("namnd_text", None), ("namnd_sentences", None),
                        ("law_citations", None), ("places", None), ("staffing", None), ("challenges", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

COMPONENTS = ("namnd_places", "namnd_laws", "namnd_staffing", "namnd_challenges")
SENTENCE_END = (".", "!", "?", "…")
CLOSING = (")", "]", "”", "\"", "'", "»", "’")


def doc_text(doc: Doc) -> str:
    """The document's text. ``Doc.text`` rebuilds the string from every token on each
    call, so the pipeline hands the cleaned text along on the Doc."""
    text = doc._.namnd_text
    if text is None:
        text = doc.text
        doc._.namnd_text = text
    return text


def sentences(doc: Doc) -> list[tuple[int, int]]:
    """Sentence (start, end) character offsets, from our sentence component or the model's."""
    found = doc._.namnd_sentences
    if found is None:
        found = [(s.start_char, s.end_char) for s in doc.sents]
        doc._.namnd_sentences = found
    return found


def _span_group(doc: Doc, name: str, ranges: list[tuple[int, int, str]]) -> None:
    spans = []
    for start, end, label in ranges:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans[name] = spans


@Language.factory("namnd_sentences")
def make_sentence_component(nlp: Language, name: str):
    """Sentence boundaries: after sentence-final punctuation (closing quotes and brackets
    stay with their sentence), at every paragraph break and around every heading line.
    Works on token arrays, so it costs a fraction of a per-token Python loop."""
    strings = nlp.vocab.strings
    end_hashes = np.array([strings.add(p) for p in SENTENCE_END], dtype="uint64")
    closing_hashes = np.array([strings.add(p) for p in CLOSING], dtype="uint64")

    def set_sentences(doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            doc._.namnd_sentences = []
            return doc
        arr = doc.to_array([ORTH, IDX, IS_SPACE]).astype("int64")
        orth = arr[:, 0].astype("uint64")
        idx, is_space = arr[:, 1], arr[:, 2].astype(bool)
        text = doc_text(doc)
        is_end = np.isin(orth, end_hashes)
        is_closing = np.isin(orth, closing_hashes)
        start = np.zeros(n, dtype=bool)
        start[0] = True
        start[1:] = (is_end[:-1] | (is_closing[:-1] & np.roll(is_end, 1)[:-1])) & ~is_end[1:] & ~is_closing[1:]
        # paragraph breaks and heading lines
        breaks = [m.end() for m in _PARAGRAPH.finditer(text)] + list(doc._.namnd_boundaries or ())
        if breaks:
            pos = np.searchsorted(idx, np.array(sorted(set(breaks))), side="left")
            start[pos[pos < n]] = True
        # a sentence starts at its first non-space token: move starts off whitespace tokens
        on_space = np.nonzero(start & is_space)[0]
        if len(on_space):
            words = np.nonzero(~is_space)[0]
            if len(words):
                k = np.searchsorted(words, on_space)
                start[words[k[k < len(words)]]] = True
            start[on_space] = False
        start[0] = True
        flags = np.where(start, 1, -1).astype("uint64")
        doc.from_array([SENT_START], flags.reshape(-1, 1))
        starts = idx[start].tolist()
        bounds = []
        for k, s_char in enumerate(starts):
            e_char = starts[k + 1] if k + 1 < len(starts) else len(text)
            while e_char > s_char and text[e_char - 1].isspace():
                e_char -= 1
            bounds.append((s_char, e_char))
        doc._.namnd_sentences = bounds
        return doc

    return set_sentences


class LemmaTable:
    """spacy-lookups-data's lemma table (word hash → lemma) as four flat arrays: the
    sorted word hashes, each one's lemma number, and the distinct lemmas as one UTF-8
    blob with their offsets.

    spaCy's own Table is a dict of 660 000 entries for Swedish; building it, or even a
    plain dict of it from a disk cache, took 0.2 s of every process's start. The arrays
    come from the disk cache in a few milliseconds, and a document's word forms are looked
    up all at once with a binary search. A Table lookup is by the same hash, so the
    lemmas are the same."""

    def __init__(self, keys: np.ndarray, lemma_ids: np.ndarray, offsets: np.ndarray, blob: bytes):
        self.keys, self.lemma_ids, self.offsets, self.blob = keys, lemma_ids, offsets, blob

    @classmethod
    def from_dict(cls, table: dict[int, str]) -> "LemmaTable":
        keys = np.fromiter(table.keys(), dtype=np.uint64, count=len(table))
        order = np.argsort(keys, kind="stable")
        number: dict[str, int] = {}
        ids = np.fromiter((number.setdefault(v, len(number)) for v in table.values()),
                          dtype=np.uint32, count=len(table))
        encoded = [lemma.encode("utf-8") for lemma in number]
        offsets = np.zeros(len(encoded) + 1, dtype=np.uint64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        return cls(keys[order], ids[order], offsets, b"".join(encoded))

    def to_bytes(self) -> tuple[bytes, bytes, bytes, bytes]:
        return self.keys.tobytes(), self.lemma_ids.tobytes(), self.offsets.tobytes(), self.blob

    @classmethod
    def from_bytes(cls, parts: tuple[bytes, bytes, bytes, bytes]) -> "LemmaTable":
        keys, ids, offsets, blob = parts
        return cls(np.frombuffer(keys, dtype=np.uint64), np.frombuffer(ids, dtype=np.uint32),
                   np.frombuffer(offsets, dtype=np.uint64), blob)

    def __len__(self) -> int:
        return len(self.keys)

    def lookup(self, hashes: np.ndarray) -> list[Optional[str]]:
        """The lemma of each word hash, or None where the table has none."""
        if len(self.keys) == 0 or len(hashes) == 0:
            return [None] * len(hashes)
        at = np.searchsorted(self.keys, hashes)
        at[at == len(self.keys)] = 0
        found = self.keys[at] == hashes
        ids = self.lemma_ids[at]
        offsets, blob = self.offsets, self.blob
        return [blob[offsets[i]:offsets[i + 1]].decode("utf-8") if hit else None
                for i, hit in zip(ids.tolist(), found.tolist())]


def _lemma_table(lang: str) -> LemmaTable:
    """spacy-lookups-data's lemma table for ``lang``, kept in the disk cache as arrays
    (reading the package's table takes about 1.5 s)."""
    from pipeline.resources import cached_marshal, package_version

    def build() -> tuple[bytes, bytes, bytes, bytes]:
        from spacy.lookups import load_lookups

        return LemmaTable.from_dict(dict(load_lookups(lang, ["lemma_lookup"]).get_table("lemma_lookup"))).to_bytes()

    def valid(parts: object) -> bool:
        return isinstance(parts, tuple) and len(parts) == 4 and all(isinstance(p, bytes) for p in parts)

    version = package_version("spacy-lookups-data") or "0"
    return LemmaTable.from_bytes(cached_marshal(f"lemma-arrays-{lang}-lookups{version}.marshal", build, valid))


class FiniteVerbs:
    """Does a word read as a finite verb? From the lemma table's regular endings: the
    present ("beslutar" of besluta, "anser" of anse, "godkänner" of godkänna), the s-passive ("godkänns", "föreslås"), the past ("beslutade", "godkände",
    "köpte"), and the auxiliaries and irregular verbs of ``data/verbs.json``. Enough to
    tell a sentence from a heading, not a tagger: a noun whose plural looks like a
    present ("studier" of studie) is kept out by its lemma's ending."""

    def __init__(self, nlp: Language):
        self._table = _lemma_table(nlp.lang)
        self._strings = nlp.vocab.strings
        self._irregular = frozenset(load_json("verbs.json")["finite"])
        self._cache: dict[str, bool] = {}

    def __call__(self, word: str) -> bool:
        w = word.casefold()
        known = self._cache.get(w)
        if known is None:
            known = self._cache[w] = self._is_finite(w)
        return known

    def _is_finite(self, w: str) -> bool:
        if w in self._irregular:
            return True
        if len(w) < 4 or not w.isalpha():  # "för" is the lemma föra's present, and far more often a preposition
            return False
        lemma = self._table.lookup(np.array([self._strings[w]], dtype=np.uint64))[0]
        if not lemma or lemma == w or not lemma.isalpha():
            return False
        if lemma.endswith("a"):
            stem = lemma[:-1]
            past = (stem + "de", stem + "te", stem[:-1] + "de") if stem[-1:] == stem[-2:-1] else (stem + "de", stem + "te")
            return w in (lemma + "r", stem + "er", lemma + "s", stem + "s", lemma + "de") + past
        if lemma[-1] in "eiouyåö" and not lemma.endswith(("ie", "je")):  # anse, bo, gå, ske
            return w in (lemma + "r", lemma + "s", lemma + "dde")
        return False


@Language.factory("namnd_lemmatizer")
def make_lemmatizer(nlp: Language, name: str):
    """The lookup lemmatizer on spaCy's Swedish lookup table (spacy-lookups-data),
    writing lemmas as one array per Doc and caching each word form's lemma."""
    table = _lemma_table(nlp.lang)
    strings = nlp.vocab.strings
    cache: dict[int, int] = {}  # word hash → lemma hash

    def lemmatize(doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        orths = doc.to_array([ORTH]).astype("uint64").ravel()
        # each word form once (a document has about three tokens per distinct form)
        forms, token_form = np.unique(orths, return_inverse=True)
        lemmas = [cache.get(h) for h in forms.tolist()]
        new = [i for i, lemma in enumerate(lemmas) if lemma is None]
        if new:
            new_forms = forms[new]
            for i, h, form in zip(new, new_forms.tolist(), table.lookup(new_forms)):
                lemma = strings.add(form) if form is not None else h
                cache[h] = lemmas[i] = lemma
        doc.from_array([LEMMA], np.array(lemmas, dtype="uint64")[token_form].reshape(-1, 1))
        return doc

    return lemmatize


@Language.factory("namnd_laws")
def make_law_component(nlp: Language, name: str):
    finder = default_finder()

    def law_citations(doc: Doc) -> Doc:
        matches = finder.find(doc_text(doc), doc._.namnd_date)
        doc._.law_citations = matches
        _span_group(doc, "law_citations", [(m.start, m.end, m.law or "LAW") for m in matches])
        return doc

    return law_citations


@Language.factory("namnd_places")
def make_place_component(nlp: Language, name: str):
    finder = default_place_finder()

    def places(doc: Doc) -> Doc:
        found = finder.find(doc_text(doc), doc._.namnd_municipality, doc._.namnd_date)
        doc._.places = found
        for kind in ("district", "lpo", "municipality"):
            _span_group(doc, kind + "s" if kind != "municipality" else "municipalities",
                        [(p.start, p.end, p.name) for p in found if p.kind == kind])
        return doc

    return places


def _sentences_with(sents: list[tuple[int, int]], positions: list[int]) -> list[tuple[int, int]]:
    """The sentences that contain at least one of the (sorted) positions."""
    out = []
    starts = [s for s, _ in sents]
    last = -1
    for pos in positions:
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and i != last and pos < sents[i][1]:
            out.append(sents[i])
            last = i
    return out


def _sentence_finder(doc: Doc, triggers: list[int], find) -> list:
    """Run a per-sentence finder on the sentences holding a trigger position only."""
    text = doc_text(doc)
    found: list = []
    for start, end in _sentences_with(sentences(doc), triggers):
        found.extend(find(text, start, end))
    return found


@Language.factory("namnd_staffing")
def make_staffing_component(nlp: Language, name: str):
    finder = default_staffing_finder()

    def staffing(doc: Doc) -> Doc:
        # only sentences holding a role or a working-time word can state a staffing fact; a
        # sentence of working time alone only adds to a fact, so it is read only when the
        # document states one
        text = doc_text(doc)
        sents = sentences(doc)
        fact_words, additions = finder.trigger_positions(text)
        first = _sentences_with(sents, fact_words)
        found = [m for start, end in first for m in finder.find_in_sentence(text, start, end)]
        if found:
            done = set(first)
            rest = [s for s in _sentences_with(sents, additions) if s not in done]
            found += [m for start, end in rest for m in finder.find_in_sentence(text, start, end)]
            found.sort(key=lambda m: m.start)
        doc._.staffing = found
        _span_group(doc, "staffing", [(m.start, m.end, m.role or "STAFF") for m in found])
        return doc

    return staffing


@Language.factory("namnd_challenges")
def make_challenge_component(nlp: Language, name: str):
    finder = default_challenge_finder()

    def challenges(doc: Doc) -> Doc:
        found = _sentence_finder(doc, finder.cue_positions(doc_text(doc)), finder.find_in_sentence)
        doc._.challenges = found
        _span_group(doc, "challenges", [(m.start, m.end, m.category) for m in found])
        return doc

    return challenges


_PARAGRAPH = re.compile(r"\n\n+")


def build_nlp(model: Optional[str] = None) -> Language:
    """The analysis pipeline. ``model``: an installed spaCy pipeline name, or None for blank Swedish."""
    model = model or os.environ.get("NAMND_SPACY_MODEL") or None
    if model:
        nlp = spacy.load(model, exclude=["ner"])
        if "senter" not in nlp.pipe_names and "parser" not in nlp.pipe_names:
            nlp.add_pipe("namnd_sentences", first=True)
    else:
        nlp = spacy.blank("sv")
        nlp.add_pipe("namnd_sentences")
        nlp.add_pipe("namnd_lemmatizer")
    for component in COMPONENTS:
        nlp.add_pipe(component)
    if isinstance(nlp.tokenizer, Tokenizer):  # a trained pipeline may bring its own
        nlp.tokenizer = WarmCacheTokenizer(nlp.tokenizer)
    # spaCy's 1 M-character guard is there for parsers and NER, whose memory grows with
    # the text; our components are linear, and a long report must not fail for its length
    # (the reader already refuses files over its size limit)
    nlp.max_length = 60_000_000
    return nlp
