"""The input files of a batch: the files named, and the document files inside the folders named.

    >>> from pipeline.inputs import find_inputs
    >>> found = find_inputs(["arkiv/"])                        # doctest: +SKIP
    >>> found.files, found.skipped                             # doctest: +SKIP
    ([PosixPath('arkiv/a.txt')], [Skipped(path='arkiv/länk.txt', reason='symbolic link to a file outside …')])

Nothing is passed over in silence. Folders are walked depth first, each in name order
(the order of sorted paths). A folder that cannot be listed, a symbolic link that leads
nowhere (its target missing, or a loop), a link out of the input folders, and a named
pipe, device or socket with a document's name are each returned as :class:`Skipped`,
with a reason, in their place among the files; the commands report them as failed.

Symbolic links: a link named on the command line is followed (it was named). A link
inside a folder is followed when its target lies inside the input roots (the folders and
files named); one whose target lies outside them is skipped unless ``follow_symlinks``. A
link to a folder inside the roots is not walked: the walk of the folder that holds its
target lists those files under their own paths. With ``follow_symlinks`` every link is
followed, and a folder is listed once however many links lead to it (no loop).

Names that are not UTF-8 (bytes from an old Windows or Samba share, such as
``rapport_\\xe5r.txt`` in Latin-1) arrive from the operating system with their undecodable
bytes as lone surrogates. Paths are used as they are for opening files; where a path is
shown or stored (a printed line, a database column, a record's ``source.path``),
:func:`display_path` writes each undecodable byte as ``\\xNN``.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

#: file name endings taken from folders (a file named explicitly is always taken)
DOCUMENT_SUFFIXES = {".txt", ".text", ".pdf", ".md"}

OUTSIDE_FILE = "symbolic link to a file outside the input folders (use --follow-symlinks)"
OUTSIDE_FOLDER = "symbolic link to a folder outside the input folders (use --follow-symlinks)"

PathLike = Union[str, os.PathLike]


def display_path(path: PathLike) -> str:
    """``path`` as text that can be printed and stored: valid UTF-8, each byte of the name
    that is not (a lone surrogate from the file system's decoding) written as ``\\xNN``.
    A path that is valid UTF-8 is returned unchanged."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


_ESCAPED_BYTE = re.compile(r"\\x([89a-f][0-9a-f])")


def path_from_display(text: str) -> str:
    """The file-system path a :func:`display_path` text most likely stands for (its
    ``\\xNN`` escapes of bytes 0x80–0xff back to the bytes they were)."""
    if "\\x" not in text:
        return text
    return _ESCAPED_BYTE.sub(lambda m: chr(0xDC00 + int(m[1], 16)), text)


def file_type(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def not_regular_reason(mode: int) -> str:
    return f"not a regular file: {file_type(mode)}"


@dataclass(frozen=True)
class Skipped:
    """An input passed over, and why (shown and stored as a failure of its path)."""

    path: str
    reason: str
    #: the real path it stands for, where one can be told (a link's target, a folder's real path)
    abs_path: Optional[str] = None


@dataclass
class Inputs:
    """What :func:`find_inputs` found: files and skipped inputs in the order of the walk."""

    entries: list[Union[Path, Skipped]] = field(default_factory=list)
    #: real paths of the folders listed in full
    folders: list[str] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        return [e for e in self.entries if isinstance(e, Path)]

    @property
    def skipped(self) -> list[Skipped]:
        return [e for e in self.entries if isinstance(e, Skipped)]


def is_document_name(name: str) -> bool:
    """A name taken from a folder: a document's ending, not hidden."""
    return not name.startswith(".") and Path(name).suffix.lower() in DOCUMENT_SUFFIXES


def _could_be_input(name: str) -> bool:
    """A document's name, or one without an ending (it may have been a folder)."""
    return not name.startswith(".") and (Path(name).suffix == "" or is_document_name(name))


def _inside(target: str, roots: Iterable[str]) -> bool:
    for root in roots:
        if target == root or target.startswith(root.rstrip(os.sep) + os.sep):
            return True
    return False


def find_inputs(paths: Iterable[PathLike], *, follow_symlinks: bool = False) -> Inputs:
    """The files named, and the document files inside the folders named (recursively, in
    name order), with everything passed over as :class:`Skipped`. A path named that is
    not a folder is taken as a file as it is (the reader refuses what is not a regular file)."""
    named = [os.fspath(p) for p in paths]
    roots = [os.path.realpath(p) for p in named]
    found = Inputs()
    visited: set[tuple[int, int]] = set()
    for p in named:
        if os.path.isdir(p):
            _walk(Path(p), roots, follow_symlinks, found, visited)
        else:
            found.entries.append(Path(p))
    return found


def iter_inputs(paths: Iterable[PathLike], *, follow_symlinks: bool = False) -> Iterator[Path]:
    """The files of :func:`find_inputs`, without what it skipped."""
    yield from find_inputs(paths, follow_symlinks=follow_symlinks).files


def _walk(top: Path, roots: list[str], follow: bool, found: Inputs, visited: set[tuple[int, int]]) -> None:
    """Depth first, each folder in name order, without recursion (a deep tree cannot
    exhaust the stack)."""

    def skip(path: Path, reason: str, abs_path: Optional[str] = None) -> None:
        found.entries.append(Skipped(str(path), reason, abs_path if abs_path is not None else os.path.realpath(path)))

    def listing(folder: Path) -> Optional[Iterator[os.DirEntry]]:
        try:
            st = os.stat(folder)
            key = (st.st_dev, st.st_ino)
            if key in visited:  # reached before (a second link to it): its files are listed
                return None
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            skip(folder, f"cannot list folder: {exc.strerror or exc}")
            return None
        visited.add(key)
        found.folders.append(os.path.realpath(folder))
        return iter(entries)

    first = listing(top)
    if first is None:
        return
    stack: list[tuple[Path, Iterator[os.DirEntry]]] = [(top, first)]
    while stack:
        folder, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        path = folder / entry.name
        try:
            link = entry.is_symlink()
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            if _could_be_input(entry.name):
                skip(path, f"cannot read: {exc.strerror or exc}")
            continue
        if link:
            target = _follow(path, entry.name, roots, follow, skip)
            if target is None:
                continue
            mode = target.st_mode
        if stat.S_ISDIR(mode):
            sub = listing(path)
            if sub is not None:
                stack.append((path, sub))
        elif stat.S_ISREG(mode):
            if is_document_name(entry.name):
                found.entries.append(path)
        elif is_document_name(entry.name):
            skip(path, not_regular_reason(mode))


def _follow(path: Path, name: str, roots: list[str], follow: bool, skip) -> Optional[os.stat_result]:
    """The status of a link's target when the link is to be followed; else None, the link
    reported when it may have led to documents."""
    try:
        st = os.stat(path)
    except OSError as exc:
        try:
            target = os.readlink(path)
        except OSError:
            target = ""
        if not (_could_be_input(name) or _could_be_input(os.path.basename(target))):
            return None
        if exc.errno == errno.ELOOP:
            skip(path, "symbolic link loop: following it never reaches a file")
        elif exc.errno in (errno.ENOENT, errno.ENOTDIR):
            skip(path, f"dangling symbolic link: its target {display_path(target)} does not exist")
        else:
            skip(path, f"cannot follow symbolic link: {exc.strerror or exc}")
        return None
    real = os.path.realpath(path)
    if follow:
        return st
    inside = _inside(real, roots)
    if stat.S_ISDIR(st.st_mode):
        if not inside:
            skip(path, OUTSIDE_FOLDER, real)
        # inside: the walk of the folder that holds the target lists its files
        return None
    if not is_document_name(name):
        return None
    if not inside and stat.S_ISREG(st.st_mode):
        skip(path, OUTSIDE_FILE, real)
        return None
    return st
