#!/usr/bin/env bash
# Runs the whole LINTAS test suite: unit tests, integration tests on real photos, CLI tests.
# Extra arguments go to `cargo test` (e.g. a test name filter).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo test --workspace --locked "$@"
