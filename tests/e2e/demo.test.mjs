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
