//! Loading what users are handed: PKCS#12, PEM (certificates, bundles, keys), DER, PKCS#7 —
//! and deciding which certificate is the leaf, which key belongs to it, and the chain the
//! client would send.

mod cancel;
mod cost;
mod error;
mod key;
mod keystore;
mod password;
mod pbe;
mod pem;
mod pkcs12;
mod sniff;
pub mod token;

use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::certificate::Certificate;

pub use cancel::Cancel;
pub use error::LoadError;
pub use key::{KeyEncoding, KeyKind, PrivateKey};
pub use keystore::KEYSTORE;
pub use password::Password;
pub use sniff::{FileFormat, Sniffed, sniff};

pub use crate::limits::MAX_FILE_SIZE;
use crate::limits::{MAX_CHAIN_LENGTH, MAX_OBJECTS};

/// What one format reader found.
#[derive(Debug, Default)]
struct Contents {
    certificates: Vec<Certificate>,
    keys: Vec<PrivateKey>,
    skipped: Vec<String>,
}

/// Everything a file held, in file order.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    /// Where it came from, if from a file.
    pub path: Option<PathBuf>,
    /// Its container format.
    pub format: FileFormat,
    /// Every certificate, in file order (duplicates removed).
    pub certificates: Vec<Certificate>,
    /// Every private key, in file order.
    pub keys: Vec<PrivateKey>,
    /// What was present but not used (other PEM blocks, secret bags, keys without a certificate).
    pub skipped: Vec<String>,
}

/// A client identity: the leaf, the chain the client sends after it, and the leaf's key.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The certificate the client presents.
    pub leaf: Certificate,
    /// The certificates sent after the leaf, closest to the leaf first.
    pub chain: Vec<Certificate>,
    /// The leaf's private key, when the file held it.
    pub key: Option<PrivateKey>,
}

/// Opens the identity a `pkcs11:` URI names (see [`token`]): the token's certificates, the named
/// one first, and — when `need_key` — its key, which stays on the token and signs there. `pin`
/// is used for one login only when the key is needed.
pub fn load_token(
    uri: &str,
    module: Option<&Path>,
    pin: Option<&Password>,
    need_key: bool,
) -> Result<LoadedFile, LoadError> {
    let opened = token::open(uri, module, pin, need_key)?;
    let keys = opened
        .key
        .map(|(key, kind)| {
            PrivateKey::on_token(
                kind,
                opened.leaf.public_key_bits().to_vec(),
                Some(opened.token.clone()),
                std::sync::Arc::new(token::TokenSigningKey(key)),
            )
        })
        .into_iter()
        .collect();
    // The token's other certificates may be other people's leaves: only the leaf's issuers
    // travel with it, as a client sending this identity would send them.
    let mut rest = opened.others;
    let mut certificates = vec![opened.leaf];
    while certificates.len() < MAX_CHAIN_LENGTH {
        let current = &certificates[certificates.len() - 1];
        if current.is_self_issued() {
            break;
        }
        let Some(position) = rest.iter().position(|c| current.is_issued_by_name(c)) else {
            break;
        };
        certificates.push(rest.remove(position));
    }
    let skipped = if rest.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "{} other certificate(s) on the token, not in this certificate's chain",
            rest.len()
        )]
    };
    Ok(LoadedFile {
        path: Some(PathBuf::from(uri)),
        format: FileFormat::Pkcs11,
        certificates,
        keys,
        skipped,
    })
}

/// Reads and decodes `path`, refusing files over [`MAX_FILE_SIZE`] before reading them.
pub fn load_file(path: &Path, password: Option<&Password>) -> Result<LoadedFile, LoadError> {
    load_file_cancellable(path, password, &Cancel::new())
}

