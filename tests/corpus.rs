//! Every fact of every corpus file, checked against facts computed independently
//! (Python `cryptography` + openssl, see tests/corpus/SOURCES.md).
//!
//! Runs natively and, under wasm-bindgen-test, in headless Chromium.

mod common;

use common::{REFERENCE_DATE, corpus_files, corpus_text};
use samlkit::Code;
use samlkit::metadata::{self, Metadata, MetadataCertificate};
use samlkit::x509::{self, CertificateFacts};
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn expected() -> Value {
    serde_json::from_str(corpus_files::EXPECTED).unwrap()
}

/// Collects every mismatch so one run shows them all.
#[derive(Default)]
struct Diff(Vec<String>);

impl Diff {
    fn eq(&mut self, at: &str, what: &str, got: Value, want: &Value) {
        if &got != want {
            self.0.push(format!("{at}: {what}: got {got}, want {want}"));
        }
    }

    fn assert_empty(self) {
        assert!(self.0.is_empty(), "{} mismatches:\n{}", self.0.len(), self.0.join("\n"));
    }
}

fn check_cert(d: &mut Diff, at: &str, got: &CertificateFacts, want: &Value) {
    let v = serde_json::to_value(got).unwrap();
    for key in [
        "sha256_fingerprint",
        "sha1_fingerprint",
        "subject_cn",
        "subject",
        "issuer",
        "self_issued",
        "serial_hex",
        "not_before",
        "not_after",
        "public_key_algorithm",
        "public_key_size",
        "signature_algorithm",
        "signature_algorithm_oid",
        "signature_hash",
    ] {
        d.eq(at, key, v[key].clone(), &want[key]);
    }
    if let Some(curve) = want.get("ec_curve") {
        d.eq(at, "ec_curve", v["ec_curve"].clone(), curve);
    }
    let report = x509::inspect(&got.pem, REFERENCE_DATE);
    let has = |code| Value::Bool(report.issues.iter().any(|i| i.code == code));
    d.eq(
        at,
        "expired_at_ref_date",
        has(Code::CertExpired),
        &want["expired_at_ref_date"],
    );
    d.eq(
        at,
        "not_yet_valid_at_ref_date",
        has(Code::CertNotYetValid),
        &want["not_yet_valid_at_ref_date"],
    );
    let negative = want
        .get("quirk_non_positive_serial")
        .cloned()
        .unwrap_or(Value::Bool(false));
    d.eq(
        at,
        "quirk_non_positive_serial",
        has(Code::CertNegativeSerial),
        &negative,
    );
}

#[test]
fn certificate_files() {
    let expected = expected();
    let mut d = Diff::default();
    let certs = expected["certs"].as_object().unwrap();
    assert_eq!(certs.len(), 10);
    for (name, want) in certs {
        let report = x509::inspect(corpus_text(name), REFERENCE_DATE);
        d.eq(
            name,
            "certificate_count",
            report.certificates.len().into(),
            &want["certificate_count"],
        );
        for (i, (got, w)) in report
            .certificates
            .iter()
            .zip(want["certificates"].as_array().unwrap())
            .enumerate()
        {
            check_cert(&mut d, &format!("{name}[{i}]"), got, w);
        }
    }
    d.assert_empty();
}

fn check_metadata_cert(d: &mut Diff, at: &str, got: &MetadataCertificate, want: &Value) {
    match (&got.facts, want.get("parse_error")) {
        (Some(facts), None) => check_cert(d, at, facts, want),
        (None, Some(_)) => {
            // The one undecodable kind in the corpus is base64 of a whole PEM file.
            let want_code = if want.get("inner_pem_certificate").is_some() {
                Code::CertDoubleEncoded
            } else {
                Code::CertDerInvalid
            };
            d.eq(
                at,
                "error",
                serde_json::to_value(got.error).unwrap(),
                &serde_json::to_value(Some(want_code)).unwrap(),
            );
        }
        (got, want) => d.0.push(format!(
            "{at}: decoded {} but expected parse_error {want:?}",
            got.is_some()
        )),
    }
}

