"""``OUT.partial`` plus ``OUT.checkpoint``: an output that survives being killed at any moment.

The order of writes is what makes it safe: (1) append a chunk to the partial file and fsync it,
(2) atomically replace the checkpoint with the new offsets. A kill between (1) and (2) leaves
bytes past the checkpoint's ``output_offset``; resuming truncates them away and the chunk is
translated again. A kill during (2) leaves the old checkpoint (rename is atomic). At the end the
partial file is renamed to ``OUT`` and then the checkpoint removed; a kill between those two is
recognised on resume (the output has exactly the checkpointed size) and finished.

While a job runs it holds ``OUT.lock`` (an ``fcntl`` lock on a file holding its pid): a second job
writing the same output is refused at once instead of interleaving chunks with the first. The
kernel drops the lock when the process dies, so a killed job never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO

from mt_toolkit.errors import InputError
from mt_toolkit.textio import atomic_write, cannot_write


@dataclass(frozen=True)
class Checkpoint:
    """How far a job's committed output reaches."""

    records: int = 0  # input records whose output is committed
    input_offset: int = 0  # input byte offset just after the last committed record
    output_offset: int = 0  # committed bytes of OUT.partial
    finished: bool = False  # the output is complete (resuming does nothing)


class ResumableOutput:
    """An output file written in committed chunks.

    Args:
        output: the final output path.
        fingerprint: what the output depends on (input identity, languages, field, model, ...);
            a resume with a different fingerprint is refused, not silently mixed.
        resume: continue an interrupted run; without it, leftovers of one are an error.
    """

    def __init__(self, output: str | Path, *, fingerprint: dict, resume: bool) -> None:
        self.output = Path(output)
        self.partial = self.output.with_name(self.output.name + ".partial")
        self.checkpoint_path = self.output.with_name(self.output.name + ".checkpoint")
        self.lock_path = self.output.with_name(self.output.name + ".lock")
        self._lock: OutputLock | None = None
        self.fingerprint = json.loads(json.dumps(fingerprint))  # normalise tuples etc.
        self.resume = resume
        self._state = Checkpoint()
        self._handle: BinaryIO | None = None

    def open(self) -> Checkpoint:
        """Start or resume: returns the committed state to continue from.

        Raises:
            InputError: another job is writing the same output; leftovers of an interrupted run
                without ``resume``; or a checkpoint made with other settings or for an input
                that has changed since (the message says which).
        """
        try:
            self._lock = OutputLock(self.lock_path, output=self.output)
            state = self._open()
        except OSError as err:  # /proc, a read-only folder, a file where a folder should be
            self.close()
            raise cannot_write(self.output, err) from None
        except BaseException:
            self.close()
            raise
        if state.finished:
            self.close()  # nothing to write
        return state

    def _open(self) -> Checkpoint:
        has_partial, has_checkpoint = self.partial.exists(), self.checkpoint_path.exists()
        if (has_partial or has_checkpoint) and not self.resume:
            raise InputError(
                f"{self.partial} is left from an interrupted run; add --resume to continue it, "
                f"or delete {self.partial.name} and {self.checkpoint_path.name} to start over"
            )
        state = Checkpoint()
        if has_checkpoint:
            saved = self._read_checkpoint()
            if saved.get("job") != self.fingerprint:
                raise InputError(
                    f"{self.checkpoint_path} was made with other settings or another version of the input "
                    f"({describe_changes(saved.get('job', {}), self.fingerprint)}); rerun with the same "
                    f"ones, or delete {self.partial.name} and {self.checkpoint_path.name} to start over"
                )
            state = Checkpoint(**saved["state"])
            if not has_partial:
                if self.output.exists() and self.output.stat().st_size == state.output_offset:
                    self.checkpoint_path.unlink()  # killed after the final rename: it is complete
                    return Checkpoint(state.records, state.input_offset, state.output_offset, finished=True)
                if state.output_offset:
                    raise InputError(f"{self.partial} is missing; delete {self.checkpoint_path.name} to start over")
        elif self.resume and not has_partial and self.output.exists():
            return Checkpoint(finished=True)  # nothing interrupted: the output is already complete
        self.partial.parent.mkdir(parents=True, exist_ok=True)
        self._handle = open(self.partial, "ab" if has_partial else "wb")
        size = self._handle.seek(0, os.SEEK_END)
        if size < state.output_offset:
            raise InputError(f"{self.partial} is shorter than its checkpoint says; delete it and "
                             f"{self.checkpoint_path.name} to start over")
        self._handle.truncate(state.output_offset)  # drop a chunk written but never committed
        self._handle.seek(state.output_offset)
        self._state = state
        return state

    def _opened(self) -> BinaryIO:
        if self._handle is None:  # a bug in the caller, not a user error
            raise RuntimeError("open() the checkpoint before committing to it")
        return self._handle

    def _read_checkpoint(self) -> dict[str, Any]:
        """The saved checkpoint; one that is not what we write (damaged, hand-edited) is an error."""
        try:
            saved = json.loads(self.checkpoint_path.read_text(encoding="utf-8"))
            Checkpoint(**saved["state"])
            if not isinstance(saved.get("job"), dict):
                raise TypeError("no job settings")
        except (ValueError, KeyError, TypeError) as err:
            raise InputError(
                f"{self.checkpoint_path} is damaged ({type(err).__name__}); delete {self.partial.name} and "
                f"{self.checkpoint_path.name} to start over"
            ) from None
        return saved

    def commit(self, data: bytes, *, records: int, input_offset: int) -> Checkpoint:
        """Append ``data`` (the output of ``records`` more input records) durably, then checkpoint."""
        handle = self._opened()
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
        self._state = Checkpoint(
            records=self._state.records + records,
            input_offset=input_offset,
            output_offset=self._state.output_offset + len(data),
        )
        self._write_checkpoint()
        return self._state

    def finish(self) -> None:
        """Rename the partial file to the output and remove the checkpoint."""
        self._opened().close()
        os.replace(self.partial, self.output)
        self.checkpoint_path.unlink(missing_ok=True)
        self.close()

    def close(self) -> None:
        """Close without finishing (the partial file and checkpoint stay for a resume)."""
        if self._handle is not None and not self._handle.closed:
            self._handle.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _write_checkpoint(self) -> None:
        with atomic_write(self.checkpoint_path) as handle:
            json.dump({"version": 1, "job": self.fingerprint, "state": asdict(self._state)}, handle, indent=1)


