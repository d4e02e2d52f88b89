"""Districts, lokalpolisområden and municipalities, told apart by context.

Gazetteers (``data/places/``) give every name its kind; context decides between kinds
when a name is several things at once ("Järva" is a district and an LPO, "Södertälje"
a municipality and an LPO): "LPO"/"lokalpolisområde" before or after makes an LPO,
"stadsdelsförvaltning"/"stadsdelsnämnd"/"stadsdelsområde" makes a district,
"kommun"/"stad" makes a municipality. Names are matched with their genitive
("Järvas", "Skärholmens") and definite administrative compounds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Iterator, Optional

from pipeline.patterns import phrase_pattern
from pipeline.resources import load_json, load_tsv, swedish_zipf

DISTRICT_WORDS = (r"(?:stadsdels(?:förvaltning(?:en|arna|ar|s)?|nämnd(?:en|erna|er|s)?|område(?:t|na|n|s)?|områden"
                  r"|nämndsområde(?:t|na|n)?)|stadsdel(?:en|ar|arna)?|stadsområde(?:t|na|n)?"
                  r"|stadsområdesförvaltning(?:en|ar|arna)?|kommundel(?:en|ar|arna|snämnd(?:en)?)?)")
# Before a name only: the social services administrations named by area ("socialförvaltningen
# Centrum", "Socialförvaltningen Nordost" in Göteborg)
DISTRICT_WORDS_BEFORE = rf"(?:{DISTRICT_WORDS}|socialförvaltningen)"
LPO_WORDS = r"(?:LPO(?::n|:s)?|lokalpolisområde(?:t|s|n|na)?|lokalpolisområdes)"
MUNICIPALITY_WORDS = r"(?:kommun(?:en)?|stad(?:en)?)"

# Words that are also place names in the gazetteers but mostly used as ordinary words;
# they count as places only with an administrative word beside them.
COMMON_WORD_NAMES = {"Centrum", "Norr", "Söder", "Väster", "Öster", "Syd", "Nord", "Mitt", "Innerstaden",
                     "Hamnen", "Centrala", "Västra", "Östra", "Södra", "Norra", "Berg", "Backa", "Torp"}


# a preposition of place before a name: "i Backa", "på Berg", "från Los"
_PLACE_BEFORE = re.compile(r"(?<![\w-])(?i:i|på|från|till|vid|inom|kring|runt|mot|utanför|norra|södra|västra|östra)\s+$")
_ON_PLACE = re.compile(r"(?<![\w-])på\s+$")
_LIST_JOIN = re.compile(r"\s*(?:,|och|samt|&)\s*|\s*,\s*(?:och|samt)\s*")
#: how frequent (wordfreq's Zipf scale) a one-word locality name may be as a word before it
#: counts as a place only with a preposition of place or an administrative word beside it
COMMON_WORD_ZIPF = 4.0
_LOWER_CENTRUM = re.compile(r"(?<![\w-])centrum(?![\w-])")
# between two names of a list: "i centrum och på Öster", "centrum, Hertsön"
_LIST_NEIGHBOUR = re.compile(r"\s*(?:,|och|samt|&)\s*(?:(?:i|på|vid|kring|runt)\s+)?")
#: how frequent (Zipf) a name the gazetteers lack may be as a word and still be read as a
#: place from the list it stands in ("Fjällnäs", "Noret"; not "Polisen", "Skolan")
UNKNOWN_NAME_ZIPF = 3.0
_NAME = r"[A-ZÅÄÖ][a-zåäöéü]{2,}(?:-[A-ZÅÄÖa-zåäö][a-zåäöéü]+)?(?![\wåäö-])"
# a list going on after a place: ", Nordanbro", " och i Asarum", " samt på Noret"
_NEXT_LISTED_NAME = re.compile(rf"{_LIST_NEIGHBOUR.pattern}(?P<name>{_NAME})")
# a list item before a place: "Styckåsen och ", "Slätta, "
_PREVIOUS_LISTED_NAME = re.compile(rf"(?<![\wåäö-])(?P<name>{_NAME}){_LIST_NEIGHBOUR.pattern}$")
_FOLLOWING_WORD = re.compile(r"[ \t]+([\wåäöÅÄÖ]+)")
# a capitalised word right before a name: the name is a surname ("Anna Berg")
_NAME_BEFORE = re.compile(r"[A-ZÅÄÖ][a-zåäöéü]+[ \t]+$")
# words that say the names after them are places: "stadsdelarna Nävertorp", "bostadsområdet Sjölyckan"
_PLACES_HEAD = re.compile(rf"(?<![\w-])(?:stadsdelen|stadsdelarna|bostadsområdet|bostadsområdena|kommundelen|kommundelarna"
                          rf"|byarna|orterna|tätorterna|ytterområdena)[ \t]+(?P<name>{_NAME})")
_FOLLOWED_BY_SURNAME = re.compile(r"^[ \t]+[A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)?\b(?!\s*(?:stadsdel|LPO|lokalpolis))")
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
# where a name may end: before no word character, nor a hyphen and a letter ("Rinkeby" in
# "Rinkeby-Kista" is no name of its own)
_NAME_END = re.compile(r"(?!\w|-[a-zåäöéüA-ZÅÄÖ])")


@dataclass
class Place:
    name: str          # canonical
    kind: str          # "district" | "lpo" | "municipality"
    start: int
    end: int
    municipality: Optional[str] = None
    known: bool = True             # for an LPO: whether the gazetteer holds it
    area: Optional[str] = None     # for an LPO: lokalpolisområde, närpolisområde, polismästardistrikt


@dataclass
class Gazetteer:
    districts: dict[str, list[dict]] = field(default_factory=dict)   # surface form → entries
    lpos: dict[str, dict] = field(default_factory=dict)
    municipalities: dict[str, str] = field(default_factory=dict)     # surface form → canonical
    municipalities_names: set[str] = field(default_factory=set)

    def is_district(self, text: str) -> bool:
        return text in self.districts or _strip_genitive(text) in self.districts


def _genitive(name: str) -> str:
    return name if name[-1] in "sxzSXZ" else name + "s"


def _definite_forms(name: str) -> tuple[str, ...]:
    """The definite singular forms a place name ending in a common noun can take."""
    if name[-1] in "aeiouyåäö":
        return (name + "n", name + "t")
    if name.endswith(("el", "er")):
        return (name + "n", name + "et")
    return (name + "en", name + "et")


def _strip_genitive(word: str) -> str:
    return word[:-1] if word.endswith("s") else word


def _other_case_tail(name: str) -> str | None:
    """A name of several words with the first letter of each word after the first in the
    other case ("Tjärna Ängar" ↔ "Tjärna ängar"), or None for a name of one word."""
    words = name.split(" ")
    if len(words) < 2 or not all(w[:1].isalpha() for w in words[1:]):
        return None
    return " ".join([words[0]] + [w[0].swapcase() + w[1:] for w in words[1:]])


# between the parts of a combined SCB locality name: "Aröd och Timmervik", "Bökenäs, Korsanäs och Kuggeboda"
_COMBINED_NAME_SEP = re.compile(r",\s+|\s+och\s+")


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    g = Gazetteer()
    g.municipalities_names = {row["name"] for row in load_tsv("places/municipalities.tsv")}
    for e in load_json("places/districts.json")["districts"]:
        for form in {e["name"], *e.get("aliases", [])}:
            g.districts.setdefault(form, []).append(e)
    for e in load_json("places/lpos.json")["lpos"]:
        for form in {e["name"], *e.get("aliases", [])}:
            g.lpos.setdefault(form, e)
    # towns, villages and housing areas: places of one municipality, known only there
    for row in load_tsv("places/localities.tsv"):
        entry = {"name": row["name"], "municipality": row["municipality"], "kind": row["kind"], "locality": True}
        # the parts of a combined SCB name ("Bökenäs, Korsanäs och Kuggeboda") are places of
        # their own: a text that names one ("i Kuggeboda") means that one
        parts = set(_COMBINED_NAME_SEP.split(row["name"])) - {row["name"]}
        for form in {row["name"], *(a.strip() for a in (row.get("aliases") or "").split(",") if a.strip())}:
            if form != row["municipality"]:
                place = {**entry, "name": form} if form in parts else entry
                g.districts.setdefault(form, []).append(place)
                # "Tjärna Ängar" is written "Tjärna ängar" too, "Vårby gård" "Vårby Gård": the
                # words after the first in either case
                variant = _other_case_tail(form)
                if variant and variant not in g.districts:
                    g.districts[variant] = [place]
        if row["kind"] in ("stadsdel", "bostadsområde") and " " not in row["name"]:
            # a part of a town is often written in the definite form of its last word:
            # "Tingberget" for Tingberg, "Västerleden" for Västerled
            for form in _definite_forms(row["name"]):
                if form not in g.districts:
                    g.districts.setdefault(form, []).append({**entry, "definite": True})
    for row in load_tsv("places/municipalities.tsv"):
        g.municipalities[row["name"]] = row["name"]
        for alias in (row.get("seat_aliases") or "").split(","):
            if alias.strip():
                g.municipalities[alias.strip()] = row["name"]
                if row["name"] in alias.split():
                    # a name of the municipality itself ("Region Gotland"), not a town in it
                    g.municipalities_names.add(alias.strip())
    return g


class NameIndex:
    """Names found in a text by their first word. A name starts a word and ends before no
    word character (nor a hyphen and a letter); a space in it stands for any run of
    whitespace ("Vårby gård" broken over two lines). Each word of the text that opens
    with a letter some name opens with is looked up among the names' first words. Built
    in a small fraction of the time one pattern of the gazetteer's thousands of names
    takes to compile, it finds them in a few milliseconds more on a long report."""

    def __init__(self, names: Iterable[str]):
        #: first word → the names that open with it, as their space-separated parts, longest first
        self._by_first_word: dict[str, list[tuple[str, ...]]] = {}
        for name in sorted(names, key=len, reverse=True):
            first = _WORD.match(name)
            if first is None:
                raise ValueError(f"a place name must open with a letter or digit: {name!r}")
            self._by_first_word.setdefault(first.group(), []).append(tuple(name.split(" ")))
        initials = re.escape("".join(sorted({word[0] for word in self._by_first_word})))
        # the words a name may start at (most words in lower case are not)
        self._words = re.compile(rf"(?<![\w-])[{initials}]\w*" if initials else "(?!)")

    def find(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each name in the text, left to right: where several start at
        one word the longest, and no name is looked for inside one found."""
        names_of = self._by_first_word.get
        pos = 0
        for word in self._words.finditer(text):
            names = names_of(word[0])
            if names is None or word.start() < pos:
                continue
            start = word.start()
            for parts in names:
                end = _end_of(text, start, parts)
                if end is not None and _NAME_END.match(text, end):
                    yield start, end
                    pos = end
                    break