fn check_metadata(d: &mut Diff, name: &str, got: &Metadata, want: &Value) {
    d.eq(
        name,
        "root_element",
        got.root_element.clone().into(),
        &want["root_element"],
    );
    d.eq(name, "entity_count", got.entities.len().into(), &want["entity_count"]);
    let idps = got
        .entities
        .iter()
        .filter(|e| !e.idp_sso_descriptors.is_empty())
        .count();
    d.eq(name, "idp_entity_count", idps.into(), &want["idp_entity_count"]);
    let ids: Vec<&str> = got.entities.iter().map(|e| e.entity_id.as_str()).collect();
    d.eq(
        name,
        "entity_ids",
        serde_json::to_value(ids).unwrap(),
        &want["entity_ids"],
    );
    if want["entities_descriptor"] == Value::Bool(true) {
        d.eq(
            name,
            "valid_until",
            serde_json::to_value(&got.valid_until).unwrap(),
            want.get("valid_until").unwrap_or(&Value::Null),
        );
    }
    for (i, (e, we)) in got
        .entities
        .iter()
        .zip(want["entities"].as_array().unwrap())
        .enumerate()
    {
        let at = format!("{name} entity {i}");
        d.eq(&at, "entity_id", e.entity_id.clone().into(), &we["entity_id"]);
        d.eq(
            &at,
            "valid_until",
            serde_json::to_value(&e.valid_until).unwrap(),
            we.get("valid_until").unwrap_or(&Value::Null),
        );
        d.eq(&at, "signed", e.signed.into(), &we["signed"]);
        d.eq(&at, "roles", serde_json::to_value(&e.roles).unwrap(), &we["roles"]);
        let wd = we["idp_sso_descriptors"].as_array().unwrap();
        d.eq(
            &at,
            "idp_sso_descriptors",
            e.idp_sso_descriptors.len().into(),
            &wd.len().into(),
        );
        for (j, (g, w)) in e.idp_sso_descriptors.iter().zip(wd).enumerate() {
            let at = format!("{at} idp {j}");
            d.eq(
                &at,
                "protocol_support_enumeration",
                g.protocol_support_enumeration.clone().into(),
                &w["protocol_support_enumeration"],
            );
            // The expected facts keep the attribute's text; we read it as xs:boolean.
            let want_signed = w
                .get("want_authn_requests_signed")
                .and_then(Value::as_str)
                .map(|v| v == "true" || v == "1");
            d.eq(
                &at,
                "want_authn_requests_signed",
                serde_json::to_value(g.want_authn_requests_signed).unwrap(),
                &serde_json::to_value(want_signed).unwrap(),
            );
            for (key, list) in [
                ("single_sign_on_services", &g.single_sign_on_services),
                ("single_logout_services", &g.single_logout_services),
            ] {
                let mut got = serde_json::to_value(list).unwrap();
                for ep in got.as_array_mut().unwrap() {
                    if ep["response_location"].is_null() {
                        ep.as_object_mut().unwrap().remove("response_location");
                    }
                }
                d.eq(&at, key, got, &w[key]);
            }
            d.eq(
                &at,
                "name_id_formats",
                serde_json::to_value(&g.name_id_formats).unwrap(),
                &w["name_id_formats"],
            );
            let wk = w["key_descriptors"].as_array().unwrap();
            // The expected facts list KeyDescriptors that hold an xmldsig certificate.
            let ours: Vec<_> = g
                .key_descriptors
                .iter()
                .filter(|k| !k.certificates.is_empty())
                .collect();
            let theirs: Vec<_> = wk
                .iter()
                .filter(|k| !k["certificates"].as_array().unwrap().is_empty())
                .collect();
            d.eq(
                &at,
                "key_descriptors with certificates",
                ours.len().into(),
                &theirs.len().into(),
            );
            for (k, (gk, wk)) in ours.iter().zip(theirs).enumerate() {
                let at = format!("{at} key {k}");
                d.eq(&at, "use", serde_json::to_value(&gk.use_).unwrap(), &wk["use"]);
                let wc = wk["certificates"].as_array().unwrap();
                d.eq(&at, "certificates", gk.certificates.len().into(), &wc.len().into());
                for (c, (gc, wc)) in gk.certificates.iter().zip(wc).enumerate() {
                    check_metadata_cert(d, &format!("{at} cert {c}"), gc, wc);
                }
            }
        }
    }
}

#[test]
fn metadata_files() {
    let expected = expected();
    let mut d = Diff::default();
    let files = expected["metadata"].as_object().unwrap();
    assert_eq!(files.len(), 24);
    for (name, want) in files {
        match metadata::parse(corpus_text(name)) {
            Ok(got) => {
                d.eq(name, "well_formed", true.into(), &want["well_formed"]);
                check_metadata(&mut d, name, &got, want);
            }
            Err(issue) => {
                d.eq(name, "well_formed", false.into(), &want["well_formed"]);
                d.eq(name, "refusal", issue.code.as_str().into(), &"metadata_not_xml".into());
            }
        }
    }
    d.assert_empty();
}

