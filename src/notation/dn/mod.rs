//! Distinguished names in the two forms the edge shows: RFC 2253 (`X509_NAME_print_ex` with
//! `XN_FLAG_RFC2253`) and the legacy one-line form (`X509_NAME_oneline`), per profile.
//!
//! The algorithms follow docs/fields.md, "Distinguished names"; every branch here is there because
//! BoringSSL or OpenSSL 3 prints that byte that way.

use crate::certificate::der::{self, DerError, Reader, tag};
use crate::certificate::hex;

use super::TlsLibrary;
use super::oid_names;

/// One attribute of a name, in DER order, with the index of the RDN (SET) it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry<'a> {
    /// Index of the RelativeDistinguishedName (SET) the attribute belongs to.
    pub(crate) rdn: usize,
    /// The attribute type's OID content octets.
    pub(crate) oid: &'a [u8],
    /// The value's tag (`0x0C` UTF8String, `0x13` PrintableString, …).
    pub(crate) value_tag: u8,
    /// The value's content octets.
    pub(crate) value: &'a [u8],
    /// The value's whole TLV.
    pub(crate) value_raw: &'a [u8],
}

/// A name the profile's library would refuse to parse, so the edge would never show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected(pub String);

/// Both printed forms of one Name, plus what the profile's library would refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormattedName {
    /// RFC 2253 form (`certSubjectDN`, `certSubjectDNRFC2253`).
    pub rfc2253: String,
    /// Legacy one-line form (`certSubjectDNLegacy`).
    pub legacy: String,
    /// Why the edge's TLS library would reject this name at parse time, if it would.
    pub rejected: Option<Rejected>,
}

/// Formats a DER `Name` (the complete SEQUENCE) both ways for `profile`.
pub fn format_name(name_der: &[u8], rules: TlsLibrary) -> Result<FormattedName, DerError> {
    let entries = parse_name(name_der)?;
    let mut rejected = None;
    for entry in &entries {
        if let Some(reason) = rejection(entry, rules) {
            rejected.get_or_insert(Rejected(reason));
        }
    }
    Ok(FormattedName {
        rfc2253: rfc2253(&entries, rules),
        legacy: legacy(&entries, rules),
        rejected,
    })
}

/// Every attribute of a DER `Name`, in DER order.
pub(crate) fn parse_name(name_der: &[u8]) -> Result<Vec<Entry<'_>>, DerError> {
    let name = der::parse_single(name_der, tag::SEQUENCE, "Name")?;
    let mut rdns = name.reader();
    let mut entries = Vec::new();
    let mut index = 0;
    while !rdns.is_empty() {
        let set = rdns.read(tag::SET, "RelativeDistinguishedName SET")?;
        let mut avas = set.reader();
        if avas.is_empty() {
            return Err(DerError::Invalid("empty RelativeDistinguishedName"));
        }
        while !avas.is_empty() {
            let ava = avas.read(tag::SEQUENCE, "AttributeTypeAndValue")?;
            let mut parts: Reader<'_> = ava.reader();
            let oid = parts.read(tag::OID, "attribute type OID")?;
            let value = parts.read_any()?;
            if !parts.is_empty() {
                return Err(DerError::Invalid("extra data in AttributeTypeAndValue"));
            }
            entries.push(Entry {
                rdn: index,
                oid: oid.value,
                value_tag: value.tag,
                value: value.value,
                value_raw: value.raw,
            });
        }
        index += 1;
    }
    Ok(entries)
}

/// The attribute key: the library's short name, or the dotted OID cut to 79 characters
/// (`OBJ_obj2txt` into an 80-byte buffer).
pub(crate) fn key(oid: &[u8], rules: TlsLibrary) -> (String, bool) {
    // The X.520 attributes (2.5.4.n: CN, O, OU, C, …) name almost every RDN: their names are
    // looked up once per library, the same way, instead of per attribute.
    if let [0x55, 0x04, arc] = oid
        && *arc < 0x80
    {
        let names = X520_NAMES.get_or_init(|| {
            let name = |arc: u8, rules| {
                let dotted = format!("2.5.4.{arc}");
                match oid_names::short_name(&dotted, rules) {
                    Some(name) => (name.to_owned(), true),
                    None => (dotted, false),
                }
            };
            (0..0x80u8)
                .map(|arc| {
                    (
                        name(arc, TlsLibrary::BoringSsl),
                        name(arc, TlsLibrary::OpenSsl),
                    )
                })
                .collect()
        });
        let (boringssl, openssl) = &names[usize::from(*arc)];
        return match rules {
            TlsLibrary::BoringSsl => boringssl.clone(),
            TlsLibrary::OpenSsl => openssl.clone(),
        };
    }
    let dotted = der::oid_to_string(oid);
    match oid_names::short_name(&dotted, rules) {
        Some(name) => (name.to_owned(), true),
        None => (truncate_79(dotted), false),
    }
}

