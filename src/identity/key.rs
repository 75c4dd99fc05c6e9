//! Private keys: what kind they are, their public half (to find the leaf they belong to), and
//! their bytes, which are wiped from memory when dropped and never printed.

use zeroize::Zeroizing;

use crate::certificate::Certificate;
use crate::certificate::der::{self, Reader, tag};

const OID_RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
const OID_RSA_PSS: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A];
const OID_EC: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
const OID_ED25519: &[u8] = &[0x2B, 0x65, 0x70];
const OID_P256: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
const OID_P384: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x22];
const OID_P521: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x23];

/// The key's algorithm and size, for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyKind {
    /// RSA with a modulus of this many bits.
    Rsa {
        /// Modulus size.
        bits: usize,
    },
    /// ECDSA on a named curve.
    Ec {
        /// `P-256`, `P-384`, `P-521`, or the curve's OID.
        curve: String,
    },
    /// Ed25519.
    Ed25519,
    /// Another algorithm, by OID.
    Other {
        /// The algorithm's dotted OID.
        oid: String,
    },
}

impl std::fmt::Display for KeyKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyKind::Rsa { bits } => write!(f, "RSA {bits}-bit"),
            KeyKind::Ec { curve } => write!(f, "ECDSA {curve}"),
            KeyKind::Ed25519 => write!(f, "Ed25519"),
            KeyKind::Other { oid } => write!(f, "algorithm {oid}"),
        }
    }
}

/// How the key's bytes are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyEncoding {
    /// PKCS#8 `PrivateKeyInfo`.
    Pkcs8,
    /// PKCS#1 `RSAPrivateKey`.
    Pkcs1,
    /// SEC1 `ECPrivateKey`.
    Sec1,
}

/// A private key. Its bytes are zeroized on drop and are never part of `Debug` output.
#[derive(Clone)]
pub struct PrivateKey {
    der: Zeroizing<Vec<u8>>,
    encoding: KeyEncoding,
    kind: KeyKind,
    public_key: Option<Vec<u8>>,
    friendly_name: Option<String>,
    /// For a key that stays on its token: what signs with it (`der` is empty then).
    on_token: Option<std::sync::Arc<dyn rustls::sign::SigningKey>>,
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrivateKey")
            .field("kind", &self.kind)
            .field("encoding", &self.encoding)
            .finish_non_exhaustive()
    }
}

/// Why bytes are not a usable private key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError(pub String);

impl PrivateKey {
    /// Reads a key in the given encoding and works out its public half.
    pub fn from_der(
        bytes: &[u8],
        encoding: KeyEncoding,
        friendly_name: Option<String>,
    ) -> Result<Self, KeyError> {
        let (kind, public_key) = match encoding {
            KeyEncoding::Pkcs8 => inspect_pkcs8(bytes),
            KeyEncoding::Pkcs1 => inspect_pkcs1(bytes),
            KeyEncoding::Sec1 => inspect_sec1(bytes, None),
        }
        .map_err(|e| KeyError(e.to_string()))?;
        Ok(Self {
            der: Zeroizing::new(bytes.to_vec()),
            encoding,
            kind,
            public_key,
            friendly_name,
            on_token: None,
        })
    }

    /// A key that stays on its token: `signer` signs with it there; `public_key` is the
    /// certificate's public key it was proven to match.
    pub fn on_token(
        kind: KeyKind,
        public_key: Vec<u8>,
        label: Option<String>,
        signer: std::sync::Arc<dyn rustls::sign::SigningKey>,
    ) -> Self {
        Self {
            der: Zeroizing::new(Vec::new()),
            encoding: KeyEncoding::Pkcs8,
            kind,
            public_key: Some(public_key),
            friendly_name: label,
            on_token: Some(signer),
        }
    }

    /// What signs with a key that stays on its token; `None` for a key held in memory.
    pub fn token_signer(&self) -> Option<std::sync::Arc<dyn rustls::sign::SigningKey>> {
        self.on_token.clone()
    }

    /// The algorithm and size.
    pub fn kind(&self) -> &KeyKind {
        &self.kind
    }

    /// How [`PrivateKey::der`] is encoded.
    pub fn encoding(&self) -> KeyEncoding {
        self.encoding
    }

    /// The key's DER (empty for a key on a token). Secret: hand it only to a TLS stack, never
    /// to output.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The PKCS#12 friendly name of the key bag, if any.
    pub fn friendly_name(&self) -> Option<&str> {
        self.friendly_name.as_deref()
    }

    /// True when `cert` carries this key's public half.
    pub fn matches(&self, cert: &Certificate) -> bool {
        self.public_key
            .as_deref()
            .is_some_and(|public| public == cert.public_key_bits())
    }
}

