//! The admin panel: a Leptos (CSR) component that edits one SAML connection,
//! checks every field with the core while the admin types, saves through the
//! SDK, and puts the server's answer on the same fields.
//!
//! The panel decides nothing itself: validity comes from `validate::connection`,
//! merging from `update::apply` (through the SDK), facts from `x509::inspect`.

mod fields;
mod signin;
mod state;
mod steps;

/// The client a Leptos app hands to [`SamlConnectionPanel`].
pub use crate::js::client::SsoClient;
use crate::js::client::{ClientOptions, create_client};
use crate::model::{IdentityProvider, Status};
use crate::provider;
use fields::{CertificateCard, Field, IssueList, MappingEditor, TextArea};
use leptos::prelude::*;
use state::Panel;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

const STYLE: &str = include_str!("panel.css");

/// The settings panel for one connection, for Leptos apps:
///
/// ```ignore
/// use samlkit::panel::{SamlConnectionPanel, SsoClient};
/// let client = std::rc::Rc::new(SsoClient::new("https://api.example.com", &session_token));
/// view! { <SamlConnectionPanel connection_id=connection_id client=client /> }
/// ```
#[component]
pub fn SamlConnectionPanel(
    #[prop(into)] connection_id: String,
    client: Rc<SsoClient>,
    /// Called with the connection after each save.
    #[prop(default = None)]
    on_saved: Option<UnsyncCallback<crate::model::Connection>>,
) -> impl IntoView {
    let panel = Panel::new(client, connection_id, on_saved);
    panel.load();
    let active = move || panel.report.with(|r| r.status == Status::Active);
    let missing = move || {
        panel
            .report
            .with(|r| r.missing.iter().map(|m| m.label()).collect::<Vec<_>>().join(", "))
    };
    let chosen = move || {
        let name = panel.draft.with(|d| d.identity_provider.clone()).unwrap_or_default();
        IdentityProvider::parse(&name).unwrap_or(IdentityProvider::Generic)
    };
    let hints = move || provider::hints(chosen());
    let provider_name = move || match chosen() {
        IdentityProvider::Generic => "your IdP",
        ip => ip.display_name(),
    };
    let save = panel.save_action();
    let can_save = move || panel.can_save() && !save.pending().get();
    let read_only = move || panel.read_only.get();
    let read_only_note = move || {
        (!panel.loading.get() && read_only()).then_some("Your role may view this connection but not change it.")
    };

    view! {
        <section class="samlkit-panel" aria-label="SAML connection settings" data-step=move || panel.view.get().attr()
            on:click=move |ev| steps::on_click(panel, ev)>
            <style>{STYLE}</style>
            <header class="sk-header">
                <h2>"SAML single sign-on"</h2>
                <span class=move || if active() { "sk-badge sk-active" } else { "sk-badge sk-pending" }>
                    {move || if active() { "Active".to_owned() } else { format!("Pending — missing: {}", missing()) }}
                </span>
            </header>
            <steps::Steps panel=panel />
            {move || read_only_note().map(|r| view! { <p class="sk-note" role="note">{r}</p> })}
            {move || panel.load_error.get().map(|e| view! { <p class="sk-error" role="alert">{e}</p> })}
            {move || panel.conflict.get().then(|| view! {
                <p class="sk-error" role="alert">
                    "Someone else changed this connection since you opened it. "
                    <button type="button" on:click=move |_| panel.load()>"Reload their version"</button>
                </p>
            })}
            <fieldset class="sk-group" data-steps="0" disabled=read_only>
                <legend>"Identity provider"</legend>
                <Field panel=panel field="display_name" label="Connection name"
                    hint=Signal::derive(|| "What your members see on the sign-in page.".to_owned()) />
                <div class="sk-field">
                    <label for=panel.id("identity_provider")>"Identity provider type"</label>
                    <select id=panel.id("identity_provider")
                        on:change=move |ev| panel.choose_provider(event_target_value(&ev))
                        prop:value=move || panel.text("identity_provider")>
                        {IdentityProvider::ALL.iter().map(|ip| view! { <option value=ip.as_str()>{ip.display_name()}</option> }).collect_view()}
                    </select>
                    <p class="sk-hint">"Left at “Other SAML 2.0 IdP”, it is recognised from the metadata you paste."</p>
                </div>
            </fieldset>
            <fieldset class="sk-group" data-steps="1">
                <legend>"For your identity provider"</legend>
                <fields::CopyField panel=panel name="acs_url" label="ACS URL (reply URL)" value=Signal::derive(move || panel.saved_field(|c| c.acs_url.clone())) />
                <fields::CopyField panel=panel name="audience_uri" label="Audience (SP entity ID)" value=Signal::derive(move || panel.saved_field(|c| c.audience_uri.clone())) />
                <button type="button" on:click=move |_| panel.download_sp_metadata()>"Download SP metadata"</button>
                <p class="sk-hint">"In "{provider_name}", create a SAML application with the values above; then find its own values for the next step:"</p>
                <dl class="sk-console">
                    <dt>"Its entity ID"</dt><dd>{move || hints().entity_id}</dd>
                    <dt>"Its SSO URL"</dt><dd>{move || hints().sso_url}</dd>
                    <dt>"Its certificate"</dt><dd>{move || hints().certificate}</dd>
                </dl>
            </fieldset>
            <fieldset class="sk-group" data-steps="2" disabled=read_only>
                <legend>"From your identity provider"</legend>
                <TextArea panel=panel field="metadata" label="Paste IdP metadata XML (fills the fields below)" rows=4 import=true
                    upload=(".xml,application/samlmetadata+xml,text/xml", "Or choose the metadata file") />
                <Field panel=panel field="idp_entity_id" label="IdP entity ID (issuer)" hint=Signal::derive(move || hints().entity_id.to_owned()) />
                <Field panel=panel field="idp_sso_url" label="IdP SSO URL" hint=Signal::derive(move || hints().sso_url.to_owned()) />
                {move || {
                    let binding = panel.draft.with(|d| d.idp_sso_binding.clone())?;
                    let reason = panel.sso_choice.with(|c| c.as_ref().map(|c| format!(" — {}", c.reason))).unwrap_or_default();
                    Some(view! { <p class="sk-hint sk-binding" role="status">"SSO binding: " <strong>{binding}</strong>{reason}</p> })
                }}
                <Field panel=panel field="nameid_format" label="NameID format"
                    hint=Signal::derive(|| "Usually urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress".to_owned()) />
            </fieldset>
            <fieldset class="sk-group" data-steps="2" disabled=read_only>
                <legend>"Signing certificates"</legend>
                {move || panel.certificate_cards().into_iter().map(|card| view! { <CertificateCard panel=panel card=card /> }).collect_view()}
                <TextArea panel=panel field="x509_certificate" label="Add the IdP's signing certificate (PEM)" rows=6 import=false
                    upload=(".cer,.crt,.pem,.der,application/pkix-cert,application/x-x509-ca-cert", "Or choose the certificate file (PEM or binary DER .cer)") />
            </fieldset>
            <fieldset class="sk-group" data-steps="3" id=panel.id("step-attributes") tabindex="-1" disabled=read_only>
                <legend>"Attribute mapping"</legend>
                <MappingEditor panel=panel />
            </fieldset>
            <fieldset class="sk-group" data-steps="4" id=panel.id("step-roles") tabindex="-1" disabled=read_only>
                <legend>"Roles"</legend>
                <fields::RolesEditor panel=panel />
            </fieldset>
            <signin::TestSignIn panel=panel />
            <details class="sk-group" data-steps="1">
                <summary>"Advanced"</summary>
                <fieldset class="sk-plain" disabled=read_only>
                    <div class="sk-field">
                        <div class="sk-check">
                            <input type="checkbox" id=panel.id("idp_initiated_auth_disabled")
                                prop:checked=move || panel.draft.with(|d| d.idp_initiated_auth_disabled.unwrap_or(false))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    panel.saved_message.set(None);
                                    panel.draft.update(|d| d.idp_initiated_auth_disabled = Some(on));
                                } />
                            <label for=panel.id("idp_initiated_auth_disabled")>"Refuse IdP-initiated sign-in"</label>
                        </div>
                    </div>
                    <Field panel=panel field="alternative_audience_uri" label="Alternative audience URI"
                        hint=Signal::derive(|| "Only when the IdP cannot send this SP's audience.".to_owned()) />
                    <fields::KeyField panel=panel field="saml_encryption_private_key" label="Assertion decryption key (PKCS#1 RSA, write-only)" />
                    <fields::KeyField panel=panel field="signing_private_key" label="Request signing key (write-only)" />
                    <TextArea panel=panel field="signing_certificate" label="Certificate of the signing key (published in the SP metadata)" rows=4 import=false />
                </fieldset>
            </details>
            <fieldset class="sk-group" data-steps="6" id=panel.id("step-activate") tabindex="-1" disabled=read_only>
                <legend>"Activate"</legend>
                <p class="sk-hint">"Saved with every step done, the connection is active: your members can sign in with your IdP. Until then nobody signs in with it."</p>
            </fieldset>
            <steps::StepButtons />
            <IssueList panel=panel field="" />
            <footer class="sk-footer">
                <button type="button" class="sk-save" id=panel.id("save") disabled=move || !can_save() on:click=move |_| { save.dispatch_local(()); }>
                    {move || if save.pending().get() { "Saving…" } else { "Save" }}
                </button>
                {move || panel.saved_message.get().map(|m| view! { <span class="sk-saved" role="status">{m}</span> })}
            </footer>
        </section>
    }
}

