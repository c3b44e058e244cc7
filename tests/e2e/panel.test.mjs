// The admin panel end to end: Debian's Chromium (Playwright) against a real
// samlkit-server serving the Trunk build, with a fresh SQLite database.
// Screenshots go to target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate, createHash, createPrivateKey, sign } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { launch, strictPage, screenshots, assertStrictPolicy } from './browser.mjs';

const root = new URL('../../', import.meta.url).pathname;
const server = join(root, 'target/debug/samlkit-server');
const corpus = (name) => readFileSync(join(root, 'tests/corpus', name), 'utf8');
let proc, browser, base, tokens, dir;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'samlkit-e2e-'));
  const env = { ...process.env, DATABASE_URL: `sqlite://${dir}/e2e.db`, SAMLKIT_STATIC_DIR: join(root, 'dist'), SAMLKIT_BIND: '127.0.0.1:0' };
  tokens = Object.fromEntries(execFileSync(server, ['seed'], { env, encoding: 'utf8' }).trim().split('\n').map((l) => l.split('=')));
  proc = spawn(server, ['serve'], { env });
  base = await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => { const m = /url=(http:\/\/[0-9.:]+)/.exec(String(d).replace(/\x1b\[[0-9;]*m/g, '')); if (m) resolve(m[1]); });
    proc.stderr.on('data', (d) => { const m = /url=(http:\/\/[0-9.:]+)/.exec(String(d).replace(/\x1b\[[0-9;]*m/g, '')); if (m) resolve(m[1]); });
    proc.on('exit', reject);
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  proc?.kill();
  rmSync(dir, { recursive: true, force: true });
});

const shot = (page, name) => page.screenshot({ path: new URL(`${name}.png`, screenshots).pathname, fullPage: true });

// The setup's steps as the panel lists them, with their verdicts.
const stepsOf = (panel) => panel.getByRole('navigation', { name: 'Setup steps' }).locator('li').allInnerTexts().then((t) => t.join('\n'));
const next = (panel) => panel.getByRole('button', { name: 'Next', exact: true }).click();
const currentStep = (panel) => panel.locator('.sk-steps [aria-current=step]').innerText();

