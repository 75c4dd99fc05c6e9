//! Putting the pieces together: an identity and the trust settings the edge has give the
//! verification and the edge's view. The command line, reports, the live test and the window
//! all ask this one place.

use crate::certificate::Certificate;
use crate::fields::{Context, EdgeView, Profile};
use crate::identity::Identity;
use crate::verify::{self, Crl, Verification};

/// What the edge trusts and when it looks: CA certificates, a revocation list, the clock.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    /// The CA certificates of the hostname's mTLS settings.
    pub cas: Vec<Certificate>,
    /// A revocation list, if any.
    pub crl: Option<Crl>,
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
        (!self.cas.is_empty())
            .then(|| verify::verify(leaf, chain, &self.cas, profile, &self.options))
    }

    /// True when the revocation list names `leaf`.
    pub fn revokes(&self, leaf: &Certificate) -> bool {
        self.crl.as_ref().is_some_and(|crl| crl.revokes(leaf))
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
        let context = Context {
            chain: &identity.chain,
            issuer: verification
                .as_ref()
                .and_then(Verification::issuer)
                .or(fallback_issuer),
            verdict: verification.as_ref().map(|v| v.verdict.clone()),
            revoked: self.revokes(&identity.leaf),
            at: Some(self.options.at),
        };
        let view = EdgeView::compute(&identity.leaf, &context, profile);
        (verification, view)
    }
}
