//! IdP metadata XML → facts → a draft connection.
//!
//! roxmltree parses without recursion (deep nesting cannot overflow the stack,
//! natively or in WebAssembly) and, with `allow_dtd: false`, refuses DOCTYPE, so
//! neither external entities nor entity expansion can happen. Extraction is
//! namespace-aware: only elements in the SAML metadata and xmldsig namespaces
//! count, as a signature-verifying SP would read them.

use crate::issue::{Code, Issue};
use crate::model::{Binding, CertText, CertificateInput, Draft};
use crate::time::Timestamp;
use crate::x509::{self, CertificateFacts};
use roxmltree::{Document, Node, ParsingOptions};
use serde::{Deserialize, Serialize};

/// Real federation files are under 100 KB; 1 MiB leaves room and bounds work.
pub const MAX_METADATA_BYTES: usize = 1024 * 1024;
/// Bounds the tree roxmltree builds (memory), whatever the byte count.
pub const MAX_XML_NODES: u32 = 100_000;
/// Metadata is a few levels deep; anything deeper is not metadata.
pub const MAX_XML_DEPTH: usize = 64;

pub const NS_MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
pub const NS_DS: &str = "http://www.w3.org/2000/09/xmldsig#";
pub const SAML2_PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
pub const BINDING_REDIRECT: &str = Binding::Redirect.urn();
pub const BINDING_POST: &str = Binding::Post.urn();

const ROLE_DESCRIPTORS: &[&str] = &[
    "RoleDescriptor",
    "IDPSSODescriptor",
    "SPSSODescriptor",
    "AuthnAuthorityDescriptor",
    "AttributeAuthorityDescriptor",
    "PDPDescriptor",
];

