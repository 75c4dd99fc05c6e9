//! The verifier on arbitrary chains. The input is a run of DER structures back to back (each
//! one is self-delimiting); the first is the leaf, and each later one goes to the sent chain
//! or to the chosen CAs by the parity of its last byte. Options come from the first byte.
#![no_main]

mod common;

use certlens::certificate::Certificate;
use certlens::certificate::Instant;
use certlens::notation::TlsLibrary;
use certlens::verify::{Options, verify};
use libfuzzer_sys::fuzz_target;

fn split(mut data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    while !data.is_empty() && parts.len() < 64 {
        let mut reader = certlens::certificate::der::Reader::new(data);
        match reader.read_any() {
            Ok(tlv) => {
                parts.push(tlv.raw);
                data = reader.remaining();
            }
            Err(_) => break,
        }
    }
    parts
}

fuzz_target!(|data: &[u8]| {
    common::init();
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let certs: Vec<Certificate> = split(rest)
        .into_iter()
        .filter_map(|der| Certificate::from_der(der).ok())
        .collect();
    let Some((leaf, others)) = certs.split_first() else {
        return;
    };
    let (chain, cas): (Vec<Certificate>, Vec<Certificate>) = others
        .iter()
        .cloned()
        .partition(|c| c.der().last().is_some_and(|b| b % 2 == 0));
    let options = Options {
        at: Instant::from_unix(1_700_000_000 + i64::from(flags) * 86_400 * 30),
        depth: usize::from(flags & 0x0F),
        partial_chain: flags & 0x10 != 0,
    };
    for rules in [TlsLibrary::BoringSsl, TlsLibrary::OpenSsl] {
        let verification = verify(leaf, &chain, &cas, rules, &options);
        let _ = verification.is_success();
        let _ = verification.issuer();
    }
});
