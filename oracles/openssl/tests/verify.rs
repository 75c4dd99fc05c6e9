//! The verdict oracle for the `nginx` profile: OpenSSL 3's `X509_verify_cert`, run as nginx and
//! libssl run it, on the chains of `oracles/support/chains.rs`. The profile must give the same
//! verdict for every case; the table is printed for the record.

#[path = "../../support/mod.rs"]
mod support;

use certlens::certificate::Certificate;
use certlens::fields::{Instant, Profile};
use certlens::verify::{Crl, Options, verify_with_crls};
use certlens_oracle_openssl::{VerifyOptions, verify as openssl_verify};
use support::chains::cases;

#[test]
fn nginx_profile_gives_openssls_verdicts() {
    let mut rows = Vec::new();
    let mut differences = Vec::new();
    let all = cases();
    for case in &all {
        let theirs = openssl_verify(
            &case.leaf,
            &case.chain,
            &case.trusted,
            &VerifyOptions {
                at: case.at,
                depth: case.depth,
                partial_chain: case.partial_chain,
                crls: case.crls.clone(),
            },
        )
        .unwrap_or_else(|| panic!("{}: OpenSSL parses every case", case.label));
        let parse = |der: &Vec<u8>| Certificate::from_der(der).unwrap();
        let crls: Vec<Crl> = case
            .crls
            .iter()
            .map(|der| Crl::from_bytes(der).unwrap())
            .collect();
        let ours = verify_with_crls(
            &parse(&case.leaf),
            &case.chain.iter().map(parse).collect::<Vec<_>>(),
            &case.trusted.iter().map(parse).collect::<Vec<_>>(),
            &crls,
            Profile::Nginx,
            &Options {
                at: Instant::from_unix(case.at),
                depth: case.depth as usize,
                partial_chain: case.partial_chain,
            },
        )
        .verdict;
        if ours != theirs {
            differences.push(format!("{}: OpenSSL {theirs}, Certlens {ours}", case.label));
        }
        rows.push(format!("| {} | {theirs} | {ours} |", case.label));
    }
    eprintln!(
        "| case | OpenSSL 3 | nginx profile |\n|---|---|---|\n{}",
        rows.join("\n")
    );
    eprintln!("{} cases, {} differences", all.len(), differences.len());
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
