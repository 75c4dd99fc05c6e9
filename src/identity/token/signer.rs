//! A rustls signing key whose signatures are made on the token (`C_Sign`): the key never
//! leaves it. The hash is computed here and the token signs the digest with its raw mechanism
//! (`CKM_RSA_PKCS`, `CKM_RSA_PKCS_PSS`, `CKM_ECDSA`), which most tokens have; Ed25519 signs the
//! message (`CKM_EDDSA`).

use std::sync::{Arc, Mutex};

use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::eddsa::{EddsaParams, EddsaSignatureScheme};
use cryptoki::mechanism::rsa::{PkcsMgfType, PkcsPssParams};
use cryptoki::mechanism::{Mechanism, MechanismType};
use cryptoki::object::ObjectHandle;
use cryptoki::session::Session;
use rustls::sign::{Signer, SigningKey};
use rustls::{SignatureAlgorithm, SignatureScheme};
use sha2::Digest as _;

use super::error::TokenError;

/// The key's algorithm, as far as signing goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKeyKind {
    /// RSA.
    Rsa,
    /// ECDSA on P-256.
    EcP256,
    /// ECDSA on P-384.
    EcP384,
    /// Ed25519.
    Ed25519,
}

/// A logged-in session and the private key's handle on it.
pub struct TokenKey {
    session: Mutex<Session>,
    key: ObjectHandle,
    kind: TokenKeyKind,
    schemes: Vec<SignatureScheme>,
}

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKey")
            .field("kind", &self.kind)
            .field("schemes", &self.schemes)
            .finish_non_exhaustive()
    }
}

impl TokenKey {
    /// The key `key` on the logged-in `session`, signing the schemes the token's `mechanisms`
    /// allow; `None` when it allows none.
    pub fn new(
        session: Session,
        key: ObjectHandle,
        kind: TokenKeyKind,
        mechanisms: &[MechanismType],
    ) -> Option<Self> {
        let has = |m: MechanismType| mechanisms.contains(&m);
        let schemes = match kind {
            TokenKeyKind::Rsa => {
                let mut schemes = Vec::new();
                if has(MechanismType::RSA_PKCS_PSS) {
                    schemes.extend([
                        SignatureScheme::RSA_PSS_SHA256,
                        SignatureScheme::RSA_PSS_SHA384,
                        SignatureScheme::RSA_PSS_SHA512,
                    ]);
                }
                if has(MechanismType::RSA_PKCS) {
                    schemes.extend([
                        SignatureScheme::RSA_PKCS1_SHA256,
                        SignatureScheme::RSA_PKCS1_SHA384,
                        SignatureScheme::RSA_PKCS1_SHA512,
                    ]);
                }
                schemes
            }
            TokenKeyKind::EcP256 if has(MechanismType::ECDSA) => {
                vec![SignatureScheme::ECDSA_NISTP256_SHA256]
            }
            TokenKeyKind::EcP384 if has(MechanismType::ECDSA) => {
                vec![SignatureScheme::ECDSA_NISTP384_SHA384]
            }
            TokenKeyKind::Ed25519 if has(MechanismType::EDDSA) => vec![SignatureScheme::ED25519],
            _ => Vec::new(),
        };
        (!schemes.is_empty()).then(|| Self {
            session: Mutex::new(session),
            key,
            kind,
            schemes,
        })
    }

    /// The schemes this key signs, best first.
    pub fn schemes(&self) -> &[SignatureScheme] {
        &self.schemes
    }

    /// Signs `message` under `scheme` on the token: the signature TLS sends.
    pub fn sign(&self, scheme: SignatureScheme, message: &[u8]) -> Result<Vec<u8>, TokenError> {
        let session = self.session.lock().map_err(|_| TokenError::Device {
            detail: "the token's session was poisoned by an earlier failure".into(),
        })?;
        let sign = |mechanism: &Mechanism<'_>, data: &[u8]| {
            session.sign(mechanism, self.key, data).map_err(token_error)
        };
        match scheme {
            SignatureScheme::RSA_PKCS1_SHA256 => sign(
                &Mechanism::RsaPkcs,
                &digest_info(SHA256_PREFIX, &sha2::Sha256::digest(message)),
            ),
            SignatureScheme::RSA_PKCS1_SHA384 => sign(
                &Mechanism::RsaPkcs,
                &digest_info(SHA384_PREFIX, &sha2::Sha384::digest(message)),
            ),
            SignatureScheme::RSA_PKCS1_SHA512 => sign(
                &Mechanism::RsaPkcs,
                &digest_info(SHA512_PREFIX, &sha2::Sha512::digest(message)),
            ),
            SignatureScheme::RSA_PSS_SHA256 => sign(
                &Mechanism::RsaPkcsPss(pss(MechanismType::SHA256, PkcsMgfType::MGF1_SHA256, 32)),
                &sha2::Sha256::digest(message),
            ),
            SignatureScheme::RSA_PSS_SHA384 => sign(
                &Mechanism::RsaPkcsPss(pss(MechanismType::SHA384, PkcsMgfType::MGF1_SHA384, 48)),
                &sha2::Sha384::digest(message),
            ),
            SignatureScheme::RSA_PSS_SHA512 => sign(
                &Mechanism::RsaPkcsPss(pss(MechanismType::SHA512, PkcsMgfType::MGF1_SHA512, 64)),
                &sha2::Sha512::digest(message),
            ),
            SignatureScheme::ECDSA_NISTP256_SHA256 => {
                sign(&Mechanism::Ecdsa, &sha2::Sha256::digest(message)).map(|raw| ecdsa_der(&raw))
            }
            SignatureScheme::ECDSA_NISTP384_SHA384 => {
                sign(&Mechanism::Ecdsa, &sha2::Sha384::digest(message)).map(|raw| ecdsa_der(&raw))
            }
            SignatureScheme::ED25519 => sign(
                &Mechanism::Eddsa(EddsaParams::new(EddsaSignatureScheme::Pure)),
                message,
            ),
            other => Err(TokenError::Device {
                detail: format!("the scheme {other:?} is not one this key signs"),
            }),
        }
    }
}

