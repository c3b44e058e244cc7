#!/usr/bin/env bash
# Benchmarks (not tests): native and WebAssembly timings and the shipping size.
# Writes bench/results.md; the README quotes it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-pkg.sh

out=bench/results.md
native=$(cargo bench --quiet --bench core 2>/dev/null)
wasm=$(node bench/wasm.mjs)
wasm_raw=$(wc -c < pkg/samlkit_bg.wasm)
wasm_gz=$(gzip -9 -n -c pkg/samlkit_bg.wasm | wc -c)
js_gz=$(gzip -9 -n -c pkg/samlkit.js | wc -c)
{
  echo "# Benchmark results"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores by \`scripts/bench.sh\`."
  echo "Inputs: \`bench/fixtures/cert.pem\` (RSA-2048) and \`bench/fixtures/metadata.xml\`"
  echo "(7,947 bytes, signing + encryption certificates). Times are medians in µs per operation."
  echo "Native uses \`opt-level=3\`; the wasm build is the shipping one (\`opt-level=z\`, \`wasm-opt -Oz\`),"
  echo "called from JavaScript with objects in and out."
  echo
  echo "| build | operation | µs |"
  echo "|---|---|---:|"
  printf '%s\n%s\n' "$native" "$wasm" | awk -F'\t' '{printf "| %s | %s | %s |\n", $1, $2, $3}'
  echo
  echo "| artefact | raw bytes | gzip -9 bytes |"
  echo "|---|---:|---:|"
  echo "| pkg/samlkit_bg.wasm | $wasm_raw | $wasm_gz |"
  echo "| pkg/samlkit.js (glue) | $(wc -c < pkg/samlkit.js) | $js_gz |"
} > "$out"
cat "$out"
