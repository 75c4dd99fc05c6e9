//! nginx (Debian's package, with njs) acting as the edge: it verifies the client certificate
//! and an njs handler echoes like the Worker from `$ssl_client_*`. A matching identity must
//! compare equal on every field in the nginx profile; faults must be explained.

use serde_json::Value;

use crate::common::nginx::start_edge;
use crate::common::{Pki, test_json};

#[test]
fn nginx_as_the_edge_agrees_on_every_field() {
    let pki = Pki::new();
    let Some(nginx) = start_edge(&pki) else {
        return;
    };
    let url = format!("https://127.0.0.1:{}/", nginx.port_of("optional"));
    let common = [
        url.as_str(),
        "--identity",
        "identity.pem",
        "--ca",
        "root.pem",
        "--server-ca",
        "edge-ca.pem",
    ];

    let mut args = common.to_vec();
    args.extend_from_slice(&["--profile", "nginx"]);
    let (code, json) = test_json(pki.path(), &args);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["summary"]["match"], 9, "{json:#}");

    // The Cloudflare profile differs from nginx in the legacy DN ('/' in a value): explained.
    let (code, json) = test_json(pki.path(), &common);
    assert_eq!(code, Some(1));
    let mismatches: Vec<&Value> = json["comparison"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["verdict"] == "mismatch")
        .collect();
    assert_eq!(mismatches.len(), 1, "{json:#}");
    assert_eq!(mismatches[0]["header"], "X-CERT-SUBJECT-DN-L");
    assert!(
        mismatches[0]["explanation"]
            .as_str()
            .unwrap()
            .contains("choose the nginx profile")
    );
}

#[test]
fn nginx_requiring_its_ca_answers_400_to_another_certificate() {
    let pki = Pki::new();
    let Some(nginx) = start_edge(&pki) else {
        return;
    };
    let url = format!("https://127.0.0.1:{}/", nginx.port_of("required"));
    let other = certlens::echo_server::LocalCa::generate("Unrelated CA").unwrap();
    let stranger = other.issue_client("stranger").unwrap();
    std::fs::write(
        pki.file("stranger.pem"),
        format!("{}{}", stranger.cert_pem, stranger.key_pem),
    )
    .unwrap();
    let (code, json) = test_json(
        pki.path(),
        &[
            &url,
            "--identity",
            "stranger.pem",
            "--server-ca",
            "edge-ca.pem",
            "--profile",
            "nginx",
        ],
    );
    assert_eq!(code, Some(1));
    assert_eq!(json["status"], 400);
    assert!(
        json["notes"][0]
            .as_str()
            .unwrap()
            .contains("ssl_verify_client rejected the certificate"),
        "{json:#}"
    );
    assert!(json["echo"]["problem"].as_str().unwrap().contains("HTML"));
}
