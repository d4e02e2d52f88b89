"""The character model: a 5-gram model of Swedish words, trained on wordfreq's vocabulary
(interpolated absolute discounting), and run as an automaton.

It scores what no word list knows: names, rare words, the fragments damage leaves. The
lexicon (words.py) trains it once per machine and keeps it in its disk cache; the
decoder asks it about word beginnings and the letters around a lost one.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from typing import Final

#: the model's n, and its absolute discount
ORDER: Final = 5
DISCOUNT: Final = 0.75
#: a character the model never saw, in any context
_LOG_UNSEEN_CHAR: Final = math.log(1e-6)


class CharModel:
    """The 5-gram model as an automaton: a state is the longest context the model knows
    of what has been read; a step reads one character, adds its log probability (backed
    off as the model says) and moves to the next state. Two flat arrays, state * width +
    character code, replace looking up substrings in a dict of n-grams: in a dict of that
    size nearly every lookup was a cache miss, and the substrings had to be made and
    hashed first. Built from :func:`_automaton`'s output."""

    def __init__(self, symbols: str, steps: bytes, nexts: bytes, start: int) -> None:
        self.steps = array("d")
        self.steps.frombytes(steps)
        self.nexts = array("i")
        self.nexts.frombytes(nexts)
        #: codes: 0 .. len(symbols) - 1 the model's characters, len(symbols) any other
        self.width = len(symbols) + 1
        other = len(symbols)
        self.codes: list[int] = [other] * 256
        self.wide: dict[str, int] = {}
        for code, ch in enumerate(symbols):
            if ord(ch) < 256:
                self.codes[ord(ch)] = code
            else:
                self.wide[ch] = code
        self.other = other
        self.end = symbols.index("$")
        #: the state at a word's start ("^^^^" read)
        self.start = start

    def code(self, ch: str) -> int:
        o = ord(ch)
        return self.codes[o] if o < 256 else self.wide.get(ch, self.other)

    def state(self, context: str) -> int:
        """The state after reading ``context`` from no context at all."""
        state = 0
        nexts, width = self.nexts, self.width
        for ch in context:
            state = nexts[state * width + self.code(ch)]
        return state

    def read(self, state: int, text: str, lp: float) -> tuple[float, int]:
        """``lp`` plus log P(``text`` | ``state``), and the state after it."""
        steps, nexts, width, codes = self.steps, self.nexts, self.width, self.codes
        for ch in text:
            o = ord(ch)
            i = state * width + (codes[o] if o < 256 else self.wide.get(ch, self.other))
            lp += steps[i]
            state = nexts[i]
        return lp, state

    def ngram(self, w: str) -> float:
        """log P(w) under the character model (lowercase letters, with word end)."""
        lp, state = self.read(self.start, w, 0.0)
        return lp + self.steps[state * self.width + self.end]

    def prefix(self, w: str) -> float:
        """log P of the first characters of a word being ``w`` (no word end)."""
        return self.read(self.start, w, 0.0)[0]

    def end_after(self, context: str) -> float:
        """log P that a word ends after ``context`` ("^^^^" padded at a word start)."""
        return self.steps[self.state(context) * self.width + self.end]


