"""The line decoder: the most probable reading of a line of damaged text, and how sure
each repair is.

Each space between tokens is a real space or a lost letter; of a run of two, one may be a
lost letter at the end of the word before or the start of the word after (a real double
space is unlikely); "/", "~", "q" may be misread letters. A dynamic programme (Viterbi)
over the tokens picks the most probable reading: damage priors (priors.py) times word
probabilities (the best fillings of each word template, fills.py). Numbers, codes and
e-mail addresses take no lost letters next to digits, undotted abbreviations stay as they
are, web addresses and file paths stay as they are (known by their shape: a scheme, "www.",
a domain with a path, a drive letter, several slashes; a domain or an e-mail address where
a whole word stands before it), and case follows the neighbours ("B LAGOR" → "BILAGOR").
Forward and backward scores then give each repair the margin between the best reading and
the best one without it; the letter chosen has its own margin over the next best letter;
calibration.py turns the two into the probability that the repair is right. A repair whose
calibrated confidence is below :data:`MIN_CONFIDENCE` is not made.

:meth:`_Decoder.line` runs in C (pipeline/_decode.c) when that is built;
:meth:`_Decoder.line_in_python` is the reference it follows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Final

from pipeline.edits import Edit

from .calibration import MIN_CONFIDENCE, calibrated
from .fills import _FILLS, _FILLS_MAX, Fills, _fills, _restored_words
from .priors import _LOG_EXTRA_SPACE, _LOG_EXTRA_TRAIL, _LOWER_PRIOR
from .language import foreign_phrase, foreign_word, known_elsewhere
from .signals import _abbreviations, _complete
from .tokens import _CHUNK, _DIGIT, _LETTERS, _UNDOTTED, _core, _tokens_at, _undotted_in
from .words import Lexicon, _NEG, _short_word

#: a party after a name: "(M)", "(KD)", "(S)"
_PARTY: Final = re.compile(r"\([A-ZÅÄÖ]{1,3}\)[,.;:]?")
#: initials and names with a capital inside ("HRy", "SiS", "FoU"): no damaged word
_INNER_CAPITAL: Final = re.compile(r"(?=.*[a-zåäö])[A-ZÅÄÖ][a-zåäö]*[A-ZÅÄÖ][A-Za-zÅÄÖåäö]*")
#: a punctuation mark standing alone
_SPACED_MARK: Final = re.compile(r"[,.;:!?]")
#: an acronym: two to five capitals
_ACRONYM: Final = re.compile(r"[A-ZÅÄÖ]{2,5}")
#: marks that may stand alone inside a damaged address or sentence ("sedin . rn ut@…")
_SENTENCE_MARKS: Final = re.compile(r"[,.;:!?]+")

#: what may stand around an address in a sentence: brackets and quotes before it; brackets,
#: quotes and a mark ending the sentence after it
_ADDRESS_OPEN: Final = "([{<\"'«»“”‘’"
_ADDRESS_CLOSE: Final = ")]}>\"'«»“”‘’.,;:!?"
#: the top-level domains of the addresses Swedish documents give: Nordic, European and
#: generic ones (none is the last part of an abbreviation: "t.ex.", "bl.a.", "o.d.")
_TLDS: Final = ("se", "nu", "com", "org", "net", "eu", "info", "gov", "edu", "int", "io", "dk", "no", "fi", "is",
                "ax", "de", "uk", "fr", "nl", "be", "at", "ch", "es", "it", "pl", "ee", "lv", "lt", "local")
#: a domain name: labels of letters and digits (hyphens inside), one of :data:`_TLDS`
#: ("kommun.se", "polisen.se", "1177.se")
_DOMAIN: Final = r"(?:[^\W_]+(?:-+[^\W_]+)*\.)+(?:" + "|".join(sorted(_TLDS, key=len, reverse=True)) + r")(?![\w-])"
#: the start of a web address or a file path by its own shape: a scheme ("https://",
#: "mailto:"), "www.", a domain followed by a path, port or query ("kommun.se/fält"), a
#: drive letter ("G:\\", "H:/"), a relative or home path ("./", "../", "~/"); a token with
#: "://" or a backslash anywhere ("Länk:https://…", "\\\\server\\delat", "Rapporter\\2019") is
#: one too (see :func:`_address`)
_WEB_OR_PATH: Final = re.compile(
    r"[A-Za-z][A-Za-z0-9+.-]*://|(?i:mailto):|(?i:www)\.|" + _DOMAIN + r"[/:?#]|[A-Za-z]:[\\/]|\.{1,2}/|~/")
#: a domain alone ("faq.se") or an e-mail address ("registrator@kommun.se")
_DOMAIN_OR_MAIL: Final = re.compile(r"(?:[^\W_][\w.+-]*@)?" + _DOMAIN)


def _address(tok: str) -> int:
    """What a token is as an address: 0 none; 1 a web address or a file path by its shape
    (see :data:`_WEB_OR_PATH`); 2 a domain alone or an e-mail address, which OCR damage can
    have cut from the letters before it ("sedin . rn ut@stad.se"); 3 a run of names between
    several slashes ("rapporter/2019/lägesbild.docx", "/home/anna"), which is a path unless
    the slashes are lost "l"s of one word."""
    core = tok.lstrip(_ADDRESS_OPEN).rstrip(_ADDRESS_CLOSE)
    if not core:
        return 0
    if "://" in core or "\\" in core or _WEB_OR_PATH.match(core):
        return 1
    if _DOMAIN_OR_MAIL.fullmatch(core):
        return 2
    if core.count("/") >= 2 and any(ch.isalnum() for ch in core):
        return 3
    return 0


#: a gap of this many spaces or more between two tokens separates a table's columns: a
#: lost letter on either side of it would still leave a run of spaces no text has
_WIDE_GAP: Final = 4
#: longest word made of joined tokens, in tokens and characters
_MAX_SPAN: Final = 5
_MAX_WORD: Final = 48
#: a restored word that the document holds intact elsewhere
_LOG_DOC_VOCAB_BONUS: Final = 2.0
#: a longer join goes on only while the word it begins is at least this probable (log, per
#: letter) under the character model (see _Decoder._plausible_start)
_MIN_START_PER_CHAR: Final = -3.2
#: _Decoder._plausible_start's answers, by "the reading so far\x00the next chunk"
_START_CACHE: dict[str, bool] = {}


class _Decoder:
    """Viterbi over the tokens of one line.

    The best fillings of a word template (fills.py) are cached for the process; the bonus
    for words of the document's own vocabulary is added per document.
    """

    def __init__(self, lex: Lexicon, doc_vocab: frozenset[str], trail_base: int = 0):
        self.lex = lex
        self.doc_vocab = doc_vocab
        #: spaces a line normally ends with in this document (PDF exports: one)
        self.trail_base = trail_base
        #: the text at hand sets punctuation off by a space as a habit ("Lund , Malmö")
        self.spaced_marks = False
        #: when set, every candidate repair with a raw score from this floor is returned,
        #: with that score (to measure the calibration)
        self.candidates_from: float | None = None
        self._wholes: dict[str, bool] = {}
        self.fills: dict[str, Fills] = {}

    # A template is the text of a word candidate in which "\x00" marks a lost-letter slot;
    # "/", "~", "q" and "|" are optional OCR choice points (see fills.py).
    def best_fills(self, template: str) -> Fills:
        """The best fillings of ``template``: (score, text), best first."""
        entry = _FILLS.get(template)
        if entry is not None and entry[1] is None:
            return entry[0]  # it restores no word the document could confirm: shared as is
        found = self.fills.get(template)
        if found is not None:
            return found
        if entry is None:
            if len(_FILLS) >= _FILLS_MAX:
                _FILLS.clear()
                _START_CACHE.clear()
            native = self.lex.native
            entry = native.fills_and_words(template) if native is not None else None
            if entry is None:  # not for the C decoder (not Latin-1, or too long)
                fills = _fills(self.lex, template)
                entry = (fills, _restored_words(template, fills))
            _FILLS[template] = entry
        got, restored = entry
        if restored is not None and self.doc_vocab:
            got = self._doc_bonus(got, restored)
        self.fills[template] = got
        return got

    def _plausible_start(self, prev: str | None, chunk: str) -> bool:
        """Could a word begin like ``prev`` (the best reading of the tokens joined so far)
        + a lost letter + ``chunk``? The character model's mean log probability per letter
        of the beginning, with the best of the lost letters; unknown (``prev`` None) is
        plausible."""
        if prev is None:
            return True
        native = self.lex.native
        if native is not None:
            answer: bool | None = native.plausible_start(prev, chunk)
            if answer is not None:
                return answer
        key = prev + "\x00" + chunk
        got = _START_CACHE.get(key)
        if got is None:
            got = False
            # the word that would begin here: the last run of letters once a lost letter
            # joins the two; found once, since every lost letter is a letter
            joined = prev + "a" + chunk
            slot = len(prev)
            last = None
            for last in _LETTERS.finditer(joined):
                pass
            assert last is not None  # the lost letter itself is a run of letters
            a, b = last.span()
            for ch in _LOWER_PRIOR:
                w = (joined[a:slot] + ch + joined[slot + 1:b] if a <= slot < b else joined[a:b]).lower()
                if len(w) < 6 or self.lex.chars.prefix(w) >= _MIN_START_PER_CHAR * len(w):
                    got = True
                    break
            _START_CACHE[key] = got
        return got

    def _joins_into_word(self, letter: str, following: str) -> bool:
        """Does a lost letter between ``letter`` and the letters ``following`` begins with
        make a known word ("d" + "gar" = "dagar")?"""
        head = _LETTERS.match(following)
        if head is None:
            return False
        return any(self.lex.all_known(letter + ch + head.group()) for ch in _LOWER_PRIOR)

    def _doc_bonus(self, fills: Fills, restored: tuple[tuple[str, ...], ...]) -> Fills:
        """A restored word seen elsewhere in the document is strong evidence."""
        vocab = self.doc_vocab
        for words in restored:
            if words and not vocab.isdisjoint(words):
                break
        else:
            return fills  # the usual case: nothing here is confirmed
        out = [(sc + _LOG_DOC_VOCAB_BONUS if words and not vocab.isdisjoint(words) else sc, text)
               for (sc, text), words in zip(fills, restored)]
        out.sort(key=lambda r: -r[0])
        return tuple(out)

    def _confidence(self, score: float) -> float | None:
        """The confidence a repair with decoder score ``score`` is made with, or None if it
        is not made: its calibrated probability of being right (calibration.py), at least
        MIN_CONFIDENCE; or, when :attr:`candidates_from` is set (to measure the
        calibration), the raw score itself from that floor up."""
        if self.candidates_from is not None:
            return score if score >= self.candidates_from else None
        conf = calibrated(score)
        return round(conf, 4) if conf >= MIN_CONFIDENCE else None

    # -- one line ------------------------------------------------------------------------
    def line(self, line: str, offset: int, rho: float, edits: list[Edit]) -> None:
        """Decode one line (or window of one) starting at ``offset``; add its repairs to
        ``edits``. In C when the C decoder is there, else :meth:`line_in_python`; the two
        make the same repairs (tests/test_decode.py)."""
        start = len(edits)
        self._decode(line, offset, rho, edits)
        # a "/" read as "l" only where that makes a known word ("bes/utat"), not a word of
        # the character model ("tim/mån" is no "timlmån")
        keep = [e for e in edits[start:] if not (e.kind == "ocr_char" and line[e.start - offset] == "/")
                or self._known_around(line, e.start - offset, e.replacement)]
        edits[start:] = keep

    def _slashes_lost_l(self, tok: str) -> bool:
        """Is ``tok`` a known word once each of its slashes is an "l" ("socia/förva/tningen")?"""
        word = _core(tok.replace("/", "l")).casefold()
        return bool(word) and (word in self.lex.logf or self.lex.compound(word) is not None)

    def _known_around(self, line: str, pos: int, letter: str) -> bool:
        a = pos
        while a > 0 and not line[a - 1].isspace():
            a -= 1
        b = pos + 1
        while b < len(line) and not line[b].isspace():
            b += 1
        word = _core(line[a:pos] + letter + line[pos + 1:b]).casefold()
        return word in self.lex.logf or self.lex.compound(word) is not None

    def _decode(self, line: str, offset: int, rho: float, edits: list[Edit]) -> None:
        native = self.lex.native
        if native is not None:
            lr, lnr = math.log(rho), math.log(1.0 - rho)
            tokens = _tokens_at(line)
            flags = self._protected(line, [(a, a + len(t)) for t, a in tokens], [t for t, _ in tokens])
            prot: list[bool] | None = flags if any(flags) else None
            found: list[tuple[int, str, bool, float, float]] = native.decode_line(
                line, lr, lnr, self.trail_base, prot, self.best_fills, self.lex.good, self._plausible_start)
            for line_pos, new, ocr, m_path, m_letter in found:
                conf = self._confidence(_sigmoid(m_path) * _sigmoid(m_letter))
                if conf is not None:
                    edits.append(Edit(offset + line_pos, offset + line_pos + 1, new,
                                      "ocr_char" if ocr else "lost_letter", conf))
            return
        self.line_in_python(line, offset, rho, edits)

    def _protected(self, line: str, chunks: list[tuple[int, int]], texts: list[str]) -> list[bool]:
        """Which chunks stay as they are (no lost letter inside, before or after them, no
        join through them):

        - undotted abbreviations of several tokens ("m fl", "bl a") and a letter after a
          number ("18 a §"); but a letter after a number that a lost letter joins to the
          next token into a word is the start of that word ("9 d gar", "2 k p.");
        - chunks of symbols ("§", "–", "%"), codes that define ("Sv="), web addresses and
          file paths (:func:`_address`); a domain or an e-mail address that opens a
          bracket or a quote or follows a whole word (after a fragment it may be the rest
          of a damaged address);
        - a party after a name ("(M)"), initials and names with a capital inside ("HRy",
          "FoU"), an abbreviation written without dots beside a number ("ons 8 maj") or
          with a slash ("c/o");
        - where the text sets punctuation off by a space as a habit (:attr:`spaced_marks`),
          a whole word beside such a mark ("Ek ," "Datum :", ", men");
        - an acronym with no capitals beside it ("SV:", "LSS");
        - a capital letter standing alone where its neighbours are whole words too, and a
          common word of another language in a phrase of that language ("act locally"):
          beside a fragment either may be what is left of a Swedish word ("S mlok
          liseringen", "Utbildningskostn der")."""
        n = len(chunks)
        prot = [False] * n
        if _undotted_in(line):
            for m in _UNDOTTED.finditer(line):
                for ci, (ca, cb) in enumerate(chunks):
                    if m.start() <= ca < m.end():
                        prot[ci] = not (cb - ca == 1 and ca >= 2 and line[ca - 2].isdigit()
                                        and ci + 1 < n and line[cb:chunks[ci + 1][0]] == " "
                                        and self._joins_into_word(texts[ci], texts[ci + 1]))
        whole = [self._whole(t) for t in texts]
        for ci, t in enumerate(texts):
            if prot[ci]:
                continue
            core = _core(t)
            address = _address(t)
            if (not _LETTERS.search(t) and not _SENTENCE_MARKS.fullmatch(t)) or "=" in t or address == 1:
                prot[ci] = True
            elif address == 2 and (ci == 0 or whole[ci - 1] or t[0] in _ADDRESS_OPEN):
                prot[ci] = True
            elif address == 3 and not self._slashes_lost_l(t):
                prot[ci] = True
            elif _PARTY.fullmatch(t) or _INNER_CAPITAL.fullmatch(core):
                prot[ci] = True
            elif core.casefold() in _abbreviations() and "/" in core:
                prot[ci] = True  # "c/o"
            elif self.spaced_marks and whole[ci] and (
                    (ci + 1 < n and _SPACED_MARK.fullmatch(texts[ci + 1]))
                    or (ci > 0 and _SPACED_MARK.fullmatch(texts[ci - 1]))):
                prot[ci] = True
            elif _ACRONYM.fullmatch(core) and not any(
                    _core(texts[k]).isupper() for k in (ci - 1, ci + 1) if 0 <= k < n):
                prot[ci] = True  # "SV:", "LSS"; beside capitals it may be a damaged word's part ("B LAGOR")
            elif len(core) == 1 and core.isupper():
                # beside an upper-case word it may be what is left of one ("B LAGOR")
                near = [texts[k] for k in (ci - 1, ci + 1) if 0 <= k < n]
                prot[ci] = all(whole[k] for k in (ci - 1, ci + 1) if 0 <= k < n) and not any(
                    len(_core(w)) > 1 and _core(w).isupper() for w in near)
            elif core.casefold() in _abbreviations() and any(
                    _DIGIT.search(texts[k]) for k in (ci - 1, ci + 1) if 0 <= k < n):
                prot[ci] = True  # "ons 8 maj", "kl 18", "nr 412": an abbreviation beside a number
            elif foreign_word(core):
                # in a phrase of that language ("act locally"): another common word of it
                # near, the words around not Swedish ("tre da ar"), none a fragment
                near = texts[max(0, ci - 2):ci + 3]
                prot[ci] = (all(whole[k] for k in (ci - 1, ci + 1) if 0 <= k < n)
                            and sum(foreign_word(_core(w)) for w in near) >= 2
                            and foreign_phrase(" ".join(near)))
        return prot

    def _whole(self, tok: str) -> bool:
        """Is a token a whole word as it stands: a known word (of Swedish or of another
        language), an abbreviation, a number, a single capital, punctuation, or a name of
        four letters or more? (Remembered for the document.)"""
        known = self._wholes.get(tok)
        if known is None:
            known = self._wholes[tok] = self._is_whole(tok)
        return known

    def _is_whole(self, tok: str) -> bool:
        core = _core(tok)
        if not core or not _LETTERS.search(core) or any(ch.isdigit() for ch in core):
            return True
        lo = core.casefold()
        if lo in _abbreviations():
            return True
        if "@" in core and core[:1].isalpha():
            return True  # an e-mail address
        if "’" in core or "'" in core:  # "qu’on", "child’s": each part a word of its own
            return all(self._whole(part) for part in re.split(r"[’']", core) if part)
        if len(core) <= 3:  # wordfreq's lists hold the debris of damage ("tt", "s"): the checked short words
            return (core.isupper() if len(core) == 1 else False) or _short_word(core) or foreign_word(core)
        return (lo in self.lex.logf or (core[0].isupper() and core[1:].islower())
                or _complete(core) or known_elsewhere(core))

    def line_in_python(self, line: str, offset: int, rho: float, edits: list[Edit]) -> None:
        """:meth:`line` in Python: the reference the C decoder follows."""
        chunks = [(m.start(), m.end()) for m in _CHUNK.finditer(line)]
        n = len(chunks)
        if n == 0:
            return
        lr, lnr = math.log(rho), math.log(1.0 - rho)
        gaps = [line[:chunks[0][0]]]
        gaps += [line[chunks[k - 1][1]:chunks[k][0]] for k in range(1, n)]
        gaps.append(line[chunks[-1][1]:])
        soft = [g != "" and g.strip(" ") == "" for g in gaps]
        texts = [line[a:b] for a, b in chunks]
        good = [self.lex.good(t) for t in texts]
        prot = self._protected(line, chunks, texts)

        # gap options: (s, p, cost); s = the gap's first space is the previous word's lost
        # last letter, p = its last space is the next word's lost first letter
        def options(k: int) -> list[tuple[int, int, float]]:
            g = gaps[k]
            L = len(g)
            if k == 0:
                if not soft[0]:
                    return [(0, 0, 0.0)]
                return [(0, 0, L * lnr), (0, 1, lr + (L - 1) * lnr)]
            if k == n:
                if not soft[n]:
                    return [(0, 0, 0.0)]
                tb = self.trail_base
                # lines that normally end in one space make a second one a sign of damage
                extra = _LOG_EXTRA_SPACE if tb else _LOG_EXTRA_TRAIL
                out = [(0, 0, L * lnr + max(0, L - tb) * extra)]
                if L > tb:
                    out.append((1, 0, lr + (L - 1) * lnr + max(0, L - 1 - tb) * extra))
                return out
            if not soft[k]:
                return [(0, 0, 0.0)]
            if L >= _WIDE_GAP:  # a table's columns: no lost letter
                return [(0, 0, L * lnr + (L - 1) * _LOG_EXTRA_SPACE)]
            out = []
            for s in (0, 1):
                for p in (0, 1):
                    m = L - s - p
                    if m < 1:
                        continue
                    out.append((s, p, (s + p) * lr + m * lnr + (m - 1) * _LOG_EXTRA_SPACE))
            return out

        single = [(0, 0, lnr)]  # a single space between two tokens: always a real space
        gap_opts = [single if gaps[k] == " " and 0 < k < n else options(k) for k in range(n + 1)]
        # each gap's options by their s (first space is the previous word's lost letter)
        by_first: list[dict[int, list[tuple[int, int, float]]]] = []
        for g in gap_opts:
            d: dict[int, list[tuple[int, int, float]]] = {}
            for o in g:
                d.setdefault(o[0], []).append(o)
            by_first.append(dict(sorted(d.items())))
        # alpha[k][2 * s + p]: best score of the line up to the start of the word at chunk
        # k, the gap before it split as (s, p) (an int key: no tuple per lookup)
        alpha: list[dict[int, float]] = [dict() for _ in range(n + 1)]
        back: list[dict[int, tuple[int, int, str] | None]] = [dict() for _ in range(n + 1)]
        for s, p, c in gap_opts[0]:
            alpha[0][2 * s + p] = c
            back[0][2 * s + p] = None
        # word edges from chunk k: (p, [(j, s, score, template), ...])
        edges_at: list[list[tuple[int, list[tuple[int, int, float, str]]]]] = [[] for _ in range(n + 1)]
        for k in range(n):
            alpha_k = alpha[k]
            if not alpha_k:
                continue
            best_in: dict[int, float] = {}
            for sp, sc in alpha_k.items():
                p0 = sp & 1
                if sc > best_in.get(p0, _NEG):
                    best_in[p0] = sc
            last_j = min(n, k + _MAX_SPAN)
            for p0, sc_in in best_in.items():
                if prot[k] and p0:
                    continue
                elist: list[tuple[int, int, float, str]] = []
                edges_at[k].append((p0, elist))
                lead = "\x00" if p0 else ""
                body = texts[k]
                joins = 0
                prev_fill = None
                for j in range(k + 1, last_j + 1):
                    if j > k + 1:
                        if gaps[j - 1] != " " or prot[j - 2] or prot[j - 1]:
                            break
                        if j > k + 2 and good[j - 2] and good[j - 1]:
                            break  # a long join runs through fragments, not whole words
                        if joins and not self._plausible_start(prev_fill, texts[j - 1]):
                            break  # no word begins like this: longer joins are hopeless
                        body = body + "\x00" + texts[j - 1]
                        joins += 1
                        if len(body) > _MAX_WORD:
                            break
                    prev_fill = None
                    alpha_j, back_j = alpha[j], back[j]
                    for s1, opts in by_first[j].items():
                        if s1:
                            if prot[j - 1]:
                                continue
                            template = lead + body + "\x00"
                        else:
                            template = lead + body
                        fills: Fills | None
                        if prot[k] and j == k + 1:
                            fills = ((self.lex.LOG_ABBREVIATION, template),)
                        else:
                            fills = self.best_fills(template)
                        if not fills:
                            continue
                        if not s1:
                            prev_fill = fills[0][1]
                        wsc = fills[0][0] + joins * lr
                        elist.append((j, s1, wsc, template))
                        base = sc_in + wsc
                        for s, p, c in opts:
                            tot = base + c
                            sp = 2 * s + p
                            if tot > alpha_j.get(sp, _NEG):
                                alpha_j[sp] = tot
                                back_j[sp] = (k, p0, template)
        if not alpha[n]:
            return
        total = max(alpha[n].values())
        # follow the back pointers
        state = max(alpha[n], key=lambda sp: alpha[n][sp])
        j = n
        words = []
        while j > 0:
            s, p = state >> 1, state & 1
            link = back[j][state]
            assert link is not None  # only alpha[0] has no back pointer, and j > 0 here
            k, p0, template = link
            words.append((k, j, p0, s, template))
            # the state we came from: best alpha[k] with p == p0
            cand = [(sp, v) for sp, v in alpha[k].items() if sp & 1 == p0]
            state = max(cand, key=lambda x: x[1])[0]
            j = k
        words.reverse()
        if all(self.best_fills(w[4])[0][1] == w[4] for w in words):
            return  # the best reading changes nothing: no margins needed
        # backward scores beta[k][p]: best completion from the start of the word at chunk k
        beta: list[dict[int, float]] = [dict() for _ in range(n + 1)]
        for s, p, c in gap_opts[n]:
            beta[n][p] = 0.0
        for k in range(n - 1, -1, -1):
            for p0, elist in edges_at[k]:
                best = _NEG
                for j, s1, wsc, _t in elist:
                    beta_j = beta[j]
                    for s, p, c in by_first[j][s1]:
                        b = beta_j.get(p)
                        if b is not None:
                            v = wsc + c + b
                            if v > best:
                                best = v
                if best > _NEG:
                    beta[k][p0] = best

        def through(g: int, cond: Callable[[int, int], bool]) -> float:
            """Best total of a line reading in which gap g is a boundary meeting ``cond``."""
            best = _NEG
            for sp, a in alpha[g].items():
                s, p = sp >> 1, sp & 1
                if cond(s, p) and p in beta[g]:
                    best = max(best, a + beta[g][p])
            return best

        for k, j, p0, s1, template in words:
            if prot[k] and j == k + 1:
                continue  # a protected chunk standing alone is kept as it is
            fills = self.best_fills(template)
            best_score, best_text = fills[0]
            if best_text == template:
                continue
            # map template positions to line offsets
            positions = []
            pos_in_line = chunks[k][0] - (1 if p0 else 0)
            for t_i, ch in enumerate(template):
                positions.append(pos_in_line + t_i)
            # note: template characters map one-to-one onto line characters, since every
            # slot stands for exactly one space and joins are single spaces
            for t_i, (orig, new) in enumerate(zip(template, best_text)):
                if orig == new:
                    continue
                # margin of the word reading against the next best filling that differs here
                alt = _NEG
                for sc, txt in fills[1:]:
                    if txt[t_i] != new:
                        alt = sc
                        break
                if alt == _NEG and len(fills) > 1:
                    alt = fills[-1][0]
                m_letter = best_score - alt if alt > _NEG else 20.0
                if orig == "\x00":
                    line_pos = positions[t_i]
                    # which gap holds this space, and what reading leaves it a real space
                    if t_i == 0 and p0:
                        m_path = total - through(k, lambda s, p: p == 0)
                    elif t_i == len(template) - 1 and s1:
                        if j == n:
                            alt_total = max((v for sp, v in alpha[n].items() if sp >> 1 == 0), default=_NEG)
                        else:
                            alt_total = through(j, lambda s, p: s == 0)
                        m_path = total - alt_total
                    else:
                        # a join between two tokens: the reading with a boundary there
                        gap = _gap_index(chunks, line_pos)
                        m_path = total - through(gap, lambda s, p: True)
                    kind = "lost_letter"
                else:
                    line_pos = positions[t_i]
                    m_path = 50.0  # the character is there either way; only its reading counts
                    kind = "ocr_char"
                conf = self._confidence(_sigmoid(m_path) * _sigmoid(m_letter))
                if conf is not None:
                    edits.append(Edit(offset + line_pos, offset + line_pos + 1, new, kind, conf))


def _gap_index(chunks: list[tuple[int, int]], pos: int) -> int:
    """The gap (1..n-1) that holds line position ``pos``."""
    lo, hi = 0, len(chunks) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if chunks[mid][1] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-min(x, 50.0)))
    e = math.exp(max(x, -50.0))
    return e / (1.0 + e)

