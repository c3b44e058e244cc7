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

impl Config {
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
        }
    }

    /// `SAMLKIT_BIND`, `DATABASE_URL`, `SAMLKIT_PUBLIC_URL`, `SAMLKIT_SECRET_KEY`,
    /// `SAMLKIT_STATIC_DIR`, `SAMLKIT_FETCH_ALLOW` (comma-separated host:port),
    /// `SAMLKIT_CORS_ORIGINS` (comma-separated origins, or `*`), `SAMLKIT_FIXED_NOW`
    /// (an ISO date-time, for reproducible tests only).
    pub fn from_env() -> Result<Config, String> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
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
