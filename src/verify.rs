//! The verdict against a chosen CA, in the edge's own words: `SUCCESS` or `FAILED:<reason>`,
//! with the ordered checks behind it.
//!
//! Each profile follows its library's `X509_verify_cert` as a TLS server runs it for a client
//! (purpose `ssl_client`, no partial chains unless asked), with an accept-all callback the way
//! a permissive edge runs it: every check runs and the **last** error raised is the one shown.
//! The `cloudflare` profile walks as BoringSSL does ([`boringssl`], held to BoringSSL itself
//! by the `oracles/boringssl` tests); the `nginx` profile as OpenSSL 3 does under nginx —
//! key strength of the leaf, building the chain, extensions and purpose, security level, then
//! signatures and validity from the trust anchor down to the leaf (held to nginx itself).
//! rustls-webpki answers a different question (first error, its own words, no v1 or SHA-1
//! certificates), so the walks are ours; the signature arithmetic is aws-lc-rs's.

mod boringssl;
mod crl;
mod extensions;
mod name_constraints;
mod signature;

use serde::Serialize;

use crate::certificate::Certificate;
use crate::fields::{Instant, Profile, format_name, format_time};
use crate::limits::MAX_CHAIN_LENGTH;

pub use crl::{Crl, CrlError, revokes};
use extensions::{Constraints, ExtendedKeyUsage};
pub use signature::{key_description, verifies};

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
    /// `X509_verify_cert_error_string` of the profile's library.
    pub fn reason(self, profile: Profile) -> &'static str {
        let openssl = profile == Profile::Nginx;
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

/// The outcome of verification.
#[derive(Debug, Clone)]
pub struct Verification {
    /// `SUCCESS` or `FAILED:<reason>`.
    pub verdict: String,
    /// The error shown (the last one raised), if any.
    pub error: Option<VerifyError>,
    /// Every check, in order.
    pub checks: Vec<Check>,
    /// The chain that was built, leaf first; the last certificate is trusted when `trusted`.
    pub path: Vec<Certificate>,
    /// Whether the path ends at a certificate from the chosen CA files.
    pub trusted: bool,
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
    profile: Profile,
    options: &Options,
) -> Verification {
    verify_with_crls(leaf, chain, cas, &[], profile, options)
}

/// [`verify`] with revocation lists: nginx's `ssl_crl` then checks every certificate of the
/// chain against them (a missing, stale or forged list fails the verification); Cloudflare does
/// not check CRLs for uploaded CAs, so they never change its verdict (see [`revokes`]).
pub fn verify_with_crls(
    leaf: &Certificate,
    chain: &[Certificate],
    cas: &[Certificate],
    crls: &[Crl],
    profile: Profile,
    options: &Options,
) -> Verification {
    let mut run = Run {
        profile,
        checks: Vec::new(),
        last: None,
    };
    let (path, trusted) = match profile {
        Profile::Cloudflare => boringssl::verify(&mut run, leaf, chain, cas, options),
        Profile::Nginx => openssl_verify(&mut run, leaf, chain, cas, crls, options),
    };

    let verdict = match run.last {
        None => "SUCCESS".to_owned(),
        Some(error) => format!("FAILED:{}", error.reason(profile)),
    };
    Verification {
        verdict,
        error: run.last,
        checks: run.checks,
        path,
        trusted,
    }
}

/// OpenSSL 3's walk, as nginx runs it (security level 2, checked against nginx itself).
fn openssl_verify(
    run: &mut Run,
    leaf: &Certificate,
    chain: &[Certificate],
    cas: &[Certificate],
    crls: &[Crl],
    options: &Options,
) -> (Vec<Certificate>, bool) {
    // OpenSSL refuses a weak peer key before anything else (security level 2 on Debian).
    run.key_level(leaf, 0, VerifyError::EeKeyTooSmall);
    let (path, trusted) = build_chain(run, leaf, chain, cas, options);
    check_extensions(run, &path);
    for (i, cert) in path.iter().enumerate() {
        if i > 0 {
            run.key_level(cert, i, VerifyError::CaKeyTooSmall);
        }
        if i + 1 < path.len() {
            run.digest_level(cert, i);
        }
    }
    if !crls.is_empty() {
        crl::check_chain(run, &path, crls, options.at);
    }
    signatures_and_times(run, &path, options);
    name_constraints::check_chain(run, &path);
    (path, trusted)
}

/// Accumulates checks; remembers the last error, as an accept-all callback sees it.
struct Run {
    profile: Profile,
    checks: Vec<Check>,
    last: Option<VerifyError>,
}

