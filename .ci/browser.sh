#!/usr/bin/env bash
# The built book in a real browser: Debian's Chromium driven by playwright-core (never a
# downloaded browser). Installs what it needs; prints "N passed, N failed".
# usage: .ci/browser.sh BOOK_DIR SHOTS_DIR
set -euo pipefail
book=$(realpath "$1")
shots=$(realpath -m "$2")
here=$(dirname "$(realpath "$0")")

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian's chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if ! command -v node >/dev/null 2>&1; then
  echo "installing node"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "playwright-core needs node >= 20, found $(node --version)" >&2
  exit 1
fi
cd "$here/browser"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
CHROMIUM=$(command -v chromium) node check.mjs "$book" "$shots"
