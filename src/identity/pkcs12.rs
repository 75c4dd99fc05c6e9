//! PKCS#12 (`.p12`, `.pfx`): OpenSSL 3's default (PBES2/AES-256, SHA-256 MAC), the legacy form
//! (RC2-40 certificates, 3DES key, SHA-1 MAC), unencrypted and MAC-less files, certificate-only
//! truststores. Decoding is done by `p12-keystore`, contained so that none of its failures —
//! panics included — reach the user as anything but a [`LoadError`].

use p12_keystore::Pkcs12Archive;
use p12_keystore::error::Error as P12Error;

use crate::certificate::Certificate;
use crate::der::{self, tag};
use crate::limits::MAX_OBJECTS;

use super::key::{KeyEncoding, PrivateKey};
use super::{Contents, LoadError, Password};

/// Opens a PKCS#12 file: with the empty password first, then with `password`.
pub(super) fn load(bytes: &[u8], password: Option<&Password>) -> Result<Contents, LoadError> {
    super::cost::check_pkcs12(bytes)?;
    let has_mac = has_mac(bytes);
    match open(bytes, "", has_mac) {
        Err(Attempt::Password) => {}
        other => return other.map_err(Attempt::into_error),
    }
    let password = password.ok_or(LoadError::PasswordNeeded {
        what: "this PKCS#12 file",
    })?;
    match open(bytes, password.expose(), has_mac) {
        Err(Attempt::Password) => Err(LoadError::WrongPassword {
            detail: if has_mac {
                "the file's integrity check (MAC) fails with it"
            } else {
                "the file's contents do not decrypt with it"
            },
        }),
        other => other.map_err(Attempt::into_error),
    }
}

enum Attempt {
    Password,
    Failed(LoadError),
}

impl Attempt {
    fn into_error(self) -> LoadError {
        match self {
            Attempt::Failed(error) => error,
            Attempt::Password => LoadError::WrongPassword {
                detail: "the file does not open with it",
            },
        }
    }
}

fn open(bytes: &[u8], password: &str, has_mac: bool) -> Result<Contents, Attempt> {
    let archive = crate::contain::contain(|| Pkcs12Archive::from_pkcs12(bytes, password))
        .map_err(|panic| {
            Attempt::Failed(LoadError::Internal {
                detail: format!("the PKCS#12 decoder failed: {panic}"),
            })
        })?
        .map_err(|error| classify(error, bytes, has_mac))?;

    if archive.certs.len() + archive.keys.len() + archive.secrets.len() > MAX_OBJECTS {
        return Err(Attempt::Failed(LoadError::TooManyObjects {
            what: "PKCS#12 bags",
            limit: MAX_OBJECTS,
        }));
    }
    let mut contents = Contents::default();
    for bag in archive.certs {
        let cert = Certificate::from_der(bag.cert.as_der()).map_err(|e| {
            Attempt::Failed(LoadError::Corrupt {
                what: "a certificate in the PKCS#12 file",
                detail: e.to_string(),
            })
        })?;
        contents
            .certificates
            .push(cert.with_friendly_name(bag.friendly_name));
    }
    for bag in archive.keys {
        let key = PrivateKey::from_der(bag.key.as_der(), KeyEncoding::Pkcs8, bag.friendly_name)
            .map_err(|e| {
                Attempt::Failed(LoadError::Corrupt {
                    what: "the private key in the PKCS#12 file",
                    detail: e.0,
                })
            })?;
        contents.keys.push(key);
    }
    for secret in archive.secrets {
        let name = secret.friendly_name.unwrap_or_else(|| "unnamed".into());
        contents.skipped.push(format!("a secret-key bag ({name})"));
    }
    Ok(contents)
}

