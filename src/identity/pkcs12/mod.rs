//! PKCS#12 (`.p12`, `.pfx`) as OpenSSL reads it: every password form OpenSSL tries (no
//! password, the empty one, UTF-16 with surrogate pairs, the byte-wise form of old files),
//! OpenSSL 3's default (PBES2/AES-256, SHA-256 MAC), the legacy form (RC2-40 certificates,
//! 3DES key, SHA-1 MAC), unencrypted and MAC-less files, certificate-only truststores.
//!
//! The integrity check and every decryption are done here, each derivation charged to the
//! file's budget before it runs — bags that only appear once a safe is decrypted included.
//! What comes out is a plain, MAC-less archive of certificate and key bags that `p12-keystore`
//! decodes, contained so that none of its failures reach the user as anything but a
//! [`LoadError`].

mod mac;

use p12_keystore::Pkcs12Archive;
use zeroize::Zeroizing;

use crate::certificate::Certificate;
use crate::certificate::der::{self, Reader, Tlv, tag};
use crate::limits::{MAX_NESTING, MAX_OBJECTS};

use super::cost::{self, Budget};
use super::key::{KeyEncoding, PrivateKey};
use super::pbe::{self, DecryptError, PasswordForm};
use super::{Cancel, Contents, LoadError, Password};

use mac::MacData;

/// 1.2.840.113549.1.7.1
const DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01];
/// 1.2.840.113549.1.7.6
const ENCRYPTED_DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x06];
/// 1.2.840.113549.1.12.10.1.x — the bag types.
const BAG_TYPES: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x0A, 0x01];
const KEY_BAG: u8 = 1;
const SHROUDED_KEY_BAG: u8 = 2;
const CERT_BAG: u8 = 3;
const SECRET_BAG: u8 = 5;
const SAFE_CONTENTS_BAG: u8 = 6;
/// 1.2.840.113549.1.9.20
const FRIENDLY_NAME: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x14];

/// Opens a PKCS#12 file: with no password and the empty one first, then with `password`.
pub(super) fn load(
    bytes: &[u8],
    password: Option<&Password>,
    cancel: &Cancel,
) -> Result<Contents, LoadError> {
    let budget = cost::check_pkcs12(bytes)?;
    let pfx = Pfx::parse(bytes)?;
    if let Some(contents) = pfx.open_with("", &budget, cancel)? {
        return Ok(contents);
    }
    let password = password.ok_or(LoadError::PasswordNeeded {
        what: "this PKCS#12 file",
    })?;
    pfx.open_with(password.expose(), &budget, cancel)?
        .ok_or(LoadError::WrongPassword {
            detail: if pfx.mac.is_some() {
                "the file's integrity check (MAC) fails with it"
            } else {
                "the file's contents do not decrypt with it"
            },
        })
}

/// The outer structure: the authenticated safe's bytes, its safes, and the MAC.
struct Pfx<'a> {
    /// The content the MAC covers: the `AuthenticatedSafe` DER.
    auth_safe: &'a [u8],
    safes: Vec<Safe<'a>>,
    mac: Option<MacData<'a>>,
}

/// One `ContentInfo` of the authenticated safe.
enum Safe<'a> {
    /// A `SafeContents`, readable as it is.
    Plain(&'a [u8]),
    /// An `EncryptedData`: its algorithm and ciphertext.
    Encrypted {
        algorithm: &'a [u8],
        ciphertext: &'a [u8],
    },
}

/// Why one password form did not open the file.
enum Attempt {
    /// The form is not the file's password.
    Password,
    Failed(LoadError),
}

impl From<LoadError> for Attempt {
    fn from(error: LoadError) -> Self {
        Attempt::Failed(error)
    }
}

