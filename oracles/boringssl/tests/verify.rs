//! The verdict oracles: BoringSSL's `X509_verify_cert` in two generations, run as its libssl
//! runs it for a server checking a client (purpose `ssl_client`, accept-all callback), on the
//! chains of `tests/support/src/chains.rs` — none of which a TLS client needs a key for.
//! Cloudflare checks no revocation lists for uploaded CAs, so BoringSSL is not given them.
//!
//! The `cloudflare` profile's verdict is the older BoringSSL's (API version 42), whose words
//! Cloudflare documents; where the current BoringSSL (API version 44, `boring-sys` 5.4.0) words
//! the same chain differently, the profile gives that wording beside it. Each table is printed
//! for the record.

use certlens_test_support as support;

use certlens::fields::Profile;
use certlens::verify::Verification;
use certlens_oracle_boringssl::{VerifyOptions, current, older};
use support::chains::Case;

fn options(case: &Case) -> VerifyOptions {
    VerifyOptions {
        at: case.at,
        depth: case.depth,
        partial_chain: case.partial_chain,
    }
}

#[test]
fn cloudflare_profile_gives_the_older_boringssls_documented_verdicts() {
    let verdict = |v: &Verification| v.verdict.clone();
    support::chains::hold_profile_to("BoringSSL API 42", Profile::Cloudflare, verdict, |case| {
        older::verify(&case.leaf, &case.chain, &case.trusted, options(case))
            .unwrap_or_else(|| panic!("{}: BoringSSL parses every case", case.label))
    });
}

#[test]
fn cloudflare_profile_names_the_current_boringssls_wording_where_it_differs() {
    let current_wording = |v: &Verification| {
        v.other_wording
            .as_ref()
            .map_or_else(|| v.verdict.clone(), |other| other.verdict.clone())
    };
    support::chains::hold_profile_to(
        "BoringSSL API 44",
        Profile::Cloudflare,
        current_wording,
        |case| {
            current::verify(&case.leaf, &case.chain, &case.trusted, options(case))
                .unwrap_or_else(|| panic!("{}: BoringSSL parses every case", case.label))
        },
    );
}