impl Run {
    fn pass(&mut self, check: &'static str, depth: Option<usize>, detail: String) {
        self.checks.push(Check {
            check,
            depth,
            passed: true,
            error: None,
            detail,
        });
    }

    fn fail(
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

    fn name(&self, der: &[u8]) -> String {
        format_name(der, self.profile)
            .map(|n| n.rfc2253)
            .unwrap_or_default()
    }

    /// `X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION` when `constraints` hold one the library
    /// does not understand.
    fn critical_extensions(&mut self, constraints: &Constraints, depth: usize) {
        if let Some(oid) = constraints.unhandled_critical(self.profile) {
            self.fail("critical extensions", Some(depth), VerifyError::UnhandledCriticalExtension, format!(
                "the certificate has a critical extension {oid} that the edge does not understand, so it must reject the certificate"
            ));
        }
    }

    /// The `ssl_client` purpose of the certificate at `depth`: `allowed` or
    /// `X509_V_ERR_INVALID_PURPOSE`, with the reason read from its extensions.
    fn purpose(&mut self, constraints: &Constraints, depth: usize, allowed: bool) {
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
    fn signature(&mut self, subject: &Certificate, issuer: &Certificate, depth: usize) {
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
    fn not_a_ca(&mut self, cert: &Certificate, constraints: &Constraints, depth: usize) {
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

    fn key_level(&mut self, cert: &Certificate, depth: usize, error: VerifyError) {
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

    fn digest_level(&mut self, cert: &Certificate, depth: usize) {
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
fn issued_by(subject: &Certificate, issuer: &Certificate, profile: Profile) -> bool {
    subject.is_issued_by_name(issuer)
        && extensions::extensions_decodable(subject)
        && extensions::extensions_decodable(issuer)
        && match profile {
            Profile::Nginx => signature::key_decodable(issuer),
            Profile::Cloudflare => Constraints::of(issuer).may_sign_certificates(),
        }
}

/// Self-signed as each library decides it (`EXFLAG_SS`): self-issued with matching key
/// identifiers; BoringSSL also requires keyUsage (if any) to allow certificate signing.
fn is_self_signed(cert: &Certificate, profile: Profile) -> bool {
    issued_by(cert, cert, profile)
}

fn build_chain(
    run: &mut Run,
    leaf: &Certificate,
    sent: &[Certificate],
    cas: &[Certificate],
    options: &Options,
) -> (Vec<Certificate>, bool) {
    let in_store = |c: &Certificate| cas.iter().any(|ca| ca.der() == c.der());
    let mut path = vec![leaf.clone()];
    let mut trusted = false;
    // The leaf itself may be a trust anchor (any trusted leaf, with partial chains).
    if (is_self_signed(leaf, run.profile) || options.partial_chain) && in_store(leaf) {
        run.pass(
            "chain",
            Some(0),
            "the certificate itself is one of the chosen CA certificates".into(),
        );
        return (path, true);
    }
    // OpenSSL follows sent certificates while the chain holds at most depth + 1 of them, and
    // consults the trust store only while it does: a trust anchor beyond that is too deep.
    let max_untrusted = options.depth.min(MAX_CHAIN_LENGTH - 2) + 2;
    let max_trusted_lookup = max_untrusted - 1;
    loop {
        let top = path.last().cloned().unwrap_or_else(|| leaf.clone());
        let depth = path.len() - 1;
        if path.len() >= MAX_CHAIN_LENGTH && !(trusted && is_self_signed(&top, run.profile)) {
            run.fail(
                "chain",
                Some(depth),
                VerifyError::ChainTooLong,
                format!(
                    "the chain reached {MAX_CHAIN_LENGTH} certificates without ending at a trusted root; Certlens, like OpenSSL and BoringSSL, stops there"
                ),
            );
            return (path, false);
        }
        if trusted && (is_self_signed(&top, run.profile) || options.partial_chain) {
            run.pass(
                "chain",
                Some(depth),
                format!("ends at the trusted CA {}", run.name(top.subject_der())),
            );
            return (path, true);
        }
        if !trusted && is_self_signed(&top, run.profile) {
            let (error, detail) = if path.len() == 1 {
                (
                    VerifyError::SelfSigned,
                    format!(
                        "the certificate is self-signed ({}) and is not one of the chosen CA certificates; add it to the CA file or use a certificate issued by your CA",
                        run.name(top.subject_der())
                    ),
                )
            } else {
                (
                    VerifyError::SelfSignedInChain,
                    format!(
                        "the chain ends at the self-signed {} which is not one of the chosen CA certificates",
                        run.name(top.subject_der())
                    ),
                )
            };
            run.fail("chain", Some(depth), error, detail);
            return (path, false);
        }
        if let Some(ca) = cas
            .iter()
            .filter(|_| path.len() <= max_trusted_lookup)
            .find(|ca| issued_by(&top, ca, run.profile) && !path.contains(ca))
        {
            path.push(ca.clone());
            trusted = true;
            continue;
        }
        if trusted {
            run.fail("chain", Some(depth), VerifyError::UnableToGetIssuer, format!(
                "the chosen CA {} is an intermediate; its issuer {} is not among the chosen CA certificates (add the root, or allow partial chains)",
                run.name(top.subject_der()),
                run.name(top.issuer_der())
            ));
            return (path, true);
        }
        // The verify depth bounds how many sent certificates are used (leaf + depth CAs);
        // past it the search stops, and the missing issuer is reported as not found.
        let room = path.len() < max_untrusted;
        if let Some(next) = sent
            .iter()
            .find(|c| room && issued_by(&top, c, run.profile) && !path.contains(c))
        {
            path.push(next.clone());
            continue;
        }
        let chosen: Vec<String> = cas.iter().map(|c| run.name(c.subject_der())).collect();
        let detail = if room || !sent.iter().any(|c| issued_by(&top, c, run.profile)) {
            format!(
                "{} was issued by {}, which is neither sent by the client nor among the chosen CA certificates ({})",
                run.name(top.subject_der()),
                run.name(top.issuer_der()),
                if chosen.is_empty() {
                    "none".to_owned()
                } else {
                    chosen.join("; ")
                }
            )
        } else {
            format!(
                "the chain is deeper than the verify depth {} allows: the search stopped at {} before reaching a chosen CA",
                options.depth,
                run.name(top.subject_der())
            )
        };
        run.fail(
            "chain",
            Some(depth),
            VerifyError::UnableToGetLocalIssuer,
            detail,
        );
        return (path, false);
    }
}

fn check_extensions(run: &mut Run, path: &[Certificate]) {
    let mut non_self_issued_cas = 0usize;
    let count = path.len();
    for (i, cert) in path.iter().enumerate() {
        let constraints = Constraints::of(cert);
        run.critical_extensions(&constraints, i);
        if i > 0 {
            let intermediate = i + 1 < count;
            if !constraints.is_ca(intermediate) {
                run.not_a_ca(cert, &constraints, i);
            }
        }
        // OpenSSL 3 refuses explicit curve parameters in any chain longer than one.
        if count > 1 && signature::explicit_ec_parameters(cert) {
            run.fail(
                "key",
                Some(i),
                VerifyError::EcKeyExplicitParams,
                "its EC key spells out the curve as explicit parameters instead of naming it; OpenSSL 3 refuses that — reissue it with a named curve (P-256)".into(),
            );
        }
        // Trusted certificates are purpose-checked too: plain CA files carry no trust settings.
        run.purpose(&constraints, i, constraints.allows_client_auth(i > 0));
        if let Some(limit) = constraints
            .path_len()
            .filter(|&limit| i > 1 && non_self_issued_cas > limit)
        {
            run.fail(
                "path length",
                Some(i),
                VerifyError::PathLengthExceeded,
                format!(
                    "{} allows {limit} CA level(s) below it, but the chain has {non_self_issued_cas}",
                    run.name(cert.subject_der())
                ),
            );
        }
        if i > 0 && !cert.is_self_issued() {
            non_self_issued_cas += 1;
        }
    }
}

fn signatures_and_times(run: &mut Run, path: &[Certificate], options: &Options) {
    let Some(top) = path.last() else { return };
    let mut n = path.len() - 1;
    let mut issuer = top;
    let mut subject = top;
    let top_self_issued = issued_by(top, top, run.profile);
    if !top_self_issued {
        if options.partial_chain {
            // A partial chain ends at a trusted intermediate: check its validity only.
        } else if n == 0 {
            run.fail("signature", Some(0), VerifyError::UnableToVerifyLeaf, format!(
                "only the client certificate is available; its issuer {} is unknown, so its signature cannot be checked — send the intermediate certificate(s) with it or choose the CA that issued it",
                run.name(top.issuer_der())
            ));
            // BoringSSL stops here; OpenSSL still checks the leaf's validity.
            if run.profile == Profile::Cloudflare {
                return;
            }
        } else {
            n -= 1;
            subject = &path[n];
        }
    }
    loop {
        // OpenSSL refuses to check a signature by an issuer whose keyUsage forbids signing
        // certificates (a non-CA self-signed leaf is exempt).
        let exempt = std::ptr::eq(subject, issuer) && !Constraints::of(issuer).is_ca(false);
        let signing_allowed = exempt || Constraints::of(issuer).may_sign_certificates();
        if run.profile == Profile::Nginx && !std::ptr::eq(subject, issuer) && !signing_allowed {
            run.fail(
                "key usage",
                Some(n + 1),
                VerifyError::KeyUsageNoCertSign,
                format!(
                    "{} signs certificates, but its keyUsage does not include keyCertSign",
                    run.name(issuer.subject_der())
                ),
            );
        } else if !std::ptr::eq(subject, issuer) {
            run.signature(subject, issuer, n);
        }
        check_time(run, subject, n, options.at);
        if n == 0 {
            break;
        }
        n -= 1;
        issuer = subject;
        subject = &path[n];
    }
}

/// The moment a validity time names, read as `X509_cmp_time` reads it: only the RFC 5280
/// forms (`YYMMDDHHMMSSZ` as UTCTime, `YYYYMMDDHHMMSSZ` as GeneralizedTime) count; fractions,
/// offsets and missing seconds, which the formatters may still print, cannot be compared.
fn verifiable_time(der: &[u8]) -> Option<Instant> {
    let tlv = crate::der::parse_single(der, *der.first()?, "time").ok()?;
    let length = match tlv.tag {
        crate::der::tag::UTC_TIME => 13,
        crate::der::tag::GENERALIZED_TIME => 15,
        _ => return None,
    };
    let (digits, zone) = tlv.value.split_at_checked(length - 1)?;
    if tlv.value.len() != length || zone != b"Z" || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Instant::from_printed(&format_time(der, Profile::Nginx).into_text())
}

/// `check_cert_time` of both libraries: a time the library cannot read is a format error, and
/// `X509_cmp_time` counts "equal" as "earlier", so a certificate is already expired at the
/// very second of its notAfter, and already valid at the second of its notBefore.
fn check_time(run: &mut Run, cert: &Certificate, depth: usize, at: Instant) {
    let read = |der: &[u8]| {
        let text = format_time(der, run.profile).into_text();
        (text, verifiable_time(der))
    };
    let (not_before, start) = read(cert.not_before_der());
    let (not_after, end) = read(cert.not_after_der());
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

#[cfg(test)]
mod tests {
    use super::*;

    /// FIELDS.md §5.5's deterministic Ed25519 pair.
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
        let cf = Profile::Cloudflare;
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
        // A trust store without the issuer, leaf alone.
        let unrelated = leaf.clone();
        let failed = verify(&leaf, &[], &[unrelated], cf, &at("2025-01-01"));
        assert_eq!(
            failed.verdict,
            "FAILED:unable to get local issuer certificate"
        );
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
                Profile::Nginx,
                &at("2025-01-01")
            )
            .verdict,
            "FAILED:self-signed certificate"
        );
    }

    /// Both libraries go on to check the dates of a leaf whose issuer is unknown: the expiry
    /// is the last error.
    #[test]
    fn expired_leaf_with_unknown_issuer_is_expired_for_both_libraries() {
        let (leaf, _) = example();
        let options = at("2051-01-01");
        for profile in [Profile::Cloudflare, Profile::Nginx] {
            let verification = verify(&leaf, &[], std::slice::from_ref(&leaf), profile, &options);
            assert_eq!(
                verification.verdict, "FAILED:certificate has expired",
                "{profile:?}"
            );
        }
    }

    #[test]
    fn reason_strings_follow_each_library() {
        assert_eq!(
            VerifyError::InvalidPurpose.reason(Profile::Cloudflare),
            "unsupported certificate purpose"
        );
        assert_eq!(
            VerifyError::InvalidPurpose.reason(Profile::Nginx),
            "unsuitable certificate purpose"
        );
        assert_eq!(
            VerifyError::SelfSignedInChain.reason(Profile::Cloudflare),
            "self signed certificate in certificate chain"
        );
        assert_eq!(
            VerifyError::SelfSignedInChain.reason(Profile::Nginx),
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
            Profile::Cloudflare,
            &at("2050-01-04T00:00:00Z"),
        );
        let check = failed.checks.iter().find(|c| !c.passed).unwrap();
        assert_eq!(
            check.detail,
            "expired on Jan  1 00:00:00 2050 GMT, 3 days ago; renew it"
        );
    }
}
