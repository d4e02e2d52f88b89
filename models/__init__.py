"""Pydantic models of the namnd record (schema_version "1").

This package depends on nothing in ``pipeline``: a researcher can validate or load
records with ``models`` alone.
"""

from models.record import (
    SCHEMA_VERSION,
    Challenge,
    DaysPerWeek,
    District,
    LawCitation,
    Lpo,
    Metadata,
    Record,
    Repair,
    Section,
    Source,
    Span,
    Staffing,
    record_json_schema,
)

__all__ = [
    "SCHEMA_VERSION",
    "Challenge",
    "DaysPerWeek",
    "District",
    "LawCitation",
    "Lpo",
    "Metadata",
    "Record",
    "Repair",
    "Section",
    "Source",
    "Span",
    "Staffing",
    "record_json_schema",
]
