//! The test sign-in step: start a test, send the admin to the IdP, and show the
//! server's check-by-check answer (the core's report) when the IdP has posted it.

use super::state::Panel;
use leptos::prelude::*;
use serde_json::Value;

/// Each check's name for a person, in the order the report lists them.
fn label(check: &str) -> &'static str {
    match check {
        "decode" => "Response read",
        "status" => "IdP status",
        "signature" => "Signature",
        "issuer" => "Issuer",
        "audience" => "Audience",
        "destination" => "Destination",
        "in_response_to" => "Answers the test",
        "validity" => "Time window",
        "name_id" => "NameID",
        _ => "Mapped attributes",
    }
}

#[component]
pub fn TestSignIn(panel: Panel) -> impl IntoView {
    view! {
        <fieldset class="sk-group" data-steps="5" id=panel.id("step-test") tabindex="-1" disabled=move || panel.read_only.get()>
            <legend>"Test sign-in"</legend>
            <p class="sk-hint">"Proves the saved settings sign someone in: you sign in at your IdP and this page shows every check the sign-in makes. A test signs no one in. Save your changes first."</p>
            <button type="button" disabled=move || panel.dirty() || panel.saved.with(Option::is_none)
                on:click=move |_| panel.start_test()>"Test sign-in"</button>
            <div id=panel.id("test_report") role="status"></div>
        </fieldset>
    }
}

/// Shows the test being waited for: the link that starts it at the IdP.
pub(super) fn render_pending(list: &web_sys::Element, url: &str) -> Result<(), wasm_bindgen::JsValue> {
    list.set_text_content(Some("Waiting for the IdP's answer: "));
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let link = document.create_element("a")?;
    link.set_attribute("href", url)?;
    link.set_attribute("target", "_blank")?;
    link.set_attribute("rel", "noopener noreferrer")?;
    link.set_text_content(Some("sign in at your IdP (a new tab)"));
    list.append_child(&link)?;
    Ok(())
}

/// Renders a test's answer (who, when, each check with what to change) into
/// `list`. Built with the DOM directly: a few elements, and far smaller in the
/// wasm than a typed view of a list whose shape the server decides.
pub(super) fn render_report(list: &web_sys::Element, test: &Value) -> Result<(), wasm_bindgen::JsValue> {
    list.set_text_content(None);
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let add = |parent: &web_sys::Element,
               tag: &str,
               class: &str,
               content: &str|
     -> Result<web_sys::Element, wasm_bindgen::JsValue> {
        let el = document.create_element(tag)?;
        el.set_class_name(class);
        el.set_text_content(Some(content));
        parent.append_child(&el)?;
        Ok(el)
    };
    let passed = test["report"]["passed"] == true;
    let summary = format!(
        "Last test {}, by {} at {}",
        if passed { "passed" } else { "failed" },
        text(&test["started_by"]),
        text(&test["completed_at"])
    );
    add(list, "p", if passed { "sk-saved" } else { "sk-error" }, &summary)?;
    let checks = add(list, "ol", "sk-checks", "")?;
    for c in test["report"]["checks"].as_array().into_iter().flatten() {
        let outcome = text(&c["outcome"]);
        let item = add(&checks, "li", &format!("sk-check-{outcome}"), "")?;
        let title = format!(
            "{} — {}: ",
            label(c["check"].as_str().unwrap_or_default()),
            match outcome.as_str() {
                "pass" => "passed",
                "warn" => "warning",
                "fail" => "failed",
                _ => "not checked",
            }
        );
        add(&item, "strong", "", &title)?;
        item.append_with_str_1(&text(&c["message"]))?;
        if let Some(fix) = c["fix"].as_str() {
            add(&item, "div", "", &format!("What to change: {fix}"))?;
        }
    }
    Ok(())
}
