//! Checking one certificate's signature with its issuer's public key (aws-lc-rs primitives),
//! and how strong keys and digests are (for OpenSSL's security level).

use aws_lc_rs::signature::{self as sig, UnparsedPublicKey, VerificationAlgorithm};

use crate::certificate::der::{self, tag};
use crate::certificate::{Certificate, integer_bits};

const RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
const EC: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
const ED25519: &[u8] = &[0x2B, 0x65, 0x70];
/// 1.2.840.10040.4.1
const DSA: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x38, 0x04, 0x01];
const P192: &[u8] = super::p192::OID;
/// 1.3.132.0.33 (secp224r1)
const P224: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x21];
const P256: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
const P384: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x22];
const P521: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x23];

/// The digest a signature algorithm uses, for security-level checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digest {
    /// MD5 (broken).
    Md5,
    /// SHA-1 (63 bits of security; below OpenSSL's level 1 as of 3.0).
    Sha1,
    /// SHA-2 family or an algorithm with its own hash (Ed25519).
    Strong,
    /// Unrecognised.
    Unknown,
}

/// The signature algorithm's name and digest, from its OID.
pub fn describe_algorithm(cert: &Certificate) -> (String, Digest) {
    let oid = algorithm_oid(cert.signature_algorithm_der()).unwrap_or_default();
    let name = match der::oid_to_string(&oid).as_str() {
        "1.2.840.113549.1.1.4" => ("md5WithRSAEncryption", Digest::Md5),
        "1.2.840.113549.1.1.5" => ("sha1WithRSAEncryption", Digest::Sha1),
        "1.2.840.10045.4.1" => ("ecdsa-with-SHA1", Digest::Sha1),
        "1.2.840.113549.1.1.11" => ("sha256WithRSAEncryption", Digest::Strong),
        "1.2.840.113549.1.1.12" => ("sha384WithRSAEncryption", Digest::Strong),
        "1.2.840.113549.1.1.13" => ("sha512WithRSAEncryption", Digest::Strong),
        "1.2.840.113549.1.1.10" => ("RSASSA-PSS", Digest::Strong),
        "1.2.840.10045.4.3.2" => ("ecdsa-with-SHA256", Digest::Strong),
        "1.2.840.10045.4.3.3" => ("ecdsa-with-SHA384", Digest::Strong),
        "1.2.840.10045.4.3.4" => ("ecdsa-with-SHA512", Digest::Strong),
        "1.3.101.112" => ("Ed25519", Digest::Strong),
        other => return (other.to_owned(), Digest::Unknown),
    };
    (name.0.to_owned(), name.1)
}

/// The key's security strength in bits as OpenSSL counts it (`EVP_PKEY_get_security_bits`).
pub fn key_security_bits(cert: &Certificate) -> Option<u32> {
    let (algorithm, curve) = spki_algorithm(cert)?;
    match algorithm {
        RSA => Some(finite_field_strength(
            cert.public_key_info()?.rsa_modulus_bits?,
        )),
        EC => match curve {
            Some(P192) => Some(80),
            Some(P224) => Some(112),
            Some(P256) => Some(128),
            Some(P384) => Some(192),
            Some(P521) => Some(256),
            _ => None,
        },
        ED25519 => Some(128),
        DSA => {
            // BN_security_bits(L, N): the RSA-equivalent strength of p, capped at N/2.
            let (p, q, _) = dsa_parameters(cert)?;
            Some(finite_field_strength(integer_bits(p)).min(integer_bits(q) / 2))
        }
        _ => None,
    }
}

/// A key's description for people: `RSA 2048-bit`, `EC P-256`, `Ed25519`.
pub fn key_description(cert: &Certificate) -> String {
    match spki_algorithm(cert) {
        Some((algorithm, curve)) => match algorithm {
            RSA => format!(
                "RSA {}-bit",
                cert.public_key_info()
                    .and_then(|info| info.rsa_modulus_bits)
                    .unwrap_or(0)
            ),
            EC => match curve {
                Some(P192) => "EC P-192".into(),
                Some(P224) => "EC P-224".into(),
                Some(P256) => "EC P-256".into(),
                Some(P384) => "EC P-384".into(),
                Some(P521) => "EC P-521".into(),
                _ => "EC (other curve)".into(),
            },
            ED25519 => "Ed25519".into(),
            DSA => "DSA".into(),
            other => format!("key algorithm {}", der::oid_to_string(other)),
        },
        None => "an unreadable key".into(),
    }
}

/// True when `issuer`'s key verifies `cert`'s signature over its tbsCertificate.
pub fn verifies(cert: &Certificate, issuer: &Certificate) -> bool {
    signed_by(
        cert.tbs_der(),
        cert.signature_algorithm_der(),
        cert.signature(),
        issuer,
    )
}

