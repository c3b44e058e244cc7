// node bench/wasm.mjs: the same two operations through the WebAssembly build
// (pkg/, as scripts/build-pkg.sh makes it), called the way JS users call it.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url);
const cert = readFileSync(new URL('bench/fixtures/cert.pem', root), 'utf8');
const metadata = readFileSync(new URL('bench/fixtures/metadata.xml', root), 'utf8');
const wasmBytes = readFileSync(new URL('pkg/samlkit_bg.wasm', root));
const now = Date.UTC(2026, 10, 23);

// Cold start: import + instantiate + first result.
const t0 = performance.now();
const sdk = await import(new URL('pkg/samlkit.js', root));
sdk.initSync({ module: wasmBytes });
const first = sdk.validate.metadata(metadata, { now });
const cold = performance.now() - t0;
if (first.import.draft.verification_certificates.length !== 1 || first.report.certificates.length !== 1) {
  throw new Error('unexpected metadata result: ' + JSON.stringify(first.issues));
}

function medianMicros(op) {
  let n = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < n; i++) op();
    if (performance.now() - t >= 100) break;
    n *= 2;
  }
  const runs = [];
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) op();
    runs.push(((performance.now() - t) * 1000) / n);
  }
  runs.sort((a, b) => a - b);
  return runs[3];
}

const certUs = medianMicros(() => sdk.validate.certificate(cert, { now }));
const mdUs = medianMicros(() => sdk.validate.metadata(metadata, { now }));
console.log(`wasm (node ${process.versions.node})\tinspect certificate (PEM → facts + verdicts)\t${certUs.toFixed(1)}`);
console.log(`wasm (node ${process.versions.node})\tmetadata 8 KB → draft + full validation\t${mdUs.toFixed(1)}`);
console.log(`wasm (node ${process.versions.node})\tcold start: import → first metadata result (ms)\t${cold.toFixed(2)}`);
