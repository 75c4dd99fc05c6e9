//! Why a token identity cannot be used: one cause, one variant, one sentence.

use super::uri::UriError;

/// What the token said about its PIN after a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinTries {
    /// It says nothing more.
    Unknown,
    /// `CKF_USER_PIN_COUNT_LOW`: fewer tries are left than the token allows.
    Low,
    /// `CKF_USER_PIN_FINAL_TRY`: one more wrong PIN locks it.
    FinalTry,
    /// `CKF_USER_PIN_LOCKED`: it is locked.
    Locked,
}

impl PinTries {
    fn sentence(self) -> &'static str {
        match self {
            PinTries::Unknown => {
                "; the token does not say how many tries are left — check the PIN before trying again"
            }
            PinTries::Low => "; the token reports that few tries are left",
            PinTries::FinalTry => "; the token reports ONE try left: another wrong PIN locks it",
            PinTries::Locked => {
                "; the PIN is now locked (unlock it with the token's PUK or SO PIN)"
            }
        }
    }
}

/// Why a token identity cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The URI cannot be read.
    #[error(transparent)]
    Uri(#[from] UriError),
    /// No module to load.
    #[error(
        "no PKCS#11 module is registered with p11-kit, and none was named (the module's .so, .dylib or .dll)"
    )]
    NoModule,
    /// A module would not load or initialise.
    #[error("cannot load the PKCS#11 module {path}: {detail}")]
    ModuleLoad {
        /// The module.
        path: String,
        /// What failed.
        detail: String,
    },
    /// No token matches.
    #[error("no token matches {uri} ({seen})")]
    NoToken {
        /// The URI.
        uri: String,
        /// The tokens that are there.
        seen: String,
    },
    /// Several tokens match.
    #[error("{count} tokens match {uri} ({labels}): name one with token= or serial=")]
    SeveralTokens {
        /// The URI.
        uri: String,
        /// How many.
        count: usize,
        /// Their labels.
        labels: String,
    },
    /// No certificate matches on the token.
    #[error("no certificate on the token “{token}” matches {uri}")]
    NoCertificate {
        /// The token.
        token: String,
        /// The URI.
        uri: String,
    },
    /// Several certificates match.
    #[error(
        "{count} certificates on the token “{token}” match ({labels}): name one with object= or id="
    )]
    SeveralCertificates {
        /// The token.
        token: String,
        /// How many.
        count: usize,
        /// Their labels.
        labels: String,
    },
    /// The key is needed and no PIN was given.
    #[error("the token “{token}” needs its PIN to sign")]
    PinNeeded {
        /// The token.
        token: String,
    },
    /// The PIN was refused (tried once, never again on its own).
    #[error("wrong PIN for the token “{token}”{}", tries.sentence())]
    WrongPin {
        /// The token.
        token: String,
        /// What the token reports now.
        tries: PinTries,
    },
    /// The PIN is locked: nothing was tried.
    #[error(
        "the PIN of the token “{token}” is locked: nothing was tried (unlock it with the token's PUK or SO PIN)"
    )]
    PinLocked {
        /// The token.
        token: String,
    },
    /// No private key has the certificate's `CKA_ID`.
    #[error("the token “{token}” holds no private key with the certificate's id ({id})")]
    NoKey {
        /// The token.
        token: String,
        /// The id, hex.
        id: String,
    },
    /// The key with the certificate's id does not belong to it.
    #[error(
        "the private key with id {id} on the token “{token}” does not belong to the certificate: a test signature does not verify with the certificate's public key"
    )]
    KeyMismatch {
        /// The token.
        token: String,
        /// The id, hex.
        id: String,
    },
    /// The key cannot sign any scheme TLS uses with the token's mechanisms.
    #[error("the token “{token}” offers no signature mechanism TLS can use with this {key} key")]
    NoMechanism {
        /// The token.
        token: String,
        /// The key's kind.
        key: String,
    },
    /// The token went away.
    #[error("the token was removed (or its session closed): {detail}")]
    Removed {
        /// What the module said.
        detail: String,
    },
    /// Another refusal by the module.
    #[error("the token refused: {detail}")]
    Device {
        /// What the module said.
        detail: String,
    },
}
