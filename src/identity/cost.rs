//! What opening a protected file will cost, read from its unencrypted structure before any key
//! derivation runs. A file that asks for a billion PBKDF2 rounds, a gigabyte of scrypt memory,
//! a hundred thousand bags or bags nested a thousand deep is refused at once, with the number
//! it asked for, instead of keeping the user waiting.
//!
//! The scan only refuses what it positively finds too costly: anything it cannot read is left
//! to the decoder, which reports damage in its own, more specific words.

use crate::certificate::der::{self, Reader, Tlv, tag};
use crate::limits::{
    MAX_ITERATIONS, MAX_NESTING, MAX_OBJECTS, MAX_SCRYPT_MEMORY, MAX_SCRYPT_PARALLELISM,
    MAX_TOTAL_ITERATIONS, scrypt_work,
};

use super::LoadError;

/// 1.2.840.113549.1.5.13
const PBES2: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D];
/// 1.2.840.113549.1.5.12
const PBKDF2: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0C];
/// 1.3.6.1.4.1.11591.4.11
const SCRYPT: &[u8] = &[0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x04, 0x0B];
/// 1.2.840.113549.1.12.1 — the PKCS#12 password-based encryption schemes.
const PKCS12_PBE: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01];
/// 1.2.840.113549.1.5 — PKCS#5 v1.5 schemes (`pbeWithMD5AndDES-CBC` …) share the same parameters.
const PKCS5: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05];
/// 1.2.840.113549.1.7.1
const DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01];
/// 1.2.840.113549.1.7.6
const ENCRYPTED_DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x06];
/// 1.2.840.113549.1.12.10.1.2
const SHROUDED_KEY_BAG: &[u8] = &[
    0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x0A, 0x01, 0x02,
];
/// 1.2.840.113549.1.12.10.1.5
const SECRET_BAG: &[u8] = &[
    0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x0A, 0x01, 0x05,
];
/// 1.2.840.113549.1.12.10.1.6
const SAFE_CONTENTS_BAG: &[u8] = &[
    0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x0A, 0x01, 0x06,
];

/// The key-derivation work found so far in one file.
#[derive(Debug, Default, Clone)]
pub(super) struct Budget {
    iterations: u64,
    bags: usize,
}

impl Budget {
    /// Charges the derivation `algorithm` (an `AlgorithmIdentifier`) asks for, checking only its
    /// own size; `what` names the protected part in the error. A scan adds up everything it
    /// sees before [`Budget::check_total`], so that the error names the whole file's count.
    pub(super) fn add(&mut self, what: &'static str, algorithm: &[u8]) -> Result<(), LoadError> {
        let Some((oid, parameters)) = algorithm_parts(algorithm) else {
            return Ok(());
        };
        if oid == PBES2 {
            let Some((kdf, _scheme)) = parameters.and_then(two_sequences) else {
                return Ok(());
            };
            let Some((kdf_oid, kdf_parameters)) = algorithm_parts(kdf.raw) else {
                return Ok(());
            };
            let mut fields = kdf_parameters
                .map(|p| p.reader())
                .unwrap_or(Reader::new(&[]));
            if kdf_oid == PBKDF2 {
                // PBKDF2-params: salt, iterationCount, …
                if fields.read_any().is_ok()
                    && let Ok(count) = fields.read(tag::INTEGER, "iterationCount")
                {
                    self.iterations(what, unsigned(count.value))?;
                }
            } else if kdf_oid == SCRYPT {
                // scrypt-params: salt, costParameter N, blockSize r, parallelizationParameter p.
                let _salt = fields.read_any();
                let mut next = || {
                    fields
                        .read(tag::INTEGER, "scrypt parameter")
                        .ok()
                        .and_then(|t| unsigned(t.value))
                };
                let (n, r, p) = (next(), next(), next());
                // A parameter too large for 64 bits counts as the largest.
                if n.is_some() || r.is_some() || p.is_some() {
                    let [n, r, p] = [n, r, p].map(|v| v.unwrap_or(u64::MAX));
                    self.scrypt(what, n, r, p)?;
                }
            }
        } else if oid.starts_with(PKCS12_PBE) || oid.starts_with(PKCS5) {
            // pkcs-12PbeParams and PBEParameter alike: salt, iterations.
            let mut fields = parameters.map(|p| p.reader()).unwrap_or(Reader::new(&[]));
            if fields.read_any().is_ok()
                && let Ok(count) = fields.read(tag::INTEGER, "iterations")
            {
                self.iterations(what, unsigned(count.value))?;
            }
        }
        Ok(())
    }

