//! Settings, from the environment.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    /// `sqlite://file.db` (the default) or `postgres://…`.
    pub database_url: String,
    /// Where this service is reached; ACS URLs and audiences are built from it.
    pub public_base_url: Option<String>,
    /// A project secret key for server-to-server calls (all organizations).
    pub secret_key: Option<String>,
    /// A folder served at `/` (the admin panel's build).
    pub static_dir: Option<PathBuf>,
    pub fetch: FetchConfig,
    /// Browser origins allowed to call the API from another origin (`*` for any);
    /// empty: same-origin only, as when the server serves the panel itself.
    pub cors_origins: Vec<String>,
    /// A fixed "now" for reproducible tests; `None` reads the system clock.
    pub fixed_now: Option<samlkit::Timestamp>,
    /// The project ID that HTTP Basic credentials name as their user (Stytch's
    /// `-u PROJECT_ID:SECRET`); without it, Basic credentials are refused.
    pub project_id: Option<String>,
    /// Hosts that may frame the panel's page (CSP `frame-ancestors`); empty: none.
    pub frame_ancestors: Vec<String>,
    pub limits: Limits,
}

/// What one client may hold of the server while it is slow or hostile.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// From a connection's first byte (or its previous response) to a request's
    /// complete head; a connection that takes longer is closed.
    pub header_read_timeout: Duration,
    /// From a request's head to the end of its body; longer answers 408.
    pub body_read_timeout: Duration,
    /// Connections served at once; more wait in the listen queue. Never above
    /// what the process's open-file limit leaves for the database and fetches.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            max_connections: 4096,
        }
    }
}

#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// `host:port` pairs that may be fetched even though they are private or
    /// plain http. Empty in production; tests name their local metadata server.
    pub allow: Vec<String>,
    pub timeout: Duration,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            allow: Vec::new(),
            timeout: Duration::from_secs(10),
        }
    }
}

/// The audience of session JWTs and access tokens when no project ID is configured.
pub const DEFAULT_PROJECT_ID: &str = "project-samlkit";

impl Config {
    /// The project ID JWTs are issued for (`aud`, and `iss` = `stytch.com/<id>`).
    pub fn jwt_project_id(&self) -> &str {
        self.project_id.as_deref().unwrap_or(DEFAULT_PROJECT_ID)
    }

    /// A configuration for tests and tools: loopback, port 0, the given database.
    pub fn local(database_url: impl Into<String>) -> Config {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: database_url.into(),
            public_base_url: None,
            secret_key: None,
            static_dir: None,
            fetch: FetchConfig::default(),
            cors_origins: Vec::new(),
            fixed_now: None,
            project_id: None,
            frame_ancestors: Vec::new(),
            limits: Limits::default(),
        }
    }

    /// `SAMLKIT_BIND`, `DATABASE_URL`, `SAMLKIT_PUBLIC_URL`, `SAMLKIT_SECRET_KEY`,
    /// `SAMLKIT_STATIC_DIR`, `SAMLKIT_FETCH_ALLOW` (comma-separated host:port),
    /// `SAMLKIT_CORS_ORIGINS` (comma-separated origins, or `*`), `SAMLKIT_FIXED_NOW`
    /// (an ISO date-time, for reproducible tests only), `SAMLKIT_PROJECT_ID`,
    /// `SAMLKIT_FRAME_ANCESTORS` (comma-separated CSP sources),
    /// `SAMLKIT_HEADER_READ_TIMEOUT_SECS` (10), `SAMLKIT_BODY_READ_TIMEOUT_SECS` (30),
    /// `SAMLKIT_MAX_CONNECTIONS` (4096).
    pub fn from_env() -> Result<Config, String> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let number = |k: &str, default: u64| -> Result<u64, String> {
            match var(k) {
                None => Ok(default),
                Some(v) => match v.trim().parse::<u64>() {
                    Ok(n) if n > 0 => Ok(n),
                    _ => Err(format!("{k}={v}: a whole number above 0")),
                },
            }
        };
        let defaults = Limits::default();
        let limits = Limits {
            header_read_timeout: Duration::from_secs(number(
                "SAMLKIT_HEADER_READ_TIMEOUT_SECS",
                defaults.header_read_timeout.as_secs(),
            )?),
            body_read_timeout: Duration::from_secs(number(
                "SAMLKIT_BODY_READ_TIMEOUT_SECS",
                defaults.body_read_timeout.as_secs(),
            )?),
            max_connections: number("SAMLKIT_MAX_CONNECTIONS", defaults.max_connections as u64)? as usize,
        };
        let bind = var("SAMLKIT_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        Ok(Config {
            bind: bind.parse().map_err(|e| format!("SAMLKIT_BIND={bind}: {e}"))?,
            database_url: var("DATABASE_URL").unwrap_or_else(|| "sqlite://samlkit.db".into()),
            public_base_url: var("SAMLKIT_PUBLIC_URL"),
            secret_key: var("SAMLKIT_SECRET_KEY"),
            static_dir: var("SAMLKIT_STATIC_DIR").map(PathBuf::from),
            fetch: FetchConfig {
                allow: list(var("SAMLKIT_FETCH_ALLOW")),
                ..FetchConfig::default()
            },
            cors_origins: list(var("SAMLKIT_CORS_ORIGINS")),
            fixed_now: match var("SAMLKIT_FIXED_NOW") {
                Some(t) => Some(
                    samlkit::Timestamp::parse_xs_datetime(&t)
                        .ok_or_else(|| format!("SAMLKIT_FIXED_NOW={t}: not a date-time"))?,
                ),
                None => None,
            },
            project_id: var("SAMLKIT_PROJECT_ID"),
            frame_ancestors: list(var("SAMLKIT_FRAME_ANCESTORS")),
            limits,
        })
    }
}

/// A comma-separated setting as a list (empty entries dropped).
fn list(value: Option<String>) -> Vec<String> {
    value
        .map(|v| {
            v.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}
