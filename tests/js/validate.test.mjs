// The built WebAssembly package, imported the way a user imports it, checked
// against the corpus's independently computed certificate facts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const sdk = await import(new URL('pkg/samlkit.js', root));
sdk.initSync({ module: readFileSync(new URL('pkg/samlkit_bg.wasm', root)) });
const expected = JSON.parse(readFileSync(new URL('tests/corpus/expected.json', root), 'utf8'));
const now = Date.parse(expected.reference_date);

test('validateCertificate gives the corpus facts for every certificate file', () => {
  for (const [name, want] of Object.entries(expected.certs)) {
    const pem = readFileSync(new URL(`tests/corpus/${name}`, root), 'utf8');
    const report = sdk.validate.certificate(pem, { now });
    assert.equal(report.certificates.length, want.certificate_count, name);
    const [got] = report.certificates;
    for (const key of ['sha256_fingerprint', 'subject', 'issuer', 'serial_hex', 'not_after', 'public_key_size', 'signature_algorithm']) {
      assert.equal(got[key], want.certificates[0][key], `${name}: ${key}`);
    }
    assert.equal(report.issues.some((i) => i.code === 'cert_expired'), want.certificates[0].expired_at_ref_date, name);
  }
});

test('validateMetadata turns Okta metadata into a draft with plain objects', () => {
  const xml = readFileSync(new URL('tests/corpus/metadata/okta_ssoready.xml', root), 'utf8');
  const result = sdk.validate.metadata(xml, { now });
  assert.equal(result.import.draft.idp_entity_id, 'http://www.okta.com/exkdoocxa1VmjpXmX697');
  assert.equal(result.import.sso_choice.binding, 'HTTP-Redirect');
  assert.deepEqual(result.report.missing, ['attribute_mapping']);
  assert.equal(Object.getPrototypeOf(result), Object.prototype);
});

test('validateConnection reports issues by field path and never echoes a key', () => {
  const key = readFileSync(new URL('tests/fixtures/rsa2048_pkcs8.key', root), 'utf8');
  const report = sdk.validate.connection(
    { saml_encryption_private_key: key, attribute_mapping: { full_name: 'name' } },
    { now },
  );
  const lines = report.issues.map((i) => `${i.severity} ${i.code} ${i.path}`).sort();
  assert.deepEqual(lines, [
    'error attribute_mapping_missing_email /attribute_mapping/email',
    'error key_pkcs8_not_supported /saml_encryption_private_key',
  ]);
  assert.ok(!JSON.stringify(report).includes(key.split('\n')[1]));
});

test('a bad options object is a clear error, not a trap', () => {
  assert.throws(() => sdk.validate.certificate('x', { now: 'yesterday' }), /invalid type/);
});