    /// Charges one derivation of `count` iterations (`None`: too large to represent).
    fn iterations(&mut self, what: &'static str, count: Option<u64>) -> Result<(), LoadError> {
        let count = count.unwrap_or(u64::MAX);
        if count > MAX_ITERATIONS {
            return Err(LoadError::TooManyIterations {
                what,
                count,
                limit: MAX_ITERATIONS,
            });
        }
        self.iterations = self.iterations.saturating_add(count);
        Ok(())
    }

    /// Refuses the file once its derivations together exceed [`MAX_TOTAL_ITERATIONS`].
    pub(super) fn check_total(&self) -> Result<(), LoadError> {
        if self.iterations > MAX_TOTAL_ITERATIONS {
            return Err(LoadError::TooManyIterations {
                what: "the file's key derivations added together (scrypt's N·r·p counted as iterations)",
                count: self.iterations,
                limit: MAX_TOTAL_ITERATIONS,
            });
        }
        Ok(())
    }

    /// Charges one scrypt derivation: bounded by itself (memory, parallelism, work), then its
    /// work ([`scrypt_work`]) added to the file's iterations.
    fn scrypt(&mut self, what: &'static str, n: u64, r: u64, p: u64) -> Result<(), LoadError> {
        let memory = 128u64.saturating_mul(n).saturating_mul(r);
        let work = scrypt_work(n, r, p);
        if memory > MAX_SCRYPT_MEMORY || p > MAX_SCRYPT_PARALLELISM || work > MAX_ITERATIONS {
            return Err(LoadError::ScryptTooCostly {
                what,
                memory,
                parallelism: p,
                work,
            });
        }
        self.iterations = self.iterations.saturating_add(work);
        Ok(())
    }

    fn bag(&mut self) -> Result<(), LoadError> {
        self.bags += 1;
        if self.bags > MAX_OBJECTS {
            return Err(LoadError::TooManyObjects {
                what: "PKCS#12 bags and safes",
                limit: MAX_OBJECTS,
            });
        }
        Ok(())
    }
}

/// Refuses a PKCS#12 file whose visible structure asks for too much work: its MAC, each
/// encrypted safe, each shrouded key and secret bag in a plain safe, the number of bags and
/// their nesting. Returns what was charged: bags inside an encrypted safe are only visible
/// once it is decrypted, and are charged then ([`check_bags`]) before any of them is.
pub(super) fn check_pkcs12(bytes: &[u8]) -> Result<Budget, LoadError> {
    let mut budget = Budget::default();
    let Ok(pfx) = der::parse_single(bytes, tag::SEQUENCE, "PFX") else {
        return Ok(budget);
    };
    let mut fields = pfx.reader();
    let (Ok(_version), Ok(auth_safe)) = (fields.read_any(), fields.read_any()) else {
        return Ok(budget);
    };
    if let Ok(mac_data) = fields.read(tag::SEQUENCE, "macData") {
        // MacData: mac DigestInfo, macSalt, iterations DEFAULT 1.
        let mut mac = mac_data.reader();
        let _ = (mac.read_any(), mac.read_any());
        if let Ok(Some(count)) = mac.read_optional(tag::INTEGER) {
            budget.iterations("the file's integrity check (MAC)", unsigned(count.value))?;
        }
    }
    let Some(safes) = data_content(auth_safe) else {
        return Ok(budget);
    };
    let Ok(safes) = der::parse_single(safes, tag::SEQUENCE, "AuthenticatedSafe") else {
        return Ok(budget);
    };
    let mut safes = safes.reader();
    while let Ok(safe) = safes.read_any() {
        let Some((content_type, content)) = content_info(safe) else {
            continue;
        };
        if content_type == DATA {
            if let Some(bags) = content.and_then(octets) {
                check_bags(&mut budget, bags, 1)?;
            }
        } else if content_type == ENCRYPTED_DATA {
            // Each encrypted safe costs a derivation and a decryption: it counts as an object.
            budget.bag()?;
            // EncryptedData: version, EncryptedContentInfo { contentType, algorithm, … }.
            let mut encrypted = content
                .and_then(|c| {
                    Reader::new(c.value)
                        .read(tag::SEQUENCE, "EncryptedData")
                        .ok()
                })
                .map(|t| t.reader())
                .unwrap_or(Reader::new(&[]));
            let _version = encrypted.read_any();
            if let Ok(info) = encrypted.read(tag::SEQUENCE, "EncryptedContentInfo") {
                let mut info = info.reader();
                let _content_type = info.read_any();
                if let Ok(algorithm) = info.read(tag::SEQUENCE, "algorithm") {
                    budget.add("an encrypted part of the file", algorithm.raw)?;
                }
            }
        }
    }
    budget.check_total()?;
    Ok(budget)
}