fn inspect_pkcs8(bytes: &[u8]) -> Result<(KeyKind, Option<Vec<u8>>), der::DerError> {
    let info = der::parse_single(bytes, tag::SEQUENCE, "PrivateKeyInfo")?;
    let mut fields = info.reader();
    fields.read(tag::INTEGER, "version")?;
    let algorithm = fields.read(tag::SEQUENCE, "privateKeyAlgorithm")?;
    let mut alg = algorithm.reader();
    let oid = alg.read(tag::OID, "algorithm OID")?;
    let params = alg.read_optional(tag::OID)?;
    let private = fields.read(tag::OCTET_STRING, "privateKey")?;
    fields.read_optional(0xA0)?;
    let embedded_public = fields
        .read_optional(0x81)?
        .map(|bits| bits.value.get(1..).unwrap_or(&[]).to_vec());
    match oid.value {
        OID_RSA | OID_RSA_PSS => inspect_pkcs1(private.value),
        OID_EC => inspect_sec1(private.value, params.map(|p| p.value)),
        OID_ED25519 => {
            let seed = der::parse_single(private.value, tag::OCTET_STRING, "Ed25519 seed")?;
            let public = embedded_public.or_else(|| {
                aws_lc_rs::signature::Ed25519KeyPair::from_seed_unchecked(seed.value)
                    .ok()
                    .map(|pair| {
                        use aws_lc_rs::signature::KeyPair as _;
                        pair.public_key().as_ref().to_vec()
                    })
            });
            Ok((KeyKind::Ed25519, public))
        }
        other => Ok((
            KeyKind::Other {
                oid: der::oid_to_string(other),
            },
            embedded_public,
        )),
    }
}

fn inspect_pkcs1(bytes: &[u8]) -> Result<(KeyKind, Option<Vec<u8>>), der::DerError> {
    let key = der::parse_single(bytes, tag::SEQUENCE, "RSAPrivateKey")?;
    let mut fields = key.reader();
    fields.read(tag::INTEGER, "version")?;
    let modulus = fields.read(tag::INTEGER, "modulus")?;
    let exponent = fields.read(tag::INTEGER, "publicExponent")?;
    let magnitude = modulus
        .value
        .iter()
        .skip_while(|&&b| b == 0)
        .copied()
        .collect::<Vec<_>>();
    let bits = magnitude
        .first()
        .map(|&top| (magnitude.len() - 1) * 8 + (8 - top.leading_zeros() as usize))
        .unwrap_or(0);
    // The certificate carries RSAPublicKey ::= SEQUENCE { modulus, publicExponent }, with the
    // same minimal INTEGER encodings.
    let public = der::encode(tag::SEQUENCE, &[modulus.raw, exponent.raw].concat());
    Ok((KeyKind::Rsa { bits }, Some(public)))
}

fn inspect_sec1(
    bytes: &[u8],
    outer_curve: Option<&[u8]>,
) -> Result<(KeyKind, Option<Vec<u8>>), der::DerError> {
    let key = der::parse_single(bytes, tag::SEQUENCE, "ECPrivateKey")?;
    let mut fields: Reader<'_> = key.reader();
    fields.read(tag::INTEGER, "version")?;
    fields.read(tag::OCTET_STRING, "privateKey")?;
    let inner_curve = match fields.read_optional(0xA0)? {
        Some(explicit) => Some(der::parse_single(explicit.value, tag::OID, "namedCurve")?.value),
        None => None,
    };
    let embedded_public = match fields.read_optional(0xA1)? {
        Some(explicit) => Some(
            der::parse_single(explicit.value, tag::BIT_STRING, "publicKey")?
                .value
                .get(1..)
                .unwrap_or(&[])
                .to_vec(),
        ),
        None => None,
    };
    let curve = inner_curve.or(outer_curve).unwrap_or(&[]);
    let (name, algorithm) = match curve {
        OID_P256 => (
            "P-256".to_owned(),
            Some(&aws_lc_rs::signature::ECDSA_P256_SHA256_ASN1_SIGNING),
        ),
        OID_P384 => (
            "P-384".to_owned(),
            Some(&aws_lc_rs::signature::ECDSA_P384_SHA384_ASN1_SIGNING),
        ),
        OID_P521 => (
            "P-521".to_owned(),
            Some(&aws_lc_rs::signature::ECDSA_P521_SHA512_ASN1_SIGNING),
        ),
        other => (der::oid_to_string(other), None),
    };
    let public = embedded_public.or_else(|| {
        let pair =
            aws_lc_rs::signature::EcdsaKeyPair::from_private_key_der(algorithm?, bytes).ok()?;
        use aws_lc_rs::signature::KeyPair as _;
        Some(pair.public_key().as_ref().to_vec())
    });
    Ok((KeyKind::Ec { curve: name }, public))
}
