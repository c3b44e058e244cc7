#!/usr/bin/env bash
# Builds the WebAssembly package into pkg/: cargo (release, size profile) →
# wasm-bindgen (pinned CLI) → wasm-opt -Oz (npm binaryen 132).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# build FEATURES OUT_DIR NAME TARGET_DIR: one wasm-bindgen package. Each feature set
# has its own target dir, so that building one does not invalidate the other.
build() {
  cargo build --quiet --target wasm32-unknown-unknown --release --features "$1" --target-dir "$4"
  wasm-bindgen --target web --out-dir "$2" --out-name "$3" "$4/wasm32-unknown-unknown/release/samlkit.wasm"
  tools/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$2/$3_bg.wasm" -o "$2/$3_bg.wasm"
  printf '%s: %s bytes, %s gzip -9\n' "$2/$3_bg.wasm" \
    "$(wc -c < "$2/$3_bg.wasm")" "$(gzip -9 -n -c "$2/$3_bg.wasm" | wc -c)" >&2
}

# `samlkit`: the SDK (validation, patch, client). `samlkit/panel`: the panel with
# its own copy of the SDK, so that SDK-only users never download the panel.
build js pkg samlkit target
build panel pkg/panel samlkit_panel target/panel
