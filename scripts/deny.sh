#!/usr/bin/env bash
# Checks the dependency graph with cargo-deny (deny.toml): licences, banned crates and
# sources. Installs cargo-deny (pinned below) into ${LINTAS_CACHE:-$HOME/.cache/lintas}/cargo-deny
# once. Advisories are not checked: their database lives on GitHub, out of this machine's reach.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CARGO_DENY_VERSION=0.20.2
TOOLS=${LINTAS_CACHE:-$HOME/.cache/lintas}/cargo-deny
if [[ ! -x $TOOLS/bin/cargo-deny ]] || ! "$TOOLS/bin/cargo-deny" --version | grep -q " $CARGO_DENY_VERSION"; then
    echo "deny: installing cargo-deny $CARGO_DENY_VERSION into $TOOLS" >&2
    CARGO_TARGET_DIR=$TOOLS/build cargo install --locked --root "$TOOLS" --version "$CARGO_DENY_VERSION" cargo-deny
    rm -rf "$TOOLS/build"
fi
"$TOOLS/bin/cargo-deny" check licenses bans sources
