//! Java keystores as `keytool` writes them: JKS (Sun's `JavaKeyStore`) and JCEKS
//! (`JceKeyStore`). Every private-key entry becomes an identity (its key and chain), every
//! trusted-certificate entry a certificate. The store password checks the whole file (a SHA-1
//! over the password, the words "Mighty Aphrodite" and the contents); each key has its own
//! password, the store's unless told otherwise. PKCS12-type keystores are PKCS#12 files.

use md5::Md5;
use sha1::{Digest as _, Sha1};
use zeroize::Zeroizing;

use super::key::{KeyEncoding, PrivateKey};
use super::{Contents, LoadError, Password};
use crate::certificate::Certificate;
use crate::certificate::der::{self, tag};
use crate::limits::{MAX_ITERATIONS, MAX_OBJECTS, MAX_TOTAL_ITERATIONS};

/// What [`LoadError::PasswordNeeded`] names for a keystore (whose keys may have a password of
/// their own).
pub const KEYSTORE: &str = "the keystore";

/// JKS's first four bytes.
pub const JKS_MAGIC: [u8; 4] = [0xFE, 0xED, 0xFE, 0xED];
/// JCEKS's first four bytes.
pub const JCEKS_MAGIC: [u8; 4] = [0xCE, 0xCE, 0xCE, 0xCE];

/// Sun's JKS key protector (`1.3.6.1.4.1.42.2.17.1.1`).
const OID_JKS_KEY_PROTECTOR: &[u8] = &[0x2B, 0x06, 0x01, 0x04, 0x01, 0x2A, 0x02, 0x11, 0x01, 0x01];
/// `PBEWithMD5AndTripleDES` (`1.3.6.1.4.1.42.2.19.1`), JCEKS's key protector.
const OID_PBE_MD5_TRIPLE_DES: &[u8] = &[0x2B, 0x06, 0x01, 0x04, 0x01, 0x2A, 0x02, 0x13, 0x01];

/// A cursor over the big-endian fields `DataOutputStream` writes.
struct Fields<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Fields<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], LoadError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len());
        let end = end.ok_or(LoadError::Truncated { what })?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u16(&mut self, what: &'static str) -> Result<usize, LoadError> {
        let b = self.take(2, what)?;
        Ok(u16::from_be_bytes([b[0], b[1]]) as usize)
    }

    fn u32(&mut self, what: &'static str) -> Result<usize, LoadError> {
        let b = self.take(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    /// `writeUTF`: a length, then modified UTF-8 (read leniently).
    fn utf(&mut self, what: &'static str) -> Result<String, LoadError> {
        let n = self.u16(what)?;
        Ok(String::from_utf8_lossy(self.take(n, what)?).into_owned())
    }

    fn certificate(&mut self, version: usize) -> Result<Certificate, LoadError> {
        if version == 2 {
            let kind = self.utf("a certificate's type")?;
            if kind != "X.509" {
                return Err(corrupt(format!("a certificate of type {kind}")));
            }
        }
        let n = self.u32("a certificate's length")?;
        let der = self.take(n, "a certificate")?;
        Certificate::from_der(der).map_err(|e| corrupt(format!("a certificate: {}", e.0)))
    }
}

fn corrupt(detail: String) -> LoadError {
    LoadError::Corrupt {
        what: "the keystore",
        detail,
    }
}

/// The password as Java's `char`s in UTF-16BE, as both integrity and JKS keys use it.
fn utf16be(password: &str) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(password.encode_utf16().flat_map(u16::to_be_bytes).collect())
}

