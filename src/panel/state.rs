//! The panel's state: the connection as saved, the draft being edited, and the
//! core's verdict on that draft, recomputed on every keystroke.

use super::steps::View;
use crate::field::Field;
use crate::issue::Issue;
use crate::js::client::SsoClient;
use crate::model::{CertText, Connection, Draft, IdentityProvider, ServiceProvider};
use crate::validate::{self, Context, Report};
use crate::x509::CertificateFacts;
use crate::{Timestamp, metadata};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};
use wasm_bindgen::{JsCast, JsValue};

/// One stored certificate as a card shows it.
#[derive(Clone, PartialEq)]
pub struct Card {
    pub index: usize,
    pub certificate_id: String,
    pub facts: Option<CertificateFacts>,
}

/// Copy, so that every reactive closure can hold it: the client (not `Send`)
/// lives in Leptos' local arena.
#[derive(Clone, Copy)]
pub struct Panel {
    client: StoredValue<Rc<SsoClient>, LocalStorage>,
    /// Told of every saved connection (the host page refreshes its list).
    on_saved: StoredValue<Option<UnsyncCallback<Connection>>, LocalStorage>,
    connection_id: StoredValue<String>,
    /// Makes element ids unique, so several panels can share a page.
    prefix: StoredValue<String>,
    pub saved: RwSignal<Option<Connection>>,
    pub draft: RwSignal<Draft>,
    pub metadata_text: RwSignal<String>,
    pub report: Memo<Report>,
    pub server_issues: RwSignal<Vec<Issue>>,
    pub import_issues: RwSignal<Vec<Issue>>,
    /// Problems of the last file read into a field (its path under the field).
    pub upload_issues: RwSignal<Vec<Issue>>,
    /// Why the imported metadata's SSO endpoint and binding were chosen.
    pub sso_choice: RwSignal<Option<metadata::SsoChoice>>,
    /// Attribute mapping rows as edited (a map would reorder under the cursor).
    pub mapping_rows: RwSignal<Vec<(u32, String, String)>>,
    pub loading: RwSignal<bool>,
    pub read_only: RwSignal<bool>,
    pub load_error: RwSignal<Option<String>>,
    pub conflict: RwSignal<bool>,
    pub saved_message: RwSignal<Option<String>>,
    /// The id (the AuthnRequest's) of the test sign-in being waited for.
    pending_test: StoredValue<String>,
    /// The last test sign-in's outcome (`passed`, `failed`), for the steps.
    pub test_verdict: RwSignal<Option<String>>,
    /// The summary, one step of the setup, or every section.
    pub view: RwSignal<View>,
}

/// How often the panel asks whether the IdP answered a test, and for how long.
const TEST_POLL_MS: u64 = 2_000;
const TEST_POLLS: u32 = 300;

static NEXT_PANEL: AtomicU32 = AtomicU32::new(1);

pub fn now() -> Timestamp {
    Timestamp::from_millis(js_sys::Date::now())
}

fn rows_of(draft: &Draft) -> Vec<(u32, String, String)> {
    draft
        .attribute_mapping
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, (k, v))| (i as u32, k.clone(), v.clone()))
        .collect()
}

impl Panel {
    pub fn new(client: Rc<SsoClient>, connection_id: String, on_saved: Option<UnsyncCallback<Connection>>) -> Panel {
        let saved = RwSignal::new(None::<Connection>);
        let draft = RwSignal::new(Draft::default());
        let report = Memo::new(move |_| {
            let sp = saved.with(|c| {
                c.as_ref().map(|c| ServiceProvider {
                    acs_url: c.acs_url.clone(),
                    audience_uri: c.audience_uri.clone(),
                })
            });
            draft.with(|d| {
                validate::connection(
                    d,
                    &Context {
                        now: now(),
                        service_provider: sp,
                    },
                )
            })
        });
        Panel {
            client: StoredValue::new_local(client),
            on_saved: StoredValue::new_local(on_saved),
            connection_id: StoredValue::new(connection_id),
            prefix: StoredValue::new(format!("sk{}", NEXT_PANEL.fetch_add(1, Ordering::Relaxed))),
            saved,
            draft,
            metadata_text: RwSignal::new(String::new()),
            report,
            server_issues: RwSignal::new(Vec::new()),
            import_issues: RwSignal::new(Vec::new()),
            upload_issues: RwSignal::new(Vec::new()),
            sso_choice: RwSignal::new(None),
            mapping_rows: RwSignal::new(Vec::new()),
            loading: RwSignal::new(true),
            read_only: RwSignal::new(true),
            load_error: RwSignal::new(None),
            conflict: RwSignal::new(false),
            saved_message: RwSignal::new(None),
            pending_test: StoredValue::new(String::new()),
            test_verdict: RwSignal::new(None),
            view: RwSignal::new(View::Summary),
        }
    }

