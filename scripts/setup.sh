#!/usr/bin/env bash
# Installs what the build and the tests need, skipping what is already present.
# Idempotent; safe to run on every invocation of scripts/test.sh and scripts/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130   # must equal the `wasm-bindgen` crate pin in Cargo.toml

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# std's source, rebuilt for the shipping wasm (scripts/lib/wasm-release.sh).
if ! rustup component list --installed | grep -q '^rust-src'; then
  log "adding the rust-src component"
  rustup component add rust-src
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes)"
  # Not --locked: its lockfile names a crate version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "0.21.14" ]; then
  log "installing trunk 0.21.14 (about 8 minutes; 0.22 needs a newer rustc)"
  cargo install trunk --version 0.21.14 --locked
fi

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
# xmlsec1 signs for the local IdP of the test sign-in e2e (pysaml2), and made the
# signed responses in tests/signin/ (tests/signin/make.py).
command -v xmlsec1 >/dev/null 2>&1 || need_apt+=(xmlsec1)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing ${need_apt[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# The local IdP of the test sign-in e2e: pysaml2, pinned, in its own virtualenv.
if [ ! -f tools/pyidp/.samlkit-7.5.0 ]; then
  log "installing pysaml2 7.5.0 (tools/pyidp)"
  rm -rf tools/pyidp
  python3 -m venv tools/pyidp
  tools/pyidp/bin/pip install --quiet --disable-pip-version-check pysaml2==7.5.0
  touch tools/pyidp/.samlkit-7.5.0
fi

# npm tools, pinned by tools/package-lock.json: binaryen's wasm-opt 132 (Debian's
# 108 breaks wasm-bindgen output) and playwright-core (driving Debian's Chromium).
if ! cmp -s tools/package-lock.json tools/node_modules/.samlkit-lock 2>/dev/null; then
  log "installing npm tools (tools/package-lock.json)"
  # `npm install --no-save` rather than `npm ci`: this npm leaves optional platform
  # packages (rollup's) out of the lock file and then refuses it in `npm ci`.
  (cd tools && npm install --no-save --no-audit --no-fund --silent && cp package-lock.json node_modules/.samlkit-lock)
fi
