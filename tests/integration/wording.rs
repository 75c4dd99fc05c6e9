//! The cloudflare profile's verdict in the words Cloudflare documents, the current BoringSSL's
//! wording beside it, and the warnings for leaves that verify but will not get through
//! everywhere (no clientAuth, a negative serial).

use serde_json::Value;

use crate::common::{Pki, certlens, fields_json, openssl, test_json};
use crate::live::rows_with;
use crate::live_faults::FakeEdge;

/// The leaf and its key without the intermediate: the commonest mTLS mistake.
fn leaf_alone(pki: &Pki) -> &'static str {
    let read = |f: &str| std::fs::read_to_string(pki.file(f)).unwrap();
    std::fs::write(
        pki.file("alone.pem"),
        [read("leaf.pem"), read("leaf.key")].concat(),
    )
    .unwrap();
    "alone.pem"
}

#[test]
fn a_leaf_sent_alone_gets_the_documented_verdict_with_the_newer_wording_beside_it() {
    let pki = Pki::new();
    let alone = leaf_alone(&pki);
    let verify = certlens(
        pki.path(),
        &["verify", alone, "--ca", "root.pem", "--format", "json"],
    );
    assert_eq!(verify.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&verify.stdout).unwrap();
    assert_eq!(
        json["certVerified"],
        "FAILED:unable to verify the first certificate"
    );
    assert_eq!(
        json["otherWording"]["verdict"],
        "FAILED:unable to get local issuer certificate"
    );
    let text = certlens(pki.path(), &["verify", alone, "--ca", "root.pem"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.starts_with("FAILED:unable to verify the first certificate\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "FAILED:unable to get local issuer certificate is what BoringSSL from API version 44"
        ),
        "{text}"
    );

    let fields = fields_json(pki.path(), &[alone, "--ca", "root.pem"]);
    assert_eq!(
        fields["tlsClientAuth"]["certVerified"],
        "FAILED:unable to verify the first certificate"
    );
    assert_eq!(
        fields["headers"]["X-CERT-VERIFY"],
        "FAILED:unable to verify the first certificate"
    );
    let notes = fields["notes"].to_string();
    assert!(
        notes.contains("unable to get local issuer certificate"),
        "{notes}"
    );

    // nginx (OpenSSL 3) words it the same way and has no other wording.
    let nginx = certlens(
        pki.path(),
        &[
            "verify",
            alone,
            "--ca",
            "root.pem",
            "--profile",
            "nginx",
            "--format",
            "json",
        ],
    );
    let nginx: Value = serde_json::from_slice(&nginx.stdout).unwrap();
    assert_eq!(
        nginx["verdict"],
        "FAILED:unable to verify the first certificate"
    );
    assert!(nginx.get("otherWording").is_none(), "{nginx:#}");

    // Reports carry both wordings.
    for format in ["md", "html", "csv", "json"] {
        let report = certlens(
            pki.path(),
            &["report", alone, "--ca", "root.pem", "--format", format],
        );
        let report = String::from_utf8_lossy(&report.stdout);
        assert!(
            report.contains("unable to verify the first certificate")
                && report.contains("unable to get local issuer certificate"),
            "{format}: {report}"
        );
    }
}

#[test]
fn an_echo_in_either_boringssl_wording_matches_and_another_failure_does_not() {
    let pki = Pki::new();
    let alone = leaf_alone(&pki);
    let honest = fields_json(pki.path(), &[alone, "--ca", "root.pem"])["headers"]
        .as_object()
        .unwrap()
        .clone();
    let run = |verdict: &str| {
        let mut echo = honest.clone();
        echo.insert("X-CERT-VERIFY".into(), verdict.into());
        // The edge trusts the intermediate, so the handshake with the leaf alone succeeds.
        let edge = FakeEdge::start(
            pki.path(),
            serde_json::to_vec(&echo).unwrap(),
            "application/json",
            &pki.file("int.pem"),
            true,
        );
        test_json(
            pki.path(),
            &[
                edge.url.as_str(),
                "--identity",
                alone,
                "--ca",
                "root.pem",
                "--server-ca",
                "fake-edge-ca.pem",
            ],
        )
    };
    let verify_row = |json: &Value| {
        json["comparison"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["header"] == "X-CERT-VERIFY")
            .cloned()
            .unwrap()
    };

    let (code, documented) = run("FAILED:unable to verify the first certificate");
    assert_eq!(code, Some(0), "{documented:#}");
    assert_eq!(verify_row(&documented)["verdict"], "match");

    let (code, newer) = run("FAILED:unable to get local issuer certificate");
    assert_eq!(code, Some(0), "the newer wording matches: {newer:#}");
    let row = verify_row(&newer);
    assert_eq!(row["verdict"], "match");
    let explanation = row["explanation"].as_str().unwrap();
    assert!(
        explanation.contains("API version 44") && explanation.contains("Cloudflare documents"),
        "{explanation}"
    );

    let (code, other) = run("FAILED:certificate has expired");
    assert_eq!(code, Some(1), "{other:#}");
    assert_eq!(rows_with(&other, "mismatch").len(), 1, "{other:#}");
    assert_eq!(verify_row(&other)["verdict"], "mismatch");
}

#[test]
fn a_leaf_without_client_auth_and_with_a_negative_serial_is_warned_about_everywhere() {
    let pki = Pki::new();
    std::fs::write(
        pki.file("server.ext"),
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        pki.path(),
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "int.pem",
            "-CAkey",
            "int.key",
            "-set_serial",
            "-5",
            "-days",
            "30",
            "-extfile",
            "server.ext",
            "-out",
            "odd.pem",
        ],
    );
    let read = |f: &str| std::fs::read_to_string(pki.file(f)).unwrap();
    std::fs::write(
        pki.file("odd-chain.pem"),
        [read("odd.pem"), read("int.pem")].concat(),
    )
    .unwrap();
    let expect_both = |what: &str, text: &str| {
        assert!(
            text.contains("does not include clientAuth")
                && text.contains("serial number is negative"),
            "{what}: {text}"
        );
    };

    // Without a CA the verdict is unknown, and the warnings still show.
    let fields = fields_json(pki.path(), &["odd-chain.pem"]);
    expect_both("fields json", &fields["warnings"].to_string());
    let text = certlens(pki.path(), &["fields", "odd-chain.pem", "--format", "text"]);
    expect_both("fields text", &String::from_utf8_lossy(&text.stdout));
    for profile in ["caddy", "traefik", "nginx"] {
        let fields = fields_json(pki.path(), &["odd-chain.pem", "--profile", profile]);
        expect_both(profile, &fields["warnings"].to_string());
    }

    let verify = certlens(
        pki.path(),
        &[
            "verify",
            "odd-chain.pem",
            "--ca",
            "root.pem",
            "--format",
            "json",
        ],
    );
    let json: Value = serde_json::from_slice(&verify.stdout).unwrap();
    assert_eq!(json["verdict"], "FAILED:unsupported certificate purpose");
    expect_both("verify json", &json["warnings"].to_string());
    let verify = certlens(pki.path(), &["verify", "odd-chain.pem", "--ca", "root.pem"]);
    expect_both("verify text", &String::from_utf8_lossy(&verify.stdout));

    for format in ["md", "html", "json"] {
        let report = certlens(
            pki.path(),
            &[
                "report",
                "odd-chain.pem",
                "--ca",
                "root.pem",
                "--format",
                format,
            ],
        );
        expect_both(format, &String::from_utf8_lossy(&report.stdout));
    }

    // The bundled leaf has clientAuth and a positive serial: no such warning.
    let plain = fields_json(pki.path(), &["leaf.pem"]);
    let warnings = plain["warnings"].to_string();
    assert!(
        !warnings.contains("clientAuth") && !warnings.contains("serial number is"),
        "{warnings}"
    );
}
