//! Certificate inspection: PEM text in, facts and verdicts out.
//!
//! Decoding is strict DER through `x509-cert` (non-minimal lengths and trailing
//! bytes are refused), so a certificate is accepted or refused the same way in
//! the browser and on the server. Names are printed in RFC 4514 form with a small
//! table of common attribute names instead of the crate's full OID database,
//! which would add ~28 KB to the WebAssembly build.

use crate::issue::{Code, Issue};
use crate::pem::{self, PemError};
use crate::time::Timestamp;
use const_oid::ObjectIdentifier;
use der::asn1::BitString;
use der::asn1::{BmpString, Ia5StringRef, PrintableStringRef, TeletexStringRef, Utf8StringRef};
use der::{Any, Decode, Encode, Sequence, Tag, Tagged};
use serde::{Deserialize, Serialize};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::certificate::Version;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Validity;

/// RSA keys below this size are refused (NIST SP 800-131A).
pub const MIN_RSA_BITS: u32 = 2048;
/// A certificate closer to its end than this gets a rotation warning.
pub const EXPIRY_WARNING_DAYS: i64 = 30;
/// Certificates are small; anything bigger than this is not one.
pub const MAX_CERTIFICATE_TEXT: usize = 64 * 1024;

/// Everything an admin (or a rule) needs to know about one certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CertificateFacts {
    pub sha256_fingerprint: String,
    pub sha1_fingerprint: String,
    pub subject: String,
    pub subject_cn: Option<String>,
    pub issuer: String,
    pub issuer_cn: Option<String>,
    pub self_issued: bool,
    pub serial_hex: String,
    pub not_before: String,
    pub not_after: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub not_before_unix: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub not_after_unix: i64,
    pub public_key_algorithm: String,
    pub public_key_size: u32,
    pub ec_curve: Option<String>,
    pub signature_algorithm: String,
    pub signature_algorithm_oid: String,
    pub signature_hash: String,
    /// The certificate again as canonical PEM (64 columns, LF).
    pub pem: String,
}

/// The result of inspecting one certificate field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CertificateReport {
    /// Every certificate found (more than one is itself an error).
    pub certificates: Vec<CertificateFacts>,
    pub issues: Vec<Issue>,
}

impl CertificateReport {
    /// The single certificate of a valid one-certificate field.
    pub fn certificate(&self) -> Option<&CertificateFacts> {
        match self.certificates.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }
}

/// Inspects a field that must hold exactly one X.509 certificate.
///
/// Paths in the issues are relative (empty): callers put them under their field.
pub fn inspect(text: &str, now: Timestamp) -> CertificateReport {
    report_at(&parse(text), now)
}

/// A parsed field's report at `now`: its facts, the problems of its form, and
/// the verdicts that depend on the time (validity) or on the facts alone.
pub fn report_at(parsed: &CertificateReport, now: Timestamp) -> CertificateReport {
    let mut issues = parsed.issues.clone();
    for facts in &parsed.certificates {
        issues.extend(verdicts(facts, now));
    }
    CertificateReport {
        certificates: parsed.certificates.clone(),
        issues,
    }
}

/// A certificate file's bytes, as an admin uploads it: binary DER (`.cer`, as ADFS
/// and Entra offer it) or PEM text. Decoded once, like [`parse`].
pub fn parse_bytes(bytes: &[u8]) -> CertificateReport {
    // DER starts with a SEQUENCE; text never does.
    if bytes.first() == Some(&0x30) {
        return match facts(bytes, None) {
            Ok(facts) => CertificateReport {
                certificates: vec![facts],
                issues: Vec::new(),
            },
            Err(_) if crate::secret::der_is_private_key(bytes) => CertificateReport {
                certificates: Vec::new(),
                issues: vec![Issue::new(Code::CertIsPrivateKey, "")],
            },
            Err(_) => CertificateReport {
                certificates: Vec::new(),
                issues: vec![Issue::new(Code::CertDerInvalid, "")],
            },
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text.strip_prefix('\u{feff}').unwrap_or(text)),
        Err(_) => CertificateReport {
            certificates: Vec::new(),
            issues: vec![Issue::with_message(
                Code::CertNotPem,
                "",
                "This file is neither a DER certificate nor PEM text.",
            )],
        },
    }
}