/// Whether `signature` over `signed` (a certificate's or a CRL's to-be-signed part), made with
/// `algorithm` (an `AlgorithmIdentifier`), verifies with `issuer`'s public key.
pub(super) fn signed_by(
    signed: &[u8],
    algorithm: &[u8],
    signature: &[u8],
    issuer: &Certificate,
) -> bool {
    if is_dsa(issuer) {
        return dsa_verifies(signed, algorithm, signature, issuer);
    }
    if spki_algorithm(issuer).is_some_and(|(_, curve)| curve == Some(P192)) {
        let algorithm = algorithm_oid(algorithm).map(|oid| der::oid_to_string(&oid));
        return super::p192::verifies(
            signed,
            algorithm.as_deref().unwrap_or_default(),
            signature,
            issuer.public_key_bits(),
        );
    }
    let Some(algorithm) = verification_algorithm(algorithm, issuer) else {
        return false;
    };
    UnparsedPublicKey::new(algorithm, issuer.public_key_bits())
        .verify(signed, signature)
        .is_ok()
}

fn verification_algorithm(
    signature_algorithm: &[u8],
    issuer: &Certificate,
) -> Option<&'static dyn VerificationAlgorithm> {
    let oid = algorithm_oid(signature_algorithm)?;
    let (_, curve) = spki_algorithm(issuer)?;
    // A curve spelled out as explicit parameters: OpenSSL computes on it as given; the
    // standard curves are recognised by the size of the point.
    let curve = curve.or_else(|| {
        explicit_ec_parameters(issuer).then(|| match issuer.public_key_bits().len() {
            65 => P256,
            97 => P384,
            _ => P521,
        })
    });
    let algorithm: &'static dyn VerificationAlgorithm =
        match (der::oid_to_string(&oid).as_str(), curve) {
            ("1.2.840.113549.1.1.5", _) => &sig::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
            ("1.2.840.113549.1.1.11", _) => &sig::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
            ("1.2.840.113549.1.1.12", _) => &sig::RSA_PKCS1_2048_8192_SHA384,
            ("1.2.840.113549.1.1.13", _) => &sig::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
            ("1.2.840.10045.4.1", Some(P256)) => &sig::ECDSA_P256_SHA1_ASN1,
            ("1.2.840.10045.4.1", Some(P521)) => &sig::ECDSA_P521_SHA1_ASN1,
            ("1.2.840.10045.4.3.2", Some(P256)) => &sig::ECDSA_P256_SHA256_ASN1,
            ("1.2.840.10045.4.3.2", Some(P384)) => &sig::ECDSA_P384_SHA256_ASN1,
            ("1.2.840.10045.4.3.2", Some(P521)) => &sig::ECDSA_P521_SHA256_ASN1,
            ("1.2.840.10045.4.3.3", Some(P256)) => &sig::ECDSA_P256_SHA384_ASN1,
            ("1.2.840.10045.4.3.3", Some(P384)) => &sig::ECDSA_P384_SHA384_ASN1,
            ("1.2.840.10045.4.3.3", Some(P521)) => &sig::ECDSA_P521_SHA384_ASN1,
            ("1.2.840.10045.4.3.4", Some(P256)) => &sig::ECDSA_P256_SHA512_ASN1,
            ("1.2.840.10045.4.3.4", Some(P384)) => &sig::ECDSA_P384_SHA512_ASN1,
            ("1.2.840.10045.4.3.4", Some(P521)) => &sig::ECDSA_P521_SHA512_ASN1,
            ("1.3.101.112", _) => &sig::ED25519,
            _ => return None,
        };
    Some(algorithm)
}

fn algorithm_oid(algorithm_identifier: &[u8]) -> Option<Vec<u8>> {
    let sequence =
        der::parse_single(algorithm_identifier, tag::SEQUENCE, "AlgorithmIdentifier").ok()?;
    Some(
        sequence
            .reader()
            .read(tag::OID, "algorithm")
            .ok()?
            .value
            .to_vec(),
    )
}

/// Whether the key is an EC key whose curve is given as explicit parameters rather than named
/// (BoringSSL cannot decode such a key; OpenSSL 3 refuses it in any chain longer than one).
pub fn explicit_ec_parameters(cert: &Certificate) -> bool {
    cert.public_key_info()
        .is_some_and(|info| info.explicit_ec_parameters)
}

/// Whether BoringSSL can decode the key ([`key_decodable`]): its EC keys are on P-224, P-256,
/// P-384 or P-521 only (`EC_KEY_parse_parameters` knows no other named curve).
pub fn boringssl_key_decodable(cert: &Certificate) -> bool {
    let curve_known = match spki_algorithm(cert) {
        Some((EC, curve)) => matches!(curve, Some(P224 | P256 | P384 | P521)),
        _ => true,
    };
    curve_known && key_decodable(cert)
}

