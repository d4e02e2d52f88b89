"""What one document may cost to read: the reader's limits, with their defaults in one place.

A file over a limit is not read further: it fails with a reason that names the limit and
its value, and the batch goes on. Each limit is checked while the document is read,
before the memory or time it guards is spent:

* ``max_bytes`` — the file's size on disk (default 50 MiB);
* ``max_pages`` — pages of one PDF (default 5,000), counted before any page is read;
* ``max_decompressed`` — bytes of the streams of one PDF once decompressed (content
  streams, fonts, object and cross-reference streams; default 512 MB): a stream is
  inflated only while the document's total stays under it, so a "zip bomb" (a 1 MB file
  whose streams inflate to gigabytes) stops at the limit;
* ``max_page_pixels`` — the pixels of one page rendered for OCR (default 100 million,
  an A0 poster at 250 dpi): a larger page is rendered at a lower resolution that fits,
  and refused only when that resolution is below :data:`MIN_OCR_DPI`, where OCR cannot
  read text of any usual size;
* ``timeout`` — seconds one PDF may take to read, OCR included (default 600);
* ``max_ocr_pages`` — pages of one PDF that may be OCR'd (default 300).

``Limits()`` holds the defaults; :meth:`Limits.from_env` the defaults as the environment
overrides them (``NAMND_PDF_MAX_PAGES``, ``NAMND_PDF_MAX_DECOMPRESSED_MB``,
``NAMND_OCR_MAX_PAGE_MEGAPIXELS``, ``NAMND_PDF_TIMEOUT``, ``NAMND_OCR_MAX_PAGES``), which
is what the readers use when they are given none. The options ``--max-pages``,
``--max-decompressed-mb`` and ``--max-page-megapixels`` of ``extract``, ``review`` and
``ingest`` set those variables, so worker processes see them too; ``--pdf-reader``
(``NAMND_PDF_READER``, :func:`pdf_reader`) chooses the PDF reader the same way. From
Python::

    from pipeline import Pipeline
    from pipeline.limits import MB, Limits

    pipeline = Pipeline(limits=Limits(max_pages=200, max_decompressed=64 * MB))
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, fields, replace
from typing import Mapping, Optional

#: a megabyte as the limits count it (10^6 bytes)
MB = 1_000_000
#: below this resolution a page rendered for OCR holds no legible text of a usual size
#: (10-point text is then under 4 pixels high): such a page is refused, not rendered
MIN_OCR_DPI = 30.0

#: limit field -> (environment variable, factor from the variable's unit to the field's)
ENVIRONMENT = {
    "max_pages": ("NAMND_PDF_MAX_PAGES", 1),
    "max_decompressed": ("NAMND_PDF_MAX_DECOMPRESSED_MB", MB),
    "max_page_pixels": ("NAMND_OCR_MAX_PAGE_MEGAPIXELS", 1_000_000),
    "timeout": ("NAMND_PDF_TIMEOUT", 1),
    "max_ocr_pages": ("NAMND_OCR_MAX_PAGES", 1),
}

#: how a failure reason names each limit: the command-line option that sets it
OPTION = {
    "max_pages": "--max-pages",
    "max_decompressed": "--max-decompressed-mb",
    "max_page_pixels": "--max-page-megapixels",
    "timeout": "NAMND_PDF_TIMEOUT",
    "max_ocr_pages": "NAMND_OCR_MAX_PAGES",
}


@dataclass(frozen=True)
class Limits:
    """The reader's limits for one document (see the module's description)."""

    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 5000
    max_decompressed: int = 512 * MB
    max_page_pixels: int = 100_000_000
    timeout: float = 600.0
    max_ocr_pages: int = 300

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0 \
                    or (isinstance(value, float) and math.isinf(value) and f.name != "timeout"):
                raise ValueError(f"limit {f.name} must be a positive number, not {value!r}")

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None, **overrides) -> "Limits":
        """The defaults, each replaced by its environment variable where that holds a
        positive number (others are ignored), then by ``overrides`` that are not None."""
        env = os.environ if environ is None else environ
        values: dict[str, float] = {}
        for name, (variable, unit) in ENVIRONMENT.items():
            raw = (env.get(variable) or "").strip()
            if not raw:
                continue
            try:
                number = float(raw) * unit
            except ValueError:
                continue
            if number > 0 and math.isfinite(number):
                values[name] = number if name == "timeout" else int(number)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values) if values else cls()

    def with_overrides(self, **overrides) -> "Limits":
        """These limits with the fields given (and not None) replaced."""
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(self, **given) if given else self


#: the PDF readers: PDFium's text API (:mod:`pipeline.pdfium_reader`) or pdfplumber
#: (pdfminer); both give the layout stage of :mod:`pipeline.pdf` the same pages
PDF_READERS = ("pdfium", "pdfplumber")
#: the reader used unless another is chosen
DEFAULT_PDF_READER = "pdfium"
#: the environment variable that chooses the reader (``--pdf-reader`` sets it, so worker
#: processes use the same reader)
PDF_READER_VARIABLE = "NAMND_PDF_READER"


def pdf_reader(choice: Optional[str] = None, environ: Optional[Mapping[str, str]] = None) -> str:
    """The PDF reader to use: ``choice`` when given (ValueError unless it is one of
    :data:`PDF_READERS`), else ``NAMND_PDF_READER`` when it names one (another value is
    ignored, as an unusable limit is), else :data:`DEFAULT_PDF_READER`."""
    if choice is not None:
        if choice not in PDF_READERS:
            raise ValueError(f"PDF reader must be one of {', '.join(PDF_READERS)}, not {choice!r}")
        return choice
    env = os.environ if environ is None else environ
    named = (env.get(PDF_READER_VARIABLE) or "").strip().lower()
    return named if named in PDF_READERS else DEFAULT_PDF_READER


def describe_bytes(n: int) -> str:
    """A byte count as a reason shows it: "512 MB", "1.5 MB", "800 bytes"."""
    if n >= MB:
        return f"{n / MB:g} MB" if n % (MB // 10) == 0 else f"{n / MB:.1f} MB"
    return f"{n} bytes"


def describe_pixels(n: int) -> str:
    """A pixel count as a reason shows it: "100 megapixels"."""
    return f"{n / 1_000_000:g} megapixels" if n >= 1_000_000 else f"{n} pixels"
