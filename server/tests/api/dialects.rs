//! The Infisical and SailPoint dialects against a real server and database:
//! every field, rule and error shape, responses checked against the seeds' own
//! schemas, and what each dialect writes seen through the native API.

use crate::helpers::*;
use crate::openapi::conforms;
use serde_json::{Value, json};

const CONFIG: &str = "/api/v1/sso/config";
const SP_CONFIG: &str = "/beta/auth-org/service-provider-config";

fn seed(name: &str) -> Value {
    let path = format!("{}/tests/api/seeds/{name}.openapi.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn org_uuid(app: &TestApp) -> String {
    app.org.trim_start_matches("organization-").to_owned()
}

fn infisical_body(app: &TestApp) -> Value {
    json!({
        "organizationId": org_uuid(app),
        "authProvider": "okta-saml",
        "isActive": true,
        "entryPoint": "https://acme.okta.com/app/acme_app_1/exk1abc/sso/saml",
        "issuer": "http://www.okta.com/exk1abc",
        "cert": fixture("rsa2048_sp.crt"),
    })
}

impl TestApp {
    async fn infisical(&self, method: &str, token: Option<&str>, body: Value) -> Answer {
        let answer = self.send(method, CONFIG, token, Some(body), None).await;
        let doc = if method == "POST" {
            seed("infisical-create-saml-config")
        } else {
            seed("infisical-update-saml-config")
        };
        if answer.status != 413 && answer.status != 415 {
            conforms(&doc, method, CONFIG, &answer);
        }
        answer
    }

    async fn sailpoint_patch(&self, token: &str, ops: Value) -> Answer {
        self.json_patch(SP_CONFIG, token, ops, None).await
    }

    async fn native_connections(&self) -> Vec<Value> {
        let list = self.get(&format!("/v1/b2b/sso/{}", self.org), Some(&self.admin)).await;
        list.body["saml_connections"].as_array().unwrap().clone()
    }
}

fn codes(answer: &Answer, key: &str) -> Vec<String> {
    answer.body[key]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| format!("{} {}", i["code"].as_str().unwrap(), i["path"].as_str().unwrap()))
        .collect()
}

both_databases!(infisical_create_read_update, |app: TestApp| async move {
    let created = app.infisical("POST", Some(&app.admin), infisical_body(&app)).await;
    assert_eq!(created.status, 200, "{}", created.text);
    assert_eq!(created.body["orgId"], org_uuid(&app));
    assert_eq!(created.body["authProvider"], "okta-saml");
    assert_eq!(created.body["isActive"], true);
    assert_eq!(created.body["lastUsed"], Value::Null);

    // The same connection, seen natively: every field landed where it belongs.
    let native = app.native_connections().await;
    assert_eq!(native.len(), 1);
    let c = &native[0];
    assert_eq!(
        c["connection_id"],
        format!("saml-connection-{}", created.body["id"].as_str().unwrap())
    );
    assert_eq!(c["identity_provider"], "okta");
    assert_eq!(c["idp_entity_id"], "http://www.okta.com/exk1abc");
    assert_eq!(
        c["idp_sso_url"],
        "https://acme.okta.com/app/acme_app_1/exk1abc/sso/saml"
    );
    assert_eq!(c["verification_certificates"].as_array().unwrap().len(), 1);
    assert_eq!(c["enabled"], true);
    let cert_id = c["verification_certificates"][0]["certificate_id"].clone();

    let read = app.get(CONFIG, Some(&app.viewer)).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body["issuer"], "http://www.okta.com/exk1abc");
    assert_eq!(read.body["enableGroupSync"], false);

    // Update: only what is sent changes; the same certificate keeps its id.
    let updated = app
        .infisical(
            "PATCH",
            Some(&app.admin),
            json!({"organizationId": org_uuid(&app), "isActive": false, "enableGroupSync": true,
                   "authProvider": "auth0-saml", "cert": fixture("rsa2048_sp.crt")}),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.body["isActive"], false);
    assert_eq!(updated.body["authProvider"], "auth0-saml");
    let c = &app.native_connections().await[0];
    assert_eq!(c["identity_provider"], "generic");
    assert_eq!(c["auth_provider"], "auth0-saml");
    assert_eq!(c["group_sync_enabled"], true);
    assert_eq!(c["enabled"], false);
    assert_eq!(c["verification_certificates"][0]["certificate_id"], cert_id);
    assert_eq!(c["idp_entity_id"], "http://www.okta.com/exk1abc");

    // One config per organization.
    let again = app.infisical("POST", Some(&app.admin), infisical_body(&app)).await;
    assert_eq!(again.status, 400);
});

