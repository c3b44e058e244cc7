//! The setup's steps, in the order an admin takes them, each with its verdict
//! from the core's report: it guides a new admin, and a returning one reads it
//! as a summary whose links jump to what to edit. Nothing here judges: the
//! verdicts are the report's issues and missing fields, grouped by field.

use super::state::Panel;
use crate::issue::Severity;
use crate::model::{Missing, Status};
use leptos::prelude::*;

struct Step {
    label: &'static str,
    /// The element the step's link jumps to.
    anchor: &'static str,
    /// The fields (paths) whose issues are this step's.
    fields: &'static [&'static str],
    missing: &'static [Missing],
}

const STEPS: [Step; 5] = [
    Step {
        label: "Choose the IdP",
        anchor: "identity_provider",
        fields: &["/display_name", "/identity_provider"],
        missing: &[],
    },
    Step {
        label: "In your IdP: this SP's values",
        anchor: "acs_url",
        fields: &[],
        missing: &[],
    },
    Step {
        label: "From your IdP: metadata or fields",
        anchor: "metadata",
        fields: &[
            "/metadata",
            "/idp_entity_id",
            "/idp_sso_url",
            "/idp_sso_binding",
            "/nameid_format",
            "/x509_certificate",
            "/verification_certificates",
        ],
        missing: &[Missing::IdpEntityId, Missing::IdpSsoUrl, Missing::X509Certificate],
    },
    Step {
        label: "Attributes",
        anchor: "step-attributes",
        fields: &["/attribute_mapping"],
        missing: &[Missing::AttributeMapping],
    },
    Step {
        label: "Roles (optional)",
        anchor: "step-roles",
        fields: &[
            "/saml_connection_implicit_role_assignments",
            "/saml_group_implicit_role_assignments",
        ],
        missing: &[],
    },
];

/// Each step's (class, link, label, verdict), the test sign-in and activation last.
fn verdicts(panel: Panel) -> Vec<(&'static str, String, &'static str, String)> {
    let link = |anchor: &str| format!("#{}", panel.id(anchor));
    let mut steps: Vec<_> = panel.report.with(|report| {
        STEPS
            .iter()
            .map(|step| {
                let mine = |path: &str| {
                    step.fields
                        .iter()
                        .any(|f| path == *f || path.strip_prefix(f).is_some_and(|rest| rest.starts_with('/')))
                };
                let count = |severity| {
                    report
                        .issues
                        .iter()
                        .filter(|i| i.severity == severity && mine(&i.path))
                        .count()
                };
                let missing: Vec<&str> = report
                    .missing
                    .iter()
                    .filter(|m| step.missing.contains(m))
                    .map(|m| m.label())
                    .collect();
                let (class, verdict) = match (count(Severity::Error), missing.is_empty(), count(Severity::Warning)) {
                    (0, true, 0) => ("sk-step-done", "done".to_owned()),
                    (0, true, warnings) => ("sk-step-warn", format!("done, {warnings} to check")),
                    (0, false, _) => ("sk-step-todo", format!("to do: {}", missing.join(", "))),
                    (errors, _, _) => ("sk-step-error", format!("{errors} to fix")),
                };
                (class, link(step.anchor), step.label, verdict)
            })
            .collect()
    });
    let (class, verdict) = match panel.test_verdict.get().as_deref() {
        Some("passed") => ("sk-step-done", "passed".to_owned()),
        Some(_) => ("sk-step-error", "failed: see why below".to_owned()),
        None => ("sk-step-todo", "not run yet".to_owned()),
    };
    steps.push((class, link("test_report"), "Test sign-in", verdict));
    let active = panel
        .saved
        .with(|c| c.as_ref().is_some_and(|c| c.status == Status::Active));
    let ready = panel.report.with(|r| r.status == Status::Active);
    let (class, verdict) = match (active && !panel.dirty(), ready) {
        (true, _) => ("sk-step-done", "live: members can sign in".to_owned()),
        (false, true) => ("sk-step-todo", "ready: Save turns it on".to_owned()),
        (false, false) => ("sk-step-todo", "after the steps above".to_owned()),
    };
    steps.push((class, link("save"), "Activate", verdict));
    steps
}

/// A step's link moves to its fields without touching the page's URL (the host
/// page may route by its fragment): scrolled into view and focused.
fn go_to_step(ev: leptos::ev::MouseEvent) {
    use wasm_bindgen::JsCast;
    let target = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|t| t.closest("a").ok().flatten());
    let Some(id) = target
        .and_then(|a| a.get_attribute("href"))
        .and_then(|h| h.strip_prefix('#').map(str::to_owned))
    else {
        return;
    };
    let field = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&id));
    if let Some(field) = field {
        ev.prevent_default();
        field.scroll_into_view();
        if let Ok(field) = field.dyn_into::<web_sys::HtmlElement>() {
            let _ = field.focus();
        }
    }
}

#[component]
pub fn Steps(panel: Panel) -> impl IntoView {
    view! {
        <nav class="sk-steps" aria-label="Setup steps" on:click=go_to_step>
            <ol>
                {move || verdicts(panel).into_iter().map(|(class, href, label, verdict)| view! {
                    <li class=class><a href=href>{label}</a>" — "{verdict}</li>
                }).collect_view()}
            </ol>
        </nav>
    }
}
