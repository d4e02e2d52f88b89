#!/usr/bin/env python
"""Rebuild the two small word lists in this folder (run by hand; not used at run time).

Needs wordfreq (a runtime dependency of namnd), spylls (pure-Python Hunspell; only for
this script: ``pip install spylls``) and the Swedish Hunspell dictionary (Debian:
``apt-get install hunspell-sv`` → /usr/share/hunspell/sv_SE.dic/.aff).

    python pipeline/data/lexicon/make_lexicon.py [/usr/share/hunspell/sv_SE]

For every letters-only word of wordfreq's Swedish "large" list with frequency >= 1e-7 it
asks Hunspell whether the word is Swedish (as written, Capitalised or UPPERCASE) and writes

* ``sv_short.tsv``    — the 2–3 letter words Hunspell accepts in lowercase ("word") or
                        only Capitalised ("name"), plus common abbreviations written
                        without dots ("abbrev"); the restorer treats other 1–3 letter
                        fragments as damage (acronyms Hunspell only knows in UPPERCASE,
                        "TT", "NS", are not words in lowercase).
* ``sv_rejected.tsv`` — the words Hunspell rejects in every spelling (English, chat
                        language, OCR and tokenisation debris); the restorer down-weights
                        them and keeps them out of its character model and compound parts.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: Abbreviations Swedish officials write without dots; Hunspell only knows them dotted.
ABBREVIATIONS = """
dvs osv tex iaf mkt avd fl mfl ngt ngn bl pga resp inkl exkl tfn forts jfr enl etc mvh ang
fd ca kl st nr tkr mnkr mkr kvm org vs dnr adm ordf sekr kap bil mom prop sfs tel ekon
handl
""".split()


def main(dic: str = "/usr/share/hunspell/sv_SE") -> None:
    from spylls.hunspell import Dictionary
    from wordfreq import get_frequency_dict

    hun = Dictionary.from_files(dic)
    freq = get_frequency_dict("sv", "large")
    letters = re.compile(r"^[a-zåäöéü]+$")
    words = sorted((w for w, f in freq.items() if f >= 1e-7 and letters.match(w) and len(w) >= 2),
                   key=lambda w: (-freq[w], w))

    def kind(w: str) -> str:
        if hun.lookup(w):
            return "word"
        if hun.lookup(w.capitalize()):
            return "name"
        if hun.lookup(w.upper()):
            return "acronym"
        return ""

    kinds = {w: kind(w) for w in words}
    short = {w: k for w, k in kinds.items() if len(w) <= 3 and k in ("word", "name")}
    short.update({w: "abbrev" for w in ABBREVIATIONS if w not in short})
    rejected = [w for w in words if not kinds[w] and w not in ABBREVIATIONS]
    header = "# derived from wordfreq 'sv' (large) and Hunspell sv_SE (hunspell-sv); see make_lexicon.py\n"
    (HERE / "sv_short.tsv").write_text(
        header + "".join(f"{w}\t{short[w]}\n" for w in sorted(short)), encoding="utf-8")
    (HERE / "sv_rejected.tsv").write_text(header + "\n".join(sorted(rejected)) + "\n", encoding="utf-8")
    print(f"{len(short)} short words, {len(rejected)} rejected words")


if __name__ == "__main__":
    main(*sys.argv[1:])
