// Starting the package in Node as a new user would: a call before init fails
// with a message that says what to do, and a plain `await init()` works.
// (A separate file: node --test runs each file in its own process.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import init, { validate } from 'samlkit';

test('a call before init says to call init first', () => {
  assert.throws(() => validate.certificate('x'), /samlkit is not initialized.*await init\(\)/s);
});

test('await init() in Node reads the package\'s own wasm', async () => {
  // Without touching the globals Request and Response: in Node, reading either loads
  // its fetch implementation, which doubled the cold start.
  for (const name of ['Request', 'Response']) {
    Object.defineProperty(globalThis, name, { configurable: true, get() { throw new Error(`init read ${name}`); } });
  }
  await init();
  const { issues } = validate.certificate('not a certificate');
  assert.equal(issues[0].code, 'cert_not_pem');
});
