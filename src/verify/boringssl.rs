//! `X509_verify_cert` as BoringSSL runs it (`crypto/x509/x509_vfy.cc`), with an accept-all
//! callback, in two revisions that differ only in the last step:
//!
//! 1. the chain is built from the sent certificates (leaf first) until a self-signed one, one
//!    whose issuer is trusted, or the verify depth; then continued from the trust store;
//! 2. a chain that reaches no self-signed trusted certificate (or, with partial chains, no
//!    trusted one at all) is `unable to get local issuer certificate` when every certificate
//!    in it was sent, `unable to get issuer certificate` when it ends at a trusted intermediate,
//!    or `self signed certificate in certificate chain`;
//! 3. the extensions of the *sent* certificates only: critical extensions, CA-ness, purpose
//!    `ssl_client` (extended key usage on every one, key usage on the leaf), path length;
//! 4. signatures and validity:
//!    - [`Revision::Documented`] (`internal_verify`, up to `BORINGSSL_API_VERSION` 42): a chain
//!      that ends below a certificate that is not self-issued skips that top certificate; a
//!      leaf alone, not self-issued, raises `unable to verify the first certificate` and its
//!      dates are never checked — the wording Cloudflare documents;
//!    - [`Revision::Current`] (`check_chain_signatures_and_time`, API version 44): every
//!      signature below the top and every certificate's validity.
//!
//! A certificate from the trust store is never purpose-checked.

use crate::certificate::Certificate;
use crate::limits::MAX_CHAIN_LENGTH;

use super::extensions::{self, Constraints, ExtendedKeyUsage};
use super::name_constraints;
use super::{Options, Run, VerifyError, check_time, issued_by, signature};

/// Which BoringSSL's last step to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Revision {
    /// `internal_verify` (`BORINGSSL_API_VERSION` 42 and before): Cloudflare's documented words.
    Documented,
    /// `check_chain_signatures_and_time` (API version 44, as `boring-sys` 5.4.0 bundles it).
    Current,
}

impl Revision {
    /// The revision, as a person reading a verdict note is told it.
    pub(super) fn describe(self) -> &'static str {
        match self {
            Revision::Documented => "BoringSSL up to API version 42 (internal_verify)",
            Revision::Current => {
                "BoringSSL from API version 44 on (check_chain_signatures_and_time)"
            }
        }
    }
}

