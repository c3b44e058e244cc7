//! `SamlkitError`: `code`, `status_code`, `request_id`, `issues` (and, on 412, `connection`).

use super::to_js;
use crate::ErrorType;
use crate::issue::Issue;
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/error.js")]
extern "C" {
    #[wasm_bindgen(js_name = SamlkitError)]
    pub type SamlkitError;

    #[wasm_bindgen(constructor, js_class = SamlkitError)]
    fn new(
        code: &str,
        message: &str,
        status_code: u16,
        request_id: JsValue,
        issues: JsValue,
        connection: JsValue,
    ) -> SamlkitError;
}

fn make(
    code: ErrorType,
    message: &str,
    status: u16,
    request_id: JsValue,
    issues: JsValue,
    connection: JsValue,
) -> JsValue {
    SamlkitError::new(code.as_str(), message, status, request_id, issues, connection).into()
}

fn issues_js(issues: &[Issue]) -> JsValue {
    to_js(&issues).unwrap_or(JsValue::NULL)
}

/// The core refused the request in the browser: the same code and issues the
/// server would answer with, and no request id (nothing was sent).
pub fn invalid(issues: &[Issue]) -> JsValue {
    let message = crate::issue::summary(issues);
    make(
        ErrorType::InvalidRequest,
        &message,
        400,
        JsValue::NULL,
        issues_js(issues),
        JsValue::UNDEFINED,
    )
}

pub fn usage(message: &str) -> JsValue {
    make(
        ErrorType::InvalidArgument,
        message,
        0,
        JsValue::NULL,
        issues_js(&[]),
        JsValue::UNDEFINED,
    )
}

pub fn network(message: &str) -> JsValue {
    make(
        ErrorType::NetworkError,
        &format!("The request could not be completed: {message}"),
        0,
        JsValue::NULL,
        issues_js(&[]),
        JsValue::UNDEFINED,
    )
}

/// An error body from the server (its `error_type` becomes `code`).
pub fn from_server(status: u16, body: &Value) -> JsValue {
    // The server's issues go to JS as they came (they are the core's, serialized).
    let issues = match &body["issues"] {
        Value::Array(list) => to_js(list).unwrap_or(JsValue::NULL),
        _ => issues_js(&[]),
    };
    let code = body["error_type"]
        .as_str()
        .and_then(ErrorType::from_name)
        .unwrap_or_else(|| ErrorType::of_status(status));
    let message = body["error_message"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| format!("The server answered HTTP {status}."));
    let request_id = body["request_id"].as_str().map_or(JsValue::NULL, JsValue::from_str);
    let connection = match &body["connection"] {
        Value::Null => JsValue::UNDEFINED,
        c => to_js(c).unwrap_or(JsValue::UNDEFINED),
    };
    make(code, &message, status, request_id, issues, connection)
}

/// The `status_code` of an error this module made (0 for anything else).
pub fn status_of(error: &JsValue) -> u16 {
    js_sys::Reflect::get(error, &JsValue::from_str("status_code"))
        .ok()
        .and_then(|v| v.as_f64())
        .map_or(0, |s| s as u16)
}
