//! This service provider's metadata for one connection: what the admin uploads to the IdP.

use samlkit::model::Connection;
use samlkit::pem;

/// Escapes text for an XML (or HTML) attribute value or text node.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// SP metadata: entity ID (the audience), the ACS URL, and the signing
/// certificate when AuthnRequests are signed.
pub fn sp_metadata(connection: &Connection) -> String {
    let signing = connection
        .signing_certificates
        .first()
        .and_then(|c| pem::decode_blocks(&c.certificate).ok())
        .and_then(|blocks| blocks.into_iter().next())
        .map(|block| base64_of(&block.der));
    let nameid = if connection.nameid_format.is_empty() {
        "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
    } else {
        connection.nameid_format.as_str()
    };
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str(&format!(
        "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"{}\">\n",
        escape(&connection.audience_uri)
    ));
    xml.push_str(&format!(
        "  <md:SPSSODescriptor AuthnRequestsSigned=\"{}\" WantAssertionsSigned=\"true\" protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\n",
        signing.is_some()
    ));
    if let Some(b64) = signing {
        xml.push_str("    <md:KeyDescriptor use=\"signing\"><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:X509Data><ds:X509Certificate>");
        xml.push_str(&b64);
        xml.push_str("</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n");
    }
    xml.push_str(&format!("    <md:NameIDFormat>{}</md:NameIDFormat>\n", escape(nameid)));
    xml.push_str(&format!(
        "    <md:AssertionConsumerService Binding=\"{}\" Location=\"{}\" index=\"0\" isDefault=\"true\"/>\n",
        samlkit::model::Binding::Post.urn(),
        escape(&connection.acs_url)
    ));
    xml.push_str("  </md:SPSSODescriptor>\n</md:EntityDescriptor>\n");
    xml
}

fn base64_of(der: &[u8]) -> String {
    pem::encode("X", der)
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect()
}
