//! API tests: a real server on port 0 with a fresh database per test, each run
//! on SQLite and on PostgreSQL.

#[macro_use]
mod helpers;
mod crash;
mod dialects;
mod faults;
mod hostile;
mod openapi;
mod signin;
mod tokens;

use helpers::*;
use serde_json::{Value, json};

both_databases!(create_then_activate_then_list_then_delete, |app: TestApp| async move {
    let created = app.create(&app.admin).await;
    assert_eq!(created.status, 200, "{}", created.text);
    let c = &created.body["connection"];
    assert_eq!(c["status"], "pending");
    let id = c["connection_id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("saml-connection-"));
    assert_eq!(c["acs_url"], format!("{}/v1/b2b/sso/callback/{id}", app.base));
    assert_eq!(c["audience_uri"], c["acs_url"]);
    assert_eq!(created.body["status_code"], 200);
    assert!(created.body["request_id"].as_str().unwrap().starts_with("request-id-"));
    assert_eq!(created.etag.as_deref(), Some("\"1\""));

    // Partly filled: still pending, nothing missing is an error.
    let partial = app
        .update(
            &id,
            json!({"idp_sso_url": "https://acme.okta.com/app/a/exk1abc/sso/saml"}),
        )
        .await;
    assert_eq!(partial.status, 200, "{}", partial.text);
    assert_eq!(partial.body["connection"]["status"], "pending");

    let done = app.update(&id, complete_update()).await;
    assert_eq!(done.status, 200, "{}", done.text);
    let c = &done.body["connection"];
    assert_eq!(c["status"], "active");
    assert_eq!(c["verification_certificates"].as_array().unwrap().len(), 1);
    assert_eq!(
        c["verification_certificates"][0]["subject"],
        "O=samlkit tests,CN=samlkit test SP"
    );
    assert_eq!(done.etag.as_deref(), Some("\"3\""));

    let one = app
        .get(&format!("/v1/b2b/sso/{}/connections/{id}", app.org), Some(&app.viewer))
        .await;
    assert_eq!(one.status, 200);
    assert_eq!(one.body["connection"], done.body["connection"]);

    let list = app.get(&format!("/v1/b2b/sso/{}", app.org), Some(&app.viewer)).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body["saml_connections"].as_array().unwrap().len(), 1);

    let deleted = app
        .send(
            "DELETE",
            &format!("/v1/b2b/sso/{}/connections/{id}", app.org),
            Some(&app.admin),
            None,
            None,
        )
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(deleted.body["connection_id"], id.as_str());
    let gone = app
        .get(&format!("/v1/b2b/sso/{}/connections/{id}", app.org), Some(&app.admin))
        .await;
    assert_eq!(gone.status, 404);
    assert_eq!(gone.body["error_type"], "not_found");
});

both_databases!(a_failed_update_changes_nothing, |app: TestApp| async move {
    let (id, before) = app.active_connection().await;
    let bad = app
        .update(&id, json!({"display_name": "Renamed", "idp_sso_url": "http://evil.example/sso", "x509_certificate": corpus("certs/oracle-oam_gosaml2_jpl.pem")}))
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.body["error_type"], "invalid_request");
    assert_eq!(bad.body["status_code"], 400);
    assert!(bad.body["request_id"].as_str().unwrap().starts_with("request-id-"));
    assert_eq!(
        issue_lines(&bad.body),
        [
            "error cert_broken_signature /x509_certificate",
            "error cert_expired /x509_certificate",
            "error cert_rsa_too_small /x509_certificate",
            "error url_not_https /idp_sso_url",
            "warning provider_mismatch /idp_sso_url",
        ]
    );
    let after = app
        .get(&format!("/v1/b2b/sso/{}/connections/{id}", app.org), Some(&app.admin))
        .await;
    assert_eq!(after.body["connection"], before.body["connection"]);
});