def describe_changes(saved: dict, now: dict, prefix: str = "") -> str:
    """What differs between a checkpoint's settings and this run's, e.g. ``tgt_lang: 'en' -> 'ru'``.

    The input's content is named, not shown (``input_sha256: the input's content changed``).
    """
    parts = []
    for key in sorted(set(saved) | set(now)):
        old, new = saved.get(key), now.get(key)
        if old == new:
            continue
        name = f"{prefix}{key}"
        if isinstance(old, dict) and isinstance(new, dict):
            parts.append(describe_changes(old, new, prefix=f"{name}."))
        elif key == "input_sha256":
            parts.append(f"{name}: the input's content changed" if old else f"{name}: the checkpoint predates content hashing")
        else:
            parts.append(f"{name}: {old!r} -> {new!r}")
    return "; ".join(parts)


class OutputLock:
    """An exclusive lock on ``OUT.lock`` for as long as one job writes ``OUT``.

    Raises:
        InputError: another live process holds it (its pid is in the message).
    """

    def __init__(self, path: Path, *, output: Path) -> None:
        import fcntl  # POSIX only; imported here so the module imports anywhere

        path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
                os.close(fd)
                raise InputError(
                    f"another job (pid {holder}) is writing {output}; wait for it to finish, or choose "
                    f"another output (if no such job runs, delete {path.name})"
                ) from None
            # The file may have been unlinked by a job finishing between our open and flock;
            # then the lock is on an orphan inode: start again on the current file.
            try:
                same = os.fstat(fd).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self.path = path
        self._fd: int | None = fd

    def release(self) -> None:
        """Remove the lock file and drop the lock (unlink first, so no one locks an orphan)."""
        if self._fd is None:
            return
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        os.close(self._fd)
        self._fd = None
