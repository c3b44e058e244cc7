//! `createClient(...)`, `client.sso` and `client.sso.saml`: the Stytch-shaped SDK.
//!
//! Every write is validated first by the same core the server runs, on the same
//! merged draft the server would judge, and rejected before any request when it
//! has an error. The organization comes from the session, never from a parameter.
//! The client remembers each connection and sends its version as `If-Match`.

use super::http;
use super::{error, json_arg, now_or_clock, to_js};
use crate::dialect::{infisical, sailpoint};
use crate::model::{Connection, Draft, ServiceProvider};
use crate::validate::{self, Context};
use crate::{update, urls};
use gloo_net::http::Method;
use serde_json::{Value, json};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENT: &str = r#"
export interface ClientOptions {
  /** Where samlkit-server (or a compatible backend) is, e.g. "https://api.example.com". */
  baseUrl: string;
  /** The member's session token. */
  sessionToken?: string;
  /** Called before each request instead of `sessionToken`. */
  getSessionToken?: () => string | Promise<string>;
  /** Which API the backend speaks: samlkit's native (Stytch-shaped) one, Infisical's
   *  `/api/v1/sso/config`, or SailPoint's service-provider configuration (JSON Patch).
   *  The SDK translates both ways; fields a dialect cannot carry are refused locally. */
  dialect?: Dialect;
}
export type Dialect = "native" | "infisical" | "sailpoint";
export interface ConnectionResult { connection: Connection; request_id: string; status_code: number; issues: Issue[];
  /** Set by `deleteVerificationCertificate`: the certificate it removed. */
  certificate_id?: string; }
export interface ConnectionsResult { saml_connections: Connection[]; oidc_connections: Connection[]; external_connections: Connection[]; request_id: string; status_code: number; }
export interface DeleteResult { connection_id: string; request_id: string; status_code: number; }
export interface DeleteEncryptionPrivateKeyParams { connection_id: string; private_key_id: string; }
export interface DeleteEncryptionPrivateKeyResult { private_key_id: string; request_id: string; status_code: number; }
export interface Session {
  member_id: string | null; email: string | null; organization_id: string | null; role: string;
  permissions: { sso: ("create" | "read" | "update" | "delete")[] }; request_id: string; status_code: number;
}
export interface CreateConnectionParams { display_name?: string; identity_provider?: IdentityProvider; }
export interface UpdateConnectionParams extends Omit<Draft, "verification_certificates"> { connection_id: string; }
export interface UpdateConnectionByURLParams { connection_id: string; metadata_url: string; idp_entity_id?: string; }
export interface DeleteVerificationCertificateParams { connection_id: string; certificate_id: string; }
export interface TestSignInStarted {
  test_id: string;
  /** Open it (a new window) to sign in at the IdP; its answer is checked at the ACS. */
  redirect_url: string;
  /** Until when the IdP's answer is taken. */
  expires_at: string;
  request_id: string; status_code: number;
}
export interface TestSignIn {
  test_id: string; started_by: string; started_at: string;
  /** Null while the IdP has not answered. */
  completed_at: string | null;
  report: SigninReport | null;
}
export interface TestSignInResult { test: TestSignIn | null; request_id: string; status_code: number; }
/** Every rejection: thrown by the SDK before sending, or mapped from the server's answer. */
export interface SamlkitError extends Error {
  name: "SamlkitError";
  /** `invalid_request`, `unauthorized_credentials`, `unauthorized_action`, `not_found`,
   *  `precondition_failed` (the connection changed; see `connection`), `payload_too_large`,
   *  `network_error` (nothing was answered), `invalid_argument` (the call itself was wrong), ... */
  code: ErrorType;
  /** The HTTP status; 400 when the SDK refused before sending; 0 when nothing was answered. */
  status_code: number;
  /** The server's request id; null when the SDK refused before sending. */
  request_id: string | null;
  issues: Issue[];
  /** With `precondition_failed`: the connection as it is now on the server. */
  connection?: Connection;
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "ClientOptions")]
    pub type ClientOptions;
}

/// The API a backend speaks (see `ClientOptions.dialect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    #[default]
    Native,
    Infisical,
    Sailpoint,
}

