//! Test sign-in: a SAMLResponse checked against a connection exactly as a real
//! sign-in would be, reported step by step with what to change where.
//!
//! The same checks serve the server's ACS (a test started from the panel) and
//! the offline debugger (a response pasted in the browser, never sent anywhere).
//! Nothing here signs anyone in: the result is a report.

pub mod dsig;

use crate::model::Connection;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use xml_sec::{XmlDomDocument as Document, XmlDomNode as Node, XmlDomParsingOptions};

pub const NS_SAMLP: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
pub const NS_SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// The largest response read (base64 or XML).
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;
const MAX_NODES: u32 = 20_000;
/// Real responses nest about 8 deep; the limit keeps every walk up a node's
/// ancestors (c14n's node set) short.
const MAX_DEPTH: usize = crate::metadata::MAX_XML_DEPTH;
/// How far the IdP's clock may be from ours, either way.
pub const CLOCK_SKEW_SECONDS: i64 = 180;
const SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";
const UNSPECIFIED: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";

/// The checks, in the order a sign-in makes them. The names are API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "SigninCheckId"))]
#[serde(rename_all = "snake_case")]
pub enum CheckId {
    /// Base64 or XML, well-formed, no DTD, a samlp:Response with one assertion.
    Decode,
    Status,
    /// XML-DSig over the response or the assertion, with a connection certificate,
    /// and the signed element is the one read.
    Signature,
    Issuer,
    Audience,
    /// The response's Destination and the subject confirmation's Recipient.
    Destination,
    InResponseTo,
    /// NotBefore / NotOnOrAfter of the conditions and the subject confirmation.
    Validity,
    NameId,
    Attributes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "SigninOutcome"))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    /// Holds, with something to improve.
    Warn,
    Fail,
    /// Not checked: an earlier check failed, or there is nothing to compare with.
    Skip,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "SigninCheck"))]
pub struct Check {
    pub check: CheckId,
    pub outcome: Outcome,
    pub message: String,
    /// What to change, and where, when the check does not pass.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub fix: Option<String>,
}

/// One mapped attribute as the sign-in would read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MappedAttribute {
    /// The connection's field (`email`, `first_name`, `groups`…).
    pub field: String,
    /// The IdP attribute it is mapped from.
    pub attribute: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "SigninReport"))]
pub struct Report {
    /// No check failed (a check may warn, or be skipped for lack of a request to compare with).
    pub passed: bool,
    pub checks: Vec<Check>,
    pub name_id: Option<String>,
    pub attributes: Vec<MappedAttribute>,
}

/// The settings a response is checked against: the members of a connection
/// (`Connection`, as the API returns it) that a sign-in reads. A whole
/// connection object deserializes into it; other members are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "SigninSettings"))]
#[serde(default)]
pub struct Settings {
    pub idp_entity_id: String,
    /// PEM (or bare base64 DER) certificates, as `verification_certificates[].certificate`.
    pub verification_certificates: Vec<SettingsCertificate>,
    pub acs_url: String,
    pub audience_uri: String,
    pub alternative_acs_url: String,
    pub alternative_audience_uri: String,
    pub nameid_format: String,
    pub attribute_mapping: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct SettingsCertificate {
    pub certificate: String,
}

impl Settings {
    pub fn of(connection: &Connection) -> Settings {
        Settings {
            idp_entity_id: connection.idp_entity_id.clone(),
            verification_certificates: connection
                .verification_certificates
                .iter()
                .map(|c| SettingsCertificate {
                    certificate: c.certificate.clone(),
                })
                .collect(),
            acs_url: connection.acs_url.clone(),
            audience_uri: connection.audience_uri.clone(),
            alternative_acs_url: connection.alternative_acs_url.clone(),
            alternative_audience_uri: connection.alternative_audience_uri.clone(),
            nameid_format: connection.nameid_format.clone(),
            attribute_mapping: connection.attribute_mapping.clone(),
        }
    }
}

/// What a response must match: a connection's settings, the request it answers
/// (none for an IdP-initiated or pasted response) and the time.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    pub idp_entity_id: &'a str,
    /// The connection's verification certificates, DER.
    pub certificates: Vec<Vec<u8>>,
    pub audiences: Vec<&'a str>,
    pub acs_urls: Vec<&'a str>,
    pub request_id: Option<&'a str>,
    pub nameid_format: &'a str,
    pub attribute_mapping: &'a BTreeMap<String, String>,
    pub now: Timestamp,
}

