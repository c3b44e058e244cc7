// The packed package, imported by its name as an npm user imports it, checked
// against the corpus's independently computed facts (the same facts as the Rust
// corpus test), file by file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { initSync, validate, createClient, patch } from 'samlkit';

initSync({ module: readFileSync(new URL(import.meta.resolve('samlkit/samlkit_bg.wasm'))) });
const corpus = new URL(process.env.SAMLKIT_CORPUS_DIR ?? '../../../tests/corpus/', `file://${process.cwd()}/`);
const expected = JSON.parse(readFileSync(new URL('expected.json', corpus), 'utf8'));
const now = Date.parse(expected.reference_date);
const read = (name) => readFileSync(new URL(name, corpus), 'utf8');

const CERT_FACTS = ['sha256_fingerprint', 'sha1_fingerprint', 'subject', 'subject_cn', 'issuer', 'serial_hex',
  'not_before', 'not_after', 'public_key_algorithm', 'public_key_size', 'signature_algorithm', 'signature_hash'];

function sameCert(got, want, at) {
  for (const key of CERT_FACTS) assert.equal(got[key], want[key], `${at}: ${key}`);
}

test('validate.certificate: every certificate file', () => {
  for (const [name, want] of Object.entries(expected.certs)) {
    const report = validate.certificate(read(name), { now });
    assert.equal(report.certificates.length, want.certificate_count, name);
    sameCert(report.certificates[0], want.certificates[0], name);
    assert.equal(report.issues.some((i) => i.code === 'cert_expired'), want.certificates[0].expired_at_ref_date, name);
  }
});

test('validate.metadata: every metadata file', () => {
  for (const [name, want] of Object.entries(expected.metadata)) {
    const result = validate.metadata(read(name), { now });
    if (!want.well_formed) {
      assert.deepEqual(result.issues.map((i) => i.code), ['metadata_not_xml'], name);
      continue;
    }
    const idps = want.entities.filter((e) => e.idp_sso_descriptors.length > 0);
    assert.deepEqual(result.import.idp_entity_ids, idps.map((e) => e.entity_id), name);
    if (idps.length !== 1) {
      assert.equal(result.import.draft, null, name);
      continue;
    }
    const draft = result.import.draft;
    const idp = idps[0].idp_sso_descriptors[0];
    assert.equal(draft.idp_entity_id, idps[0].entity_id, name);
    const location = (b) => idp.single_sign_on_services.find((s) => s.binding.endsWith(b))?.location;
    assert.equal(draft.idp_sso_url ?? undefined, location('HTTP-Redirect') ?? location('HTTP-POST'), name);
    const signing = idp.key_descriptors.filter((k) => k.use !== 'encryption').flatMap((k) => k.certificates).filter((c) => c.sha256_fingerprint);
    const got = result.report.certificates;
    assert.deepEqual(new Set(got.map((c) => c.sha256_fingerprint)), new Set(signing.map((c) => c.sha256_fingerprint)), name);
    for (const c of got) sameCert(c, signing.find((s) => s.sha256_fingerprint === c.sha256_fingerprint), name);
  }
});

test('validate.connection: issues by field path, never a key', () => {
  const key = readFileSync(new URL('../fixtures/rsa2048_pkcs8.key', corpus), 'utf8');
  const report = validate.connection({ saml_encryption_private_key: key, attribute_mapping: { full_name: 'name' } }, { now });
  const lines = report.issues.map((i) => `${i.severity} ${i.code} ${i.path}`).sort();
  assert.deepEqual(lines, [
    'error attribute_mapping_missing_email /attribute_mapping/email',
    'error key_pkcs8_not_supported /saml_encryption_private_key',
  ]);
  assert.ok(!JSON.stringify(report).includes(key.split('\n')[1]));
  assert.equal(Object.getPrototypeOf(report), Object.prototype);
});

test('validate.attributeMapping and bad arguments', () => {
  assert.deepEqual(validate.attributeMapping({ email: 'mail', full_name: 'cn' }, { groupRoles: true }).map((i) => i.code), ['attribute_mapping_missing_groups']);
  assert.throws(() => validate.certificate('x', { now: 'yesterday' }), /invalid type/);
});

test('createClient refuses a write with an error before any request', async () => {
  let requests = 0;
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (...args) => { requests += 1; return realFetch(...args); };
  try {
    const client = createClient({ baseUrl: 'http://127.0.0.1:9', sessionToken: 't' });
    await assert.rejects(client.sso.saml.createConnection({ identity_provider: 'adfs' }), (e) => {
      assert.equal(e.name, 'SamlkitError');
      assert.ok(e instanceof Error);
      assert.equal(e.code, 'invalid_request');
      assert.equal(e.request_id, null);
      assert.deepEqual(e.issues.map((i) => `${i.code} ${i.path}`), ['identity_provider_unknown /identity_provider']);
      return true;
    });
    assert.equal(requests, 0);
    assert.throws(() => createClient({ baseUrl: 'http://x' }), (e) => e.code === 'invalid_argument');
  } finally {
    globalThis.fetch = realFetch;
  }
});

test('patch.diff and patch.apply (RFC 6902)', () => {
  const before = { display_name: 'A', attribute_mapping: { email: 'mail' }, version: 1 };
  const after = { display_name: 'B', attribute_mapping: { email: 'mail', full_name: 'cn' }, version: 1 };
  const ops = patch.diff(before, after);
  assert.deepEqual(patch.apply(before, ops), after);
  assert.deepEqual(patch.apply({ n: 1 }, [{ op: 'test', path: '/n', value: 1.0 }]), { n: 1 });
  assert.throws(() => patch.apply(before, [{ op: 'test', path: '/version', value: 2 }]), (e) => e.issues[0].code === 'patch_test_failed' && e.issues[0].path === '/version');
});

test('files as bytes: a binary DER certificate and UTF-16 metadata give the same facts as their text', () => {
  for (const [name, want] of Object.entries(expected.certs)) {
    if (want.certificate_count !== 1) continue;
    const pem = read(name);
    const base64 = pem.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
    const der = Buffer.from(base64, 'base64');
    const fromDer = validate.certificate(new Uint8Array(der), { now });
    sameCert(fromDer.certificates[0], want.certificates[0], `${name} as DER`);
    assert.ok(!fromDer.issues.some((i) => i.code === 'cert_bare_base64'), name);
    sameCert(validate.certificate(der.buffer.slice(der.byteOffset, der.byteOffset + der.length), { now }).certificates[0],
      want.certificates[0], `${name} as an ArrayBuffer`);
  }
  const xml = read('metadata/okta_ssoready.xml');
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
  assert.deepEqual(validate.metadata(new Uint8Array(utf16), { now }).import.draft, validate.metadata(xml, { now }).import.draft);
  assert.throws(() => validate.certificate(42), /string.*Uint8Array/);
});
