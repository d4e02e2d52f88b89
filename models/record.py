"""The record contract of ../shared/SPEC.md, as pydantic v2 models.

Field names are a contract read by tools outside the project: add fields, never rename.
Every ``start``/``end`` is a character offset into ``Record.text`` (the cleaned text).
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1"

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
SHA256_HEX = r"^[0-9a-f]{64}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """Where a value stands: offsets into the cleaned text and the page (1-based)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    page: Optional[int] = Field(default=None, ge=1, description="1-based page; null for text without pages")

    @model_validator(mode="after")
    def _ordered(self) -> "Span":
        if self.end < self.start:
            raise ValueError("span end before start")
        return self


class Source(_Model):
    path: str
    format: Literal["pdf", "text"]
    pages: Optional[int] = Field(default=None, ge=0)
    encoding: Optional[str] = None
    page_starts: list[int] = Field(default_factory=list, description=(
        "offset into the cleaned text where each page begins; empty when the source has no pages"))


class Metadata(_Model):
    title: Optional[str] = None
    date: Optional[str] = Field(default=None, pattern=ISO_DATE, description="the document's own date, YYYY-MM-DD")
    diarienummer: list[str] = Field(default_factory=list)
    namnd: Optional[str] = None
    forvaltning: Optional[str] = None
    municipality: Optional[str] = None
    handlaggare: list[str] = Field(default_factory=list)


class Section(_Model):
    heading: Optional[str] = Field(description="null for the text before the first heading")
    level: int = Field(ge=0, description="0 for the preamble, 1 top-level, 2 sub-heading …")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    page: Optional[int] = Field(default=None, ge=1)


class District(_Model):
    name: str = Field(description="canonical district name, e.g. 'Skärholmen', 'Hägersten-Älvsjö'")
    municipality: Optional[str] = None
    mentions: list[Span]


class Lpo(_Model):
    name: str = Field(description="canonical lokalpolisområde name without 'LPO', e.g. 'Järva'")
    districts: list[str] = Field(default_factory=list, description="districts the text says it serves")
    mentions: list[Span]
    known: bool = Field(default=True, description=(
        "whether the gazetteer holds this police area; an unknown one keeps the name the text writes"))
    kind: str = Field(default="lokalpolisområde", description=(
        "lokalpolisområde, or for reports from before 2015 närpolisområde or polismästardistrikt"))


class LawCitation(_Model):
    law: Optional[str] = Field(description="canonical abbreviation, or the SFS number where the law has none; null when the text does not name the law")
    sfs: Optional[str] = Field(default=None, pattern=r"^\d{4}:\d+$")
    chapter: Optional[str] = None
    chapter_end: Optional[str] = None
    section: Optional[str] = None
    section_end: Optional[str] = None
    paragraph: Optional[str] = Field(default=None, description="stycke")
    point: Optional[str] = Field(default=None, description="punkt")
    span: Span
    section_heading: Optional[str] = None
    sfs_basis: Optional[str] = Field(default=None, description=(
        "how sfs was determined: 'written' in the citation, 'registry' (the law has one SFS number), "
        "'document_date' (the version in force on the document's date), 'document_sfs' (the version the "
        "document writes out elsewhere), 'ambiguous' (sfs left null)"))


class DaysPerWeek(_Model):
    min: float = Field(ge=0, le=7)
    max: float = Field(ge=0, le=7)


class Staffing(_Model):
    district: Optional[str] = None
    lpo: Optional[str] = None
    role: Optional[str] = None
    headcount: Optional[int] = Field(default=None, ge=0, description="persons; null when the text gives no number of persons")
    approximate: bool = Field(default=False, description="the headcount is approximate ('ett tiotal', 'ett par')")
    percent: Optional[float] = Field(default=None, gt=0, le=100, description=(
        "each person's working time in per cent of full time ('på halvtid' → 50, 'på 75 procent' → 75)"))
    fte: Optional[float] = Field(default=None, gt=0, description="a total volume in full-time posts ('1,5 tjänst' → 1.5)")
    days_per_week: Optional[DaysPerWeek] = None
    full_time: Optional[bool] = None
    unit: Optional[str] = None
    employment: Optional[str] = None
    span: Span


class Challenge(_Model):
    district: Optional[str] = None
    category: str
    span: Span


class Repair(_Model):
    original: str
    replacement: str
    start: int = Field(ge=0, description="offset of the replacement in the cleaned text")
    end: int = Field(ge=0)
    kind: str = Field(description="what the cleaner did; steps joined by '+' when they touched the same text")
    confidence: Optional[float] = Field(default=None, ge=0, le=1)
    original_start: Optional[int] = Field(default=None, ge=0, description="offset of the original in the source text as read")
    original_end: Optional[int] = Field(default=None, ge=0)


class Record(_Model):
    id: str = Field(pattern=SHA256_HEX, description="sha256 hex of the source file's bytes")
    schema_version: Literal["1"] = SCHEMA_VERSION
    source: Source
    metadata: Metadata
    text: str
    sections: list[Section] = Field(default_factory=list)
    districts: list[District] = Field(default_factory=list)
    lpos: list[Lpo] = Field(default_factory=list)
    law_citations: list[LawCitation] = Field(default_factory=list)
    staffing: list[Staffing] = Field(default_factory=list)
    challenges: list[Challenge] = Field(default_factory=list)
    repairs: list[Repair] = Field(default_factory=list)
    personal_numbers_masked: int = Field(default=0, ge=0, description=(
        "personal identity numbers (personnummer, samordningsnummer) whose digits were replaced by X in every "
        "text of the record; 0 when none were found or masking was turned off"))
    warnings: list[str] = Field(default_factory=list)

    def spans(self) -> list[Span]:
        """Every span in the record, for checks such as text[start:end] == span.text."""
        out: list[Span] = []
        for d in self.districts:
            out.extend(d.mentions)
        for lpo in self.lpos:
            out.extend(lpo.mentions)
        out.extend(c.span for c in self.law_citations)
        out.extend(s.span for s in self.staffing)
        out.extend(c.span for c in self.challenges)
        return out


def record_json_schema() -> dict:
    """JSON Schema of the record, generated from the models."""
    schema = Record.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://namnd.invalid/schema/record/1"
    schema["title"] = "namnd record, schema_version 1"
    return schema
