//! RFC 6902 JSON Patch: apply and diff.
//!
//! Operations are parsed and applied by the `json-patch` crate, with what it
//! gets wrong wrapped here:
//! - `test` compares numbers by value (RFC 6902 §4.6: `1` equals `1.0`); the
//!   crate compares their representations, so `test` is evaluated here;
//! - array indexes must be canonical (`01`, `+1`, `-1`, `1e0` are refused,
//!   RFC 6901 §4); jsonptr parses them leniently;
//! - a patch applies whole or not at all: it runs on a copy.
//!
//! Limits bound the work a patch can ask for.

use crate::issue::{Code, Issue};
use json_patch::PatchOperation;
use serde_json::Value;

/// Connection edits are a handful of operations; this is far beyond any real one.
pub const MAX_PATCH_OPS: usize = 256;
/// The patched document may not grow past what a request may carry.
pub const MAX_PATCHED_BYTES: usize = 1024 * 1024;

/// Parses a patch document (a JSON array of operations).
pub fn parse(patch: &Value) -> Result<Vec<PatchOperation>, Issue> {
    let Some(ops) = patch.as_array() else {
        return Err(Issue::with_message(
            Code::PatchInvalid,
            "",
            "A JSON Patch is an array of operations.",
        ));
    };
    if ops.len() > MAX_PATCH_OPS {
        return Err(Issue::with_message(
            Code::PatchTooLarge,
            "",
            format!(
                "The patch has {} operations; at most {MAX_PATCH_OPS} are accepted.",
                ops.len()
            ),
        ));
    }
    ops.iter()
        .enumerate()
        .map(|(i, op)| {
            serde_json::from_value::<PatchOperation>(op.clone()).map_err(|_| {
                Issue::with_message(
                    Code::PatchInvalid,
                    "",
                    format!(
                        "Operation {i} is not a valid RFC 6902 operation (op, path, and from or value as the op needs)."
                    ),
                )
            })
        })
        .collect()
}

/// Applies a patch to a copy of `doc`: the whole patch or, on any error, nothing.
/// Issues carry the target path of the operation that failed.
pub fn apply(doc: &Value, patch: &Value) -> Result<Value, Issue> {
    let ops = parse(patch)?;
    apply_ops(doc, &ops)
}

/// Applies parsed operations to a copy of `doc`.
pub fn apply_ops(doc: &Value, ops: &[PatchOperation]) -> Result<Value, Issue> {
    let mut work = doc.clone();
    for (i, op) in ops.iter().enumerate() {
        let target = op.path().to_string();
        check_indexes(&work, op)?;
        match op {
            PatchOperation::Test(t) => {
                let actual = t.path.resolve(&work).ok();
                if !actual.is_some_and(|a| json_equal(a, &t.value)) {
                    return Err(Issue::with_message(
                        Code::PatchTestFailed,
                        target,
                        format!("Operation {i} (test) failed: the value differs; nothing was changed."),
                    ));
                }
            }
            _ => json_patch::patch(&mut work, std::slice::from_ref(op)).map_err(|e| {
                Issue::with_message(
                    Code::PatchFailed,
                    target,
                    format!(
                        "Operation {i} ({}) failed: {}; nothing was changed.",
                        op_name(op),
                        e.kind
                    ),
                )
            })?,
        }
    }
    let size = serde_json::to_vec(&work).map(|v| v.len()).unwrap_or(usize::MAX);
    if size > MAX_PATCHED_BYTES {
        return Err(Issue::with_message(
            Code::PatchTooLarge,
            "",
            format!("The patched document would be {size} bytes."),
        ));
    }
    Ok(work)
}

/// The operations that turn `before` into `after`.
pub fn diff(before: &Value, after: &Value) -> Value {
    serde_json::to_value(json_patch::diff(before, after)).unwrap_or(Value::Array(vec![]))
}

