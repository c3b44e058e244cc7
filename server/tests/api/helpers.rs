//! A real server on port 0 with a fresh database per test, on SQLite and on
//! PostgreSQL, and every log line it writes captured for the secrets check.

use samlkit::Timestamp;
use samlkit_server::config::Config;
use samlkit_server::startup::Application;
use serde_json::{Value, json};
use std::sync::{Mutex, OnceLock};

/// The corpus's reference date, so date rules give the same answers every day.
pub const REFERENCE_DATE: Timestamp = Timestamp(1_795_392_000);

pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

pub fn corpus(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../tests/corpus/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Every private key the tests send, by its base64 lines: none may come back.
pub fn key_lines() -> Vec<String> {
    [
        "rsa2048_pkcs1.key",
        "rsa2048_pkcs8.key",
        "rsa1024_pkcs1.key",
        "ec_p256.key",
    ]
    .iter()
    .flat_map(|k| {
        fixture(k)
            .lines()
            .filter(|l| !l.starts_with("-----") && l.len() > 20)
            .map(str::to_owned)
            .collect::<Vec<_>>()
    })
    .collect()
}

pub fn assert_no_key_material(text: &str, context: &str) {
    assert!(
        !text.contains("PRIVATE KEY-----"),
        "{context}: contains a PEM private key"
    );
    for line in key_lines() {
        assert!(!text.contains(&line), "{context}: contains private key material");
    }
}

// --- log capture -----------------------------------------------------------

static LOGS: OnceLock<Mutex<Vec<u8>>> = OnceLock::new();

struct Capture;
impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGS.get_or_init(Default::default)
            .lock()
            .unwrap()
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn init_logging() {
    static INIT: OnceLock<()> = OnceLock::new();
    INIT.get_or_init(|| {
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_writer(|| Capture)
            .with_ansi(false)
            .init();
    });
}

pub fn captured_logs() -> String {
    String::from_utf8_lossy(&LOGS.get_or_init(Default::default).lock().unwrap()).into_owned()
}

// --- databases ---------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// A fresh, empty database URL; `None` when PostgreSQL is not available here
/// (and `SAMLKIT_REQUIRE_POSTGRES` is not set, in which case that is a failure).
pub async fn fresh_database(db: Db) -> Option<(String, Option<tempfile_dir::TempDir>)> {
    match db {
        Db::Sqlite => {
            let dir = tempfile_dir::TempDir::new();
            Some((format!("sqlite://{}/samlkit.db", dir.path()), Some(dir)))
        }
        Db::Postgres => {
            let Some(admin_url) = std::env::var("SAMLKIT_TEST_POSTGRES_URL")
                .ok()
                .filter(|s| !s.is_empty())
            else {
                assert!(
                    std::env::var_os("SAMLKIT_REQUIRE_POSTGRES").is_none(),
                    "SAMLKIT_REQUIRE_POSTGRES is set but SAMLKIT_TEST_POSTGRES_URL is not"
                );
                eprintln!("skipping PostgreSQL: SAMLKIT_TEST_POSTGRES_URL is not set");
                return None;
            };
            let name = format!("samlkit_test_{}", uuid::Uuid::new_v4().simple());
            sqlx::any::install_default_drivers();
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url)
                .await
                .expect("connect to PostgreSQL");
            sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
                .await
                .unwrap();
            let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(b, _)| b);
            Some((format!("{base}/{name}"), None))
        }
    }
}

