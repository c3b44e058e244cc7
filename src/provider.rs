//! What each identity provider's values look like, and where to find them.
//!
//! Checks here are warnings (`provider_mismatch`): custom domains and unusual
//! tenants exist, so a shape we do not recognise must not block a save. They
//! catch the common slips: Entra's entity ID without its trailing slash, a
//! Google `idpid` that differs between the two fields, Okta's app URL in place
//! of its SSO URL.

use crate::issue::{Code, Issue};
use crate::model::IdentityProvider;
use serde::Serialize;

/// Where an admin finds each value in the IdP's console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Hints {
    pub entity_id: &'static str,
    pub sso_url: &'static str,
    pub certificate: &'static str,
}

pub fn hints(provider: IdentityProvider) -> Hints {
    use IdentityProvider::*;
    match provider {
        MicrosoftEntra => Hints {
            entity_id: "Enterprise applications → your app → Single sign-on → \"Microsoft Entra Identifier\" (https://sts.windows.net/<tenant-id>/, with the trailing slash).",
            sso_url: "Same section → \"Login URL\" (https://login.microsoftonline.com/<tenant-id>/saml2).",
            certificate: "SAML Certificates → \"Certificate (Base64)\" → Download.",
        },
        GoogleWorkspace => Hints {
            entity_id: "Admin console → Apps → Web and mobile apps → your app → \"Entity ID\" (https://accounts.google.com/o/saml2?idpid=…).",
            sso_url: "Same page → \"SSO URL\" (https://accounts.google.com/o/saml2/idp?idpid=…).",
            certificate: "Same page → \"Certificate\" → Download.",
        },
        Okta => Hints {
            entity_id: "Applications → your app → Sign On → \"View SAML setup instructions\" → \"Identity Provider Issuer\" (http://www.okta.com/…).",
            sso_url: "Same page → \"Identity Provider Single Sign-On URL\".",
            certificate: "Same page → \"X.509 Certificate\".",
        },
        Onelogin => Hints {
            entity_id: "Applications → your app → SSO → \"Issuer URL\".",
            sso_url: "Same tab → \"SAML 2.0 Endpoint (HTTP)\".",
            certificate: "Same tab → \"X.509 Certificate\" → View Details.",
        },
        Jumpcloud => Hints {
            entity_id: "SSO → your app → \"IdP Entity ID\" (the value you typed there).",
            sso_url: "Same page → \"IDP URL\" (https://sso.jumpcloud.com/saml2/…).",
            certificate: "Same page → \"IDP Certificate\" → Download.",
        },
        Keycloak => Hints {
            entity_id: "Realm settings → \"SAML 2.0 Identity Provider Metadata\" → entityID (https://<host>/realms/<realm>).",
            sso_url: "Same metadata → SingleSignOnService (https://<host>/realms/<realm>/protocol/saml).",
            certificate: "Realm settings → Keys → RS256 → Certificate.",
        },
        Pingfederate => Hints {
            entity_id: "System → Protocol Settings → \"SAML 2.0 Entity ID\".",
            sso_url: "https://<host>/idp/SSO.saml2 on the PingFederate runtime host.",
            certificate: "Security → Signing & Decryption Keys & Certificates → Export.",
        },
        Shibboleth => Hints {
            entity_id: "idp.properties → idp.entityID (usually https://<host>/idp/shibboleth).",
            sso_url: "The IdP's metadata → SingleSignOnService for HTTP-Redirect (…/idp/profile/SAML2/Redirect/SSO).",
            certificate: "credentials/idp-signing.crt on the IdP host.",
        },
        _ => Hints {
            entity_id: "The IdP's \"Issuer\" or \"Entity ID\"; its metadata XML has it as entityID.",
            sso_url: "The IdP's \"SSO URL\" or \"Sign-on URL\"; its metadata XML has it as SingleSignOnService.",
            certificate: "The IdP's signing certificate, in PEM (Base64) form.",
        },
    }
}

/// Provider-specific checks of the entity ID and SSO URL (warnings only).
/// The attribute-mapping keys an admin picks from (the keys the rules know).
pub const MAPPING_KEYS: &[&str] = &["email", "first_name", "last_name", "full_name", "groups"];

