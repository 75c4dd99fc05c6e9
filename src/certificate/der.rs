//! A minimal, strict-enough DER reader.
//!
//! The edge formats fields from the bytes of the certificate as sent, so Certlens reads the
//! parts it formats (names, serial, times, key identifiers) straight from the DER rather than
//! through a parser that normalises them. This reader only splits tag-length-value triples; it
//! never allocates and never panics on any input.

use std::fmt::Write as _;

use thiserror::Error;

/// What is wrong with a DER encoding.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DerError {
    /// The input ended inside a tag, length or value.
    #[error("the data ends early (truncated)")]
    Truncated,
    /// A length or tag form that DER does not allow (indefinite length, over-long tag or length).
    #[error("invalid DER encoding: {0}")]
    Invalid(&'static str),
    /// A different element was found where one was required.
    #[error("expected {expected}, found tag 0x{found:02X}")]
    UnexpectedTag {
        /// What the structure requires at this point.
        expected: &'static str,
        /// The identifier octet found instead.
        found: u8,
    },
}

/// Universal and context tags used by the certificate structures Certlens reads.
pub mod tag {
    /// BOOLEAN
    pub const BOOLEAN: u8 = 0x01;
    /// INTEGER
    pub const INTEGER: u8 = 0x02;
    /// BIT STRING
    pub const BIT_STRING: u8 = 0x03;
    /// OCTET STRING
    pub const OCTET_STRING: u8 = 0x04;
    /// OBJECT IDENTIFIER
    pub const OID: u8 = 0x06;
    /// UTCTime
    pub const UTC_TIME: u8 = 0x17;
    /// GeneralizedTime
    pub const GENERALIZED_TIME: u8 = 0x18;
    /// SEQUENCE (constructed)
    pub const SEQUENCE: u8 = 0x30;
    /// SET (constructed)
    pub const SET: u8 = 0x31;
}

/// One decoded element: its identifier octet, its content and its complete encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The identifier octet (class, constructed bit and tag number; single-byte tags only).
    pub tag: u8,
    /// The content octets.
    pub value: &'a [u8],
    /// Tag, length and content: the element exactly as encoded.
    pub raw: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// The low five bits: the tag number within its class.
    pub fn number(&self) -> u8 {
        self.tag & 0x1F
    }

    /// A reader over this element's content (for SEQUENCE, SET and explicit tags).
    pub fn reader(&self) -> Reader<'a> {
        Reader::new(self.value)
    }

    /// Fails unless the element carries `tag`.
    pub fn expect(self, tag: u8, expected: &'static str) -> Result<Self, DerError> {
        if self.tag == tag {
            Ok(self)
        } else {
            Err(DerError::UnexpectedTag {
                expected,
                found: self.tag,
            })
        }
    }
}

/// Reads consecutive elements from a byte slice.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader over `input`.
    pub fn new(input: &'a [u8]) -> Self {
        Self { rest: input }
    }

    /// True when every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The bytes not yet read.
    pub fn remaining(&self) -> &'a [u8] {
        self.rest
    }

    /// The next identifier octet, without consuming it.
    pub fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Reads the next element of any tag.
    pub fn read_any(&mut self) -> Result<Tlv<'a>, DerError> {
        let input = self.rest;
        let (&tag, after_tag) = input.split_first().ok_or(DerError::Truncated)?;
        if tag & 0x1F == 0x1F {
            return Err(DerError::Invalid(
                "multi-byte tags are not used in certificates",
            ));
        }
        let (&first, mut after_len) = after_tag.split_first().ok_or(DerError::Truncated)?;
        let length = if first < 0x80 {
            usize::from(first)
        } else if first == 0x80 {
            return Err(DerError::Invalid("indefinite length"));
        } else {
            let count = usize::from(first & 0x7F);
            if count > 4 {
                return Err(DerError::Invalid("length field longer than 4 bytes"));
            }
            if after_len.len() < count {
                return Err(DerError::Truncated);
            }
            let (len_bytes, rest) = after_len.split_at(count);
            after_len = rest;
            len_bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
        };
        if after_len.len() < length {
            return Err(DerError::Truncated);
        }
        let header = input.len() - after_len.len();
        let raw = &input[..header + length];
        let value = &after_len[..length];
        self.rest = &after_len[length..];
        Ok(Tlv { tag, value, raw })
    }

    /// Reads the next element and requires `tag`.
    pub fn read(&mut self, tag: u8, expected: &'static str) -> Result<Tlv<'a>, DerError> {
        self.read_any()?.expect(tag, expected)
    }

    /// Reads the next element only if it carries `tag`.
    pub fn read_optional(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, DerError> {
        if self.peek_tag() == Some(tag) {
            self.read_any().map(Some)
        } else {
            Ok(None)
        }
    }
}

/// Reads exactly one element from `input` and requires nothing to follow it.
pub fn parse_single<'a>(
    input: &'a [u8],
    tag: u8,
    expected: &'static str,
) -> Result<Tlv<'a>, DerError> {
    let mut reader = Reader::new(input);
    let tlv = reader.read(tag, expected)?;
    if !reader.is_empty() {
        return Err(DerError::Invalid("data follows the end of the element"));
    }
    Ok(tlv)
}

