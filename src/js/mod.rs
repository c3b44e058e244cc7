//! The WebAssembly boundary. Thin by design: it converts JS values to the
//! core's types and back, and decides nothing. One file per JS namespace.

pub mod client;
pub mod error;
mod http;
pub mod patch;
pub mod validate;

use serde::Serialize;
use wasm_bindgen::JsValue;

/// Plain JS objects out (maps as objects, not `Map`), as the TypeScript types promise.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

/// The caller's `now` (milliseconds, as `Date.now()` gives) or the browser's clock.
/// The core itself never reads a clock.
pub(crate) fn now_or_clock(now_ms: Option<f64>) -> crate::Timestamp {
    crate::Timestamp::from_millis(now_ms.unwrap_or_else(js_sys::Date::now))
}
