"""Loading of the data files in ``pipeline/data`` (gazetteers, law registry, vocabularies).

Rules are data: a user extends a file, not the code. Each loader is cached; set the
environment variable ``NAMND_DATA`` to a folder to override files of the same name.
"""

from __future__ import annotations

import csv
import gc
import json
import marshal
import math
import os
from array import array
from bisect import bisect_left
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator, Optional, TypeVar

T = TypeVar("T")

DATA_DIR = Path(__file__).with_name("data")


def data_path(name: str) -> Path:
    override = os.environ.get("NAMND_DATA")
    if override and (Path(override) / name).exists():
        return Path(override) / name
    return DATA_DIR / name


@lru_cache(maxsize=None)
def load_json(name: str) -> dict:
    with data_path(name).open(encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=None)
def load_tsv(name: str) -> tuple[dict, ...]:
    with data_path(name).open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if any((v or "").strip() for v in r.values())]
    return tuple(rows)


@lru_cache(maxsize=1)
def swedish_word_frequencies() -> dict[str, float]:
    """wordfreq's Swedish word list ("large"), loaded once per process for every stage
    that needs it as a dict (the lost-letter restorer builds its tables from it), from
    the disk cache when it is there: importing wordfreq and reading its list takes about
    0.3 s. Raises ImportError when wordfreq is not installed."""
    version = package_version("wordfreq")
    if version is None:
        raise ImportError("wordfreq is not installed")

    def build() -> dict[str, float]:
        from wordfreq import get_frequency_dict

        return get_frequency_dict("sv", "large")

    return cached_marshal(f"wordfreq-sv-large-{version}.marshal", build, lambda v: isinstance(v, dict))


class WordList:
    """Words in sorted order, each with its number, found by bisection: a list and an array
    load in well under half the time of a dict of as many entries, which hashes every word."""

    def __init__(self, words: list[str], numbers: array):
        if len(words) != len(numbers):
            raise ValueError("a number for each word")
        self._words = words
        self._numbers = numbers

    def get(self, word: str) -> Optional[float]:
        i = bisect_left(self._words, word)
        return self._numbers[i] if i < len(self._words) and self._words[i] == word else None

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None


@lru_cache(maxsize=1)
def swedish_words() -> WordList:
    """The words and frequencies of :func:`swedish_word_frequencies` as a :class:`WordList`,
    from the disk cache when it is there: what the PDF hyphen decision and the place
    finders ask (is it a word, how frequent), loaded in under half the dict's time.
    Raises ImportError when wordfreq is not installed."""
    version = package_version("wordfreq")
    if version is None:
        raise ImportError("wordfreq is not installed")

    def build() -> tuple[str, bytes]:
        frequencies = swedish_word_frequencies()
        # one word a line (a word holding a line break is never asked about)
        words = sorted(w for w in frequencies if "\n" not in w)
        return "\n".join(words), array("d", (frequencies[w] for w in words)).tobytes()

    def valid(value: object) -> bool:
        return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str)
                and isinstance(value[1], bytes) and (value[0].count("\n") + 1) * 8 == len(value[1]))

    words, numbers = cached_marshal(f"wordfreq-sv-large-{version}.sorted.marshal", build, valid)
    frequencies = array("d")
    frequencies.frombytes(numbers)
    return WordList(words.split("\n"), frequencies)


def swedish_zipf(word: str) -> Optional[float]:
    """``word``'s frequency in wordfreq's Swedish list on the Zipf scale (log10 of uses per
    billion words; 0 when the list has not got it), or None when wordfreq is not installed."""
    try:
        frequencies = swedish_words()
    except ImportError:
        return None
    f = frequencies.get(word.casefold())
    return math.log10(f) + 9 if f else 0.0


def package_version(name: str) -> Optional[str]:
    """The installed version of package ``name`` (None when it is not installed): disk
    cache keys name the versions of what their values were made from."""
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def cache_dir() -> Path:
    """Where derived data is cached on disk (wordfreq's list, the restorer's lexicon
    tables, the lemma table): $NAMND_CACHE, else $XDG_CACHE_HOME/namnd, else ~/.cache/namnd."""
    env = os.environ.get("NAMND_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "namnd"


def cached_marshal(key: str, build: Callable[[], T], valid: Optional[Callable[[object], bool]] = None) -> T:
    """``build()``'s value, kept in the disk cache under ``key`` (marshal: plain dicts,
    tuples, lists, strings, bytes and numbers only). The key must name everything the
    value depends on (package versions). A cached value that ``valid`` refuses (a file of
    another layout under the same key) is built again and replaced; a missing, unreadable
    or unwritable cache only costs a rebuild."""
    path = cache_dir() / key
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        # loads() on the bytes: load() on the file reads it in small pieces, 5x slower.
        # What marshal builds holds no reference cycles: the collector's passes during the
        # load (set off by the thousands of dicts it makes) would find nothing
        with gc_paused():
            cached = marshal.loads(data)
        if valid is None or valid(cached):
            return cached  # valid() checked its layout
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            marshal.dump(value, fh)
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass
    return value


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for a block that makes many objects and no
    reference cycles: its passes would walk them all and find nothing. A collector that was
    off stays off; one another thread paused meanwhile is switched on again by whichever
    block ends first, which is harmless."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def spare_from_gc() -> None:
    """Exempt the objects alive now from Python's cyclic garbage collector (``gc.freeze``);
    called once what lives as long as the process is loaded (the spaCy pipeline and
    tables by ``Pipeline()``, the restorer's lexicon on first use).

    spaCy, the models and the tables are some 100 000 objects. Every full collection
    walked them all (about 80 ms), and what a document's work leaves behind sets one off
    every dozen or so documents: some 5 ms per document, more than any stage but cleaning
    and the tokeniser. The freeze is process-wide, so it also covers what the caller made
    before; frozen objects are still freed by reference counting when dropped, only a
    reference cycle among them stays until the process ends.
    """
    gc.collect()  # what is garbage now is collected, not frozen
    gc.freeze()


def usable_cpus() -> int:
    """The CPUs this process may run on (respects taskset/cpusets), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)
