//! One verification under way: the checks made so far and the last error raised (as an
//! accept-all callback sees it), and the steps both libraries' walks share.

use crate::certificate::Certificate;
use crate::certificate::Instant;
use crate::notation::{TlsLibrary, format_name, format_time};

use super::extensions::{self, Constraints, ExtendedKeyUsage};
use super::signature::{self, key_description, verifies};
use super::{Check, VerifyError};

/// Accumulates checks; remembers the last error, as an accept-all callback sees it.
pub(super) struct Run {
    pub(super) rules: TlsLibrary,
    pub(super) checks: Vec<Check>,
    pub(super) last: Option<VerifyError>,
}

impl Run {
    pub(super) fn new(rules: TlsLibrary) -> Self {
        Self {
            rules,
            checks: Vec::new(),
            last: None,
        }
    }

    /// `SUCCESS`, or `FAILED:` and the last error's reason in the library's words.
    pub(super) fn verdict(&self) -> String {
        match self.last {
            None => "SUCCESS".to_owned(),
            Some(error) => format!("FAILED:{}", error.reason(self.rules)),
        }
    }

    pub(super) fn pass(&mut self, check: &'static str, depth: Option<usize>, detail: String) {
        self.checks.push(Check {
            check,
            depth,
            passed: true,
            error: None,
            detail,
        });
    }

    pub(super) fn fail(
        &mut self,
        check: &'static str,
        depth: Option<usize>,
        error: VerifyError,
        detail: String,
    ) {
        self.last = Some(error);
        self.checks.push(Check {
            check,
            depth,
            passed: false,
            error: Some(error),
            detail,
        });
    }

    pub(super) fn name(&self, der: &[u8]) -> String {
        format_name(der, self.rules)
            .map(|n| n.rfc2253)
            .unwrap_or_default()
    }

    /// `X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION` when `constraints` hold one the library
    /// does not understand.
    pub(super) fn critical_extensions(&mut self, constraints: &Constraints, depth: usize) {
        if let Some(oid) = constraints.unhandled_critical(self.rules) {
            self.fail("critical extensions", Some(depth), VerifyError::UnhandledCriticalExtension, format!(
                "the certificate has a critical extension {oid} that the edge does not understand, so it must reject the certificate"
            ));
        }
    }

    /// The `ssl_client` purpose of the certificate at `depth`: `allowed` or
    /// `X509_V_ERR_INVALID_PURPOSE`, with the reason read from its extensions.
    pub(super) fn purpose(&mut self, constraints: &Constraints, depth: usize, allowed: bool) {
        if allowed {
            if depth == 0 {
                self.pass(
                    "purpose",
                    Some(0),
                    "allowed for TLS client authentication".into(),
                );
            }
            return;
        }
        let detail = match (constraints.eku(), depth) {
            (ExtendedKeyUsage::Listed { client_auth: false, .. }, _) => format!(
                "its extended key usage ({}) does not include TLS client authentication (clientAuth)",
                constraints.eku_names().join(", ")
            ),
            (_, 0) => "its key usage allows neither digitalSignature nor keyAgreement, so it cannot authenticate a TLS client".into(),
            _ => "it is not a valid CA for TLS client certificates".into(),
        };
        self.fail("purpose", Some(depth), VerifyError::InvalidPurpose, detail);
    }

    /// The signature of `subject` (at `depth`) checked with `issuer`'s key.
    pub(super) fn signature(&mut self, subject: &Certificate, issuer: &Certificate, depth: usize) {
        if verifies(subject, issuer) {
            self.pass(
                "signature",
                Some(depth),
                format!("signed by {}", self.name(issuer.subject_der())),
            );
        } else {
            let detail = format!(
                "the signature does not verify with the key of {} (the certificate was altered, or issued by another key with the same name)",
                self.name(issuer.subject_der())
            );
            self.fail(
                "signature",
                Some(depth),
                VerifyError::SignatureFailure,
                detail,
            );
        }
    }

    /// `X509_V_ERR_INVALID_CA` for `cert`, which issued a certificate without being a CA.
    pub(super) fn not_a_ca(&mut self, cert: &Certificate, constraints: &Constraints, depth: usize) {
        let detail = format!(
            "{} issued a certificate but is not a CA (basicConstraints CA:TRUE is {})",
            self.name(cert.subject_der()),
            if constraints.basic_constraints_present() {
                "false"
            } else {
                "missing"
            }
        );
        self.fail("CA", Some(depth), VerifyError::InvalidCa, detail);
    }

    pub(super) fn key_level(&mut self, cert: &Certificate, depth: usize, error: VerifyError) {
        let bits = signature::key_security_bits(cert);
        let key = key_description(cert);
        match bits {
            Some(bits) if bits < 112 => self.fail(
                "key strength",
                Some(depth),
                error,
                format!("{key} gives {bits} bits of security; OpenSSL's security level 2 (Debian's default, used by nginx) needs 112 — use RSA 2048 or an EC key"),
            ),
            _ => self.pass("key strength", Some(depth), format!("{key} is strong enough for security level 2")),
        }
    }

