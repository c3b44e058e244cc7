//! The setup's steps, in the order an admin takes them, each with its verdict
//! from the core's report. A new connection opens on the first step and shows
//! one step at a time (Back, Next); a returning admin sees the steps alone as a
//! summary, whose links open the step to edit. Nothing here judges: the
//! verdicts are the report's issues and missing fields, grouped by field.
//!
//! Which sections a step shows is markup, not code: each section names its
//! steps (`data-steps`), the panel the step shown (`data-step`), panel.css
//! hides the rest.

use super::state::Panel;
use crate::issue::Severity;
use crate::model::{Missing, Status};
use leptos::prelude::*;
use std::time::Duration;

/// What the panel shows: the summary (the steps alone), one step, or every section.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum View {
    Summary,
    Step(usize),
    All,
}

impl View {
    /// The panel's `data-step`.
    pub fn attr(self) -> &'static str {
        match self {
            View::Summary => "s",
            View::All => "a",
            View::Step(i) => ["0", "1", "2", "3", "4", "5", "6"][i.min(LAST)],
        }
    }
}

/// The last step's index: the five of [`STEPS`], then the test sign-in and activation.
const LAST: usize = 6;

/// Step `i`'s label and the element its link and the Next button move to.
fn step(i: usize) -> (&'static str, &'static str) {
    match i {
        5 => ("Test sign-in", "step-test"),
        LAST => ("Activate", "step-activate"),
        _ => (STEPS[i].label, STEPS[i].anchor),
    }
}

struct Step {
    label: &'static str,
    /// The element the step's link and Next move to (focusable: the step's
    /// first field, or its section with `tabindex="-1"`).
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
        Some(_) => ("sk-step-error", "failed: its checks say why".to_owned()),
        None => ("sk-step-todo", "not run yet".to_owned()),
    };
    steps.push((class, link(step(5).1), step(5).0, verdict));
    let active = panel
        .saved
        .with(|c| c.as_ref().is_some_and(|c| c.status == Status::Active));
    let ready = panel.report.with(|r| r.status == Status::Active);
    let (class, verdict) = match (active && !panel.dirty(), ready) {
        (true, _) => ("sk-step-done", "live: members can sign in".to_owned()),
        (false, true) => ("sk-step-todo", "ready: Save turns it on".to_owned()),
        (false, false) => ("sk-step-todo", "after the steps above".to_owned()),
    };
    steps.push((class, link(step(LAST).1), step(LAST).0, verdict));
    steps
}

/// Shows step `i` and moves to its first field, once the step is shown; the
/// host page's URL is not touched (it may route by its fragment).
pub fn go(panel: Panel, i: usize) {
    panel.view.set(View::Step(i));
    let id = panel.id(step(i).1);
    set_timeout(
        move || {
            use wasm_bindgen::JsCast;
            let field = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&id));
            if let Some(field) = field {
                field.scroll_into_view();
                if let Ok(field) = field.dyn_into::<web_sys::HtmlElement>() {
                    let _ = field.focus();
                }
            }
        },
        Duration::ZERO,
    );
}

/// The panel's clicks on its step controls (delegated: one handler for all):
/// a step's link (`data-i`), Back and Next (`data-go`), the summary and the
/// all-settings view (`data-view`).
pub fn on_click(panel: Panel, ev: leptos::ev::MouseEvent) {
    use wasm_bindgen::JsCast;
    let Some(control) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|t| t.closest("[data-i],[data-go],[data-view]").ok().flatten())
    else {
        return;
    };
    let at = match panel.view.get_untracked() {
        View::Step(i) => i,
        _ => 0,
    };
    let attr = |name| control.get_attribute(name);
    if let Some(i) = attr("data-i").and_then(|i| i.parse().ok()) {
        ev.prevent_default();
        go(panel, i);
    } else if let Some(by) = attr("data-go") {
        go(
            panel,
            if by == "back" {
                at.saturating_sub(1)
            } else {
                (at + 1).min(LAST)
            },
        );
    } else if let Some(view) = attr("data-view") {
        panel.view.set(if view == "all" { View::All } else { View::Summary });
    }
}

#[component]
pub fn Steps(panel: Panel) -> impl IntoView {
    let current = move || match panel.view.get() {
        View::Step(i) => i,
        _ => usize::MAX,
    };
    view! {
        <nav class="sk-steps" aria-label="Setup steps">
            <ol>
                {move || verdicts(panel).into_iter().enumerate().map(|(i, (class, href, label, verdict))| view! {
                    <li class=class><a href=href data-i=View::Step(i).attr() aria-current=(i == current()).then_some("step")>{label}</a>" — "{verdict}</li>
                }).collect_view()}
            </ol>
            <button type="button" class="sk-to-summary" data-view="summary">"Summary"</button>
            <button type="button" class="sk-to-all" data-view="all">"Show all settings"</button>
        </nav>
    }
}

/// Back and Next, under the step shown (panel.css hides what a step has no use for).
#[component]
pub fn StepButtons() -> impl IntoView {
    view! {
        <div class="sk-wizard">
            <button type="button" class="sk-back" data-go="back">"Back"</button>
            <button type="button" class="sk-next" data-go="next">"Next"</button>
        </div>
    }
}
