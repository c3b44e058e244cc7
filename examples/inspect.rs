//! `cargo run --example inspect -- FILE...`: prints what samlkit makes of
//! certificates (PEM) and IdP metadata (XML) files, as JSON.

use samlkit::Timestamp;
use samlkit::validate::{self, Context};
use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let ctx = Context::at(Timestamp(now));
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: inspect FILE...   (PEM certificates or metadata XML)");
        std::process::exit(2);
    }
    for file in files {
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{file}: {e}");
                std::process::exit(1);
            }
        };
        let value = if text.trim_start().trim_start_matches('\u{feff}').starts_with('<') {
            serde_json::to_value(validate::metadata(&text, None, &ctx))
        } else {
            serde_json::to_value(validate::certificate(&text, &ctx))
        };
        let out = serde_json::json!({ "file": file, "result": value.expect("reports serialize") });
        println!("{}", serde_json::to_string_pretty(&out).expect("json"));
    }
}
