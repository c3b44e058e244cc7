//! The rule tables in tests/rules/*.json, natively and in headless Chromium.
//!
//! Each case's full result is also hashed into one digest. The digest is
//! compared with tests/rules/results.sha256, so the native and the wasm32
//! runs are proven to produce byte-identical results, messages and facts
//! included, not merely the same codes. After an intended change, bless it:
//! `SAMLKIT_BLESS=1 cargo test --test rule_tables`.

mod common;

use common::{REFERENCE_DATE, rules};
use serde_json::Value;
use sha2::{Digest, Sha256};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const RESULTS_DIGEST: &str = include_str!("rules/results.sha256");

#[test]
fn rule_tables() {
    let mut problems = Vec::new();
    let mut digest = Sha256::new();
    let mut count = 0;
    for (table, text) in rules::TABLES {
        let doc: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{table}.json: {e}"));
        for case in doc["cases"].as_array().unwrap() {
            let result = rules::run(case, REFERENCE_DATE);
            problems.extend(
                rules::check(case, &result)
                    .into_iter()
                    .map(|p| format!("[{table}] {p}")),
            );
            digest.update(result.to_string().as_bytes());
            count += 1;
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(count > 100, "only {count} cases");
    let got: String = digest.finalize().iter().map(|b| format!("{b:02x}")).collect();
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var_os("SAMLKIT_BLESS").is_some() {
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/rules/results.sha256"),
            format!("{got}\n"),
        )
        .unwrap();
        return;
    }
    assert_eq!(
        got,
        RESULTS_DIGEST.trim(),
        "results differ from the blessed ones (see this file's header)"
    );
}