impl<'a> Expected<'a> {
    pub fn new(settings: &'a Settings, request_id: Option<&'a str>, now: Timestamp) -> Self {
        let non_empty = |s: &'a String| (!s.is_empty()).then_some(s.as_str());
        Expected {
            idp_entity_id: &settings.idp_entity_id,
            certificates: settings
                .verification_certificates
                .iter()
                .filter_map(|c| crate::pem::decode_blocks(&c.certificate).ok())
                .flatten()
                .map(|block| block.der)
                .collect(),
            audiences: [&settings.audience_uri, &settings.alternative_audience_uri]
                .into_iter()
                .filter_map(non_empty)
                .collect(),
            acs_urls: [&settings.acs_url, &settings.alternative_acs_url]
                .into_iter()
                .filter_map(non_empty)
                .collect(),
            request_id,
            nameid_format: &settings.nameid_format,
            attribute_mapping: &settings.attribute_mapping,
            now,
        }
    }
}

/// The response's XML from what an admin pastes or an IdP posts: XML, base64, or
/// a `SAMLResponse=` form value (percent-encoded) as SAML-tracer shows it.
pub fn decode(input: &str) -> Result<String, String> {
    if input.len() > MAX_RESPONSE_BYTES * 2 {
        return Err(format!("The response is larger than {MAX_RESPONSE_BYTES} bytes."));
    }
    let input = input.trim().trim_start_matches('\u{feff}');
    if input.is_empty() {
        return Err("Paste the SAMLResponse (base64 or XML).".into());
    }
    if input.starts_with('<') {
        return Ok(input.to_owned());
    }
    // A form value (`SAMLResponse=…&RelayState=…`) is percent-encoded; bare
    // base64 is not (its `+` is data, not a space).
    let value = match input.strip_prefix("SAMLResponse=") {
        Some(form) => percent_decode(form.split('&').next().unwrap_or(form)),
        None if input.contains('%') => percent_decode(input),
        None => input.to_owned(),
    };
    let bytes =
        crate::pem::base64_decode(&value).ok_or_else(|| "The response is neither XML nor valid base64.".to_owned())?;
    let text = String::from_utf8(bytes).map_err(|_| "The decoded response is not UTF-8 text.".to_owned())?;
    if text.len() > MAX_RESPONSE_BYTES {
        return Err(format!("The response is larger than {MAX_RESPONSE_BYTES} bytes."));
    }
    Ok(text)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Runs every check of a sign-in on `input` (see [`decode`]).
pub fn check(input: &str, expected: &Expected) -> Report {
    let mut report = Checks::default();
    let xml = match decode(input) {
        Ok(xml) => xml,
        Err(message) => {
            report.fail(CheckId::Decode, message, None);
            return report.finish(None, Vec::new());
        }
    };
    let options = XmlDomParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
    };
    let doc = match Document::parse_with_options(&xml, options) {
        Ok(doc) => doc,
        Err(e) => {
            let message = if xml.contains("<!DOCTYPE") || xml.contains("<!ENTITY") {
                "The response contains a DOCTYPE; it is refused.".to_owned()
            } else {
                format!("The response is not well-formed XML: {e}.")
            };
            report.fail(CheckId::Decode, message, None);
            return report.finish(None, Vec::new());
        }
    };
    if depth(&doc) > MAX_DEPTH {
        report.fail(
            CheckId::Decode,
            format!("The XML is nested more than {MAX_DEPTH} levels deep."),
            None,
        );
        return report.finish(None, Vec::new());
    }
    let Some(Shape {
        response,
        assertion,
        wrapping,
    }) = shape(&doc, &mut report)
    else {
        // An IdP that refuses a sign-in answers with a status and no assertion: say why.
        let root = doc.root_element();
        if is(root, NS_SAMLP, "Response") {
            status(root, &mut report);
        }
        return report.finish(None, Vec::new());
    };
    report.pass(CheckId::Decode, "A SAML 2.0 Response with one assertion.");

    status(response, &mut report);
    let signed = match wrapping {
        Some(why) => {
            report.fail(
                CheckId::Signature,
                format!("Refused as signature wrapping: {why}"),
                None,
            );
            false
        }
        None => signature(response, assertion, expected, &mut report),
    };
    if !signed {
        // Nothing unsigned is trusted: the other checks would describe forged data.
        for id in [
            CheckId::Issuer,
            CheckId::Audience,
            CheckId::Destination,
            CheckId::InResponseTo,
            CheckId::Validity,
            CheckId::NameId,
            CheckId::Attributes,
        ] {
            report.skip(id, "Not checked: the signature does not hold.");
        }
        return report.finish(None, Vec::new());
    }
    issuer(response, assertion, expected, &mut report);
    audience(assertion, expected, &mut report);
    destination(response, assertion, expected, &mut report);
    in_response_to(response, assertion, expected, &mut report);
    validity(assertion, expected, &mut report);
    let name_id = name_id(assertion, expected, &mut report);
    let attributes = attributes(assertion, name_id.as_deref(), expected, &mut report);
    report.finish(name_id, attributes)
}

