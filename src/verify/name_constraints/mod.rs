//! Name constraints as each library enforces them (`NAME_CONSTRAINTS_check`, BoringSSL's
//! `crypto/x509/v3_ncons.cc` and OpenSSL 3's `crypto/x509/v3_ncons.c`): the subject as a
//! directoryName, its emailAddress attributes, and every subjectAltName, each against the
//! permitted and excluded subtrees of its own type, for every certificate of the chain under
//! every CA above it (`check_name_constraints`).
//!
//! Where they differ: BoringSSL checks directoryName, dNSName, rfc822Name and URI only (an
//! iPAddress constraint meeting an address is `unsupported name constraint type`), refuses any
//! minimum or maximum, parses URIs and e-mail addresses strictly, and refuses a leaf without
//! subjectAltName whose common name looks like a host; OpenSSL also checks iPAddress, accepts a
//! minimum of 0, compares names more loosely, and checks such a common name as a dNSName.

use crate::certificate::der::{self, Reader, Tlv, tag};
use crate::certificate::{Certificate, canonical_name};
use crate::notation::TlsLibrary;

mod boringssl;
mod openssl;

use super::{Run, VerifyError};

const NAME_CONSTRAINTS: &[u8] = &[0x55, 0x1D, 0x1E];
const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1D, 0x11];
/// 2.5.4.3
const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
/// 1.2.840.113549.1.9.1
const EMAIL_ADDRESS: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01];

/// GeneralName tags (context-specific).
const RFC822: u8 = 0x81;
const DNS: u8 = 0x82;
const DIRECTORY: u8 = 0xA4;
const URI: u8 = 0x86;
const IP: u8 = 0x87;

/// One name or constraint base: its GeneralName tag and content.
#[derive(Debug, Clone, Copy)]
struct GeneralName<'a> {
    tag: u8,
    value: &'a [u8],
}

/// One GeneralSubtree: the base, its minimum (absent: 0) and whether a maximum was given.
#[derive(Debug)]
struct Subtree<'a> {
    base: GeneralName<'a>,
    minimum: Option<&'a [u8]>,
    maximum: bool,
}

impl Subtree<'_> {
    /// BoringSSL refuses any minimum or maximum; OpenSSL (`nc_minmax_valid`) a minimum of 0.
    fn min_max_refused(&self, rules: TlsLibrary) -> bool {
        match rules {
            TlsLibrary::BoringSsl => self.minimum.is_some() || self.maximum,
            TlsLibrary::OpenSsl => {
                self.maximum || self.minimum.is_some_and(|m| m.iter().any(|&b| b != 0))
            }
        }
    }
}

/// A CA's nameConstraints extension.
#[derive(Debug)]
pub(super) struct NameConstraints<'a> {
    permitted: Vec<Subtree<'a>>,
    excluded: Vec<Subtree<'a>>,
}

impl<'a> NameConstraints<'a> {
    /// The constraints `cert` imposes, if it has the extension (unreadable ones impose none).
    pub(super) fn of(cert: &'a Certificate) -> Option<Self> {
        let extension = cert.extension(NAME_CONSTRAINTS)?;
        let sequence = der::parse_single(extension.value, tag::SEQUENCE, "NameConstraints").ok()?;
        let mut fields = sequence.reader();
        let permitted = match fields.read_optional(0xA0).ok()? {
            Some(list) => subtrees(list)?,
            None => Vec::new(),
        };
        let excluded = match fields.read_optional(0xA1).ok()? {
            Some(list) => subtrees(list)?,
            None => Vec::new(),
        };
        Some(Self {
            permitted,
            excluded,
        })
    }

    /// `NAME_CONSTRAINTS_check`: the first violation among `cert`'s names.
    fn check(&self, cert: &Certificate, rules: TlsLibrary) -> Result<(), VerifyError> {
        let alt_names = alt_names(cert);
        let subject = der::parse_single(cert.subject_der(), tag::SEQUENCE, "Name").ok();
        let entries = subject.map_or(0, |s| count_entries(s));
        let checks =
            (self.permitted.len() + self.excluded.len()).saturating_mul(entries + alt_names.len());
        if checks > 1 << 20 {
            return Err(VerifyError::Unspecified);
        }
        if entries > 0 {
            self.check_name(
                GeneralName {
                    tag: DIRECTORY,
                    value: cert.subject_der(),
                },
                rules,
                false,
            )?;
            for email in attribute_values(cert.subject_der(), EMAIL_ADDRESS) {
                if email.tag != 0x16 {
                    return Err(VerifyError::UnsupportedNameSyntax);
                }
                self.check_name(
                    GeneralName {
                        tag: RFC822,
                        value: email.value,
                    },
                    rules,
                    true,
                )?;
            }
        }
        for name in alt_names {
            self.check_name(name, rules, false)?;
        }
        Ok(())
    }

