"""namnd: Swedish committee documents → structured, verifiable records.

Stages, one module each: :mod:`pipeline.read` → :mod:`pipeline.clean` →
:mod:`pipeline.segment` → :mod:`pipeline.analyse` → :mod:`pipeline.extract` →
:mod:`pipeline.emit`. :class:`Pipeline` ties them together; :func:`extract` is the
one-call version.
"""

from typing import TYPE_CHECKING

from pipeline import _native
from pipeline.read import ReadError

# `import pipeline.restore` takes the mypyc-compiled restorer when the install built it
# from the current sources of every module of the package (see pipeline/_native.py and setup.py)
_native.install()

if TYPE_CHECKING:  # pragma: no cover
    from pipeline.core import Failure, Pipeline, extract

__all__ = ["Failure", "Pipeline", "ReadError", "extract"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # spaCy is imported only when the pipeline is used: `namnd ingest` over a folder it has
    # seen before, `namnd query` and `namnd schema` start in a fraction of a second
    if name in ("Failure", "Pipeline", "extract"):
        from pipeline import core

        return getattr(core, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