/// A tiny temporary-directory type (removed on drop), to avoid another dependency.
pub mod tempfile_dir {
    pub struct TempDir(std::path::PathBuf);
    impl TempDir {
        pub fn new() -> TempDir {
            let p = std::env::temp_dir().join(format!("samlkit-test-{}", uuid::Uuid::new_v4().simple()));
            std::fs::create_dir_all(&p).unwrap();
            TempDir(p)
        }
        pub fn path(&self) -> String {
            self.0.display().to_string()
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

// --- the app -----------------------------------------------------------------

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub org: String,
    pub admin: String,
    pub viewer: String,
    pub other_org: String,
    pub other_admin: String,
    /// An API client of `org` (admin rights) and its secret.
    pub client_id: String,
    pub client_secret: String,
    pub secret_key: String,
    pub project_id: String,
    /// The server's connections in use, of its cap.
    pub connections: samlkit_server::startup::ConnectionGauge,
    pub store: samlkit_server::db::Store,
    pub database_url: String,
    _dir: Option<tempfile_dir::TempDir>,
}

pub async fn spawn_app(db: Db) -> Option<TestApp> {
    spawn_app_with(db, |_| {}).await
}

pub async fn spawn_app_with(db: Db, tweak: impl FnOnce(&mut Config)) -> Option<TestApp> {
    init_logging();
    let (url, dir) = fresh_database(db).await?;
    let mut config = Config::local(url.clone());
    config.fixed_now = Some(REFERENCE_DATE);
    config.secret_key = Some(format!("secret-{}", uuid::Uuid::new_v4().simple()));
    config.project_id = Some(format!("project-test-{}", uuid::Uuid::new_v4()));
    tweak(&mut config);
    let secret_key = config.secret_key.clone().unwrap();
    let project_id = config.project_id.clone().unwrap_or_default();
    let app = Application::build(config).await.expect("build app");
    let connections = app.connections();
    let store = app.state().store.clone();
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let now = REFERENCE_DATE.to_iso();
    let seeded = samlkit_server::seed::demo(&store, &now).await.unwrap();
    let other = samlkit_server::seed::demo(&store, &now).await.unwrap();
    Some(TestApp {
        base,
        // No pooled connections: the server rightly closes a connection whose body it
        // refused unread (413, 415), and a pooled one could be reused as it closes.
        http: reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap(),
        org: seeded.organization_id,
        admin: seeded.admin_token,
        viewer: seeded.viewer_token,
        other_org: other.organization_id,
        other_admin: other.admin_token,
        client_id: seeded.client_id,
        client_secret: seeded.client_secret,
        secret_key,
        project_id,
        connections,
        store,
        database_url: url,
        _dir: dir,
    })
}

/// An answer: status, ETag and JSON body (or the raw text when not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub etag: Option<String>,
    pub body: Value,
    pub text: String,
}

impl Answer {
    /// Reads a response; no answer may carry key material (`context` names the request).
    pub async fn of(res: reqwest::Response, context: &str) -> Answer {
        let status = res.status().as_u16();
        let etag = res.headers().get("etag").map(|v| v.to_str().unwrap().to_owned());
        let text = res.text().await.unwrap();
        assert_no_key_material(&text, context);
        Answer {
            status,
            etag,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
            text,
        }
    }
}

impl TestApp {
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        if_match: Option<&str>,
    ) -> Answer {
        let mut req = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(v) = if_match {
            req = req.header("if-match", v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        Answer::of(req.send().await.expect("request"), &format!("{method} {path}")).await
    }

    /// Sends only the head of a request (no body bytes) and reads the answer: how a
    /// refusal made from the headers alone is seen, without racing a half-sent body.
    pub async fn send_head_only(&self, head: String) -> Answer {
        let addr = self.base.trim_start_matches("http://").to_owned();
        tokio::task::spawn_blocking(move || {
            use std::io::{Read, Write};
            let mut stream = std::net::TcpStream::connect(addr).unwrap();
            stream
                .set_read_timeout(Some(std::time::Duration::from_secs(10)))
                .unwrap();
            stream.write_all(head.as_bytes()).unwrap();
            let mut raw = Vec::new();
            let mut chunk = [0u8; 4096];
            loop {
                let n = stream.read(&mut chunk).expect("answer before the timeout");
                raw.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&raw);
                if let Some((headers, body)) = text.split_once("\r\n\r\n") {
                    let length = headers
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().to_owned())
                        })
                        .and_then(|v| v.parse::<usize>().ok());
                    if n == 0 || length.is_some_and(|len| body.len() >= len) {
                        let status = headers.split(' ').nth(1).unwrap().parse().unwrap();
                        return Answer {
                            status,
                            etag: None,
                            body: serde_json::from_str(body).unwrap_or(Value::Null),
                            text: body.to_owned(),
                        };
                    }
                }
                assert!(n > 0, "connection closed before an answer: {text}");
            }
        })
        .await
        .unwrap()
    }

    /// Another server instance on the same database (no memory shared with the
    /// first but the database): its base URL.
    pub async fn second_instance(&self) -> String {
        let mut config = Config::local(self.database_url.clone());
        config.fixed_now = Some(REFERENCE_DATE);
        config.secret_key = Some(self.secret_key.clone());
        config.project_id = Some(self.project_id.clone());
        let app = Application::build(config).await.expect("build the second instance");
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        base
    }

    /// `PATCH` with an RFC 6902 body (`application/json-patch+json`).
    pub async fn json_patch(&self, path: &str, token: &str, ops: Value, if_match: Option<&str>) -> Answer {
        let mut req = self
            .http
            .patch(format!("{}{path}", self.base))
            .bearer_auth(token)
            .header("content-type", "application/json-patch+json")
            .body(ops.to_string());
        if let Some(v) = if_match {
            req = req.header("if-match", v);
        }
        Answer::of(req.send().await.expect("request"), &format!("PATCH {path}")).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.send("GET", path, token, None, None).await
    }

    /// `POST /validate` as the read-only member.
    pub async fn validate(&self, body: Value) -> Answer {
        self.send(
            "POST",
            "/v1/b2b/sso/saml/validate",
            Some(&self.viewer),
            Some(body),
            None,
        )
        .await
    }

    pub async fn create(&self, token: &str) -> Answer {
        self.send(
            "POST",
            &format!("/v1/b2b/sso/saml/{}", self.org),
            Some(token),
            Some(json!({"display_name": "Acme", "identity_provider": "okta"})),
            None,
        )
        .await
    }

    pub fn connection_path(&self, id: &str) -> String {
        format!("/v1/b2b/sso/saml/{}/connections/{id}", self.org)
    }

    pub async fn update(&self, id: &str, body: Value) -> Answer {
        self.send("PUT", &self.connection_path(id), Some(&self.admin), Some(body), None)
            .await
    }

    /// A connection made active with a valid certificate and mapping.
    pub async fn active_connection(&self) -> (String, Answer) {
        let created = self.create(&self.admin).await;
        let id = created.body["connection"]["connection_id"].as_str().unwrap().to_owned();
        let answer = self.update(&id, complete_update()).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        (id, answer)
    }
}

