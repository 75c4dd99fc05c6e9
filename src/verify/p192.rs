//! ECDSA on NIST P-192 (secp192r1), which OpenSSL still verifies — and then, at security
//! level 2, refuses as too weak — while aws-lc-rs and BoringSSL have no such curve. The
//! arithmetic is RustCrypto's `p192`.

use aws_lc_rs::digest;
use p192::ecdsa::signature::hazmat::PrehashVerifier as _;
use p192::ecdsa::{Signature, VerifyingKey};

use crate::certificate::der::{self, tag};

/// The named curve's OID, 1.2.840.10045.3.1.1 (prime192v1).
pub(super) const OID: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x01];

/// The size of a field element and of each half of a signature, in bytes.
const SCALAR: usize = 24;

/// Whether `point` (the SubjectPublicKeyInfo's bits) is a point on P-192.
pub(super) fn key_decodable(point: &[u8]) -> bool {
    VerifyingKey::from_sec1_bytes(point).is_ok()
}

/// Whether the DER `Ecdsa-Sig-Value` `signature` over `signed`, made with the signature
/// algorithm `algorithm` (dotted), verifies with the P-192 key `point`. The digest is cut to
/// the curve's size as ECDSA prescribes (`bits2field`).
pub(super) fn verifies(signed: &[u8], algorithm: &str, signature: &[u8], point: &[u8]) -> bool {
    let prehash = match algorithm {
        "1.2.840.10045.4.1" => digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, signed),
        "1.2.840.10045.4.3.1" => digest::digest(&digest::SHA224, signed),
        "1.2.840.10045.4.3.2" => digest::digest(&digest::SHA256, signed),
        "1.2.840.10045.4.3.3" => digest::digest(&digest::SHA384, signed),
        "1.2.840.10045.4.3.4" => digest::digest(&digest::SHA512, signed),
        _ => return false,
    };
    let (Ok(key), Some(signature)) = (VerifyingKey::from_sec1_bytes(point), scalars(signature))
    else {
        return false;
    };
    key.verify_prehash(prehash.as_ref(), &signature).is_ok()
}

/// r and s from `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }`, nothing after them.
fn scalars(signature: &[u8]) -> Option<Signature> {
    let sequence = der::parse_single(signature, tag::SEQUENCE, "Ecdsa-Sig-Value").ok()?;
    let mut reader = sequence.reader();
    let mut bytes = [0u8; 2 * SCALAR];
    for half in bytes.chunks_mut(SCALAR) {
        let integer = reader.read(tag::INTEGER, "INTEGER").ok()?.value;
        let digits = match integer {
            [0, rest @ ..] if rest.first().is_some_and(|b| b & 0x80 != 0) => rest,
            [first, ..] if first & 0x80 != 0 => return None,
            other => other,
        };
        let start = SCALAR.checked_sub(digits.len())?;
        half[start..].copy_from_slice(digits);
    }
    if !reader.is_empty() {
        return None;
    }
    Signature::from_slice(&bytes).ok()
}