    /// OpenSSL's `NAME_CONSTRAINTS_check_CN`: each common name that reads as a host name of
    /// two or more labels, as a dNSName.
    fn check_common_names(&self, cert: &Certificate) -> Result<(), VerifyError> {
        for value in attribute_values(cert.subject_der(), COMMON_NAME) {
            let Some(mut text) = string_bytes(value) else {
                continue;
            };
            while text.last() == Some(&0) {
                text.pop();
            }
            if text.contains(&0) {
                return Err(VerifyError::UnsupportedNameSyntax);
            }
            if openssl::dns_id(&text) {
                self.check_name(
                    GeneralName {
                        tag: DNS,
                        value: &text,
                    },
                    TlsLibrary::OpenSsl,
                    false,
                )?;
            }
        }
        Ok(())
    }

    /// `nc_match`: permitted subtrees of the name's type (one must match, if any exist), then
    /// excluded ones (none may).
    fn check_name(
        &self,
        name: GeneralName<'_>,
        rules: TlsLibrary,
        exclude_local_part_any_case: bool,
    ) -> Result<(), VerifyError> {
        let mut matched = None;
        for subtree in self.permitted.iter().filter(|s| s.base.tag == name.tag) {
            if subtree.min_max_refused(rules) {
                return Err(VerifyError::SubtreeMinMax);
            }
            if matched == Some(true) {
                continue;
            }
            matched = Some(match match_one(name, subtree.base, rules, false, false) {
                Ok(()) => true,
                Err(VerifyError::PermittedViolation) => false,
                Err(other) => return Err(other),
            });
        }
        if matched == Some(false) {
            return Err(VerifyError::PermittedViolation);
        }
        for subtree in self.excluded.iter().filter(|s| s.base.tag == name.tag) {
            if subtree.min_max_refused(rules) {
                return Err(VerifyError::SubtreeMinMax);
            }
            match match_one(name, subtree.base, rules, true, exclude_local_part_any_case) {
                Ok(()) => return Err(VerifyError::ExcludedViolation),
                Err(VerifyError::PermittedViolation) => {}
                Err(other) => return Err(other),
            }
        }
        Ok(())
    }
}

/// `check_name_constraints`: every certificate (self-issued intermediates excepted) against
/// the constraints of every certificate above it, trust anchor included; each violation is
/// reported, the last one wins.
pub(super) fn check_chain(run: &mut Run, chain: &[Certificate]) {
    let rules = run.rules;
    let mut constrained = false;
    for i in (0..chain.len()).rev() {
        let cert = &chain[i];
        if i > 0 && cert.is_self_issued() {
            continue;
        }
        for j in (i + 1..chain.len()).rev() {
            let Some(constraints) = NameConstraints::of(&chain[j]) else {
                continue;
            };
            constrained = true;
            let mut result = constraints.check(cert, rules);
            // OpenSSL also reads a leaf's host-like common names when it has no dNSName.
            if rules == TlsLibrary::OpenSsl && result.is_ok() && i == 0 && !has_dns_alt_name(cert) {
                result = constraints.check_common_names(cert);
            }
            if let Err(error) = result {
                let detail = format!(
                    "a name of {} breaks the name constraints of {} ({})",
                    run.name(cert.subject_der()),
                    run.name(chain[j].subject_der()),
                    error.reason(rules)
                );
                run.fail("name constraints", Some(i), error, detail);
            }
        }
    }
    if rules == TlsLibrary::BoringSsl
        && constrained
        && let Some(leaf) = chain.first()
        && cert_alt_names_absent(leaf)
        && common_name_looks_like_dns(leaf)
    {
        run.fail(
            "name constraints",
            Some(0),
            VerifyError::NameConstraintsWithoutSans,
            "a CA above the certificate has name constraints, and the certificate has no subjectAltName but a common name that looks like a host name; BoringSSL refuses that — add a subjectAltName".into(),
        );
    }
}

