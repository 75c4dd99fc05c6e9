//! The verdict's words: every `X509_V_ERR_*` the two libraries can raise for a client
//! certificate, with each library's text (`X509_verify_cert_error_string`) and the advice shown
//! beside it.

use serde::Serialize;

use crate::notation::TlsLibrary;

/// One way verification can fail; the reason string depends on the profile's library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum VerifyError {
    /// 2: a trusted certificate that is not self-signed, whose issuer is not trusted.
    UnableToGetIssuer,
    /// 7: a signature does not verify.
    SignatureFailure,
    /// 9
    NotYetValid,
    /// 10
    Expired,
    /// 13: the notBefore time cannot be read.
    NotBeforeFormat,
    /// 14: the notAfter time cannot be read.
    NotAfterFormat,
    /// 18: the leaf is self-signed and not trusted.
    SelfSigned,
    /// 19: the chain ends in an untrusted self-signed certificate.
    SelfSignedInChain,
    /// 20: no trusted issuer found for the top of the chain.
    UnableToGetLocalIssuer,
    /// 21: only the leaf, and its issuer is unknown.
    UnableToVerifyLeaf,
    /// 22: the chain is longer than the library's own limit.
    ChainTooLong,
    /// 24 (79 in OpenSSL 3): an issuer that is not a CA.
    InvalidCa,
    /// 25
    PathLengthExceeded,
    /// 26: not allowed for client authentication.
    InvalidPurpose,
    /// 34
    UnhandledCriticalExtension,
    /// 66 (OpenSSL security level)
    EeKeyTooSmall,
    /// 67 (OpenSSL security level)
    CaKeyTooSmall,
    /// 68 (OpenSSL security level)
    CaMdTooWeak,
    /// 32 (OpenSSL reports it while checking signatures; BoringSSL never finds such an issuer).
    KeyUsageNoCertSign,
    /// 47: a name outside every permitted subtree of its type.
    PermittedViolation,
    /// 48: a name inside an excluded subtree.
    ExcludedViolation,
    /// 49: a subtree with minimum or maximum.
    SubtreeMinMax,
    /// 51: a constraint of a type the library does not check.
    UnsupportedConstraintType,
    /// 52: a constraint the library cannot read.
    UnsupportedConstraintSyntax,
    /// 53: a name the library cannot read against a constraint.
    UnsupportedNameSyntax,
    /// 67 (BoringSSL): name constraints above a leaf with no subjectAltName whose common name
    /// looks like a host name.
    NameConstraintsWithoutSans,
    /// 1: an error without a more specific code.
    Unspecified,
    /// 3: no revocation list for a certificate of the chain.
    UnableToGetCrl,
    /// 6: the issuer's public key cannot be decoded (BoringSSL and explicit curves).
    UnableToDecodeIssuerPublicKey,
    /// 94 (OpenSSL 3): an EC key whose curve is given as explicit parameters.
    EcKeyExplicitParams,
    /// 41: an extension the library cannot decode (BoringSSL stops at the leaf's).
    InvalidExtension,
    /// 8: a revocation list whose signature does not verify.
    CrlSignatureFailure,
    /// 11
    CrlNotYetValid,
    /// 12
    CrlExpired,
    /// 15
    CrlLastUpdateFormat,
    /// 16
    CrlNextUpdateFormat,
    /// 23
    Revoked,
    /// 33: the signer of a revocation list is not in the chain.
    UnableToGetCrlIssuer,
    /// 35
    KeyUsageNoCrlSign,
    /// 36
    UnhandledCriticalCrlExtension,
}

impl VerifyError {
    /// The `X509_V_ERR_*` number OpenSSL 3 gives this error (what HAProxy's `ssl_c_verify`
    /// fetch returns).
    pub fn openssl_code(self) -> u32 {
        match self {
            VerifyError::Unspecified | VerifyError::NameConstraintsWithoutSans => 1,
            VerifyError::UnableToGetIssuer => 2,
            VerifyError::UnableToGetCrl => 3,
            VerifyError::UnableToDecodeIssuerPublicKey => 6,
            VerifyError::SignatureFailure => 7,
            VerifyError::CrlSignatureFailure => 8,
            VerifyError::NotYetValid => 9,
            VerifyError::Expired => 10,
            VerifyError::CrlNotYetValid => 11,
            VerifyError::CrlExpired => 12,
            VerifyError::NotBeforeFormat => 13,
            VerifyError::NotAfterFormat => 14,
            VerifyError::CrlLastUpdateFormat => 15,
            VerifyError::CrlNextUpdateFormat => 16,
            VerifyError::SelfSigned => 18,
            VerifyError::SelfSignedInChain => 19,
            VerifyError::UnableToGetLocalIssuer => 20,
            VerifyError::UnableToVerifyLeaf => 21,
            VerifyError::ChainTooLong => 22,
            VerifyError::Revoked => 23,
            VerifyError::PathLengthExceeded => 25,
            VerifyError::InvalidPurpose => 26,
            VerifyError::KeyUsageNoCertSign => 32,
            VerifyError::UnableToGetCrlIssuer => 33,
            VerifyError::UnhandledCriticalExtension => 34,
            VerifyError::KeyUsageNoCrlSign => 35,
            VerifyError::UnhandledCriticalCrlExtension => 36,
            VerifyError::InvalidExtension => 41,
            VerifyError::PermittedViolation => 47,
            VerifyError::ExcludedViolation => 48,
            VerifyError::SubtreeMinMax => 49,
            VerifyError::UnsupportedConstraintType => 51,
            VerifyError::UnsupportedConstraintSyntax => 52,
            VerifyError::UnsupportedNameSyntax => 53,
            VerifyError::EeKeyTooSmall => 66,
            VerifyError::CaKeyTooSmall => 67,
            VerifyError::CaMdTooWeak => 68,
            VerifyError::InvalidCa => 79,
            VerifyError::EcKeyExplicitParams => 94,
        }
    }

