//! `/openapi.json` is true to the routes and to the bodies the server sends:
//! real responses are checked against the schemas it publishes.

use crate::helpers::*;
use serde_json::{Value, json};

/// A small JSON Schema checker for what utoipa emits (OpenAPI 3.1): `$ref`,
/// `type` (string or list), `properties`/`required`, `items`, `oneOf`/`anyOf`/`allOf`,
/// `enum`. Unknown object properties are an error unless `additionalProperties` allows them.
pub fn check(doc: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/components/schemas/");
        return check(doc, &doc["components"]["schemas"][name], value, at, errors);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let ok = options.iter().any(|o| {
                let mut e = Vec::new();
                check(doc, o, value, at, &mut e);
                e.is_empty()
            });
            if !ok {
                errors.push(format!("{at}: matches none of {key}"));
            }
            return;
        }
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        // Merge the parts' properties so that none counts as "additional" for another.
        // A oneOf part is checked against the value less the keys the other parts declare.
        let mut merged = json!({"type": "object", "properties": {}, "required": []});
        let mut choices = Vec::new();
        for part in all {
            let part = resolve(doc, part);
            if let Some(p) = part.get("properties").and_then(Value::as_object) {
                merged["properties"].as_object_mut().unwrap().extend(p.clone());
            }
            if let Some(r) = part.get("required").and_then(Value::as_array) {
                merged["required"].as_array_mut().unwrap().extend(r.clone());
            }
            if part.get("oneOf").is_some() || part.get("anyOf").is_some() {
                choices.push(part);
            }
        }
        let declared: Vec<String> = merged["properties"].as_object().unwrap().keys().cloned().collect();
        let mut rest = value.clone();
        if let Some(map) = rest.as_object_mut() {
            map.retain(|k, _| !declared.contains(k));
        }
        for choice in &choices {
            check(doc, choice, &rest, at, errors);
        }
        if !choices.is_empty() {
            merged["additionalProperties"] = json!(true);
        }
        return check(doc, &merged, value, at, errors);
    }
    // OpenAPI 3.0 (the seeds' documents): `nullable`, and the formats they use.
    if value.is_null() && schema.get("nullable") == Some(&Value::Bool(true)) {
        return;
    }
    if let (Some(format), Some(text)) = (schema.get("format").and_then(Value::as_str), value.as_str()) {
        let ok = match format {
            "uuid" => uuid::Uuid::parse_str(text).is_ok() && text.len() == 36,
            "date-time" => samlkit::Timestamp::parse_xs_datetime(text).is_some(),
            _ => true,
        };
        if !ok {
            errors.push(format!("{at}: {text:?} is not a {format}"));
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            errors.push(format!("{at}: {value} is not one of the enum values"));
        }
        return;
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return,
    };
    let actual = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    if !types
        .iter()
        .any(|t| *t == actual || (*t == "number" && actual == "integer"))
    {
        errors.push(format!("{at}: is {actual}, schema says {types:?}"));
        return;
    }
    match value {
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    check(doc, item_schema, item, &format!("{at}/{i}"), errors);
                }
            }
        }
        Value::Object(map) => {
            let props = schema.get("properties").and_then(Value::as_object);
            for required in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
                let key = required.as_str().unwrap();
                if !map.contains_key(key) {
                    errors.push(format!("{at}: required {key} is missing"));
                }
            }
            let additional = schema.get("additionalProperties");
            for (key, v) in map {
                match props.and_then(|p| p.get(key)) {
                    Some(s) => check(doc, s, v, &format!("{at}/{key}"), errors),
                    None => match additional {
                        Some(Value::Bool(true)) => {}
                        Some(s @ Value::Object(_)) => check(doc, s, v, &format!("{at}/{key}"), errors),
                        _ => errors.push(format!("{at}: property {key} is not in the schema")),
                    },
                }
            }
        }
        _ => {}
    }
}

fn resolve(doc: &Value, schema: &Value) -> Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(
            doc,
            &doc["components"]["schemas"][r.trim_start_matches("#/components/schemas/")],
        ),
        None => schema.clone(),
    }
}

