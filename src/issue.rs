//! The error model shared by every surface: one table of stable codes.
//!
//! An [`Issue`] names *what* is wrong (`code`, stable API), *where* (`path`, a JSON
//! pointer to the field), *how bad* (`severity`: errors block a save, warnings do
//! not) and a sentence for a person. The server's 400 body, the SDK's rejected
//! promise and the panel's inline messages all carry these same values.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Whether an issue blocks saving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// Declares every code once: its identifier, wire name, severity and default message.
macro_rules! codes {
    ($( $variant:ident = $name:literal, $sev:ident, $msg:literal; )*) => {
        /// Every issue code the core can produce. Codes are API: never rename one silently.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "IssueCode"))]
        pub enum Code {
            $( #[cfg_attr(feature = "ts", ts(rename = $name))] $variant, )*
        }

        impl Code {
            /// Every code, in table order (for documentation and exhaustive tests).
            pub const ALL: &'static [Code] = &[$( Code::$variant, )*];

            /// The stable wire name, e.g. `cert_expired`.
            pub const fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            /// Whether this code blocks a save.
            pub const fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$sev, )* }
            }

            /// The default sentence for a person; rules may give a more specific one.
            pub const fn message(self) -> &'static str {
                match self { $( Code::$variant => $msg, )* }
            }

            /// Looks a code up by its wire name.
            pub fn from_name(name: &str) -> Option<Code> {
                match name { $( $name => Some(Code::$variant), )* _ => None }
            }
        }
    };
}

