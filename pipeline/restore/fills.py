r"""Filling a word template: the best readings of one word candidate.

A template is the text of a word candidate in which "\x00" marks a lost-letter slot; "/",
"~", "q" and "|" are optional OCR choice points. :func:`_fills` tries the letters the damage
model allows at each point (priors.py), pruned by the character model where the word is
a fragment, and scores each filling with the lexicon: joining two tokens that are words
on their own must make a known word. This is the Python reference of the C decoder's
filling (pipeline/_decode.c). The fillings are cached for the process in :data:`_FILLS`
by the decoder (decoder.py), which adds the document's own vocabulary.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Final

from .priors import _LOWER_OPTIONS, _OCR_OPTIONS, _UPPER_OPTIONS
from .tokens import _DIGIT, _LETTERS, _is_letter
from .words import _NEG, Lexicon

#: at a lost-letter slot, a letter the character model finds this much (log) less likely
#: than the best one is dropped (see _prune)
_PRUNE_MARGIN: Final = 4.0
#: a template with more fillings than this tries only those with at most two points away
#: from their first option (see _few_deviations): 64 gave the same repairs and
#: confidences on 004 and 36 simulated texts, with 6 % more candidate words to score
_ALL_COMBINATIONS: Final = 16
_SPLIT_TEMPLATE: Final = re.compile("\x00")
_OCR_CHARS: Final = re.compile("[/~q|]")
_CHOICE_POINT: Final = re.compile("[\x00/~q|]")
#: a run of letters and lost-letter slots in a template
_RUN: Final = re.compile("(?:[^\\W\\d_]|\x00)+")
#: punctuation that, standing alone, is itself a sign of damage ("Lund ," = "Lunda,")
_STRAY: Final = frozenset({",", ".", ";", ":"})

#: a template's best fillings, (score, text), best first
Fills = tuple[tuple[float, str], ...]
#: a template's choice points: (position, the options there: (character, log prior), ...)
ChoicePoints = list[tuple[int, Sequence[tuple[str, float]]]]
#: template -> (its best fillings, the words each filling restores; see _restored_words)
_FILLS: dict[str, tuple[Fills, tuple[tuple[str, ...], ...] | None]] = {}
#: _prune's answers, by the letters around the slot
_PRUNE_CACHE: dict[str, tuple[tuple[str, float], ...]] = {}
#: size at which _FILLS is emptied (see _Decoder.best_fills)
_FILLS_MAX: Final = 400_000


def _restored_words(template: str, fills: Fills) -> tuple[tuple[str, ...], ...] | None:
    """For each filling, the words of 4+ letters that the filling makes and the template
    does not hold as they stand (lowercased): the words the document's own vocabulary can
    confirm. None when no filling makes one.

    Such a word holds a character the filling changed (a run of letters without one is a
    run of the template too), so only the runs around changed characters are read."""
    if not fills or (len(fills) == 1 and fills[0][1] == template):
        return None
    before: set[str] | None = None
    out: list[tuple[str, ...]] = []
    found = False
    n = len(template)
    for _, text in fills:
        words: list[str] = []
        i = 0
        while i < n:
            if text[i] == template[i] or not _is_letter(text[i]):
                i += 1
                continue
            a, b = i, i + 1
            while a > 0 and _is_letter(text[a - 1]):
                a -= 1
            while b < n and _is_letter(text[b]):
                b += 1
            i = b
            if b - a < 4:
                continue
            if before is None:
                before = set(_LETTERS.findall(template))
            w = text[a:b]
            if w not in before:
                words.append(w.lower())
        if words:
            found = True
        out.append(tuple(words))
    return tuple(out) if found else None


def _choices(template: str) -> ChoicePoints | None:
    """The choice points of ``template``: (position, [(character, log prior), ...]);
    None when the template cannot be a word (a lost letter beside a digit, ...)."""
    has_slot = "\x00" in template
    if has_slot and _DIGIT.search(template):
        return None  # codes and numbers ("9V", "A-4") take no lost letters
    if not has_slot and not _OCR_CHARS.search(template):
        return []
    points: ChoicePoints = []
    n = len(template)
    for m in _CHOICE_POINT.finditer(template):
        i = m.start()
        ch = template[i]
        left = template[i - 1] if i > 0 else ""
        right = template[i + 1] if i + 1 < n else ""
        if ch == "\x00":
            la, ra = left.isalpha(), right.isalpha()
            if left.isdigit() or right.isdigit() or not (la or ra):
                return None
            if ra and not la:  # word start
                nxt = template[i + 2] if i + 2 < n else ""
                if right.isupper():
                    if nxt.isalpha() and nxt.isupper():
                        opts = _UPPER_OPTIONS
                    else:
                        return None  # never "aNästa"
                else:
                    opts = _LOWER_OPTIONS
            elif la and not ra:  # word end
                prev = template[i - 2] if i >= 2 else ""
                opts = (_UPPER_OPTIONS if left.isupper() and (not prev.isalpha() or prev.isupper())
                        else _LOWER_OPTIONS)
            else:
                if left.islower() and right.isupper():
                    return None  # never "avaSiS"
                opts = _UPPER_OPTIONS if left.isupper() and right.isupper() else _LOWER_OPTIONS
            points.append((i, opts))
            continue
        if ch == "q":
            if not (left.isalpha() and left.islower()) or right in ("u", "v"):
                continue
        elif ch == "/":
            # "/okal…" at a word start, or "Socia/tjänst…" between lowercase letters
            if not (right.isalpha() and right.islower()):
                continue
            if left and not (left.isalpha() and left.islower()) and left not in "\x00":
                continue
        elif not (left.isalpha() or right.isalpha()):
            continue
        points.append((i, _OCR_OPTIONS[ch]))
    return points


def _fills(lex: Lexicon, template: str) -> Fills:
    """The best fillings of ``template``, best first. _Decoder.best_fills (decoder.py)
    uses _decode.c's copy when it can; the two give the same fillings and scores
    (tests/test_decode.py). Tuples, not lists: the process-wide cache holds hundreds of
    thousands of them, and tuples of strings and numbers are left out of the garbage
    collector's walks."""
    points = _choices(template)
    if points is None:
        return ()
    if not points:
        return ((lex.token(template), template),)
    # Which chunks stand as proper words on their own? Joining or extending only such
    # chunks must give a known word; fragments may become anything plausible.
    # (a stray "," or "." standing alone is itself a sign of damage: "Lund ," = "Lunda,")
    known_only = all(lex.good(c) and c not in _STRAY
                     for c in _SPLIT_TEMPLATE.split(template) if c)
    options = points if known_only else _prune(lex, template, points)
    base = list(template)
    results: list[tuple[float, str]] = []
    positions = [pos for pos, _ in options]
    opt_lists = [opts for _, opts in options]
    full = 1
    for opts in opt_lists:
        full *= len(opts)
    # A lost letter joining two words that stand on their own must make a known word
    # (see _joins_ok). Where no other choice point shares the run of letters, both
    # sides are the same in every filling: decide them once, and what is left to check
    # per filling is whether the whole run is a known word.
    joins: list[tuple[int, int, int]] = []  # (slot, run start, run end), checked per filling
    whole_known: list[tuple[int, int]] = []  # runs that must be known words
    last = len(template) - 1
    inner = [pos for pos, _ in points if template[pos] == "\x00" and 0 < pos < last]
    if inner and not known_only:
        point_at = [pos for pos, _ in points]
        for m in _RUN.finditer(template):
            a, b = m.span()
            here = [pos for pos in inner if a < pos < b]
            if not here:
                continue
            shared = sum(1 for pos in point_at if a <= pos < b) > 1
            for pos in here:
                if shared:
                    joins.append((pos, a, b))
                elif (pos - a >= 2 and b - pos >= 3 and lex.all_known(template[a:pos])
                      and lex.all_known(template[pos + 1:b])):
                    if (a, b) not in whole_known:
                        whole_known.append((a, b))
    combos: Iterable[Sequence[tuple[str, float]]]
    # the candidate fillings: (prior, text)
    candidates: list[tuple[float, str]]
    if len(options) == 1:  # the common case, without the general machinery
        pos = positions[0]
        head, tail = template[:pos], template[pos + 1:]
        candidates = [(0.0 + lp, head + ch + tail) for ch, lp in opt_lists[0]]
    else:
        if full <= _ALL_COMBINATIONS:
            # every combination, the first point varying fastest; picks come reversed,
            # and the prior is summed in point order
            combos = itertools.product(*reversed(opt_lists))
        else:
            # at most two points away from their first option (a lost letter's
            # likeliest letter in its context, once pruned): a word that needs three
            # less likely letters at once is not the reading to find
            combos = ([opt_lists[i][c] for i, c in enumerate(combo)][::-1]
                      for combo in _few_deviations([len(o) for o in opt_lists], 2))
        candidates = []
        for picks in combos:
            prior = 0.0
            for pos, (ch, lp) in zip(positions, reversed(picks)):
                base[pos] = ch
                prior += lp
            candidates.append((prior, "".join(base)))
    for prior, text in candidates:
        if text != template:
            if known_only:
                if not lex.all_known(text):
                    continue
            else:
                if whole_known and not all(lex.all_known(text[a:b]) for a, b in whole_known):
                    continue
                if joins and not _joins_ok(lex, text, joins):
                    continue
        results.append((lex.token(text) + prior, text))
    results.sort(key=lambda r: -r[0])
    return tuple(results[:6])


