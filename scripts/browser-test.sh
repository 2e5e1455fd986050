#!/usr/bin/env bash
# Browser tests of the console and the kiosk page (tests/browser): Chromium driven by
# playwright-core, accessibility checked by axe-core, the kiosk's camera fed from a fixture
# photo. Usage: LINTAS_BIN=target/release/lintas scripts/browser-test.sh
# Installs what is missing first: Chromium and ffmpeg from Debian (as root), the npm packages of
# tests/browser (npm ci). Set LINTAS_SCREENSHOTS=DIR to keep a screenshot of each screen.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${LINTAS_BIN:?set LINTAS_BIN to the lintas binary to test}"
LINTAS_BIN="$(realpath "$LINTAS_BIN")"
export LINTAS_BIN
[[ -x "$LINTAS_BIN" ]] || { echo "LINTAS_BIN is not an executable: $LINTAS_BIN" >&2; exit 1; }
command -v node >/dev/null || { echo "node (20 or later) and npm are needed" >&2; exit 1; }

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "needs root to install: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The npm packages, installed again whenever the lock file changed.
browser_tests="$repo/tests/browser"
stamp="$browser_tests/node_modules/.lintas-lock-sha256"
lock_sum="$(sha256sum "$browser_tests/package-lock.json" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_sum" ]]; then
  (cd "$browser_tests" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" >"$stamp"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The fake camera plays this Y4M file in a loop: another photo of the man the test enrolls.
ffmpeg -loglevel error -y -i "$repo/tests/fixtures/poses/man_glasses/frontal2.jpg" \
  -vf scale=640:-2,format=yuv420p -frames:v 1 "$work/camera.y4m"

export LINTAS_FAKE_CAMERA="$work/camera.y4m"
export CHROMIUM="${CHROMIUM:-$(command -v chromium)}"
cd "$repo"
node --test tests/browser/console.test.mjs
