//! `--resolve HOST:PORT:ADDR[,ADDR…]`, curl's syntax: reach a hostname at chosen addresses (to
//! test an edge before DNS points at it). SNI and `Host` stay the hostname.

use std::net::{IpAddr, SocketAddr};

use super::ProbeError;

/// One `--resolve` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveEntry {
    /// The hostname, lowercase.
    pub host: String,
    /// The port the entry applies to (as in curl, only URLs with this port use it).
    pub port: u16,
    /// The addresses, tried in order.
    pub addresses: Vec<IpAddr>,
}

impl ResolveEntry {
    /// Reads `HOST:PORT:ADDR[,ADDR…]`; an IPv6 address may be written in brackets.
    pub fn parse(text: &str) -> Result<Self, ProbeError> {
        let bad = |why: &str| {
            ProbeError::BadResolve(format!(
                "`{text}` is not HOST:PORT:ADDRESS[,ADDRESS…] ({why})"
            ))
        };
        let mut parts = text.splitn(3, ':');
        let host = parts.next().unwrap_or_default().trim();
        let port = parts.next().ok_or_else(|| bad("no port"))?;
        let list = parts.next().ok_or_else(|| bad("no address"))?;
        if host.is_empty() || host.starts_with(['+', '-', '*']) {
            return Err(bad("give a plain hostname"));
        }
        let port: u16 = port
            .trim()
            .parse()
            .map_err(|_| bad("the port is not a number from 0 to 65535"))?;
        let addresses = list
            .split(',')
            .map(|a| {
                a.trim()
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<IpAddr>()
                    .map_err(|_| bad(&format!("`{a}` is not an IP address")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            host: host.to_ascii_lowercase(),
            port,
            addresses,
        })
    }

    /// The addresses with the entry's port.
    pub fn socket_addresses(&self) -> Vec<SocketAddr> {
        self.addresses
            .iter()
            .map(|a| SocketAddr::new(*a, self.port))
            .collect()
    }

    /// True when this entry applies to `host:port`.
    pub fn applies_to(&self, host: &str, port: u16) -> bool {
        self.port == port && self.host.eq_ignore_ascii_case(host)
    }

    /// The entry as curl reads it.
    pub fn to_curl(&self) -> String {
        let addresses: Vec<String> = self
            .addresses
            .iter()
            .map(|a| match a {
                IpAddr::V4(v4) => v4.to_string(),
                IpAddr::V6(v6) => format!("[{v6}]"),
            })
            .collect();
        format!("{}:{}:{}", self.host, self.port, addresses.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_curls_syntax() {
        let entry = ResolveEntry::parse("Edge.Example.com:443:[::1],127.0.0.1").unwrap();
        assert_eq!(entry.host, "edge.example.com");
        assert_eq!(entry.port, 443);
        assert_eq!(
            entry.socket_addresses(),
            [
                "[::1]:443".parse().unwrap(),
                "127.0.0.1:443".parse().unwrap()
            ]
        );
        assert!(entry.applies_to("EDGE.example.com", 443));
        assert!(!entry.applies_to("edge.example.com", 8443));
        assert_eq!(entry.to_curl(), "edge.example.com:443:[::1],127.0.0.1");
        assert_eq!(
            ResolveEntry::parse("h:1:2001:db8::1").unwrap().addresses,
            ["2001:db8::1".parse::<IpAddr>().unwrap()]
        );
    }

    #[test]
    fn says_what_is_wrong() {
        for (text, why) in [
            ("edge.example.com", "no port"),
            ("edge.example.com:443", "no address"),
            ("edge.example.com:https:1.2.3.4", "not a number"),
            ("edge.example.com:443:edge", "not an IP address"),
            ("*:443:1.2.3.4", "plain hostname"),
        ] {
            let error = ResolveEntry::parse(text).unwrap_err().to_string();
            assert!(error.contains(why), "{text}: {error}");
        }
    }
}
