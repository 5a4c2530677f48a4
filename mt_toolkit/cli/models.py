"""`mt-toolkit models list | fetch`: the registry, what is present locally, offline copies."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from mt_toolkit.cli._common import Group, Quantization, RevisionOption, command_class, user_errors

app = typer.Typer(help="List, fetch and convert translation models.", no_args_is_help=True, cls=Group)


@app.command("list", cls=command_class())
@user_errors
def list_command() -> None:
    """Show which model serves each language pair, its licence, and whether it is present locally.

    On a terminal a table; in a pipe plain tab-separated lines with a header (nothing cut short,
    so a licence such as NLLB's non-commercial one stays readable).
    """
    from mt_toolkit.translate.hub import is_present
    from mt_toolkit.translate.registry import Registry, default_user_config

    registry = Registry.load()
    entries = [(spec, ", ".join(f"{a}-{b}" for a, b in spec.pairs)) for spec in registry.models]
    if registry.fallback:
        entries.append((registry.fallback, "any (fallback)"))
    rows = [
        (pairs, spec.id, spec.revision or "main", spec.license or "?", spec.origin,
         "yes" if is_present(spec.id, spec.revision) else "no")
        for spec, pairs in entries
    ]
    if not _stdout_is_terminal():
        typer.echo("\t".join(LIST_COLUMNS))
        for row in rows:
            typer.echo("\t".join(row))
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    config = default_user_config()
    caption = f"user config: {config}" if config.is_file() else f"user config: none (add models in {config})"
    table = Table(title="mt-toolkit model registry", caption=escape(caption), caption_justify="left")
    # Every column at least as wide as its longest word: cells wrap between words, never end in
    # "…" (an ellipsis made NLLB's "non-commercial" unreadable). A terminal too narrow for that
    # gets longer lines, which it wraps, rather than a cut.
    widths = [max(len(word) for cell in (name, *(row[i] for row in rows)) for word in cell.split()) for i, name in enumerate(LIST_COLUMNS)]
    for column, width in zip(LIST_COLUMNS, widths):
        table.add_column(column, overflow="fold", min_width=width)
    for row in rows:
        table.add_row(*(escape(cell) for cell in row[:-1]), "[green]yes[/]" if row[-1] == "yes" else "[dim]no[/]")
    console = Console(soft_wrap=True)
    console.width = max(console.width, sum(widths) + 3 * len(widths) + 1)
    console.print(table)


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


LIST_COLUMNS = ("pairs", "model", "revision", "licence", "from", "local")


@app.command("fetch", cls=command_class())
@user_errors
def fetch_command(
    model: Annotated[str, typer.Argument(metavar="MODEL", help="Hugging Face id, e.g. Helsinki-NLP/opus-mt-id-en.", show_default=False)],
    revision: RevisionOption = None,
) -> None:
    """Download a model into the Hugging Face cache (HF_HOME) so it works offline later."""
    from mt_toolkit.translate.hub import fetch_model

    path = fetch_model(model, revision=revision)
    typer.echo(path)


@app.command("convert", cls=command_class())
@user_errors
def convert_command(
    model: Annotated[str, typer.Argument(metavar="MODEL", help="Hugging Face id or local model folder.", show_default=False)],
    quantization: Annotated[Quantization, typer.Option(help="Stored weights: int8 for CPU; int8_float16, float16, bfloat16 for GPU; float32.")] = Quantization.int8,
    revision: RevisionOption = None,
    force: Annotated[bool, typer.Option("--force", help="Convert again even if the cache has it.")] = False,
) -> None:
    """Convert a model to CTranslate2 (cached in $MT_TOOLKIT_CACHE_DIR/ct2); `translate` then uses it by default."""
    from mt_toolkit.translate.convert import convert_model

    converted = convert_model(model, revision=revision, quantization=quantization.value, force=force)
    typer.echo(converted.path)
