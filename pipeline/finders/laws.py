"""Swedish statute citations: registry, grammar, resolution.

Three small steps, in the manner of citation parsers such as eyecite:

1. **mentions** of a law — by abbreviation ("SoL", "LUL-yttranden"), by name in any
   form ("socialtjänstlagens"), by title with SFS number ("lagen (1964:167) med
   särskilda bestämmelser om unga lagöverträdare"), or by anaphora ("samma lag");
   adjacent mentions of one law ("socialtjänstlagen (2001:453) SoL") merge into one;
2. **provisions** — "14 kap. 1 och 2 §§", "3–5, 8 och 10 a §§", "4 § första och
   andra styckena", "1 § andra stycket 3";
3. **resolution** — a provision takes the law named right after it (or right before
   it); enumerated provisions before it take the same law; anaphora takes the law
   last cited; each enumerated item becomes a citation of its own.

The registry lives in ``data/laws.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from pipeline.finders.references import Item, Reference, find_references
from pipeline.patterns import trie_pattern
from pipeline.resources import load_json



@dataclass(frozen=True)
class Law:
    abbr: Optional[str]
    sfs: Optional[str]
    title: Optional[str]
    kind: Optional[str]
    names: tuple[str, ...]
    abbr_variants: tuple[str, ...]
    in_force: Optional[str]
    repealed: Optional[str]
    replaces: Optional[str] = None
    replaced_by: Optional[str] = None

    @property
    def key(self) -> str:
        return self.abbr or self.sfs or (self.title or "?")


@dataclass(frozen=True)
class NamedProvision:
    """A provision known by a name ("lex Sarah"): which law and section it is, by date."""

    name: str
    pattern: str
    versions: tuple[dict, ...]
    undated: dict


class LawRegistry:
    def __init__(self, laws: list[Law], anaphora: dict, generic_words: list[str] | None = None,
                 named_provisions: list[NamedProvision] | None = None):
        self.laws = laws
        self.named_provisions = named_provisions or []
        #: how a text refers back to a law it cited ("samma lag", "6 § lagen"): laws.json
        self.anaphora = anaphora
        self.by_abbr: dict[str, list[Law]] = {}
        self.by_name: dict[str, list[Law]] = {}
        self.by_sfs: dict[str, Law] = {}
        for law in laws:
            for v in {law.abbr, *law.abbr_variants} - {None}:
                self.by_abbr.setdefault(v, []).append(law)
            for n in law.names:
                self.by_name.setdefault(_norm(n), []).append(law)
            if law.sfs:
                self.by_sfs[law.sfs] = law
        self.generic_words = {w.casefold() for w in (generic_words or [])}
        #: the words each law is known by, for following its versions (see :meth:`known_as`)
        self._forms = {id(law): _forms_of(law) for law in laws}

    @classmethod
    def from_data(cls, name: str = "laws.json") -> "LawRegistry":
        data = load_json(name)
        laws = [Law(abbr=e.get("abbr"), sfs=e.get("sfs"), title=e.get("title"), kind=e.get("kind"),
                    names=tuple(e.get("names", [])), abbr_variants=tuple(e.get("abbr_variants", [])),
                    in_force=e.get("in_force"), repealed=e.get("repealed"),
                    replaces=e.get("replaces"), replaced_by=e.get("replaced_by"))
                for e in data["laws"]]
        named = [NamedProvision(e["name"], e["pattern"], tuple(e["versions"]), e["undated"])
                 for e in data.get("named_provisions", [])]
        return cls(laws, data["anaphora"], data.get("generic_words"), named)

    def named_provision(self, named: NamedProvision, date: Optional[str]) -> tuple[Optional[Law], bool, Optional[str], Optional[str]]:
        """The law, whether its version is settled, the chapter and the section a named
        provision stands for on ``date``; with no date, the registry's undated reading."""
        version = next((v for v in named.versions if date and v["from"] <= date and (v["until"] is None or date < v["until"])),
                       None) if date else named.undated
        if version is None:
            return None, False, None, None  # a date before the provision existed
        return self.by_sfs.get(version["sfs"]), not version.get("version_open", False), version["chapter"], version["section"]

    def choose(self, candidates: list[Law], date: Optional[str], version_named: bool = False,
               words: Optional[str] = None) -> tuple[Optional[Law], str]:
        """One law among those sharing a name or abbreviation, by the document's date.
        ``version_named``: the words name the version ("1980 års socialtjänstlag",
        "nya socialtjänstlagen"), so the registry's answer stands. ``words``: the name or
        abbreviation as written; a predecessor or successor is a version of the law cited
        only if it is known by the same words (the socialtjänstlagar of 1980, 2001 and 2025
        are; the sekretesslag of 1980 is not the offentlighets- och sekretesslag of 2009:
        a name never turns one law into another)."""
        if not candidates:
            return None, "unknown"
        if version_named and len(candidates) == 1:
            return candidates[0], "written"
        same_words = (lambda law: True) if words is None else (lambda law: self.known_as(law, words))  # noqa: E731
        expanded: list[Law] = []
        for law in candidates:
            chain = [law]
            while chain[-1].replaced_by in self.by_sfs and len(chain) < 6 and same_words(self.by_sfs[chain[-1].replaced_by]):
                chain.append(self.by_sfs[chain[-1].replaced_by])
            while chain[0].replaces in self.by_sfs and len(chain) < 12 and same_words(self.by_sfs[chain[0].replaces]):
                chain.insert(0, self.by_sfs[chain[0].replaces])
            expanded.extend(l for l in chain if l not in expanded)
        candidates = expanded
        if len(candidates) == 1:
            return candidates[0], "registry"
        if date:
            in_force = [l for l in candidates if (not l.in_force or l.in_force <= date)
                        and (not l.repealed or date < l.repealed)]
            if len(in_force) == 1:
                return in_force[0], "document_date"
        return (candidates[0] if candidates else None), "ambiguous"

    def earlier_version(self, law: Law, date: Optional[str]) -> Optional[Law]:
        """The version a text calls "den upphävda" or "den gamla" when ``law`` was the
        last cited: ``law`` itself if it was repealed by ``date``, else its predecessor."""
        if law.repealed and (date is None or law.repealed <= date):
            return law
        return self.by_sfs.get(law.replaces or "")

    def known_as(self, law: Law, words: str) -> bool:
        """Whether ``words`` (a name or abbreviation as written) name ``law``: one of its
        names or abbreviations, or its title in the indefinite or definite form."""
        forms = self._forms[id(law)]
        w = _norm(words)
        return w in forms or (w.endswith("s") and w[:-1] in forms)


