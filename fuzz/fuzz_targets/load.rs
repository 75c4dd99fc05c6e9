//! The identity loader on arbitrary bytes: PKCS#12, PEM, DER, PKCS#7 — whatever `sniff` decides.
#![no_main]

mod common;

use certlens::identity::{Password, load_bytes};
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
    }
});
