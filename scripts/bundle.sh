#!/usr/bin/env bash
# Lambda deployment bundles of every function in functions/, for x86_64 and arm64.
#
#   scripts/bundle.sh [x86_64|arm64|all]        (default: all)
#
# Installs, once, cargo-lambda and zig from PyPI (versions pinned below) into
# ${LINTAS_CACHE:-$HOME/.cache/lintas}/venv-lambda, and the Rust target of each
# architecture. Builds every function in release mode for provided.al2023 with zig as the
# linker, against glibc 2.17 (older than Amazon Linux 2023's 2.34, so the binaries load
# there), and writes to ${LINTAS_DIST:-dist}/<arch>/:
#
#   lintas-<function>.zip   the function: its binary as `bootstrap`
#   models-layer.zip        ModelsLayer: the detector, the embedder and the two anti-spoofing
#                           models, mounted at /opt
#
# Prints each bundle's size zipped and unzipped, and fails when a function together with
# the layer it mounts is over 40 MB zipped.
set -euo pipefail

CARGO_LAMBDA_VERSION=1.9.2 # PyPI cargo-lambda: prebuilt binary
ZIGLANG_VERSION=0.17.0     # PyPI ziglang: the zig toolchain cargo-lambda links with
GLIBC_VERSION=2.17         # oldest glibc the binaries need
LIMIT_BYTES=$((40 * 1000 * 1000))
FUNCTIONS=(login register predict enroll)
FACE_FUNCTIONS=" register predict enroll " # the functions that mount ModelsLayer
MODELS=(yunet_2023mar.onnx facenet_int8.onnx minifasnet_v2.onnx minifasnet_v1se.onnx)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${LINTAS_CACHE:-$HOME/.cache/lintas}
VENV=$CACHE/venv-lambda
DIST=${LINTAS_DIST:-$ROOT/dist}

log() { printf 'bundle: %s\n' "$*" >&2; }
die() {
    printf 'bundle: error: %s\n' "$*" >&2
    exit 1
}

case "${1:-all}" in
x86_64) ARCHES=(x86_64) ;;
arm64) ARCHES=(arm64) ;;
all) ARCHES=(x86_64 arm64) ;;
*) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2 && exit 2 ;;
esac

install_tools() {
    if [[ ! -x $VENV/bin/cargo-lambda ]] ||
        [[ $("$VENV/bin/pip" freeze 2>/dev/null | grep -ci -e "^cargo-lambda==$CARGO_LAMBDA_VERSION" -e "^ziglang==$ZIGLANG_VERSION") != 2 ]]; then
        log "installing cargo-lambda $CARGO_LAMBDA_VERSION and ziglang $ZIGLANG_VERSION into $VENV"
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install --quiet "cargo-lambda==$CARGO_LAMBDA_VERSION" "ziglang==$ZIGLANG_VERSION"
    fi
    export PATH=$VENV/bin:$PATH
}

rust_target() { # the Rust target triple of a Lambda architecture
    case $1 in
    x86_64) echo x86_64-unknown-linux-gnu ;;
    arm64) echo aarch64-unknown-linux-gnu ;;
    esac
}

# Writes `$2` (a zip) holding the files `$3...` stored under their base names.
zip_files() {
    python3 - "$@" <<'PY'
import os, sys, zipfile
out, files = sys.argv[1], sys.argv[2:]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
    for path in files:
        info = zipfile.ZipInfo(os.path.basename(path), date_time=(2026, 1, 1, 0, 0, 0))
        info.external_attr = (os.stat(path).st_mode & 0o777 | 0o100000) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(path, "rb") as source:
            archive.writestr(info, source.read(), compresslevel=9)
PY
}

unzipped_bytes() {
    python3 -c 'import sys, zipfile; print(sum(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist()))' "$1"
}

# The newest glibc symbol version a binary needs.
newest_glibc() {
    objdump -T "$1" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1
}

mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }

bundle_arch() {
    local arch=$1 triple out packages=() failed=0
    triple=$(rust_target "$arch")
    out=$DIST/$arch
    rustup target list --installed | grep -qx "$triple" || rustup target add "$triple"
    for name in "${FUNCTIONS[@]}"; do packages+=(--package "lintas-$name"); done
    log "building ${FUNCTIONS[*]} for $arch ($triple, glibc $GLIBC_VERSION)"
    (cd "$ROOT" && cargo lambda build --release --locked --target "$triple.$GLIBC_VERSION" "${packages[@]}")
    rm -rf "$out" && mkdir -p "$out"
    local target_dir=${CARGO_TARGET_DIR:-$ROOT/target}
    zip_files "$out/models-layer.zip" "${MODELS[@]/#/$ROOT/models/}"
    local layer_zip layer_raw
    layer_zip=$(stat -c %s "$out/models-layer.zip")
    layer_raw=$(unzipped_bytes "$out/models-layer.zip")
    printf '%-8s %-24s %10s zipped %10s unzipped\n' "$arch" models-layer.zip "$(mb "$layer_zip")" "$(mb "$layer_raw")"
    for name in "${FUNCTIONS[@]}"; do
        local binary=$target_dir/lambda/lintas-$name/bootstrap
        [[ -f $binary ]] || die "cargo lambda left no $binary"
        local glibc
        glibc=$(newest_glibc "$binary")
        zip_files "$out/lintas-$name.zip" "$binary"
        local zipped raw total
        zipped=$(stat -c %s "$out/lintas-$name.zip")
        raw=$(unzipped_bytes "$out/lintas-$name.zip")
        total=$zipped
        [[ $FACE_FUNCTIONS == *" $name "* ]] && total=$((zipped + layer_zip))
        printf '%-8s %-24s %10s zipped %10s unzipped  needs %s  with its layer %s zipped\n' \
            "$arch" "lintas-$name.zip" "$(mb "$zipped")" "$(mb "$raw")" "$glibc" "$(mb "$total")"
        if ((total > LIMIT_BYTES)); then
            log "lintas-$name with its layer is over $(mb "$LIMIT_BYTES") zipped"
            failed=1
        fi
    done
    return $failed
}

install_tools
status=0
for arch in "${ARCHES[@]}"; do
    bundle_arch "$arch" || status=1
done
exit $status
