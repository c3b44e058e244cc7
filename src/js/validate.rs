//! `validate.*`: offline checks, no network.

use super::{now_or_clock, to_js};
use crate::keys::{self, KeyFormat};
use crate::model::{Draft, ServiceProvider};
use crate::validate::{self, Context};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
// The core's types (Issue, CertificateReport, ConnectionReport, Draft, MetadataReport, ...)
// are generated from the Rust types at build time (examples/ts_types.rs) and
// appended to the package's .d.ts; only what exists in JS alone is written here.
const TS_TYPES: &str = r#"
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
    from_js(value)
}

/// A JS value as `T`, read from its JSON like every typed input.
fn from_js<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    let value = super::json_from_js(&value).map_err(|e| JsValue::from_str(&e))?;
    crate::json::read(&value).map_err(|e| JsValue::from_str(&e.to_string()))
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
        let draft: Draft = from_js(draft)?;
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
        let mapping: std::collections::BTreeMap<String, String> = from_js(mapping)?;
        let group_roles = opts
            .and_then(|o| js_sys::Reflect::get(&o.into(), &JsValue::from_str("groupRoles")).ok())
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        to_js(&validate::check_attribute_mapping(&mapping, group_roles))
    }
}
