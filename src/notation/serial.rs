//! `certSerial` / `certIssuerSerial`: `i2a_ASN1_INTEGER` (docs/fields.md, "Serial numbers").

use crate::certificate::hex;

use super::dn::integer_magnitude;

/// Formats a serialNumber INTEGER's content octets as the edge does: uppercase hex of the
/// magnitude, `-` for negatives, `00` for zero, a backslash-newline before every 35th byte.
pub fn format_serial(content: &[u8]) -> String {
    let negative = content.first().is_some_and(|b| b & 0x80 != 0);
    let magnitude = integer_magnitude(content);
    let mut out = String::with_capacity(magnitude.len() * 2 + 2);
    if negative {
        out.push('-');
    }
    if magnitude.is_empty() {
        out.push_str("00");
        return out;
    }
    for (i, chunk) in magnitude.chunks(35).enumerate() {
        if i > 0 {
            out.push_str("\\\n");
        }
        out.push_str(&hex::upper(chunk));
    }
    out
}

/// True when the INTEGER carries a redundant leading byte, which DER forbids and BoringSSL
/// refuses (`00 01`, `FF 80`).
pub fn is_non_minimal(content: &[u8]) -> bool {
    match content {
        [0x00, next, ..] => next & 0x80 == 0,
        [0xFF, next, ..] => next & 0x80 != 0,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// DER INTEGER (hex) -> certSerial, as `i2a_ASN1_INTEGER` prints it.
    #[test]
    fn i2a_vectors() {
        let vectors = [
            ("020100", "00"),
            ("020101", "01"),
            ("02017f", "7F"),
            ("02020080", "80"),
            ("020200ff", "FF"),
            ("02020100", "0100"),
            ("020900936eacbe07f201df", "936EACBE07F201DF"),
            ("0201ff", "-01"),
            ("020180", "-80"),
            ("0202ff7f", "-81"),
            ("0202ff00", "-0100"),
            (
                "0214527e0f20a20ea2a4146c78390f34ce7af0878ca4",
                "527E0F20A20EA2A4146C78390F34CE7AF0878CA4",
            ),
            (
                "021500a27e0f20a20ea2a4146c78390f34ce7af0878ca4",
                "A27E0F20A20EA2A4146C78390F34CE7AF0878CA4",
            ),
            (
                "02240102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324",
                "0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20212223\\\n24",
            ),
        ];
        for (der, want) in vectors {
            let der = hex::decode(der).unwrap();
            assert_eq!(format_serial(&der[2..]), want, "{}", hex::lower(&der));
        }
    }

    #[test]
    fn non_minimal_serials_are_detected() {
        assert!(is_non_minimal(&[0x00, 0x01]));
        assert!(is_non_minimal(&[0xFF, 0x80]));
        assert!(!is_non_minimal(&[0x00, 0x93]));
        assert!(!is_non_minimal(&[0x00]));
    }
}
