//! Concurrency across two server instances sharing one database: every accepted
//! update is in the history, none silently overwritten, the losers got 412.

use crate::helpers::*;
use serde_json::{Value, json};
use sqlx::Row;

const CLIENTS: usize = 12;
const ROUNDS: usize = 6;

both_databases!(
    concurrent_updates_across_two_instances_lose_nothing,
    |app: TestApp| async move {
        let (id, _) = app.active_connection().await;
        let second = app.second_instance().await;
        let path = app.connection_path(&id);
        let get_path = format!("/v1/b2b/sso/{}/connections/{id}", app.org);
        let mut tasks = Vec::new();
        for client in 0..CLIENTS {
            let http = app.http.clone();
            // Half the clients talk to each instance.
            let base = if client % 2 == 0 {
                app.base.clone()
            } else {
                second.clone()
            };
            let (token, path, get_path) = (app.admin.clone(), path.clone(), get_path.clone());
            tasks.push(tokio::spawn(async move {
                let (mut accepted, mut conflicts) = (Vec::new(), 0usize);
                for round in 0..ROUNDS {
                    // Read, then write with the version read: a lost race is a 412, never a silent overwrite.
                    let read = http
                        .get(format!("{base}{get_path}"))
                        .bearer_auth(&token)
                        .send()
                        .await
                        .unwrap();
                    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
                    let name = format!("client {client} round {round}");
                    let res = http
                        .put(format!("{base}{path}"))
                        .bearer_auth(&token)
                        .header("if-match", &etag)
                        .json(&json!({"display_name": name}))
                        .send()
                        .await
                        .unwrap();
                    match res.status().as_u16() {
                        200 => {
                            let body: Value = res.json().await.unwrap();
                            accepted.push((body["connection"]["version"].as_i64().unwrap(), name));
                        }
                        412 => conflicts += 1,
                        other => panic!("unexpected {other}: {}", res.text().await.unwrap()),
                    }
                }
                (accepted, conflicts)
            }));
        }
        let mut accepted = Vec::new();
        let mut conflicts = 0;
        for t in tasks {
            let (a, c) = t.await.unwrap();
            accepted.extend(a);
            conflicts += c;
        }
        assert_eq!(
            accepted.len() + conflicts,
            CLIENTS * ROUNDS,
            "every attempt got an answer"
        );
        assert!(!accepted.is_empty());

        // The history: create (1), activation (2), then exactly one row per accepted
        // update, each with the name that update wrote.
        let rows =
            sqlx::query("SELECT version, data FROM connection_history WHERE connection_id = $1 ORDER BY version")
                .bind(&id)
                .fetch_all(app.store.pool())
                .await
                .unwrap();
        let history: Vec<(i64, String)> = rows
            .iter()
            .map(|r| {
                let data: Value = serde_json::from_str(&r.get::<String, _>(1)).unwrap();
                (r.get::<i64, _>(0), data["display_name"].as_str().unwrap().to_owned())
            })
            .collect();
        assert_eq!(
            history.len(),
            2 + accepted.len(),
            "no accepted update is missing from the history"
        );
        accepted.sort();
        assert_eq!(
            history[2..].to_vec(),
            accepted,
            "each accepted write is its own version"
        );
        let versions: Vec<i64> = history.iter().map(|(v, _)| *v).collect();
        assert_eq!(
            versions,
            (1..=versions.len() as i64).collect::<Vec<_>>(),
            "no gaps, no duplicates"
        );
        let last = app.get(&get_path, Some(&app.viewer)).await;
        assert_eq!(
            last.body["connection"]["display_name"],
            accepted.last().unwrap().1.as_str()
        );
        eprintln!(
            "{} accepted, {conflicts} answered 412, over two instances",
            accepted.len()
        );
    }
);