/// Decodes a certificate field once, whatever the time: its certificates and the
/// problems of its form (armour, base64, DER, several or misplaced blocks).
/// [`report_at`] adds the verdicts; a [`crate::model::CertText`] keeps this.
pub fn parse(text: &str) -> CertificateReport {
    let mut issues = Vec::new();
    let mut certificates = Vec::new();
    if text.len() > MAX_CERTIFICATE_TEXT {
        issues.push(Issue::with_message(
            Code::CertNotPem,
            "",
            "This text is far too long to be one certificate.",
        ));
        return CertificateReport { certificates, issues };
    }
    let blocks = match pem::decode_blocks(text) {
        Ok(blocks) => blocks,
        Err(e) => {
            let code = match e {
                PemError::Empty => Code::CertEmpty,
                PemError::NotPem => Code::CertNotPem,
                PemError::Base64 => Code::CertBase64Invalid,
                PemError::Fingerprint => Code::CertIsFingerprint,
                PemError::TooManyBlocks => Code::CertMultiple,
            };
            issues.push(Issue::new(code, ""));
            return CertificateReport { certificates, issues };
        }
    };

    let mut certificate_blocks = 0;
    for block in &blocks {
        let bare = match block.label.as_deref() {
            None if block.der.starts_with(b"-----BEGIN") => {
                let code = if crate::secret::has_pem_private_key(&block.der) {
                    Code::CertIsPrivateKey
                } else {
                    Code::CertDoubleEncoded
                };
                issues.push(Issue::new(code, ""));
                continue;
            }
            None => true,
            Some("CERTIFICATE" | "X509 CERTIFICATE") => false,
            Some(label) => {
                issues.push(misplaced_block(label));
                continue;
            }
        };
        let decoded = facts(&block.der, Some(&block.base64));
        // Base64 of a private key (as a `.key` file's body, or in metadata).
        if decoded.is_err() && crate::secret::der_is_private_key(&block.der) {
            issues.push(Issue::new(Code::CertIsPrivateKey, ""));
            continue;
        }
        if bare {
            issues.push(Issue::new(Code::CertBareBase64, ""));
        }
        match decoded {
            Ok(facts) => certificates.push(facts),
            Err(_) => issues.push(Issue::new(Code::CertDerInvalid, "")),
        }
        certificate_blocks += 1;
    }
    if certificate_blocks > 1 {
        issues.push(Issue::with_message(
            Code::CertMultiple,
            "",
            format!(
                "{certificate_blocks} certificates were pasted into a field that takes one; add them one at a time."
            ),
        ));
    }
    CertificateReport { certificates, issues }
}

