"""`mt-toolkit models list | fetch`: the registry, what is present locally, offline copies."""

from __future__ import annotations

from typing import Annotated

import typer

from mt_toolkit.cli._common import Group, Quantization, RevisionOption, command_class, user_errors

app = typer.Typer(help="List, fetch and convert translation models.", no_args_is_help=True, cls=Group)


@app.command("list", cls=command_class())
@user_errors
def list_command() -> None:
    """Show which model serves each language pair, its licence, and whether it is present locally."""
    from rich.console import Console
    from rich.table import Table

    from mt_toolkit.translate.hub import is_present
    from mt_toolkit.translate.registry import Registry, default_user_config

    registry = Registry.load()
    table = Table(title="mt-toolkit model registry", caption=f"user config: {default_user_config()}")
    for column in ("pairs", "model", "revision", "licence", "from", "local"):
        table.add_column(column, no_wrap=column == "model")
    rows = [(spec, ", ".join(f"{a}-{b}" for a, b in spec.pairs)) for spec in registry.models]
    if registry.fallback:
        rows.append((registry.fallback, "any (fallback)"))
    for spec, pairs in rows:
        present = is_present(spec.id, spec.revision)
        table.add_row(pairs, spec.id, spec.revision or "main", spec.license or "?", spec.origin,
                      "[green]yes[/]" if present else "[dim]no[/]")
    Console(soft_wrap=True).print(table)


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
