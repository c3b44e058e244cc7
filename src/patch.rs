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
            operation(op).ok_or_else(|| {
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

/// One operation object, read member by member as serde's derive would (unknown
/// members ignored, pointers checked by jsonptr), without the derive's buffering
/// of an internally tagged enum, which cost 5 KB of the SDK's gzip.
fn operation(op: &Value) -> Option<PatchOperation> {
    use json_patch::jsonptr::PointerBuf;
    use json_patch::{AddOperation, CopyOperation, MoveOperation, RemoveOperation, ReplaceOperation, TestOperation};
    let pointer = |key: &str| PointerBuf::parse(op.get(key)?.as_str()?).ok();
    let path = pointer("path")?;
    let value = || op.get("value").cloned();
    Some(match op.get("op")?.as_str()? {
        "add" => PatchOperation::Add(AddOperation { path, value: value()? }),
        "remove" => PatchOperation::Remove(RemoveOperation { path }),
        "replace" => PatchOperation::Replace(ReplaceOperation { path, value: value()? }),
        "move" => PatchOperation::Move(MoveOperation {
            from: pointer("from")?,
            path,
        }),
        "copy" => PatchOperation::Copy(CopyOperation {
            from: pointer("from")?,
            path,
        }),
        "test" => PatchOperation::Test(TestOperation { path, value: value()? }),
        _ => return None,
    })
}

/// Applies a patch to a copy of `doc`: the whole patch or, on any error, nothing.
/// Issues carry the target path of the operation that failed.
pub fn apply(doc: &Value, patch: &Value) -> Result<Value, Issue> {
    let ops = parse(patch)?;
    apply_ops(doc, &ops)
}

/// What a patch of a stored document may not do (JSON pointers).
#[derive(Debug, Clone, Copy, Default)]
pub struct Guard<'a> {
    /// Write-only values (private keys): no `test`, `copy` or `move` may read them
    /// or a parent of them, so a patch can be neither a leak nor an oracle.
    pub write_only: &'a [&'a str],
    /// Values the server sets (ids, the organization, derived facts): no operation
    /// may change them or a parent of them.
    pub immutable: &'a [&'a str],
}

/// [`apply`] with a [`Guard`]: every operation is checked before any is applied.
pub fn apply_guarded(doc: &Value, patch: &Value, guard: Guard) -> Result<Value, Issue> {
    let ops = parse(patch)?;
    for (i, op) in ops.iter().enumerate() {
        check_guard(i, op, guard)?;
    }
    apply_ops(doc, &ops)
}

fn check_guard(i: usize, op: &PatchOperation, guard: Guard) -> Result<(), Issue> {
    let path = op.path().to_string();
    let (reads, writes): (Option<String>, Vec<String>) = match op {
        PatchOperation::Test(_) => (Some(path), vec![]),
        PatchOperation::Copy(c) => (Some(c.from.to_string()), vec![path]),
        PatchOperation::Move(m) => (Some(m.from.to_string()), vec![m.from.to_string(), path]),
        _ => (None, vec![path]),
    };
    if let Some(read) = reads
        && guard.write_only.iter().any(|p| overlaps(&read, p))
    {
        return Err(Issue::with_message(
            Code::PatchReadsSecret,
            read,
            format!(
                "Operation {i} ({}) would read a private key; keys are write-only.",
                op_name(op)
            ),
        ));
    }
    for write in writes {
        if guard.immutable.iter().any(|p| overlaps(&write, p)) {
            return Err(Issue::with_message(
                Code::PatchImmutablePath,
                write,
                format!("Operation {i} ({}) would change a value the server sets.", op_name(op)),
            ));
        }
    }
    Ok(())
}