/// Reads a JKS or JCEKS keystore.
pub fn load(bytes: &[u8], password: Option<&Password>) -> Result<Contents, LoadError> {
    let store_password = password.map(Password::expose).unwrap_or("");
    let Some(body_len) = bytes.len().checked_sub(20) else {
        return Err(LoadError::Truncated {
            what: "the keystore",
        });
    };
    let (body, digest) = bytes.split_at(body_len);
    let mut check = Sha1::new();
    check.update(&*utf16be(store_password));
    check.update(b"Mighty Aphrodite");
    check.update(body);
    if check.finalize().as_slice() != digest {
        return Err(match password {
            Some(p) if !p.is_empty() => LoadError::WrongPassword {
                detail: "the keystore's integrity check fails with this store password",
            },
            _ => LoadError::PasswordNeeded { what: KEYSTORE },
        });
    }
    let jceks = body.starts_with(&JCEKS_MAGIC);
    let mut fields = Fields { bytes: body, at: 4 };
    let version = fields.u32("the keystore's version")?;
    if !(1..=2).contains(&version) {
        return Err(corrupt(format!("version {version}")));
    }
    let count = fields.u32("the number of entries")?;
    if count > MAX_OBJECTS {
        return Err(LoadError::TooManyObjects {
            what: "keystore entries",
            limit: MAX_OBJECTS,
        });
    }
    let key_password = password
        .map(Password::key_password)
        .unwrap_or(store_password);
    let mut contents = Contents::default();
    let mut iterations = 0u64;
    for _ in 0..count {
        let tag = fields.u32("an entry's tag")?;
        let alias = fields.utf("an entry's alias")?;
        fields.take(8, "an entry's date")?;
        match tag {
            1 => {
                let n = fields.u32("a key's length")?;
                let protected = fields.take(n, "a protected key")?;
                let chain_length = fields.u32("a chain's length")?;
                if chain_length > MAX_OBJECTS {
                    return Err(corrupt(format!("a chain of {chain_length} certificates")));
                }
                let mut chain = Vec::with_capacity(chain_length);
                for _ in 0..chain_length {
                    chain.push(fields.certificate(version)?);
                }
                let plain = unprotect(protected, key_password, &alias, &mut iterations)?;
                let key = PrivateKey::from_der(&plain, KeyEncoding::Pkcs8, Some(alias.clone()))
                    .map_err(|e| corrupt(format!("the key “{alias}”: {}", e.0)))?;
                contents.keys.push(key);
                contents.certificates.extend(chain);
            }
            2 => contents.certificates.push(fields.certificate(version)?),
            3 if jceks => {
                // A serialised Java object with no length before it: nothing after it can be
                // found, so say where reading stopped.
                contents.skipped.push(format!(
                    "the secret-key entry “{alias}” and every entry after it (Java-serialised; Certlens reads only keys and certificates)"
                ));
                break;
            }
            other => return Err(corrupt(format!("an entry of kind {other}"))),
        }
    }
    Ok(contents)
}

/// The PKCS#8 key inside a protected-key entry.
fn unprotect(
    protected: &[u8],
    password: &str,
    alias: &str,
    iterations_so_far: &mut u64,
) -> Result<Zeroizing<Vec<u8>>, LoadError> {
    let info = der::parse_single(protected, tag::SEQUENCE, "EncryptedPrivateKeyInfo")
        .map_err(|e| corrupt(format!("the key “{alias}”: {e}")))?;
    let mut parts = info.reader();
    let algorithm = read(alias, &mut parts, tag::SEQUENCE, "encryptionAlgorithm")?;
    let data = read(alias, &mut parts, tag::OCTET_STRING, "encryptedData")?.value;
    let mut alg = algorithm.reader();
    let oid = read(alias, &mut alg, tag::OID, "algorithm")?.value;
    let wrong = || LoadError::WrongPassword {
        detail: "the keystore opens, but a key does not decrypt with this password (each key in a keystore can have its own password)",
    };
    if oid == OID_JKS_KEY_PROTECTOR {
        return jks_unprotect(data, password).ok_or_else(wrong);
    }
    if oid == OID_PBE_MD5_TRIPLE_DES {
        let params = read(alias, &mut alg, tag::SEQUENCE, "PBEParameter")?;
        let mut p = params.reader();
        let salt = read(alias, &mut p, tag::OCTET_STRING, "salt")?.value;
        let iterations =
            super::cost::unsigned(read(alias, &mut p, tag::INTEGER, "iterationCount")?.value)
                .unwrap_or(u64::MAX);
        if iterations > MAX_ITERATIONS {
            return Err(LoadError::TooManyIterations {
                what: "a keystore key's protection",
                count: iterations,
                limit: MAX_ITERATIONS,
            });
        }
        *iterations_so_far = iterations_so_far.saturating_add(iterations);
        if *iterations_so_far > MAX_TOTAL_ITERATIONS {
            return Err(LoadError::TooManyIterations {
                what: "the keystore's key derivations added together",
                count: *iterations_so_far,
                limit: MAX_TOTAL_ITERATIONS,
            });
        }
        if salt.len() != 8 {
            return Err(corrupt(format!(
                "the key “{alias}”: a salt of {} bytes",
                salt.len()
            )));
        }
        return jceks_unprotect(data, password, salt, iterations).ok_or_else(wrong);
    }
    Err(LoadError::UnsupportedAlgorithm {
        name: format!("the key protection {}", der::oid_to_string(oid)),
        hint: "",
    })
}

