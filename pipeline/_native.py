"""Compiled twins of hot modules: used when present and made from the current source.

``setup.py`` compiles a copy of :mod:`pipeline.restore` with mypyc as
``pipeline._restore_native``. The copy records the SHA-256 of the source it came from.
An import of ``pipeline.restore`` gets the compiled twin when the twin exists, is an
extension module and was made from ``restore.py`` exactly as it is on disk; otherwise the
plain module, as if this file did not exist. ``NAMND_PURE_PYTHON=1`` always takes the
plain module. The twin's behaviour is the plain module's (tests/test_native.py).

``setup.py`` also builds ``pipeline/_decode.c``, the restorer's decoder in C, as
``pipeline._decode``; :func:`c_decoder` hands it out on the same terms: built, made from
``_decode.c`` as it is on disk, and not refused by ``NAMND_PURE_PYTHON``
(tests/test_decode.py checks it decodes exactly as restore.py does).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import warnings
from pathlib import Path
from types import ModuleType

#: module -> its compiled twin
TWINS = {"pipeline.restore": "pipeline._restore_native"}

_HERE = Path(__file__).resolve().parent


def pure_python_requested() -> bool:
    return os.environ.get("NAMND_PURE_PYTHON", "").strip() not in ("", "0")


def made_from(twin: ModuleType, source: Path) -> bool:
    """Was ``twin`` compiled from ``source`` exactly as it is now?"""
    recorded = getattr(twin, "_SOURCE_SHA256", None)
    return recorded is not None and recorded == hashlib.sha256(source.read_bytes()).hexdigest()


def twin_status(name: str) -> tuple[ModuleType | None, str]:
    """The usable compiled twin of module ``name`` (or None) and why (a short reason)."""
    twin_name = TWINS.get(name)
    if twin_name is None:
        return None, "no compiled twin is built for this module"
    if pure_python_requested():
        return None, "NAMND_PURE_PYTHON is set"
    spec = importlib.util.find_spec(twin_name)
    if spec is None or spec.origin is None:
        return None, "not compiled (the install had no mypyc or no C compiler)"
    if not spec.origin.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)):
        return None, "not compiled (only the generated copy is there)"
    source = _HERE / (name.rpartition(".")[2] + ".py")
    try:
        module = importlib.import_module(twin_name)
    except ImportError as exc:
        return None, f"the compiled module does not load ({exc})"
    try:
        current = made_from(module, source)
    except OSError as exc:
        return None, f"its source cannot be read ({exc})"
    if not current:
        return None, f"stale: {source.name} changed since it was compiled (reinstall to rebuild)"
    return module, "compiled with mypyc"


def c_decoder_status() -> tuple[ModuleType | None, str]:
    """The usable C decoder (or None) and why."""
    if pure_python_requested():
        return None, "NAMND_PURE_PYTHON is set"
    try:
        module = importlib.import_module("pipeline._decode")
    except ImportError as exc:
        return None, f"not built (the install had no C compiler?): {exc}"
    source = _HERE / "_decode.c"
    if source.exists():  # an installed wheel carries only the built module: nothing to compare
        try:
            current = made_from(module, source)
        except OSError as exc:
            return None, f"its source cannot be read ({exc})"
        if not current:
            return None, "stale: _decode.c changed since it was built (reinstall to rebuild)"
    return module, "built from _decode.c"


def c_decoder() -> ModuleType | None:
    """:mod:`pipeline._decode` if it can be used, else None (a stale one warns)."""
    module, why = c_decoder_status()
    if module is None and why.startswith("stale"):
        warnings.warn(f"namnd: the C decoder is {why}; the restorer decodes in Python",
                      RuntimeWarning, stacklevel=2)
    return module


class _TwinLoader(importlib.abc.Loader):
    def __init__(self, module: ModuleType):
        self.module = module

    def create_module(self, spec):  # the twin, already imported under its own name
        return self.module

    def exec_module(self, module) -> None:
        pass


class _TwinFinder(importlib.abc.MetaPathFinder):
    """Answers an import of a module in :data:`TWINS` with its compiled twin, if usable."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in TWINS:
            return None
        module, why = twin_status(fullname)
        if module is None:
            if why.startswith("stale"):
                warnings.warn(f"namnd: the compiled {fullname} is {why}; running it as plain Python",
                              RuntimeWarning, stacklevel=2)
            return None
        return importlib.util.spec_from_loader(fullname, _TwinLoader(module), origin=module.__file__)


def install() -> None:
    """Put the finder in front of the import system (once)."""
    if not any(isinstance(f, _TwinFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _TwinFinder())


def implementation(module: ModuleType) -> str:
    """'compiled' or 'plain Python': which one ``module`` (as imported) is."""
    origin = getattr(module, "__file__", "") or ""
    return "compiled" if origin.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)) else "plain Python"
