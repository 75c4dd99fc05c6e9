//! The PKCS#12 integrity check (RFC 7292 `MacData`): an HMAC over the authenticated safe,
//! keyed by the PKCS#12 key derivation of the password. Checked here, with OpenSSL's password
//! forms, rather than by the decoder, so that a file OpenSSL opens opens here too.

use aws_lc_rs::digest::{self, Algorithm};

use crate::certificate::der::{self, Tlv, tag};
use crate::identity::pbe::{PasswordForm, kdf};
use crate::identity::{Cancel, LoadError};

/// A parsed `MacData`.
pub(super) struct MacData<'a> {
    algorithm: &'static Algorithm,
    digest: &'a [u8],
    salt: &'a [u8],
    iterations: u64,
}

impl<'a> MacData<'a> {
    /// Reads `MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER
    /// DEFAULT 1 }`.
    pub(super) fn parse(mac_data: Tlv<'a>) -> Result<Self, LoadError> {
        let corrupt = |e: der::DerError| LoadError::Corrupt {
            what: "the PKCS#12 integrity check (MAC)",
            detail: e.to_string(),
        };
        let mut fields = mac_data.reader();
        let digest_info = fields.read(tag::SEQUENCE, "DigestInfo").map_err(corrupt)?;
        let salt = fields.read(tag::OCTET_STRING, "macSalt").map_err(corrupt)?;
        let iterations = match fields.read_optional(tag::INTEGER).map_err(corrupt)? {
            Some(count) => crate::identity::cost::unsigned(count.value).unwrap_or(u64::MAX),
            None => 1,
        };
        let mut digest_info = digest_info.reader();
        let algorithm = digest_info
            .read(tag::SEQUENCE, "digestAlgorithm")
            .map_err(corrupt)?;
        let oid = algorithm
            .reader()
            .read(tag::OID, "algorithm")
            .map_err(corrupt)?;
        let digest = digest_info
            .read(tag::OCTET_STRING, "digest")
            .map_err(corrupt)?;
        let algorithm = digest_algorithm(oid.value).ok_or_else(|| {
            LoadError::UnsupportedAlgorithm {
                name: crate::identity::pbe::algorithm_name(algorithm.raw),
                hint: "; re-export the file with `openssl pkcs12` (OpenSSL 3 defaults to an HMAC-SHA-256 integrity check)",
            }
        })?;
        Ok(Self {
            algorithm,
            digest: digest.value,
            salt: salt.value,
            iterations,
        })
    }

    /// Whether `password` produces this MAC over `content` (the authenticated safe's bytes).
    pub(super) fn verifies(
        &self,
        content: &[u8],
        password: &PasswordForm,
        cancel: &Cancel,
    ) -> Result<bool, LoadError> {
        let key = kdf::derive(
            self.algorithm,
            password.bmp(),
            self.salt,
            kdf::Purpose::Mac,
            self.iterations,
            self.algorithm.output_len(),
            cancel,
        )?;
        let mac = kdf::hmac(self.algorithm, &key, content);
        // Compared in constant time: the expected value is public, but habits are cheap.
        Ok(mac.len() == self.digest.len()
            && mac
                .iter()
                .zip(self.digest)
                .fold(0u8, |diff, (a, b)| diff | (a ^ b))
                == 0)
    }
}

/// The digests a PKCS#12 MAC may name (OpenSSL writes SHA-1 or SHA-256).
fn digest_algorithm(oid: &[u8]) -> Option<&'static Algorithm> {
    const NIST_HASH: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02];
    if oid == [0x2B, 0x0E, 0x03, 0x02, 0x1A] {
        return Some(&digest::SHA1_FOR_LEGACY_USE_ONLY);
    }
    match oid.strip_prefix(NIST_HASH)? {
        [1] => Some(&digest::SHA256),
        [2] => Some(&digest::SHA384),
        [3] => Some(&digest::SHA512),
        [4] => Some(&digest::SHA224),
        [6] => Some(&digest::SHA512_256),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mac_data(algorithm_oid: &str) -> Vec<u8> {
        let oid = der::encode(tag::OID, &der::oid_from_str(algorithm_oid).unwrap());
        let algorithm = der::encode(tag::SEQUENCE, &oid);
        let digest_info = der::encode(
            tag::SEQUENCE,
            &[algorithm, der::encode(tag::OCTET_STRING, &[0; 32])].concat(),
        );
        der::encode(
            tag::SEQUENCE,
            &[
                digest_info,
                der::encode(tag::OCTET_STRING, &[1; 8]),
                der::encode(tag::INTEGER, &[1]),
            ]
            .concat(),
        )
    }

    #[test]
    fn an_integrity_check_certlens_cannot_compute_is_named() {
        let der = mac_data("1.2.840.113549.1.5.14");
        let tlv = der::parse_single(&der, tag::SEQUENCE, "MacData").unwrap();
        let Err(error) = MacData::parse(tlv) else {
            panic!("PBMAC1 is not computed");
        };
        assert!(error.to_string().contains("PBMAC1"), "{error}");
        let der = mac_data("2.16.840.1.101.3.4.2.1");
        let tlv = der::parse_single(&der, tag::SEQUENCE, "MacData").unwrap();
        assert!(MacData::parse(tlv).is_ok());
    }
}
