"""Police areas named in the text: lokalpolisområden (LPO), and for older reports the
närpolisområden and Stockholm's polismästardistrikt of before 2015.

A police area is read from the text's own words, not only from the gazetteer: a name
after "LPO", "lokalpolisområde(t)", "närpolisområde" ("Lokalpolisområde Blåmossen"), or
before them ("Järfälla lokalpolisområde", "Söderorts polismästardistrikt"), is a police
area whether or not the gazetteer knows it; an unknown one is kept as written and marked
so. "Polisen i X" names a police area only where X is one the gazetteer knows. A short
name ("Norr", "Syd", "City", "Nordost") is resolved by the document's municipality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

from pipeline.patterns import phrase_pattern
from pipeline.resources import load_json, swedish_zipf

# A word of a name: "Järva", "Spånga-Tensta", "FJÄLLÅSEN"; a name: up to four such words
# joined by a space, a slash or a dash ("Östra Fyrbodal", "Haninge/Nynäshamn").
_UPPER = "A-ZÅÄÖÉÜ"
_LOWER = "a-zåäöéü"
NAME_WORD = rf"(?:[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}{_LOWER}][{_LOWER}]+)*|[{_UPPER}]{{2,}}(?:-[{_UPPER}]{{2,}})*)"
NAME = rf"(?:(?:norra|södra|östra|västra|nedre|övre)[ \t]+)?{NAME_WORD}(?:(?:[ \t]+|[ \t]*[/–][ \t]*){NAME_WORD}){{0,3}}"
#: the day the lokalpolisområden began (Polismyndigheten, 2015-01-01); before it the local
#: police were närpolisområden, in Stockholm polismästardistrikt
LPO_START = "2015-01-01"
# in a list after a plural word: "lokalpolisområdena Södermalm och Norrmalm"
_LIST_SPLIT = re.compile(r"\s*(?:,|\boch\b|\bsamt\b|&)\s*")
# a genitive s is the name's when a verb follows it ("LPO Mönsterås har …"), not when a noun does
_VERB_AFTER = re.compile(r"\s+(?:har|hade|är|var|ska|skall|kan|kommer|deltar|bidrar|arbetar|samverkar|rapporterar|"
                         r"omfattar|ansvarar|täcker|består|gränsar|finns|fick|får|blev|blir)\b")
_DIRECTIONS = ("norra ", "södra ", "östra ", "västra ", "nedre ", "övre ")
_DIRECTION = {"Norra", "Södra", "Östra", "Västra", "Nedre", "Övre", "Stora", "Lilla", "Mellersta", "Centrala"}


#: a one-word name this frequent as a Swedish word (wordfreq's Zipf scale) is no unknown area
COMMON_WORD_ZIPF = 3.5


@lru_cache(maxsize=4096)
def _common_word(name: str) -> bool:
    """A one-word name that is a frequent Swedish word: not an unknown area's name."""
    if " " in name or "-" in name or "/" in name:
        return False
    zipf = swedish_zipf(name)
    return zipf is not None and zipf >= COMMON_WORD_ZIPF


@dataclass
class PoliceArea:
    name: str              # the gazetteer's name, or the name as written when it is unknown
    kind: str              # "lokalpolisområde" | "närpolisområde" | "polismästardistrikt"
    start: int             # the name's span in the text
    end: int
    known: bool
    #: named only through its place ("polisen i Järva"): the place stays a district too
    via_place: bool = False


