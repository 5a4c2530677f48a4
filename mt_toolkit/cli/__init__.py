"""The `mt-toolkit` command line: a thin layer that parses, calls the library and prints.

Each command lives in its own module; this one only assembles the Typer app. Nothing heavy
(torch, transformers, ctranslate2) is imported here, so `mt-toolkit --help` stays instant.
Every command is built with `_common.command_class`, which gives it the shared conventions
(old option spellings as hidden aliases, metavars instead of Python types in ``--help``).
"""

from __future__ import annotations

from typing import Annotated

import typer

from mt_toolkit.cli import align as _align
from mt_toolkit.cli import eval as _eval
from mt_toolkit.cli import models as _models
from mt_toolkit.cli import score as _score
from mt_toolkit.cli import serve as _serve
from mt_toolkit.cli import trace as _trace
from mt_toolkit.cli import translate as _translate
from mt_toolkit.cli._common import Group, command_class, version_callback

app = typer.Typer(
    name="mt-toolkit",
    help="Machine translation and bilingual alignment: see how a quote changed as it crossed languages.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _quiet_libraries(
    version: Annotated[bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """The CLI owns the terminal: third-party progress bars and advice stay out of pipes."""
    import os
    import warnings

    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    warnings.filterwarnings("ignore", message=".*sacremoses.*")

    from mt_toolkit.errors import print_warnings_as_lines

    print_warnings_as_lines()


app.command("translate", cls=command_class(_translate.ALIASES))(_translate.translate_command)
app.command("align", cls=command_class(_align.ALIGN_ALIASES))(_align.align_command)
app.command("locate", cls=command_class(_align.LOCATE_ALIASES))(_align.locate_command)
app.command("score", cls=command_class(_score.ALIASES, _score.REMOVED))(_score.score_command)
app.command("trace", cls=command_class(_trace.ALIASES, _trace.REMOVED))(_trace.trace_command)
app.command("eval", cls=command_class(_eval.ALIASES, _eval.REMOVED))(_eval.eval_command)
app.command("serve", cls=command_class({}))(_serve.serve_command)
app.add_typer(_models.app, name="models")


def main() -> None:
    """Console-script entry point.

    A reader that closes our standard output early (``mt-toolkit ... | head``) ends the run
    quietly with status 141, as it would end `seq` or `git log`: the commands turn a
    BrokenPipeError into that (`_common.closed_pipe`); output still buffered at the end is
    flushed here, where a closed pipe is caught too.
    """
    import sys

    from mt_toolkit.cli._common import closed_pipe

    try:
        app()
    except SystemExit:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            raise SystemExit(closed_pipe().exit_code) from None
        raise
