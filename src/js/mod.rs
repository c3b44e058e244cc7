//! The WebAssembly boundary. Thin by design: it converts JS values to the
//! core's types and back, and decides nothing. One file per JS namespace.

pub mod client;
pub mod error;
mod http;
pub mod patch;
pub mod validate;

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::JsValue;

/// Plain JS objects out (maps as objects, not `Map`), as the TypeScript types promise.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

/// A JS argument as JSON: the one way a JS value enters the core. `JSON.stringify`
/// and serde_json, so each type is read by one deserializer, for `&Value`, and the
/// wasm carries no serde-wasm-bindgen deserializer (4 KB of the SDK's gzip).
/// `undefined` is `null`; what JSON cannot hold (a BigInt, a cycle) is an error.
pub(crate) fn json_from_js(value: &JsValue) -> Result<Value, String> {
    if value.is_undefined() {
        return Ok(Value::Null);
    }
    let not_json = || "The argument cannot be written as JSON (a BigInt, a function or a cycle).".to_owned();
    let text = js_sys::JSON::stringify(value).map_err(|_| not_json())?;
    serde_json::from_str(&text.as_string().ok_or_else(not_json)?).map_err(|e| e.to_string())
}

/// [`json_from_js`] for the client and `patch.*`, where a bad argument is a
/// `SamlkitError` (`invalid_argument`).
pub(crate) fn json_arg(value: JsValue) -> Result<Value, JsValue> {
    json_from_js(&value).map_err(|e| error::usage(&e))
}

/// The caller's `now` (milliseconds, as `Date.now()` gives) or the browser's clock.
/// The core itself never reads a clock.
pub(crate) fn now_or_clock(now_ms: Option<f64>) -> crate::Timestamp {
    crate::Timestamp::from_millis(now_ms.unwrap_or_else(js_sys::Date::now))
}