/// The deepest element nesting, in one pass in document order (a parent's depth
/// is known before its children's).
fn depth(doc: &Document) -> usize {
    let mut depths = std::collections::HashMap::new();
    let mut max = 0;
    for node in doc.descendants().filter(Node::is_element) {
        let d = node.parent().and_then(|p| depths.get(&p.id())).copied().unwrap_or(0) + 1;
        depths.insert(node.id(), d);
        max = max.max(d);
    }
    max
}

#[derive(Default)]
struct Checks(Vec<Check>);

impl Checks {
    fn add(&mut self, check: CheckId, outcome: Outcome, message: impl Into<String>, fix: Option<String>) {
        self.0.push(Check {
            check,
            outcome,
            message: message.into(),
            fix,
        });
    }
    fn pass(&mut self, check: CheckId, message: impl Into<String>) {
        self.add(check, Outcome::Pass, message, None);
    }
    fn fail(&mut self, check: CheckId, message: impl Into<String>, fix: Option<String>) {
        self.add(check, Outcome::Fail, message, fix);
    }
    fn skip(&mut self, check: CheckId, message: impl Into<String>) {
        self.add(check, Outcome::Skip, message, None);
    }
    fn finish(self, name_id: Option<String>, attributes: Vec<MappedAttribute>) -> Report {
        let checks = self.0;
        Report {
            passed: !checks.is_empty() && checks.iter().all(|c| c.outcome != Outcome::Fail),
            checks,
            name_id,
            attributes,
        }
    }
}

fn is(node: Node, ns: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(ns) && node.tag_name().name() == name
}

fn child<'a, 'i>(node: Node<'a, 'i>, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| is(*n, ns, name))
}

