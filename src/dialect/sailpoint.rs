//! SailPoint's service-provider configuration (seed 002): `GET` it, `PATCH` it
//! with RFC 6902 operations. `federationProtocolDetails[0]` is the IdP details,
//! `[1]` this service's own SP details.
//!
//! The patch is applied to the document built from the stored connection; the
//! seed's five rules are checked on the result; what changed in the IdP details
//! is laid over the stored draft, which the core's rules then judge like any other.

use super::replace_certificates;
use crate::field::Field;
use crate::issue::{Code, Issue, pointer};
use crate::model::{Binding, CertText, Connection, Draft, JitProvisioning, ServiceProvider};
use crate::patch::{self, json_equal};
use crate::time::Timestamp;
use crate::validate::{self, Context};
use crate::x509;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub const IDP_ROLE: &str = "SAML_IDP";
pub const SP_ROLE: &str = "SAML_SP";
const DETAILS: &str = "/federationProtocolDetails";
const IDP: &str = "/federationProtocolDetails/0";

/// The configuration as SailPoint shapes it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceProviderConfig {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub bypass_idp: bool,
    /// Computed: the IdP details are complete (entity ID, SSO URL, a certificate).
    #[serde(default)]
    pub saml_configuration_valid: bool,
    /// `[IdpDetails, SpDetails]`.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<ProtocolDetails>))]
    #[serde(default)]
    pub federation_protocol_details: Vec<Value>,
}

/// An element of `federationProtocolDetails` (for the API description: the
/// document keeps them as JSON so that a patch may be checked element by element).
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[serde(untagged)]
#[allow(dead_code, clippy::large_enum_variant)]
pub enum ProtocolDetails {
    Idp(IdpDetails),
    Sp(SpDetails),
}

/// `federationProtocolDetails[0]`. Every member is rendered, `null` when unset (as
/// SailPoint's GET does), so that a first `replace` finds its path.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IdpDetails {
    pub role: String,
    #[serde(default)]
    pub entity_id: Option<String>,
    #[serde(default)]
    pub binding: Option<String>,
    #[serde(default)]
    pub auth_context: Option<String>,
    #[serde(default)]
    pub logout_url: Option<String>,
    #[serde(default)]
    pub include_auth_context: bool,
    #[serde(default)]
    pub name_id: Option<String>,
    #[serde(default)]
    pub jit_configuration: Option<JitConfiguration>,
    /// Base64 DER, no PEM armor.
    #[serde(default)]
    pub cert: Option<String>,
    #[serde(default)]
    pub login_url_post: Option<String>,
    #[serde(default)]
    pub login_url_redirect: Option<String>,
    #[serde(default)]
    pub mapping_attribute: Option<String>,
    /// Derived from `cert`, read-only.
    #[serde(default)]
    pub certificate_expiration_date: Option<String>,
    /// Derived from `cert` (its subject CN), read-only.
    #[serde(default)]
    pub certificate_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JitConfiguration {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    #[serde(default)]
    pub source_attribute_mappings: BTreeMap<String, String>,
}

impl From<&JitProvisioning> for JitConfiguration {
    fn from(j: &JitProvisioning) -> Self {
        JitConfiguration {
            enabled: j.enabled,
            source_id: j.source_id.clone(),
            source_attribute_mappings: j.source_attribute_mappings.clone(),
        }
    }
}

impl From<&JitConfiguration> for JitProvisioning {
    fn from(j: &JitConfiguration) -> Self {
        JitProvisioning {
            enabled: j.enabled,
            source_id: j.source_id.clone(),
            source_attribute_mappings: j.source_attribute_mappings.clone(),
        }
    }
}

/// `federationProtocolDetails[1]`: this service's values, read-only.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SpDetails {
    pub role: String,
    pub entity_id: String,
    pub callback_url: String,
}

fn non_empty(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.to_owned())
}

/// The base64 body of a PEM certificate (SailPoint's `cert`).
fn base64_body(pem: &str) -> String {
    pem.lines().filter(|l| !l.starts_with("-----")).map(str::trim).collect()
}