/// Each library's key for every 2.5.4.n attribute with a one-octet arc, by arc.
type X520Names = Vec<((String, bool), (String, bool))>;
static X520_NAMES: std::sync::OnceLock<X520Names> = std::sync::OnceLock::new();

fn truncate_79(mut text: String) -> String {
    text.truncate(79);
    text
}

/// How a string type's content maps to code points before UTF-8 conversion.
enum Decoding {
    Utf8,
    Latin1,
    Ucs2,
    Ucs4,
}

fn decoding(value_tag: u8) -> Option<Decoding> {
    match value_tag {
        0x0C => Some(Decoding::Utf8),
        0x12 | 0x13 | 0x14 | 0x16 | 0x17 | 0x18 | 0x1A => Some(Decoding::Latin1),
        0x1C => Some(Decoding::Ucs4),
        0x1E => Some(Decoding::Ucs2),
        _ => None,
    }
}

/// The value's bytes in UTF-8 (as `ASN1_STRFLGS_UTF8_CONVERT` makes them), or `None` when the
/// content is not valid for its type.
fn utf8_bytes(entry: &Entry<'_>, decoding: &Decoding) -> Option<Vec<u8>> {
    match decoding {
        // Both libraries refuse invalid UTF-8 when they parse the certificate.
        Decoding::Utf8 => std::str::from_utf8(entry.value)
            .ok()
            .map(|text| text.as_bytes().to_vec()),
        Decoding::Latin1 if entry.value.is_ascii() => Some(entry.value.to_vec()),
        Decoding::Latin1 => Some(
            entry
                .value
                .iter()
                .map(|&b| char::from(b))
                .collect::<String>()
                .into_bytes(),
        ),
        Decoding::Ucs2 => {
            if !entry.value.len().is_multiple_of(2) {
                return None;
            }
            let units = entry
                .value
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]));
            let mut out = String::new();
            for unit in units {
                out.push(char::from_u32(u32::from(unit))?);
            }
            Some(out.into_bytes())
        }
        Decoding::Ucs4 => {
            if !entry.value.len().is_multiple_of(4) {
                return None;
            }
            let mut out = String::new();
            for c in entry.value.chunks_exact(4) {
                out.push(char::from_u32(u32::from_be_bytes([
                    c[0], c[1], c[2], c[3],
                ]))?);
            }
            Some(out.into_bytes())
        }
    }
}

/// Why the profile's TLS library would refuse this attribute value, if it would.
fn rejection(entry: &Entry<'_>, rules: TlsLibrary) -> Option<String> {
    let (name, _) = key(entry.oid, rules);
    if decoding(entry.value_tag).is_some_and(|d| utf8_bytes(entry, &d).is_none()) {
        return Some(format!(
            "the {name} value is not valid for its string type (tag 0x{:02X})",
            entry.value_tag
        ));
    }
    if rules == TlsLibrary::OpenSsl && !openssl_accepts_tag(entry.value_tag) {
        return Some(format!(
            "OpenSSL 3 refuses the {name} value's ASN.1 type (tag 0x{:02X}) in a name",
            entry.value_tag
        ));
    }
    None
}

/// OpenSSL reads name values as `ASN1_PRINTABLE`: the types in `B_ASN1_PRINTABLE`, plus tags
/// that `ASN1_tag2bit` maps to `B_ASN1_UNKNOWN`.
fn openssl_accepts_tag(value_tag: u8) -> bool {
    matches!(
        value_tag,
        0x03 | 0x0C | 0x12 | 0x13 | 0x14 | 0x16 | 0x1C | 0x1E | 0x30 | 0x07..=0x0B | 0x0D..=0x0F | 0x1D
    )
}

