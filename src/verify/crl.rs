//! Certificate revocation lists: which serials an issuer revoked (for `certRevoked`).

use thiserror::Error;

use crate::certificate::Certificate;
use crate::der::{self, DerError, tag};

/// Why a revocation list could not be read.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum CrlError {
    /// The file holds no CRL.
    #[error("the file holds no certificate revocation list (X509 CRL)")]
    NotACrl,
    /// The CRL's structure is damaged.
    #[error("the revocation list is damaged: {0}")]
    Corrupt(#[from] DerError),
}

/// A parsed CRL: who issued it and the revoked serials (INTEGER content octets).
#[derive(Debug, Clone)]
pub struct Crl {
    issuer: Vec<u8>,
    revoked: Vec<Vec<u8>>,
}

impl Crl {
    /// Reads a PEM (`X509 CRL`) or DER revocation list.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CrlError> {
        if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
            let block = pem::parse_many(bytes)
                .map_err(|_| CrlError::NotACrl)?
                .into_iter()
                .find(|p| p.tag() == "X509 CRL")
                .ok_or(CrlError::NotACrl)?;
            return Self::from_der(block.contents());
        }
        Self::from_der(bytes)
    }

    fn from_der(bytes: &[u8]) -> Result<Self, CrlError> {
        let list = der::parse_single(bytes, tag::SEQUENCE, "CertificateList")?;
        let tbs = list.reader().read(tag::SEQUENCE, "tbsCertList")?;
        let mut fields = tbs.reader();
        fields.read_optional(tag::INTEGER)?;
        fields.read(tag::SEQUENCE, "signature")?;
        let issuer = fields.read(tag::SEQUENCE, "issuer")?.raw.to_vec();
        fields.read_any()?; // thisUpdate
        if matches!(
            fields.peek_tag(),
            Some(tag::UTC_TIME | tag::GENERALIZED_TIME)
        ) {
            fields.read_any()?; // nextUpdate
        }
        let mut revoked = Vec::new();
        if let Some(entries) = fields.read_optional(tag::SEQUENCE)? {
            let mut reader = entries.reader();
            while !reader.is_empty() {
                let entry = reader.read(tag::SEQUENCE, "revoked certificate")?;
                revoked.push(
                    entry
                        .reader()
                        .read(tag::INTEGER, "userCertificate")?
                        .value
                        .to_vec(),
                );
            }
        }
        Ok(Self { issuer, revoked })
    }

    /// True when this CRL comes from `cert`'s issuer and lists its serial.
    pub fn revokes(&self, cert: &Certificate) -> bool {
        self.issuer == cert.issuer_der() && self.revoked.iter().any(|s| s == cert.serial_content())
    }

    /// How many serials the list revokes.
    pub fn len(&self) -> usize {
        self.revoked.len()
    }

    /// True when the list revokes nothing.
    pub fn is_empty(&self) -> bool {
        self.revoked.is_empty()
    }
}