def _forms_of(law: Law) -> frozenset[str]:
    forms = {_norm(n) for n in law.names} | {v.casefold() for v in (law.abbr, *law.abbr_variants) if v}
    if law.title:
        title = _norm(law.title)
        for t in {title, title.removesuffix(" m.m.")}:
            forms.add(t)
            if t.startswith("lag "):
                forms.add("lagen " + t[4:])
            elif t.endswith(("lag", "balk", "förordning", "ordning", "form")):
                forms.add(t + "en")
    return frozenset(forms)


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().casefold()


# ---------------------------------------------------------------------------
# Grammar (the provision references themselves: ``references.py``)
# ---------------------------------------------------------------------------

# a law named right after a provision: an abbreviation or a law word ("LSS", "skollagen")
_LAW_AHEAD = re.compile(r"\s*(?:[A-ZÅÄÖ][A-Za-zåäöÅÄÖ]{1,6}\b|[a-zåäö-]*(?:lag|balk|förordning|ordning)\w*|samma\b)")
_COLON = re.compile(r":\d")
_COLON_PROVISION = re.compile(r"(\d{1,2}):(\d{1,3}(?:\s?[a-h](?![\wåäö]))?)(?![\d:])")
_VERSION_NAMED = re.compile(r"\bårs\b|^(?:nya|gamla|den nya|den gamla)\b|^(?:en )?ny ")
_LEGAL_CONTEXT = re.compile(r"(?:\benligt|\bi|\bjfr\.?|\bse|\bav|\bmed stöd av|\bstöd i|\bkap\.)\s*$", re.IGNORECASE)
_BETWEEN_PROVISIONS = re.compile(r"\s*(?:,|och|samt|eller|respektive)\s*$")
# "3 kap. 4 § i den nya socialtjänstlagen", "14 kap. 1 § i den upphävda lagen", "5 § i
# lagen (1964:167) …": "i", a determiner and adjectives in their weak form may stand between
_DETERMINED = r"(?:(?:den|det)\s+(?:[a-zåäö]+[ae]\s+){0,2})?"
_LAW_AFTER = re.compile(rf"^\s*(?:(?:i|enligt)\s+)?{_DETERMINED}$")
_LAW_BEFORE = re.compile(r"^[\s,]*(?:\(\s*)?$")