/// The verdict an import gives each file: which are refused, and why.
#[test]
fn metadata_import_verdicts() {
    let expected = expected();
    for (name, want) in expected["metadata"].as_object().unwrap() {
        let import = metadata::import(corpus_text(name), None, REFERENCE_DATE);
        let codes: Vec<Code> = import.issues.iter().map(|i| i.code).collect();
        let quirks: Vec<&str> = want["quirks"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        if want["well_formed"] == Value::Bool(false) {
            assert_eq!(codes, [Code::MetadataNotXml], "{name}");
            continue;
        }
        let idps = want["idp_entity_count"].as_u64().unwrap();
        if idps == 0 {
            assert_eq!(codes, [Code::MetadataSpOnly], "{name}");
            assert!(quirks.contains(&"no_idp_sso_descriptor_eg_sp_only_metadata"), "{name}");
            continue;
        }
        if idps > 1 {
            assert_eq!(codes, [Code::MetadataMultipleIdps], "{name}");
            for id in &import.idp_entity_ids {
                assert!(
                    import.issues[0].message.contains(id.as_str()),
                    "{name}: {id} not listed"
                );
            }
            // Choosing one works, and its double-encoded certificates are named as such.
            let choice = import.idp_entity_ids[0].clone();
            let chosen = metadata::import(corpus_text(name), Some(&choice), REFERENCE_DATE);
            assert_eq!(chosen.draft.unwrap().idp_entity_id.as_deref(), Some(choice.as_str()));
            assert!(
                chosen.issues.iter().any(|i| i.code == Code::CertDoubleEncoded),
                "{name}"
            );
            continue;
        }
        let draft = import.draft.as_ref().unwrap_or_else(|| panic!("{name}: no draft"));
        let entity = want["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| !e["idp_sso_descriptors"].as_array().unwrap().is_empty())
            .unwrap();
        assert_eq!(draft.idp_entity_id.as_deref(), entity["entity_id"].as_str(), "{name}");
        let has = |c| codes.contains(&c);
        assert_eq!(
            has(Code::MetadataExpired),
            quirks.contains(&"validUntil_in_the_past_at_ref_date"),
            "{name}: {codes:?}"
        );
        let usable = !quirks.contains(&"idp_without_usable_signing_certificate");
        assert_eq!(draft.verification_certificates.is_empty(), !usable, "{name}");
        assert_eq!(
            has(Code::MetadataCertificateWrongNamespace),
            quirks.contains(&"namespace_problem_strict_and_local_name_parsing_differ"),
            "{name}"
        );
        let sso = &entity["idp_sso_descriptors"][0]["single_sign_on_services"];
        let location = |b: &str| {
            sso.as_array()
                .unwrap()
                .iter()
                .find(|s| s["binding"] == b)
                .map(|s| s["location"].as_str().unwrap().to_owned())
        };
        let want_url = location(metadata::BINDING_REDIRECT).or_else(|| location(metadata::BINDING_POST));
        assert_eq!(draft.idp_sso_url, want_url, "{name}");
        let signing = entity["idp_sso_descriptors"][0]["key_descriptors"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|k| k["use"].is_null() || k["use"] == "signing")
            .flat_map(|k| k["certificates"].as_array().unwrap())
            .filter_map(|c| c["sha256_fingerprint"].as_str())
            .collect::<std::collections::BTreeSet<_>>();
        let ours = draft
            .verification_certificates
            .iter()
            .map(|c| {
                x509::inspect(&c.certificate, REFERENCE_DATE).certificates[0]
                    .sha256_fingerprint
                    .clone()
            })
            .collect::<std::collections::BTreeSet<_>>();
        assert_eq!(
            ours.iter()
                .map(String::as_str)
                .collect::<std::collections::BTreeSet<_>>(),
            signing,
            "{name}"
        );
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn corpus_table_lists_every_file() {
    let mut on_disk = Vec::new();
    for dir in ["certs", "metadata"] {
        for entry in std::fs::read_dir(format!("{}/tests/corpus/{dir}", env!("CARGO_MANIFEST_DIR"))).unwrap() {
            on_disk.push(format!("{dir}/{}", entry.unwrap().file_name().to_string_lossy()));
        }
    }
    on_disk.sort();
    let table: Vec<String> = corpus_files::FILES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(table, on_disk);
}