impl<'a> Pfx<'a> {
    /// Reads the structure down to each safe, so that damage is reported as damage before
    /// any password is judged.
    fn parse(bytes: &'a [u8]) -> Result<Self, LoadError> {
        let corrupt = |e: der::DerError| match e {
            der::DerError::Truncated => LoadError::Truncated {
                what: "the PKCS#12 structure",
            },
            other => LoadError::Corrupt {
                what: "the PKCS#12 structure",
                detail: other.to_string(),
            },
        };
        let pfx = der::parse_single(bytes, tag::SEQUENCE, "PFX").map_err(corrupt)?;
        let mut fields = pfx.reader();
        let version = fields.read(tag::INTEGER, "version").map_err(corrupt)?;
        if version.value != [3] {
            return Err(LoadError::Corrupt {
                what: "the PKCS#12 structure",
                detail: "its version is not 3".into(),
            });
        }
        let auth_safe = fields.read(tag::SEQUENCE, "authSafe").map_err(corrupt)?;
        let mac = fields
            .read_optional(tag::SEQUENCE)
            .map_err(corrupt)?
            .map(MacData::parse)
            .transpose()?;
        let (content_type, content) = content_info(auth_safe).map_err(corrupt)?;
        if content_type != DATA {
            return Err(LoadError::UnsupportedAlgorithm {
                name: "public-key (certificate-based) protection of the PKCS#12 contents".into(),
                hint: "; re-export the file with password protection",
            });
        }
        let auth_safe = octets(content).map_err(corrupt)?;
        let list =
            der::parse_single(auth_safe, tag::SEQUENCE, "AuthenticatedSafe").map_err(corrupt)?;
        let mut reader = list.reader();
        let mut safes = Vec::new();
        while !reader.is_empty() {
            let info = reader.read(tag::SEQUENCE, "ContentInfo").map_err(corrupt)?;
            let (content_type, content) = content_info(info).map_err(corrupt)?;
            if content_type == DATA {
                let bags = octets(content).map_err(corrupt)?;
                der::parse_single(bags, tag::SEQUENCE, "SafeContents").map_err(corrupt)?;
                safes.push(Safe::Plain(bags));
            } else if content_type == ENCRYPTED_DATA {
                safes.push(encrypted_data(content).map_err(corrupt)?);
            } else {
                return Err(LoadError::UnsupportedAlgorithm {
                    name:
                        "public-key (certificate-based) protection of part of the PKCS#12 contents"
                            .into(),
                    hint: "; re-export the file with password protection",
                });
            }
        }
        Ok(Self {
            auth_safe,
            safes,
            mac,
        })
    }

    /// Tries every form of `password`. `None`: none of them is the file's password.
    fn open_with(
        &self,
        password: &str,
        budget: &Budget,
        cancel: &Cancel,
    ) -> Result<Option<Contents>, LoadError> {
        for form in PasswordForm::all(password) {
            if let Some(mac) = &self.mac {
                if mac.verifies(self.auth_safe, &form, cancel)? {
                    // The password is proven: whatever fails now is the file's fault.
                    return match self.unpack(&form, budget.clone(), cancel) {
                        Ok(contents) => Ok(Some(contents)),
                        Err(Attempt::Failed(error)) => Err(error),
                        Err(Attempt::Password) => Err(LoadError::WrongPassword {
                            detail: "the integrity check (MAC) passes, but the contents do not decrypt with the same password (was the file made with two passwords, `openssl pkcs12 -twopass`?)",
                        }),
                    };
                }
                continue;
            }
            match self.unpack(&form, budget.clone(), cancel) {
                Ok(contents) => return Ok(Some(contents)),
                Err(Attempt::Password) => continue,
                Err(Attempt::Failed(error)) => return Err(error),
            }
        }
        Ok(None)
    }

    /// Decrypts everything with `password` and decodes the result.
    fn unpack(
        &self,
        password: &PasswordForm,
        mut budget: Budget,
        cancel: &Cancel,
    ) -> Result<Contents, Attempt> {
        let mut unpacked = Unpacked::default();
        for safe in &self.safes {
            match *safe {
                Safe::Plain(bags) => unpacked.collect(bags, 1, password, cancel)?,
                // An encrypted safe with no content holds no bags.
                Safe::Encrypted { ciphertext: [], .. } => {}
                Safe::Encrypted {
                    algorithm,
                    ciphertext,
                } => {
                    let bags = decrypt(algorithm, ciphertext, password, cancel)?;
                    if der::parse_single(&bags, tag::SEQUENCE, "SafeContents").is_err() {
                        return Err(Attempt::Password);
                    }
                    // What the safe hid is charged before any of it is decrypted.
                    cost::check_bags(&mut budget, &bags, 1)?;
                    budget.check_total()?;
                    unpacked.collect(&bags, 1, password, cancel)?;
                }
            }
        }
        unpacked.decode()
    }
}

/// Certificate and key bags gathered from every safe, keys decrypted.
#[derive(Default)]
struct Unpacked {
    bags: Vec<Zeroizing<Vec<u8>>>,
    skipped: Vec<String>,
}

