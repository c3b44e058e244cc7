//! The bodies the native dialect answers with, as types: what is serialized
//! is what `/openapi.json` describes.

use samlkit::Issue;
use samlkit::model::Connection;
use samlkit::validate::{MetadataReport, Report};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ConnectionResponse {
    pub connection: Connection,
    /// Warnings about the saved connection (errors would have refused it).
    pub issues: Vec<Issue>,
    pub request_id: String,
    pub status_code: u16,
    /// The certificate a `DELETE …/verification_certificates/{certificate_id}` removed (Stytch's answer has it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_id: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ConnectionsResponse {
    pub saml_connections: Vec<Connection>,
    /// Always empty: this service speaks SAML only.
    pub oidc_connections: Vec<Connection>,
    /// Always empty: connections shared from another organization are not kept here.
    pub external_connections: Vec<Connection>,
    pub request_id: String,
    pub status_code: u16,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct DeletedResponse {
    pub connection_id: String,
    pub request_id: String,
    pub status_code: u16,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SsoPermissions {
    /// Actions the caller may take on the `sso` resource.
    pub sso: Vec<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MeResponse {
    pub member_id: Option<String>,
    pub email: Option<String>,
    pub organization_id: Option<String>,
    /// `admin`, `viewer`, or `project` for the project secret key.
    pub role: String,
    pub permissions: SsoPermissions,
    pub request_id: String,
    pub status_code: u16,
}

/// The stateless verdict: a connection report, or a metadata report when `metadata` was sent.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Verdict {
    Metadata(Box<MetadataReport>),
    Connection(Box<Report>),
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ValidateResponse {
    #[serde(flatten)]
    pub verdict: Verdict,
    pub request_id: String,
    pub status_code: u16,
}

/// Every failure has this body.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub status_code: u16,
    pub request_id: String,
    /// One of the core's `ErrorType` names (`invalid_request`, `not_found`, ...).
    pub error_type: samlkit::ErrorType,
    pub error_message: String,
    pub issues: Vec<Issue>,
    /// With 412: the connection as it is now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection: Option<Connection>,
}
