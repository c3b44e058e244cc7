#!/usr/bin/env bash
# The npm package as users get it: `npm pack`, installed into a fresh consumer
# folder, then type-checked (tsc), tested in Node, and built with Vite.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=target/npm
rm -rf "$work" && mkdir -p "$work"
(cd pkg && npm pack --silent --pack-destination "$root/$work" >/dev/null)
cp -r tests/js/consumer "$work/consumer"
cp tests/js/dts.mjs "$work/consumer/"
cd "$work/consumer"
npm install --silent --no-audit --no-fund --no-save ../samlkit-*.tgz
echo "tarball: $(tar tzf ../samlkit-*.tgz | sort | tr '\n' ' ')"
"$root/tools/node_modules/.bin/tsc" -p tsconfig.json
echo "tsc --noEmit: ok"
SAMLKIT_CORPUS_DIR="$root/tests/corpus/" SAMLKIT_FIXTURES_DIR="$root/tests/fixtures/" SAMLKIT_SIGNIN_DIR="$root/tests/signin/" \
  SAMLKIT_TYPESCRIPT="$root/tools/node_modules/typescript" node --test validate.test.mjs init.test.mjs types.test.mjs debugger.test.mjs
"$root/tools/node_modules/.bin/vite" build --logLevel warn --outDir dist .
[ "$(ls dist/assets | grep -c '\.wasm$')" = 2 ] || { echo "vite did not emit both wasm assets (SDK, panel)" >&2; exit 1; }
echo "vite build: ok ($(ls dist/assets | tr '\n' ' '))"
