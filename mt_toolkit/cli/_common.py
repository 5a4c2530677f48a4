"""What every command shares: turning user errors into one line and exit 2, and progress bars."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Optional, TypeVar

from typing import Annotated

import typer

from mt_toolkit.errors import MtToolkitError

F = TypeVar("F", bound=Callable)

EXIT_USER_ERROR = 2

# Decoding and hardware options shared by every command that translates, declared once so their
# names and help read the same everywhere; each command keeps its defaults in its signature.
BeamOption = Annotated[int, typer.Option("--beam", min=1, help="Beam size.")]
BatchSizeOption = Annotated[int, typer.Option(min=1, help="Sentences per batch.")]
MaxLengthOption = Annotated[int, typer.Option(min=1, help="Most tokens generated per sentence.")]
DeviceOption = Annotated[str, typer.Option(help="auto, cpu, cuda or mps.")]
BackendOption = Annotated[str, typer.Option(help="auto, hf (transformers) or ct2 (CTranslate2).")]
ComputeTypeOption = Annotated[str, typer.Option(help="auto, float32, float16, bfloat16 (int8 with ct2).")]
ThreadsOption = Annotated[Optional[int], typer.Option(min=1, help="CPU threads in all. Default: every core this process may use.")]
InterThreadsOption = Annotated[Optional[int], typer.Option(min=1, help="Batches translated at once, sharing --threads. Default: chosen from the cores and the job size.")]


def fail(message: str) -> typer.Exit:
    """Print ``message`` as one line on stderr and return the exit to raise (code 2)."""
    typer.echo(f"mt-toolkit: error: {message}", err=True)
    return typer.Exit(EXIT_USER_ERROR)


def user_errors(func: F) -> F:
    """Wrap a command so an `MtToolkitError` becomes one stderr line and exit code 2.

    Anything else is a bug and keeps its traceback (exit 1).
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except MtToolkitError as err:
            raise fail(str(err).splitlines()[0] if str(err) else type(err).__name__) from None
        except KeyboardInterrupt:
            typer.echo("mt-toolkit: interrupted", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


ProgressCallback = Callable[[int, int], None]


@contextmanager
def progress_bar(description: str) -> Iterator[ProgressCallback | None]:
    """A rich progress bar on a terminal, nothing in a pipe.

    Yields a callback ``(done, total)`` for the library to call, or None when stderr is not a
    terminal, so library code pays nothing for progress it will not show.
    """
    with progress_bars(description, lazy=False) as (update,):
        yield update


@contextmanager
def progress_bars(*descriptions: str, lazy: bool = True) -> Iterator[tuple[ProgressCallback | None, ...]]:
    """Several bars in one display (rich allows one live display at a time), one per phase.

    With ``lazy``, a bar appears when its callback is first called, so a phase that does not
    happen (no translation needed) shows nothing; otherwise it shows at once, without a total
    until the first call. In a pipe every callback is None.
    """
    if not sys.stderr.isatty():
        yield tuple(None for _ in descriptions)
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        transient=True,
        console=_stderr_console(),
    ) as progress:

        def callback(description: str) -> ProgressCallback:
            task = None if lazy else progress.add_task(description, total=None)

            def update(done: int, total: int) -> None:
                nonlocal task
                if task is None:
                    task = progress.add_task(description, total=total)
                progress.update(task, completed=done, total=total)

            return update

        yield tuple(callback(d) for d in descriptions)


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)