// Every connection case of the core's rule table, through the server: the
// stateless validate route answers exactly what the core answers.
both_databases!(rule_table_parity, |app: TestApp| async move {
    let table: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/rules/connections.json")).unwrap(),
    )
    .unwrap();
    let resolve = |v: &Value| -> Value { resolve_refs(v) };
    for case in table["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let draft = resolve(&case["draft"]);
        let core_draft: samlkit::model::Draft = serde_json::from_value(draft.clone()).unwrap();
        let ctx = samlkit::validate::Context {
            now: REFERENCE_DATE,
            service_provider: case
                .get("service_provider")
                .map(|sp| serde_json::from_value(sp.clone()).unwrap()),
        };
        let core = serde_json::to_value(samlkit::validate::connection(&core_draft, &ctx)).unwrap();
        if ctx.service_provider.is_some() {
            continue; // the server uses the connection's own SP values; covered below
        }
        let answer = app.validate(json!({"draft": draft})).await;
        assert_eq!(answer.status, 200, "{name}: {}", answer.text);
        for key in ["status", "missing", "issues", "certificates"] {
            assert_eq!(answer.body[key], core[key], "{name}: {key}");
        }
        // The same draft saved onto a new connection: refused with exactly the core's
        // errors, or saved with the core's status.
        if draft.get("verification_certificates").is_some() {
            continue; // stored certificates are set by the server, not by a client
        }
        let created = app
            .send(
                "POST",
                &format!("/v1/b2b/sso/saml/{}", app.org),
                Some(&app.admin),
                Some(json!({})),
                None,
            )
            .await;
        let id = created.body["connection"]["connection_id"].as_str().unwrap().to_owned();
        let saved = app.update(&id, draft.clone()).await;
        let errors = |v: &Value| -> Vec<Value> {
            v["issues"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|i| i["severity"] == "error")
                .cloned()
                .collect()
        };
        if errors(&core).is_empty() {
            assert_eq!(saved.status, 200, "{name}: {}", saved.text);
            assert_eq!(saved.body["connection"]["status"], core["status"], "{name}");
        } else {
            assert_eq!(saved.status, 400, "{name}: {}", saved.text);
            assert_eq!(errors(&saved.body), errors(&core), "{name}");
        }
    }
});

fn resolve_refs(v: &Value) -> Value {
    match v {
        Value::String(s) if s.starts_with("@fixture:") => {
            let mut parts = s.trim_start_matches("@fixture:").split('|');
            let text = fixture(parts.next().unwrap());
            match parts.next() {
                Some("crlf_indent") => Value::String(text.lines().map(|l| format!("    {l}\r\n")).collect()),
                _ => Value::String(text),
            }
        }
        Value::String(s) if s.starts_with("@corpus:") => Value::String(corpus(s.trim_start_matches("@corpus:"))),
        Value::Array(a) => Value::Array(a.iter().map(resolve_refs).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), resolve_refs(v))).collect()),
        other => other.clone(),
    }
}

both_databases!(our_own_acs_url_in_an_idp_field_is_refused, |app: TestApp| async move {
    let created = app.create(&app.admin).await;
    let id = created.body["connection"]["connection_id"].as_str().unwrap().to_owned();
    let acs = created.body["connection"]["acs_url"].as_str().unwrap().to_owned();
    let answer = app
        .update(&id, json!({"idp_sso_url": acs, "idp_entity_id": format!("{acs}/")}))
        .await;
    assert_eq!(answer.status, 400);
    let lines = issue_lines(&answer.body);
    assert!(
        lines.contains(&"error sp_value_in_idp_field /idp_entity_id".to_owned()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"error sp_value_in_idp_field /idp_sso_url".to_owned()),
        "{lines:?}"
    );
});

