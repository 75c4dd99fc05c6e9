//! Telling file formats apart by their bytes, and saying what a file that is none of them
//! looks like.

use serde::Serialize;

use crate::certificate::der::{self, DerError, tag};

/// The container a file turned out to be.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    /// PKCS#12 (`.p12`, `.pfx`).
    Pkcs12,
    /// PEM text (certificates, keys, bundles).
    #[default]
    Pem,
    /// One DER certificate (`.cer`, `.der`, `.crt`).
    Der,
    /// A DER PKCS#7 certificate bundle (`.p7b`).
    Pkcs7,
    /// A DER private key (PKCS#8, PKCS#1 or SEC1).
    DerKey,
    /// A PKCS#11 token (smart card, YubiKey, HSM), named by a `pkcs11:` URI.
    Pkcs11,
    /// A Java KeyStore (JKS).
    Jks,
    /// A Java JCEKS keystore.
    Jceks,
}

impl FileFormat {
    /// Lowercase name, as the JSON output says it.
    pub fn name(self) -> &'static str {
        match self {
            FileFormat::Pkcs12 => "pkcs12",
            FileFormat::Pem => "pem",
            FileFormat::Der => "der",
            FileFormat::Pkcs7 => "pkcs7",
            FileFormat::DerKey => "derkey",
            FileFormat::Pkcs11 => "pkcs11",
            FileFormat::Jks => "jks",
            FileFormat::Jceks => "jceks",
        }
    }
}

/// What the bytes are, as far as the first structure shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniffed {
    /// A format Certlens reads.
    Format(FileFormat),
    /// DER whose outer element ends early.
    TruncatedDer,
    /// Something else, described for the user.
    Other(String),
}

const OID_PKCS7_DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01];
const OID_PKCS7_SIGNED: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02];

/// Identifies the format of `bytes`.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.is_empty() {
        return Sniffed::Other("an empty file".into());
    }
    if bytes.starts_with(&super::keystore::JKS_MAGIC) {
        return Sniffed::Format(FileFormat::Jks);
    }
    if bytes.starts_with(&super::keystore::JCEKS_MAGIC) {
        return Sniffed::Format(FileFormat::Jceks);
    }
    // A DER file that decodes as one is DER, even when `-----BEGIN ` occurs inside it (in a
    // name, an extension or a PKCS#12 attribute): the text is read as PEM only otherwise.
    if bytes[0] == tag::SEQUENCE
        && let Ok(outer) = der::Reader::new(bytes).read_any()
        && let Some(format) = der_kind(outer.value)
    {
        return Sniffed::Format(format);
    }
    if contains(bytes, b"-----BEGIN ") {
        return Sniffed::Format(FileFormat::Pem);
    }
    if bytes[0] == tag::SEQUENCE {
        return match der::Reader::new(bytes).read_any() {
            Ok(outer) => match der_kind(outer.value) {
                Some(format) => Sniffed::Format(format),
                None => {
                    Sniffed::Other("DER data that is not a certificate, key or PKCS#12 file".into())
                }
            },
            Err(DerError::Truncated) => Sniffed::TruncatedDer,
            Err(_) => Sniffed::Other(looks_like(bytes)),
        };
    }
    Sniffed::Other(looks_like(bytes))
}

/// Classifies the content of an outer DER SEQUENCE.
fn der_kind(content: &[u8]) -> Option<FileFormat> {
    let mut fields = der::Reader::new(content);
    let first = fields.read_any().ok()?;
    let second = fields.read_any().ok();
    match (first.tag, second.map(|s| s.tag)) {
        // Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE, … }
        (tag::SEQUENCE, Some(tag::SEQUENCE)) => Some(FileFormat::Der),
        // PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo { data, … } }
        (tag::INTEGER, Some(tag::SEQUENCE)) if first.value == [3] => {
            let auth_safe = second?;
            let oid = auth_safe.reader().read(tag::OID, "contentType").ok()?;
            (oid.value == OID_PKCS7_DATA || oid.value == OID_PKCS7_SIGNED)
                .then_some(FileFormat::Pkcs12)
        }
        // PrivateKeyInfo (version 0/1, algorithm, key), RSAPrivateKey, ECPrivateKey
        (tag::INTEGER, Some(tag::SEQUENCE | tag::INTEGER | tag::OCTET_STRING)) => {
            Some(FileFormat::DerKey)
        }
        // ContentInfo { signedData, [0] … }
        (tag::OID, Some(0xA0)) if first.value == OID_PKCS7_SIGNED => Some(FileFormat::Pkcs7),
        _ => None,
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A short description of what non-certificate bytes look like.
pub fn looks_like(bytes: &[u8]) -> String {
    let text = std::str::from_utf8(bytes).ok();
    let trimmed = text.map(str::trim_start).unwrap_or("");
    let described = if bytes.starts_with(b"PK\x03\x04") {
        "a ZIP archive (unpack it and open the certificate inside)"
    } else if bytes.starts_with(b"%PDF") {
        "a PDF document"
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G']) || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
    {
        "an image"
    } else if trimmed.starts_with("ssh-") || trimmed.starts_with("ecdsa-sha2-") {
        "an SSH public key"
    } else if trimmed.starts_with('{') || trimmed.starts_with('[') {
        "JSON text"
    } else if trimmed.starts_with('<') {
        "HTML or XML"
    } else if trimmed.starts_with("MII") {
        "base64 text without PEM BEGIN/END lines; add -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- around it"
    } else if text.is_some() {
        "plain text with no PEM block"
    } else {
        "binary data that is not DER"
    };
    described.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_common_mistakes() {
        assert_eq!(sniff(b""), Sniffed::Other("an empty file".into()));
        assert!(matches!(sniff(b"PK\x03\x04rest"), Sniffed::Other(s) if s.contains("ZIP")));
        assert_eq!(
            sniff(&[0xFE, 0xED, 0xFE, 0xED, 0, 0]),
            Sniffed::Format(FileFormat::Jks)
        );
        assert_eq!(
            sniff(&[0xCE, 0xCE, 0xCE, 0xCE, 0, 0]),
            Sniffed::Format(FileFormat::Jceks)
        );
        assert!(matches!(sniff(b"ssh-ed25519 AAAA"), Sniffed::Other(s) if s.contains("SSH")));
        assert!(matches!(sniff(b"hello"), Sniffed::Other(s) if s.contains("plain text")));
        assert_eq!(
            sniff(&[0x30, 0x82, 0x05, 0x00, 0x30]),
            Sniffed::TruncatedDer
        );
    }
}