/// What a non-certificate PEM block in a certificate field is; never echoes its content.
fn misplaced_block(label: &str) -> Issue {
    let code = if label.ends_with("PRIVATE KEY") {
        Code::CertIsPrivateKey
    } else if label.ends_with("PUBLIC KEY") {
        Code::CertIsPublicKey
    } else if label.ends_with("CERTIFICATE REQUEST") {
        Code::CertIsCsr
    } else {
        return Issue::with_message(
            Code::CertNotPem,
            "",
            format!(
                "A PEM block labelled {:?} was pasted; a CERTIFICATE is needed.",
                truncate(label, 40)
            ),
        );
    };
    Issue::new(code, "")
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// The date and strength rules for one decoded certificate.
fn verdicts(facts: &CertificateFacts, now: Timestamp) -> Vec<Issue> {
    let mut issues = Vec::new();
    let not_after = Timestamp(facts.not_after_unix);
    if now > not_after {
        issues.push(Issue::with_message(
            Code::CertExpired,
            "",
            format!(
                "The certificate expired on {}; the IdP signs with a newer one.",
                facts.not_after
            ),
        ));
    } else if now < Timestamp(facts.not_before_unix) {
        issues.push(Issue::with_message(
            Code::CertNotYetValid,
            "",
            format!("The certificate is valid only from {}.", facts.not_before),
        ));
    } else {
        let days = now.days_until(not_after);
        if days < EXPIRY_WARNING_DAYS {
            issues.push(Issue::with_message(
                Code::CertExpiringSoon,
                "",
                format!(
                    "The certificate expires in {days} days ({}): plan the rotation.",
                    facts.not_after
                ),
            ));
        }
    }
    match facts.public_key_algorithm.as_str() {
        "RSA" if facts.public_key_size < MIN_RSA_BITS => issues.push(Issue::with_message(
            Code::CertRsaTooSmall,
            "",
            format!(
                "The certificate's RSA key is {} bits; at least {MIN_RSA_BITS} are required.",
                facts.public_key_size
            ),
        )),
        "RSA" | "EC" => {}
        other => issues.push(Issue::with_message(
            Code::CertUnsupportedKey,
            "",
            format!("The certificate's {other} key cannot verify SAML signatures; RSA or EC is needed."),
        )),
    }
    match facts.signature_hash.as_str() {
        "sha1" => issues.push(Issue::new(Code::CertWeakSignature, "")),
        "md5" | "md2" => issues.push(Issue::with_message(
            Code::CertBrokenSignature,
            "",
            format!(
                "The certificate is signed with {}, which is broken.",
                facts.signature_algorithm
            ),
        )),
        _ => {}
    }
    if facts.serial_hex.starts_with('-') || facts.serial_hex == "0" {
        issues.push(Issue::new(Code::CertNegativeSerial, ""));
    }
    issues
}

/// RFC 5280 §4.1 `Certificate`, built from x509-cert's field types.
///
/// It differs from `x509_cert::Certificate` in one way: extensions stay an
/// undecoded (but still strictly framed) DER value. x509-cert decodes every
/// extension's OID into `const-oid`, whose arcs are 32-bit, and so refuses
/// Microsoft AD CS template OIDs such as `1.3.6.1.4.1.311.21.8.15511201702065112…`
/// that real ADFS certificates carry. SAML needs no extension.
#[derive(Sequence)]
struct Certificate {
    tbs_certificate: TbsCertificate,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
}

#[derive(Sequence)]
struct TbsCertificate {
    #[asn1(context_specific = "0", default = "Default::default")]
    _version: Version,
    serial_number: SerialNumber,
    _signature: AlgorithmIdentifierOwned,
    issuer: Name,
    validity: Validity,
    subject: Name,
    subject_public_key_info: SubjectPublicKeyInfoOwned,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    _issuer_unique_id: Option<BitString>,
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT", optional = "true")]
    _subject_unique_id: Option<BitString>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    _extensions: Option<Any>,
}

/// Decodes one DER certificate strictly and computes its facts.
pub fn facts_from_der(der: &[u8]) -> Result<CertificateFacts, der::Error> {
    facts(der, None)
}

/// [`facts_from_der`], with the base64 the DER came from when there is one (its PEM
/// is then that text re-armoured, not encoded again).
fn facts(der: &[u8], base64: Option<&str>) -> Result<CertificateFacts, der::Error> {
    let cert = Certificate::from_der(der)?;
    let tbs = &cert.tbs_certificate;
    let validity = &tbs.validity;
    let not_before = Timestamp(validity.not_before.to_unix_duration().as_secs() as i64);
    let not_after = Timestamp(validity.not_after.to_unix_duration().as_secs() as i64);
    let spki = &tbs.subject_public_key_info;
    let key = public_key_facts(
        &spki.algorithm.oid,
        spki.algorithm.parameters.as_ref(),
        spki.subject_public_key.raw_bytes(),
    );
    let sig_oid = cert.signature_algorithm.oid;
    let (sig_name, sig_hash) = signature_algorithm_name(&sig_oid);
    Ok(CertificateFacts {
        sha256_fingerprint: hex(&Sha256::digest(der)),
        sha1_fingerprint: hex(&Sha1::digest(der)),
        subject: rfc4514(&tbs.subject),
        subject_cn: common_name(&tbs.subject),
        issuer: rfc4514(&tbs.issuer),
        issuer_cn: common_name(&tbs.issuer),
        self_issued: tbs.subject == tbs.issuer,
        serial_hex: signed_hex(tbs.serial_number.as_bytes()),
        not_before: not_before.to_iso(),
        not_after: not_after.to_iso(),
        not_before_unix: not_before.0,
        not_after_unix: not_after.0,
        public_key_algorithm: key.algorithm,
        public_key_size: key.bits,
        ec_curve: key.curve,
        signature_algorithm: sig_name.map_or_else(|| sig_oid.to_string(), str::to_owned),
        signature_algorithm_oid: sig_oid.to_string(),
        signature_hash: sig_hash.to_owned(),
        pem: match base64 {
            Some(text) => pem::armour("CERTIFICATE", text),
            None => pem::encode("CERTIFICATE", der),
        },
    })
}

/// A certificate's SubjectPublicKeyInfo, read with the same lenient-extension
/// framing as [`facts_from_der`] (so ADFS certificates read too).
pub fn public_key_info(der: &[u8]) -> Option<spki::SubjectPublicKeyInfoOwned> {
    Certificate::from_der(der)
        .ok()
        .map(|c| c.tbs_certificate.subject_public_key_info)
}

/// The RSA modulus (big-endian, no leading zeros) and public exponent of a certificate's key.
pub fn rsa_public_key(der: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let cert = Certificate::from_der(der).ok()?;
    let spki = &cert.tbs_certificate.subject_public_key_info;
    if spki.algorithm.oid != oid::RSA_ENCRYPTION {
        return None;
    }
    let key = pkcs1::RsaPublicKeyRef::from_der(spki.subject_public_key.as_bytes()?).ok()?;
    Some((key.modulus.as_bytes().to_vec(), key.public_exponent.as_bytes().to_vec()))
}

pub(crate) mod oid {
    use const_oid::ObjectIdentifier as Oid;
    pub const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
    pub const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
    pub const ED25519: Oid = Oid::new_unwrap("1.3.101.112");
    pub const ED448: Oid = Oid::new_unwrap("1.3.101.113");
    pub const DSA: Oid = Oid::new_unwrap("1.2.840.10040.4.1");
    pub const P256: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
    pub const P384: Oid = Oid::new_unwrap("1.3.132.0.34");
    pub const P521: Oid = Oid::new_unwrap("1.3.132.0.35");
}

pub(crate) struct KeyFacts {
    pub algorithm: String,
    pub bits: u32,
    pub curve: Option<String>,
}

pub(crate) fn public_key_facts(alg: &ObjectIdentifier, params: Option<&der::Any>, key: &[u8]) -> KeyFacts {
    let (algorithm, bits, curve) = if *alg == oid::RSA_ENCRYPTION {
        let bits = pkcs1::RsaPublicKeyRef::from_der(key)
            .map(|k| bit_length(k.modulus.as_bytes()))
            .unwrap_or(0);
        ("RSA", bits, None)
    } else if *alg == oid::EC_PUBLIC_KEY {
        let curve = params.and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
        let (name, bits) = match curve {
            Some(c) if c == oid::P256 => ("secp256r1".to_owned(), 256),
            Some(c) if c == oid::P384 => ("secp384r1".to_owned(), 384),
            Some(c) if c == oid::P521 => ("secp521r1".to_owned(), 521),
            Some(c) => (c.to_string(), 0),
            None => ("unknown".to_owned(), 0),
        };
        return KeyFacts {
            algorithm: "EC".into(),
            bits,
            curve: Some(name),
        };
    } else if *alg == oid::ED25519 {
        ("Ed25519", 256, None)
    } else if *alg == oid::ED448 {
        ("Ed448", 456, None)
    } else if *alg == oid::DSA {
        ("DSA", 0, None)
    } else {
        return KeyFacts {
            algorithm: alg.to_string(),
            bits: 0,
            curve: None,
        };
    };
    KeyFacts {
        algorithm: algorithm.to_owned(),
        bits,
        curve,
    }
}

/// The bit length of an unsigned big-endian integer.
pub(crate) fn bit_length(bytes: &[u8]) -> u32 {
    let bytes = match bytes.iter().position(|&b| b != 0) {
        Some(i) => &bytes[i..],
        None => return 0,
    };
    (bytes.len() as u32 - 1) * 8 + (8 - bytes[0].leading_zeros())
}

/// OpenSSL's name for a signature algorithm, and its hash.
fn signature_algorithm_name(oid: &ObjectIdentifier) -> (Option<&'static str>, &'static str) {
    const fn o(s: &str) -> ObjectIdentifier {
        ObjectIdentifier::new_unwrap(s)
    }
    const TABLE: &[(ObjectIdentifier, &str, &str)] = &[
        (o("1.2.840.113549.1.1.2"), "md2WithRSAEncryption", "md2"),
        (o("1.2.840.113549.1.1.4"), "md5WithRSAEncryption", "md5"),
        (o("1.2.840.113549.1.1.5"), "sha1WithRSAEncryption", "sha1"),
        (o("1.3.14.3.2.29"), "sha1WithRSA", "sha1"),
        (o("1.2.840.113549.1.1.14"), "sha224WithRSAEncryption", "sha224"),
        (o("1.2.840.113549.1.1.11"), "sha256WithRSAEncryption", "sha256"),
        (o("1.2.840.113549.1.1.12"), "sha384WithRSAEncryption", "sha384"),
        (o("1.2.840.113549.1.1.13"), "sha512WithRSAEncryption", "sha512"),
        (o("1.2.840.113549.1.1.10"), "rsassaPss", "pss"),
        (o("1.2.840.10045.4.1"), "ecdsa-with-SHA1", "sha1"),
        (o("1.2.840.10045.4.3.2"), "ecdsa-with-SHA256", "sha256"),
        (o("1.2.840.10045.4.3.3"), "ecdsa-with-SHA384", "sha384"),
        (o("1.2.840.10045.4.3.4"), "ecdsa-with-SHA512", "sha512"),
        (o("1.2.840.10040.4.3"), "dsaWithSHA1", "sha1"),
        (o("1.3.101.112"), "ED25519", "none"),
        (o("1.3.101.113"), "ED448", "none"),
    ];
    TABLE
        .iter()
        .find(|(known, _, _)| known == oid)
        .map_or((None, "unknown"), |(_, name, hash)| (Some(*name), *hash))
}

/// Attribute short names as RFC 4514 §3 (and Python's `cryptography`) print them.
fn attribute_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    const fn o(s: &str) -> ObjectIdentifier {
        ObjectIdentifier::new_unwrap(s)
    }
    const TABLE: &[(ObjectIdentifier, &str)] = &[
        (CN, "CN"),
        (o("2.5.4.7"), "L"),
        (o("2.5.4.8"), "ST"),
        (o("2.5.4.10"), "O"),
        (o("2.5.4.11"), "OU"),
        (o("2.5.4.6"), "C"),
        (o("2.5.4.9"), "STREET"),
        (o("0.9.2342.19200300.100.1.25"), "DC"),
        (o("0.9.2342.19200300.100.1.1"), "UID"),
    ];
    TABLE.iter().find(|(known, _)| known == oid).map(|(_, n)| *n)
}