impl Dialect {
    fn parse(name: &str) -> Option<Dialect> {
        match name {
            "native" => Some(Dialect::Native),
            "infisical" => Some(Dialect::Infisical),
            "sailpoint" => Some(Dialect::Sailpoint),
            _ => None,
        }
    }

    const fn name(self) -> &'static str {
        match self {
            Dialect::Native => "native",
            Dialect::Infisical => "Infisical",
            Dialect::Sailpoint => "SailPoint",
        }
    }

    /// A dialect's error body in the native shape, issue paths in native terms.
    fn native_error(self, status: u16, body: &Value) -> Value {
        let (message, request_id, issues, native_path): (Value, Value, Value, fn(&str) -> String) = match self {
            Dialect::Native => return body.clone(),
            Dialect::Infisical => {
                let issues = match &body["message"] {
                    Value::Array(schema) => Value::Array(schema.clone()),
                    _ => body["details"].clone(),
                };
                let message = match &body["message"] {
                    Value::String(m) => Value::from(m.as_str()),
                    _ => Value::from("The request does not fit Infisical's schema."),
                };
                (message, body["reqId"].clone(), issues, infisical::native_path)
            }
            Dialect::Sailpoint => (
                body["messages"][0]["text"].clone(),
                body["trackingId"].clone(),
                body["issues"].clone(),
                sailpoint::native_path,
            ),
        };
        let issues: Vec<Value> = issues
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| {
                let mut i = i.clone();
                let native = native_path(i["path"].as_str().unwrap_or_default());
                i["path"] = Value::from(native);
                i
            })
            .collect();
        let error_type = crate::ErrorType::of_status(status);
        json!({"error_type": error_type, "error_message": message, "request_id": request_id, "issues": issues})
    }
}

/// The client for Rust callers (the Leptos panel); JS callers get [`Client`].
pub struct SsoClient {
    base_url: String,
    dialect: Dialect,
    token: Option<String>,
    get_token: Option<js_sys::Function>,
    organization_id: RefCell<Option<String>>,
    /// What the client last saw of each connection (its version is the If-Match).
    connections: RefCell<HashMap<String, Connection>>,
}

impl SsoClient {
    /// A client for `base_url` with a fixed member session token.
    pub fn new(base_url: &str, session_token: &str) -> SsoClient {
        SsoClient {
            base_url: base_url.trim_end_matches('/').to_owned(),
            dialect: Dialect::Native,
            token: Some(session_token.to_owned()),
            get_token: None,
            organization_id: RefCell::new(None),
            connections: RefCell::new(HashMap::new()),
        }
    }

    /// The same client for a backend that speaks another dialect.
    pub fn with_dialect(mut self, dialect: Dialect) -> SsoClient {
        self.dialect = dialect;
        self
    }

    async fn token(&self) -> Result<String, JsValue> {
        if let Some(f) = &self.get_token {
            let value = f.call0(&JsValue::NULL)?;
            let value = match value.dyn_ref::<js_sys::Promise>() {
                Some(p) => wasm_bindgen_futures::JsFuture::from(p.clone()).await?,
                None => value,
            };
            return value
                .as_string()
                .ok_or_else(|| error::usage("getSessionToken must return a string"));
        }
        self.token
            .clone()
            .ok_or_else(|| error::usage("createClient needs sessionToken or getSessionToken"))
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        if_match: Option<u64>,
    ) -> Result<Value, JsValue> {
        self.send_as(method, path, body.map(|b| (b, "application/json")), if_match)
            .await
            .map(|(body, _)| body)
    }

    /// Sends a request; a 2xx answer is its body and request id, anything else a
    /// `SamlkitError` in the native shape whatever the dialect.
    async fn send_as(
        &self,
        method: Method,
        path: &str,
        body: Option<(&Value, &str)>,
        if_match: Option<u64>,
    ) -> Result<(Value, Option<String>), JsValue> {
        let token = self.token().await?;
        let url = format!("{}{path}", self.base_url);
        let answer = http::exchange(method, &url, &token, body, if_match).await?;
        if (200..300).contains(&answer.status) {
            return Ok((answer.body, answer.request_id));
        }
        let body = self.dialect.native_error(answer.status, &answer.body);
        // A 412 brings the current connection: remember it, so a retry starts from it.
        if let Ok(connection) = crate::json::read::<Connection>(&body["connection"]) {
            self.remember(connection);
        }
        Err(error::from_server(answer.status, &body))
    }

