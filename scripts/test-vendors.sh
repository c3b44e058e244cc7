#!/usr/bin/env bash
# The vendors' official clients, unmodified (tests/vendors, pinned by its
# package-lock.json), against a real samlkit-server on a fresh SQLite file:
# Stytch's Node client and SailPoint's TypeScript client, with Node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

(cd tests/vendors && npm ci --silent --no-audit --no-fund)
cargo build --quiet -p samlkit-server
source scripts/lib/server.sh

dir=$(mktemp -d /tmp/samlkit-vendors.XXXXXX)
port=$(free_port)
metadata_port=$(free_port)
project_id="project-test-$(python3 -c 'import uuid; print(uuid.uuid4())')"
secret="secret-$(python3 -c 'import uuid; print(uuid.uuid4().hex)')"
export DATABASE_URL="sqlite://$dir/vendors.db"
target/debug/samlkit-server seed > "$dir/stytch"
target/debug/samlkit-server seed > "$dir/sailpoint"
SAMLKIT_BIND="127.0.0.1:$port" SAMLKIT_PROJECT_ID="$project_id" SAMLKIT_SECRET_KEY="$secret" \
  SAMLKIT_FETCH_ALLOW="127.0.0.1:$metadata_port" SAMLKIT_FIXED_NOW=2026-11-23T00:00:00Z \
  target/debug/samlkit-server serve > "$dir/log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$dir"' EXIT
wait_healthy "http://127.0.0.1:$port"

field() { sed -n "s/^$2=//p" "$dir/$1"; }
# Loopback calls never go through a proxy (SailPoint's client honours the proxy variables).
env -u http_proxy -u https_proxy -u HTTP_PROXY -u HTTPS_PROXY -u all_proxy -u ALL_PROXY \
  NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost \
  SAMLKIT_TYPESCRIPT="$root/tools/node_modules/typescript" \
  SAMLKIT_VENDOR_ROOT="$root" \
  SAMLKIT_VENDOR_BASE="http://127.0.0.1:$port" \
  SAMLKIT_VENDOR_PROJECT_ID="$project_id" SAMLKIT_VENDOR_SECRET="$secret" \
  SAMLKIT_VENDOR_METADATA_PORT="$metadata_port" \
  SAMLKIT_VENDOR_ORG="$(field stytch organization_id)" \
  SAMLKIT_VENDOR_ADMIN="$(field stytch admin_token)" SAMLKIT_VENDOR_VIEWER="$(field stytch viewer_token)" \
  SAMLKIT_VENDOR_CLIENT_ID="$(field sailpoint client_id)" SAMLKIT_VENDOR_CLIENT_SECRET="$(field sailpoint client_secret)" \
  node --test tests/vendors/ || { echo "--- server log:"; tail -50 "$dir/log"; exit 1; }
