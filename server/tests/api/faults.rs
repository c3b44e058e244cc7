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

/// Sends `n` requests at once (each made by `request(i)`) and returns their statuses.
async fn all_at_once(n: usize, request: impl Fn(usize) -> reqwest::RequestBuilder) -> Vec<u16> {
    let tasks: Vec<_> = (0..n).map(|i| tokio::spawn(request(i).send())).collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap().unwrap().status().as_u16());
    }
    statuses
}

const PARALLEL: usize = 200;

both_databases!(unconditional_writes_wait_their_turn, |app: TestApp| async move {
    let (id, _) = app.active_connection().await;
    let url = format!("{}{}", app.base, app.connection_path(&id));
    // PUT without If-Match: every one succeeds, each its own version.
    let statuses = all_at_once(PARALLEL, |i| {
        app.http
            .put(&url)
            .bearer_auth(&app.admin)
            .json(&json!({"display_name": format!("writer {i}")}))
    })
    .await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let versions = app.store.history_versions(&id).await.unwrap();
    assert_eq!(versions.len(), 2 + PARALLEL, "one history row per write");
    assert_eq!(versions, (1..=(2 + PARALLEL) as i64).collect::<Vec<_>>());

    // JSON Patch without If-Match: the same.
    let statuses = all_at_once(PARALLEL / 2, |i| {
        app.http
            .patch(&url)
            .bearer_auth(&app.admin)
            .header("content-type", "application/json-patch+json")
            .body(json!([{"op": "replace", "path": "/display_name", "value": format!("patch {i}")}]).to_string())
    })
    .await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let versions = app.store.history_versions(&id).await.unwrap();
    assert_eq!(versions.len(), 2 + PARALLEL + PARALLEL / 2);

    // With If-Match on one version: exactly one winner, the others 412.
    let etag = format!("\"{}\"", versions.len());
    let statuses = all_at_once(20, |i| {
        app.http
            .put(&url)
            .bearer_auth(&app.admin)
            .header("if-match", &etag)
            .json(&json!({"display_name": format!("conditional {i}")}))
    })
    .await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 412).count(), 19, "{statuses:?}");
});

both_databases!(
    first_writes_through_the_dialects_never_fail,
    |app: TestApp| async move {
        let org_uuid = app.org.trim_start_matches("organization-").to_owned();
        // Infisical: 20 creates at once, one config; the rest are told it exists.
        let body = json!({
            "organizationId": org_uuid,
            "authProvider": "okta-saml",
            "isActive": false,
            "entryPoint": "https://acme.okta.com/app/acme_app_1/exk1abc/sso/saml",
            "issuer": "http://www.okta.com/exk1abc",
            "cert": fixture("rsa2048_sp.crt"),
        });
        let url = format!("{}/api/v1/sso/config", app.base);
        let statuses = all_at_once(20, |_| app.http.post(&url).bearer_auth(&app.admin).json(&body)).await;
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
        assert!(statuses.iter().all(|s| *s == 200 || *s == 400), "{statuses:?}");
        // Then Infisical PATCHes at once: all succeed.
        let statuses = all_at_once(50, |i| {
            app.http.patch(&url).bearer_auth(&app.admin).json(&json!({
                "organizationId": org_uuid,
                "issuer": format!("http://www.okta.com/exk{i}"),
            }))
        })
        .await;
        assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");

        // SailPoint: 20 first PATCHes at once on the other organization, all applied.
        let url = format!("{}/beta/auth-org/service-provider-config", app.base);
        let statuses = all_at_once(20, |i| {
            app.http
                .patch(&url)
                .bearer_auth(&app.other_admin)
                .header("content-type", "application/json-patch+json")
                .body(
                    json!([{"op": "add", "path": "/federationProtocolDetails/0/entityId",
                            "value": format!("http://www.okta.com/exk{i}")}])
                    .to_string(),
                )
        })
        .await;
        assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
        let connections = app
            .get(&format!("/v1/b2b/sso/{}", app.other_org), Some(&app.other_admin))
            .await;
        let list = connections.body["saml_connections"].as_array().unwrap();
        assert_eq!(list.len(), 1);
        let id = list[0]["connection_id"].as_str().unwrap();
        assert_eq!(app.store.history_versions(id).await.unwrap().len(), 20);
    }
);
