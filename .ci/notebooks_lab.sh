#!/usr/bin/env bash
# The chapter notebooks in JupyterLab with no Rust kernel installed, in Debian's headless
# Chromium: every stored figure and table must show without running anything. Installs what it
# needs (skipped when present); prints "N passed, N failed".
# usage: .ci/notebooks_lab.sh CHAPTERS_DIR SHOTS_DIR
set -euo pipefail
chapters=$(realpath "$1")
shots=$(realpath -m "$2")
here=$(dirname "$(realpath "$0")")

venv="${IOR_LAB_VENV:-$HOME/.cache/items-or-relations/lab-venv}"
if [ ! -x "$venv/bin/jupyter-lab" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet jupyterlab==4.6.6
fi
# A Jupyter of its own: no kernel but its Python one, no settings, no workspace of the user's.
home=$(mktemp -d)
export JUPYTER_DATA_DIR="$home/data" JUPYTER_CONFIG_DIR="$home/config" JUPYTER_RUNTIME_DIR="$home/runtime"
unset JUPYTER_PATH
port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$venv/bin/jupyter-lab" --no-browser --ip 127.0.0.1 --port "$port" --ServerApp.token= \
  --ServerApp.password= --ServerApp.root_dir="$chapters" --allow-root >"$home/lab.log" 2>&1 &
lab=$!
trap 'kill "$lab" 2>/dev/null || true; rm -rf "$home"' EXIT
for _ in $(seq 1 60); do
  if "$venv/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/lab')" 2>/dev/null; then
    break
  fi
  sleep 1
done
cd "$here/browser"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
node notebooks.mjs "http://127.0.0.1:$port" "$chapters" "$shots"