/// What `mountSamlPanel` returns: `unmount()` removes the panel.
#[wasm_bindgen]
pub struct PanelHandle {
    mounted: Option<Box<dyn std::any::Any>>,
}

#[wasm_bindgen]
impl PanelHandle {
    /// Removes the panel from the page.
    pub fn unmount(&mut self) {
        self.mounted.take();
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS_PANEL: &str = r#"
export interface PanelOptions extends ClientOptions {
  /** The connection to edit. */
  connectionId: string;
  /** Called with the connection after each save (to refresh a list, say). */
  onSaved?: (connection: Connection) => void;
}
"#;

/// Mounts the settings panel into `element` (any page: plain HTML, React, Vue...).
///
/// ```ts
/// const panel = mountSamlPanel(document.getElementById("sso")!, { baseUrl, sessionToken, connectionId });
/// // later: panel.unmount();
/// ```
#[wasm_bindgen(js_name = mountSamlPanel)]
pub fn mount_saml_panel(
    element: web_sys::HtmlElement,
    #[wasm_bindgen(unchecked_param_type = "PanelOptions")] options: JsValue,
) -> Result<PanelHandle, JsValue> {
    let connection_id = js_sys::Reflect::get(&options, &JsValue::from_str("connectionId"))?
        .as_string()
        .ok_or_else(|| crate::js::error::usage("mountSamlPanel needs connectionId"))?;
    let on_saved = js_sys::Reflect::get(&options, &JsValue::from_str("onSaved"))?
        .dyn_into::<js_sys::Function>()
        .ok()
        .map(|f| {
            UnsyncCallback::new(move |c: crate::model::Connection| {
                // Through serde_json's Value: the serializers the SDK has already.
                if let Ok(c) = serde_json::to_value(&c)
                    .map_err(|_| JsValue::NULL)
                    .and_then(|v| crate::js::to_js(&v))
                {
                    let _ = f.call1(&JsValue::NULL, &c);
                }
            })
        });
    let client = create_client(options.unchecked_into::<ClientOptions>())?.inner();
    let handle = leptos::mount::mount_to(
        element,
        move || view! { <SamlConnectionPanel connection_id=connection_id client=client on_saved=on_saved /> },
    );
    Ok(PanelHandle {
        mounted: Some(Box::new(handle)),
    })
}
