//! What each fuzz target does with its input, shared by `fuzz/` (cargo-fuzz)
//! and `tests/fuzz_regressions.rs` (the kept crash cases, natively and in
//! Chromium), so a crash replays exactly as it was found. Each must return
//! normally for every input: an issue, never a panic.
#![allow(dead_code)]

use samlkit::Timestamp;
use samlkit::keys::{self, KeyFormat};
use samlkit::model::Draft;
use samlkit::validate::{self, Context};
use samlkit::{metadata, patch, update, x509};
use serde_json::Value;

const NOW: Timestamp = Timestamp(1_795_392_000);

/// IdP metadata XML → facts → draft (and the whole connection rules on it).
pub fn metadata(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = metadata::parse(&text);
    let import = metadata::import(&text, None, NOW);
    if let Some(draft) = import.draft {
        let _ = validate::connection(&draft, &Context::at(NOW));
    }
}

/// A certificate field as pasted (PEM and its lenient forms), and raw DER.
pub fn certificate(data: &[u8]) {
    let _ = x509::inspect(&String::from_utf8_lossy(data), NOW);
    let _ = x509::facts_from_der(data);
}

/// A private key field, in both of the formats the rules accept.
pub fn private_key(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = keys::inspect(&text, KeyFormat::Pkcs1Only, None);
    let _ = keys::inspect(&text, KeyFormat::Pkcs1OrPkcs8, Some(&text));
}

/// `[document, patch]` as JSON: parse, apply (plain and guarded), the update it
/// makes of a connection document, and diff back.
pub fn json_patch(data: &[u8]) {
    let Ok(Value::Array(pair)) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let (Some(doc), Some(ops)) = (pair.first(), pair.get(1)) else {
        return;
    };
    if let Ok(patched) = patch::apply(doc, ops) {
        let _ = patch::apply(doc, &patch::diff(doc, &patched));
    }
    let guard = patch::Guard {
        write_only: update::PATCH_WRITE_ONLY,
        immutable: update::PATCH_IMMUTABLE,
    };
    let _ = patch::apply_guarded(doc, ops, guard);
    let _ = update::update_from_patch(doc, ops);
}

/// A whole draft as JSON through `validate` (and as an update over an empty draft).
pub fn validate(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    if let Ok(draft) = update::from_json::<Draft>(value.clone()) {
        let _ = validate::connection(&draft, &Context::at(NOW));
    }
    let _ = update::apply(&Draft::default(), &value, "c");
}
