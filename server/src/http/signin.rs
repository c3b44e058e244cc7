//! Test sign-in: start one (an AuthnRequest to the IdP), receive the IdP's answer
//! at the ACS the connection advertises, and read the connection's last test.
//! The answer is checked by the core exactly as a sign-in would be; nobody is
//! signed in.

use crate::auth::{Action, Caller};
use crate::connections::load;
use crate::error::{AppError, current_request_id};
use crate::signin::{TEST_SECONDS, redirect_url};
use crate::spmeta::escape;
use crate::startup::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use samlkit::signin::{self, Expected, Outcome, Report, Settings};
use samlkit::{Code, Issue};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/b2b/sso/saml/{organization_id}/connections/{connection_id}/test",
            post(start).get(last),
        )
        .route("/v1/b2b/sso/callback/{connection_id}", post(acs))
}

#[derive(Serialize)]
struct Started {
    test_id: String,
    /// Open this URL (a new window) to sign in at the IdP.
    redirect_url: String,
    expires_at: String,
    request_id: String,
    status_code: u16,
}

/// `POST …/test`: a new test sign-in of a saved connection.
async fn start(
    State(state): State<AppState>,
    caller: Caller,
    Path((organization_id, connection_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    caller.authorize(&organization_id, Action::Update)?;
    let stored = load(&state, &organization_id, &connection_id).await?;
    let connection = &stored.connection;
    if connection.idp_sso_url.is_empty() || connection.verification_certificates.is_empty() {
        let mut issues = Vec::new();
        if connection.idp_sso_url.is_empty() {
            issues.push(Issue::with_message(
                Code::Required,
                "/idp_sso_url",
                "Save the IdP's SSO URL before testing.",
            ));
        }
        if connection.verification_certificates.is_empty() {
            issues.push(Issue::with_message(
                Code::Required,
                "/x509_certificate",
                "Save the IdP's signing certificate before testing.",
            ));
        }
        return Err(AppError::invalid(issues));
    }
    let now = state.now();
    let test_id = format!("_samlkit-test-{}", uuid::Uuid::new_v4().simple());
    let url = redirect_url(connection, &test_id, stored.secrets.signing_private_key.as_deref(), now)
        .ok_or_else(|| AppError::internal("the AuthnRequest could not be made"))?;
    let test = crate::db::SigninTest {
        test_id: test_id.clone(),
        organization_id,
        connection_id,
        started_by: match &caller {
            Caller::Member(m) => m.email.clone(),
            Caller::Project => "project secret".to_owned(),
        },
        started_at: now.to_iso(),
        completed_at: None,
        report: None,
    };
    let expires = now.0 + TEST_SECONDS;
    state.store.start_test(&test, expires).await?;
    Ok(Json(Started {
        test_id,
        redirect_url: url,
        expires_at: samlkit::Timestamp(expires).to_iso(),
        request_id: current_request_id(),
        status_code: 200,
    })
    .into_response())
}

#[derive(Serialize)]
struct LastTest {
    test: Option<TestResult>,
    request_id: String,
    status_code: u16,
}

#[derive(Serialize)]
struct TestResult {
    test_id: String,
    started_by: String,
    started_at: String,
    completed_at: Option<String>,
    report: Option<Report>,
}

/// `GET …/test`: the connection's last answered test: when, by whom, the result.
async fn last(
    State(state): State<AppState>,
    caller: Caller,
    Path((organization_id, connection_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    caller.authorize(&organization_id, Action::Read)?;
    load(&state, &organization_id, &connection_id).await?;
    let test = state.store.last_test(&organization_id, &connection_id).await?;
    Ok(Json(LastTest {
        test: test.map(|t| TestResult {
            report: t.report.as_deref().and_then(|r| serde_json::from_str(r).ok()),
            test_id: t.test_id,
            started_by: t.started_by,
            started_at: t.started_at,
            completed_at: t.completed_at,
        }),
        request_id: current_request_id(),
        status_code: 200,
    })
    .into_response())
}

#[derive(Deserialize)]
struct Posted {
    #[serde(rename = "SAMLResponse")]
    saml_response: String,
    #[serde(rename = "RelayState", default)]
    relay_state: String,
}

/// `POST /v1/b2b/sso/callback/{connection_id}`: the IdP's answer (HTTP-POST
/// binding). Only an answer to a pending test of this connection is read.
async fn acs(
    State(state): State<AppState>,
    Path(connection_id): Path<String>,
    posted: Result<Form<Posted>, FormRejection>,
) -> Result<Response, AppError> {
    let Ok(Form(posted)) = posted else {
        return Ok(refused(
            "This is not a SAML response",
            "<p>The IdP's post must be a form with a <code>SAMLResponse</code> (the HTTP-POST binding).</p>",
        ));
    };
    let now = state.now();
    let Some(test) = state
        .store
        .pending_test(&connection_id, &posted.relay_state, now.0)
        .await?
    else {
        return Ok(no_test_waiting());
    };
    let stored = load(&state, &test.organization_id, &connection_id).await?;
    let settings = Settings::of(&stored.connection);
    let expected = Expected::new(&settings, Some(&test.test_id), now);
    let report = signin::check(&posted.saml_response, &expected);
    let json = serde_json::to_string(&report).map_err(|_| AppError::internal("the report could not be stored"))?;
    if !state
        .store
        .complete_test(&test.test_id, &now.to_iso(), report.passed, &json)
        .await?
    {
        return Ok(no_test_waiting());
    }
    Ok(page(
        if report.passed {
            "Test sign-in passed"
        } else {
            "Test sign-in failed"
        },
        &checklist(&report),
    )
    .into_response())
}

/// 400 for a post that answers no pending test (unknown, expired or already answered).
fn no_test_waiting() -> Response {
    refused(
        "No test sign-in is waiting for this response",
        "<p>This server signs no one in: it only checks responses to a test started from the connection's settings \
         (the Test sign-in button). Start a new test there; a test can be answered once, within ten minutes.</p>",
    )
}

/// A 400 page: the browser that brought the post shows it.
fn refused(title: &str, body: &str) -> Response {
    (axum::http::StatusCode::BAD_REQUEST, page(title, body)).into_response()
}

fn checklist(report: &Report) -> String {
    let mut html = String::from("<ol>");
    for check in &report.checks {
        let mark = match check.outcome {
            Outcome::Pass => "passed",
            Outcome::Warn => "warning",
            Outcome::Fail => "failed",
            Outcome::Skip => "not checked",
        };
        let name = serde_json::to_value(check.check)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        html.push_str(&format!(
            "<li><strong>{}</strong> — {mark}: {}",
            escape(&name),
            escape(&check.message)
        ));
        if let Some(fix) = &check.fix {
            html.push_str(&format!("<br>What to change: {}", escape(fix)));
        }
        html.push_str("</li>");
    }
    html.push_str("</ol><p>The connection's settings page shows this result too; this window can be closed.</p>");
    html
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title></head>\
         <body><main><h1>{t}</h1>{body}</main></body></html>",
        t = escape(title)
    ))
}