/// Whether the certificate has no subjectAltName extension at all.
fn cert_alt_names_absent(cert: &Certificate) -> bool {
    cert.extension(SUBJECT_ALT_NAME).is_none()
}

fn has_dns_alt_name(cert: &Certificate) -> bool {
    alt_names(cert).iter().any(|name| name.tag == DNS)
}

/// BoringSSL's `reject_dns_name_in_common_name`: a common name that looks like a host name.
fn common_name_looks_like_dns(cert: &Certificate) -> bool {
    attribute_values(cert.subject_der(), COMMON_NAME)
        .into_iter()
        .any(|value| string_bytes(value).is_some_and(|text| looks_like_dns_name(&text)))
}

fn subtrees<'a>(list: Tlv<'a>) -> Option<Vec<Subtree<'a>>> {
    let mut reader = list.reader();
    let mut out = Vec::new();
    while !reader.is_empty() {
        let subtree = reader.read(tag::SEQUENCE, "GeneralSubtree").ok()?;
        let mut fields = subtree.reader();
        let base = fields.read_any().ok()?;
        let minimum = fields.read_optional(0x80).ok()?.map(|m| m.value);
        let maximum = fields.read_optional(0x81).ok()?.is_some();
        out.push(Subtree {
            base: general_name(base)?,
            minimum,
            maximum,
        });
    }
    Some(out)
}

/// A GeneralName's tag and content; a directoryName's content is the Name's DER.
fn general_name(tlv: Tlv<'_>) -> Option<GeneralName<'_>> {
    let value = if tlv.tag == DIRECTORY {
        Reader::new(tlv.value).read(tag::SEQUENCE, "Name").ok()?.raw
    } else {
        tlv.value
    };
    Some(GeneralName {
        tag: tlv.tag,
        value,
    })
}

fn alt_names(cert: &Certificate) -> Vec<GeneralName<'_>> {
    cert.alt_name_entries()
        .into_iter()
        .filter_map(general_name)
        .collect()
}

fn count_entries(name: Tlv<'_>) -> usize {
    let mut rdns = name.reader();
    let mut count = 0;
    while let Ok(rdn) = rdns.read_any() {
        let mut avas = rdn.reader();
        while avas.read_any().is_ok() {
            count += 1;
        }
    }
    count
}

/// The values of every `oid` attribute of a Name, in order.
fn attribute_values<'a>(name: &'a [u8], oid: &[u8]) -> Vec<Tlv<'a>> {
    let Ok(name) = der::parse_single(name, tag::SEQUENCE, "Name") else {
        return Vec::new();
    };
    let mut values = Vec::new();
    let mut rdns = name.reader();
    while let Ok(rdn) = rdns.read_any() {
        let mut avas = rdn.reader();
        while let Ok(ava) = avas.read_any() {
            let mut fields = ava.reader();
            if let (Ok(kind), Ok(value)) = (fields.read(tag::OID, "type"), fields.read_any())
                && kind.value == oid
            {
                values.push(value);
            }
        }
    }
    values
}

/// `ASN1_STRING_to_UTF8` for the string types a common name uses.
fn string_bytes(value: Tlv<'_>) -> Option<Vec<u8>> {
    match value.tag {
        0x1E => Some(
            String::from_utf16_lossy(
                &value
                    .value
                    .chunks_exact(2)
                    .map(|u| u16::from_be_bytes([u[0], u[1]]))
                    .collect::<Vec<_>>(),
            )
            .into_bytes(),
        ),
        0x0C | 0x13 | 0x14 | 0x16 | 0x1A | 0x12 => Some(value.value.to_vec()),
        _ => None,
    }
}

