//! Private-key inspection for the write-only key fields.
//!
//! Nothing here ever puts key material in an issue: messages name the kind of
//! problem and, at most, the PEM label.

use crate::issue::{Code, Issue};
use crate::pem::{self, PemError};
use crate::x509::{self, bit_length, hex, oid};
use der::asn1::{BitString, Null};
use der::{Any, Decode, Encode};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use spki::{AlgorithmIdentifier, SubjectPublicKeyInfo};

/// What may be shown about a key: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PrivateKeyFacts {
    /// `pkcs1` (BEGIN RSA PRIVATE KEY) or `pkcs8` (BEGIN PRIVATE KEY).
    pub format: String,
    pub algorithm: String,
    pub bits: u32,
    /// SHA-256 of the public half as SubjectPublicKeyInfo DER
    /// (`openssl pkey -pubout -outform DER | sha256sum`).
    pub public_key_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PrivateKeyReport {
    pub key: Option<PrivateKeyFacts>,
    pub issues: Vec<Issue>,
}

/// Which encodings a field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFormat {
    /// `saml_encryption_private_key`: PKCS#1 only, as the API documents.
    Pkcs1Only,
    /// `signing_private_key`: PKCS#1 or unencrypted PKCS#8.
    Pkcs1OrPkcs8,
}

/// Inspects a private key, and checks it against its certificate when one is given.
pub fn inspect(text: &str, format: KeyFormat, certificate: Option<&str>) -> PrivateKeyReport {
    let mut issues = Vec::new();
    let key = match decode(text, format) {
        Ok(rsa) => {
            if rsa.bits < x509::MIN_RSA_BITS {
                issues.push(Issue::with_message(
                    Code::KeyRsaTooSmall,
                    "",
                    format!(
                        "The RSA private key is {} bits; at least {} are required.",
                        rsa.bits,
                        x509::MIN_RSA_BITS
                    ),
                ));
            }
            if let Some(cert) = certificate.filter(|c| !c.trim().is_empty())
                && !matches_certificate(&rsa, cert)
            {
                issues.push(Issue::new(Code::KeyCertificateMismatch, ""));
            }
            Some(rsa.facts())
        }
        Err(issue) => {
            issues.push(issue);
            None
        }
    };
    PrivateKeyReport { key, issues }
}

struct RsaKey {
    format: &'static str,
    /// The RSAPrivateKey (PKCS#1) DER, whatever the key came wrapped in.
    pkcs1_der: Vec<u8>,
    bits: u32,
    modulus: Vec<u8>,
    exponent: Vec<u8>,
}

impl RsaKey {
    fn facts(&self) -> PrivateKeyFacts {
        PrivateKeyFacts {
            format: self.format.to_owned(),
            algorithm: "RSA".to_owned(),
            bits: self.bits,
            public_key_sha256: self.spki_sha256(),
        }
    }

    fn spki_sha256(&self) -> String {
        let spki = (|| -> der::Result<Vec<u8>> {
            let public = pkcs1::RsaPublicKeyRef {
                modulus: der::asn1::UintRef::new(&self.modulus)?,
                public_exponent: der::asn1::UintRef::new(&self.exponent)?,
            }
            .to_der()?;
            SubjectPublicKeyInfo::<Any, BitString> {
                algorithm: AlgorithmIdentifier {
                    oid: oid::RSA_ENCRYPTION,
                    parameters: Some(Any::from(Null)),
                },
                subject_public_key: BitString::from_bytes(&public)?,
            }
            .to_der()
        })();
        spki.map(|der| hex(&Sha256::digest(&der))).unwrap_or_default()
    }
}

