//! Identities on a real PKCS#11 token: SoftHSM 2, keys imported by OpenSC's `pkcs11-tool` as
//! sensitive and not extractable, every call recorded by `pkcs11-spy` where it matters. The
//! fields equal the same certificate's as a file, `tokens` lists URIs that open what they
//! name, the live test signs on the token, and a wrong PIN costs one try.

use std::path::Path;

use serde_json::Value;

use crate::common::nginx::start_edge;
use crate::common::softhsm::{PIN, SoftHsm, calls, softhsm_available};
use crate::common::{Pki, openssl};

/// `certlens ARGS` with the token; stdout as JSON (`Value::Null` when none), exit code, stderr.
fn run(
    hsm: &SoftHsm,
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> (Option<i32>, Value, String) {
    let output = hsm.certlens(dir, args, env);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    // The PIN shows nowhere.
    assert!(!String::from_utf8_lossy(&output.stdout).contains(PIN));
    assert!(!stderr.contains(PIN));
    (
        output.status.code(),
        serde_json::from_slice(&output.stdout).unwrap_or(Value::Null),
        stderr,
    )
}

fn uri(hsm: &SoftHsm, label: &str) -> String {
    format!("pkcs11:token={};object={label}", hsm.label)
}

#[test]
fn token_fields_equal_the_file_fields_for_every_profile_and_every_key_type() {
    if !softhsm_available() {
        return;
    }
    let pki = Pki::new();
    let hsm = SoftHsm::new("fields");
    let d = pki.path();
    for (name, newkey) in [
        ("rsa", &["-newkey", "rsa:2048"][..]),
        (
            "p256",
            &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"][..],
        ),
        (
            "p384",
            &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"][..],
        ),
    ] {
        pki.issue_leaf(name, "Token Test", newkey);
        let id = format!("{:02x}", name.len() + name.as_bytes()[1] as usize);
        hsm.import(d, &format!("{name}.key"), &format!("{name}.pem"), &id, name);
    }
    hsm.import_certificate(d, "int.pem", "ff", "intermediate");
    let tomorrow = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 86_400;
    let at = format!("@{tomorrow}");
    for name in ["rsa", "p256", "p384"] {
        std::fs::write(
            d.join(format!("{name}-chain.pem")),
            [
                std::fs::read(d.join(format!("{name}.pem"))).unwrap(),
                std::fs::read(d.join("int.pem")).unwrap(),
            ]
            .concat(),
        )
        .unwrap();
        for profile in certlens::fields::Profile::ALL {
            let profile = profile.name();
            let args = |identity: &str| {
                vec![
                    "fields".to_owned(),
                    identity.to_owned(),
                    "--profile".into(),
                    profile.into(),
                    "--ca".into(),
                    "root.pem".into(),
                    // One moment for both (nginx's days remaining would tick between runs).
                    "--at".into(),
                    at.clone(),
                    "--format".into(),
                    "json".into(),
                ]
            };
            let token_uri = uri(&hsm, name);
            let token_args = args(&token_uri);
            let (code, from_token, stderr) = run(
                &hsm,
                d,
                &token_args.iter().map(String::as_str).collect::<Vec<_>>(),
                &[],
            );
            assert_eq!(code, Some(0), "{stderr}");
            let file_args = args(&format!("{name}-chain.pem"));
            let (_, from_file, _) = run(
                &hsm,
                d,
                &file_args.iter().map(String::as_str).collect::<Vec<_>>(),
                &[],
            );
            for key in [
                "tlsClientAuth",
                "headers",
                "edgeHeaders",
                "nginx",
                "forwardedHeaders",
                "chain",
            ] {
                assert_eq!(from_token[key], from_file[key], "{name} {profile} {key}");
            }
            assert_eq!(from_token["source"]["format"], "pkcs11");
        }
    }
}

#[test]
fn tokens_lists_each_certificate_with_a_uri_that_opens_it() {
    if !softhsm_available() {
        return;
    }
    let pki = Pki::new();
    let hsm = SoftHsm::new("picker");
    let d = pki.path();
    pki.issue_leaf(
        "alice",
        "Token Test",
        &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
    );
    pki.issue_leaf("bob", "Token Test", &["-newkey", "rsa:2048"]);
    hsm.import(d, "alice.key", "alice.pem", "01", "alice");
    hsm.import(d, "bob.key", "bob.pem", "02", "bob");
    hsm.import_certificate(d, "leaf.pem", "03", "no-key");

    let (code, json, stderr) = run(&hsm, d, &["tokens", "--format", "json"], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let tokens = json[0]["tokens"].as_array().unwrap();
    let token = tokens
        .iter()
        .find(|t| t["label"] == "picker")
        .expect("the token");
    let certificates = token["certificates"].as_array().unwrap();
    assert_eq!(certificates.len(), 3, "{json:#}");
    // Before login SoftHSM's private keys are hidden: no guess is made.
    assert!(
        certificates.iter().all(|c| c["key"] == "after-login"),
        "{json:#}"
    );

    let filter = format!("pkcs11:token={}", hsm.label);
    let (code, json, stderr) = run(
        &hsm,
        d,
        &[
            "tokens",
            &filter,
            "--login",
            "--password-env",
            "PIN",
            "--format",
            "json",
        ],
        &[("PIN", PIN)],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let certificates = json[0]["tokens"][0]["certificates"].as_array().unwrap();
    let key_of =
        |label: &str| certificates.iter().find(|c| c["label"] == label).unwrap()["key"].clone();
    assert_eq!(key_of("alice"), "yes");
    assert_eq!(key_of("bob"), "yes");
    assert_eq!(key_of("no-key"), "no");

    // Each URI, pasted back, opens the certificate it was listed with.
    for certificate in certificates {
        let uri = certificate["uri"].as_str().unwrap();
        assert!(uri.contains("serial=") && uri.contains("id=%"), "{uri}");
        let (code, fields, stderr) = run(&hsm, d, &["fields", uri, "--format", "json"], &[]);
        assert_eq!(code, Some(0), "{uri}: {stderr}");
        assert_eq!(fields["chain"][0]["sha256"], certificate["sha256"], "{uri}");
    }
    // The text form says the same.
    let output = hsm.certlens(d, &["tokens"], &[]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("token “picker”") && text.contains("certificate “bob” id 02"),
        "{text}"
    );

    // The certificate without its key opens for fields, but cannot sign.
    let (code, _, stderr) = run(
        &hsm,
        d,
        &[
            "test",
            "https://127.0.0.1:9/",
            "--identity",
            &uri(&hsm, "no-key"),
            "--password-env",
            "PIN",
        ],
        &[("PIN", PIN)],
    );
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("holds no private key with the certificate's id (03)"),
        "{stderr}"
    );
}

#[test]
fn a_wrong_pin_costs_one_try_and_a_locked_pin_none() {
    if !softhsm_available() {
        return;
    }
    let pki = Pki::new();
    let hsm = SoftHsm::new("pins");
    let d = pki.path();
    pki.issue_leaf(
        "alice",
        "Token Test",
        &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
    );
    hsm.import(d, "alice.key", "alice.pem", "01", "alice");
    let test = [
        "test",
        "https://127.0.0.1:9/",
        "--identity",
        &uri(&hsm, "alice"),
        "--password-env",
        "PIN",
    ];

    let log = d.join("wrong.log");
    let output = hsm.certlens_spied(d, &test, &log, &[("PIN", "0000")]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr.contains("wrong PIN for the token “pins”"),
        "{stderr}"
    );
    assert!(
        stderr.contains("few tries are left"),
        "what the token reports: {stderr}"
    );
    assert!(!stderr.contains("0000"));
    assert_eq!(calls(&log, "C_Login"), 1, "one user action, one try");

    // No PIN and no terminal: nothing is tried.
    let log = d.join("none.log");
    let output = hsm.certlens_spied(d, &test[..4], &log, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("needs its PIN"));
    assert_eq!(calls(&log, "C_Login"), 0);

    // The fields need no PIN at all.
    let log = d.join("fields.log");
    let output = hsm.certlens_spied(d, &["fields", &uri(&hsm, "alice")], &log, &[]);
    assert!(output.status.success());
    assert_eq!(calls(&log, "C_Login"), 0);

    // A PIN in the URI is refused before anything is loaded.
    let output = hsm.certlens(
        d,
        &["fields", &format!("{}?pin-value=1234", uri(&hsm, "alice"))],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("PINs are never read from a command line")
    );

    // verify, report and --print-curl take the URI too; the report records it, never the PIN.
    let token_uri = uri(&hsm, "alice");
    // (The token holds the leaf alone: the intermediate comes with the CAs.)
    let output = hsm.certlens(d, &["verify", &token_uri, "--ca", "chain.pem"], &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = hsm.certlens(
        d,
        &[
            "report",
            &token_uri,
            "--ca",
            "root.pem",
            "--format",
            "json",
            "--password-env",
            "PIN",
        ],
        &[("PIN", PIN)],
    );
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && report.contains(&token_uri),
        "{report}"
    );
    assert!(!report.contains(&format!("\"{PIN}\"")) && !report.contains("pin-value"));
    let output = hsm.certlens(
        d,
        &[
            "test",
            "https://edge.example/",
            "--identity",
            &token_uri,
            "--print-curl",
        ],
        &[],
    );
    let curl = String::from_utf8_lossy(&output.stdout);
    assert!(
        curl.contains(&format!("--cert '{token_uri}'"))
            && curl.contains(&format!("--key '{token_uri}'")),
        "{curl}"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("pkcs11 engine"));

    // A locked PIN is not tried.
    hsm.lock_user_pin();
    let log = d.join("locked.log");
    let output = hsm.certlens_spied(d, &test, &log, &[("PIN", PIN)]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("is locked: nothing was tried"), "{stderr}");
    assert_eq!(calls(&log, "C_Login"), 0);
}

#[test]
fn the_live_test_signs_on_the_token_and_matches_the_nginx_edge() {
    if !softhsm_available() {
        return;
    }
    let pki = Pki::new();
    let Some(nginx) = start_edge(&pki) else {
        return;
    };
    let hsm = SoftHsm::new("edge");
    let d = pki.path();
    hsm.import(d, "leaf.key", "leaf.pem", "0a", "client");
    hsm.import_certificate(d, "int.pem", "0b", "intermediate");
    // The key is on the token as sensitive, and not extractable.
    let listing = String::from_utf8_lossy(
        &hsm.pkcs11_tool(&["--list-objects", "--type", "privkey"])
            .stdout,
    )
    .into_owned();
    let access = listing
        .lines()
        .find(|line| line.contains("Access:"))
        .unwrap_or_default();
    assert!(
        access.contains("sensitive")
            && !access
                .replace("never extractable", "")
                .contains("extractable"),
        "{listing}"
    );

    let url = format!("https://127.0.0.1:{}/", nginx.port_of("required"));
    // RSA signs with PSS in TLS 1.3 (CKM_RSA_PKCS_PSS), P-384 with CKM_ECDSA.
    pki.issue_leaf("rsa", "Token Test", &["-newkey", "rsa:2048"]);
    pki.issue_leaf(
        "p384",
        "Token Test",
        &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"],
    );
    hsm.import(d, "rsa.key", "rsa.pem", "0c", "rsa");
    hsm.import(d, "p384.key", "p384.pem", "0d", "p384");
    // Ed25519, generated on the token (CKM_EDDSA): its certificate is made for the public key.
    let public = hsm.generate(d, "EC:edwards25519", "0e", "ed25519");
    openssl(
        d,
        &[
            "x509",
            "-new",
            "-force_pubkey",
            public.to_str().unwrap(),
            "-subj",
            "/O=Token Test/CN=ed25519",
            "-CA",
            "int.pem",
            "-CAkey",
            "int.key",
            "-days",
            "30",
            "-extfile",
            "leaf.ext",
            "-out",
            "ed25519.pem",
        ],
    );
    hsm.import_certificate(d, "ed25519.pem", "0e", "ed25519");
    for label in ["client", "rsa", "p384", "ed25519"] {
        let log = d.join(format!("{label}.log"));
        let output = hsm.certlens_spied(
            d,
            &[
                "test",
                &url,
                "--identity",
                &uri(&hsm, label),
                "--password-env",
                "PIN",
                "--ca",
                "root.pem",
                "--server-ca",
                "edge-ca.pem",
                "--profile",
                "nginx",
                "--format",
                "json",
            ],
            &log,
            &[("PIN", PIN)],
        );
        let json: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{label}: {json:#} {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(json["summary"]["match"], 9, "{label}: {json:#}");
        assert_eq!(json["summary"]["mismatch"], 0, "{label}: {json:#}");
        // The handshake's signature was made on the token, after one login.
        assert_eq!(calls(&log, "C_Login"), 1, "{label}");
        assert!(
            calls(&log, "C_Sign") >= 2,
            "{label}: the key check and the handshake"
        );
    }
    // nginx saw the token's certificate.
    let fingerprint = crate::common::openssl_out(
        d,
        &["x509", "-in", "leaf.pem", "-noout", "-fingerprint", "-sha1"],
    );
    let fingerprint = fingerprint
        .trim()
        .rsplit('=')
        .next()
        .unwrap()
        .replace(':', "")
        .to_ascii_lowercase();
    assert!(
        nginx
            .logged()
            .iter()
            .any(|entry| entry.to_string().contains(&fingerprint)),
        "nginx's log: {:?}",
        nginx.logged()
    );
}
