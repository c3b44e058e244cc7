//! The rule engine: a draft and the current time in, a report out.
//!
//! Every surface (SDK, panel, server) calls [`connection`]; that is what makes
//! the verdict the admin sees while typing the verdict the server gives on save.

mod mapping;

pub use mapping::{check_attribute_mapping, check_jit, check_role_assignments};

use crate::issue::{Code, Issue, Severity, has_errors};
use crate::keys::{self, KeyFormat, PrivateKeyFacts};
use crate::metadata;
use crate::model::{Binding, CertText, Draft, IdentityProvider, Missing, ServiceProvider, Status};
use crate::provider;
use crate::time::Timestamp;
use crate::urls;
use crate::x509::{self, CertificateFacts};
use serde::{Deserialize, Serialize};

/// Display names are labels, not documents.
pub const MAX_DISPLAY_NAME_LEN: usize = 256;

/// What the rules need besides the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    pub now: Timestamp,
    /// This SP's own values, so that pasting them into an IdP field is caught.
    #[serde(default)]
    pub service_provider: Option<ServiceProvider>,
}

impl Context {
    pub fn at(now: Timestamp) -> Self {
        Context {
            now,
            service_provider: None,
        }
    }
}

/// The verdict on a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ConnectionReport"))]
pub struct Report {
    pub status: Status,
    /// What an `active` connection still needs, by field name.
    pub missing: Vec<Missing>,
    pub issues: Vec<Issue>,
    /// Facts of `x509_certificate` (first, when given) and each verification certificate.
    pub certificates: Vec<CertificateFacts>,
    pub saml_encryption_private_key: Option<PrivateKeyFacts>,
    pub signing_private_key: Option<PrivateKeyFacts>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        has_errors(&self.issues)
    }
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|s| !s.trim().is_empty())
}

/// Private keys in any field but the two key fields. Certificate fields are
/// left to [`x509::inspect`], which says `cert_is_private_key` there.
fn misplaced_keys(draft: &Draft) -> Vec<Issue> {
    let Ok(value) = serde_json::to_value(draft) else {
        return Vec::new();
    };
    crate::secret::find_in_json(&value, key_text_checked_elsewhere)
}

/// The draft members whose key text is not misplaced (the key fields) or is
/// reported by the certificate checks (`cert_is_private_key`).
pub(crate) fn key_text_checked_elsewhere(path: &str) -> bool {
    matches!(
        path,
        "/saml_encryption_private_key" | "/signing_private_key" | "/x509_certificate"
    ) || (path.starts_with("/verification_certificates/") && path.ends_with("/certificate"))
}

