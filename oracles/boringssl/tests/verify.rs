//! The verdict oracle: BoringSSL's `X509_verify_cert`, run as its libssl runs it for a server
//! checking a client (purpose `ssl_client`, accept-all callback), on the chains of
//! `oracles/support/chains.rs` — none of which a TLS client needs a key for. Certlens's
//! `cloudflare` profile must give the same verdict for every case; the table is printed for
//! the record.

#[path = "../../support/mod.rs"]
mod support;

use certlens::certificate::Certificate;
use certlens::fields::{Instant, Profile};
use certlens::verify::{Options, verify};
use certlens_oracle_boringssl::{VerifyOptions, verify as boringssl_verify};
use support::chains::cases;

#[test]
fn cloudflare_profile_gives_boringssls_verdicts() {
    let mut rows = Vec::new();
    let mut differences = Vec::new();
    let all = cases();
    for case in &all {
        let theirs = boringssl_verify(
            &case.leaf,
            &case.chain,
            &case.trusted,
            VerifyOptions {
                at: case.at,
                depth: case.depth,
                partial_chain: case.partial_chain,
            },
        )
        .unwrap_or_else(|| panic!("{}: BoringSSL parses every case", case.label));
        let parse = |der: &Vec<u8>| Certificate::from_der(der).unwrap();
        let ours = verify(
            &parse(&case.leaf),
            &case.chain.iter().map(parse).collect::<Vec<_>>(),
            &case.trusted.iter().map(parse).collect::<Vec<_>>(),
            Profile::Cloudflare,
            &Options {
                at: Instant::from_unix(case.at),
                depth: case.depth as usize,
                partial_chain: case.partial_chain,
            },
        )
        .verdict;
        if ours != theirs {
            differences.push(format!(
                "{}: BoringSSL {theirs}, Certlens {ours}",
                case.label
            ));
        }
        rows.push(format!("| {} | {theirs} | {ours} |", case.label));
    }
    eprintln!(
        "| case | BoringSSL | cloudflare profile |\n|---|---|---|\n{}",
        rows.join("\n")
    );
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
