//! Names, SANs and times as Go's crypto/x509 reads and prints them (Go 1.19, which Debian's
//! Caddy 2.6 is built with; Traefik builds on the same package): `parseName` /
//! `parseASN1String` in `crypto/x509/parser.go`, `pkix.Name.String()` in `crypto/x509/pkix`.

use crate::certificate::Certificate;
use crate::certificate::der::{self, tag};

use crate::notation::dn::parse_name;

/// 0.9.2342.19200300.100.1.25
const DOMAIN_COMPONENT: &[u8] = &[0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x19];

/// One attribute as Go holds it: its type and its value decoded to a Go string (raw bytes for
/// a T61String, so not always UTF-8).
#[derive(Debug, Clone)]
struct Attribute {
    oid: Vec<u8>,
    value: Vec<u8>,
}

/// A `pkix.Name` filled from a certificate (`FillFromRDNSequence`).
#[derive(Debug, Clone, Default)]
pub(super) struct GoName {
    names: Vec<Attribute>,
}

/// `2.5.4.N` → N, for the attributes `pkix.Name` keeps in named fields.
fn standard_arc(oid: &[u8]) -> Option<u8> {
    match oid {
        [0x55, 0x04, n] => Some(*n),
        _ => None,
    }
}

/// Go's `isPrintable` as the parser applies it (asterisk and ampersand allowed).
fn go_printable(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b" '()+,-./:=?*&".contains(&b)
}

/// `parseASN1String`: the string Go makes of an attribute value, or why it refuses it.
fn go_string(value_tag: u8, value: &[u8]) -> Result<Vec<u8>, String> {
    match value_tag {
        0x14 => Ok(value.to_vec()),
        0x13 if value.iter().all(|&b| go_printable(b)) => Ok(value.to_vec()),
        0x13 => Err("invalid PrintableString".into()),
        0x0C if std::str::from_utf8(value).is_ok() => Ok(value.to_vec()),
        0x0C => Err("invalid UTF-8 string".into()),
        0x1E => {
            if !value.len().is_multiple_of(2) {
                return Err("invalid BMPString".into());
            }
            let mut units: Vec<u16> = value
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            if units.last() == Some(&0) {
                units.pop();
            }
            Ok(char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect::<String>()
                .into_bytes())
        }
        0x16 if value.is_ascii() => Ok(value.to_vec()),
        0x16 => Err("invalid IA5String".into()),
        0x12 if value.iter().all(|&b| b.is_ascii_digit() || b == b' ') => Ok(value.to_vec()),
        0x12 => Err("invalid NumericString".into()),
        other => Err(format!("unsupported string type: {other}")),
    }
}

impl GoName {
    /// Reads a DER Name as Go does; `Err` says why Go refuses the certificate.
    pub(super) fn parse(name_der: &[u8]) -> Result<Self, String> {
        let entries = parse_name(name_der).map_err(|e| e.to_string())?;
        let mut names = Vec::with_capacity(entries.len());
        for entry in entries {
            let value = go_string(entry.value_tag, entry.value).map_err(|reason| {
                format!("x509: invalid RDNSequence: invalid attribute value: {reason}")
            })?;
            names.push(Attribute {
                oid: entry.oid.to_vec(),
                value,
            });
        }
        Ok(Self { names })
    }

    /// The values of the named field for `2.5.4.arc`, in order (the last one for CN and
    /// serialNumber, which Go keeps as one string).
    fn field(&self, arc: u8) -> Vec<&[u8]> {
        let values: Vec<&[u8]> = self
            .names
            .iter()
            .filter(|a| standard_arc(&a.oid) == Some(arc))
            .map(|a| a.value.as_slice())
            .collect();
        if matches!(arc, 3 | 5) {
            values.last().map(|v| vec![*v]).unwrap_or_default()
        } else {
            values
        }
    }

