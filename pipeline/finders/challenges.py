"""Challenges: sentences that state a difficulty, obstacle or problem, with a category
from a small fixed taxonomy (``data/challenges.json``, where every list says why it is
there).

A sentence is a candidate when it holds a cue ("svårt att", "saknas", "räcker inte",
"har slutat", "personalomsättningen har varit hög" …). A cue does not count where the
sentence only *mentions* a problem instead of stating one:

- it is negated ("inga problem", "hindrar inte att …", "har inte haft några svårigheter")
  or the object of solving it ("lösa problemen", "för att möta utmaningarna");
- it stands in a purpose, goal or proposal clause ("syftet är att …", "målet är att …",
  "förvaltningen föreslår att …") or in a question;
- it describes the target group ("unga som saknar gymnasieexamen", "barn som riskerar att
  fara illa", "innan problemen växer");
- it only announces problems told elsewhere ("Förvaltningen ser flera utmaningar.",
  "De största utmaningarna är följande."): a general problem noun whose clause names no
  content of the problem;
- it stands in a heading, a numbered heading line, a table of contents, the name of a
  report or a pointer to another section;
- a noun of level (sjukfrånvaro, personalomsättning, väntetider) whose clause does not
  say the level is high or rising; a deficit told without what drives it.

A sentence gives one challenge per stated problem: it parts at clause breaks between
cues, at the items of a list of parallel "att"/"om" clauses, and between clauses naming
different kinds of problem; it does not part before a clause that hangs on the one
before ("…, vilket försvårar …", "…, eftersom …"), inside "mellan X och Y", or between
neighbouring parts on the same kind of problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.patterns import phrase_pattern
from pipeline.resources import load_json

TAXONOMY = ("personalomsättning", "lokaler", "sekretess", "resurser", "handläggningstider",
            "organisation/roll", "samordning", "kompetens", "annat")

_W = r"[\wåäöÅÄÖéü-]"
#: a numbered heading line standing at the start of a sentence ("3.1.2 Sekretessbrytande
#: bestämmelser"): a number, a few words and no sentence-final punctuation, then a line break
_HEADING_LINE = re.compile(r"\s*\d+(?:\.\d+)*\.?[ \t]+[^\n.!?:;]{1,80}\n")
# a field of the document's head on a line of its own: "Dnr SN 2024/00034", "Föredragande: …"
_LABEL_LINE = re.compile(r"\s*(?:(?:Dnr|Diarienr|Diarienummer|Dnr\.)\b[^\n.!?]*|[A-ZÅÄÖ][\wåäö ]{1,30}:[^\n.!?]*)\n")
# a line of a table: cells apart by a wide gap or a tab ("  Funktion        Tjänster  Kommentar"),
# as the staffing finder reads tables too
_TABLE_ROW = re.compile(r"[^\n]*?\S(?:[ ]{5,}|\t)\S[^\n]*\n")
_CLOSING = ")]”\"'»’ \t\n"
# an item of a list of proposals or decisions: "– att …", "2. att …", "att …" opening the sentence
_PROPOSAL_ITEM = re.compile(r"\s*(?:[-–•]\s*|\d+\.\s*)?att\s", re.I)
# a proposal that opens its sentence and lists its items: "Förvaltningen föreslår\n– att …"
_PROPOSAL_LEAD = re.compile(r"[^.\n]{0,80}?(?<![\wåäö])(?:föreslår|föreslås|beslutar|yrkar)\s*:?\s*\n\s*(?:[-–•]\s*|\d+\.\s*)att\s", re.I)
_PROPOSING = re.compile(r"(?<![\wåäö])(?:föreslår|föreslås|föreslog|förslag\s+till\s+beslut|beslutar|beslutade|yrkar|yrkade)(?![\wåäö])", re.I)

# the next infinitive of a list of purposes: "…, att pröva"
_NEXT_INFINITIVE = re.compile(r"\s*(?:(?:och|samt)\s+)?att\s", re.I)
# a bracketed aside ("(skola, socialtjänst, polis och fritid)")
_BRACKETED = re.compile(r"\([^()]*\)")


@dataclass
class ChallengeMatch:
    start: int
    end: int
    category: str


def _alt(words) -> str:
    return phrase_pattern({w.casefold() for w in words})


def _words(words) -> re.Pattern:
    """Any of ``words`` as a whole word (or phrase), case-insensitive."""
    return re.compile(rf"(?<![\wåäö])(?:{_alt(words)})(?![\wåäö])", re.I)


_MODALS = ("behöver ", "behöva ", "behövde ", "behövt ")


def all_cues(data: dict) -> list[str]:
    """The cue words: the plain list and every group of ``cue_groups``; a "behöver …" cue
    also with an adverb after the modal ("behöver också tydliggöras")."""
    out = list(data["cues"])
    for group in data.get("cue_groups", {}).values():
        out += group["cues"]
    adverbs = data.get("modal_adverbs", [])
    out += [f"{cue[:len(m)]}{adverb} {cue[len(m):]}" for cue in list(out) for m in _MODALS
            if cue.startswith(m) for adverb in adverbs]
    return out


class ChallengeFinder:
    def __init__(self, data: dict):
        levels = data.get("level_nouns", {})
        data = dict(data, cues=all_cues(data) + list(levels.get("nouns", [])))
        # per cue: the exclusions of its group ("not_with": words of the sentence,
        # "not_after": words after the cue in its clause)
        self._cue_not_with: dict[str, re.Pattern] = {}
        self._cue_not_after: dict[str, re.Pattern] = {}
        self._cue_only_with: dict[str, re.Pattern] = {}
        self._cue_not_next: dict[str, re.Pattern] = {}
        for group in data.get("cue_groups", {}).values():
            for key, table in (("not_with", self._cue_not_with), ("not_after", self._cue_not_after),
                               ("only_with", self._cue_only_with), ("not_next", self._cue_not_next)):
                if group.get(key):
                    pattern = re.compile(rf"(?<![\wåäö])(?:{_alt(group[key])})", re.I)
                    for cue in group["cues"]:
                        table[cue.casefold()] = pattern
        # a noun of level ("personalomsättningen") is a cue only where its clause says the
        # level is high or rising
        self._level_nouns = {w.casefold() for w in levels.get("nouns", [])}
        self._level = _words(levels.get("levels", []))
        self._negated_level = re.compile(r"(?<![\wåäö])(?:inte|ej|inga|ingen|inget)\s+(?:[\wåäö]+\s+)?$", re.I)
        extra = data.get("category_extra_terms", {})
        data["categories"] = [[name, list(terms) + list(extra.get(name, []))] for name, terms in data["categories"]]
        self._cue = re.compile(rf"(?<![\wåäö])(?:{_alt(data['cues'])})(?![\wåäö])", re.I)
        # the same cues for a first scan of the lower-cased document: literal-first and
        # case-sensitive, so much faster; the word boundary before is checked in code
        self._cue_scan = re.compile(rf"(?:{_alt(data['cues'])})(?![\wåäö])")
        self._negation = re.compile(rf"(?<![\wåäö])(?:{_alt(data['negations'])})(?![\wåäö])", re.I)
        self._not_context = re.compile(rf"(?:{_alt(data['not_challenge_contexts'])})", re.I)
        self._category_names = [name for name, _ in data["categories"]]
        # all categories in one pattern, one group each in rank order: one scan finds the
        # first term, and where terms of several categories start there, the first
        # alternative that matches is the category ranked first
        self._categories = re.compile(
            r"(?<![\wåäö])(?:" + "|".join(f"({_alt(terms)})" for _, terms in data["categories"]) + ")", re.I)
        # words that begin like a category term but name a role or a place ("samordnare",
        # "lokalpolisområde"): not a term
        self._term_exception = re.compile(rf"(?:{_alt(data.get('category_term_exceptions', []))})", re.I)
        self.default = data.get("default_category", "annat")
        conjunctions = _alt(data["clause_conjunctions"])
        # a comma before a subordinate clause ("…, vilket försvårar …", "…, eftersom …")
        # is no place to part a sentence: that clause tells the cause or the consequence
        # of the problem before it
        subordinate = _alt(data.get("subordinate_starts", []))
        self._soft_break = re.compile(
            rf",\s+(?!(?:{subordinate})(?![\wåäö]))|;\s+|\s+(?:{conjunctions})\s+(?!(?:{subordinate})(?![\wåäö]))")
        # a subordinator not led by a coordinating conjunction ("men också att …" is a
        # parallel clause)
        self._subordinate = re.compile(
            rf"(?<![\wåäö])(?<!och )(?<!men )(?<!samt )(?<!också )(?<!även )(?:{subordinate})(?![\wåäö])", re.I)
        self._negated = re.compile(rf"(?:\b(?:{_alt(data['negators'])})\b(?:\s+[\wåäö]+){{0,4}}\s+)$", re.I)
        self._solving = re.compile(rf"\b(?:{_alt(data['solving_verbs'])})\s+(?:[\wåäö,]+\s+){{0,3}}$", re.I)
        self._negated_after = re.compile(r"\s+(?:dock\s+|heller\s+|längre\s+|alltid\s+)?(?:inte|ej)(?![\wåäö])", re.I)
        # where a sentence's clauses part: a comma or semicolon before a conjunction or a new
        # subject, or a conjunction before one
        self._clause_break = re.compile(
            rf"(?:[,;]\s+(?=(?:{_alt(data['clause_starts_after_comma'])})\b)|;\s+"
            rf"|\s+(?:{conjunctions})\s+(?=(?:{_alt(data['clause_starts_after_conjunction'])})\b))")
        # a cue inside a purpose, goal or proposal clause is an aim, not a stated problem:
        # the clause runs from the marker to the next comma, colon or subordinator
        purpose = list(data.get("purpose_markers", [])) + list(data.get("proposal_markers", []))
        self._purpose = re.compile(
            rf"(?<![\wåäö])(?:{_alt(purpose)})(?![\wåäö])"
            # "för att" + an infinitive is a purpose ("för att möta utmaningarna"); "för att
            # det …", "för att rollerna …" give a cause or a content, and so does "för att"
            # after a noun of risk ("risk för att", "oro för att")
            r"|(?<![\wåäö])(?P<for>för)\s+att\s+"
            r"(?:(?!(?:det|de|den|detta|dessa|vi|man|han|hon|ni|inte\s+det)\b|[\wåäö]+(?:rna|en|et)\b)"
            # "för att verksamheten ska bli mindre sårbar": a purpose with its own subject
            r"|(?:[\wåäö]+\s+){1,3}(?:ska|skall)\b)", re.I)
        self._not_purpose_noun = re.compile(rf"(?<![\wåäö])(?:{_alt(data.get('not_purpose_nouns', []))})\s+$", re.I)
        # the purpose clause ends at a comma, colon or subordinator, or where a conjunction
        # opens a clause of its own ("… för att samverka med socialtjänsten och polisen har
        # heller inte tid …")
        self._scope_end = re.compile(
            r"[,;:]|\s(?:men|eftersom|då|vilket|trots att|medan)\s"
            r"|\s(?:och|men|samt)\s+(?:det|de|den|detta|dessa|vi|man|[\wåäö]+(?:en|et|na))\s+"
            r"(?:har|hade|är|var|kan|kunde|ska|skulle|måste|behöver|saknar|saknas|får|finns)\b", re.I)
        # a cue in a relative clause on the target group describes the clients, not the work
        # ("unga som saknar gymnasieexamen", "familjer som har svårt att …")
        self._client_relative = re.compile(
            rf"(?<![\wåäö])(?:{_alt(data.get('client_nouns', []))})(?![\wåäö])"
            rf"(?:\s+{_W}+){{0,5}}?,?\s+som\s+(?:{_W}+\s+){{0,5}}$", re.I)
        # announcing problems without stating them
        self._generic = _words(data.get("generic_nouns", []))
        self._ann_det = _words(data.get("announcement_determiners", []))
        self._reporting = _words(data.get("reporting_verbs", []))
        self._content_marker = _words(data.get("content_markers", []))
        self._cataphoric = _words(data.get("cataphoric", []))
        self._copula = _words(data.get("copulas", []))
        self._positive = _words(data.get("positive_evaluations", []))
        frames = data.get("topic_frames", {})
        self._topic_before = re.compile(
            rf"(?<![\wåäö])(?:{_alt(frames.get('before', []))})\s+(?:{_W}+\s+){{0,2}}$", re.I)
        self._topic_sentence = _words(frames.get("sentence", []))
        self._pair_opener = re.compile(
            rf"(?<![\wåäö])(?:{_alt(data.get('pair_openers', {}).get('words', []))})\s+(?:{_W}+\s+){{0,4}}$", re.I)

    def cue_positions(self, text: str) -> list[int]:
        low = text.lower()
        if len(low) != len(text):  # a character whose lower case is longer: keep offsets exact
            return [m.start() for m in self._cue.finditer(text)]
        return [m.start() for m in self._cue_scan.finditer(low)
                if not (m.start() and (low[m.start() - 1].isalnum() or low[m.start() - 1] == "_"))]

    def _term(self, s: str, pos: int = 0, endpos: int | None = None):
        """The first category term in ``s[pos:endpos]`` that is not a role or place name."""
        endpos = len(s) if endpos is None else endpos
        while True:
            m = self._categories.search(s, pos, endpos)
            if m is None or not self._term_exception.match(s, m.start()):
                return m
            pos = m.start() + 1

    def category_of(self, s: str) -> tuple[str, int]:
        """The category whose term occurs first in ``s`` (and where), else the default;
        of categories whose terms start at the same place, the one ranked first."""
        m = self._term(s)
        if m is None:
            return self.default, -1
        return self._category_names[m.lastindex - 1], m.start()

    # -- whether a cue states a problem ---------------------------------------------------

    def _counts(self, s: str, c: re.Match) -> bool:
        """Whether cue ``c`` of sentence ``s`` can state a problem (before the clause-level
        test for announcements)."""
        before = s[max(0, c.start() - 60):c.start()]
        if self._negated.search(s, max(0, c.start() - 45), c.start()):
            return False  # "inte varit några problem", "ingen brist på"
        if self._solving.search(s, max(0, c.start() - 45), c.start()):
            return False  # "lösa problemen", "för att möta utmaningarna"
        if self._topic_before.search(s, max(0, c.start() - 60), c.start()):
            return False  # "Rapportering av ej verkställda beslut"
        if self._not_context.search(s[max(0, c.start() - 30):c.end() + 30]):
            return False  # "beteendeproblem", "utmaningar och möjligheter"
        if not c.group().lower().endswith("att") and self._negated_after.match(s, c.end()):
            return False  # "Sekretessen hindrar inte att …"
        if self._client_relative.search(before):
            return False  # "unga som saknar arbete"
        key = re.sub(r"\s+", " ", c.group()).casefold()
        if key in self._cue_not_with and self._cue_not_with[key].search(s):
            return False  # "finansieras genom att en vakant tjänst …"
        if key in self._cue_not_next and self._cue_not_next[key].match(
                s, c.end() + len(s[c.end():]) - len(s[c.end():].lstrip())):
            return False  # "har inte haft några svårigheter"
        if key in self._cue_only_with and not self._cue_only_with[key].search(s):
            return False  # "Helårsprognosen är ett underskott på 21,0 mnkr."
        # what the risk is of runs on over commas ("risk för att barn, unga och unga vuxna
        # … ska dras in i kriminalitet"), to the next semicolon or colon, within 120 characters
        rest = re.split(r"[;:]", s[c.end():c.end() + 120], maxsplit=1)[0]
        if key in self._cue_not_after and self._cue_not_after[key].search(rest):
            return False  # "riskerar att fara illa"
        if key in self._level_nouns:
            a = max((m.end() for m in re.finditer(r"[,;:]|\s(?:men|och)\s", s[:c.start()])), default=0)
            b = re.compile(r"[;:]").search(s, c.end())
            b = b.start() if b else len(s)
            if not any(not self._negated_level.search(s, max(a, m.start() - 25), m.start())
                       for m in self._level.finditer(s, a, b)):
                return False  # "Sjukfrånvaron har minskat", "… har inte varit hög"
        # a purpose, goal or proposal clause holding the cue
        head = s[:c.start()]
        # a list in brackets ends no clause: "att beskriva arbetet inom SSPF (skola, socialtjänst,
        # polis och fritid) och att redovisa hinder" is one purpose
        unbracketed = _BRACKETED.sub(lambda b: " " * len(b.group()), head)
        for m in self._purpose.finditer(head):
            if m.group("for") and self._not_purpose_noun.search(head, 0, m.start()):
                continue  # "risk för att …"
            # … a comma before the next "att" of a list of purposes ("att beskriva …, att pröva …
            # samt att redovisa hinder") goes on with the same purpose
            if not any(not _NEXT_INFINITIVE.match(unbracketed, e.end())
                       for e in self._scope_end.finditer(unbracketed, m.end())):
                return False
        return True

    def _announces(self, s: str, c: re.Match, a: int, b: int) -> bool:
        """Whether the general problem noun ``c`` in clause ``s[a:b]`` only announces
        problems ("Förvaltningen ser flera utmaningar.", "De största utmaningarna är
        följande.") instead of stating one: nothing in its clause tells what the problem is."""
        if not self._generic.fullmatch(c.group()):
            return False
        before, after = s[a:c.start()], s[c.end():b]
        # the word before the noun: a quantifier, a superlative, an adverb or the verb of
        # existence or report ("visat på flera svårigheter"); an evaluative adjective or an
        # article makes a statement ("allvarliga brister", "ett hinder")
        words = re.findall(rf"{_W}+", before)
        if words:
            last = words[-1]
            two = " ".join(words[-2:])
            if not (self._ann_det.fullmatch(last) or self._ann_det.fullmatch(two)):
                return False
        if self._copula.search(before) or re.search(r"\ben\s+av\b", before, re.I):
            return False  # the noun says what its subject is ("X är en av de största utmaningarna")
        # content before the noun: a category term or another cue after the last verb of
        # report (the report's source, "Erfarenheterna … visar på", is no content)
        src = 0
        for m in self._reporting.finditer(before):
            src = m.end()
        if self._term(before, src) or any(
                not self._generic.fullmatch(m.group()) for m in self._cue.finditer(before, src)):
            return False
        # content after the noun
        tail_core = re.sub(r"[\s.:;!]+$", "", after.strip())
        if ":" in after and len(after.split(":", 1)[1].split()) >= 3:
            return False  # "… svårigheter: det är sårbart …"
        if self._content_marker.search(after):
            return False
        if any(not self._generic.fullmatch(m.group()) for m in self._cue.finditer(after)):
            return False
        # a place or domain named with "i"/"inom" ("i nuvarande samverkan") is no content,
        # a term elsewhere is ("problem med rekrytering")
        without_domain = re.sub(rf"(?i)(?<![\wåäö])(?:i|inom|under)\s+(?:{_W}+\s+){{0,2}}{_W}+\s*$", "", tail_core)
        if self._term(without_domain):
            return False
        cop = self._copula.search(after)
        if cop:
            rest = after[cop.end():].strip(" \t\n.:;")
            if rest and not self._cataphoric.match(rest):
                return False  # "De största utmaningarna är bristen på …"
        return True

    def _is_predicate(self, s: str, c: re.Match, a: int) -> bool:
        """A general problem noun that only says what kind of thing its subject is ("X var
        en av de största utmaningarna", "X är ett stort problem"): it states no second
        problem. "Orsaken är brist på …" is no such noun: the problem follows it."""
        if not self._generic.fullmatch(c.group()):
            return False
        before = s[a:c.start()]
        if not re.search(rf"(?i)(?:\ben\s+av\s+{_W}+|\b(?:en|ett|det|den|de|något|någon))\s+(?:{_W}+\s+){{0,2}}$", before):
            return False
        return bool(self._copula.search(before) or re.search(r"\ben\s+av\b", before, re.I)
                    or re.search(r"(?i)\bsom\s+(?:{_W}+\s+){0,3}$".replace("{_W}", _W), before))

    _LIST_SEP = re.compile(r"(?:,\s+|\s+(?:och|samt|eller)\s+)(?=(att|om)\s)", re.I)

    def _list_items(self, s: str) -> list[tuple[int, int]]:
        """The items of a list of parallel "att"/"om" clauses in ``s`` (start, end), the
        first item running from the start of the sentence; empty if there is none."""
        seps = list(self._LIST_SEP.finditer(s))
        for word in ("att", "om"):
            mine = [m for m in seps if m.group(1).lower() == word]
            if len(mine) < 2:
                continue
            first = re.search(rf"(?i)(?<![\wåäö]){word}\s", s[:mine[0].start()])
            if not first:
                continue
            starts = [0] + [m.end() for m in mine]
            ends = [m.start() for m in mine] + [len(s)]
            return list(zip(starts, ends))
        return []

    def _list_seps(self, s: str, items: list[tuple[int, int]]) -> list[str]:
        """The separators before items 2 … n (their text, for the break lengths)."""
        return [s[items[i - 1][1]:items[i][0]] for i in range(1, len(items))]

    # -- the sentence -------------------------------------------------------------------

    def find_in_sentence(self, text: str, start: int, end: int) -> list[ChallengeMatch]:
        """The challenges a sentence states: one per clause when its clauses name
        different kinds of problem ("… organisatoriska aspekter och den stora
        personalomsättningen …"), else the sentence as one."""
        heading = _HEADING_LINE.match(text, start, end)
        if heading:
            start = heading.end()  # a numbered heading line is no statement
        while label := _LABEL_LINE.match(text, start, end) or _TABLE_ROW.match(text, start, end):
            # "Dnr SN 2024/00034", "Föredragande: …": a form's field; "Fältsekreterare   6,0   1
            # vakant": a row of a table laid out in columns; neither is a statement
            start = label.end()
        s = text[start:end]
        cues = [m for m in self._cue.finditer(s)]
        if not cues or self._negation.search(s) or len(s.split()) < 4:
            return []
        if s.lstrip().startswith("{"):
            return []  # a form's instruction in braces, not the report's own words
        lead = _PROPOSAL_LEAD.match(s)
        if lead or _PROPOSAL_ITEM.match(s) and (re.match(r"\s*(?:[-–•]|\d+\.)", s) or text[:start].rstrip()[-1:] in (":", ";", ",")) \
                and _PROPOSING.search(text, max(0, start - 400), start) \
                and not self._generic.search(text, max(0, start - 200), start):
            # an item of a list of proposals or decisions ("Förvaltningen föreslår … – att den
            # vakanta tjänsten tillsätts"), not of difficulties ("följande svårigheter: att …")
            return []
        if len(s.split()) <= 8 and not re.search(r"[.!?;:,…]\s*$", s.rstrip(_CLOSING) + " "):
            return []  # a heading or label ("Hinder för samverkan"), no statement
        if s.rstrip(_CLOSING).endswith("?"):
            return []  # a question asks, it does not state
        if re.search(r"\.{4,}|…{2,}", s):
            return []  # a table of contents ("5.1 Sjukfrånvaro ........ 4")
        if self._topic_sentence.search(s):
            return []  # a pointer to another section ("… redovisas närmare under avsnitt 3.4")
        live = [c for c in cues if self._counts(s, c)]
        if not live:
            return []
        # an "och" closing "mellan X och Y" or "både X och Y" joins two nouns: no break there
        hard = [(m.start(), m.end()) for m in self._clause_break.finditer(s)
                if not self._pair_opener.search(s, max(0, m.start() - 80), m.start() + 1)]

        def clause_of(pos: int) -> tuple[int, int]:
            a = max((e for b0, e in hard if e <= pos), default=0)
            b = min((b0 for b0, e in hard if b0 >= pos), default=len(s))
            return a, b

        live = [c for c in live if not self._announces(s, c, *clause_of(c.start()))]
        if not live:
            return []
        breaks = list(hard)
        # two problems joined without a clause break ("… svårt att få lokaler och i andra
        # har det varit utmanande …"): part them at the last "och"/"men"/comma between;
        # a noun that only names its subject's kind ("var en av de största utmaningarna")
        # states no second problem
        splitting = [c for c in live if not self._is_predicate(s, c, clause_of(c.start())[0])]
        anchor = None  # the first cue since the last break
        for c1, c2 in zip(splitting, splitting[1:]):
            if anchor is None or any(anchor.end() <= a < c1.start() for a, _ in breaks):
                anchor = c1
            if any(c1.end() <= a < c2.start() for a, _ in breaks):
                anchor = None
                continue
            # a cue inside a clause that hangs on the first ("…, vilket har lett till längre
            # väntetider och dyrare lösningar", "brister, bl.a. … och en ventilation som inte
            # …") is that problem's
            if self._subordinate.search(s, anchor.end(), c2.start()):
                continue
            seps = [m for m in self._soft_break.finditer(s, c1.end(), c2.start())
                    if not (m.group().strip() == "och"
                            and self._pair_opener.search(s, max(0, m.start() - 80), m.start() + 1))]
            if seps:
                breaks.append((seps[-1].start(), seps[-1].end()))
        # a list of parallel clauses ("Orsakerna är att …, att … och att …", "… handlar om
        # …, om … och om …"): each item one problem
        items = self._list_items(s)
        if items:
            breaks = [(a, b) for a, b in breaks if not any(x <= a < y for x, y in items[1:])]
            breaks += [(x - len(m), x) for (x, _), m in zip(items[1:], self._list_seps(s, items))]
        breaks = sorted(set(breaks))
        clauses = []
        pos = 0
        for a, b in breaks:
            if a >= pos:
                clauses.append((pos, a))
                pos = b
        clauses.append((pos, len(s)))
        tagged = []  # (start, end, category, has_cue, has_category)
        for a, b in clauses:
            if len(s[a:b].split()) < 3:
                continue
            category, where = self.category_of(s[a:b])
            has_cue = any(a <= c.start() < b for c in live)
            if where >= 0 or has_cue or (items and any(x <= a < y for x, y in items)):
                tagged.append((a, b, category, has_cue, where >= 0))
        with_cue = [t for t in tagged if t[3]]
        # a clause without a cue counts as a problem of its own where it names another kind
        # of problem ("bristen på lokaler och den höga personalomsättningen"), never where it
        # says that something works well
        first_cue = min((t[0] for t in with_cue), default=len(s))
        named = [t for t in tagged if t[4] and (t[3] or (t[0] > first_cue and not self._positive.search(s, t[0], t[1])))]
        listed = [t for t in tagged if any(x <= t[0] < y for x, y in items)
                  and not self._positive.search(s, t[0], t[1])]
        if len(listed) >= 2 and any(t[3] for t in listed):
            parts = listed
        elif len(with_cue) >= 2:
            # each clause states a problem of its own ("… är svårt att …, och det saknas …")
            parts = with_cue
        elif len({t[2] for t in named}) >= 2:
            # the clauses name different kinds of problem ("… organisatoriska aspekter och
            # den stora personalomsättningen …")
            parts = named
        else:
            parts = []
        if parts:
            # neighbouring parts on the same kind of problem are one problem told with its
            # detail ("svårt att rekrytera …, och två tjänster har varit vakanta")
            merged = []
            for t in parts:
                if merged and t[2] == merged[-1][2] and t[2] != self.default:
                    merged[-1] = (merged[-1][0], t[1]) + tuple(merged[-1][2:])
                else:
                    merged.append(t)
            parts = merged if len(merged) >= 2 else []
        if parts:
            out = []
            for i, (a, b, category, _, _) in enumerate(parts):
                if i == 0:
                    a = 0  # the first clause carries the text before it ("De utmaningar … rör")
                out.append(ChallengeMatch(start + a, start + b, category))
            return out
        category, _ = self.category_of(s)
        return [ChallengeMatch(start, end, category)]


@lru_cache(maxsize=1)
def default_challenge_finder() -> ChallengeFinder:
    return ChallengeFinder(load_json("challenges.json"))