both_databases!(rbac_matrix, |app: TestApp| async move {
    let (id, _) = app.active_connection().await;
    let org = app.org.clone();
    let cert_id = {
        let a = app
            .get(&format!("/v1/b2b/sso/{org}/connections/{id}"), Some(&app.admin))
            .await;
        a.body["connection"]["verification_certificates"][0]["certificate_id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let writes: Vec<(&str, String, Option<Value>)> = vec![
        (
            "POST",
            format!("/v1/b2b/sso/saml/{org}"),
            Some(json!({"display_name": "x"})),
        ),
        (
            "PUT",
            format!("/v1/b2b/sso/saml/{org}/connections/{id}"),
            Some(json!({"display_name": "x"})),
        ),
        (
            "PUT",
            format!("/v1/b2b/sso/saml/{org}/connections/{id}/url"),
            Some(json!({"metadata_url": "https://idp.example.com/md"})),
        ),
        (
            "DELETE",
            format!("/v1/b2b/sso/saml/{org}/connections/{id}/verification_certificates/{cert_id}"),
            None,
        ),
        ("DELETE", format!("/v1/b2b/sso/{org}/connections/{id}"), None),
    ];
    let reads: Vec<(&str, String, Option<Value>)> = vec![
        ("GET", format!("/v1/b2b/sso/{org}"), None),
        ("GET", format!("/v1/b2b/sso/{org}/connections/{id}"), None),
        ("GET", format!("/v1/b2b/sso/saml/{org}/connections/{id}/metadata"), None),
    ];
    for (method, path, body) in writes.iter().chain(&reads) {
        let none = app.send(method, path, None, body.clone(), None).await;
        assert_eq!(none.status, 401, "{method} {path} without a token");
        assert_eq!(none.body["error_type"], "unauthorized_credentials");
        let forged = app.send(method, path, Some("session-forged"), body.clone(), None).await;
        assert_eq!(forged.status, 401, "{method} {path} with a forged token");
        let other = app.send(method, path, Some(&app.other_admin), body.clone(), None).await;
        assert_eq!(
            other.status, 404,
            "{method} {path} from another organization: {}",
            other.text
        );
    }
    for (method, path, body) in &writes {
        let viewer = app.send(method, path, Some(&app.viewer), body.clone(), None).await;
        assert_eq!(viewer.status, 403, "{method} {path} as viewer: {}", viewer.text);
        assert_eq!(viewer.body["error_type"], "unauthorized_action");
    }
    for (method, path, body) in &reads {
        assert_eq!(
            app.send(method, path, Some(&app.viewer), body.clone(), None)
                .await
                .status,
            200,
            "{method} {path} as viewer"
        );
    }
    // The project secret key reaches every organization.
    let project = app
        .get(&format!("/v1/b2b/sso/{}", app.other_org), Some(&app.secret_key))
        .await;
    assert_eq!(project.status, 200);
    // Nothing above changed the connection.
    let still = app
        .get(&format!("/v1/b2b/sso/{org}/connections/{id}"), Some(&app.admin))
        .await;
    assert_eq!(still.body["connection"]["version"], 2);
});

both_databases!(session_me_tells_permissions, |app: TestApp| async move {
    let me = app.get("/v1/b2b/sessions/me", Some(&app.viewer)).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["organization_id"], app.org.as_str());
    assert_eq!(me.body["permissions"]["sso"], json!(["read"]));
    let me = app.get("/v1/b2b/sessions/me", Some(&app.admin)).await;
    assert_eq!(
        me.body["permissions"]["sso"],
        json!(["create", "read", "update", "delete"])
    );
});

both_databases!(keys_are_write_only, |app: TestApp| async move {
    let (id, _) = app.active_connection().await;
    let key = fixture("rsa2048_pkcs1.key");
    let set = app
        .update(&id, json!({"saml_encryption_private_key": key, "signing_private_key": fixture("rsa2048_pkcs8.key"), "signing_certificate": fixture("rsa2048_sp.crt")}))
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    let summary = set.body["connection"]["saml_encryption_private_key"].clone();
    assert_eq!(summary["format"], "pkcs1");
    assert_eq!(summary["bits"], 2048);
    assert_eq!(
        set.body["connection"]["signing_certificates"].as_array().unwrap().len(),
        1
    );
    // A masked value leaves the key as it is.
    let masked = app
        .update(
            &id,
            json!({"saml_encryption_private_key": "********", "display_name": "Renamed"}),
        )
        .await;
    assert_eq!(masked.status, 200, "{}", masked.text);
    assert_eq!(masked.body["connection"]["saml_encryption_private_key"], summary);
    // A key pasted into the certificate field is refused without being echoed.
    let wrong = app.update(&id, json!({"x509_certificate": key})).await;
    assert_eq!(
        issue_lines(&wrong.body),
        ["error cert_is_private_key /x509_certificate"]
    );
    // A key where a boolean belongs: refused as a key, and not quoted.
    let typed = app.update(&id, json!({"idp_initiated_auth_disabled": key})).await;
    assert_eq!(typed.status, 400);
    assert_eq!(
        issue_lines(&typed.body),
        ["error private_key_misplaced /idp_initiated_auth_disabled"]
    );
    // Clearing a key.
    let cleared = app.update(&id, json!({"saml_encryption_private_key": null})).await;
    assert_eq!(cleared.body["connection"]["saml_encryption_private_key"], Value::Null);
    assert_no_key_material(&captured_logs(), "server logs");
});

