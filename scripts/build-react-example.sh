#!/usr/bin/env bash
# Builds the React example (www/react: a React app embedding the panel from the
# npm package) into dist/react/, which samlkit-server serves at /react/.
# Needs pkg/ (scripts/build-pkg.sh) and runs after the Trunk build (which empties dist/).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cd www/react
# The package is linked from pkg/; React comes from the registry once, then stays.
if [ ! -d node_modules/react-dom ] || [ ! -e node_modules/samlkit ]; then
  npm install --silent --no-audit --no-fund --no-save
fi
cd "$root"
source scripts/lib/stamp.sh
inputs=(www/react/index.html www/react/main.jsx www/react/SamlPanel.jsx www/react/page.css www/react/vite.config.mjs
  www/react/package.json pkg/samlkit.js pkg/samlkit_bg.wasm pkg/panel/samlkit_panel.js pkg/panel/samlkit_panel_bg.wasm)
if fresh react -- "${inputs[@]}" -- dist/react/index.html; then
  echo "dist/react: up to date" >&2
  exit 0
fi
(cd www/react && "$root/tools/node_modules/.bin/vite" build --logLevel warn)
stamp react -- "${inputs[@]}" -- dist/react/index.html
printf 'dist/react: %s\n' "$(cd "$root/dist/react" && ls assets | tr '\n' ' ')" >&2
