//! Downloading IdP metadata from a URL the admin typed, without letting that
//! URL reach into our own network (SSRF).
//!
//! https only. Every hop's host is resolved by us, every address it resolves
//! to is checked, and the request is pinned to a checked address, so a second
//! DNS answer cannot swap in an internal one. Redirects are followed by hand
//! (at most [`MAX_REDIRECTS`]) so each hop is checked the same way. The body is
//! capped after decompression and never appears in an error.

use crate::config::FetchConfig;
use samlkit::metadata::MAX_METADATA_BYTES;
use samlkit::{Code, Issue};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

pub const MAX_REDIRECTS: usize = 5;
const PATH: &str = "/metadata_url";

fn forbidden(message: impl Into<String>) -> Issue {
    Issue::with_message(Code::MetadataUrlForbidden, PATH, message)
}

fn failed(message: impl Into<String>) -> Issue {
    Issue::with_message(Code::MetadataFetchFailed, PATH, message)
}

/// Addresses a metadata fetch must never reach.
pub fn is_forbidden_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_forbidden_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_forbidden_v4(v4);
            }
            let s = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (s[0] & 0xffc0) == 0xfe80 // link local fe80::/10
                || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
                || (s[0] == 0x0064 && s[1] == 0xff9b) // NAT64: an IPv4 address in disguise
                || (s[0..6] == [0, 0, 0, 0, 0, 0]) // IPv4-compatible (deprecated)
        }
    }
}

fn is_forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local() // 169.254/16, cloud metadata services
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // CGNAT 100.64/10
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240 // reserved
}

/// Fetches a metadata document.
pub async fn fetch_metadata(url: &str, config: &FetchConfig) -> Result<String, Issue> {
    let mut url = reqwest::Url::parse(url.trim())
        .map_err(|_| Issue::with_message(Code::UrlInvalid, PATH, "This is not a valid absolute URL."))?;
    for _ in 0..=MAX_REDIRECTS {
        let response = fetch_hop(&url, config).await?;
        if response.status().is_redirection() {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| failed("The server answered with a redirect without a Location."))?;
            url = url
                .join(location)
                .map_err(|_| failed("The server redirected to an invalid URL."))?;
            continue;
        }
        if !response.status().is_success() {
            return Err(failed(format!(
                "The server answered HTTP {}.",
                response.status().as_u16()
            )));
        }
        return read_body(response, config).await;
    }
    Err(failed(format!("More than {MAX_REDIRECTS} redirects.")))
}

async fn fetch_hop(url: &reqwest::Url, config: &FetchConfig) -> Result<reqwest::Response, Issue> {
    let host = url
        .host_str()
        .ok_or_else(|| forbidden("The URL has no host."))?
        .to_owned();
    let port = url.port_or_known_default().unwrap_or(443);
    if !url.username().is_empty() || url.password().is_some() {
        return Err(forbidden("The URL must not contain credentials."));
    }
    let allowed = config
        .allow
        .iter()
        .any(|a| a.eq_ignore_ascii_case(&format!("{host}:{port}")));
    if url.scheme() != "https" && !allowed {
        return Err(forbidden("Metadata is fetched over https only."));
    }
    let bare_host = host.trim_start_matches('[').trim_end_matches(']').to_owned();
    let addrs: Vec<SocketAddr> = match bare_host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::time::timeout(config.timeout, tokio::net::lookup_host((bare_host.as_str(), port)))
            .await
            .map_err(|_| failed("Looking up the host timed out."))?
            .map_err(|_| failed("The host name could not be resolved."))?
            .collect(),
    };
    if addrs.is_empty() {
        return Err(failed("The host name could not be resolved."));
    }
    if !allowed && addrs.iter().any(|a| is_forbidden_ip(a.ip())) {
        return Err(forbidden(
            "The URL resolves to a private, loopback or link-local address.",
        ));
    }
    let client = reqwest::Client::builder()
        // An environment proxy would resolve the name again, past the checked and
        // pinned address: metadata is always fetched directly.
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(config.timeout)
        .resolve(&bare_host, addrs[0])
        .build()
        .map_err(|_| failed("The download could not be started."))?;
    client
        .get(url.clone())
        .header("accept", "application/samlmetadata+xml, application/xml, text/xml")
        .send()
        .await
        .map_err(|e| {
            if e.is_timeout() {
                failed("The download timed out.")
            } else {
                failed("The server could not be reached.")
            }
        })
}

async fn read_body(mut response: reqwest::Response, config: &FetchConfig) -> Result<String, Issue> {
    let mut body = Vec::new();
    let deadline = tokio::time::Instant::now() + config.timeout;
    loop {
        let chunk = tokio::time::timeout_at(deadline, response.chunk())
            .await
            .map_err(|_| failed("The download timed out."))?
            .map_err(|_| failed("The download was interrupted."))?;
        let Some(chunk) = chunk else { break };
        if body.len() + chunk.len() > MAX_METADATA_BYTES {
            return Err(Issue::new(Code::MetadataTooLarge, PATH));
        }
        body.extend_from_slice(&chunk);
    }
    String::from_utf8(body).map_err(|_| failed("The document is not UTF-8 text."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_addresses() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00:ec2::254",
            "fe80::1",
            "::ffff:127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "::",
        ] {
            assert!(is_forbidden_ip(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:4700::6810:85e5", "8.8.8.8"] {
            assert!(!is_forbidden_ip(ip.parse().unwrap()), "{ip}");
        }
    }
}
