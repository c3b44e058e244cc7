// The offline checker page: everything runs here, in WebAssembly.
import init, { validate } from '../pkg/samlkit.js';
await init();
const input = document.getElementById('input');
const summary = document.getElementById('summary');
const json = document.getElementById('json');
const li = (i) => {
  const el = document.createElement('li');
  el.className = i.severity;
  el.append(`${i.severity}: ${i.message} `);
  const code = document.createElement('code');
  code.textContent = `${i.code} ${i.path}`;
  el.append(code);
  return el;
};
function check() {
  const text = input.value;
  summary.replaceChildren();
  if (!text.trim()) { json.textContent = ''; return; }
  const isXml = text.trimStart().replace(/^\uFEFF/, '').startsWith('<');
  const result = isXml ? validate.metadata(text) : validate.certificate(text);
  json.textContent = JSON.stringify(result, null, 2);
  const report = isXml ? result.report : null;
  if (report) {
    const p = document.createElement('p');
    p.className = `status ${report.status}`;
    p.textContent = report.status === 'active' ? 'Ready: every required value is present and valid.'
      : `Pending — still missing: ${report.missing.join(', ')}`;
    summary.append(p);
  }
  for (const c of (report ?? result).certificates ?? []) {
    const p = document.createElement('p');
    p.textContent = `Certificate ${c.subject} — ${c.public_key_algorithm} ${c.public_key_size}, valid ${c.not_before} → ${c.not_after}, SHA-256 ${c.sha256_fingerprint}`;
    summary.append(p);
  }
  const ul = document.createElement('ul');
  ul.append(...result.issues.map(li));
  if (!result.issues.length) ul.append(Object.assign(document.createElement('li'), { textContent: 'No problems found.' }));
  summary.append(ul);
}
input.addEventListener('input', check);
// Text pasted while the WebAssembly was loading is checked now.
check();