/// [`load_file`], stopping with [`LoadError::Cancelled`] soon after `cancel` is set.
pub fn load_file_cancellable(
    path: &Path,
    password: Option<&Password>,
    cancel: &Cancel,
) -> Result<LoadedFile, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_FILE_SIZE {
        return Err(LoadError::TooLarge {
            size,
            limit: MAX_FILE_SIZE,
        });
    }
    // The file may hold a private key: its bytes are wiped when done with.
    let mut bytes = zeroize::Zeroizing::new(Vec::with_capacity(size as usize));
    // Read one byte past the limit in case the file grew since its size was taken.
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(LoadError::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_FILE_SIZE,
        });
    }
    let mut loaded = load_bytes_cancellable(&bytes, password, cancel)?;
    loaded.path = Some(path.to_owned());
    Ok(loaded)
}

/// Decodes `bytes`, whatever their format. An empty password is tried first; `password` is
/// used only if that fails.
pub fn load_bytes(bytes: &[u8], password: Option<&Password>) -> Result<LoadedFile, LoadError> {
    load_bytes_cancellable(bytes, password, &Cancel::new())
}

/// [`load_bytes`], stopping with [`LoadError::Cancelled`] soon after `cancel` is set.
pub fn load_bytes_cancellable(
    bytes: &[u8],
    password: Option<&Password>,
    cancel: &Cancel,
) -> Result<LoadedFile, LoadError> {
    let format = match sniff(bytes) {
        Sniffed::Format(format) => format,
        Sniffed::TruncatedDer => {
            return Err(LoadError::Truncated {
                what: "the DER structure",
            });
        }
        Sniffed::Other(looks_like) => return Err(LoadError::NotACertificateFile { looks_like }),
    };
    let contents = match format {
        FileFormat::Pkcs12 => pkcs12::load(bytes, password, cancel)?,
        FileFormat::Pem => pem::load(bytes, password, cancel)?,
        FileFormat::Pkcs7 => Contents {
            certificates: pem::pkcs7_certificates(bytes)?,
            ..Contents::default()
        },
        FileFormat::Der => {
            let certificate = Certificate::from_der(bytes).map_err(|e| match e.0 {
                crate::certificate::der::DerError::Truncated => LoadError::Truncated {
                    what: "the certificate",
                },
                other => LoadError::Corrupt {
                    what: "the certificate",
                    detail: other.to_string(),
                },
            })?;
            Contents {
                certificates: vec![certificate],
                ..Contents::default()
            }
        }
        FileFormat::Jks | FileFormat::Jceks => keystore::load(bytes, password)?,
        FileFormat::Pkcs11 => {
            return Err(LoadError::NotACertificateFile {
                looks_like: "a PKCS#11 token, which is opened by its pkcs11: URI".into(),
            });
        }
        FileFormat::DerKey => {
            let key = [KeyEncoding::Pkcs8, KeyEncoding::Pkcs1, KeyEncoding::Sec1]
                .into_iter()
                .find_map(|encoding| pem::key(bytes, encoding).ok())
                .ok_or_else(|| LoadError::Corrupt {
                    what: "the private key",
                    detail: "not PKCS#8, PKCS#1 or SEC1".into(),
                })?;
            Contents {
                keys: vec![key],
                ..Contents::default()
            }
        }
    };
    if contents.certificates.len() + contents.keys.len() > MAX_OBJECTS {
        return Err(LoadError::TooManyObjects {
            what: "certificates and keys",
            limit: MAX_OBJECTS,
        });
    }
    let mut seen = std::collections::HashSet::with_capacity(contents.certificates.len());
    let certificates: Vec<Certificate> = contents
        .certificates
        .into_iter()
        .filter(|cert| seen.insert(cert.der().to_vec()))
        .collect();
    let mut skipped = contents.skipped;
    if !certificates.is_empty() {
        for key in contents
            .keys
            .iter()
            .filter(|k| !certificates.iter().any(|c| k.matches(c)))
        {
            skipped.push(format!(
                "a private key ({}) that matches none of the certificates",
                key.kind()
            ));
        }
    }
    Ok(LoadedFile {
        path: None,
        format,
        certificates,
        keys: contents.keys,
        skipped,
    })
}

