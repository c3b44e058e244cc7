//! A demo organization with an admin, a read-only member and an API client
//! (OAuth client credentials, admin rights).

use crate::auth::Role;
use crate::db::Store;

pub struct Seeded {
    pub organization_id: String,
    pub admin_token: String,
    pub viewer_token: String,
    pub client_id: String,
    pub client_secret: String,
}

pub async fn demo(store: &Store, now: &str) -> Result<Seeded, sqlx::Error> {
    let organization_id = format!("organization-{}", uuid::Uuid::new_v4());
    store
        .create_organization(&organization_id, "Demo Organization", now)
        .await?;
    let (_, admin_token) = store
        .create_member(&organization_id, "admin@demo.example", Role::Admin.name(), now)
        .await?;
    let (_, viewer_token) = store
        .create_member(&organization_id, "viewer@demo.example", Role::Viewer.name(), now)
        .await?;
    let (client_id, client_secret) = store
        .create_api_client(&organization_id, Role::Admin.name(), now)
        .await?;
    Ok(Seeded {
        organization_id,
        admin_token,
        viewer_token,
        client_id,
        client_secret,
    })
}
