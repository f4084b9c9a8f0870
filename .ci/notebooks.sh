#!/usr/bin/env bash
# Every chapter notebook executed by real Jupyter machinery (nbclient) with the evcxr Rust
# kernel, its fresh outputs compared cell by cell with the outputs the build stored in it.
# Installs what it needs (skipped when present); prints "N passed, N failed".
# usage: .ci/notebooks.sh CHAPTERS_DIR [NOTEBOOK ...]   (e.g. prelude linear; all when none)
set -euo pipefail
chapters=$(realpath "$1")
shift
here=$(dirname "$(realpath "$0")")
export PATH="$HOME/.cargo/bin:$PATH"

if ! command -v evcxr_jupyter >/dev/null 2>&1; then
  echo "installing evcxr_jupyter 0.22.0 (about 11 minutes on two cores)"
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 cargo install evcxr_jupyter@0.22.0 --locked --quiet
fi
venv="${IOR_NOTEBOOK_VENV:-$HOME/.cache/items-or-relations/venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet nbclient==0.10.2 nbformat ipykernel
fi
export JUPYTER_PATH="$venv/share/jupyter"
evcxr_jupyter --install >/dev/null 2>&1 || true
# One build folder for every notebook: the crate compiles once, not per notebook. Its path must
# contain no dot: evcxr then fails to load the code it compiled ("dlopen failed").
export EVCXR_TMPDIR="${EVCXR_TMPDIR:-/tmp/items-or-relations-evcxr}"
mkdir -p "$EVCXR_TMPDIR"
# The kernel resolves the library's dependencies for itself; start it from this repository's
# Cargo.lock, so that the notebooks run the versions the book was built with (a newer plotters
# or rand could change a stored output) and nothing is looked up in the registry's index.
cp "$here/../Cargo.lock" "$EVCXR_TMPDIR/Cargo.lock"
"$venv/bin/python" "$here/run_notebooks.py" "$chapters" "$@"
