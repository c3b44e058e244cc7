//! The panel's building blocks. Every input has a label; an invalid one has
//! `aria-invalid` and `aria-describedby` pointing at its messages.

use super::state::{Card, Panel, now};
use leptos::prelude::*;

/// The messages for one field (errors first), with an id inputs point at.
#[component]
pub fn IssueList(panel: Panel, #[prop(into)] field: String) -> impl IntoView {
    let id = panel.id(&format!("{field}-issues"));
    let f = field.clone();
    let issues = move || {
        let mut issues = panel.issues(&f);
        issues.sort_by_key(|i| i.severity);
        issues
    };
    view! {
        <ul class="sk-issues" id=id aria-live="polite">
            {move || issues().into_iter().map(|i| {
                let class = if i.is_error() { "sk-issue sk-issue-error" } else { "sk-issue sk-issue-warning" };
                view! { <li class=class data-code=i.code.as_str()>{i.message}</li> }
            }).collect_view()}
        </ul>
    }
}

fn has_error(panel: &Panel, field: &str) -> bool {
    panel.issues(field).iter().any(|i| i.is_error())
}

/// A one-line text input bound to a draft field.
#[component]
pub fn Field(
    panel: Panel,
    field: &'static str,
    label: &'static str,
    #[prop(into)] hint: Signal<String>,
) -> impl IntoView {
    let id = panel.id(field);
    let messages = panel.id(&format!("{field}-issues"));
    let hint_id = panel.id(&format!("{field}-hint"));
    let (p1, p2, p3) = (panel, panel, panel);
    view! {
        <div class="sk-field">
            <label for=id.clone()>{label}</label>
            <input id=id type="text" spellcheck="false" autocomplete="off"
                prop:value=move || p1.text(field)
                on:input=move |ev| p2.set_text(field, event_target_value(&ev))
                aria-invalid=move || if has_error(&p3, field) { "true" } else { "false" }
                aria-describedby=format!("{messages} {hint_id}") />
            <p class="sk-hint" id=hint_id>{move || hint.get()}</p>
            <IssueList panel=panel field=field />
        </div>
    }
}

/// A multi-line field: the certificate to add, or metadata to import.
#[component]
pub fn TextArea(
    panel: Panel,
    field: &'static str,
    label: &'static str,
    rows: u32,
    import: bool,
    /// Offer a file too: the `accept` list and the button's label.
    #[prop(optional)]
    upload: Option<(&'static str, &'static str)>,
) -> impl IntoView {
    let id = panel.id(field);
    let messages = panel.id(&format!("{field}-issues"));
    let (p1, p2, p3, p4) = (panel, panel, panel, panel);
    let facts = move || {
        (!import)
            .then(|| p4.text(field))
            .filter(|t| !t.trim().is_empty())
            .and_then(|t| crate::x509::inspect(&t, now()).certificates.into_iter().next())
    };
    let choices = {
        let p = panel;
        move || {
            if !import {
                return Vec::new();
            }
            let has_multiple = p
                .import_issues
                .with(|i| i.iter().any(|i| i.code == crate::Code::MetadataMultipleIdps));
            if !has_multiple {
                return Vec::new();
            }
            crate::metadata::import(&p.metadata_text.get(), None, now()).idp_entity_ids
        }
    };
    let p5 = panel;
    view! {
        <div class="sk-field">
            <label for=id.clone()>{label}</label>
            <textarea id=id rows=rows spellcheck="false"
                prop:value=move || p1.text(field)
                on:input=move |ev| p2.set_text(field, event_target_value(&ev))
                aria-invalid=move || if has_error(&p3, field) { "true" } else { "false" }
                aria-describedby=messages.clone()></textarea>
            {upload.map(|(accept, text)| view! { <FileInput panel=panel field=field accept=accept label=text /> })}
            {import.then(|| {
                let p = panel;
                view! { <button type="button" on:click=move |_| p.import_metadata(None)>"Fill from metadata"</button> }
            })}
            {move || {
                let p = p5;
                choices().into_iter().map(move |entity_id| {
                    let p = p;
                    let label = format!("Use {entity_id}");
                    view! { <button type="button" class="sk-choice" on:click=move |_| p.import_metadata(Some(entity_id.clone()))>{label}</button> }
                }).collect_view()
            }}
            {move || facts().map(|f| view! { <FactsView facts=f /> })}
            <IssueList panel=panel field=field />
        </div>
    }
}

