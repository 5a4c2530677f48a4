"""What every command shares: one vocabulary of options, user errors as one line, progress bars.

The option vocabulary (issue 11, "one CLI convention"): two languages are always ``--src/-s`` and
``--tgt/-t``, one is ``--lang/-l``; ``-m`` is always ``--model``, ``-o/--output`` always a file,
``-f/--format`` always an output format; fixed choices are enums, so ``--help`` lists them and a
wrong value fails in parsing (exit 2) before any model loads. The shared options are declared
here once (``SrcOption``, ``DeviceOption`` ...) so their names, short flags and help read the same
in every command; each command keeps its defaults in its own signature.

Spellings that earlier releases used (``--src-lang``, ``--quote-lang``, eval's ``--out`` ...) still
parse for one release: `command_class` rewrites them to today's names before parsing and prints a
one-line note on stderr, and they never show in ``--help``.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from mt_toolkit.errors import MtToolkitError, summary

F = TypeVar("F", bound=Callable)

EXIT_USER_ERROR = 2
# The reader of our standard output went away (``mt-toolkit ... | head``): end quietly with the
# status a shell shows for coreutils or git killed by SIGPIPE (128 + 13), not 1 ("internal failure").
EXIT_CLOSED_PIPE = 141

# --- fixed choices --------------------------------------------------------------------------
# Kept equal to the library's own tuples (engine.BACKENDS, convert.QUANTIZATIONS, testsets.LAYOUTS,
# metrics.PAIRED_TESTS) by tests/cli/test_conventions.py; spelled out here so --help stays instant.


class Device(str, Enum):
    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"
    mps = "mps"


class Backend(str, Enum):
    auto = "auto"
    hf = "hf"
    ct2 = "ct2"


class ComputeType(str, Enum):
    """float32/float16/bfloat16 for both backends; the int8 types are CTranslate2's."""

    auto = "auto"
    float32 = "float32"
    float16 = "float16"
    bfloat16 = "bfloat16"
    int8 = "int8"
    int8_float32 = "int8_float32"
    int8_float16 = "int8_float16"
    int8_bfloat16 = "int8_bfloat16"


class Quantization(str, Enum):
    int8 = "int8"
    int8_float32 = "int8_float32"
    int8_float16 = "int8_float16"
    int8_bfloat16 = "int8_bfloat16"
    float16 = "float16"
    bfloat16 = "bfloat16"
    float32 = "float32"


class Engine(str, Enum):
    local = "local"
    ray = "ray"


class PairedTest(str, Enum):
    bs = "bs"
    ar = "ar"


class Layout(str, Enum):
    flores200 = "flores200"
    ntrex128 = "ntrex128"
    tico19 = "tico19"


# --- the shared options ---------------------------------------------------------------------

SrcOption = Annotated[str, typer.Option("--src", "-s", metavar="LANG", help="Source language (id, ind, ind_Latn, Indonesian ...).", show_default=False)]
TgtOption = Annotated[str, typer.Option("--tgt", "-t", metavar="LANG", help="Target language.", show_default=False)]
RevisionOption = Annotated[str | None, typer.Option("--revision", metavar="REV", help="Model revision (branch, tag or commit) to pin.", show_default=False)]
BeamOption = Annotated[int, typer.Option("--beam", metavar="N", min=1, help="Beam size.")]
BatchSizeOption = Annotated[int, typer.Option("--batch-size", metavar="N", min=1, help="Sentences per batch.")]
MaxLengthOption = Annotated[int, typer.Option("--max-length", metavar="N", min=1, help="Most tokens generated per sentence.")]
DeviceOption = Annotated[Device, typer.Option("--device", help="Where models run (auto: cuda, then mps, then cpu).")]
BackendOption = Annotated[Backend, typer.Option("--backend", help="hf (transformers), ct2 (CTranslate2), or auto (ct2 when a converted model exists).")]
ComputeTypeOption = Annotated[ComputeType, typer.Option("--compute-type", help="Precision; int8 types need the ct2 backend.")]
CacheOption = Annotated[bool, typer.Option("--cache/--no-cache", help="Reuse and store translations in the cache (--cache-file).")]
ThreadsOption = Annotated[int | None, typer.Option("--threads", metavar="N", min=1, help="CPU threads in all. Default: every core this process may use.", show_default=False)]
InterThreadsOption = Annotated[int | None, typer.Option("--inter-threads", metavar="N", min=1, help="Batches translated at once, sharing --threads. Default: chosen from the cores and the job size.", show_default=False)]
CacheFileOption = Annotated[Path | None, typer.Option("--cache-file", metavar="FILE", help="Translation cache. Default: translations.sqlite3 in $MT_TOOLKIT_CACHE_DIR or ~/.cache/mt-toolkit.", show_default=False)]