class PoliceAreaFinder:
    def __init__(self, entries: list[dict], words: dict, municipalities: Iterable[str] = ()):
        self._not_names = {w.casefold() for w in words["not_names"]}
        kind_words = {w.casefold() for k, ws in words["after_name"].items() if not k.startswith("_") for w in ws}
        municipalities = {m.casefold() for m in municipalities} | {"storgöteborg", "storstockholm"}
        self._municipalities = municipalities
        # every way a text may name an entry, with how directly it names it (0: its name or
        # an alias; 1: a part of it, "Luleå" for Luleå/Boden, "Norr" for Malmö Norr; 2: the
        # town the area is named after, "Gävle" for Gästrikland)
        self._index: dict[str, list[tuple[dict, int]]] = {}

        def add(form: str, e: dict, priority: int) -> None:
            key = re.sub(r"\s+", " ", form).strip().casefold()
            if key and key not in self._not_names and all(x is not e for x, _ in self._index.get(key, [])):
                self._index.setdefault(key, []).append((e, priority))

        current = [e for e in entries if e.get("kind", "lokalpolisområde") == "lokalpolisområde" and e.get("valid_to") is None]
        areas_of: dict[str, int] = {}
        for e in current:
            for m in e.get("municipalities", []):
                areas_of[m] = areas_of.get(m, 0) + 1
        for e in entries:
            for form in (e["name"], *e.get("aliases", [])):
                add(form, e, 0)
                words_ = form.split()
                # "Söderorts polismästardistrikt", "polismästardistrikt City": the name alone
                bare = " ".join(w for w in words_ if w.casefold() not in kind_words)
                if bare != form:
                    add(bare, e, 0)
                    if bare.endswith("s"):
                        add(bare[:-1], e, 0)
                if len(words_) > 1 and words_[0].casefold() in municipalities:
                    add(" ".join(words_[1:]), e, 1)       # "Malmö Norr" → "Norr"
                for part in re.split(r"\s*(?:/|–|\boch\b)\s*", form):
                    if part != form:
                        add(part, e, 1)                    # "Luleå/Boden" → "Luleå"
            if e in current and e.get("municipalities") and areas_of[e["municipalities"][0]] == 1:
                add(e["municipalities"][0], e, 2)          # "LPO Gävle" → Gästrikland
        self._kind_of: dict[str, str] = {}
        patterns = {}
        for group in ("before_name", "after_name", "via_police"):
            forms = {}
            for kind, ws in words[group].items():
                if kind.startswith("_"):
                    continue
                for w in ws:
                    forms[w] = kind
            self._kind_of.update({f"{group}:{k.casefold()}": v for k, v in forms.items()})
            patterns[group] = phrase_pattern(forms)
        self._before = re.compile(rf"(?<![\w-])(?P<cue>(?i:{patterns['before_name']})):?(?:[ \t]+|[ \t]*\n[ \t]*)[”\"'«]?(?P<name>{NAME})")
        # lower case after the name ("Järfälla lokalpolisområde"); a capital starts a phrase of
        # its own ("Expedieras Lokalpolisområde Nordost")
        # found by the area word first (a literal, fast), then the name that ends just before it
        self._after_cue = re.compile(rf"(?P<cue>{patterns['after_name']})(?![\w-])")
        self._name_word = re.compile(rf"(?:norra|södra|östra|västra|nedre|övre|[/–]|{NAME_WORD})")
        self._via = re.compile(rf"(?<![\w-])(?P<cue>(?i:{patterns['via_police']}))(?:[ \t]+|[ \t]*\n[ \t]*)(?P<name>{NAME})")
        # the area words found in the lower-cased text by a literal scan (fast); the full
        # pattern is then matched only there
        lower = {g: phrase_pattern({w.casefold() for k, ws in words[g].items() if not k.startswith("_") for w in ws})
                 for g in ("before_name", "via_police")}
        # no look-behind in front: a pattern that starts with literals is scanned fast; the
        # word start is checked on each hit
        self._before_hint = re.compile(rf"(?:{lower['before_name']})")
        # "polisen" is frequent: only where a capital or a direction word follows it
        self._via_hint = re.compile(rf"(?:{lower['via_police']})[ \t]*\n?[ \t]*(?P<next>\S)")

    # ---------------------------------------------------------------------------------

    def resolve(self, surface: str, kind: str = "lokalpolisområde",
                municipality: Optional[str] = None) -> Optional[dict]:
        """The gazetteer's entry for a name as written, of the kind the text names: its name
        or alias before a part of it, the document's municipality's first, current before
        former. A short
        name that is another municipality's area ("City" in a Stockholm report, where the
        gazetteer has Göteborg's) is not resolved."""
        key = re.sub(r"\s+", " ", surface).strip().strip("”\"'«»").casefold()
        entries = self._index.get(key)
        if not entries and key.endswith("s"):
            entries = self._index.get(key[:-1])
        if not entries:
            return None

        # only an area of the kind the text names: "närpolisområde Landskrona" is not today's LPO
        entries = [(e, p) for e, p in entries if e.get("kind", "lokalpolisområde") == kind]
        if not entries:
            return None

        def rank(item: tuple[dict, int]) -> tuple:
            e, priority = item
            here = municipality is not None and municipality in e.get("municipalities", [])
            return (priority, not here, e.get("valid_to") is not None)

        best, priority = min(entries, key=rank)
        if priority and municipality and municipality not in best.get("municipalities", []):
            return None  # a short name of another municipality's area
        return best

    def find(self, text: str, municipality: Optional[str] = None, date: Optional[str] = None) -> list[PoliceArea]:
        """The police areas a text names. ``date`` (the document's, ISO) decides what "polisen
        i X" means: the lokalpolisområde X from 2015, the närpolisområde X before."""
        out: list[PoliceArea] = []
        low = text.lower()
        same = len(low) == len(text)

        def at_hints(pattern: re.Pattern, hint: re.Pattern):
            if not same:  # a character whose lower case is longer: scan the text itself
                yield from pattern.finditer(text)
                return
            end = -1
            for h in hint.finditer(low):
                if h.start() and (low[h.start() - 1].isalnum() or low[h.start() - 1] in "-_"):
                    continue  # inside a word
                if "next" in hint.groupindex and not (text[h.start("next")].isupper() or
                                                      low.startswith(_DIRECTIONS, h.start("next"))):
                    continue
                if h.start() >= end and (m := pattern.match(text, h.start())):
                    end = m.end()
                    yield m

        for m in at_hints(self._before, self._before_hint):
            cue = m.group("cue")
            kind = self._kind_of.get("before_name:" + re.sub(r"\s+", " ", cue.casefold()), "lokalpolisområde")
            names = [m.group("name")]
            start = m.start("name")
            if cue.casefold().endswith(("na", "en")) and cue.casefold() != "lpo:n":
                # a plural: every name of the list after it
                rest = text[m.start("name"):]
                listed = re.match(rf"{NAME}(?:{_LIST_SPLIT.pattern}{NAME})*", rest)
                names = _LIST_SPLIT.split(listed.group(0)) if listed else names
            offset = start
            for name in names:
                at = text.index(name, offset)
                offset = at + len(name)
                area = self._area(text, name, at, kind, municipality, cue_first=True)
                if area:
                    out.append(area)
        for cue in self._after_cue.finditer(text):
            if cue.start() and (text[cue.start() - 1].isalnum() or text[cue.start() - 1] in "-_"):
                continue  # inside a word
            found = self._name_ending_at(text, cue.start())
            if found is None:
                continue
            name, at = found
            kind = self._kind_of.get("after_name:" + re.sub(r"\s+", " ", cue.group("cue").casefold()), "lokalpolisområde")
            area = self._area(text, name, at, kind, municipality, cue_first=False)
            if area:
                out.append(area)
        for m in at_hints(self._via, self._via_hint):
            kind = self._kind_of.get("via_police:" + re.sub(r"\s+", " ", m.group("cue").casefold()), "lokalpolisområde")
            if date and kind == "lokalpolisområde" and date < LPO_START:
                kind = "närpolisområde"  # "polisen i Norrköping" in 2013: not today's LPO
            name = m.group("name")
            for words in range(name.count(" ") + 1, 0, -1):
                candidate = " ".join(name.split()[:words])
                entry = self.resolve(candidate, kind, municipality)
                if entry is not None and candidate.casefold() not in self._not_names:
                    at = m.start("name")
                    out.append(PoliceArea(entry["name"], entry.get("kind", kind), at, at + len(candidate), True, True))
                    break
        # one area per span: the first reading (a word before the name) wins
        out.sort(key=lambda a: (a.start, -a.end))
        kept: list[PoliceArea] = []
        for a in out:
            if kept and a.start < kept[-1].end:
                continue
            kept.append(a)
        return kept

    def _name_ending_at(self, text: str, end: int) -> Optional[tuple[str, int]]:
        """The name (up to four words) that ends just before ``end``, with at most one line
        break between: "Skärholmens" in "Skärholmens närpolisområde"."""
        i = end
        while i > 0 and text[i - 1] in " \t":
            i -= 1
        if i > 0 and text[i - 1] == "\n":
            i -= 1
            while i > 0 and text[i - 1] in " \t":
                i -= 1
        if i == end:
            return None
        stop = i
        start = None
        for _ in range(4):
            j = i
            while j > 0 and not text[j - 1].isspace():
                j -= 1
            word = text[j:i]
            if not word or not self._name_word.fullmatch(word):
                break
            start = j
            i = j
            while i > 0 and text[i - 1] in " \t":
                i -= 1
            if i == j:
                break
        if start is None:
            return None
        name = text[start:stop]
        return (name, start) if re.fullmatch(NAME, name) else None

    def _area(self, text: str, name: str, at: int, kind: str, municipality: Optional[str],
              cue_first: bool) -> Optional[PoliceArea]:
        """The police area a name next to an area word stands for: the longest part of the
        name the gazetteer knows, else the name as written (its plain words only)."""
        words = name.split()
        # the words nearest the area word come first: "Inom City polismästardistrikt" is City
        spans = [(0, n) for n in range(len(words), 0, -1)] if cue_first else \
            [(i, len(words)) for i in range(len(words))]
        for i, j in spans:
            candidate = " ".join(words[i:j])
            if candidate.casefold() in self._not_names:
                continue
            entry = self.resolve(candidate, kind, municipality)
            if entry is not None:
                start = at + name.index(candidate) if i else at
                return PoliceArea(entry["name"], entry.get("kind", kind), start, start + len(candidate), True)
        # unknown: the words the name is made of, without sentence words before it
        while words and (words[0].casefold() in self._not_names or (
                not cue_first and len(words) > 1 and words[0] not in _DIRECTION)):
            words = words[1:]
        if cue_first and any(w.isupper() and len(w) > 1 for w in words):
            words = words[:1]  # a heading in capitals: "LOKALPOLISOMRÅDE FJÄLLÅSEN UPPFÖLJNING"
        if not words:
            return None
        candidate = " ".join(words)
        start = at + name.rindex(candidate) if not cue_first else at
        end = start + len(candidate)
        written = candidate
        if written.endswith("s") and not _VERB_AFTER.match(text, end) and (
                not cue_first or re.match(r"\s+[a-zåäö]", text[end:end + 3])):
            written = written[:-1]  # "LPO Ekdalas lägesbild", "Granhults lokalpolisområde"
        if written.isupper():
            written = "-".join(p.capitalize() for p in written.split("-"))
        if written.casefold() in self._not_names or len(written) < 2 or (
                _common_word(written) and written.casefold() not in self._municipalities):
            return None  # "Kontakta lokalpolisområdet …": a sentence's first word (a town's name is none)
        return PoliceArea(written, kind, start, end, False)


@lru_cache(maxsize=1)
def default_police_area_finder() -> PoliceAreaFinder:
    from pipeline.resources import load_tsv

    return PoliceAreaFinder(load_json("places/lpos.json")["lpos"], load_json("places/police_words.json"),
                            (row["name"] for row in load_tsv("places/municipalities.tsv")))