/// `x509v3_looks_like_dns_name`: letters, digits, `-` inside labels, `_` and `:`; non-empty
/// labels; an optional leading `*.` and trailing dot.
fn looks_like_dns_name(name: &[u8]) -> bool {
    let name = name.strip_suffix(b".").unwrap_or(name);
    let name = name.strip_prefix(b"*.").unwrap_or(name);
    if name.is_empty() {
        return false;
    }
    let mut label_start = 0;
    for (i, &c) in name.iter().enumerate() {
        if c.is_ascii_alphanumeric() || (c == b'-' && i > label_start) || c == b'_' || c == b':' {
            continue;
        }
        if c == b'.' && i > label_start && i < name.len() - 1 {
            label_start = i + 1;
            continue;
        }
        return false;
    }
    true
}

/// `nc_match_single`: `Err(PermittedViolation)` when the name is outside the base.
fn match_one(
    name: GeneralName<'_>,
    base: GeneralName<'_>,
    rules: TlsLibrary,
    excluding: bool,
    local_part_any_case: bool,
) -> Result<(), VerifyError> {
    if base.tag == DIRECTORY {
        return if canonical_name(name.value).starts_with(&canonical_name(base.value)) {
            Ok(())
        } else {
            outside()
        };
    }
    match (rules, base.tag) {
        (TlsLibrary::BoringSsl, DNS) => boringssl::dns(name.value, base.value, excluding),
        (TlsLibrary::BoringSsl, RFC822) => {
            boringssl::email(name.value, base.value, local_part_any_case)
        }
        (TlsLibrary::BoringSsl, URI) => boringssl::uri(name.value, base.value),
        (TlsLibrary::OpenSsl, DNS) => openssl::dns(name.value, base.value),
        (TlsLibrary::OpenSsl, RFC822) => openssl::email(name.value, base.value),
        (TlsLibrary::OpenSsl, URI) => openssl::uri(name.value, base.value),
        (TlsLibrary::OpenSsl, IP) => openssl::ip(name.value, base.value),
        _ => Err(VerifyError::UnsupportedConstraintType),
    }
}

pub(super) fn outside() -> Result<(), VerifyError> {
    Err(VerifyError::PermittedViolation)
}

pub(super) fn has_suffix_any_case(text: &[u8], suffix: &[u8]) -> bool {
    text.len() >= suffix.len() && text[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

#[cfg(test)]
mod tests {
    use super::boringssl::{dns, email, uri, uri_host};
    use super::*;

    #[test]
    fn dns_names_match_whole_labels() {
        assert!(dns(b"a.example.com", b"example.com", false).is_ok());
        assert!(dns(b"example.com", b"example.com", false).is_ok());
        assert!(dns(b"badexample.com", b"example.com", false).is_err());
        assert!(dns(b"a.example.com", b".example.com", false).is_ok());
        assert!(dns(b"example.com", b".example.com", false).is_err());
        assert!(dns(b"*.example.com", b"foo.example.com", true).is_ok());
        assert!(dns(b"A.Example.COM.", b"example.com", false).is_ok());
    }

    #[test]
    fn email_constraints_follow_rfc_5280() {
        assert!(email(b"root@example.com", b"root@example.com", false).is_ok());
        assert!(email(b"Root@example.com", b"root@example.com", false).is_err());
        assert!(email(b"Root@example.com", b"root@example.com", true).is_ok());
        assert!(email(b"x@mail.example.com", b".example.com", false).is_ok());
        assert!(email(b"x@example.com", b".example.com", false).is_err());
        assert!(email(b"x@EXAMPLE.com", b"example.com", false).is_ok());
        assert!(matches!(
            email(b"no-at-sign", b"example.com", false),
            Err(VerifyError::UnsupportedNameSyntax)
        ));
    }

    #[test]
    fn uri_hosts_must_be_domain_names() {
        assert_eq!(
            uri_host(b"https://api.example.com:8443/x"),
            Some(&b"api.example.com"[..])
        );
        assert_eq!(uri_host(b"https://10.0.0.1/"), None);
        assert_eq!(uri_host(b"https://user@example.com/"), None);
        assert!(uri(b"https://api.example.com/", b".example.com").is_ok());
        assert!(uri(b"https://example.com/", b".example.com").is_err());
    }

    #[test]
    fn decorative_common_names_do_not_look_like_hosts() {
        assert!(looks_like_dns_name(b"client"));
        assert!(looks_like_dns_name(b"api.example.com"));
        assert!(!looks_like_dns_name(b"Alice Smith"));
        assert!(!looks_like_dns_name(b"-leading"));
    }
}