    /// Refuses what a dialect's API cannot do.
    fn native_only(&self, what: &str) -> Result<(), JsValue> {
        match self.dialect {
            Dialect::Native => Ok(()),
            d => Err(error::usage(&format!("{what} is not part of the {} API.", d.name()))),
        }
    }

    /// The organization's connections, read through the dialect.
    pub(crate) async fn list(&self) -> Result<Value, JsValue> {
        let org = self.organization().await?;
        let (connections, request_id) = match self.dialect {
            Dialect::Native => {
                let answer = self
                    .send(Method::GET, &format!("/v1/b2b/sso/{org}"), None, None)
                    .await?;
                for c in answer["saml_connections"].as_array().into_iter().flatten() {
                    if let Ok(connection) = crate::json::read::<Connection>(c) {
                        self.remember(connection);
                    }
                }
                return Ok(answer);
            }
            _ => match self.dialect_read(&org).await {
                Ok((c, request_id)) => (vec![c], request_id),
                Err(e) if error::status_of(&e) == 404 => (vec![], None),
                Err(e) => return Err(e),
            },
        };
        Ok(
            json!({"saml_connections": connections, "oidc_connections": [], "external_connections": [], "request_id": request_id,
            "status_code": 200}),
        )
    }

    /// The dialect's one connection of the organization, as a connection.
    async fn dialect_read(&self, org: &str) -> Result<(Connection, Option<String>), JsValue> {
        let now = now_or_clock(None);
        let unexpected = |e: serde_json::Error| error::network(&format!("unexpected answer: {e}"));
        let (connection, request_id) = match self.dialect {
            Dialect::Infisical => {
                let (body, request_id) = self.send_as(Method::GET, "/api/v1/sso/config", None, None).await?;
                let view = crate::json::read::<infisical::ConfigView>(&body).map_err(unexpected)?;
                (view.connection(now), request_id)
            }
            _ => {
                let path = "/beta/auth-org/service-provider-config";
                let (body, request_id) = self.send_as(Method::GET, path, None, None).await?;
                let config = crate::json::read::<sailpoint::ServiceProviderConfig>(&body).map_err(unexpected)?;
                (sailpoint::connection(&config, org, now), request_id)
            }
        };
        self.remember(connection.clone());
        Ok((connection, request_id))
    }

    /// Sends a validated update in the dialect's terms; the answer in the native shape.
    async fn dialect_update(&self, org: &str, p: &Value, warnings: Vec<crate::Issue>) -> Result<Value, JsValue> {
        match self.dialect {
            Dialect::Infisical => {
                let body = infisical::request_from_update(p, org).map_err(|i| error::invalid(&i))?;
                self.send_as(
                    Method::PATCH,
                    "/api/v1/sso/config",
                    Some((&body, "application/json")),
                    None,
                )
                .await?;
            }
            _ => {
                // SailPoint takes the minimal RFC 6902 patch from what the server has now.
                let path = "/beta/auth-org/service-provider-config";
                let (current, _) = self.send_as(Method::GET, path, None, None).await?;
                let ops = sailpoint::patch_for_update(&current, p).map_err(|i| error::invalid(&i))?;
                self.send_as(Method::PATCH, path, Some((&ops, "application/json-patch+json")), None)
                    .await?;
            }
        }
        let (connection, request_id) = self.dialect_read(org).await?;
        Ok(json!({"connection": connection, "request_id": request_id, "status_code": 200, "issues": warnings}))
    }

    async fn session(&self) -> Result<Value, JsValue> {
        let answer = self.send(Method::GET, "/v1/b2b/sessions/me", None, None).await?;
        if let Some(org) = answer["organization_id"].as_str() {
            *self.organization_id.borrow_mut() = Some(org.to_owned());
        }
        Ok(answer)
    }

    async fn organization(&self) -> Result<String, JsValue> {
        if let Some(org) = self.organization_id.borrow().clone() {
            return Ok(org);
        }
        self.session().await?;
        self.organization_id
            .borrow()
            .clone()
            .ok_or_else(|| error::usage("the session has no organization (a project key needs a member session here)"))
    }

    fn remember(&self, connection: Connection) {
        self.connections
            .borrow_mut()
            .insert(connection.connection_id.clone(), connection);
    }

