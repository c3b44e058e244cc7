//! Test sign-in through the API: start a test, answer it at the ACS as an IdP
//! would (a response signed here with the connection's IdP key), read the last test.

use crate::helpers::*;
use base64ct::{Base64, Encoding};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use serde_json::Value;
use sha2::{Digest, Sha256};
use xml_sec::c14n::{C14nAlgorithm, C14nMode, canonicalize_xml};

const IDP: &str = "http://www.okta.com/exk1abc";

fn exclusive(xml: &str) -> Vec<u8> {
    canonicalize_xml(xml.as_bytes(), &C14nAlgorithm::new(C14nMode::Exclusive1_0, false)).unwrap()
}

/// A response as an IdP signs it: the assertion enveloped-signed with RSA-SHA256
/// under exclusive c14n, by the key of `rsa2048_sp.crt` (the connection's certificate).
fn signed_response(acs: &str, audience: &str, in_response_to: &str, email: Option<&str>) -> String {
    let email_attribute = email.map_or_else(String::new, |e| {
        format!(r#"<saml:Attribute Name="email"><saml:AttributeValue>{e}</saml:AttributeValue></saml:Attribute>"#)
    });
    let body = format!(
        r#"<saml:Issuer>{IDP}</saml:Issuer>SIGNATURE<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">ada@example.com</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="{in_response_to}" NotOnOrAfter="2026-11-23T00:05:00Z" Recipient="{acs}"></saml:SubjectConfirmationData></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="2026-11-22T23:59:00Z" NotOnOrAfter="2026-11-23T00:05:00Z"><saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AttributeStatement>{email_attribute}<saml:Attribute Name="name"><saml:AttributeValue>Ada Lovelace</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>"#
    );
    let open = r#"<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_assertion-1" IssueInstant="2026-11-23T00:00:00Z" Version="2.0">"#;
    let unsigned = format!("{open}{}</saml:Assertion>", body.replace("SIGNATURE", ""));
    let digest = Base64::encode_string(&Sha256::digest(exclusive(&unsigned)));
    let signed_info = format!(
        r##"<ds:SignedInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#_assertion-1"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>{digest}</ds:DigestValue></ds:Reference></ds:SignedInfo>"##
    );
    let key =
        RsaKeyPair::from_der(&samlkit::keys::rsa_private_key_der(&fixture("rsa2048_pkcs1.key")).unwrap()).unwrap();
    let mut value = vec![0u8; key.public().modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        &exclusive(&signed_info),
        &mut value,
    )
    .unwrap();
    let signature = format!(
        r#"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">{}<ds:SignatureValue>{}</ds:SignatureValue></ds:Signature>"#,
        signed_info.replace(
            r#"<ds:SignedInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">"#,
            "<ds:SignedInfo>"
        ),
        Base64::encode_string(&value)
    );
    format!(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_response-1" Destination="{acs}" InResponseTo="{in_response_to}" IssueInstant="2026-11-23T00:00:00Z" Version="2.0"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>{open}{}</saml:Assertion></samlp:Response>"#,
        body.replace("SIGNATURE", &signature)
    )
}

impl TestApp {
    /// Starts a test sign-in as the admin; its id.
    async fn start_test(&self, path: &str) -> String {
        let started = self.send("POST", path, Some(&self.admin), None, None).await;
        assert_eq!(started.status, 200, "{}", started.text);
        started.body["test_id"].as_str().unwrap().to_owned()
    }

    async fn post_acs(&self, connection_id: &str, response: &str, relay_state: &str) -> (u16, String) {
        let res = self
            .http
            .post(format!("{}/v1/b2b/sso/callback/{connection_id}", self.base))
            .form(&[
                ("SAMLResponse", Base64::encode_string(response.as_bytes())),
                ("RelayState", relay_state.to_owned()),
            ])
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }
}

fn failed_checks(report: &Value) -> Vec<String> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["outcome"] == "fail")
        .map(|c| c["check"].as_str().unwrap().to_owned())
        .collect()
}

