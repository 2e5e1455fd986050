#!/usr/bin/env bash
# Fuzzing with cargo-fuzz (libFuzzer) for a bounded time per target.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# SECONDS per target (default 300); targets (default all): photo_pipeline, api_request,
# s3_event, access_token (see fuzz/fuzz_targets/). Installs cargo-fuzz (pinned below) into
# ${LINTAS_CACHE:-$HOME/.cache/lintas}/cargo-fuzz once. The corpus of each target lives in
# the cache and grows from run to run; it is seeded from fuzz/seeds/, from the photos in
# tests/fixtures/ and from requests and tokens written here. Builds with AddressSanitizer
# (LINTAS_FUZZ_SANITIZER=none to build without); the stable compiler is allowed the
# sanitizer flags with RUSTC_BOOTSTRAP=1. Prints one line per target: executions, time,
# corpus size, and findings (crashes, timeouts, out-of-memory inputs, kept in the cache).
# Exits non-zero when a target found anything.
set -euo pipefail

CARGO_FUZZ_VERSION=0.13.1
SECONDS_PER_TARGET=${1:-300}
shift || true
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=(photo_pipeline api_request s3_event access_token)
SANITIZER=${LINTAS_FUZZ_SANITIZER:-address}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${LINTAS_CACHE:-$HOME/.cache/lintas}
FUZZ_CACHE=$CACHE/fuzz
TOOLS=$CACHE/cargo-fuzz

log() { printf 'fuzz: %s\n' "$*" >&2; }

if [[ ! -x $TOOLS/bin/cargo-fuzz ]] || ! "$TOOLS/bin/cargo-fuzz" --version | grep -q " $CARGO_FUZZ_VERSION"; then
    log "installing cargo-fuzz $CARGO_FUZZ_VERSION into $TOOLS"
    cargo install --locked --root "$TOOLS" --version "$CARGO_FUZZ_VERSION" cargo-fuzz
fi
export PATH=$TOOLS/bin:$PATH

# Seeds: committed ones, real photos and hostile files, requests and tokens.
seed() {
    local target=$1 corpus=$FUZZ_CACHE/corpus/$1
    mkdir -p "$corpus"
    [[ -d $ROOT/fuzz/seeds/$target ]] && cp -n "$ROOT/fuzz/seeds/$target"/* "$corpus"/
    case $target in
    photo_pipeline)
        find "$ROOT/tests/fixtures/bad" -type f -size -300k -exec cp -n {} "$corpus"/ \;
        for person in amy howard penny; do
            cp -n "$ROOT/tests/fixtures/faces/$person/${person}1.png" "$corpus/$person.png"
        done
        ;;
    api_request | access_token)
        python3 "$ROOT/scripts/fuzz_seeds.py" "$target" "$ROOT/tests/fixtures" "$corpus"
        ;;
    esac
}

status=0
for target in "${TARGETS[@]}"; do
    seed "$target"
    mkdir -p "$FUZZ_CACHE/artifacts/$target"
    log "$target: building and running for ${SECONDS_PER_TARGET}s (sanitizer: $SANITIZER)"
    output=$FUZZ_CACHE/$target.log
    (cd "$ROOT/fuzz" && RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" \
        --sanitizer "$SANITIZER" --release --target-dir "$FUZZ_CACHE/target" \
        "$FUZZ_CACHE/corpus/$target" -- \
        -max_total_time="$SECONDS_PER_TARGET" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$FUZZ_CACHE/artifacts/$target/") >"$output" 2>&1 || status=1
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$output" | tail -n 1)
    seconds=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$output" | tail -n 1)
    corpus=$(find "$FUZZ_CACHE/corpus/$target" -type f | wc -l)
    findings=$(find "$FUZZ_CACHE/artifacts/$target" -type f | wc -l)
    printf '%-15s executions %-9s seconds %-5s corpus %-6s findings %s\n' \
        "$target" "${runs:-?}" "${seconds:-?}" "$corpus" "$findings"
    if ((findings)); then
        status=1
        log "$target: findings in $FUZZ_CACHE/artifacts/$target (log: $output)"
    fi
done
exit $status
