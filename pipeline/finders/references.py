"""The grammar of Swedish provision references.

A reference is a list of items joined by "," / "och" / "eller" / "samt" / "respektive";
an item is a chapter (or a list or range of chapters) with sections, a section with
stycken and punkter; every level may be a list and a range::

    reference := item (CONJ item)*
    item      := [numbers KAP] numbers PARA [stycken] [punkter]
               | numbers KAP                       (a chapter alone)
               | PARA number                        ("§ 11", older documents)
    numbers   := range (CONJ range)*
    range     := number [DASH number]
    number    := digits [letter]                    ("12 a", "12a", "7\\na")

An item that names no chapter keeps the chapter of the item before it in the same
reference: "4 kap. 2 §, 5 § och 7 §" is three sections of chapter 4, and "3 kap. 1 § och
5 kap. 2 § och 3 §" ends with 5 kap. 3 §. The parser reads tokens in place (``match``
at a position), so spans are offsets into the text, exact to the character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

ORDINALS = {
    "första": "1", "andra": "2", "tredje": "3", "fjärde": "4", "femte": "5", "sjätte": "6",
    "sjunde": "7", "åttonde": "8", "nionde": "9", "tionde": "10", "elfte": "11", "tolfte": "12",
}

# space between tokens: a line break at most (a reference does not run across paragraphs)
_GAP = r"[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)?"
# a section's letter, with or without a space, on the next line too ("7\na §"); only
# where a reference goes on after it, so "5 a" of other words is not read as one
_AFTER_LETTER = r"(?=" + _GAP + r"(?:§|kap(?:\.|itl|\b)|,|och\b|eller\b|samt\b|respektive\b|[–—-]))"
_NUMBER = re.compile(r"(?P<n>\d{1,3})(?!\d)(?:(?P<gap>" + _GAP + r")(?P<l>[a-h])(?![\wåäöÅÄÖ])" + _AFTER_LETTER + r")?",
                     re.IGNORECASE)
_KAP = re.compile(_GAP + r"(?:kap(?:itlet|itel)?\b\.?)", re.IGNORECASE)
_PARA = re.compile(_GAP + r"§§?")
_CONJ = re.compile(_GAP + r"(?:,|och\b|eller\b|samt\b|respektive\b|resp\.)" + _GAP, re.IGNORECASE)
_DASH = re.compile(_GAP + r"[–—-]" + _GAP)
_ORDINAL = re.compile(_GAP + r"(?P<w>" + "|".join(ORDINALS) + r")\b", re.IGNORECASE)
_STYCKE = re.compile(_GAP + r"(?:stycket|styckena|stycke|st\.)(?![\wåäö])", re.IGNORECASE)
_POINT_WORD = re.compile(_GAP + r"(?:punkterna|punkten|punkt|p\.)(?![\wåäö])", re.IGNORECASE)
_POINT_AFTER = re.compile(_GAP + r"p\.(?![\wåäö])", re.IGNORECASE)  # "3 p."
_SPACE_THEN_NUMBER = re.compile(r"[ \t\u00a0]+(?=\d)")
# what may not follow a bare number read as a punkt ("1 § andra stycket 3"): another
# section, a chapter, a time or a decimal
_NOT_A_POINT = re.compile(_GAP + r"(?:§|kap|st\.|[.:,]\d|\d)", re.IGNORECASE)
_START = re.compile(r"(?<![\w:/.-])(?=\d)|§")
_SPACE = re.compile(_GAP)
_OLD_STYLE = re.compile(r"§" + _GAP)  # "§ 11"
_OLD_NUMBER = re.compile(r"(?P<n>\d{1,3})(?!\d)(?:[ \t]?(?P<l>[a-h])\b)?")
_STYCKE_NUMBER = re.compile(_GAP + r"(?P<n>\d{1,2})[ \t]+st\.(?![\wåäö])", re.IGNORECASE)  # "2 st."


@dataclass
class Item:
    """One item of a reference: chapters, sections, stycken and punkter."""

    chapters: list[str]
    chapter_end: Optional[str]
    sections: list[tuple[str, Optional[str]]]  # (section, section_end)
    paragraphs: list[str] = field(default_factory=list)
    points: list[str] = field(default_factory=list)
    inherited_chapter: bool = False  # the chapter came from the item before


@dataclass
class Reference:
    start: int
    end: int
    items: list[Item]
    old_style: bool = False  # "§ 11": counts only with a law beside it (contracts number § too)

    @property
    def has_sections(self) -> bool:
        return any(item.sections for item in self.items)


def number_text(n: str, letter: Optional[str] = None) -> str:
    return f"{n} {letter.lower()}" if letter else n


class _Reader:
    """Reads one reference from a position; each method returns the new position or None."""

    def __init__(self, text: str, limit: int):
        self.text = text
        self.limit = limit

    def match(self, pattern: re.Pattern, pos: int) -> Optional[re.Match]:
        return pattern.match(self.text, pos, self.limit)

    def number(self, pos: int) -> Optional[tuple[str, int]]:
        m = self.match(_NUMBER, pos)
        if m is None:
            return None
        return number_text(m.group("n"), m.group("l")), m.end()

    def range_(self, pos: int) -> Optional[tuple[tuple[str, Optional[str]], int]]:
        first = self.number(pos)
        if first is None:
            return None
        value, end = first
        dash = self.match(_DASH, end)
        if dash:
            second = self.number(dash.end())
            if second is not None:
                return (value, second[0]), second[1]
        return (value, None), end

    def numbers(self, pos: int, stop_before_item: bool = False) -> Optional[tuple[list[tuple[str, Optional[str]]], int]]:
        """A list of numbers and ranges: "8–10, 12, 14–14 b". ``stop_before_item``: the
        list ends before a number that opens the next item (of punkter: in "punkt 1 och 29
        kap. 3 §" the 29 is a chapter)."""
        first = self.range_(pos)
        if first is None:
            return None
        items, end = [first[0]], first[1]
        while True:
            conj = self.match(_CONJ, end)
            nxt = self.range_(conj.end()) if conj else None
            if nxt is None or stop_before_item and (self.match(_KAP, nxt[1]) or self.match(_PARA, nxt[1])):
                return items, end
            items.append(nxt[0])
            end = nxt[1]

    def stycken(self, pos: int) -> tuple[list[str], int, bool]:
        """"första och andra styckena", "2 st.": the stycken and whether any were read."""
        words: list[str] = []
        end = pos
        m = self.match(_ORDINAL, pos)
        while m:
            words.append(ORDINALS[m.group("w").casefold()])
            end = m.end()
            conj = self.match(_CONJ, end) or self.match(_DASH, end)
            m = self.match(_ORDINAL, conj.end()) if conj else None
            if m and conj and re.search(r"[–—-]", conj.group(0)):
                # "första–tredje stycket": every stycke between
                lo, hi = int(words[-1]), int(ORDINALS[m.group("w").casefold()])
                words.extend(str(k) for k in range(lo + 1, hi))
        if words:
            st = self.match(_STYCKE, end)
            if st:
                return words, st.end(), True
            return [], pos, False
        digits = self.match(_STYCKE_NUMBER, pos)
        if digits:
            return [digits.group("n")], digits.end(), True
        return [], pos, False

    def points(self, pos: int, after_stycke: bool, law_ahead) -> tuple[list[str], int]:
        """"punkt 2", "p. 1 och 3", "2 p.", "andra stycket 3", "9 § 3 LSS"."""
        word = self.match(_POINT_WORD, pos)
        if word:
            nums = self.numbers(self.match(_SPACE, word.end()).end(), stop_before_item=True)
            if nums:
                return _expand_points(nums[0]), nums[1]
            return [], pos
        space = self.match(_SPACE_THEN_NUMBER, pos)
        if space is None:
            return [], pos
        nums = self.numbers(space.end(), stop_before_item=True)
        if nums is None:
            return [], pos
        after = self.match(_POINT_AFTER, nums[1])
        if after:
            return _expand_points(nums[0]), after.end()
        if self.match(_NOT_A_POINT, nums[1]) or any(not n.isdigit() or len(n) > 2 for n, _ in nums[0]):
            return [], pos
        if after_stycke or law_ahead(nums[1]):
            return _expand_points(nums[0]), nums[1]
        return [], pos

    def item(self, pos: int, law_ahead) -> Optional[tuple[Item, int]]:
        old = self.match(_OLD_STYLE, pos)
        if old:
            n = self.match(_OLD_NUMBER, old.end())
            if n is None:
                return None
            return Item([], None, [(number_text(n.group("n"), n.group("l")), None)]), n.end()
        first = self.numbers(pos)
        if first is None:
            return None
        nums, end = first
        chapters: list[str] = []
        chapter_end: Optional[str] = None
        kap = self.match(_KAP, end)
        if kap:
            chapters = [c for c, _ in nums]
            # a chapter range "3–5 kap." is one item with chapter_end
            if len(nums) == 1 and nums[0][1] is not None:
                chapter_end = nums[0][1]
            end = kap.end()
            sec = self.numbers(self.match(_SPACE, end).end())
            para = self.match(_PARA, sec[1]) if sec else None
            if not para:
                return Item(chapters, chapter_end, []), end
            nums, end = sec[0], para.end()
        else:
            para = self.match(_PARA, end)
            if not para:
                return None
            end = para.end()
        item = Item(chapters, chapter_end, nums)
        item.paragraphs, end, had_stycke = self.stycken(end)
        item.points, end = self.points(end, had_stycke, law_ahead)
        return item, end

    def reference(self, pos: int, law_ahead) -> Optional[Reference]:
        first = self.item(pos, law_ahead)
        if first is None:
            return None
        items, end = [first[0]], first[1]
        old_style = self.text.startswith("§", pos)
        while not old_style:
            conj = self.match(_CONJ, end)
            nxt = self.item(conj.end(), law_ahead) if conj else None
            if nxt is None or self.text.startswith("§", conj.end()):
                break
            item, end = nxt
            if not item.chapters and items[-1].chapters and item.sections:
                item.chapters, item.inherited_chapter = [items[-1].chapters[-1]], True
            items.append(item)
        return Reference(pos, end, items, old_style=old_style)


def _expand_points(nums: list[tuple[str, Optional[str]]]) -> list[str]:
    """Punkter as items of their own: "1–3" is 1, 2 and 3 (a record has no point_end)."""
    out: list[str] = []
    for lo, hi in nums:
        if hi and lo.isdigit() and hi.isdigit() and 0 < int(hi) - int(lo) < 30:
            out.extend(str(k) for k in range(int(lo), int(hi) + 1))
        else:
            out.append(lo)
    return out


_ANCHOR = re.compile(r"§|kap", re.IGNORECASE)


def find_references(text: str, law_ahead) -> list[Reference]:
    """Every reference in ``text``. Searched only near "§" and "kap": both are rare in
    running text, so the grammar runs on small windows. ``law_ahead(pos)`` tells whether a
    law is named at ``pos`` (a bare number after "§" is a punkt only then: "9 § 3 LSS")."""
    out: list[Reference] = []
    last_end = 0
    for anchor in _ANCHOR.finditer(text):
        if anchor.start() < last_end:
            continue
        window_start = max(last_end, anchor.start() - 60)
        limit = min(len(text), anchor.end() + 160)
        reader = _Reader(text, limit)
        found = None
        for start in _START.finditer(text, window_start, anchor.end()):
            ref = reader.reference(start.start(), law_ahead)
            if ref is not None and ref.end > anchor.start() and (ref.has_sections or any(i.chapters for i in ref.items)):
                found = ref
                break
        if found is None:
            last_end = anchor.end()
            continue
        out.append(found)
        last_end = found.end
    return out
