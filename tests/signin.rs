//! The sign-in checks on responses signed by an independent tool (xmlsec1, see
//! tests/signin/README.md): each case names the one check that must fail, or that
//! all pass. Runs natively and, under wasm-bindgen-test, in headless Chromium, so
//! the server's test sign-in and the browser's debugger give the same verdicts.
#![cfg(feature = "signin")]

use base64ct::{Base64, Encoding};
use samlkit::Timestamp;
use samlkit::signin::{CheckId, Expected, Outcome, Report, check};
use std::collections::BTreeMap;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const IDP: &str = "http://www.okta.com/exk1samlkittest";
const ACS: &str = "https://sso.example.test/v1/b2b/sso/callback/saml-connection-test-0001";
const AUDIENCE: &str = "https://sso.example.test/v1/b2b/sso/saml/saml-connection-test-0001";
const REQUEST: &str = "_samlkit-test-request-0001";
const IDP_CERT: &str = include_str!("signin/keys/idp.pem");
const IDP_EC_CERT: &str = include_str!("signin/keys/idp_ec.pem");
const OTHER_CERT: &str = include_str!("signin/keys/other.pem");

fn response(name: &str) -> &'static str {
    match name {
        "assertion_signed" => include_str!("signin/responses/assertion_signed.xml"),
        "response_signed" => include_str!("signin/responses/response_signed.xml"),
        "both_signed" => include_str!("signin/responses/both_signed.xml"),
        "ecdsa_p256" => include_str!("signin/responses/ecdsa_p256.xml"),
        "rsa_sha1" => include_str!("signin/responses/rsa_sha1.xml"),
        "wrong_audience" => include_str!("signin/responses/wrong_audience.xml"),
        "missing_email" => include_str!("signin/responses/missing_email.xml"),
        "signed_by_other_key" => include_str!("signin/responses/signed_by_other_key.xml"),
        "idp_initiated" => include_str!("signin/responses/idp_initiated.xml"),
        "unsigned" => include_str!("signin/responses/unsigned.xml"),
        other => panic!("no response {other}"),
    }
}

fn der(pem: &str) -> Vec<u8> {
    samlkit::pem::decode_blocks(pem).unwrap().remove(0).der
}

