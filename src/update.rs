//! An update request laid over a connection's current draft.
//!
//! The server and the SDK both call [`apply`], so an update is judged on the
//! same merged draft whichever side judges it.

use crate::field::Field;
use crate::issue::{Code, Issue, pointer};
use crate::model::Draft;
use serde_json::Value;

/// Fields a client may never set: ids, the organization, derived values.
pub const IMMUTABLE_FIELDS: &[&str] = &[
    "connection_id",
    "organization_id",
    "verification_certificates",
    "status",
    "acs_url",
    "audience_uri",
];

/// Members of the connection document (as the API returns it) that a JSON Patch
/// may not change: ids, the organization, and what the server derives.
pub const PATCH_IMMUTABLE: &[&str] = &[
    "/connection_id",
    "/organization_id",
    "/status",
    "/acs_url",
    "/audience_uri",
    "/verification_certificates",
    "/signing_certificates",
    "/encryption_private_keys",
    "/version",
];

/// Members a JSON Patch may write but never read (`test`, `copy`, `move`).
pub const PATCH_WRITE_ONLY: &[&str] = &["/saml_encryption_private_key", "/signing_private_key"];

/// The update a JSON Patch of the connection document amounts to: every
/// top-level member it changed (a removed one as `null`), for [`apply`].
pub fn update_from_patch(document: &Value, operations: &Value) -> Result<Value, Vec<Issue>> {
    let guard = crate::patch::Guard {
        write_only: PATCH_WRITE_ONLY,
        immutable: PATCH_IMMUTABLE,
    };
    let patched = crate::patch::apply_guarded(document, operations, guard).map_err(|i| vec![i])?;
    let (Some(before), Some(after)) = (document.as_object(), patched.as_object()) else {
        return Err(vec![Issue::new(Code::PatchInvalid, "")]);
    };
    let mut update = serde_json::Map::new();
    for (key, value) in after {
        if before.get(key) != Some(value) {
            update.insert(key.clone(), value.clone());
        }
    }
    for key in before.keys().filter(|k| !after.contains_key(*k)) {
        update.insert(key.clone(), Value::Null);
    }
    Ok(Value::Object(update))
}

/// What an API response shows in place of a key a client may send back unchanged.
pub fn is_masked(value: &str) -> bool {
    !value.is_empty() && value.chars().all(|c| matches!(c, '*' | '•'))
}

