//! Infisical's SAML SSO config: `POST`/`PATCH /api/v1/sso/config` (seeds 000, 001).
//!
//! One config per organization. `entryPoint` is the IdP SSO URL, `issuer` its
//! entity ID, `cert` its one signing certificate, `isActive` the on/off switch,
//! `authProvider` the IdP product (`auth0-saml` has no identity_provider of its
//! own: it is kept as `generic` with the name beside it, so nothing is lost).

use super::{replace_certificates, unsupported, uuid_part};
use crate::field::Field;
use crate::issue::{Code, Issue, pointer};
use crate::model::{CertText, Connection, Draft, IdentityProvider, ServiceProvider, VerificationCertificate};
use crate::time::Timestamp;
use crate::validate::{self, Context};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Infisical's `authProvider` values and the identity providers they name.
pub const AUTH_PROVIDERS: [(&str, IdentityProvider); 6] = [
    ("okta-saml", IdentityProvider::Okta),
    ("azure-saml", IdentityProvider::MicrosoftEntra),
    ("jumpcloud-saml", IdentityProvider::Jumpcloud),
    ("google-saml", IdentityProvider::GoogleWorkspace),
    ("keycloak-saml", IdentityProvider::Keycloak),
    ("auth0-saml", IdentityProvider::Generic),
];

/// The seed's properties; creating requires all but the last (`enableGroupSync`).
const FIELDS: [&str; 7] = [
    "organizationId",
    "authProvider",
    "isActive",
    "entryPoint",
    "issuer",
    "cert",
    "enableGroupSync",
];
const REQUIRED_ON_CREATE: &[&str] = FIELDS.split_at(FIELDS.len() - 1).0;

/// A create or update request, checked against the seed's schema.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigRequest {
    pub organization_id: String,
    #[serde(default)]
    pub auth_provider: Option<String>,
    #[serde(default)]
    pub is_active: Option<bool>,
    #[serde(default)]
    pub entry_point: Option<String>,
    #[serde(default)]
    pub issuer: Option<String>,
    #[serde(default)]
    pub cert: Option<String>,
    #[serde(default)]
    pub enable_group_sync: Option<bool>,
}