/// The facts of a metadata document, in document order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Metadata {
    /// `EntityDescriptor` or `EntitiesDescriptor`.
    pub root_element: String,
    pub valid_until: Option<String>,
    pub entities: Vec<Entity>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Entity {
    pub entity_id: String,
    pub valid_until: Option<String>,
    /// Has an enveloped `ds:Signature` child (not verified here).
    pub signed: bool,
    pub roles: Vec<String>,
    pub idp_sso_descriptors: Vec<IdpDescriptor>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IdpDescriptor {
    pub protocol_support_enumeration: String,
    pub want_authn_requests_signed: Option<bool>,
    pub single_sign_on_services: Vec<Endpoint>,
    pub single_logout_services: Vec<Endpoint>,
    pub name_id_formats: Vec<String>,
    pub key_descriptors: Vec<KeyDescriptor>,
    /// KeyDescriptors holding an `X509Certificate` outside the xmldsig namespace.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub misplaced_certificates: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Endpoint {
    pub binding: String,
    pub location: String,
    pub response_location: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KeyDescriptor {
    /// `signing`, `encryption`, or `None` (no `use`: both).
    #[serde(rename = "use")]
    pub use_: Option<String>,
    pub certificates: Vec<MetadataCertificate>,
}

impl KeyDescriptor {
    pub fn is_signing(&self) -> bool {
        self.use_.as_deref().is_none_or(|u| u == "signing")
    }
}

/// One `ds:X509Certificate`: its base64 text and, when it decodes, its facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MetadataCertificate {
    /// The base64 content with white space removed.
    pub base64: String,
    pub facts: Option<CertificateFacts>,
    /// Why it did not decode (`cert_der_invalid`, `cert_double_encoded`, ...).
    pub error: Option<Code>,
}

impl IdpDescriptor {
    /// SAML 2.0 descriptors come first; a SAML 1.x-only one is a last resort.
    fn supports_saml2(&self) -> bool {
        self.protocol_support_enumeration
            .split_whitespace()
            .any(|p| p == SAML2_PROTOCOL)
    }

    pub fn signing_certificates(&self) -> impl Iterator<Item = &MetadataCertificate> {
        self.key_descriptors
            .iter()
            .filter(|k| k.is_signing())
            .flat_map(|k| &k.certificates)
    }
}

/// Metadata read from a file: UTF-8 (with or without a BOM), or UTF-16 by its BOM
/// (as Windows tools save it). Anything else is `metadata_not_xml`.
pub fn decode_bytes(bytes: &[u8]) -> Result<String, Issue> {
    let utf16 = |rest: &[u8], unit: fn([u8; 2]) -> u16| {
        if !rest.len().is_multiple_of(2) {
            return None;
        }
        let units = rest.chunks_exact(2).map(|c| unit([c[0], c[1]]));
        char::decode_utf16(units).collect::<Result<String, _>>().ok()
    };
    let text = match bytes {
        [0xff, 0xfe, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xfe, 0xff, rest @ ..] => utf16(rest, u16::from_be_bytes),
        [0xef, 0xbb, 0xbf, rest @ ..] => std::str::from_utf8(rest).ok().map(str::to_owned),
        _ => std::str::from_utf8(bytes).ok().map(str::to_owned),
    };
    text.ok_or_else(|| {
        Issue::with_message(
            Code::MetadataNotXml,
            "/metadata",
            "The metadata file is not text in UTF-8, or UTF-16 with a byte order mark.",
        )
    })
}

/// Parses metadata into facts, or says why it cannot.
pub fn parse(xml: &str) -> Result<Metadata, Issue> {
    const PATH: &str = "/metadata";
    if xml.len() > MAX_METADATA_BYTES {
        return Err(Issue::with_message(
            Code::MetadataTooLarge,
            PATH,
            format!(
                "The metadata is {} bytes; at most {MAX_METADATA_BYTES} are accepted.",
                xml.len()
            ),
        ));
    }
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
    if xml.trim().is_empty() {
        return Err(Issue::new(Code::MetadataEmpty, PATH));
    }
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_XML_NODES,
        ..ParsingOptions::default()
    };
    // Key material anywhere refuses the document whole: nothing of it is kept or echoed.
    if crate::secret::has_pem_private_key(xml.as_bytes()) {
        return Err(crate::secret::misplaced(PATH));
    }
    let doc = Document::parse_with_options(xml, options).map_err(|e| xml_error(&e))?;
    if carries_private_key(&doc) {
        return Err(crate::secret::misplaced(PATH));
    }
    if depth(&doc) > MAX_XML_DEPTH {
        return Err(Issue::with_message(
            Code::MetadataTooComplex,
            PATH,
            format!("The XML is nested more than {MAX_XML_DEPTH} levels deep."),
        ));
    }
    let root = doc.root_element();
    let root_name = root.tag_name().name();
    if !(is_md(root, "EntityDescriptor") || is_md(root, "EntitiesDescriptor")) {
        let message = if matches!(root_name, "EntityDescriptor" | "EntitiesDescriptor") {
            format!("<{root_name}> is not in the SAML metadata namespace ({NS_MD}).")
        } else {
            format!(
                "The root element is <{}>, not md:EntityDescriptor.",
                truncate(root_name, 64)
            )
        };
        return Err(Issue::with_message(Code::MetadataNotSaml, PATH, message));
    }
    let entities = root
        .descendants()
        .filter(|n| is_md(*n, "EntityDescriptor"))
        .map(entity)
        .collect();
    Ok(Metadata {
        root_element: root_name.to_owned(),
        valid_until: root.attribute("validUntil").map(str::to_owned),
        entities,
    })
}

fn xml_error(e: &roxmltree::Error) -> Issue {
    use roxmltree::Error as E;
    const PATH: &str = "/metadata";
    match e {
        E::DtdDetected | E::EntityReferenceLoop(_) | E::UnknownEntityReference(..) | E::EntityResolver(..) => {
            Issue::new(Code::MetadataDoctypeForbidden, PATH)
        }
        E::NodesLimitReached | E::AttributesLimitReached | E::NamespacesLimitReached => {
            Issue::new(Code::MetadataTooComplex, PATH)
        }
        // Positions only: the document's own text never goes into a message.
        other => {
            let pos = other.pos();
            Issue::with_message(
                Code::MetadataNotXml,
                PATH,
                format!(
                    "The metadata is not well-formed XML (line {}, column {}).",
                    pos.row, pos.col
                ),
            )
        }
    }
}

/// The deepest element nesting, computed without recursion: nodes come in
/// document order, so a parent's depth is always known before its children's.
fn depth(doc: &Document) -> usize {
    let mut depths = vec![0usize; doc.descendants().count() + 1];
    let mut max = 0;
    for node in doc.descendants().filter(|n| n.is_element()) {
        let parent = node.parent().map_or(0, |p| depths[p.id().get_usize()]);
        let d = parent + 1;
        depths[node.id().get_usize()] = d;
        max = max.max(d);
    }
    max
}

