//! `certlens test` against nginx on loopback (njs echo), whole process, side by side with
//! `curl --cert … --key …` on the same URL. Run with `cargo bench --bench live`.

use std::time::Duration;

// The tests' helpers: the PKI, nginx as the edge, a proxy.
use certlens_test_support as common;
use common::nginx::start_edge;

fn main() {
    let pki = common::Pki::new();
    let Some(nginx) = start_edge(&pki) else {
        println!("SKIPPED: nginx with njs is not installed (scripts/setup.sh)");
        return;
    };
    let Some(proxy) = common::proxies::tinyproxy(pki.path(), None) else {
        println!("SKIPPED: tinyproxy is not installed (scripts/setup.sh)");
        return;
    };
    let d = pki.path();
    let url = format!("https://127.0.0.1:{}/", nginx.port_of("optional"));
    let proxy_url = format!("http://127.0.0.1:{}", proxy.port);
    let certlens = env!("CARGO_BIN_EXE_certlens");
    let ours = |route: &[&str]| {
        let mut args = vec![
            "test",
            &url,
            "--identity",
            "identity.pem",
            "--ca",
            "root.pem",
            "--server-ca",
            "edge-ca.pem",
            "--profile",
            "nginx",
        ];
        args.extend_from_slice(route);
        common::median_run(d, certlens, &args)
    };
    let curl = |route: &[&str]| {
        let mut args = vec![
            "-sS",
            "--cacert",
            "edge-ca.pem",
            "--cert",
            "leaf.pem",
            "--key",
            "leaf.key",
            &url,
        ];
        args.extend_from_slice(route);
        common::median_run(d, "curl", &args)
    };
    println!("live test against nginx on loopback, whole process, median of 20 runs:");
    for (name, ours, curl) in [
        ("direct", ours(&["--no-proxy"]), curl(&["--noproxy", "*"])),
        (
            "through tinyproxy",
            ours(&["--proxy", &proxy_url]),
            curl(&["--proxy", &proxy_url]),
        ),
    ] {
        println!(
            "  {name:<18} certlens test {:>7.2} ms | curl {:>7.2} ms | ratio {:.2} (goal: at most 1.2)",
            ms(ours),
            ms(curl),
            ours.as_secs_f64() / curl.as_secs_f64()
        );
    }
    let required = format!("https://127.0.0.1:{}/", nginx.port_of("required"));
    token_beside_file(&pki, &required, certlens);
}

/// The same live test with the identity on a SoftHSM token (the key signs there) and in a
/// PEM file, against nginx requiring its CA.
fn token_beside_file(pki: &common::Pki, url: &str, certlens: &str) {
    if !common::softhsm::softhsm_available() {
        println!("SKIPPED: SoftHSM is not installed (scripts/setup.sh)");
        return;
    }
    let d = pki.path();
    let hsm = common::softhsm::SoftHsm::new("bench");
    hsm.import(d, "leaf.key", "leaf.pem", "01", "client");
    hsm.import_certificate(d, "int.pem", "02", "intermediate");
    let conf = hsm.conf().display().to_string();
    let token = format!("pkcs11:token={};object=client", hsm.label);
    let run = |identity: &str| {
        let args = [
            "test",
            url,
            "--identity",
            identity,
            "--ca",
            "root.pem",
            "--server-ca",
            "edge-ca.pem",
            "--profile",
            "nginx",
            "--no-proxy",
            "--password-env",
            "PIN",
        ];
        common::median_run_with_env(
            d,
            certlens,
            &args,
            &[
                ("SOFTHSM2_CONF", &conf),
                ("CERTLENS_PKCS11_MODULE", common::softhsm::SOFTHSM_MODULE),
                ("PIN", common::softhsm::PIN),
            ],
        )
    };
    let file = run("identity.pem");
    let on_token = run(&token);
    println!(
        "  {:<18} certlens test {:>7.2} ms | the same identity in a PEM file {:>7.2} ms | +{:.2} ms",
        "key on a token",
        ms(on_token),
        ms(file),
        ms(on_token) - ms(file)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