/// Walks a `SafeContents`, charging shrouded keys and secret bags and following nested
/// `SafeContents` bags; the caller checks the total.
pub(super) fn check_bags(
    budget: &mut Budget,
    safe_contents: &[u8],
    depth: usize,
) -> Result<(), LoadError> {
    if depth > MAX_NESTING {
        return Err(LoadError::TooDeeplyNested { limit: MAX_NESTING });
    }
    let Ok(bags) = der::parse_single(safe_contents, tag::SEQUENCE, "SafeContents") else {
        return Ok(());
    };
    let mut bags = bags.reader();
    while let Ok(bag) = bags.read_any() {
        budget.bag()?;
        let mut fields = bag.reader();
        let (Ok(bag_id), Ok(value)) = (fields.read(tag::OID, "bagId"), fields.read_any()) else {
            continue;
        };
        // bagValue is [0] EXPLICIT.
        let Ok(inner) = Reader::new(value.value).read_any() else {
            continue;
        };
        if bag_id.value == SHROUDED_KEY_BAG {
            // EncryptedPrivateKeyInfo: algorithm, encryptedData.
            if let Ok(algorithm) = inner.reader().read(tag::SEQUENCE, "algorithm") {
                budget.add("the private key", algorithm.raw)?;
            }
        } else if bag_id.value == SECRET_BAG {
            // SecretBag: secretTypeId, secretValue [0] EXPLICIT OCTET STRING — which Java and
            // others fill with an EncryptedPrivateKeyInfo.
            let mut fields = inner.reader();
            let protected = fields
                .read(tag::OID, "secretTypeId")
                .and_then(|_| fields.read(0xA0, "secretValue"))
                .and_then(|value| Reader::new(value.value).read(tag::OCTET_STRING, "secretValue"))
                .and_then(|octets| {
                    der::parse_single(octets.value, tag::SEQUENCE, "EncryptedPrivateKeyInfo")
                });
            if let Ok(algorithm) =
                protected.and_then(|info| info.reader().read(tag::SEQUENCE, "algorithm"))
            {
                budget.add("a secret-key bag", algorithm.raw)?;
            }
        } else if bag_id.value == SAFE_CONTENTS_BAG {
            check_bags(budget, inner.raw, depth + 1)?;
        }
    }
    Ok(())
}

/// An `AlgorithmIdentifier`'s OID content and parameters.
fn algorithm_parts(algorithm: &[u8]) -> Option<(&[u8], Option<Tlv<'_>>)> {
    let sequence = der::parse_single(algorithm, tag::SEQUENCE, "AlgorithmIdentifier").ok()?;
    let mut fields = sequence.reader();
    let oid = fields.read(tag::OID, "algorithm").ok()?;
    Some((oid.value, fields.read_any().ok()))
}

fn two_sequences(parameters: Tlv<'_>) -> Option<(Tlv<'_>, Tlv<'_>)> {
    let mut fields = parameters.reader();
    Some((
        fields.read(tag::SEQUENCE, "first").ok()?,
        fields.read(tag::SEQUENCE, "second").ok()?,
    ))
}

/// A `ContentInfo`'s type and its `[0] EXPLICIT` content.
fn content_info(info: Tlv<'_>) -> Option<(&[u8], Option<Tlv<'_>>)> {
    let mut fields = info.reader();
    let content_type = fields.read(tag::OID, "contentType").ok()?;
    Some((content_type.value, fields.read_any().ok()))
}

/// The bytes a `Data` `ContentInfo` carries.
fn data_content(info: Tlv<'_>) -> Option<&[u8]> {
    let (content_type, content) = content_info(info)?;
    (content_type == DATA).then_some(())?;
    octets(content?)
}

/// The OCTET STRING inside an `[0] EXPLICIT` wrapper.
fn octets(explicit: Tlv<'_>) -> Option<&[u8]> {
    Reader::new(explicit.value)
        .read(tag::OCTET_STRING, "OCTET STRING")
        .ok()
        .map(|t| t.value)
}

