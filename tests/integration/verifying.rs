//! `certlens verify` and `fields --ca`: exit codes, the checks' explanations, revocation lists
//! and bad CA files.

use certlens::certificate::der::{encode, tag};

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
    // Cloudflare's documented words for a leaf sent without its intermediate; the current
    // BoringSSL's beside them.
    assert_eq!(
        json["verdict"],
        "FAILED:unable to verify the first certificate"
    );
    assert_eq!(
        json["otherWording"]["verdict"],
        "FAILED:unable to get local issuer certificate"
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
    let sig_alg = if key.rsa {
        encode(
            tag::SEQUENCE,
            &[oid("1.2.840.113549.1.1.11"), vec![0x05, 0x00]].concat(),
        )
    } else {
        encode(tag::SEQUENCE, &oid("1.2.840.10045.4.3.2"))
    };
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

/// Cloudflare does not check CRLs for uploaded CAs: a list that checks out (from the issuer,
/// signed by it, current) sets certRevoked and leaves the verdict; a forged list changes
/// nothing. nginx with `ssl_crl` fails the verification, and needs a list for every CA.
#[test]
fn a_crl_that_checks_out_sets_cert_revoked_and_nginx_fails_the_chain() {
    let pki = Pki::new();
    let leaf = certlens::identity::load_file(&pki.file("leaf.pem"), None)
        .unwrap()
        .identity()
        .unwrap()
        .leaf;
    let issuer_key = OpensslKey::open(pki.file("int.key"), false);
    let stranger = OpensslKey::generate(pki.path(), "crl-signer", "rsa:2048");
    std::fs::write(
        pki.file("revoked.crl"),
        crl(
            leaf.issuer_der(),
            &[&[0x05], leaf.serial_content()],
            &issuer_key,
        ),
    )
    .unwrap();
    std::fs::write(
        pki.file("forged.crl"),
        crl(leaf.issuer_der(), &[leaf.serial_content()], &stranger),
    )
    .unwrap();
    std::fs::write(
        pki.file("other.crl"),
        crl(leaf.issuer_der(), &[&[0x05]], &issuer_key),
    )
    .unwrap();

    let revoked_of = |list: &str| {
        let json = fields_json(
            pki.path(),
            &["leaf.pem", "--ca", "chain.pem", "--crl", list],
        );
        (
            json["tlsClientAuth"]["certRevoked"]
                .as_str()
                .unwrap()
                .to_owned(),
            json["tlsClientAuth"]["certVerified"]
                .as_str()
                .unwrap()
                .to_owned(),
        )
    };
    assert_eq!(revoked_of("revoked.crl"), ("1".into(), "SUCCESS".into()));
    assert_eq!(revoked_of("forged.crl"), ("0".into(), "SUCCESS".into()));
    assert_eq!(revoked_of("other.crl"), ("0".into(), "SUCCESS".into()));
    let json = fields_json(
        pki.path(),
        &["leaf.pem", "--ca", "chain.pem", "--crl", "revoked.crl"],
    );
    assert_eq!(json["managedHeaders"]["cf-cert-revoked"], "true");

    let nginx = |lists: &[&str]| {
        let mut args = vec![
            "verify",
            "leaf.pem",
            "--ca",
            "chain.pem",
            "--profile",
            "nginx",
            "--format",
            "json",
        ];
        for list in lists {
            args.extend(["--crl", list]);
        }
        let output = certlens(pki.path(), &args);
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        (
            output.status.code(),
            json["verdict"].as_str().unwrap().to_owned(),
        )
    };
    assert_eq!(
        nginx(&["revoked.crl"]),
        (Some(1), "FAILED:unable to get certificate CRL".into()),
        "the root's list is missing"
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

/// What `openssl verify` (OpenSSL 3, purpose `sslclient`) reports last for `leaf` under `ca`
/// at `unix`: `SUCCESS` or `FAILED:<reason>`, in the words nginx would log.
fn openssl_verdict(dir: &std::path::Path, ca: &str, leaf: &str, unix: i64) -> String {
    let output = std::process::Command::new("openssl")
        .args([
            "verify",
            "-purpose",
            "sslclient",
            "-attime",
            &unix.to_string(),
        ])
        .args(["-CAfile", ca, leaf])
        .current_dir(dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    match text
        .lines()
        .rev()
        .find_map(|line| line.split_once(" lookup: ").map(|(_, reason)| reason))
    {
        Some(reason) => format!("FAILED:{reason}"),
        None if output.status.success() => "SUCCESS".into(),
        None => panic!("openssl verify said nothing usable: {text}"),
    }
}

/// The verdict line of `certlens verify FILE --ca ca.pem --at AT --profile PROFILE`.
fn certlens_verdict(dir: &std::path::Path, file: &str, at: &str, profile: &str) -> String {
    let output = certlens(
        dir,
        &[
            "verify",
            file,
            "--ca",
            "ca.pem",
            "--at",
            at,
            "--profile",
            profile,
        ],
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// `X509_cmp_time` counts "equal" as "earlier": valid from the second of notBefore, expired
/// from the second of notAfter; and only RFC 5280 time forms can be compared at all. Each case
/// is asked of OpenSSL itself, and the nginx profile must say the same; BoringSSL's strings are
/// the same for these codes, so the cloudflare profile must too.
#[test]
fn validity_boundaries_and_unreadable_times_get_the_libraries_verdicts() {
    use crate::common::craft::{self, Key, Spec, basic_constraints, key_usage, name, utc};
    let dir = crate::common::temp_dir();
    let d = dir.path();
    let ca_key = Key::generate();
    let ca_name = name(&[("2.5.4.3", 0x0C, b"Boundary CA")]);
    let ca = craft::build(
        &Spec {
            subject: ca_name.clone(),
            issuer: ca_name.clone(),
            not_before: utc("200101000000Z"),
            not_after: craft::generalized("20600101000000Z"),
            extensions: Some(vec![basic_constraints(true, None), key_usage(0x06)]),
            ..Spec::default()
        },
        &ca_key,
        &ca_key,
    );
    std::fs::write(d.join("ca.pem"), craft::cert_pem(&ca)).unwrap();
    let leaf = |file: &str, not_before: Vec<u8>, not_after: Vec<u8>| {
        let spec = Spec {
            subject: name(&[("2.5.4.3", 0x0C, file.as_bytes())]),
            issuer: ca_name.clone(),
            not_before,
            not_after,
            ..Spec::default()
        };
        let der = craft::build(&spec, &Key::generate(), &ca_key);
        std::fs::write(d.join(file), craft::cert_pem(&der)).unwrap();
    };
    // 2025-01-01T00:00:00Z and 2030-01-01T00:00:00Z.
    let (start, end) = (1_735_689_600_i64, 1_893_456_000_i64);
    leaf("plain.pem", utc("250101000000Z"), utc("300101000000Z"));
    leaf(
        "fraction.pem",
        utc("250101000000Z"),
        craft::generalized("20300101000000.5Z"),
    );
    leaf("offset.pem", utc("250101000000Z"), utc("300101000000+0100"));
    leaf("no-seconds.pem", utc("2501010000Z"), utc("300101000000Z"));
    let cases = [
        ("plain.pem", start - 1),
        ("plain.pem", start),
        ("plain.pem", end - 1),
        ("plain.pem", end),
        ("fraction.pem", start + 10),
        ("offset.pem", start + 10),
        ("no-seconds.pem", start + 10),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (file, unix) in cases {
        let want = openssl_verdict(d, "ca.pem", file, unix);
        seen.insert(want.clone());
        let at = certlens::certificate::Instant::from_unix(unix).to_rfc3339();
        for profile in ["nginx", "cloudflare"] {
            assert_eq!(
                certlens_verdict(d, file, &at, profile),
                want,
                "{file} at {at}, {profile}"
            );
        }
    }
    // The cases reach every verdict they are meant to.
    for verdict in [
        "SUCCESS",
        "FAILED:certificate is not yet valid",
        "FAILED:certificate has expired",
        "FAILED:format error in certificate's notBefore field",
        "FAILED:format error in certificate's notAfter field",
    ] {
        assert!(seen.contains(verdict), "{verdict} not reached: {seen:?}");
    }
}

/// Issuer lookup compares canonical names (`X509_NAME_cmp`): a leaf whose issuer reads
/// `Example CA` (UTF8String) is issued by a CA whose subject reads `  example   CA`
/// (PrintableString). OpenSSL verifies it; so must both profiles, and the issuer-side fields
/// must come from that CA.
#[test]
fn issuers_are_found_by_canonical_name() {
    use crate::common::craft::{self, Key, Spec, basic_constraints, key_usage, name};
    let dir = crate::common::temp_dir();
    let d = dir.path();
    let ca_key = Key::generate();
    let ca_subject = name(&[("2.5.4.3", 0x13, b"  example   CA")]);
    let ca = craft::build(
        &Spec {
            subject: ca_subject.clone(),
            issuer: ca_subject,
            serial: vec![0x42],
            extensions: Some(vec![basic_constraints(true, None), key_usage(0x06)]),
            ..Spec::default()
        },
        &ca_key,
        &ca_key,
    );
    std::fs::write(d.join("ca.pem"), craft::cert_pem(&ca)).unwrap();
    for (file, issuer) in [
        ("folded.pem", name(&[("2.5.4.3", 0x0C, b"Example CA")])),
        ("other.pem", name(&[("2.5.4.3", 0x0C, b"Example-CA")])),
    ] {
        let leaf = craft::build(
            &Spec {
                subject: name(&[("2.5.4.3", 0x0C, b"client")]),
                issuer,
                ..Spec::default()
            },
            &Key::generate(),
            &ca_key,
        );
        std::fs::write(d.join(file), craft::cert_pem(&leaf)).unwrap();
        let at = 1_900_000_000;
        // `openssl verify` stops at the first chain error where nginx's accept-all callback
        // goes on, so its word is the oracle for success only.
        let openssl = openssl_verdict(d, "ca.pem", file, at);
        let found = openssl == "SUCCESS";
        if !found {
            assert_eq!(
                openssl, "FAILED:unable to get local issuer certificate",
                "{file}"
            );
        }
        let iso = certlens::certificate::Instant::from_unix(at).to_rfc3339();
        // Both say so of a leaf alone whose issuer is not found (the cloudflare profile in
        // the words Cloudflare documents).
        for profile in ["nginx", "cloudflare"] {
            let unfound = "FAILED:unable to verify the first certificate";
            let want = if found { "SUCCESS" } else { unfound };
            assert_eq!(
                certlens_verdict(d, file, &iso, profile),
                want,
                "{file}, {profile}"
            );
        }
        let fields = fields_json(d, &[file, "--ca", "ca.pem", "--at", &iso]);
        let expected_serial = if found {
            serde_json::json!("42")
        } else {
            serde_json::Value::Null
        };
        assert_eq!(
            fields["tlsClientAuth"]["certIssuerSerial"], expected_serial,
            "{file}"
        );
    }
}