impl Unpacked {
    fn collect(
        &mut self,
        safe_contents: &[u8],
        depth: usize,
        password: &PasswordForm,
        cancel: &Cancel,
    ) -> Result<(), Attempt> {
        if depth > MAX_NESTING {
            return Err(LoadError::TooDeeplyNested { limit: MAX_NESTING }.into());
        }
        let corrupt = |e: der::DerError| {
            Attempt::Failed(LoadError::Corrupt {
                what: "a PKCS#12 bag",
                detail: e.to_string(),
            })
        };
        let list =
            der::parse_single(safe_contents, tag::SEQUENCE, "SafeContents").map_err(corrupt)?;
        let mut reader = list.reader();
        while !reader.is_empty() {
            let bag = reader.read(tag::SEQUENCE, "SafeBag").map_err(corrupt)?;
            let mut fields = bag.reader();
            let bag_id = fields.read(tag::OID, "bagId").map_err(corrupt)?;
            let value = fields.read(0xA0, "bagValue").map_err(corrupt)?;
            let attributes = fields.read_optional(tag::SET).map_err(corrupt)?;
            let inner = Reader::new(value.value).read_any().map_err(corrupt)?;
            match bag_id.value.strip_prefix(BAG_TYPES) {
                Some([KEY_BAG | CERT_BAG]) => {
                    if self.bags.len() == MAX_OBJECTS {
                        return Err(LoadError::TooManyObjects {
                            what: "PKCS#12 bags",
                            limit: MAX_OBJECTS,
                        }
                        .into());
                    }
                    self.bags.push(Zeroizing::new(bag.raw.to_vec()));
                }
                Some([SHROUDED_KEY_BAG]) => {
                    let mut info = inner.reader();
                    let algorithm = info
                        .read(tag::SEQUENCE, "encryptionAlgorithm")
                        .map_err(corrupt)?;
                    let data = info
                        .read(tag::OCTET_STRING, "encryptedData")
                        .map_err(corrupt)?;
                    let key = decrypt(algorithm.raw, data.value, password, cancel)?;
                    if der::parse_single(&key, tag::SEQUENCE, "PrivateKeyInfo").is_err() {
                        return Err(Attempt::Password);
                    }
                    let mut plain =
                        Zeroizing::new(der::encode(tag::OID, &[BAG_TYPES, &[KEY_BAG]].concat()));
                    plain.extend_from_slice(&Zeroizing::new(der::encode(0xA0, &key)));
                    if let Some(attributes) = attributes {
                        plain.extend_from_slice(attributes.raw);
                    }
                    self.bags
                        .push(Zeroizing::new(der::encode(tag::SEQUENCE, &plain)));
                }
                Some([SECRET_BAG]) => {
                    let name = attributes
                        .and_then(friendly_name)
                        .unwrap_or_else(|| "unnamed".into());
                    self.skipped.push(format!("a secret-key bag ({name})"));
                }
                Some([SAFE_CONTENTS_BAG]) => {
                    self.collect(inner.raw, depth + 1, password, cancel)?;
                }
                // CRL bags and unknown types carry nothing an identity needs.
                _ => {}
            }
        }
        Ok(())
    }

    /// Hands the plain bags to the decoder as one MAC-less archive.
    fn decode(self) -> Result<Contents, Attempt> {
        let archive = plain_archive(&self.bags);
        let archive = crate::contain::contain(|| Pkcs12Archive::from_pkcs12(&archive, ""))
            .map_err(|panic| LoadError::Internal {
                detail: format!("the PKCS#12 decoder failed: {panic}"),
            })?
            .map_err(|error| match error {
                p12_keystore::error::Error::UnsupportedCertificateType => {
                    LoadError::UnsupportedAlgorithm {
                        name: "a certificate type other than X.509 (SDSI)".into(),
                        hint: "",
                    }
                }
                other => LoadError::Corrupt {
                    what: "a PKCS#12 bag",
                    detail: other.to_string(),
                },
            })?;
        let mut contents = Contents {
            skipped: self.skipped,
            ..Contents::default()
        };
        for bag in archive.certs {
            let cert =
                Certificate::from_der(bag.cert.as_der()).map_err(|e| LoadError::Corrupt {
                    what: "a certificate in the PKCS#12 file",
                    detail: e.to_string(),
                })?;
            contents
                .certificates
                .push(cert.with_friendly_name(bag.friendly_name));
        }
        for bag in archive.keys {
            let key = PrivateKey::from_der(bag.key.as_der(), KeyEncoding::Pkcs8, bag.friendly_name)
                .map_err(|e| LoadError::Corrupt {
                    what: "the private key in the PKCS#12 file",
                    detail: e.0,
                })?;
            contents.keys.push(key);
        }
        Ok(contents)
    }
}

