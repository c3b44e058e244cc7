//! Talking to the backend: gloo-net requests, answers as JSON, failures as `SamlkitError`.

use super::error;
use gloo_net::http::{Method, RequestBuilder};
use serde_json::Value;
use wasm_bindgen::JsValue;

/// One answer: its status, JSON body and request id.
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub request_id: Option<String>,
}

/// Sends one request with a JSON body of `content_type`; only a network failure is an error.
pub async fn exchange(
    method: Method,
    url: &str,
    token: &str,
    body: Option<(&Value, &str)>,
    if_match: Option<u64>,
) -> Result<Answer, JsValue> {
    let mut request = RequestBuilder::new(url)
        .method(method)
        .header("authorization", &format!("Bearer {token}"));
    if let Some(version) = if_match {
        request = request.header("if-match", &format!("\"{version}\""));
    }
    let request = match body {
        Some((b, content_type)) => request
            .header("content-type", content_type)
            .body(b.to_string())
            .map_err(|e| error::network(&e.to_string()))?,
        None => request.build().map_err(|e| error::network(&e.to_string()))?,
    };
    let response = request.send().await.map_err(|e| error::network(&e.to_string()))?;
    let status = response.status();
    let request_id = response.headers().get("x-request-id");
    let text = response.text().await.map_err(|e| error::network(&e.to_string()))?;
    Ok(Answer {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
        request_id,
    })
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
