//! Hostile and careless clients: exponential JSON Patches, slow clients, keys in
//! the wrong place, bodies with something after them, credentials the server
//! cannot verify, framing, environment proxies and unknown routes.

use crate::helpers::*;
use serde_json::{Value, json};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

// --- 1. JSON Patch work is bounded as it happens -----------------------------

/// An ~18 KB patch: a 16 KB string added under `member`, then `member` copied
/// into itself `copies` times (each copy doubles it).
fn self_copying_patch(member: &str, copies: usize) -> Value {
    let mut ops = vec![json!({"op": "add", "path": format!("{member}/seed"), "value": "x".repeat(16 * 1024)})];
    for n in 0..copies {
        ops.push(json!({"op": "copy", "from": member, "path": format!("{member}/c{n}")}));
    }
    Value::Array(ops)
}

both_databases!(an_exponential_patch_stops_at_the_cap, |app: TestApp| async move {
    let (id, _) = app.active_connection().await;
    let path = app.connection_path(&id);
    let bomb = self_copying_patch("/attribute_mapping", 24);
    assert!(bomb.to_string().len() < 20 * 1024);
    let answer = app.json_patch(&path, &app.admin, bomb, None).await;
    assert_eq!(answer.status, 400, "{}", answer.text);
    // 16 KiB doubles past 1 MiB at the sixth copy, operation 6.
    assert_eq!(
        issue_lines(&answer.body),
        ["error patch_too_large /attribute_mapping/c5"]
    );
    assert!(
        answer.body["issues"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Operation 6 (copy)")
    );
    // SailPoint's PATCH runs the same bounded apply.
    let answer = app
        .json_patch(
            "/beta/auth-org/service-provider-config",
            &app.admin,
            self_copying_patch("/federationProtocolDetails/0", 24),
            None,
        )
        .await;
    assert_eq!(answer.status, 400, "{}", answer.text);
    assert_eq!(answer.body["issues"][0]["code"], "patch_too_large");
    // Nothing changed, and the server answers.
    let read = app
        .get(&format!("/v1/b2b/sso/{}/connections/{id}", app.org), Some(&app.admin))
        .await;
    assert_eq!(read.body["connection"]["version"], 2);
    assert_eq!(app.get("/healthz", None).await.status, 200);
});

// --- 2. slow clients -----------------------------------------------------------

fn addr(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_owned()
}

/// Reads until the server closes the connection (or 10 s pass): what it sent.
async fn read_until_closed(stream: &mut TcpStream) -> Option<String> {
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(String::from_utf8_lossy(&answer).into_owned()),
            Ok(Ok(n)) => answer.extend_from_slice(&chunk[..n]),
        }
    }
}

