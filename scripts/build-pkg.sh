#!/usr/bin/env bash
# Builds the WebAssembly package into pkg/: cargo (release, size profile) →
# wasm-bindgen (pinned CLI) → wasm-opt -Oz (npm binaryen 132).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

cargo build --quiet --target wasm32-unknown-unknown --release --features js
wasm-bindgen --target web --out-dir pkg --out-name samlkit \
  target/wasm32-unknown-unknown/release/samlkit.wasm
tools/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/samlkit_bg.wasm -o pkg/samlkit_bg.wasm
printf 'pkg/samlkit_bg.wasm: %s bytes, %s gzip -9\n' \
  "$(wc -c < pkg/samlkit_bg.wasm)" "$(gzip -9 -n -c pkg/samlkit_bg.wasm | wc -c)" >&2
