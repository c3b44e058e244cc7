//! Prints the OpenAPI document: `cargo run -p samlkit-server --example openapi`.
use utoipa::OpenApi;
fn main() {
    println!(
        "{}",
        serde_json::to_string_pretty(&samlkit_server::http::openapi::ApiDoc::openapi()).unwrap()
    );
}
