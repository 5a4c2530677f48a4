#!/usr/bin/env bash
# Lint and type-check as CI does: `ruff check` (rules in pyproject.toml; the code is never
# reformatted) and mypy (strict on the core modules). Uses the set-up's .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
"$PY" -m ruff check .
"$PY" -m mypy
