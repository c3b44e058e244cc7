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

fn by_id(id: &str) -> web_sys::Element {
    document().get_element_by_id(id).unwrap_or_else(|| panic!("no #{id}"))
}

fn type_into(id: &str, text: &str) {
    let el = by_id(id);
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        input.set_value(text);
    } else {
        el.dyn_ref::<HtmlTextAreaElement>().unwrap().set_value(text);
    }
    el.dispatch_event(
        &web_sys::Event::new_with_event_init_dict("input", &{
            let init = web_sys::EventInit::new();
            init.set_bubbles(true);
            init
        })
        .unwrap(),
    )
    .unwrap();
}

fn text_of(selector: &str) -> String {
    document()
        .query_selector(selector)
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

fn host() -> HtmlElement {
    let host = document()
        .create_element("div")
        .unwrap()
        .unchecked_into::<HtmlElement>();
    document().body().unwrap().append_child(&host).unwrap();
    host
}

#[wasm_bindgen_test]
async fn inline_errors_then_save_to_active() {
    let id = new_connection().await;
    let host = host();
    let options = js(&json!({"baseUrl": server(), "sessionToken": token(false), "connectionId": id}));
    let mut handle = mount_saml_panel(host.clone(), options).unwrap();
    until("the panel loads", || {
        by_id("sk-acs-url-(reply-url)")
            .dyn_ref::<HtmlInputElement>()
            .unwrap()
            .value()
            .contains(&id)
    })
    .await;

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
    type_into("sk-idp_sso_url", "http://idp.example.com/sso");
    until("the SSO URL is invalid", || {
        by_id("sk-idp_sso_url").get_attribute("aria-invalid").as_deref() == Some("true")
    })
    .await;
    assert!(text_of("#sk-idp_sso_url-issues").contains("https"));
    assert_eq!(
        by_id("sk-idp_sso_url")
            .get_attribute("aria-describedby")
            .unwrap()
            .split(' ')
            .next(),
        Some("sk-idp_sso_url-issues")
    );
    assert!(
        host.query_selector(".sk-save")
            .unwrap()
            .unwrap()
            .has_attribute("disabled")
    );

    // An expired certificate is an error under its field, with its facts.
    type_into(
        "sk-x509_certificate",
        common::corpus_text("certs/oracle-oam_gosaml2_jpl.pem"),
    );
    until("the certificate is refused", || {
        host.query_selector("#sk-x509_certificate-issues [data-code=cert_expired]")
            .unwrap()
            .is_some()
    })
    .await;
    assert!(text_of(".sk-facts").contains("deaoam-dev02.jpl.nasa.gov"));

    // Fix everything; the status stays pending until the mapping is there.
    type_into("sk-idp_sso_url", "https://acme.okta.com/app/acme/exk1abc/sso/saml");
    type_into("sk-idp_entity_id", "http://www.okta.com/exk1abc");
    let cert = common::fixture_files::FILES
        .iter()
        .find(|(n, _)| *n == "rsa2048_sp.crt")
        .unwrap()
        .1;
    type_into("sk-x509_certificate", cert);
    until("pending without a mapping", || {
        text_of(".sk-badge").contains("attribute mapping")
    })
    .await;
    for (key, value) in [("email", "email"), ("full_name", "name")] {
        let add = host.query_selector_all("button").unwrap();
        let add = (0..add.length())
            .map(|i| add.item(i).unwrap().unchecked_into::<HtmlElement>())
            .find(|b| b.text_content().unwrap_or_default() == "Add a mapping")
            .unwrap();
        add.click();
        sleep(30).await;
        let keys = host.query_selector_all("input[id^=sk-map-key-]").unwrap();
        let last = keys
            .item(keys.length() - 1)
            .unwrap()
            .unchecked_into::<web_sys::Element>()
            .id();
        type_into(&last, key);
        type_into(&last.replace("key", "value"), value);
    }
    until("active", || text_of(".sk-badge") == "Active").await;
    let save = host
        .query_selector(".sk-save")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>();
    assert!(!save.has_attribute("disabled"));
    save.click();
    until("saved", || text_of(".sk-saved") == "Saved.").await;
    assert_eq!(text_of(".sk-badge"), "Active");
    assert_eq!(host.query_selector_all(".sk-card").unwrap().length(), 1);

    handle.unmount();
    assert!(
        host.query_selector(".samlkit-panel").unwrap().is_none(),
        "unmount removes the panel"
    );
}

#[wasm_bindgen_test]
async fn a_read_only_member_sees_everything_disabled() {
    let id = new_connection().await;
    let host = host();
    let options = js(&json!({"baseUrl": server(), "sessionToken": token(true), "connectionId": id}));
    let _handle = mount_saml_panel(host.clone(), options).unwrap();
    until("the read-only note", || text_of(".sk-note").contains("may view")).await;
    // Everything editable is disabled; the SP values stay copyable.
    let groups = host.query_selector_all("fieldset").unwrap();
    for i in 0..groups.length() {
        let group = groups.item(i).unwrap().unchecked_into::<web_sys::Element>();
        let legend = group.query_selector("legend").unwrap().unwrap().text_content().unwrap();
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
