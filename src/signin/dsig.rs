//! XML-DSig as SAML uses it: one enveloped signature over its parent element,
//! exclusive c14n, RSA or ECDSA with SHA-2 (SHA-1 still read, with a warning).
//!
//! The canonicalization is xml-sec's (checked against the W3C exclusive c14n
//! interop cases in `tests/w3c_c14n.rs`); what is decided here is small on
//! purpose: which element is signed, that its digest holds, and which of the
//! connection's certificates made the signature value.

use der::Encode;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};
use xml_sec::c14n::{C14nAlgorithm, C14nMode, canonicalize};
use xml_sec::{XmlDomNode as Node, XmlDomNodeId as NodeId};

pub const NS_DS: &str = "http://www.w3.org/2000/09/xmldsig#";
const NS_EXC: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const EXC_C14N_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/// A digest algorithm, as a DigestMethod or a signature method names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn from_digest_uri(uri: &str) -> Option<Hash> {
        Some(match uri {
            "http://www.w3.org/2000/09/xmldsig#sha1" => Hash::Sha1,
            "http://www.w3.org/2001/04/xmlenc#sha256" => Hash::Sha256,
            "http://www.w3.org/2001/04/xmldsig-more#sha384" => Hash::Sha384,
            "http://www.w3.org/2001/04/xmlenc#sha512" => Hash::Sha512,
            _ => return None,
        })
    }

    pub const fn name(self) -> &'static str {
        match self {
            Hash::Sha1 => "SHA-1",
            Hash::Sha256 => "SHA-256",
            Hash::Sha384 => "SHA-384",
            Hash::Sha512 => "SHA-512",
        }
    }

    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha1 => Sha1::digest(data).to_vec(),
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha384 => Sha384::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }
}

/// The signature methods IdPs use; anything else is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureMethod {
    Rsa(Hash),
    Ecdsa(Hash),
}

impl SignatureMethod {
    fn from_uri(uri: &str) -> Option<SignatureMethod> {
        use SignatureMethod::{Ecdsa, Rsa};
        Some(match uri {
            "http://www.w3.org/2000/09/xmldsig#rsa-sha1" => Rsa(Hash::Sha1),
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" => Rsa(Hash::Sha256),
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384" => Rsa(Hash::Sha384),
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" => Rsa(Hash::Sha512),
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1" => Ecdsa(Hash::Sha1),
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" => Ecdsa(Hash::Sha256),
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384" => Ecdsa(Hash::Sha384),
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512" => Ecdsa(Hash::Sha512),
            _ => return None,
        })
    }

    pub fn name(self) -> String {
        match self {
            SignatureMethod::Rsa(hash) => format!("RSA-{}", hash.name()),
            SignatureMethod::Ecdsa(hash) => format!("ECDSA-{}", hash.name()),
        }
    }

    /// Whether either hash in play is SHA-1.
    fn uses_sha1(self, digest: Hash) -> bool {
        let (SignatureMethod::Rsa(hash) | SignatureMethod::Ecdsa(hash)) = self;
        hash == Hash::Sha1 || digest == Hash::Sha1
    }
}

/// A signature that holds: over which element, how, and by which certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The signed element: the signature's parent.
    pub signed: NodeId,
    pub method: SignatureMethod,
    pub digest: Hash,
    /// Index of the certificate (in the list given) whose key made the signature.
    pub certificate: usize,
    /// SHA-1 is in the signature method or the digest.
    pub sha1: bool,
}

/// Why a signature does not hold, in the terms an admin can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The `<Signature>` is not shaped as SAML requires; says what.
    Malformed(String),
    /// An algorithm outside those IdPs use.
    Algorithm(String),
    /// The reference does not point at the signature's own parent, or the ID it
    /// names is not unique: the signed element is not the one that would be used.
    Wrapping(String),
    /// The signed content was changed after signing.
    Digest,
    /// None of the certificates given made this signature. `signer` is the SHA-256
    /// of the certificate the IdP put in `<KeyInfo>`, when it sent one.
    Key { signer: Option<String> },
}