fn decode(text: &str, format: KeyFormat) -> Result<RsaKey, Issue> {
    let blocks = pem::decode_blocks(text).map_err(|e| match e {
        PemError::Empty => Issue::new(Code::KeyEmpty, ""),
        PemError::TooManyBlocks => Issue::new(Code::KeyMultiple, ""),
        PemError::NotPem | PemError::Base64 | PemError::Fingerprint => Issue::new(Code::KeyNotPem, ""),
    })?;
    let [block] = blocks.as_slice() else {
        return Err(Issue::new(Code::KeyMultiple, ""));
    };
    let label = block.label.as_deref().ok_or_else(|| Issue::new(Code::KeyNotPem, ""))?;
    if block.encrypted || label == "ENCRYPTED PRIVATE KEY" {
        return Err(Issue::new(Code::KeyEncrypted, ""));
    }
    match label {
        "RSA PRIVATE KEY" => rsa_from_pkcs1(&block.der, "pkcs1"),
        "PRIVATE KEY" => {
            let info = pkcs8::PrivateKeyInfoRef::from_der(&block.der).map_err(|_| Issue::new(Code::KeyInvalid, ""))?;
            if info.algorithm.oid != oid::RSA_ENCRYPTION {
                return Err(Issue::new(Code::KeyNotRsa, ""));
            }
            if format == KeyFormat::Pkcs1Only {
                return Err(Issue::new(Code::KeyPkcs8, ""));
            }
            rsa_from_pkcs1(info.private_key.as_bytes(), "pkcs8")
        }
        "EC PRIVATE KEY" | "DSA PRIVATE KEY" => Err(Issue::new(Code::KeyNotRsa, "")),
        "OPENSSH PRIVATE KEY" => Err(Issue::with_message(
            Code::KeyNotPem,
            "",
            "This is an OpenSSH key; convert it with `ssh-keygen -p -m PEM -f key`.",
        )),
        "CERTIFICATE" | "X509 CERTIFICATE" => Err(Issue::new(Code::KeyIsCertificate, "")),
        _ => Err(Issue::new(Code::KeyNotPem, "")),
    }
}

fn rsa_from_pkcs1(der: &[u8], format: &'static str) -> Result<RsaKey, Issue> {
    let key = pkcs1::RsaPrivateKeyRef::from_der(der).map_err(|_| Issue::new(Code::KeyInvalid, ""))?;
    Ok(RsaKey {
        format,
        pkcs1_der: der.to_vec(),
        bits: bit_length(key.modulus.as_bytes()),
        modulus: key.modulus.as_bytes().to_vec(),
        exponent: key.public_exponent.as_bytes().to_vec(),
    })
}

/// The PKCS#1 DER of an RSA private key given as PEM (PKCS#1 or unencrypted
/// PKCS#8), for a signer; `None` for anything [`inspect`] does not accept.
pub fn rsa_private_key_der(text: &str) -> Option<Vec<u8>> {
    decode(text, KeyFormat::Pkcs1OrPkcs8).ok().map(|k| k.pkcs1_der)
}

/// A key matches a certificate when the certificate's RSA public key is the key's public half.
fn matches_certificate(key: &RsaKey, certificate: &str) -> bool {
    let Ok(blocks) = pem::decode_blocks(certificate) else {
        return false;
    };
    blocks
        .iter()
        .any(|b| x509::rsa_public_key(&b.der).is_some_and(|(n, e)| n == key.modulus && e == key.exponent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_key() {
        let r = inspect("", KeyFormat::Pkcs1Only, None);
        assert_eq!(r.issues[0].code, Code::KeyEmpty);
        let r = inspect("not a key", KeyFormat::Pkcs1Only, None);
        assert_eq!(r.issues[0].code, Code::KeyNotPem);
        let r = inspect(
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAMCAQU=\n-----END ENCRYPTED PRIVATE KEY-----",
            KeyFormat::Pkcs1OrPkcs8,
            None,
        );
        assert_eq!(r.issues[0].code, Code::KeyEncrypted);
        let r = inspect(
            "-----BEGIN RSA PRIVATE KEY-----\nMAMCAQU=\n-----END RSA PRIVATE KEY-----",
            KeyFormat::Pkcs1Only,
            None,
        );
        assert_eq!(r.issues[0].code, Code::KeyInvalid);
    }
}
