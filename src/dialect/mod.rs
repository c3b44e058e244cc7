//! The other APIs the product speaks besides its native (Stytch-shaped) one:
//! Infisical's SAML config and SailPoint's service-provider configuration.
//!
//! Each dialect is a translation to and from the same [`Draft`] and
//! [`Connection`], so every dialect is judged by the same rules. The server
//! uses these for its routes and the SDK for its `dialect` option.

pub mod infisical;
pub mod sailpoint;

use crate::issue::{Code, Issue};
use crate::model::{CertText, CertificateInput, Draft, VerificationCertificate};

/// Makes `pems` the connection's certificates: one already stored (same SHA-256)
/// keeps its id, the others are added, and stored ones not named are dropped.
pub fn replace_certificates(draft: &mut Draft, pems: Vec<CertText>, stored: &[VerificationCertificate]) {
    draft.x509_certificate = None;
    draft.verification_certificates = pems
        .into_iter()
        .map(|certificate| {
            let fingerprint = certificate.facts().map(|f| &f.sha256_fingerprint);
            let certificate_id = stored
                .iter()
                .find(|s| Some(&s.sha256_fingerprint) == fingerprint)
                .map(|s| s.certificate_id.clone());
            CertificateInput {
                certificate_id,
                certificate,
            }
        })
        .collect();
}

/// `/head/rest…` → (`head`, `/rest…`): a pointer's first member and what follows it.
fn split_head(pointer: &str) -> (&str, String) {
    let path = pointer.strip_prefix('/').unwrap_or(pointer);
    match path.split_once('/') {
        Some((head, rest)) => (head, format!("/{rest}")),
        None => (path, String::new()),
    }
}

/// The bare UUID of an id such as `saml-connection-<uuid>`: the form Infisical uses.
pub fn uuid_part(id: &str) -> &str {
    id.rsplit_once('-')
        .map(|_| id.len().saturating_sub(36))
        .and_then(|start| id.get(start..))
        .filter(|tail| tail.len() == 36 && tail.bytes().filter(|b| *b == b'-').count() == 4)
        .unwrap_or(id)
}

/// An issue for a field the dialect's API has no place for.
pub fn unsupported(path: &str, dialect: &str) -> Issue {
    Issue::with_message(
        Code::DialectFieldUnsupported,
        path,
        format!("The {dialect} API has no place for this field; set it through the native API."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_part_takes_the_trailing_uuid() {
        assert_eq!(
            uuid_part("saml-connection-8c9c56b3-5f41-4bde-ae95-ca547235103c"),
            "8c9c56b3-5f41-4bde-ae95-ca547235103c"
        );
        assert_eq!(
            uuid_part("8c9c56b3-5f41-4bde-ae95-ca547235103c"),
            "8c9c56b3-5f41-4bde-ae95-ca547235103c"
        );
        assert_eq!(uuid_part("org-1"), "org-1");
    }
}