    async fn connection(&self, org: &str, id: &str) -> Result<Connection, JsValue> {
        if let Some(c) = self.connections.borrow().get(id).cloned() {
            return Ok(c);
        }
        if self.dialect != Dialect::Native {
            let (c, _) = self.dialect_read(org).await?;
            if c.connection_id != id {
                return Err(error::from_server(
                    404,
                    &json!({"error_type": crate::ErrorType::NotFound, "error_message": "No such connection."}),
                ));
            }
            return Ok(c);
        }
        let answer = self
            .send(Method::GET, &format!("/v1/b2b/sso/{org}/connections/{id}"), None, None)
            .await?;
        let connection = crate::json::read::<Connection>(&answer["connection"])
            .map_err(|e| error::network(&format!("unexpected answer: {e}")))?;
        self.remember(connection.clone());
        Ok(connection)
    }

    /// Remembers the connection in a `{connection, ...}` answer and returns the answer.
    fn connection_answer(&self, answer: Value) -> Result<JsValue, JsValue> {
        to_js(&self.remember_answer(answer))
    }

    fn remember_answer(&self, answer: Value) -> Value {
        if let Ok(connection) = crate::json::read::<Connection>(&answer["connection"]) {
            self.remember(connection);
        }
        answer
    }

    /// `updateConnection`: the update laid over the remembered connection, validated,
    /// then sent with the remembered version.
    pub(crate) async fn update_connection(&self, p: Value) -> Result<Value, JsValue> {
        let id = connection_id(&p)?;
        let org = self.organization().await?;
        let current = self.connection(&org, &id).await?;
        let merged = update::apply(&current.draft(), &p, &id).map_err(|i| error::invalid(&i))?;
        let report = validate::connection(&merged, &context(&current));
        if report.has_errors() {
            return Err(error::invalid(&report.issues));
        }
        if self.dialect != Dialect::Native {
            let warnings = report.issues.into_iter().filter(|i| !i.is_error()).collect();
            return self.dialect_update(&org, &p, warnings).await;
        }
        let mut body = p.clone();
        if let Some(o) = body.as_object_mut() {
            o.remove("connection_id");
        }
        let path = format!("/v1/b2b/sso/saml/{org}/connections/{id}");
        let answer = self
            .send(Method::PUT, &path, Some(&body), Some(current.version))
            .await?;
        Ok(self.remember_answer(answer))
    }

    /// `deleteVerificationCertificate`, sent with the remembered version.
    pub(crate) async fn delete_certificate(&self, p: Value) -> Result<Value, JsValue> {
        let (_, answer) = self
            .delete_under(
                &p,
                "deleteVerificationCertificate",
                "certificate_id",
                "verification_certificates",
            )
            .await?;
        Ok(self.remember_answer(answer))
    }

    /// `deleteEncryptionPrivateKey`, sent with the remembered version.
    async fn delete_encryption_key(&self, p: Value) -> Result<Value, JsValue> {
        let (id, answer) = self
            .delete_under(
                &p,
                "deleteEncryptionPrivateKey",
                "private_key_id",
                "encryption_private_keys",
            )
            .await?;
        // The answer has no connection: the next read fetches the new version.
        self.connections.borrow_mut().remove(&id);
        Ok(answer)
    }

    /// Deletes `…/connections/{connection_id}/{collection}/{p[param]}` with the
    /// connection's remembered version; the connection id and the answer.
    async fn delete_under(
        &self,
        p: &Value,
        method: &str,
        param: &str,
        collection: &str,
    ) -> Result<(String, Value), JsValue> {
        self.native_only(method)?;
        let id = connection_id(p)?;
        let item = p[param]
            .as_str()
            .ok_or_else(|| error::usage(&format!("{param} is required")))?
            .to_owned();
        let org = self.organization().await?;
        let version = self.connection(&org, &id).await?.version;
        let path = format!("/v1/b2b/sso/saml/{org}/connections/{id}/{collection}/{item}");
        let answer = self.send(Method::DELETE, &path, None, Some(version)).await?;
        Ok((id, answer))
    }