test('the guided setup with Okta metadata: one step at a time, errors before save, save activates, a summary after', async () => {
  const page = await strictPage(browser);
  assertStrictPolicy(await page.goto(`${base}/#token=${tokens.admin_token}`));
  // A new organization: the page says what to do first.
  await page.getByText('no SAML connection yet').waitFor();
  await page.getByRole('button', { name: 'New connection' }).click();
  const panel = page.locator('.samlkit-panel');
  await panel.getByText('Pending').waitFor();
  const steps = () => stepsOf(panel);
  assert.match(await steps(), /^Choose the IdP — done\nIn your IdP: this SP's values — done\nFrom your IdP: metadata or fields — to do: SSO URL, entity ID, a valid signing certificate\nAttributes — to do: attribute mapping\nRoles \(optional\) — done\nTest sign-in — not run yet\nActivate — after the steps above$/);
  // A new connection opens on the first step, and shows that step alone.
  await page.getByLabel('Connection name').waitFor();
  assert.equal(await currentStep(panel), 'Choose the IdP');
  assert.ok(await page.getByLabel('Paste IdP metadata XML').isHidden());
  assert.ok(await panel.getByRole('button', { name: 'Back' }).isHidden());
  await shot(page, 'panel-empty');

  // 1. Choose the IdP: its starting attribute mapping comes with it.
  await page.getByLabel('Identity provider type').selectOption('okta');
  assert.match(await steps(), /Attributes — done/);
  await next(panel);

  // 2. In your IdP: this SP's values, and where Okta's console shows its own.
  assert.equal(await currentStep(panel), "In your IdP: this SP's values");
  assert.match(await panel.locator('[data-steps="1"]').first().innerText(), /In Okta, create a SAML application[\s\S]*Identity Provider Issuer/);
  assert.ok(await page.getByLabel('Connection name').isHidden());
  // This SP's metadata, for the admin to upload to the IdP.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download SP metadata' }).click()]);
  const spMetadata = readFileSync(await download.path(), 'utf8');
  assert.match(spMetadata, /<md:SPSSODescriptor/);
  assert.ok(spMetadata.includes(await page.getByLabel('ACS URL (reply URL)', { exact: true }).inputValue()));
  await shot(page, 'panel-step-sp-values');
  await next(panel);

  // 3. From your IdP: real Okta metadata fills the fields and the certificate facts.
  assert.equal(await currentStep(panel), 'From your IdP: metadata or fields');
  await page.getByLabel('Paste IdP metadata XML').fill(corpus('metadata/okta_ssoready.xml'));
  await page.getByRole('button', { name: 'Fill from metadata' }).click();
  assert.equal(await page.getByLabel('IdP entity ID (issuer)').inputValue(), 'http://www.okta.com/exkdoocxa1VmjpXmX697');
  assert.match(await page.getByLabel('IdP SSO URL').inputValue(), /^https:\/\/trial-1022863\.okta\.com\//);
  await panel.locator('.sk-facts').getByText('21d5e6ffd3607d88bd8eee5f979fcbe9c3a308bfe8e442a44136ab60b9216bcf').waitFor();
  // The DN reads as people know it; the binding taken is said, with why.
  assert.match(await panel.locator('.sk-card .sk-facts dd, [data-steps="2"] .sk-facts dd').first().textContent(), /emailAddress=info@okta\.com/);
  assert.match(await panel.locator('.sk-binding').textContent(), /SSO binding: HTTP-(Redirect|POST) — /);
  await shot(page, 'panel-filled');

  // An expired certificate: the error is under the field before any save.
  const certField = page.getByLabel("Add the IdP's signing certificate (PEM)");
  await certField.fill(corpus('certs/okta_gosaml2_dev-116807.pem'));
  await panel.locator("[id$='-x509_certificate-issues'] [data-code=cert_expired]").waitFor();
  assert.equal(await certField.getAttribute('aria-invalid'), 'true');
  assert.ok(await panel.locator('.sk-save').isDisabled());
  // The steps say where the problem is, and link to it…
  assert.match(await steps(), /From your IdP: metadata or fields — \d+ to fix/);
  // …moving to the fields without touching the host page's URL (it keeps its own fragment).
  const url = page.url();
  await panel.getByRole('link', { name: 'From your IdP: metadata or fields' }).click();
  await page.waitForFunction(() => document.activeElement.id.endsWith('-metadata'));
  assert.equal(page.url(), url);
  await shot(page, 'panel-errors');
  // Fix: the metadata's own (valid) certificate.
  await page.getByRole('button', { name: 'Fill from metadata' }).click();
  await next(panel);

  // 4. Attributes: Okta's starting mapping; the admin adds a full name too.
  assert.equal(await currentStep(panel), 'Attributes');
  const keys = await page.getByLabel('Field name').evaluateAll((inputs) => inputs.map((i) => i.value));
  assert.deepEqual(keys.sort(), ['email', 'first_name', 'groups', 'last_name']);
  await page.getByRole('button', { name: 'Add a mapping' }).click();
  // A blank new row is not judged until something is typed in it.
  assert.equal(await panel.locator("[id$='-attribute_mapping-issues'] li").count(), 0);
  await page.getByLabel('Field name').last().fill('full_name');
  await page.getByLabel('IdP attribute name').last().fill('name');
  await next(panel);
  // 5. Roles (optional), 6. the test sign-in: it needs the saved settings.
  assert.equal(await currentStep(panel), 'Roles (optional)');
  await next(panel);
  assert.ok(await panel.getByRole('button', { name: 'Test sign-in' }).isDisabled());
  await next(panel);

  // 7. Activate: Save turns the connection on.
  assert.equal(await currentStep(panel), 'Activate');
  assert.ok(await panel.getByRole('button', { name: 'Next', exact: true }).isHidden());
  assert.match(await steps(), /Activate — ready: Save turns it on$/);
  await panel.locator('.sk-badge', { hasText: 'Active' }).waitFor();
  await panel.getByRole('button', { name: 'Save' }).click();
  await panel.getByText('Saved.').waitFor();
  // The host page's list follows the save (mountSamlPanel's onSaved).
  await page.waitForFunction(() => document.getElementById('connection').selectedOptions[0]?.textContent.endsWith('(active)'));
  assert.match(await steps(), /From your IdP: metadata or fields — done[^\n]*\nAttributes — done\n.*\nActivate — live: members can sign in$/s);
  await shot(page, 'panel-saved');

  // Reload: a returning admin sees the summary, its links open a step to edit,
  // and what was saved is what the server has.
  await page.reload();
  await panel.locator('.sk-badge', { hasText: 'Active' }).waitFor();
  await page.waitForFunction(() => document.querySelector('.samlkit-panel')?.dataset.step === 's');
  assert.ok(await page.getByLabel('IdP entity ID (issuer)').isHidden());
  await shot(page, 'panel-summary');
  await panel.getByRole('link', { name: 'From your IdP: metadata or fields' }).click();
  assert.equal(await page.getByLabel('IdP entity ID (issuer)').inputValue(), 'http://www.okta.com/exkdoocxa1VmjpXmX697');
  assert.equal(await panel.locator('.sk-card').count(), 1);
  // Every section on one page, for those who know what to change.
  await panel.getByRole('button', { name: 'Show all settings' }).click();
  assert.ok(await page.getByLabel('Connection name').isVisible());
  assert.ok(await page.getByLabel('Field name').first().isVisible());
  page.assertNoErrors();
});

// The same flow for Entra and Google, from the corpus and its independently
// computed facts. Entra's metadata is chosen by name; Google's is left at
// Generic SAML and recognised from the metadata. Entra's certificate in the
// corpus expired on 2026-11-16: the admin is told, and adds the current one.
const expected = JSON.parse(readFileSync(join(root, 'tests/corpus/expected.json'), 'utf8')).metadata;
for (const { provider, name, file, console, mapping, choose } of [
  { provider: 'microsoft-entra', name: 'Microsoft Entra ID', file: 'entra_ssoready_signed.xml', console: /Microsoft Entra Identifier/, mapping: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', choose: true },
  { provider: 'google-workspace', name: 'Google Workspace', file: 'google_ssoready.xml', console: /Admin console → Apps → Web and mobile apps/, mapping: 'email', choose: false },
]) {
  test(`the guided setup with ${name} metadata`, async () => {
    const facts = expected[`metadata/${file}`];
    const [entity] = facts.entities;
    const sso = entity.idp_sso_descriptors[0];
    const certificate = sso.key_descriptors.find((k) => k.use !== 'encryption').certificates[0];
    const page = await strictPage(browser);
    await page.goto(`${base}/#token=${tokens.admin_token}`);
    await page.getByRole('button', { name: 'New connection' }).click();
    const panel = page.locator('.samlkit-panel');
    await page.getByLabel('Connection name').waitFor();
    await page.getByLabel('Connection name').fill(`${name} SSO`);
    if (choose) await page.getByLabel('Identity provider type').selectOption(provider);
    await next(panel);
    if (choose) assert.match(await panel.locator('[data-steps="1"]').first().innerText(), console);
    await next(panel);

    await page.getByLabel('Paste IdP metadata XML').fill(corpus(`metadata/${file}`));
    await page.getByRole('button', { name: 'Fill from metadata' }).click();
    assert.equal(await page.getByLabel('Identity provider type').inputValue(), provider);
    assert.equal(await page.getByLabel('Identity provider type').locator('option:checked').textContent(), name);
    assert.equal(await page.getByLabel('IdP entity ID (issuer)').inputValue(), entity.entity_id);
    assert.ok(sso.single_sign_on_services.map((s) => s.location).includes(await page.getByLabel('IdP SSO URL').inputValue()));
    await panel.locator('.sk-facts').getByText(certificate.sha256_fingerprint).waitFor();
    if (new Date(certificate.not_after) < new Date()) {
      // Expired: said under the field and in the steps; the current certificate (a DER file) replaces it.
      await panel.locator("[id$='-x509_certificate-issues'] [data-code=cert_expired]").waitFor();
      assert.match(await stepsOf(panel), /From your IdP: metadata or fields — \d+ to fix/);
      await shot(page, `panel-${provider}-expired`);
      const current = new X509Certificate(readFileSync(join(root, 'tests/fixtures/rsa2048_sp.crt'), 'utf8'));
      await page.getByLabel('Or choose the certificate file').setInputFiles({ name: 'current.cer', mimeType: 'application/pkix-cert', buffer: current.raw });
      await panel.locator('.sk-facts').getByText(createHash('sha256').update(current.raw).digest('hex')).first().waitFor();
    }
    assert.match(await stepsOf(panel), /From your IdP: metadata or fields — done/);
    await shot(page, `panel-${provider}`);
    await next(panel);

    // The starting mapping uses the claim names this IdP sends.
    const rows = await page.getByLabel('IdP attribute name').evaluateAll((inputs) => inputs.map((i) => i.value));
    const keys = await page.getByLabel('Field name').evaluateAll((inputs) => inputs.map((i) => i.value));
    assert.equal(rows[keys.indexOf('email')], mapping);
    for (let i = 0; i < 3; i++) await next(panel);
    assert.equal(await currentStep(panel), 'Activate');
    await panel.locator('.sk-badge', { hasText: 'Active' }).waitFor();
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.getByText('Saved.').waitFor();
    assert.match(await stepsOf(panel), /Activate — live: members can sign in$/);
    page.assertNoErrors();
  });
}

test('files: UTF-16 metadata and a binary DER certificate are read into the fields; a key file is refused unseen', async () => {
  const page = await strictPage(browser);
  await page.goto(`${base}/#token=${tokens.admin_token}`);
  await page.getByRole('button', { name: 'New connection' }).click();
  const panel = page.locator('.samlkit-panel');
  await panel.getByText('Pending').waitFor();
  // The new connection has loaded (its ACS URL is shown): a file read now is not overwritten by the load.
  await page.waitForFunction(() => document.querySelector('.samlkit-panel input[id$="-acs_url"]')?.value);
  await panel.getByRole('link', { name: 'From your IdP: metadata or fields' }).click();

  // Metadata saved by a Windows tool: UTF-16LE with a byte order mark.
  const xml = corpus('metadata/okta_ssoready.xml');
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
  await page.getByLabel('Or choose the metadata file').setInputFiles({ name: 'okta.xml', mimeType: 'text/xml', buffer: utf16 });
  await page.waitForFunction(() => [...document.querySelectorAll('input')].some((i) => i.value === 'http://www.okta.com/exkdoocxa1VmjpXmX697'));

  // A certificate downloaded as binary DER (.cer), as ADFS and Entra offer it.
  const pem = readFileSync(join(root, 'tests/fixtures/rsa2048_sp.crt'), 'utf8');
  const cert = new X509Certificate(pem);
  const certField = page.getByLabel("Add the IdP's signing certificate (PEM)");
  await page.getByLabel('Or choose the certificate file').setInputFiles({ name: 'idp.cer', mimeType: 'application/pkix-cert', buffer: cert.raw });
  await page.waitForFunction((id) => document.getElementById(id)?.value.startsWith('-----BEGIN CERTIFICATE-----'), await certField.getAttribute('id'));
  const sha256 = createHash('sha256').update(cert.raw).digest('hex');
  await panel.locator('.sk-facts').getByText(sha256).first().waitFor();
  await shot(page, 'panel-der-upload');

  // A private key chosen by mistake: refused, and neither the field nor the page shows it.
  const key = createPrivateKey(readFileSync(join(root, 'tests/fixtures/rsa2048_pkcs8.key'), 'utf8')).export({ type: 'pkcs8', format: 'der' });
  const before = await certField.inputValue();
  await page.getByLabel('Or choose the certificate file').setInputFiles({ name: 'oops.der', mimeType: 'application/octet-stream', buffer: key });
  await panel.locator("[id$='-x509_certificate-issues'] [data-code=cert_is_private_key]").waitFor();
  assert.equal(await certField.inputValue(), before);
  assert.ok(!(await page.content()).includes('PRIVATE KEY'));
  assert.ok(!(await page.content()).includes(key.toString('base64').slice(0, 64)));
  page.assertNoErrors();
});

test('the read-only member sees everything disabled', async () => {
  const page = await strictPage(browser);
  await page.goto(`${base}/#token=${tokens.viewer_token}`);
  await page.locator('.samlkit-panel .sk-note').waitFor();
  await page.locator('.samlkit-panel').getByRole('link', { name: 'From your IdP: metadata or fields' }).click();
  assert.ok(await page.getByLabel('IdP SSO URL').isDisabled());
  // The host page does not offer what the role cannot do (it would end in a 403).
  assert.ok(await page.getByRole('button', { name: 'New connection' }).isDisabled());
  assert.ok(await page.locator('.sk-save').isDisabled());
  await shot(page, 'panel-read-only');
  page.assertNoErrors();
});

// Presses Tab until `target` has focus: proves it is reachable by keyboard.
async function tabTo(page, target, max = 120) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`not reachable by Tab: ${target}`);
}

test('everything works by keyboard alone', async () => {
  const page = await strictPage(browser);
  await page.goto(`${base}/#token=${tokens.admin_token}`);
  await tabTo(page, page.getByRole('button', { name: 'New connection' }));
  await page.keyboard.press('Enter');
  const panel = page.locator('.samlkit-panel');
  await panel.getByText('Pending').waitFor();
  // A new connection opens on the guided setup's first step.
  await page.waitForFunction(() => document.querySelector('.samlkit-panel')?.dataset.step === '0');

  // Every enabled control of the panel is in the Tab order, once each, in document order.
  const controls = await panel.evaluate((root) => [...root.querySelectorAll('input, select, textarea, button, summary')]
    .filter((el) => !el.disabled && el.checkVisibility())
    .map((el) => el.id || el.textContent.trim()));
  await tabTo(page, panel.locator('input, select, textarea, button, summary').first());
  const visited = [];
  for (let i = 0; i < controls.length; i++) {
    visited.push(await page.evaluate(() => document.activeElement.id || document.activeElement.textContent.trim()));
    await page.keyboard.press('Tab');
  }
  assert.deepEqual(visited, controls);

  // Step by step without the mouse: Next moves the focus into the next step.
  await tabTo(page, page.getByLabel('Connection name'));
  await page.keyboard.type('Keyboard Co');
  const nextStep = async () => {
    await tabTo(page, panel.getByRole('button', { name: 'Next', exact: true }));
    await page.keyboard.press('Enter');
  };
  await nextStep();
  // The advanced section opens from the keyboard; its checkbox toggles with Space.
  await tabTo(page, panel.getByText('Advanced', { exact: true }));
  await page.keyboard.press('Enter');
  const refuse = page.getByLabel('Refuse IdP-initiated sign-in');
  await tabTo(page, refuse);
  await page.keyboard.press('Space');
  assert.ok(await refuse.isChecked());

  await nextStep();
  await page.waitForFunction(() => document.activeElement.id.endsWith('-metadata'));
  await page.keyboard.insertText(corpus('metadata/okta_ssoready.xml'));
  await tabTo(page, page.getByRole('button', { name: 'Fill from metadata' }));
  await page.keyboard.press('Enter');
  assert.equal(await page.getByLabel('IdP entity ID (issuer)').inputValue(), 'http://www.okta.com/exkdoocxa1VmjpXmX697');
  // Okta's starting mapping came with the metadata; a full name is added by keyboard.
  await nextStep();
  await page.waitForFunction(() => document.activeElement.id.endsWith('-step-attributes'));
  for (const [key, value] of [['full_name', 'name']]) {
    await tabTo(page, page.getByRole('button', { name: 'Add a mapping' }));
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByLabel('Field name').last());
    await page.keyboard.type(key);
    await page.keyboard.press('Tab');
    await page.keyboard.type(value);
  }
  await panel.locator('.sk-badge', { hasText: 'Active' }).waitFor();
  await tabTo(page, panel.getByRole('button', { name: 'Save' }));
  await page.keyboard.press('Enter');
  await panel.getByText('Saved.').waitFor();
  page.assertNoErrors();
});

