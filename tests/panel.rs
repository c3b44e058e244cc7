//! The panel in headless Chromium against the real test server: mount, type,
//! read the DOM (labels, aria-invalid, messages), save, unmount.
#![cfg(all(target_arch = "wasm32", feature = "panel"))]

mod common;

use samlkit::js::client::create_client;
use samlkit::panel::mount_saml_panel;
use serde::Serialize;
use serde_json::{Value, json};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

#[allow(clippy::option_env_unwrap)]
fn server() -> &'static str {
    option_env!("SAMLKIT_SDK_TEST_BASE").expect("SAMLKIT_SDK_TEST_BASE: run through scripts/test.sh")
}

#[allow(clippy::option_env_unwrap)]
fn token(viewer: bool) -> &'static str {
    if viewer {
        option_env!("SAMLKIT_SDK_TEST_VIEWER")
    } else {
        option_env!("SAMLKIT_SDK_TEST_ADMIN")
    }
    .expect("tokens come from scripts/test.sh")
}

fn js(v: &Value) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap()
}

async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(p).await.unwrap();
}

/// Waits (up to 5 s) until `f` holds.
async fn until(what: &str, f: impl Fn() -> bool) {
    for _ in 0..100 {
        if f() {
            return;
        }
        sleep(50).await;
    }
    panic!("timed out waiting for: {what}");
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// The element of `host`'s panel whose id ends in `-{name}` (ids carry a per-panel prefix).
fn by_id(host: &HtmlElement, name: &str) -> web_sys::Element {
    host.query_selector(&format!("[id$='-{name}']"))
        .unwrap()
        .unwrap_or_else(|| panic!("no element for {name}"))
}

fn type_into(host: &HtmlElement, name: &str, text: &str) {
    let el = by_id(host, name);
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        input.set_value(text);
    } else {
        el.dyn_ref::<HtmlTextAreaElement>().unwrap().set_value(text);
    }
    for kind in ["input", "change"] {
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        el.dispatch_event(&web_sys::Event::new_with_event_init_dict(kind, &init).unwrap())
            .unwrap();
    }
}

/// Text of the first match inside `host` (tests run concurrently in one page,
/// so nothing is looked up document-wide).
fn text_of(host: &HtmlElement, selector: &str) -> String {
    host.query_selector(selector)
        .unwrap()
        .map(|e| e.text_content().unwrap_or_default())
        .unwrap_or_default()
}

async fn new_connection() -> String {
    let options = js(&json!({"baseUrl": server(), "sessionToken": token(false)}));
    let client = create_client(options.unchecked_into()).unwrap();
    let created = JsFuture::from(
        client
            .sso()
            .saml()
            .create_connection(js(&json!({"display_name": "Panel test", "identity_provider": "okta"}))),
    )
    .await
    .unwrap();
    let created: Value = serde_wasm_bindgen::from_value(created).unwrap();
    created["connection"]["connection_id"].as_str().unwrap().to_owned()
}

/// A new connection, and the panel for it mounted and loaded (as admin or viewer).
async fn mount_loaded(viewer: bool) -> (HtmlElement, samlkit::panel::PanelHandle) {
    let id = new_connection().await;
    let host = host();
    let options = js(&json!({"baseUrl": server(), "sessionToken": token(viewer), "connectionId": id}));
    let handle = mount_saml_panel(host.clone(), options).unwrap();
    until_loaded(&host, &id).await;
    (host, handle)
}

/// Waits until the panel in `host` shows connection `id` (its ACS URL names it).
async fn until_loaded(host: &HtmlElement, id: &str) {
    until("the panel loads the connection", || {
        by_id(host, "acs_url")
            .dyn_ref::<HtmlInputElement>()
            .unwrap()
            .value()
            .contains(id)
    })
    .await;
}

fn host() -> HtmlElement {
    let host = document()
        .create_element("div")
        .unwrap()
        .unchecked_into::<HtmlElement>();
    document().body().unwrap().append_child(&host).unwrap();
    host
}

/// Leptos apps use the component itself, with a Rust client.
#[wasm_bindgen_test]
async fn as_a_leptos_component() {
    use leptos::prelude::*;
    use samlkit::panel::{SamlConnectionPanel, SsoClient};
    let id = new_connection().await;
    let host = host();
    let client = std::rc::Rc::new(SsoClient::new(server(), token(false)));
    let connection_id = id.clone();
    let handle = leptos::mount::mount_to(
        host.clone(),
        move || view! { <SamlConnectionPanel connection_id=connection_id client=client /> },
    );
    until_loaded(&host, &id).await;
    type_into(&host, "idp_sso_url", "http://idp.example.com/sso");
    until("the core's verdict shows on the field", || {
        text_of(&host, "[id$='-idp_sso_url-issues']").contains("https")
    })
    .await;
    drop(handle);
    assert!(
        host.inner_html().is_empty(),
        "dropping the handle removes the component"
    );
}

