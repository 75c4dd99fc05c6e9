//! Putting the pieces together: an identity and the trust settings the edge has give the
//! verification and the edge's view. The command line, reports, the live test and the window
//! all ask this one place.

use crate::certificate::Certificate;
use crate::fields::{Context, EdgeView, Profile};
use crate::identity::Identity;
use crate::notation::TlsLibrary;
use crate::verify::{self, Crl, Verification};

/// What one edge makes of one identity: its verdict (when CAs were chosen) and everything it
/// sends. Every face shows this.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// The verification, when CAs were chosen.
    pub verification: Option<Verification>,
    /// What the edge sends.
    pub view: EdgeView,
}

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

    /// What `profile`'s edge makes of `identity`: the verdict and everything it sends. The
    /// issuer fields come from the chain the verification built, or else from the identity's
    /// own chain or the CAs.
    pub fn assess(&self, identity: &Identity, profile: Profile) -> Assessment {
        self.assess_with_issuer(identity, identity.find_issuer(&self.cas), profile)
    }

    /// [`Trust::assess`] with the issuer to fall back on given (a certificate of a bundle,
    /// whose issuer may be anywhere in the bundle).
    pub fn assess_with_issuer(
        &self,
        identity: &Identity,
        fallback_issuer: Option<&Certificate>,
        profile: Profile,
    ) -> Assessment {
        let verification = self.verify(&identity.leaf, &identity.chain, profile);
        let view = self.view(identity, fallback_issuer, profile, verification.as_ref());
        Assessment { verification, view }
    }

    /// What a running edge makes of `identity`: like [`Trust::assess`], except that an edge
    /// always reaches a verdict (with no CA it fails every certificate), and no revocation list
    /// is consulted.
    pub fn assess_as_edge(&self, identity: &Identity, profile: Profile) -> Assessment {
        let verification = verify::verify(
            &identity.leaf,
            &identity.chain,
            &self.cas,
            profile.library(),
            &self.options,
        );
        let view = self.view(
            identity,
            verification.issuer(),
            profile,
            Some(&verification),
        );
        Assessment {
            verification: Some(verification),
            view,
        }
    }

    /// Every edge's view of `identity`, in [`Profile::ALL`] order (one verification per
    /// library, shared by the edges built on it).
    pub fn every_edge(&self, identity: &Identity) -> Vec<EdgeView> {
        let fallback_issuer = identity.find_issuer(&self.cas);
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
