//! The echo reader and the comparison on arbitrary response bodies.
#![no_main]

mod common;

use std::sync::OnceLock;

use certlens::certificate::Certificate;
use certlens::fields::{Context, EdgeView, Profile};
use certlens::probe::{Echo, Summary, compare};
use libfuzzer_sys::fuzz_target;

fn views() -> &'static (EdgeView, EdgeView) {
    static VIEWS: OnceLock<(EdgeView, EdgeView)> = OnceLock::new();
    VIEWS.get_or_init(|| {
        let ca = certlens::echo_server::LocalCa::generate("Fuzz CA").expect("generate a CA");
        let client = ca.issue_client("fuzz client").expect("issue a client");
        let der = pem_der(&client.cert_pem);
        let leaf = Certificate::from_der(&der).expect("rcgen's certificate");
        let view = |profile| EdgeView::compute(&leaf, &Context::default(), profile);
        (view(Profile::Cloudflare), view(Profile::Nginx))
    })
}

fn pem_der(pem: &str) -> Vec<u8> {
    use base64::Engine as _;
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("rcgen's PEM")
}

fuzz_target!(|data: &[u8]| {
    common::init();
    let (local, other) = views();
    for truncated in [false, true] {
        let echo = Echo::parse(data, truncated);
        let _ = echo.get("X-CERT-SUBJECT-DN");
        let _ = echo.keys_with_prefix("x-cert-").count();
        let rows = compare(local, other, &echo);
        let summary = Summary::of(&rows);
        let _ = summary.is_clean();
    }
});
