// Stytch's official Node client (npm `stytch`, B2BClient), unmodified, against
// samlkit-server: every method of its SSO and SAML surface, every answer
// checked against the client's own `.d.ts`, every error a StytchError.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import stytch from "stytch";
import { loadTypes, assertConforms } from "../js/dts.mjs";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run scripts/test-vendors.sh)`);
  return value;
};
const base = env("SAMLKIT_VENDOR_BASE");
const organization_id = env("SAMLKIT_VENDOR_ORG");
const admin = env("SAMLKIT_VENDOR_ADMIN");
const viewer = env("SAMLKIT_VENDOR_VIEWER");
const root = env("SAMLKIT_VENDOR_ROOT");
const file = (path) => readFileSync(join(root, path), "utf8");

const require = createRequire(import.meta.url);
// The package exports only its entry point: its types are beside it.
const types = loadTypes(join(dirname(require.resolve("stytch")), "..", "types"));

const client = new stytch.B2BClient({
  project_id: env("SAMLKIT_VENDOR_PROJECT_ID"),
  secret: env("SAMLKIT_VENDOR_SECRET"),
  env: base,
});
const asAdmin = { authorization: { session_token: admin } };

/** The StytchError a call rejects with (anything else fails the test). */
async function stytchError(promise) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof stytch.StytchError, `a StytchError, not ${e?.constructor?.name}: ${e?.message}`);
    assert.equal(typeof e.request_id, "string");
    assert.equal(typeof e.error_message, "string");
    assert.ok(Array.isArray(e.error_details?.issues), "error_details.issues");
    return e;
  }
  assert.fail("the call succeeded");
}

// IdP metadata for updateByURL, served on the port the server may fetch from.
let metadataServer;
before(async () => {
  const xml = file("tests/corpus/metadata/okta_ssoready.xml");
  metadataServer = createServer((_, res) => {
    res.writeHead(200, { "content-type": "application/samlmetadata+xml" });
    res.end(xml);
  });
  await new Promise((ok) => metadataServer.listen(Number(env("SAMLKIT_VENDOR_METADATA_PORT")), "127.0.0.1", ok));
});
after(() => metadataServer.close());

test("session JWTs: authenticate, verified locally with the JWKS, and accepted as authorization", async () => {
  const auth = await client.sessions.authenticate({ session_token: admin });
  // The member and organization objects carry only what this server keeps (see
  // the README's compatibility table); the session is Stytch's.
  assertConforms(types, "MemberSession", auth.member_session);
  assert.equal(typeof auth.session_jwt, "string");
  // The client verifies the JWT itself, with the JWKS it fetches from the server.
  const local = await client.sessions.authenticateJwtLocal({ session_jwt: auth.session_jwt });
  assert.equal(local.member_id, auth.member_session.member_id);
  assert.equal(local.organization_id, organization_id);
  assert.deepEqual(local.roles, ["admin"]);
  const either = await client.sessions.authenticateJwt({ session_jwt: auth.session_jwt });
  assert.equal(either.member_session.member_id, auth.member_session.member_id);
  // ES256 keys: Stytch's JWK type describes RSA keys (n, e), so only the shape common to both is checked.
  const jwks = await client.sessions.getJWKS({ project_id: env("SAMLKIT_VENDOR_PROJECT_ID") });
  assert.deepEqual(
    jwks.keys.map((k) => [k.kty, k.alg, k.use, typeof k.kid]),
    [["EC", "ES256", "sig", "string"]],
  );

  const byJwt = await client.sso.getConnections(
    { organization_id },
    { authorization: { session_jwt: auth.session_jwt } },
  );
  assertConforms(types, "B2BSSOGetConnectionsResponse", byJwt);
  const viewerJwt = (await client.sessions.authenticate({ session_token: viewer })).session_jwt;
  const refused = await stytchError(
    client.sso.saml.createConnection({ organization_id }, { authorization: { session_jwt: viewerJwt } }),
  );
  assert.equal(refused.status_code, 403);
  const forged = await stytchError(
    client.sso.getConnections({ organization_id }, { authorization: { session_jwt: auth.session_jwt.slice(0, -4) + "AAAA" } }),
  );
  assert.equal(forged.status_code, 401);
});

test("the whole SAML lifecycle, every answer as the client's types declare it", async () => {
  const created = await client.sso.saml.createConnection(
    { organization_id, display_name: "Okta", identity_provider: "okta" },
    asAdmin,
  );
  assertConforms(types, "B2BSSOSAMLCreateConnectionResponse", created);
  const connection_id = created.connection.connection_id;
  assert.equal(created.connection.status, "pending");

  // Every request field updateConnection sends.
  const updated = await client.sso.saml.updateConnection(
    {
      organization_id,
      connection_id,
      idp_entity_id: "http://www.okta.com/exk1abc",
      display_name: "Okta (production)",
      attribute_mapping: { email: "email", first_name: "firstName", last_name: "lastName", groups: "groups" },
      x509_certificate: file("tests/fixtures/rsa2048_sp.crt"),
      idp_sso_url: "https://acme.okta.com/app/acme_app/exk1abc/sso/saml",
      saml_connection_implicit_role_assignments: [{ role_id: "stytch_member" }],
      saml_group_implicit_role_assignments: [{ role_id: "stytch_admin", group: "admins" }],
      alternative_audience_uri: "https://app.acme.example/saml",
      identity_provider: "okta",
      signing_private_key: file("tests/fixtures/rsa2048_pkcs1.key"),
      nameid_format: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
      alternative_acs_url: "https://auth.acme.example/v1/b2b/sso/callback",
      idp_initiated_auth_disabled: true,
      saml_encryption_private_key: file("tests/fixtures/rsa2048_pkcs1.key"),
      allow_gateway_callback: true,
    },
    asAdmin,
  );
  assertConforms(types, "B2BSSOSAMLUpdateConnectionResponse", updated);
  const c = updated.connection;
  assert.equal(c.status, "active");
  assert.equal(c.alternative_acs_url, "https://auth.acme.example/v1/b2b/sso/callback");
  assert.equal(c.allow_gateway_callback, true);
  assert.equal(c.idp_initiated_auth_disabled, true);
  assert.equal(c.signing_certificates.length, 1, "a certificate for the signing key");
  assert.equal(c.encryption_private_keys.length, 1);
  assert.ok(!JSON.stringify(updated).includes("PRIVATE KEY"), "no key is echoed");

  const listed = await client.sso.getConnections({ organization_id }, asAdmin);
  assertConforms(types, "B2BSSOGetConnectionsResponse", listed);
  assert.ok(listed.saml_connections.some((s) => s.connection_id === connection_id));

  const byUrl = await client.sso.saml.updateByURL(
    {
      organization_id,
      connection_id,
      metadata_url: `http://127.0.0.1:${env("SAMLKIT_VENDOR_METADATA_PORT")}/metadata`,
    },
    asAdmin,
  );
  assertConforms(types, "B2BSSOSAMLUpdateByURLResponse", byUrl);
  assert.match(byUrl.connection.idp_entity_id, /okta/);

  const certificate_id = byUrl.connection.verification_certificates[0].certificate_id;
  const removed = await client.sso.saml.deleteVerificationCertificate(
    { organization_id, connection_id, certificate_id },
    asAdmin,
  );
  assertConforms(types, "B2BSSOSAMLDeleteVerificationCertificateResponse", removed);
  assert.equal(removed.certificate_id, certificate_id);

  const private_key_id = c.encryption_private_keys[0].private_key_id;
  const keyGone = await client.sso.saml.deleteEncryptionPrivateKey(
    { organization_id, connection_id, private_key_id },
    asAdmin,
  );
  assertConforms(types, "B2BSSOSAMLDeleteEncryptionPrivateKeyResponse", keyGone);
  assert.equal(keyGone.private_key_id, private_key_id);
  const again = await stytchError(
    client.sso.saml.deleteEncryptionPrivateKey({ organization_id, connection_id, private_key_id }, asAdmin),
  );
  assert.equal(again.status_code, 404);

  const deleted = await client.sso.deleteConnection({ organization_id, connection_id }, asAdmin);
  assertConforms(types, "B2BSSODeleteConnectionResponse", deleted);
  assert.equal(deleted.connection_id, connection_id);
});

