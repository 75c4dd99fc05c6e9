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
use crate::fields::Profile;

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
    fn min_max_refused(&self, profile: Profile) -> bool {
        match profile {
            Profile::Cloudflare => self.minimum.is_some() || self.maximum,
            Profile::Nginx => {
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
    fn check(&self, cert: &Certificate, profile: Profile) -> Result<(), VerifyError> {
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
                profile,
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
                    profile,
                    true,
                )?;
            }
        }
        for name in alt_names {
            self.check_name(name, profile, false)?;
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
            if openssl_dns_id(&text) {
                self.check_name(
                    GeneralName {
                        tag: DNS,
                        value: &text,
                    },
                    Profile::Nginx,
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
        profile: Profile,
        exclude_local_part_any_case: bool,
    ) -> Result<(), VerifyError> {
        let mut matched = None;
        for subtree in self.permitted.iter().filter(|s| s.base.tag == name.tag) {
            if subtree.min_max_refused(profile) {
                return Err(VerifyError::SubtreeMinMax);
            }
            if matched == Some(true) {
                continue;
            }
            matched = Some(match match_one(name, subtree.base, profile, false, false) {
                Ok(()) => true,
                Err(VerifyError::PermittedViolation) => false,
                Err(other) => return Err(other),
            });
        }
        if matched == Some(false) {
            return Err(VerifyError::PermittedViolation);
        }
        for subtree in self.excluded.iter().filter(|s| s.base.tag == name.tag) {
            if subtree.min_max_refused(profile) {
                return Err(VerifyError::SubtreeMinMax);
            }
            match match_one(
                name,
                subtree.base,
                profile,
                true,
                exclude_local_part_any_case,
            ) {
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
    let profile = run.profile;
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
            let mut result = constraints.check(cert, profile);
            // OpenSSL also reads a leaf's host-like common names when it has no dNSName.
            if profile == Profile::Nginx && result.is_ok() && i == 0 && !has_dns_alt_name(cert) {
                result = constraints.check_common_names(cert);
            }
            if let Err(error) = result {
                let detail = format!(
                    "a name of {} breaks the name constraints of {} ({})",
                    run.name(cert.subject_der()),
                    run.name(chain[j].subject_der()),
                    error.reason(profile)
                );
                run.fail("name constraints", Some(i), error, detail);
            }
        }
    }
    if profile == Profile::Cloudflare
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
    let Some(extension) = cert.extension(SUBJECT_ALT_NAME) else {
        return Vec::new();
    };
    let Ok(sequence) = der::parse_single(extension.value, tag::SEQUENCE, "GeneralNames") else {
        return Vec::new();
    };
    let mut reader = sequence.reader();
    let mut names = Vec::new();
    while let Ok(name) = reader.read_any() {
        if let Some(name) = general_name(name) {
            names.push(name);
        }
    }
    names
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
    profile: Profile,
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
    match (profile, base.tag) {
        (Profile::Cloudflare, DNS) => dns(name.value, base.value, excluding),
        (Profile::Cloudflare, RFC822) => email(name.value, base.value, local_part_any_case),
        (Profile::Cloudflare, URI) => uri(name.value, base.value),
        (Profile::Nginx, DNS) => openssl::dns(name.value, base.value),
        (Profile::Nginx, RFC822) => openssl::email(name.value, base.value),
        (Profile::Nginx, URI) => openssl::uri(name.value, base.value),
        (Profile::Nginx, IP) => openssl::ip(name.value, base.value),
        _ => Err(VerifyError::UnsupportedConstraintType),
    }
}

/// OpenSSL 3's matchers (`nc_dns`, `nc_email`, `nc_uri`, `nc_ip`).
mod openssl {
    use super::{VerifyError, has_suffix_any_case, outside};

    pub(super) fn dns(name: &[u8], base: &[u8]) -> Result<(), VerifyError> {
        if base.is_empty() {
            return Ok(());
        }
        if name.len() < base.len() {
            return outside();
        }
        let split = name.len() - base.len();
        if split > 0 && base[0] != b'.' && name[split - 1] != b'.' {
            return outside();
        }
        if name[split..].eq_ignore_ascii_case(base) {
            Ok(())
        } else {
            outside()
        }
    }

    pub(super) fn email(name: &[u8], base: &[u8]) -> Result<(), VerifyError> {
        let Some(name_at) = name.iter().rposition(|&c| c == b'@') else {
            return Err(VerifyError::UnsupportedNameSyntax);
        };
        let base_at = base.iter().rposition(|&c| c == b'@');
        if base_at.is_none() && base.first() == Some(&b'.') {
            return if name.len() > base.len() && has_suffix_any_case(name, base) {
                Ok(())
            } else {
                outside()
            };
        }
        let mut base_host = base;
        if let Some(at) = base_at {
            if at != 0 {
                if at != name_at {
                    return outside();
                }
                if base[..at].contains(&0) || name[..name_at].contains(&0) {
                    return Err(VerifyError::UnsupportedNameSyntax);
                }
                if base[..at] != name[..name_at] {
                    return outside();
                }
            }
            base_host = &base[at + 1..];
        }
        if base_host.eq_ignore_ascii_case(&name[name_at + 1..]) {
            Ok(())
        } else {
            outside()
        }
    }

    /// The host runs from after `scheme://` to the first `:` after it, else the first `/`.
    pub(super) fn uri(name: &[u8], base: &[u8]) -> Result<(), VerifyError> {
        let colon = name
            .iter()
            .position(|&c| c == b':')
            .ok_or(VerifyError::UnsupportedNameSyntax)?;
        if name.len() - colon < 3 || name[colon + 1] != b'/' || name[colon + 2] != b'/' {
            return Err(VerifyError::UnsupportedNameSyntax);
        }
        let rest = &name[colon + 3..];
        let end = rest
            .iter()
            .position(|&c| c == b':')
            .or_else(|| rest.iter().position(|&c| c == b'/'))
            .unwrap_or(rest.len());
        let host = &rest[..end];
        if host.is_empty() {
            return Err(VerifyError::UnsupportedNameSyntax);
        }
        if base.first() == Some(&b'.') {
            return if host.len() > base.len() && has_suffix_any_case(host, base) {
                Ok(())
            } else {
                outside()
            };
        }
        if host.eq_ignore_ascii_case(base) {
            Ok(())
        } else {
            outside()
        }
    }

    pub(super) fn ip(name: &[u8], base: &[u8]) -> Result<(), VerifyError> {
        if !matches!(name.len(), 4 | 16) || !matches!(base.len(), 8 | 32) {
            return Err(VerifyError::UnsupportedNameSyntax);
        }
        if name.len() * 2 != base.len() {
            return outside();
        }
        let (network, mask) = base.split_at(name.len());
        let inside = name
            .iter()
            .zip(network)
            .zip(mask)
            .all(|((n, b), m)| n & m == b & m);
        if inside { Ok(()) } else { outside() }
    }
}

/// OpenSSL's `cn2dnsid`: letters, digits and `_`; `-` and `.` inside only, a `.` never next to
/// another `.` or a `-`; and at least one `.`.
fn openssl_dns_id(name: &[u8]) -> bool {
    let mut dotted = false;
    for (i, &c) in name.iter().enumerate() {
        if c.is_ascii_alphanumeric() || c == b'_' {
            continue;
        }
        if i > 0 && i < name.len() - 1 {
            if c == b'-' {
                continue;
            }
            if c == b'.' && name[i + 1] != b'.' && name[i - 1] != b'-' && name[i + 1] != b'-' {
                dotted = true;
                continue;
            }
        }
        return false;
    }
    dotted
}

fn outside() -> Result<(), VerifyError> {
    Err(VerifyError::PermittedViolation)
}

fn has_suffix_any_case(text: &[u8], suffix: &[u8]) -> bool {
    text.len() >= suffix.len() && text[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

/// `nc_dns`.
fn dns(name: &[u8], base: &[u8], excluding: bool) -> Result<(), VerifyError> {
    if base.is_empty() {
        return Ok(());
    }
    let name = name.strip_suffix(b".").unwrap_or(name);
    let base = base.strip_suffix(b".").unwrap_or(base);
    // "*.bar.com" is inside an excluded "foo.bar.com".
    if excluding
        && let Some(parent) = name.strip_prefix(b"*.")
        && let Some(dot) = base.iter().position(|&c| c == b'.')
        && parent.eq_ignore_ascii_case(&base[dot + 1..])
    {
        return Ok(());
    }
    if base.first() == Some(&b'.') {
        return if has_suffix_any_case(name, base) {
            Ok(())
        } else {
            outside()
        };
    }
    let name = if name.len() > base.len() {
        let split = name.len() - base.len();
        if name[split - 1] != b'.' {
            return outside();
        }
        &name[split..]
    } else {
        name
    };
    if name.eq_ignore_ascii_case(base) {
        Ok(())
    } else {
        outside()
    }
}

fn local_part_allowed(part: &[u8]) -> bool {
    !part.is_empty()
        && part
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~.".contains(&c))
}

fn domain_allowed(part: &[u8]) -> bool {
    !part.is_empty()
        && part
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.')
}

/// `nc_email`.
fn email(name: &[u8], base: &[u8], local_part_any_case: bool) -> Result<(), VerifyError> {
    let mut parts = name.splitn(2, |&c| c == b'@');
    let (Some(local), Some(domain)) = (parts.next(), parts.next()) else {
        return Err(VerifyError::UnsupportedNameSyntax);
    };
    if domain.contains(&b'@') || !local_part_allowed(local) || !domain_allowed(domain) {
        return Err(VerifyError::UnsupportedNameSyntax);
    }
    let (base_local, base_domain) = match base.iter().position(|&c| c == b'@') {
        Some(at) => {
            let (l, d) = (&base[..at], &base[at + 1..]);
            if d.contains(&b'@') || !local_part_allowed(l) {
                return Err(VerifyError::UnsupportedNameSyntax);
            }
            (Some(l), d)
        }
        None => (None, base),
    };
    if !domain_allowed(base_domain) {
        return Err(VerifyError::UnsupportedNameSyntax);
    }
    if let Some(base_local) = base_local {
        let local_matches = if local_part_any_case {
            base_local.eq_ignore_ascii_case(local)
        } else {
            base_local == local
        };
        return if local_matches && base_domain.eq_ignore_ascii_case(domain) {
            Ok(())
        } else {
            outside()
        };
    }
    if base_domain.first() == Some(&b'.') {
        return if has_suffix_any_case(domain, base_domain) {
            Ok(())
        } else {
            outside()
        };
    }
    if base_domain.eq_ignore_ascii_case(domain) {
        Ok(())
    } else {
        outside()
    }
}

/// `nc_uri`: the URI's host, a fully qualified domain name, against the base.
fn uri(name: &[u8], base: &[u8]) -> Result<(), VerifyError> {
    let host = uri_host(name).ok_or(VerifyError::UnsupportedNameSyntax)?;
    let base = base.strip_suffix(b".").unwrap_or(base);
    let leading_dot = base.first() == Some(&b'.');
    let fqdn = if leading_dot { &base[1..] } else { base };
    if !is_fqdn(fqdn) {
        return Err(VerifyError::UnsupportedConstraintSyntax);
    }
    if leading_dot {
        return if has_suffix_any_case(host, base) {
            Ok(())
        } else {
            outside()
        };
    }
    if base.eq_ignore_ascii_case(host) {
        Ok(())
    } else {
        outside()
    }
}

/// `nc_get_valid_uri_host`: `scheme://authority…`, the authority's host without port or
/// trailing dot, which must be a fully qualified domain name.
fn uri_host(uri: &[u8]) -> Option<&[u8]> {
    let colon = uri.iter().position(|&c| c == b':')?;
    let (scheme, rest) = (&uri[..colon], &uri[colon + 1..]);
    let (first, others) = scheme.split_first()?;
    if !first.is_ascii_alphabetic()
        || !others
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
    {
        return None;
    }
    let rest = rest.strip_prefix(b"//")?;
    let end = rest
        .iter()
        .position(|c| b"/?#".contains(c))
        .unwrap_or(rest.len());
    let mut authority = &rest[..end];
    if authority.is_empty() {
        return None;
    }
    if let Some(colon) = authority.iter().position(|&c| c == b':') {
        if !authority[colon + 1..].iter().all(u8::is_ascii_digit) {
            return None;
        }
        authority = &authority[..colon];
    }
    let host = authority.strip_suffix(b".").unwrap_or(authority);
    is_fqdn(host).then_some(host)
}

/// `nc_uri_is_fqdn`: letter-digit-hyphen labels of 1–63 characters, no userinfo or
/// brackets, and a last label that is not a number (an IPv4 address).
fn is_fqdn(host: &[u8]) -> bool {
    if host.is_empty() || host.iter().any(|c| b"@[]".contains(c)) {
        return false;
    }
    let labels: Vec<&[u8]> = host.split(|&c| c == b'.').collect();
    for label in &labels {
        let (Some(first), Some(last)) = (label.first(), label.last()) else {
            return false;
        };
        if label.len() > 63
            || !first.is_ascii_alphanumeric()
            || !last.is_ascii_alphanumeric()
            || !label
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || c == b'-')
        {
            return false;
        }
    }
    let last = labels.last().copied().unwrap_or_default();
    if let Some(hex) = last
        .strip_prefix(b"0x")
        .or_else(|| last.strip_prefix(b"0X"))
    {
        return !hex.iter().all(u8::is_ascii_hexdigit);
    }
    !last.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
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