/// Builds and checks the chain; returns it (leaf first) and whether it ends at trust.
pub(super) fn verify(
    run: &mut Run,
    leaf: &Certificate,
    sent: &[Certificate],
    cas: &[Certificate],
    options: &Options,
    revision: Revision,
) -> (Vec<Certificate>, bool) {
    let rules = run.rules;
    let self_signed = |c: &Certificate| issued_by(c, c, rules);
    let trusted_issuer = |c: &Certificate| cas.iter().find(|ca| issued_by(c, ca, rules));
    // `param->depth` counts neither the leaf nor the trust anchor.
    let max_chain = options.depth.saturating_add(2).min(MAX_CHAIN_LENGTH);

    // A leaf whose extensions cannot be decoded stops everything (`cert_self_signed` fails).
    if !extensions::extensions_decodable(leaf) {
        run.fail(
            "extensions",
            Some(0),
            VerifyError::InvalidExtension,
            "an extension of the certificate cannot be decoded (malformed, or present twice); BoringSSL refuses the certificate outright".into(),
        );
        return (vec![leaf.clone()], false);
    }
    // The peer's certificates, leaf included, are the untrusted pool (libssl passes them all).
    let mut pool: Vec<&Certificate> = std::iter::once(leaf).chain(sent).collect();
    let mut chain = vec![leaf.clone()];
    let mut last_untrusted = 1;
    while chain.len() < max_chain {
        let last = &chain[chain.len() - 1];
        if self_signed(last) || trusted_issuer(last).is_some() {
            break;
        }
        if chain.len() + 1 == MAX_CHAIN_LENGTH {
            // Certlens's own bound (BoringSSL itself would go on, as far as the depth allows).
            run.fail(
                "chain",
                Some(chain.len() - 1),
                VerifyError::ChainTooLong,
                format!(
                    "the chain reached {MAX_CHAIN_LENGTH} certificates without ending at a trusted root; Certlens stops there (as OpenSSL does)"
                ),
            );
            return (chain, false);
        }
        let Some(position) = pool.iter().position(|c| issued_by(last, c, rules)) else {
            break;
        };
        chain.push(pool.remove(position).clone());
        last_untrusted += 1;
    }

    let mut bad_chain = false;
    let mut chain_self_signed = None;
    let last = chain[chain.len() - 1].clone();
    if self_signed(&last) {
        if chain.len() == 1 {
            // A lone self-signed certificate must be in the store exactly.
            if trusted_issuer(&last).is_some_and(|ca| ca.der() == last.der()) {
                last_untrusted = 0;
            } else {
                run.fail("chain", Some(0), VerifyError::SelfSigned, format!(
                    "the certificate is self-signed ({}) and is not one of the chosen CA certificates; add it to the CA file or use a certificate issued by your CA",
                    run.name(last.subject_der())
                ));
                bad_chain = true;
            }
        } else {
            chain_self_signed = chain.pop();
            last_untrusted -= 1;
        }
    }
    while chain.len() < max_chain {
        let last = &chain[chain.len() - 1];
        if self_signed(last) {
            break;
        }
        let Some(ca) = trusted_issuer(last) else {
            break;
        };
        chain.push(ca.clone());
    }

    // check_trust: a trusted certificate counts when it is self-signed (no auxiliary trust
    // settings are read), or any does with partial chains.
    let mut trusted = chain[last_untrusted..].iter().any(&self_signed);
    if !trusted && options.partial_chain {
        if last_untrusted < chain.len() {
            trusted = true;
        } else if cas.iter().any(|ca| ca.der() == chain[0].der()) {
            last_untrusted = 0;
            trusted = true;
        }
    }
    if !trusted && !bad_chain {
        let top = chain.len() - 1;
        let issued_by_dropped = chain_self_signed
            .as_ref()
            .is_some_and(|root| issued_by(&chain[top], root, rules));
        if issued_by_dropped {
            let root = chain_self_signed
                .take()
                .unwrap_or_else(|| chain[top].clone());
            run.fail("chain", Some(top + 1), VerifyError::SelfSignedInChain, format!(
                "the chain ends at the self-signed {} which is not one of the chosen CA certificates",
                run.name(root.subject_der())
            ));
            chain.push(root);
            last_untrusted = chain.len();
        } else if last_untrusted >= chain.len() {
            let chosen: Vec<String> = cas.iter().map(|c| run.name(c.subject_der())).collect();
            let detail = if chain.len() >= max_chain && !self_signed(&chain[top]) {
                format!(
                    "the chain is deeper than the verify depth {} allows: the search stopped at {} before reaching a chosen CA",
                    options.depth,
                    run.name(chain[top].subject_der())
                )
            } else {
                format!(
                    "{} was issued by {}, which is neither sent by the client nor among the chosen CA certificates ({})",
                    run.name(chain[top].subject_der()),
                    run.name(chain[top].issuer_der()),
                    if chosen.is_empty() {
                        "none".to_owned()
                    } else {
                        chosen.join("; ")
                    }
                )
            };
            run.fail(
                "chain",
                Some(top),
                VerifyError::UnableToGetLocalIssuer,
                detail,
            );
        } else {
            run.fail("chain", Some(top), VerifyError::UnableToGetIssuer, format!(
                "the chosen CA {} is an intermediate; its issuer {} is not among the chosen CA certificates (add the root, or allow partial chains)",
                run.name(chain[top].subject_der()),
                run.name(chain[top].issuer_der())
            ));
        }
    } else if trusted {
        let top = &chain[chain.len() - 1];
        run.pass(
            "chain",
            Some(chain.len() - 1),
            format!("ends at the trusted CA {}", run.name(top.subject_der())),
        );
    }

    check_sent_extensions(run, &chain[..last_untrusted.min(chain.len())]);
    match revision {
        Revision::Documented => internal_verify(run, &chain, options),
        Revision::Current => signatures_and_times(run, &chain, options),
    }
    name_constraints::check_chain(run, &chain);
    (chain, trusted)
}