const CN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");

/// RFC 4514 string: RDNs in reverse order, multi-valued RDNs joined by `+`.
pub fn rfc4514(name: &Name) -> String {
    let rdns: Vec<_> = name.iter_rdn().collect();
    let mut out = String::new();
    for (i, rdn) in rdns.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, atv) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            match attribute_name(&atv.oid) {
                Some(short) => out.push_str(short),
                None => out.push_str(&atv.oid.to_string()),
            }
            out.push('=');
            match attribute_text(&atv.value) {
                Some(text) => out.push_str(&escape_dn_value(&text)),
                None => {
                    out.push('#');
                    out.push_str(&hex(&atv.value.to_der().unwrap_or_default()));
                }
            }
        }
    }
    out
}

fn common_name(name: &Name) -> Option<String> {
    name.iter()
        .find(|atv| atv.oid == CN)
        .and_then(|atv| attribute_text(&atv.value))
}

fn attribute_text(value: &der::Any) -> Option<String> {
    let s = match value.tag() {
        Tag::Utf8String => Utf8StringRef::try_from(value).ok()?.as_str().to_owned(),
        Tag::PrintableString => PrintableStringRef::try_from(value).ok()?.as_str().to_owned(),
        Tag::Ia5String => Ia5StringRef::try_from(value).ok()?.as_str().to_owned(),
        Tag::TeletexString => TeletexStringRef::try_from(value).ok()?.as_str().to_owned(),
        Tag::BmpString => value.decode_as::<BmpString>().ok()?.to_string(),
        _ => return None,
    };
    Some(s)
}

