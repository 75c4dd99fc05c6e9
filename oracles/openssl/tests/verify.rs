//! The verdict oracle for the `nginx` profile: OpenSSL 3's `X509_verify_cert`, run as nginx and
//! libssl run it (with `ssl_crl`'s flags when a case has revocation lists), on the chains of
//! `tests/support/src/chains.rs`. The profile must give the same verdict for every case; the
//! table is printed for the record.

use certlens_test_support as support;

use certlens::fields::Profile;
use certlens::verify::Verification;
use certlens_oracle_openssl::{VerifyOptions, verify};

#[test]
fn nginx_profile_gives_openssls_verdicts() {
    let verdict = |v: &Verification| v.verdict.clone();
    support::chains::hold_profile_to("OpenSSL 3", Profile::Nginx, verdict, |case| {
        let options = VerifyOptions {
            at: case.at,
            depth: case.depth,
            partial_chain: case.partial_chain,
            crls: case.crls.clone(),
        };
        verify(&case.leaf, &case.chain, &case.trusted, &options)
            .unwrap_or_else(|| panic!("{}: OpenSSL parses every case", case.label))
    });
}