both_databases!(stale_if_match_is_412_and_changes_nothing, |app: TestApp| async move {
    let (id, active) = app.active_connection().await;
    let etag = active.etag.clone().unwrap();
    let first = app
        .send(
            "PUT",
            &app.connection_path(&id),
            Some(&app.admin),
            Some(json!({"display_name": "First"})),
            Some(&etag),
        )
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    let stale = app
        .send(
            "PUT",
            &app.connection_path(&id),
            Some(&app.admin),
            Some(json!({"display_name": "Second"})),
            Some(&etag),
        )
        .await;
    assert_eq!(stale.status, 412, "{}", stale.text);
    assert_eq!(stale.body["error_type"], "precondition_failed");
    assert_eq!(stale.body["connection"]["display_name"], "First");
    let now = app
        .get(&format!("/v1/b2b/sso/{}/connections/{id}", app.org), Some(&app.admin))
        .await;
    assert_eq!(now.body["connection"]["display_name"], "First");
    assert_eq!(now.etag, first.etag);
});

both_databases!(immutable_and_unknown_fields_are_refused, |app: TestApp| async move {
    let (id, _) = app.active_connection().await;
    for (body, path) in [
        (json!({"organization_id": app.other_org}), "/organization_id"),
        (json!({"status": "active"}), "/status"),
        (json!({"acs_url": "https://evil.example/"}), "/acs_url"),
        (json!({"idp_sso_ur": "https://typo.example/"}), "/idp_sso_ur"),
    ] {
        let answer = app.update(&id, body.clone()).await;
        assert_eq!(answer.status, 400, "{body}");
        assert_eq!(answer.body["issues"][0]["code"], "request_invalid", "{body}");
        assert_eq!(answer.body["issues"][0]["path"], path, "{body}");
    }
    let wrong_type = app
        .send(
            "PUT",
            &app.connection_path(&id),
            Some(&app.admin),
            Some(json!({"attribute_mapping": {"email": 5}})),
            None,
        )
        .await;
    assert_eq!(
        issue_lines(&wrong_type.body),
        ["error request_invalid /attribute_mapping/email"]
    );
});

both_databases!(a_body_of_fields_in_order_is_not_a_request, |app: TestApp| async move {
    // serde_json alone reads a struct from an array of its fields; the core's reader, on
    // both sides of the API, reads one from an object only.
    let path = format!("/v1/b2b/sso/saml/{}", app.org);
    let positional = app
        .send("POST", &path, Some(&app.admin), Some(json!(["Acme", "okta"])), None)
        .await;
    assert_eq!(positional.status, 400, "{}", positional.text);
    assert_eq!(issue_lines(&positional.body), ["error request_invalid "]);
    assert!(
        positional.text.contains("expected struct CreateRequest"),
        "{}",
        positional.text
    );
    let listed = app.get(&format!("/v1/b2b/sso/{}", app.org), Some(&app.admin)).await;
    assert!(!listed.text.contains("Acme"), "{}", listed.text);
});