fn op_name(op: &PatchOperation) -> &'static str {
    match op {
        PatchOperation::Add(_) => "add",
        PatchOperation::Remove(_) => "remove",
        PatchOperation::Replace(_) => "replace",
        PatchOperation::Move(_) => "move",
        PatchOperation::Copy(_) => "copy",
        PatchOperation::Test(_) => "test",
    }
}

/// RFC 6902 §4.6 equality: numbers by value, objects regardless of member order.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
            (Some(p), Some(q), _, _) => p == q,
            (_, _, Some(p), Some(q)) => p == q,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// Every array index an operation names must be canonical: `0` or no leading
/// zero, digits only; `-` only as the last token of an `add`/`move`/`copy` target.
fn check_indexes(doc: &Value, op: &PatchOperation) -> Result<(), Issue> {
    let from: Option<&json_patch::jsonptr::Pointer> = match op {
        PatchOperation::Move(m) => Some(&m.from),
        PatchOperation::Copy(c) => Some(&c.from),
        _ => None,
    };
    let path = op.path();
    let dash_ok = matches!(
        op,
        PatchOperation::Add(_) | PatchOperation::Move(_) | PatchOperation::Copy(_)
    );
    for (pointer, allow_dash) in [(Some(path), dash_ok), (from, false)] {
        let Some(pointer) = pointer else { continue };
        let tokens: Vec<String> = pointer.tokens().map(|t| t.decoded().into_owned()).collect();
        let mut node = Some(doc);
        for (i, token) in tokens.iter().enumerate() {
            let last = i + 1 == tokens.len();
            match node {
                Some(Value::Array(items)) => {
                    let canonical = token == "0"
                        || (!token.starts_with('0') && !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()));
                    if !(canonical || (token == "-" && last && allow_dash)) {
                        return Err(Issue::with_message(
                            Code::PatchFailed,
                            pointer.to_string(),
                            format!(
                                "{token:?} is not an array index (RFC 6901: digits, no leading zero); nothing was changed."
                            ),
                        ));
                    }
                    node = token.parse::<usize>().ok().and_then(|n| items.get(n));
                }
                Some(Value::Object(map)) => node = map.get(token.as_str()),
                _ => node = None,
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn test_compares_numbers_by_value() {
        let doc = json!({"a": 1, "o": {"x": 1, "y": [1, 2]}});
        assert!(apply(&doc, &json!([{"op": "test", "path": "/a", "value": 1.0}])).is_ok());
        assert!(
            apply(
                &doc,
                &json!([{"op": "test", "path": "/o", "value": {"y": [1.0, 2], "x": 1}}])
            )
            .is_ok()
        );
        let e = apply(&doc, &json!([{"op": "test", "path": "/a", "value": 2}])).unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (Code::PatchTestFailed, "/a"));
    }

    #[test]
    fn atomic_and_strict_indexes() {
        let doc = json!({"list": [1, 2, 3]});
        let e = apply(
            &doc,
            &json!([{"op": "replace", "path": "/list/0", "value": 9}, {"op": "remove", "path": "/nope"}]),
        )
        .unwrap_err();
        assert_eq!(e.code, Code::PatchFailed);
        for bad in ["/list/01", "/list/-1", "/list/1e0", "/list/+1"] {
            let e = apply(&doc, &json!([{"op": "replace", "path": bad, "value": 0}])).unwrap_err();
            assert_eq!(e.code, Code::PatchFailed, "{bad}");
        }
        let ok = apply(&doc, &json!([{"op": "add", "path": "/list/-", "value": 4}])).unwrap();
        assert_eq!(ok, json!({"list": [1, 2, 3, 4]}));
    }

    #[test]
    fn diff_round_trips() {
        let before = json!({"a": 1, "b": {"c": [1, 2]}, "k~/": "x"});
        let after = json!({"a": 2, "b": {"c": [1]}, "d": true});
        assert_eq!(apply(&before, &diff(&before, &after)).unwrap(), after);
    }
}