/// SailPoint's `cert` as PEM; text that already is PEM is kept as it is.
fn as_pem(cert: &str) -> String {
    if cert.contains("-----BEGIN") {
        return cert.to_owned();
    }
    let body: String = cert.chars().filter(|c| !c.is_whitespace()).collect();
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap_or(""))
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

/// The configuration a stored connection shows.
pub fn document(c: &Connection) -> ServiceProviderConfig {
    let post = Binding::is_post(c.idp_sso_binding.as_deref());
    let sso = non_empty(&c.idp_sso_url);
    let first = c.verification_certificates.first();
    let idp = IdpDetails {
        role: IDP_ROLE.into(),
        entity_id: non_empty(&c.idp_entity_id),
        binding: c
            .idp_sso_binding
            .as_deref()
            .map(|b| Binding::parse(b).map_or(b, |x| x.urn()).to_owned()),
        auth_context: c.authn_context.clone(),
        logout_url: c.idp_slo_url.clone(),
        include_auth_context: c.include_authn_context,
        name_id: non_empty(&c.nameid_format),
        jit_configuration: c.jit_provisioning.as_ref().map(JitConfiguration::from),
        cert: first.map(|v| base64_body(&v.certificate)),
        login_url_post: c.idp_sso_post_url.clone().or_else(|| sso.clone().filter(|_| post)),
        login_url_redirect: c.idp_sso_redirect_url.clone().or_else(|| sso.clone().filter(|_| !post)),
        mapping_attribute: c.mapping_attribute.clone(),
        certificate_expiration_date: first.map(|v| v.expires_at.clone()),
        certificate_name: first.map(|v| {
            x509::inspect(&v.certificate, Timestamp(0))
                .certificate()
                .and_then(|f| f.subject_cn.clone())
                .unwrap_or_else(|| v.subject.clone())
        }),
    };
    let sp = SpDetails {
        role: SP_ROLE.into(),
        entity_id: c.audience_uri.clone(),
        callback_url: c.acs_url.clone(),
    };
    ServiceProviderConfig {
        enabled: c.enabled,
        bypass_idp: c.bypass_idp,
        saml_configuration_valid: !c.idp_entity_id.trim().is_empty()
            && !c.idp_sso_url.trim().is_empty()
            && !c.verification_certificates.is_empty(),
        federation_protocol_details: vec![
            serde_json::to_value(idp).unwrap_or_default(),
            serde_json::to_value(sp).unwrap_or_default(),
        ],
    }
}

/// Applies a JSON Patch to the connection's configuration and returns the new
/// draft (`base` is the stored draft, keys included). The seed's rules and the
/// read-only fields are checked here; the core's rules run on the draft after.
pub fn apply_patch(c: &Connection, base: &Draft, operations: &Value) -> Result<Draft, Vec<Issue>> {
    let before = serde_json::to_value(document(c)).unwrap_or_default();
    let after = patch::apply_guarded(&before, operations, patch::Guard::default()).map_err(|i| vec![i])?;
    check_rules(&before, &after)?;
    let config: ServiceProviderConfig = crate::update::from_json(after.clone())?;
    let idp: IdpDetails = crate::update::from_json(after[DETAILS.trim_start_matches('/')][0].clone())
        .map_err(|issues| issues.into_iter().map(|i| i.under(IDP)).collect::<Vec<_>>())?;
    if idp.role != IDP_ROLE {
        return Err(vec![Issue::with_message(
            Code::RequestInvalid,
            format!("{IDP}/role"),
            "federationProtocolDetails/0 is the IdP details (role SAML_IDP).",
        )]);
    }
    let before_config: ServiceProviderConfig = crate::update::from_json(before.clone())?;
    if config.enabled {
        // Unset members are rendered as null: "no details" is nothing but the role set.
        let only_role = after["federationProtocolDetails"][0].as_object().is_some_and(|o| {
            o.iter()
                .all(|(k, v)| k == "role" || v.is_null() || k == "includeAuthContext" && v == false)
        });
        if !before_config.enabled && only_role {
            return Err(vec![Issue::new(Code::SailpointIdpDetailsRequired, IDP)]);
        }
        if idp.entity_id.as_deref().is_none_or(|e| e.trim().is_empty()) {
            return Err(vec![Issue::new(
                Code::SailpointEntityIdRequired,
                format!("{IDP}/entityId"),
            )]);
        }
    }
    Ok(draft_from(c, base, &before, &after, &config, &idp))
}

