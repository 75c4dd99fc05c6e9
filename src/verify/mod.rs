//! The verdict against a chosen CA, in the edge's own words: `SUCCESS` or `FAILED:<reason>`,
//! with the ordered checks behind it.
//!
//! Each profile follows its library's `X509_verify_cert` as a TLS server runs it for a client
//! (purpose `ssl_client`, no partial chains unless asked), with an accept-all callback the way
//! a permissive edge runs it: every check runs and the **last** error raised is the one shown.
//! The `cloudflare` profile walks as BoringSSL does (`boringssl.rs`, held to BoringSSL itself
//! by the `oracles/boringssl` tests): the verdict is the older BoringSSL's, whose wording
//! Cloudflare documents (`unable to verify the first certificate`), and where the current
//! BoringSSL words the same chain differently, that wording comes with it ([`OtherWording`]);
//! the `nginx` profile as OpenSSL 3 does under nginx —
//! key strength of the leaf, building the chain, extensions and purpose, security level, then
//! signatures and validity from the trust anchor down to the leaf (held to nginx itself).
//! rustls-webpki answers a different question (first error, its own words, no v1 or SHA-1
//! certificates), so the walks are ours; the signature arithmetic is aws-lc-rs's.

mod boringssl;
mod crl;
mod extensions;
mod name_constraints;
mod openssl;
mod p192;
mod run;
mod signature;
mod vocabulary;
mod warnings;

use serde::Serialize;

use crate::certificate::Certificate;
use crate::certificate::Instant;
use crate::notation::TlsLibrary;

pub use crl::{Crl, CrlError, revokes};
pub use signature::{key_description, verifies};
pub use vocabulary::VerifyError;
pub use warnings::leaf_warnings;

use openssl::openssl_verify;
use run::{Run, check_time, issued_by};

/// The certificate's signature algorithm by name (`ecdsa-with-SHA256`).
pub fn signature_algorithm_name(cert: &Certificate) -> String {
    signature::describe_algorithm(cert).0
}

/// Options a server sets for client verification.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The moment of verification.
    pub at: Instant,
    /// nginx's `ssl_verify_depth`: how many CA levels above the leaf may be used.
    pub depth: usize,
    /// Accept a chain that ends at a trusted certificate that is not self-signed
    /// (`X509_V_FLAG_PARTIAL_CHAIN`).
    pub partial_chain: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            at: Instant::now(),
            depth: 3,
            partial_chain: false,
        }
    }
}

/// One check made, in the order the edge makes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// What was checked ("chain", "signature", "validity", "purpose", …).
    pub check: &'static str,
    /// Which certificate (0 = leaf), when the check is about one.
    pub depth: Option<usize>,
    /// Whether it passed.
    pub passed: bool,
    /// The error it raised, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<VerifyError>,
    /// A sentence a person can act on.
    pub detail: String,
}

/// The verdict another revision of the edge's TLS library gives for the same chain, where it
/// differs from the one shown: the edge may run either.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OtherWording {
    /// `SUCCESS` or `FAILED:<reason>`, as that revision words it.
    pub verdict: String,
    /// Which revision gives it, and which gives the verdict shown.
    pub note: String,
}

/// The outcome of verification.
#[derive(Debug, Clone)]
pub struct Verification {
    /// `SUCCESS` or `FAILED:<reason>`.
    pub verdict: String,
    /// The same chain's verdict in another revision of the library, where it differs.
    pub other_wording: Option<OtherWording>,
    /// The error shown (the last one raised), if any.
    pub error: Option<VerifyError>,
    /// Every check, in order.
    pub checks: Vec<Check>,
    /// The chain that was built, leaf first; the last certificate is trusted when `trusted`.
    pub path: Vec<Certificate>,
    /// Whether the path ends at a certificate from the chosen CA files.
    pub trusted: bool,
    /// What the leaf will meet beyond the verdict ([`leaf_warnings`]).
    pub warnings: Vec<String>,
}

impl Verification {
    /// True for `SUCCESS`.
    pub fn is_success(&self) -> bool {
        self.error.is_none()
    }

    /// The certificate that issued the leaf, as found while building the chain.
    pub fn issuer(&self) -> Option<&Certificate> {
        match self.path.as_slice() {
            [leaf] if leaf.is_self_issued() => Some(leaf),
            [_, issuer, ..] => Some(issuer),
            _ => None,
        }
    }
}

/// Verifies `leaf`, sent with `chain`, against the trusted `cas`, as `profile`'s edge would.
pub fn verify(
    leaf: &Certificate,
    chain: &[Certificate],
    cas: &[Certificate],
    rules: TlsLibrary,
    options: &Options,
) -> Verification {
    verify_with_crls(leaf, chain, cas, &[], rules, options)
}

