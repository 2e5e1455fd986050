"""Seed inputs for the api_request and access_token fuzz targets (see scripts/fuzz.sh).

    python3 scripts/fuzz_seeds.py TARGET FIXTURES_DIR CORPUS_DIR
"""

import base64
import hashlib
import hmac
import json
import sys
import time
from pathlib import Path

BOUNDARY = "fuzz-boundary"
# Must match fuzz/fuzz_targets/access_token.rs.
TOKEN_SECRET = b"fuzzing secret of at least 32 bytes"


def multipart(fields):
    """A multipart/form-data body; `fields` are (name, filename or None, bytes)."""
    out = b""
    for name, filename, data in fields:
        out += f"--{BOUNDARY}\r\n".encode()
        disposition = f'content-disposition: form-data; name="{name}"'
        if filename:
            disposition += f'; filename="{filename}"\r\ncontent-type: image/png'
        out += disposition.encode() + b"\r\n\r\n" + data + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


def api_requests(fixtures):
    """(route index, body) pairs; the index follows ROUTES in api_request.rs."""
    face = (fixtures / "faces/howard/howard2.png").read_bytes()
    photo = base64.b64encode(face).decode()
    return [
        (0, json.dumps({"login": "admin", "password": "fuzzing kopi tubruk 1"})),
        (0, json.dumps({"login": "nobody@example.go.id", "password": "x" * 80})),
        (1, json.dumps({"refresh_token": "rt_" + "A" * 43})),
        (2, json.dumps({"photo": photo, "device": "kiosk-1"})),
        (2, json.dumps({"photos": [photo, "data:image/png;base64," + photo], "latitude": -6.2, "longitude": 106.8})),
        (3, multipart([("photo", "a.png", face), ("device", None, b"kiosk-1"), ("latitude", None, b"-6.2"), ("longitude", None, b"106.8")])),
        (4, json.dumps({"id": "ann", "name": "Ann", "role": "employee", "email": "ann@example.go.id", "password": "a long password 12"})),
        (5, json.dumps({"name": "Administrator", "status": "active", "version": 1})),
        (6, multipart([("photo", "a.png", face), ("photo", "b.png", face[:500])])),
        (7, json.dumps({"name": "Main office", "time_zone": "Asia/Jakarta",
                        "schedule": {"workdays": [1, 2, 3, 4, 5], "starts": "08:00:00", "ends": "16:00:00", "grace_minutes": 15},
                        "geofence": {"center": {"latitude": -6.2, "longitude": 106.8}, "radius_m": 150}})),
    ]


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(header, claims, key):
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest() if key else b""
    return signing_input + "." + b64url(signature)


def tokens():
    now = int(time.time())
    claims = {"sub": "admin", "role": "admin", "iat": now, "nbf": now, "exp": now - 60,
              "iss": "lintas", "aud": "lintas-api", "jti": "j1"}
    hs256 = {"alg": "HS256", "typ": "JWT"}
    return [
        jwt(hs256, claims, TOKEN_SECRET),
        jwt(hs256, dict(claims, exp=now + 600, nbf=now + 300), TOKEN_SECRET),
        jwt(hs256, dict(claims, exp=now + 600), b"another secret of at least 32 bytes"),
        jwt({"alg": "none", "typ": "JWT"}, dict(claims, exp=now + 600), None),
        jwt({"alg": "RS256", "typ": "JWT"}, dict(claims, exp=now + 600), TOKEN_SECRET),
        jwt(hs256, {"sub": "../admin", "role": "root"}, TOKEN_SECRET),
        "Bearer " + jwt(hs256, claims, TOKEN_SECRET),
    ]


def main():
    target, fixtures, corpus = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    corpus.mkdir(parents=True, exist_ok=True)
    if target == "api_request":
        seeds = [bytes([route]) + (body if isinstance(body, bytes) else body.encode())
                 for route, body in api_requests(fixtures)]
    elif target == "access_token":
        seeds = [token.encode() for token in tokens()]
    else:
        sys.exit(f"no generated seeds for {target}")
    for n, seed in enumerate(seeds):
        path = corpus / f"seed-{n:02}"
        if not path.exists():
            path.write_bytes(seed)


main()
