# Sourced by scripts/test.sh: a samlkit-server for the browser SDK tests, on a
# free loopback port with a fresh SQLite file, CORS open (the test page is on
# another port) and the corpus's reference date as "now". Exports its URL and
# tokens for the wasm test build; stopped when the calling shell exits.

source scripts/lib/server.sh

start_sdk_test_server() {
  local dir port
  dir=$(mktemp -d /tmp/samlkit-sdk.XXXXXX)
  port=$(free_port)
  cargo build --quiet -p samlkit-server
  export DATABASE_URL="sqlite://$dir/sdk.db"
  target/debug/samlkit-server seed > "$dir/seed-a"
  target/debug/samlkit-server seed > "$dir/seed-b"
  for org in infisical sailpoint panel-infisical panel-sailpoint; do
    target/debug/samlkit-server seed > "$dir/seed-$org"
  done
  SAMLKIT_BIND="127.0.0.1:$port" SAMLKIT_CORS_ORIGINS='*' SAMLKIT_FIXED_NOW=2026-11-23T00:00:00Z \
    target/debug/samlkit-server serve > "$dir/log" 2>&1 &
  SAMLKIT_SDK_SERVER_PID=$!
  SAMLKIT_SDK_DIR="$dir"
  unset DATABASE_URL
  wait_healthy "http://127.0.0.1:$port"
  export SAMLKIT_SDK_TEST_BASE="http://127.0.0.1:$port"
  export SAMLKIT_SDK_TEST_ADMIN=$(sed -n 's/^admin_token=//p' "$dir/seed-a")
  export SAMLKIT_SDK_TEST_VIEWER=$(sed -n 's/^viewer_token=//p' "$dir/seed-a")
  export SAMLKIT_SDK_TEST_OTHER_ADMIN=$(sed -n 's/^admin_token=//p' "$dir/seed-b")
  # Organizations of their own for the dialect tests of the SDK and of the panel
  # (a dialect has one connection per organization).
  for org in infisical sailpoint panel-infisical panel-sailpoint; do
    name=$(echo "$org" | tr 'a-z-' 'A-Z_')
    export "SAMLKIT_SDK_TEST_${name}_ADMIN=$(sed -n 's/^admin_token=//p' "$dir/seed-$org")"
    export "SAMLKIT_SDK_TEST_${name}_ORG=$(sed -n 's/^organization_id=//p' "$dir/seed-$org")"
  done
}

stop_sdk_test_server() {
  if [ -n "${SAMLKIT_SDK_SERVER_PID:-}" ]; then
    kill "$SAMLKIT_SDK_SERVER_PID" 2>/dev/null || true
    wait "$SAMLKIT_SDK_SERVER_PID" 2>/dev/null || true
    rm -rf "$SAMLKIT_SDK_DIR"
    SAMLKIT_SDK_SERVER_PID=
  fi
}
