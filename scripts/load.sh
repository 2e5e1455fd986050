#!/usr/bin/env bash
# A load run against `lintas serve` on loopback: concurrent predict and login traffic.
#
#   scripts/load.sh [SECONDS]        (default: 120)
#
# Installs wrk from apt if missing (version pinned below), builds the release CLI, and
# starts `lintas serve` on 127.0.0.1 with a fresh data folder. Five people from
# tests/fixtures/faces are enrolled, then two wrk clients run at once for SECONDS:
#   - predict: 4 connections, POST /v1/predict with a kiosk token and a second photo of one
#     of the enrolled people (rotating), as JSON base64;
#   - login:   1 connection, POST /v1/auth/login as the kiosk account (bcrypt cost 12).
# Before that, 30 predict requests one at a time give the reference latency of the same
# server in the same run. Then a login burst: 80 connections send failed logins for unknown
# accounts (a new name each time, as from many addresses: the per-address limit is lifted
# for the run) for 30 s while 1 connection keeps punching, so the punches' latency under an
# unauthenticated CPU attack is measured beside the reference. Prints one JSON line per
# client (requests, throughput, p50/p99 latency, errors) and the server's peak resident
# memory. Exits non-zero when any request but the burst's refused logins failed.
set -euo pipefail

WRK_APT_VERSION=4.1.0-3+b2
SECONDS_TO_RUN=${1:-120}
PREDICT_CONNECTIONS=4
LOGIN_CONNECTIONS=1
PEOPLE=(amy howard leonard penny sheldon)
PASSWORD="load run password 42"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
    [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

log() { printf 'load: %s\n' "$*" >&2; }
die() {
    printf 'load: error: %s\n' "$*" >&2
    exit 1
}

if ! command -v wrk >/dev/null; then
    log "installing wrk $WRK_APT_VERSION"
    apt-get install -y -q "wrk=$WRK_APT_VERSION" >/dev/null ||
        { apt-get update -q >/dev/null && apt-get install -y -q "wrk=$WRK_APT_VERSION" >/dev/null; }
fi

(cd "$ROOT" && cargo build --release --locked -p lintas-cli)
LINTAS=$TARGET/release/lintas
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT

LINTAS_JWT_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n") LINTAS_ADMIN_PASSWORD=$PASSWORD RUST_LOG=warn \
    LINTAS_LOGIN_MAX_SOURCE_FAILURES=100000 \
    "$LINTAS" serve --addr "127.0.0.1:$PORT" --data "$WORK/data" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
    curl -sf "$BASE/v1/health" >/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server stopped: $(tail -n 5 "$WORK/server.log")"
    sleep 0.5
done
curl -sf "$BASE/v1/health" >/dev/null || die "the server did not start"

json() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }
call() { # METHOD PATH TOKEN [curl args...] -> body; fails on a non-2xx answer
    local method=$1 path=$2 token=$3
    shift 3
    curl -sS --fail-with-body -X "$method" "$BASE$path" -H "authorization: Bearer $token" "$@"
}
ADMIN=$(curl -sS --fail-with-body "$BASE/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"login\":\"admin\",\"password\":\"$PASSWORD\"}" | json '["access_token"]')
call POST /v1/employees "$ADMIN" -H 'content-type: application/json' \
    -d "{\"id\":\"kiosk-1\",\"name\":\"Lobby kiosk\",\"role\":\"kiosk\",\"password\":\"$PASSWORD\"}" >/dev/null
for person in "${PEOPLE[@]}"; do
    call POST /v1/employees "$ADMIN" -H 'content-type: application/json' \
        -d "{\"id\":\"$person\",\"name\":\"$person\",\"role\":\"employee\"}" >/dev/null
    call POST "/v1/employees/$person/faces" "$ADMIN" \
        -F "photo=@$ROOT/tests/fixtures/faces/$person/${person}1.png;type=image/png" >/dev/null
done
KIOSK=$(curl -sS --fail-with-body "$BASE/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"login\":\"kiosk-1\",\"password\":\"$PASSWORD\"}" | json '["access_token"]')
log "enrolled ${PEOPLE[*]}; running for ${SECONDS_TO_RUN}s"

# The wrk scripts: request bodies, and a JSON summary when done.
SUMMARY='
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "{\"client\":\"%s\",\"requests\":%d,\"seconds\":%.1f,\"per_second\":%.2f,\"p50_ms\":%.1f,\"p99_ms\":%.1f,\"max_ms\":%.1f,\"errors\":{\"connect\":%d,\"read\":%d,\"write\":%d,\"status\":%d,\"timeout\":%d}}\n",
    client, summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end'
