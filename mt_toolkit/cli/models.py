"""`mt-toolkit models ...`."""

from __future__ import annotations

import typer

app = typer.Typer(help="List, fetch and convert translation models.", no_args_is_help=True)
