"""Compiled twins of hot packages: used when present and made from the current source.

``setup.py`` compiles a copy of the package :mod:`pipeline.restore` with mypyc as
``pipeline._restore_native``, every module of it in one compilation group. Each copied
module records the SHA-256 of the source module it came from. An import of
``pipeline.restore`` or of one of its modules gets the compiled twin when the compiled
copy is there, is made of extension modules and has a twin, made from its source exactly
as it is on disk, of every module of ``pipeline/restore/``; otherwise the plain module, as
if this file did not exist. The whole package is one or the other, never a mix: the first
import of any of it decides for the process. ``NAMND_PURE_PYTHON=1`` always takes the
plain modules. The twins behave as the plain modules do (tests/test_native.py).

``setup.py`` also builds ``pipeline/_decode.c``, the restorer's decoder in C, as
``pipeline._decode``; :func:`c_decoder` hands it out on the same terms: built, made from
``_decode.c`` as it is on disk, and not refused by ``NAMND_PURE_PYTHON``
(tests/test_decode.py checks it decodes exactly as the Python restorer does).
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
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

#: package -> the package of its compiled twins
TWINS = {"pipeline.restore": "pipeline._restore_native"}

_HERE = Path(__file__).resolve().parent


def pure_python_requested() -> bool:
    return os.environ.get("NAMND_PURE_PYTHON", "").strip() not in ("", "0")


def made_from(twin: ModuleType, source: Path) -> bool:
    """Was ``twin`` compiled from ``source`` exactly as it is now?"""
    recorded = getattr(twin, "_SOURCE_SHA256", None)
    return recorded is not None and recorded == hashlib.sha256(source.read_bytes()).hexdigest()


def _twin_of(name: str) -> tuple[str, str] | None:
    """(the package of :data:`TWINS` that module ``name`` belongs to, the name of its twin),
    or None for a module without one."""
    for package, twin in TWINS.items():
        if name == package:
            return package, twin
        if name.startswith(package + "."):
            return package, twin + name[len(package):]
    return None


def stale_twins(source_dir: Path, load: Callable[[str], ModuleType]) -> str | None:
    """Why the twins of the package in ``source_dir`` cannot be used, or None when they can:
    ``load(stem)`` imports the twin of module ``stem`` ("__init__" for the package itself)
    and raises ImportError when there is none. Every module of the package needs one, an
    extension module made from the module exactly as it is on disk."""
    try:
        sources = sorted(source_dir.glob("*.py"))
    except OSError as exc:
        return f"its source cannot be read ({exc})"
    if not sources:
        return f"its source cannot be read (no modules in {source_dir})"
    for source in sources:
        shown = f"{source_dir.name}/{source.name}"
        try:
            twin = load(source.stem)
        except ImportError:
            return f"stale: {shown} is not in the compiled package (reinstall to rebuild)"
        if implementation(twin) != "compiled":
            return f"not compiled ({shown} only as the generated copy)"
        try:
            current = made_from(twin, source)
        except OSError as exc:
            return f"its source cannot be read ({exc})"
        if not current:
            return f"stale: {shown} changed since it was compiled (reinstall to rebuild)"
    return None


def _package_status(package: str) -> tuple[ModuleType | None, str]:
    """The usable compiled twin of ``package`` (or None) and why."""
    twin_name = TWINS[package]
    spec = importlib.util.find_spec(twin_name)
    if spec is None or spec.origin is None:
        return None, "not compiled (the install had no mypyc or no C compiler)"
    if not spec.origin.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)):
        return None, "not compiled (only the generated copy is there)"
    try:
        twin = importlib.import_module(twin_name)
    except ImportError as exc:
        return None, f"the compiled module does not load ({exc})"
    source_dir = _HERE / package.rpartition(".")[2]

    def load(stem: str) -> ModuleType:
        return twin if stem == "__init__" else importlib.import_module(f"{twin_name}.{stem}")

    why = stale_twins(source_dir, load)
    if why is not None:
        return None, why
    return twin, "compiled with mypyc"


def twin_status(name: str) -> tuple[ModuleType | None, str]:
    """The usable compiled twin of module ``name`` (or None) and why (a short reason): a
    module of a package with twins has a usable one only when the whole package has."""
    found = _twin_of(name)
    if found is None:
        return None, "no compiled twin is built for this module"
    if pure_python_requested():
        return None, "NAMND_PURE_PYTHON is set"
    package, twin_name = found
    twin, why = _package_status(package)
    if twin is None or twin_name == TWINS[package]:
        return twin, why
    try:
        return importlib.import_module(twin_name), why
    except ImportError as exc:
        return None, f"the compiled module does not load ({exc})"


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
    """Answers an import of a package in :data:`TWINS`, or of one of its modules, with the
    compiled twin when the package's twins are usable. The first import of a package or of
    any of its modules decides for all of them, for the life of the process: the compiled
    modules import each other under their own names, the plain ones under theirs, and
    neither may meet the other."""

    def __init__(self) -> None:
        #: package -> are its compiled twins used
        self.compiled: dict[str, bool] = {}

    def find_spec(self, fullname, path=None, target=None):
        found = _twin_of(fullname)
        if found is None:
            return None
        package, twin_name = found
        compiled = self.compiled.get(package)
        if compiled is None:
            twin, why = twin_status(package)
            compiled = self.compiled[package] = twin is not None
            if twin is None and why.startswith("stale"):
                warnings.warn(f"namnd: the compiled {package} is {why}; running it as plain Python",
                              RuntimeWarning, stacklevel=2)
        if not compiled:
            return None
        module = importlib.import_module(twin_name)
        spec = importlib.util.spec_from_loader(fullname, _TwinLoader(module), origin=module.__file__)
        if spec is not None and hasattr(module, "__path__"):  # the package: its modules lie beside it
            spec.submodule_search_locations = list(module.__path__)
        return spec


def install() -> None:
    """Put the finder in front of the import system (once)."""
    if not any(isinstance(f, _TwinFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _TwinFinder())


def implementation(module: ModuleType) -> str:
    """'compiled' or 'plain Python': which one ``module`` (as imported) is."""
    origin = getattr(module, "__file__", "") or ""
    return "compiled" if origin.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)) else "plain Python"
