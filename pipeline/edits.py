"""Text edits: the unit every cleaning step produces (shared by clean and restore)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    """One change: ``text[start:end]`` of the input became ``replacement``."""

    start: int
    end: int
    replacement: str
    kind: str
    confidence: float = 1.0


def apply_edits(text: str, edits: list[Edit]) -> str:
    parts, pos = [], 0
    for e in edits:
        parts.append(text[pos:e.start])
        parts.append(e.replacement)
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)