    fn show(&self, connection: Connection) {
        let draft = connection.draft();
        self.mapping_rows.set(rows_of(&draft));
        self.draft.set(draft);
        self.saved.set(Some(connection));
        self.server_issues.set(Vec::new());
        self.conflict.set(false);
    }

    /// Loads (or reloads) the connection and the member's permissions.
    pub fn load(&self) {
        let p = *self;
        p.loading.set(true);
        spawn_local(async move {
            // The host page may unmount the panel at any await: every value is read
            // before, or with `try_`, and nothing is shown once it is gone.
            let (Some(client), Some(id)) = (p.client.try_get_value(), p.connection_id.try_get_value()) else {
                return;
            };
            let permissions = client.permissions().await;
            let connection = client.fetch_connection(&id).await;
            if p.connection_id.try_get_value().is_none() {
                return;
            }
            match (permissions, connection) {
                (Ok(perms), Ok(c)) => {
                    p.read_only.set(!perms.iter().any(|a| a == "update"));
                    p.load_error.set(None);
                    // First shown: a connection with nothing from its IdP yet opens
                    // the guided setup; a returning admin sees the summary.
                    if p.saved.with_untracked(Option::is_none) {
                        let fresh = c.idp_entity_id.is_empty()
                            && c.idp_sso_url.is_empty()
                            && c.verification_certificates.is_empty();
                        p.view.set(if fresh { View::Step(0) } else { View::Summary });
                    }
                    p.show(c);
                    if let Ok(answer) = client.last_test(&id).await {
                        p.show_test(&answer["test"]);
                    }
                }
                (Err(e), _) | (_, Err(e)) => p.load_error.set(Some(error_message(&e))),
            }
            p.loading.set(false);
        });
    }

    /// This panel's element id for `name`.
    pub fn id(&self, name: &str) -> String {
        format!("{}-{}", self.prefix.get_value(), name.replace('/', "-"))
    }

    pub fn saved_field(&self, f: impl Fn(&Connection) -> String) -> String {
        self.saved.with(|c| c.as_ref().map(&f).unwrap_or_default())
    }

    pub fn text(&self, field: &str) -> String {
        if field == "metadata" {
            return self.metadata_text.get();
        }
        if field == "x509_certificate" {
            return self
                .draft
                .with(|d| d.x509_certificate.as_deref().map(str::to_owned))
                .unwrap_or_default();
        }
        self.draft
            .with(|d| Field::parse(field).and_then(|f| f.text(d)).cloned().flatten())
            .unwrap_or_default()
    }

    pub fn set_text(&self, field: &str, value: String) {
        self.saved_message.set(None);
        if field == "metadata" {
            self.metadata_text.set(value);
            return;
        }
        self.draft.update(|d| {
            if field == "x509_certificate" {
                d.x509_certificate = (!value.is_empty()).then(|| value.into());
            } else if let Some(slot) = Field::parse(field).and_then(|f| f.text_mut(d)) {
                *slot = (!value.is_empty()).then_some(value);
            }
        });
    }

    /// Every issue for a field: the core's verdict on the draft, and the
    /// server's last answer (until the field changes again).
    pub fn issues(&self, field: &str) -> Vec<Issue> {
        let path = if field.is_empty() {
            String::new()
        } else {
            format!("/{field}")
        };
        let matches = |i: &Issue| {
            if path.is_empty() {
                i.path.is_empty()
            } else {
                i.path == path || i.path.starts_with(&format!("{path}/"))
            }
        };
        let mut out: Vec<Issue> = self
            .report
            .with(|r| r.issues.iter().filter(|i| matches(i)).cloned().collect());
        if field == "metadata" {
            out.extend(self.import_issues.get());
        }
        out.extend(self.upload_issues.get().into_iter().filter(|i| matches(i)));
        for issue in self.server_issues.get() {
            if matches(&issue) && !out.iter().any(|i| i.code == issue.code && i.path == issue.path) {
                out.push(issue);
            }
        }
        out
    }