/// Rules 1 and 2 of the seed, and the derived fields.
fn check_rules(before: &Value, after: &Value) -> Result<(), Vec<Issue>> {
    let details = &after["federationProtocolDetails"];
    if details.as_array().is_none_or(|d| d.len() != 2) {
        return Err(vec![Issue::new(Code::SailpointDetailsCount, DETAILS)]);
    }
    if !json_equal(&details[1], &before["federationProtocolDetails"][1]) {
        return Err(vec![Issue::new(
            Code::SailpointSpDetailsReadOnly,
            format!("{DETAILS}/1"),
        )]);
    }
    let derived = [
        "/samlConfigurationValid",
        "/federationProtocolDetails/0/certificateName",
        "/federationProtocolDetails/0/certificateExpirationDate",
    ];
    for path in derived {
        if after.pointer(path) != before.pointer(path) {
            return Err(vec![Issue::new(Code::DerivedFieldReadOnly, path)]);
        }
    }
    Ok(())
}

/// The stored draft with what the patch changed.
fn draft_from(
    c: &Connection,
    base: &Draft,
    before: &Value,
    after: &Value,
    config: &ServiceProviderConfig,
    idp: &IdpDetails,
) -> Draft {
    let empty = Map::new();
    let old = before["federationProtocolDetails"][0].as_object().unwrap_or(&empty);
    let new = after["federationProtocolDetails"][0].as_object().unwrap_or(&empty);
    let changed = |key: &str| old.get(key) != new.get(key);
    let mut d = base.clone();
    if before["enabled"] != after["enabled"] {
        d.enabled = Some(config.enabled);
    }
    if before["bypassIdp"] != after["bypassIdp"] {
        d.bypass_idp = Some(config.bypass_idp);
    }
    if changed("entityId") {
        d.idp_entity_id = idp.entity_id.clone();
    }
    if changed("binding") || changed("loginUrlPost") || changed("loginUrlRedirect") {
        d.idp_sso_binding = idp.binding.as_deref().map(short_binding);
        d.idp_sso_post_url = idp.login_url_post.clone();
        d.idp_sso_redirect_url = idp.login_url_redirect.clone();
        let post = Binding::is_post(d.idp_sso_binding.as_deref());
        let (preferred, other) = if post {
            (&idp.login_url_post, &idp.login_url_redirect)
        } else {
            (&idp.login_url_redirect, &idp.login_url_post)
        };
        d.idp_sso_url = preferred.clone().or_else(|| other.clone());
    }
    if changed("logoutUrl") {
        d.idp_slo_url = idp.logout_url.clone();
    }
    if changed("nameId") {
        d.nameid_format = idp.name_id.clone();
    }
    if changed("authContext") {
        d.authn_context = idp.auth_context.clone();
    }
    if changed("includeAuthContext") {
        d.include_authn_context = Some(idp.include_auth_context);
    }
    if changed("mappingAttribute") {
        d.mapping_attribute = idp.mapping_attribute.clone();
    }
    if changed("jitConfiguration") {
        d.jit_provisioning = idp.jit_configuration.as_ref().map(JitProvisioning::from);
    }
    if changed("cert") {
        let pems = idp.cert.iter().map(|b| as_pem(b).into()).collect();
        replace_certificates(&mut d, pems, &c.verification_certificates);
    }
    d
}

/// A binding URN by its API name (anything else as it is).
fn short_binding(binding: &str) -> String {
    Binding::from_urn(binding).map_or(binding, |x| x.name()).to_owned()
}