fn mapping() -> BTreeMap<String, String> {
    [
        ("email", "email"),
        ("first_name", "firstName"),
        ("last_name", "lastName"),
        ("groups", "groups"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// One minute after the responses were issued.
fn issued() -> Timestamp {
    Timestamp::parse_xs_datetime("2026-12-01T12:01:00Z").unwrap()
}

fn run(input: &str, certs: &[&str], request_id: Option<&str>, now: Timestamp) -> Report {
    run_for(IDP, input, certs, request_id, now)
}

/// [`run`] for a connection that expects `idp_entity_id` as the issuer.
fn run_for(idp_entity_id: &str, input: &str, certs: &[&str], request_id: Option<&str>, now: Timestamp) -> Report {
    let mapping = mapping();
    let expected = Expected {
        idp_entity_id,
        certificates: certs.iter().map(|c| der(c)).collect(),
        audiences: vec![AUDIENCE],
        acs_urls: vec![ACS],
        request_id,
        nameid_format: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        attribute_mapping: &mapping,
        now,
    };
    check(input, &expected)
}

fn outcome(report: &Report, id: CheckId) -> Outcome {
    report
        .checks
        .iter()
        .find(|c| c.check == id)
        .map(|c| c.outcome)
        .unwrap_or(Outcome::Skip)
}

fn failed(report: &Report) -> Vec<CheckId> {
    report
        .checks
        .iter()
        .filter(|c| c.outcome == Outcome::Fail)
        .map(|c| c.check)
        .collect()
}

#[track_caller]
fn assert_passes(report: &Report) {
    assert!(report.passed, "{report:#?}");
    assert_eq!(report.checks.len(), 10, "{report:#?}");
}

#[track_caller]
fn assert_fails_at(report: &Report, id: CheckId) {
    assert!(!report.passed);
    assert_eq!(failed(report), vec![id], "{report:#?}");
}

#[test]
fn a_correct_response_passes_every_check_whatever_is_signed() {
    for name in ["assertion_signed", "response_signed", "both_signed"] {
        let report = run(response(name), &[IDP_CERT], Some(REQUEST), issued());
        assert_passes(&report);
        assert_eq!(report.name_id.as_deref(), Some("ada@example.com"));
        let email = report.attributes.iter().find(|a| a.field == "email").unwrap();
        assert_eq!(
            (email.attribute.as_str(), email.values.as_slice()),
            ("email", &["ada@example.com".to_owned()][..])
        );
    }
}

#[test]
fn the_certificate_that_signed_is_found_among_several() {
    let report = run(
        response("assertion_signed"),
        &[OTHER_CERT, IDP_CERT],
        Some(REQUEST),
        issued(),
    );
    assert_passes(&report);
    let signature = report.checks.iter().find(|c| c.check == CheckId::Signature).unwrap();
    assert!(signature.message.contains("certificate 2"), "{}", signature.message);
}

#[test]
fn ecdsa_p256_signatures_verify() {
    assert_passes(&run(response("ecdsa_p256"), &[IDP_EC_CERT], Some(REQUEST), issued()));
}

#[test]
fn rsa_sha1_holds_with_a_warning() {
    let report = run(response("rsa_sha1"), &[IDP_CERT], Some(REQUEST), issued());
    assert!(report.passed, "{report:#?}");
    assert_eq!(outcome(&report, CheckId::Signature), Outcome::Warn);
}

#[test]
fn a_key_the_connection_does_not_have_is_named_by_its_fingerprint() {
    let report = run(response("signed_by_other_key"), &[IDP_CERT], Some(REQUEST), issued());
    assert_fails_at(&report, CheckId::Signature);
    let other = samlkit::x509::facts_from_der(&der(OTHER_CERT))
        .unwrap()
        .sha256_fingerprint;
    let signature = report.checks.iter().find(|c| c.check == CheckId::Signature).unwrap();
    assert!(signature.message.contains(&other), "{}", signature.message);
    assert!(signature.fix.as_deref().unwrap().contains("import its metadata again"));
    // Nothing after a failed signature is reported as holding.
    assert_eq!(outcome(&report, CheckId::Attributes), Outcome::Skip);
}

#[test]
fn each_wrong_setting_fails_at_its_own_check() {
    assert_fails_at(
        &run(response("wrong_audience"), &[IDP_CERT], Some(REQUEST), issued()),
        CheckId::Audience,
    );
    let missing = run(response("missing_email"), &[IDP_CERT], Some(REQUEST), issued());
    assert_fails_at(&missing, CheckId::Attributes);
    let attributes = missing.checks.iter().find(|c| c.check == CheckId::Attributes).unwrap();
    assert!(attributes.message.contains("email ← email"), "{}", attributes.message);
    let expired = Timestamp(issued().0 + 3600);
    assert_fails_at(
        &run(response("assertion_signed"), &[IDP_CERT], Some(REQUEST), expired),
        CheckId::Validity,
    );
    let early = Timestamp(issued().0 - 3600);
    assert_fails_at(
        &run(response("assertion_signed"), &[IDP_CERT], Some(REQUEST), early),
        CheckId::Validity,
    );
    assert_fails_at(
        &run(response("assertion_signed"), &[IDP_CERT], Some("_another"), issued()),
        CheckId::InResponseTo,
    );
    assert_fails_at(
        &run(response("idp_initiated"), &[IDP_CERT], Some(REQUEST), issued()),
        CheckId::InResponseTo,
    );
    let other_idp = run_for(
        "https://sts.windows.net/another-tenant/",
        response("assertion_signed"),
        &[IDP_CERT],
        Some(REQUEST),
        issued(),
    );
    assert_fails_at(&other_idp, CheckId::Issuer);
    let issuer = other_idp.checks.iter().find(|c| c.check == CheckId::Issuer).unwrap();
    assert!(issuer.message.contains(IDP) && issuer.fix.is_some(), "{issuer:?}");
}

#[test]
fn the_clock_skew_is_allowed_either_way() {
    let expires = Timestamp::parse_xs_datetime("2026-12-01T12:05:00Z").unwrap();
    assert!(
        run(
            response("assertion_signed"),
            &[IDP_CERT],
            Some(REQUEST),
            Timestamp(expires.0 + 170)
        )
        .passed
    );
    assert!(
        !run(
            response("assertion_signed"),
            &[IDP_CERT],
            Some(REQUEST),
            Timestamp(expires.0 + 181)
        )
        .passed
    );
}

#[test]
fn a_pasted_response_needs_no_request() {
    assert_passes(&run(response("idp_initiated"), &[IDP_CERT], None, issued()));
    let report = run(response("assertion_signed"), &[IDP_CERT], None, issued());
    assert!(report.passed);
    assert_eq!(outcome(&report, CheckId::InResponseTo), Outcome::Skip);
}

#[test]
fn unsigned_and_altered_responses_are_refused() {
    assert_fails_at(
        &run(response("unsigned"), &[IDP_CERT], Some(REQUEST), issued()),
        CheckId::Signature,
    );
    let altered = response("assertion_signed").replace(">ada@example.com<", ">eve@example.com<");
    let report = run(&altered, &[IDP_CERT], Some(REQUEST), issued());
    assert_fails_at(&report, CheckId::Signature);
    assert!(
        report.checks[2].message.contains("changed after it was signed"),
        "{report:#?}"
    );
    assert_eq!(report.name_id, None);
}

/// The classic wrappings: the signed assertion moved aside and a forged one put
/// where it is read, with the signature copied or left behind.
#[test]
fn signature_wrapping_is_refused() {
    let signed = response("assertion_signed");
    let start = signed.find("<saml:Assertion").unwrap();
    let end = signed.find("</saml:Assertion>").unwrap() + "</saml:Assertion>".len();
    let original = &signed[start..end];
    let forged = original.replace(">ada@example.com<", ">eve@example.com<");
    let forged_other_id = forged.replace("ID=\"_assertion-0001\"", "ID=\"_evil\"");
    let unsigned_forged = {
        let s = forged_other_id.find("<ds:Signature").unwrap();
        let e = forged_other_id.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
        format!("{}{}", &forged_other_id[..s], &forged_other_id[e..])
    };
    let status = "<saml2p:Status>";
    let cases = [
        // The original hidden in Extensions, a forged copy with the same ID read.
        signed.replacen(original, &forged, 1).replacen(
            status,
            &format!("<saml2p:Extensions>{original}</saml2p:Extensions>{status}"),
            1,
        ),
        // A forged assertion with its own ID beside the original.
        signed.replacen(original, &format!("{unsigned_forged}{original}"), 1),
        // The original nested inside the forged one.
        signed.replacen(
            original,
            &unsigned_forged.replace("</saml:Assertion>", &format!("{original}</saml:Assertion>")),
            1,
        ),
        // A forged assertion carrying the original's signature (its reference names another ID).
        signed.replacen(original, &forged_other_id, 1),
    ];
    for (i, wrapped) in cases.iter().enumerate() {
        let report = run(wrapped, &[IDP_CERT], Some(REQUEST), issued());
        assert!(!report.passed, "case {i} passed: {report:#?}");
        assert_eq!(
            outcome(&report, CheckId::Signature),
            Outcome::Fail,
            "case {i}: {report:#?}"
        );
        assert_eq!(report.name_id, None, "case {i}");
    }
}

#[test]
fn base64_and_form_encoded_input_read_as_the_xml() {
    let xml = response("assertion_signed");
    let b64 = Base64::encode_string(xml.as_bytes());
    assert_passes(&run(&b64, &[IDP_CERT], Some(REQUEST), issued()));
    let wrapped: String = b64
        .as_bytes()
        .chunks(76)
        .map(|c| format!("{}\n", std::str::from_utf8(c).unwrap()))
        .collect();
    assert_passes(&run(&wrapped, &[IDP_CERT], Some(REQUEST), issued()));
    let form = format!(
        "SAMLResponse={}&RelayState=x",
        b64.replace('+', "%2B").replace('=', "%3D").replace('/', "%2F")
    );
    assert_passes(&run(&form, &[IDP_CERT], Some(REQUEST), issued()));
}

#[test]
fn what_is_not_a_response_fails_at_decode() {
    for input in [
        "",
        "not base64 at all!",
        "<saml2p:Response",
        "<!DOCTYPE r [<!ENTITY x \"y\">]><r>&x;</r>",
        "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\"/>",
    ] {
        let report = run(input, &[IDP_CERT], None, issued());
        assert_eq!(failed(&report), vec![CheckId::Decode], "{input:?}: {report:#?}");
        assert_eq!(report.checks.len(), 1);
    }
    // A Response with neither an assertion nor a status: both said.
    let empty = run(
        "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>",
        &[IDP_CERT],
        None,
        issued(),
    );
    assert_eq!(failed(&empty), vec![CheckId::Decode, CheckId::Status]);
    let deep = format!("{}{}", "<a>".repeat(200), "</a>".repeat(200));
    assert_eq!(failed(&run(&deep, &[IDP_CERT], None, issued())), vec![CheckId::Decode]);
    let huge = "A".repeat(3 * 1024 * 1024);
    assert_eq!(failed(&run(&huge, &[IDP_CERT], None, issued())), vec![CheckId::Decode]);
}

#[test]
fn an_idp_refusal_is_read_from_its_status() {
    let refused = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:RequestDenied"/></samlp:StatusCode><samlp:StatusMessage>User is not assigned to this application.</samlp:StatusMessage></samlp:Status></samlp:Response>"#;
    let report = run(refused, &[IDP_CERT], None, issued());
    assert_eq!(failed(&report), vec![CheckId::Decode, CheckId::Status], "{report:#?}");
    let status = &report.checks[1];
    assert!(
        status.message.contains("status:Responder") && status.message.contains("not assigned"),
        "{}",
        status.message
    );
}

#[test]
fn a_connection_without_certificates_says_so() {
    let report = run(response("assertion_signed"), &[], Some(REQUEST), issued());
    assert_fails_at(&report, CheckId::Signature);
    assert!(
        report.checks[2]
            .fix
            .as_deref()
            .unwrap()
            .contains("Verification certificates")
    );
}
