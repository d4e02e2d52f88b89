"""namnd: Swedish committee documents → structured, verifiable records.

Stages, one module each: :mod:`pipeline.read` → :mod:`pipeline.clean` →
:mod:`pipeline.segment` → :mod:`pipeline.analyse` → :mod:`pipeline.extract` →
:mod:`pipeline.emit`. :class:`Pipeline` ties them together; :func:`extract` is the
one-call version.
"""

from pipeline.core import Failure, Pipeline, extract
from pipeline.read import ReadError

__all__ = ["Failure", "Pipeline", "ReadError", "extract"]
__version__ = "0.1.0"
