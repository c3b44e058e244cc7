//! Private-key material where it does not belong.
//!
//! Admins paste keys into the wrong field, and clients send them in the wrong
//! member. Outside the two key fields, any string that carries a private key is
//! refused with one code ([`Code::PrivateKeyMisplaced`]) at its path, and is
//! never stored, echoed or quoted: an issue about it names only the field, and a
//! map key made of key text is reported at its map.

use crate::issue::{Code, Issue, pointer};
use der::Decode;
use serde_json::Value;

/// Shorter base64 than this cannot hold a private key (an Ed25519 PKCS#8 key is 64 characters).
const MIN_BASE64_KEY: usize = 60;
/// Longer text is never decoded to look for one (a 16384-bit RSA key is under 13 KB of base64).
const MAX_BASE64_KEY: usize = 16 * 1024;

/// Whether `text` carries a private key: a PEM private-key block of any kind
/// (PKCS#1, PKCS#8, encrypted, SEC1, OpenSSH), a PuTTY key, base64 of such a
/// PEM file, or base64 DER that decodes to a private key.
pub fn is_private_key_material(text: &str) -> bool {
    if has_pem_private_key(text.as_bytes()) {
        return true;
    }
    // Only what could be base64 of a key is decoded (by the PEM front, as bare base64):
    // one pass counts its characters and stops at the first outside the alphabet, where
    // most texts (URLs, URNs, names) stop within a few bytes.
    if text.len() < MIN_BASE64_KEY {
        return false;
    }
    let mut compact_len = 0;
    for b in text.bytes().filter(|b| !b.is_ascii_whitespace()) {
        if !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')) {
            return false;
        }
        compact_len += 1;
    }
    if !(MIN_BASE64_KEY..=MAX_BASE64_KEY).contains(&compact_len) {
        return false;
    }
    crate::pem::decode_blocks(text).is_ok_and(|blocks| {
        blocks
            .iter()
            .any(|b| has_pem_private_key(&b.der) || der_is_private_key(&b.der))
    })
}

/// What marks a PEM private-key block (of any kind) and a PuTTY key.
const MARKERS: [&[u8]; 2] = [b"PRIVATE KEY-----", b"PuTTY-User-Key-File-"];

/// A PEM private-key block or a PuTTY key, by its [`MARKERS`]. Both begin with `P`:
/// one memchr pass finds the candidates and a comparison at each checks them.
/// (Searching each marker with `str::contains` set up a two-way searcher per text
/// and scanned the text twice, byte by byte in wasm: the whole metadata document
/// and every text in it.)
pub fn has_pem_private_key(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'P', bytes).any(|at| MARKERS.iter().any(|m| bytes[at..].starts_with(m)))
}

/// `EncryptedPrivateKeyInfo` (RFC 5208 §6), read only for its shape.
#[derive(der::Sequence)]
struct EncryptedKeyInfo<'a> {
    algorithm: spki::AlgorithmIdentifierRef<'a>,
    data: &'a der::asn1::OctetStringRef,
}

/// PKCS#5 and PKCS#12 password-based encryption schemes.
const PBE_ARCS: [&[u8]; 2] = [
    // 1.2.840.113549.1.5 (PKCS#5)
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05],
    // 1.2.840.113549.1.12.1 (PKCS#12 PBE)
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01],
];

/// Whether DER bytes are a private key: PKCS#8 (plain or encrypted), PKCS#1 RSA, or SEC1 EC.
pub fn der_is_private_key(der: &[u8]) -> bool {
    pkcs8::PrivateKeyInfoRef::from_der(der).is_ok()
        || pkcs1::RsaPrivateKeyRef::from_der(der).is_ok()
        || sec1::EcPrivateKey::from_der(der).is_ok()
        || EncryptedKeyInfo::from_der(der)
            .is_ok_and(|k| PBE_ARCS.iter().any(|arc| k.algorithm.oid.as_bytes().starts_with(arc)))
}

/// The issue for key material found at `path`; it never quotes the value.
pub fn misplaced(path: impl Into<String>) -> Issue {
    Issue::new(Code::PrivateKeyMisplaced, path)
}

/// Every private key in a JSON value, by the path of its string (or, for a
/// map key, of its map). `skip(path)` names the members that are checked
/// elsewhere or may hold a key.
pub fn find_in_json(value: &Value, skip: impl Fn(&str) -> bool) -> Vec<Issue> {
    let mut found = Vec::new();
    let mut stack: Vec<(String, &Value)> = vec![(String::new(), value)];
    while let Some((path, value)) = stack.pop() {
        if skip(&path) {
            continue;
        }
        match value {
            Value::String(s) if is_private_key_material(s) => found.push(misplaced(path)),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    stack.push((format!("{path}/{i}"), item));
                }
            }
            Value::Object(map) if map.keys().any(|k| is_private_key_material(k)) => found.push(misplaced(path)),
            Value::Object(map) => {
                for (k, item) in map.iter().rev() {
                    stack.push((pointer(&path, k), item));
                }
            }
            _ => {}
        }
    }
    found
}