/// Validates a whole draft.
pub fn connection(draft: &Draft, ctx: &Context) -> Report {
    let mut issues = Vec::new();
    let now = ctx.now;

    if let Some(name) = &draft.display_name
        && name.chars().count() > MAX_DISPLAY_NAME_LEN
    {
        issues.push(Issue::with_message(
            Code::TooLong,
            "/display_name",
            format!("At most {MAX_DISPLAY_NAME_LEN} characters."),
        ));
    }
    issues.extend(misplaced_keys(draft));
    let provider = match present(&draft.identity_provider) {
        None => None,
        Some(name) => match IdentityProvider::parse(name.trim()) {
            Some(p) => Some(p),
            None => {
                issues.push(Issue::new(Code::UnknownIdentityProvider, "/identity_provider"));
                None
            }
        },
    };

    // Identifiers and endpoints.
    let entity_id = present(&draft.idp_entity_id);
    let sso_url = present(&draft.idp_sso_url);
    if let Some(id) = entity_id {
        issues.extend(urls::check_entity_id(
            draft.idp_entity_id.as_deref().unwrap_or(id),
            "/idp_entity_id",
        ));
    }
    let endpoints = [
        ("/idp_sso_url", &draft.idp_sso_url),
        ("/idp_sso_post_url", &draft.idp_sso_post_url),
        ("/idp_sso_redirect_url", &draft.idp_sso_redirect_url),
        ("/idp_slo_url", &draft.idp_slo_url),
        ("/alternative_acs_url", &draft.alternative_acs_url),
    ];
    for (path, value) in endpoints {
        if let Some(url) = present(value) {
            issues.extend(urls::check_endpoint(url, path));
        }
    }
    if let Some(binding) = present(&draft.idp_sso_binding)
        && Binding::parse(binding).is_none()
    {
        issues.push(Issue::with_message(
            Code::UrlInvalid,
            "/idp_sso_binding",
            "The SSO binding is HTTP-Redirect or HTTP-POST.",
        ));
    }
    if let Some(audience) = present(&draft.alternative_audience_uri) {
        issues.extend(urls::check_entity_id(audience, "/alternative_audience_uri"));
    }
    if let Some(sp) = &ctx.service_provider {
        for (path, value) in [("/idp_entity_id", entity_id), ("/idp_sso_url", sso_url)] {
            if let Some(v) = value
                && (urls::same_identifier(v, &sp.acs_url) || urls::same_identifier(v, &sp.audience_uri))
            {
                issues.push(Issue::new(Code::SpValueInIdpField, path));
            }
        }
    }
    if let Some(p) = provider {
        issues.extend(provider::check(p, entity_id, sso_url));
    }
    if let Some(format) = present(&draft.nameid_format)
        && !NAMEID_FORMATS.contains(&format.trim())
    {
        issues.push(Issue::new(Code::NameIdFormatUnknown, "/nameid_format"));
    }

    // Certificates.
    let mut certificates = Vec::new();
    let mut valid_certificates = 0;
    // `stored` certificates (those with an id) are already on the connection: time may have made them
    // invalid, but that must not block an unrelated save, so their problems are
    // reported as warnings (same codes) and they simply stop counting as valid.
    let mut inspect_certificate = |text: &CertText, path: &str, stored: bool, issues: &mut Vec<Issue>| {
        let report = x509::report_at(text.parsed(), now);
        let errors = has_errors(&report.issues);
        issues.extend(report.issues.into_iter().map(|i| {
            let mut i = i.under(path);
            if stored {
                i.severity = Severity::Warning;
            }
            i
        }));
        if let Some(facts) = report.certificates.into_iter().next() {
            if certificates
                .iter()
                .any(|c: &CertificateFacts| c.sha256_fingerprint == facts.sha256_fingerprint)
            {
                issues.push(Issue::new(Code::CertDuplicate, path));
            } else {
                valid_certificates += usize::from(!errors);
                certificates.push(facts);
            }
        }
    };
    if let Some(text) = &draft.x509_certificate {
        inspect_certificate(text, "/x509_certificate", false, &mut issues);
    }
    for (i, cert) in draft.verification_certificates.iter().enumerate() {
        let path = format!("/verification_certificates/{i}/certificate");
        inspect_certificate(&cert.certificate, &path, cert.certificate_id.is_some(), &mut issues);
    }

    // Write-only keys.
    let key = |key: &Option<String>, cert: &Option<String>, format, path: &str, issues: &mut Vec<Issue>| {
        let text = key.as_deref()?;
        let report = keys::inspect(text, format, cert.as_deref());
        issues.extend(report.issues.into_iter().map(|i| i.under(path)));
        report.key
    };
    let encryption_key = key(
        &draft.saml_encryption_private_key,
        &draft.saml_encryption_certificate,
        KeyFormat::Pkcs1Only,
        "/saml_encryption_private_key",
        &mut issues,
    );
    let signing_key = key(
        &draft.signing_private_key,
        &draft.signing_certificate,
        KeyFormat::Pkcs1OrPkcs8,
        "/signing_private_key",
        &mut issues,
    );

    // Attributes, provisioning and roles.
    if let Some(jit) = &draft.jit_provisioning {
        issues.extend(check_jit(jit));
    }
    if let Some(mapping) = &draft.attribute_mapping {
        issues.extend(check_attribute_mapping(
            mapping,
            !draft.saml_group_implicit_role_assignments.is_empty(),
        ));
    } else if !draft.saml_group_implicit_role_assignments.is_empty() {
        issues.push(Issue::new(
            Code::AttributeMappingMissingGroups,
            "/attribute_mapping/groups",
        ));
    }
    issues.extend(check_role_assignments(
        &draft.saml_connection_implicit_role_assignments,
        &draft.saml_group_implicit_role_assignments,
    ));

    // Status: what a login needs, present and free of errors.
    let field_ok = |path: &str| {
        !issues
            .iter()
            .any(|i| i.is_error() && (i.path == path || i.path.starts_with(&format!("{path}/"))))
    };
    let mut missing = Vec::new();
    if sso_url.is_none() || !field_ok("/idp_sso_url") {
        missing.push(Missing::IdpSsoUrl);
    }
    if draft.attribute_mapping.is_none() || !field_ok("/attribute_mapping") {
        missing.push(Missing::AttributeMapping);
    }
    if entity_id.is_none() || !field_ok("/idp_entity_id") {
        missing.push(Missing::IdpEntityId);
    }
    if valid_certificates == 0 {
        missing.push(Missing::X509Certificate);
    }
    let status = if missing.is_empty() {
        Status::Active
    } else {
        Status::Pending
    };

    Report {
        status,
        missing,
        issues,
        certificates,
        saml_encryption_private_key: encryption_key,
        signing_private_key: signing_key,
    }
}

/// The SAML 2.0 core §8.3 NameID formats.
pub const NAMEID_FORMATS: &[&str] = &[
    "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
    "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName",
    "urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:kerberos",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:entity",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:encrypted",
];

/// The result of validating pasted metadata: the import and the draft's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MetadataReport {
    pub import: metadata::Import,
    /// The draft's verdict, when a draft could be made.
    pub report: Option<Report>,
    /// Document issues followed by the draft's issues.
    pub issues: Vec<Issue>,
}

/// Imports metadata and validates the draft it yields.
pub fn metadata(xml: &str, entity_id: Option<&str>, ctx: &Context) -> MetadataReport {
    let import = metadata::import(xml, entity_id, ctx.now);
    let report = import.draft.as_ref().map(|d| connection(d, ctx));
    let mut issues = import.issues.clone();
    if let Some(r) = &report {
        issues.extend(r.issues.iter().cloned());
    }
    MetadataReport { import, report, issues }
}

/// Validates one certificate field on its own (the panel's certificate card).
pub fn certificate(text: &str, ctx: &Context) -> x509::CertificateReport {
    x509::inspect(text, ctx.now)
}

/// [`certificate`] for a file's bytes: DER or PEM.
pub fn certificate_bytes(bytes: &[u8], ctx: &Context) -> x509::CertificateReport {
    x509::report_at(&x509::parse_bytes(bytes), ctx.now)
}

/// [`metadata`] for a file's bytes: UTF-8, or UTF-16 by its byte order mark.
pub fn metadata_bytes(bytes: &[u8], entity_id: Option<&str>, ctx: &Context) -> MetadataReport {
    match metadata::decode_bytes(bytes) {
        Ok(xml) => self::metadata(&xml, entity_id, ctx),
        Err(issue) => MetadataReport {
            import: metadata::Import {
                metadata: None,
                idp_entity_ids: Vec::new(),
                draft: None,
                sso_choice: None,
                issues: vec![issue.clone()],
            },
            report: None,
            issues: vec![issue],
        },
    }
}
