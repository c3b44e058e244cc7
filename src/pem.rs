//! A forgiving front for PEM text as admins paste it.
//!
//! `pem-rfc7468` is strict by design and refuses what real consoles export:
//! 76-column lines, indentation, CRLF, `Proc-Type` headers, a missing trailing
//! `-----`, or a JSON-escaped `\n`. This front finds the armour leniently and then
//! decodes the base64 strictly ([`base64_decode`]), so damaged data is still refused.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The most PEM blocks read from one field; more is certainly not a certificate.
pub const MAX_PEM_BLOCKS: usize = 16;

/// One decoded block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// `CERTIFICATE`, `RSA PRIVATE KEY`, ...; `None` when the text had no armour.
    pub label: Option<String>,
    /// A legacy `Proc-Type: 4,ENCRYPTED` header was present.
    pub encrypted: bool,
    pub der: Vec<u8>,
    /// The base64 it was decoded from, white space removed. The decoding is
    /// strict (canonical padding and trailing bits), so this is the DER's one
    /// base64 form, and re-armouring needs no encoding.
    pub base64: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PemError {
    /// Only white space.
    Empty,
    /// Neither PEM armour nor base64.
    NotPem,
    /// Armour found, but its base64 body is damaged.
    Base64,
    /// A hex fingerprint (SHA-1/SHA-256), not a certificate.
    Fingerprint,
    /// More blocks than [`MAX_PEM_BLOCKS`].
    TooManyBlocks,
}

/// Reads every PEM block in `text`, or the whole text as bare base64.
pub fn decode_blocks(text: &str) -> Result<Vec<Block>, PemError> {
    // A value copied out of JSON or a shell often keeps its escapes.
    let unescaped;
    let text = if !text.contains('\n') && text.contains("\\n") {
        unescaped = text.replace("\\r", "").replace("\\n", "\n");
        unescaped.as_str()
    } else {
        text
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(PemError::Empty);
    }
    if !trimmed.contains("-----BEGIN ") {
        if looks_like_fingerprint(trimmed) {
            return Err(PemError::Fingerprint);
        }
        let (der, base64) = decode_base64(trimmed.as_bytes()).ok_or(PemError::NotPem)?;
        return Ok(vec![Block {
            label: None,
            encrypted: false,
            der,
            base64,
        }]);
    }

    let mut blocks = Vec::new();
    let mut rest = trimmed;
    while let Some(start) = rest.find("-----BEGIN ") {
        if blocks.len() == MAX_PEM_BLOCKS {
            return Err(PemError::TooManyBlocks);
        }
        let after_begin = &rest[start + "-----BEGIN ".len()..];
        let label_end = after_begin.find("-----").ok_or(PemError::NotPem)?;
        let label = after_begin[..label_end].trim();
        let body_start = &after_begin[label_end + 5..];
        let end_marker = format!("-----END {label}");
        let body_end = body_start.find(&end_marker).ok_or(PemError::Base64)?;
        let body = &body_start[..body_end];
        let (encrypted, base64) = split_headers(body);
        let (der, base64) = decode_base64(base64.as_bytes()).ok_or(PemError::Base64)?;
        blocks.push(Block {
            label: Some(label.to_owned()),
            encrypted,
            der,
            base64,
        });
        // Skip the END line, tolerating a missing or short run of trailing dashes.
        rest = body_start[body_end + end_marker.len()..].trim_start_matches('-');
    }
    Ok(blocks)
}

/// RFC 1421 headers (`Proc-Type: ...`, `DEK-Info: ...`) end at the first blank line.
fn split_headers(body: &str) -> (bool, &str) {
    if !body.contains(':') {
        return (false, body);
    }
    let mut encrypted = false;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let l = line.trim();
        if l.contains(':') {
            encrypted |= l.starts_with("Proc-Type:") && l.contains("ENCRYPTED");
            offset += line.len();
        } else if l.is_empty() && offset > 0 {
            offset += line.len();
            break;
        } else if offset == 0 && l.is_empty() {
            offset += line.len();
        } else {
            break;
        }
    }
    (encrypted, &body[offset..])
}

/// Strict standard base64 after dropping ASCII white space.
/// The DER and the base64 text without its white space.
fn decode_base64(text: &[u8]) -> Option<(Vec<u8>, String)> {
    let compact = without_white_space(text);
    if compact.is_empty() {
        return None;
    }
    let compact = String::from_utf8(compact).ok()?;
    let der = STANDARD.decode(&compact).ok()?;
    Some((der, compact))
}

/// `text` without its ASCII white space.
fn without_white_space(text: &[u8]) -> Vec<u8> {
    // A plain loop: an iterator filter has no size hint and reallocates as it goes.
    let mut compact = Vec::with_capacity(text.len());
    for &b in text {
        if !b.is_ascii_whitespace() {
            compact.push(b);
        }
    }
    compact
}

