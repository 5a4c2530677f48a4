#!/usr/bin/env bash
# One-step set-up on a fresh machine: a virtual environment with mt-toolkit, every extra and the
# tested dependency versions (the test suite needs them all). Safe to run again.
#
# torch comes first, and as the CPU build unless told otherwise: on Linux, PyPI's torch is the
# multi-GB CUDA build. The order of preference:
#   1. MT_TOOLKIT_TORCH_INDEX set: torch from that index (e.g. https://download.pytorch.org/whl/cu128
#      for a CUDA build); pip still takes torch's own dependencies from PyPI.
#   2. a CPU wheel of the pinned torch that pip finds without an index (find-links, a wheel cache):
#      used as is, with no network.
#   3. otherwise, on Linux, the CPU build from https://download.pytorch.org/whl/cpu.
# Other systems (macOS, Windows) get PyPI's torch, which is already CPU (or MPS) only.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
PIP=(.venv/bin/python -m pip)
"${PIP[@]}" install -q --upgrade pip

TORCH_PIN=$(grep -E '^torch==' constraints.txt)  # e.g. torch==2.13.0
CPU_INDEX=https://download.pytorch.org/whl/cpu

installed_torch() {
  .venv/bin/python -c "import importlib.metadata as m; print(m.version('torch'))" 2>/dev/null || true
}

# Which torch pip would take from local wheels alone (no index reached, nothing installed).
local_torch() {
  local report
  report=$(mktemp)
  if "${PIP[@]}" install -q --dry-run --no-deps --no-index --ignore-installed --report "$report" "$TORCH_PIN" \
      >/dev/null 2>&1; then
    .venv/bin/python -c "import json,sys; print(json.load(open(sys.argv[1]))['install'][0]['metadata']['version'])" \
      "$report"
  fi
  rm -f "$report"
}

want=${TORCH_PIN#torch==}
have=$(installed_torch)
if [[ -n "${MT_TOOLKIT_TORCH_INDEX:-}" ]]; then
  echo "torch: from $MT_TOOLKIT_TORCH_INDEX"
  "${PIP[@]}" install -q -c constraints.txt --extra-index-url "$MT_TOOLKIT_TORCH_INDEX" "$TORCH_PIN"
elif [[ "$have" == "$want+cpu" || ( "$have" == "$want" && "$(uname -s)" != Linux ) ]]; then
  echo "torch: $have already installed"
else
  found=$(local_torch)
  if [[ "$found" == "$want+cpu" ]]; then
    echo "torch: CPU wheel $found found locally"
    "${PIP[@]}" install -q -c constraints.txt "$TORCH_PIN"
  elif [[ "$(uname -s)" == Linux ]]; then
    echo "torch: CPU build from $CPU_INDEX"
    "${PIP[@]}" install -q -c constraints.txt --extra-index-url "$CPU_INDEX" "$TORCH_PIN"
  else
    "${PIP[@]}" install -q -c constraints.txt "$TORCH_PIN"
  fi
fi

"${PIP[@]}" install -q -c constraints.txt -e '.[dev]' --config-settings editable_mode=compat
