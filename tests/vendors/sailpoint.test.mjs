// SailPoint's official TypeScript client (npm `sailpoint-api-client`), unmodified,
// against samlkit-server: it obtains its token at /oauth/token with client
// credentials and reads and patches the v3 service-provider configuration.
// Answers are checked against the client's own `.d.ts`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import sailpoint from "sailpoint-api-client";
import { loadTypes, assertConforms } from "../js/dts.mjs";

const { Configuration, GlobalTenantSecuritySettingsApi } = sailpoint;

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run scripts/test-vendors.sh)`);
  return value;
};
const base = env("SAMLKIT_VENDOR_BASE");
const root = env("SAMLKIT_VENDOR_ROOT");
const file = (path) => readFileSync(join(root, path), "utf8");

const require = createRequire(import.meta.url);
const types = loadTypes(join(dirname(require.resolve("sailpoint-api-client/package.json")), "dist", "v3"));

function api(clientId, clientSecret) {
  const config = new Configuration({
    baseurl: base,
    tokenUrl: `${base}/oauth/token`,
    clientId,
    clientSecret,
  });
  return new GlobalTenantSecuritySettingsApi(config);
}

const tenant = api(env("SAMLKIT_VENDOR_CLIENT_ID"), env("SAMLKIT_VENDOR_CLIENT_SECRET"));

/** The axios error a call rejects with; its body is SailPoint's error object. */
async function sailpointError(promise) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e.response, `an HTTP error, not ${e?.message}`);
    assertConforms(types, "ErrorResponseDto", e.response.data);
    return e.response;
  }
  assert.fail("the call succeeded");
}

test("a first-time setup: read, then replace members of the unsaved configuration", async () => {
  const first = await tenant.getAuthOrgServiceProviderConfig();
  assert.equal(first.status, 200);
  assertConforms(types, "ServiceProviderConfiguration", first.data);
  const idp = first.data.federationProtocolDetails[0];
  assert.equal(idp.role, "SAML_IDP");
  // Every documented member is there (null while unset), so `replace` works.
  for (const member of ["entityId", "binding", "cert", "loginUrlPost", "loginUrlRedirect", "logoutUrl", "nameId"]) {
    assert.ok(member in idp, member);
  }
  const patched = await tenant.patchAuthOrgServiceProviderConfig({
    jsonPatchOperation: [
      { op: "replace", path: "/federationProtocolDetails/0/entityId", value: "http://www.okta.com/exk1abc" },
      { op: "replace", path: "/federationProtocolDetails/0/loginUrlRedirect", value: "https://acme.okta.com/app/acme/exk1abc/sso/saml" },
      { op: "replace", path: "/federationProtocolDetails/0/binding", value: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" },
      { op: "replace", path: "/federationProtocolDetails/0/cert", value: file("tests/fixtures/rsa2048_sp.crt") },
      { op: "replace", path: "/enabled", value: true },
    ],
  });
  assert.equal(patched.status, 200);
  assertConforms(types, "ServiceProviderConfiguration", patched.data);
  assert.equal(patched.data.enabled, true);
  assert.equal(patched.data.samlConfigurationValid, true);
  const sp = patched.data.federationProtocolDetails[1];
  assert.equal(sp.role, "SAML_SP");
  assert.match(sp.callbackUrl, /^http/);
  const again = await tenant.getAuthOrgServiceProviderConfig();
  assert.deepEqual(again.data, patched.data);
});

test("refusals are SailPoint error objects with our issue codes", async () => {
  const invalid = await sailpointError(
    tenant.patchAuthOrgServiceProviderConfig({
      jsonPatchOperation: [{ op: "replace", path: "/federationProtocolDetails/0/cert", value: "not a certificate" }],
    }),
  );
  assert.equal(invalid.status, 400);
  // SailPoint's `cert` is the certificate's base64 without PEM armour.
  const codes = invalid.data.issues.map((i) => `${i.code} ${i.path}`);
  assert.ok(codes.includes("cert_base64_invalid /federationProtocolDetails/0/cert"), codes.join(", "));
  assert.ok(invalid.data.messages[0].text.length > 0);
  const immutable = await sailpointError(
    tenant.patchAuthOrgServiceProviderConfig({
      jsonPatchOperation: [{ op: "remove", path: "/federationProtocolDetails/1" }],
    }),
  );
  assert.equal(immutable.status, 400);
});

test("client credentials: a wrong secret gets no token, and the calls are refused", async () => {
  const stranger = api(env("SAMLKIT_VENDOR_CLIENT_ID"), "secret-wrong");
  await assert.rejects(stranger.getAuthOrgServiceProviderConfig());
});
