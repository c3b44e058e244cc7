//! Every input a fuzz run ever crashed on (`tests/fuzz_regressions/<target>/`,
//! kept by scripts/fuzz.sh) replayed through the same target function, natively
//! and (with `--target wasm32-unknown-unknown`) in Chromium: a clean result, no
//! panic, no trap.
#![cfg_attr(target_arch = "wasm32", allow(unused))]

mod common;

use common::fuzz_files::FILES;
use common::fuzz_targets as targets;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[test]
fn kept_fuzz_cases_replay_cleanly() {
    let mut per_target = std::collections::BTreeMap::<&str, usize>::new();
    for (path, data) in FILES {
        let target = path.split('/').next().unwrap();
        match target {
            "metadata" => targets::metadata(data),
            "certificate" => targets::certificate(data),
            "private_key" => targets::private_key(data),
            "json_patch" => targets::json_patch(data),
            "validate" => targets::validate(data),
            other => panic!("{path}: no fuzz target {other:?}"),
        }
        *per_target.entry(target).or_default() += 1;
    }
    assert_eq!(per_target.values().sum::<usize>(), FILES.len());
}

/// The embedded table is the folder: no kept case is left out.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn the_table_lists_every_kept_case() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut on_disk = Vec::new();
    for target in std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
    {
        for file in std::fs::read_dir(target.path()).unwrap().flatten() {
            on_disk.push(format!(
                "{}/{}",
                target.file_name().to_string_lossy(),
                file.file_name().to_string_lossy()
            ));
        }
    }
    on_disk.sort();
    let listed: Vec<String> = FILES.iter().map(|(p, _)| (*p).to_owned()).collect();
    assert_eq!(
        listed, on_disk,
        "regenerate tests/common/fuzz_files.rs (scripts/fuzz.sh does)"
    );
}