fn classify(error: P12Error, bytes: &[u8], has_mac: bool) -> Attempt {
    match error {
        P12Error::MacError(_) => Attempt::Password,
        // Without a MAC, a wrong password shows up as bad padding or garbage after decryption.
        P12Error::UnpadError | P12Error::Pkcs5Error(_) | P12Error::DerError(_) | P12Error::InvalidPrivateKey
            if !has_mac && structure_is_sound(bytes) =>
        {
            Attempt::Password
        }
        P12Error::DerError(e) if matches!(e.kind(), pkcs5::der::ErrorKind::Incomplete { .. }) => {
            Attempt::Failed(LoadError::Truncated { what: "the PKCS#12 structure" })
        }
        P12Error::UnsupportedEncryptionScheme | P12Error::UnsupportedMacAlgorithm => {
            Attempt::Failed(LoadError::UnsupportedAlgorithm {
                name: algorithm_name(bytes),
                hint: "; re-export the file with `openssl pkcs12` (OpenSSL 3 defaults to AES-256)",
            })
        }
        P12Error::UnsupportedContentType => Attempt::Failed(LoadError::UnsupportedAlgorithm {
            name: "public-key (certificate-based) protection of the PKCS#12 contents".into(),
            hint: "; re-export the file with password protection",
        }),
        // The visible parameters passed `cost::check_pkcs12`; this is a key bag hidden inside
        // an encrypted part (which the decoder holds to the same per-derivation limit without
        // saying the count), or parameters that are missing altogether.
        P12Error::InvalidParameters => Attempt::Failed(LoadError::UnsupportedAlgorithm {
            name: "key-derivation parameters that are missing or beyond the limits (more than 1,000,000 iterations, or scrypt over 1 GiB) inside an encrypted part of the file".into(),
            hint: "; re-export the file with `openssl pkcs12 -export`",
        }),
        P12Error::UnsupportedCertificateType => Attempt::Failed(LoadError::UnsupportedAlgorithm {
            name: "a certificate type other than X.509 (SDSI)".into(),
            hint: "",
        }),
        other => Attempt::Failed(LoadError::Corrupt { what: "the PKCS#12 structure", detail: other.to_string() }),
    }
}

/// True when the outer PFX structure parses, so a later failure is about decryption.
fn structure_is_sound(bytes: &[u8]) -> bool {
    der::parse_single(bytes, tag::SEQUENCE, "PFX").is_ok()
}

/// Whether the PFX carries `macData` (the third element).
fn has_mac(bytes: &[u8]) -> bool {
    let Ok(pfx) = der::parse_single(bytes, tag::SEQUENCE, "PFX") else {
        return true;
    };
    let mut fields = pfx.reader();
    fields.read_any().is_ok() && fields.read_any().is_ok() && fields.read_any().is_ok()
}

/// Algorithms a PKCS#12 file or encrypted key may name, by DER OID content.
const ALGORITHMS: &[(&str, &str)] = &[
    (
        "1.2.840.113549.1.5.3",
        "pbeWithMD5AndDES-CBC (PKCS#5 v1.5, MD5 and single DES)",
    ),
    (
        "1.2.840.113549.1.5.6",
        "pbeWithMD5AndRC2-CBC (PKCS#5 v1.5, MD5 and RC2)",
    ),
    (
        "1.2.840.113549.1.5.10",
        "pbeWithSHA1AndDES-CBC (PKCS#5 v1.5, single DES)",
    ),
    (
        "1.2.840.113549.1.5.11",
        "pbeWithSHA1AndRC2-CBC (PKCS#5 v1.5, RC2)",
    ),
    ("1.2.840.113549.1.12.1.1", "pbeWithSHAAnd128BitRC4"),
    ("1.2.840.113549.1.12.1.2", "pbeWithSHAAnd40BitRC4"),
    ("1.2.840.113549.1.12.1.4", "pbeWithSHAAnd2-KeyTripleDES-CBC"),
    ("1.2.840.113549.1.12.1.5", "pbeWithSHAAnd128BitRC2-CBC"),
    ("1.2.840.113549.2.5", "an MD5 integrity check (MAC)"),
    ("1.2.840.113549.2.2", "an MD2 integrity check (MAC)"),
    ("1.2.643.7.1.1.2.2", "GOST R 34.11-2012 (Streebog)"),
    ("1.2.643.2.2.9", "GOST R 34.11-94"),
    ("1.2.392.200011.61.1.1.1.2", "Camellia-128-CBC"),
    ("1.2.392.200011.61.1.1.1.4", "Camellia-256-CBC"),
    ("1.2.840.113549.3.2", "RC2-CBC inside PBES2"),
];

/// Names the first unusual algorithm that `bytes` mentions.
pub(super) fn algorithm_name(bytes: &[u8]) -> String {
    ALGORITHMS
        .iter()
        .find(|(oid, _)| {
            let Some(content) = der::oid_from_str(oid) else {
                return false;
            };
            let encoded = der::encode(tag::OID, &content);
            bytes
                .windows(encoded.len())
                .any(|w| w == encoded.as_slice())
        })
        .map(|(_, name)| (*name).to_owned())
        .unwrap_or_else(|| "an encryption or integrity algorithm".to_owned())
}
