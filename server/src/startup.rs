//! Building and running the application; tests bind port 0 and ask for `port()`.

use crate::config::Config;
use crate::db::Store;
use std::sync::Arc;
use tokio::net::TcpListener;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    /// Set once the listener is bound, so port 0 resolves to the real port.
    pub base_url: Arc<String>,
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
}

impl Application {
    pub async fn build(config: Config) -> Result<Application, Box<dyn std::error::Error + Send + Sync>> {
        let store = Store::connect(&config.database_url).await?;
        let listener = TcpListener::bind(config.bind).await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let state = AppState {
            store,
            config: Arc::new(config),
            base_url: Arc::new(base_url),
        };
        Ok(Application { listener, state })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let router = crate::http::router(self.state);
        axum::serve(self.listener, router)
            .with_graceful_shutdown(shutdown())
            .await
    }
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