/// Whether the library can decode the certificate's public key (`X509_get0_pubkey`): an EC
/// point must lie on its curve, an RSA key must be a modulus and an exponent, an Ed25519 key 32
/// bytes. Keys of other kinds are taken as decodable.
pub fn key_decodable(cert: &Certificate) -> bool {
    let Some((algorithm, curve)) = spki_algorithm(cert) else {
        return explicit_ec_parameters(cert);
    };
    let point = cert.public_key_bits();
    let algorithm: &'static dyn VerificationAlgorithm = match algorithm {
        EC => match curve {
            Some(P192) => return super::p192::key_decodable(point),
            Some(P256) => &sig::ECDSA_P256_SHA256_ASN1,
            Some(P384) => &sig::ECDSA_P384_SHA384_ASN1,
            Some(P521) => &sig::ECDSA_P521_SHA512_ASN1,
            _ => return true,
        },
        RSA => {
            return cert
                .public_key_info()
                .is_some_and(|info| info.rsa_well_formed);
        }
        ED25519 => return point.len() == 32,
        _ => return true,
    };
    UnparsedPublicKey::new(algorithm, point).parse().is_ok()
}

/// NIST SP 800-57 strength of an RSA modulus or DSA prime, as OpenSSL's `BN_security_bits`.
fn finite_field_strength(bits: u32) -> u32 {
    match bits {
        b if b >= 15360 => 256,
        b if b >= 7680 => 192,
        b if b >= 3072 => 128,
        b if b >= 2048 => 112,
        b if b >= 1024 => 80,
        _ => 0,
    }
}

/// A DSA key's domain parameters p, q, g (INTEGER contents).
fn dsa_parameters(cert: &Certificate) -> Option<(&[u8], &[u8], &[u8])> {
    let info = der::parse_single(cert.spki_der(), tag::SEQUENCE, "SubjectPublicKeyInfo").ok()?;
    let algorithm = info.reader().read(tag::SEQUENCE, "algorithm").ok()?;
    let mut fields = algorithm.reader();
    fields.read(tag::OID, "algorithm").ok()?;
    let mut params = fields.read(tag::SEQUENCE, "Dss-Parms").ok()?.reader();
    Some((
        params.read(tag::INTEGER, "p").ok()?.value,
        params.read(tag::INTEGER, "q").ok()?.value,
        params.read(tag::INTEGER, "g").ok()?.value,
    ))
}

/// Whether the key is a DSA key (OpenSSL verifies DSA signatures; BoringSSL does not).
pub fn is_dsa(cert: &Certificate) -> bool {
    spki_algorithm(cert).is_some_and(|(oid, _)| oid == DSA)
}

/// A DSA signature (`dsa-with-SHA1/224/256`) over `signed`, checked with `issuer`'s key as
/// FIPS 186-4 section 4.7 says: r, s in (0, q), w = s⁻¹, v = (g^(H·w) · y^(r·w) mod p) mod q.
fn dsa_verifies(signed: &[u8], algorithm: &[u8], signature: &[u8], issuer: &Certificate) -> bool {
    use aws_lc_rs::digest;
    use num_bigint::BigUint;
    let integer = |reader: &mut der::Reader<'_>| {
        reader
            .read(tag::INTEGER, "INTEGER")
            .ok()
            .map(|i| BigUint::from_bytes_be(i.value))
    };
    let Some(oid) = algorithm_oid(algorithm) else {
        return false;
    };
    let hash = match der::oid_to_string(&oid).as_str() {
        "1.2.840.10040.4.3" => digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, signed),
        "2.16.840.1.101.3.4.3.1" => digest::digest(&digest::SHA224, signed),
        "2.16.840.1.101.3.4.3.2" => digest::digest(&digest::SHA256, signed),
        _ => return false,
    };
    let parameters = (|| {
        let (p, q, g) = dsa_parameters(issuer)?;
        let (p, q, g) = (
            BigUint::from_bytes_be(p),
            BigUint::from_bytes_be(q),
            BigUint::from_bytes_be(g),
        );
        let y = integer(&mut der::Reader::new(issuer.public_key_bits()))?;
        let mut sig = der::parse_single(signature, tag::SEQUENCE, "Dss-Sig-Value")
            .ok()?
            .reader();
        let (r, s) = (integer(&mut sig)?, integer(&mut sig)?);
        Some((p, q, g, y, r, s))
    })();
    let Some((p, q, g, y, r, s)) = parameters else {
        return false;
    };
    let zero = BigUint::from(0u8);
    if r == zero || s == zero || r >= q || s >= q || q == zero || p == zero {
        return false;
    }
    // The leftmost min(N, outlen) bits of the hash.
    let excess = (hash.as_ref().len() as u64 * 8).saturating_sub(q.bits());
    let z = BigUint::from_bytes_be(hash.as_ref()) >> excess;
    let Some(w) = s.modinv(&q) else {
        return false;
    };
    let u1 = (&z * &w) % &q;
    let u2 = (&r * &w) % &q;
    let v = ((g.modpow(&u1, &p) * y.modpow(&u2, &p)) % &p) % &q;
    v == r
}

/// The SubjectPublicKeyInfo's algorithm OID and, for EC, its named curve.
fn spki_algorithm(cert: &Certificate) -> Option<(&[u8], Option<&[u8]>)> {
    let info = cert.public_key_info()?;
    Some((info.algorithm.as_slice(), info.curve.as_deref()))
}