/// Verifies one `<ds:Signature>` against the certificates (DER) of a connection.
pub fn verify(signature: Node, certificates: &[Vec<u8>]) -> Result<Verified, Failure> {
    let parent = signature
        .parent_element()
        .ok_or_else(|| Failure::Malformed("The signature has no parent element.".into()))?;
    let mut parts = signature.children().filter(Node::is_element);
    let signed_info = parts
        .next()
        .filter(|n| is_ds(*n, "SignedInfo"))
        .ok_or_else(|| Failure::Malformed("<SignedInfo> must come first in <Signature>.".into()))?;
    let value = parts
        .next()
        .filter(|n| is_ds(*n, "SignatureValue"))
        .ok_or_else(|| Failure::Malformed("<SignatureValue> must follow <SignedInfo>.".into()))?;
    let key_info = parts.next().filter(|n| is_ds(*n, "KeyInfo"));

    let mut info = signed_info.children().filter(Node::is_element);
    let c14n = info
        .next()
        .filter(|n| is_ds(*n, "CanonicalizationMethod"))
        .ok_or_else(|| Failure::Malformed("<SignedInfo> lacks its CanonicalizationMethod.".into()))?;
    let c14n = exclusive(c14n)?;
    let method_uri = info
        .next()
        .filter(|n| is_ds(*n, "SignatureMethod"))
        .and_then(|n| n.attribute("Algorithm"))
        .ok_or_else(|| Failure::Malformed("<SignedInfo> lacks its SignatureMethod.".into()))?;
    let method = SignatureMethod::from_uri(method_uri)
        .ok_or_else(|| Failure::Algorithm(format!("The signature method {method_uri} is not accepted.")))?;
    let references: Vec<Node> = info.collect();
    let [reference] = references.as_slice() else {
        return Err(Failure::Malformed(format!(
            "A SAML signature has exactly one <Reference>; this one has {}.",
            references.len()
        )));
    };
    if !is_ds(*reference, "Reference") {
        return Err(Failure::Malformed("<SignedInfo> holds an unexpected element.".into()));
    }

    // The reference must name the signature's own parent, by an ID no other element has.
    let uri = reference.attribute("URI").unwrap_or("");
    let id = parent.attribute("ID").unwrap_or("");
    if id.is_empty() || uri != format!("#{id}") {
        return Err(Failure::Wrapping(format!(
            "The signature's reference ({uri:?}) does not point at the element that holds it (ID {id:?})."
        )));
    }
    let holders = parent
        .document()
        .descendants()
        .filter(|n| n.attributes().any(|a| a.value() == id && is_id_name(a.name())))
        .count();
    if holders != 1 {
        return Err(Failure::Wrapping(format!(
            "{holders} elements carry the ID {id:?}; the signed one cannot be told apart."
        )));
    }

    let (transforms, digest_method, digest_value) = reference_parts(*reference)?;
    let mut enveloped = false;
    let mut content_c14n = None;
    for transform in transforms {
        match transform.attribute("Algorithm").unwrap_or("") {
            ENVELOPED => enveloped = true,
            EXC_C14N | EXC_C14N_COMMENTS => content_c14n = Some(exclusive(transform)?),
            other => return Err(Failure::Algorithm(format!("The transform {other} is not accepted."))),
        }
    }
    let content_c14n = content_c14n
        .ok_or_else(|| Failure::Algorithm("The reference is not canonicalized with exclusive c14n.".into()))?;
    let digest_uri = digest_method.attribute("Algorithm").unwrap_or("");
    let digest = Hash::from_digest_uri(digest_uri)
        .ok_or_else(|| Failure::Algorithm(format!("The digest method {digest_uri} is not accepted.")))?;
    let expected_digest =
        base64(digest_value).ok_or_else(|| Failure::Malformed("The DigestValue is not base64.".into()))?;

    let excluded = enveloped.then_some(signature.id());
    let content = canonical(parent, excluded, &content_c14n)?;
    if digest.digest(&content) != expected_digest {
        return Err(Failure::Digest);
    }

    let signed_bytes = canonical(signed_info, None, &c14n)?;
    let signature_value =
        base64(value).ok_or_else(|| Failure::Malformed("The SignatureValue is not base64.".into()))?;
    let hash = match method {
        SignatureMethod::Rsa(hash) | SignatureMethod::Ecdsa(hash) => hash,
    };
    let prehash = hash.digest(&signed_bytes);
    let certificate = certificates
        .iter()
        .position(|der| key_verifies(der, method, &prehash, &signature_value))
        .ok_or_else(|| Failure::Key {
            signer: key_info.and_then(signer_fingerprint),
        })?;
    Ok(Verified {
        signed: parent.id(),
        method,
        digest,
        certificate,
        sha1: method.uses_sha1(digest),
    })
}

fn is_ds(node: Node, name: &str) -> bool {
    node.tag_name().namespace() == Some(NS_DS) && node.tag_name().name() == name
}

/// The attribute names SAML and XML-DSig documents use for IDs.
fn is_id_name(name: &str) -> bool {
    matches!(name, "ID" | "Id" | "id" | "AssertionID")
}