/// The rustls face of a [`TokenKey`].
#[derive(Debug)]
pub struct TokenSigningKey(pub Arc<TokenKey>);

impl SigningKey for TokenSigningKey {
    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
        let scheme = self.0.schemes.iter().find(|s| offered.contains(s))?;
        Some(Box::new(TokenSigner {
            key: self.0.clone(),
            scheme: *scheme,
        }))
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        match self.0.kind {
            TokenKeyKind::Rsa => SignatureAlgorithm::RSA,
            TokenKeyKind::EcP256 | TokenKeyKind::EcP384 => SignatureAlgorithm::ECDSA,
            TokenKeyKind::Ed25519 => SignatureAlgorithm::ED25519,
        }
    }
}

#[derive(Debug)]
struct TokenSigner {
    key: Arc<TokenKey>,
    scheme: SignatureScheme,
}

impl Signer for TokenSigner {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, rustls::Error> {
        self.key
            .sign(self.scheme, message)
            .map_err(|e| rustls::Error::General(e.to_string()))
    }

    fn scheme(&self) -> SignatureScheme {
        self.scheme
    }
}

/// A module's failure in a few words (`CKR_PIN_INCORRECT` from `C_Login`), not the
/// specification's paragraph.
pub fn describe(error: &CkError) -> String {
    match error {
        CkError::Pkcs11(rv, function) => format!("{rv:?} from {function:?}"),
        other => other.to_string(),
    }
}

/// A module's failure, with a removed token told apart.
pub fn token_error(error: CkError) -> TokenError {
    match &error {
        CkError::Pkcs11(
            RvError::DeviceRemoved
            | RvError::TokenNotPresent
            | RvError::SessionHandleInvalid
            | RvError::SessionClosed
            | RvError::DeviceError,
            _,
        ) => TokenError::Removed {
            detail: describe(&error),
        },
        _ => TokenError::Device {
            detail: describe(&error),
        },
    }
}

fn pss(hash_alg: MechanismType, mgf: PkcsMgfType, salt: u64) -> PkcsPssParams {
    PkcsPssParams {
        hash_alg,
        mgf,
        s_len: salt.into(),
    }
}

const SHA256_PREFIX: &[u8] = &[
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];
const SHA384_PREFIX: &[u8] = &[
    0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05,
    0x00, 0x04, 0x30,
];
const SHA512_PREFIX: &[u8] = &[
    0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05,
    0x00, 0x04, 0x40,
];

/// PKCS#1 v1.5's DigestInfo: the algorithm's prefix, then the hash.
fn digest_info(prefix: &[u8], hash: &[u8]) -> Vec<u8> {
    [prefix, hash].concat()
}

/// `CKM_ECDSA`'s r‖s as the DER `ECDSA-Sig-Value` TLS carries.
fn ecdsa_der(raw: &[u8]) -> Vec<u8> {
    let (r, s) = raw.split_at(raw.len() / 2);
    let integer = |bytes: &[u8]| {
        let trimmed: &[u8] = {
            let start = bytes
                .iter()
                .position(|b| *b != 0)
                .unwrap_or(bytes.len() - 1);
            &bytes[start..]
        };
        let mut out = vec![0x02];
        let pad = trimmed[0] & 0x80 != 0;
        out.push((trimmed.len() + usize::from(pad)) as u8);
        if pad {
            out.push(0);
        }
        out.extend_from_slice(trimmed);
        out
    };
    let body = [integer(r), integer(s)].concat();
    let mut out = vec![0x30, body.len() as u8];
    out.extend(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_removed_token_is_told_apart_from_other_refusals() {
        use cryptoki::context::Function;
        let removed = token_error(CkError::Pkcs11(RvError::DeviceRemoved, Function::Sign));
        assert!(matches!(removed, TokenError::Removed { .. }), "{removed}");
        assert_eq!(
            removed.to_string(),
            "the token was removed (or its session closed): DeviceRemoved from Sign"
        );
        let closed = token_error(CkError::Pkcs11(
            RvError::SessionHandleInvalid,
            Function::Sign,
        ));
        assert!(matches!(closed, TokenError::Removed { .. }));
        let other = token_error(CkError::Pkcs11(
            RvError::KeyTypeInconsistent,
            Function::Sign,
        ));
        assert!(matches!(other, TokenError::Device { .. }));
    }

    #[test]
    fn ecdsa_raw_signatures_become_der() {
        let mut raw = vec![0u8; 64];
        raw[0] = 0x80;
        raw[63] = 1;
        let der = ecdsa_der(&raw);
        assert_eq!(&der[..4], &[0x30, 0x26, 0x02, 0x21]);
        assert_eq!(der[4], 0);
        assert_eq!(&der[der.len() - 3..], &[0x02, 0x01, 0x01]);
    }
}