test('the React example page mounts the panel and saves', async () => {
  const page = await strictPage(browser);
  assertStrictPolicy(await page.goto(`${base}/react/#token=${tokens.admin_token}`));
  await page.getByRole('heading', { name: 'Company settings · Single sign-on' }).waitFor();
  const panel = page.locator('.samlkit-panel');
  await page.waitForFunction(() => document.querySelector('.samlkit-panel input[id$="-acs_url"]')?.value);
  const acs = await page.getByLabel('ACS URL (reply URL)', { exact: true }).inputValue();
  const id = /saml-connection-[0-9a-f-]+/.exec(acs)[0];
  await panel.getByRole('link', { name: 'Choose the IdP' }).click();
  await page.getByLabel('Connection name').fill('Saved from React');
  await panel.getByRole('button', { name: 'Save' }).click();
  await panel.getByText('Saved.').waitFor();
  await shot(page, 'react-example');

  const res = await fetch(`${base}/v1/b2b/sso/${tokens.organization_id}`, { headers: { authorization: `Bearer ${tokens.admin_token}` } });
  const { saml_connections } = await res.json();
  assert.equal(saml_connections.find((c) => c.connection_id === id).display_name, 'Saved from React');
  page.assertNoErrors();
});

// An IdP, as the test sign-in meets it: it reads the AuthnRequest from the redirect
// and answers with an assertion signed (RSA-SHA256, exclusive c14n) by the key of
// the connection's certificate. The XML is written in its canonical form, so the
// digest and the signature are over exactly these bytes.
function idpAnswer(redirectUrl, { issuer, audience, email }) {
  const url = new URL(redirectUrl);
  const request = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest'), 'base64')).toString();
  const requestId = /ID="([^"]+)"/.exec(request)[1];
  const acs = /AssertionConsumerServiceURL="([^"]+)"/.exec(request)[1];
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const now = Date.now();
  const [at, notBefore, notOnOrAfter] = [iso(now), iso(now - 60_000), iso(now + 300_000)];
  const body = (signature) => `<saml:Issuer>${issuer}</saml:Issuer>${signature}<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${email}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="${requestId}" NotOnOrAfter="${notOnOrAfter}" Recipient="${acs}"></saml:SubjectConfirmationData></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>${audience ?? acs}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AttributeStatement><saml:Attribute Name="email"><saml:AttributeValue>${email}</saml:AttributeValue></saml:Attribute><saml:Attribute Name="name"><saml:AttributeValue>Ada Lovelace</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>`;
  const open = `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_assertion-e2e" IssueInstant="${at}" Version="2.0">`;
  const digest = createHash('sha256').update(`${open}${body('')}</saml:Assertion>`).digest('base64');
  const ds = ' xmlns:ds="http://www.w3.org/2000/09/xmldsig#"';
  const signedInfo = `<ds:SignedInfo${ds}><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"></ds:CanonicalizationMethod><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"></ds:SignatureMethod><ds:Reference URI="#_assertion-e2e"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"></ds:Transform><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"></ds:Transform></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"></ds:DigestMethod><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference></ds:SignedInfo>`;
  const key = createPrivateKey(readFileSync(join(root, 'tests/fixtures/rsa2048_pkcs1.key')));
  const value = sign('sha256', Buffer.from(signedInfo), key).toString('base64');
  const signature = `<ds:Signature${ds}>${signedInfo.replace(ds, '')}<ds:SignatureValue>${value}</ds:SignatureValue></ds:Signature>`;
  const response = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" Destination="${acs}" ID="_response-e2e" InResponseTo="${requestId}" IssueInstant="${at}" Version="2.0"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"></samlp:StatusCode></samlp:Status>${open}${body(signature)}</saml:Assertion></samlp:Response>`;
  return { acs, relayState: url.searchParams.get('RelayState'), response: Buffer.from(response).toString('base64') };
}

// The IdP's answer, as a browser delivers it: an auto-submitted form POST to the ACS.
async function postToAcs({ acs, relayState, response }) {
  const idp = await browser.newPage();
  await idp.setContent(`<form method="post" action="${acs}"><input name="SAMLResponse"><input name="RelayState"></form>`);
  await idp.locator('input[name=SAMLResponse]').evaluate((el, v) => { el.value = v; }, response);
  await idp.locator('input[name=RelayState]').evaluate((el, v) => { el.value = v; }, relayState);
  await Promise.all([idp.waitForNavigation(), idp.locator('form').evaluate((f) => f.submit())]);
  const text = await idp.locator('h1').innerText();
  await idp.close();
  return text;
}

// The API as the seeded admin: what the host application's backend would do.
const adminApi = (method, path, body) => fetch(`${base}${path}`, {
  method, headers: { authorization: `Bearer ${tokens.admin_token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
});