def _joins_ok(lex: Lexicon, text: str, joins: list[tuple[int, int, int]]) -> bool:
    """A lost letter joining two words that stand on their own must make a known word.

    ("Huvudsaklig resurs" is never "huvudsakligaresurs"; "samverkans rbetet" may
    well be "samverkansarbetet", since "rbetet" is no word.) ``joins`` holds each
    join's position and the bounds of the run of letters around it."""
    known = lex.all_known
    for pos, a, b in joins:
        if (pos - a >= 2 and b - pos >= 3 and known(text[a:pos])
                and known(text[pos + 1:b]) and not known(text[a:b])):
            return False
    return True


def _prune(lex: Lexicon, template: str, points: ChoicePoints) -> ChoicePoints:
    """Keep, at each choice point, the options the character model finds plausible
    in the three letters either side (cached by that context)."""
    default = list(template)
    for pos, opts in points:
        default[pos] = opts[0][0]
    out = []
    cache = _PRUNE_CACHE
    dtext = "".join(default)
    # every choice point holds a letter in the default reading: find its run of letters
    runs = [m.span() for m in _LETTERS.finditer(dtext)]
    r = 0
    for pos, opts in points:
        # an OCR character ("~", "/") has two readings, the character or what it stands
        # for; the letters around it say too little to drop either
        if len(opts) == 1 or template[pos] != "\x00":
            out.append((pos, opts))
            continue
        while runs[r][1] <= pos:
            r += 1
        run_a, run_b = runs[r]
        # the context: up to three letters either side, "^"/"$" where the word ends
        a = max(run_a, pos - 3)
        b = min(run_b, pos + 4)
        left = dtext[a:pos].lower()
        right = dtext[pos + 1:b].lower()
        if a == run_a:
            left = "^^^^" + left
        if b == run_b:
            right += "$"
        key = f"{left}{template[pos]}{opts[0][0]}{right}"
        keep = cache.get(key)
        if keep is None:
            scored = []
            chars = lex.chars
            steps, nexts, width = chars.steps, chars.nexts, chars.width
            after_left = chars.state(left)
            # log probabilities are at most 0: an option whose running score already
            # trails the best so far by the margin is dropped without the rest
            best_so_far = _NEG
            for ch, lp in opts:
                if ch.isalpha():
                    sc = 0.0
                    floor = best_so_far - _PRUNE_MARGIN
                    state = after_left
                    for c in ch.lower() + right:
                        i = state * width + chars.code(c)
                        sc += steps[i]
                        state = nexts[i]
                        if lp + sc < floor:
                            break
                    if lp + sc < floor:
                        continue
                else:  # an OCR character kept ("/"): the word ends and another starts
                    word_start = right.rstrip("$")
                    sc = chars.end_after(left) + (chars.prefix(word_start) if word_start else 0.0)
                scored.append((lp + sc, ch, lp))
                if lp + sc > best_so_far:
                    best_so_far = lp + sc
            best = max(sc for sc, _, _ in scored)
            kept = [(ch, lp) for sc, ch, lp in sorted(scored, reverse=True)
                    if sc >= best - _PRUNE_MARGIN]
            # the original character of an OCR point always stays a possibility
            if template[pos] != "\x00" and all(ch != template[pos] for ch, _ in kept):
                kept.append(next(o for o in opts if o[0] == template[pos]))
            if len(cache) > 200_000:
                cache.clear()
            keep = cache[key] = tuple(kept)  # a tuple: see _fills
        out.append((pos, keep))
    return out


def _few_deviations(sizes: list[int], max_dev: int) -> Iterator[tuple[int, ...]]:
    """Assignments with at most ``max_dev`` positions away from option 0."""
    k = len(sizes)
    yield (0,) * k
    for a in range(k):
        for ia in range(1, sizes[a]):
            c = [0] * k
            c[a] = ia
            yield tuple(c)
            if max_dev >= 2:
                for b in range(a + 1, k):
                    for ib in range(1, sizes[b]):
                        c2 = list(c)
                        c2[b] = ib
                        yield tuple(c2)