python3 - "$ROOT" "$KIOSK" "$PASSWORD" "$WORK" "${PEOPLE[@]}" <<'PY'
import base64, json, sys
root, kiosk, password, work, people = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
bodies = []
for person in people:
    with open(f"{root}/tests/fixtures/faces/{person}/{person}2.png", "rb") as photo:
        bodies.append(json.dumps({"photo": base64.b64encode(photo.read()).decode()}))
with open(f"{work}/alone.json", "w") as out:
    out.write(bodies[0])
with open(f"{work}/predict.lua", "w") as out:
    out.write('client = "predict"\nlocal bodies = {\n')
    out.writelines(f"  [[{body}]],\n" for body in bodies)
    out.write("}\nlocal n = 0\n")
    out.write('wrk.headers["content-type"] = "application/json"\n')
    out.write(f'wrk.headers["authorization"] = "Bearer {kiosk}"\n')
    out.write("request = function()\n  n = n + 1\n")
    out.write('  return wrk.format("POST", "/v1/predict", nil, bodies[n % #bodies + 1])\nend\n')
with open(f"{work}/login.lua", "w") as out:
    out.write('client = "login"\nwrk.method = "POST"\nwrk.path = "/v1/auth/login"\n')
    out.write('wrk.headers["content-type"] = "application/json"\n')
    body = json.dumps({"login": "kiosk-1", "password": password})
    out.write(f"wrk.body = [[{body}]]\n")
with open(f"{work}/burst.lua", "w") as out:
    out.write('client = "failed logins"\nlocal n = 0\n')
    out.write('wrk.headers["content-type"] = "application/json"\n')
    out.write("request = function()\n  n = n + 1\n")
    out.write('  local body = string.format([[{"login":"nobody-%d-%d","password":"a wrong guess!"}]], math.random(1e9), n)\n')
    out.write('  return wrk.format("POST", "/v1/auth/login", nil, body)\nend\n')
with open(f"{work}/punching.lua", "w") as out:
    out.write('client = "predict during the login burst"\n')
    out.write('wrk.method = "POST"\nwrk.path = "/v1/predict"\n')
    out.write('wrk.headers["content-type"] = "application/json"\n')
    out.write(f'wrk.headers["authorization"] = "Bearer {kiosk}"\n')
    out.write(f"wrk.body = [[{bodies[0]}]]\n")
PY
echo "$SUMMARY" >>"$WORK/predict.lua"
echo "$SUMMARY" >>"$WORK/login.lua"
echo "$SUMMARY" >>"$WORK/burst.lua"
echo "$SUMMARY" >>"$WORK/punching.lua"

# The reference, in the same run: 30 predict requests one at a time on the idle server.
for _ in $(seq 1 30); do
    curl -sS -o /dev/null -w '%{time_total}\n' --fail-with-body "$BASE/v1/predict" \
        -H "authorization: Bearer $KIOSK" -H 'content-type: application/json' \
        --data-binary "@$WORK/alone.json"
done | sort -n | awk '{ t[NR] = $1 } END { printf "{\"client\":\"predict alone\",\"requests\":%d,\"p50_ms\":%.1f}\n", NR, t[int((NR + 1) / 2)] * 1000 }'

wrk -t 1 -c "$PREDICT_CONNECTIONS" -d "${SECONDS_TO_RUN}s" --timeout 30s -s "$WORK/predict.lua" "$BASE" \
    >"$WORK/predict.out" &
PREDICT=$!
wrk -t 1 -c "$LOGIN_CONNECTIONS" -d "${SECONDS_TO_RUN}s" --timeout 30s -s "$WORK/login.lua" "$BASE" \
    >"$WORK/login.out" &
LOGIN=$!
wait "$PREDICT" "$LOGIN"

grep '^{' "$WORK/predict.out"
grep '^{' "$WORK/login.out"

BURST_SECONDS=30
log "login burst: 80 connections of failed logins for ${BURST_SECONDS}s beside 1 punching connection"
wrk -t 1 -c 80 -d "${BURST_SECONDS}s" --timeout 60s -s "$WORK/burst.lua" "$BASE" >"$WORK/burst.out" &
BURST=$!
wrk -t 1 -c 1 -d "${BURST_SECONDS}s" --timeout 30s -s "$WORK/punching.lua" "$BASE" >"$WORK/punching.out" &
PUNCHING=$!
wait "$BURST" "$PUNCHING"
grep '^{' "$WORK/burst.out"
grep '^{' "$WORK/punching.out"
PEAK_KB=$(awk '/VmHWM/ { print $2 }' "/proc/$SERVER_PID/status")
echo "{\"server_peak_rss_mb\":$((PEAK_KB / 1024))}"
ERRORS=$(grep -h '^{' "$WORK/predict.out" "$WORK/login.out" "$WORK/punching.out" |
    python3 -c 'import json, sys; print(sum(sum(json.loads(l)["errors"].values()) for l in sys.stdin))')
((ERRORS == 0)) || die "$ERRORS requests failed (see the JSON above)"
