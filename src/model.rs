//! The connection as the API shapes it (Stytch's B2B SAML connection), rich enough
//! for the Infisical and SailPoint dialects to map onto it without loss.

use crate::x509::CertificateFacts;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The identity providers the API names (Stytch's enum, all 15 values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum IdentityProvider {
    Classlink,
    Cyberark,
    Duo,
    GoogleWorkspace,
    Jumpcloud,
    Keycloak,
    Miniorange,
    MicrosoftEntra,
    Okta,
    Onelogin,
    Pingfederate,
    Rippling,
    Salesforce,
    Shibboleth,
    Generic,
}

impl IdentityProvider {
    pub const ALL: [IdentityProvider; 15] = [
        Self::Classlink,
        Self::Cyberark,
        Self::Duo,
        Self::GoogleWorkspace,
        Self::Jumpcloud,
        Self::Keycloak,
        Self::Miniorange,
        Self::MicrosoftEntra,
        Self::Okta,
        Self::Onelogin,
        Self::Pingfederate,
        Self::Rippling,
        Self::Salesforce,
        Self::Shibboleth,
        Self::Generic,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Classlink => "classlink",
            Self::Cyberark => "cyberark",
            Self::Duo => "duo",
            Self::GoogleWorkspace => "google-workspace",
            Self::Jumpcloud => "jumpcloud",
            Self::Keycloak => "keycloak",
            Self::Miniorange => "miniorange",
            Self::MicrosoftEntra => "microsoft-entra",
            Self::Okta => "okta",
            Self::Onelogin => "onelogin",
            Self::Pingfederate => "pingfederate",
            Self::Rippling => "rippling",
            Self::Salesforce => "salesforce",
            Self::Shibboleth => "shibboleth",
            Self::Generic => "generic",
        }
    }

    pub fn parse(name: &str) -> Option<IdentityProvider> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// The product's name, as admins know it.
    pub const fn display_name(self) -> &'static str {
        match self {
            Self::Classlink => "ClassLink",
            Self::Cyberark => "CyberArk",
            Self::Duo => "Duo",
            Self::GoogleWorkspace => "Google Workspace",
            Self::Jumpcloud => "JumpCloud",
            Self::Keycloak => "Keycloak",
            Self::Miniorange => "miniOrange",
            Self::MicrosoftEntra => "Microsoft Entra ID",
            Self::Okta => "Okta",
            Self::Onelogin => "OneLogin",
            Self::Pingfederate => "PingFederate / PingOne",
            Self::Rippling => "Rippling",
            Self::Salesforce => "Salesforce",
            Self::Shibboleth => "Shibboleth",
            Self::Generic => "Other SAML 2.0 IdP",
        }
    }
}

/// `pending` until the connection has everything a login needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Active,
}

/// The fields an `active` connection needs, by API name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    IdpSsoUrl,
    AttributeMapping,
    IdpEntityId,
    X509Certificate,
}

