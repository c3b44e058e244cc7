//! JWTs this server signs and verifies: member session JWTs (as Stytch's:
//! short-lived, ES256, published at a JWKS route) and OAuth access tokens of
//! API clients. One ECDSA P-256 key per deployment, kept in the database.
//!
//! Tokens live in real time: their `iat`/`exp` come from the system clock,
//! never from `SAMLKIT_FIXED_NOW`.

use crate::db::{Member, Store};
use base64ct::{Base64UrlUnpadded, Encoding};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// A session JWT's life, as Stytch's: five minutes.
pub const SESSION_JWT_SECONDS: i64 = 5 * 60;
/// An access token's life.
pub const ACCESS_TOKEN_SECONDS: i64 = 15 * 60;
/// Clock skew allowed when checking `exp` and `nbf`.
const LEEWAY_SECONDS: u64 = 5;

/// The server's signing key and what verifying needs.
pub struct Tokens {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    jwk: Value,
    project_id: String,
    issuer: String,
}

/// What a verified token names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A member's session JWT: the member and the session it belongs to.
    Session { member_id: String, session_id: String },
    /// An API client's access token.
    Client { client_id: String },
}

#[derive(Serialize, Deserialize)]
struct Claims {
    sub: String,
    aud: Vec<String>,
    iss: String,
    iat: i64,
    nbf: i64,
    exp: i64,
    #[serde(
        rename = "https://stytch.com/session",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    session: Option<SessionClaim>,
    #[serde(rename = "https://stytch.com/organization")]
    organization: OrganizationClaim,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct SessionClaim {
    id: String,
    started_at: String,
    last_accessed_at: String,
    expires_at: String,
    attributes: Value,
    authentication_factors: Vec<Value>,
    roles: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct OrganizationClaim {
    organization_id: String,
    slug: String,
}

/// Seconds since the Unix epoch, by the system clock.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A fresh ECDSA P-256 key: its RFC 7638 thumbprint (the `kid`) and PKCS#8 DER.
pub fn new_key() -> (String, Vec<u8>) {
    let rng = SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
        .expect("the system random source works")
        .as_ref()
        .to_vec();
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8, &rng).expect("a key just made");
    let (x, y) = coordinates(pair.public_key().as_ref());
    (thumbprint(&x, &y), pkcs8)
}

/// The base64url x and y of an uncompressed P-256 point (`04 || x || y`).
fn coordinates(point: &[u8]) -> (String, String) {
    let (x, y) = point[1..].split_at(32);
    (Base64UrlUnpadded::encode_string(x), Base64UrlUnpadded::encode_string(y))
}

/// RFC 7638: SHA-256 of the required members in lexicographic order.
fn thumbprint(x: &str, y: &str) -> String {
    let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
    Base64UrlUnpadded::encode_string(&Sha256::digest(canonical.as_bytes()))
}

impl Tokens {
    /// The deployment's key from the store (made and stored on first start).
    pub async fn load(store: &Store, project_id: &str, now_iso: &str) -> Result<Tokens, String> {
        let (kid, pkcs8) = store
            .jwt_signing_key(now_iso, new_key)
            .await
            .map_err(|e| e.to_string())?;
        Tokens::from_pkcs8(kid, &pkcs8, project_id)
    }

    pub fn from_pkcs8(kid: String, pkcs8: &[u8], project_id: &str) -> Result<Tokens, String> {
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8, &SystemRandom::new())
            .map_err(|e| format!("the JWT signing key: {e}"))?;
        let (x, y) = coordinates(pair.public_key().as_ref());
        let decoding = DecodingKey::from_ec_components(&x, &y).map_err(|e| e.to_string())?;
        let jwk = json!({"kty": "EC", "crv": "P-256", "x": x, "y": y, "kid": kid, "alg": "ES256", "use": "sig"});
        Ok(Tokens {
            kid,
            encoding: EncodingKey::from_ec_der(pkcs8),
            decoding,
            jwk,
            project_id: project_id.to_owned(),
            issuer: format!("stytch.com/{project_id}"),
        })
    }

    pub fn project_id(&self) -> &str {
        &self.project_id
    }

    /// The JWKS document (`GET /v1/b2b/sessions/jwks/{project_id}`).
    pub fn jwks(&self) -> Value {
        json!({ "keys": [self.jwk] })
    }

