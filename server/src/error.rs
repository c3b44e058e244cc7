//! One error body for every failure, carrying the core's issues.
//!
//! `{status_code, request_id, error_type, error_message, issues}`. Internal
//! errors are logged with their cause and answered with a generic message:
//! nothing internal (and no request content) leaks into a response.

use crate::http::schema::ErrorBody;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use samlkit::{ErrorType, Issue};

#[derive(Debug)]
pub enum AppError {
    /// 400: the request or the connection it would produce is invalid.
    Invalid {
        message: String,
        issues: Vec<Issue>,
    },
    /// 401, with the scheme the client used (so the answer names it) and why.
    Unauthorized {
        scheme: Scheme,
        reason: &'static str,
    },
    Forbidden {
        action: &'static str,
    },
    NotFound {
        what: &'static str,
    },
    /// 412: the connection changed since the caller read it.
    PreconditionFailed {
        current: Box<samlkit::model::Connection>,
    },
    PayloadTooLarge,
    /// 413 with the issue that says which field is too large.
    TooLarge {
        issue: Issue,
    },
    UnsupportedMediaType,
    /// 405: the route exists, the method does not.
    MethodNotAllowed,
    /// 408: the body did not arrive within the body-read timeout.
    RequestTimeout,
    Internal(String),
}

/// How a client tried to authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    None,
    Bearer,
    Basic,
    /// Stytch's `X-Stytch-Member-Session` or `X-Stytch-Member-SessionJWT`.
    MemberSession,
    Other,
}

impl AppError {
    pub fn internal(e: impl std::fmt::Display) -> Self {
        AppError::Internal(e.to_string())
    }

    pub fn invalid(issues: Vec<Issue>) -> Self {
        // The sentence names a path and a message: made from the redacted issues.
        let issues: Vec<Issue> = issues.into_iter().map(samlkit::secret::redact).collect();
        AppError::Invalid {
            message: samlkit::issue::summary(&issues),
            issues,
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::internal(e)
    }
}

// The request id of the request being answered, set by the request-id middleware.
tokio::task_local! {
    pub static REQUEST_ID: String;
}

pub fn current_request_id() -> String {
    REQUEST_ID.try_with(Clone::clone).unwrap_or_default()
}

/// An error as every dialect answers it: status, type, message, issues.
pub struct Described {
    pub status: StatusCode,
    pub error_type: ErrorType,
    pub message: String,
    pub issues: Vec<Issue>,
    pub connection: Option<samlkit::model::Connection>,
}

impl AppError {
    /// What to answer; an internal error is logged here with its cause and
    /// answered with a generic message.
    pub fn describe(self) -> Described {
        let (status, error_type, message, issues, connection) = match self {
            AppError::Invalid { message, issues } => (
                StatusCode::BAD_REQUEST,
                ErrorType::InvalidRequest,
                message,
                issues,
                None,
            ),
            AppError::Unauthorized { reason, .. } => (
                StatusCode::UNAUTHORIZED,
                ErrorType::UnauthorizedCredentials,
                reason.to_owned(),
                vec![],
                None,
            ),
            AppError::Forbidden { action } => (
                StatusCode::FORBIDDEN,
                ErrorType::UnauthorizedAction,
                format!("The member may not perform the {action} action on the sso resource."),
                vec![],
                None,
            ),
            AppError::NotFound { what } => (
                StatusCode::NOT_FOUND,
                ErrorType::NotFound,
                format!("No such {what}."),
                vec![],
                None,
            ),
            AppError::PreconditionFailed { current } => (
                StatusCode::PRECONDITION_FAILED,
                ErrorType::PreconditionFailed,
                "The connection was changed by someone else; reload it and apply your change again.".to_owned(),
                vec![],
                Some(*current),
            ),
            AppError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorType::PayloadTooLarge,
                "The request body is larger than 1 MiB.".to_owned(),
                vec![],
                None,
            ),
            AppError::TooLarge { issue } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorType::PayloadTooLarge,
                format!(
                    "The request body is larger than {} MiB.",
                    crate::http::MAX_VALIDATE_BODY_BYTES >> 20
                ),
                vec![issue],
                None,
            ),
            AppError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorType::UnsupportedMediaType,
                "Send the body as application/json.".to_owned(),
                vec![],
                None,
            ),
            AppError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                ErrorType::MethodNotAllowed,
                "This route does not take that method.".to_owned(),
                vec![],
                None,
            ),
            AppError::RequestTimeout => (
                StatusCode::REQUEST_TIMEOUT,
                ErrorType::RequestTimeout,
                "The request body did not arrive in time; nothing was changed.".to_owned(),
                vec![],
                None,
            ),
            AppError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorType::InternalServerError,
                    "Something went wrong on our side; the request changed nothing.".to_owned(),
                    vec![],
                    None,
                )
            }
        };
        Described {
            status,
            error_type,
            message,
            // Key text in a path or a message (a key sent as a member name or an
            // operation's path) never leaves: the issue is cut before it.
            issues: issues.into_iter().map(samlkit::secret::redact).collect(),
            connection,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let challenge = match &self {
            AppError::Unauthorized {
                scheme: Scheme::Basic, ..
            } => Some("Basic realm=\"samlkit\""),
            AppError::Unauthorized { .. } => Some("Bearer"),
            _ => None,
        };
        let Described {
            status,
            error_type,
            message,
            issues,
            connection,
        } = self.describe();
        let body = ErrorBody {
            status_code: status.as_u16(),
            request_id: current_request_id(),
            error_type,
            error_message: message,
            error_details: crate::http::schema::ErrorDetails { issues: issues.clone() },
            issues,
            connection,
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(challenge) = challenge {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        }
        response
    }
}