both_databases!(delete_a_verification_certificate, |app: TestApp| async move {
    let (id, active) = app.active_connection().await;
    let cert_id = active.body["connection"]["verification_certificates"][0]["certificate_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("{}/verification_certificates/{cert_id}", app.connection_path(&id));
    let removed = app.send("DELETE", &path, Some(&app.admin), None, None).await;
    assert_eq!(removed.status, 200, "{}", removed.text);
    assert_eq!(removed.body["connection"]["status"], "pending");
    assert_eq!(removed.body["connection"]["verification_certificates"], json!([]));
    let again = app.send("DELETE", &path, Some(&app.admin), None, None).await;
    assert_eq!(again.status, 404);
});

both_databases!(sp_metadata_is_valid_sp_metadata, |app: TestApp| async move {
    let (id, active) = app.active_connection().await;
    app.update(
        &id,
        json!({"signing_private_key": fixture("rsa2048_pkcs1.key"), "signing_certificate": fixture("rsa2048_sp.crt")}),
    )
    .await;
    let xml = app
        .get(&format!("{}/metadata", app.connection_path(&id)), Some(&app.viewer))
        .await;
    assert_eq!(xml.status, 200);
    let parsed = samlkit::metadata::parse(&xml.text).expect("our own SP metadata parses");
    assert_eq!(
        parsed.entities[0].entity_id,
        active.body["connection"]["audience_uri"].as_str().unwrap()
    );
    assert_eq!(parsed.entities[0].roles, ["SPSSODescriptor"]);
    assert!(
        xml.text
            .contains(active.body["connection"]["acs_url"].as_str().unwrap())
    );
    assert!(xml.text.contains("AuthnRequestsSigned=\"true\""));
    let import = samlkit::metadata::import(&xml.text, None, REFERENCE_DATE);
    assert_eq!(import.issues[0].code, samlkit::Code::MetadataSpOnly);
});

both_databases!(bodies_over_one_mebibyte_get_413, |app: TestApp| async move {
    let (id, _) = app.active_connection().await;
    let path = app.connection_path(&id);
    let head = format!(
        "PUT {path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer {}\r\n\
         content-type: application/json\r\ncontent-length: {}\r\n\r\n",
        app.admin,
        1024 * 1024 + 1
    );
    let answer = app.send_head_only(head).await;
    assert_eq!(answer.status, 413);
    assert_eq!(answer.body["error_type"], "payload_too_large");
    assert_eq!(answer.body["status_code"], 413);
    let res = app
        .http
        .put(format!("{}{}", app.base, app.connection_path(&id)))
        .bearer_auth(&app.admin)
        .header("content-type", "text/plain")
        .body("display_name=x")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 415);
});

both_databases!(metadata_urls_into_our_network_are_refused, |app: TestApp| async move {
    let created = app.create(&app.admin).await;
    let id = created.body["connection"]["connection_id"].as_str().unwrap().to_owned();
    for url in [
        "https://127.0.0.1/metadata",
        "https://localhost/metadata",
        "https://10.0.0.8/metadata",
        "https://172.16.5.4/metadata",
        "https://192.168.1.1/metadata",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/metadata",
        "https://[::1]/metadata",
        "https://[fd00:ec2::254]/metadata",
        "https://[::ffff:127.0.0.1]/metadata",
        "http://idp.example.com/metadata",
        "https://user:pass@idp.example.com/metadata",
    ] {
        let answer = app
            .send(
                "PUT",
                &format!("{}/url", app.connection_path(&id)),
                Some(&app.admin),
                Some(json!({"metadata_url": url})),
                None,
            )
            .await;
        assert_eq!(answer.status, 400, "{url}: {}", answer.text);
        assert_eq!(
            issue_lines(&answer.body),
            ["error metadata_url_forbidden /metadata_url"],
            "{url}"
        );
    }
});

/// 8 MiB of XML-looking text that travels as about 8 KB of gzip.
fn gzip_bomb() -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(b"<EntityDescriptor>").unwrap();
    gz.write_all(&vec![b' '; 8 * 1024 * 1024]).unwrap();
    let bytes = gz.finish().unwrap();
    assert!(bytes.len() < 64 * 1024, "{} bytes", bytes.len());
    bytes
}

/// A metadata server on loopback, allowed by the fetch allow-list (as only a test would).
async fn metadata_server() -> (String, tokio::task::JoinHandle<()>) {
    use axum::routing::get;
    let okta = corpus("metadata/okta_ssoready.xml");
    let bomb = gzip_bomb();
    let router = axum::Router::new()
        .route(
            "/okta.xml",
            get(move || async move { ([("content-type", "application/samlmetadata+xml")], okta) }),
        )
        .route(
            "/moved",
            get(|| async { axum::response::Redirect::temporary("/okta.xml") }),
        )
        .route(
            "/to-internal",
            get(|| async { axum::response::Redirect::temporary("https://169.254.169.254/latest/meta-data/") }),
        )
        .route("/huge", get(|| async { "<x>".repeat(400_000) }))
        .route(
            "/bomb",
            get(move || async move {
                (
                    [("content-type", "application/xml"), ("content-encoding", "gzip")],
                    bomb,
                )
            }),
        )
        .route(
            "/missing",
            get(|| async { (axum::http::StatusCode::NOT_FOUND, "secret internal page") }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    (
        addr,
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() }),
    )
}

