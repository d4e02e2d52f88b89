"""Output that is safe for the machine it is written on and for whoever reads it.

**Files.** Every file namnd writes (``extract``'s JSON and JSONL, ``export``'s CSV and
JSONL, ``review``'s HTML) is first written to a new file of a random name in the target's
own folder, created with ``O_CREAT|O_EXCL|O_NOFOLLOW`` (:func:`tempfile.mkstemp`), and
then put in place with :func:`os.replace`, which replaces whatever has the target's name
(a symlink included) and never writes through it. No existing path is ever opened for
writing, so a symlink planted in an output folder cannot make namnd overwrite another
file, and a reader never sees half a file.

**Permissions.** The records hold personal data: files are made readable and writable by
their owner only (:data:`FILE_MODE`, 0o600) and new folders usable by their owner only
(:data:`DIR_MODE`, 0o700), both further narrowed by the umask, never widened. Existing
folders keep their mode.

**Readers.** :func:`csv_cell` keeps a spreadsheet from running a cell as a formula;
:func:`escape_controls` keeps a terminal from obeying control characters in a
document; :func:`json_safe` escapes in JSON text the characters a terminal may obey that
JSON itself leaves raw.

**Extract's folder.** :func:`settle_folder` keeps a manifest of the files one ``extract``
wrote into its folder, so that the next one into the same folder removes those it did not
write again and names any other record it finds there.
"""

from __future__ import annotations

import csv
import os
import re
import stat
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator, Union

PathLike = Union[str, os.PathLike]

#: mode of every file namnd writes, before the umask narrows it
FILE_MODE = 0o600
#: mode of every folder namnd makes, before the umask narrows it
DIR_MODE = 0o700


# -- files ---------------------------------------------------------------------------------------
def make_dirs(path: PathLike) -> Path:
    """The folder ``path``, made (with any missing parents) with :data:`DIR_MODE` when missing.

    Raises :class:`NotADirectoryError` when something else has its name."""
    path = Path(path)
    if path.is_dir():
        return path
    if path.parent != path:
        make_dirs(path.parent)
    try:
        os.mkdir(path, DIR_MODE)
    except FileExistsError:
        if not path.is_dir():
            raise NotADirectoryError(f"not a folder: {path}") from None
    return path


@contextmanager
def replacing(path: PathLike, *, encoding: str = "utf-8", newline: str | None = None) -> Iterator[IO[str]]:
    """A new text file that takes ``path``'s place when the block ends without an exception.

    The file is created anew under a random name in ``path``'s folder (mode
    :data:`FILE_MODE` less the umask) and moved over ``path`` with :func:`os.replace`: a
    symlink at ``path`` is replaced itself, the file it points to is left alone. On an
    exception the new file is removed and ``path`` is as it was.
    """
    path = Path(path)
    # mkstemp: O_CREAT|O_EXCL|O_NOFOLLOW, a random name, mode 0o600 (FILE_MODE) less the umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_text(path: PathLike, text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` as :func:`replacing` does: a new private file, moved into place."""
    with replacing(path, encoding=encoding) as fh:
        fh.write(text)


# -- readers: spreadsheets and terminals ------------------------------------------------------------
#: the first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A cell a spreadsheet shows as text: a string that starts like a formula gets a ``'``
    in front (the writer of :func:`csv_writer` also quotes it). Numbers (SQLite INTEGER and
    REAL values, ``-3`` too) and NULL are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_writer(fh: IO[str]):
    """A CSV writer that quotes every text cell (numbers stay bare); give it rows of :func:`csv_cell` cells."""
    return csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC)


#: C0 and C1 control characters, DEL, and the bidirectional embeddings, overrides and
#: isolates that reorder what a terminal shows
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def escape_controls(text: str, keep: str = "") -> str:
    """``text`` with every control character written out as an escape (``\\x1b``,
    ``\\n``, ``\\u202e``) but those in ``keep``: what a terminal shows, and never obeys."""
    def escape(m: re.Match) -> str:
        ch = m.group()
        if ch in keep:
            return ch
        return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")

    return _CONTROLS.sub(escape, text)


_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_safe(text: str) -> str:
    """JSON text with the characters JSON leaves raw but a terminal may obey (DEL, C1
    controls such as CSI, bidirectional overrides, line and paragraph separators) written
    as JSON escapes (``\\u009b``): the same JSON values, safe to print. Only valid on JSON text, where such
    a character can only be inside a string."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# -- extract's folder --------------------------------------------------------------------------------
#: the list of the files the last ``extract`` wrote into its folder
MANIFEST = "namnd-extract.manifest"
_MANIFEST_HEAD = ("# namnd extract: the files it wrote into this folder. The next extract into the folder\n"
                  "# removes those of them it does not write again; it never touches any other file.\n")


@dataclass
class Settled:
    """What :func:`settle_folder` did: files of the previous run removed, and records in the
    folder that this run did not write (left alone)."""
    removed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)


def _extract_output(name: str) -> bool:
    """A name ``extract`` may have written: ``records.jsonl`` or a ``.json`` file, in the folder itself."""
    return (name == "records.jsonl" or name.endswith(".json")) and not any(c in name for c in ("/", os.sep, "\0"))


def previous_outputs(folder: PathLike) -> set[str]:
    """The names the manifest in ``folder`` lists (none when there is no manifest)."""
    try:
        fd = os.open(Path(folder) / MANIFEST, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return set()
    with os.fdopen(fd, encoding="utf-8", errors="replace") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            return set()
        names = (line.strip() for line in fh)
        return {n for n in names if n and not n.startswith("#") and _extract_output(n)}


def write_manifest(folder: PathLike, names: set[str]) -> None:
    write_text(Path(folder) / MANIFEST, _MANIFEST_HEAD + "".join(f"{n}\n" for n in sorted(names)))


def settle_folder(folder: PathLike, written: set[str], previous: set[str]) -> Settled:
    """After a complete ``extract`` run into ``folder``: remove the files of ``previous``
    (the manifest read before the run) that this run did not write again, list the ``.json``
    files it holds that this run did not write, and record ``written`` as the manifest."""
    folder = Path(folder)
    done = Settled()
    for name in sorted(previous - written):
        path = folder / name
        try:
            if path.is_symlink() or path.is_file():
                path.unlink()
                done.removed.append(name)
        except FileNotFoundError:
            pass
    for path in sorted(folder.glob("*.json")):
        if path.name not in written and (path.is_file() or path.is_symlink()):
            done.foreign.append(path.name)
    write_manifest(folder, written)
    return done