/// RFC 4514 §2.4 escaping, as Python's `cryptography` does it.
fn escape_dn_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' | '"' | '+' | ',' | ';' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '\0' => out.push_str("\\00"),
            _ => out.push(c),
        }
    }
    if out.starts_with('#') || out.starts_with(' ') {
        out.insert(0, '\\');
    }
    if out.ends_with(' ') && !out.ends_with("\\ ") {
        out.pop();
        out.push_str("\\ ");
    }
    out
}

/// Lowercase hex without separators.
/// Attribute types a DN shows by number (as RFC 4514 and Python's
/// `rfc4514_string` print them) that people know by name.
const DN_NAMES: &[(&str, &str)] = &[
    ("1.2.840.113549.1.9.1", "emailAddress"),
    ("2.5.4.5", "serialNumber"),
    ("2.5.4.4", "SN"),
    ("2.5.4.42", "GN"),
    ("2.5.4.12", "title"),
    ("2.5.4.13", "description"),
    ("2.5.4.15", "businessCategory"),
    ("2.5.4.17", "postalCode"),
    ("2.5.4.9", "street"),
    ("2.5.4.97", "organizationIdentifier"),
    ("1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC"),
];

/// A DN for people: attribute types shown by number get their short names
/// (`1.2.840.113549.1.9.1=info@okta.com` → `emailAddress=info@okta.com`). The
/// facts keep the RFC 4514 form; this is for display.
pub fn readable_dn(dn: &str) -> String {
    let mut out = String::with_capacity(dn.len());
    let mut rest = dn;
    let mut at_start = true;
    while !rest.is_empty() {
        if at_start
            && let Some((oid, name)) = DN_NAMES
                .iter()
                .find(|(oid, _)| rest.strip_prefix(oid).is_some_and(|r| r.starts_with('=')))
        {
            out.push_str(name);
            rest = &rest[oid.len()..];
        }
        let mut chars = rest.char_indices();
        let mut next = rest.len();
        at_start = false;
        while let Some((i, c)) = chars.next() {
            if c == '\\' {
                chars.next();
            } else if c == ',' || c == '+' {
                next = i + 1;
                at_start = true;
                break;
            }
        }
        out.push_str(&rest[..next]);
        rest = &rest[next..];
    }
    out
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// A DER two's-complement INTEGER as Python's `hex(int)` prints it, without `0x`.
fn signed_hex(bytes: &[u8]) -> String {
    let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
    let magnitude = if negative {
        // Two's complement: invert and add one.
        let mut m: Vec<u8> = bytes.iter().map(|b| !b).collect();
        for byte in m.iter_mut().rev() {
            let (v, overflow) = byte.overflowing_add(1);
            *byte = v;
            if !overflow {
                break;
            }
        }
        m
    } else {
        bytes.to_vec()
    };
    let digits = hex(&magnitude);
    let digits = digits.trim_start_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    if negative {
        format!("-{digits}")
    } else {
        digits.to_owned()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn readable_dns_name_what_they_number() {
        assert_eq!(
            readable_dn("1.2.840.113549.1.9.1=info@okta.com,CN=dev-1,OU=SSOProvider,O=Okta"),
            "emailAddress=info@okta.com,CN=dev-1,OU=SSOProvider,O=Okta"
        );
        assert_eq!(
            readable_dn("CN=a\\,2.5.4.5=x+2.5.4.5=7"),
            "CN=a\\,2.5.4.5=x+serialNumber=7"
        );
        assert_eq!(readable_dn("1.2.3=x"), "1.2.3=x");
        assert_eq!(readable_dn(""), "");
    }

    use super::*;

    #[test]
    fn signed_hex_matches_python() {
        assert_eq!(signed_hex(&[0x00]), "0");
        assert_eq!(signed_hex(&[0x00, 0x80]), "80");
        assert_eq!(signed_hex(&[0xff]), "-1");
        assert_eq!(signed_hex(&[0x80]), "-80");
        assert_eq!(signed_hex(&[0x35, 0xd3]), "35d3");
    }

    #[test]
    fn dn_escaping() {
        assert_eq!(escape_dn_value("a,b"), "a\\,b");
        assert_eq!(escape_dn_value(" x "), "\\ x\\ ");
        assert_eq!(escape_dn_value("#1"), "\\#1");
        assert_eq!(escape_dn_value(""), "");
    }

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_length(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_length(&[0x01]), 1);
        assert_eq!(bit_length(&[]), 0);
    }
}