/// Whether an attribute or a text node holds a private key (after entity
/// decoding). A certificate's text is left to [`x509::inspect`], which decodes it anyway.
fn carries_private_key(doc: &Document) -> bool {
    use crate::secret::{has_pem_private_key, is_private_key_material};
    doc.descendants().any(|n| {
        n.attributes().any(|a| is_private_key_material(a.value()))
            || n.text().is_some_and(|t| match n.parent() {
                _ if !n.is_text() => false,
                Some(p) if is_ds(p, "X509Certificate") => has_pem_private_key(t.as_bytes()),
                _ => is_private_key_material(t),
            })
    })
}

fn is_md(node: Node, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(NS_MD)
}

fn is_ds(node: Node, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(NS_DS)
}

fn md_children<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(move |n| is_md(*n, name))
}

/// All text below a node. `Node::text()` stops at the first comment, which
/// would silently cut a certificate in two.
fn all_text(node: Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

fn entity(node: Node) -> Entity {
    Entity {
        entity_id: node.attribute("entityID").unwrap_or_default().to_owned(),
        valid_until: node.attribute("validUntil").map(str::to_owned),
        signed: node.children().any(|n| is_ds(n, "Signature")),
        roles: node
            .children()
            .filter(|n| n.is_element() && n.tag_name().namespace() == Some(NS_MD))
            .map(|n| n.tag_name().name())
            .filter(|name| ROLE_DESCRIPTORS.contains(name))
            .map(str::to_owned)
            .collect(),
        idp_sso_descriptors: md_children(node, "IDPSSODescriptor").map(idp_descriptor).collect(),
    }
}

fn idp_descriptor(node: Node) -> IdpDescriptor {
    let endpoints = |name: &'static str| -> Vec<Endpoint> {
        md_children(node, name)
            .map(|n| Endpoint {
                binding: n.attribute("Binding").unwrap_or_default().to_owned(),
                location: n.attribute("Location").unwrap_or_default().to_owned(),
                response_location: n.attribute("ResponseLocation").map(str::to_owned),
            })
            .collect()
    };
    let mut misplaced_certificates = 0;
    let key_descriptors = md_children(node, "KeyDescriptor")
        .map(|kd| {
            let certificates: Vec<MetadataCertificate> = kd
                .children()
                .filter(|n| is_ds(*n, "KeyInfo"))
                .flat_map(|ki| ki.children().filter(|n| is_ds(*n, "X509Data")))
                .flat_map(|xd| xd.children().filter(|n| is_ds(*n, "X509Certificate")))
                .map(|c| certificate(&all_text(c)))
                .collect();
            if certificates.is_empty()
                && kd
                    .descendants()
                    .any(|n| n.is_element() && n.tag_name().name() == "X509Certificate")
            {
                misplaced_certificates += 1;
            }
            KeyDescriptor {
                use_: kd.attribute("use").map(str::to_owned),
                certificates,
            }
        })
        .collect();
    IdpDescriptor {
        protocol_support_enumeration: node
            .attribute("protocolSupportEnumeration")
            .unwrap_or_default()
            .to_owned(),
        want_authn_requests_signed: node
            .attribute("WantAuthnRequestsSigned")
            .map(|v| v == "true" || v == "1"),
        single_sign_on_services: endpoints("SingleSignOnService"),
        single_logout_services: endpoints("SingleLogoutService"),
        name_id_formats: md_children(node, "NameIDFormat")
            .map(|n| all_text(n).trim().to_owned())
            .collect(),
        key_descriptors,
        misplaced_certificates,
    }
}

