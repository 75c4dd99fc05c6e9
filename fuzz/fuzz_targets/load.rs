//! The identity loader on arbitrary bytes: PKCS#12, PEM, DER, PKCS#7 — whatever `sniff` decides.
#![no_main]

mod common;

use certlens::fields::{Context, EdgeView, Profile};
use certlens::identity::{Password, load_bytes};
use certlens::report::fields_text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::init();
    let password = Password::new("fuzz");
    let Ok(file) = load_bytes(data, Some(&password)) else {
        return;
    };
    let _ = file.identities();
    if let Ok(identity) = file.identity() {
        common::use_every_field(&identity.leaf, &identity.chain);
        // The text report, with what the file holds besides (friendly names, PEM labels).
        let context = Context {
            chain: &identity.chain,
            ..Context::default()
        };
        let view = EdgeView::compute(&identity.leaf, &context, Profile::Cloudflare);
        common::assert_terminal_safe(&fields_text(&file, &identity, &view));
    }
});
