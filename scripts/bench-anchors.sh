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

# The README's table (between the anchors markers), from this run's results and the
# panel's build; targets are the product's.
python3 - <<'PY'
import gzip, re, os
def table(path):
    rows = []
    for line in open(path):
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) > 2 and not set(cells[0]) <= set('-'):
            rows.append(cells)
    return rows[1:]
sizes = {r[0]: int(r[2]) for r in table('bench/anchors/sizes.md')}
speed = {(r[0], r[1]): float(r[2]) for r in table('bench/anchors/speed.md')}
cold = {r[0]: float(r[4]) for r in table('bench/anchors/cold.md')}
def gz(*files):
    return sum(len(gzip.compress(open(f, 'rb').read(), 9)) for f in files)
panel = gz('pkg/panel/samlkit_panel_bg.wasm', 'pkg/panel/samlkit_panel.js')
kb = lambda b: f"{b / 1000:.0f} KB"
def find(op, bundle):
    return next(v for (o, lib), v in speed.items() if o.startswith(op) and lib.endswith(f"({bundle})"))
cert, forge = find('parseCert', 'wasm-sdk'), find('parseCert', 'x509-forge')
meta, fxp = find('validateMetadata', 'wasm-sdk'), find('validateMetadata', 'stack-fxp-forge')
sdk, stack = sizes['wasm-sdk'], sizes['stack-xmldom-peculiar']
stytch, workos = sizes['stytch-b2b-adminportal-sso'], sizes['workos-widgets-sso'] + sizes['workos-widgets-css']
ok = lambda good: 'met' if good else '**missed**'
rows = [
    ("SDK (validation + HTTP client), wasm + JS, gzip", kb(sdk), f"xmldom + @peculiar/x509 {kb(stack)}; fast-xml-parser + forge {kb(sizes['stack-fxp-forge'])}", "≤ 100 KB", ok(sdk <= 100_000)),
    ("panel, wasm + JS with its CSS, gzip", kb(panel), f"Stytch AdminPortalSSO {kb(stytch)}; WorkOS widget + CSS {kb(workos)}", "≤ 150 KB", ok(panel <= 150_000)),
    ("certificate → facts (µs, median)", f"{cert:g}", f"node-forge {forge:g} ({forge / cert:.1f}×)", "6× node-forge", ok(forge / cert >= 6)),
    ("8 KB metadata + both certificates (µs)", f"{meta:g}", f"fast-xml-parser + forge {fxp:g} ({fxp / meta:.1f}×)", "6× fxp + forge", ok(fxp / meta >= 6)),
    ("cold start, import() → first result (ms)", f"{cold['wasm-sdk']:g}", f"fast-xml-parser + forge {cold['stack-fxp-forge']:g}", "< 10 ms", ok(cold['wasm-sdk'] < 10)),
]
out = ["| | samlkit | peers (same run) | target | |", "|---|---:|---|---|---|"]
out += [f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows]
readme = open('README.md').read()
block = "<!-- anchors:start (scripts/bench-anchors.sh writes this table) -->\n" + "\n".join(out) + "\n<!-- anchors:end -->"
readme = re.sub(r"<!-- anchors:start.*?<!-- anchors:end -->", lambda _: block, readme, flags=re.S)
open('README.md', 'w').write(readme)
print("\n".join(out))
PY