// The panel page with one connection chosen, once that connection has loaded,
// open at a step of its summary.
async function openConnection(connectionId, step) {
  const page = await strictPage(browser);
  await page.goto(`${base}/#token=${tokens.admin_token}`);
  await page.locator('#connection').selectOption(connectionId);
  await page.waitForFunction((id) => document.querySelector('.samlkit-panel input[id$="-acs_url"]')?.value.endsWith(id), connectionId);
  const panel = page.locator('.samlkit-panel');
  await panel.getByRole('link', { name: step, exact: true }).click();
  return { page, panel };
}

test('test sign-in: the panel starts it, the IdP answers at the ACS, the panel shows every check', async () => {
  const api = (method, path, body) => adminApi(method, path, body).then((r) => r.json());
  const issuer = 'https://idp.example.test/saml/metadata';
  const { connection } = await api('POST', `/v1/b2b/sso/saml/${tokens.organization_id}`, { display_name: 'Test sign-in', identity_provider: 'generic' });
  const saved = await api('PUT', `/v1/b2b/sso/saml/${tokens.organization_id}/connections/${connection.connection_id}`, {
    idp_entity_id: issuer, idp_sso_url: 'https://idp.example.test/sso',
    x509_certificate: readFileSync(join(root, 'tests/fixtures/rsa2048_sp.crt'), 'utf8'),
    attribute_mapping: { email: 'email', full_name: 'name' },
  });
  assert.equal(saved.connection.status, 'active', JSON.stringify(saved));

  const { page, panel } = await openConnection(connection.connection_id, 'Test sign-in');

  // A correct answer: every check passes, and the panel shows them when the IdP has answered.
  await panel.getByRole('button', { name: 'Test sign-in' }).click();
  const link = panel.getByRole('link', { name: /sign in at your IdP/ });
  const idpPage = await postToAcs(idpAnswer(await link.getAttribute('href'), { issuer, email: 'ada@example.com' }));
  assert.equal(idpPage, 'Test sign-in passed');
  await panel.getByText(/^Last test passed, by .+@.+ at \d{4}-/).waitFor();
  assert.equal(await panel.locator('.sk-checks li.sk-check-pass').count(), 10);
  await shot(page, 'panel-test-sign-in-passed');

  // An answer meant for another SP fails at the audience, and says what to change.
  await panel.getByRole('button', { name: 'Test sign-in' }).click();
  await link.waitFor();
  await postToAcs(idpAnswer(await link.getAttribute('href'), { issuer, audience: 'https://other.example/sp', email: 'ada@example.com' }));
  await panel.getByText(/^Last test failed/).waitFor();
  const failed = panel.locator('.sk-checks li.sk-check-fail');
  assert.equal(await failed.count(), 1);
  assert.match(await failed.innerText(), /^Audience — failed: .*\nWhat to change: In the IdP, set the Audience URI/s);
  await shot(page, 'panel-test-sign-in-failed');
  page.assertNoErrors();
});

