"""The library API: read → clean → segment → analyse → extract, for one file or many.

    >>> from pipeline import Pipeline
    >>> record = Pipeline().extract_file("corpus/000_c03b254d8a1ffbd1.txt")
    >>> record.law_citations[0].law
    'SoL'

The CLI (:mod:`pipeline.cli`) is a thin layer over this module.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, replace
from typing import Iterable, Iterator, Optional, Union

from models import Metadata, Record, Source
from pipeline import extract as ex
from pipeline.analyse import FiniteVerbs, build_nlp
from pipeline.clean import CleanedText, clean
from pipeline.finders import metadata as meta
from pipeline.finders.places import default_place_finder, load_gazetteer
from pipeline.limits import Limits, pdf_reader as choose_pdf_reader
from pipeline.privacy import mask_personal_numbers
from pipeline.read import RawDocument, ReadError, read, read_bytes
from pipeline.resources import gc_paused, spare_from_gc
from pipeline.segment import Segmentation, segment, split_lines


@dataclass
class Failure:
    """A file that could not be processed, and why."""

    path: str
    reason: str
    sha256: Optional[str] = None


Result = Union[Record, Failure]


@dataclass
class _Prepared:
    raw: RawDocument
    cleaned: CleanedText
    seg: Segmentation
    metadata: Metadata
    pager: ex.Pager
    personal_numbers: int = 0  # masked in the text


class Pipeline:
    """Holds the spaCy pipeline and gazetteers; build once, use for many documents."""

    def __init__(self, model: Optional[str] = None, keep_personal_numbers: bool = False,
                 limits: Optional[Limits] = None, pdf_reader: Optional[str] = None):
        #: personal identity numbers are masked in every output unless this is set (closed archives)
        self.keep_personal_numbers = keep_personal_numbers
        #: what reading one document may cost (None: :meth:`Limits.from_env` at each read)
        self.limits = limits
        #: how PDF pages are read: "pdfium" or "pdfplumber" (None: :func:`pipeline.limits.pdf_reader`
        #: at each read, that is ``NAMND_PDF_READER`` or PDFium)
        self.pdf_reader = choose_pdf_reader(pdf_reader) if pdf_reader is not None else None
        self.nlp = build_nlp(model)
        self.gazetteer = load_gazetteer()
        self.place_finder = default_place_finder()
        self.is_verb = FiniteVerbs(self.nlp)
        municipalities = self.gazetteer.municipalities
        #: a district's or a municipality's name (the segmenter's sub-headings and names)
        self.is_place = lambda name: self.gazetteer.is_district(name) or name in municipalities or (
            name.endswith("s") and name[:-1] in municipalities)
        spare_from_gc()

    # -- public API --------------------------------------------------------------
    def extract_file(self, path: Union[str, os.PathLike]) -> Record:
        """One file → its record. Raises :class:`ReadError` for an unreadable file."""
        return self._finish(self._prepare(read(path, limits=self.limits, pdf_reader=self.pdf_reader)))

    def extract_bytes(self, data: bytes, path: str = "<bytes>") -> Record:
        return self._finish(self._prepare(read_bytes(data, path, limits=self.limits, pdf_reader=self.pdf_reader)))

    def extract_text(self, text: str, path: str = "<text>") -> Record:
        return self.extract_bytes(text.encode("utf-8"), path)

    def extract_many(self, paths: Iterable[Union[str, os.PathLike]], batch_size: int = 16) -> Iterator[tuple[str, Result]]:
        """Yield (path, record or Failure) for each path, in order; one bad file never stops the rest."""
        batch: list[tuple[str, _Prepared]] = []
        for path in paths:
            path = str(path)
            raw = None
            try:
                raw = read(path, limits=self.limits, pdf_reader=self.pdf_reader)
                batch.append((path, self._prepare(raw)))
            except ReadError as exc:
                yield from self._flush(batch)
                batch = []
                yield path, Failure(path, exc.reason, exc.sha256)
                continue
            except Exception as exc:  # a bug must not stop an archive run; it is reported per file
                yield from self._flush(batch)
                batch = []
                sha = raw.sha256 if raw is not None else _sha256_or_none(path)
                yield path, Failure(path, f"internal error: {type(exc).__name__}: {exc}", sha)
                continue
            if len(batch) >= batch_size:
                yield from self._flush(batch)
                batch = []
        yield from self._flush(batch)

    # -- stages ------------------------------------------------------------------
    def canonical_district(self, surface: str) -> Optional[str]:
        entries = self.gazetteer.districts.get(surface) or (
            self.gazetteer.districts.get(surface[:-1]) if surface.endswith("s") else None)
        return entries[0]["name"] if entries else None

    def _document_district(self, metadata: Metadata) -> Optional[str]:
        """The district whose administration wrote the document ("Skärholmens
        stadsdelsförvaltning", "Socialförvaltningen Nordost", "Stadsområde Norr"), if one."""
        for value in (metadata.forvaltning, metadata.namnd):
            if value:
                names = {p.name for p in self.place_finder.find(value, metadata.municipality) if p.kind == "district"}
                if len(names) == 1:
                    return names.pop()
        return None

    # The stages below make many objects and few reference cycles. Python's collector,
    # left on, walks everything a large document has made each time that grows by a
    # quarter, so time would grow faster than the text; it is paused for each stage, and
    # the few cycles a stage leaves are collected by the collector's next pass after it.
    def _prepare(self, raw: RawDocument) -> _Prepared:
        with gc_paused():
            return self._prepare_now(raw)

    def _prepare_now(self, raw: RawDocument) -> _Prepared:
        cleaned = clean(raw.text, raw.furniture)
        masked = 0
        if not self.keep_personal_numbers:
            # before anything reads the text: no finder, record, database or export sees
            # the numbers, and the mask keeps every offset
            text = mask_personal_numbers(cleaned.text)
            masked = text.count
            if masked:
                cleaned = replace(cleaned, text=text.text, repairs=[
                    replace(r, original=mask_personal_numbers(r.original).text,
                            replacement=mask_personal_numbers(r.replacement).text) for r in cleaned.repairs])
        page_starts = [cleaned.from_original(o) for o in raw.page_starts]
        pager = ex.Pager(page_starts, paged=raw.pages is not None)
        text = cleaned.text
        all_lines = split_lines(text)
        seg = segment(text, raw.heading_hints, is_district=self.is_place, lines=all_lines, is_verb=self.is_verb)
        lines = [l for l in all_lines if l is not None]
        found = meta.find_metadata(text, seg, self.gazetteer.is_district, self.gazetteer.municipalities, lines)
        md = Metadata(title=found.title, date=found.date, diarienummer=found.diarienummer, namnd=found.namnd,
                      forvaltning=found.forvaltning, municipality=found.municipality, handlaggare=found.handlaggare)
        return _Prepared(raw, cleaned, seg, md, pager, masked)

    def _make_doc(self, p: _Prepared):
        with gc_paused():
            doc = self.nlp.make_doc(p.cleaned.text)
        doc._.namnd_text = p.cleaned.text
        doc._.namnd_date = p.metadata.date
        doc._.namnd_municipality = p.metadata.municipality
        bounds = []
        for h in p.seg.headings:
            bounds += [h.start, h.end]
        doc._.namnd_boundaries = bounds
        return doc

    def _flush(self, batch: list[tuple[str, _Prepared]]) -> Iterator[tuple[str, Result]]:
        if not batch:
            return
        done = 0
        try:
            docs = (self._make_doc(p) for _, p in batch)
            for (path, p), doc in zip(batch, self.nlp.pipe(docs)):
                done += 1
                try:
                    result: Result = self._record(p, doc)
                except Exception as exc:
                    result = Failure(path, f"internal error: {type(exc).__name__}: {exc}", p.raw.sha256)
                yield path, result
        except Exception:  # noqa: BLE001 - one document broke the batch's pass through spaCy
            # the rest one at a time, so that the error stays with its own document
            for path, p in batch[done:]:
                try:
                    result = self._finish(p)
                except Exception as exc:
                    result = Failure(path, f"internal error: {type(exc).__name__}: {exc}", p.raw.sha256)
                yield path, result

    def _finish(self, p: _Prepared) -> Record:
        doc = self.nlp(self._make_doc(p))
        return self._record(p, doc)

    def _record(self, p: _Prepared, doc) -> Record:
        with gc_paused():
            return self._record_now(p, doc)

    def _record_now(self, p: _Prepared, doc) -> Record:
        raw, cleaned, seg, pager = p.raw, p.cleaned, p.seg, p.pager
        canonical = self.canonical_district
        districts, lpos = ex.places(doc, seg, pager, canonical)
        metadata = p.metadata
        if metadata.municipality is None:
            # no explicit "X kommun": the municipality all named districts belong to
            munis = Counter(d.municipality for d in districts if d.municipality)
            if len(munis) == 1 or (munis and munis.most_common(1)[0][1] >= 2 * sum(munis.values()) / 3):
                metadata = metadata.model_copy(update={"municipality": munis.most_common(1)[0][0]})
        warnings = list(raw.warnings)
        if p.personal_numbers:
            warnings.append(f"masked {p.personal_numbers} personal identity number(s) (personnummer, samordningsnummer)")
        for lpo in lpos:
            if not lpo.known:
                warnings.append(f"police area '{lpo.name}' is not in the gazetteer: kept as the text writes it")
        citations = ex.law_citations(doc, seg, pager)
        # a law with several versions (SoL 2001:453 and 2025:400, FL, KL …) that neither an
        # SFS number nor the document's date decides: its sfs is null, and the user is told
        for law in dict.fromkeys(c.law for c in citations if c.sfs is None and c.sfs_basis == "ambiguous"):
            warnings.append(f"{law} cited without SFS number and no date decides between its versions: "
                            "its sfs is left null")
        return Record(
            id=raw.sha256,
            source=Source(path=raw.path, format=raw.format, pages=raw.pages, encoding=raw.encoding,
                          page_starts=pager.starts if pager.paged else []),
            metadata=metadata,
            text=cleaned.text,
            sections=ex.sections(seg, pager),
            districts=districts,
            lpos=lpos,
            law_citations=citations,
            staffing=ex.staffing(doc, seg, pager, canonical, self._document_district(metadata), metadata.municipality),
            challenges=ex.challenges(doc, seg, pager, canonical),
            # plain dicts: pydantic validates a long list of them in one pass in its core,
            # much faster than building hundreds of model objects one by one
            repairs=[vars(r) for r in cleaned.repairs],  # RepairRecord fields are the model's
            personal_numbers_masked=p.personal_numbers,
            warnings=warnings,
        )


def _sha256_or_none(path: str) -> Optional[str]:
    from pipeline.read import sha256_of_file

    try:
        return sha256_of_file(path)
    except OSError:
        return None


_default: Optional[Pipeline] = None


def extract(path: Union[str, os.PathLike]) -> Record:
    """Extract one file with a shared default :class:`Pipeline`."""
    global _default
    if _default is None:
        _default = Pipeline()
    return _default.extract_file(path)
