//! `samlkit/debugger`: the test sign-in's checks on a SAMLResponse pasted in the
//! browser (base64 or XML, as SAML-tracer shows it), computed here so that the
//! assertion never leaves the page. Its own WebAssembly entry: neither the SDK
//! nor the panel carries it. One JSON string crosses the boundary each way.

use crate::Timestamp;
use crate::signin::{self, Expected, Settings};
use wasm_bindgen::prelude::*;

/// The report (`SigninReport`) as JSON for `response` checked against `settings`
/// (`SigninSettings` as JSON: a connection object, or only the members a sign-in
/// reads), the request it should answer, if any, and `now_ms` (or the clock).
/// The package's `checkResponse` wraps it with objects.
#[wasm_bindgen(js_name = checkResponseJson, skip_typescript)]
pub fn check_response_json(
    response: &str,
    settings: &str,
    request_id: Option<String>,
    now_ms: Option<f64>,
) -> Result<String, JsError> {
    let settings: Settings = serde_json::from_str(settings)
        .map_err(|e| JsError::new(&format!("The connection settings are not valid: {e}")))?;
    let now = Timestamp::from_millis(now_ms.unwrap_or_else(js_sys::Date::now));
    let report = signin::check(response, &Expected::new(&settings, request_id.as_deref(), now));
    serde_json::to_string(&report).map_err(|e| JsError::new(&e.to_string()))
}
