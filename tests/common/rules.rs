//! The rule-table runner: data in `tests/rules/*.json`, the same on both targets.
//!
//! A case names a check (`certificate`, `private_key`, `metadata`, `connection`),
//! its input and the expected verdict. Inputs may refer to test files:
//! `"@corpus:certs/x.pem"` or `"@fixture:rsa2048_sp.crt"`, optionally followed by
//! transforms (`"@fixture:rsa2048_sp.crt|truncate_der"`), so that damaged inputs
//! are made from real ones in front of the reader.

use super::{corpus_files, fixture_files};
use samlkit::keys::{self, KeyFormat};
use samlkit::validate::{self, Context};
use samlkit::{Timestamp, pem};
use serde_json::{Value, json};

pub const TABLES: &[(&str, &str)] = &[
    ("certificates", include_str!("../rules/certificates.json")),
    ("private_keys", include_str!("../rules/private_keys.json")),
    ("metadata", include_str!("../rules/metadata.json")),
    ("connections", include_str!("../rules/connections.json")),
];

fn file(reference: &str) -> String {
    if let Some(name) = reference.strip_prefix("corpus:") {
        let bytes = corpus_files::FILES
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("no corpus file {name}"))
            .1;
        return String::from_utf8(bytes.to_vec()).unwrap();
    }
    if let Some(name) = reference.strip_prefix("fixture:") {
        return fixture_files::FILES
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("no fixture {name}"))
            .1
            .to_owned();
    }
    panic!("unknown reference @{reference}")
}

fn first_der(text: &str) -> Vec<u8> {
    pem::decode_blocks(text).unwrap().remove(0).der
}

fn transform(text: String, step: &str) -> String {
    let (name, arg) = step.split_once(':').unwrap_or((step, ""));
    match name {
        "truncate_der" => {
            let der = first_der(&text);
            pem::encode("CERTIFICATE", &der[..der.len() / 2])
        }
        "trailing_garbage" => {
            let mut der = first_der(&text);
            der.extend_from_slice(&[0x05, 0x00]);
            pem::encode("CERTIFICATE", &der)
        }
        "non_minimal_length" => {
            // 30 82 LL LL → 30 83 00 LL LL: same value, not DER.
            let der = first_der(&text);
            assert_eq!(&der[..2], &[0x30, 0x82]);
            let mut out = vec![0x30, 0x83, 0x00];
            out.extend_from_slice(&der[2..]);
            pem::encode("CERTIFICATE", &out)
        }
        "bare_base64" => text
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<Vec<_>>()
            .join("\n"),
        "base64_of_pem" => {
            let b64 = pem::encode("X", text.as_bytes());
            b64.lines().filter(|l| !l.starts_with("-----")).collect::<String>()
        }
        // Bytes travel as base64 in the tables (`input_base64`).
        "der_base64" => transform(text, "bare_base64").replace('\n', ""),
        "utf16le_base64" | "utf16be_base64" => {
            let mut bytes = Vec::new();
            for unit in std::iter::once(0xfeff_u16).chain(text.encode_utf16()) {
                bytes.extend(if name == "utf16le_base64" {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                });
            }
            <base64ct::Base64 as base64ct::Encoding>::encode_string(&bytes)
        }
        "crlf_indent" => text.lines().map(|l| format!("    {l}\r\n")).collect(),
        "json_escaped" => text.replace('\n', "\\n"),
        "append" => format!("{text}{}", file(arg)),
        "damage_base64" => {
            let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
            lines[3] = lines[3].replacen(|c: char| c.is_ascii_alphanumeric(), "*", 1);
            lines.join("\n")
        }
        "certificate_text" => {
            // The first X509Certificate's content replaced by the named file's base64 body.
            let body = transform(file(arg), "bare_base64").replace('\n', "");
            let start = text.find("X509Certificate>").expect("an X509Certificate") + "X509Certificate>".len();
            let end = start + text[start..].find("</").unwrap();
            format!("{}{body}{}", &text[..start], &text[end..])
        }
        "add_signing_certificate" => {
            // A second signing KeyDescriptor (the named file's base64) before the first.
            let body = transform(file(arg), "bare_base64").replace('\n', "");
            let at = text.find("<md:KeyDescriptor").expect("a KeyDescriptor");
            let descriptor = format!(
                "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:X509Data><ds:X509Certificate>{body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
            );
            format!("{}{descriptor}{}", &text[..at], &text[at..])
        }
        "replace" => {
            let (from, to) = arg.split_once("=>").expect("replace:FROM=>TO");
            assert!(text.contains(from), "replace: {from:?} not found");
            text.replacen(from, to, 1)
        }
        other => panic!("unknown transform {other}"),
    }
}

