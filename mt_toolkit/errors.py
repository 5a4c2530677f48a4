"""Errors a user can fix.

Everything a user can act on (a missing model, an unknown language, a malformed file) is an
``MtToolkitError``; its message says what to do next. The CLI catches only this base class,
prints the message on one line and exits 2. Any other exception is a bug and keeps its traceback.

    MtToolkitError
     ├── InputError            unreadable, empty, binary or mismatched input files
     ├── UnknownLanguageError  a language code nobody knows
     ├── ModelNotFoundError    a model that is neither local nor downloadable now
     ├── NoRouteError          no model (direct or through a pivot) serves a language pair
     ├── BackendUnavailable    an optional dependency (ctranslate2, ray, ...) is not installed
     └── ConfigError           a malformed registry, user config or test-set entry

Things a user should know that do not stop the run (over-long sentences split, beads left out of
a TMX file) are ``MtToolkitWarning``s raised with `warnings.warn`: a Python caller can catch or
filter them; the CLI prints each as one ``mt-toolkit: warning: ...`` line (`print_warnings_as_lines`).
"""

from __future__ import annotations

import sys
import warnings
from typing import TextIO


class MtToolkitError(Exception):
    """Base class for every error a user can fix; the CLI turns it into one line and exit 2."""


class InputError(MtToolkitError):
    """An input file or stream the toolkit cannot use as given."""


class UnknownLanguageError(MtToolkitError):
    """A language code or name that is not in the toolkit's table."""


class ModelNotFoundError(MtToolkitError):
    """A model that is not available locally and cannot be downloaded now."""


class NoRouteError(MtToolkitError):
    """No model, direct or through a pivot language, serves the requested pair."""


class BackendUnavailable(MtToolkitError):
    """An optional dependency needed for the requested feature is not installed."""


class ConfigError(MtToolkitError):
    """A malformed registry, user configuration or test-set description."""


def summary(err: BaseException) -> str:
    """An error as one line: its message's first line, or its class name when the message is empty.

    The one way the CLI, the JSON API and the web pages shorten an error for the user.
    """
    text = str(err)
    return text.splitlines()[0] if text else type(err).__name__


def missing_extra(module: str, extra: str) -> BackendUnavailable:
    """The error raised when an optional import fails, naming the pip extra that brings it."""
    return BackendUnavailable(
        f"{module} is not installed; install it with: pip install 'mt-toolkit[{extra}]'"
    )


class MtToolkitWarning(UserWarning):
    """Something the user should know that did not stop the run; the message says what happened."""


_WRAPPED = "_mt_toolkit_wraps"  # set on our display: the display it stands in front of


def print_warnings_as_lines(stream: TextIO | None = None) -> None:
    """Show `MtToolkitWarning` as one ``mt-toolkit: warning: ...`` line on stderr, no source line.

    Other warnings keep Python's usual display. Each distinct message is shown once per run
    (Python's default filter), which is what a count in the message needs. Calling it again (every
    in-process CLI run does) replaces its own display instead of wrapping it once more.
    """
    previous = getattr(warnings.showwarning, _WRAPPED, warnings.showwarning)

    def show(
        message: Warning | str, category: type[Warning], filename: str, lineno: int,
        file: TextIO | None = None, line: str | None = None,
    ) -> None:
        if issubclass(category, MtToolkitWarning):
            print(f"mt-toolkit: warning: {message}", file=stream or sys.stderr)
        else:
            previous(message, category, filename, lineno, file, line)

    setattr(show, _WRAPPED, previous)
    warnings.showwarning = show