/// The connection a configuration describes, judged by the core (for the SDK).
pub fn connection(config: &ServiceProviderConfig, organization_id: &str, now: Timestamp) -> Connection {
    let details = &config.federation_protocol_details;
    let sp: SpDetails = details
        .get(1)
        .and_then(|v| crate::json::read(v).ok())
        .unwrap_or_default();
    let idp: IdpDetails = details
        .first()
        .and_then(|v| crate::json::read(v).ok())
        .unwrap_or_default();
    let service_provider = ServiceProvider {
        acs_url: sp.callback_url.clone(),
        audience_uri: sp.entity_id.clone(),
    };
    let id = sp.callback_url.rsplit('/').next().unwrap_or_default();
    let empty = Connection::empty(id, organization_id, &service_provider);
    let binding = idp.binding.as_deref().map(short_binding);
    let post = Binding::is_post(binding.as_deref());
    let (preferred, other) = if post {
        (&idp.login_url_post, &idp.login_url_redirect)
    } else {
        (&idp.login_url_redirect, &idp.login_url_post)
    };
    let draft = Draft {
        idp_entity_id: idp.entity_id.clone(),
        idp_sso_binding: binding,
        idp_sso_url: preferred.clone().or_else(|| other.clone()),
        idp_sso_post_url: idp.login_url_post.clone(),
        idp_sso_redirect_url: idp.login_url_redirect.clone(),
        idp_slo_url: idp.logout_url.clone(),
        nameid_format: idp.name_id.clone(),
        authn_context: idp.auth_context.clone(),
        include_authn_context: Some(idp.include_auth_context),
        mapping_attribute: idp.mapping_attribute.clone(),
        jit_provisioning: idp.jit_configuration.as_ref().map(JitProvisioning::from),
        x509_certificate: idp.cert.as_deref().map(as_pem).map(CertText::from),
        enabled: Some(config.enabled),
        bypass_idp: Some(config.bypass_idp),
        ..Draft::default()
    };
    let report = validate::connection(
        &draft,
        &Context {
            now,
            service_provider: Some(service_provider),
        },
    );
    let mut connection = Connection::build(&empty, &draft, &report, now, || "sailpoint-certificate".into());
    connection.version = 0;
    connection
}

/// How a native field's value is written in SailPoint's IdP details.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// As it is.
    Same,
    /// `HTTP-POST` / `HTTP-Redirect` as their binding URNs.
    Binding,
    /// A certificate as the base64 of its DER, without PEM armour.
    Certificate,
    /// JIT provisioning with SailPoint's camelCase members.
    Jit,
}

/// Native fields and SailPoint's members for them, in the IdP details
/// (`/federationProtocolDetails/0/…`): update patches, issue paths and their
/// reverse all come from this table. `idp_sso_url` is the login URL of the
/// connection's binding; reading either login URL gives `idp_sso_url`.
const IDP_MEMBERS: &[(Field, &str, Form)] = &[
    (Field::IdpEntityId, "entityId", Form::Same),
    (Field::IdpSsoBinding, "binding", Form::Binding),
    (Field::IdpSsoPostUrl, "loginUrlPost", Form::Same),
    (Field::IdpSsoRedirectUrl, "loginUrlRedirect", Form::Same),
    (Field::IdpSloUrl, "logoutUrl", Form::Same),
    (Field::NameidFormat, "nameId", Form::Same),
    (Field::AuthnContext, "authContext", Form::Same),
    (Field::IncludeAuthnContext, "includeAuthContext", Form::Same),
    (Field::MappingAttribute, "mappingAttribute", Form::Same),
    (Field::X509Certificate, "cert", Form::Certificate),
    (Field::JitProvisioning, "jitConfiguration", Form::Jit),
];

/// Native fields at the top of SailPoint's configuration.
const TOP_MEMBERS: &[(Field, &str)] = &[(Field::Enabled, "enabled"), (Field::BypassIdp, "bypassIdp")];

