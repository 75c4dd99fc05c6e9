//! OpenSSL 3's `X509_verify_cert` as nginx runs it for a client certificate: key strength of
//! the leaf, building the chain, extensions and purpose, security level, CRLs, then signatures
//! and validity from the trust anchor down to the leaf.

use crate::certificate::Certificate;
use crate::limits::MAX_CHAIN_LENGTH;
use crate::notation::TlsLibrary;

use super::extensions::Constraints;
use super::run::{Run, check_time, is_self_signed, issued_by};
use super::{Crl, Options, VerifyError, crl, name_constraints, signature};

/// OpenSSL 3's walk, as nginx runs it (security level 2, checked against nginx itself).
pub(super) fn openssl_verify(
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
    if (is_self_signed(leaf, run.rules) || options.partial_chain) && in_store(leaf) {
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
        if path.len() >= MAX_CHAIN_LENGTH && !(trusted && is_self_signed(&top, run.rules)) {
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
        if trusted && (is_self_signed(&top, run.rules) || options.partial_chain) {
            run.pass(
                "chain",
                Some(depth),
                format!("ends at the trusted CA {}", run.name(top.subject_der())),
            );
            return (path, true);
        }
        if !trusted && is_self_signed(&top, run.rules) {
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
            .find(|ca| issued_by(&top, ca, run.rules) && !path.contains(ca))
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
            .find(|c| room && issued_by(&top, c, run.rules) && !path.contains(c))
        {
            path.push(next.clone());
            continue;
        }
        let chosen: Vec<String> = cas.iter().map(|c| run.name(c.subject_der())).collect();
        let detail = if room || !sent.iter().any(|c| issued_by(&top, c, run.rules)) {
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
    let top_self_issued = issued_by(top, top, run.rules);
    if !top_self_issued {
        if options.partial_chain {
            // A partial chain ends at a trusted intermediate: check its validity only.
        } else if n == 0 {
            run.fail("signature", Some(0), VerifyError::UnableToVerifyLeaf, format!(
                "only the client certificate is available; its issuer {} is unknown, so its signature cannot be checked — send the intermediate certificate(s) with it or choose the CA that issued it",
                run.name(top.issuer_der())
            ));
            // BoringSSL stops here; OpenSSL still checks the leaf's validity.
            if run.rules == TlsLibrary::BoringSsl {
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
        if run.rules == TlsLibrary::OpenSsl && !std::ptr::eq(subject, issuer) && !signing_allowed {
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
