//! PEM files: certificates, bundles, keys (PKCS#8, PKCS#1, SEC1, encrypted PKCS#8), PKCS#7.

use zeroize::Zeroizing;

use crate::certificate::Certificate;
use crate::certificate::der::{self, tag};

use crate::limits::MAX_OBJECTS;

use super::cost::Budget;
use super::key::{KeyEncoding, PrivateKey};
use super::pbe::{self, DecryptError, PasswordForm};
use super::{Cancel, Contents, LoadError, Password};

/// Reads every PEM block of `text`.
pub(super) fn load(
    bytes: &[u8],
    password: Option<&Password>,
    cancel: &Cancel,
) -> Result<Contents, LoadError> {
    let begins = count(bytes, b"-----BEGIN ");
    let ends = count(bytes, b"-----END ");
    if ends < begins {
        return Err(LoadError::Truncated {
            what: "a PEM block (its -----END line is missing)",
        });
    }
    if begins > MAX_OBJECTS {
        return Err(LoadError::TooManyObjects {
            what: "PEM blocks",
            limit: MAX_OBJECTS,
        });
    }
    let blocks = WipedBlocks(pem::parse_many(bytes).map_err(|e| LoadError::Corrupt {
        what: "PEM text",
        detail: e.to_string(),
    })?);
    charge_encrypted_keys(&blocks.0)?;
    let mut contents = Contents::default();
    let mut other_kinds = Vec::new();
    for block in &blocks.0 {
        match block.tag() {
            "CERTIFICATE" | "X509 CERTIFICATE" => {
                contents.certificates.push(certificate(block.contents())?)
            }
            "TRUSTED CERTIFICATE" => {
                // OpenSSL appends trust settings after the certificate; keep the certificate.
                let first = der::Reader::new(block.contents())
                    .read_any()
                    .map_err(|e| corrupt_certificate(&e.to_string()))?;
                contents.certificates.push(certificate(first.raw)?);
            }
            "PRIVATE KEY" => contents
                .keys
                .push(key(block.contents(), KeyEncoding::Pkcs8)?),
            "RSA PRIVATE KEY" | "EC PRIVATE KEY" => {
                if block
                    .headers()
                    .get("Proc-Type")
                    .is_some_and(|v| v.contains("ENCRYPTED"))
                {
                    return Err(LoadError::UnsupportedAlgorithm {
                        name: "legacy OpenSSL PEM key encryption (Proc-Type: 4,ENCRYPTED)".into(),
                        hint: "; convert the key with `openssl pkcs8 -topk8 -in key.pem -out key-pkcs8.pem`",
                    });
                }
                let encoding = if block.tag() == "RSA PRIVATE KEY" {
                    KeyEncoding::Pkcs1
                } else {
                    KeyEncoding::Sec1
                };
                contents.keys.push(key(block.contents(), encoding)?);
            }
            "ENCRYPTED PRIVATE KEY" => {
                let plain = decrypt_pkcs8(block.contents(), password, cancel)?;
                contents.keys.push(key(&plain, KeyEncoding::Pkcs8)?);
            }
            "PKCS7" | "CMS" => contents
                .certificates
                .extend(pkcs7_certificates(block.contents())?),
            "EC PARAMETERS" => {}
            other => {
                contents
                    .skipped
                    .push(format!("a PEM block of type {other} ({})", describe(other)));
                other_kinds.push(other.to_owned());
            }
        }
    }
    if contents.certificates.is_empty() && contents.keys.is_empty() {
        if other_kinds.iter().any(|k| k == "OPENSSH PRIVATE KEY") {
            return Err(LoadError::NotACertificateFile {
                looks_like: "an OpenSSH private key".into(),
            });
        }
        if other_kinds.iter().any(|k| k.starts_with("PGP")) {
            return Err(LoadError::NotACertificateFile {
                looks_like: "an OpenPGP key".into(),
            });
        }
        if blocks.0.is_empty() {
            return Err(LoadError::Corrupt {
                what: "PEM text",
                detail: "no complete BEGIN/END block".into(),
            });
        }
    }
    Ok(contents)
}

fn describe(kind: &str) -> &'static str {
    match kind {
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => {
            "a certificate signing request, not a certificate"
        }
        "X509 CRL" => "a revocation list",
        "PUBLIC KEY" | "RSA PUBLIC KEY" => "a public key, not a certificate",
        "OPENSSH PRIVATE KEY" => "an OpenSSH key, not an X.509 key",
        "DH PARAMETERS" => "Diffie-Hellman parameters",
        _ => "not used by Certlens",
    }
}

/// How often `needle` (which starts with `-`, absent from base64) occurs in `haystack`.
fn count(haystack: &[u8], needle: &[u8]) -> usize {
    let Some(&first) = needle.first() else {
        return 0;
    };
    let mut found = 0;
    let mut rest = haystack;
    while let Some(at) = rest.iter().position(|&b| b == first) {
        if rest[at..].starts_with(needle) {
            found += 1;
            rest = &rest[at + needle.len()..];
        } else {
            rest = &rest[at + 1..];
        }
    }
    found
}

fn corrupt_certificate(detail: &str) -> LoadError {
    LoadError::Corrupt {
        what: "a certificate",
        detail: detail.to_owned(),
    }
}

fn certificate(der: &[u8]) -> Result<Certificate, LoadError> {
    Certificate::from_der(der).map_err(|e| match e.0 {
        der::DerError::Truncated => LoadError::Truncated {
            what: "a certificate",
        },
        other => corrupt_certificate(&other.to_string()),
    })
}