    pub(super) fn digest_level(&mut self, cert: &Certificate, depth: usize) {
        let (algorithm, digest) = signature::describe_algorithm(cert);
        if matches!(digest, signature::Digest::Sha1 | signature::Digest::Md5) {
            self.fail(
                "signature strength",
                Some(depth),
                VerifyError::CaMdTooWeak,
                format!("signed with {algorithm}; OpenSSL's security level 2 refuses SHA-1 and MD5 signatures — reissue it with SHA-256"),
            );
        } else {
            self.pass(
                "signature strength",
                Some(depth),
                format!("signed with {algorithm}"),
            );
        }
    }
}

/// Could `issuer` have issued `subject`? Names and key identifiers always; BoringSSL also
/// requires the issuer's keyUsage (if any) to allow certificate signing, where OpenSSL 3
/// finds the issuer anyway and reports the keyUsage later, while checking signatures.
///
/// Neither library links certificates whose extensions it cannot decode; OpenSSL also needs
/// the issuer's key to decode (`check_sig_alg_match`).
pub(super) fn issued_by(subject: &Certificate, issuer: &Certificate, rules: TlsLibrary) -> bool {
    subject.is_issued_by_name(issuer)
        && extensions::extensions_decodable(subject)
        && extensions::extensions_decodable(issuer)
        && match rules {
            TlsLibrary::OpenSsl => signature::key_decodable(issuer),
            TlsLibrary::BoringSsl => Constraints::of(issuer).may_sign_certificates(),
        }
}

/// Self-signed as each library decides it (`EXFLAG_SS`): self-issued with matching key
/// identifiers; BoringSSL also requires keyUsage (if any) to allow certificate signing.
pub(super) fn is_self_signed(cert: &Certificate, rules: TlsLibrary) -> bool {
    issued_by(cert, cert, rules)
}

/// The moment a validity time names, read as `X509_cmp_time` reads it: only the RFC 5280
/// forms (`YYMMDDHHMMSSZ` as UTCTime, `YYYYMMDDHHMMSSZ` as GeneralizedTime) count; fractions,
/// offsets and missing seconds, which the formatters may still print, cannot be compared.
pub(super) fn verifiable_time(der: &[u8]) -> Option<Instant> {
    crate::certificate::time::is_rfc5280_form(der)
        .then(|| crate::certificate::decode_time(der))
        .flatten()
}

/// `check_cert_time` of both libraries: a time the library cannot read is a format error, and
/// `X509_cmp_time` counts "equal" as "earlier", so a certificate is already expired at the
/// very second of its notAfter, and already valid at the second of its notBefore.
pub(super) fn check_time(run: &mut Run, cert: &Certificate, depth: usize, at: Instant) {
    let text = |der: &[u8]| format_time(der, run.rules).into_text();
    let (not_before, start) = (text(cert.not_before_der()), cert.verifiable_not_before());
    let (not_after, end) = (text(cert.not_after_der()), cert.verifiable_not_after());
    let days = |seconds: i64| {
        let days = seconds / 86_400;
        if days == 1 {
            "1 day".to_owned()
        } else {
            format!("{days} days")
        }
    };
    // Both bounds are checked, each error reported (the last one wins).
    let mut failed = false;
    match start {
        None => {
            run.fail(
                "validity",
                Some(depth),
                VerifyError::NotBeforeFormat,
                "its notBefore time is not one the edge's library can read; reissue the certificate with a plain UTCTime or GeneralizedTime ending in Z".into(),
            );
            failed = true;
        }
        Some(start) if at.unix < start.unix => {
            run.fail(
                "validity",
                Some(depth),
                VerifyError::NotYetValid,
                format!(
                    "not valid until {not_before} (in {}); check the clock, or wait",
                    days(start.unix - at.unix)
                ),
            );
            failed = true;
        }
        Some(_) => {}
    }
    match end {
        None => {
            run.fail(
                "validity",
                Some(depth),
                VerifyError::NotAfterFormat,
                "its notAfter time is not one the edge's library can read; reissue the certificate with a plain UTCTime or GeneralizedTime ending in Z".into(),
            );
            failed = true;
        }
        Some(end) if at.unix >= end.unix => {
            run.fail(
                "validity",
                Some(depth),
                VerifyError::Expired,
                format!(
                    "expired on {not_after}, {} ago; renew it",
                    days(at.unix - end.unix)
                ),
            );
            failed = true;
        }
        Some(_) => {}
    }
    if failed {
        return;
    }
    run.pass(
        "validity",
        Some(depth),
        format!("valid from {not_before} to {not_after}"),
    );
}