/// An exclusive c14n method element, with its InclusiveNamespaces prefix list.
fn exclusive(method: Node) -> Result<C14nAlgorithm, Failure> {
    let uri = method.attribute("Algorithm").unwrap_or("");
    let with_comments = match uri {
        EXC_C14N => false,
        EXC_C14N_COMMENTS => true,
        other => {
            return Err(Failure::Algorithm(format!(
                "The canonicalization {other} is not accepted; SAML uses exclusive c14n."
            )));
        }
    };
    let algorithm = C14nAlgorithm::new(C14nMode::Exclusive1_0, with_comments);
    let prefixes = method
        .children()
        .find(|n| n.tag_name().namespace() == Some(NS_EXC) && n.tag_name().name() == "InclusiveNamespaces")
        .and_then(|n| n.attribute("PrefixList"));
    Ok(match prefixes {
        Some(list) => algorithm.with_prefix_list(list),
        None => algorithm,
    })
}

fn reference_parts<'a, 'i>(
    reference: Node<'a, 'i>,
) -> Result<(Vec<Node<'a, 'i>>, Node<'a, 'i>, Node<'a, 'i>), Failure> {
    let mut parts = reference.children().filter(Node::is_element).peekable();
    let transforms = match parts.peek() {
        Some(n) if is_ds(*n, "Transforms") => {
            let list = n.children().filter(Node::is_element).collect::<Vec<_>>();
            parts.next();
            if list.iter().any(|t| !is_ds(*t, "Transform")) {
                return Err(Failure::Malformed("<Transforms> holds an unexpected element.".into()));
            }
            list
        }
        _ => Vec::new(),
    };
    let method = parts
        .next()
        .filter(|n| is_ds(*n, "DigestMethod"))
        .ok_or_else(|| Failure::Malformed("The reference lacks its DigestMethod.".into()))?;
    let value = parts
        .next()
        .filter(|n| is_ds(*n, "DigestValue"))
        .ok_or_else(|| Failure::Malformed("The reference lacks its DigestValue.".into()))?;
    Ok((transforms, method, value))
}

/// The exclusive canonical form of `apex`'s subtree, without `excluded`'s subtree.
fn canonical(apex: Node, excluded: Option<NodeId>, algorithm: &C14nAlgorithm) -> Result<Vec<u8>, Failure> {
    let apex_id = apex.id();
    let in_set = |node: Node| {
        let mut inside = false;
        for ancestor in node.ancestors() {
            if Some(ancestor.id()) == excluded {
                return false;
            }
            inside |= ancestor.id() == apex_id;
        }
        inside
    };
    let mut out = Vec::new();
    canonicalize(apex.document(), Some(&in_set), algorithm, &mut out)
        .map_err(|e| Failure::Malformed(format!("The signed XML could not be canonicalized: {e}.")))?;
    Ok(out)
}

/// An element's text as base64, whitespace (line breaks) ignored.
fn base64(node: Node) -> Option<Vec<u8>> {
    let text: String = node
        .descendants()
        .filter(Node::is_text)
        .filter_map(Node::text)
        .collect();
    crate::pem::base64_decode(&text)
}

/// Whether the certificate's public key verifies `signature` over the prehashed SignedInfo.
fn key_verifies(certificate: &[u8], method: SignatureMethod, prehash: &[u8], signature: &[u8]) -> bool {
    let Some(spki) = crate::x509::public_key_info(certificate) else {
        return false;
    };
    match method {
        SignatureMethod::Rsa(hash) => {
            use rsa::pkcs8::DecodePublicKey;
            let Some(key) = spki
                .to_der()
                .ok()
                .and_then(|der| rsa::PublicKey::from_public_key_der(&der).ok())
            else {
                return false;
            };
            let scheme = match hash {
                Hash::Sha1 => rsa::Pkcs1v15Sign::new::<Sha1>(),
                Hash::Sha256 => rsa::Pkcs1v15Sign::new::<Sha256>(),
                Hash::Sha384 => rsa::Pkcs1v15Sign::new::<Sha384>(),
                Hash::Sha512 => rsa::Pkcs1v15Sign::new::<Sha512>(),
            };
            key.verify(scheme, prehash, signature).is_ok()
        }
        SignatureMethod::Ecdsa(_) => {
            use p256::ecdsa::signature::hazmat::PrehashVerifier;
            let point = spki.subject_public_key.raw_bytes();
            if let Ok(key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(point) {
                return p256::ecdsa::Signature::from_slice(signature)
                    .is_ok_and(|sig| key.verify_prehash(prehash, &sig).is_ok());
            }
            if let Ok(key) = p384::ecdsa::VerifyingKey::from_sec1_bytes(point) {
                return p384::ecdsa::Signature::from_slice(signature)
                    .is_ok_and(|sig| key.verify_prehash(prehash, &sig).is_ok());
            }
            false
        }
    }
}

/// SHA-256 of the certificate the IdP sent in `<KeyInfo>`, to name the key it used.
fn signer_fingerprint(key_info: Node) -> Option<String> {
    let cert = key_info.descendants().find(|n| is_ds(*n, "X509Certificate"))?;
    let der = base64(cert)?;
    Some(crate::x509::hex(&Sha256::digest(&der)))
}