impl Missing {
    /// How a person reads it.
    pub const fn label(self) -> &'static str {
        match self {
            Missing::IdpSsoUrl => "SSO URL",
            Missing::AttributeMapping => "attribute mapping",
            Missing::IdpEntityId => "entity ID",
            Missing::X509Certificate => "a valid signing certificate",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConnectionRoleAssignment {
    pub role_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GroupRoleAssignment {
    pub role_id: String,
    pub group: String,
}

/// A verification certificate already on a connection (by id) or being added.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CertificateInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_id: Option<String>,
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub certificate: CertText,
}

/// Certificate text as an admin or an IdP sent it, decoded at most once: the
/// metadata import, the rules, `Connection::build` and the merges of stored
/// certificates all read the same parse ([`x509::parse`], which holds the DER's
/// facts and fingerprints). Serialized as the text alone; equal by the text.
#[derive(Clone, Default)]
pub struct CertText {
    text: String,
    parsed: std::sync::Arc<std::sync::OnceLock<crate::x509::CertificateReport>>,
}

impl CertText {
    pub fn new(text: impl Into<String>) -> CertText {
        CertText {
            text: text.into(),
            parsed: Default::default(),
        }
    }

    /// The PEM of a certificate already decoded (its facts are its parse).
    pub fn of_facts(facts: &CertificateFacts) -> CertText {
        let parsed = std::sync::OnceLock::new();
        let _ = parsed.set(crate::x509::CertificateReport {
            certificates: vec![facts.clone()],
            issues: Vec::new(),
        });
        CertText {
            text: facts.pem.clone(),
            parsed: std::sync::Arc::new(parsed),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The text's certificates and form problems (no time-dependent verdicts).
    pub fn parsed(&self) -> &crate::x509::CertificateReport {
        self.parsed.get_or_init(|| crate::x509::parse(&self.text))
    }

    /// The one certificate of a valid one-certificate text.
    pub fn facts(&self) -> Option<&CertificateFacts> {
        self.parsed().certificate()
    }
}

impl std::ops::Deref for CertText {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl From<String> for CertText {
    fn from(text: String) -> Self {
        CertText::new(text)
    }
}

impl From<&str> for CertText {
    fn from(text: &str) -> Self {
        CertText::new(text)
    }
}

impl PartialEq for CertText {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for CertText {}

impl std::fmt::Debug for CertText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.text.fmt(f)
    }
}

impl Serialize for CertText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for CertText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(CertText::new)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for CertText {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("An X.509 certificate: PEM (or base64 DER)."))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for CertText {}

/// Just-in-time provisioning (SailPoint's `jitConfiguration`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JitProvisioning {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    #[serde(default)]
    pub source_attribute_mappings: BTreeMap<String, String>,
}

/// The whole intended state of a connection, as the admin edits it.
///
/// Every field is optional: what is absent makes the connection `pending`, what
/// is present and wrong is an issue. The server merges an update into the stored
/// connection and validates the result, so the panel and the server judge the
/// same draft the same way.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(optional_fields))]
#[serde(default, deny_unknown_fields)]
pub struct Draft {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// One of [`IdentityProvider`]'s names; anything else is an issue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_provider: Option<String>,
    /// The IdP product as another dialect named it, when `identity_provider`
    /// cannot say it (Infisical's `auth0-saml` is `generic` natively).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idp_entity_id: Option<String>,
    /// Where the SP sends the AuthnRequest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idp_sso_url: Option<String>,
    /// `HTTP-Redirect` or `HTTP-POST`: the binding of `idp_sso_url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idp_sso_binding: Option<String>,
    /// The IdP's HTTP-POST endpoint when it offers one (SailPoint's `loginUrlPost`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idp_sso_post_url: Option<String>,
    /// The IdP's HTTP-Redirect endpoint when it offers one (SailPoint's `loginUrlRedirect`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idp_sso_redirect_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idp_slo_url: Option<String>,
    /// A certificate being added (Stytch's `x509_certificate`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub x509_certificate: Option<CertText>,
    /// Certificates already on the connection.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<CertificateInput>>"))]
    pub verification_certificates: Vec<CertificateInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_mapping: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<ConnectionRoleAssignment>>"))]
    pub saml_connection_implicit_role_assignments: Vec<ConnectionRoleAssignment>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<GroupRoleAssignment>>"))]
    pub saml_group_implicit_role_assignments: Vec<GroupRoleAssignment>,
    /// PKCS#1 RSA key that decrypts assertions. Write-only everywhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saml_encryption_private_key: Option<String>,
    /// The certificate of `saml_encryption_private_key`, when the admin has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saml_encryption_certificate: Option<String>,
    /// Key that signs AuthnRequests. Write-only everywhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signing_private_key: Option<String>,
    /// The certificate of `signing_private_key`, when the admin has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signing_certificate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nameid_format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternative_audience_uri: Option<String>,
    /// An ACS URL to put in AuthnRequests instead of `acs_url` (a custom domain).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternative_acs_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idp_initiated_auth_disabled: Option<bool>,
    /// Stytch's `allow_gateway_callback`: the IdP may post to a gateway that forwards the response.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_gateway_callback: Option<bool>,
    /// Requested AuthnContextClassRef (SailPoint's `authContext`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authn_context: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_authn_context: Option<bool>,
    /// Infisical's `enableGroupSync`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_sync_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jit_provisioning: Option<JitProvisioning>,
    /// SailPoint's `mappingAttribute`: the user attribute matched to the NameID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mapping_attribute: Option<String>,
    /// The admin's on/off switch (Infisical's `isActive`, SailPoint's `enabled`);
    /// `status` says whether the connection *can* work, this whether it *should*.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// SailPoint's `bypassIdp`: members may still sign in without the IdP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bypass_idp: Option<bool>,
}

impl Draft {
    /// Takes the IdP's protocol settings from an imported draft (metadata): entity ID,
    /// SSO and SLO endpoints with their binding, and the NameID format when it names one.
    /// Certificates are the caller's to merge.
    pub fn take_idp_settings(&mut self, imported: &Draft) {
        self.idp_entity_id = imported.idp_entity_id.clone();
        self.idp_sso_url = imported.idp_sso_url.clone();
        self.idp_sso_binding = imported.idp_sso_binding.clone();
        self.idp_sso_post_url = imported.idp_sso_post_url.clone();
        self.idp_sso_redirect_url = imported.idp_sso_redirect_url.clone();
        self.idp_slo_url = imported.idp_slo_url.clone();
        if imported.nameid_format.is_some() {
            self.nameid_format = imported.nameid_format.clone();
        }
    }
}

/// The SAML 2.0 bindings a connection's SSO endpoint may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    Redirect,
    Post,
}

impl Binding {
    pub const ALL: [Binding; 2] = [Binding::Redirect, Binding::Post];

    /// The name the API uses (`idp_sso_binding`).
    pub const fn name(self) -> &'static str {
        match self {
            Binding::Redirect => "HTTP-Redirect",
            Binding::Post => "HTTP-POST",
        }
    }

    /// The binding's URN, as metadata and SailPoint write it.
    pub const fn urn(self) -> &'static str {
        match self {
            Binding::Redirect => "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
            Binding::Post => "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
        }
    }