/// The next field of a key's protection, or the keystore's corruption naming the key.
fn read<'a>(
    alias: &str,
    reader: &mut der::Reader<'a>,
    expected: u8,
    what: &'static str,
) -> Result<der::Tlv<'a>, LoadError> {
    reader
        .read(expected, what)
        .map_err(|e| corrupt(format!("the key “{alias}”: {e}")))
}

/// Sun's JKS key protector: a SHA-1 keystream over the password and a 20-byte salt, and a
/// SHA-1 check of the password and the key.
fn jks_unprotect(data: &[u8], password: &str) -> Option<Zeroizing<Vec<u8>>> {
    let encrypted_len = data.len().checked_sub(40)?;
    let (salt, rest) = data.split_at(20);
    let (encrypted, check) = rest.split_at(encrypted_len);
    let password = utf16be(password);
    let mut plain = Zeroizing::new(Vec::with_capacity(encrypted.len()));
    let mut digest = salt.to_vec();
    while plain.len() < encrypted.len() {
        digest = Sha1::new()
            .chain_update(&*password)
            .chain_update(&digest)
            .finalize()
            .to_vec();
        for (byte, key) in encrypted[plain.len()..].iter().zip(&digest) {
            plain.push(byte ^ key);
        }
    }
    let expected = Sha1::new()
        .chain_update(&*password)
        .chain_update(&*plain)
        .finalize();
    (expected.as_slice() == check).then_some(plain)
}

/// `PBEWithMD5AndTripleDES` as Sun's `PBES1Core` derives it: each salt half hashed with the
/// password (its `char`s' low bytes) `iterations` times, giving the 3DES key and IV — with the
/// JDK's own swap when the halves are equal.
fn jceks_unprotect(
    data: &[u8],
    password: &str,
    salt: &[u8],
    iterations: u64,
) -> Option<Zeroizing<Vec<u8>>> {
    let mut salt = salt.to_vec();
    if salt[..4] == salt[4..] {
        // The JDK's code, `salt[3-1]` included.
        for i in 0..2 {
            let tmp = salt[i];
            salt[i] = salt[3 - i];
            salt[2] = tmp;
        }
    }
    let password: Zeroizing<Vec<u8>> =
        Zeroizing::new(password.chars().map(|c| c as u32 as u8).collect());
    let mut derived = Zeroizing::new(Vec::with_capacity(32));
    for half in salt.chunks(4) {
        let mut state = half.to_vec();
        for _ in 0..iterations {
            state = Md5::new()
                .chain_update(&state)
                .chain_update(&*password)
                .finalize()
                .to_vec();
        }
        derived.extend_from_slice(&state);
    }
    super::pbe::cbc_decrypt::<des::TdesEde3>(&derived[..24], &derived[24..32], data).ok()
}
