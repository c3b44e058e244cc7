#!/usr/bin/env bash
# What the WebAssembly weighs, and where the bytes go.
#   bash scripts/size.sh check   the budgets (the test command runs this): fails when
#                                the SDK or the panel, wasm + JS gzip -9, is over its budget
#   bash scripts/size.sh report  bench/size.md: the sizes, and a per-crate breakdown of
#                                the code (twiggy on cargo's output, before wasm-opt)
# Sizes are deterministic for a given toolchain, so a budget is a plain comparison.
set -euo pipefail
cd "$(dirname "$0")/.."

# Budgets in bytes, gzip -9 of the wasm and its JS (the panel's CSS is inside its wasm).
# A ratchet: a little above today's sizes, lowered as they shrink, raised only with
# a feature that is worth its bytes (and said so in its commit).
SDK_BUDGET=232800
PANEL_BUDGET=351400

gz() { cat "$@" | gzip -9 -n -c | wc -c; }
sdk=$(gz pkg/samlkit_bg.wasm pkg/samlkit.js)
panel=$(gz pkg/panel/samlkit_panel_bg.wasm pkg/panel/samlkit_panel.js)

case "${1:-check}" in
check)
  status=0
  for entry in "SDK $sdk $SDK_BUDGET" "panel $panel $PANEL_BUDGET"; do
    read -r name size budget <<< "$entry"
    if [ "$size" -gt "$budget" ]; then
      echo "size budget: $name is $size bytes gzip, over its budget of $budget" >&2
      status=1
    else
      echo "size budget: $name $size bytes gzip (budget $budget)"
    fi
  done
  exit $status
  ;;
report)
  command -v twiggy >/dev/null || cargo install twiggy --version 0.8.0 --locked
  breakdown() { # cargo's wasm (with names) → a markdown table of code bytes per crate
    twiggy top -n 1000000 -f csv "$1" | python3 -c '
import csv, re, sys, collections
csv.field_size_limit(1 << 30)
agg = collections.Counter()
for r in csv.DictReader(sys.stdin):
    # v0 symbol names (std rebuilt by build-std) carry a crate hash: `serde_json[1fd6…]::`.
    name, size = re.sub(r"\[[0-9a-f]{6,}\]", "", r["Name"]), int(r["ShallowSize"])
    if name.startswith(("\"function names\"", "custom section", "export \"__wbindgen_describe")):
        continue  # stripped or removed by wasm-bindgen
    if name.startswith("data segment"):
        agg["(data: strings, tables)"] += size
        continue
    crate = next((c for c in ("serde_wasm_bindgen", "serde_path_to_error", "serde_json", "json_patch", "jsonptr",
                              "gloo_net", "wasm_bindgen_futures", "leptos", "tachys", "reactive_graph") if c + "::" in name or c + "[" in name), None)
    if crate is None:
        m = re.match(r"[<]*(?:&(?:mut )?)?([A-Za-z_0-9]+)(?:\[[0-9a-f]+\])?::", name)
        crate = m.group(1) if m else "(other)"
        if crate == "samlkit":
            crate = "samlkit: serde impls" if "serde" in name else "samlkit::" + (re.match(r"[<]*samlkit::([a-z_0-9]+)", name) or [None, "?"])[1]
    agg[crate] += size
total = sum(agg.values())
print("| crate | bytes | share |\n|---|---:|---:|")
for crate, size in agg.most_common(30):
    print(f"| {crate} | {size} | {100 * size / total:.1f} % |")
rest = total - sum(s for _, s in agg.most_common(30))
print(f"| (the rest) | {rest} | {100 * rest / total:.1f} % |\n| **total** | {total} | |")
'
  }
  {
    echo "# WebAssembly size (scripts/size.sh report, $(date -u +%Y-%m-%d))"
    echo
    echo "| entry | wasm | JS | wasm + JS gzip -9 | budget (test command) |"
    echo "|---|---:|---:|---:|---:|"
    echo "| \`samlkit\` (SDK) | $(wc -c < pkg/samlkit_bg.wasm) | $(wc -c < pkg/samlkit.js) | $sdk | $SDK_BUDGET |"
    echo "| \`samlkit/panel\` (panel + SDK) | $(wc -c < pkg/panel/samlkit_panel_bg.wasm) | $(wc -c < pkg/panel/samlkit_panel.js) | $panel | $PANEL_BUDGET |"
    echo "| \`samlkit/debugger\` (its own entry) | $(wc -c < pkg/debugger/samlkit_debugger_bg.wasm) | $(wc -c < pkg/debugger/samlkit_debugger.js) | $(gz pkg/debugger/samlkit_debugger_bg.wasm pkg/debugger/samlkit_debugger.js) | none: loaded only by the debugger |"
    echo
    echo "Where the SDK's code goes (twiggy, cargo's release output before wasm-bindgen and \`wasm-opt -Oz\`;"
    echo "shallow bytes of functions by crate, generic instances counted where they are named):"
    echo
    breakdown target/wasm32-unknown-unknown/release/samlkit.wasm
    echo
    echo "The panel's:"
    echo
    breakdown target/panel/wasm32-unknown-unknown/release/samlkit.wasm
  } > bench/size.md
  cat bench/size.md
  ;;
*)
  echo "usage: scripts/size.sh [check|report]" >&2
  exit 2
  ;;
esac