fn certificate(text: &str) -> MetadataCertificate {
    // Line by line, not char by char (this was a tenth of a metadata check in wasm).
    let base64: String = text.split_ascii_whitespace().collect();
    let report = x509::parse(&base64);
    let facts = report.certificate().cloned();
    if report.issues.iter().any(|i| i.code == Code::CertIsPrivateKey) {
        // Never kept, so never echoed.
        return MetadataCertificate {
            base64: String::new(),
            facts: None,
            error: Some(Code::CertIsPrivateKey),
        };
    }
    let error = match facts {
        Some(_) => None,
        None => Some(
            report
                .issues
                .iter()
                .find(|i| i.is_error())
                .map_or(Code::CertDerInvalid, |i| i.code),
        ),
    };
    MetadataCertificate { base64, facts, error }
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// How the SSO URL of a draft was chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SsoChoice {
    pub binding: String,
    pub location: String,
    pub reason: String,
}

/// A metadata import: the facts, the IdPs to choose from, and a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Import {
    pub metadata: Option<Metadata>,
    /// Entity IDs of every IdP in the document (a UI offers these as a choice).
    pub idp_entity_ids: Vec<String>,
    pub draft: Option<Draft>,
    pub sso_choice: Option<SsoChoice>,
    /// Problems with the document itself (path `/metadata`); field rules are
    /// for [`crate::validate::connection`] to run on the draft.
    pub issues: Vec<Issue>,
}

/// Turns metadata into a draft connection. `entity_id` chooses among several IdPs.
pub fn import(xml: &str, entity_id: Option<&str>, now: Timestamp) -> Import {
    const PATH: &str = "/metadata";
    let mut out = Import {
        metadata: None,
        idp_entity_ids: Vec::new(),
        draft: None,
        sso_choice: None,
        issues: Vec::new(),
    };
    let metadata = match parse(xml) {
        Ok(m) => m,
        Err(issue) => {
            out.issues.push(issue);
            return out;
        }
    };
    let idps: Vec<&Entity> = metadata
        .entities
        .iter()
        .filter(|e| !e.idp_sso_descriptors.is_empty())
        .collect();
    out.idp_entity_ids = idps.iter().map(|e| e.entity_id.clone()).collect();
    let chosen = match (idps.as_slice(), entity_id) {
        ([], _) if metadata.entities.is_empty() => Err(Issue::with_message(
            Code::MetadataNotSaml,
            PATH,
            "The metadata contains no EntityDescriptor.",
        )),
        ([], _) => Err(Issue::new(Code::MetadataSpOnly, PATH)),
        (_, Some(wanted)) => idps
            .iter()
            .find(|e| e.entity_id.trim() == wanted.trim())
            .copied()
            .ok_or_else(|| {
                Issue::with_message(
                    Code::MetadataEntityNotFound,
                    PATH,
                    format!(
                        "No identity provider in this metadata has the entity ID {:?}.",
                        truncate(wanted, 200)
                    ),
                )
            }),
        ([one], None) => Ok(*one),
        (many, None) => Err(Issue::with_message(
            Code::MetadataMultipleIdps,
            PATH,
            format!(
                "The metadata describes {} identity providers; choose one: {}.",
                many.len(),
                many.iter().map(|e| e.entity_id.as_str()).collect::<Vec<_>>().join(", ")
            ),
        )),
    };
    let entity = match chosen {
        Ok(e) => e.clone(),
        Err(issue) => {
            out.issues.push(issue);
            out.metadata = Some(metadata);
            return out;
        }
    };
    for valid_until in [&metadata.valid_until, &entity.valid_until].into_iter().flatten() {
        if Timestamp::parse_xs_datetime(valid_until).is_some_and(|t| t < now) {
            out.issues.push(Issue::with_message(
                Code::MetadataExpired,
                PATH,
                format!(
                    "The metadata's validUntil ({valid_until}) is in the past; download a fresh copy from the IdP."
                ),
            ));
            break;
        }
    }
    let descriptor = entity
        .idp_sso_descriptors
        .iter()
        .find(|d| d.supports_saml2())
        .unwrap_or(&entity.idp_sso_descriptors[0]);
    let (draft, choice, issues) = draft_from(&entity, descriptor, now);
    out.issues.extend(issues);
    out.draft = Some(draft);
    out.sso_choice = choice;
    out.metadata = Some(metadata);
    out
}