/// `check_chain_extensions`: only the certificates the client sent.
fn check_sent_extensions(run: &mut Run, sent: &[Certificate]) {
    let mut path_length = 0usize;
    for (i, cert) in sent.iter().enumerate() {
        let constraints = Constraints::of(cert);
        run.critical_extensions(&constraints, i);
        let must_be_ca = i > 0;
        if must_be_ca && !constraints.is_ca_strict() {
            run.not_a_ca(cert, &constraints, i);
        }
        // Extended key usage on every certificate sent, key usage on the leaf only.
        let eku_refuses = matches!(
            constraints.eku(),
            ExtendedKeyUsage::Listed {
                client_auth: false,
                ..
            }
        );
        let allowed = !eku_refuses
            && if must_be_ca {
                constraints.is_ca_strict()
            } else {
                constraints.allows_client_auth(false)
            };
        run.purpose(&constraints, i, allowed);
        if let Some(limit) = constraints
            .path_len()
            .filter(|&limit| i > 1 && path_length > limit + 1)
        {
            run.fail(
                "path length",
                Some(i),
                VerifyError::PathLengthExceeded,
                format!(
                    "{} allows {limit} CA level(s) below it, but the chain has {}",
                    run.name(cert.subject_der()),
                    path_length - 1
                ),
            );
        }
        if i == 0 || !cert.is_self_issued() {
            path_length += 1;
        }
    }
}

/// `internal_verify`: the top certificate's own signature is never checked; when it is not
/// self-issued (and partial chains are off) it is not checked at all — and a leaf alone stops
/// there with `unable to verify the first certificate`, before its dates.
fn internal_verify(run: &mut Run, chain: &[Certificate], options: &Options) {
    let top = chain.len() - 1;
    let start = if issued_by(&chain[top], &chain[top], run.rules) || options.partial_chain {
        top
    } else if top == 0 {
        run.fail("signature", Some(0), VerifyError::UnableToVerifyLeaf, format!(
            "only the client certificate is available; its issuer {} is unknown, so its signature cannot be checked — send the intermediate certificate(s) with it or choose the CA that issued it",
            run.name(chain[0].issuer_der())
        ));
        return;
    } else {
        top - 1
    };
    for i in (0..=start).rev() {
        if i < top {
            signature_by_issuer(run, chain, i);
        }
        check_time(run, &chain[i], i, options.at);
    }
}

/// `check_chain_signatures_and_time`: from the top down, each signature by the next
/// certificate up (the top's own is never checked), then each validity.
fn signatures_and_times(run: &mut Run, chain: &[Certificate], options: &Options) {
    for i in (0..chain.len()).rev() {
        if i + 1 < chain.len() {
            signature_by_issuer(run, chain, i);
        }
        check_time(run, &chain[i], i, options.at);
    }
}

/// The signature of the certificate at `depth` by the one above it, as BoringSSL checks it:
/// an issuer key it cannot decode, a DSA key it cannot use, or the signature itself.
fn signature_by_issuer(run: &mut Run, chain: &[Certificate], depth: usize) {
    let issuer = &chain[depth + 1];
    if signature::explicit_ec_parameters(issuer) || !signature::boringssl_key_decodable(issuer) {
        run.fail("signature", Some(depth), VerifyError::UnableToDecodeIssuerPublicKey, format!(
            "the key of {} ({}) cannot be decoded by BoringSSL (explicit curve parameters, a curve it does not have, or not a valid key) — reissue that CA with a named curve (P-256) or an RSA key",
            run.name(issuer.subject_der()),
            signature::key_description(issuer)
        ));
    } else if signature::is_dsa(issuer) {
        run.fail("signature", Some(depth), VerifyError::SignatureFailure, format!(
            "{} has a DSA key, and BoringSSL does not verify DSA signatures — reissue that CA with an EC or RSA key",
            run.name(issuer.subject_der())
        ));
    } else {
        run.signature(&chain[depth], issuer, depth);
    }
}
