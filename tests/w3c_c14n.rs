//! The exclusive c14n the sign-in checks rely on (xml-sec's), against the W3C
//! XML-DSig interop case merlin-exc-c14n-one: four references over one subtree,
//! exclusive c14n with and without comments, with and without a prefix list.
//! The DigestValues in the file are W3C's expected values.
//!
//! Runs natively and, under wasm-bindgen-test, in headless Chromium.
#![cfg(feature = "signin")]

use base64ct::{Base64, Encoding};
use sha1::{Digest, Sha1};
use xml_sec::c14n::{C14nAlgorithm, C14nMode, canonicalize};
use xml_sec::{XmlDomDocument as Document, XmlDomNode as Node};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
const EXC: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";

#[test]
fn merlin_exc_c14n_one_digests_match_w3c() {
    let xml = include_str!("signin/w3c/exc-signature.xml");
    let doc = Document::parse(xml).unwrap();
    let target = doc
        .descendants()
        .find(|n| n.attribute("Id") == Some("to-be-signed"))
        .unwrap();
    let in_subtree = |n: Node| n.ancestors().any(|a| a.id() == target.id());
    let references: Vec<Node> = doc
        .descendants()
        .filter(|n| n.tag_name().namespace() == Some(DS) && n.tag_name().name() == "Reference")
        .collect();
    assert_eq!(references.len(), 4);
    for (i, reference) in references.into_iter().enumerate() {
        let transform = reference
            .descendants()
            .find(|n| n.tag_name().name() == "Transform")
            .unwrap();
        let with_comments = transform.attribute("Algorithm").unwrap().ends_with("#WithComments");
        let mut algorithm = C14nAlgorithm::new(C14nMode::Exclusive1_0, with_comments);
        if let Some(list) = transform
            .children()
            .find(|n| n.tag_name().namespace() == Some(EXC))
            .and_then(|n| n.attribute("PrefixList"))
        {
            algorithm = algorithm.with_prefix_list(list);
        }
        let mut canonical = Vec::new();
        canonicalize(&doc, Some(&in_subtree), &algorithm, &mut canonical).unwrap();
        let want = reference
            .descendants()
            .find(|n| n.tag_name().name() == "DigestValue")
            .and_then(|n| n.text())
            .unwrap();
        assert_eq!(
            Base64::encode_string(&Sha1::digest(&canonical)),
            want,
            "reference {i} ({}): {}",
            transform.attribute("Algorithm").unwrap(),
            String::from_utf8_lossy(&canonical)
        );
    }
}