impl LoadedFile {
    /// The identity the edge would see: the leaf is the certificate whose public key matches
    /// the (first matching) private key; without a key, the first certificate.
    pub fn identity(&self) -> Result<Identity, LoadError> {
        if self.certificates.is_empty() {
            let found = if self.keys.is_empty() {
                "it is empty".to_owned()
            } else {
                "only a private key; give the certificate too, e.g. in one PEM file with the key"
                    .to_owned()
            };
            return Err(LoadError::NoCertificate { found });
        }
        match self.identities().into_iter().next() {
            Some(identity) => Ok(identity),
            None if !self.keys.is_empty() => Err(LoadError::KeyMatchesNoCertificate {
                certificates: self.certificates.len(),
            }),
            None => Ok(self.identity_for(0, None)),
        }
    }

    /// Every identity in the file: one per private key that matches a certificate (for files
    /// that hold several). Empty when the file has no key or no key matches.
    pub fn identities(&self) -> Vec<Identity> {
        self.keys
            .iter()
            .filter_map(|key| {
                let leaf = self.certificates.iter().position(|c| key.matches(c))?;
                Some(self.identity_for(leaf, Some(key.clone())))
            })
            .collect()
    }

    fn identity_for(&self, leaf_index: usize, key: Option<PrivateKey>) -> Identity {
        let leaf = self.certificates[leaf_index].clone();
        let mut rest: Vec<&Certificate> = self
            .certificates
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != leaf_index)
            .map(|(_, c)| c)
            .collect();
        // Issuer order first (leaf → intermediate → root), then whatever is left, in file order.
        let mut chain = Vec::new();
        let mut current = &leaf;
        while !current.is_self_issued() && chain.len() + 1 < MAX_CHAIN_LENGTH {
            let Some(position) = rest.iter().position(|c| current.is_issued_by_name(c)) else {
                break;
            };
            current = rest.remove(position);
            chain.push(current.clone());
        }
        chain.extend(rest.into_iter().cloned());
        Identity { leaf, chain, key }
    }
}

impl Identity {
    /// The certificate among `chain` and then `cas` that issued the leaf, if any.
    pub fn find_issuer<'a>(&'a self, cas: &'a [Certificate]) -> Option<&'a Certificate> {
        if self.leaf.is_self_issued() {
            return cas
                .iter()
                .find(|c| c.der() == self.leaf.der())
                .or(Some(&self.leaf));
        }
        self.chain
            .iter()
            .chain(cas.iter())
            .find(|c| self.leaf.is_issued_by_name(c))
    }
}

/// Certificates indexed by subject, to find issuers among many (a CA bundle) without
/// comparing every pair.
#[derive(Debug, Default)]
pub struct IssuerPool<'a> {
    by_subject: std::collections::HashMap<&'a [u8], Vec<&'a Certificate>>,
}

impl<'a> IssuerPool<'a> {
    /// Indexes `certificates` (earlier ones win when several could have issued a certificate).
    pub fn new(certificates: impl IntoIterator<Item = &'a Certificate>) -> Self {
        let mut by_subject: std::collections::HashMap<&'a [u8], Vec<&'a Certificate>> =
            std::collections::HashMap::new();
        for cert in certificates {
            by_subject.entry(cert.subject_key()).or_default().push(cert);
        }
        Self { by_subject }
    }

    /// The pooled certificate that issued `cert`; a self-issued certificate is its own issuer.
    pub fn issuer_of(&self, cert: &'a Certificate) -> Option<&'a Certificate> {
        if cert.is_self_issued() {
            return Some(cert);
        }
        self.by_subject
            .get(cert.issuer_key())?
            .iter()
            .copied()
            .find(|c| cert.is_issued_by_name(c))
    }
}