/// The request as the seed's schema allows it (`additionalProperties: false`,
/// the types, the enum, the required fields). Every violation is an issue at
/// its property; Infisical answers them with 422.
pub fn parse(body: &Value, create: bool) -> Result<ConfigRequest, Vec<Issue>> {
    let Some(object) = body.as_object() else {
        return Err(vec![Issue::with_message(
            Code::RequestInvalid,
            "",
            "Expected a JSON object.",
        )]);
    };
    let mut issues = Vec::new();
    for (key, value) in object {
        let at = pointer("", key);
        let expected = match key.as_str() {
            "isActive" | "enableGroupSync" => "boolean",
            k if FIELDS.contains(&k) => "string",
            _ => {
                issues.push(Issue::with_message(
                    Code::RequestInvalid,
                    at,
                    format!("Unrecognized key {key:?}."),
                ));
                continue;
            }
        };
        let fits = match expected {
            "boolean" => value.is_boolean(),
            _ => value.is_string(),
        };
        if !fits {
            issues.push(Issue::with_message(
                Code::RequestInvalid,
                at,
                format!("Expected {expected}."),
            ));
        } else if key == "authProvider" && !AUTH_PROVIDERS.iter().any(|(n, _)| Some(*n) == value.as_str()) {
            let names: Vec<&str> = AUTH_PROVIDERS.iter().map(|(n, _)| *n).collect();
            issues.push(Issue::with_message(
                Code::RequestInvalid,
                at,
                format!("Expected one of {}.", names.join(", ")),
            ));
        }
    }
    let required: &[&str] = if create {
        REQUIRED_ON_CREATE
    } else {
        &["organizationId"]
    };
    for key in required {
        if !object.contains_key(*key) {
            issues.push(Issue::with_message(Code::Required, pointer("", key), "Required."));
        }
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    crate::update::from_json(body.clone())
}

/// The IdP product an `authProvider` names.
pub fn identity_provider(auth_provider: &str) -> Option<IdentityProvider> {
    AUTH_PROVIDERS
        .iter()
        .find(|(n, _)| *n == auth_provider)
        .map(|(_, p)| *p)
}

/// The connection's `authProvider`: Infisical's name when it has one, else the native name.
pub fn auth_provider(c: &Connection) -> String {
    if c.identity_provider == IdentityProvider::Generic
        && let Some(name) = c.auth_provider.as_deref().filter(|n| identity_provider(n).is_some())
    {
        return name.to_owned();
    }
    AUTH_PROVIDERS
        .iter()
        .find(|(n, p)| *p == c.identity_provider && *n != "auth0-saml")
        .map(|(n, _)| (*n).to_owned())
        .unwrap_or_else(|| c.identity_provider.as_str().to_owned())
}

/// Lays a request over the stored draft. `cert` replaces the certificates (Infisical
/// keeps one); the same certificate sent again keeps its id.
pub fn apply(base: &Draft, stored: &[VerificationCertificate], request: &ConfigRequest) -> Draft {
    let mut draft = base.clone();
    if let Some(name) = &request.auth_provider {
        draft.identity_provider = identity_provider(name).map(|p| p.as_str().to_owned());
        draft.auth_provider = Some(name.clone());
    }
    if let Some(on) = request.is_active {
        draft.enabled = Some(on);
    }
    if let Some(url) = &request.entry_point {
        draft.idp_sso_url = Some(url.clone());
    }
    if let Some(issuer) = &request.issuer {
        draft.idp_entity_id = Some(issuer.clone());
    }
    if let Some(cert) = &request.cert {
        replace_certificates(&mut draft, vec![cert.as_str().into()], stored);
    }
    if let Some(sync) = request.enable_group_sync {
        draft.group_sync_enabled = Some(sync);
    }
    draft
}

/// Native fields and Infisical's members for them: both directions (issue
/// paths, update bodies) come from this table. Reading an Infisical member
/// gives the first field that names it.
const NATIVE: &[(Field, &str)] = &[
    (Field::IdpSsoUrl, "entryPoint"),
    (Field::IdpEntityId, "issuer"),
    (Field::X509Certificate, "cert"),
    (Field::IdentityProvider, "authProvider"),
    (Field::AuthProvider, "authProvider"),
    (Field::Enabled, "isActive"),
    (Field::GroupSyncEnabled, "enableGroupSync"),
];

/// Infisical's member for a native field.
fn member(field: Field) -> Option<&'static str> {
    NATIVE.iter().find(|(f, _)| *f == field).map(|(_, m)| *m)
}

/// Where a native field is in Infisical's request (issue paths in `details`).
pub fn field_path(native: &str) -> String {
    let (head, rest) = super::split_head(native);
    match Field::parse(head) {
        // `/verification_certificates/0/certificate/...` → `/cert/...`
        Some(Field::VerificationCertificates) => {
            let tail = rest.splitn(4, '/').nth(3).map(|t| format!("/{t}")).unwrap_or_default();
            format!("/cert{tail}")
        }
        Some(field) => match member(field) {
            Some(name) => format!("/{name}{rest}"),
            None => native.to_owned(),
        },
        None => native.to_owned(),
    }
}

/// The answer to a create or update (the seed's 200 schema, exactly).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConfigResponse {
    pub id: String,
    pub org_id: String,
    pub is_active: bool,
    pub last_used: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub auth_provider: String,
}

/// The config as `GET /api/v1/sso/config` returns it: the above and its settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConfigView {
    #[serde(flatten)]
    pub config: ConfigResponse,
    pub entry_point: String,
    pub issuer: String,
    pub cert: String,
    pub enable_group_sync: bool,
    /// This SP's ACS URL, for the admin to give the IdP (samlkit's addition).
    pub sp_acs_url: String,
    /// This SP's entity ID / audience (samlkit's addition).
    pub sp_entity_id: String,
}