/// [`verify`] with revocation lists: nginx's `ssl_crl` then checks every certificate of the
/// chain against them (a missing, stale or forged list fails the verification); Cloudflare does
/// not check CRLs for uploaded CAs, so they never change its verdict (see [`revokes`]).
pub fn verify_with_crls(
    leaf: &Certificate,
    chain: &[Certificate],
    cas: &[Certificate],
    crls: &[Crl],
    rules: TlsLibrary,
    options: &Options,
) -> Verification {
    let mut run = Run::new(rules);
    let (path, trusted) = match rules {
        TlsLibrary::BoringSsl => boringssl::verify(
            &mut run,
            leaf,
            chain,
            cas,
            options,
            boringssl::Revision::Documented,
        ),
        TlsLibrary::OpenSsl => openssl_verify(&mut run, leaf, chain, cas, crls, options),
    };
    let verdict = run.verdict();
    let other_wording = (rules == TlsLibrary::BoringSsl)
        .then(|| {
            let mut current = Run::new(rules);
            let revision = boringssl::Revision::Current;
            boringssl::verify(&mut current, leaf, chain, cas, options, revision);
            current.verdict()
        })
        .filter(|other| *other != verdict)
        .map(|other| OtherWording {
            note: format!(
                "{other} is what {} gives for this chain; {verdict} is what {} gives, in the words Cloudflare documents. Which revision the edge runs is not public, so either can reach the application.",
                boringssl::Revision::Current.describe(),
                boringssl::Revision::Documented.describe(),
            ),
            verdict: other,
        });
    Verification {
        verdict,
        other_wording,
        error: run.last,
        checks: run.checks,
        path,
        trusted,
        warnings: leaf_warnings(leaf),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The deterministic Ed25519 pair of the worked example (docs/fields.md, "Test vectors").
    fn example() -> (Certificate, Certificate) {
        let leaf = "MIIB+TCCAaugAwIBAgIJAJNurL4H8gHfMAUGAytlcDA/MQswCQYDVQQGEwJVUzEWMBQGA1UECgwNRXhhbXBsZSwgSW5jLjEYMBYGA1UEAwwPRXhhbXBsZSBUZXN0IENBMCAXDTI0MDEwMjAzMDQwNVoYDzIwNTAwMTAxMDAwMDAwWjCBmzELMAkGA1UEBhMCREUxEDAOBgNVBAcMB1rDvHJpY2gxHzAdBgNVBAoMFk3DvGxsZXIgJiBTw7ZobmUsIEdtYkgxEDAOBgNVBAsMB1IrRC9MYWIxJTAQBgoJkiaJk/IsZAEBDAJhMTARBgNVBAMMCiBhbGljZSAjMSAxIDAeBgkqhkiG9w0BCQEWEWFsaWNlQGV4YW1wbGUuY29tMCowBQYDK2VwAyEAKay64UG8yvCyLhqU000LxzYeUm0L/hLIl5S8kyKWbdejZTBjMAwGA1UdEwEB/wQCMAAwHQYDVR0OBBYEFKt7rewflyf79SSOvp69UwoweVyOMB8GA1UdIwQYMBaAFP2Bpttk1vr39wLAeXGoLCXB3DyQMBMGA1UdJQQMMAoGCCsGAQUFBwMCMAUGAytlcANBAMDGPTrBcPZbaOYNyB/cbqElAt5piFUrWaoCmSPagDPYKjsnqnXpuKArojNeWE1oDMYsXsnysGJ1Ev7TTlkEFgA=";
        let ca = "MIIBdDCCASagAwIBAgIUAQIDBAUGBwgJCgsMDQ4PEBESExQwBQYDK2VwMD8xCzAJBgNVBAYTAlVTMRYwFAYDVQQKDA1FeGFtcGxlLCBJbmMuMRgwFgYDVQQDDA9FeGFtcGxlIFRlc3QgQ0EwIBcNMjQwMTAxMDAwMDAwWhgPMjA1NDAxMDEwMDAwMDBaMD8xCzAJBgNVBAYTAlVTMRYwFAYDVQQKDA1FeGFtcGxlLCBJbmMuMRgwFgYDVQQDDA9FeGFtcGxlIFRlc3QgQ0EwKjAFBgMrZXADIQADoQe/884Qvh1w3RjnS8CZZ+TWMJulDV8d3IZkElUxuKMyMDAwDwYDVR0TAQH/BAUwAwEB/zAdBgNVHQ4EFgQU/YGm22TW+vf3AsB5cagsJcHcPJAwBQYDK2VwA0EAi0CG6FS2f3ZscZ3P2hiF9XGQPOlOK3qrgivvQB5VD/5hoIoHXRO10vs8HOEhkBiFNOdyTrBFKNeq2APeWW+GCQ==";
        use base64::Engine as _;
        let decode = |b64: &str| {
            Certificate::from_der(
                &base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .unwrap(),
            )
            .unwrap()
        };
        (decode(leaf), decode(ca))
    }

    fn at(text: &str) -> Options {
        Options {
            at: Instant::parse(text).unwrap(),
            ..Options::default()
        }
    }

    /// BoringSSL's verdicts for the deterministic Ed25519 pair.
    #[test]
    fn worked_example_verdicts_match_boringssl() {
        let (leaf, ca) = example();
        let cf = TlsLibrary::BoringSsl;
        let ok = verify(&leaf, &[], std::slice::from_ref(&ca), cf, &at("2025-01-01"));
        assert_eq!(ok.verdict, "SUCCESS");
        assert_eq!(ok.issuer(), Some(&ca));
        assert_eq!(
            verify(&leaf, &[], std::slice::from_ref(&ca), cf, &at("2051-01-01")).verdict,
            "FAILED:certificate has expired"
        );
        assert_eq!(
            verify(&leaf, &[], std::slice::from_ref(&ca), cf, &at("2023-01-01")).verdict,
            "FAILED:certificate is not yet valid"
        );
        // A trust store without the issuer, leaf alone: the documented wording, with the
        // current BoringSSL's beside it.
        let unrelated = leaf.clone();
        let failed = verify(&leaf, &[], &[unrelated], cf, &at("2025-01-01"));
        assert_eq!(
            failed.verdict,
            "FAILED:unable to verify the first certificate"
        );
        let other = failed.other_wording.as_ref().unwrap();
        assert_eq!(
            other.verdict,
            "FAILED:unable to get local issuer certificate"
        );
        assert!(other.note.contains("API version 44"), "{}", other.note);
        assert!(ok.other_wording.is_none());
        assert!(
            failed
                .checks
                .iter()
                .any(|c| c.detail.contains("was issued by CN=Example Test CA"))
        );
        // Presenting the CA itself to a store that lacks it.
        assert_eq!(
            verify(&ca, &[], std::slice::from_ref(&leaf), cf, &at("2025-01-01")).verdict,
            "FAILED:self signed certificate"
        );
        assert_eq!(
            verify(
                &ca,
                &[],
                std::slice::from_ref(&leaf),
                TlsLibrary::OpenSsl,
                &at("2025-01-01")
            )
            .verdict,
            "FAILED:self-signed certificate"
        );
    }

    /// OpenSSL and the current BoringSSL go on to check the dates of a leaf whose issuer is
    /// unknown, so the expiry is the last error; the older BoringSSL (Cloudflare's documented
    /// wording) stops before the dates.
    #[test]
    fn expired_leaf_with_unknown_issuer_in_each_librarys_words() {
        let (leaf, _) = example();
        let options = at("2051-01-01");
        let trusted = std::slice::from_ref(&leaf);
        let openssl = verify(&leaf, &[], trusted, TlsLibrary::OpenSsl, &options);
        assert_eq!(openssl.verdict, "FAILED:certificate has expired");
        assert!(openssl.other_wording.is_none());
        let boringssl = verify(&leaf, &[], trusted, TlsLibrary::BoringSsl, &options);
        assert_eq!(
            boringssl.verdict,
            "FAILED:unable to verify the first certificate"
        );
        assert_eq!(
            boringssl
                .other_wording
                .map(|other| other.verdict)
                .as_deref(),
            Some("FAILED:certificate has expired")
        );
    }

    #[test]
    fn reason_strings_follow_each_library() {
        assert_eq!(
            VerifyError::InvalidPurpose.reason(TlsLibrary::BoringSsl),
            "unsupported certificate purpose"
        );
        assert_eq!(
            VerifyError::InvalidPurpose.reason(TlsLibrary::OpenSsl),
            "unsuitable certificate purpose"
        );
        assert_eq!(
            VerifyError::SelfSignedInChain.reason(TlsLibrary::BoringSsl),
            "self signed certificate in certificate chain"
        );
        assert_eq!(
            VerifyError::SelfSignedInChain.reason(TlsLibrary::OpenSsl),
            "self-signed certificate in certificate chain"
        );
    }

    #[test]
    fn expiry_is_explained_in_days() {
        let (leaf, ca) = example();
        let failed = verify(
            &leaf,
            &[],
            std::slice::from_ref(&ca),
            TlsLibrary::BoringSsl,
            &at("2050-01-04T00:00:00Z"),
        );
        let check = failed.checks.iter().find(|c| !c.passed).unwrap();
        assert_eq!(
            check.detail,
            "expired on Jan  1 00:00:00 2050 GMT, 3 days ago; renew it"
        );
    }
}