#[wasm_bindgen_test]
async fn inline_errors_then_save_to_active() {
    let (host, mut handle) = mount_loaded(false).await;

    // Every input has a label.
    let inputs = host.query_selector_all("input, textarea, select").unwrap();
    for i in 0..inputs.length() {
        let el = inputs.item(i).unwrap().unchecked_into::<web_sys::Element>();
        let input_id = el.id();
        assert!(
            host.query_selector(&format!("label[for='{input_id}']"))
                .unwrap()
                .is_some(),
            "#{input_id} has no label"
        );
    }

    // A plain-http SSO URL is an error at the field before any save.
    type_into(&host, "idp_sso_url", "http://idp.example.com/sso");
    until("the SSO URL is invalid", || {
        by_id(&host, "idp_sso_url").get_attribute("aria-invalid").as_deref() == Some("true")
    })
    .await;
    assert!(text_of(&host, "[id$='-idp_sso_url-issues']").contains("https"));
    let messages_id = by_id(&host, "idp_sso_url-issues").id();
    let described_by = by_id(&host, "idp_sso_url").get_attribute("aria-describedby").unwrap();
    assert_eq!(described_by.split(' ').next(), Some(messages_id.as_str()));
    assert!(
        host.query_selector(".sk-save")
            .unwrap()
            .unwrap()
            .has_attribute("disabled")
    );

    // An expired certificate is an error under its field, with its facts.
    type_into(
        &host,
        "x509_certificate",
        common::corpus_text("certs/oracle-oam_gosaml2_jpl.pem"),
    );
    until("the certificate is refused", || {
        host.query_selector("[id$='-x509_certificate-issues'] [data-code=cert_expired]")
            .unwrap()
            .is_some()
    })
    .await;
    assert!(text_of(&host, ".sk-facts").contains("deaoam-dev02.jpl.nasa.gov"));

    // Fix everything; the status stays pending until the mapping is there.
    type_into(&host, "idp_sso_url", "https://acme.okta.com/app/acme/exk1abc/sso/saml");
    type_into(&host, "idp_entity_id", "http://www.okta.com/exk1abc");
    let cert = common::fixture_files::FILES
        .iter()
        .find(|(n, _)| *n == "rsa2048_sp.crt")
        .unwrap()
        .1;
    type_into(&host, "x509_certificate", cert);
    until("pending without a mapping", || {
        text_of(&host, ".sk-badge").contains("attribute mapping")
    })
    .await;
    for (key, value) in [("email", "email"), ("full_name", "name")] {
        click_button(&host, "Add a mapping");
        sleep(30).await;
        let keys = host.query_selector_all("input[id*=-map-key-]").unwrap();
        let last = keys
            .item(keys.length() - 1)
            .unwrap()
            .unchecked_into::<web_sys::Element>()
            .id();
        let row = last.rsplit('-').next().unwrap().to_owned();
        type_into(&host, &format!("map-key-{row}"), key);
        type_into(&host, &format!("map-value-{row}"), value);
    }
    until("active", || text_of(&host, ".sk-badge") == "Active").await;
    let save = host
        .query_selector(".sk-save")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>();
    assert!(!save.has_attribute("disabled"));
    save.click();
    until("saved", || text_of(&host, ".sk-saved") == "Saved.").await;
    assert_eq!(text_of(&host, ".sk-badge"), "Active");
    assert_eq!(host.query_selector_all(".sk-card").unwrap().length(), 1);

    handle.unmount();
    assert!(
        host.query_selector(".samlkit-panel").unwrap().is_none(),
        "unmount removes the panel"
    );
}

#[wasm_bindgen_test]
async fn a_read_only_member_sees_everything_disabled() {
    let (host, _handle) = mount_loaded(true).await;
    until("the read-only note", || text_of(&host, ".sk-note").contains("may view")).await;
    // Everything editable is disabled; the SP values stay copyable.
    let groups = host.query_selector_all("fieldset").unwrap();
    for i in 0..groups.length() {
        let group = groups.item(i).unwrap().unchecked_into::<web_sys::Element>();
        let legend = group
            .query_selector("legend")
            .unwrap()
            .and_then(|l| l.text_content())
            .unwrap_or_default();
        assert_eq!(
            group.has_attribute("disabled"),
            legend != "For your identity provider",
            "{legend}"
        );
    }
    assert!(
        host.query_selector(".sk-save")
            .unwrap()
            .unwrap()
            .has_attribute("disabled")
    );
}

