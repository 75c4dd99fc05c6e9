//! Names as OpenSSL and BoringSSL compare them (`x509_name_canon`, `X509_NAME_cmp`): every
//! string value turned into UTF-8, leading and trailing white space dropped, inner runs of
//! white space collapsed to one space, ASCII letters lower-cased, each RDN re-encoded as a SET of
//! `{OID, UTF8String}`. A leaf whose issuer reads `Example CA` as a UTF8String is issued, for the
//! edge, by a CA whose subject reads `example  ca` as a PrintableString.

use crate::certificate::der::{self, tag};

/// UTF8String, BMPString, UniversalString, PrintableString, T61String, IA5String, VisibleString
/// (`ASN1_MASK_CANON`): the types whose values are canonicalised; others are kept as encoded.
const CANONICAL_TYPES: &[u8] = &[0x0C, 0x1E, 0x1C, 0x13, 0x14, 0x16, 0x1A];

/// The canonical encoding of a Name's DER; a name the libraries could not canonicalise (they
/// would refuse the certificate) keeps its own bytes, so it still equals only itself.
pub(crate) fn canonical_name(name: &[u8]) -> Vec<u8> {
    canonicalise(name).unwrap_or_else(|| name.to_vec())
}

fn canonicalise(name: &[u8]) -> Option<Vec<u8>> {
    let name = der::parse_single(name, tag::SEQUENCE, "Name").ok()?;
    let mut out = Vec::new();
    let mut rdns = name.reader();
    while !rdns.is_empty() {
        let rdn = rdns.read(tag::SET, "RDN").ok()?;
        let mut entries = Vec::new();
        let mut avas = rdn.reader();
        while !avas.is_empty() {
            let ava = avas.read(tag::SEQUENCE, "AttributeTypeAndValue").ok()?;
            let mut fields = ava.reader();
            let oid = fields.read(tag::OID, "type").ok()?;
            let value = fields.read_any().ok()?;
            let value = if CANONICAL_TYPES.contains(&value.tag) {
                der::encode(0x0C, &fold(&to_utf8(value.tag, value.value)?))
            } else {
                value.raw.to_vec()
            };
            entries.push(der::encode(tag::SEQUENCE, &[oid.raw, &value].concat()));
        }
        // DER orders the members of a SET OF by their encodings.
        entries.sort();
        out.extend(der::encode(tag::SET, &entries.concat()));
    }
    Some(out)
}

/// `ASN1_STRING_to_UTF8`: one byte per character for the 8-bit types (read as Latin-1),
/// UCS-2 and UCS-4 for BMPString and UniversalString; `None` where the library fails.
fn to_utf8(string_tag: u8, value: &[u8]) -> Option<Vec<u8>> {
    let text: String = match string_tag {
        0x0C => std::str::from_utf8(value).ok()?.to_owned(),
        0x1E if value.len().is_multiple_of(2) => value
            .chunks_exact(2)
            .map(|unit| char::from_u32(u32::from(u16::from_be_bytes([unit[0], unit[1]]))))
            .collect::<Option<String>>()?,
        0x1C if value.len().is_multiple_of(4) => value
            .chunks_exact(4)
            .map(|unit| char::from_u32(u32::from_be_bytes([unit[0], unit[1], unit[2], unit[3]])))
            .collect::<Option<String>>()?,
        0x1E | 0x1C => return None,
        _ => value.iter().map(|&b| char::from(b)).collect(),
    };
    Some(text.into_bytes())
}

/// `asn1_string_canon`'s folding, byte by byte over the UTF-8.
fn fold(utf8: &[u8]) -> Vec<u8> {
    // `ossl_isspace`: space, \t, \n, \v, \f, \r.
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
    let start = utf8.iter().position(|b| !space(b)).unwrap_or(utf8.len());
    let end = utf8
        .iter()
        .rposition(|b| !space(b))
        .map_or(start, |i| i + 1);
    let mut out = Vec::with_capacity(end - start);
    let mut bytes = utf8[start..end].iter().peekable();
    while let Some(b) = bytes.next() {
        if space(b) {
            out.push(b' ');
            while bytes.next_if(|b| space(b)).is_some() {}
        } else {
            out.push(b.to_ascii_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(values: &[(u8, &[u8])]) -> Vec<u8> {
        let rdns: Vec<u8> = values
            .iter()
            .flat_map(|(t, v)| {
                let oid = der::encode(tag::OID, &[0x55, 0x04, 0x03]);
                der::encode(
                    tag::SET,
                    &der::encode(tag::SEQUENCE, &[oid, der::encode(*t, v)].concat()),
                )
            })
            .collect();
        der::encode(tag::SEQUENCE, &rdns)
    }

    #[test]
    fn string_types_case_and_spaces_do_not_matter() {
        let utf8 = canonical_name(&name(&[(0x0C, b"Example CA")]));
        assert_eq!(utf8, canonical_name(&name(&[(0x13, b"  example \t ca ")])));
        assert_eq!(
            utf8,
            canonical_name(&name(&[(
                0x1E,
                &[
                    0, b'E', 0, b'x', 0, b'a', 0, b'm', 0, b'p', 0, b'l', 0, b'e', 0, b' ', 0,
                    b'C', 0, b'A'
                ]
            )]))
        );
        assert_ne!(utf8, canonical_name(&name(&[(0x0C, b"Example-CA")])));
    }

    #[test]
    fn non_ascii_letters_are_not_folded() {
        assert_ne!(
            canonical_name(&name(&[(0x0C, "Zürich".as_bytes())])),
            canonical_name(&name(&[(0x0C, "ZÜRICH".as_bytes())]))
        );
        // A T61String byte is read as Latin-1.
        assert_eq!(
            canonical_name(&name(&[(0x0C, "zürich".as_bytes())])),
            canonical_name(&name(&[(0x14, b"Z\xFCrich")]))
        );
    }

    #[test]
    fn invalid_utf8_keeps_its_own_bytes() {
        let odd = name(&[(0x0C, b"\xFF")]);
        assert_eq!(canonical_name(&odd), odd);
    }
}