def _end_of(text: str, start: int, parts: tuple[str, ...]) -> Optional[int]:
    """Where a name of these parts ends if it stands at ``start`` (any whitespace between
    the parts), else None."""
    if not text.startswith(parts[0], start):
        return None
    end = start + len(parts[0])
    for part in parts[1:]:
        space = _SPACE.match(text, end)
        if space is None or not text.startswith(part, space.end()):
            return None
        end = space.end() + len(part)
    return end


class PlaceFinder:
    def __init__(self, gazetteer: Gazetteer, police_areas=None):
        from pipeline.finders.police_areas import default_police_area_finder

        self.g = gazetteer
        self.police_areas = police_areas or default_police_area_finder()
        names = set(gazetteer.districts) | set(gazetteer.lpos) | set(gazetteer.municipalities)
        self._names = NameIndex(names | {_genitive(n) for n in names})
        self._lpo_before = re.compile(rf"{LPO_WORDS}\s*$")
        units = load_json("places/police_words.json")["police_units"]["words"]
        self._police_unit_before = re.compile(rf"(?<![\w-])(?i:{phrase_pattern(units)})\s+$")
        self._lpo_after = re.compile(rf"^\s*{LPO_WORDS}")
        self._district_before = re.compile(rf"{DISTRICT_WORDS_BEFORE}\s*$", re.I)
        not_places = load_json("places/not_places.json")
        self._room_before = re.compile(rf"(?<![\w-])(?i:{phrase_pattern(not_places['rooms_before']['words'])})\s+$")
        self._building_name = re.compile(
            rf"(?i:{phrase_pattern(not_places['unlisted_name_endings']['endings'])})$")
        self._venue_line = re.compile(rf"^[ \t]*(?:{phrase_pattern(not_places['venue_labels']['words'])})\s*:", re.M)
        # a name that opens its line and is followed by a date: the place of signing
        self._signing_after = re.compile(
            r",?[ \t]+(?:den[ \t]+)?(?:\d{1,2}[ \t]+(?i:januari|februari|mars|april|maj|juni|juli|augusti|"
            r"september|oktober|november|december)|\d{4}-\d{2}-\d{2})")
        # the word whole, its genitive too ("Skärholmens stadsdelsförvaltnings"), not the
        # start of another word ("Stadsdelsdirektör")
        self._district_after = re.compile(rf"^\s*-?\s*{DISTRICT_WORDS}s?(?![\w-])", re.I)
        self._municipality_after = re.compile(rf"^\s*{MUNICIPALITY_WORDS}\b")

    def _canonical(self, surface: str, table: dict) -> Optional[str]:
        if surface in table:
            return surface
        base = _strip_genitive(surface)
        return base if base in table else None

    def find(self, text: str, municipality: Optional[str] = None, date: Optional[str] = None) -> list[Place]:
        areas = self.police_areas.find(text, municipality, date)
        # a name read as a police area is not also a district ("LPO Järva"), unless it was
        # named through its place ("polisen i Järva")
        claimed = [(a.start, a.end) for a in areas if not a.via_place]
        lpos = [Place(a.name, "lpo", a.start, a.end, known=a.known, area=a.kind) for a in areas]
        out = self._named_places(text, municipality, claimed)
        return sorted(out + lpos, key=lambda p: (p.start, p.kind != "district"))

    def _named_places(self, text: str, municipality: Optional[str], claimed: list[tuple[int, int]]) -> list[Place]:
        out: list[Place] = []
        pending: Optional[Place] = None  # a common-word name that a following list may confirm
        for start, end in self._names.find(text):
            if any(start < b and a < end for a, b in claimed):
                continue
            if pending is not None and not _LIST_JOIN.fullmatch(text, pending.end, start):
                pending = None
            surface = re.sub(r"\s+", " ", text[start:end])
            before = text[max(0, start - 25):start]
            line_start = text.rfind("\n", 0, start) + 1
            # the place of signing opens its line, or in a flattened text follows a word that
            # is no preposition ("… Folkhälsosamordnaren Tanumshede den 22 april 2013")
            signing = self._signing_after.match(text, end) and (
                not text[line_start:start].strip() or not _PLACE_BEFORE.search(before))
            if self._room_before.search(before) or self._venue_line.match(text, line_start) or signing:
                continue  # a room, a meeting's venue, the place of signing: not a place reported on
            after = text[end:end + 40]
            district = self._canonical(surface, self.g.districts)
            lpo = self._canonical(surface, self.g.lpos)
            muni = self._canonical(surface, self.g.municipalities)
            if " " not in surface and "-" not in surface and _FOLLOWED_BY_SURNAME.match(after) \
                    and not self._canonical(after.split()[0].rstrip(".,;:"), self.g.districts):
                continue  # "Lina Blombergsson": a first name, not the place
            lpo_ctx = bool(self._lpo_before.search(before) or self._lpo_after.match(after))
            district_ctx = bool(self._district_before.search(before) or self._district_after.match(after))
            muni_ctx = bool(self._municipality_after.match(after))
            if (lpo and lpo_ctx) or self._police_unit_before.search(before):
                continue  # a police area's or unit's name ("polisenhet Nordost"): not a place
            # a place of the document's own municipality that shares its name with another
            # municipality ("Sjöbo" in Borås, "Berg" in Linköping) is the place, unless the
            # text says "kommun"
            own = district and municipality and not muni_ctx and any(
                e.get("municipality") == municipality for e in self.g.districts[district])
            if own and muni:
                muni = None
            if district and (district_ctx or not muni):
                listed = bool(out and out[-1].kind == "district" and _LIST_JOIN.fullmatch(text, out[-1].end, start))
                if district in COMMON_WORD_NAMES and not (district_ctx or listed or _ON_PLACE.search(before)):
                    continue  # "Söder" is a place "på Söder", in "stadsområdena Väster, Söder och Öster"
                entry = self._pick_district(district, municipality)
                listed_own = listed and out[-1].municipality == municipality
                if entry is None and (district_ctx or listed_own) and municipality:
                    # the text says it is a district of its municipality ("stadsdelsnämnderna
                    # Norr, Väster och Öster" in Borås), though the gazetteer knows the name elsewhere
                    entry = {"name": district, "municipality": municipality}
                if entry is None:
                    continue  # a village of another municipality, or the document's is unknown
                if entry.get("locality") and self._common_word(district) and not (
                        district_ctx or _PLACE_BEFORE.search(before) or listed):
                    # "Berg", "Backa", "Los": a place only where the text says so, or where
                    # a list of places goes on from it ("Åsa, Frillesås och Fjärås")
                    pending = Place(entry["name"], "district", start, end, entry.get("municipality"))
                    continue
                if pending is not None:
                    out.append(pending)
                    pending = None
                out.append(Place(entry["name"], "district", start, end, entry.get("municipality")))
            elif muni and municipality and muni not in self.g.municipalities_names and \
                    self.g.municipalities[muni] == municipality and not muni_ctx:
                # the document's own municipality's towns ("i Tumba" in Botkyrka) are places in it
                out.append(Place(muni, "district", start, end, municipality))
            elif muni:
                out.append(Place(self.g.municipalities[muni], "municipality", start, end, self.g.municipalities[muni]))
        return self._listed_unknown(text, municipality, self._listed_centrum(text, municipality, out))

    def _listed_centrum(self, text: str, municipality: Optional[str], out: list[Place]) -> list[Place]:
        """"centrum" in lower case is the district Centrum where the municipality has one and
        the text lists it with its other districts ("i centrum och på Öster", "tonvikt på
        centrum, Hertsön och Lerbäcken"); alone it is any town's centre."""
        if not municipality or "centrum" not in text:
            return out
        entry = next((e for e in self.g.districts.get("Centrum", []) if e.get("municipality") == municipality), None)
        districts = [p for p in out if p.kind == "district"]
        if entry is None or not districts:
            return out
        added = []
        for m in _LOWER_CENTRUM.finditer(text):
            before = next((p for p in reversed(districts) if p.end <= m.start()), None)
            after = next((p for p in districts if p.start >= m.end()), None)
            if (before and _LIST_NEIGHBOUR.fullmatch(text, before.end, m.start())) or (
                    after and _LIST_NEIGHBOUR.fullmatch(text, m.end(), after.start)):
                added.append(Place(entry["name"], "district", m.start(), m.end(), municipality))
        return sorted(out + added, key=lambda p: p.start) if added else out

    def _listed_unknown(self, text: str, municipality: Optional[str], out: list[Place]) -> list[Place]:
        """Names the gazetteer lacks, listed with the document's own districts ("centrum,
        Björknäs och Fjällnäs", "Stallarholmen, Läggesta och Länna") or after a word that
        says what they are ("stadsdelarna Nävertorp, Lövåsen och Järven"): districts of the
        document's municipality, under the name the text writes. A name that is a frequent
        word, or that the gazetteers know as something else, is not taken."""
        if not municipality:
            return out
        own = [p for p in out if p.municipality == municipality and p.kind in ("district", "municipality")]
        taken = {(p.start, p.end) for p in out}
        added: list[Place] = []

        def take(m: re.Match) -> bool:
            """Add the name of ``m`` (its group "name") where it is one the gazetteers lack."""
            start, end = m.span("name")
            name = m.group("name")
            if (start, end) in taken or self._canonical(name, self.g.districts) or \
                    self._canonical(name, self.g.lpos) or self._canonical(name, self.g.municipalities) \
                    or self._building_name.search(name):
                return False  # known as something else, or a square, street or building ("Rådhustorget")
            following = _FOLLOWING_WORD.match(text, end)
            if following and (following.group(1)[0].isupper() or self._canonical(
                    f"{name} {following.group(1).capitalize()}", self.g.districts)):
                return False  # "Besöksadress Rådhuset": a label; "Tjärna ängar": a longer known name
            zipf = swedish_zipf(name.lower())
            if zipf is None or zipf >= UNKNOWN_NAME_ZIPF:
                return False
            added.append(Place(name, "district", start, end, municipality))
            taken.add((start, end))
            return True

        def extend(start: int, end: int) -> None:
            """The unknown names listed right after ``end`` and right before ``start``."""
            while (m := _NEXT_LISTED_NAME.match(text, end)) and take(m):
                end = m.end()
            while (m := _PREVIOUS_LISTED_NAME.search(text, max(0, start - 60), start)) \
                    and not _NAME_BEFORE.search(text, max(0, m.start() - 30), m.start()) and take(m):
                start = m.start()

        for p in own:
            extend(p.start, p.end)
        for m in _PLACES_HEAD.finditer(text):
            take(m)
            extend(m.start("name"), m.end("name"))
        return sorted(out + added, key=lambda p: (p.start, p.kind != "district")) if added else out

    def _pick_district(self, surface: str, municipality: Optional[str]) -> Optional[dict]:
        """The entry of a name: the document's municipality's first; a locality (a town,
        village or housing area, known in one municipality) only in its own."""
        entries = self.g.districts[surface]
        if municipality:
            for e in entries:
                if e.get("municipality") == municipality:
                    return e
        for e in entries:
            if not e.get("locality"):
                return e
        return None

    @staticmethod
    @lru_cache(maxsize=4096)
    def _common_word(name: str) -> bool:
        """A one-word name that is also a frequent Swedish word ("berg", "backa", "söder");
        without the word list every such name needs its context."""
        if " " in name or "-" in name:
            return False
        zipf = swedish_zipf(name)
        return zipf is None or zipf >= COMMON_WORD_ZIPF


@lru_cache(maxsize=1)
def default_place_finder() -> PlaceFinder:
    return PlaceFinder(load_gazetteer())