fn looks_like_fingerprint(text: &str) -> bool {
    // openssl x509 -fingerprint prints `SHA1 Fingerprint=AB:CD:…` (`sha256 Fingerprint=…` in 3.x).
    let text = match text.split_once("Fingerprint=") {
        Some((algorithm, value)) if algorithm.trim().to_ascii_lowercase().starts_with("sha") => value.trim(),
        _ => text,
    };
    let digits = text
        .strip_prefix("SHA256:")
        .or_else(|| text.strip_prefix("SHA1:"))
        .unwrap_or(text)
        .bytes()
        .filter(|b| !matches!(b, b':' | b' ' | b'-'));
    // Counted, not collected: a certificate's base64 stops at its 65th character.
    let mut count = 0;
    for b in digits {
        if !b.is_ascii_hexdigit() || count == 64 {
            return false;
        }
        count += 1;
    }
    matches!(count, 40 | 64)
}

/// PEM armour for DER, 64 columns, as RFC 7468 writes it.
pub fn encode(label: &str, der: &[u8]) -> String {
    armour(label, &base64_encode(der))
}

/// Standard base64 decoded strictly: padding as RFC 4648 writes it, no stray bits
/// in the last character, nothing but the alphabet and ASCII white space (line
/// breaks), which is ignored.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(without_white_space(text.as_bytes())).ok()
}

/// Standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// PEM armour around base64 text (ASCII, no white space), in lines of 64.
pub fn armour(label: &str, base64: &str) -> String {
    let mut out = String::with_capacity(base64.len() + base64.len() / 64 + 2 * label.len() + 40);
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    for chunk in base64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_as_strict_as_base64ct() {
        use base64ct::{Base64, Encoding};
        let mut cases: Vec<String> = [
            "",
            "=",
            "==",
            "A",
            "AA",
            "AA=",
            "AA==",
            "AAA",
            "AAA=",
            "AAAA",
            "AAAA=",
            "AAAA====",
            "AB==",
            "AAB=",
            "AQ==",
            "AR==",
            "AQI=",
            "AQJ=",
            "A===",
            "AA=A",
            "A=AA",
            "AAAA AAAA",
            "AAAA\nAAAA",
            " AA\r\n== ",
            "A A A\t=",
            "-_-_",
            "+/+/",
            "AAAAAA==AAAA",
            "ÿÿÿÿ",
            "MAMCAQU=",
            "MAMCAQU",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every length from 0 to 7 over a few alphabets' edges.
        for len in 0..8 {
            for fill in ["A", "/", "+", "z", "=", "9"] {
                cases.push(fill.repeat(len));
                cases.push(format!("{}=", fill.repeat(len)));
            }
        }
        for case in &cases {
            let compact: String = case.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            assert_eq!(base64_decode(case), Base64::decode_vec(&compact).ok(), "{case:?}");
        }
        for bytes in [&b""[..], b"\x00", b"\xff\xfe", b"\x30\x03\x02", b"any carnal pleas"] {
            assert_eq!(base64_encode(bytes), Base64::encode_string(bytes));
        }
    }

    #[test]
    fn lenient_armour_strict_base64() {
        let der = b"\x30\x03\x02\x01\x05";
        let pem = encode("CERTIFICATE", der);
        let messy = format!("  \r\n{}", pem.replace('\n', "\r\n    "));
        assert_eq!(decode_blocks(&messy).unwrap()[0].der, der);
        let escaped = pem.replace('\n', "\\n");
        assert_eq!(decode_blocks(&escaped).unwrap()[0].der, der);
        let short_end = pem.trim_end().trim_end_matches('-').to_owned();
        assert_eq!(decode_blocks(&short_end).unwrap()[0].der, der);
        let damaged = pem.replacen("MAMC", "MA*C", 1);
        assert_eq!(decode_blocks(&damaged), Err(PemError::Base64));
    }

    #[test]
    fn the_kept_base64_is_the_canonical_one() {
        // Non-zero trailing bits or a missing pad are refused, so the text kept
        // is always what encoding the DER would give.
        for text in ["MAMCAQV=", "MAMCAQU", "MAMCAQU=="] {
            assert_eq!(decode_blocks(text), Err(PemError::NotPem), "{text}");
        }
        let der = b"\x30\x03\x02\x01\x05\x06";
        let pem = encode("CERTIFICATE", der);
        let block = &decode_blocks(&pem.replace('\n', "\r\n  ")).unwrap()[0];
        assert_eq!(armour("CERTIFICATE", &block.base64), pem);
    }

    #[test]
    fn bare_base64_and_fingerprints() {
        let bare = decode_blocks("MAMCAQU=").unwrap();
        assert_eq!(bare[0].label, None);
        assert_eq!(
            decode_blocks("11:B9:2E:7F:19:CA:F3:9D:46:E0:C0:3D:A8:C5:1D:B1:0A:21:56:DB"),
            Err(PemError::Fingerprint)
        );
        assert_eq!(decode_blocks("hello world!"), Err(PemError::NotPem));
        assert_eq!(decode_blocks(" \n "), Err(PemError::Empty));
    }

    #[test]
    fn legacy_encrypted_header() {
        let text = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMAMCAQU=\n-----END RSA PRIVATE KEY-----\n";
        let block = &decode_blocks(text).unwrap()[0];
        assert!(block.encrypted);
        assert_eq!(block.label.as_deref(), Some("RSA PRIVATE KEY"));
    }
}