impl ConfigView {
    pub fn new(c: &Connection, created_at: &str, updated_at: &str) -> ConfigView {
        ConfigView {
            config: ConfigResponse {
                id: uuid_part(&c.connection_id).to_owned(),
                org_id: uuid_part(&c.organization_id).to_owned(),
                is_active: c.enabled,
                last_used: None,
                created_at: created_at.to_owned(),
                updated_at: updated_at.to_owned(),
                auth_provider: auth_provider(c),
            },
            entry_point: c.idp_sso_url.clone(),
            issuer: c.idp_entity_id.clone(),
            cert: c
                .verification_certificates
                .first()
                .map(|v| v.certificate.clone())
                .unwrap_or_default(),
            enable_group_sync: c.group_sync_enabled,
            sp_acs_url: c.acs_url.clone(),
            sp_entity_id: c.audience_uri.clone(),
        }
    }

    /// The connection this config describes, judged by the core (for the SDK).
    pub fn connection(&self, now: Timestamp) -> Connection {
        let auth = &self.config.auth_provider;
        let sp = ServiceProvider {
            acs_url: self.sp_acs_url.clone(),
            audience_uri: self.sp_entity_id.clone(),
        };
        let empty = Connection::empty(
            &format!("saml-connection-{}", self.config.id),
            &format!("organization-{}", self.config.org_id),
            &sp,
        );
        let non_empty = |s: &str| (!s.trim().is_empty()).then(|| s.to_owned());
        let draft = Draft {
            identity_provider: identity_provider(auth)
                .or_else(|| IdentityProvider::parse(auth))
                .map(|p| p.as_str().to_owned()),
            auth_provider: identity_provider(auth).map(|_| auth.clone()),
            idp_entity_id: non_empty(&self.issuer),
            idp_sso_url: non_empty(&self.entry_point),
            x509_certificate: non_empty(&self.cert).map(CertText::from),
            enabled: Some(self.config.is_active),
            group_sync_enabled: Some(self.enable_group_sync),
            ..Draft::default()
        };
        let report = validate::connection(
            &draft,
            &Context {
                now,
                service_provider: Some(sp),
            },
        );
        let mut connection = Connection::build(&empty, &draft, &report, now, || "infisical-certificate".into());
        connection.version = 0;
        connection
    }
}

/// `updateConnection` parameters as Infisical's `PATCH` body. Fields Infisical
/// has no place for, or cannot clear, are refused at their paths.
pub fn request_from_update(update: &Value, organization_id: &str) -> Result<Value, Vec<Issue>> {
    let Some(fields) = update.as_object() else {
        return Err(vec![Issue::new(Code::RequestInvalid, "")]);
    };
    let mut body = Map::new();
    body.insert("organizationId".into(), Value::from(uuid_part(organization_id)));
    let mut issues = Vec::new();
    for (key, value) in fields {
        let at = pointer("", key);
        if key == "connection_id" {
            continue;
        }
        let Some(target) = Field::parse(key).and_then(member) else {
            issues.push(unsupported(&at, "Infisical"));
            continue;
        };
        if value.is_null() {
            issues.push(Issue::with_message(
                Code::DialectFieldUnsupported,
                at,
                "Infisical cannot clear this field; give it a new value.",
            ));
            continue;
        }
        let value = if target == "authProvider" {
            let name = value.as_str().unwrap_or_default();
            let mapped = identity_provider(name).map(|_| name.to_owned()).or_else(|| {
                AUTH_PROVIDERS
                    .iter()
                    .find(|(n, p)| p.as_str() == name && *n != "auth0-saml")
                    .map(|(n, _)| (*n).to_owned())
            });
            match mapped {
                Some(n) => Value::from(n),
                None => {
                    issues.push(Issue::with_message(
                        Code::DialectFieldUnsupported,
                        at,
                        "Infisical supports okta, microsoft-entra, jumpcloud, google-workspace and keycloak (and auth0-saml).",
                    ));
                    continue;
                }
            }
        } else {
            value.clone()
        };
        body.insert(target.into(), value);
    }
    if issues.is_empty() {
        Ok(Value::Object(body))
    } else {
        Err(issues)
    }
}