    /// A binding by its API name.
    pub fn parse(name: &str) -> Option<Binding> {
        Binding::ALL.into_iter().find(|b| b.name() == name)
    }

    /// A binding by its URN.
    pub fn from_urn(urn: &str) -> Option<Binding> {
        Binding::ALL.into_iter().find(|b| b.urn() == urn)
    }

    /// Whether an `idp_sso_binding` value is HTTP-POST.
    pub fn is_post(value: Option<&str>) -> bool {
        value == Some(Binding::Post.name())
    }
}

/// A verification certificate as stored and returned (facts, never re-parsed downstream).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VerificationCertificate {
    pub certificate_id: String,
    pub certificate: String,
    pub created_at: String,
    pub expires_at: String,
    pub issuer: String,
    pub subject: String,
    pub sha256_fingerprint: String,
}

impl VerificationCertificate {
    pub fn from_facts(certificate_id: String, created_at: String, facts: &CertificateFacts) -> Self {
        VerificationCertificate {
            certificate_id,
            certificate: facts.pem.clone(),
            created_at,
            expires_at: facts.not_after.clone(),
            issuer: facts.issuer.clone(),
            subject: facts.subject.clone(),
            sha256_fingerprint: facts.sha256_fingerprint.clone(),
        }
    }
}

/// What may be shown of a write-only private key: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KeySummary {
    pub format: String,
    pub bits: u32,
    pub public_key_sha256: String,
}

/// The encryption private key in Stytch's `encryption_private_keys`: its id and
/// when it was set; `private_key` is always [`MASKED_KEY`] (sending that back
/// keeps the stored key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EncryptionPrivateKey {
    pub private_key_id: String,
    pub private_key: String,
    pub created_at: String,
}

/// What a response shows in place of a private key.
pub const MASKED_KEY: &str = "********";

