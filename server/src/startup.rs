//! Building and running the application; tests bind port 0 and ask for `port()`.

use crate::config::Config;
use crate::db::Store;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    /// Set once the listener is bound, so port 0 resolves to the real port.
    pub base_url: Arc<String>,
    /// Signs and verifies session JWTs and access tokens.
    pub tokens: Arc<crate::tokens::Tokens>,
}

impl AppState {
    /// The current time: the system clock, or the configured fixed instant.
    pub fn now(&self) -> samlkit::Timestamp {
        self.config.fixed_now.unwrap_or_else(|| {
            let secs = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            samlkit::Timestamp(secs as i64)
        })
    }

    pub fn public_base_url(&self) -> &str {
        self.config
            .public_base_url
            .as_deref()
            .unwrap_or(&self.base_url)
            .trim_end_matches('/')
    }
}

pub struct Application {
    listener: TcpListener,
    state: AppState,
    connections: ConnectionGauge,
}

/// How many connections are being served, of how many at most.
#[derive(Clone)]
pub struct ConnectionGauge {
    permits: Arc<Semaphore>,
    cap: usize,
}

impl ConnectionGauge {
    pub fn in_use(&self) -> usize {
        self.cap - self.permits.available_permits()
    }

    pub fn cap(&self) -> usize {
        self.cap
    }
}

impl Application {
    pub async fn build(config: Config) -> Result<Application, Box<dyn std::error::Error + Send + Sync>> {
        let store = Store::connect(&config.database_url).await?;
        let listener = TcpListener::bind(config.bind).await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let cap = connection_cap(config.limits.max_connections);
        let now = samlkit::Timestamp(crate::tokens::unix_now()).to_iso();
        let tokens = crate::tokens::Tokens::load(&store, config.jwt_project_id(), &now).await?;
        let state = AppState {
            store,
            config: Arc::new(config),
            base_url: Arc::new(base_url),
            tokens: Arc::new(tokens),
        };
        let connections = ConnectionGauge {
            permits: Arc::new(Semaphore::new(cap)),
            cap,
        };
        Ok(Application {
            listener,
            state,
            connections,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn connections(&self) -> ConnectionGauge {
        self.connections.clone()
    }

    /// Serves HTTP/1 until SIGINT or SIGTERM. Each connection holds a permit of
    /// the connection cap from accept to close; at the cap, new connections wait
    /// in the listen queue. hyper closes a connection whose request head has not
    /// arrived within the header-read timeout (idle keep-alive ones included);
    /// bodies have their own deadline (`http::service`).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let limits = self.state.config.limits;
        let service = crate::http::service(self.state);
        let mut http = http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(limits.header_read_timeout)
            .keep_alive(true);
        let graceful = GracefulShutdown::new();
        let stop = shutdown();
        tokio::pin!(stop);
        loop {
            let permit = tokio::select! {
                permit = self.connections.permits.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
                _ = &mut stop => break,
            };
            let stream = tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // Out of descriptors or a connection reset before accept: wait, never spin.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
                _ = &mut stop => break,
            };
            let _ = stream.set_nodelay(true);
            let connection = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service.clone()));
            let connection = graceful.watch(connection);
            tokio::spawn(async move {
                if let Err(e) = connection.await {
                    tracing::debug!(error = %e, "connection closed with an error");
                }
                drop(permit);
            });
        }
        drop(self.listener);
        // In-flight requests finish; idle connections close at once.
        let _ = tokio::time::timeout(Duration::from_secs(30), graceful.shutdown()).await;
        Ok(())
    }
}

/// The connection cap: the configured one, kept under what the open-file limit
/// leaves after the database pool, fetches (one per connection at most) and
/// the process's own files. The soft limit is first raised to the hard one.
fn connection_cap(configured: usize) -> usize {
    const RESERVED: usize = 128;
    match open_file_limit() {
        Some(limit) => configured.min(limit.saturating_sub(RESERVED) / 2).max(1),
        None => configured.max(1),
    }
}

#[cfg(unix)]
fn open_file_limit() -> Option<usize> {
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    unsafe {
        let mut limit = std::mem::zeroed::<libc::rlimit>();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return None;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit.rlim_cur = limit.rlim_max;
            }
        }
        usize::try_from(limit.rlim_cur).ok()
    }
}

#[cfg(not(unix))]
fn open_file_limit() -> Option<usize> {
    None
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