pub(super) fn key(der: &[u8], encoding: KeyEncoding) -> Result<PrivateKey, LoadError> {
    PrivateKey::from_der(der, encoding, None).map_err(|e| LoadError::Corrupt {
        what: "the private key",
        detail: e.0,
    })
}

/// Decoded PEM blocks, whose contents (keys among them) are wiped when dropped, whatever path
/// the reading takes out.
struct WipedBlocks(Vec<pem::Pem>);

impl Drop for WipedBlocks {
    fn drop(&mut self) {
        for block in std::mem::take(&mut self.0) {
            drop(Zeroizing::new(block.into_contents()));
        }
    }
}

/// Charges the key derivation of every encrypted key in the file, and refuses the file when
/// they add up to too much, before the first one runs.
fn charge_encrypted_keys(blocks: &[pem::Pem]) -> Result<(), LoadError> {
    let mut budget = Budget::default();
    for block in blocks.iter().filter(|b| b.tag() == "ENCRYPTED PRIVATE KEY") {
        let algorithm =
            der::parse_single(block.contents(), tag::SEQUENCE, "EncryptedPrivateKeyInfo")
                .and_then(|info| info.reader().read(tag::SEQUENCE, "algorithm"));
        if let Ok(algorithm) = algorithm {
            budget.add("the encrypted private key", algorithm.raw)?;
        }
    }
    budget.check_total()
}

/// Decrypts an `EncryptedPrivateKeyInfo`, trying the empty password first, each in every
/// form OpenSSL would try. The derivation was charged by [`charge_encrypted_keys`].
fn decrypt_pkcs8(
    der_bytes: &[u8],
    password: Option<&Password>,
    cancel: &Cancel,
) -> Result<Zeroizing<Vec<u8>>, LoadError> {
    let info =
        der::parse_single(der_bytes, tag::SEQUENCE, "EncryptedPrivateKeyInfo").map_err(|e| {
            LoadError::Corrupt {
                what: "the encrypted private key",
                detail: e.to_string(),
            }
        })?;
    let mut fields = info.reader();
    let (algorithm, data) = match (
        fields.read(tag::SEQUENCE, "algorithm"),
        fields.read(tag::OCTET_STRING, "data"),
    ) {
        (Ok(a), Ok(d)) => (a, d),
        _ => {
            return Err(LoadError::Corrupt {
                what: "the encrypted private key",
                detail: "unexpected structure".into(),
            });
        }
    };
    let attempt = |text: &str| -> Result<Option<Zeroizing<Vec<u8>>>, LoadError> {
        for form in PasswordForm::all(text) {
            match pbe::decrypt(algorithm.raw, data.value, &form, cancel) {
                Ok(plain) if PrivateKey::from_der(&plain, KeyEncoding::Pkcs8, None).is_ok() => {
                    return Ok(Some(plain));
                }
                Ok(_) | Err(DecryptError::Failed) => {}
                Err(DecryptError::Cancelled) => return Err(LoadError::Cancelled),
                Err(DecryptError::Damaged(part)) => {
                    return Err(LoadError::Corrupt {
                        what: "the encrypted private key",
                        detail: format!("{part} cannot be decoded"),
                    });
                }
                Err(DecryptError::Unsupported(name)) => {
                    return Err(LoadError::UnsupportedAlgorithm {
                        name,
                        hint: "; re-encrypt the key with `openssl pkcs8 -topk8 -v2 aes-256-cbc`",
                    });
                }
            }
        }
        Ok(None)
    };
    if let Some(plain) = attempt("")? {
        return Ok(plain);
    }
    let password = password.ok_or(LoadError::PasswordNeeded {
        what: "the encrypted private key",
    })?;
    attempt(password.expose())?.ok_or(LoadError::WrongPassword {
        detail: "the encrypted private key does not decrypt to a key with it",
    })
}

/// The certificates of a PKCS#7 `SignedData` (a `.p7b` bundle).
pub(super) fn pkcs7_certificates(der_bytes: &[u8]) -> Result<Vec<Certificate>, LoadError> {
    let corrupt = |e: der::DerError| match e {
        der::DerError::Truncated => LoadError::Truncated {
            what: "the PKCS#7 bundle",
        },
        other => LoadError::Corrupt {
            what: "the PKCS#7 bundle",
            detail: other.to_string(),
        },
    };
    let content_info =
        der::parse_single(der_bytes, tag::SEQUENCE, "ContentInfo").map_err(corrupt)?;
    let mut fields = content_info.reader();
    fields.read(tag::OID, "contentType").map_err(corrupt)?;
    let explicit = fields.read(0xA0, "[0] content").map_err(corrupt)?;
    let signed = der::parse_single(explicit.value, tag::SEQUENCE, "SignedData").map_err(corrupt)?;
    let mut parts = signed.reader();
    parts.read(tag::INTEGER, "version").map_err(corrupt)?;
    parts.read(tag::SET, "digestAlgorithms").map_err(corrupt)?;
    parts
        .read(tag::SEQUENCE, "encapContentInfo")
        .map_err(corrupt)?;
    let mut certificates = Vec::new();
    if let Some(set) = parts.read_optional(0xA0).map_err(corrupt)? {
        let mut reader = set.reader();
        while !reader.is_empty() {
            let cert = reader.read_any().map_err(corrupt)?;
            if cert.tag == tag::SEQUENCE {
                if certificates.len() == MAX_OBJECTS {
                    return Err(LoadError::TooManyObjects {
                        what: "certificates",
                        limit: MAX_OBJECTS,
                    });
                }
                certificates.push(certificate(cert.raw)?);
            }
        }
    }
    Ok(certificates)
}
