//! Connections as a service: what every route that changes a connection does,
//! whichever API it speaks (the native routes, Infisical's, SailPoint's). A
//! change is built from what is stored, judged by the core, and written in one
//! transaction; routes only translate requests and answers.

use crate::db::{Secrets, Stored};
use crate::error::{AppError, current_request_id};
use crate::startup::AppState;
use samlkit::Issue;
use samlkit::model::{Connection, Draft, ServiceProvider};
use samlkit::validate::{self, Context};

/// This SP's values for a connection: its ACS URL, which is also its audience.
pub fn service_provider(state: &AppState, connection_id: &str) -> ServiceProvider {
    let acs = format!("{}/v1/b2b/sso/callback/{connection_id}", state.public_base_url());
    ServiceProvider {
        acs_url: acs.clone(),
        audience_uri: acs,
    }
}

/// One stored connection of an organization (another organization's is "not found").
pub async fn load(state: &AppState, organization_id: &str, connection_id: &str) -> Result<Stored, AppError> {
    state
        .store
        .get(organization_id, connection_id)
        .await?
        .ok_or(AppError::NotFound { what: "connection" })
}

/// The stored connection and its keys as a draft.
pub fn stored_draft(stored: &Stored) -> Draft {
    let mut draft = stored.connection.draft();
    draft.saml_encryption_private_key = stored.secrets.saml_encryption_private_key.clone();
    draft.signing_private_key = stored.secrets.signing_private_key.clone();
    draft
}

/// A new verification certificate's id.
fn new_certificate_id() -> String {
    format!("saml-verification-key-{}", uuid::Uuid::new_v4())
}

/// Changes one stored connection: checks the caller's version, builds the new
/// draft from what is stored (`make`), validates it and writes it, in one
/// transaction. The first attempt takes no lock (the common case: nobody else is
/// writing this connection); if another write came between, a write with
/// `If-Match` gets 412 (exactly one writer per version wins), and one without
/// takes the connection's lock ([`crate::db::Store::lock`]) and is built again on
/// the newer version: it waits its turn and is never refused for another's.
pub async fn save(
    state: &AppState,
    organization_id: &str,
    connection_id: &str,
    expected: Option<u64>,
    make: impl Fn(&Stored) -> Result<Draft, AppError>,
) -> Result<(Connection, Vec<Issue>), AppError> {
    let stored = load(state, organization_id, connection_id).await?;
    check_version(&stored, expected)?;
    let (next, warnings) = next_version(state, &stored, &make)?;
    let now = state.now().to_iso();
    if state
        .store
        .write_if_unchanged(&next, stored.connection.version, &now, &current_request_id())
        .await?
    {
        return Ok((next.connection, warnings));
    }
    let locked = state
        .store
        .lock(organization_id, connection_id)
        .await?
        .ok_or(AppError::NotFound { what: "connection" })?;
    check_version(&locked.stored, expected)?;
    let (next, warnings) = next_version(state, &locked.stored, &make)?;
    locked.write(&next, &now, &current_request_id()).await?;
    Ok((next.connection, warnings))
}

/// The stored connection's next version from `make`'s draft, if the rules pass it.
fn next_version(
    state: &AppState,
    stored: &Stored,
    make: &impl Fn(&Stored) -> Result<Draft, AppError>,
) -> Result<(Stored, Vec<Issue>), AppError> {
    let mut draft = make(stored)?;
    let now = state.now();
    add_signing_certificate(&mut draft, Some(stored), &stored.connection.connection_id, now);
    let ctx = Context {
        now,
        service_provider: Some(service_provider(state, &stored.connection.connection_id)),
    };
    let report = validate::connection(&draft, &ctx);
    if report.has_errors() {
        return Err(AppError::invalid(report.issues));
    }
    let connection = Connection::build(&stored.connection, &draft, &report, now, new_certificate_id);
    let secrets = Secrets {
        saml_encryption_private_key: draft
            .saml_encryption_private_key
            .clone()
            .filter(|k| !k.trim().is_empty()),
        signing_private_key: draft.signing_private_key.clone().filter(|k| !k.trim().is_empty()),
    };
    let warnings = report.issues.into_iter().filter(|i| !i.is_error()).collect();
    Ok((Stored { connection, secrets }, warnings))
}

/// A signing key without its certificate gets one, as Stytch's does: the one
/// already made for that key, or a new self-signed one (see [`crate::signing`]).
fn add_signing_certificate(draft: &mut Draft, stored: Option<&Stored>, connection_id: &str, now: samlkit::Timestamp) {
    let Some(key) = draft.signing_private_key.as_deref().filter(|k| !k.trim().is_empty()) else {
        return;
    };
    if draft
        .signing_certificate
        .as_deref()
        .is_some_and(|c| !c.trim().is_empty())
    {
        return;
    }
    let kept = stored
        .filter(|s| s.secrets.signing_private_key.as_deref() == Some(key))
        .and_then(|s| s.connection.signing_certificates.first())
        .map(|c| c.certificate.clone());
    draft.signing_certificate = kept.or_else(|| crate::signing::certificate_for_key(key, connection_id, now));
}

pub fn check_version(stored: &Stored, expected: Option<u64>) -> Result<(), AppError> {
    match expected {
        Some(v) if v != stored.connection.version => Err(AppError::PreconditionFailed {
            current: Box::new(stored.connection.clone()),
        }),
        _ => Ok(()),
    }
}

/// A connection with nothing set yet: what `create` starts from.
pub fn empty_connection(state: &AppState, organization_id: &str, connection_id: &str) -> Connection {
    Connection::empty(connection_id, organization_id, &service_provider(state, connection_id))
}

/// Validates a new connection's draft and stores it, pending or active; `None`,
/// having stored nothing, when a connection with that id exists already.
pub async fn insert_new(
    state: &AppState,
    organization_id: &str,
    connection_id: String,
    draft: Draft,
) -> Result<Option<(Connection, Vec<Issue>)>, AppError> {
    let sp = service_provider(state, &connection_id);
    let now = state.now();
    let mut draft = draft;
    add_signing_certificate(&mut draft, None, &connection_id, now);
    let report = validate::connection(
        &draft,
        &Context {
            now,
            service_provider: Some(sp.clone()),
        },
    );
    if report.has_errors() {
        return Err(AppError::invalid(report.issues));
    }
    let empty = empty_connection(state, organization_id, &connection_id);
    let connection = Connection::build(&empty, &draft, &report, now, new_certificate_id);
    if !state
        .store
        .insert(&connection, &now.to_iso(), &current_request_id())
        .await?
    {
        return Ok(None);
    }
    let warnings = report.issues.into_iter().filter(|i| !i.is_error()).collect();
    Ok(Some((connection, warnings)))
}