const ENTRA_CLAIMS: &[(&str, &str)] = &[
    (
        "email",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    ),
    (
        "first_name",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
    ),
    (
        "last_name",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
    ),
    (
        "groups",
        "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
    ),
];
const CAMEL_CASE: &[(&str, &str)] = &[
    ("email", "email"),
    ("first_name", "firstName"),
    ("last_name", "lastName"),
    ("groups", "groups"),
];

/// A starting attribute mapping for a product: the attribute names its SAML
/// apps send by default or its setup guides give (Entra's claim URIs,
/// Keycloak's X.500 mappers, JumpCloud's lower-case names and `memberOf`, the
/// camel-case names the others' guides use). The admin adjusts what their IdP sends.
pub fn default_mapping(provider: IdentityProvider) -> &'static [(&'static str, &'static str)] {
    match provider {
        IdentityProvider::MicrosoftEntra => ENTRA_CLAIMS,
        IdentityProvider::Keycloak => &[
            ("email", "urn:oid:1.2.840.113549.1.9.1"),
            ("first_name", "urn:oid:2.5.4.42"),
            ("last_name", "urn:oid:2.5.4.4"),
            ("groups", "member"),
        ],
        IdentityProvider::Jumpcloud => &[
            ("email", "email"),
            ("first_name", "firstname"),
            ("last_name", "lastname"),
            ("groups", "memberOf"),
        ],
        _ => CAMEL_CASE,
    }
}

/// The IdP product an entity ID and SSO URL belong to, by the hosts and paths
/// each product uses; `None` when nothing says (a custom domain, ADFS, …).
pub fn detect(entity_id: Option<&str>, sso_url: Option<&str>) -> Option<IdentityProvider> {
    use IdentityProvider as P;
    let texts: Vec<&str> = [entity_id, sso_url].into_iter().flatten().collect();
    let hosts: Vec<String> = texts.iter().filter_map(|t| host_of(t)).collect();
    // A domain or any host under it.
    let host_ends = |domains: &[&str]| {
        hosts.iter().any(|h| {
            domains
                .iter()
                .any(|d| h == d || h.strip_suffix(d).is_some_and(|p| p.ends_with('.')))
        })
    };
    let contains = |needle: &str| texts.iter().any(|t| t.contains(needle));
    let found = if host_ends(&[
        "sts.windows.net",
        "login.microsoftonline.com",
        "login.microsoftonline.us",
    ]) {
        P::MicrosoftEntra
    } else if host_ends(&["accounts.google.com"]) {
        P::GoogleWorkspace
    } else if host_ends(&["okta.com", "oktapreview.com", "okta-emea.com", "okta-gov.com"])
        || texts
            .iter()
            .any(|t| t.starts_with("http://www.okta.com/") || t.starts_with("https://www.okta.com/"))
    {
        P::Okta
    } else if host_ends(&["onelogin.com"]) {
        P::Onelogin
    } else if host_ends(&["jumpcloud.com"]) {
        P::Jumpcloud
    } else if host_ends(&["duosecurity.com"]) {
        P::Duo
    } else if host_ends(&["pingone.com", "pingone.eu", "pingone.asia", "pingidentity.com"])
        || contains("/idp/SSO.saml2")
    {
        P::Pingfederate
    } else if host_ends(&["idaptive.app", "cyberark.cloud"]) {
        P::Cyberark
    } else if host_ends(&["miniorange.com", "xecurify.com"]) {
        P::Miniorange
    } else if host_ends(&["rippling.com"]) {
        P::Rippling
    } else if host_ends(&["force.com", "salesforce.com"]) {
        P::Salesforce
    } else if host_ends(&["classlink.com"]) {
        P::Classlink
    } else if (contains("/realms/") && contains("/protocol/saml")) || contains("/auth/realms/") {
        P::Keycloak
    } else if contains("/idp/shibboleth") || contains("/idp/profile/SAML2/") {
        P::Shibboleth
    } else {
        return None;
    };
    Some(found)
}