/// `PFX { version 3, authSafe Data { AuthenticatedSafe { Data { SafeContents } } } }`.
fn plain_archive(bags: &[Zeroizing<Vec<u8>>]) -> Zeroizing<Vec<u8>> {
    let wrap = |tag: u8, content: &[u8]| Zeroizing::new(der::encode(tag, content));
    let data = |content: &[u8]| {
        let octets = wrap(tag::OCTET_STRING, content);
        let explicit = wrap(0xA0, &octets);
        let mut info = Zeroizing::new(der::encode(tag::OID, DATA));
        info.extend_from_slice(&explicit);
        wrap(tag::SEQUENCE, &info)
    };
    let mut all = Zeroizing::new(Vec::with_capacity(bags.iter().map(|b| b.len()).sum()));
    for bag in bags {
        all.extend_from_slice(bag);
    }
    let safe_contents = wrap(tag::SEQUENCE, &all);
    let auth_safe = wrap(tag::SEQUENCE, &data(&safe_contents));
    let mut pfx = Zeroizing::new(der::encode(tag::INTEGER, &[3]));
    pfx.extend_from_slice(&data(&auth_safe));
    wrap(tag::SEQUENCE, &pfx)
}

fn decrypt(
    algorithm: &[u8],
    ciphertext: &[u8],
    password: &PasswordForm,
    cancel: &Cancel,
) -> Result<Zeroizing<Vec<u8>>, Attempt> {
    pbe::decrypt(algorithm, ciphertext, password, cancel).map_err(|error| match error {
        DecryptError::Failed => Attempt::Password,
        DecryptError::Cancelled => Attempt::Failed(LoadError::Cancelled),
        DecryptError::Damaged(part) => Attempt::Failed(LoadError::Corrupt {
            what: "an encrypted part of the file",
            detail: format!("{part} cannot be decoded"),
        }),
        DecryptError::Unsupported(name) => Attempt::Failed(LoadError::UnsupportedAlgorithm {
            name,
            hint: "; re-export the file with `openssl pkcs12` (OpenSSL 3 defaults to AES-256)",
        }),
    })
}

/// A `ContentInfo`'s type and its `[0] EXPLICIT` content.
fn content_info(info: Tlv<'_>) -> Result<(&[u8], Tlv<'_>), der::DerError> {
    let mut fields = info.reader();
    let content_type = fields.read(tag::OID, "contentType")?;
    Ok((content_type.value, fields.read(0xA0, "content")?))
}

/// The OCTET STRING inside an `[0] EXPLICIT` wrapper.
fn octets(explicit: Tlv<'_>) -> Result<&[u8], der::DerError> {
    Ok(Reader::new(explicit.value)
        .read(tag::OCTET_STRING, "OCTET STRING")?
        .value)
}

/// `EncryptedData { version, EncryptedContentInfo { contentType, algorithm, [0] IMPLICIT
/// encryptedContent } }`.
fn encrypted_data(explicit: Tlv<'_>) -> Result<Safe<'_>, der::DerError> {
    let data = Reader::new(explicit.value).read(tag::SEQUENCE, "EncryptedData")?;
    let mut fields = data.reader();
    fields.read(tag::INTEGER, "version")?;
    let info = fields.read(tag::SEQUENCE, "EncryptedContentInfo")?;
    let mut info = info.reader();
    info.read(tag::OID, "contentType")?;
    let algorithm = info.read(tag::SEQUENCE, "contentEncryptionAlgorithm")?;
    let ciphertext = match info.read_optional(0x80)? {
        Some(primitive) => primitive.value,
        // Constructed form: one OCTET STRING chunk (all writers here use a single chunk).
        None => match info.read_optional(0xA0)? {
            Some(constructed) => {
                Reader::new(constructed.value)
                    .read(tag::OCTET_STRING, "encryptedContent")?
                    .value
            }
            None => &[],
        },
    };
    Ok(Safe::Encrypted {
        algorithm: algorithm.raw,
        ciphertext,
    })
}

/// The `friendlyName` bag attribute (a BMPString), decoded.
fn friendly_name(attributes: Tlv<'_>) -> Option<String> {
    let mut reader = attributes.reader();
    while let Ok(attribute) = reader.read(tag::SEQUENCE, "Attribute") {
        let mut fields = attribute.reader();
        let oid = fields.read(tag::OID, "attrId").ok()?;
        let values = fields.read(tag::SET, "attrValues").ok()?;
        if oid.value == FRIENDLY_NAME {
            let name = values.reader().read(0x1E, "BMPString").ok()?;
            let units: Vec<u16> = name
                .value
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect();
            return Some(String::from_utf16_lossy(&units));
        }
    }
    None
}