impl EncryptionPrivateKey {
    /// The id of the key whose public key has this SHA-256 (stable while the key is).
    pub fn id_of(key: &KeySummary) -> String {
        let hex: String = key
            .public_key_sha256
            .chars()
            .filter(char::is_ascii_hexdigit)
            .take(32)
            .collect();
        format!("saml-encryption-key-{}", hex.to_ascii_lowercase())
    }
}

/// A stored connection as the API returns it (the Stytch connection object).
///
/// It has no field that could hold a private key: keys live beside it in
/// storage and appear here only as [`KeySummary`]s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Connection {
    pub connection_id: String,
    pub organization_id: String,
    pub display_name: String,
    pub identity_provider: IdentityProvider,
    /// See [`Draft::auth_provider`].
    #[serde(default)]
    pub auth_provider: Option<String>,
    pub status: Status,
    pub idp_entity_id: String,
    pub idp_sso_url: String,
    #[serde(default)]
    pub idp_sso_binding: Option<String>,
    #[serde(default)]
    pub idp_sso_post_url: Option<String>,
    #[serde(default)]
    pub idp_sso_redirect_url: Option<String>,
    #[serde(default)]
    pub idp_slo_url: Option<String>,
    pub acs_url: String,
    pub audience_uri: String,
    pub alternative_audience_uri: String,
    #[serde(default)]
    pub alternative_acs_url: String,
    pub attribute_mapping: BTreeMap<String, String>,
    pub verification_certificates: Vec<VerificationCertificate>,
    pub signing_certificates: Vec<VerificationCertificate>,
    /// The encryption key, as Stytch lists it: an id and a masked value, never the key.
    #[serde(default)]
    pub encryption_private_keys: Vec<EncryptionPrivateKey>,
    pub saml_connection_implicit_role_assignments: Vec<ConnectionRoleAssignment>,
    pub saml_group_implicit_role_assignments: Vec<GroupRoleAssignment>,
    pub nameid_format: String,
    pub idp_initiated_auth_disabled: bool,
    #[serde(default)]
    pub allow_gateway_callback: bool,
    #[serde(default)]
    pub authn_context: Option<String>,
    #[serde(default)]
    pub include_authn_context: bool,
    #[serde(default)]
    pub group_sync_enabled: bool,
    #[serde(default)]
    pub jit_provisioning: Option<JitProvisioning>,
    #[serde(default)]
    pub mapping_attribute: Option<String>,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    #[serde(default)]
    pub bypass_idp: bool,
    pub saml_encryption_private_key: Option<KeySummary>,
    pub signing_private_key: Option<KeySummary>,
    /// Optimistic-concurrency version (the ETag).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub version: u64,
}

fn enabled_by_default() -> bool {
    true
}

impl Connection {
    /// A connection with nothing set yet (pending, version 0): what a new one starts from.
    pub fn empty(connection_id: &str, organization_id: &str, sp: &ServiceProvider) -> Connection {
        Connection {
            connection_id: connection_id.to_owned(),
            organization_id: organization_id.to_owned(),
            display_name: String::new(),
            identity_provider: IdentityProvider::Generic,
            auth_provider: None,
            status: Status::Pending,
            idp_entity_id: String::new(),
            idp_sso_url: String::new(),
            idp_sso_binding: None,
            idp_sso_post_url: None,
            idp_sso_redirect_url: None,
            idp_slo_url: None,
            acs_url: sp.acs_url.clone(),
            audience_uri: sp.audience_uri.clone(),
            alternative_audience_uri: String::new(),
            alternative_acs_url: String::new(),
            attribute_mapping: Default::default(),
            verification_certificates: vec![],
            signing_certificates: vec![],
            encryption_private_keys: vec![],
            saml_connection_implicit_role_assignments: vec![],
            saml_group_implicit_role_assignments: vec![],
            nameid_format: String::new(),
            idp_initiated_auth_disabled: false,
            allow_gateway_callback: false,
            authn_context: None,
            include_authn_context: false,
            group_sync_enabled: false,
            jit_provisioning: None,
            mapping_attribute: None,
            enabled: true,
            bypass_idp: false,
            saml_encryption_private_key: None,
            signing_private_key: None,
            version: 0,
        }
    }

