//! Session JWTs (authenticate, JWKS, verification on every route), OAuth
//! client credentials, and the Stytch connection fields that come with keys.

use crate::helpers::*;
use serde_json::{Value, json};

impl TestApp {
    /// `POST /v1/b2b/sessions/authenticate` with the project's Basic credentials.
    async fn authenticate(&self, body: Value) -> Answer {
        let res = self
            .http
            .post(format!("{}/v1/b2b/sessions/authenticate", self.base))
            .basic_auth(&self.project_id, Some(&self.secret_key))
            .json(&body)
            .send()
            .await
            .unwrap();
        answer(res).await
    }

    async fn session_jwt(&self, session_token: &str) -> String {
        let a = self.authenticate(json!({ "session_token": session_token })).await;
        assert_eq!(a.status, 200, "{}", a.text);
        a.body["session_jwt"].as_str().unwrap().to_owned()
    }

    /// A request with project credentials and a member's session JWT, as Stytch's clients send it.
    async fn with_jwt(&self, method: &str, path: &str, jwt: &str, body: Option<Value>) -> Answer {
        let mut req = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.base))
            .basic_auth(&self.project_id, Some(&self.secret_key))
            .header("x-stytch-member-sessionjwt", jwt);
        if let Some(b) = body {
            req = req.json(&b);
        }
        answer(req.send().await.unwrap()).await
    }

    async fn token_request(&self, form: &[(&str, &str)]) -> Answer {
        let res = self
            .http
            .post(format!("{}/oauth/token", self.base))
            .form(form)
            .send()
            .await
            .unwrap();
        answer(res).await
    }
}

async fn answer(res: reqwest::Response) -> Answer {
    let context = res.url().path().to_owned();
    Answer::of(res, &context).await
}

both_databases!(
    session_jwts_are_issued_published_and_verified,
    |app: TestApp| async move {
        let a = app.authenticate(json!({ "session_token": app.admin })).await;
        assert_eq!(a.status, 200, "{}", a.text);
        let session = &a.body["member_session"];
        assert_eq!(session["organization_id"], app.org.as_str());
        assert_eq!(session["roles"], json!(["admin"]));
        assert!(
            session["member_session_id"]
                .as_str()
                .unwrap()
                .starts_with("member-session-")
        );
        assert_eq!(a.body["session_token"], app.admin.as_str());
        assert_eq!(a.body["member"]["email_address"], "admin@demo.example");
        let jwt = a.body["session_jwt"].as_str().unwrap().to_owned();

        // The JWKS needs no credentials and has the public key only.
        let jwks = app
            .get(&format!("/v1/b2b/sessions/jwks/{}", app.project_id), None)
            .await;
        assert_eq!(jwks.status, 200, "{}", jwks.text);
        assert_eq!(jwks.body["keys"][0]["kty"], "EC");
        assert!(jwks.body["keys"][0].get("d").is_none());
        let other = app.get("/v1/b2b/sessions/jwks/project-other", None).await;
        assert_eq!(other.status, 404);

        // The JWT authorizes as its member, beside project credentials or as a bearer token.
        let created = app
            .with_jwt("POST", &format!("/v1/b2b/sso/saml/{}", app.org), &jwt, Some(json!({})))
            .await;
        assert_eq!(created.status, 200, "{}", created.text);
        let me = app.get("/v1/b2b/sessions/me", Some(&jwt)).await;
        assert_eq!(me.status, 200, "{}", me.text);
        assert_eq!(me.body["role"], "admin");
        assert_eq!(me.body["organization_id"], app.org.as_str());
        // Another organization stays out of reach.
        let foreign = app
            .with_jwt("GET", &format!("/v1/b2b/sso/{}", app.other_org), &jwt, None)
            .await;
        assert_eq!(foreign.status, 404);

        // A viewer's JWT has a viewer's rights.
        let viewer_jwt = app.session_jwt(&app.viewer).await;
        let refused = app
            .with_jwt(
                "POST",
                &format!("/v1/b2b/sso/saml/{}", app.org),
                &viewer_jwt,
                Some(json!({})),
            )
            .await;
        assert_eq!(refused.status, 403, "{}", refused.text);

        // A JWT authenticates again into a fresh one (the token is not given back).
        let again = app.authenticate(json!({ "session_jwt": jwt })).await;
        assert_eq!(again.status, 200, "{}", again.text);
        assert_eq!(again.body["session_token"], "");
        assert_eq!(
            again.body["member_session"]["member_id"],
            a.body["member_session"]["member_id"]
        );

        // Tampered, foreign or mismatched JWTs are refused, never ignored.
        let (head, rest) = jwt.split_once('.').unwrap();
        let tampered = format!("{head}.e30.{}", rest.split_once('.').unwrap().1);
        for bad in [tampered.as_str(), "eyJhbGciOiJub25lIn0.e30.", "not-a-jwt"] {
            let r = app
                .with_jwt("GET", &format!("/v1/b2b/sso/{}", app.org), bad, None)
                .await;
            assert_eq!(r.status, 401, "{bad}: {}", r.text);
            let b = app.get(&format!("/v1/b2b/sso/{}", app.org), Some(bad)).await;
            assert_eq!(b.status, 401, "{bad}: {}", b.text);
        }
        let mismatch = app
            .http
            .get(format!("{}/v1/b2b/sso/{}", app.base, app.org))
            .basic_auth(&app.project_id, Some(&app.secret_key))
            .header("x-stytch-member-session", &app.viewer)
            .header("x-stytch-member-sessionjwt", &jwt)
            .send()
            .await
            .unwrap();
        assert_eq!(mismatch.status(), 401);

        // The authorization check of Stytch's authenticate.
        let check = |action: &str| json!({"session_token": app.viewer, "authorization_check": {"organization_id": app.org, "resource_id": "stytch.sso", "action": action}});
        assert_eq!(app.authenticate(check("read")).await.status, 200);
        assert_eq!(app.authenticate(check("update")).await.status, 403);
        // Neither or both credentials, an unknown token, custom claims.
        assert_eq!(app.authenticate(json!({})).await.status, 400);
        assert_eq!(
            app.authenticate(json!({"session_token": app.admin, "session_jwt": jwt}))
                .await
                .status,
            400
        );
        assert_eq!(
            app.authenticate(json!({"session_token": "session-nope"})).await.status,
            401
        );
        let claims = app
            .authenticate(json!({"session_token": app.admin, "session_custom_claims": {"a": 1}}))
            .await;
        assert_eq!(
            issue_lines(&claims.body),
            ["error request_invalid /session_custom_claims"]
        );
        // A member may authenticate only its own session.
        let foreign_session = app
            .send(
                "POST",
                "/v1/b2b/sessions/authenticate",
                Some(&app.viewer),
                Some(json!({"session_token": app.admin})),
                None,
            )
            .await;
        assert_eq!(foreign_session.status, 401);
    }
);

