#!/usr/bin/env bash
# samlkit measured beside the JavaScript libraries of ../shared/anchors/js, in one
# run (a scratch copy under target/, with our entry added as its README says).
# Results: bench/anchors/{sizes,speed,cold,REPORT}.md. Takes ~5 minutes; not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
anchors=${ANCHORS_DIR:-../shared/anchors/js}
bash scripts/build-pkg.sh
rm -rf target/anchors && mkdir -p target && cp -r "$anchors" target/anchors && chmod -R u+w target/anchors
rm -rf target/anchors/results/*
cp bench/anchors/wasm-sdk.mjs target/anchors/entries/wasm-sdk.mjs
sed -i "s#^export default \[#export default [\n  { name: 'wasm-sdk', group: 'ours', entry: 'entries/wasm-sdk.mjs', runnable: true, loader: { '.wasm': 'file' }, external: ['node:*'], extraFiles: ['../../pkg/samlkit_bg.wasm'] },#" target/anchors/bundles.config.mjs
(cd target/anchors && PROCS="${PROCS:-3}" COLD_RUNS="${COLD_RUNS:-9}" ./run-all.sh)
cp target/anchors/results/*.md bench/anchors/
echo "results in bench/anchors/"