codes! {
    // --- generic field checks
    Required = "required", Error, "This field is required.";
    TooLong = "too_long", Error, "This value is too long.";
    UnknownIdentityProvider = "identity_provider_unknown", Error, "Unknown identity provider type.";

    // --- certificates
    CertEmpty = "cert_empty", Error, "Paste the IdP's X.509 signing certificate.";
    CertNotPem = "cert_not_pem", Error, "This is not a PEM certificate (-----BEGIN CERTIFICATE-----).";
    CertBareBase64 = "cert_bare_base64", Warning, "The certificate had no PEM header; it was read as base64 DER.";
    CertBase64Invalid = "cert_base64_invalid", Error, "The certificate's base64 text is damaged.";
    CertDerInvalid = "cert_der_invalid", Error, "The certificate could not be decoded: it is truncated or not valid DER.";
    CertDoubleEncoded = "cert_double_encoded", Error, "The certificate field holds base64 of a whole PEM file; paste the PEM itself.";
    CertMultiple = "cert_multiple", Error, "Several certificates were pasted into a field that takes one; add them one at a time.";
    CertIsPrivateKey = "cert_is_private_key", Error, "A private key was pasted where the IdP's certificate belongs. Remove it and keep the key secret.";
    CertIsPublicKey = "cert_is_public_key", Error, "A bare public key was pasted; the IdP's full X.509 certificate is needed.";
    CertIsCsr = "cert_is_csr", Error, "A certificate signing request was pasted; the issued certificate is needed.";
    CertIsFingerprint = "cert_is_fingerprint", Error, "A fingerprint was pasted; the whole certificate is needed.";
    CertExpired = "cert_expired", Error, "The certificate has expired; the IdP will sign with a newer one.";
    CertNotYetValid = "cert_not_yet_valid", Error, "The certificate is not valid yet.";
    CertExpiringSoon = "cert_expiring_soon", Warning, "The certificate expires soon: plan the rotation.";
    CertRsaTooSmall = "cert_rsa_too_small", Error, "The certificate's RSA key is under 2048 bits.";
    CertWeakSignature = "cert_weak_signature", Warning, "The certificate is signed with a weak hash (SHA-1); ask the IdP for a SHA-256 certificate.";
    CertBrokenSignature = "cert_broken_signature", Error, "The certificate is signed with MD5, which is broken.";
    CertUnsupportedKey = "cert_unsupported_key", Error, "The certificate's key type cannot verify SAML signatures.";
    CertNegativeSerial = "cert_negative_serial", Warning, "The certificate's serial number is not positive (RFC 5280 §4.1.2.2); some libraries refuse it.";
    CertDuplicate = "cert_duplicate", Error, "This certificate is already on the connection.";

    // --- private keys
    KeyEmpty = "key_empty", Error, "Paste the private key.";
    KeyNotPem = "key_not_pem", Error, "This is not a PEM private key.";
    KeyInvalid = "key_invalid", Error, "The private key could not be decoded.";
    KeyPkcs8 = "key_pkcs8_not_supported", Error, "This is a PKCS#8 key (BEGIN PRIVATE KEY); convert it with `openssl rsa -in key.pem -traditional -out key-pkcs1.pem`.";
    KeyEncrypted = "key_encrypted", Error, "The private key is encrypted; decrypt it with `openssl rsa -in key.pem -traditional -out key-pkcs1.pem`.";
    KeyNotRsa = "key_not_rsa", Error, "Only RSA private keys are supported here.";
    KeyRsaTooSmall = "key_rsa_too_small", Error, "The RSA private key is under 2048 bits.";
    KeyIsCertificate = "key_is_certificate", Error, "A certificate was pasted where the private key belongs.";
    KeyCertificateMismatch = "key_certificate_mismatch", Error, "The private key does not belong to the certificate.";
    KeyMultiple = "key_multiple", Error, "Several PEM blocks were pasted; paste exactly one private key.";

    // --- metadata
    MetadataEmpty = "metadata_empty", Error, "Paste the IdP's metadata XML.";
    MetadataTooLarge = "metadata_too_large", Error, "The metadata is larger than 1 MiB.";
    MetadataNotXml = "metadata_not_xml", Error, "The metadata is not well-formed XML.";
    MetadataDoctypeForbidden = "metadata_doctype_forbidden", Error, "The metadata contains a DOCTYPE or entity declaration, which is refused.";
    MetadataTooComplex = "metadata_too_complex", Error, "The metadata is nested too deeply or has too many nodes.";
    MetadataNotSaml = "metadata_not_saml", Error, "This XML is not SAML metadata (no md:EntityDescriptor).";
    MetadataSpOnly = "metadata_sp_only", Error, "This is service-provider metadata; the IdP's metadata is needed.";
    MetadataMultipleIdps = "metadata_multiple_idps", Error, "The metadata describes several identity providers; choose one.";
    MetadataEntityNotFound = "metadata_entity_not_found", Error, "The chosen entity ID is not an identity provider in this metadata.";
    MetadataNoSsoService = "metadata_no_sso_service", Error, "The IdP has no SAML 2.0 SingleSignOnService with a supported binding.";
    MetadataNoSigningCertificate = "metadata_no_signing_certificate", Error, "The IdP publishes no signing certificate.";
    MetadataCertificateWrongNamespace = "metadata_certificate_wrong_namespace", Error, "A KeyInfo/X509Certificate is not in the xmldsig namespace; the metadata is malformed.";
    MetadataCertificateExpiredDropped = "metadata_certificate_expired_dropped", Warning, "The IdP publishes an expired signing certificate beside a valid one (a key rollover); the expired one was left out.";
    MetadataExpired = "metadata_expired", Warning, "The metadata's validUntil is in the past; download a fresh copy from the IdP.";

    // --- URLs and identifiers
    UrlInvalid = "url_invalid", Error, "This is not a valid absolute URL.";
    UrlNotHttps = "url_not_https", Error, "The URL must use https.";
    UrlInsecureLoopback = "url_insecure_loopback", Warning, "Plain http is accepted only for a local test IdP (localhost).";
    UrlForbiddenScheme = "url_forbidden_scheme", Error, "This URL scheme is not allowed.";
    UrlHasCredentials = "url_has_credentials", Error, "The URL must not contain a user name or password.";
    UrlHasFragment = "url_has_fragment", Error, "The URL must not contain a #fragment.";
    EntityIdInvalid = "entity_id_invalid", Error, "The entity ID must be an absolute URI or URN.";
    EntityIdWhitespace = "entity_id_whitespace", Warning, "Surrounding white space was removed from the entity ID.";
    EntityIdNotAbsolute = "entity_id_not_absolute", Warning, "This entity ID is not an absolute URI. SAML compares it character for character: copy it exactly from the IdP (most use https://… or urn:…).";
    SpValueInIdpField = "sp_value_in_idp_field", Error, "This is this application's own (service provider) value; the IdP's value belongs here.";
    ProviderMismatch = "provider_mismatch", Warning, "This value does not look like one from the chosen identity provider.";

    // --- attribute mapping
    AttributeMappingMissingEmail = "attribute_mapping_missing_email", Error, "Map the IdP attribute that carries the user's email.";
    AttributeMappingMissingName = "attribute_mapping_missing_name", Error, "Map full_name, or both first_name and last_name.";
    AttributeMappingEmptyName = "attribute_mapping_empty_name", Error, "An attribute name cannot be empty.";
    AttributeMappingDuplicate = "attribute_mapping_duplicate", Error, "Two keys are mapped to the same IdP attribute.";
    AttributeMappingMissingGroups = "attribute_mapping_missing_groups", Error, "Map a `groups` attribute before adding group role assignments.";

    // --- role assignments
    RoleIdEmpty = "role_id_empty", Error, "Choose a role.";
    RoleGroupEmpty = "role_group_empty", Error, "Name the group that grants the role.";
    RoleAssignmentDuplicate = "role_assignment_duplicate", Error, "This role assignment is listed twice.";

    // --- fetching metadata from a URL (server side)
    MetadataUrlForbidden = "metadata_url_forbidden", Error, "The metadata URL points at an address that may not be fetched (private, loopback or link-local network).";
    MetadataFetchFailed = "metadata_fetch_failed", Error, "The metadata could not be downloaded from that URL.";

    // --- JSON Patch (RFC 6902)
    PatchInvalid = "patch_invalid", Error, "This is not a valid JSON Patch (RFC 6902) document.";
    PatchFailed = "patch_failed", Error, "A patch operation could not be applied; nothing was changed.";
    PatchTestFailed = "patch_test_failed", Error, "A `test` operation failed; nothing was changed.";
    PatchTooLarge = "patch_too_large", Error, "The patch has too many operations or makes the document too large.";
    PatchReadsSecret = "patch_reads_secret", Error, "A `test`, `copy` or `move` may not read a private key; keys are write-only.";
    PatchImmutablePath = "patch_immutable_path", Error, "This field is set by the server (an id, the organization or a derived value) and cannot be patched.";

    // --- just-in-time provisioning
    JitSourceIdMissing = "jit_source_id_missing", Error, "Just-in-time provisioning needs a source ID.";
    JitMappingIncomplete = "jit_mapping_incomplete", Error, "Just-in-time provisioning needs source attribute mappings for firstName, lastName and email.";

    // --- dialects (Infisical, SailPoint)
    DialectFieldUnsupported = "dialect_field_unsupported", Error, "This backend's API has no place for this field; set it through the native API.";
    SailpointDetailsCount = "sailpoint_protocol_details_count", Error, "federationProtocolDetails keeps exactly its two elements (IdP details, then SP details); none may be added or removed.";
    SailpointSpDetailsReadOnly = "sailpoint_sp_details_read_only", Error, "The SP details (federationProtocolDetails/1) are this service's own and cannot be changed.";
    SailpointIdpDetailsRequired = "sailpoint_idp_details_required", Error, "Enabling remote IdP sign-in for the first time needs the IdP details.";
    SailpointEntityIdRequired = "sailpoint_entity_id_required", Error, "Enabling remote IdP sign-in needs the IdP's entityId.";
    DerivedFieldReadOnly = "derived_field_read_only", Error, "This value is derived from the certificate or the configuration and cannot be set.";

    // --- requests
    RequestInvalid = "request_invalid", Error, "The request body does not have the expected shape.";
    PrivateKeyMisplaced = "private_key_misplaced", Error, "A private key was found in a field that does not take one; it was not stored. Remove it and keep the key secret.";

    // --- connection as a whole
    NameIdFormatUnknown = "nameid_format_unknown", Warning, "This NameID format is not one of the SAML 2.0 standard formats.";
}