/// All the text under an element (a comment may split it: read it whole).
fn text(node: Node) -> String {
    node.descendants()
        .filter(Node::is_text)
        .filter_map(Node::text)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The assertion a sign-in reads: the Response's own `saml:Assertion` child.
struct Shape<'a, 'i> {
    response: Node<'a, 'i>,
    assertion: Node<'a, 'i>,
    /// Why the document's shape is one signature wrapping uses (more than one
    /// assertion, or one tucked away elsewhere): the signature check refuses it.
    wrapping: Option<String>,
}

/// The Response and the assertion it carries, or a failed decode check saying why not.
fn shape<'a, 'i>(doc: &'a Document<'i>, report: &mut Checks) -> Option<Shape<'a, 'i>> {
    let root = doc.root_element();
    if !is(root, NS_SAMLP, "Response") {
        report.fail(
            CheckId::Decode,
            format!("The root element is <{}>, not samlp:Response.", root.tag_name().name()),
            None,
        );
        return None;
    }
    if doc.descendants().any(|n| is(n, NS_SAML, "EncryptedAssertion")) {
        report.fail(
            CheckId::Decode,
            "The assertion is encrypted; a test sign-in reads plain assertions.",
            Some(
                "In the IdP, turn assertion encryption off for the test, or remove the encryption certificate.".into(),
            ),
        );
        return None;
    }
    let Some(assertion) = child(root, NS_SAML, "Assertion") else {
        report.fail(CheckId::Decode, "The response holds no assertion.", None);
        return None;
    };
    let count = doc.descendants().filter(|n| is(*n, NS_SAML, "Assertion")).count();
    let wrapping = (count > 1).then(|| {
        format!("the response holds {count} assertions where a sign-in reads exactly one, so the signed one may not be the one read.")
    });
    Some(Shape {
        response: root,
        assertion,
        wrapping,
    })
}

fn status(response: Node, report: &mut Checks) {
    let code = child(response, NS_SAMLP, "Status")
        .and_then(|s| child(s, NS_SAMLP, "StatusCode"))
        .and_then(|c| c.attribute("Value"));
    match code {
        Some(SUCCESS) => report.pass(CheckId::Status, "The IdP answered Success."),
        Some(other) => {
            let message = child(response, NS_SAMLP, "Status")
                .and_then(|s| child(s, NS_SAMLP, "StatusMessage"))
                .map(text)
                .unwrap_or_default();
            report.fail(
                CheckId::Status,
                format!("The IdP answered {other}. {message}").trim_end().to_owned(),
                Some(
                    "Read the IdP's sign-in log for this attempt; the user may not be assigned to the application."
                        .into(),
                ),
            );
        }
        None => report.fail(CheckId::Status, "The response has no StatusCode.", None),
    }
}

/// Checks the response's and the assertion's signatures; true when the assertion
/// that is read is covered by one that holds.
fn signature(response: Node, assertion: Node, expected: &Expected, report: &mut Checks) -> bool {
    if expected.certificates.is_empty() {
        report.fail(
            CheckId::Signature,
            "The connection has no verification certificate to check the signature with.",
            Some("Add the IdP's signing certificate under Verification certificates.".into()),
        );
        return false;
    }
    let signatures: Vec<Node> = [response, assertion]
        .into_iter()
        .filter_map(|parent| child(parent, dsig::NS_DS, "Signature"))
        .collect();
    if signatures.is_empty() {
        report.fail(
            CheckId::Signature,
            "Neither the response nor the assertion is signed.",
            Some("In the IdP, sign the assertion (or the response) for this application.".into()),
        );
        return false;
    }
    let mut covered = Vec::new();
    for signature in signatures {
        let what = if signature.parent_element() == Some(response) {
            "response"
        } else {
            "assertion"
        };
        match dsig::verify(signature, &expected.certificates) {
            Ok(verified) => covered.push((what, verified)),
            Err(failure) => {
                let (message, fix) = explain(what, failure);
                report.fail(CheckId::Signature, message, fix);
                return false;
            }
        }
    }
    // An assertion counts as signed when its own signature, or the response's
    // (which encloses it), holds.
    let Some((_, verified)) = covered.first() else {
        return false;
    };
    let parts: Vec<&str> = covered.iter().map(|(what, _)| *what).collect();
    let message = format!(
        "The {} signed with {} ({} digest), verified with certificate {} of this connection.",
        parts.join(" and the "),
        verified.method.name(),
        verified.digest.name(),
        verified.certificate + 1
    );
    if covered.iter().any(|(_, v)| v.sha1) {
        report.add(
            CheckId::Signature,
            Outcome::Warn,
            message,
            Some("The IdP uses SHA-1, which is being retired: set its signature algorithm to RSA-SHA256.".into()),
        );
    } else {
        report.pass(CheckId::Signature, message);
    }
    true
}

fn explain(what: &str, failure: dsig::Failure) -> (String, Option<String>) {
    use dsig::Failure;
    match failure {
        Failure::Key { signer: Some(sha256) } => (
            format!("The IdP signed the {what} with a certificate whose SHA-256 is {sha256}, not one of this connection's."),
            Some("The IdP may have rotated its key: import its metadata again, or add that certificate under Verification certificates.".into()),
        ),
        Failure::Key { signer: None } => (
            format!("The {what}'s signature does not verify with any of this connection's certificates."),
            Some("Compare the IdP's current signing certificate with this connection's; import the IdP's metadata again.".into()),
        ),
        Failure::Digest => (
            format!("The signed {what} was changed after it was signed (its digest does not match)."),
            Some("Something between the IdP and this page altered the response; capture it again unmodified.".into()),
        ),
        Failure::Wrapping(detail) => (format!("Refused as signature wrapping: {detail}"), None),
        Failure::Algorithm(detail) => (
            detail,
            Some("Set the IdP to sign with RSA-SHA256 and exclusive canonicalization.".into()),
        ),
        Failure::Malformed(detail) => (format!("The {what}'s signature is malformed: {detail}"), None),
    }
}

fn issuer(response: Node, assertion: Node, expected: &Expected, report: &mut Checks) {
    let assertion_issuer = child(assertion, NS_SAML, "Issuer").map(text);
    let response_issuer = child(response, NS_SAML, "Issuer").map(text);
    let wrong = [&assertion_issuer, &response_issuer]
        .into_iter()
        .flatten()
        .find(|issuer| issuer.as_str() != expected.idp_entity_id);
    match (assertion_issuer.as_deref(), wrong) {
        (None, _) => report.fail(CheckId::Issuer, "The assertion names no Issuer.", None),
        (_, Some(issuer)) => report.fail(
            CheckId::Issuer,
            format!(
                "The IdP calls itself {issuer:?}; the connection expects {:?}.",
                expected.idp_entity_id
            ),
            Some("Set the connection's IdP entity ID to the IdP's exact issuer (the metadata's entityID).".into()),
        ),
        (Some(issuer), None) => report.pass(CheckId::Issuer, format!("Issued by {issuer}.")),
    }
}

fn audience(assertion: Node, expected: &Expected, report: &mut Checks) {
    let audiences: Vec<String> = child(assertion, NS_SAML, "Conditions")
        .into_iter()
        .flat_map(|c| c.children().filter(|n| is(*n, NS_SAML, "AudienceRestriction")))
        .flat_map(|r| r.children().filter(|n| is(*n, NS_SAML, "Audience")))
        .map(text)
        .collect();
    if audiences.is_empty() {
        report.fail(
            CheckId::Audience,
            "The assertion names no audience.",
            Some("In the IdP, set the Audience URI (SP entity ID) to this connection's audience URI.".into()),
        );
    } else if let Some(ours) = audiences.iter().find(|a| expected.audiences.contains(&a.as_str())) {
        report.pass(CheckId::Audience, format!("Meant for {ours}."));
    } else {
        report.fail(
            CheckId::Audience,
            format!(
                "The assertion is meant for {}, not this connection ({}).",
                audiences.join(", "),
                expected.audiences.join(", ")
            ),
            Some("In the IdP, set the Audience URI (SP entity ID) to this connection's audience URI.".into()),
        );
    }
}

fn bearer_confirmation<'a, 'i>(assertion: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    child(assertion, NS_SAML, "Subject")?
        .children()
        .filter(|n| is(*n, NS_SAML, "SubjectConfirmation"))
        .find(|n| n.attribute("Method") == Some("urn:oasis:names:tc:SAML:2.0:cm:bearer"))
        .and_then(|n| child(n, NS_SAML, "SubjectConfirmationData"))
}

fn destination(response: Node, assertion: Node, expected: &Expected, report: &mut Checks) {
    let fix = || Some("In the IdP, set the ACS (single sign-on) URL to this connection's ACS URL.".to_owned());
    let ours = |url: &str| expected.acs_urls.contains(&url);
    if let Some(dest) = response.attribute("Destination").filter(|d| !ours(d)) {
        return report.fail(
            CheckId::Destination,
            format!(
                "The response is addressed to {dest}, not this connection's ACS ({}).",
                expected.acs_urls.join(", ")
            ),
            fix(),
        );
    }
    match bearer_confirmation(assertion).and_then(|d| d.attribute("Recipient")) {
        None => report.fail(
            CheckId::Destination,
            "The assertion has no bearer SubjectConfirmation with a Recipient.",
            fix(),
        ),
        Some(recipient) if !ours(recipient) => report.fail(
            CheckId::Destination,
            format!(
                "The assertion's recipient is {recipient}, not this connection's ACS ({}).",
                expected.acs_urls.join(", ")
            ),
            fix(),
        ),
        Some(recipient) => report.pass(CheckId::Destination, format!("Delivered to {recipient}.")),
    }
}

fn in_response_to(response: Node, assertion: Node, expected: &Expected, report: &mut Checks) {
    let values: Vec<&str> = [
        response.attribute("InResponseTo"),
        bearer_confirmation(assertion).and_then(|d| d.attribute("InResponseTo")),
    ]
    .into_iter()
    .flatten()
    .collect();
    match expected.request_id {
        None if values.is_empty() => report.pass(
            CheckId::InResponseTo,
            "An IdP-initiated response (it answers no request).",
        ),
        None => report.skip(
            CheckId::InResponseTo,
            format!(
                "Answers request {}; there is no request here to compare with.",
                values[0]
            ),
        ),
        Some(request) if !values.is_empty() && values.iter().all(|v| *v == request) => {
            report.pass(CheckId::InResponseTo, format!("Answers this test's request {request}."))
        }
        Some(request) if values.is_empty() => report.fail(
            CheckId::InResponseTo,
            format!(
                "The response does not say it answers request {request}: it was started at the IdP, not by this test."
            ),
            Some("Start the test with the Test sign-in button, not from the IdP's app tile.".into()),
        ),
        Some(request) => report.fail(
            CheckId::InResponseTo,
            format!(
                "The response answers request {}, not this test's {request}.",
                values.iter().find(|v| **v != request).unwrap_or(&"")
            ),
            Some("Start a new test; an older or another application's request was answered.".into()),
        ),
    }
}

fn validity(assertion: Node, expected: &Expected, report: &mut Checks) {
    let now = expected.now.0;
    let mut bounds = Vec::new();
    if let Some(conditions) = child(assertion, NS_SAML, "Conditions") {
        bounds.push((
            "Conditions",
            conditions.attribute("NotBefore"),
            conditions.attribute("NotOnOrAfter"),
        ));
    }
    if let Some(data) = bearer_confirmation(assertion) {
        bounds.push((
            "SubjectConfirmationData",
            data.attribute("NotBefore"),
            data.attribute("NotOnOrAfter"),
        ));
    }
    let skew_fix = || {
        Some(format!(
            "Check the IdP's and this server's clocks (up to {CLOCK_SKEW_SECONDS} s of difference is allowed), then sign in again."
        ))
    };
    for (element, not_before, not_on_or_after) in bounds {
        for (name, value) in [("NotBefore", not_before), ("NotOnOrAfter", not_on_or_after)] {
            let Some(value) = value else { continue };
            let Some(at) = Timestamp::parse_xs_datetime(value) else {
                return report.fail(
                    CheckId::Validity,
                    format!("{element}@{name} ({value:?}) is not a date-time."),
                    None,
                );
            };
            let holds = if name == "NotBefore" {
                now + CLOCK_SKEW_SECONDS >= at.0
            } else {
                now - CLOCK_SKEW_SECONDS < at.0
            };
            if !holds {
                let state = if name == "NotBefore" {
                    "is not valid until"
                } else {
                    "expired at"
                };
                return report.fail(
                    CheckId::Validity,
                    format!(
                        "The assertion {state} {value} ({element}@{name}); it is now {}.",
                        expected.now.to_iso()
                    ),
                    skew_fix(),
                );
            }
        }
    }
    report.pass(
        CheckId::Validity,
        format!("Valid now, within a clock skew of {CLOCK_SKEW_SECONDS} s."),
    );
}

fn name_id(assertion: Node, expected: &Expected, report: &mut Checks) -> Option<String> {
    let Some(node) = child(assertion, NS_SAML, "Subject").and_then(|s| child(s, NS_SAML, "NameID")) else {
        report.fail(CheckId::NameId, "The assertion's subject has no NameID.", None);
        return None;
    };
    let value = text(node);
    let format = node.attribute("Format").unwrap_or(UNSPECIFIED);
    let wanted = expected.nameid_format;
    if !wanted.is_empty() && wanted != UNSPECIFIED && format != wanted {
        report.fail(
            CheckId::NameId,
            format!("The NameID {value:?} has the format {format}; the connection asks for {wanted}."),
            Some(format!(
                "In the IdP, set the NameID format to {wanted}, or change the connection's NameID format."
            )),
        );
    } else if value.is_empty() {
        report.fail(CheckId::NameId, "The NameID is empty.", None);
    } else {
        report.pass(CheckId::NameId, format!("{value} ({format})."));
    }
    Some(value)
}

/// Fields whose absence only warns: the user may simply be in no group.
const OPTIONAL_FIELDS: &[&str] = &["groups"];

fn attributes(
    assertion: Node,
    name_id: Option<&str>,
    expected: &Expected,
    report: &mut Checks,
) -> Vec<MappedAttribute> {
    let statement: Vec<Node> = assertion
        .children()
        .filter(|n| is(*n, NS_SAML, "AttributeStatement"))
        .flat_map(|s| s.children().filter(|n| is(*n, NS_SAML, "Attribute")))
        .collect();
    let sent: Vec<String> = statement
        .iter()
        .filter_map(|a| a.attribute("Name"))
        .map(str::to_owned)
        .collect();
    let mut mapped = Vec::new();
    let mut missing = Vec::new();
    let mut optional_missing = Vec::new();
    for (field, attribute) in expected.attribute_mapping {
        let values: Vec<String> = if attribute.eq_ignore_ascii_case("nameid") {
            name_id.map(str::to_owned).into_iter().collect()
        } else {
            statement
                .iter()
                .filter(|a| {
                    a.attribute("Name") == Some(attribute.as_str())
                        || a.attribute("FriendlyName") == Some(attribute.as_str())
                })
                .flat_map(|a| a.children().filter(|n| is(*n, NS_SAML, "AttributeValue")))
                .map(text)
                .collect()
        };
        if values.is_empty() {
            if OPTIONAL_FIELDS.contains(&field.as_str()) {
                optional_missing.push(format!("{field} ← {attribute}"));
            } else {
                missing.push(format!("{field} ← {attribute}"));
            }
        }
        mapped.push(MappedAttribute {
            field: field.clone(),
            attribute: attribute.clone(),
            values,
        });
    }
    let sent_list = if sent.is_empty() {
        "none".to_owned()
    } else {
        sent.join(", ")
    };
    if !missing.is_empty() {
        report.fail(
            CheckId::Attributes,
            format!("The IdP did not send {}. It sent: {sent_list}.", missing.join(", ")),
            Some("In the IdP, add these attribute statements, or change the connection's attribute mapping to names the IdP sends.".into()),
        );
    } else if !optional_missing.is_empty() {
        report.add(
            CheckId::Attributes,
            Outcome::Warn,
            format!(
                "No value for {} (the user may be in no group). It sent: {sent_list}.",
                optional_missing.join(", ")
            ),
            Some("If group roles are expected, add a groups attribute statement in the IdP.".into()),
        );
    } else if mapped.is_empty() {
        report.add(
            CheckId::Attributes,
            Outcome::Warn,
            format!("The connection maps no attributes. The IdP sent: {sent_list}."),
            Some("Map at least email and the user's names.".into()),
        );
    } else {
        report.pass(
            CheckId::Attributes,
            format!("{} mapped attribute(s) present.", mapped.len()),
        );
    }
    mapped
}