async fn update_by_url_case(db: Db) {
    let (addr, server) = metadata_server().await;
    let allow = addr.clone();
    let Some(app) = spawn_app_with(db, move |c| c.fetch.allow = vec![allow]).await else {
        return;
    };
    let created = app.create(&app.admin).await;
    let id = created.body["connection"]["connection_id"].as_str().unwrap().to_owned();
    let url_path = format!("{}/url", app.connection_path(&id));
    let put = |url: String| {
        let app = &app;
        let url_path = url_path.clone();
        async move {
            app.send(
                "PUT",
                &url_path,
                Some(&app.admin),
                Some(json!({"metadata_url": url})),
                None,
            )
            .await
        }
    };
    let done = put(format!("http://{addr}/moved")).await;
    assert_eq!(done.status, 200, "{}", done.text);
    let c = &done.body["connection"];
    assert_eq!(c["idp_entity_id"], "http://www.okta.com/exkdoocxa1VmjpXmX697");
    assert_eq!(c["idp_sso_binding"], "HTTP-Redirect");
    assert_eq!(
        c["verification_certificates"][0]["sha256_fingerprint"],
        "21d5e6ffd3607d88bd8eee5f979fcbe9c3a308bfe8e442a44136ab60b9216bcf"
    );
    assert_eq!(c["status"], "pending");
    // A redirect to an internal address is checked like the first hop.
    let internal = put(format!("http://{addr}/to-internal")).await;
    assert_eq!(
        issue_lines(&internal.body),
        ["error metadata_url_forbidden /metadata_url"]
    );
    let huge = put(format!("http://{addr}/huge")).await;
    assert_eq!(issue_lines(&huge.body), ["error metadata_too_large /metadata_url"]);
    // The cap counts bytes after decompression.
    let bomb = put(format!("http://{addr}/bomb")).await;
    assert_eq!(bomb.status, 400, "{}", bomb.text);
    assert_eq!(issue_lines(&bomb.body), ["error metadata_too_large /metadata_url"]);
    let missing = put(format!("http://{addr}/missing")).await;
    assert_eq!(
        issue_lines(&missing.body),
        ["error metadata_fetch_failed /metadata_url"]
    );
    assert!(!missing.text.contains("secret internal page"));
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_by_url_sqlite() {
    update_by_url_case(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_by_url_postgres() {
    update_by_url_case(Db::Postgres).await;
}

// Metadata through the server's validate route: the same answer as the core's, file by file.
both_databases!(metadata_validation_parity, |app: TestApp| async move {
    let expected: Value = serde_json::from_str(&corpus("expected.json")).unwrap();
    let ctx = samlkit::validate::Context::at(REFERENCE_DATE);
    for name in expected["metadata"].as_object().unwrap().keys() {
        let xml = corpus(name);
        let core = serde_json::to_value(samlkit::validate::metadata(&xml, None, &ctx)).unwrap();
        let answer = app.validate(json!({"metadata": xml})).await;
        assert_eq!(answer.status, 200, "{name}");
        assert_eq!(answer.body["issues"], core["issues"], "{name}");
        assert_eq!(answer.body["import"], core["import"], "{name}");
    }
});

both_databases!(openapi_is_true_to_responses, |app: TestApp| async move {
    openapi::openapi_matches_responses(app).await;
});

both_databases!(json_patch_updates_with_guards, |app: TestApp| async move {
    let (id, _) = app.active_connection().await;
    let mut with_key = json!({"saml_encryption_private_key": fixture("rsa2048_pkcs1.key")});
    with_key["saml_encryption_certificate"] = json!(fixture("rsa2048_sp.crt"));
    let keyed = app.update(&id, with_key).await;
    assert_eq!(keyed.status, 200, "{}", keyed.text);
    let path = app.connection_path(&id);
    let version = keyed.etag.clone().unwrap();

    // Keys are never read by a patch: no test (no oracle), no copy or move (no leak).
    for ops in [
        json!([{"op": "test", "path": "/saml_encryption_private_key/bits", "value": 2048}]),
        json!([{"op": "test", "path": "", "value": {}}]),
        json!([{"op": "copy", "from": "/saml_encryption_private_key", "path": "/display_name"}]),
        json!([{"op": "move", "from": "/saml_encryption_private_key", "path": "/nameid_format"}]),
    ] {
        let answer = app.json_patch(&path, &app.admin, ops.clone(), None).await;
        assert_eq!(answer.status, 400, "{ops}");
        assert_eq!(answer.body["issues"][0]["code"], "patch_reads_secret", "{ops}");
    }
    // Ids, the organization and derived members are immutable.
    for target in [
        "/connection_id",
        "/organization_id",
        "/acs_url",
        "/status",
        "/version",
        "/verification_certificates/0/sha256_fingerprint",
    ] {
        let ops = json!([{"op": "replace", "path": target, "value": "x"}]);
        let answer = app.json_patch(&path, &app.admin, ops, None).await;
        assert_eq!(
            (answer.status, answer.body["issues"][0]["code"].as_str()),
            (400, Some("patch_immutable_path")),
            "{target}"
        );
    }
    // The business rules run on the patched result; atomic: nothing of a failed patch is stored.
    let bad = json!([{"op": "replace", "path": "/display_name", "value": "Changed"},
                     {"op": "replace", "path": "/idp_sso_url", "value": "http://idp.example.com/sso"}]);
    let refused = app.json_patch(&path, &app.admin, bad, None).await;
    assert_eq!(issue_lines(&refused.body)[0], "error url_not_https /idp_sso_url");
    let half = json!([{"op": "replace", "path": "/display_name", "value": "Changed"},
                      {"op": "remove", "path": "/no_such_member"}]);
    assert_eq!(
        app.json_patch(&path, &app.admin, half, None).await.body["issues"][0]["code"],
        "patch_failed"
    );
    let now = app
        .get(&format!("/v1/b2b/sso/{}/connections/{id}", app.org), Some(&app.viewer))
        .await;
    assert_eq!(
        now.etag.as_deref(),
        Some(version.as_str()),
        "refused patches stored nothing"
    );
    assert_eq!(now.body["connection"]["display_name"], "Acme Okta");

    // A good patch: test + replace + remove + writing a key (write-only is not read-only), with If-Match.
    let good = json!([
        {"op": "test", "path": "/display_name", "value": "Acme Okta"},
        {"op": "replace", "path": "/display_name", "value": "Acme (patched)"},
        {"op": "add", "path": "/attribute_mapping/groups", "value": "memberOf"},
        {"op": "remove", "path": "/saml_encryption_private_key"}
    ]);
    let patched = app.json_patch(&path, &app.admin, good.clone(), Some(&version)).await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(patched.body["connection"]["display_name"], "Acme (patched)");
    assert_eq!(patched.body["connection"]["attribute_mapping"]["groups"], "memberOf");
    assert_eq!(patched.body["connection"]["saml_encryption_private_key"], Value::Null);
    assert_eq!(patched.body["connection"]["status"], "active");
    // The same patch on the old version: 412 with the current connection.
    let stale = app.json_patch(&path, &app.admin, good, Some(&version)).await;
    assert_eq!(stale.status, 412);
    assert_eq!(app.json_patch(&path, &app.viewer, json!([]), None).await.status, 403);
});

/// The request body of the seed's curl example (`-d '…'`).
fn seed_curl_body() -> String {
    let seed = std::fs::read_to_string(format!(
        "{}/tests/api/seeds/stytch-update-saml-connection.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let start = seed.find("-d '").unwrap() + 4;
    let end = start + seed[start..].find('\'').unwrap();
    seed[start..end].to_owned()
}

both_databases!(the_stytch_curl_example_replays, |app: TestApp| async move {
    let created = app
        .send(
            "POST",
            &format!("/v1/b2b/sso/saml/{}", app.org),
            Some(&app.admin),
            Some(json!({"display_name": "Example SAML Connection", "identity_provider": "generic"})),
            None,
        )
        .await;
    let id = created.body["connection"]["connection_id"].as_str().unwrap().to_owned();
    let send = |body: String, session: Option<String>| {
        let mut req = app
            .http
            .put(format!("{}{}", app.base, app.connection_path(&id)))
            .basic_auth(&app.project_id, Some(&app.secret_key))
            .header("content-type", "application/json")
            .body(body);
        if let Some(s) = session {
            req = req.header("X-Stytch-Member-Session", s);
        }
        async move {
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap())
        }
    };
    let as_documented = seed_curl_body();
    assert!(as_documented.contains("...base64 blob..."));

    // As the document has it: the placeholder is refused, with the code that says why.
    let (status, body) = send(as_documented.clone(), Some(app.admin.clone())).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(issue_lines(&body), ["error cert_base64_invalid /x509_certificate"]);

    // With a real certificate in place of the placeholder (the seed's own framing kept,
    // `-----END CERTIFICATE` without its dashes included): saved, as the member.
    let pem = fixture("rsa2048_sp.crt");
    let base64: Vec<&str> = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let real = as_documented.replace("...base64 blob...", &base64.join("\\n"));
    let (status, body) = send(real.clone(), Some(app.admin.clone())).await;
    assert_eq!(status, 200, "{body}");
    let c = &body["connection"];
    assert_eq!(
        c["idp_sso_url"],
        "https://idp.example.com/51861cbc-d3b9-428b-9761-227f5fb12be9/sso/saml"
    );
    assert_eq!(c["verification_certificates"].as_array().unwrap().len(), 1);
    assert_eq!(
        c["status"], "pending",
        "the seed: not active until every field is provided"
    );
    for key in [
        "acs_url",
        "attribute_mapping",
        "audience_uri",
        "alternative_audience_uri",
        "connection_id",
        "display_name",
        "idp_entity_id",
        "idp_sso_url",
        "organization_id",
        "signing_certificates",
        "status",
        "identity_provider",
        "verification_certificates",
    ] {
        assert!(c.get(key).is_some(), "the seed's response has {key}");
    }
    assert_eq!(body["status_code"], 200);
    assert!(body["request_id"].as_str().unwrap().starts_with("request-id-"));

    // The viewer's session is refused even with project credentials beside it; the
    // project secret alone (server to server) is accepted.
    assert_eq!(send(real.clone(), Some(app.viewer.clone())).await.0, 403);
    let (status, body) = send(r#"{"display_name": "By the backend"}"#.into(), None).await;
    assert_eq!(status, 200, "{body}");
});

both_databases!(oversized_metadata_gets_the_cores_verdict, |app: TestApp| async move {
    // 1.9 MB of metadata: the route answers as the SDK does, with the core's issue.
    let okta = corpus("metadata/okta_ssoready.xml");
    let big = okta.replace(
        "</md:EntityDescriptor>",
        &format!("<!--{}--></md:EntityDescriptor>", "x".repeat(1_900_000)),
    );
    let answer = app.validate(json!({"metadata": big})).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let core = samlkit::validate::metadata(&big, None, &samlkit::validate::Context::at(REFERENCE_DATE));
    assert_eq!(
        issue_lines(&answer.body),
        issue_lines(&serde_json::to_value(&core).unwrap())
    );
    assert_eq!(issue_lines(&answer.body), ["error metadata_too_large /metadata"]);
    // Past what the route reads at all: 413, with the same issue.
    let head = format!(
        "POST /v1/b2b/sso/saml/validate HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer {}\r\n\
         content-type: application/json\r\ncontent-length: {}\r\n\r\n",
        app.viewer,
        4 * 1024 * 1024 + 1
    );
    let answer = app.send_head_only(head).await;
    assert_eq!(answer.status, 413);
    assert_eq!(issue_lines(&answer.body), ["error metadata_too_large /metadata"]);
});

both_databases!(stytch_shaped_answers, |app: TestApp| async move {
    // The list has Stytch's three lists; an organization that does not exist is 404, as on create.
    let list = app.get(&format!("/v1/b2b/sso/{}", app.org), Some(&app.admin)).await;
    assert_eq!(list.body["external_connections"], json!([]));
    let unknown = app.get("/v1/b2b/sso/organization-nope", Some(&app.secret_key)).await;
    assert_eq!(
        (unknown.status, unknown.body["error_type"].as_str()),
        (404, Some("not_found"))
    );
    // Deleting a verification certificate answers with its id.
    let (id, active) = app.active_connection().await;
    let certificate_id = active.body["connection"]["verification_certificates"][0]["certificate_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let deleted = app
        .send(
            "DELETE",
            &format!(
                "{}/verification_certificates/{certificate_id}",
                app.connection_path(&id)
            ),
            Some(&app.admin),
            None,
            None,
        )
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(deleted.body["certificate_id"], certificate_id.as_str());
    // A refusal's message names the field and what is wrong, not only "see issues".
    let refused = app
        .update(&id, json!({"idp_sso_url": "http://idp.example.com/sso"}))
        .await;
    assert_eq!(refused.status, 400);
    assert_eq!(
        refused.body["error_message"],
        format!("idp_sso_url: {}", samlkit::Code::UrlNotHttps.message())
    );
});