/// Dotted-decimal text of an OBJECT IDENTIFIER's content octets (`2.5.4.3`).
pub fn oid_to_string(content: &[u8]) -> String {
    let mut out = String::new();
    let mut value: u128 = 0;
    let mut first = true;
    for &byte in content {
        value = (value << 7) | u128::from(byte & 0x7F);
        if byte & 0x80 != 0 {
            if value > u128::MAX >> 8 {
                // Absurdly long arc: keep going without overflowing; the text is what matters.
                value &= u128::MAX >> 8;
            }
            continue;
        }
        if first {
            let (a, b) = match value {
                0..=39 => (0, value),
                40..=79 => (1, value - 40),
                _ => (2, value - 80),
            };
            let _ = write!(out, "{a}.{b}");
            first = false;
        } else {
            let _ = write!(out, ".{value}");
        }
        value = 0;
    }
    out
}

/// Encodes a dotted OID string as DER content octets; `None` for malformed text.
pub fn oid_from_str(dotted: &str) -> Option<Vec<u8>> {
    let arcs: Vec<u128> = dotted
        .split('.')
        .map(|a| a.parse().ok())
        .collect::<Option<_>>()?;
    if arcs.len() < 2 || arcs[0] > 2 {
        return None;
    }
    let mut out = Vec::new();
    let mut push = |mut v: u128| {
        let mut tmp = vec![(v & 0x7F) as u8];
        v >>= 7;
        while v > 0 {
            tmp.push(((v & 0x7F) as u8) | 0x80);
            v >>= 7;
        }
        out.extend(tmp.iter().rev());
    };
    push(arcs[0].checked_mul(40)?.checked_add(arcs[1])?);
    for &arc in &arcs[2..] {
        push(arc);
    }
    Some(out)
}

/// Encodes a tag-length-value triple (used by tests and the demo generator).
pub fn encode(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = value.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(value);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths() {
        let long = encode(tag::OCTET_STRING, &[7u8; 300]);
        assert_eq!(&long[..4], &[0x04, 0x82, 0x01, 0x2C]);
        let tlv = parse_single(&long, tag::OCTET_STRING, "OCTET STRING").unwrap();
        assert_eq!(tlv.value.len(), 300);
        assert_eq!(tlv.raw, &long[..]);
    }

    #[test]
    fn truncated_input_is_an_error_not_a_panic() {
        let full = encode(tag::SEQUENCE, &[1, 2, 3]);
        for cut in 0..full.len() {
            assert_eq!(
                Reader::new(&full[..cut]).read_any(),
                Err(DerError::Truncated),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn rejects_indefinite_length() {
        assert!(matches!(
            Reader::new(&[0x30, 0x80, 0, 0]).read_any(),
            Err(DerError::Invalid(_))
        ));
    }

    #[test]
    fn oid_round_trip() {
        for dotted in [
            "2.5.4.3",
            "1.2.840.113549.1.9.1",
            "1.3.6.1.4.1.311.60.2.1.3",
            "2.999.1",
        ] {
            let der = oid_from_str(dotted).unwrap();
            assert_eq!(oid_to_string(&der), dotted);
        }
        assert_eq!(oid_from_str("2.5.4.3").unwrap(), vec![0x55, 0x04, 0x03]);
    }
}
