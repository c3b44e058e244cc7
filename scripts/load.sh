#!/usr/bin/env bash
# Load on 127.0.0.1 with wrk (Debian's package) against the release server, on
# SQLite and on a throwaway PostgreSQL: throughput and p50/p99 latency for the
# trivial route (GET /healthz, the baseline), GET connections, PUT update and
# POST validate, with the count of errors. Writes bench/load.md.
# `bash scripts/load.sh [seconds-per-route] [connections]` (defaults 10, 32).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
conns=${2:-32}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
source scripts/postgres.sh
source scripts/lib/server.sh
work=$(mktemp -d /tmp/samlkit-load.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; stop_postgres; rm -rf "$work"; }
trap cleanup EXIT
cargo build --quiet --profile server -p samlkit-server
server=target/server/samlkit-server
cert=$(python3 -c 'import json,sys; print(json.dumps(open("tests/fixtures/rsa2048_sp.crt").read()))')

run_wrk() { # name method path body-file
  local name=$1 method=$2 path=$3 body=${4:-}
  cat > "$work/req.lua" <<LUA
local n = 0
local ids = {}
for id in io.lines("$work/ids") do ids[#ids + 1] = id end
local body = "$body" ~= "" and io.open("$body"):read("*a") or nil
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local path = string.gsub("$path", "{id}", ids[(n % #ids) + 1])
  return wrk.format("$method", path, nil, body)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.3f %.3f %d %d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
  wrk -t2 -c"$conns" -d"${seconds}s" -s "$work/req.lua" "$base" | sed -n 's/^RESULT //p' > "$work/result"
  read -r rps p50 p99 bad sockerr < "$work/result"
  [ "$name" = "GET /healthz" ] && baseline=$rps
  printf '| %s | %s | %s | %s | %s | %s | %.2f |\n' "$db" "$name" "$rps" "$p50" "$p99" "$((bad + sockerr))" \
    "$(python3 -c "print($rps / $baseline)")" >> "$work/table"
}

: > "$work/table"
for db in sqlite postgres; do
  if [ "$db" = sqlite ]; then
    url="sqlite://$work/load.db"
  else
    start_postgres
    url="${SAMLKIT_TEST_POSTGRES_URL%/*}/postgres"
  fi
  port=$(free_port)
  base="http://127.0.0.1:$port"
  DATABASE_URL=$url "$server" seed > "$work/seed"
  org=$(sed -n 's/^organization_id=//p' "$work/seed")
  token=$(sed -n 's/^admin_token=//p' "$work/seed")
  DATABASE_URL=$url SAMLKIT_BIND=127.0.0.1:$port RUST_LOG=warn "$server" serve > "$work/server.log" 2>&1 &
  pid=$!
  wait_healthy "$base"
  # 64 active connections to spread the updates over (unconditional updates of one
  # connection would only queue on its version).
  : > "$work/ids"
  for i in $(seq 64); do
    id=$(curl -fs -X POST "$base/v1/b2b/sso/saml/$org" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d '{"display_name":"Load","identity_provider":"okta"}' |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["connection"]["connection_id"])')
    echo "$id" >> "$work/ids"
  done
  complete="{\"display_name\":\"Acme Okta\",\"idp_entity_id\":\"http://www.okta.com/exk1abc\",\"idp_sso_url\":\"https://acme.okta.com/app/acme_app_1/exk1abc/sso/saml\",\"x509_certificate\":$cert,\"attribute_mapping\":{\"email\":\"email\",\"full_name\":\"name\"}}"
  echo "{\"draft\":$complete}" > "$work/validate.json"
  # Each connection made active once (with its certificate); the load then updates
  # the other fields, each time judged whole (the stored certificate included).
  while read -r id; do
    curl -fs -X PUT "$base/v1/b2b/sso/saml/$org/connections/$id" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d "$complete" >/dev/null
  done < "$work/ids"
  echo '{"display_name":"Acme Okta (load)","idp_sso_url":"https://acme.okta.com/app/acme_app_1/exk1abc/sso/saml","attribute_mapping":{"email":"email","first_name":"given","last_name":"family"}}' > "$work/update.json"
  run_wrk "GET /healthz" GET /healthz
  run_wrk "GET connection" GET "/v1/b2b/sso/$org/connections/{id}"
  run_wrk "GET connections (64)" GET "/v1/b2b/sso/$org"
  run_wrk "PUT update" PUT "/v1/b2b/sso/saml/$org/connections/{id}" "$work/update.json"
  run_wrk "POST validate" POST /v1/b2b/sso/saml/validate "$work/validate.json"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  [ "$db" = postgres ] && stop_postgres
done

{
  echo "# Load (scripts/load.sh: wrk, 2 threads, $conns connections, ${seconds} s per route, 127.0.0.1, $(nproc) cores, $(date -u +%F))"
  echo
  echo "The server is the release build; wrk runs on the same 2 cores. 64 active connections of one"
  echo "organization, each with a certificate; the list returns all 64; each update is judged whole"
  echo "(the stored certificate inspected, every rule run) and written with its history row in one"
  echo "transaction; validate runs the full rules on a complete draft with its certificate."
  echo
  echo "| database | route | requests/s | p50 ms | p99 ms | errors | vs /healthz |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  cat "$work/table"
} > bench/load.md
cat bench/load.md