fn rfc2253(entries: &[Entry<'_>], rules: TlsLibrary) -> String {
    let mut out = String::new();
    let mut previous_rdn = None;
    // XN_FLAG_DN_REV reverses the whole flattened list, AVAs of one RDN included.
    for entry in entries.iter().rev() {
        if let Some(previous) = previous_rdn {
            out.push(if previous == entry.rdn { '+' } else { ',' });
        }
        previous_rdn = Some(entry.rdn);
        let (name, known) = key(entry.oid, rules);
        out.push_str(&name);
        out.push('=');
        let bytes = if known {
            decoding(entry.value_tag).and_then(|d| utf8_bytes(entry, &d))
        } else {
            None
        };
        match bytes {
            Some(bytes) => escape_rfc2253(&mut out, &bytes, rules),
            None => {
                out.push('#');
                out.push_str(&hex::upper(entry.value_raw));
            }
        }
    }
    out
}

fn escape_rfc2253(out: &mut String, bytes: &[u8], rules: TlsLibrary) {
    let len = bytes.len();
    for (i, &b) in bytes.iter().enumerate() {
        let last = i + 1 == len;
        // OpenSSL's do_buf overwrites the "first" flag with "last" for a one-byte value.
        let first = i == 0 && !(rules == TlsLibrary::OpenSsl && last);
        if !(0x20..0x7F).contains(&b) {
            hex::push_escaped(out, "\\", b);
        } else if matches!(b, b'\\' | b'"' | b',' | b'+' | b'<' | b'>' | b';')
            || (first && (b == b' ' || b == b'#'))
            || (last && b == b' ')
        {
            out.push('\\');
            out.push(char::from(b));
        } else {
            out.push(char::from(b));
        }
    }
}

fn legacy(entries: &[Entry<'_>], rules: TlsLibrary) -> String {
    let mut out = String::new();
    let mut previous_rdn = None;
    for entry in entries {
        // OpenSSL 3 joins the AVAs of one RDN with '+'; BoringSSL gives each its own '/'.
        let joined = rules == TlsLibrary::OpenSsl && previous_rdn == Some(entry.rdn);
        out.push(if joined { '+' } else { '/' });
        previous_rdn = Some(entry.rdn);
        out.push_str(&key(entry.oid, rules).0);
        out.push('=');
        let data = legacy_data(entry);
        let keep = general_string_mask(entry.value_tag, &data);
        for (j, &b) in data.iter().enumerate() {
            if !keep[j & 3] {
                continue;
            }
            if !(0x20..=0x7E).contains(&b) {
                hex::push_escaped(&mut out, "\\x", b);
            } else {
                if rules == TlsLibrary::OpenSsl && (b == b'/' || b == b'+') {
                    out.push('\\');
                }
                out.push(char::from(b));
            }
        }
    }
    out
}

/// The bytes `X509_NAME_oneline` walks: the ASN1_STRING data, with no charset conversion.
pub(crate) fn legacy_data(entry: &Entry<'_>) -> Vec<u8> {
    match entry.value_tag {
        tag::BIT_STRING => entry.value.get(1..).unwrap_or(&[]).to_vec(),
        tag::INTEGER => integer_magnitude(entry.value),
        t if t & 0x20 != 0 => entry.value_raw.to_vec(),
        _ => entry.value.to_vec(),
    }
}

/// `X509_NAME_oneline`'s GeneralString rule: a 4-byte-aligned value whose bytes 0–2 of every
/// group are zero prints only every fourth byte.
fn general_string_mask(value_tag: u8, data: &[u8]) -> [bool; 4] {
    if value_tag != 0x1B || !data.len().is_multiple_of(4) {
        return [true; 4];
    }
    let mut nonzero = [false; 4];
    for (j, &b) in data.iter().enumerate() {
        if b != 0 {
            nonzero[j & 3] = true;
        }
    }
    if nonzero[0] || nonzero[1] || nonzero[2] {
        [true; 4]
    } else {
        [false, false, false, true]
    }
}

/// Sign-magnitude view of a DER INTEGER's content: the magnitude without sign padding.
pub(crate) fn integer_magnitude(content: &[u8]) -> Vec<u8> {
    let negative = content.first().is_some_and(|b| b & 0x80 != 0);
    let mut magnitude: Vec<u8> = if negative {
        // Two's complement negation: invert, then add one.
        let mut inverted: Vec<u8> = content.iter().map(|b| !b).collect();
        for byte in inverted.iter_mut().rev() {
            let (sum, carry) = byte.overflowing_add(1);
            *byte = sum;
            if !carry {
                break;
            }
        }
        inverted
    } else {
        content.to_vec()
    };
    let zeros = magnitude.iter().take_while(|&&b| b == 0).count();
    magnitude.drain(..zeros);
    magnitude
}

#[cfg(test)]
mod tests;
