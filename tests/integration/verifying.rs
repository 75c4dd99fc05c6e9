//! `certlens verify` and `fields --ca`: exit codes, the checks' explanations, revocation lists
//! and bad CA files.

use certlens::der::{encode, tag};

use crate::common::craft::{OpensslKey, oid};
use crate::common::{Pki, certlens, expect_input_error, fields_json};

#[test]
fn verify_exits_0_on_success_and_1_on_failure_with_explanations() {
    let pki = Pki::new();
    let read = |f: &str| std::fs::read_to_string(pki.file(f)).unwrap();
    std::fs::write(
        pki.file("sent.pem"),
        [read("leaf.pem"), read("int.pem")].concat(),
    )
    .unwrap();

    let ok = certlens(pki.path(), &["verify", "sent.pem", "--ca", "root.pem"]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).starts_with("SUCCESS\n"));

    let failed = certlens(
        pki.path(),
        &["verify", "leaf.pem", "--ca", "root.pem", "--format", "json"],
    );
    assert_eq!(failed.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&failed.stdout).unwrap();
    assert_eq!(
        json["verdict"],
        "FAILED:unable to verify the first certificate"
    );
    let failures: Vec<&str> = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["passed"] == false)
        .map(|c| c["detail"].as_str().unwrap())
        .collect();
    assert!(
        failures
            .iter()
            .any(|d| d.contains("CN=Certlens Test Intermediate")
                && d.contains("CN=Certlens Test Root")),
        "{failures:?}"
    );

    let later = certlens(
        pki.path(),
        &[
            "verify",
            "sent.pem",
            "--ca",
            "root.pem",
            "--at",
            "2099-01-01",
        ],
    );
    assert_eq!(later.status.code(), Some(1));
    let text = String::from_utf8_lossy(&later.stdout);
    assert!(
        text.starts_with("FAILED:certificate has expired\n") && text.contains("days ago; renew it"),
        "{text}"
    );
}

#[test]
fn fields_with_a_ca_fill_the_verdict_and_the_issuer() {
    let pki = Pki::new();
    let json = fields_json(pki.path(), &["leaf.pem", "--ca", "chain.pem"]);
    let auth = &json["tlsClientAuth"];
    assert_eq!(auth["certVerified"], "SUCCESS");
    assert_eq!(auth["certIssuerSerial"], "1000");
    assert_eq!(json["headers"]["X-CERT-VERIFY"], "SUCCESS");
    assert_eq!(json["managedHeaders"]["cf-cert-verified"], "true");
    assert!(
        json["notes"].as_array().unwrap().is_empty(),
        "{}",
        json["notes"]
    );

    let json = fields_json(
        pki.path(),
        &["leaf.pem", "--ca", "root.pem", "--profile", "nginx"],
    );
    assert_eq!(
        json["tlsClientAuth"]["certVerified"],
        "FAILED:unable to verify the first certificate"
    );
    assert_eq!(
        json["nginx"]["ssl_client_verify"],
        "FAILED:unable to verify the first certificate"
    );
}

/// A CRL listing `serials`, issued under `issuer_name` and signed with `key`.
fn crl(issuer_name: &[u8], serials: &[&[u8]], key: &OpensslKey) -> Vec<u8> {
    let sig_alg = encode(
        tag::SEQUENCE,
        &[oid("1.2.840.113549.1.1.11"), vec![0x05, 0x00]].concat(),
    );
    let revoked: Vec<u8> = serials
        .iter()
        .flat_map(|s| {
            encode(
                tag::SEQUENCE,
                &[
                    encode(tag::INTEGER, s),
                    encode(tag::UTC_TIME, b"250101000000Z"),
                ]
                .concat(),
            )
        })
        .collect();
    let tbs = encode(
        tag::SEQUENCE,
        &[
            encode(tag::INTEGER, &[1]),
            sig_alg.clone(),
            issuer_name.to_vec(),
            encode(tag::UTC_TIME, b"250101000000Z"),
            encode(tag::SEQUENCE, &revoked),
        ]
        .concat(),
    );
    let dir = key.path.parent().unwrap();
    std::fs::write(dir.join("crl.tbs"), &tbs).unwrap();
    crate::common::openssl(
        dir,
        &[
            "dgst",
            "-sha256",
            "-sign",
            key.path.to_str().unwrap(),
            "-out",
            "crl.sig",
            "crl.tbs",
        ],
    );
    let signature = std::fs::read(dir.join("crl.sig")).unwrap();
    encode(
        tag::SEQUENCE,
        &[
            tbs,
            sig_alg,
            encode(tag::BIT_STRING, &[&[0u8][..], &signature].concat()),
        ]
        .concat(),
    )
}

#[test]
fn a_crl_listing_the_serial_sets_cert_revoked_but_not_the_verdict() {
    let pki = Pki::new();
    let leaf = certlens::identity::load_file(&pki.file("leaf.pem"), None)
        .unwrap()
        .identity()
        .unwrap()
        .leaf;
    let key = OpensslKey::generate(pki.path(), "crl-signer", "rsa:2048");
    std::fs::write(
        pki.file("revoked.crl"),
        crl(leaf.issuer_der(), &[&[0x05], leaf.serial_content()], &key),
    )
    .unwrap();
    std::fs::write(
        pki.file("other.crl"),
        crl(leaf.issuer_der(), &[&[0x05]], &key),
    )
    .unwrap();

    let json = fields_json(
        pki.path(),
        &["leaf.pem", "--ca", "chain.pem", "--crl", "revoked.crl"],
    );
    assert_eq!(json["tlsClientAuth"]["certRevoked"], "1");
    assert_eq!(
        json["tlsClientAuth"]["certVerified"], "SUCCESS",
        "Cloudflare keeps the verdict for revoked certificates"
    );
    assert_eq!(json["managedHeaders"]["cf-cert-revoked"], "true");
    let json = fields_json(
        pki.path(),
        &["leaf.pem", "--ca", "chain.pem", "--crl", "other.crl"],
    );
    assert_eq!(json["tlsClientAuth"]["certRevoked"], "0");

    let output = certlens(
        pki.path(),
        &[
            "verify",
            "leaf.pem",
            "--ca",
            "chain.pem",
            "--crl",
            "revoked.crl",
            "--format",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        (json["verdict"].as_str(), json["certRevoked"].as_str()),
        (Some("SUCCESS"), Some("1"))
    );
}

#[test]
fn bad_ca_files_are_named_and_exit_2() {
    let pki = Pki::new();
    std::fs::write(pki.file("notes.txt"), "these are not certificates").unwrap();
    std::fs::write(pki.file("empty.pem"), "").unwrap();
    let cases = [
        ("notes.txt", "plain text"),
        ("empty.pem", "empty"),
        ("leaf.key", "no certificate"),
    ];
    for (ca, says) in cases {
        let err = expect_input_error(pki.path(), &["verify", "leaf.pem", "--ca", ca]);
        assert!(err.contains(says), "{ca}: {err}");
    }
    let err = expect_input_error(pki.path(), &["verify", "leaf.pem"]);
    assert!(err.contains("--ca"), "{err}");
    let err = expect_input_error(
        pki.path(),
        &[
            "verify", "leaf.pem", "--ca", "root.pem", "--crl", "root.pem",
        ],
    );
    assert!(err.contains("no certificate revocation list"), "{err}");
}