both_databases!(infisical_errors_in_the_seed_shapes, |app: TestApp| async move {
    // 422: the seed's schema, property by property (additionalProperties: false, types, enum, required).
    let mut extra = infisical_body(&app);
    extra["color"] = json!("red");
    extra["authProvider"] = json!("ping-saml");
    extra["isActive"] = json!("yes");
    let bad = app.infisical("POST", Some(&app.admin), extra).await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(
        codes(&bad, "message"),
        [
            "request_invalid /authProvider",
            "request_invalid /color",
            "request_invalid /isActive"
        ]
    );
    let missing = app
        .infisical("POST", Some(&app.admin), json!({"organizationId": org_uuid(&app)}))
        .await;
    assert_eq!(missing.status, 422);
    assert_eq!(codes(&missing, "message").len(), 5);

    // 400: the core's codes in `details`, at Infisical's field names; nothing stored.
    let mut placeholder = infisical_body(&app);
    placeholder["cert"] = json!("-----BEGIN CERTIFICATE-----\n...base64 blob...\n-----END CERTIFICATE");
    placeholder["entryPoint"] = json!("http://idp.example.com/sso");
    let refused = app.infisical("POST", Some(&app.admin), placeholder).await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    let details = codes(&refused, "details");
    assert!(details.contains(&"url_not_https /entryPoint".to_owned()), "{details:?}");
    assert!(
        details.iter().any(|d| d.starts_with("cert_") && d.ends_with(" /cert")),
        "{details:?}"
    );
    assert!(
        app.native_connections().await.is_empty(),
        "a refused create stores nothing"
    );

    // 401, 403, 404.
    assert_eq!(app.infisical("POST", None, infisical_body(&app)).await.status, 401);
    assert_eq!(
        app.infisical("POST", Some(&app.viewer), infisical_body(&app))
            .await
            .status,
        403
    );
    let update = json!({"organizationId": org_uuid(&app), "isActive": false});
    assert_eq!(
        app.infisical("PATCH", Some(&app.admin), update.clone()).await.status,
        404,
        "nothing to update yet"
    );
    let mut other = infisical_body(&app);
    other["organizationId"] = json!(app.other_org.clone());
    assert_eq!(app.infisical("POST", Some(&app.admin), other).await.status, 404);

    // 500: a failing database answers in the seed's shape, and the write changes nothing.
    assert_eq!(
        app.infisical("POST", Some(&app.admin), infisical_body(&app))
            .await
            .status,
        200
    );
    sqlx::query("DROP TABLE connection_history")
        .execute(app.store.pool())
        .await
        .unwrap();
    let failed = app.infisical("PATCH", Some(&app.admin), update).await;
    assert_eq!(failed.status, 500, "{}", failed.text);
    assert_eq!(failed.body["error"], "InternalServerError");
    assert_eq!(
        app.native_connections().await[0]["enabled"],
        true,
        "the failed write changed nothing"
    );
});