/// A file chooser that reads the chosen file's bytes into `field` ([`Panel::read_file`]).
#[component]
fn FileInput(panel: Panel, field: &'static str, accept: &'static str, label: &'static str) -> impl IntoView {
    let id = panel.id(&format!("{field}-file"));
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(buffer) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                panel.read_file(field, &js_sys::Uint8Array::new(&buffer).to_vec());
            }
            // Choosing the same file again reads it again.
            input.set_value("");
        });
    };
    view! {
        <div class="sk-file">
            <label for=id.clone()>{label}</label>
            <input type="file" id=id accept=accept on:change=on_change />
        </div>
    }
}

#[component]
fn FactsView(facts: crate::x509::CertificateFacts) -> impl IntoView {
    let days = now().days_until(crate::Timestamp(facts.not_after_unix));
    let countdown = if days < 0 {
        "expired".to_owned()
    } else {
        format!("{days} days left")
    };
    let key = match &facts.ec_curve {
        Some(curve) => format!("{} {}", facts.public_key_algorithm, curve),
        None => format!("{} {} bits", facts.public_key_algorithm, facts.public_key_size),
    };
    view! {
        <dl class="sk-facts">
            <dt>"Subject"</dt><dd>{crate::x509::readable_dn(&facts.subject)}</dd>
            <dt>"Issuer"</dt><dd>{crate::x509::readable_dn(&facts.issuer)}</dd>
            <dt>"Valid"</dt><dd>{format!("{} → {} ({countdown})", facts.not_before, facts.not_after)}</dd>
            <dt>"Key"</dt><dd>{key}</dd>
            <dt>"Signature"</dt><dd>{facts.signature_algorithm}</dd>
            <dt>"SHA-256"</dt><dd class="sk-mono">{facts.sha256_fingerprint}</dd>
        </dl>
    }
}

/// A certificate already on the connection, with its verdicts and a remove button.
#[component]
pub fn CertificateCard(panel: Panel, card: Card) -> impl IntoView {
    let field = format!("verification_certificates/{}", card.index);
    let p = panel;
    let id = card.certificate_id.clone();
    view! {
        <article class="sk-card" aria-label="Signing certificate">
            {card.facts.map(|f| view! { <FactsView facts=f /> })}
            <IssueList panel=panel field=field />
            <button type="button" on:click=move |_| p.remove_certificate(id.clone())>"Remove this certificate"</button>
        </article>
    }
}

/// This SP's value, read-only, with a copy button.
#[component]
pub fn CopyField(panel: Panel, name: &'static str, label: &'static str, value: Signal<String>) -> impl IntoView {
    let id = panel.id(name);
    let copy = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&value.get());
        }
    };
    view! {
        <div class="sk-field">
            <label for=id.clone()>{label}</label>
            <div class="sk-copy">
                <input id=id type="text" readonly prop:value=move || value.get() />
                <button type="button" on:click=copy aria-label=format!("Copy {label}")>"Copy"</button>
            </div>
        </div>
    }
}

/// The attribute mapping, row by row, with the required keys named.
#[component]
pub fn MappingEditor(panel: Panel) -> impl IntoView {
    let rows = panel.mapping_rows;
    let p = panel;
    let add = move |_| {
        let mut r = rows.get();
        let next = r.iter().map(|(id, _, _)| *id + 1).max().unwrap_or(0);
        r.push((next, String::new(), String::new()));
        p.set_mapping(r);
    };
    let p = panel;
    view! {
        <p class="sk-hint">"Required: " <code>"email"</code> ", and " <code>"full_name"</code> " or both " <code>"first_name"</code> " and " <code>"last_name"</code> "; " <code>"groups"</code> " before any group role."</p>
        <IssueList panel=panel field="attribute_mapping" />
        <datalist id=panel.id("mapping-keys")>
            {crate::provider::MAPPING_KEYS.iter().map(|k| view! { <option value=*k></option> }).collect_view()}
        </datalist>
        <table class="sk-mapping">
            <thead><tr><th scope="col">"Field"</th><th scope="col">"IdP attribute"</th><th></th></tr></thead>
            <tbody>
                <For each=move || rows.get() key=|(id, _, _)| *id children=move |(id, key, value)| {
                    let (p1, p2, p3) = (p, p, p);
                    let key_id = p.id(&format!("map-key-{id}"));
                    let value_id = p.id(&format!("map-value-{id}"));
                    view! {
                        <tr>
                            <td><label class="sk-visually-hidden" for=key_id.clone()>"Field name"</label>
                                <input id=key_id type="text" list=p.id("mapping-keys") value=key on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    p1.set_mapping(rows.get().into_iter().map(|r| if r.0 == id { (r.0, v.clone(), r.2) } else { r }).collect());
                                } /></td>
                            <td><label class="sk-visually-hidden" for=value_id.clone()>"IdP attribute name"</label>
                                <input id=value_id type="text" value=value on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    p2.set_mapping(rows.get().into_iter().map(|r| if r.0 == id { (r.0, r.1, v.clone()) } else { r }).collect());
                                } /></td>
                            <td><button type="button" aria-label="Remove this mapping" on:click=move |_| {
                                p3.set_mapping(rows.get().into_iter().filter(|r| r.0 != id).collect());
                            }>"Remove"</button></td>
                        </tr>
                    }
                } />
            </tbody>
        </table>
        <button type="button" on:click=add>"Add a mapping"</button>
    }
}