/// Where an Infisical field is natively (the reverse of [`field_path`]).
pub fn native_path(path: &str) -> String {
    let (head, rest) = super::split_head(path);
    match NATIVE.iter().find(|(_, m)| *m == head) {
        Some((field, _)) => format!("/{}{rest}", field.name()),
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_schema_is_enforced_property_by_property() {
        let e = parse(
            &json!({"organizationId": "o", "authProvider": "ping-saml", "isActive": "yes", "extra": 1}),
            false,
        )
        .unwrap_err();
        let paths: Vec<&str> = e.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["/authProvider", "/extra", "/isActive"]);
        let e = parse(&json!({"organizationId": "o"}), true).unwrap_err();
        assert_eq!(e.len(), 5);
        assert!(parse(&json!({"organizationId": "o", "isActive": false}), false).is_ok());
        assert!(parse(&json!({"organizationId": "o", "entryPoint": null}), false).is_err());
    }

    #[test]
    fn auth0_is_kept_beside_generic() {
        assert_eq!(identity_provider("auth0-saml"), Some(IdentityProvider::Generic));
        assert_eq!(identity_provider("azure-saml"), Some(IdentityProvider::MicrosoftEntra));
        let request = ConfigRequest {
            organization_id: "o".into(),
            auth_provider: Some("auth0-saml".into()),
            ..Default::default()
        };
        let draft = apply(&Draft::default(), &sample().verification_certificates, &request);
        assert_eq!(draft.identity_provider.as_deref(), Some("generic"));
        assert_eq!(draft.auth_provider.as_deref(), Some("auth0-saml"));
    }

    #[test]
    fn sdk_updates_translate_both_ways() {
        let body = request_from_update(
            &json!({"connection_id": "c", "idp_sso_url": "https://idp", "identity_provider": "microsoft-entra", "enabled": false}),
            "organization-769bbb0e-17ae-469f-b8e3-0e1c4e313e3a",
        )
        .unwrap();
        assert_eq!(
            body,
            json!({"organizationId": "769bbb0e-17ae-469f-b8e3-0e1c4e313e3a", "entryPoint": "https://idp",
                   "authProvider": "azure-saml", "isActive": false})
        );
        let e =
            request_from_update(&json!({"attribute_mapping": {}, "identity_provider": "onelogin"}), "o").unwrap_err();
        let paths: Vec<&str> = e.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["/attribute_mapping", "/identity_provider"]);
        for native in [
            "/idp_sso_url",
            "/x509_certificate",
            "/enabled",
            "/attribute_mapping/email",
        ] {
            assert_eq!(native_path(&field_path(native)), native);
        }
    }

    #[test]
    fn issue_paths_name_infisical_fields() {
        assert_eq!(field_path("/idp_sso_url"), "/entryPoint");
        assert_eq!(field_path("/x509_certificate"), "/cert");
        assert_eq!(field_path("/verification_certificates/0/certificate"), "/cert");
        assert_eq!(field_path("/attribute_mapping/email"), "/attribute_mapping/email");
    }

    fn sample() -> Connection {
        serde_json::from_value(json!({
            "connection_id": "saml-connection-8c9c56b3-5f41-4bde-ae95-ca547235103c",
            "organization_id": "organization-769bbb0e-17ae-469f-b8e3-0e1c4e313e3a",
            "display_name": "", "identity_provider": "generic", "status": "pending",
            "idp_entity_id": "", "idp_sso_url": "", "acs_url": "", "audience_uri": "",
            "alternative_audience_uri": "", "attribute_mapping": {}, "verification_certificates": [],
            "signing_certificates": [], "saml_connection_implicit_role_assignments": [],
            "saml_group_implicit_role_assignments": [], "nameid_format": "", "idp_initiated_auth_disabled": false,
            "saml_encryption_private_key": null, "signing_private_key": null, "version": 1
        }))
        .unwrap()
    }
}