def _train_ngrams(words: list[str], order: int,
                  discount: float) -> tuple[dict[str, float], dict[str, float]]:
    """Interpolated absolute discounting, stored as backoff tables (ARPA style)."""
    counts: list[Counter[str]] = [Counter() for _ in range(order + 1)]
    pad = "^" * (order - 1)
    for w in words:
        s = pad + w + "$"
        for n in range(1, order + 1):
            grams = counts[n]
            for i in range(order - n, len(s) - n + 1):
                grams[s[i:i + n]] += 1
    # context totals and number of distinct followers
    ctx_total: list[Counter[str]] = [Counter() for _ in range(order + 1)]
    ctx_types: list[Counter[str]] = [Counter() for _ in range(order + 1)]
    for n in range(1, order + 1):
        for g, c in counts[n].items():
            ctx_total[n][g[:-1]] += c
            ctx_types[n][g[:-1]] += 1
    table: dict[str, float] = {}
    backoff: dict[str, float] = {}
    prob: dict[str, float] = {}
    total1 = sum(counts[1].values())
    vocab = len(counts[1]) + 1
    for g, c in counts[1].items():
        prob[g] = (c + 0.5) / (total1 + 0.5 * vocab)
    for n in range(2, order + 1):
        for h, tot in ctx_total[n].items():
            backoff[h] = math.log(discount * ctx_types[n][h] / tot)
        for g, c in counts[n].items():
            h = g[:-1]
            lower = prob.get(g[1:])
            if lower is None:  # unseen lower order cannot happen for a seen higher one
                lower = 1e-6
            prob[g] = (c - discount) / ctx_total[n][h] + math.exp(backoff[h]) * lower
    for g, p in prob.items():
        table[g] = math.log(p)
    return table, backoff


def _automaton(table: dict[str, float], backoff: dict[str, float]) -> tuple[str, bytes, bytes, int]:
    """The back-off model of ``table`` and ``backoff`` as an automaton (see
    :class:`CharModel`): (its characters, the step log probabilities and next
    states as bytes of ``array("d")`` and ``array("i")``, the start state).

    States are the contexts the model knows, the empty one first (state 0). From context
    ``h``, character ``c`` costs ``table[h + c]`` if the model holds it, else the back-off
    weights of ``h``, ``h[1:]``, ... summed in that order until a shorter context holds it
    (the same sums, in the same order, as reading the table directly), or an unseen
    character's floor. The next state is the longest known context that ends the text read
    so far: a suffix of ``h + c``, since every suffix of a known context is known."""
    import numpy as np  # spaCy's dependency; only for building, once per machine

    contexts = [""] + sorted(backoff, key=lambda h: (len(h), h))
    state_of = {h: i for i, h in enumerate(contexts)}
    symbols = "".join(sorted({ch for g in table for ch in g}))
    width = len(symbols) + 1
    code = {ch: i for i, ch in enumerate(symbols)}
    grouped: dict[str, tuple[list[int], list[float]]] = {}
    for g, lp in table.items():
        codes, values = grouped.setdefault(g[:-1], ([], []))
        codes.append(code[g[-1]])
        values.append(lp)
    children = {h: (np.array(c, dtype=np.intp), np.array(v, dtype=np.float64)) for h, (c, v) in grouped.items()}
    steps = np.empty((len(contexts), width), dtype=np.float64)
    nexts = np.zeros((len(contexts), width), dtype=np.int32)
    longest = max(len(h) for h in contexts)
    #: context -> (code, state) of each known context one character longer
    extended: dict[str, list[tuple[int, int]]] = {}
    for g in contexts[1:]:
        extended.setdefault(g[:-1], []).append((code[g[-1]], state_of[g]))
    for s, h in enumerate(contexts):
        # the back-off sums before each shorter context, added in the reading order
        levels = [h]
        sums = [0.0]
        bo = 0.0
        ctx = h
        while ctx:
            bo += backoff.get(ctx, 0.0)
            ctx = ctx[1:]
            levels.append(ctx)
            sums.append(bo)
        row = steps[s]
        row[:] = bo + _LOG_UNSEEN_CHAR
        # shortest context first, so the longest one that holds a character has the last word
        for ctx, bo in zip(reversed(levels), reversed(sums)):
            got = children.get(ctx)
            if got is not None:
                row[got[0]] = got[1] + bo if ctx != h else got[1]
        # the next state: what the state of h[1:] moves to, unless h + c is itself a known
        # context (never for the longest contexts: h[1:] + c is what follows them)
        if h:
            nexts[s] = nexts[state_of[h[1:]]]
        for c, longer in extended.get(h, ()):
            nexts[s, c] = longer
        # an unknown character (the last code) leads to state 0, as from state 0 itself:
        # no context holds it, so nothing read counts
    start = state_of["^" * longest]
    return symbols, steps.tobytes(), nexts.tobytes(), start
