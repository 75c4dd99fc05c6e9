//! Hex encodings used by the edge's fields.

const UPPER: &[u8; 16] = b"0123456789ABCDEF";
const LOWER: &[u8; 16] = b"0123456789abcdef";

fn encode(bytes: &[u8], digits: &[u8; 16]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(digits[usize::from(b >> 4)]));
        out.push(char::from(digits[usize::from(b & 0x0F)]));
    }
    out
}

/// Two uppercase hex digits per byte, no separator (`HEXU` in docs/fields.md).
pub fn upper(bytes: &[u8]) -> String {
    encode(bytes, UPPER)
}

/// Two lowercase hex digits per byte, no separator (nginx's `ngx_hex_dump`).
pub fn lower(bytes: &[u8]) -> String {
    encode(bytes, LOWER)
}

/// Appends `\XX` (uppercase) for one byte.
pub(crate) fn push_escaped(out: &mut String, prefix: &str, byte: u8) {
    out.push_str(prefix);
    out.push(char::from(UPPER[usize::from(byte >> 4)]));
    out.push(char::from(UPPER[usize::from(byte & 0x0F)]));
}

/// Decodes hex text (either case, no separators); `None` if it is not hex.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn cases() {
        assert_eq!(super::upper(&[0x0a, 0xbc]), "0ABC");
        assert_eq!(super::lower(&[0x0a, 0xbc]), "0abc");
        assert_eq!(super::decode("0aBC"), Some(vec![0x0a, 0xbc]));
        assert_eq!(super::decode("0g"), None);
    }
}
