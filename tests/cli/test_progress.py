"""Progress display: rich bars on a terminal, nothing at all in a pipe."""

import io
import sys

from rich.console import Console

from mt_toolkit.cli import _common
from mt_toolkit.cli._common import progress_bars


def test_bars_show_only_the_phases_that_happen(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setattr(_common, "_stderr_console", lambda: Console(file=out, force_terminal=True, width=100))
    with progress_bars("Translating / embedding", "Aligning") as (prepare, align):
        align(5, 10)
        align(10, 10)
    assert "Aligning" in out.getvalue()
    assert "10/10" in out.getvalue()
    assert "Translating" not in out.getvalue()  # given translations: that phase never ran


def test_no_callbacks_in_a_pipe(monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    with progress_bars("a", "b") as callbacks:
        assert callbacks == (None, None)
