//! The verdict oracle: BoringSSL's `X509_verify_cert`, run as its libssl runs it for a server
//! checking a client (purpose `ssl_client`, accept-all callback), on the chains of
//! `oracles/support/chains.rs` — none of which a TLS client needs a key for. Certlens's
//! `cloudflare` profile must give the same verdict for every case (Cloudflare checks no
//! revocation lists for uploaded CAs, so BoringSSL is not given them); the table is printed
//! for the record.

#[path = "../../support/mod.rs"]
mod support;

use certlens::fields::Profile;
use certlens_oracle_boringssl::{VerifyOptions, verify};

#[test]
fn cloudflare_profile_gives_boringssls_verdicts() {
    support::chains::hold_profile_to("BoringSSL", Profile::Cloudflare, |case| {
        let options = VerifyOptions {
            at: case.at,
            depth: case.depth,
            partial_chain: case.partial_chain,
        };
        verify(&case.leaf, &case.chain, &case.trusted, options)
            .unwrap_or_else(|| panic!("{}: BoringSSL parses every case", case.label))
    });
}