fn short_limits(config: &mut samlkit_server::config::Config) {
    config.limits.header_read_timeout = Duration::from_secs(1);
    config.limits.body_read_timeout = Duration::from_secs(1);
    config.limits.max_connections = 20;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_headers_and_bodies_are_cut_off_and_connections_capped() {
    let app = spawn_app_with(Db::Sqlite, short_limits).await.unwrap();
    assert_eq!(app.connections.cap(), 20);

    // A request head that never ends: the connection is closed.
    let mut slow = TcpStream::connect(addr(&app)).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let sent = read_until_closed(&mut slow).await;
    assert!(sent.is_some(), "the server keeps a connection whose head never ends");

    // A body that never ends: 408 with the JSON error body.
    let mut slow = TcpStream::connect(addr(&app)).await.unwrap();
    let head = format!(
        "PUT {} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"display",
        app.connection_path("saml-connection-x"),
        app.admin
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    let sent = read_until_closed(&mut slow).await.expect("an answer");
    assert!(sent.starts_with("HTTP/1.1 408"), "{sent}");
    assert!(sent.contains("\"error_type\":\"request_timeout\""), "{sent}");

    // Twice the cap of idle connections: only the cap is served at once, the rest
    // wait in the listen queue, and the header timeout frees their places.
    let mut idle = Vec::new();
    for _ in 0..40 {
        idle.push(TcpStream::connect(addr(&app)).await.unwrap());
    }
    for _ in 0..100 {
        if app.connections.in_use() == 20 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(app.connections.in_use(), 20);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(app.connections.in_use() <= 20);
    let health = app.get("/healthz", None).await;
    assert_eq!(health.status, 200, "answered once the idle ones timed out");
    drop(idle);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_while_two_thousand_slow_clients_are_connected() {
    let app = spawn_app(Db::Sqlite).await.unwrap();
    let mut slow = Vec::new();
    for _ in 0..2000 {
        let mut stream = TcpStream::connect(addr(&app)).await.unwrap();
        stream.write_all(b"GET /healthz HTTP/1.1\r\nHo").await.unwrap();
        slow.push(stream);
    }
    for _ in 0..250 {
        if app.connections.in_use() >= 2000 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(app.connections.in_use() >= 2000, "{}", app.connections.in_use());
    assert_eq!(app.get("/healthz", None).await.status, 200);
    drop(slow);
}

// --- 5. private keys in the wrong place --------------------------------------

both_databases!(private_keys_are_refused_in_every_field, |app: TestApp| async move {
    let (id, before) = app.active_connection().await;
    let pem = fixture("rsa2048_pkcs1.key");
    let der_base64: String = fixture("rsa2048_pkcs8.key")
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let cases = [
        (json!({"nameid_format": pem}), "/nameid_format"),
        (json!({"auth_provider": der_base64}), "/auth_provider"),
        (json!({"authn_context": pem}), "/authn_context"),
        (json!({"display_name": der_base64}), "/display_name"),
        (
            json!({"attribute_mapping": {"email": pem, "full_name": "name"}}),
            "/attribute_mapping/email",
        ),
        (
            json!({"attribute_mapping": {pem.clone(): "email"}}),
            "/attribute_mapping",
        ),
        (
            json!({"jit_provisioning": {"enabled": true, "source_id": der_base64}}),
            "/jit_provisioning/source_id",
        ),
        (
            json!({"saml_connection_implicit_role_assignments": [{"role_id": pem}]}),
            "/saml_connection_implicit_role_assignments/0/role_id",
        ),
        // A member named by a key: refused at its parent, never quoted.
        (json!({pem.clone(): 1}), ""),
    ];
    for (body, path) in cases {
        let answer = app.update(&id, body).await;
        assert_eq!(answer.status, 400, "{path}: {}", answer.text);
        assert_eq!(
            issue_lines(&answer.body),
            [format!("error private_key_misplaced {path}")]
        );
    }
    // Through JSON Patch, a key as an operation's path is not echoed either.
    let answer = app
        .json_patch(
            &app.connection_path(&id),
            &app.admin,
            json!([{"op": "remove", "path": format!("/attribute_mapping/{}", der_base64.replace('/', "~1"))}]),
            None,
        )
        .await;
    assert_eq!(answer.status, 400);
    assert_eq!(
        issue_lines(&answer.body),
        ["error private_key_misplaced /attribute_mapping"]
    );
    // An unknown member of a typed body.
    let answer = app
        .send(
            "POST",
            &format!("/v1/b2b/sso/saml/{}", app.org),
            Some(&app.admin),
            Some(json!({pem.clone(): "x"})),
            None,
        )
        .await;
    assert_eq!(answer.status, 400);
    assert_eq!(issue_lines(&answer.body), ["error private_key_misplaced "]);
    // A key's base64 as the metadata's certificate: refused, not echoed.
    let metadata = corpus("metadata/okta_ssoready.xml");
    let start = metadata.find("<ds:X509Certificate>").unwrap() + "<ds:X509Certificate>".len();
    let end = metadata.find("</ds:X509Certificate>").unwrap();
    let keyed = format!("{}{der_base64}{}", &metadata[..start], &metadata[end..]);
    let answer = app.validate(json!({"metadata": keyed})).await;
    assert_eq!(answer.status, 200);
    assert!(
        issue_lines(&answer.body).contains(&"error cert_is_private_key /metadata".to_owned()),
        "{}",
        answer.text
    );
    // Infisical's fields likewise, at its own names.
    let answer = app
        .send(
            "POST",
            "/api/v1/sso/config",
            Some(&app.admin),
            Some(json!({
                "organizationId": app.org, "authProvider": "okta-saml", "isActive": false,
                "entryPoint": "https://acme.okta.com/app/acme_app_1/exk1abc/sso/saml",
                "issuer": pem, "cert": fixture("rsa2048_sp.crt"),
            })),
            None,
        )
        .await;
    assert_eq!(answer.status, 400, "{}", answer.text);
    let details: Vec<(&str, &str)> = answer.body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["code"].as_str().unwrap(), i["path"].as_str().unwrap()))
        .collect();
    // Refused at Infisical's field name (other rules may speak of the same field, never quoting it).
    assert_eq!(details[0], ("private_key_misplaced", "/issuer"), "{details:?}");
    assert!(details.iter().all(|(_, path)| *path == "/issuer"), "{details:?}");
    // Nothing was stored: the connection and its SP metadata are as before.
    let read = app
        .get(&format!("/v1/b2b/sso/{}/connections/{id}", app.org), Some(&app.viewer))
        .await;
    assert_eq!(read.body["connection"], before.body["connection"]);
    let sp = app
        .get(&format!("{}/metadata", app.connection_path(&id)), Some(&app.viewer))
        .await;
    assert_no_key_material(&sp.text, "SP metadata");
});

// --- 6. exactly one JSON value --------------------------------------------------

both_databases!(
    a_body_with_anything_after_its_json_is_refused,
    |app: TestApp| async move {
        let (id, _) = app.active_connection().await;
        for (method, path, content_type, body) in [
            (
                "PUT",
                app.connection_path(&id),
                "application/json",
                r#"{"display_name":"first"}{"display_name":"second"} garbage"#.to_owned(),
            ),
            (
                "PUT",
                app.connection_path(&id),
                "application/json",
                r#"{"display_name":"first"} x"#.to_owned(),
            ),
            (
                "PATCH",
                app.connection_path(&id),
                "application/json-patch+json",
                r#"[{"op":"replace","path":"/display_name","value":"first"}] []"#.to_owned(),
            ),
            (
                "PATCH",
                "/api/v1/sso/config".to_owned(),
                "application/json",
                format!(r#"{{"organizationId":"{}","issuer":"http://x"}}{{}}"#, app.org),
            ),
        ] {
            let res = app
                .http
                .request(method.parse().unwrap(), format!("{}{path}", app.base))
                .bearer_auth(&app.admin)
                .header("content-type", content_type)
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 400, "{method} {path}");
        }
        // Trailing white space is still one value.
        let res = app
            .http
            .put(format!("{}{}", app.base, app.connection_path(&id)))
            .bearer_auth(&app.admin)
            .header("content-type", "application/json")
            .body("{\"display_name\":\"ok\"} \r\n")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let read = app
            .get(&format!("/v1/b2b/sso/{}/connections/{id}", app.org), Some(&app.viewer))
            .await;
        assert_eq!(read.body["connection"]["display_name"], "ok");
        assert_eq!(read.body["connection"]["version"], 3);
    }
);

// --- 7. authentication fails closed ---------------------------------------------

both_databases!(credentials_are_verified_or_refused, |app: TestApp| async move {
    let (id, _) = app.active_connection().await;
    let url = format!("{}{}", app.base, app.connection_path(&id));
    let put = |name: &str| {
        app.http
            .put(&url)
            .header("content-type", "application/json")
            .body(json!({"display_name": name}).to_string())
    };
    let answer = |res: reqwest::Response| async move {
        let status = res.status().as_u16();
        let challenge = res
            .headers()
            .get("www-authenticate")
            .map(|v| v.to_str().unwrap().to_owned());
        let body: Value = res.json().await.unwrap();
        (
            status,
            challenge,
            body["error_message"].as_str().unwrap_or("").to_owned(),
        )
    };
    // A member JWT beside the project secret cannot be verified: 401, never ignored.
    for jwt in ["anything", app.viewer.as_str(), app.admin.as_str()] {
        let res = put("jwt")
            .bearer_auth(&app.secret_key)
            .header("X-Stytch-Member-SessionJWT", jwt)
            .send()
            .await
            .unwrap();
        let (status, _, message) = answer(res).await;
        assert_eq!(status, 401);
        assert!(message.contains("X-Stytch-Member-SessionJWT"), "{message}");
    }
    // Basic: the user must be the project ID, the password the project secret.
    let res = put("basic")
        .basic_auth("PROJECT_ID", Some(&app.secret_key))
        .send()
        .await
        .unwrap();
    let (status, challenge, message) = answer(res).await;
    assert_eq!((status, challenge.as_deref()), (401, Some("Basic realm=\"samlkit\"")));
    assert!(message.contains("Basic"), "{message}");
    let res = put("basic")
        .basic_auth(&app.project_id, Some(&app.admin))
        .send()
        .await
        .unwrap();
    assert_eq!(answer(res).await.0, 401, "a member token is never a Basic password");
    // A bad bearer token names its scheme.
    let res = put("bearer").bearer_auth("nope").send().await.unwrap();
    let (status, challenge, message) = answer(res).await;
    assert_eq!((status, challenge.as_deref()), (401, Some("Bearer")));
    assert!(message.contains("Bearer"), "{message}");
    // A member session that is not valid, beside valid project credentials: 401.
    let res = put("session")
        .basic_auth(&app.project_id, Some(&app.secret_key))
        .header("X-Stytch-Member-Session", "nope")
        .send()
        .await
        .unwrap();
    assert_eq!(answer(res).await.0, 401);
    // Project credentials with a member's session act with the member's rights.
    let res = put("viewer")
        .basic_auth(&app.project_id, Some(&app.secret_key))
        .header("X-Stytch-Member-Session", &app.viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(answer(res).await.0, 403);
    let res = put("admin")
        .basic_auth(&app.project_id, Some(&app.secret_key))
        .header("X-Stytch-Member-Session", &app.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // An unknown scheme.
    let res = put("digest").header("authorization", "Digest x").send().await.unwrap();
    assert_eq!(answer(res).await.0, 401);
    // Nothing refused above was saved.
    let read = app
        .get(&format!("/v1/b2b/sso/{}/connections/{id}", app.org), Some(&app.viewer))
        .await;
    assert_eq!(read.body["connection"]["display_name"], "admin");
    assert_eq!(read.body["connection"]["version"], 3);
});

// --- 8. headers for browsers ------------------------------------------------------

fn static_site() -> tempfile_dir::TempDir {
    let dir = tempfile_dir::TempDir::new();
    std::fs::write(format!("{}/index.html", dir.path()), "<!doctype html><title>t</title>").unwrap();
    std::fs::write(format!("{}/app.js", dir.path()), "export {};").unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browsers_get_a_strict_policy_and_nothing_is_cached() {
    let site = static_site();
    let root = site.path();
    let app = spawn_app_with(Db::Sqlite, |c| c.static_dir = Some(root.into()))
        .await
        .unwrap();
    let get = |path: &'static str, token: Option<String>| {
        let mut req = app.http.get(format!("{}{path}", app.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        async move { req.send().await.unwrap() }
    };
    let page = get("/", None).await;
    assert_eq!(page.status(), 200);
    let h = page.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    for directive in [
        "script-src 'self' 'wasm-unsafe-eval';",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
    ] {
        assert!(csp.contains(directive), "{csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["cache-control"], "no-cache");
    // Revalidating the page (a reload) must not replace its policy with another.
    let last_modified = h["last-modified"].to_str().unwrap().to_owned();
    let revalidated = app
        .http
        .get(format!("{}/", app.base))
        .header("if-modified-since", last_modified)
        .send()
        .await
        .unwrap();
    assert_eq!(revalidated.status(), 304);
    assert!(revalidated.headers().get("content-security-policy").is_none());
    let script = get("/app.js", None).await;
    assert_eq!(script.headers()["cache-control"], "no-cache");
    assert_eq!(script.headers()["x-content-type-options"], "nosniff");
    // Connection data, tokens and errors are never stored by a cache.
    for (path, token, status) in [
        ("/v1/b2b/sessions/me", Some(app.admin.clone()), 200),
        ("/v1/b2b/sessions/me", None, 401),
        ("/healthz", None, 200),
        ("/openapi.json", None, 200),
    ] {
        let res = get(path, token).await;
        assert_eq!(res.status(), status, "{path}");
        let h = res.headers();
        assert_eq!(h["cache-control"], "no-store", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            h["content-security-policy"],
            "default-src 'none'; frame-ancestors 'none'"
        );
    }
    // A host that embeds the panel is named by a setting.
    let site = static_site();
    let root = site.path();
    let embedded = spawn_app_with(Db::Sqlite, |c| {
        c.static_dir = Some(root.into());
        c.frame_ancestors = vec!["https://admin.example.com".into()];
    })
    .await
    .unwrap();
    let page = embedded.http.get(format!("{}/", embedded.base)).send().await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.ends_with("frame-ancestors https://admin.example.com"), "{csp}");
    assert!(page.headers().get("x-frame-options").is_none());
}

// --- 9. no environment proxy for metadata ------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_is_never_fetched_through_an_environment_proxy() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let (metadata_addr, _metadata) = super::metadata_server().await;
    // A "proxy" that counts who connects to it and answers 502.
    let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    let proxied = Arc::new(AtomicUsize::new(0));
    let count = proxied.clone();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = proxy.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let _ = s
                .write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
                .await;
        }
    });
    let (url, _dir) = fresh_database(Db::Sqlite).await.unwrap();
    let (org, token) = seed_real(&url);
    let proxies =
        ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"].map(|k| (k, proxy_url.as_str()));
    let mut env = vec![
        ("SAMLKIT_FETCH_ALLOW", metadata_addr.as_str()),
        ("NO_PROXY", ""),
        ("no_proxy", ""),
    ];
    env.extend(proxies);
    let server = RealServer::start(&url, &env).await;
    let base = server.base.clone();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let id = server.create_connection(&http, &org, &token, "proxied?").await;
    let res = http
        .put(format!("{base}/v1/b2b/sso/saml/{org}/connections/{id}/url"))
        .bearer_auth(&token)
        .json(&json!({"metadata_url": format!("http://{metadata_addr}/okta.xml")}))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    drop(server);
    assert_eq!(status, 200, "{text}");
    assert_eq!(proxied.load(Ordering::SeqCst), 0, "the environment proxy was used");
}

// --- 10. every error has the JSON body --------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_routes_and_methods_answer_json_errors() {
    let site = static_site();
    let root = site.path();
    for static_dir in [None, Some(root.clone())] {
        let app = spawn_app_with(Db::Sqlite, |c| c.static_dir = static_dir.map(Into::into))
            .await
            .unwrap();
        for (method, path, status, error_type) in [
            ("GET", "/nope", 404, "not_found"),
            ("GET", "/v1/b2b/sso/saml/org/connections/c/nope", 404, "not_found"),
            ("POST", "/v2/anything", 404, "not_found"),
            ("DELETE", "/healthz", 405, "method_not_allowed"),
            ("PUT", "/v1/b2b/sessions/me", 405, "method_not_allowed"),
        ] {
            let answer = app.send(method, path, Some(&app.admin), None, None).await;
            assert_eq!(answer.status, status, "{method} {path}");
            assert_eq!(
                answer.body["error_type"], error_type,
                "{method} {path}: {}",
                answer.text
            );
            assert_eq!(answer.body["status_code"], status);
            assert!(answer.body["request_id"].as_str().unwrap().starts_with("request-id-"));
        }
    }
}