    /// Fills the fields from pasted metadata (the core's import), or shows why not.
    /// A file the admin chose for `field`: a certificate as PEM or binary DER
    /// (`.cer`, as ADFS and Entra download it) becomes the certificate's PEM; IdP
    /// metadata in UTF-8 or UTF-16 becomes the metadata text, then is imported. A
    /// file the core refuses leaves the field as it was and says why; its
    /// content is never put in a field (it may be a private key).
    pub fn read_file(&self, field: &str, bytes: &[u8]) {
        self.upload_issues.set(Vec::new());
        let refused = |issues: Vec<Issue>| issues.into_iter().map(|i| i.under(&format!("/{field}"))).collect();
        match field {
            "metadata" => match metadata::decode_bytes(bytes) {
                Ok(xml) => {
                    self.set_text("metadata", xml);
                    self.import_metadata(None);
                }
                Err(issue) => self.upload_issues.set(refused(vec![issue])),
            },
            _ => {
                let report = validate::certificate_bytes(bytes, &Context::at(now()));
                match report.certificates.into_iter().next() {
                    Some(facts) => self.set_text(field, facts.pem),
                    None => self.upload_issues.set(refused(report.issues)),
                }
            }
        }
    }

    pub fn import_metadata(&self, entity_id: Option<String>) {
        let xml = self.metadata_text.get();
        let import = metadata::import(&xml, entity_id.as_deref(), now());
        self.import_issues.set(import.issues.clone());
        self.sso_choice.set(import.sso_choice.clone());
        let Some(imported) = import.draft else { return };
        self.draft.update(|d| {
            d.take_idp_settings(&imported);
            // The product the metadata's hosts and paths name, unless the admin chose one.
            let chosen = d
                .identity_provider
                .as_deref()
                .filter(|p| !p.is_empty() && *p != "generic");
            if chosen.is_none()
                && let Some(p) = crate::provider::detect(d.idp_entity_id.as_deref(), d.idp_sso_url.as_deref())
            {
                d.identity_provider = Some(p.as_str().to_owned());
            }
            fill_default_mapping(d);
            let known: Vec<CertText> = d
                .verification_certificates
                .iter()
                .map(|c| c.certificate.clone())
                .collect();
            // The IdP's first signing certificate not yet on the connection goes in the "add" field.
            d.x509_certificate = imported
                .verification_certificates
                .into_iter()
                .map(|c| c.certificate)
                .find(|c| !known.contains(c));
        });
        // The rows follow a mapping the import filled in.
        if self.mapping_rows.with_untracked(Vec::is_empty) {
            self.mapping_rows.set(self.draft.with_untracked(rows_of));
        }
    }

    /// The admin chose the IdP product: a mapping that is empty, or still the
    /// previous product's starting one, becomes the chosen product's.
    pub fn choose_provider(&self, name: String) {
        self.saved_message.set(None);
        let mut changed = false;
        self.draft.update(|d| {
            if d.attribute_mapping.as_ref() == Some(&default_mapping(provider_of(d))) {
                d.attribute_mapping = None;
            }
            let before = d.attribute_mapping.clone();
            d.identity_provider = Some(name);
            fill_default_mapping(d);
            changed = d.attribute_mapping != before;
        });
        if changed {
            self.mapping_rows.set(self.draft.with_untracked(rows_of));
        }
    }

    pub fn certificate_cards(&self) -> Vec<Card> {
        self.draft.with(|d| {
            d.verification_certificates
                .iter()
                .enumerate()
                .map(|(index, c)| Card {
                    index,
                    certificate_id: c.certificate_id.clone().unwrap_or_default(),
                    facts: c.certificate.parsed().certificates.first().cloned(),
                })
                .collect()
        })
    }

