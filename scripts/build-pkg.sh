#!/usr/bin/env bash
# Builds the WebAssembly package into pkg/: cargo (release, size profile) →
# wasm-bindgen (pinned CLI) → wasm-opt -Oz --converge (npm binaryen 132); the core's types
# in the .d.ts are generated natively from the Rust types (examples/ts_types.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# build FEATURES OUT_DIR NAME TARGET_DIR: one wasm-bindgen package. Each feature set
# has its own target dir, so that building one does not invalidate the other.
# wasm-bindgen and wasm-opt run only when cargo's output (or the package) changed.
source scripts/lib/stamp.sh
source scripts/lib/wasm-release.sh
mkdir -p target/ts
cargo run --quiet --example ts_types --features ts,signin > target/ts/types.d.ts.new
mv target/ts/types.d.ts.new target/ts/types.d.ts
cargo run --quiet --example ts_types --features ts,signin -- signin > target/ts/signin.d.ts.new
mv target/ts/signin.d.ts.new target/ts/signin.d.ts
# build FEATURES OUT_DIR NAME TARGET_DIR [TYPES]: TYPES (the generated declarations
# appended to the .d.ts) defaults to the SDK's.
build() {
  local types="${5:-target/ts/types.d.ts}"
  wasm_release cargo build --target wasm32-unknown-unknown --release --features "$1" --target-dir "$4"
  local wasm="$4/wasm32-unknown-unknown/release/samlkit.wasm"
  if fresh "pkg-$3" -- "$wasm" scripts/build-pkg.sh "$types" -- "$2/$3_bg.wasm" "$2/$3.js" "$2/$3.d.ts"; then
    echo "$2/$3: up to date" >&2
    return
  fi
  wasm-bindgen --target web --out-dir "$2" --out-name "$3" "$wasm"
  cat "$types" >> "$2/$3.d.ts"
  # A call before init() meets a placeholder that says what to do, not
  # "Cannot read properties of undefined (reading '__wbindgen_malloc')".
  python3 - "$2/$3.js" <<'PY'
import pathlib, sys
js = pathlib.Path(sys.argv[1])
text = js.read_text()
declaration = "let wasmModule, wasmInstance, wasm;"
placeholder = (
    "const uninitialized = new Proxy({}, { get() { throw new Error("
    "'samlkit is not initialized: call `await init()` once before using it "
    "(in Node, `import init from \"samlkit\"` reads the .wasm file of the package itself).'); } });\n"
    "let wasmModule, wasmInstance, wasm = uninitialized;"
)
# Given the bytes or a compiled module (as Node's entry gives them), init() goes straight
# to instantiation without reading the globals `Request` and `Response`: in Node, reading
# either loads its fetch implementation, 20 ms of a cold start.
code = "const isCode = (m) => m instanceof WebAssembly.Module || m instanceof ArrayBuffer || ArrayBuffer.isView(m);\n"
load_check = "if (typeof Response === 'function' && module instanceof Response) {"
init_check = "(typeof Request === 'function' && module_or_path instanceof Request)"
assert text.count(declaration) == 1 and text.count("if (wasm !== undefined) return wasm;") == 2, "wasm-bindgen's output changed"
assert text.count(load_check) == 1 and text.count(init_check) == 1, "wasm-bindgen's output changed"
text = text.replace(declaration, placeholder + "\n" + code).replace("if (wasm !== undefined) return wasm;", "if (wasm !== uninitialized) return wasm;")
text = text.replace(load_check, "if (!isCode(module) && typeof Response === 'function' && module instanceof Response) {")
text = text.replace(init_check, "(!isCode(module_or_path) && typeof Request === 'function' && module_or_path instanceof Request)")
js.write_text(text)
PY
  # --converge repeats -Oz while it still shrinks the module (SDK 0.6 KB, panel 2 KB; ~20 s a build).
  tools/node_modules/.bin/wasm-opt -Oz --converge --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$2/$3_bg.wasm" -o "$2/$3_bg.wasm"
  printf '%s: %s bytes, %s gzip -9\n' "$2/$3_bg.wasm" \
    "$(wc -c < "$2/$3_bg.wasm")" "$(gzip -9 -n -c "$2/$3_bg.wasm" | wc -c)" >&2
  stamp "pkg-$3" -- "$wasm" scripts/build-pkg.sh "$types" -- "$2/$3_bg.wasm" "$2/$3.js" "$2/$3.d.ts"
}

# `samlkit`: the SDK (validation, patch, client). `samlkit/panel`: the panel with
# its own copy of the SDK, so that SDK-only users never download the panel.
build js pkg samlkit target
build panel pkg/panel samlkit_panel target/panel
# `samlkit/debugger`: the test sign-in's checks on a pasted response. Its own entry,
# so that the SDK and the panel carry none of it (XML-DSig, c14n, RSA, ECDSA).
build debugger pkg/debugger samlkit_debugger target/debugger target/ts/signin.d.ts