/// JIT provisioning's members: native, SailPoint's.
const JIT_MEMBERS: &[(&str, &str)] = &[
    ("source_id", "sourceId"),
    ("source_attribute_mappings", "sourceAttributeMappings"),
];

fn idp_member(field: Field) -> Option<(&'static str, Form)> {
    IDP_MEMBERS
        .iter()
        .find(|(f, ..)| *f == field)
        .map(|(_, m, form)| (*m, *form))
}

/// `tail` (a path below a JIT configuration) with its first member renamed by [`JIT_MEMBERS`].
fn jit_tail(tail: &str, to_sailpoint: bool) -> String {
    for (native, theirs) in JIT_MEMBERS {
        let (from, to) = if to_sailpoint {
            (native, theirs)
        } else {
            (theirs, native)
        };
        if let Some(rest) = tail.strip_prefix(&format!("/{from}"))
            && (rest.is_empty() || rest.starts_with('/'))
        {
            return format!("/{to}{rest}");
        }
    }
    tail.to_owned()
}

/// Where a SailPoint field is natively (the reverse of [`field_path`]).
pub fn native_path(path: &str) -> String {
    if let Some((field, _)) = TOP_MEMBERS.iter().find(|(_, m)| path == format!("/{m}")) {
        return format!("/{}", field.name());
    }
    let Some(rest) = path.strip_prefix("/federationProtocolDetails/0/") else {
        return path.to_owned();
    };
    let (head, tail) = match rest.split_once('/') {
        Some((h, t)) => (h, format!("/{t}")),
        None => (rest, String::new()),
    };
    match IDP_MEMBERS.iter().find(|(_, m, _)| *m == head) {
        Some((Field::IdpSsoPostUrl | Field::IdpSsoRedirectUrl, ..)) => format!("/idp_sso_url{tail}"),
        Some((field, _, Form::Jit)) => format!("/{}{}", field.name(), jit_tail(&tail, false)),
        Some((field, ..)) => format!("/{}{tail}", field.name()),
        None => path.to_owned(),
    }
}

/// Where a native field is in SailPoint's configuration (issue paths).
pub fn field_path(native: &str, draft: &Draft) -> String {
    let (head, rest) = super::split_head(native);
    let post = Binding::is_post(draft.idp_sso_binding.as_deref());
    let idp = |member: &str, rest: &str| format!("{IDP}/{member}{rest}");
    let Some(field) = Field::parse(head) else {
        return native.to_owned();
    };
    if let Some((_, member)) = TOP_MEMBERS.iter().find(|(f, _)| *f == field) {
        return format!("/{member}");
    }
    match field {
        Field::IdpSsoUrl if post => idp("loginUrlPost", &rest),
        Field::IdpSsoUrl => idp("loginUrlRedirect", &rest),
        Field::VerificationCertificates => {
            let tail = rest.splitn(4, '/').nth(3).map(|t| format!("/{t}")).unwrap_or_default();
            idp("cert", &tail)
        }
        _ => match idp_member(field) {
            Some((member, Form::Jit)) => idp(member, &jit_tail(&rest, true)),
            Some((member, _)) => idp(member, &rest),
            None => native.to_owned(),
        },
    }
}

/// Whether SailPoint's configuration can carry a native update field.
fn supported(name: &str) -> bool {
    name == "connection_id"
        || Field::parse(name).is_some_and(|f| {
            f == Field::IdpSsoUrl || idp_member(f).is_some() || TOP_MEMBERS.iter().any(|(t, _)| *t == f)
        })
}