    /// This SP's metadata XML for the connection, to give to the IdP.
    #[cfg(feature = "panel")]
    pub(crate) async fn sp_metadata(&self, id: &str) -> Result<String, JsValue> {
        let org = self.organization().await?;
        let token = self.token().await?;
        http::get_text(
            &format!("{}/v1/b2b/sso/saml/{org}/connections/{id}/metadata", self.base_url),
            &token,
        )
        .await
    }

    /// Starts a test sign-in of the saved connection: `{test_id, redirect_url, expires_at}`.
    pub(crate) async fn start_test(&self, id: &str) -> Result<Value, JsValue> {
        let org = self.organization().await?;
        let path = format!("/v1/b2b/sso/saml/{org}/connections/{id}/test");
        self.send(Method::POST, &path, None, None).await
    }

    /// The connection's last answered test (`{test: null}` before the first).
    pub(crate) async fn last_test(&self, id: &str) -> Result<Value, JsValue> {
        let org = self.organization().await?;
        let path = format!("/v1/b2b/sso/saml/{org}/connections/{id}/test");
        self.send(Method::GET, &path, None, None).await
    }

    /// The connection as the server has it now (and remembered from here on).
    #[cfg(feature = "panel")]
    pub(crate) async fn fetch_connection(&self, id: &str) -> Result<Connection, JsValue> {
        let org = self.organization().await?;
        self.connections.borrow_mut().remove(id);
        self.connection(&org, id).await
    }

    /// The session's permitted actions on `sso`.
    #[cfg(feature = "panel")]
    pub(crate) async fn permissions(&self) -> Result<Vec<String>, JsValue> {
        let session = self.session().await?;
        Ok(session["permissions"]["sso"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a.as_str().map(str::to_owned))
            .collect())
    }
}

/// A method's future as its promise: one boxed future type, so that the promise
/// machinery is compiled once for every method, not once per method.
fn promise(f: impl std::future::Future<Output = Result<JsValue, JsValue>> + 'static) -> js_sys::Promise {
    let f: std::pin::Pin<Box<dyn std::future::Future<Output = Result<JsValue, JsValue>>>> = Box::pin(f);
    wasm_bindgen_futures::future_to_promise(f)
}

