//! `validate.*`: offline checks, no network.

use super::{now_or_clock, to_js};
use crate::keys::{self, KeyFormat};
use crate::model::{Draft, ServiceProvider};
use crate::validate::{self, Context};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_ISSUE_CODE: &str = crate::issue::TS_CODE_UNION;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
export type Severity = "error" | "warning";
export interface Issue { code: IssueCode; path: string; severity: Severity; message: string; }
export interface CertificateFacts {
  sha256_fingerprint: string; sha1_fingerprint: string; subject: string; subject_cn: string | null;
  issuer: string; issuer_cn: string | null; self_issued: boolean; serial_hex: string;
  not_before: string; not_after: string; not_before_unix: number; not_after_unix: number;
  public_key_algorithm: string; public_key_size: number; ec_curve: string | null;
  signature_algorithm: string; signature_algorithm_oid: string; signature_hash: string; pem: string;
}
export interface CertificateReport { certificates: CertificateFacts[]; issues: Issue[]; }
export interface PrivateKeyFacts { format: "pkcs1" | "pkcs8"; algorithm: string; bits: number; public_key_sha256: string; }
export interface PrivateKeyReport { key: PrivateKeyFacts | null; issues: Issue[]; }
export type Missing = "idp_sso_url" | "attribute_mapping" | "idp_entity_id" | "x509_certificate";
export interface ConnectionReport {
  status: "active" | "pending"; missing: Missing[]; issues: Issue[]; certificates: CertificateFacts[];
  saml_encryption_private_key: PrivateKeyFacts | null; signing_private_key: PrivateKeyFacts | null;
}
export interface Draft {
  display_name?: string; identity_provider?: string; idp_entity_id?: string; idp_sso_url?: string;
  idp_sso_binding?: "HTTP-Redirect" | "HTTP-POST"; idp_sso_post_url?: string; idp_sso_redirect_url?: string;
  idp_slo_url?: string; x509_certificate?: string;
  verification_certificates?: { certificate_id?: string; certificate: string }[];
  attribute_mapping?: Record<string, string>;
  saml_connection_implicit_role_assignments?: { role_id: string }[];
  saml_group_implicit_role_assignments?: { role_id: string; group: string }[];
  saml_encryption_private_key?: string; saml_encryption_certificate?: string;
  signing_private_key?: string; signing_certificate?: string; nameid_format?: string;
  alternative_audience_uri?: string; alternative_acs_url?: string; idp_initiated_auth_disabled?: boolean;
  allow_gateway_callback?: boolean;
  auth_provider?: string; authn_context?: string; include_authn_context?: boolean; group_sync_enabled?: boolean;
  jit_provisioning?: JitProvisioning; mapping_attribute?: string; enabled?: boolean; bypass_idp?: boolean;
}
/** Just-in-time provisioning (SailPoint's `jitConfiguration`). */
export interface JitProvisioning { enabled?: boolean; source_id?: string; source_attribute_mappings?: Record<string, string>; }
export interface MetadataReport {
  import: { idp_entity_ids: string[]; draft: Draft | null; sso_choice: { binding: string; location: string; reason: string } | null; issues: Issue[] };
  report: ConnectionReport | null;
  issues: Issue[];
}
export interface CheckOptions { now?: number; serviceProvider?: { acs_url: string; audience_uri: string }; entityId?: string; }
"#;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CheckOptions {
    now: Option<f64>,
    service_provider: Option<ServiceProvider>,
    entity_id: Option<String>,
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "CheckOptions")]
    pub type CheckOptionsArg;
    #[wasm_bindgen(typescript_type = "{ groupRoles?: boolean }")]
    pub type MappingOptionsArg;
}

fn options(value: Option<CheckOptionsArg>) -> Result<CheckOptions, JsValue> {
    let Some(value) = value.map(JsValue::from).filter(|v| !v.is_undefined() && !v.is_null()) else {
        return Ok(CheckOptions::default());
    };
    serde_wasm_bindgen::from_value(value).map_err(|e| JsValue::from_str(&e.to_string()))
}

/// A file's contents as JS hands them over: text, or bytes (a `File`'s `arrayBuffer()`).
enum Input {
    Text(String),
    Bytes(Vec<u8>),
}

fn text_or_bytes(value: JsValue) -> Result<Input, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(Input::Text(text));
    }
    if value.is_instance_of::<js_sys::Uint8Array>() || value.is_instance_of::<js_sys::ArrayBuffer>() {
        return Ok(Input::Bytes(js_sys::Uint8Array::new(&value).to_vec()));
    }
    Err(super::error::usage(
        "Pass the text (a string) or the file's bytes (a Uint8Array or an ArrayBuffer).",
    ))
}

