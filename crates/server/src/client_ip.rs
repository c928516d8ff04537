//! Which address a request comes from, for the rate limit.
//!
//! Behind a reverse proxy or CDN the TCP peer is the proxy. Only when the peer is in a range
//! the operator trusts (`--trusted-proxy`) are the proxies' headers read: `Forwarded` (RFC
//! 7239) when present, otherwise `X-Forwarded-For`. Each proxy appends the address it saw, so
//! the hops are read from the right, and the first one that is not a trusted proxy is the
//! client. Everything to its left was written by the client and proves nothing.

use std::net::{IpAddr, SocketAddr};

use axum::http::{header, HeaderMap};
use ipnet::IpNet;

/// The ranges whose forwarding headers are believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(pub Vec<IpNet>);

impl TrustedProxies {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address for a request from `peer` with these headers.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.contains(peer) {
            return peer;
        }
        let forwarded: Vec<&str> = values(headers, header::FORWARDED);
        let hops = if forwarded.is_empty() {
            x_forwarded_for(&values(headers, "x-forwarded-for"))
        } else {
            forwarded_for(&forwarded)
        };
        let mut nearest = peer;
        for hop in hops.into_iter().rev() {
            match hop {
                Some(ip) if self.contains(ip) => nearest = ip,
                Some(ip) => return ip,
                // A hop without a usable address ("unknown", an obfuscated name): what lies
                // beyond it cannot be attributed, so the proxy that reported it stands in.
                None => return nearest,
            }
        }
        nearest
    }
}

/// A range as `--trusted-proxy` takes it: `10.0.0.0/8`, `2001:db8::/32`, or one address.
pub fn parse_range(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    if let Ok(net) = text.parse::<IpNet>() {
        return Ok(net.trunc());
    }
    text.parse::<IpAddr>()
        .map(IpNet::from)
        .map_err(|_| format!("`{text}` is not an address range like 10.0.0.0/8 or 192.0.2.1"))
}

fn values(headers: &HeaderMap, name: impl header::AsHeaderName) -> Vec<&str> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect()
}

/// The `for=` of each element of `Forwarded` headers, in order (None where there is none
/// or it is not an address).
fn forwarded_for(values: &[&str]) -> Vec<Option<IpAddr>> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("for"))
                .and_then(|(_, value)| node_address(value.trim().trim_matches('"')))
        })
        .collect()
}

fn x_forwarded_for(values: &[&str]) -> Vec<Option<IpAddr>> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(|hop| node_address(hop.trim()))
        .collect()
}

/// `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:4711`.
fn node_address(text: &str) -> Option<IpAddr> {
    if let Some(rest) = text.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        if !(after.is_empty() || after.starts_with(':')) {
            return None;
        }
        return inside.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6);
    }
    text.parse::<IpAddr>()
        .or_else(|_| text.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn proxies(ranges: &[&str]) -> TrustedProxies {
        TrustedProxies(ranges.iter().map(|r| parse_range(r).unwrap()).collect())
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    /// (trusted ranges, peer, headers, the client it makes of them)
    type Case<'a> = (&'a [&'a str], &'a str, &'a [(&'a str, &'a str)], &'a str);

    #[test]
    fn finds_the_client_from_the_right_past_trusted_proxies_only() {
        let table: &[Case] = &[
            // No trusted proxy: headers are the client's own words.
            (
                &[],
                "198.51.100.7",
                &[("x-forwarded-for", "203.0.113.1")],
                "198.51.100.7",
            ),
            (
                &["10.0.0.0/8"],
                "198.51.100.7",
                &[("forwarded", "for=203.0.113.1")],
                "198.51.100.7",
            ),
            // A trusted proxy: the address it appended.
            (
                &["10.0.0.0/8"],
                "10.1.2.3",
                &[("x-forwarded-for", "203.0.113.1")],
                "203.0.113.1",
            ),
            // A client's forged entry stays to the left of what the proxy appended.
            (
                &["10.0.0.0/8"],
                "10.1.2.3",
                &[("x-forwarded-for", "1.2.3.4, 203.0.113.1")],
                "203.0.113.1",
            ),
            // Two proxies: CDN edge (trusted) and the load balancer (peer).
            (
                &["10.0.0.0/8", "192.0.2.0/24"],
                "10.1.2.3",
                &[("x-forwarded-for", "1.2.3.4, 203.0.113.1, 192.0.2.9")],
                "203.0.113.1",
            ),
            // Several header lines read as one list.
            (
                &["10.0.0.0/8"],
                "10.1.2.3",
                &[
                    ("x-forwarded-for", "1.2.3.4"),
                    ("x-forwarded-for", "203.0.113.5"),
                ],
                "203.0.113.5",
            ),
            // Forwarded wins over X-Forwarded-For, with quoting, ports and IPv6.
            (
                &["10.0.0.0/8"],
                "10.1.2.3",
                &[
                    (
                        "forwarded",
                        "for=1.2.3.4, For=\"[2001:db8:cafe::17]:4711\";proto=https",
                    ),
                    ("x-forwarded-for", "203.0.113.1"),
                ],
                "2001:db8:cafe::17",
            ),
            (
                &["10.0.0.0/8"],
                "10.1.2.3",
                &[("forwarded", "for=\"203.0.113.9:4711\";by=10.0.0.1")],
                "203.0.113.9",
            ),
            // Unusable hops: the nearest proxy stands in for what is beyond.
            (
                &["10.0.0.0/8"],
                "10.1.2.3",
                &[("forwarded", "for=unknown")],
                "10.1.2.3",
            ),
            (
                &["10.0.0.0/8"],
                "10.1.2.3",
                &[("x-forwarded-for", "203.0.113.1, garbage, 10.9.9.9")],
                "10.9.9.9",
            ),
            // Only trusted addresses: the left-most of them.
            (
                &["10.0.0.0/8"],
                "10.1.2.3",
                &[("x-forwarded-for", "10.0.0.5, 10.0.0.6")],
                "10.0.0.5",
            ),
            (&["10.0.0.0/8"], "10.1.2.3", &[], "10.1.2.3"),
            // An IPv4 peer seen on an IPv6 socket is the same address.
            (
                &["127.0.0.1"],
                "::ffff:127.0.0.1",
                &[("x-forwarded-for", "203.0.113.1")],
                "203.0.113.1",
            ),
        ];
        for (trusted, peer, headers, client) in table {
            let mut map = HeaderMap::new();
            for (name, value) in *headers {
                map.append(*name, HeaderValue::from_str(value).unwrap());
            }
            assert_eq!(
                proxies(trusted).client(ip(peer), &map),
                ip(client),
                "trusted {trusted:?}, peer {peer}, headers {headers:?}"
            );
        }
    }

    #[test]
    fn reads_ranges_and_single_addresses_and_names_what_it_cannot_read() {
        let table: &[(&str, Option<&str>)] = &[
            ("10.0.0.0/8", Some("10.0.0.0/8")),
            ("10.1.2.3/8", Some("10.0.0.0/8")),
            ("192.0.2.1", Some("192.0.2.1/32")),
            ("2001:db8::/32", Some("2001:db8::/32")),
            ("::1", Some("::1/128")),
            ("10.0.0.0/33", None),
            ("proxy.example", None),
            ("", None),
        ];
        for (text, expected) in table {
            let parsed = parse_range(text).map(|n| n.to_string());
            match expected {
                Some(net) => assert_eq!(parsed.as_deref(), Ok(*net), "{text}"),
                None => assert!(parsed.unwrap_err().contains(text), "{text}"),
            }
        }
    }
}
