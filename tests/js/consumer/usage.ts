// Compiled with `tsc --noEmit` against the packed package: every export is typed
// precisely enough that misuse below would not compile.
import init, {
  createClient,
  patch,
  type JsonPatchOperation,
  validate,
  type CertificateReport,
  type Connection,
  type ConnectionReport,
  type ConnectionResult,
  type SigninCheck,
  type TestSignInResult,
  type TestSignInStarted,
  type Issue,
  type MetadataReport,
  type SamlkitError,
  type Session,
} from "samlkit";
import initPanel, { mountSamlPanel, type PanelHandle } from "samlkit/panel";
import initDebugger, { checkResponse, type SigninCheckId, type SigninReport } from "samlkit/debugger";

export async function debug(pasted: string, connection: Connection): Promise<SigninCheckId[]> {
  await initDebugger();
  const report: SigninReport = checkResponse(pasted, connection, { now: Date.now() });
  return report.checks.filter((c) => c.outcome === "fail").map((c) => c.check);
}

export async function embed(element: HTMLElement, token: string): Promise<PanelHandle> {
  await initPanel();
  return mountSamlPanel(element, { baseUrl: "https://api.example.com", sessionToken: token, connectionId: "saml-connection-1" });
}

export async function example(pem: string, xml: string, token: string): Promise<string[]> {
  await init();
  const cert: CertificateReport = validate.certificate(pem, { now: Date.now() });
  const first = cert.certificates[0];
  const expires: string = first.not_after;
  const bits: number = first.public_key_size;
  const md: MetadataReport = validate.metadata(xml, { entityId: "https://idp.example.com/" });
  const entityId: string | undefined = md.import.draft?.idp_entity_id;
  const report: ConnectionReport = validate.connection({ idp_sso_url: "https://idp.example.com/sso", attribute_mapping: { email: "mail" } });
  const status: "active" | "pending" = report.status;
  const key = validate.privateKey(pem, "pkcs1");
  const keyBits: number | undefined = key.key?.bits;
  const mappingIssues: Issue[] = validate.attributeMapping({ email: "mail" }, { groupRoles: true });
  const ops: JsonPatchOperation[] = patch.diff({ a: 1 }, { a: 2 });
  const patched: unknown = patch.apply({ a: 1 }, ops);

  const client = createClient({ baseUrl: "https://api.example.com", getSessionToken: async () => token });
  const session: Session = await client.session();
  const canEdit: boolean = session.permissions.sso.includes("update");
  const created: ConnectionResult = await client.sso.saml.createConnection({ display_name: "Okta", identity_provider: "okta" });
  const connection: Connection = created.connection;
  try {
    await client.sso.saml.updateConnection({
      connection_id: connection.connection_id,
      idp_entity_id: "http://www.okta.com/exk1",
      attribute_mapping: { email: "email", full_name: "name" },
      saml_group_implicit_role_assignments: [{ role_id: "admin", group: "IT" }],
    });
  } catch (e) {
    const err = e as SamlkitError;
    const where: string[] = err.issues.map((i: Issue) => `${i.severity} ${i.code} ${i.path}`);
    const current: Connection | undefined = err.connection;
    return [...where, String(current?.version)];
  }
  await client.sso.saml.updateConnectionByURL({ connection_id: connection.connection_id, metadata_url: "https://idp.example.com/md" });
  // A test sign-in: open the IdP, then read the checks the server made of its answer.
  const started: TestSignInStarted = await client.sso.saml.startTestSignIn({ connection_id: connection.connection_id });
  const opened: string = started.redirect_url;
  const { test }: TestSignInResult = await client.sso.saml.getTestSignIn({ connection_id: connection.connection_id });
  const failing: SigninCheck[] = (test?.report?.checks ?? []).filter((c) => c.outcome === "fail");
  // @ts-expect-error: a check's outcome is one of four words
  const never: boolean = test?.report?.checks[0].outcome === "failed";
  const { saml_connections } = await client.sso.getConnections();
  await client.sso.deleteConnection({ connection_id: saml_connections[0].connection_id });
  return [opened, failing.map((c) => c.check).join(), String(never), expires, String(bits), String(entityId), status, String(keyBits), String(mappingIssues.length), String(canEdit), JSON.stringify(patched)];
}