both_databases!(
    client_credentials_give_an_organizations_token,
    |app: TestApp| async move {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", app.client_id.as_str()),
            ("client_secret", app.client_secret.as_str()),
        ];
        let t = app.token_request(&form).await;
        assert_eq!(t.status, 200, "{}", t.text);
        assert_eq!(t.body["token_type"], "Bearer");
        assert_eq!(t.body["expires_in"], 900);
        let token = t.body["access_token"].as_str().unwrap().to_owned();

        // Multipart, as SailPoint's client sends it, and HTTP Basic client authentication.
        let multipart = reqwest::multipart::Form::new()
            .text("grant_type", "client_credentials")
            .text("client_id", app.client_id.clone())
            .text("client_secret", app.client_secret.clone());
        let m = app
            .http
            .post(format!("{}/oauth/token", app.base))
            .multipart(multipart)
            .send()
            .await
            .unwrap();
        assert_eq!(m.status(), 200);
        let basic = app
            .http
            .post(format!("{}/oauth/token", app.base))
            .basic_auth(&app.client_id, Some(&app.client_secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap();
        assert_eq!(basic.status(), 200);

        // The token acts in its organization with the client's role, and only there.
        let sailpoint = app.get("/v3/auth-org/service-provider-config", Some(&token)).await;
        assert_eq!(sailpoint.status, 200, "{}", sailpoint.text);
        let created = app.create(&token).await;
        assert_eq!(created.status, 200, "{}", created.text);
        let foreign = app.get(&format!("/v1/b2b/sso/{}", app.other_org), Some(&token)).await;
        assert_eq!(foreign.status, 404);
        let me = app.get("/v1/b2b/sessions/me", Some(&token)).await;
        assert_eq!(me.body["member_id"], app.client_id.as_str());
        assert_eq!(me.body["email"], Value::Null);

        // RFC 6749's errors.
        let wrong = app
            .token_request(&[
                ("grant_type", "client_credentials"),
                ("client_id", app.client_id.as_str()),
                ("client_secret", "secret-wrong"),
            ])
            .await;
        assert_eq!(wrong.status, 401);
        assert_eq!(wrong.body["error"], "invalid_client");
        assert_eq!(issue_lines(&wrong.body), ["error request_invalid /client_secret"]);
        let unknown = app
            .token_request(&[
                ("grant_type", "client_credentials"),
                ("client_id", "client-nope"),
                ("client_secret", app.client_secret.as_str()),
            ])
            .await;
        assert_eq!(unknown.status, 401);
        let grant = app.token_request(&[("grant_type", "password")]).await;
        assert_eq!(
            (grant.status, grant.body["error"].as_str()),
            (400, Some("unsupported_grant_type"))
        );
        let missing = app.token_request(&[("grant_type", "client_credentials")]).await;
        assert_eq!(
            (missing.status, missing.body["error"].as_str()),
            (400, Some("invalid_request"))
        );
        let twice = app
            .token_request(&[
                ("grant_type", "client_credentials"),
                ("client_id", app.client_id.as_str()),
                ("client_id", app.client_id.as_str()),
                ("client_secret", app.client_secret.as_str()),
            ])
            .await;
        assert_eq!(twice.status, 400);
        let json_body = app
            .send(
                "POST",
                "/oauth/token",
                None,
                Some(json!({"grant_type": "client_credentials"})),
                None,
            )
            .await;
        assert_eq!(json_body.status, 400);
        let big = app
            .token_request(&[("grant_type", "client_credentials"), ("x", &"a".repeat(20_000))])
            .await;
        assert_eq!(big.status, 413);
        // An access token is not a session JWT.
        let as_session = app.authenticate(json!({ "session_jwt": token })).await;
        assert_eq!(as_session.status, 401);
        assert!(!t.text.contains(&app.client_secret));
    }
);

both_databases!(stytch_fields_keys_and_certificates, |app: TestApp| async move {
    let (id, _) = app.active_connection().await;
    let set = app
        .update(
            &id,
            json!({
                "alternative_acs_url": "https://auth.acme.example/v1/b2b/sso/callback",
                "allow_gateway_callback": true,
                "signing_private_key": fixture("rsa2048_pkcs1.key"),
                "saml_encryption_private_key": fixture("rsa2048_pkcs1.key"),
            }),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    let c = &set.body["connection"];
    assert_eq!(
        c["alternative_acs_url"],
        "https://auth.acme.example/v1/b2b/sso/callback"
    );
    assert_eq!(c["allow_gateway_callback"], true);
    // A signing key without a certificate gets one, made for that key.
    let signing = c["signing_certificates"].as_array().unwrap();
    assert_eq!(signing.len(), 1);
    assert_eq!(signing[0]["subject"], format!("CN={id}"));
    let made = signing[0]["certificate"].as_str().unwrap().to_owned();
    let matched = samlkit::keys::inspect(
        &fixture("rsa2048_pkcs1.key"),
        samlkit::keys::KeyFormat::Pkcs1OrPkcs8,
        Some(&made),
    );
    assert!(matched.issues.is_empty(), "{:?}", matched.issues);
    // Encryption keys as Stytch lists them: an id, a masked value.
    let keys = c["encryption_private_keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["private_key"], "********");
    let key_id = keys[0]["private_key_id"].as_str().unwrap().to_owned();
    assert!(key_id.starts_with("saml-encryption-key-"));

    // Another save keeps both: the same certificate, the same key id and date.
    let again = app.update(&id, json!({"display_name": "Renamed"})).await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(
        again.body["connection"]["signing_certificates"],
        c["signing_certificates"]
    );
    assert_eq!(
        again.body["connection"]["encryption_private_keys"],
        c["encryption_private_keys"]
    );
    // A new signing key gets a new certificate.
    let rotated = app
        .update(&id, json!({"signing_private_key": fixture("rsa2048_pkcs8.key")}))
        .await;
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    assert_ne!(
        rotated.body["connection"]["signing_certificates"][0]["certificate"],
        made.as_str()
    );

    // Neither list can be written; a bad alternative ACS URL is refused at its path.
    let written = app
        .json_patch(
            &app.connection_path(&id),
            &app.admin,
            json!([{"op": "replace", "path": "/encryption_private_keys", "value": []}]),
            None,
        )
        .await;
    assert_eq!(written.status, 400, "{}", written.text);
    let bad = app
        .update(&id, json!({"alternative_acs_url": "javascript:alert(1)"}))
        .await;
    assert_eq!(bad.status, 400);
    assert!(
        issue_lines(&bad.body)[0].ends_with("/alternative_acs_url"),
        "{:?}",
        issue_lines(&bad.body)
    );
    // Errors carry their issues where Stytch's clients read them.
    assert_eq!(bad.body["error_details"]["issues"], bad.body["issues"]);

    // deleteEncryptionPrivateKey.
    let path = format!("{}/encryption_private_keys/{key_id}", app.connection_path(&id));
    let viewer = app.send("DELETE", &path, Some(&app.viewer), None, None).await;
    assert_eq!(viewer.status, 403);
    let deleted = app.send("DELETE", &path, Some(&app.admin), None, None).await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(deleted.body["private_key_id"], key_id.as_str());
    assert_eq!(deleted.body["status_code"], 200);
    let after = app
        .get(&format!("/v1/b2b/sso/{}/connections/{id}", app.org), Some(&app.admin))
        .await;
    assert_eq!(after.body["connection"]["encryption_private_keys"], json!([]));
    assert_eq!(after.body["connection"]["saml_encryption_private_key"], Value::Null);
    let again = app.send("DELETE", &path, Some(&app.admin), None, None).await;
    assert_eq!(again.status, 404);
    assert_eq!(again.body["error_type"], "not_found");
});
