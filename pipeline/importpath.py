"""The import path of namnd's processes: never the folder a command is run from.

Python puts the current folder first on ``sys.path`` for ``python -m`` and ``python -c``;
multiprocessing starts its fork server and spawned workers with ``python -c``, and hands
each worker the parent's ``sys.path``. A ``ftfy.py``, ``regex.py``, ``numpy.py`` or
``models.py`` in the folder a nightly job runs from would then be imported and run in
place of the library. :func:`clean` is ``sys.path`` without such entries;
:func:`for_children` starts processes with it (and with ``PYTHONSAFEPATH``, so that
their ``python -c`` does not put the current folder back). Only the folder namnd's own
packages were imported from is kept, wherever it is (a checkout run without installing).

Only standard-library imports here: :mod:`pipeline.cli` calls :func:`drop_current_folder`
before it imports anything else.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Iterator, Optional, Sequence

#: the top-level packages of namnd
_OWN = ("pipeline", "models")


def _real(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def own_roots() -> set[str]:
    """The folders namnd's own packages were imported from (an installation's
    site-packages, or a checkout)."""
    roots = set()
    for name in _OWN:
        module = sys.modules.get(name)
        for location in getattr(module, "__path__", None) or []:
            roots.add(_real(os.path.dirname(location)))
    return roots


def _current_folders() -> set[str]:
    here = set()
    try:
        here.add(_real(os.getcwd()))
    except OSError:  # the folder was removed under the process
        pass
    original = getattr(sys.modules.get("multiprocessing.process"), "ORIGINAL_DIR", None)
    if original:
        here.add(_real(original))
    return here


def clean(path: Optional[Sequence[str]] = None) -> list[str]:
    """``path`` (default ``sys.path``) without the current folder: no ``''``, no relative
    entry, none that is the current folder or the one the process started in, unless
    namnd's own packages come from there (then it stays, as an absolute path)."""
    entries = list(sys.path if path is None else path)
    here = _current_folders()
    own = own_roots()
    out: list[str] = []
    for entry in entries:
        if not isinstance(entry, str):
            out.append(entry)
            continue
        relative = not os.path.isabs(entry)
        try:
            real = _real(entry or os.curdir)
        except OSError:
            real = None
        if relative or real in here:
            if real is not None and real in own:
                absolute = os.path.abspath(entry or os.curdir)
                if absolute not in out:
                    out.append(absolute)
            continue
        out.append(entry)
    return out


def drop_current_folder() -> None:
    """Remove the current folder from this process's ``sys.path`` (see :func:`clean`)."""
    sys.path[:] = clean()


@contextmanager
def for_children() -> Iterator[None]:
    """Within it, processes started (fork server, spawned workers) get a clean import path:
    ``sys.path`` is :func:`clean` while they are started (multiprocessing hands it to
    them) and ``PYTHONSAFEPATH`` is set (their ``python -c`` adds no current folder).
    Both are restored after."""
    saved_path = sys.path[:]
    saved_env = os.environ.get("PYTHONSAFEPATH")
    sys.path[:] = clean(saved_path)
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        yield
    finally:
        sys.path[:] = saved_path
        if saved_env is None:
            os.environ.pop("PYTHONSAFEPATH", None)
        else:
            os.environ["PYTHONSAFEPATH"] = saved_env