/// Checks an answer against the documented response of `method path` for its status.
pub fn conforms(doc: &Value, method: &str, template: &str, answer: &Answer) {
    let op = &doc["paths"][template][method.to_lowercase()];
    assert!(op.is_object(), "{method} {template} is not documented");
    let response = &op["responses"][answer.status.to_string()];
    assert!(
        response.is_object(),
        "{method} {template} answered {} which is not documented",
        answer.status
    );
    let Some(schema) = response["content"]["application/json"].get("schema") else {
        return;
    };
    let mut errors = Vec::new();
    check(doc, schema, &answer.body, "", &mut errors);
    assert!(
        errors.is_empty(),
        "{method} {template} {}: {errors:#?}\n{}",
        answer.status,
        answer.text
    );
}

pub async fn openapi_matches_responses(app: TestApp) {
    let doc = app.get("/openapi.json", None).await;
    assert_eq!(doc.status, 200);
    let doc = doc.body;
    let documented: Vec<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(documented.len(), 15, "{documented:?}");

    let org = app.org.clone();
    let create = app.create(&app.admin).await;
    conforms(&doc, "POST", "/v1/b2b/sso/saml/{organization_id}", &create);
    let id = create.body["connection"]["connection_id"].as_str().unwrap().to_owned();
    let update_t = "/v1/b2b/sso/saml/{organization_id}/connections/{connection_id}";
    let mut body = complete_update();
    body["saml_encryption_private_key"] = json!(fixture("rsa2048_pkcs1.key"));
    body["idp_sso_url"] = json!("http://localhost:8080/realms/x/protocol/saml");
    let updated = app.update(&id, body).await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert!(
        !updated.body["issues"].as_array().unwrap().is_empty(),
        "warnings travel with the result"
    );
    conforms(&doc, "PUT", update_t, &updated);
    conforms(
        &doc,
        "PUT",
        update_t,
        &app.update(&id, json!({"x509_certificate": "nope"})).await,
    );
    conforms(
        &doc,
        "PUT",
        update_t,
        &app.send(
            "PUT",
            &app.connection_path(&id),
            Some(&app.viewer),
            Some(json!({})),
            None,
        )
        .await,
    );
    conforms(
        &doc,
        "PUT",
        update_t,
        &app.send(
            "PUT",
            &app.connection_path(&id),
            Some(&app.admin),
            Some(json!({})),
            Some("\"1\""),
        )
        .await,
    );
    conforms(
        &doc,
        "PUT",
        update_t,
        &app.send("PUT", &app.connection_path(&id), None, Some(json!({})), None)
            .await,
    );
    let url = app
        .send(
            "PUT",
            &format!("{}/url", app.connection_path(&id)),
            Some(&app.admin),
            Some(json!({"metadata_url": "https://10.0.0.1/"})),
            None,
        )
        .await;
    conforms(
        &doc,
        "PUT",
        "/v1/b2b/sso/saml/{organization_id}/connections/{connection_id}/url",
        &url,
    );
    let one = app
        .get(&format!("/v1/b2b/sso/{org}/connections/{id}"), Some(&app.viewer))
        .await;
    conforms(
        &doc,
        "GET",
        "/v1/b2b/sso/{organization_id}/connections/{connection_id}",
        &one,
    );
    let list = app.get(&format!("/v1/b2b/sso/{org}"), Some(&app.viewer)).await;
    conforms(&doc, "GET", "/v1/b2b/sso/{organization_id}", &list);
    let me = app.get("/v1/b2b/sessions/me", Some(&app.viewer)).await;
    conforms(&doc, "GET", "/v1/b2b/sessions/me", &me);
    let v1 = app.validate(json!({"draft": {"idp_sso_url": "http://x"}})).await;
    conforms(&doc, "POST", "/v1/b2b/sso/saml/validate", &v1);
    let v2 = app
        .validate(json!({"metadata": corpus("metadata/okta_ssoready.xml")}))
        .await;
    conforms(&doc, "POST", "/v1/b2b/sso/saml/validate", &v2);
    let cert_id = one.body["connection"]["verification_certificates"][0]["certificate_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let dc = app
        .send(
            "DELETE",
            &format!("{}/verification_certificates/{cert_id}", app.connection_path(&id)),
            Some(&app.admin),
            None,
            None,
        )
        .await;
    conforms(
        &doc,
        "DELETE",
        "/v1/b2b/sso/saml/{organization_id}/connections/{connection_id}/verification_certificates/{certificate_id}",
        &dc,
    );
    let key_id = one.body["connection"]["encryption_private_keys"][0]["private_key_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let key_t =
        "/v1/b2b/sso/saml/{organization_id}/connections/{connection_id}/encryption_private_keys/{private_key_id}";
    let key_path = format!("{}/encryption_private_keys/{key_id}", app.connection_path(&id));
    for token in [&app.admin, &app.admin, &app.viewer] {
        conforms(
            &doc,
            "DELETE",
            key_t,
            &app.send("DELETE", &key_path, Some(token), None, None).await,
        );
    }
    let auth = app
        .send(
            "POST",
            "/v1/b2b/sessions/authenticate",
            Some(&app.secret_key),
            Some(json!({"session_token": app.viewer})),
            None,
        )
        .await;
    conforms(&doc, "POST", "/v1/b2b/sessions/authenticate", &auth);
    let refused = app
        .send(
            "POST",
            "/v1/b2b/sessions/authenticate",
            Some(&app.secret_key),
            Some(json!({})),
            None,
        )
        .await;
    conforms(&doc, "POST", "/v1/b2b/sessions/authenticate", &refused);
    let jwks = app
        .get(&format!("/v1/b2b/sessions/jwks/{}", app.project_id), None)
        .await;
    conforms(&doc, "GET", "/v1/b2b/sessions/jwks/{project_id}", &jwks);
    let del = app
        .send(
            "DELETE",
            &format!("/v1/b2b/sso/{org}/connections/{id}"),
            Some(&app.admin),
            None,
            None,
        )
        .await;
    conforms(
        &doc,
        "DELETE",
        "/v1/b2b/sso/{organization_id}/connections/{connection_id}",
        &del,
    );
    let missing = app
        .get(&format!("/v1/b2b/sso/{org}/connections/{id}"), Some(&app.viewer))
        .await;
    conforms(
        &doc,
        "GET",
        "/v1/b2b/sso/{organization_id}/connections/{connection_id}",
        &missing,
    );

    // The dialects' routes, answers and errors.
    let body = json!({"organizationId": org, "authProvider": "okta-saml", "isActive": true,
        "entryPoint": "https://acme.okta.com/app/a/exk1/sso/saml", "issuer": "http://www.okta.com/exk1",
        "cert": fixture("rsa2048_sp.crt")});
    let infisical = "/api/v1/sso/config";
    conforms(
        &doc,
        "POST",
        infisical,
        &app.send("POST", infisical, Some(&app.admin), Some(body.clone()), None)
            .await,
    );
    conforms(
        &doc,
        "POST",
        infisical,
        &app.send("POST", infisical, Some(&app.admin), Some(body), None).await,
    );
    conforms(&doc, "GET", infisical, &app.get(infisical, Some(&app.viewer)).await);
    let patch = json!({"organizationId": org, "isActive": 1});
    conforms(
        &doc,
        "PATCH",
        infisical,
        &app.send("PATCH", infisical, Some(&app.admin), Some(patch), None).await,
    );
    let sailpoint = "/beta/auth-org/service-provider-config";
    conforms(&doc, "GET", sailpoint, &app.get(sailpoint, Some(&app.viewer)).await);
    let ops = json!([{"op": "replace", "path": "/bypassIdp", "value": true}]);
    conforms(
        &doc,
        "PATCH",
        sailpoint,
        &app.send("PATCH", sailpoint, Some(&app.admin), Some(ops), None).await,
    );
    let ops = json!([{"op": "remove", "path": "/federationProtocolDetails/1"}]);
    conforms(
        &doc,
        "PATCH",
        sailpoint,
        &app.send("PATCH", sailpoint, Some(&app.admin), Some(ops), None).await,
    );
    let native = "/v1/b2b/sso/saml/{organization_id}/connections/{connection_id}";
    let (id, _) = app.active_connection().await;
    let ops = json!([{"op": "replace", "path": "/display_name", "value": "Patched"}]);
    conforms(
        &doc,
        "PATCH",
        native,
        &app.json_patch(&app.connection_path(&id), &app.admin, ops, None).await,
    );
    let ops = json!([{"op": "replace", "path": "/status", "value": "active"}]);
    conforms(
        &doc,
        "PATCH",
        native,
        &app.json_patch(&app.connection_path(&id), &app.admin, ops, None).await,
    );
}
