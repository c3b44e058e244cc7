//! The SP-initiated half of a test sign-in: the AuthnRequest, sent to the IdP
//! over HTTP-Redirect (SAML bindings §3.4: DEFLATE, base64, URL-encoded), signed
//! with RSA-SHA256 when the connection has a signing key.

use crate::spmeta::escape;
use base64ct::{Base64, Encoding};
use flate2::Compression;
use flate2::write::DeflateEncoder;
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use samlkit::Timestamp;
use samlkit::model::{Binding, Connection};
use std::io::Write;

/// How long the IdP has to answer a test.
pub const TEST_SECONDS: i64 = 10 * 60;
const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

/// The AuthnRequest XML asking the IdP to authenticate and post back to the ACS.
pub fn authn_request(connection: &Connection, request_id: &str, now: Timestamp) -> String {
    let acs = if connection.alternative_acs_url.is_empty() {
        &connection.acs_url
    } else {
        &connection.alternative_acs_url
    };
    let name_id = if connection.nameid_format.is_empty() {
        String::new()
    } else {
        format!(
            r#"<samlp:NameIDPolicy Format="{}" AllowCreate="true"/>"#,
            escape(&connection.nameid_format)
        )
    };
    format!(
        r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{instant}" Destination="{destination}" AssertionConsumerServiceURL="{acs}" ProtocolBinding="{post}"><saml:Issuer>{issuer}</saml:Issuer>{name_id}</samlp:AuthnRequest>"#,
        id = escape(request_id),
        instant = now.to_iso(),
        destination = escape(&connection.idp_sso_url),
        acs = escape(acs),
        post = Binding::Post.urn(),
        issuer = escape(&connection.audience_uri),
    )
}

/// The IdP URL that starts the test: the request over HTTP-Redirect, with the
/// test's id as RelayState, and a signature when `signing_key` (PEM) is given.
pub fn redirect_url(
    connection: &Connection,
    request_id: &str,
    signing_key: Option<&str>,
    now: Timestamp,
) -> Option<String> {
    let xml = authn_request(connection, request_id, now);
    let mut deflater = DeflateEncoder::new(Vec::new(), Compression::default());
    deflater.write_all(xml.as_bytes()).ok()?;
    let deflated = deflater.finish().ok()?;
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("SAMLRequest", &Base64::encode_string(&deflated));
    query.append_pair("RelayState", request_id);
    if let Some(key) = signing_key {
        // §3.4.4.1: the signature covers the query exactly as sent, SigAlg included.
        query.append_pair("SigAlg", RSA_SHA256);
        let signed = query.finish();
        let key = RsaKeyPair::from_der(&samlkit::keys::rsa_private_key_der(key)?).ok()?;
        let mut signature = vec![0u8; key.public().modulus_len()];
        key.sign(
            &RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            signed.as_bytes(),
            &mut signature,
        )
        .ok()?;
        let mut query = form_urlencoded::Serializer::new(signed);
        query.append_pair("Signature", &Base64::encode_string(&signature));
        return Some(join(&connection.idp_sso_url, &query.finish()));
    }
    Some(join(&connection.idp_sso_url, &query.finish()))
}

fn join(url: &str, query: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{query}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::DeflateDecoder;
    use std::io::Read;

    const KEY: &str = include_str!("../../tests/fixtures/rsa2048_pkcs1.key");

    fn connection() -> Connection {
        let sp = samlkit::model::ServiceProvider {
            acs_url: "https://sp.example/v1/b2b/sso/callback/c1".into(),
            audience_uri: "https://sp.example/v1/b2b/sso/callback/c1".into(),
        };
        let mut c = Connection::empty("c1", "org", &sp);
        c.idp_sso_url = "https://idp.example/sso?app=1".into();
        c.nameid_format = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress".into();
        c
    }

    fn param(url: &str, name: &str) -> Option<String> {
        let query = url.split_once('?')?.1;
        form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    #[test]
    fn the_request_inflates_to_an_authn_request_for_the_acs() {
        let url = redirect_url(&connection(), "_t1", None, Timestamp(1_780_000_000)).unwrap();
        assert!(url.starts_with("https://idp.example/sso?app=1&SAMLRequest="));
        let deflated = Base64::decode_vec(&param(&url, "SAMLRequest").unwrap()).unwrap();
        let mut xml = String::new();
        DeflateDecoder::new(&deflated[..]).read_to_string(&mut xml).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "AuthnRequest");
        assert_eq!(root.attribute("ID"), Some("_t1"));
        assert_eq!(
            root.attribute("AssertionConsumerServiceURL"),
            Some("https://sp.example/v1/b2b/sso/callback/c1")
        );
        assert_eq!(param(&url, "RelayState").as_deref(), Some("_t1"));
        assert_eq!(param(&url, "Signature"), None);
    }

    #[test]
    fn with_a_signing_key_the_query_is_signed_as_sent() {
        use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
        let url = redirect_url(&connection(), "_t2", Some(KEY), Timestamp(1_780_000_000)).unwrap();
        let query = url.split_once('?').unwrap().1.trim_start_matches("app=1&");
        let (signed, signature) = query.split_once("&Signature=").unwrap();
        let signature = form_urlencoded::parse(format!("s={signature}").as_bytes())
            .next()
            .unwrap()
            .1
            .into_owned();
        let key = RsaKeyPair::from_der(&samlkit::keys::rsa_private_key_der(KEY).unwrap()).unwrap();
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, key.public().as_ref())
            .verify(signed.as_bytes(), &Base64::decode_vec(&signature).unwrap())
            .unwrap();
        assert!(signed.ends_with("&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256"));
    }
}