    /// `X509_verify_cert_error_string` of the profile's library.
    pub fn reason(self, rules: TlsLibrary) -> &'static str {
        let openssl = rules == TlsLibrary::OpenSsl;
        match self {
            VerifyError::UnableToGetIssuer => "unable to get issuer certificate",
            VerifyError::SignatureFailure => "certificate signature failure",
            VerifyError::NotYetValid => "certificate is not yet valid",
            VerifyError::Expired => "certificate has expired",
            VerifyError::NotBeforeFormat => "format error in certificate's notBefore field",
            VerifyError::NotAfterFormat => "format error in certificate's notAfter field",
            VerifyError::SelfSigned if openssl => "self-signed certificate",
            VerifyError::SelfSigned => "self signed certificate",
            VerifyError::SelfSignedInChain if openssl => {
                "self-signed certificate in certificate chain"
            }
            VerifyError::SelfSignedInChain => "self signed certificate in certificate chain",
            VerifyError::UnableToGetLocalIssuer => "unable to get local issuer certificate",
            VerifyError::UnableToVerifyLeaf => "unable to verify the first certificate",
            VerifyError::ChainTooLong => "certificate chain too long",
            VerifyError::InvalidCa => "invalid CA certificate",
            VerifyError::PathLengthExceeded => "path length constraint exceeded",
            VerifyError::InvalidPurpose if openssl => "unsuitable certificate purpose",
            VerifyError::InvalidPurpose => "unsupported certificate purpose",
            VerifyError::UnhandledCriticalExtension => "unhandled critical extension",
            VerifyError::EeKeyTooSmall => "EE certificate key too weak",
            VerifyError::CaKeyTooSmall => "CA certificate key too weak",
            VerifyError::CaMdTooWeak => "CA signature digest algorithm too weak",
            VerifyError::KeyUsageNoCertSign => "key usage does not include certificate signing",
            VerifyError::PermittedViolation => "permitted subtree violation",
            VerifyError::ExcludedViolation => "excluded subtree violation",
            VerifyError::SubtreeMinMax => "name constraints minimum and maximum not supported",
            VerifyError::UnsupportedConstraintType => "unsupported name constraint type",
            VerifyError::UnsupportedConstraintSyntax => {
                "unsupported or invalid name constraint syntax"
            }
            VerifyError::UnsupportedNameSyntax => "unsupported or invalid name syntax",
            VerifyError::NameConstraintsWithoutSans => {
                "Issuer has name constraints but leaf has no SANs"
            }
            VerifyError::UnableToGetCrl => "unable to get certificate CRL",
            VerifyError::UnableToDecodeIssuerPublicKey => "unable to decode issuer public key",
            VerifyError::EcKeyExplicitParams => {
                "Certificate public key has explicit ECC parameters"
            }
            VerifyError::InvalidExtension => "invalid or inconsistent certificate extension",
            VerifyError::CrlSignatureFailure => "CRL signature failure",
            VerifyError::CrlNotYetValid => "CRL is not yet valid",
            VerifyError::CrlExpired => "CRL has expired",
            VerifyError::CrlLastUpdateFormat => "format error in CRL's lastUpdate field",
            VerifyError::CrlNextUpdateFormat => "format error in CRL's nextUpdate field",
            VerifyError::Revoked => "certificate revoked",
            VerifyError::UnableToGetCrlIssuer => "unable to get CRL issuer certificate",
            VerifyError::KeyUsageNoCrlSign => "key usage does not include CRL signing",
            VerifyError::UnhandledCriticalCrlExtension => "unhandled critical CRL extension",
            VerifyError::Unspecified if openssl => "unspecified certificate verification error",
            VerifyError::Unspecified => "unknown certificate verification error",
        }
    }
}