/// Replaces every `"@..."` string in a JSON value by the file it names.
pub fn resolve(value: &Value) -> Value {
    match value {
        Value::String(s) if s.starts_with('@') => {
            let mut steps = s[1..].split('|');
            let mut text = file(steps.next().unwrap());
            for step in steps {
                text = transform(text, step);
            }
            Value::String(text)
        }
        Value::Array(a) => Value::Array(a.iter().map(resolve).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), resolve(v))).collect()),
        other => other.clone(),
    }
}

/// Runs one case; the whole result, as JSON.
pub fn run(case: &Value, now: Timestamp) -> Value {
    let case = resolve(case);
    let ctx = Context {
        now,
        service_provider: case
            .get("service_provider")
            .map(|sp| serde_json::from_value(sp.clone()).unwrap()),
    };
    let text = |key: &str| case.get(key).and_then(Value::as_str).map(str::to_owned);
    let bytes = |key: &str| {
        <base64ct::Base64 as base64ct::Encoding>::decode_vec(&text(key).expect("base64 input")).expect("base64 input")
    };
    match case["check"].as_str().unwrap() {
        "certificate" => json!(validate::certificate(&text("input").unwrap(), &ctx)),
        "private_key" => {
            let format = match case["format"].as_str() {
                Some("pkcs1") => KeyFormat::Pkcs1Only,
                _ => KeyFormat::Pkcs1OrPkcs8,
            };
            json!(keys::inspect(
                &text("input").unwrap(),
                format,
                text("certificate").as_deref()
            ))
        }
        "certificate_bytes" => json!(validate::certificate_bytes(&bytes("input_base64"), &ctx)),
        "metadata_bytes" => json!(validate::metadata_bytes(
            &bytes("input_base64"),
            text("entity_id").as_deref(),
            &ctx
        )),
        "metadata" => json!(validate::metadata(
            &text("input").unwrap(),
            text("entity_id").as_deref(),
            &ctx
        )),
        "connection" => {
            let draft = serde_json::from_value(case["draft"].clone()).expect("draft");
            json!(validate::connection(&draft, &ctx))
        }
        other => panic!("unknown check {other}"),
    }
}

/// `"severity code path"`, the form the tables write issues in.
pub fn issue_line(issue: &Value) -> String {
    format!(
        "{} {} {}",
        issue["severity"].as_str().unwrap(),
        issue["code"].as_str().unwrap(),
        issue["path"].as_str().unwrap()
    )
}

/// Checks a result against the case's `expect`; returns the mismatches.
pub fn check(case: &Value, result: &Value) -> Vec<String> {
    let name = case["name"].as_str().unwrap();
    let expect = &case["expect"];
    let mut problems = Vec::new();
    let issues = result
        .get("issues")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut got: Vec<String> = issues.iter().map(issue_line).collect();
    let mut want: Vec<String> = expect["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    got.sort();
    want.sort();
    if got != want {
        problems.push(format!("{name}: issues\n  got  {got:?}\n  want {want:?}"));
    }
    let report = result.get("report").filter(|r| !r.is_null()).unwrap_or(result);
    for key in ["status", "missing"] {
        if let Some(w) = expect.get(key)
            && report.get(key) != Some(w)
        {
            problems.push(format!("{name}: {key}: got {:?}, want {w}", report.get(key)));
        }
    }
    if let Some(w) = expect.get("sha256") {
        let got: Vec<Value> = report["certificates"]
            .as_array()
            .map(|a| a.iter().map(|c| c["sha256_fingerprint"].clone()).collect())
            .unwrap_or_default();
        if &Value::Array(got.clone()) != w {
            problems.push(format!("{name}: sha256: got {got:?}, want {w}"));
        }
    }
    if let Some(w) = expect.get("draft") {
        let draft = &result["import"]["draft"];
        for (k, v) in w.as_object().unwrap() {
            if &draft[k] != v {
                problems.push(format!("{name}: draft.{k}: got {}, want {v}", draft[k]));
            }
        }
    }
    // Keys are write-only: no result may contain key material.
    let serialized = result.to_string();
    let key_lines = fixture_files::FILES
        .iter()
        .filter(|(n, _)| n.ends_with(".key"))
        .filter_map(|(_, t)| {
            t.lines()
                .find(|l| !l.starts_with("-----") && !l.contains(':') && l.len() > 40)
        });
    for line in key_lines {
        if serialized.contains(line) || serialized.contains("PRIVATE KEY-----") {
            problems.push(format!("{name}: the result echoes private key material"));
        }
    }
    problems
}