fn draft_from(entity: &Entity, d: &IdpDescriptor, now: Timestamp) -> (Draft, Option<SsoChoice>, Vec<Issue>) {
    const PATH: &str = "/metadata";
    let mut issues = Vec::new();
    let find = |binding: &str| {
        d.single_sign_on_services
            .iter()
            .find(|s| s.binding == binding && !s.location.trim().is_empty())
    };
    let redirect = find(BINDING_REDIRECT);
    let post = find(BINDING_POST);
    // The SP sends its AuthnRequest by redirect when it can: no page of its own
    // is needed, and every IdP that offers it accepts it.
    let choice = match (redirect, post) {
        (Some(r), Some(_)) => Some((
            r,
            "The IdP offers HTTP-Redirect and HTTP-POST; HTTP-Redirect is taken for the AuthnRequest.",
        )),
        (Some(r), None) => Some((r, "HTTP-Redirect is the only SAML 2.0 binding the IdP offers.")),
        (None, Some(p)) => Some((p, "HTTP-POST is the only SAML 2.0 binding the IdP offers.")),
        (None, None) => None,
    }
    .map(|(endpoint, reason)| SsoChoice {
        binding: short_binding(&endpoint.binding).to_owned(),
        location: endpoint.location.trim().to_owned(),
        reason: reason.to_owned(),
    });
    if choice.is_none() {
        issues.push(Issue::new(Code::MetadataNoSsoService, PATH));
    }
    if d.misplaced_certificates > 0 {
        issues.push(Issue::new(Code::MetadataCertificateWrongNamespace, PATH));
    }
    let mut certificates = Vec::new();
    for (i, cert) in d.signing_certificates().enumerate() {
        match &cert.facts {
            Some(facts) => {
                if !certificates
                    .iter()
                    .any(|c: &CertificateInput| c.certificate.as_str() == facts.pem)
                {
                    certificates.push(CertificateInput {
                        certificate_id: None,
                        // The facts go with the text: the rules do not decode it again.
                        certificate: CertText::of_facts(facts),
                    });
                }
            }
            None => {
                let code = cert.error.unwrap_or(Code::CertDerInvalid);
                issues.push(Issue::with_message(
                    code,
                    PATH,
                    format!("Signing certificate {} in the metadata: {}", i + 1, code.message()),
                ));
            }
        }
    }
    // An IdP rolling its key over publishes the old certificate beside the new one
    // until the old one expires, and the admin cannot change that: an expired one is
    // left out, saying so, while a valid one remains. Alone, it stays an error.
    let valid_now = |c: &CertificateInput| c.certificate.facts().is_some_and(|f| f.not_after_unix >= now.0);
    if certificates.iter().any(valid_now) {
        certificates.retain(|c| {
            let keep = valid_now(c);
            if !keep && let Some(f) = c.certificate.facts() {
                issues.push(Issue::with_message(
                    Code::MetadataCertificateExpiredDropped,
                    PATH,
                    format!(
                        "The IdP also publishes a certificate that expired on {} (SHA-256 {}); it is rolling its key over, so that one was left out and the valid one kept.",
                        f.not_after, f.sha256_fingerprint
                    ),
                ));
            }
            keep
        });
    }
    if certificates.is_empty() && d.misplaced_certificates == 0 {
        issues.push(Issue::new(Code::MetadataNoSigningCertificate, PATH));
    }
    let slo = d
        .single_logout_services
        .iter()
        .find(|s| s.binding == BINDING_REDIRECT)
        .or_else(|| d.single_logout_services.iter().find(|s| s.binding == BINDING_POST));
    let draft = Draft {
        idp_entity_id: Some(entity.entity_id.clone()),
        idp_sso_url: choice.as_ref().map(|c| c.location.clone()),
        idp_sso_binding: choice.as_ref().map(|c| c.binding.clone()),
        idp_sso_redirect_url: redirect.map(|e| e.location.trim().to_owned()),
        idp_sso_post_url: post.map(|e| e.location.trim().to_owned()),
        idp_slo_url: slo.map(|e| e.location.trim().to_owned()),
        // A standard format when the IdP lists one; its first otherwise.
        nameid_format: d
            .name_id_formats
            .iter()
            .find(|f| crate::validate::NAMEID_FORMATS.contains(&f.as_str()))
            .or(d.name_id_formats.first())
            .cloned(),
        verification_certificates: certificates,
        ..Draft::default()
    };
    (draft, choice, issues)
}

fn short_binding(binding: &str) -> &str {
    binding.rsplit(':').next().unwrap_or(binding)
}
