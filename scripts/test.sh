#!/usr/bin/env bash
# Runs the whole LINTAS test suite: unit tests, integration tests on real photos, CLI tests,
# and the storage tests against real local DynamoDB and S3 servers (see docs/TESTING.md).
#  1. installs the test servers once (scripts/test-servers.sh install: DynamoDB Local, s3s-fs);
#  2. builds the tests (`cargo test --no-run`; this step may fetch crates from the registry);
#  3. runs them offline inside a loopback-only network namespace where DynamoDB Local and s3s-fs
#     are started for the run and stopped after it (scripts/test-servers.sh run; needs root);
#  4. checks that no crate depends on a layer it must not know (scripts/check-layers.sh);
#  5. runs the web console and the kiosk page in a real Chromium against `lintas serve`
#     (scripts/browser-test.sh: installs Chromium, ffmpeg and the pinned npm packages once);
#  6. lints the deployment template (scripts/lint-template.sh: cfn-lint, sam validate).
# Extra arguments go to the `cargo test` of step 3 (e.g. a test name filter).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/test-servers.sh install
cargo test --workspace --locked --no-run
scripts/test-servers.sh run cargo test --workspace --locked --offline "$@"
scripts/check-layers.sh
target_dir=$(cargo metadata --locked --offline --no-deps --format-version 1 |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
LINTAS_BIN="$target_dir/debug/lintas" scripts/browser-test.sh
scripts/lint-template.sh
