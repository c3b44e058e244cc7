//! `GET /openapi.json`, generated from the handlers' annotations and the types
//! they serialize.

use super::schema::*;
use super::{dialects, oauth, sessions, sso};
use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "samlkit", description = "SAML SSO connections, validated by the same core as the browser SDK."),
    paths(
        sso::validate_draft, sso::create, sso::update, sso::patch_connection, sso::update_by_url, sso::delete_certificate, sso::delete_encryption_key,
        sso::get_one, sso::list, sso::delete_connection, sso::sp_metadata, sessions::me, sessions::authenticate, sessions::jwks, oauth::token,
        dialects::infisical_get, dialects::infisical_create, dialects::infisical_update,
        dialects::sailpoint_get, dialects::sailpoint_patch,
    ),
    components(schemas(ErrorBody, ConnectionResponse, ConnectionsResponse, DeletedResponse, DeletedKeyResponse, ErrorDetails, MeResponse, ValidateResponse, AuthenticateResponse, JwksResponse)),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A member session token or the project secret key"))
                    .build(),
            ),
        );
    }
}

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
