//! Helpers shared by the test binaries, native and wasm32 alike.
#![allow(dead_code)]

pub mod corpus_files;
pub mod fixture_files;
pub mod fuzz_files;
pub mod fuzz_targets;
pub mod rules;

use samlkit::Timestamp;

/// The corpus's reference date, 2026-11-23T00:00:00Z.
pub const REFERENCE_DATE: Timestamp = Timestamp(1_795_392_000);

pub fn corpus_text(name: &str) -> &'static str {
    std::str::from_utf8(corpus_bytes(name)).expect("corpus files are UTF-8")
}

pub fn corpus_bytes(name: &str) -> &'static [u8] {
    corpus_files::FILES
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("{name} is not in the corpus table"))
        .1
}
