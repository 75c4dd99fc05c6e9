//! What the certificate itself will meet at edges and clients beyond the verdict: usages and
//! serial numbers that a chain check may pass but servers and clients refuse.

use crate::certificate::Certificate;

use super::extensions::{Constraints, ExtendedKeyUsage};

/// `anyExtendedKeyUsage`, which Go and .NET accept in place of clientAuth.
const ANY_EXTENDED_KEY_USAGE: &str = "2.5.29.37.0";

/// Sentences for a leaf that verifies (or may) but will not get through as a TLS client
/// certificate everywhere: an extended key usage without clientAuth, a negative or zero serial.
pub fn leaf_warnings(leaf: &Certificate) -> Vec<String> {
    let mut warnings = Vec::new();
    let constraints = Constraints::of(leaf);
    if let ExtendedKeyUsage::Listed {
        client_auth: false,
        oids,
    } = constraints.eku()
        && !oids.iter().any(|oid| oid == ANY_EXTENDED_KEY_USAGE)
    {
        warnings.push(format!(
            "its extended key usage ({}) does not include clientAuth: verification for a TLS client fails on purpose, servers built on Go's crypto/tls (Caddy, Traefik) or .NET refuse it in the handshake, and clients that choose a certificate by its usage do not offer it; issue client certificates with clientAuth from a private CA (public CAs stopped including clientAuth in 2025–26)",
            constraints.eku_names().join(", ")
        ));
    }
    let serial = leaf.serial_content();
    if serial.first().is_some_and(|byte| byte & 0x80 != 0) {
        warnings.push(
            "its serial number is negative: Go 1.23 and later refuse to parse such a certificate (x509: negative serial number) unless GODEBUG=x509negativeserial=1, so edges built with a current Go (Caddy, Traefik) fail the handshake; RFC 5280 requires a positive serial".into(),
        );
    } else if serial.iter().all(|&byte| byte == 0) {
        warnings.push(
            "its serial number is zero, which RFC 5280 forbids (a serial is a positive integer): Go accepts it, but strict validators and CA policies refuse it; reissue it with a random positive serial".into(),
        );
    }
    warnings
}