/// A write-only key: shows whether one is set (and its fingerprint), never the key.
#[component]
pub fn KeyField(panel: Panel, field: &'static str, label: &'static str) -> impl IntoView {
    let summary = move || {
        panel.saved.with(|c| {
            c.as_ref().and_then(|c| match field {
                "saml_encryption_private_key" => c.saml_encryption_private_key.clone(),
                _ => c.signing_private_key.clone(),
            })
        })
    };
    let status = move || match summary() {
        Some(k) => format!(
            "A key is set: {} RSA {} bits, public key SHA-256 {}. Paste a new one to replace it.",
            k.format, k.bits, k.public_key_sha256
        ),
        None => "No key is set.".to_owned(),
    };
    // The key's state under its own field, not above the next label.
    view! {
        <TextArea panel=panel field=field label=label rows=4 import=false />
        <p class="sk-hint sk-key-status">{status}</p>
    }
}

/// Roles every member of this connection gets, and roles per IdP group.
#[component]
pub fn RolesEditor(panel: Panel) -> impl IntoView {
    let connection_roles = move || {
        panel
            .draft
            .with(|d| d.saml_connection_implicit_role_assignments.clone())
    };
    let group_roles = move || panel.draft.with(|d| d.saml_group_implicit_role_assignments.clone());
    let edit = move |f: &dyn Fn(&mut crate::model::Draft)| {
        panel.saved_message.set(None);
        panel.draft.update(|d| f(d));
    };
    view! {
        <h4>"Roles for every member who signs in here"</h4>
        {move || connection_roles().into_iter().enumerate().map(|(i, r)| {
            let id = panel.id(&format!("saml_connection_implicit_role_assignments/{i}/role_id"));
            view! {
                <div class="sk-row">
                    <label for=id.clone()>"Role"</label>
                    <input id=id type="text" value=r.role_id on:change=move |ev| {
                        let v = event_target_value(&ev);
                        edit(&|d| d.saml_connection_implicit_role_assignments[i].role_id = v.clone());
                    } />
                    <button type="button" on:click=move |_| edit(&|d| { d.saml_connection_implicit_role_assignments.remove(i); })>"Remove"</button>
                    <IssueList panel=panel field=format!("saml_connection_implicit_role_assignments/{i}") />
                </div>
            }
        }).collect_view()}
        <button type="button" on:click=move |_| edit(&|d| d.saml_connection_implicit_role_assignments.push(Default::default()))>"Add a role"</button>
        <h4>"Roles by IdP group"</h4>
        <IssueList panel=panel field="attribute_mapping/groups" />
        {move || group_roles().into_iter().enumerate().map(|(i, r)| {
            let group_id = panel.id(&format!("saml_group_implicit_role_assignments/{i}/group"));
            let role_id = panel.id(&format!("saml_group_implicit_role_assignments/{i}/role_id"));
            view! {
                <div class="sk-row">
                    <label for=group_id.clone()>"IdP group"</label>
                    <input id=group_id type="text" value=r.group on:change=move |ev| {
                        let v = event_target_value(&ev);
                        edit(&|d| d.saml_group_implicit_role_assignments[i].group = v.clone());
                    } />
                    <label for=role_id.clone()>"Role"</label>
                    <input id=role_id type="text" value=r.role_id on:change=move |ev| {
                        let v = event_target_value(&ev);
                        edit(&|d| d.saml_group_implicit_role_assignments[i].role_id = v.clone());
                    } />
                    <button type="button" on:click=move |_| edit(&|d| { d.saml_group_implicit_role_assignments.remove(i); })>"Remove"</button>
                    <IssueList panel=panel field=format!("saml_group_implicit_role_assignments/{i}") />
                </div>
            }
        }).collect_view()}
        <button type="button" on:click=move |_| edit(&|d| d.saml_group_implicit_role_assignments.push(Default::default()))>"Add a group role"</button>
    }
}
