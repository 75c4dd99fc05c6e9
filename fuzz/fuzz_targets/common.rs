//! Shared by the fuzz targets: the panic hook and "use every field" helpers.

#![allow(dead_code)]

use std::sync::Once;

use certlens::certificate::Certificate;
use certlens::fields::{Context, EdgeView, Profile};
use certlens::report::details::CertificateDetails;

/// Keeps panics that Certlens contains (in third-party decoders) from aborting the fuzzer,
/// while every other panic still aborts and is reported as a crash.
pub fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(certlens::contain::install_quiet_panic_hook);
}

/// Computes everything the window and the reports show for `leaf`, under every profile.
pub fn use_every_field(leaf: &Certificate, chain: &[Certificate]) -> usize {
    let mut total = 0;
    for profile in Profile::ALL {
        let context = Context {
            chain,
            issuer: chain.first(),
            ..Context::default()
        };
        let view = EdgeView::compute(leaf, &context, profile);
        total += view.x_cert_headers().len();
        total += view.managed_headers().len();
        total += view.tls_client_auth_json().len();
        total += view.nginx.iter().map(|(_, v)| v.len()).sum::<usize>();
        total += view
            .edge
            .headers
            .iter()
            .map(|(_, v)| v.len())
            .sum::<usize>();
        total += format!("{:?}", CertificateDetails::of(leaf, profile)).len();
    }
    total
}
