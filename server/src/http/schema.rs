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

/// `POST /v1/b2b/sessions/authenticate` (Stytch's B2B sessions answer; the
/// member and organization carry the fields this server keeps).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct AuthenticateResponse {
    pub member_session: MemberSession,
    /// The token that was sent; empty when a JWT was sent (tokens are kept only as hashes).
    pub session_token: String,
    /// Signed by this server, valid for five minutes; verify it with the JWKS.
    pub session_jwt: String,
    pub member: SessionMember,
    pub organization: SessionOrganization,
    pub request_id: String,
    pub status_code: u16,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MemberSession {
    pub member_session_id: String,
    pub member_id: String,
    pub organization_id: String,
    pub organization_slug: String,
    pub started_at: String,
    pub last_accessed_at: String,
    pub expires_at: String,
    pub authentication_factors: Vec<serde_json::Value>,
    pub roles: Vec<String>,
    pub custom_claims: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SessionMember {
    pub member_id: String,
    pub organization_id: String,
    pub email_address: String,
    pub status: String,
    pub name: String,
    pub roles: Vec<MemberRole>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MemberRole {
    pub role_id: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SessionOrganization {
    pub organization_id: String,
    pub organization_name: String,
    pub organization_slug: String,
}

/// A public JSON Web Key (RFC 7517), EC P-256.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct Jwk {
    pub kty: String,
    pub crv: String,
    pub x: String,
    pub y: String,
    pub kid: String,
    pub alg: String,
    #[serde(rename = "use")]
    pub use_: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct JwksResponse {
    pub keys: Vec<Jwk>,
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

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ErrorDetails {
    pub issues: Vec<Issue>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct DeletedKeyResponse {
    pub private_key_id: String,
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
    /// The same issues where Stytch's clients look for details (`StytchError.error_details`).
    pub error_details: ErrorDetails,
    /// With 412: the connection as it is now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection: Option<Connection>,
}
