//! Why a file could not be loaded: one cause, one variant, one sentence a user can act on.

use std::path::PathBuf;

use thiserror::Error;

use crate::limits::Count;

/// Everything that can go wrong turning a file into certificates and a key.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file is larger than any certificate file has reason to be.
    #[error(
        "the file is {size} bytes; Certlens reads certificate files of at most {limit} bytes",
        size = Count(*size),
        limit = Count(*limit)
    )]
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The file holds nothing Certlens can read as certificates or keys.
    #[error("this is not a certificate or key file: it looks like {looks_like}")]
    NotACertificateFile {
        /// What the bytes look like instead ("a ZIP archive", "an OpenSSH private key", …).
        looks_like: String,
    },
    /// The data ends before the structure does.
    #[error(
        "the file is truncated: {what} ends before its declared length (was it cut off while copying?)"
    )]
    Truncated {
        /// Which structure was cut off.
        what: &'static str,
    },
    /// The structure is damaged.
    #[error("the file is corrupt: {what}: {detail}")]
    Corrupt {
        /// Which structure is damaged.
        what: &'static str,
        /// What is wrong with it.
        detail: String,
    },
    /// The file is protected and no password was given.
    #[error("{what} is protected by a password")]
    PasswordNeeded {
        /// What is protected ("this PKCS#12 file", "the encrypted private key").
        what: &'static str,
    },
    /// The password does not open the file. A file damaged where its MAC or ciphertext lies
    /// fails the same way, so the message says both.
    #[error("wrong password, or a damaged file: {detail}")]
    WrongPassword {
        /// How we know (the MAC check failed, the decrypted data is not a key).
        detail: &'static str,
    },
    /// The file uses an algorithm Certlens cannot decrypt or check.
    #[error("the file uses {name}, which Certlens does not support{hint}")]
    UnsupportedAlgorithm {
        /// The algorithm's name.
        name: String,
        /// What to do about it (may be empty).
        hint: &'static str,
    },
    /// Opening the file would run a key derivation longer than Certlens allows.
    #[error(
        "{what} asks for {count} key-derivation iterations; Certlens stops at {limit} (openssl writes 2,048: re-export it with a lower count, e.g. `-iter 2048`)",
        count = Count(*count),
        limit = Count(*limit)
    )]
    TooManyIterations {
        /// The protected part ("the private key", "the file's integrity check (MAC)").
        what: &'static str,
        /// The iterations asked for.
        count: u64,
        /// The limit.
        limit: u64,
    },
    /// An scrypt key derivation would need more memory, parallelism or work than Certlens
    /// allows.
    #[error(
        "{what} asks scrypt for {memory} bytes of memory, parallelism {parallelism} and N·r·p = {work} (as long as {work} PBKDF2 iterations); Certlens allows {memory_limit} bytes, parallelism {parallelism_limit} and {work_limit} (re-encrypt with `openssl pkcs8 -topk8 -v2 aes-256-cbc`)",
        memory = Count(*memory),
        work = Count(*work),
        memory_limit = Count(crate::limits::MAX_SCRYPT_MEMORY),
        parallelism_limit = crate::limits::MAX_SCRYPT_PARALLELISM,
        work_limit = Count(crate::limits::MAX_ITERATIONS)
    )]
    ScryptTooCostly {
        /// The protected part.
        what: &'static str,
        /// 128·N·r bytes.
        memory: u64,
        /// The parallelism `p`.
        parallelism: u64,
        /// N·r·p, in PBKDF2 iterations ([`crate::limits::scrypt_work`]).
        work: u64,
    },
    /// The file holds more objects than any certificate file needs.
    #[error("the file holds more than {limit} {what}; Certlens reads at most {limit} per file", limit = Count(*limit as u64))]
    TooManyObjects {
        /// What was counted ("certificates and keys", "PKCS#12 bags").
        what: &'static str,
        /// The limit.
        limit: usize,
    },
    /// PKCS#12 bags are nested deeper than any real file nests them.
    #[error("the PKCS#12 file nests its bags more than {limit} deep; no real file does")]
    TooDeeplyNested {
        /// The limit.
        limit: usize,
    },
    /// The file holds no certificate.
    #[error("the file holds no certificate ({found})")]
    NoCertificate {
        /// What it holds instead.
        found: String,
    },
    /// The file holds a private key, but it belongs to none of the file's certificates.
    #[error(
        "the private key does not match any of the {certificates} certificate(s) in the file; the certificate for this key is missing"
    )]
    KeyMatchesNoCertificate {
        /// How many certificates the file holds.
        certificates: usize,
    },
    /// The load was cancelled before it finished.
    #[error("loading was cancelled")]
    Cancelled,
    /// A PKCS#11 token identity could not be opened.
    #[error(transparent)]
    Token(#[from] super::token::TokenError),
    /// A component failed unexpectedly; the input is the likely cause.
    #[error("the file could not be read ({detail}); please report this file's shape to Certlens")]
    Internal {
        /// What failed.
        detail: String,
    },
}
