//! The subject public key as the checks and descriptions need it, read once when the
//! certificate is parsed: the algorithm, the named curve or explicit parameters, and for RSA
//! the modulus size.

use super::der::{self, Reader, tag};

const RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
const EC: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];

/// What the subjectPublicKeyInfo says about the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKeyInfo {
    /// The algorithm OID's content octets.
    pub algorithm: Vec<u8>,
    /// The named curve OID's content octets (EC keys with a named curve).
    pub curve: Option<Vec<u8>>,
    /// True for an EC key whose parameters are spelled out (specifiedCurve) rather than named.
    pub explicit_ec_parameters: bool,
    /// An RSA key's modulus size in bits, when its RSAPublicKey has a readable, non-zero one.
    pub rsa_modulus_bits: Option<u32>,
    /// True for an RSA key whose RSAPublicKey holds a modulus and an exponent.
    pub rsa_well_formed: bool,
}

impl PublicKeyInfo {
    /// Reads `spki` (the whole SubjectPublicKeyInfo) and `key` (the subjectPublicKey bits);
    /// `None` when the algorithm identifier cannot be read.
    pub(super) fn read(spki: &[u8], key: &[u8]) -> Option<Self> {
        let info = der::parse_single(spki, tag::SEQUENCE, "SubjectPublicKeyInfo").ok()?;
        let algorithm = info.reader().read(tag::SEQUENCE, "algorithm").ok()?;
        let mut fields = algorithm.reader();
        let oid = fields.read(tag::OID, "algorithm").ok()?.value.to_vec();
        let explicit_ec_parameters = oid == EC && fields.peek_tag() == Some(tag::SEQUENCE);
        let curve = fields
            .read_optional(tag::OID)
            .ok()?
            .map(|curve| curve.value.to_vec());
        let (rsa_modulus_bits, rsa_well_formed) = if oid == RSA {
            rsa_key(key)
        } else {
            (None, false)
        };
        Some(Self {
            algorithm: oid,
            curve,
            explicit_ec_parameters,
            rsa_modulus_bits,
            rsa_well_formed,
        })
    }
}

/// An RSAPublicKey's modulus size (when non-zero) and whether it also has an exponent.
fn rsa_key(rsa_public_key: &[u8]) -> (Option<u32>, bool) {
    let Ok(key) = der::parse_single(rsa_public_key, tag::SEQUENCE, "RSAPublicKey") else {
        return (None, false);
    };
    let mut fields: Reader<'_> = key.reader();
    let Ok(modulus) = fields.read(tag::INTEGER, "modulus") else {
        return (None, false);
    };
    let bits = Some(integer_bits(modulus.value)).filter(|&bits| bits > 0);
    (bits, fields.read(tag::INTEGER, "publicExponent").is_ok())
}

/// The bit length of an unsigned INTEGER's content.
pub fn integer_bits(value: &[u8]) -> u32 {
    let digits: Vec<u8> = value.iter().copied().skip_while(|&b| b == 0).collect();
    digits.first().map_or(0, |top| {
        (digits.len() as u32 - 1) * 8 + (8 - top.leading_zeros())
    })
}
