//! The Cloudflare API stand-in as a program, for the README's screenshot: one zone
//! (`example.test`) where `api.example.test` is associated with the uploaded CA given, the
//! managed transform is on, and three custom rules (one the engine cannot read, one on the
//! client's address, the dashboard's template). Prints the base URL, then serves until killed.
//!
//!   cloudflare-stand-in TOKEN CA.pem

use certlens_test_support::cloudflare_api::{Account, CloudflareApi, rule, uploaded_ca};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(token), Some(ca)) = (args.next(), args.next()) else {
        eprintln!("usage: cloudflare-stand-in TOKEN CA.pem");
        std::process::exit(2);
    };
    let pem = std::fs::read_to_string(&ca).unwrap_or_else(|e| {
        eprintln!("cannot read {ca}: {e}");
        std::process::exit(2);
    });
    let mut account = Account::new(&token);
    account.mtls_certificates = vec![uploaded_ca(
        "2458ce5a0c354c7f82c78e9487d3ff60",
        "Devices root",
        &pem,
        "2026-10-01T08:00:00Z",
    )];
    account.ca_hosts = vec![(
        "2458ce5a0c354c7f82c78e9487d3ff60".to_owned(),
        vec!["api.example.test".to_owned()],
    )];
    account.client_auth_headers = true;
    account.custom_rules = Some(vec![
        rule(
            "6b1e0c2f8d7a4e59a3c1b2d4e5f60718",
            "block",
            "lower(http.request.uri.path) contains \"/admin\"",
            "admin paths",
        ),
        rule(
            "0d9b8e7c6a5f4e3d2c1b0a9f8e7d6c5b",
            "managed_challenge",
            "not ip.src in {192.0.2.0/24} and http.request.uri.path eq \"/internal\"",
            "office only",
        ),
        rule(
            "9f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f",
            "block",
            "(http.host in {\"api.example.test\"} and not cf.tls_client_auth.cert_verified)",
            "mTLS-enforced authentication",
        ),
    ]);
    let api = CloudflareApi::start(account);
    println!("{}", api.base());
    loop {
        std::thread::park();
    }
}
