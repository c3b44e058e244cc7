//! Talking to the backend: gloo-net requests, answers as JSON, failures as `SamlkitError`.

use super::error;
use gloo_net::http::{Method, RequestBuilder};
use serde_json::Value;
use wasm_bindgen::JsValue;

/// Sends one request; a 2xx answer is its JSON body, anything else a `SamlkitError`.
pub async fn send(
    method: Method,
    url: &str,
    token: &str,
    body: Option<&Value>,
    if_match: Option<u64>,
) -> Result<Value, JsValue> {
    let mut request = RequestBuilder::new(url)
        .method(method)
        .header("authorization", &format!("Bearer {token}"));
    if let Some(version) = if_match {
        request = request.header("if-match", &format!("\"{version}\""));
    }
    let request = match body {
        Some(b) => request
            .header("content-type", "application/json")
            .body(b.to_string())
            .map_err(|e| error::network(&e.to_string()))?,
        None => request.build().map_err(|e| error::network(&e.to_string()))?,
    };
    let response = request.send().await.map_err(|e| error::network(&e.to_string()))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| error::network(&e.to_string()))?;
    let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    if (200..300).contains(&status) {
        return Ok(body);
    }
    Err(error::from_server(status, &body))
}

/// A GET whose successful answer is text (the SP metadata XML).
#[cfg(feature = "panel")]
pub async fn get_text(url: &str, token: &str) -> Result<String, JsValue> {
    let response = RequestBuilder::new(url)
        .method(Method::GET)
        .header("authorization", &format!("Bearer {token}"))
        .send()
        .await
        .map_err(|e| error::network(&e.to_string()))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| error::network(&e.to_string()))?;
    if (200..300).contains(&status) {
        return Ok(text);
    }
    Err(error::from_server(
        status,
        &serde_json::from_str(&text).unwrap_or(Value::Null),
    ))
}
