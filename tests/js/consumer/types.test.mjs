// The package's .d.ts is generated from the Rust types at build time; this
// checks it against what the functions really return: every result for every
// corpus file, key fixture and the drafts the metadata imports, read with the
// TypeScript compiler (dts.mjs, copied here by scripts/test-js.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initSync, validate } from 'samlkit';
import { loadTypes, assertConforms, problems } from './dts.mjs';

initSync({ module: readFileSync(new URL(import.meta.resolve('samlkit/samlkit_bg.wasm'))) });
const types = loadTypes(dirname(fileURLToPath(import.meta.resolve('samlkit/package.json'))));
const corpus = new URL(process.env.SAMLKIT_CORPUS_DIR ?? '../../../tests/corpus/', `file://${process.cwd()}/`);
const fixtures = new URL(process.env.SAMLKIT_FIXTURES_DIR ?? '../../../tests/fixtures/', `file://${process.cwd()}/`);
const now = Date.parse(JSON.parse(readFileSync(new URL('expected.json', corpus), 'utf8')).reference_date);
const files = (dir, sub) => readdirSync(new URL(sub, dir)).map((name) => readFileSync(new URL(`${sub}${name}`, dir)));

test('the declarations hold the codes and error types of the core', () => {
  assert.equal(types.get('IssueCode').type.types.length > 80, true);
  assert.ok(types.get('ErrorType'));
  // A value outside a union is caught: the checker is not a rubber stamp.
  assert.notDeepEqual(problems(types, 'Issue', { code: 'no_such_code', path: '', severity: 'error', message: '' }), []);
});

test('validate.metadata and validate.connection: every corpus file, as bytes and as text', () => {
  let drafts = 0;
  for (const bytes of files(corpus, 'metadata/')) {
    const report = validate.metadata(bytes.toString('utf8'), { now });
    assertConforms(types, 'MetadataReport', report);
    assertConforms(types, 'MetadataReport', validate.metadata(bytes, { now }));
    if (report.import.draft) {
      drafts += 1;
      assertConforms(types, 'Draft', report.import.draft);
      assertConforms(types, 'ConnectionReport', validate.connection(report.import.draft, { now }));
    }
  }
  assert.ok(drafts >= 15, `${drafts} drafts`);
});

test('validate.certificate and validate.privateKey: every certificate and key', () => {
  for (const bytes of files(corpus, 'certs/')) {
    assertConforms(types, 'CertificateReport', validate.certificate(bytes.toString('utf8'), { now }));
    assertConforms(types, 'CertificateReport', validate.certificate(bytes, { now }));
  }
  for (const bytes of files(fixtures, '')) {
    const text = bytes.toString('utf8');
    assertConforms(types, 'CertificateReport', validate.certificate(text, { now }));
    assertConforms(types, 'PrivateKeyReport', validate.privateKey(text));
  }
  for (const issue of validate.attributeMapping({ email: '', '': 'x' }, { groupRoles: true })) {
    assertConforms(types, 'Issue', issue);
  }
});
