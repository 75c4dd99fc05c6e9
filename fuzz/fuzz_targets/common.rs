//! Shared by the fuzz targets: the panic hook and "use every field" helpers.

#![allow(dead_code)]

use std::sync::Once;

use certlens::certificate::Certificate;
use certlens::fields::{Context, EdgeView, Profile};
use certlens::report::certificate::CertificateDetails;
use certlens::report::{self, EveryEdge, escape};

/// Keeps panics that Certlens contains (in third-party decoders) from aborting the fuzzer,
/// while every other panic still aborts and is reported as a crash.
pub fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(certlens::contain::install_quiet_panic_hook);
}

/// Panics when `text`, meant for a terminal, holds a character the terminal would act on.
pub fn assert_terminal_safe(text: &str) {
    if let Some(c) = text.chars().find(|&c| escape::acts_on_terminal(c)) {
        panic!("{c:?} reaches the terminal raw in {text:?}");
    }
}

/// Computes everything the window and the reports show for `leaf`, under every profile, and
/// holds the text renderers to the terminal escaping.
pub fn use_every_field(leaf: &Certificate, chain: &[Certificate]) -> usize {
    let mut total = 0;
    let mut views = Vec::new();
    for profile in Profile::ALL {
        let context = Context {
            chain,
            issuer: chain.first(),
            ..Context::default()
        };
        let view = EdgeView::compute(leaf, &context, profile);
        total += view.tls_client_auth_json().len();
        total += view.edge.channels.len();
        total += view
            .edge
            .nginx_variables()
            .unwrap_or_default()
            .iter()
            .map(|(_, v)| v.len())
            .sum::<usize>();
        total += view
            .edge
            .headers
            .iter()
            .map(|(_, v)| v.len())
            .sum::<usize>();
        total += format!("{:?}", CertificateDetails::of(leaf, profile)).len();
        assert_terminal_safe(&report::header_lines(&view));
        views.push(view);
    }
    let every = EveryEdge::new(&views);
    assert_terminal_safe(&every.text());
    assert_terminal_safe(&EveryEdge::header_blocks(&views));
    total
}
