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
"$root/tools/node_modules/.bin/vite" build --logLevel warn
printf 'dist/react: %s\n' "$(cd "$root/dist/react" && ls assets | tr '\n' ' ')" >&2
