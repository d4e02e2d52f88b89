"""PDF streams decompressed under a budget: a file whose streams inflate to gigabytes stops
at the limit, before the memory is spent.

pdfminer (under pdfplumber) decodes a stream whole when it first needs it
(``PDFStream.decode``: ``zlib.decompress``, ``lzwdecode``, ``rldecode`` and, for a damaged
Flate stream, ``decompress_corrupted``), and keeps what it decoded. Inside
:func:`decompression_limit` these are replaced by versions that know how much of the
document's budget is left:

* Flate: a stream that cannot inflate past what is left (zlib expands at most 1032:1) is
  inflated at once; a larger one is first inflated in blocks that are counted and
  dropped, and only inflated for keeps when its whole size fits;
* LZW and RunLength: decoded piece by piece, stopping as soon as the output passes what
  is left;
* every decoded stream then counts against the budget, which holds for the whole
  document (pdfminer keeps each decoded stream, so the total is what stays in memory).

Going over raises :class:`TooLarge`, a BaseException, so that no ``except Exception`` in
pdfminer or in the reader's per-page recovery swallows it; :func:`pipeline.pdf.read_pdf`
turns it into a :class:`~pipeline.read.ReadError`. Outside :func:`decompression_limit`
(another thread, another user of pdfminer) the replacements call the originals.
"""

from __future__ import annotations

import zlib
from contextlib import contextmanager
from contextvars import ContextVar
from io import BytesIO
from typing import Iterator, Optional

from pipeline.limits import OPTION, describe_bytes

#: deflate's largest expansion is 1032:1 (a 258-byte match coded in 2 bits); the margin
#: covers the zlib header and trailer
MAX_FLATE_RATIO = 1100
#: bytes inflated at a time while a stream's size is counted
_BLOCK = 1 << 20


class TooLarge(BaseException):
    """The document's streams decompress to more than its budget."""

    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit

    @property
    def reason(self) -> str:
        return (f"PDF too large when decompressed: its streams exceed the limit of {describe_bytes(self.limit)}, "
                f"see {OPTION['max_decompressed']}")


class _Budget:
    def __init__(self, limit: int):
        self.limit = limit
        #: bytes of decoded streams kept so far
        self.used = 0

    def left(self) -> int:
        return self.limit - self.used

    def take(self, n: int) -> None:
        self.used += n
        if self.used > self.limit:
            raise TooLarge(self.limit)

    def check(self, n: int) -> None:
        """Would ``n`` more bytes still fit?"""
        if n > self.left():
            raise TooLarge(self.limit)


_BUDGET: ContextVar[Optional[_Budget]] = ContextVar("namnd_pdf_budget", default=None)


@contextmanager
def decompression_limit(limit: int) -> Iterator[_Budget]:
    """PDF streams decoded inside this block may add up to ``limit`` bytes."""
    install()
    budget = _Budget(limit)
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)


# --------------------------------------------------------------------------------------
# The replacements
# --------------------------------------------------------------------------------------

def _inflated_size(data: bytes, left: int, limit: int) -> None:
    """Inflate ``data`` block by block, keeping nothing; TooLarge as soon as the output
    passes ``left``. Invalid data raises zlib.error, as zlib.decompress would."""
    d = zlib.decompressobj()
    total = 0
    buf = data
    while True:
        got = len(d.decompress(buf, _BLOCK))
        total += got
        if total > left:
            raise TooLarge(limit)
        buf = d.unconsumed_tail
        # a full block may leave output pending with all input consumed: ask again
        if d.eof or (not buf and got < _BLOCK):
            break


def _decompress(data, *args, **kwargs):
    budget = _BUDGET.get()
    if budget is None or args or kwargs:
        return zlib.decompress(data, *args, **kwargs)
    left = budget.left()
    if len(data) * MAX_FLATE_RATIO > left:
        _inflated_size(data, left, budget.limit)  # it may not fit: count it first
    return zlib.decompress(data)


class _Zlib:
    """The ``zlib`` that pdfminer.pdftypes sees: its ``decompress`` keeps to the budget."""

    decompress = staticmethod(_decompress)

    def __getattr__(self, name: str):
        return getattr(zlib, name)


def _corrupted_pass(data: bytes, keep: bool, budget: _Budget) -> bytes:
    """pdfminer's decompress_corrupted (what a damaged Flate stream yields up to its
    damage; the damage may only lie in the last 3 bytes, its checksum), in blocks: a
    block that meets the damage is gone through again byte by byte."""
    d = zlib.decompressobj()
    out: list[bytes] = []
    total = 0
    left = budget.left()
    i = 0
    n = len(data)
    while i < n:
        block = data[i:i + 65536]
        saved = d.copy()
        try:
            got = d.decompress(block)
        except zlib.error:
            d = saved
            for k in range(len(block)):
                try:
                    got = d.decompress(block[k:k + 1])
                except zlib.error:
                    if i + k < n - 3:
                        raise
                    return b"".join(out)
                total += len(got)
                if total > left:
                    raise TooLarge(budget.limit) from None
                if keep:
                    out.append(got)
            i += len(block)
            continue
        total += len(got)
        if total > left:
            raise TooLarge(budget.limit)
        if keep:
            out.append(got)
        i += len(block)
    return b"".join(out)


def _decompress_corrupted(data: bytes) -> bytes:
    budget = _BUDGET.get()
    if budget is None:
        return _ORIGINAL["decompress_corrupted"](data)
    _corrupted_pass(data, False, budget)  # counted first: kept only when it fits
    return _corrupted_pass(data, True, budget)


def _lzwdecode(data: bytes) -> bytes:
    budget = _BUDGET.get()
    if budget is None:
        return _ORIGINAL["lzwdecode"](data)
    from pdfminer.lzw import LZWDecoder

    out: list[bytes] = []
    total = 0
    left = budget.left()
    for piece in LZWDecoder(BytesIO(data)).run():
        total += len(piece)
        if total > left:
            raise TooLarge(budget.limit)
        out.append(piece)
    return b"".join(out)


def _rldecode(data: bytes) -> bytes:
    """RunLength (PDF Reference 3.3.4), as pdfminer decodes it, within the budget; data
    that ends inside a run gives what it holds."""
    budget = _BUDGET.get()
    if budget is None:
        return _ORIGINAL["rldecode"](data)
    left = budget.left()
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        length = data[i]
        i += 1
        if length == 128:
            break
        if length < 128:
            out += data[i:i + length + 1]  # a run cut short by the end of the data: what is there
            i += length + 1
        else:
            out += data[i:i + 1] * (257 - length)
            i += 1
        if len(out) > left:
            raise TooLarge(budget.limit)
    return bytes(out)


_ORIGINAL: dict = {}


def _decode(self) -> None:
    _ORIGINAL["decode"](self)
    budget = _BUDGET.get()
    if budget is not None and self.data is not None:
        budget.take(len(self.data))


def install() -> None:
    """Put the replacements into pdfminer.pdftypes (once; idempotent)."""
    if _ORIGINAL:
        return
    from pdfminer import pdftypes

    _ORIGINAL.update(decode=pdftypes.PDFStream.decode, lzwdecode=pdftypes.lzwdecode,
                     rldecode=pdftypes.rldecode, decompress_corrupted=pdftypes.decompress_corrupted,
                     zlib=pdftypes.zlib)
    pdftypes.zlib = _Zlib()
    pdftypes.lzwdecode = _lzwdecode
    pdftypes.rldecode = _rldecode
    pdftypes.decompress_corrupted = _decompress_corrupted
    pdftypes.PDFStream.decode = _decode