/// Lays `update` (a JSON object of draft fields) over `base`. `null` clears a
/// field; a masked key keeps the stored one; `connection_id` may repeat the
/// connection's own id (the SDK sends it). Problems come back as issues with
/// the offending field's path.
pub fn apply(base: &Draft, update: &Value, connection_id: &str) -> Result<Draft, Vec<Issue>> {
    // Before anything quotes a member's name: a key sent as a name or in another field.
    let misplaced = crate::secret::find_in_json(update, crate::validate::key_text_checked_elsewhere);
    if !misplaced.is_empty() {
        return Err(misplaced);
    }
    let Value::Object(update) = update else {
        return Err(vec![Issue::with_message(
            Code::RequestInvalid,
            "",
            "An update is a JSON object of fields.",
        )]);
    };
    let mut merged = serde_json::to_value(base).unwrap_or_default();
    let target = merged.as_object_mut().expect("a draft serializes to an object");
    for (key, value) in update {
        if key == "connection_id" && value.as_str() == Some(connection_id) {
            continue;
        }
        if IMMUTABLE_FIELDS.contains(&key.as_str()) {
            return Err(vec![Issue::with_message(
                Code::RequestInvalid,
                pointer("", key),
                format!("{key} cannot be changed."),
            )]);
        }
        // Key fields are write-only, and a masked value leaves them as they are.
        let masked = Field::parse(key).is_some_and(Field::is_key) && value.as_str().is_some_and(is_masked);
        match value {
            _ if masked => {}
            Value::Null => {
                target.remove(key);
            }
            value => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
    from_json(merged)
}

/// A draft from JSON; a type error names the field and never quotes the value
/// (a value may be a private key sent to the wrong field).
pub fn from_json<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, Vec<Issue>> {
    crate::json::read(&value).map_err(|error| {
        let message = error.to_string();
        let fails_alike =
            |candidate: &Value| crate::json::read::<T>(candidate).is_err_and(|e| e.to_string() == message);
        vec![locate(&value, fails_alike).unwrap_or_else(|at| shape_error(at, &error))]
    })
}

/// One step down a JSON value: a member's key or an element's index.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Where in `value` a shape error is, found only after it happened, so that a
/// value that deserializes pays nothing (and the wasm build carries no path-
/// tracking deserializer): the deepest member that, alone with its ancestors
/// pruned to the way down to it, still fails `fails_alike` (the same error), in
/// serde's order, so the first bad member of several. A container that fails
/// alike with no member at all (a missing field, say) is the place itself.
/// `Ok` is an issue already made (a member named by private key material);
/// `Err` the pointer to report at.
fn locate(value: &Value, fails_alike: impl Fn(&Value) -> bool) -> Result<Issue, String> {
    // `inner` as the one member or element a container at `step` holds.
    let wrap = |step: &Step, inner: Value| match step {
        Step::Key(k) => Value::Object([((*k).to_owned(), inner)].into_iter().collect()),
        Step::Index(_) => Value::Array(vec![inner]),
    };
    // The candidate: `leaf` at the end of `trail`, every ancestor holding only the way down.
    let prune = |trail: &[Step], leaf: Value| trail.iter().rev().fold(leaf, |inner, step| wrap(step, inner));
    let (mut trail, mut at, mut here) = (Vec::new(), String::new(), value);
    loop {
        let (empty, children): (Value, Vec<(Step, &Value)>) = match here {
            Value::Object(members) => (
                Value::Object(Default::default()),
                members.iter().map(|(k, v)| (Step::Key(k), v)).collect(),
            ),
            Value::Array(items) => (
                Value::Array(Vec::new()),
                items.iter().enumerate().map(|(i, v)| (Step::Index(i), v)).collect(),
            ),
            _ => return Err(at),
        };
        if fails_alike(&prune(&trail, empty)) {
            return Err(at);
        }
        let Some((step, child)) = children
            .into_iter()
            .find(|(step, child)| fails_alike(&prune(&trail, wrap(step, (*child).clone()))))
        else {
            return Err(at);
        };
        match step {
            Step::Key(k) if crate::secret::is_private_key_material(k) => return Ok(crate::secret::misplaced(at)),
            Step::Key(k) => at = pointer(&at, k),
            Step::Index(i) => at.push_str(&format!("/{i}")),
        }
        trail.push(step);
        here = child;
    }
}

/// An issue for a JSON shape error at `at` (a JSON pointer). Its message is
/// serde's, with every quoted span redacted.
pub fn shape_error(at: String, error: &serde_json::Error) -> Issue {
    let full = error.to_string();
    let message = redact_quoted(full.split(" at line ").next().unwrap_or(&full));
    Issue::with_message(Code::RequestInvalid, at, format!("{message}."))
}

/// Replaces every double-quoted span with `"…"`.
fn redact_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut inside = false;
    for c in message.chars() {
        match (c, inside) {
            ('"', false) => {
                out.push_str("\"…");
                inside = true;
            }
            ('"', true) => {
                out.push('"');
                inside = false;
            }
            (_, true) => {}
            (c, false) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The path serde_path_to_error follows to the same error.
    fn oracle<T: serde::de::DeserializeOwned>(value: &Value) -> String {
        let error = serde_path_to_error::deserialize::<_, T>(value).err().expect("an error");
        error.path().iter().fold(String::new(), |at, segment| {
            use serde_path_to_error::Segment;
            match segment {
                Segment::Seq { index } => format!("{at}/{index}"),
                Segment::Map { key } | Segment::Enum { variant: key } => pointer(&at, key),
                Segment::Unknown => at,
            }
        })
    }

    #[test]
    fn shape_errors_are_found_where_serde_path_to_error_finds_them() {
        let role = |role_id: Value| json!({"role_id": role_id, "group": "admins"});
        let cases = [
            json!({"display_name": 5}),
            json!({"display_name": "A", "idp_sso_url": ["x"]}),
            json!({"attribute_mapping": {"email": "mail", "groups": {"a": 1}}}),
            json!({"attribute_mapping": {"a/b~c": 7}}),
            json!({"saml_group_implicit_role_assignments": [role("a".into()), role(json!(1))]}),
            json!({"saml_group_implicit_role_assignments": [role("a".into()), {"group": "g"}]}),
            json!({"saml_connection_implicit_role_assignments": [{"role_id": "r"}, {"role_id": null}]}),
            json!({"saml_connection_implicit_role_assignments": {"role_id": "r"}}),
            json!({"idp_initiated_auth_disabled": "yes", "display_name": 1}),
            json!(5),
            json!("text"),
        ];
        for case in cases {
            let issue = &from_json::<Draft>(case.clone()).unwrap_err()[0];
            assert_eq!(issue.path, oracle::<Draft>(&case), "{case}");
            assert_eq!(issue.code, Code::RequestInvalid);
        }
    }

    #[test]
    fn a_member_named_by_key_material_is_not_named() {
        let key = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----";
        let issue = &from_json::<Draft>(json!({"attribute_mapping": {key: 5}})).unwrap_err()[0];
        assert_eq!(issue.path, "/attribute_mapping");
        assert!(!issue.message.contains("MIIE"));
    }

    fn base() -> Draft {
        Draft {
            display_name: Some("Acme".into()),
            saml_encryption_private_key: Some("KEY".into()),
            ..Draft::default()
        }
    }

    #[test]
    fn null_clears_masked_keeps_value_sets() {
        let d = apply(
            &base(),
            &json!({"display_name": null, "saml_encryption_private_key": "****", "idp_sso_url": "https://x"}),
            "c",
        )
        .unwrap();
        assert_eq!(d.display_name, None);
        assert_eq!(d.saml_encryption_private_key.as_deref(), Some("KEY"));
        assert_eq!(d.idp_sso_url.as_deref(), Some("https://x"));
    }

    #[test]
    fn a_patch_is_the_update_of_what_it_changed() {
        let doc = json!({"connection_id": "c", "display_name": "Acme", "nameid_format": "x",
            "signing_private_key": {"format": "pkcs1", "bits": 2048, "public_key_sha256": "ab"}});
        let ops = json!([
            {"op": "replace", "path": "/display_name", "value": "Beta"},
            {"op": "remove", "path": "/nameid_format"},
            {"op": "add", "path": "/x509_certificate", "value": "PEM"}
        ]);
        let update = update_from_patch(&doc, &ops).unwrap();
        assert_eq!(
            update,
            json!({"display_name": "Beta", "nameid_format": null, "x509_certificate": "PEM"})
        );
        let e = update_from_patch(
            &doc,
            &json!([{"op": "test", "path": "/signing_private_key/bits", "value": 2048}]),
        )
        .unwrap_err();
        assert_eq!(e[0].code, Code::PatchReadsSecret);
        let e = update_from_patch(
            &doc,
            &json!([{"op": "replace", "path": "/connection_id", "value": "d"}]),
        )
        .unwrap_err();
        assert_eq!(e[0].code, Code::PatchImmutablePath);
    }

    #[test]
    fn refusals_name_the_field_and_never_the_value() {
        let e = apply(&base(), &json!({"acs_url": "https://evil"}), "c").unwrap_err();
        assert_eq!(e[0].path, "/acs_url");
        let e = apply(
            &base(),
            &json!({"idp_initiated_auth_disabled": "-----BEGIN RSA PRIVATE KEY-----"}),
            "c",
        )
        .unwrap_err();
        assert_eq!(e[0].path, "/idp_initiated_auth_disabled");
        assert!(!e[0].message.contains("BEGIN"), "{}", e[0].message);
        let e = apply(&base(), &json!({"attribute_mapping": {"email": 5}}), "c").unwrap_err();
        assert_eq!(e[0].path, "/attribute_mapping/email");
        let e = apply(&base(), &json!({"nope": 1}), "c").unwrap_err();
        assert_eq!(e[0].path, "/nope");
        assert!(apply(&base(), &json!({"connection_id": "c"}), "c").is_ok());
        assert!(apply(&base(), &json!({"connection_id": "other"}), "c").is_err());
    }
}