@dataclass
class Mention:
    start: int
    end: int
    law: Optional[Law]
    sfs: Optional[str]  # as written
    kind: str  # "abbr" | "name" | "titled" | "sfs" | "anaphora"
    sfs_basis: Optional[str] = None
    unknown_sfs: Optional[str] = None  # an SFS number the registry does not know
    earlier_version: bool = False  # "i den upphävda lagen": the version before the law cited


@dataclass
class CitationMatch:
    start: int
    end: int
    law: Optional[str]
    sfs: Optional[str]
    chapter: Optional[str] = None
    chapter_end: Optional[str] = None
    section: Optional[str] = None
    section_end: Optional[str] = None
    paragraph: Optional[str] = None
    point: Optional[str] = None
    sfs_basis: Optional[str] = None
    extra: dict = field(default_factory=dict)


class CitationFinder:
    """Finds statute citations in cleaned Swedish text."""

    def __init__(self, registry: LawRegistry):
        self.registry = registry
        names = [n for law in registry.laws for n in law.names]
        abbrs = list(registry.by_abbr)
        name_pat = trie_pattern(sorted({_norm(n) for n in names}))
        # names: any case, spaces may be line breaks, genitive -s
        name_pat = name_pat.replace("\\ ", r"\s+")
        # Kept as separate patterns: one big alternation defeats the regex engine's
        # literal and prefix optimisations. Names are only searched in small windows
        # around the stems every law name contains ("lag", "balk", "ordning" …).
        # the end is no word character, not a word boundary: names may end in a full stop
        # ("lag om mottagande av asylsökande m.fl.")
        self._name = re.compile(rf"\b(?i:{name_pat})s?(?![\wåäöÅÄÖ])")
        # no leading \b: a pattern that starts with its literals is scanned much faster;
        # the word boundary before the match is checked in _raw_mentions
        self._abbr = re.compile(rf"(?:{trie_pattern(abbrs)})(?::s)?(?:-[\wåäöÅÄÖ]+)?(?![\wåäöÅÄÖ])")
        self._psfs = re.compile(r"\((?:SFS\s*)?(\d{4}:\d{1,4})\)")
        self._bsfs = re.compile(r"SFS\s*(\d{4}:\d{1,4})")
        ana = registry.anaphora
        determiners = "|".join(f"[{w[0].upper()}{w[0]}]{re.escape(w[1:])}" for w in ana["determiners"])
        nouns = "|".join(map(re.escape, ana["nouns"]))
        self._ana = re.compile(rf"\b(?:{determiners})\s+(?:{nouns})(?:en)?\b")
        # "regeringsform", not "form": that is in "information", "former", "reform" …
        stems = ("lag", "Lag", "balk", "Balk", "ordning", "regeringsform", "Regeringsform", "konvention",
                 "stadga", "kungörelse")
        unanchored = [n for n in names if not any(st in n for st in stems)]
        self._stems = re.compile("|".join(stems))
        # how far a name reaches before and after its stem decides the search window
        reach = [(n.find(st), len(n) - n.find(st) - len(st)) for n in names for st in stems if st in n]
        self._before = max((b for b, _ in reach), default=40) + 2
        self._after = max((a for _, a in reach), default=60) + 4
        self._unanchored = re.compile(rf"\b(?i:{trie_pattern(sorted({_norm(n) for n in unanchored}))})s?(?![\wåäöÅÄÖ])") \
            if unanchored else None
        self._title_word = re.compile(
            r"(?i:\b(?:[\wåäö]+-)?[\wåäö]*(?:lag|balk|förordning|kungörelse|stadga|ordning)(?:en|n)?)\s*$")
        named = {_norm(n.pattern): n for n in registry.named_provisions}
        self._named_by_words = named
        # no leading \b, as for abbreviations: the word boundary is checked in find()
        self._named = re.compile(rf"(?i:{trie_pattern(sorted(named))})(?:-[\wåäö]+)?(?![\wåäö])".replace("\\ ", r"\s+")) \
            if named else None
        bare = "|".join(map(re.escape, ana["bare"]))
        self._earlier = re.compile(rf"\b(?:{'|'.join(map(re.escape, ana.get('earlier', [])))})\b", re.I) \
            if ana.get("earlier") else re.compile("(?!)")
        self._bare_lagen = re.compile(rf"^\s*(?:i\s+)?{_DETERMINED}(?P<w>{bare})\b(?!\s*\()", re.I)

    # -- step 1 ------------------------------------------------------------
    def mentions(self, text: str, date: Optional[str] = None) -> list[Mention]:
        out: list[Mention] = []
        for kind, m in self._raw_mentions(text):
            if kind == "psfs":
                sfs = m.group(1)
                law = self.registry.by_sfs.get(sfs)
                word = self._title_word.search(text, max(0, m.start() - 60), m.start())
                prev_end = out[-1].end if out else -1
                if word and not (prev_end >= word.start() and not text[prev_end:m.start()].strip()):
                    # "lagen (1964:167) med särskilda bestämmelser om unga lagöverträdare"
                    end = self._title_tail(text, m.end(), law)
                    out.append(Mention(word.start(), end, law, sfs, "titled", "written" if law else None,
                                       None if law else sfs))
                else:
                    out.append(Mention(m.start(), m.end(), law, sfs, "sfs", "written" if law else None,
                                       None if law else sfs))
            elif kind == "name":
                if out and m.start() < out[-1].end:
                    continue  # inside a title already read ("… till EU:s dataskyddsförordning")
                word = _norm(m.group(0))
                cands = self.registry.by_name.get(word) or self.registry.by_name.get(word[:-1], [])
                law, basis = self.registry.choose(cands, date, version_named=bool(_VERSION_NAMED.search(word)), words=word)
                if law:
                    out.append(Mention(m.start(), m.end(), law, None, "name", basis))
            elif kind == "abbr":
                token = m.group(0).split("-")[0].removesuffix(":s")
                cands = self.registry.by_abbr.get(token, [])
                law, basis = self.registry.choose(cands, date, words=token)
                if law:
                    out.append(Mention(m.start(), m.end(), law, None, "abbr", basis))
            elif kind == "bsfs":
                sfs = m.group(1)
                law = self.registry.by_sfs.get(sfs)
                out.append(Mention(m.start(), m.end(), law, sfs, "sfs", "written" if law else None,
                                   None if law else sfs))
            elif kind == "ana":
                out.append(Mention(m.start(), m.end(), None, None, "anaphora"))
        return self._merge(text, out)

    def _raw_mentions(self, text: str) -> list[tuple[str, re.Match]]:
        """All raw matches in text order; where two overlap, the earlier (then longer) wins."""
        found: list[tuple[str, re.Match]] = []
        seen: set[tuple[int, int]] = set()
        last = -1
        for stem in self._stems.finditer(text):
            if stem.start() < last:
                continue
            lo, hi = max(0, stem.start() - self._before), min(len(text), stem.end() + self._after)
            for pattern, kind in ((self._name, "name"), (self._ana, "ana")):
                for m in pattern.finditer(text, lo, hi):
                    if m.start() <= stem.start() < m.end() and (m.start(), m.end()) not in seen:
                        seen.add((m.start(), m.end()))
                        found.append((kind, m))
                        last = max(last, m.end())
        if self._unanchored is not None:
            found.extend(("name", m) for m in self._unanchored.finditer(text))
        found.extend(("abbr", m) for m in self._abbr.finditer(text) if not _word_char_before(text, m.start()))
        found.extend(("psfs", m) for m in self._psfs.finditer(text))
        found.extend(("bsfs", m) for m in self._bsfs.finditer(text) if not _word_char_before(text, m.start()))
        found.sort(key=lambda km: (km[1].start(), -km[1].end()))
        out: list[tuple[str, re.Match]] = []
        end = -1
        for kind, m in found:
            if m.start() >= end:
                out.append((kind, m))
                end = m.end()
        return out

    def _title_tail(self, text: str, pos: int, law: Optional[Law]) -> int:
        """Extend a titled mention over the law's title words ("med särskilda bestämmelser …")."""
        if law and law.title:
            pattern = _title_pattern(law.title)
            if pattern is not None:
                m = pattern.match(text, pos)  # matched in place: a slice of the rest is O(text)
                if m:
                    return m.end()
            return pos
        m = _GENERIC_TITLE_TAIL.match(text[pos:pos + 200])
        return pos + m.end() if m else pos

    def _merge(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """'socialtjänstlagen (2001:453) SoL', '… lagöverträdare, LuL' and '(LVU)' are one mention."""
        merged: list[Mention] = []
        for m in mentions:
            if merged and m.kind in ("abbr", "sfs") and m.kind != "anaphora":
                prev = merged[-1]
                gap = text[prev.end:m.start]
                compound = m.kind == "abbr" and "-" in text[m.start:m.end]
                # a number written right after a name is that name's number, and it decides
                # which law is cited: "alkohollagen (1994:1738)" is the act of 1994, in the
                # registry or not, though the name now belongs to the act of 2010
                written = m.kind == "sfs" and prev.kind in ("name", "abbr") and prev.sfs is None
                if (prev.kind != "anaphora" and not compound and re.fullmatch(r"[ \t,]*\n?[ \t]*\(?\s*", gap)
                        and len(gap) <= 4 and (written or _same_law(prev, m))):
                    if written:
                        merged[-1] = Mention(prev.start, m.end, m.law, m.sfs, prev.kind, "written", m.unknown_sfs)
                        continue
                    end = m.end
                    if m.kind == "abbr" and text[prev.end:m.start].strip().endswith("(") and text[end:end + 1] == ")":
                        end += 1
                    law = prev.law or m.law
                    sfs = prev.sfs or m.sfs
                    basis = "written" if sfs and law and law.sfs == sfs else (prev.sfs_basis or m.sfs_basis)
                    if m.kind == "sfs" and m.law and prev.law and prev.law.abbr == m.law.abbr:
                        law, basis = m.law, "written"  # "socialtjänstlagen (2001:453)": the number decides
                    merged[-1] = Mention(prev.start, end, law, sfs, prev.kind, basis,
                                         prev.unknown_sfs or m.unknown_sfs)
                    continue
            merged.append(m)
        return merged

    # -- step 2 ------------------------------------------------------------
    def provisions(self, text: str) -> list[Reference]:
        out = find_references(text, lambda pos: _LAW_AHEAD.match(text, pos) is not None)
        # "SoL 14:1", "14:1 SoL": chapter:section, counted only with a law beside it
        # (times and ratios are written the same way)
        for colon in _COLON.finditer(text):  # a literal first: quicker than scanning digits
            m = _COLON_PROVISION.match(text, max(0, colon.start() - 2))
            if m is None or m.end(1) != colon.start():
                m = _COLON_PROVISION.match(text, max(0, colon.start() - 1))
                if m is None or m.end(1) != colon.start():
                    continue
            if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in ":/.-"):
                continue
            out.append(Reference(m.start(), m.end(), [Item([m.group(1)], None, [(_clean_num(m.group(2)), None)])],
                                 old_style=True))
        out.sort(key=lambda p: p.start)
        return out

    # -- step 3 ------------------------------------------------------------
    def find(self, text: str, date: Optional[str] = None) -> list[CitationMatch]:
        mentions = self.mentions(text, date)
        provisions = self.provisions(text)
        used: set[int] = set()
        attached: list[tuple[Reference, Optional[Mention]]] = []
        mi = 0
        for p in provisions:
            law_m = None
            # the first mention at or after the provision's end
            while mi < len(mentions) and mentions[mi].start < p.end:
                mi += 1
            if mi < len(mentions) and _LAW_AFTER.match(text[p.end:mentions[mi].start]):
                law_m = mentions[mi]
                used.add(mi)
            else:
                bare = self._bare_lagen.match(text[p.end:p.end + 40])
                if bare:
                    law_m = Mention(p.end + bare.start("w"), p.end + bare.end("w"), None, None, "anaphora",
                                    earlier_version=bool(self._earlier.search(bare.group(0))))
                elif mi - 1 >= 0 and mi - 1 not in used and _LAW_BEFORE.match(text[mentions[mi - 1].end:p.start]):
                    law_m = mentions[mi - 1]
                    used.add(mi - 1)
            if law_m is None and (not p.has_sections or p.old_style):
                continue  # "14 kap." with no law and no section is too weak to count
            attached.append((p, law_m))
        # enumerated provisions before a named law take that law: "5 kap. 11 § och 6 kap. 2 § skollagen"
        inherited: set[int] = set()
        for k in range(len(attached) - 2, -1, -1):
            p, law_m = attached[k]
            nxt_p, nxt_law = attached[k + 1]
            if law_m is None and nxt_law is not None and _BETWEEN_PROVISIONS.match(text[p.end:nxt_p.start]):
                attached[k] = (p, nxt_law)
                inherited.add(id(p))

        results: list[CitationMatch] = []
        events: list[tuple[int, str, object]] = []
        for p, law_m in attached:
            events.append((p.start, "provision", (p, law_m)))
        for i, m in enumerate(mentions):
            if i not in used and m.kind != "anaphora" and not self._bare_short_abbreviation(text, m):
                events.append((m.start, "mention", m))
        if self._named is not None:
            events.extend((m.start(), "named", m) for m in self._named.finditer(text)
                          if not _word_char_before(text, m.start()))
        events.sort(key=lambda e: e[0])
        cited = _CitedSoFar(self.registry.anaphora)
        for _, kind, payload in events:
            if kind == "named":
                m = payload  # type: ignore[assignment]
                gloss = re.fullmatch(r"\s*\(\s*", text[results[-1].end:m.start()]) if results else None
                if gloss and text.startswith(")", m.end()):
                    # "14 kap. 3 § SoL (lex Sarah)": the name of the provision just cited
                    last = (results[-1].start, results[-1].end)
                    for c in results:
                        if (c.start, c.end) == last:
                            c.end = m.end() + 1
                    continue
                named = self._named_by_words[_norm(m.group(0).split("-")[0])]
                law_, settled, chapter, section = self.registry.named_provision(named, date)
                if law_ is None:
                    continue
                law, sfs, basis = law_.key, law_.sfs if settled else None, ("document_date" if date else "registry") if settled else "ambiguous"
                results.append(CitationMatch(m.start(), m.end(), law, sfs, chapter, None, section, sfs_basis=basis))
                cited.add((law, sfs, basis), law_.kind)
                continue
            if kind == "mention":
                m = payload  # type: ignore[assignment]
                law, sfs, basis = self._law_fields(m)
                results.append(CitationMatch(m.start, m.end, law, sfs, sfs_basis=basis))
                cited.add((law, sfs, basis), m.law.kind if m.law else None)
                continue
            p, law_m = payload  # type: ignore[misc]
            if law_m is None:
                law, sfs, basis = None, None, None
            elif law_m.kind == "anaphora":
                law, sfs, basis = cited.recall(text[law_m.start:law_m.end])
                if law_m.earlier_version and sfs in self.registry.by_sfs:
                    before = self.registry.earlier_version(self.registry.by_sfs[sfs], date)
                    if before is not None:
                        law, sfs = before.key, before.sfs  # "… 14 kap. 1 § i den upphävda lagen"
            else:
                law, sfs, basis = self._law_fields(law_m)
                cited.add((law, sfs, basis), law_m.law.kind if law_m.law else None)
            # the span covers the provision and its law, unless the law was inherited
            # from a later item of an enumeration (it then stands outside this item)
            own_law = law_m is not None and id(p) not in inherited and law_m.kind != "anaphora" or (
                law_m is not None and id(p) not in inherited and law_m.kind == "anaphora" and law_m.start >= p.end)
            start = min(p.start, law_m.start) if own_law else p.start
            end = max(p.end, law_m.end) if own_law else p.end
            for item in p.items:
                for chapter in (item.chapters or [None]):
                    for section, section_end in (item.sections or [(None, None)]):
                        for paragraph in (item.paragraphs or [None]):
                            for point in (item.points or [None]):
                                results.append(CitationMatch(start, end, law, sfs, chapter, item.chapter_end, section,
                                                             section_end, paragraph, point, basis))
        return _resolve_from_document(results)

    def _bare_short_abbreviation(self, text: str, m: Mention) -> bool:
        """"FB", "MB", "PL" alone are too often something else (Facebook, megabyte,
        projektledare): without a provision they count only after "enligt", "i", "jfr" …"""
        if m.kind != "abbr":
            return False
        token = text[m.start:m.end].split("-")[0].removesuffix(":s")
        if len(token) > 2:
            return False
        return not _LEGAL_CONTEXT.search(text, max(0, m.start - 25), m.start)

    def _law_fields(self, m: Mention) -> tuple[Optional[str], Optional[str], Optional[str]]:
        if m.law:
            sfs = m.sfs if (m.sfs and m.sfs == m.law.sfs) else m.law.sfs
            basis = m.sfs_basis
            if basis == "ambiguous":
                sfs = None
            return m.law.key, sfs, basis
        if m.unknown_sfs:
            return m.unknown_sfs, m.unknown_sfs, "written"
        return None, None, None