fn click_button(host: &HtmlElement, text: &str) {
    let buttons = host.query_selector_all("button").unwrap();
    (0..buttons.length())
        .map(|i| buttons.item(i).unwrap().unchecked_into::<HtmlElement>())
        .find(|b| b.text_content().unwrap_or_default() == text)
        .unwrap_or_else(|| panic!("no button {text:?}"))
        .click();
}

#[wasm_bindgen_test]
async fn group_roles_need_groups_and_keys_are_checked() {
    let (host, _handle) = mount_loaded(false).await;

    click_button(&host, "Add a group role");
    sleep(30).await;
    type_into(&host, "saml_group_implicit_role_assignments-0-group", "IT");
    type_into(&host, "saml_group_implicit_role_assignments-0-role_id", "admin");
    until("groups must be mapped", || {
        host.query_selector("[data-code=attribute_mapping_missing_groups]")
            .unwrap()
            .is_some()
    })
    .await;

    let pkcs8 = common::fixture_files::FILES
        .iter()
        .find(|(n, _)| *n == "rsa2048_pkcs8.key")
        .unwrap()
        .1;
    type_into(&host, "saml_encryption_private_key", pkcs8);
    until("PKCS#8 is refused for decryption", || {
        host.query_selector("[id$='-saml_encryption_private_key-issues'] [data-code=key_pkcs8_not_supported]")
            .unwrap()
            .is_some()
    })
    .await;
    assert_eq!(
        by_id(&host, "saml_encryption_private_key")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert!(text_of(&host, ".samlkit-panel").contains("No key is set."));
}

/// The same panel saves through each dialect's API (the SDK translates).
#[wasm_bindgen_test]
async fn saves_through_infisical_and_sailpoint() {
    for dialect in ["infisical", "sailpoint"] {
        #[allow(clippy::option_env_unwrap)]
        let token = match dialect {
            "infisical" => option_env!("SAMLKIT_SDK_TEST_PANEL_INFISICAL_ADMIN"),
            _ => option_env!("SAMLKIT_SDK_TEST_PANEL_SAILPOINT_ADMIN"),
        }
        .expect("tokens come from scripts/test.sh");
        if dialect == "infisical" {
            // Infisical's config is created by its own POST (all fields at once).
            #[allow(clippy::option_env_unwrap)]
            let org = option_env!("SAMLKIT_SDK_TEST_PANEL_INFISICAL_ORG").expect("from scripts/test.sh");
            let body = json!({"organizationId": org, "authProvider": "okta-saml", "isActive": true,
                "entryPoint": "https://acme.okta.com/app/acme_app_1/exk1abc/sso/saml",
                "issuer": "http://www.okta.com/exk1abc", "cert": common::fixture_files::FILES
                    .iter().find(|(n, _)| *n == "rsa2048_sp.crt").unwrap().1});
            gloo_net::http::Request::post(&format!("{}/api/v1/sso/config", server()))
                .header("authorization", &format!("Bearer {token}"))
                .json(&body)
                .unwrap()
                .send()
                .await
                .unwrap();
        }
        let options = json!({"baseUrl": server(), "sessionToken": token, "dialect": dialect});
        let client = create_client(js(&options).unchecked_into()).unwrap();
        let list: Value =
            serde_wasm_bindgen::from_value(JsFuture::from(client.sso().get_connections()).await.unwrap()).unwrap();
        let id = list["saml_connections"][0]["connection_id"]
            .as_str()
            .unwrap()
            .to_owned();

        let host = host();
        let mut options = options.clone();
        options["connectionId"] = json!(id);
        let mut handle = mount_saml_panel(host.clone(), js(&options)).unwrap();
        until_loaded(&host, &id).await;
        let entity = format!("http://www.okta.com/exk-{dialect}");
        type_into(&host, "idp_entity_id", &entity);
        until("save is possible", || {
            !host
                .query_selector(".sk-save")
                .unwrap()
                .unwrap()
                .has_attribute("disabled")
        })
        .await;
        click_button(&host, "Save");
        until("saved", || text_of(&host, ".sk-saved") == "Saved.").await;

        let fresh = create_client(
            js(&json!({"baseUrl": server(), "sessionToken": token, "dialect": dialect})).unchecked_into(),
        )
        .unwrap();
        let list: Value =
            serde_wasm_bindgen::from_value(JsFuture::from(fresh.sso().get_connections()).await.unwrap()).unwrap();
        assert_eq!(
            list["saml_connections"][0]["idp_entity_id"], entity,
            "{dialect}: the server has it"
        );
        handle.unmount();
    }
}
