//! Putting the pieces together: an identity and the trust settings the edge has give the
//! verification and the edge's view. The command line, reports, the live test and the window
//! all ask this one place.

use crate::certificate::Certificate;
use crate::fields::{Context, EdgeView, Profile};
use crate::identity::Identity;
use crate::notation::TlsLibrary;
use crate::verify::{self, Crl, Verification};

/// What the edge trusts and when it looks: CA certificates, revocation lists, the clock.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    /// The CA certificates of the hostname's mTLS settings.
    pub cas: Vec<Certificate>,
    /// Revocation lists (nginx's `ssl_crl`), if any.
    pub crls: Vec<Crl>,
    /// Verification options (time, depth, partial chains).
    pub options: verify::Options,
}

impl Trust {
    /// The verification, when CAs were chosen.
    pub fn verify(
        &self,
        leaf: &Certificate,
        chain: &[Certificate],
        profile: Profile,
    ) -> Option<Verification> {
        (!self.cas.is_empty()).then(|| {
            verify::verify_with_crls(
                leaf,
                chain,
                &self.cas,
                &self.crls,
                profile.library(),
                &self.options,
            )
        })
    }

    /// True when a revocation list from `issuer` that checks out names `leaf`.
    pub fn revokes(&self, leaf: &Certificate, issuer: Option<&Certificate>) -> bool {
        verify::revokes(&self.crls, leaf, issuer, self.options.at)
    }

    /// The verification and the edge's view of `identity` (the issuer fields come from the
    /// chain the verification built, or else from `fallback_issuer`).
    pub fn assess<'a>(
        &'a self,
        identity: &'a Identity,
        fallback_issuer: Option<&'a Certificate>,
        profile: Profile,
    ) -> (Option<Verification>, EdgeView) {
        let verification = self.verify(&identity.leaf, &identity.chain, profile);
        let view = self.view(identity, fallback_issuer, profile, verification.as_ref());
        (verification, view)
    }

    /// Every edge's view of `identity`, in [`Profile::ALL`] order (one verification per
    /// library, shared by the edges built on it).
    pub fn every_edge(
        &self,
        identity: &Identity,
        fallback_issuer: Option<&Certificate>,
    ) -> Vec<EdgeView> {
        let boringssl = self.verify(&identity.leaf, &identity.chain, Profile::Cloudflare);
        let openssl = self.verify(&identity.leaf, &identity.chain, Profile::Nginx);
        Profile::ALL
            .iter()
            .map(|&profile| {
                let verification = match profile.library() {
                    TlsLibrary::BoringSsl => boringssl.as_ref(),
                    TlsLibrary::OpenSsl => openssl.as_ref(),
                };
                self.view(identity, fallback_issuer, profile, verification)
            })
            .collect()
    }

    fn view(
        &self,
        identity: &Identity,
        fallback_issuer: Option<&Certificate>,
        profile: Profile,
        verification: Option<&Verification>,
    ) -> EdgeView {
        let issuer = verification
            .and_then(Verification::issuer)
            .or(fallback_issuer);
        let context = Context {
            chain: &identity.chain,
            issuer,
            verdict: verification.map(|v| v.verdict.clone()),
            revoked: self.revokes(&identity.leaf, issuer),
            at: Some(self.options.at),
            failure_code: verification
                .and_then(|v| v.error)
                .map(verify::VerifyError::openssl_code),
            other_wording: verification.and_then(|v| v.other_wording.clone()),
        };
        EdgeView::compute(&identity.leaf, &context, profile)
    }
}
