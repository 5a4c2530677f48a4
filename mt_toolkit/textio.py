"""Reading user files safely and writing outputs atomically.

Every file a user hands us goes through `read_text`, so that empty, binary or wrongly encoded
input gets the same clear one-line error everywhere. Every output goes through `atomic_write`,
so an interrupted run never leaves a half-written file behind.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from mt_toolkit.errors import InputError

STDIN = "-"


def _describe(path: str | os.PathLike[str]) -> str:
    return "standard input" if str(path) == STDIN else str(path)


def decode_text(data: bytes, *, name: str) -> str:
    """Decode UTF-8 (BOM allowed), refusing binary data and other encodings with a clear error."""
    if b"\x00" in data[:8192]:
        raise InputError(f"{name} looks like a binary file, not UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{name} is not valid UTF-8 (byte {err.start}); convert it first, "
            f"e.g. iconv -f LATIN1 -t UTF-8"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: str | os.PathLike[str], *, allow_empty: bool = False, allow_blank: bool = False) -> str:
    """Read a whole UTF-8 text file, or standard input for ``-``.

    Args:
        allow_empty: accept a file with no characters at all.
        allow_blank: accept a file of only spaces and blank lines (``translate`` keeps blank lines,
            so such a file has a well-defined output: the same blank lines).

    Raises:
        InputError: the file is missing, a directory, binary, not UTF-8, or empty (or blank, unless
            ``allow_blank``).
    """
    name = _describe(path)
    if str(path) == STDIN:
        data = sys.stdin.buffer.read()
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"{name}: no such file")
        if p.is_dir():
            raise InputError(f"{name} is a directory, expected a text file")
        data = p.read_bytes()
    text = decode_text(data, name=name)
    if not allow_empty and not text:
        raise InputError(f"{name} is empty")
    if not allow_empty and not allow_blank and not text.strip():
        raise InputError(f"{name} is empty (only blank lines or spaces)")
    return text


def read_lines(path: str | os.PathLike[str], *, allow_empty: bool = False, allow_blank: bool = False) -> list[str]:
    """Read a text file as lines without their newlines (one sentence per line files).

    Args:
        allow_blank: read a file of only blank lines as that many empty lines. Hypotheses want
            it (an empty hypothesis is data; sacrebleu scores an all-blank file as BLEU 0);
            sentences to align do not (such a file is refused as empty).
    """
    text = read_text(path, allow_empty=allow_empty, allow_blank=allow_blank)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def refuse_reading_stdin_twice(paths: Iterable[str | os.PathLike[str] | None]) -> None:
    """Refuse ``-`` (standard input) given for two inputs: the second would read nothing.

    Raises:
        InputError: ``-`` appears more than once among ``paths`` (None entries are ignored).
    """
    if sum(1 for p in paths if p is not None and str(p) == STDIN) > 1:
        raise InputError("standard input ('-') can be read for one input only; give the others as files")


def check_same_length(a: list[str], b: list[str], *, name_a: str, name_b: str) -> None:
    """Refuse line-parallel inputs whose line counts differ, naming both counts."""
    if len(a) != len(b):
        raise InputError(
            f"{name_a} has {len(a)} lines but {name_b} has {len(b)}; they must be line-parallel"
        )


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], *, mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` and rename it over ``path`` only on success.

    ``-`` writes to standard output instead (nothing to rename there).
    """
    if str(path) == STDIN:
        if "b" in mode:
            yield sys.stdout.buffer
        else:
            yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    if target.is_dir():
        raise InputError(f"cannot write {path}: it is a folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as err:  # read-only place, a file where a folder should be, /proc, ...
        raise cannot_write(path, err) from None
    # mkstemp makes the file private (0600); the output should get the mode any new file would.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as handle:
            yield handle
            try:
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as err:  # a full disk shows here at the latest
                raise cannot_write(path, err) from None
        try:
            os.replace(tmp, target)
        except OSError as err:
            raise cannot_write(path, err) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def cannot_write(path: str | os.PathLike[str], err: OSError) -> InputError:
    """The one-line error for an output ``path`` that ``err`` stopped us writing.

    A file standing where a folder must be (``-o notes.txt/out.txt``) is named as such, not as
    the bare "file exists" or "not a directory" the system reports.
    """
    blocker = _file_in_the_way(Path(path))
    if blocker is not None:
        return InputError(f"cannot write {path}: {blocker} is a file, not a folder")
    return InputError(f"cannot write {path}: {_reason(err)}")


def _reason(err: OSError) -> str:
    return (err.strerror or type(err).__name__).lower()


def _file_in_the_way(path: Path) -> Path | None:
    """The nearest existing ancestor of ``path`` when it is not a folder, else None."""
    for ancestor in path.parents:
        if ancestor.exists() or ancestor.is_symlink():
            return None if ancestor.is_dir() else ancestor
    return None


def check_output(
    path: str | os.PathLike[str] | None, *, inputs: Iterable[str | os.PathLike[str]] = (), folder: bool = False,
) -> None:
    """Fail now, before any model loads, if the run could not write ``path`` at its end.

    Refuses an output that names one of ``inputs`` (`refuse_overwriting_inputs`), an existing
    folder where a file is wanted (or a file where a folder is), a file standing where a folder
    of the path must be, and a place nothing can be written (read-only, ``/proc``): a
    temporary file is created and removed in the nearest existing folder to find out. Nothing
    else is created. ``-`` and None (standard output) always pass.

    Args:
        inputs: the paths the run reads.
        folder: ``path`` is a folder the run writes into (eval's results, a corpus folder).

    Raises:
        InputError: one line saying which path and why.
    """
    if path is None or str(path) == STDIN:
        return
    if not str(path).strip():  # Path("") is "." and would write over the current folder's name
        raise InputError(f"the output {'folder' if folder else 'file'} is an empty name; give a path"
                         + ("" if folder else ", or '-' for standard output"))
    refuse_overwriting_inputs(path, inputs)
    target = Path(path)
    if target.exists():
        if folder and not target.is_dir():
            raise InputError(f"cannot write into {path}: it is a file, not a folder")
        if not folder and target.is_dir():
            raise InputError(f"cannot write {path}: it is a folder")
    place = target if folder else target.parent
    blocker = _file_in_the_way(place / "x")
    if blocker is not None:
        raise InputError(f"cannot write {path}: {blocker} is a file, not a folder")
    existing = next(p for p in (place, *place.parents) if p.exists())
    try:
        fd, probe = tempfile.mkstemp(prefix=".mt-toolkit-probe.", dir=existing)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        raise InputError(f"cannot write {path}: {_reason(err)}") from None


def refuse_overwriting_inputs(
    output: str | os.PathLike[str] | None, inputs: Iterable[str | os.PathLike[str]]
) -> None:
    """Refuse an output path that names one of the inputs (the run would replace what it reads).

    ``-`` and None (standard output) never clash. A hook for every command's ``-o``.

    Raises:
        InputError: ``output`` is the same file as one of ``inputs``.
    """
    if output is None or str(output) == STDIN or not Path(output).exists():
        return
    for item in inputs:
        if item is None or str(item) == STDIN or not Path(item).exists():
            continue
        with contextlib.suppress(OSError):
            if os.path.samefile(output, item):
                raise InputError(f"{output} is also an input; choose another output path")


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` (or stdout for ``-``) atomically."""
    with atomic_write(path) as handle:
        handle.write(text)
