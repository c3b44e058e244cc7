// The offline SAMLResponse checker: samlkit/debugger, in this page only.
import init, { checkResponse } from '../pkg/debugger.js';
await init();
const response = document.getElementById('response');
const settings = document.getElementById('settings');
const request = document.getElementById('request');
const verdict = document.getElementById('verdict');
const json = document.getElementById('json');
// A template, unless something was pasted while the WebAssembly was loading.
if (!settings.value) settings.value = JSON.stringify({
  idp_entity_id: '',
  verification_certificates: [{ certificate: '' }],
  acs_url: '',
  audience_uri: '',
  nameid_format: '',
  attribute_mapping: { email: 'email', first_name: 'firstName', last_name: 'lastName' },
}, null, 2);
const LABELS = {
  decode: 'Response read', status: 'IdP status', signature: 'Signature', issuer: 'Issuer', audience: 'Audience',
  destination: 'Destination', in_response_to: 'Answers the request', validity: 'Time window',
  name_id: 'NameID', attributes: 'Mapped attributes',
};
const OUTCOMES = { pass: 'passed', warn: 'warning', fail: 'failed', skip: 'not checked' };
function item(check) {
  const li = document.createElement('li');
  li.className = { pass: 'ok', warn: 'warning', fail: 'error', skip: 'skipped' }[check.outcome];
  const title = document.createElement('strong');
  title.textContent = `${LABELS[check.check]} — ${OUTCOMES[check.outcome]}: `;
  li.append(title, check.message);
  if (check.fix) {
    const fix = document.createElement('div');
    fix.textContent = `What to change: ${check.fix}`;
    li.append(fix);
  }
  return li;
}
function run() {
  verdict.replaceChildren();
  json.textContent = '';
  if (!response.value.trim()) return;
  let parsed;
  try {
    parsed = JSON.parse(settings.value);
  } catch (e) {
    verdict.append(Object.assign(document.createElement('p'), { className: 'error', textContent: `The connection is not valid JSON: ${e.message}` }));
    return;
  }
  let report;
  try {
    report = checkResponse(response.value, parsed, { requestId: request.value.trim() || undefined });
  } catch (e) {
    verdict.append(Object.assign(document.createElement('p'), { className: 'error', textContent: e.message }));
    return;
  }
  json.textContent = JSON.stringify(report, null, 2);
  const summary = document.createElement('p');
  summary.className = `status ${report.passed ? 'active' : 'failed'}`;
  summary.textContent = report.passed
    ? 'This response would sign the user in with these settings.'
    : 'This response would not sign anyone in with these settings:';
  const list = document.createElement('ol');
  list.append(...report.checks.map(item));
  verdict.append(summary, list);
  if (report.attributes.length) {
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const h of ['Field', 'IdP attribute', 'Value']) head.append(Object.assign(document.createElement('th'), { textContent: h }));
    for (const a of report.attributes) {
      const row = table.insertRow();
      for (const v of [a.field, a.attribute, a.values.join(', ') || '—']) row.insertCell().textContent = v;
    }
    verdict.append(table);
  }
}
for (const el of [response, settings, request]) el.addEventListener('input', run);
// What was pasted while the WebAssembly was loading is checked now.
run();