def model_option(help: str) -> Any:
    """``-m/--model MODEL`` with a command's own help (what the model is used for)."""
    return typer.Option("--model", "-m", metavar="MODEL", help=help, show_default=False)


def output_option(help: str = "Output file, written atomically. Default: stdout.") -> Any:
    """``-o/--output FILE``: always a file (a folder gets its own option name)."""
    return typer.Option("--output", "-o", metavar="FILE", help=help, show_default=False, parser=_output_path)


def _output_path(value: str) -> Path:
    """A Path, but never from an empty name: ``Path("")`` is ``.``, the current folder."""
    if not value.strip():
        raise typer.BadParameter("an empty name; give a file, or '-' for standard output")
    return Path(value)


def format_option(help: str) -> Any:
    """``-f/--format``: the choices come from the option's enum."""
    return typer.Option("--format", "-f", help=help)


def open_cache(cache: bool, cache_file: Path | None) -> Any:
    """The `TranslationCache` ``--cache``/``--cache-file`` ask for, or None with ``--no-cache``."""
    if not cache:
        return None
    from mt_toolkit.translate.cache import TranslationCache

    return TranslationCache(cache_file)


# --- the command class: hidden aliases, metavars, literal help --------------------------------


def command_class(aliases: Mapping[str, str] | None = None, removed: Mapping[str, str] | None = None) -> type[TyperCommand]:
    """A `TyperCommand` subclass for ``app.command(cls=...)`` that accepts ``aliases``.

    Args:
        aliases: old long option name -> today's name (``{"--src-lang": "--src"}``). The old
            name parses exactly like the new one (``--src-lang de`` and ``--src-lang=de``) and
            prints a deprecation note on stderr; ``--help`` never shows it. An old flag may
            stand for an option with its value (``{"--json": "--format json"}``).
        removed: short flags that meant something else in the previous release, with the line
            that says what to write instead (exit 2, not a confusing "no such option").
    """
    return type("Command", (Command,), {"aliases": dict(aliases or {}), "removed": dict(removed or {})})


class Command(TyperCommand):
    """Every mt-toolkit command: old spellings rewritten, help shown as written.

    Help shows metavars (``LANG``, ``FILE``) or the choices of an enum, never Python types, and
    no type at all for a flag; help text is printed literally (rich markup would eat
    ``[i, j]:[k]``).
    """

    aliases: dict[str, str] = {}
    removed: dict[str, str] = {}

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self.rewrite_aliases(list(args)))

    def rewrite_aliases(self, args: list[str]) -> list[str]:
        """``args`` with every old spelling replaced by today's (stops at ``--``)."""
        takes_value = {
            name for p in self.params if isinstance(p, TyperOption) and not p.is_flag and not p.count
            for name in p.opts
        }
        takes_value |= {old for old, new in self.aliases.items() if new in takes_value}
        has_cache_file = "--cache-file" in takes_value
        out: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                out.extend(args[i:])
                break
            name, eq, value = arg.partition("=")
            if name in self.removed or (arg[:2] in self.removed and not arg.startswith("--")):
                raise fail(self.removed.get(name) or self.removed[arg[:2]])
            if has_cache_file and name == "--cache" and (eq or _looks_like_cache_file(args, i)):
                _note_renamed("--cache FILE", "--cache-file FILE")
                out.append(f"--cache-file={value}" if eq else "--cache-file")
                name = "--cache-file"
            elif name in self.aliases:
                new = self.aliases[name]
                _note_renamed(name, new)
                if " " in new:  # a flag standing for an option and its value
                    out.extend(new.split(" ", 1))
                    name = ""
                else:
                    out.append(f"{new}={value}" if eq else new)
                    name = new
            else:
                out.append(arg)
            if name in takes_value and not eq and i + 1 < len(args):
                out.append(args[i + 1])  # the option's value is never rewritten
                i += 1
            i += 1
        return out

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        for param in params:
            _show_plainly(param)
        return params

    def format_help(self, ctx: Any, formatter: Any) -> None:
        if getattr(self, "rich_markup_mode", None) != "rich":
            return super().format_help(ctx, formatter)
        with _literal_help(self, self.get_params(ctx)):
            return super().format_help(ctx, formatter)