    fn sign(&self, claims: &Claims) -> String {
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding).expect("ES256 signing with a valid key")
    }

    /// A session JWT for `member`'s session `session_id`, valid from `now` for
    /// [`SESSION_JWT_SECONDS`].
    pub fn session_jwt(&self, member: &Member, session_id: &str, started_at: &str, now: i64) -> String {
        let iso = |t: i64| samlkit::Timestamp(t).to_iso();
        self.sign(&Claims {
            sub: member.member_id.clone(),
            aud: vec![self.project_id.clone()],
            iss: self.issuer.clone(),
            iat: now,
            nbf: now,
            exp: now + SESSION_JWT_SECONDS,
            session: Some(SessionClaim {
                id: session_id.to_owned(),
                started_at: started_at.to_owned(),
                last_accessed_at: iso(now),
                expires_at: iso(now + SESSION_JWT_SECONDS),
                attributes: json!({"ip_address": "", "user_agent": ""}),
                authentication_factors: vec![],
                roles: vec![member.role.clone()],
            }),
            organization: OrganizationClaim {
                organization_id: member.organization_id.clone(),
                slug: member.organization_id.clone(),
            },
            scope: None,
        })
    }

    /// An access token for an API client, valid from `now` for [`ACCESS_TOKEN_SECONDS`].
    pub fn access_token(&self, client: &Member, now: i64) -> String {
        self.sign(&Claims {
            sub: client.member_id.clone(),
            aud: vec![self.project_id.clone()],
            iss: self.issuer.clone(),
            iat: now,
            nbf: now,
            exp: now + ACCESS_TOKEN_SECONDS,
            session: None,
            organization: OrganizationClaim {
                organization_id: client.organization_id.clone(),
                slug: client.organization_id.clone(),
            },
            scope: Some("sso".to_owned()),
        })
    }

    /// Whom a token names, if this server signed it for this project, it has
    /// not expired, and it is one of the two kinds it makes.
    pub fn verify(&self, token: &str) -> Option<Subject> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        if header.alg != Algorithm::ES256 || header.kid.as_deref() != Some(self.kid.as_str()) {
            return None;
        }
        let mut validation = Validation::new(Algorithm::ES256);
        validation.leeway = LEEWAY_SECONDS;
        validation.validate_nbf = true;
        validation.set_audience(&[&self.project_id]);
        validation.set_issuer(&[&self.issuer]);
        validation.set_required_spec_claims(&["exp", "nbf", "aud", "iss", "sub"]);
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .ok()?
            .claims;
        match (claims.session, claims.scope) {
            (Some(session), None) => Some(Subject::Session {
                member_id: claims.sub,
                session_id: session.id,
            }),
            (None, Some(_)) => Some(Subject::Client { client_id: claims.sub }),
            _ => None,
        }
    }
}

/// A token that has the shape of a JWT (three base64url parts).
pub fn looks_like_jwt(token: &str) -> bool {
    token.split('.').count() == 3 && token.starts_with("eyJ")
}

/// The session id of a member's session token (stable, and not the token).
pub fn session_id_of(token: &str) -> String {
    let hash = Sha256::digest(token.as_bytes());
    format!(
        "member-session-{}",
        uuid::Uuid::from_slice(&hash[..16]).expect("16 bytes")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member() -> Member {
        Member {
            member_id: "member-1".into(),
            organization_id: "organization-1".into(),
            email: "a@example.com".into(),
            role: "admin".into(),
        }
    }

    fn tokens(project: &str) -> Tokens {
        let (kid, pkcs8) = new_key();
        Tokens::from_pkcs8(kid, &pkcs8, project).unwrap()
    }

    #[test]
    fn a_session_jwt_verifies_and_names_its_member() {
        let t = tokens("project-test-1");
        let jwt = t.session_jwt(&member(), "member-session-1", "2026-01-01T00:00:00Z", unix_now());
        assert!(looks_like_jwt(&jwt));
        assert_eq!(
            t.verify(&jwt),
            Some(Subject::Session {
                member_id: "member-1".into(),
                session_id: "member-session-1".into()
            })
        );
        let access = t.access_token(&member(), unix_now());
        assert_eq!(
            t.verify(&access),
            Some(Subject::Client {
                client_id: "member-1".into()
            })
        );
    }

    #[test]
    fn refuses_expired_foreign_and_altered_tokens() {
        let t = tokens("project-test-1");
        let old = t.session_jwt(&member(), "s", "", unix_now() - SESSION_JWT_SECONDS - 60);
        assert_eq!(t.verify(&old), None, "expired");
        let other_key = tokens("project-test-1");
        let foreign = other_key.session_jwt(&member(), "s", "", unix_now());
        assert_eq!(t.verify(&foreign), None, "another key");
        let other_project = Tokens::from_pkcs8(t.kid.clone(), &new_key().1, "project-test-2").unwrap();
        assert_eq!(
            t.verify(&other_project.session_jwt(&member(), "s", "", unix_now())),
            None
        );
        let jwt = t.session_jwt(&member(), "s", "", unix_now());
        let (head, rest) = jwt.split_once('.').unwrap();
        let (payload, signature) = rest.split_once('.').unwrap();
        let mut claims: Value = serde_json::from_slice(&Base64UrlUnpadded::decode_vec(payload).unwrap()).unwrap();
        claims["sub"] = "member-2".into();
        let forged = format!(
            "{head}.{}.{signature}",
            Base64UrlUnpadded::encode_string(claims.to_string().as_bytes())
        );
        assert_eq!(t.verify(&forged), None, "altered claims");
        let none_alg = format!(
            "{}.{}.",
            Base64UrlUnpadded::encode_string(br#"{"alg":"none","typ":"JWT"}"#),
            payload
        );
        assert_eq!(t.verify(&none_alg), None, "alg none");
    }

    #[test]
    fn the_jwks_has_the_public_key_only() {
        let t = tokens("p");
        let jwks = t.jwks();
        let key = &jwks["keys"][0];
        assert_eq!(key["kty"], "EC");
        assert_eq!(key["kid"], t.kid.as_str());
        assert!(key.get("d").is_none());
    }
}
