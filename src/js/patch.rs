//! `patch.*`: RFC 6902 JSON Patch, offline.

use super::{error, json_arg, to_js};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_PATCH: &str = r#"
export type JsonPatchOperation =
  | { op: "add" | "replace" | "test"; path: string; value: unknown }
  | { op: "remove"; path: string }
  | { op: "move" | "copy"; from: string; path: string };
"#;

/// `patch`: RFC 6902 JSON Patch (a class of static methods: `patch.diff(a, b)`).
#[wasm_bindgen(js_name = patch)]
pub struct Patch;

#[wasm_bindgen(js_class = patch)]
impl Patch {
    /// The minimal operations that turn `before` into `after`.
    ///
    /// ```ts
    /// const ops = patch.diff(saved, edited);   // [{ op: "replace", path: "/idp_sso_url", value: "https://…" }]
    /// ```
    #[wasm_bindgen(unchecked_return_type = "JsonPatchOperation[]")]
    pub fn diff(
        #[wasm_bindgen(unchecked_param_type = "unknown")] before: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] after: JsValue,
    ) -> Result<JsValue, JsValue> {
        to_js(&crate::patch::diff(&json_arg(before)?, &json_arg(after)?))
    }

    /// Applies a patch to a copy of `doc`: all of it, or nothing (then it throws a
    /// `SamlkitError` whose issue names the failing operation's path).
    ///
    /// ```ts
    /// const next = patch.apply(doc, [{ op: "test", path: "/version", value: 3 }, { op: "replace", path: "/display_name", value: "Okta" }]);
    /// ```
    #[wasm_bindgen(unchecked_return_type = "unknown")]
    pub fn apply(
        #[wasm_bindgen(unchecked_param_type = "unknown")] doc: JsValue,
        #[wasm_bindgen(unchecked_param_type = "JsonPatchOperation[]")] ops: JsValue,
    ) -> Result<JsValue, JsValue> {
        let result = crate::patch::apply(&json_arg(doc)?, &json_arg(ops)?).map_err(|issue| error::invalid(&[issue]))?;
        to_js(&result)
    }
}
