//! RFC 6902 conformance: the `json-patch-test-suite` cases (tests/patch/), as
//! data, natively and in headless Chromium.

use samlkit::patch;
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const SUITES: &[(&str, &str)] = &[
    ("tests.json", include_str!("patch/tests.json")),
    ("spec_tests.json", include_str!("patch/spec_tests.json")),
];

#[test]
fn json_patch_test_suite() {
    let (mut passed, mut failed, mut disabled) = (0, Vec::new(), 0);
    for (suite, text) in SUITES {
        let cases: Vec<Value> = serde_json::from_str(text).unwrap();
        for (i, case) in cases.iter().enumerate() {
            if case["disabled"] == Value::Bool(true) {
                disabled += 1;
                continue;
            }
            let name = format!(
                "{suite}#{i} {}",
                case["comment"].as_str().or(case["error"].as_str()).unwrap_or("")
            );
            let result = patch::apply(&case["doc"], &case["patch"]);
            let ok = match (&result, case.get("expected"), case.get("error")) {
                (Ok(got), Some(want), _) => patch::json_equal(got, want),
                (Err(_), _, Some(_)) => true,
                (Ok(_), None, None) => true,
                _ => false,
            };
            if ok {
                passed += 1;
            } else {
                failed.push(format!("{name}: {result:?}"));
            }
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} failed:\n{}",
        failed.len(),
        passed + failed.len(),
        failed.join("\n")
    );
    assert_eq!(
        passed, 91,
        "conformance cases passed ({disabled} disabled by the suite)"
    );
}
