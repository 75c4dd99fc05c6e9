//! rustls plumbing shared by the live test and the echo server: the crypto provider, and turning
//! a loaded identity into a signing key.

use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls::sign::CertifiedKey;
use rustls_pki_types::{
    CertificateDer, PrivateKeyDer, PrivatePkcs1KeyDer, PrivatePkcs8KeyDer, PrivateSec1KeyDer,
};
use thiserror::Error;

use crate::certificate::Certificate;
use crate::identity::{Identity, KeyEncoding, PrivateKey};

/// Why a certificate and key cannot be used for TLS.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum TlsSetupError {
    /// The identity has no private key.
    #[error(
        "the file holds no private key for the certificate; a TLS client needs both (put the key in the same PEM, or use the .p12)"
    )]
    NoPrivateKey,
    /// rustls refused the key.
    #[error("the private key cannot be used for TLS: {0}")]
    UnusableKey(String),
    /// A certificate could not be generated.
    #[error("cannot generate a certificate: {0}")]
    Generate(String),
}

/// The process-wide crypto provider (aws-lc-rs), installed once.
pub fn provider() -> Arc<CryptoProvider> {
    if let Some(provider) = CryptoProvider::get_default() {
        return provider.clone();
    }
    // Installing can only fail if another thread installed one first; either way one is set.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
}

/// The key in the form rustls reads, borrowing the loaded key's bytes (which are wiped when the
/// key is dropped): no copy of the key is left behind for rustls to drop unwiped.
pub fn private_key_der(key: &PrivateKey) -> PrivateKeyDer<'_> {
    let bytes = key.der();
    match key.encoding() {
        KeyEncoding::Pkcs8 => PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(bytes)),
        KeyEncoding::Pkcs1 => PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(bytes)),
        KeyEncoding::Sec1 => PrivateKeyDer::Sec1(PrivateSec1KeyDer::from(bytes)),
    }
}

/// The DER of each certificate, for rustls.
pub fn certificate_ders(certs: &[&Certificate]) -> Vec<CertificateDer<'static>> {
    certs
        .iter()
        .map(|c| CertificateDer::from(c.der().to_vec()))
        .collect()
}

/// The identity as a rustls signing identity: leaf, then the chain, and the key.
pub fn certified_key(identity: &Identity) -> Result<Arc<CertifiedKey>, TlsSetupError> {
    let key = identity.key.as_ref().ok_or(TlsSetupError::NoPrivateKey)?;
    // The aws-lc-rs provider's own loader, on the borrowed bytes (the provider's
    // `load_private_key` takes an owned copy and drops it unwiped).
    let signer = match key.token_signer() {
        Some(on_token) => on_token,
        None => rustls::crypto::aws_lc_rs::sign::any_supported_type(&private_key_der(key))
            .map_err(|e| TlsSetupError::UnusableKey(e.to_string()))?,
    };
    let certs: Vec<&Certificate> = std::iter::once(&identity.leaf)
        .chain(identity.chain.iter())
        .collect();
    Ok(Arc::new(CertifiedKey::new(
        certificate_ders(&certs),
        signer,
    )))
}