class Group(TyperGroup):
    """The ``mt-toolkit`` group itself: its options (``--version``) show no Python type either,
    and a usage error (an unknown option, a value of the wrong type, a missing argument) is one
    ``mt-toolkit: error:`` line and exit 2, like every other user error, not a box of usage text."""

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        for param in params:
            _show_plainly(param)
        return params

    def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None,  # type: ignore[override]
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            # Not standalone: click's errors (typer's vendored click) come to us instead of being
            # printed; an exit (``--help``, `fail`) comes back as its code, a finished command as
            # its return value.
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except typer.TyperException as err:
            if type(err).__name__ == "NoArgsIsHelpError":  # `mt-toolkit` alone: the help
                from typer import rich_utils

                rich_utils.rich_format_error(err)  # type: ignore[arg-type]
                sys.exit(err.exit_code)
            sys.exit(usage_error_line(err))
        except typer.Abort:
            typer.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) and not isinstance(rv, bool) else 0)


def usage_error_line(err: Any) -> int:
    """Print a click error as one line (with where to read the usage) and return its exit code."""
    message = " ".join(err.format_message().split())
    ctx = getattr(err, "ctx", None)
    message += f" (see '{ctx.command_path if ctx is not None else 'mt-toolkit'} --help')"
    error_line(message)
    return int(err.exit_code)


def _looks_like_cache_file(args: Sequence[str], i: int) -> bool:
    """Whether ``--cache X`` is the old spelling ``--cache FILE``: X is an SQLite file or named like one."""
    if i + 1 >= len(args) or args[i + 1].startswith("-"):
        return False
    candidate = Path(args[i + 1])
    if candidate.suffix.lower() in (".sqlite", ".sqlite3", ".db"):
        return True
    try:
        with candidate.open("rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _note_renamed(old: str, new: str) -> None:
    note(f"{old} is deprecated and will be removed; use {new}")


_SCALAR_METAVARS = {int: "N", float: "NUMBER", str: "TEXT", Path: "PATH"}


def _show_plainly(param: Any) -> None:
    """Make ``param`` show its metavar, its choices or nothing in help, never a Python type."""
    if getattr(param, "_mt_plain", False):
        return
    param._mt_plain = True
    original = param.display_type_rich

    def display(ctx: Any) -> str | None:
        if isinstance(param, TyperOption) and (param.is_flag or param.count):
            return None
        if isinstance(param, TyperArgument) and param.metavar is not None:
            return None  # the name column already shows it
        if param.metavar is not None:
            return param.metavar
        shown = original(ctx=ctx)
        if shown and "|" in shown:  # an enum: its choices
            return shown
        descriptor = getattr(param, "type_descriptor", None)
        annotation = getattr(descriptor, "annotation", None)
        args = getattr(annotation, "__args__", None)
        if args:  # list[X] / X | None
            annotation = next((a for a in args if a is not type(None)), annotation)
        return _SCALAR_METAVARS.get(annotation, "VALUE") if isinstance(annotation, type) else "VALUE"

    param.display_type_rich = display


@contextmanager
def _literal_help(command: Any, params: Sequence[Any]) -> Iterator[None]:
    """Escape rich markup in the command's and its parameters' help while it is printed."""
    from rich.markup import escape

    saved = [(command, command.help)] + [(p, getattr(p, "help", None)) for p in params]
    try:
        for owner, text in saved:
            if text:
                owner.help = escape(text)
        yield
    finally:
        for owner, text in saved:
            owner.help = text


def version_callback(value: bool) -> None:
    """``--version``: print the version and stop."""
    if value:
        from mt_toolkit import __version__

        typer.echo(f"mt-toolkit {__version__}")
        raise typer.Exit()


def error_line(message: str) -> None:
    """The one stderr line of a user error."""
    typer.echo(f"mt-toolkit: error: {message}", err=True)


def note(message: str) -> None:
    """A one-line note on stderr: something the user may want to change, the run goes on."""
    typer.echo(f"mt-toolkit: note: {message}", err=True)


def fail(message: str) -> typer.Exit:
    """Print ``message`` as one line on stderr and return the exit to raise (code 2)."""
    error_line(message)
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
            raise fail(summary(err)) from None
        except KeyboardInterrupt:
            typer.echo("mt-toolkit: interrupted", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            raise closed_pipe() from None

    return wrapper  # type: ignore[return-value]


def closed_pipe() -> typer.Exit:
    """Silence standard output for good and return the exit for a reader that went away.

    Python's own advice (the ``signal`` module docs): point stdout at devnull, so the final flush
    at interpreter exit does not fail a second time with "Exception ignored ... BrokenPipeError".
    SIGPIPE is not reset to its default instead: that would also kill us on any closed socket
    (the hub, Ray).
    """
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a test runner's stream)
        pass
    return typer.Exit(EXIT_CLOSED_PIPE)


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
