// The demo page (the README's run command) in headless Chromium: paste real
// metadata and a bad certificate, read what the page says, keep screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { launch, strictPage, screenshots } from './browser.mjs';

const root = new URL('../../', import.meta.url);
const corpus = (name) => readFileSync(new URL(`tests/corpus/${name}`, root), 'utf8');
let server, browser, base;

before(async () => {
  server = spawn('python3', ['-m', 'http.server', '--bind', '127.0.0.1', '0'], { cwd: root.pathname });
  const port = await new Promise((resolve, reject) => {
    server.stdout.on('data', (d) => { const m = /port (\d+)/.exec(String(d)); if (m) resolve(m[1]); });
    server.on('exit', reject);
  });
  base = `http://127.0.0.1:${port}`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

test('metadata pasted into the demo page shows the draft verdict', async () => {
  const page = await strictPage(browser);
  await page.goto(`${base}/www/demo.html`);
  await page.screenshot({ path: new URL('demo-empty.png', screenshots).pathname });
  await page.getByLabel('Paste IdP metadata XML or a PEM certificate').fill(corpus('metadata/okta_ssoready.xml'));
  const summary = page.locator('#summary');
  await summary.getByText('still missing: attribute_mapping').waitFor();
  assert.match(await summary.innerText(), /CN=trial-1022863/);
  await page.screenshot({ path: new URL('demo-metadata.png', screenshots).pathname, fullPage: true });
  page.assertNoErrors();
});

test('an expired MD5 certificate shows its errors', async () => {
  const page = await strictPage(browser);
  await page.goto(`${base}/www/demo.html`);
  await page.getByLabel('Paste IdP metadata XML or a PEM certificate').fill(corpus('certs/oracle-oam_gosaml2_jpl.pem'));
  const errors = page.locator('#summary li.error');
  await errors.first().waitFor();
  const codes = await errors.locator('code').allInnerTexts();
  assert.deepEqual(codes.map((c) => c.trim().split(' ')[0]).sort(), ['cert_broken_signature', 'cert_expired', 'cert_rsa_too_small']);
  await page.screenshot({ path: new URL('demo-errors.png', screenshots).pathname, fullPage: true });
  page.assertNoErrors();
});

// The response debugger (samlkit/debugger): a response signed by xmlsec1, checked in
// the page against the connection's settings, with no request leaving the page.
const signin = (name) => readFileSync(new URL(`tests/signin/${name}`, root), 'utf8');
const debuggerSettings = {
  idp_entity_id: 'http://www.okta.com/exk1samlkittest',
  verification_certificates: [{ certificate: signin('keys/idp.pem') }],
  acs_url: 'https://sso.example.test/v1/b2b/sso/callback/saml-connection-test-0001',
  audience_uri: 'https://sso.example.test/v1/b2b/sso/saml/saml-connection-test-0001',
  nameid_format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  attribute_mapping: { email: 'email', first_name: 'firstName', last_name: 'lastName', groups: 'groups' },
};

test('a pasted response is checked in the page, and a wrong one says what to change', async () => {
  const page = await strictPage(browser);
  // The responses were issued at 12:00 and hold for five minutes.
  await page.clock.setFixedTime(new Date('2026-12-01T12:01:00Z'));
  await page.goto(`${base}/www/debugger.html`);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.getByLabel(/^The connection/).fill(JSON.stringify(debuggerSettings, null, 2));
  await page.getByLabel(/^SAMLResponse/).fill(Buffer.from(signin('responses/assertion_signed.xml')).toString('base64'));
  await page.getByLabel(/^Request ID/).fill('_samlkit-test-request-0001');
  const verdict = page.locator('#verdict');
  await verdict.getByText('This response would sign the user in').waitFor();
  assert.equal(await verdict.locator('li.ok').count(), 10);
  assert.match(await verdict.locator('table').innerText(), /email\s+email\s+ada@example\.com/);
  await page.screenshot({ path: new URL('debugger-passed.png', screenshots).pathname, fullPage: true });

  await page.getByLabel(/^SAMLResponse/).fill(signin('responses/signed_by_other_key.xml'));
  await verdict.getByText('would not sign anyone in').waitFor();
  const failed = verdict.locator('li.error');
  assert.equal(await failed.count(), 1);
  assert.match(await failed.innerText(), /Signature — failed: The IdP signed the assertion with a certificate whose SHA-256 is [0-9a-f]{64}, not one of this connection's\.\nWhat to change: .*import its metadata again/);
  await page.screenshot({ path: new URL('debugger-failed.png', screenshots).pathname, fullPage: true });
  assert.deepEqual(requests, [], 'the page sent nothing while checking');
  page.assertNoErrors();
});
