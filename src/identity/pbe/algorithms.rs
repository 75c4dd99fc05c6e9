//! The names of the password-based and integrity algorithms a PKCS#12 file or an encrypted key
//! may name, for errors that say which one is not supported.

use crate::certificate::der::{self, tag};

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
    (
        "1.2.840.113549.1.5.14",
        "a PBMAC1 integrity check (RFC 9579, written by OpenSSL 3.4 and later with -pbmac1_pbkdf2)",
    ),
    ("1.2.840.113549.2.5", "an MD5 integrity check (MAC)"),
    ("1.2.840.113549.2.2", "an MD2 integrity check (MAC)"),
    ("1.2.643.7.1.1.2.2", "GOST R 34.11-2012 (Streebog)"),
    ("1.2.643.2.2.9", "GOST R 34.11-94"),
    ("1.2.392.200011.61.1.1.1.2", "Camellia-128-CBC"),
    ("1.2.392.200011.61.1.1.1.4", "Camellia-256-CBC"),
    ("1.2.840.113549.3.2", "RC2-CBC inside PBES2"),
];

/// Names the first unusual algorithm that `bytes` mentions.
pub(crate) fn algorithm_name(bytes: &[u8]) -> String {
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