fn connection_id(p: &Value) -> Result<String, JsValue> {
    p["connection_id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| error::usage("connection_id is required"))
}

fn context(connection: &Connection) -> Context {
    Context {
        now: now_or_clock(None),
        service_provider: Some(ServiceProvider {
            acs_url: connection.acs_url.clone(),
            audience_uri: connection.audience_uri.clone(),
        }),
    }
}

/// Creates a client.
///
/// ```ts
/// import init, { createClient } from "samlkit";
/// await init();
/// const client = createClient({ baseUrl: "https://api.example.com", sessionToken });
/// const { saml_connections } = await client.sso.getConnections();
/// ```
#[wasm_bindgen(js_name = createClient)]
pub fn create_client(options: ClientOptions) -> Result<Client, JsValue> {
    let options: JsValue = options.into();
    let get = |k: &str| js_sys::Reflect::get(&options, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let base_url = get("baseUrl")
        .as_string()
        .ok_or_else(|| error::usage("createClient needs baseUrl"))?;
    let dialect = match get("dialect").as_string() {
        None => Dialect::Native,
        Some(name) => Dialect::parse(&name)
            .ok_or_else(|| error::usage("dialect is \"native\", \"infisical\" or \"sailpoint\""))?,
    };
    let inner = SsoClient {
        base_url: base_url.trim_end_matches('/').to_owned(),
        dialect,
        token: get("sessionToken").as_string(),
        get_token: get("getSessionToken").dyn_into::<js_sys::Function>().ok(),
        organization_id: RefCell::new(None),
        connections: RefCell::new(HashMap::new()),
    };
    if inner.token.is_none() && inner.get_token.is_none() {
        return Err(error::usage("createClient needs sessionToken or getSessionToken"));
    }
    Ok(Client { inner: Rc::new(inner) })
}

/// The SDK client; `client.sso` holds the methods.
#[wasm_bindgen]
pub struct Client {
    inner: Rc<SsoClient>,
}

#[cfg(feature = "panel")]
impl Client {
    pub(crate) fn inner(&self) -> Rc<SsoClient> {
        self.inner.clone()
    }
}

#[wasm_bindgen]
impl Client {
    #[wasm_bindgen(getter)]
    pub fn sso(&self) -> Sso {
        Sso {
            inner: self.inner.clone(),
        }
    }

    /// The signed-in member, its organization and what it may do on `sso`.
    ///
    /// ```ts
    /// const { permissions } = await client.session();
    /// const canEdit = permissions.sso.includes("update");
    /// ```
    #[wasm_bindgen(unchecked_return_type = "Promise<Session>")]
    pub fn session(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        promise(async move { to_js(&inner.session().await?) })
    }
}

/// `client.sso`: connections of the session's organization.
#[wasm_bindgen]
pub struct Sso {
    inner: Rc<SsoClient>,
}

#[wasm_bindgen]
impl Sso {
    #[wasm_bindgen(getter)]
    pub fn saml(&self) -> Saml {
        Saml {
            inner: self.inner.clone(),
        }
    }

    /// Lists the organization's connections.
    ///
    /// ```ts
    /// const { saml_connections } = await client.sso.getConnections();
    /// ```
    #[wasm_bindgen(js_name = getConnections, unchecked_return_type = "Promise<ConnectionsResult>")]
    pub fn get_connections(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        promise(async move { to_js(&inner.list().await?) })
    }

    /// Deletes a connection.
    ///
    /// ```ts
    /// await client.sso.deleteConnection({ connection_id });
    /// ```
    #[wasm_bindgen(js_name = deleteConnection, unchecked_return_type = "Promise<DeleteResult>")]
    pub fn delete_connection(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ connection_id: string }")] p: JsValue,
    ) -> js_sys::Promise {
        let inner = self.inner.clone();
        promise(async move {
            inner.native_only("deleteConnection")?;
            let p = json_arg(p)?;
            let id = connection_id(&p)?;
            let org = inner.organization().await?;
            let version = inner.connections.borrow().get(&id).map(|c| c.version);
            let answer = inner
                .send(
                    Method::DELETE,
                    &format!("/v1/b2b/sso/{org}/connections/{id}"),
                    None,
                    version,
                )
                .await?;
            inner.connections.borrow_mut().remove(&id);
            to_js(&answer)
        })
    }
}

/// `client.sso.saml`: SAML connection writes, validated locally first.
#[wasm_bindgen]
pub struct Saml {
    inner: Rc<SsoClient>,
}

#[wasm_bindgen]
impl Saml {
    /// Creates a connection (status `pending`).
    ///
    /// ```ts
    /// const { connection } = await client.sso.saml.createConnection({ display_name: "Okta", identity_provider: "okta" });
    /// ```
    #[wasm_bindgen(js_name = createConnection, unchecked_return_type = "Promise<ConnectionResult>")]
    pub fn create_connection(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateConnectionParams")] p: JsValue,
    ) -> js_sys::Promise {
        let inner = self.inner.clone();
        promise(async move {
            inner.native_only("createConnection")?;
            let p = if p.is_undefined() { json!({}) } else { json_arg(p)? };
            let draft: Draft = update::from_json(p.clone()).map_err(|i| error::invalid(&i))?;
            let report = validate::connection(&draft, &Context::at(now_or_clock(None)));
            if report.has_errors() {
                return Err(error::invalid(&report.issues));
            }
            let org = inner.organization().await?;
            let answer = inner
                .send(Method::POST, &format!("/v1/b2b/sso/saml/{org}"), Some(&p), None)
                .await?;
            inner.connection_answer(answer)
        })
    }

    /// Updates a connection. Rejects without sending anything when the merged
    /// connection has an error; warnings come back in `issues`.
    ///
    /// ```ts
    /// const { connection, issues } = await client.sso.saml.updateConnection({
    ///   connection_id, idp_entity_id, idp_sso_url, x509_certificate,
    ///   attribute_mapping: { email: "email", full_name: "name" },
    /// });
    /// ```
    #[wasm_bindgen(js_name = updateConnection, unchecked_return_type = "Promise<ConnectionResult>")]
    pub fn update_connection(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateConnectionParams")] p: JsValue,
    ) -> js_sys::Promise {
        let inner = self.inner.clone();
        promise(async move { to_js(&inner.update_connection(json_arg(p)?).await?) })
    }

    /// Updates a connection from the IdP's metadata URL (fetched by the server).
    ///
    /// ```ts
    /// await client.sso.saml.updateConnectionByURL({ connection_id, metadata_url: "https://idp.example.com/metadata" });
    /// ```
    #[wasm_bindgen(js_name = updateConnectionByURL, unchecked_return_type = "Promise<ConnectionResult>")]
    pub fn update_connection_by_url(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateConnectionByURLParams")] p: JsValue,
    ) -> js_sys::Promise {
        let inner = self.inner.clone();
        promise(async move {
            inner.native_only("updateConnectionByURL")?;
            let p = json_arg(p)?;
            let id = connection_id(&p)?;
            let url = p["metadata_url"].as_str().unwrap_or_default();
            let issues = urls::check_endpoint(url, "/metadata_url");
            if crate::issue::has_errors(&issues) {
                return Err(error::invalid(&issues));
            }
            let org = inner.organization().await?;
            let version = inner.connection(&org, &id).await?.version;
            let mut body = p.clone();
            if let Some(o) = body.as_object_mut() {
                o.remove("connection_id");
            }
            let path = format!("/v1/b2b/sso/saml/{org}/connections/{id}/url");
            let answer = inner.send(Method::PUT, &path, Some(&body), Some(version)).await?;
            inner.connection_answer(answer)
        })
    }

    /// Removes one verification certificate (for example, after a rotation).
    ///
    /// ```ts
    /// await client.sso.saml.deleteVerificationCertificate({ connection_id, certificate_id });
    /// ```
    #[wasm_bindgen(js_name = deleteVerificationCertificate, unchecked_return_type = "Promise<ConnectionResult>")]
    pub fn delete_verification_certificate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DeleteVerificationCertificateParams")] p: JsValue,
    ) -> js_sys::Promise {
        let inner = self.inner.clone();
        promise(async move { to_js(&inner.delete_certificate(json_arg(p)?).await?) })
    }

    /// Starts a test sign-in of the saved connection. Open `redirect_url` to sign
    /// in at the IdP; the IdP posts its answer to the connection's ACS, where the
    /// server checks it as a sign-in would, and signs nobody in.
    ///
    /// ```ts
    /// const { redirect_url } = await client.sso.saml.startTestSignIn({ connection_id });
    /// window.open(redirect_url);
    /// ```
    #[wasm_bindgen(js_name = startTestSignIn, unchecked_return_type = "Promise<TestSignInStarted>")]
    pub fn start_test_sign_in(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ connection_id: string }")] p: JsValue,
    ) -> js_sys::Promise {
        let inner = self.inner.clone();
        promise(async move {
            inner.native_only("startTestSignIn")?;
            let id = connection_id(&json_arg(p)?)?;
            to_js(&inner.start_test(&id).await?)
        })
    }

    /// The connection's last answered test sign-in: who ran it, when, and the
    /// report check by check (`test` is null before the first).
    ///
    /// ```ts
    /// const { test } = await client.sso.saml.getTestSignIn({ connection_id });
    /// if (test?.report?.passed === false) console.log(test.report.checks);
    /// ```
    #[wasm_bindgen(js_name = getTestSignIn, unchecked_return_type = "Promise<TestSignInResult>")]
    pub fn get_test_sign_in(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ connection_id: string }")] p: JsValue,
    ) -> js_sys::Promise {
        let inner = self.inner.clone();
        promise(async move {
            inner.native_only("getTestSignIn")?;
            let id = connection_id(&json_arg(p)?)?;
            to_js(&inner.last_test(&id).await?)
        })
    }

    /// Removes the encryption private key (assertions are no longer decrypted with it).
    ///
    /// ```ts
    /// const [key] = connection.encryption_private_keys;
    /// await client.sso.saml.deleteEncryptionPrivateKey({ connection_id, private_key_id: key.private_key_id });
    /// ```
    #[wasm_bindgen(js_name = deleteEncryptionPrivateKey, unchecked_return_type = "Promise<DeleteEncryptionPrivateKeyResult>")]
    pub fn delete_encryption_private_key(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DeleteEncryptionPrivateKeyParams")] p: JsValue,
    ) -> js_sys::Promise {
        let inner = self.inner.clone();
        promise(async move { to_js(&inner.delete_encryption_key(json_arg(p)?).await?) })
    }
}