    pub fn set_mapping(&self, rows: Vec<(u32, String, String)>) {
        self.saved_message.set(None);
        // A row just added and still blank is not part of the mapping yet: it
        // gets its verdicts once something is typed in it.
        let map = rows
            .iter()
            .filter(|(_, k, v)| !(k.is_empty() && v.is_empty()))
            .map(|(_, k, v)| (k.clone(), v.clone()))
            .collect();
        self.mapping_rows.set(rows);
        self.draft.update(|d| d.attribute_mapping = Some(map));
    }

    /// The fields that differ from the saved connection, as an update (null clears).
    fn changes(&self) -> Value {
        let before = self
            .saved
            .with(|c| c.as_ref().map(|c| serde_json::to_value(c.draft()).unwrap_or_default()));
        let after = self.draft.with(|d| serde_json::to_value(d).unwrap_or_default());
        let (Some(Value::Object(before)), Value::Object(after)) = (before, after) else {
            return json!({});
        };
        let mut changes = serde_json::Map::new();
        for (k, v) in &after {
            if k != "verification_certificates" && before.get(k) != Some(v) {
                changes.insert(k.clone(), v.clone());
            }
        }
        for k in before.keys() {
            if !after.contains_key(k) && k != "verification_certificates" {
                changes.insert(k.clone(), Value::Null);
            }
        }
        Value::Object(changes)
    }

    pub fn dirty(&self) -> bool {
        self.changes().as_object().is_some_and(|c| !c.is_empty())
    }

    pub fn can_save(&self) -> bool {
        !self.loading.get() && !self.read_only.get() && self.dirty() && !self.report.with(Report::has_errors)
    }

    pub fn save_action(&self) -> Action<(), ()> {
        let p = *self;
        Action::new_local(move |_: &()| {
            let p = p;
            async move {
                let mut update = p.changes();
                update["connection_id"] = json!(p.connection_id.get_value());
                let client = p.client.get_value();
                match client.update_connection(update).await {
                    Ok(answer) => {
                        if let Ok(c) = crate::json::read::<Connection>(&answer["connection"]) {
                            if let Some(on_saved) = p.on_saved.try_get_value().flatten() {
                                on_saved.run(c.clone());
                            }
                            p.show(c);
                            p.saved_message.set(Some("Saved.".into()));
                        }
                    }
                    Err(e) => p.rejected(&e),
                }
            }
        })
    }

    /// Removes a stored certificate (rotation) right away, through the SDK.
    pub fn remove_certificate(&self, certificate_id: String) {
        let p = *self;
        spawn_local(async move {
            let params = json!({"connection_id": p.connection_id.get_value(), "certificate_id": certificate_id});
            let client = p.client.get_value();
            match client.delete_certificate(params).await {
                Ok(answer) => {
                    if let Ok(c) = crate::json::read::<Connection>(&answer["connection"]) {
                        p.show(c);
                    }
                }
                Err(e) => p.rejected(&e),
            }
        });
    }

    /// Saves this SP's metadata XML as a file, for the admin to upload to the IdP.
    pub fn download_sp_metadata(&self) {
        let p = *self;
        spawn_local(async move {
            let client = p.client.get_value();
            match client.sp_metadata(&p.connection_id.get_value()).await {
                Ok(xml) => {
                    if let Err(e) = save_file("sp-metadata.xml", "application/samlmetadata+xml", &xml) {
                        p.load_error.set(Some(error_message(&e)));
                    }
                }
                Err(e) => p.rejected(&e),
            }
        });
    }

    /// Starts a test sign-in, then waits for the IdP's answer at the ACS.
    pub fn start_test(&self) {
        let p = *self;
        spawn_local(async move {
            let (Some(client), Some(connection_id)) = (p.client.try_get_value(), p.connection_id.try_get_value())
            else {
                return;
            };
            match client.start_test(&connection_id).await {
                Ok(started) => {
                    let id = started["test_id"].as_str().unwrap_or_default().to_owned();
                    if p.pending_test.try_set_value(id.clone()).is_some() {
                        return;
                    }
                    if let Some(list) = p.test_report() {
                        let _ =
                            super::signin::render_pending(&list, started["redirect_url"].as_str().unwrap_or_default());
                    }
                    p.poll_test(id, TEST_POLLS);
                }
                Err(e) => p.rejected(&e),
            }
        });
    }