// A real IdP run locally: pysaml2 (signatures by xmlsec1) on 127.0.0.1. The
// connection's IdP SSO URL picks how it answers; Playwright follows the panel's
// link to the IdP, which redirects the browser with an auto-posting form to the ACS.
test('test sign-in against a real IdP (pysaml2): a correct connection passes, each mistake fails at its own check', async () => {
  const org = tokens.organization_id;
  const { connection } = await (await adminApi('POST', `/v1/b2b/sso/saml/${org}`, { display_name: 'pysaml2', identity_provider: 'generic' })).json();
  const path = `/v1/b2b/sso/saml/${org}/connections/${connection.connection_id}`;
  const spMetadata = join(dir, 'sp-metadata.xml');
  writeFileSync(spMetadata, await (await adminApi('GET', `${path}/metadata`)).text());
  const idp = spawn(join(root, 'tools/pyidp/bin/python'), [join(root, 'tests/e2e/idp/pysaml2_idp.py'), spMetadata]);
  const stderr = [];
  idp.stderr.on('data', (d) => stderr.push(String(d)));
  try {
    const idpBase = await new Promise((resolve, reject) => {
      idp.stdout.on('data', (d) => { const m = /url=(http:\/\/[0-9.:]+)/.exec(String(d)); if (m) resolve(m[1]); });
      idp.on('exit', () => reject(new Error(`the IdP exited: ${stderr.join('')}`)));
    });
    const settings = (scenario) => ({
      idp_entity_id: `${idpBase}/idp`, idp_sso_url: `${idpBase}/sso?scenario=${scenario}`,
      x509_certificate: readFileSync(join(root, 'tests/signin/keys/idp.pem'), 'utf8'),
      attribute_mapping: { email: 'email', first_name: 'givenName', last_name: 'sn' },
      nameid_format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    });
    const saved = await (await adminApi('PUT', path, settings('ok'))).json();
    assert.equal(saved.connection.status, 'active', JSON.stringify(saved));

    const { page, panel } = await openConnection(connection.connection_id, 'Test sign-in');
    const expected = { ok: [], wrong_key: ['signature'], wrong_audience: ['audience'], expired: ['validity'], no_email: ['attributes'], wrapping: ['signature'] };
    for (const [scenario, failing] of Object.entries(expected)) {
      const moved = await adminApi('PUT', path, { idp_sso_url: settings(scenario).idp_sso_url });
      assert.equal(moved.status, 200, await moved.text());
      await panel.getByRole('button', { name: 'Test sign-in' }).click();
      const link = panel.getByRole('link', { name: /sign in at your IdP/ });
      const atIdp = await browser.newPage();
      const answer = await atIdp.goto(await link.getAttribute('href'));
      if (answer.status() >= 400) assert.fail(`${scenario}: the IdP answered ${answer.status()}: ${await answer.text()}`);
      await atIdp.locator('h1').waitFor();
      const verdict = await atIdp.locator('h1').innerText();
      await atIdp.close();
      await link.waitFor({ state: 'detached' });
      const failed = await panel.locator('.sk-checks li.sk-check-fail strong').allInnerTexts();
      const checks = await panel.locator('.sk-checks li').count();
      assert.deepEqual(
        { verdict, failed: failed.map((t) => t.split(' — ')[0]), checks },
        { verdict: failing.length ? 'Test sign-in failed' : 'Test sign-in passed', failed: failing.map(label), checks: 10 },
        `${scenario}: ${await panel.locator('.sk-checks').innerText()}`,
      );
      if (scenario === 'ok') {
        assert.match(await panel.locator('.sk-checks').innerText(), /Mapped attributes — passed: 3 mapped attribute/);
        await shot(page, 'panel-test-sign-in-pysaml2');
      }
    }
    page.assertNoErrors();
  } finally {
    idp.kill();
  }
});

function label(check) {
  return { signature: 'Signature', audience: 'Audience', validity: 'Time window', attributes: 'Mapped attributes' }[check];
}