/// A code is its wire name each way (the derive's per-variant code cost 2 KB of
/// the SDK's gzip).
impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Code::from_name(&name).ok_or_else(|| serde::de::Error::custom(format_args!("unknown issue code `{name}`")))
    }
}

// By hand: the derive cannot see the wire names through the `codes!` macro.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Code {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(Code::ALL.iter().map(|c| c.as_str())))
            .description(Some("A stable issue code (docs/issue-codes.md)."))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Code {}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Issue {
    pub code: Code,
    /// JSON pointer to the field, e.g. `/attribute_mapping/email`; empty for the whole draft.
    pub path: String,
    pub severity: Severity,
    pub message: String,
}

impl Issue {
    /// An issue with the code's default message.
    pub fn new(code: Code, path: impl Into<String>) -> Self {
        Issue::with_message(code, path, code.message())
    }

    /// An issue with a more specific message.
    pub fn with_message(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Issue {
            code,
            path: path.into(),
            severity: code.severity(),
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The same issue moved under a parent path (`/x509_certificate` + `` → ...).
    pub fn under(mut self, prefix: &str) -> Self {
        self.path = format!("{prefix}{}", self.path);
        self
    }
}

/// Appends `/segment` to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub fn pointer(base: &str, segment: &str) -> String {
    let escaped = segment.replace('~', "~0").replace('/', "~1");
    format!("{base}/{escaped}")
}

/// True when any issue blocks a save.
/// One sentence for a refusal, naming the first error's field and what is wrong
/// (the server's `error_message` and the SDK's `SamlkitError.message`).
pub fn summary(issues: &[Issue]) -> String {
    let errors: Vec<&Issue> = issues.iter().filter(|i| i.is_error()).collect();
    let Some(first) = errors.first() else {
        return "The request is not valid; see issues.".to_owned();
    };
    let field = match first.path.trim_start_matches('/') {
        "" => "The request".to_owned(),
        path => path.to_owned(),
    };
    match errors.len() {
        1 => format!("{field}: {}", first.message),
        n => format!("{n} errors; the first, {field}: {}", first.message),
    }
}

pub fn has_errors(issues: &[Issue]) -> bool {
    issues.iter().any(Issue::is_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for &code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate code {code}");
            assert_eq!(Code::from_name(code.as_str()), Some(code));
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn pointer_escapes_rfc6901() {
        assert_eq!(pointer("/attribute_mapping", "a/b~c"), "/attribute_mapping/a~1b~0c");
    }
}
