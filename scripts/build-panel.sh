#!/usr/bin/env bash
# Builds the admin panel's page with Trunk into dist/ (what samlkit-server serves at `/`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Trunk's wasm-opt must be npm's binaryen 132 (Trunk.toml refuses any other).
# The same target dir as the panel's npm build (scripts/build-pkg.sh): same features, no rebuild.
PATH="$PWD/tools/node_modules/.bin:$PATH" CARGO_TARGET_DIR="$PWD/target/panel" trunk build --offline
printf 'dist/: %s\n' "$(cd dist && for f in *.wasm *.js; do printf '%s %s B (gzip %s B)  ' "$f" "$(wc -c < "$f")" "$(gzip -9 -n -c "$f" | wc -c)"; done)" >&2