pub fn complete_update() -> Value {
    json!({
        "display_name": "Acme Okta",
        "identity_provider": "okta",
        "idp_entity_id": "http://www.okta.com/exk1abc",
        "idp_sso_url": "https://acme.okta.com/app/acme_app_1/exk1abc/sso/saml",
        "x509_certificate": fixture("rsa2048_sp.crt"),
        "attribute_mapping": {"email": "email", "full_name": "name"},
    })
}

pub fn issue_lines(body: &Value) -> Vec<String> {
    let mut lines: Vec<String> = body["issues"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| {
                    format!(
                        "{} {} {}",
                        i["severity"].as_str().unwrap(),
                        i["code"].as_str().unwrap(),
                        i["path"].as_str().unwrap()
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    lines.sort();
    lines
}

/// Runs a test body against SQLite and against PostgreSQL.
#[macro_export]
macro_rules! both_databases {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(app) = $crate::helpers::spawn_app($crate::helpers::Db::Sqlite).await {
                    ($body)(app).await;
                }
                $crate::helpers::assert_no_key_material(&$crate::helpers::captured_logs(), "server logs");
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = $crate::helpers::spawn_app($crate::helpers::Db::Postgres).await {
                    ($body)(app).await;
                }
                $crate::helpers::assert_no_key_material(&$crate::helpers::captured_logs(), "server logs");
            }
        }
    };
}

// --- the real binary ------------------------------------------------------------

pub const SERVER_BINARY: &str = env!("CARGO_BIN_EXE_samlkit-server");

/// `samlkit-server seed` on a database: the demo organization and its admin's token.
pub fn seed_real(database_url: &str) -> (String, String) {
    let out = std::process::Command::new(SERVER_BINARY)
        .arg("seed")
        .env("DATABASE_URL", database_url)
        .output()
        .unwrap();
    let seeded = String::from_utf8(out.stdout).unwrap();
    let field = |k: &str| {
        seeded
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .unwrap()
            .to_owned()
    };
    (field("organization_id"), field("admin_token"))
}

/// The real server binary on a free loopback port, with extra environment.
pub struct RealServer {
    pub child: std::process::Child,
    pub base: String,
}

impl RealServer {
    pub async fn start(database_url: &str, env: &[(&str, &str)]) -> RealServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = std::process::Command::new(SERVER_BINARY)
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("SAMLKIT_BIND", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        for _ in 0..200 {
            if http
                .get(format!("{base}/healthz"))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200)
            {
                return RealServer { child, base };
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the server did not start");
    }
}

impl RealServer {
    /// Creates a connection named `name` in `org`; its id.
    pub async fn create_connection(&self, http: &reqwest::Client, org: &str, token: &str, name: &str) -> String {
        let created: Value = http
            .post(format!("{}/v1/b2b/sso/saml/{org}", self.base))
            .bearer_auth(token)
            .json(&json!({ "display_name": name }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        created["connection"]["connection_id"].as_str().unwrap().to_owned()
    }
}

impl Drop for RealServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
