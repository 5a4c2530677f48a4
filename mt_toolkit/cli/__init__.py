"""The `mt-toolkit` command line: a thin layer that parses, calls the library and prints.

Each command lives in its own module; this one only assembles the Typer app. Nothing heavy
(torch, transformers, ctranslate2) is imported here, so `mt-toolkit --help` stays instant.
"""

from __future__ import annotations

import typer

from mt_toolkit.cli import align as _align
from mt_toolkit.cli import eval as _eval
from mt_toolkit.cli import models as _models
from mt_toolkit.cli import score as _score
from mt_toolkit.cli import serve as _serve
from mt_toolkit.cli import trace as _trace
from mt_toolkit.cli import translate as _translate

app = typer.Typer(
    name="mt-toolkit",
    help="Machine translation and bilingual alignment: see how a quote changed as it crossed languages.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)

@app.callback()
def _quiet_libraries() -> None:
    """The CLI owns the terminal: third-party progress bars and advice stay out of pipes."""
    import os
    import warnings

    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    warnings.filterwarnings("ignore", message=".*sacremoses.*")


app.command("translate")(_translate.translate_command)
app.command("align")(_align.align_command)
app.command("locate")(_align.locate_command)
app.command("score")(_score.score_command)
app.command("trace")(_trace.trace_command)
app.command("eval")(_eval.eval_command)
app.command("serve")(_serve.serve_command)
app.add_typer(_models.app, name="models")


def main() -> None:
    """Console-script entry point."""
    app()
