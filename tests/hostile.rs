//! Hostile and malformed input: a clean error every time, never a panic (which
//! would be a trap in WebAssembly). Runs natively and in headless Chromium.

mod common;

use common::{REFERENCE_DATE, corpus_files, fixture_files};
use samlkit::keys::{self, KeyFormat};
use samlkit::metadata::{self, MAX_METADATA_BYTES};
use samlkit::validate::{self, Context};
use samlkit::{Code, x509};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";

fn refusal(xml: &str) -> Code {
    let import = metadata::import(xml, None, REFERENCE_DATE);
    assert!(import.draft.is_none());
    assert_eq!(import.issues.len(), 1, "{:?}", import.issues);
    import.issues[0].code
}

#[test]
fn nesting_20000_deep_is_refused_cleanly() {
    let depth = 20_000;
    let mut xml = format!("<md:EntityDescriptor xmlns:md=\"{MD}\" entityID=\"https://idp.example.com/\">");
    xml.push_str(&"<x>".repeat(depth));
    xml.push_str(&"</x>".repeat(depth));
    xml.push_str("</md:EntityDescriptor>");
    assert_eq!(refusal(&xml), Code::MetadataTooComplex);
}

#[test]
fn nesting_250000_deep_unclosed_is_refused_cleanly() {
    let xml = format!("<md:EntityDescriptor xmlns:md=\"{MD}\">{}", "<a>".repeat(250_000));
    let code = refusal(&xml);
    assert!(
        matches!(code, Code::MetadataTooComplex | Code::MetadataNotXml),
        "{code:?}"
    );
}

#[test]
fn two_megabytes_is_refused_before_parsing() {
    let padding = " ".repeat(2 * 1024 * 1024);
    let xml = format!(
        "<md:EntityDescriptor xmlns:md=\"{MD}\" entityID=\"https://idp.example.com/\">{padding}</md:EntityDescriptor>"
    );
    assert!(xml.len() > MAX_METADATA_BYTES);
    assert_eq!(refusal(&xml), Code::MetadataTooLarge);
}

#[test]
fn too_many_nodes_is_refused() {
    let xml = format!(
        "<md:EntityDescriptor xmlns:md=\"{MD}\">{}</md:EntityDescriptor>",
        "<a/>".repeat(200_000)
    );
    assert!(xml.len() < MAX_METADATA_BYTES);
    assert_eq!(refusal(&xml), Code::MetadataTooComplex);
}

#[test]
fn external_dtd_and_parameter_entities_are_refused() {
    for xml in [
        "<!DOCTYPE md SYSTEM \"https://evil.example/x.dtd\"><md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\"/>",
        "<!DOCTYPE md [<!ENTITY % p SYSTEM \"https://evil.example/p\"> %p;]><md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\"/>",
        "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"&undefined;\"/>",
    ] {
        let code = refusal(xml);
        assert!(matches!(code, Code::MetadataDoctypeForbidden), "{xml}: {code:?}");
    }
}

#[test]
fn error_messages_never_quote_the_document() {
    let secret = "s3cr3t-Value-From-The-Document";
    let xml = format!("<md:EntityDescriptor xmlns:md=\"{MD}\" {secret}=\"1\" {secret}=\"2\"/>");
    let import = metadata::import(&xml, None, REFERENCE_DATE);
    assert_eq!(import.issues[0].code, Code::MetadataNotXml);
    assert!(!import.issues[0].message.contains(secret));
}

#[test]
fn oversized_certificate_and_key_fields() {
    let huge = "A".repeat(5 * 1024 * 1024);
    let r = x509::inspect(&huge, REFERENCE_DATE);
    assert_eq!(r.issues[0].code, Code::CertNotPem);
    let many = "-----BEGIN CERTIFICATE-----\nMAMCAQU=\n-----END CERTIFICATE-----\n".repeat(100);
    assert_eq!(x509::inspect(&many, REFERENCE_DATE).issues[0].code, Code::CertMultiple);
    let r = keys::inspect(&huge, KeyFormat::Pkcs1Only, None);
    assert!(r.key.is_none() && !r.issues.is_empty());
}

/// A small deterministic mutation run over every corpus and fixture file through
/// every parser: bit flips, truncations and splices must give issues, not panics.
/// (The long coverage-guided runs are `scripts/fuzz.sh`; this keeps both targets honest.)
#[test]
fn mutated_inputs_never_panic() {
    let mut seed: u64 = 0x5A4D_1C17_2026_1123;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let ctx = Context::at(REFERENCE_DATE);
    let inputs: Vec<&[u8]> = corpus_files::FILES
        .iter()
        .map(|(_, b)| *b)
        .chain(fixture_files::FILES.iter().map(|(_, t)| t.as_bytes()))
        .collect();
    let mut runs = 0;
    for input in &inputs {
        for round in 0..24 {
            let mut bytes = input.to_vec();
            match round % 4 {
                0 => {
                    for _ in 0..(1 + next() % 8) {
                        let i = (next() as usize) % bytes.len();
                        bytes[i] ^= 1 << (next() % 8);
                    }
                }
                1 => bytes.truncate((next() as usize) % bytes.len()),
                2 => {
                    let other = inputs[(next() as usize) % inputs.len()];
                    let at = (next() as usize) % bytes.len();
                    let from = (next() as usize) % other.len();
                    bytes.splice(at..at, other[from..].iter().copied().take(300));
                }
                _ => {
                    let i = (next() as usize) % bytes.len();
                    bytes.insert(i, b"<>&\"-\n="[(next() % 7) as usize]);
                }
            }
            let text = String::from_utf8_lossy(&bytes);
            let _ = validate::metadata(&text, None, &ctx);
            let _ = x509::inspect(&text, REFERENCE_DATE);
            let _ = x509::facts_from_der(&bytes);
            let _ = keys::inspect(&text, KeyFormat::Pkcs1OrPkcs8, Some(&text));
            runs += 1;
        }
    }
    assert!(runs > 1000, "{runs}");
}
