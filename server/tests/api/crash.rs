//! Crash safety: `kill -9` the server (the real binary) in the middle of a stream
//! of acknowledged writes, restart it, and find every acknowledged write there,
//! the stored connection equal to its last history row, and (SQLite) the file
//! passing `PRAGMA integrity_check`.

use crate::helpers::{Db, RealServer, fresh_database, seed_real};
use serde_json::{Value, json};
use sqlx::Row;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const WRITERS: usize = 4;

async fn start(database_url: &str) -> RealServer {
    RealServer::start(database_url, &[]).await
}

async fn crash_safety(db: Db) {
    let Some((url, _dir)) = fresh_database(db).await else {
        return;
    };
    let (org, token) = seed_real(&url);
    let mut server = start(&url).await;
    let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let id = server.create_connection(&http, &org, &token, "before").await;

    // A stream of writes from several clients; an answer of 200 is an acknowledgement.
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let (http, acked, stop) = (http.clone(), acked.clone(), stop.clone());
        let url = format!("{}/v1/b2b/sso/saml/{org}/connections/{id}", server.base);
        let token = token.clone();
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                let name = format!("writer {w} write {n}");
                n += 1;
                let answer = http
                    .put(&url)
                    .bearer_auth(&token)
                    .json(&json!({"display_name": name}))
                    .send()
                    .await;
                match answer {
                    Ok(r) if r.status() == 200 => acked.lock().unwrap().push(name),
                    Ok(r) => panic!("unexpected {}: {}", r.status(), r.text().await.unwrap_or_default()),
                    Err(_) => break, // the server is gone
                }
            }
        }));
    }
    for _ in 0..400 {
        if acked.lock().unwrap().len() >= 60 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.child.kill().unwrap(); // SIGKILL: no shutdown, no flush
    server.child.wait().unwrap();
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 10, "writes were acknowledged before the kill");

    // Restart on the same database.
    let mut restarted = start(&url).await;
    let store = samlkit_server::db::Store::connect(&url).await.unwrap();
    let rows = sqlx::query("SELECT version, data FROM connection_history WHERE connection_id = $1 ORDER BY version")
        .bind(&id)
        .fetch_all(store.pool())
        .await
        .unwrap();
    let names: Vec<String> = rows
        .iter()
        .map(|r| {
            let data: Value = serde_json::from_str(&r.get::<String, _>(1)).unwrap();
            data["display_name"].as_str().unwrap().to_owned()
        })
        .collect();
    for name in &acked {
        assert!(names.contains(name), "acknowledged write {name:?} was lost");
    }
    let current = sqlx::query("SELECT version, data FROM connections WHERE connection_id = $1")
        .bind(&id)
        .fetch_one(store.pool())
        .await
        .unwrap();
    let last = rows.last().unwrap();
    assert_eq!(
        current.get::<i64, _>(0),
        last.get::<i64, _>(0),
        "the connection is its last history row"
    );
    assert_eq!(current.get::<String, _>(1), last.get::<String, _>(1));
    if db == Db::Sqlite {
        let check = sqlx::query("PRAGMA integrity_check")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(check.get::<String, _>(0), "ok");
    }
    let answer: Value = http
        .get(format!("{}/v1/b2b/sso/{org}/connections/{id}", restarted.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["connection"]["version"].as_i64(), Some(last.get::<i64, _>(0)));
    restarted.child.kill().unwrap();
    restarted.child.wait().unwrap();
    eprintln!(
        "{db:?}: {} writes acknowledged before kill -9, {} in the history after restart",
        acked.len(),
        names.len() - 1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_loses_no_acknowledged_write_sqlite() {
    crash_safety(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_loses_no_acknowledged_write_postgres() {
    crash_safety(Db::Postgres).await;
}
