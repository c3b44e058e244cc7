#!/usr/bin/env bash
# Hostile clients against the release server on 127.0.0.1 (SQLite and a throwaway
# PostgreSQL), measured from outside: the exponential JSON Patch (time to the 400,
# the server's peak memory before and after), 2,000 slow clients holding
# connections open (time for /healthz meanwhile), and 200 parallel writes without
# If-Match to one connection (every one answered 200, one history row each).
# Writes bench/hostile.md. `bash scripts/hostile.sh`
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh
source scripts/lib/server.sh
work=$(mktemp -d /tmp/samlkit-hostile.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; stop_postgres; rm -rf "$work"; }
trap cleanup EXIT
cargo build --quiet --profile server -p samlkit-server
server=target/server/samlkit-server

: > "$work/table"
for db in sqlite postgres; do
  if [ "$db" = sqlite ]; then
    url="sqlite://$work/hostile.db"
  else
    start_postgres
    url="${SAMLKIT_TEST_POSTGRES_URL%/*}/postgres"
  fi
  port=$(free_port)
  DATABASE_URL=$url "$server" seed > "$work/seed"
  DATABASE_URL=$url SAMLKIT_BIND=127.0.0.1:$port RUST_LOG=warn "$server" serve > "$work/server.log" 2>&1 &
  pid=$!
  wait_healthy "http://127.0.0.1:$port"
  DB=$db PORT=$port PID=$pid SEED="$work/seed" CERT=tests/fixtures/rsa2048_sp.crt \
    python3 - >> "$work/table" <<'PY'
import asyncio, json, os, statistics, time, urllib.request

port, pid, db = int(os.environ["PORT"]), os.environ["PID"], os.environ["DB"]
seed = dict(l.strip().split("=", 1) for l in open(os.environ["SEED"]) if "=" in l)
org, token = seed["organization_id"], seed["admin_token"]
base = f"http://127.0.0.1:{port}"

def rss_peak_kb():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

def call(method, path, body=None, content_type="application/json"):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", content_type)
    def body(r):
        raw = r.read()
        return json.loads(raw) if r.headers.get("content-type", "").startswith("application/json") else raw
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, body(r)
    except urllib.error.HTTPError as e:
        return e.code, body(e)

status, created = call("POST", f"/v1/b2b/sso/saml/{org}", {"display_name": "Hostile", "identity_provider": "okta"})
cid = created["connection"]["connection_id"]
path = f"/v1/b2b/sso/saml/{org}/connections/{cid}"
complete = {"idp_entity_id": "http://www.okta.com/exk1abc",
            "idp_sso_url": "https://acme.okta.com/app/acme_app_1/exk1abc/sso/saml",
            "x509_certificate": open(os.environ["CERT"]).read(),
            "attribute_mapping": {"email": "email", "full_name": "name"}}
assert call("PUT", path, complete)[0] == 200

# 1. The exponential patch: 16 KB under /attribute_mapping, then 24 self-copies.
ops = [{"op": "add", "path": "/attribute_mapping/seed", "value": "x" * 16384}]
ops += [{"op": "copy", "from": "/attribute_mapping", "path": f"/attribute_mapping/c{n}"} for n in range(24)]
bomb = json.dumps(ops).encode()
before = rss_peak_kb()
times, codes = [], set()
for _ in range(20):
    t = time.perf_counter()
    status, body = call("PATCH", path, bomb, "application/json-patch+json")
    times.append((time.perf_counter() - t) * 1000)
    codes.add((status, body["issues"][0]["code"]))
after = rss_peak_kb()
print(f"| {db} | exponential JSON Patch ({len(bomb) // 1024} KB, 24 self-copies) × 20 | "
      f"{' '.join(f'{s} {c}' for s, c in sorted(codes))}; median {statistics.median(times):.1f} ms, max {max(times):.1f} ms | "
      f"peak RSS {before // 1024} MB → {after // 1024} MB |")

# 2. 2,000 slow clients: each sends part of a request head and stops.
async def slow_clients():
    held = []
    for _ in range(2000):
        r, w = await asyncio.open_connection("127.0.0.1", port)
        w.write(b"GET /healthz HTTP/1.1\r\nHo")
        held.append(w)
    await asyncio.sleep(0.5)
    samples = []
    for _ in range(20):
        t = time.perf_counter()
        status, _ = await asyncio.to_thread(call, "GET", "/healthz")
        assert status == 200
        samples.append((time.perf_counter() - t) * 1000)
    open_fds = len(os.listdir(f"/proc/{pid}/fd"))
    for w in held:
        w.close()
    return samples, open_fds
samples, fds = asyncio.run(slow_clients())
print(f"| {db} | 2,000 slow clients holding connections | /healthz 20 × 200, median {statistics.median(samples):.1f} ms, "
      f"max {max(samples):.1f} ms | server descriptors open: {fds} |")

# 3. 200 parallel writes without If-Match to one connection.
async def writers():
    def put(i):
        return call("PUT", path, {"display_name": f"writer {i}"})[0]
    t = time.perf_counter()
    statuses = await asyncio.gather(*(asyncio.to_thread(put, i) for i in range(200)))
    return statuses, (time.perf_counter() - t) * 1000
statuses, elapsed = asyncio.run(writers())
_, read = call("GET", f"/v1/b2b/sso/{org}/connections/{cid}")
version = read["connection"]["version"]
counts = {s: statuses.count(s) for s in sorted(set(statuses))}
print(f"| {db} | 200 parallel PUTs without If-Match, one connection | "
      f"{', '.join(f'{n} × {s}' for s, n in counts.items())} in {elapsed:.0f} ms | version {version - 200} → {version} |")
PY
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done

{
  echo "# Hostile clients (scripts/hostile.sh, release server on 127.0.0.1, 2 cores, $(date -u +%Y-%m-%d))"
  echo
  echo "Measured from outside the process: peak memory is the server's VmHWM, descriptors its /proc/PID/fd."
  echo "Defaults: header read timeout 10 s, body read timeout 30 s, at most 4,096 connections at once."
  echo
  echo "| database | attack | answers | server |"
  echo "|---|---|---|---|"
  cat "$work/table"
} > bench/hostile.md
cat bench/hostile.md