/// A non-negative INTEGER's value; `None` when it does not fit in 64 bits. Negative values
/// read as zero (the decoder refuses them).
pub(super) fn unsigned(content: &[u8]) -> Option<u64> {
    if content.first().is_some_and(|b| b & 0x80 != 0) {
        return Some(0);
    }
    let digits = content
        .iter()
        .position(|&b| b != 0)
        .map_or(&[][..], |i| &content[i..]);
    if digits.len() > 8 {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn integer(value: u64) -> Vec<u8> {
        let mut bytes = value.to_be_bytes().to_vec();
        while bytes.len() > 1 && bytes[0] == 0 && bytes[1] & 0x80 == 0 {
            bytes.remove(0);
        }
        if bytes[0] & 0x80 != 0 {
            bytes.insert(0, 0);
        }
        der::encode(tag::INTEGER, &bytes)
    }

    fn sequence(parts: &[Vec<u8>]) -> Vec<u8> {
        der::encode(tag::SEQUENCE, &parts.concat())
    }

    fn pbes2_pbkdf2(iterations: u64) -> Vec<u8> {
        let kdf = sequence(&[
            der::encode(tag::OID, PBKDF2),
            sequence(&[der::encode(tag::OCTET_STRING, &[1; 8]), integer(iterations)]),
        ]);
        let aes = sequence(&[der::encode(
            tag::OID,
            &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2A],
        )]);
        sequence(&[der::encode(tag::OID, PBES2), sequence(&[kdf, aes])])
    }

    #[test]
    fn integers_read_as_unsigned() {
        assert_eq!(unsigned(&[0x08, 0x00]), Some(2048));
        assert_eq!(unsigned(&[0x00, 0xFF]), Some(255));
        assert_eq!(unsigned(&[0x80]), Some(0));
        assert_eq!(unsigned(&[0x01; 9]), None);
        assert_eq!(unsigned(&[]), Some(0));
    }

    #[test]
    fn pbkdf2_over_the_limit_is_refused_with_its_count() {
        let mut budget = Budget::default();
        assert!(
            budget
                .add("the private key", &pbes2_pbkdf2(MAX_ITERATIONS))
                .is_ok()
        );
        let error = Budget::default()
            .add("the private key", &pbes2_pbkdf2(5_000_000))
            .unwrap_err();
        assert!(error.to_string().contains("5,000,000"), "{error}");
    }

    #[test]
    fn many_derivations_together_exceed_the_budget() {
        let mut budget = Budget::default();
        let algorithm = pbes2_pbkdf2(MAX_ITERATIONS);
        let outcomes: Vec<bool> = (0..11)
            .map(|_| {
                budget
                    .add("the private key", &algorithm)
                    .and_then(|()| budget.check_total())
                    .is_ok()
            })
            .collect();
        assert_eq!(outcomes.iter().filter(|ok| **ok).count(), 10);
        assert!(!outcomes[10]);
    }

    #[test]
    fn scrypt_memory_parallelism_and_work_are_bounded() {
        let scrypt = |n, r, p| Budget::default().scrypt("the private key", n, r, p);
        assert!(scrypt(16_384, 8, 1).is_ok());
        let error = scrypt(1 << 20, 8, 1).unwrap_err();
        assert!(error.to_string().contains("1,073,741,824"), "{error}");
        assert!(scrypt(1024, 8, 1_000).is_err());
        // 64 MiB and p = 16 each pass, but not together: 8,388,608 iterations' worth.
        let error = scrypt(1 << 16, 8, 16).unwrap_err();
        assert!(error.to_string().contains("8,388,608"), "{error}");
    }

    #[test]
    fn scrypt_work_counts_toward_the_files_total() {
        let mut budget = Budget::default();
        let charged: Vec<bool> = (0..20)
            .map(|_| {
                budget
                    .scrypt("the private key", 1 << 16, 8, 1)
                    .and_then(|()| budget.check_total())
                    .is_ok()
            })
            .collect();
        // 524,288 each: the 20th goes past 10,000,000.
        assert_eq!(charged.iter().filter(|ok| **ok).count(), 19);
        let error = budget.check_total().unwrap_err();
        assert!(error.to_string().contains("10,485,760"), "{error}");
        assert!(error.to_string().contains("scrypt"), "{error}");
    }

    #[test]
    fn nesting_is_bounded() {
        // Each SafeContents holds one safeContentsBag holding the next.
        let mut contents = sequence(&[]);
        for _ in 0..MAX_NESTING + 2 {
            let bag = sequence(&[
                der::encode(tag::OID, SAFE_CONTENTS_BAG),
                der::encode(0xA0, &contents),
            ]);
            contents = sequence(&[bag]);
        }
        let error = check_bags(&mut Budget::default(), &contents, 1).unwrap_err();
        assert!(
            matches!(error, LoadError::TooDeeplyNested { .. }),
            "{error}"
        );
    }

    #[test]
    fn bags_are_counted() {
        let bag = sequence(&[
            der::encode(tag::OID, &[0x2A, 0x03]),
            der::encode(0xA0, &sequence(&[])),
        ]);
        let many = sequence(&vec![bag; MAX_OBJECTS + 1]);
        let error = check_bags(&mut Budget::default(), &many, 1).unwrap_err();
        assert!(matches!(error, LoadError::TooManyObjects { .. }), "{error}");
    }
}