    /// Shows a test's answer (`null` before the first) under the test sign-in button.
    fn show_test(&self, test: &Value) {
        if test.is_null() {
            return;
        }
        let passed = test["report"]["passed"] == true;
        self.test_verdict
            .set(Some(if passed { "passed" } else { "failed" }.to_owned()));
        if let Some(list) = self.test_report() {
            let _ = super::signin::render_report(&list, test);
        }
    }

    /// Where the test sign-in's state is shown (none once the panel is unmounted).
    fn test_report(&self) -> Option<web_sys::Element> {
        let id = format!("{}-test_report", self.prefix.try_get_value()?);
        web_sys::window()?.document()?.get_element_by_id(&id)
    }

    fn poll_test(&self, id: String, polls_left: u32) {
        let p = *self;
        set_timeout(
            move || {
                spawn_local(async move {
                    // Another test started since, or the panel is gone: this wait is over.
                    let (Some(pending), Some(client), Some(connection_id)) = (
                        p.pending_test.try_get_value(),
                        p.client.try_get_value(),
                        p.connection_id.try_get_value(),
                    ) else {
                        return;
                    };
                    if pending != id {
                        return;
                    }
                    let answer = client.last_test(&connection_id).await;
                    match answer {
                        Ok(answer) if answer["test"]["test_id"] == id.as_str() => p.show_test(&answer["test"]),
                        _ if polls_left == 0 => {
                            if let Some(list) = p.test_report() {
                                list.set_text_content(Some(
                                    "The IdP did not answer within ten minutes; start a new test.",
                                ));
                            }
                        }
                        _ => p.poll_test(id, polls_left - 1),
                    }
                });
            },
            std::time::Duration::from_millis(TEST_POLL_MS),
        );
    }

    fn rejected(&self, e: &JsValue) {
        let get = |k: &str| js_sys::Reflect::get(e, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
        if get("code").as_string().as_deref() == Some("precondition_failed") {
            self.conflict.set(true);
            return;
        }
        let issues = issues_of(&get("issues"));
        if issues.is_empty() {
            self.load_error.set(Some(error_message(e)));
        }
        self.server_issues.set(issues);
    }
}

/// The provider the draft names (generic when none or unknown).
fn provider_of(d: &Draft) -> IdentityProvider {
    d.identity_provider
        .as_deref()
        .and_then(IdentityProvider::parse)
        .unwrap_or(IdentityProvider::Generic)
}

/// A provider's starting attribute mapping ([`crate::provider::default_mapping`]).
fn default_mapping(provider: IdentityProvider) -> BTreeMap<String, String> {
    crate::provider::default_mapping(provider)
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// An empty attribute mapping gets the provider's starting one; an existing one
/// is never changed.
fn fill_default_mapping(d: &mut Draft) {
    if d.attribute_mapping.as_ref().is_some_and(|m| !m.is_empty()) {
        return;
    }
    d.attribute_mapping = Some(default_mapping(provider_of(d)));
}

/// The issues of a `SamlkitError`, read member by member (an issue whose code
/// this build does not know is left out).
fn issues_of(list: &JsValue) -> Vec<Issue> {
    let text = |o: &JsValue, k: &str| {
        js_sys::Reflect::get(o, &JsValue::from_str(k))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let Some(list) = list.dyn_ref::<js_sys::Array>() else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|i| {
            let mut issue = Issue::with_message(
                crate::Code::from_name(&text(&i, "code"))?,
                text(&i, "path"),
                text(&i, "message"),
            );
            issue.severity = match text(&i, "severity").as_str() {
                "warning" => crate::Severity::Warning,
                _ => crate::Severity::Error,
            };
            Some(issue)
        })
        .collect()
}

/// Offers `text` as a download named `name`.
fn save_file(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let link = document
        .create_element("a")?
        .unchecked_into::<web_sys::HtmlAnchorElement>();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    web_sys::Url::revoke_object_url(&url)
}

fn error_message(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "The request failed.".into())
}
