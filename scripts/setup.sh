#!/usr/bin/env bash
# One-step set-up on a fresh machine: a virtual environment with mt-toolkit and its tested
# dependency versions (CPU torch). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -c constraints.txt -e '.[dev]' --config-settings editable_mode=compat
