"""A Pipeline built, and warmed, once in the fork server, so that workers start with it.

The worker processes of :mod:`pipeline.ingest` are forked from multiprocessing's fork
server, which imports this module before it forks any (its preload list). When the
environment the server started with names a configuration (:data:`ENV`, which the pool
sets while it starts its first worker), the module builds that :class:`~pipeline.core.Pipeline`
there and runs a short document through it, so that what the stages load on first use
(the restorer's tables, the word frequencies, compiled patterns) is loaded too. Every
worker forked afterwards has it at once, its memory shared with the server's until
written, instead of spending a second or two building and warming its own; the server
keeps it for as long as the process that started it lives.

A worker asks :func:`take` for the Pipeline of its configuration; when there is none (the
server was started for another one, or building failed) it builds its own, as a spawned
worker does, and reports any error itself.
"""

from __future__ import annotations

import json
import os
from typing import Optional

#: the configuration to build, as JSON ``[model, keep_personal_numbers]``
ENV = "NAMND_PREBUILD_PIPELINE"

#: a short document that takes every stage's first-use path (heading, date, diarienummer,
#: a law citation, a district, staffing, a stated challenge, and a line that lost letters
#: in OCR, which loads the restorer's lexicon)
WARM_UP_TEXT = """Tjänsteskrivelse
2024-03-12
Dnr SN 2024/117

Samverkan mellan socialtjänsten och polisen i Skärholmen

Sammanfattning

Två fältassistenter arbetar i Skärholmen fyra dagar i veckan, tisdag till fredag.
Socialtjänsten gör utredning enligt 11 kap. 1 § socialtjänstlagen (2001:453).
Det har varit svårt att rekrytera personal och bristen på lokaler är ett problem.
Fältgruppen h r under hösten  rbet t i Rinkeby och Tensta tillsamm ns med polisen.
"""

_built: Optional[tuple[tuple, object]] = None


def key(model: Optional[str], keep_personal_numbers: bool) -> tuple:
    """What decides which Pipeline a worker needs (the model as :func:`pipeline.analyse.build_nlp` resolves it)."""
    return (model or os.environ.get("NAMND_SPACY_MODEL") or None, bool(keep_personal_numbers))


def take(model: Optional[str], keep_personal_numbers: bool):
    """The Pipeline built here for this configuration, or None."""
    if _built is not None and _built[0] == key(model, keep_personal_numbers):
        return _built[1]
    return None


def spec(model: Optional[str], keep_personal_numbers: bool) -> str:
    """The value of :data:`ENV` for a configuration."""
    return json.dumps([model, bool(keep_personal_numbers)])


def _build_from_environment() -> None:
    global _built
    wanted = os.environ.pop(ENV, None)
    if not wanted:
        return
    try:
        model, keep = json.loads(wanted)
        from pipeline.core import Pipeline

        pipe = Pipeline(model, keep_personal_numbers=keep)
        warm_up(pipe)
    except Exception:  # noqa: BLE001 - a worker then builds its own and reports what fails
        return
    _built = (key(model, keep), pipe)


def warm_up(pipe) -> None:
    """Load what the stages load on first use: a short document through ``pipe``, and the
    word frequencies the place finder asks about a name (not every document needs them)."""
    from pipeline.resources import spare_from_gc, swedish_words

    pipe.extract_text(WARM_UP_TEXT, "<warm-up>")
    swedish_words()
    spare_from_gc()  # what was loaded lives as long as the process: never walked by the collector


_build_from_environment()
