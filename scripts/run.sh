#!/usr/bin/env bash
# The main job: samlkit-server on 127.0.0.1 with its SQLite default, a demo
# organization seeded on first start, and the browser build served at `/`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-pkg.sh

export SAMLKIT_BIND="${SAMLKIT_BIND:-127.0.0.1:8080}"
export DATABASE_URL="${DATABASE_URL:-sqlite://samlkit.db}"
export SAMLKIT_STATIC_DIR="$PWD/dist"

# What the server serves: the admin panel at `/` (Trunk), the React example
# at /react/, and the offline checker page at /demo.html with the npm package beside it.
bash scripts/build-panel.sh
bash scripts/build-react-example.sh
mkdir -p dist/pkg
cp pkg/samlkit.js pkg/samlkit_bg.wasm dist/pkg/
cp -r pkg/snippets dist/pkg/
mkdir -p dist/pkg/debugger
cp pkg/debugger.js dist/pkg/
cp pkg/debugger/samlkit_debugger.js pkg/debugger/samlkit_debugger_bg.wasm dist/pkg/debugger/
cp www/demo.html www/demo.css www/debugger.html dist/
sed 's#\.\./pkg/#./pkg/#' www/demo.js > dist/demo.js
sed 's#\.\./pkg/#./pkg/#' www/debugger.js > dist/debugger.js

cargo build --profile server -p samlkit-server
server=target/server/samlkit-server

# Tokens are stored hashed; the demo's are kept beside the database (mode 600)
# so that every start can print them.
demo_env=.samlkit-demo.env
if [ ! -s "$demo_env" ] || ! grep -qx "database=$DATABASE_URL" "$demo_env"; then
  umask 077
  { echo "database=$DATABASE_URL"; "$server" seed; } > "$demo_env"
fi
org=$(sed -n 's/^organization_id=//p' "$demo_env")
admin=$(sed -n 's/^admin_token=//p' "$demo_env")
viewer=$(sed -n 's/^viewer_token=//p' "$demo_env")

cat <<MSG

  samlkit is running:   http://$SAMLKIT_BIND/#token=$admin
  React example:        http://$SAMLKIT_BIND/react/#token=$admin
  offline checker:      http://$SAMLKIT_BIND/demo.html
  response debugger:    http://$SAMLKIT_BIND/debugger.html
  API description:      http://$SAMLKIT_BIND/openapi.json
  demo organization:    $org
  admin token:          $admin
  read-only token:      $viewer

  try: curl -s -H "Authorization: Bearer $admin" http://$SAMLKIT_BIND/v1/b2b/sso/$org

MSG
exec "$server" serve