/// An issue fit to be shown: a path segment or a message that carries key
/// material (a key sent as a member name, an op's path, ...) becomes the
/// misplaced-key issue at the part of the path before it.
pub fn redact(issue: Issue) -> Issue {
    let segments: Vec<&str> = issue.path.split('/').skip(1).collect();
    let clean = segments
        .iter()
        .position(|s| is_private_key_material(&s.replace("~1", "/").replace("~0", "~")));
    match clean {
        Some(n) => misplaced(segments[..n].iter().fold(String::new(), |p, s| format!("{p}/{s}"))),
        None if is_private_key_material(&issue.message) => Issue::new(issue.code, issue.path),
        None => issue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn base64_body(pem: &str) -> String {
        pem.lines().filter(|l| !l.starts_with("-----")).collect()
    }

    #[test]
    fn every_kind_of_key_is_found() {
        for name in [
            "rsa2048_pkcs1.key",
            "rsa2048_pkcs8.key",
            "rsa1024_pkcs1.key",
            "ec_p256.key",
        ] {
            let pem = fixture(name);
            assert!(is_private_key_material(&pem), "{name} PEM");
            assert!(is_private_key_material(&base64_body(&pem)), "{name} base64 DER");
            assert!(
                is_private_key_material(&format!("  {}\n", base64_body(&pem))),
                "{name} padded"
            );
            assert!(
                is_private_key_material(&crate::pem::base64_encode(pem.as_bytes())),
                "{name} base64 of PEM"
            );
        }
        assert!(is_private_key_material(
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----"
        ));
        assert!(is_private_key_material("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    }

    #[test]
    fn certificates_and_ordinary_values_are_not_keys() {
        let cert = fixture("rsa2048_sp.crt");
        assert!(!is_private_key_material(&cert));
        assert!(!is_private_key_material(&base64_body(&cert)));
        for text in [
            "",
            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            "a private key",
            &"A".repeat(200),
        ] {
            assert!(!is_private_key_material(text), "{text}");
        }
    }

    #[test]
    fn markers_are_found_wherever_they_are() {
        let naive = |bytes: &[u8]| MARKERS.iter().any(|m| bytes.windows(m.len()).any(|w| w == *m));
        let pieces: [&[u8]; 9] = [
            b"PRIVATE KEY-----",
            b"PRIVATE KEY----",
            b"PuTTY-User-Key-File-",
            b"PuTTY-User-Key-File",
            b"PPRIVATE KEY-----",
            b"MIIEpAIBAAKCAQEAP",
            b"\xff\xfeP",
            b" \n",
            b"",
        ];
        let mut checked = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = [a, b, c].concat();
                    assert_eq!(has_pem_private_key(&text), naive(&text), "{text:?}");
                    checked += usize::from(naive(&text));
                }
            }
        }
        assert!(checked > 0);
    }

    #[test]
    fn json_is_searched_by_value_and_by_key_and_never_quoted() {
        let key = fixture("rsa2048_pkcs1.key");
        let doc = json!({"signing_private_key": key, "attribute_mapping": {"email": "mail"}});
        assert_eq!(find_in_json(&doc, |p| p == "/signing_private_key"), vec![]);
        let found = find_in_json(&doc, |_| false);
        assert_eq!(found, vec![misplaced("/signing_private_key")]);
        let doc = json!({"attribute_mapping": {key.clone(): "email"}, "roles": [{"role_id": base64_body(&key)}]});
        assert_eq!(
            find_in_json(&doc, |_| false),
            vec![misplaced("/attribute_mapping"), misplaced("/roles/0/role_id")]
        );
    }

    #[test]
    fn redaction_cuts_the_path_before_the_key() {
        let key = base64_body(&fixture("ec_p256.key"));
        let issue = Issue::new(
            Code::PatchFailed,
            format!("/attribute_mapping/{}", key.replace('/', "~1")),
        );
        let redacted = redact(issue);
        assert_eq!(
            (redacted.code, redacted.path.as_str()),
            (Code::PrivateKeyMisplaced, "/attribute_mapping")
        );
        let clean = Issue::new(Code::PatchFailed, "/display_name");
        assert_eq!(redact(clean.clone()), clean);
    }
}