pub fn check(provider: IdentityProvider, entity_id: Option<&str>, sso_url: Option<&str>) -> Vec<Issue> {
    let mut issues = Vec::new();
    let entity_id = entity_id.map(str::trim).filter(|s| !s.is_empty());
    let sso_url = sso_url.map(str::trim).filter(|s| !s.is_empty());
    let warn = |issues: &mut Vec<Issue>, path: &str, msg: String| {
        issues.push(Issue::with_message(Code::ProviderMismatch, path, msg));
    };
    match provider {
        IdentityProvider::MicrosoftEntra => {
            if let Some(id) = entity_id {
                if let Some(tenant) = id.strip_prefix("https://sts.windows.net/") {
                    if !tenant.ends_with('/') {
                        warn(&mut issues, "/idp_entity_id", "Microsoft Entra's identifier ends with a slash: https://sts.windows.net/<tenant-id>/. Without it, every login fails with an issuer mismatch.".into());
                    } else if !is_guid(tenant.trim_end_matches('/')) {
                        warn(
                            &mut issues,
                            "/idp_entity_id",
                            "The part after https://sts.windows.net/ should be the tenant ID (a GUID).".into(),
                        );
                    }
                } else {
                    warn(
                        &mut issues,
                        "/idp_entity_id",
                        "Microsoft Entra's identifier looks like https://sts.windows.net/<tenant-id>/.".into(),
                    );
                }
            }
            if let Some(url) = sso_url
                && !url.starts_with("https://login.microsoftonline.com/")
            {
                warn(
                    &mut issues,
                    "/idp_sso_url",
                    "Microsoft Entra's login URL looks like https://login.microsoftonline.com/<tenant-id>/saml2."
                        .into(),
                );
            }
        }
        IdentityProvider::GoogleWorkspace => {
            let id_idp = entity_id.and_then(|s| query_param(s, "idpid"));
            let url_idp = sso_url.and_then(|s| query_param(s, "idpid"));
            if let Some(id) = entity_id
                && (!id.starts_with("https://accounts.google.com/o/saml2") || id_idp.is_none())
            {
                warn(
                    &mut issues,
                    "/idp_entity_id",
                    "Google's entity ID looks like https://accounts.google.com/o/saml2?idpid=<id>.".into(),
                );
            }
            if let Some(url) = sso_url
                && (!url.starts_with("https://accounts.google.com/o/saml2/idp") || url_idp.is_none())
            {
                warn(
                    &mut issues,
                    "/idp_sso_url",
                    "Google's SSO URL looks like https://accounts.google.com/o/saml2/idp?idpid=<id>.".into(),
                );
            }
            if let (Some(a), Some(b)) = (id_idp, url_idp)
                && a != b
            {
                warn(
                    &mut issues,
                    "/idp_sso_url",
                    format!(
                        "The idpid in the SSO URL ({b}) differs from the one in the entity ID ({a}): they come from different Google apps."
                    ),
                );
            }
        }
        IdentityProvider::Okta => {
            if let Some(url) = sso_url {
                if !host_of(url).is_some_and(|h| {
                    h.ends_with(".okta.com") || h.ends_with(".oktapreview.com") || h.ends_with(".okta-emea.com")
                }) {
                    warn(&mut issues, "/idp_sso_url", "Okta's SSO URL is on your Okta domain (https://<org>.okta.com/app/…/sso/saml); check a custom domain is meant.".into());
                } else if !url.contains("/sso/saml") {
                    warn(
                        &mut issues,
                        "/idp_sso_url",
                        "This looks like the Okta app's page, not its SSO URL (…/sso/saml).".into(),
                    );
                }
            }
            if let Some(id) = entity_id
                && !id.starts_with("http://www.okta.com/")
                && !id.starts_with("https://www.okta.com/")
            {
                warn(
                    &mut issues,
                    "/idp_entity_id",
                    "Okta's issuer looks like http://www.okta.com/<id> (plain http is what Okta uses).".into(),
                );
            }
        }
        IdentityProvider::Onelogin => {
            if let Some(url) = sso_url
                && !host_of(url).is_some_and(|h| h.ends_with(".onelogin.com"))
            {
                warn(
                    &mut issues,
                    "/idp_sso_url",
                    "OneLogin's SAML 2.0 endpoint is on <subdomain>.onelogin.com.".into(),
                );
            }
        }
        IdentityProvider::Jumpcloud => {
            if let Some(url) = sso_url
                && !url.starts_with("https://sso.jumpcloud.com/saml2/")
            {
                warn(
                    &mut issues,
                    "/idp_sso_url",
                    "JumpCloud's IDP URL looks like https://sso.jumpcloud.com/saml2/<app>.".into(),
                );
            }
        }
        IdentityProvider::Keycloak => {
            if let Some(url) = sso_url
                && (!url.contains("/realms/") || !url.trim_end_matches('/').ends_with("/protocol/saml"))
            {
                warn(
                    &mut issues,
                    "/idp_sso_url",
                    "Keycloak's SSO URL looks like https://<host>/realms/<realm>/protocol/saml.".into(),
                );
            }
            if let (Some(id), Some(url)) = (entity_id, sso_url)
                && id.contains("/realms/")
                && !url.starts_with(id.trim_end_matches('/'))
            {
                warn(
                    &mut issues,
                    "/idp_sso_url",
                    "The SSO URL is not under the realm named by the entity ID.".into(),
                );
            }
        }
        _ => {}
    }
    issues
}