fn idp_details() -> Value {
    json!([
        {"op": "add", "path": "/federationProtocolDetails/0/entityId", "value": "http://www.okta.com/exk1abc"},
        {"op": "add", "path": "/federationProtocolDetails/0/binding", "value": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"},
        {"op": "add", "path": "/federationProtocolDetails/0/loginUrlPost", "value": "https://acme.okta.com/app/acme_app_1/exk1abc/sso/saml"},
        {"op": "add", "path": "/federationProtocolDetails/0/logoutUrl", "value": "https://acme.okta.com/app/acme_app_1/exk1abc/slo/saml"},
        {"op": "add", "path": "/federationProtocolDetails/0/nameId", "value": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"},
        {"op": "add", "path": "/federationProtocolDetails/0/authContext", "value": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
        {"op": "replace", "path": "/federationProtocolDetails/0/includeAuthContext", "value": true},
        {"op": "add", "path": "/federationProtocolDetails/0/mappingAttribute", "value": "email"},
        {"op": "add", "path": "/federationProtocolDetails/0/cert", "value": fixture("rsa2048_sp.crt")
            .lines().filter(|l| !l.starts_with("-----")).collect::<String>()},
        {"op": "add", "path": "/federationProtocolDetails/0/jitConfiguration", "value":
            {"enabled": true, "sourceId": "2c9180835d2e5168015d32f890ca1581",
             "sourceAttributeMappings": {"firstName": "givenName", "lastName": "sn", "email": "mail"}}},
        {"op": "replace", "path": "/enabled", "value": true},
        {"op": "replace", "path": "/bypassIdp", "value": true}
    ])
}

both_databases!(sailpoint_get_and_patch, |app: TestApp| async move {
    // Before any write: the tenant's configuration, disabled, with this SP's details.
    let empty = app.get(SP_CONFIG, Some(&app.viewer)).await;
    assert_eq!(empty.status, 200);
    assert_eq!(empty.body["enabled"], false);
    assert_eq!(empty.body["samlConfigurationValid"], false);
    let details = empty.body["federationProtocolDetails"].as_array().unwrap();
    assert_eq!(
        (details[0]["role"].as_str(), details[1]["role"].as_str()),
        (Some("SAML_IDP"), Some("SAML_SP"))
    );
    assert!(
        details[1]["callbackUrl"]
            .as_str()
            .unwrap()
            .contains("/v1/b2b/sso/callback/saml-connection-")
    );
    assert!(app.native_connections().await.is_empty(), "reading writes nothing");

    let saved = app.sailpoint_patch(&app.admin, idp_details()).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.body["enabled"], true);
    assert_eq!(saved.body["samlConfigurationValid"], true, "computed");
    let idp = &saved.body["federationProtocolDetails"][0];
    assert_eq!(idp["certificateName"], "samlkit test SP", "the subject CN");
    assert_eq!(idp["certificateExpirationDate"], "2125-01-01T00:00:00Z");
    assert_eq!(saved.body["federationProtocolDetails"][1], details[1]);

    // Natively: every SailPoint field is on the same connection.
    let c = &app.native_connections().await[0];
    assert_eq!(c["idp_entity_id"], "http://www.okta.com/exk1abc");
    assert_eq!(c["idp_sso_binding"], "HTTP-POST");
    assert_eq!(
        c["idp_sso_url"],
        "https://acme.okta.com/app/acme_app_1/exk1abc/sso/saml"
    );
    assert_eq!(
        c["idp_slo_url"],
        "https://acme.okta.com/app/acme_app_1/exk1abc/slo/saml"
    );
    assert_eq!(
        c["nameid_format"],
        "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
    );
    assert_eq!(c["include_authn_context"], true);
    assert_eq!(c["mapping_attribute"], "email");
    assert_eq!(c["jit_provisioning"]["source_id"], "2c9180835d2e5168015d32f890ca1581");
    assert_eq!(c["bypass_idp"], true);
    assert_eq!(c["verification_certificates"].as_array().unwrap().len(), 1);

    // GET gives back exactly what PATCH answered.
    assert_eq!(app.get(SP_CONFIG, Some(&app.viewer)).await.body, saved.body);
    // A no-op patch changes nothing; the viewer may not patch; no token is 401.
    assert_eq!(app.sailpoint_patch(&app.admin, json!([])).await.body, saved.body);
    let denied = app.sailpoint_patch(&app.viewer, json!([])).await;
    assert_eq!(
        (denied.status, denied.body["detailCode"].as_str()),
        (403, Some("403 Forbidden"))
    );
    assert_eq!(app.get(SP_CONFIG, None).await.status, 401);
});

both_databases!(sailpoint_rules_each_have_their_error, |app: TestApp| async move {
    let cases = [
        (
            json!([{"op": "add", "path": "/federationProtocolDetails/-", "value": {"role": "SAML_IDP"}}]),
            "sailpoint_protocol_details_count /federationProtocolDetails",
        ),
        (
            json!([{"op": "remove", "path": "/federationProtocolDetails/1"}]),
            "sailpoint_protocol_details_count /federationProtocolDetails",
        ),
        (
            json!([{"op": "replace", "path": "/federationProtocolDetails/1/callbackUrl", "value": "https://evil.example.com/acs"}]),
            "sailpoint_sp_details_read_only /federationProtocolDetails/1",
        ),
        (
            json!([{"op": "replace", "path": "/enabled", "value": true}]),
            "sailpoint_idp_details_required /federationProtocolDetails/0",
        ),
        (
            json!([{"op": "replace", "path": "/enabled", "value": true},
                {"op": "add", "path": "/federationProtocolDetails/0/loginUrlPost", "value": "https://idp.example.com/sso"}]),
            "sailpoint_entity_id_required /federationProtocolDetails/0/entityId",
        ),
        (
            json!([{"op": "add", "path": "/federationProtocolDetails/0/jitConfiguration", "value": {"enabled": true, "sourceAttributeMappings": {"email": "mail"}}}]),
            "jit_source_id_missing /federationProtocolDetails/0/jitConfiguration/sourceId",
        ),
        (
            json!([{"op": "replace", "path": "/samlConfigurationValid", "value": true}]),
            "derived_field_read_only /samlConfigurationValid",
        ),
        (
            json!([{"op": "add", "path": "/federationProtocolDetails/0/certificateName", "value": "mine"}]),
            "derived_field_read_only /federationProtocolDetails/0/certificateName",
        ),
        (
            json!([{"op": "add", "path": "/federationProtocolDetails/0/loginUrlRedirect", "value": "http://idp.example.com/sso"}]),
            "url_not_https /federationProtocolDetails/0/loginUrlRedirect",
        ),
        (
            json!([{"op": "add", "path": "/federationProtocolDetails/0/cert", "value": "...base64 blob..."}]),
            "cert_base64_invalid /federationProtocolDetails/0/cert",
        ),
        (
            json!([{"op": "test", "path": "/enabled", "value": true}]),
            "patch_test_failed /enabled",
        ),
        (
            json!([{"op": "replace", "path": "/federationProtocolDetails/01/entityId", "value": "x"}]),
            "patch_failed /federationProtocolDetails/01/entityId",
        ),
        (json!({"op": "replace"}), "patch_invalid "),
    ];
    for (ops, expected) in cases {
        let answer = app.sailpoint_patch(&app.admin, ops.clone()).await;
        assert_eq!(answer.status, 400, "{ops}: {}", answer.text);
        assert_eq!(answer.body["detailCode"], "400.1 Bad Request Content");
        assert!(answer.body["trackingId"].as_str().unwrap().starts_with("request-id-"));
        let got = codes(&answer, "issues");
        assert!(got.contains(&expected.to_owned()), "{ops}: {got:?}");
    }
    assert!(
        app.native_connections().await.is_empty(),
        "no refused patch stored anything"
    );
});

both_databases!(sailpoint_first_replace_and_the_v3_path, |app: TestApp| async move {
    // An unsaved configuration renders every IdP member (null when unset), so a
    // first `replace` finds its path, as on SailPoint's own GET.
    let unsaved = app.get(SP_CONFIG, Some(&app.admin)).await;
    let idp = &unsaved.body["federationProtocolDetails"][0];
    for member in [
        "entityId",
        "cert",
        "loginUrlPost",
        "loginUrlRedirect",
        "nameId",
        "jitConfiguration",
    ] {
        assert!(idp.get(member).is_some_and(Value::is_null), "{member}: {idp}");
    }
    let answer = app
        .sailpoint_patch(
            &app.admin,
            json!([{"op": "replace", "path": "/federationProtocolDetails/0/entityId", "value": "http://www.okta.com/exk1abc"}]),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    // The v3 path (the official client's) is the same resource.
    let v3 = app.get("/v3/auth-org/service-provider-config", Some(&app.admin)).await;
    assert_eq!(v3.status, 200);
    assert_eq!(v3.body, app.get(SP_CONFIG, Some(&app.admin)).await.body);
    assert_eq!(
        v3.body["federationProtocolDetails"][0]["entityId"],
        "http://www.okta.com/exk1abc"
    );
    let answer = app
        .json_patch(
            "/v3/auth-org/service-provider-config",
            &app.admin,
            json!([{"op": "replace", "path": "/federationProtocolDetails/0/entityId", "value": "http://www.okta.com/exk2"}]),
            None,
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
});
