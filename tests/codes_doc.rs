//! docs/issue-codes.md is the one table of issue codes; it is generated from
//! `Code::ALL` and must not drift. Regenerate: `SAMLKIT_BLESS=1 cargo test --test codes_doc`.

use samlkit::Code;

fn render() -> String {
    let mut out = String::from(
        "# Issue codes\n\nEvery problem samlkit reports carries one of these codes, with the JSON pointer of the field\n\
         (`path`) and a `severity`: `error` blocks a save, `warning` does not. Codes are API: they are\n\
         never renamed silently. Messages are for people and may be more specific than shown here.\n\n\
         Generated from `src/issue.rs` by `tests/codes_doc.rs`.\n\n| code | severity | default message |\n|---|---|---|\n",
    );
    for code in Code::ALL {
        let severity = serde_json::to_value(code.severity()).unwrap();
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            code.as_str(),
            severity.as_str().unwrap(),
            code.message().replace('|', "\\|")
        ));
    }
    out
}

#[test]
fn issue_codes_doc_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/issue-codes.md");
    if std::env::var_os("SAMLKIT_BLESS").is_some() {
        std::fs::write(path, render()).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == render(),
        "docs/issue-codes.md is stale: run SAMLKIT_BLESS=1 cargo test --test codes_doc"
    );
}
