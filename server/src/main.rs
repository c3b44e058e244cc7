//! `samlkit-server [serve]` runs the API; `samlkit-server seed` creates a demo
//! organization and prints its tokens. Settings come from the environment
//! (see `config.rs`).

use samlkit::Timestamp;
use samlkit_server::config::Config;
use samlkit_server::db::Store;
use samlkit_server::startup::Application;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration: {e}");
            std::process::exit(2);
        }
    };
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    let result = match command.as_str() {
        "serve" => serve(config).await,
        "seed" => seed(config).await,
        other => {
            eprintln!("usage: samlkit-server [serve|seed]   (unknown command {other:?})");
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("samlkit-server: {e}");
        std::process::exit(1);
    }
}

async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let app = Application::build(config).await?;
    tracing::info!(url = %app.state().public_base_url(), "listening");
    app.run_until_stopped().await?;
    Ok(())
}

async fn seed(config: Config) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let store = Store::connect(&config.database_url).await?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    let seeded = samlkit_server::seed::demo(&store, &Timestamp(now).to_iso()).await?;
    println!("organization_id={}", seeded.organization_id);
    println!("admin_token={}", seeded.admin_token);
    println!("viewer_token={}", seeded.viewer_token);
    println!("client_id={}", seeded.client_id);
    println!("client_secret={}", seeded.client_secret);
    Ok(())
}
