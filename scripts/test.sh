#!/usr/bin/env bash
# Runs every test: formatting and lints (native and wasm32), native tests, the
# same rule tables and corpus in headless Chromium, and the built package in Node.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "format"
cargo fmt --all -- --check

step "clippy (native, wasm32)"
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet --example ts_types --features ts,signin -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --all-targets --features panel -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --lib --features js -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --lib --features debugger -- -D warnings

step "native tests (the server's API tests on SQLite and on a throwaway PostgreSQL)"
source scripts/postgres.sh
source scripts/sdk-test-server.sh
trap 'stop_sdk_test_server; stop_postgres' EXIT
start_postgres
SAMLKIT_REQUIRE_POSTGRES=1 cargo test --workspace

step "browser tests (wasm-bindgen-test in headless Chromium; the SDK against a real server)"
start_sdk_test_server
CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --features panel,signin \
  --test corpus --test rule_tables --test hostile --test json_patch --test fuzz_regressions --test sdk --test panel \
  --test signin --test w3c_c14n

step "the npm package as users get it: npm pack, tsc, Node tests over the corpus, a Vite build"
bash scripts/build-pkg.sh
bash scripts/size.sh check
bash scripts/test-js.sh

step "the vendors' official clients, unmodified (Stytch's Node client, SailPoint's TypeScript client), against a real server"
bash scripts/test-vendors.sh

step "end to end in headless Chromium (Playwright): the panel and the React example against a real server, the demo page"
bash scripts/build-panel.sh
bash scripts/build-react-example.sh
cargo build --quiet -p samlkit-server
node --test tests/e2e/
