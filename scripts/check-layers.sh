#!/usr/bin/env bash
# Fails when a crate depends on a layer it must not know (see docs/ARCHITECTURE.md):
# the face model has no inference runtime and no async runtime, the core no HTTP, SQL, AWS or
# inference runtime, the HTTP crate no store, the console's files no code of the service, and
# the login function no face engine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

fail=0
forbid() { # crate, then the packages its normal dependency tree must not contain
    local crate=$1
    shift
    local tree
    tree=$(cargo tree --locked --offline -p "$crate" -e normal --prefix none --format '{p}' | sed 's/ .*//' | sort -u)
    for package in "$@"; do
        if grep -qx "$package" <<<"$tree"; then
            echo "check-layers: $crate depends on $package" >&2
            fail=1
        fi
    done
}

forbid lintas-face tract-onnx image tokio lintas-core axum
forbid lintas-engine tokio lintas-core axum rusqlite aws-sdk-dynamodb
forbid lintas-core axum tower-http rusqlite aws-sdk-dynamodb aws-sdk-s3 lambda_http tract-onnx image lintas-http lintas-console
# The console's files call the public API only: the crate holds bytes and knows no other layer.
forbid lintas-console lintas-core lintas-http axum tokio
forbid lintas-http rusqlite aws-sdk-dynamodb aws-sdk-s3 tract-onnx lintas-local lintas-aws lintas-engine
forbid lintas-local aws-sdk-dynamodb aws-sdk-s3 tract-onnx lintas-aws
forbid lintas-aws rusqlite tract-onnx lintas-local lintas-engine
forbid lintas-login tract-onnx image lintas-engine rusqlite

if [[ $fail -ne 0 ]]; then
    exit 1
fi
echo "check-layers: every crate keeps to its layer"
