#!/usr/bin/env bash
# schemathesis (PyPI, pinned) against a running samlkit-server's /openapi.json,
# authenticated with a demo admin token: examples, coverage, fuzzing and stateful
# phases; fails on any server error or any response that breaks the published
# schema. `bash scripts/schemathesis.sh [seconds]` (default 300). Results: bench/schemathesis.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/server.sh
seconds=${1:-300}
venv=target/schemathesis-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q schemathesis==4.32.5
fi
work=$(mktemp -d /tmp/samlkit-st.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cargo build --quiet -p samlkit-server
port=$(free_port)
base="http://127.0.0.1:$port"
export DATABASE_URL="sqlite://$work/st.db"
target/debug/samlkit-server seed > "$work/seed"
token=$(sed -n 's/^admin_token=//p' "$work/seed")
SAMLKIT_BIND=127.0.0.1:$port RUST_LOG=warn target/debug/samlkit-server serve > "$work/server.log" 2>&1 &
pid=$!
wait_healthy "$base"
status=0
"$venv/bin/schemathesis" run "$base/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,response_schema_conformance \
  --phases examples,coverage,fuzzing,stateful \
  --max-time "$seconds" --workers 2 --continue-on-failure \
  --report junit --report-dir "$work/report" > "$work/out.txt" 2>&1 || status=$?
tail -40 "$work/out.txt"
{
  echo "# schemathesis $("$venv/bin/schemathesis" --version | awk '{print $NF}') against /openapi.json ($(date -u +%F), ${seconds} s)"
  echo
  echo '```'
  sed -n '/= SUMMARY =/,$p' "$work/out.txt" | grep -v -e 'JUnit:' -e '^Reports:'
  echo '```'
} > bench/schemathesis.md
exit $status
