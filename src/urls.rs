//! SSO URLs and entity IDs.
//!
//! Parsing is fluent-uri's (RFC 3986, URNs included, no silent repairs); the
//! policy is ours: an allow-list of schemes, because no parser refuses
//! `javascript:` for us.

use crate::issue::{Code, Issue};
use fluent_uri::Uri;

/// SAML 2.0 metadata §2.3.2: entityID is at most 1024 characters.
pub const MAX_ENTITY_ID_LEN: usize = 1024;
/// Browsers and proxies truncate beyond this.
pub const MAX_URL_LEN: usize = 2048;

/// Checks an IdP endpoint: absolute https, no credentials, no fragment.
///
/// Plain http is an error, except to a loopback host (a local test IdP such
/// as a developer's Keycloak), which gets a warning so development works.
pub fn check_endpoint(text: &str, path: &str) -> Vec<Issue> {
    let text = text.trim();
    if text.is_empty() {
        return vec![Issue::new(Code::Required, path)];
    }
    if text.len() > MAX_URL_LEN {
        return vec![Issue::new(Code::TooLong, path)];
    }
    let Ok(uri) = Uri::parse(text) else {
        return vec![Issue::new(Code::UrlInvalid, path)];
    };
    let scheme = uri.scheme().as_str().to_ascii_lowercase();
    let Some(authority) = uri.authority() else {
        let code = if is_forbidden_scheme(&scheme) {
            Code::UrlForbiddenScheme
        } else {
            Code::UrlInvalid
        };
        return vec![Issue::new(code, path)];
    };
    let mut issues = Vec::new();
    let host = authority.host().to_ascii_lowercase();
    match scheme.as_str() {
        "https" => {}
        "http" if is_loopback(&host) => issues.push(Issue::new(Code::UrlInsecureLoopback, path)),
        "http" => issues.push(Issue::new(Code::UrlNotHttps, path)),
        s if is_forbidden_scheme(s) => issues.push(Issue::new(Code::UrlForbiddenScheme, path)),
        _ => issues.push(Issue::new(Code::UrlNotHttps, path)),
    }
    if host.is_empty() {
        issues.push(Issue::new(Code::UrlInvalid, path));
    }
    if authority.userinfo().is_some() {
        issues.push(Issue::new(Code::UrlHasCredentials, path));
    }
    if authority.port().is_some_and(|p| !p.as_str().is_empty()) && authority.port_to_u16().ok().flatten().is_none() {
        issues.push(Issue::with_message(
            Code::UrlInvalid,
            path,
            "The port number is out of range.",
        ));
    }
    if uri.fragment().is_some() {
        issues.push(Issue::new(Code::UrlHasFragment, path));
    }
    issues
}

/// Checks an entity ID: trimmed, non-empty, an absolute URI (URL or URN).
pub fn check_entity_id(raw: &str, path: &str) -> Vec<Issue> {
    let text = raw.trim();
    let mut issues = Vec::new();
    if text.is_empty() {
        issues.push(Issue::new(Code::Required, path));
        return issues;
    }
    if text.len() != raw.len() {
        issues.push(Issue::new(Code::EntityIdWhitespace, path));
    }
    if text.chars().count() > MAX_ENTITY_ID_LEN {
        issues.push(Issue::with_message(
            Code::TooLong,
            path,
            format!("An entity ID is at most {MAX_ENTITY_ID_LEN} characters (SAML 2.0 metadata §2.3.2)."),
        ));
        return issues;
    }
    match Uri::parse(text) {
        Ok(uri) if is_forbidden_scheme(&uri.scheme().as_str().to_ascii_lowercase()) => {
            issues.push(Issue::new(Code::UrlForbiddenScheme, path))
        }
        Ok(uri) if uri.authority().is_some() || !uri.path().as_str().is_empty() => {}
        // SAML's entityID is a URI reference the SP matches exactly: real IdPs use
        // bare host names (`login.example.io`), so one is accepted with advice.
        _ if fluent_uri::UriRef::parse(text).is_ok() => issues.push(Issue::new(Code::EntityIdNotAbsolute, path)),
        _ => issues.push(Issue::with_message(
            Code::EntityIdInvalid,
            path,
            "The entity ID must be a URI (https://…, urn:…, or the IdP's own identifier) with no spaces or control characters, exactly as the IdP shows it.",
        )),
    }
    issues
}

/// Two identifiers name the same thing (case of scheme/host and a trailing slash aside).
pub fn same_identifier(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.trim().trim_end_matches('/').to_ascii_lowercase();
    !a.trim().is_empty() && norm(a) == norm(b)
}

fn is_forbidden_scheme(scheme: &str) -> bool {
    matches!(scheme, "javascript" | "data" | "vbscript" | "file" | "blob" | "about")
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.ends_with(".localhost") || host == "[::1]" || host.starts_with("127.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(issues: Vec<Issue>) -> Vec<Code> {
        issues.into_iter().map(|i| i.code).collect()
    }

    #[test]
    fn endpoints() {
        assert!(check_endpoint("https://idp.example.com/sso", "/u").is_empty());
        assert_eq!(
            codes(check_endpoint("http://idp.example.com/sso", "/u")),
            [Code::UrlNotHttps]
        );
        assert_eq!(
            codes(check_endpoint("http://localhost:8080/realms/x", "/u")),
            [Code::UrlInsecureLoopback]
        );
        assert_eq!(
            codes(check_endpoint("javascript:alert(1)", "/u")),
            [Code::UrlForbiddenScheme]
        );
        assert_eq!(
            codes(check_endpoint("https://u:p@idp.example.com/", "/u")),
            [Code::UrlHasCredentials]
        );
        assert_eq!(
            codes(check_endpoint("https://idp.example.com:99999/", "/u")),
            [Code::UrlInvalid]
        );
        assert_eq!(codes(check_endpoint("https:idp.example.com", "/u")), [Code::UrlInvalid]);
        assert_eq!(codes(check_endpoint("idp.example.com/sso", "/u")), [Code::UrlInvalid]);
    }

    #[test]
    fn entity_ids() {
        assert!(check_entity_id("urn:example:idp", "/e").is_empty());
        assert!(check_entity_id("http://www.okta.com/exk1", "/e").is_empty());
        assert_eq!(codes(check_entity_id("IdP Entity ID", "/e")), [Code::EntityIdInvalid]);
        assert_eq!(
            codes(check_entity_id(" https://x.example/ ", "/e")),
            [Code::EntityIdWhitespace]
        );
    }
}
