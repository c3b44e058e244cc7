// `samlkit/debugger` as a user installs it: its own wasm, started in Node, giving
// the verdicts tests/signin.rs asserts natively on the same xmlsec1-signed responses.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import init, { checkResponse } from 'samlkit/debugger';

const dir = process.env.SAMLKIT_SIGNIN_DIR;
const read = (name) => readFileSync(`${dir}${name}`, 'utf8');
const settings = {
  idp_entity_id: 'http://www.okta.com/exk1samlkittest',
  verification_certificates: [{ certificate: read('keys/idp.pem') }],
  acs_url: 'https://sso.example.test/v1/b2b/sso/callback/saml-connection-test-0001',
  audience_uri: 'https://sso.example.test/v1/b2b/sso/saml/saml-connection-test-0001',
  nameid_format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  attribute_mapping: { email: 'email', first_name: 'firstName', last_name: 'lastName', groups: 'groups' },
};
const options = { requestId: '_samlkit-test-request-0001', now: Date.parse('2026-12-01T12:01:00Z') };
const failed = (report) => report.checks.filter((c) => c.outcome === 'fail').map((c) => c.check);

before(async () => { await init(); });

test('a correct response passes every check, as base64 or XML', () => {
  const xml = read('responses/assertion_signed.xml');
  for (const input of [xml, Buffer.from(xml).toString('base64')]) {
    const report = checkResponse(input, settings, options);
    assert.equal(report.passed, true, JSON.stringify(report, null, 1));
    assert.equal(report.checks.length, 10);
    assert.equal(report.name_id, 'ada@example.com');
    assert.deepEqual(report.attributes.find((a) => a.field === 'email').values, ['ada@example.com']);
  }
});

test('each wrong setting fails at its own check', () => {
  assert.deepEqual(failed(checkResponse(read('responses/wrong_audience.xml'), settings, options)), ['audience']);
  assert.deepEqual(failed(checkResponse(read('responses/missing_email.xml'), settings, options)), ['attributes']);
  assert.deepEqual(failed(checkResponse(read('responses/signed_by_other_key.xml'), settings, options)), ['signature']);
  const late = { ...options, now: Date.parse('2026-12-01T13:00:00Z') };
  assert.deepEqual(failed(checkResponse(read('responses/assertion_signed.xml'), settings, late)), ['validity']);
  const signed = read('responses/assertion_signed.xml');
  const altered = signed.replace('>ada@example.com<', '>eve@example.com<');
  assert.deepEqual(failed(checkResponse(altered, settings, options)), ['signature']);
});

test('a whole connection object serves as the settings; bad settings throw', () => {
  const connection = { ...settings, connection_id: 'x', status: 'active', display_name: 'Okta' };
  assert.equal(checkResponse(read('responses/assertion_signed.xml'), connection, options).passed, true);
  assert.throws(() => checkResponse('x', { acs_url: 42 }), /connection settings are not valid/);
  assert.throws(() => checkResponse(42, settings), /must be a string/);
});