both_databases!(a_test_sign_in_is_started_answered_and_kept, |app: TestApp| async move {
    let (id, saved) = app.active_connection().await;
    let acs = saved.body["connection"]["acs_url"].as_str().unwrap().to_owned();
    let audience = saved.body["connection"]["audience_uri"].as_str().unwrap().to_owned();
    let path = format!("{}/test", app.connection_path(&id));

    // Starting a test changes state: a read-only member may not; anyone who may read sees the last.
    assert_eq!(app.send("POST", &path, Some(&app.viewer), None, None).await.status, 403);
    assert_eq!(app.get(&path, Some(&app.viewer)).await.body["test"], Value::Null);
    let other = format!("/v1/b2b/sso/saml/{}/connections/{id}/test", app.other_org);
    assert_eq!(
        app.send("POST", &other, Some(&app.other_admin), None, None)
            .await
            .status,
        404
    );

    let started = app.send("POST", &path, Some(&app.admin), None, None).await;
    assert_eq!(started.status, 200, "{}", started.text);
    let test_id = started.body["test_id"].as_str().unwrap().to_owned();
    let url = started.body["redirect_url"].as_str().unwrap();
    assert!(
        url.starts_with("https://acme.okta.com/app/acme_app_1/exk1abc/sso/saml?SAMLRequest="),
        "{url}"
    );
    assert!(url.contains(&format!("RelayState={test_id}")));

    // A post that is not the HTTP-POST binding's form is a 400 page, not a bare rejection.
    let res = app
        .http
        .post(format!("{}/v1/b2b/sso/callback/{id}", app.base))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("SAMLResponse"));

    // An answer to no pending test is not read.
    let (status, page) = app
        .post_acs(
            &id,
            &signed_response(&acs, &audience, &test_id, Some("a@b.c")),
            "_unknown",
        )
        .await;
    assert_eq!(status, 400, "{page}");
    assert!(page.contains("No test sign-in is waiting"));

    // The right answer passes every check.
    let (status, page) = app
        .post_acs(
            &id,
            &signed_response(&acs, &audience, &test_id, Some("ada@example.com")),
            &test_id,
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Test sign-in passed"), "{page}");
    let last = app.get(&path, Some(&app.viewer)).await;
    let test = &last.body["test"];
    assert_eq!(test["test_id"], test_id.as_str());
    assert_eq!(test["report"]["passed"], true, "{}", last.text);
    assert!(test["started_by"].as_str().unwrap().contains('@'));
    assert_eq!(test["report"]["attributes"][0]["values"][0], "ada@example.com");

    // A test is answered once: a replay is not read.
    let (status, _) = app
        .post_acs(
            &id,
            &signed_response(&acs, &audience, &test_id, Some("ada@example.com")),
            &test_id,
        )
        .await;
    assert_eq!(status, 400);

    // A second test, answered for another SP and without the email: fails there, and becomes the last test.
    let second_id = app.start_test(&path).await;
    let wrong = signed_response(&acs, "https://other.example/sp", &second_id, None);
    let (status, page) = app.post_acs(&id, &wrong, &second_id).await;
    assert_eq!(status, 200);
    assert!(page.contains("Test sign-in failed"));
    let last = app.get(&path, Some(&app.admin)).await;
    assert_eq!(last.body["test"]["test_id"], second_id.as_str());
    assert_eq!(failed_checks(&last.body["test"]["report"]), ["audience", "attributes"]);

    // An answer to the first test's request on the second test fails at InResponseTo.
    let third_id = app.start_test(&path).await;
    let (status, _) = app
        .post_acs(
            &id,
            &signed_response(&acs, &audience, &test_id, Some("ada@example.com")),
            &third_id,
        )
        .await;
    assert_eq!(status, 200);
    let last = app.get(&path, Some(&app.admin)).await;
    assert_eq!(failed_checks(&last.body["test"]["report"]), ["in_response_to"]);
});

both_databases!(
    a_connection_without_idp_settings_cannot_be_tested,
    |app: TestApp| async move {
        let created = app.create(&app.admin).await;
        let id = created.body["connection"]["connection_id"].as_str().unwrap();
        let answer = app
            .send(
                "POST",
                &format!("{}/test", app.connection_path(id)),
                Some(&app.admin),
                None,
                None,
            )
            .await;
        assert_eq!(answer.status, 400, "{}", answer.text);
        assert_eq!(issue_lines(&answer.body).len(), 2, "{}", answer.text);
    }
);
