//! The server's own signatures: the certificate of a connection's signing key
//! (Stytch's `signing_certificates`), made when the admin gives a key without one.
//!
//! DER is built with the `der` crate and signed with ring (constant-time RSA).

use der::asn1::{BitString, GeneralizedTime, Null, UtcTime};
use der::{Any, Encode, Sequence};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use samlkit::Timestamp;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use std::str::FromStr;
use x509_cert::certificate::Version;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

/// How long a made signing certificate is valid: as long as the key is kept.
const VALIDITY_SECONDS: i64 = 10 * 365 * 24 * 3600;

const RSA_ENCRYPTION: der::oid::ObjectIdentifier = der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const SHA256_WITH_RSA: der::oid::ObjectIdentifier = der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");

/// RFC 5280's TBSCertificate, without unique ids or extensions.
#[derive(Sequence)]
struct TbsCertificate {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    version: Version,
    serial_number: SerialNumber,
    signature: AlgorithmIdentifierOwned,
    issuer: Name,
    validity: Validity,
    subject: Name,
    subject_public_key_info: SubjectPublicKeyInfoOwned,
}

#[derive(Sequence)]
struct Certificate {
    tbs_certificate: TbsCertificate,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
}

fn time(seconds: i64) -> Option<Time> {
    let duration = std::time::Duration::from_secs(u64::try_from(seconds).ok()?);
    // RFC 5280: UTCTime through 2049, GeneralizedTime after.
    match UtcTime::from_unix_duration(duration) {
        Ok(t) => Some(Time::UtcTime(t)),
        Err(_) => GeneralizedTime::from_unix_duration(duration)
            .ok()
            .map(Time::GeneralTime),
    }
}

fn rsa_sha256() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: SHA256_WITH_RSA,
        parameters: Some(Any::from(Null)),
    }
}

/// A self-signed certificate (PEM) for an RSA signing key given as PEM, named
/// `CN=<common_name>`, valid from `now` for ten years; `None` when the key is
/// not one the rules accept (they report why).
pub fn certificate_for_key(key_pem: &str, common_name: &str, now: Timestamp) -> Option<String> {
    let key_der = samlkit::keys::rsa_private_key_der(key_pem)?;
    let key = RsaKeyPair::from_der(&key_der).ok()?;
    let rng = SystemRandom::new();
    let mut serial = [0u8; 16];
    rng.fill(&mut serial).ok()?;
    serial[0] &= 0x7f; // positive
    serial[0] |= 0x40; // and minimal: no leading zero byte
    let name = Name::from_str(&format!("CN={}", escape_rdn(common_name))).ok()?;
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: SerialNumber::new(&serial).ok()?,
        signature: rsa_sha256(),
        issuer: name.clone(),
        validity: Validity::new(time(now.0)?, time(now.0 + VALIDITY_SECONDS)?),
        subject: name,
        subject_public_key_info: SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned {
                oid: RSA_ENCRYPTION,
                parameters: Some(Any::from(Null)),
            },
            subject_public_key: BitString::from_bytes(key.public().as_ref()).ok()?,
        },
    };
    let tbs_der = tbs.to_der().ok()?;
    let mut signature = vec![0u8; key.public().modulus_len()];
    key.sign(&RSA_PKCS1_SHA256, &rng, &tbs_der, &mut signature).ok()?;
    let certificate = Certificate {
        tbs_certificate: tbs,
        signature_algorithm: rsa_sha256(),
        signature: BitString::from_bytes(&signature).ok()?,
    };
    Some(samlkit::pem::encode("CERTIFICATE", &certificate.to_der().ok()?))
}

/// RFC 4514 escaping of an attribute value.
fn escape_rdn(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        let edge = (i == 0 && matches!(c, ' ' | '#')) || (i == last && c == ' ');
        if edge || matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use samlkit::keys::{self, KeyFormat};

    const KEY: &str = include_str!("../../tests/fixtures/rsa2048_pkcs1.key");
    const KEY_PKCS8: &str = include_str!("../../tests/fixtures/rsa2048_pkcs8.key");
    const NOW: Timestamp = Timestamp(1_780_000_000);

    #[test]
    fn the_made_certificate_is_the_keys_and_passes_the_rules() {
        for key in [KEY, KEY_PKCS8] {
            let pem = certificate_for_key(key, "saml-connection-1, \"test\"", NOW).unwrap();
            let report = samlkit::x509::inspect(&pem, NOW);
            assert!(report.issues.is_empty(), "{:?}", report.issues);
            let facts = report.certificate().unwrap();
            assert_eq!(facts.subject_cn.as_deref(), Some("saml-connection-1, \"test\""));
            assert_eq!(facts.signature_algorithm_oid, "1.2.840.113549.1.1.11");
            assert!(facts.self_issued);
            let checked = keys::inspect(key, KeyFormat::Pkcs1OrPkcs8, Some(&pem));
            assert!(checked.issues.is_empty(), "{:?}", checked.issues);
            // The signature verifies with the key's public half.
            use der::Decode;
            let der = &samlkit::pem::decode_blocks(&pem).unwrap()[0].der;
            let cert = x509_cert::Certificate::from_der(der).unwrap();
            let public = RsaKeyPair::from_der(&keys::rsa_private_key_der(key).unwrap()).unwrap();
            ring::signature::UnparsedPublicKey::new(
                &ring::signature::RSA_PKCS1_2048_8192_SHA256,
                public.public().as_ref(),
            )
            .verify(&cert.tbs_certificate().to_der().unwrap(), cert.signature().raw_bytes())
            .expect("a valid signature");
        }
    }

    #[test]
    fn no_certificate_for_what_is_not_an_rsa_key() {
        assert_eq!(certificate_for_key("", "x", NOW), None);
        let ec = include_str!("../../tests/fixtures/ec_p256.key");
        assert_eq!(certificate_for_key(ec, "x", NOW), None);
    }
}
