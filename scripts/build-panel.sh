#!/usr/bin/env bash
# Builds the admin panel's page with Trunk into dist/ (what samlkit-server serves at `/`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Trunk's wasm-opt must be npm's binaryen 132 (Trunk.toml refuses any other).
# The same target dir as the panel's npm build (scripts/build-pkg.sh): same features, no rebuild.
source scripts/lib/stamp.sh
source scripts/lib/wasm-release.sh
# Trunk runs cargo itself; its inputs are the page and the panel's wasm (built into the
# same target dir by scripts/build-pkg.sh, which runs first wherever this does).
wasm_release cargo build --target wasm32-unknown-unknown --release --features panel --target-dir target/panel
inputs=(www/index.html www/page.css www/app.js Trunk.toml scripts/build-panel.sh target/panel/wasm32-unknown-unknown/release/samlkit.wasm)
if fresh trunk -- "${inputs[@]}" -- dist/index.html; then
  echo "dist/: up to date" >&2
  exit 0
fi
PATH="$PWD/tools/node_modules/.bin:$PATH" CARGO_TARGET_DIR="$PWD/target/panel" wasm_release trunk build --offline
# The page's CSP allows scripts from self only: Trunk's inline loader becomes a file.
python3 - dist/index.html <<'PY'
import hashlib, pathlib, re, sys
page = pathlib.Path(sys.argv[1])
html = page.read_text()
def external(m):
    body = m.group(2)
    name = f"loader-{hashlib.sha256(body.encode()).hexdigest()[:16]}.js"
    (page.parent / name).write_text(body)
    return f'<script{m.group(1)} src="/{name}"></script>'
html, n = re.subn(r'<script((?:(?!\bsrc=)[^>])*)>(.+?)</script>', external, html, flags=re.S)
page.write_text(html)
print(f"dist/index.html: {n} inline script(s) moved to files", file=sys.stderr)
PY
printf 'dist/: %s\n' "$(cd dist && for f in *.wasm *.js; do printf '%s %s B (gzip %s B)  ' "$f" "$(wc -c < "$f")" "$(gzip -9 -n -c "$f" | wc -c)"; done)" >&2
stamp trunk -- "${inputs[@]}" -- dist/index.html