fn host_of(url: &str) -> Option<String> {
    let uri = fluent_uri::Uri::parse(url).ok()?;
    Some(uri.authority()?.host().to_ascii_lowercase())
}

fn query_param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    let query = url.split_once('?')?.1.split('#').next()?;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_product_from_real_metadata() {
        use crate::time::Timestamp;
        let cases = [
            ("okta_ssoready.xml", Some(IdentityProvider::Okta)),
            ("entra_ssoready_signed.xml", Some(IdentityProvider::MicrosoftEntra)),
            ("google_ssoready.xml", Some(IdentityProvider::GoogleWorkspace)),
            ("jumpcloud_ssoready.xml", Some(IdentityProvider::Jumpcloud)),
            ("keycloak_ssoready.xml", Some(IdentityProvider::Keycloak)),
            ("pingone_ssoready.xml", Some(IdentityProvider::Pingfederate)),
            (
                "onelogin_python3-saml_idp_metadata.xml",
                Some(IdentityProvider::Onelogin),
            ),
            ("adfs_sustainsys_unilever.xml", None),
        ];
        for (file, want) in cases {
            let xml = std::fs::read_to_string(format!("{}/tests/corpus/metadata/{file}", env!("CARGO_MANIFEST_DIR")))
                .unwrap();
            let draft = crate::metadata::import(&xml, None, Timestamp(1_795_392_000))
                .draft
                .unwrap();
            let got = detect(draft.idp_entity_id.as_deref(), draft.idp_sso_url.as_deref());
            assert_eq!(got, want, "{file}: {:?} {:?}", draft.idp_entity_id, draft.idp_sso_url);
        }
        assert_eq!(detect(Some("login.example.io"), None), None);
        // A domain counts with its subdomains only, not as any suffix.
        assert_eq!(detect(None, Some("https://evilokta.com/app/sso/saml")), None);
        assert_eq!(detect(None, Some("https://okta.com.evil.example/sso")), None);
        assert_eq!(
            detect(None, Some("https://idp.example.edu/idp/profile/SAML2/Redirect/SSO")),
            Some(IdentityProvider::Shibboleth)
        );
        for p in IdentityProvider::ALL {
            assert!(!p.display_name().is_empty());
            // Every default is a mapping the rules accept as it is.
            let mapping = default_mapping(p)
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            assert_eq!(
                crate::validate::check_attribute_mapping(&mapping, true),
                vec![],
                "{p:?}"
            );
            assert!(default_mapping(p).iter().all(|(k, _)| MAPPING_KEYS.contains(k)));
        }
    }

    #[test]
    fn entra_trailing_slash() {
        let ok = check(
            IdentityProvider::MicrosoftEntra,
            Some("https://sts.windows.net/9188040d-6c67-4c5b-b112-36a304b66dad/"),
            Some("https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/saml2"),
        );
        assert!(ok.is_empty(), "{ok:?}");
        let slip = check(
            IdentityProvider::MicrosoftEntra,
            Some("https://sts.windows.net/9188040d-6c67-4c5b-b112-36a304b66dad"),
            None,
        );
        assert_eq!(slip[0].path, "/idp_entity_id");
    }

    #[test]
    fn google_idpid_must_agree() {
        let r = check(
            IdentityProvider::GoogleWorkspace,
            Some("https://accounts.google.com/o/saml2?idpid=C01"),
            Some("https://accounts.google.com/o/saml2/idp?idpid=C02"),
        );
        assert_eq!(r.len(), 1);
        assert!(r[0].message.contains("C02"));
    }
}