    /// `pkix.Name.String()`: SERIALNUMBER, CN, OU, O, POSTALCODE, STREET, L, ST, C, then the
    /// attributes Go does not name (as `#`-hex of their re-marshalled DER), each group in
    /// reverse, RFC 2253 escaping applied to each value.
    pub(super) fn string(&self) -> String {
        let mut rdns: Vec<Vec<(Vec<u8>, &[u8])>> = Vec::new();
        for attribute in &self.names {
            if matches!(
                standard_arc(&attribute.oid),
                Some(3 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 17)
            ) {
                continue;
            }
            rdns.push(vec![(attribute.oid.clone(), attribute.value.as_slice())]);
        }
        for arc in [6u8, 8, 7, 9, 17, 10, 11, 3, 5] {
            let values = self.field(arc);
            if arc == 3 || arc == 5 {
                if values.first().is_none_or(|v| v.is_empty()) {
                    continue;
                }
            } else if values.is_empty() {
                continue;
            }
            rdns.push(
                values
                    .into_iter()
                    .map(|v| (vec![0x55, 0x04, arc], v))
                    .collect(),
            );
        }
        let mut out = Vec::new();
        for (i, rdn) in rdns.iter().rev().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            for (j, (oid, value)) in rdn.iter().enumerate() {
                if j > 0 {
                    out.push(b'+');
                }
                match type_name(oid) {
                    Some(name) => {
                        out.extend_from_slice(name.as_bytes());
                        out.push(b'=');
                        escape(&mut out, value);
                    }
                    None => {
                        out.extend_from_slice(der::oid_to_string(oid).as_bytes());
                        out.push(b'=');
                        match marshal_string(value) {
                            Some(der) => {
                                out.push(b'#');
                                out.extend_from_slice(
                                    crate::certificate::hex::lower(&der).as_bytes(),
                                );
                            }
                            None => escape(&mut out, value),
                        }
                    }
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Traefik's pseudo-DN (`getSubjectDNInfo` / `getIssuerDNInfo`): `DC`, `C`, `ST`, `L`, `O`,
    /// `OU` (subject only), `SN`, `CN`, each `KEY=value,` unescaped, the last comma cut.
    pub(super) fn traefik(&self, with_ou: bool) -> String {
        let mut out = Vec::new();
        for attribute in self.names.iter().filter(|a| a.oid == DOMAIN_COMPONENT) {
            // Written even when empty (`DC=%s,`).
            out.extend_from_slice(b"DC=");
            out.extend_from_slice(&attribute.value);
            out.push(b',');
        }
        let mut part = |key: &str, value: &[u8]| {
            if !value.is_empty() {
                out.extend_from_slice(key.as_bytes());
                out.push(b'=');
                out.extend_from_slice(value);
                out.push(b',');
            }
        };
        for (key, arc) in [("C", 6u8), ("ST", 8), ("L", 7), ("O", 10)] {
            for value in self.field(arc) {
                part(key, value);
            }
        }
        if with_ou {
            for value in self.field(11) {
                part("OU", value);
            }
        }
        for (key, arc) in [("SN", 5u8), ("CN", 3)] {
            for value in self.field(arc) {
                part(key, value);
            }
        }
        if out.last() == Some(&b',') {
            out.pop();
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

/// Go's `attributeTypeNames`.
fn type_name(oid: &[u8]) -> Option<&'static str> {
    Some(match standard_arc(oid)? {
        6 => "C",
        10 => "O",
        11 => "OU",
        3 => "CN",
        5 => "SERIALNUMBER",
        7 => "L",
        8 => "ST",
        9 => "STREET",
        17 => "POSTALCODE",
        _ => return None,
    })
}

/// `RDNSequence.String`'s escaping: `, + " \ < > ;` always, a space first or last, `#` first.
fn escape(out: &mut Vec<u8>, value: &[u8]) {
    let text = String::from_utf8_lossy(value);
    let last = text.len().saturating_sub(1);
    for (k, c) in text.char_indices() {
        let escaped = match c {
            ',' | '+' | '"' | '\\' | '<' | '>' | ';' => true,
            ' ' => k == 0 || k == last,
            '#' => k == 0,
            _ => false,
        };
        if escaped {
            out.push(b'\\');
        }
        let mut buffer = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
    }
}

/// `asn1.Marshal` of a Go string: a PrintableString when every character is printable
/// (no `*` or `&`), else a UTF8String; `None` for a string that is not UTF-8.
fn marshal_string(value: &[u8]) -> Option<Vec<u8>> {
    std::str::from_utf8(value).ok()?;
    let printable = value
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&b));
    let string_tag = if printable { 0x13 } else { 0x0C };
    Some(der::encode(string_tag, value))
}

/// The subject alternative names Go parses, in its four lists.
#[derive(Debug, Clone, Default)]
pub(super) struct GoSans {
    /// `DNSNames`.
    pub dns: Vec<String>,
    /// `EmailAddresses`.
    pub emails: Vec<String>,
    /// `IPAddresses`, printed by `net.IP.String`.
    pub ips: Vec<String>,
    /// `URIs`, as written in the certificate.
    pub uris: Vec<String>,
}

impl GoSans {
    /// Reads the certificate's subjectAltName.
    pub(super) fn of(cert: &Certificate) -> Self {
        let mut sans = Self::default();
        for name in cert.alt_name_entries() {
            let text = || String::from_utf8_lossy(name.value).into_owned();
            match name.tag {
                0x81 => sans.emails.push(text()),
                0x82 => sans.dns.push(text()),
                0x86 => sans.uris.push(text()),
                0x87 => {
                    if let Some(ip) = ip_text(name.value) {
                        sans.ips.push(ip);
                    }
                }
                _ => {}
            }
        }
        sans
    }

    /// Traefik's `SAN` list: DNS names, then e-mails, then IPs, then URIs.
    pub(super) fn traefik_order(&self) -> Vec<String> {
        self.dns
            .iter()
            .chain(&self.emails)
            .chain(&self.ips)
            .chain(&self.uris)
            .cloned()
            .collect()
    }
}

/// `net.IP.String` for 4- and 16-byte addresses (an IPv4-mapped IPv6 address prints as IPv4).
fn ip_text(bytes: &[u8]) -> Option<String> {
    match bytes.len() {
        4 => Some(std::net::Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_string()),
        16 => {
            let octets: [u8; 16] = bytes.try_into().ok()?;
            let address = std::net::Ipv6Addr::from(octets);
            Some(match address.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => address.to_string(),
            })
        }
        _ => None,
    }
}

/// Why Go's parser refuses an encoded time, if it does: UTCTime as `YYMMDDhhmm[ss]` and
/// GeneralizedTime as `YYYYMMDDhhmmss`, each ending in `Z` or a `±hhmm` offset, and nothing
/// that does not print back the same way.
pub(super) fn time_refusal(time_der: &[u8]) -> Option<String> {
    let (time_tag, text) = crate::certificate::time::split(time_der)?;
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let zone = &text[digits..];
    let digits_ok = if time_tag == tag::UTC_TIME {
        digits == 10 || digits == 12
    } else {
        digits == 14
    };
    let zone_ok = zone == "Z"
        || (zone.len() == 5
            && matches!(zone.as_bytes()[0], b'+' | b'-')
            && zone[1..].bytes().all(|b| b.is_ascii_digit())
            && &zone[1..] != "0000");
    (!(digits_ok && zone_ok) || crate::certificate::decode_time(time_der).is_none())
        .then(|| format!("Go cannot parse the time \"{text}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];

    fn name(hex: &str) -> GoName {
        GoName::parse(&crate::certificate::hex::decode(hex).unwrap()).unwrap()
    }

    #[test]
    fn pkix_name_string_reorders_and_escapes() {
        // C=US, ST=Texas, L=Austin, O=Access Testing, OU=TX, CN=Access Testing CA
        let n = name(
            "3070310b3009060355040613025553310e300c060355040813055465786173310f300d0603550407130641757374696e31173015060355040a130e4163636573732054657374696e67310b3009060355040b13025458311a3018060355040313114163636573732054657374696e67204341",
        );
        assert_eq!(
            n.string(),
            "CN=Access Testing CA,OU=TX,O=Access Testing,L=Austin,ST=Texas,C=US"
        );
        assert_eq!(
            n.traefik(true),
            "C=US,ST=Texas,L=Austin,O=Access Testing,OU=TX,CN=Access Testing CA"
        );
        assert_eq!(
            n.traefik(false),
            "C=US,ST=Texas,L=Austin,O=Access Testing,CN=Access Testing CA"
        );
        // O=Cloudflare, Inc.
        assert_eq!(
            name("301b31193017060355040a0c10436c6f7564666c6172652c20496e632e").string(),
            "O=Cloudflare\\, Inc."
        );
        // CN=" lead" escapes the leading space; CN="#hash" the leading #.
        assert_eq!(
            name("3010310e300c06035504030c05206c656164").string(),
            "CN=\\ lead"
        );
        assert_eq!(
            name("3010310e300c06035504030c052368617368").string(),
            "CN=\\#hash"
        );
    }

    #[test]
    fn unnamed_attributes_print_as_hex_der_at_the_end() {
        // CN=alice, emailAddress=alice@example.com
        let der = crate::certificate::der::encode(
            0x30,
            &[
                crate::certificate::der::encode(
                    0x31,
                    &crate::certificate::der::encode(
                        0x30,
                        &[
                            crate::certificate::der::encode(0x06, COMMON_NAME),
                            crate::certificate::der::encode(0x0C, b"alice"),
                        ]
                        .concat(),
                    ),
                ),
                crate::certificate::der::encode(
                    0x31,
                    &crate::certificate::der::encode(
                        0x30,
                        &[
                            crate::certificate::der::encode(
                                0x06,
                                &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01],
                            ),
                            crate::certificate::der::encode(0x16, b"a@b.c"),
                        ]
                        .concat(),
                    ),
                ),
            ]
            .concat(),
        );
        let n = GoName::parse(&der).unwrap();
        assert_eq!(n.string(), "CN=alice,1.2.840.113549.1.9.1=#0c056140622e63");
    }

    #[test]
    fn go_refuses_what_its_parser_refuses() {
        // UniversalString CN
        assert!(
            GoName::parse(
                &crate::certificate::hex::decode(
                    "30173115301306035504031c0c0000005a000000fc0001f600"
                )
                .unwrap()
            )
            .is_err()
        );
    }
}