/// Whether one pointer is the other or a parent of it (token by token: `/a` is a
/// parent of `/a/b`, not of `/ab`).
fn overlaps(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    long.strip_prefix(short)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Applies parsed operations to a copy of `doc`.
///
/// The document's size is accounted as the operations run: what an operation
/// adds (an added, replaced or copied value) is measured before it is applied,
/// and only up to what the cap still allows, so a patch that would grow the
/// document past [`MAX_PATCHED_BYTES`] stops at that operation, having built
/// nothing larger (a `copy` of a member into itself doubles it each time).
pub fn apply_ops(doc: &Value, ops: &[PatchOperation]) -> Result<Value, Issue> {
    let mut work = doc.clone();
    // An upper bound of the serialized size: removals subtract only the value.
    let mut size = json_size(&work, usize::MAX).unwrap_or(usize::MAX);
    for (i, op) in ops.iter().enumerate() {
        let target = op.path().to_string();
        check_indexes(&work, op)?;
        let (added, removed) = size_change(&work, op, MAX_PATCHED_BYTES.saturating_sub(size));
        let Some(added) = added else {
            return Err(Issue::with_message(
                Code::PatchTooLarge,
                target,
                format!(
                    "Operation {i} ({}) would make the document larger than {MAX_PATCHED_BYTES} bytes; nothing was changed.",
                    op_name(op)
                ),
            ));
        };
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
        size = size.saturating_sub(removed) + added;
    }
    Ok(work)
}

/// The bytes an operation adds (`None` when more than `budget` plus what it
/// removes) and the bytes of the value it removes or replaces.
fn size_change(doc: &Value, op: &PatchOperation, budget: usize) -> (Option<usize>, usize) {
    let at = |pointer: &json_patch::jsonptr::Pointer| pointer.resolve(doc).ok();
    let measure = |v: Option<&Value>| v.and_then(|v| json_size(v, usize::MAX)).unwrap_or(0);
    // A new member costs its name, quotes, colon and comma besides its value.
    let member = |pointer: &json_patch::jsonptr::Pointer| pointer.last().map_or(0, |t| t.encoded().len()) + 4;
    let (value, overhead, removed) = match op {
        PatchOperation::Add(a) => (Some(&a.value), member(&a.path), 0),
        PatchOperation::Replace(r) => (Some(&r.value), 0, measure(at(&r.path))),
        PatchOperation::Copy(c) => (at(&c.from), member(&c.path), 0),
        PatchOperation::Move(m) => (None, member(&m.path), 0),
        PatchOperation::Remove(r) => (None, 0, measure(at(&r.path))),
        PatchOperation::Test(_) => (None, 0, 0),
    };
    let limit = (budget + removed).checked_sub(overhead);
    let added = match (value, limit) {
        (_, None) => None,
        (None, Some(_)) => Some(overhead),
        (Some(v), Some(limit)) => json_size(v, limit).map(|n| n + overhead),
    };
    (added, removed)
}

/// The serialized size of `value`, or `None` as soon as it passes `limit`
/// (so measuring costs no more than the limit).
pub fn json_size(value: &Value, limit: usize) -> Option<usize> {
    struct Counter {
        count: usize,
        limit: usize,
    }
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.count += buf.len();
            if self.count > self.limit {
                return Err(std::io::ErrorKind::FileTooLarge.into());
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter { count: 0, limit };
    serde_json::to_writer(&mut counter, value).ok()?;
    Some(counter.count)
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
    fn operations_read_as_the_crates_derive_reads_them() {
        let cases = [
            json!({"op": "add", "path": "/a", "value": 1}),
            json!({"op": "add", "path": "/a", "value": null, "from": 7, "extra": true}),
            json!({"op": "add", "path": "/a"}),
            json!({"op": "add", "path": "a", "value": 1}),
            json!({"op": "add", "path": 1, "value": 1}),
            json!({"op": "remove", "path": ""}),
            json!({"op": "remove"}),
            json!({"op": "replace", "path": "/a/~1b", "value": [1]}),
            json!({"op": "replace", "path": "/a/~2", "value": 1}),
            json!({"op": "move", "from": "/a", "path": "/b"}),
            json!({"op": "move", "path": "/b"}),
            json!({"op": "copy", "from": "x", "path": "/b"}),
            json!({"op": "copy", "from": "/a", "path": "/b"}),
            json!({"op": "test", "path": "/a", "value": {"k": "v"}}),
            json!({"op": "test", "path": "/a"}),
            json!({"op": "Add", "path": "/a", "value": 1}),
            json!({"op": null, "path": "/a", "value": 1}),
            json!({"path": "/a", "value": 1}),
            json!("add"),
        ];
        for case in cases {
            let derived = serde_json::from_value::<PatchOperation>(case.clone()).ok();
            assert_eq!(operation(&case), derived, "{case}");
        }
        // Stricter than the derive, as RFC 6902 §4 wants: an operation is an object
        // (serde also reads an internally tagged enum from a sequence).
        let sequence = json!(["add", "/a", 1]);
        assert!(serde_json::from_value::<PatchOperation>(sequence.clone()).is_ok());
        assert_eq!(operation(&sequence), None);
    }

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
    fn guards_keep_keys_unread_and_server_values_unchanged() {
        let doc = json!({"id": "c1", "key": {"bits": 2048}, "name": "Acme", "list": [{"id": "x"}]});
        let guard = Guard {
            write_only: &["/key"],
            immutable: &["/id", "/list"],
        };
        let refused = [
            (
                json!([{"op": "test", "path": "/key", "value": {"bits": 2048}}]),
                Code::PatchReadsSecret,
                "/key",
            ),
            (
                json!([{"op": "test", "path": "/key/bits", "value": 2048}]),
                Code::PatchReadsSecret,
                "/key/bits",
            ),
            (
                json!([{"op": "test", "path": "", "value": {}}]),
                Code::PatchReadsSecret,
                "",
            ),
            (
                json!([{"op": "copy", "from": "/key", "path": "/name"}]),
                Code::PatchReadsSecret,
                "/key",
            ),
            (
                json!([{"op": "move", "from": "/key", "path": "/name"}]),
                Code::PatchReadsSecret,
                "/key",
            ),
            (
                json!([{"op": "replace", "path": "/id", "value": "c2"}]),
                Code::PatchImmutablePath,
                "/id",
            ),
            (
                json!([{"op": "remove", "path": "/list/0/id"}]),
                Code::PatchImmutablePath,
                "/list/0/id",
            ),
            (
                json!([{"op": "move", "from": "/id", "path": "/name"}]),
                Code::PatchImmutablePath,
                "/id",
            ),
            (
                json!([{"op": "copy", "from": "/name", "path": "/id"}]),
                Code::PatchImmutablePath,
                "/id",
            ),
            (
                json!([{"op": "replace", "path": "", "value": {}}]),
                Code::PatchImmutablePath,
                "",
            ),
        ];
        for (patch, code, path) in refused {
            let e = apply_guarded(&doc, &patch, guard).unwrap_err();
            assert_eq!((e.code, e.path.as_str()), (code, path), "{patch}");
            assert!(!e.message.contains("2048"));
        }
        // Writing a key, reading other values and a look-alike name are fine.
        let ok = json!([
            {"op": "replace", "path": "/key", "value": "PEM"},
            {"op": "test", "path": "/id", "value": "c1"},
            {"op": "add", "path": "/keyring", "value": 1},
            {"op": "copy", "from": "/name", "path": "/display"}
        ]);
        let patched = apply_guarded(&doc, &ok, guard).unwrap();
        assert_eq!(patched["key"], "PEM");
        assert_eq!(patched["display"], "Acme");
    }

    #[test]
    fn growth_is_bounded_while_the_patch_runs() {
        // A member copied into itself doubles the document with each copy.
        let doc = json!({"m": {}});
        let mut ops = vec![json!({"op": "add", "path": "/m/seed", "value": "x".repeat(16 * 1024)})];
        for n in 0..24 {
            ops.push(json!({"op": "copy", "from": "/m", "path": format!("/m/c{n}")}));
        }
        let e = apply(&doc, &Value::Array(ops)).unwrap_err();
        assert_eq!(e.code, Code::PatchTooLarge);
        // 16 KiB doubles past 1 MiB at the sixth copy (operation 6): 32, 64, … 1024 KiB and more.
        assert_eq!(e.path, "/m/c5");
        assert!(e.message.starts_with("Operation 6 (copy)"), "{}", e.message);

        // The same for large values added or replaced.
        let big = json!([{"op": "add", "path": "/a", "value": "x".repeat(MAX_PATCHED_BYTES)}]);
        assert_eq!(apply(&doc, &big).unwrap_err().code, Code::PatchTooLarge);
        let half = "x".repeat(MAX_PATCHED_BYTES / 2);
        let ops = json!([
            {"op": "add", "path": "/a", "value": half},
            {"op": "replace", "path": "/a", "value": half},
            {"op": "remove", "path": "/a"},
            {"op": "add", "path": "/b", "value": half}
        ]);
        // Replacing and removing give their bytes back.
        assert!(apply(&doc, &ops).is_ok());
        let ops = json!([{"op": "add", "path": "/a", "value": half}, {"op": "copy", "from": "/a", "path": "/b"}]);
        let e = apply(&doc, &ops).unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (Code::PatchTooLarge, "/b"));
    }

    #[test]
    fn sizes_are_measured_up_to_a_limit() {
        let v = json!({"a": [1, "two", null]});
        let exact = serde_json::to_vec(&v).unwrap().len();
        assert_eq!(json_size(&v, usize::MAX), Some(exact));
        assert_eq!(json_size(&v, exact), Some(exact));
        assert_eq!(json_size(&v, exact - 1), None);
    }

    #[test]
    fn diff_round_trips() {
        let before = json!({"a": 1, "b": {"c": [1, 2]}, "k~/": "x"});
        let after = json!({"a": 2, "b": {"c": [1]}, "d": true});
        assert_eq!(apply(&before, &diff(&before, &after)).unwrap(), after);
    }
}