fn context(opts: &CheckOptions) -> Context {
    Context {
        now: now_or_clock(opts.now),
        service_provider: opts.service_provider.clone(),
    }
}

/// `validate`: offline checks with the core, no network. (A class of static
/// methods, so that JS reads `validate.certificate(pem)`.)
#[wasm_bindgen(js_name = validate)]
pub struct Validate;

#[wasm_bindgen(js_class = validate)]
impl Validate {
    /// Inspects one certificate field: facts and issues.
    ///
    /// ```ts
    /// const { certificates, issues } = validate.certificate(pem, { now: Date.now() });
    /// ```
    #[wasm_bindgen(js_name = certificate, unchecked_return_type = "CertificateReport")]
    pub fn certificate(
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] input: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CheckOptions")] opts: Option<CheckOptionsArg>,
    ) -> Result<JsValue, JsValue> {
        let opts = options(opts)?;
        let ctx = context(&opts);
        match text_or_bytes(input)? {
            Input::Text(pem) => to_js(&validate::certificate(&pem, &ctx)),
            Input::Bytes(bytes) => to_js(&validate::certificate_bytes(&bytes, &ctx)),
        }
    }

    /// Inspects a private key without ever returning it. `format` is `"pkcs1"` for
    /// `saml_encryption_private_key`, anything else accepts PKCS#8 too.
    ///
    /// ```ts
    /// const { key, issues } = validate.privateKey(pem, "pkcs1");
    /// ```
    #[wasm_bindgen(js_name = privateKey, unchecked_return_type = "PrivateKeyReport")]
    pub fn private_key(pem: &str, format: Option<String>, certificate: Option<String>) -> Result<JsValue, JsValue> {
        let format = if format.as_deref() == Some("pkcs1") {
            KeyFormat::Pkcs1Only
        } else {
            KeyFormat::Pkcs1OrPkcs8
        };
        to_js(&keys::inspect(pem, format, certificate.as_deref()))
    }

    /// Turns IdP metadata into a draft and validates it.
    ///
    /// ```ts
    /// const { import: { draft }, issues } = validate.metadata(xml);
    /// ```
    #[wasm_bindgen(js_name = metadata, unchecked_return_type = "MetadataReport")]
    pub fn metadata(
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] input: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CheckOptions")] opts: Option<CheckOptionsArg>,
    ) -> Result<JsValue, JsValue> {
        let opts = options(opts)?;
        let (ctx, entity_id) = (context(&opts), opts.entity_id.as_deref());
        match text_or_bytes(input)? {
            Input::Text(xml) => to_js(&validate::metadata(&xml, entity_id, &ctx)),
            Input::Bytes(bytes) => to_js(&validate::metadata_bytes(&bytes, entity_id, &ctx)),
        }
    }

    /// Validates a whole draft connection: status, what is missing, every issue.
    ///
    /// ```ts
    /// const { status, missing, issues } = validate.connection({ idp_sso_url, idp_entity_id, x509_certificate });
    /// ```
    #[wasm_bindgen(js_name = connection, unchecked_return_type = "ConnectionReport")]
    pub fn connection(
        #[wasm_bindgen(unchecked_param_type = "Draft")] draft: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CheckOptions")] opts: Option<CheckOptionsArg>,
    ) -> Result<JsValue, JsValue> {
        let opts = options(opts)?;
        let draft: Draft = serde_wasm_bindgen::from_value(draft).map_err(|e| JsValue::from_str(&e.to_string()))?;
        to_js(&validate::connection(&draft, &context(&opts)))
    }

    /// Checks an attribute mapping on its own (the panel's mapping editor).
    ///
    /// ```ts
    /// const issues = validate.attributeMapping({ email: "mail" }, { groupRoles: true });
    /// ```
    #[wasm_bindgen(js_name = attributeMapping, unchecked_return_type = "Issue[]")]
    pub fn attribute_mapping(
        #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] mapping: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ groupRoles?: boolean }")] opts: Option<MappingOptionsArg>,
    ) -> Result<JsValue, JsValue> {
        let mapping: std::collections::BTreeMap<String, String> =
            serde_wasm_bindgen::from_value(mapping).map_err(|e| JsValue::from_str(&e.to_string()))?;
        let group_roles = opts
            .and_then(|o| js_sys::Reflect::get(&o.into(), &JsValue::from_str("groupRoles")).ok())
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        to_js(&validate::check_attribute_mapping(&mapping, group_roles))
    }
}
