#!/usr/bin/env bash
# The main job: builds the WebAssembly package and serves the demo page on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8080}"
bash scripts/build-pkg.sh
echo "samlkit demo: http://127.0.0.1:${PORT}/www/demo.html   (Ctrl-C stops it)"
exec python3 -m http.server --bind 127.0.0.1 "$PORT"