    /// The connection a valid draft describes, as `old`'s next version: certificates
    /// already on `old` keep their ids, new ones get `new_id()`, keys become summaries.
    pub fn build(
        old: &Connection,
        draft: &Draft,
        report: &crate::validate::Report,
        now: crate::time::Timestamp,
        mut new_id: impl FnMut() -> String,
    ) -> Connection {
        let now_iso = now.to_iso();
        let mut certificates: Vec<VerificationCertificate> = old
            .verification_certificates
            .iter()
            .filter(|c| {
                draft
                    .verification_certificates
                    .iter()
                    .any(|d| d.certificate_id.as_deref() == Some(c.certificate_id.as_str()))
            })
            .cloned()
            .collect();
        let new_certificates = draft.x509_certificate.iter().chain(
            draft
                .verification_certificates
                .iter()
                .filter(|c| c.certificate_id.is_none())
                .map(|c| &c.certificate),
        );
        for text in new_certificates {
            if let Some(facts) = text.facts()
                && !certificates
                    .iter()
                    .any(|c| c.sha256_fingerprint == facts.sha256_fingerprint)
            {
                let id = new_id();
                certificates.push(VerificationCertificate::from_facts(id, now_iso.clone(), facts));
            }
        }
        let signing_certificates = match (&draft.signing_private_key, &draft.signing_certificate) {
            (Some(_), Some(cert)) => crate::x509::inspect(cert, now)
                .certificate()
                .map(|f| {
                    vec![VerificationCertificate::from_facts(
                        "saml-signing-key".into(),
                        now_iso.clone(),
                        f,
                    )]
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let summary = |k: &Option<crate::keys::PrivateKeyFacts>| {
            k.as_ref().map(|k| KeySummary {
                format: k.format.clone(),
                bits: k.bits,
                public_key_sha256: k.public_key_sha256.clone(),
            })
        };
        let text = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or_default().to_owned();
        let saml_encryption_private_key = summary(&report.saml_encryption_private_key);
        let encryption_private_keys = saml_encryption_private_key
            .iter()
            .map(|key| {
                let private_key_id = EncryptionPrivateKey::id_of(key);
                let created_at = old
                    .encryption_private_keys
                    .iter()
                    .find(|k| k.private_key_id == private_key_id)
                    .map_or_else(|| now_iso.clone(), |k| k.created_at.clone());
                EncryptionPrivateKey {
                    private_key_id,
                    private_key: MASKED_KEY.to_owned(),
                    created_at,
                }
            })
            .collect();
        Connection {
            connection_id: old.connection_id.clone(),
            organization_id: old.organization_id.clone(),
            display_name: text(&draft.display_name),
            identity_provider: draft
                .identity_provider
                .as_deref()
                .and_then(IdentityProvider::parse)
                .unwrap_or(IdentityProvider::Generic),
            auth_provider: draft.auth_provider.clone(),
            status: report.status,
            idp_entity_id: text(&draft.idp_entity_id),
            idp_sso_url: text(&draft.idp_sso_url),
            idp_sso_binding: draft.idp_sso_binding.clone(),
            idp_sso_post_url: draft.idp_sso_post_url.clone(),
            idp_sso_redirect_url: draft.idp_sso_redirect_url.clone(),
            idp_slo_url: draft.idp_slo_url.clone(),
            acs_url: old.acs_url.clone(),
            audience_uri: old.audience_uri.clone(),
            alternative_audience_uri: text(&draft.alternative_audience_uri),
            alternative_acs_url: text(&draft.alternative_acs_url),
            attribute_mapping: draft.attribute_mapping.clone().unwrap_or_default(),
            verification_certificates: certificates,
            signing_certificates,
            encryption_private_keys,
            saml_connection_implicit_role_assignments: draft.saml_connection_implicit_role_assignments.clone(),
            saml_group_implicit_role_assignments: draft.saml_group_implicit_role_assignments.clone(),
            nameid_format: text(&draft.nameid_format),
            idp_initiated_auth_disabled: draft.idp_initiated_auth_disabled.unwrap_or(false),
            allow_gateway_callback: draft.allow_gateway_callback.unwrap_or(false),
            authn_context: draft.authn_context.clone(),
            include_authn_context: draft.include_authn_context.unwrap_or(false),
            group_sync_enabled: draft.group_sync_enabled.unwrap_or(false),
            jit_provisioning: draft.jit_provisioning.clone(),
            mapping_attribute: draft.mapping_attribute.clone(),
            enabled: draft.enabled.unwrap_or(true),
            bypass_idp: draft.bypass_idp.unwrap_or(false),
            saml_encryption_private_key,
            signing_private_key: summary(&report.signing_private_key),
            version: old.version + 1,
        }
    }

    /// The stored connection as a draft, to validate an update against.
    /// Keys are write-only and not in the connection; callers add them.
    pub fn draft(&self) -> Draft {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        Draft {
            display_name: Some(self.display_name.clone()),
            identity_provider: Some(self.identity_provider.as_str().to_owned()),
            auth_provider: self.auth_provider.clone(),
            idp_entity_id: opt(&self.idp_entity_id),
            idp_sso_url: opt(&self.idp_sso_url),
            idp_sso_binding: self.idp_sso_binding.clone(),
            idp_sso_post_url: self.idp_sso_post_url.clone(),
            idp_sso_redirect_url: self.idp_sso_redirect_url.clone(),
            idp_slo_url: self.idp_slo_url.clone(),
            x509_certificate: None,
            verification_certificates: self
                .verification_certificates
                .iter()
                .map(|c| CertificateInput {
                    certificate_id: Some(c.certificate_id.clone()),
                    certificate: c.certificate.as_str().into(),
                })
                .collect(),
            attribute_mapping: (!self.attribute_mapping.is_empty()).then(|| self.attribute_mapping.clone()),
            saml_connection_implicit_role_assignments: self.saml_connection_implicit_role_assignments.clone(),
            saml_group_implicit_role_assignments: self.saml_group_implicit_role_assignments.clone(),
            saml_encryption_private_key: None,
            saml_encryption_certificate: None,
            signing_private_key: None,
            signing_certificate: None,
            nameid_format: opt(&self.nameid_format),
            alternative_audience_uri: opt(&self.alternative_audience_uri),
            alternative_acs_url: opt(&self.alternative_acs_url),
            idp_initiated_auth_disabled: Some(self.idp_initiated_auth_disabled),
            allow_gateway_callback: Some(self.allow_gateway_callback),
            authn_context: self.authn_context.clone(),
            include_authn_context: Some(self.include_authn_context),
            group_sync_enabled: Some(self.group_sync_enabled),
            jit_provisioning: self.jit_provisioning.clone(),
            mapping_attribute: self.mapping_attribute.clone(),
            enabled: Some(self.enabled),
            bypass_idp: Some(self.bypass_idp),
        }
    }
}

/// This service provider's values for one connection: what the admin gives the IdP.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServiceProvider {
    pub acs_url: String,
    pub audience_uri: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_providers_round_trip_by_name() {
        for p in IdentityProvider::ALL {
            assert_eq!(IdentityProvider::parse(p.as_str()), Some(p));
            assert_eq!(serde_json::to_value(p).unwrap(), p.as_str());
        }
        assert_eq!(IdentityProvider::parse("adfs"), None);
    }

    #[test]
    fn draft_json_uses_api_names_and_omits_absent_fields() {
        let draft: Draft = serde_json::from_str(
            r#"{"idp_sso_url":"https://idp.example.com/sso","attribute_mapping":{"email":"mail"}}"#,
        )
        .unwrap();
        assert_eq!(draft.idp_sso_url.as_deref(), Some("https://idp.example.com/sso"));
        let back = serde_json::to_value(&draft).unwrap();
        assert_eq!(back.as_object().unwrap().len(), 2);
    }
}