/// The minimal JSON Patch that makes a native update (the SDK's
/// `updateConnection` parameters) on the configuration `current`. Fields
/// SailPoint cannot carry are refused, each at its path.
pub fn patch_for_update(current: &Value, update: &Value) -> Result<Value, Vec<Issue>> {
    let Some(fields) = update.as_object() else {
        return Err(vec![Issue::new(Code::RequestInvalid, "")]);
    };
    let unsupported: Vec<Issue> = fields
        .keys()
        .filter(|k| !supported(k))
        .map(|k| super::unsupported(&pointer("", k), "SailPoint"))
        .collect();
    if !unsupported.is_empty() {
        return Err(unsupported);
    }
    let mut after = current.clone();
    let idp = after
        .pointer_mut("/federationProtocolDetails/0")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| vec![Issue::new(Code::SailpointDetailsCount, DETAILS)])?;
    let post = fields
        .get("idp_sso_binding")
        .and_then(Value::as_str)
        .or_else(|| idp.get("binding").and_then(Value::as_str))
        .is_some_and(|b| b == Binding::Post.urn() || b == Binding::Post.name());
    let mut set = |key: &str, value: Option<Value>| match value {
        Some(Value::Null) | None => {
            idp.remove(key);
        }
        Some(v) => {
            idp.insert(key.to_owned(), v);
        }
    };
    for (name, value) in fields {
        let Some(field) = Field::parse(name) else { continue };
        let (member, form) = match field {
            Field::IdpSsoUrl if post => ("loginUrlPost", Form::Same),
            Field::IdpSsoUrl => ("loginUrlRedirect", Form::Same),
            _ => match idp_member(field) {
                Some(found) => found,
                None => continue,
            },
        };
        let value = match (form, value.as_str().and_then(Binding::parse)) {
            (Form::Binding, Some(binding)) => Value::from(binding.urn()),
            (Form::Certificate, _) if value.is_string() => {
                Value::from(base64_body(&as_pem(value.as_str().unwrap_or_default())))
            }
            (Form::Jit, _) if !value.is_null() => crate::json::read::<JitProvisioning>(value)
                .ok()
                .and_then(|j| serde_json::to_value(JitConfiguration::from(&j)).ok())
                .unwrap_or_else(|| value.clone()),
            _ => value.clone(),
        };
        set(member, Some(value));
    }
    for (field, member) in TOP_MEMBERS {
        if let Some(v) = fields.get(field.name()) {
            after[*member] = v.clone();
        }
    }
    Ok(patch::diff(current, &after))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn connection() -> Connection {
        serde_json::from_value(json!({
            "connection_id": "saml-connection-1", "organization_id": "organization-1",
            "display_name": "", "identity_provider": "generic", "status": "pending",
            "idp_entity_id": "", "idp_sso_url": "", "acs_url": "https://sp.example.com/v1/b2b/sso/callback/saml-connection-1",
            "audience_uri": "https://sp.example.com/v1/b2b/sso/callback/saml-connection-1",
            "alternative_audience_uri": "", "attribute_mapping": {}, "verification_certificates": [],
            "signing_certificates": [], "saml_connection_implicit_role_assignments": [],
            "saml_group_implicit_role_assignments": [], "nameid_format": "", "idp_initiated_auth_disabled": false,
            "enabled": false, "saml_encryption_private_key": null, "signing_private_key": null, "version": 1
        }))
        .unwrap()
    }

    fn refused(ops: Value) -> (Code, String) {
        let c = connection();
        let e = apply_patch(&c, &c.draft(), &ops).unwrap_err();
        (e[0].code, e[0].path.clone())
    }

    #[test]
    fn the_seed_rules_each_have_their_code() {
        let add = json!([{"op": "add", "path": "/federationProtocolDetails/-", "value": {"role": "SAML_IDP"}}]);
        assert_eq!(refused(add).0, Code::SailpointDetailsCount);
        let remove = json!([{"op": "remove", "path": "/federationProtocolDetails/0"}]);
        assert_eq!(refused(remove).0, Code::SailpointDetailsCount);
        let sp =
            json!([{"op": "replace", "path": "/federationProtocolDetails/1/callbackUrl", "value": "https://evil"}]);
        assert_eq!(
            refused(sp),
            (Code::SailpointSpDetailsReadOnly, "/federationProtocolDetails/1".into())
        );
        let enable = json!([{"op": "replace", "path": "/enabled", "value": true}]);
        assert_eq!(refused(enable).0, Code::SailpointIdpDetailsRequired);
        let no_entity = json!([
            {"op": "replace", "path": "/enabled", "value": true},
            {"op": "add", "path": "/federationProtocolDetails/0/loginUrlRedirect", "value": "https://idp.example.com/sso"}
        ]);
        assert_eq!(
            refused(no_entity),
            (
                Code::SailpointEntityIdRequired,
                "/federationProtocolDetails/0/entityId".into()
            )
        );
        let derived = json!([{"op": "replace", "path": "/samlConfigurationValid", "value": true}]);
        assert_eq!(refused(derived).0, Code::DerivedFieldReadOnly);
        let unknown = json!([{"op": "add", "path": "/federationProtocolDetails/0/color", "value": "red"}]);
        assert_eq!(
            refused(unknown),
            (Code::RequestInvalid, "/federationProtocolDetails/0/color".into())
        );
    }

    #[test]
    fn a_patch_changes_only_what_it_names() {
        let c = connection();
        let ops = json!([
            {"op": "add", "path": "/federationProtocolDetails/0/entityId", "value": "https://idp.example.com"},
            {"op": "add", "path": "/federationProtocolDetails/0/binding", "value": Binding::Post.urn()},
            {"op": "add", "path": "/federationProtocolDetails/0/loginUrlPost", "value": "https://idp.example.com/post"},
            {"op": "replace", "path": "/enabled", "value": true}
        ]);
        let d = apply_patch(&c, &c.draft(), &ops).unwrap();
        assert_eq!(d.idp_entity_id.as_deref(), Some("https://idp.example.com"));
        assert_eq!(d.idp_sso_binding.as_deref(), Some("HTTP-POST"));
        assert_eq!(d.idp_sso_url.as_deref(), Some("https://idp.example.com/post"));
        assert_eq!(d.enabled, Some(true));
        assert_eq!(d.nameid_format, None);
    }

    #[test]
    fn a_configuration_reads_back_as_the_connection() {
        let c = connection();
        let ops = json!([
            {"op": "add", "path": "/federationProtocolDetails/0/entityId", "value": "https://idp.example.com"},
            {"op": "add", "path": "/federationProtocolDetails/0/loginUrlRedirect", "value": "https://idp.example.com/sso"},
            {"op": "add", "path": "/federationProtocolDetails/0/jitConfiguration", "value": {"enabled": true}}
        ]);
        let draft = apply_patch(&c, &c.draft(), &ops).unwrap();
        let report = validate::connection(&draft, &Context::at(Timestamp(0)));
        let saved = Connection::build(&c, &draft, &report, Timestamp(0), String::new);
        let read = super::connection(&document(&saved), "organization-1", Timestamp(0));
        assert_eq!(read.connection_id, "saml-connection-1");
        assert_eq!(read.idp_entity_id, "https://idp.example.com");
        assert_eq!(read.idp_sso_url, "https://idp.example.com/sso");
        assert_eq!(read.acs_url, c.acs_url);
        assert_eq!(read.jit_provisioning, saved.jit_provisioning);
        for p in [
            "/idp_entity_id",
            "/jit_provisioning/source_id",
            "/x509_certificate",
            "/bypass_idp",
            "/idp_sso_url",
        ] {
            assert_eq!(native_path(&field_path(p, &Draft::default())), p);
        }
    }

    #[test]
    fn an_sdk_update_becomes_the_minimal_patch() {
        let doc = serde_json::to_value(document(&connection())).unwrap();
        let ops = patch_for_update(
            &doc,
            &json!({"idp_entity_id": "https://idp.example.com", "enabled": true}),
        )
        .unwrap();
        assert_eq!(ops.as_array().unwrap().len(), 2, "{ops}");
        let e = patch_for_update(&doc, &json!({"attribute_mapping": {"email": "mail"}})).unwrap_err();
        assert_eq!(
            (e[0].code, e[0].path.as_str()),
            (Code::DialectFieldUnsupported, "/attribute_mapping")
        );
        assert_eq!(
            field_path("/jit_provisioning/source_id", &Draft::default()),
            "/federationProtocolDetails/0/jitConfiguration/sourceId"
        );
    }
}