class _CitedSoFar:
    """The laws cited so far, most recent last, for anaphora: "samma lag" and "lagen"
    take the last law cited, "förordningen" the last förordning, "balken" the last balk;
    "förstnämnda lag" the earlier of the last two laws of its kind."""

    def __init__(self, anaphora: dict) -> None:
        self._kinds: dict[str, list[str]] = anaphora["nouns"]
        self._first = {w.casefold() for w in anaphora.get("first", [])}
        self._laws: list[tuple[tuple[Optional[str], Optional[str], Optional[str]], Optional[str]]] = []

    def add(self, fields: tuple[Optional[str], Optional[str], Optional[str]], kind: Optional[str]) -> None:
        if fields[0] is None:
            return
        self._laws = [c for c in self._laws if c[0][0] != fields[0]] + [(fields, kind)]

    def recall(self, phrase: str) -> tuple[Optional[str], Optional[str], Optional[str]]:
        words = phrase.casefold().split()
        noun = words[-1]
        kinds = self._kinds.get(noun) or self._kinds.get(noun.removesuffix("en"), [])
        # a law of unknown kind (an SFS number the registry does not hold) may be any
        same_kind = [fields for fields, kind in self._laws if kind is None or kind in kinds]
        if not same_kind:
            return None, None, None
        if words[0] in self._first and len(same_kind) >= 2:
            return same_kind[-2]
        return same_kind[-1]