test("every refusal is a StytchError with our issue codes in error_details", async () => {
  const { connection } = await client.sso.saml.createConnection({ organization_id, display_name: "x" }, asAdmin);
  const { connection_id } = connection;
  const invalid = await stytchError(
    client.sso.saml.updateConnection(
      { organization_id, connection_id, x509_certificate: "not a certificate", idp_sso_url: "http://idp.example.com/sso" },
      asAdmin,
    ),
  );
  assert.equal(invalid.status_code, 400);
  assert.equal(invalid.error_type, "invalid_request");
  const codes = invalid.error_details.issues.map((i) => `${i.code} ${i.path}`);
  assert.ok(codes.includes("cert_not_pem /x509_certificate"), codes.join(", "));
  assert.match(invalid.error_message, /x509_certificate|idp_sso_url/);

  const forbidden = await stytchError(
    client.sso.saml.updateConnection(
      { organization_id, connection_id, display_name: "y" },
      { authorization: { session_token: viewer } },
    ),
  );
  assert.equal(forbidden.status_code, 403);
  assert.equal(forbidden.error_type, "unauthorized_action");
  const unknownOrg = await stytchError(client.sso.getConnections({ organization_id: "organization-nope" }));
  assert.equal(unknownOrg.status_code, 404);
  const unknownConnection = await stytchError(
    client.sso.saml.deleteVerificationCertificate(
      { organization_id, connection_id: "saml-connection-nope", certificate_id: "x" },
      asAdmin,
    ),
  );
  assert.equal(unknownConnection.error_type, "not_found");
  const badSession = await stytchError(
    client.sso.getConnections({ organization_id }, { authorization: { session_token: "session-nope" } }),
  );
  assert.equal(badSession.status_code, 401);
  const wrongSecret = new stytch.B2BClient({ project_id: env("SAMLKIT_VENDOR_PROJECT_ID"), secret: "nope", env: base });
  assert.equal((await stytchError(wrongSecret.sso.getConnections({ organization_id }))).status_code, 401);
  await client.sso.deleteConnection({ organization_id, connection_id }, asAdmin);
});
