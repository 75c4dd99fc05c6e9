//! The spellings edges give bytes and numbers: percent-encodings, base64 forms, decimal.

use base64::Engine as _;

use crate::certificate::hex;

use crate::notation::dn::integer_magnitude;

/// Percent-encodes every byte `keep` refuses, with upper-case hex digits.
fn percent(text: &str, keep: impl Fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(text.len() * 5 / 4);
    for b in text.bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            hex::push_escaped(&mut out, "%", b);
        }
    }
    out
}

/// The AWS load balancers' URL-encoded PEM: space as `%20`, newline as `%0A`, and `+ = /` left
/// as they are (the only other characters of a PEM are letters, digits and `-`).
pub(super) fn pem_aws(pem: &str) -> String {
    percent(pem, |b| b.is_ascii_alphanumeric() || b"+=/-".contains(&b))
}

/// Envoy's URL-encoded PEM (`Http::Utility::PercentEncoding::urlEncode`): everything but
/// letters, digits and `* - . _` as `%XX`, so `+ / =`, space and newline are all encoded.
pub(super) fn pem_envoy(pem: &str) -> String {
    percent(pem, |b| b.is_ascii_alphanumeric() || b"*-._".contains(&b))
}

/// Go's `url.QueryEscape`: letters, digits and `- _ . ~` kept, space as `+`, the rest `%XX`.
pub(super) fn query_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 5 / 4);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push('+');
        } else {
            hex::push_escaped(&mut out, "%", b);
        }
    }
    out
}

/// Standard base64 with padding.
pub(super) fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// An RFC 9440 / RFC 8941 byte sequence: `:base64:`.
pub(super) fn byte_sequence(bytes: &[u8]) -> String {
    format!(":{}:", base64(bytes))
}

/// Lower-case hex with a colon between bytes (`4a:3f:5c`).
pub(super) fn colon_hex_lower(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// The magnitude of a DER INTEGER (no sign padding); a zero keeps one `00` byte, as OpenSSL's
/// `ASN1_INTEGER` data does.
pub(super) fn magnitude(content: &[u8]) -> Vec<u8> {
    let magnitude = integer_magnitude(content);
    if magnitude.is_empty() {
        vec![0]
    } else {
        magnitude
    }
}

/// A DER INTEGER in decimal, `-` for negatives (Go's `big.Int.String`).
pub(super) fn decimal(content: &[u8]) -> String {
    let negative = content.first().is_some_and(|b| b & 0x80 != 0);
    let mut digits = integer_magnitude(content);
    if digits.is_empty() {
        return "0".into();
    }
    // Repeated division by 10^9 of the big-endian base-256 number.
    let mut groups = Vec::new();
    while !digits.is_empty() {
        let mut remainder: u64 = 0;
        let mut quotient = Vec::with_capacity(digits.len());
        for &byte in &digits {
            let value = (remainder << 8) | u64::from(byte);
            let q = value / 1_000_000_000;
            remainder = value % 1_000_000_000;
            if !(quotient.is_empty() && q == 0) {
                quotient.push(q as u8);
            }
        }
        groups.push(remainder as u32);
        digits = quotient;
    }
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    let mut groups = groups.into_iter().rev();
    if let Some(first) = groups.next() {
        out.push_str(&first.to_string());
    }
    for group in groups {
        out.push_str(&format!("{group:09}"));
    }
    out
}

/// `NGX_ESCAPE_URI_COMPONENT`: everything but `A-Z a-z 0-9 - . _ ~` as `%XX`.
pub(super) fn escape_uri_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            hex::push_escaped(&mut out, "%", b);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_matches_big_integers() {
        assert_eq!(decimal(&[0x00]), "0");
        assert_eq!(decimal(&[0x7F]), "127");
        assert_eq!(decimal(&[0x00, 0x80]), "128");
        assert_eq!(decimal(&[0xFF]), "-1");
        assert_eq!(decimal(&[0xFF, 0x00]), "-256");
        // 2^64 = 18446744073709551616
        assert_eq!(
            decimal(&[0x01, 0, 0, 0, 0, 0, 0, 0, 0]),
            "18446744073709551616"
        );
        // 10^18 exactly: a zero group in the middle keeps its nine digits.
        assert_eq!(
            decimal(&[0x0D, 0xE0, 0xB6, 0xB3, 0xA7, 0x64, 0x00, 0x00]),
            "1000000000000000000"
        );
    }

    #[test]
    fn encodings_follow_each_edge() {
        let pem = "-----BEGIN CERTIFICATE-----\nMII+/=\n";
        assert_eq!(pem_aws(pem), "-----BEGIN%20CERTIFICATE-----%0AMII+/=%0A");
        assert_eq!(
            pem_envoy(pem),
            "-----BEGIN%20CERTIFICATE-----%0AMII%2B%2F%3D%0A"
        );
        assert_eq!(query_escape("a b/c~=\""), "a+b%2Fc~%3D%22");
        assert_eq!(colon_hex_lower(&[0x4a, 0x3f]), "4a:3f");
        assert_eq!(magnitude(&[0x00]), vec![0]);
        assert_eq!(magnitude(&[0x00, 0x80]), vec![0x80]);
    }
}