def _word_char_before(text: str, i: int) -> bool:
    return i > 0 and (text[i - 1].isalnum() or text[i - 1] in "_-")


def _resolve_from_document(results: list[CitationMatch]) -> list[CitationMatch]:
    """A version left open (bare "SoL" in an undated document) is the one the same
    document writes out elsewhere ("socialtjänstlagen (2001:453)"), when it writes one."""
    written: dict[str, set[str]] = {}
    for c in results:
        if c.law and c.sfs and c.sfs_basis == "written":
            written.setdefault(c.law, set()).add(c.sfs)
    for c in results:
        if c.law and c.sfs is None and c.sfs_basis == "ambiguous" and len(written.get(c.law, ())) == 1:
            c.sfs = next(iter(written[c.law]))
            c.sfs_basis = "document_sfs"
    return results


def _same_law(a: Mention, b: Mention) -> bool:
    if a.law is None or b.law is None:
        return a.law is not None or b.law is not None or (a.kind == "titled" and b.kind == "abbr")
    return a.law.key == b.law.key or (a.law.abbr is not None and a.law.abbr == b.law.abbr)


def _clean_num(s: Optional[str]) -> Optional[str]:
    if s is None:
        return None
    m = re.fullmatch(r"(\d+)\s?([a-h]?)", s.strip())
    return f"{m.group(1)} {m.group(2)}" if m and m.group(2) else (m.group(1) if m else s.strip())


@lru_cache(maxsize=1)
def default_finder() -> CitationFinder:
    return CitationFinder(LawRegistry.from_data())


_GENERIC_TITLE_TAIL = re.compile(
    r"\s+(?:om|med|för|mot|angående|rörande|gällande)\b(?:\s+[\wåäöÅÄÖ-]+){1,10}?"
    r"(?=\s*[.,;:()§\n]|\s*$|\s+(?:och|samt|som|men|ska|skall|har|är|gäller|kan|får|blir)\b)")


@lru_cache(maxsize=None)
def _title_pattern(title: str) -> Optional[re.Pattern]:
    """The words of a law's title after its first, with any whitespace between them."""
    rest = title.split(None, 1)
    if len(rest) < 2:
        return None
    return re.compile(r"\s+" + r"\s+".join(re.escape(w) for w in rest[1].split()), re.I)
