//! Every input form users have loads with no flag, picks the right leaf, and gives the fields
//! the openssl CLI (the same OpenSSL 3 nginx uses) computes for the same certificate.

use serde_json::Value;

use crate::common::{Pki, fields_json, openssl};

/// The nginx profile must print what OpenSSL prints for the leaf.
fn assert_matches_openssl(json: &Value, pki: &Pki, cert_pem: &str) {
    let want = pki.openssl_view(cert_pem);
    let auth = &json["tlsClientAuth"];
    assert_eq!(auth["certSubjectDN"], want.subject.as_str(), "subject");
    assert_eq!(auth["certIssuerDN"], want.issuer.as_str(), "issuer");
    assert_eq!(auth["certSerial"], want.serial.as_str(), "serial");
    assert_eq!(auth["certNotBefore"], want.not_before.as_str(), "notBefore");
    assert_eq!(auth["certNotAfter"], want.not_after.as_str(), "notAfter");
    assert_eq!(auth["certFingerprintSHA1"], want.sha1.as_str(), "sha1");
    assert_eq!(auth["certPresented"], "1");
    assert_eq!(json["headers"]["X-CERT-SERIAL"], want.serial.as_str());
}

fn write(pki: &Pki, name: &str, text: &str) {
    std::fs::write(pki.file(name), text).unwrap();
}

fn chain_subjects(json: &Value) -> Vec<String> {
    json["chain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["subject"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn p12_in_every_form_openssl_writes_loads_with_no_flag() {
    let pki = Pki::new();
    write(&pki, "pw", "s3cret\n");
    let forms: &[(&str, &[&str], &str)] = &[
        ("default.p12", &[], "s3cret"),
        ("legacy.p12", &["-legacy"], "s3cret"),
        (
            "3des.p12",
            &[
                "-keypbe",
                "PBE-SHA1-3DES",
                "-certpbe",
                "PBE-SHA1-3DES",
                "-macalg",
                "sha1",
            ],
            "s3cret",
        ),
        ("aes-sha1-mac.p12", &["-macalg", "sha1"], "s3cret"),
        (
            "nomac-plain.p12",
            &["-nomac", "-keypbe", "NONE", "-certpbe", "NONE"],
            "",
        ),
        ("nomac-encrypted.p12", &["-nomac"], "s3cret"),
        ("empty-password.p12", &[], ""),
    ];
    for (file, extra, password) in forms {
        pki.export_p12(file, extra, password);
        let json = fields_json(
            pki.path(),
            &[file, "--password-file", "pw", "--profile", "nginx"],
        );
        assert_matches_openssl(&json, &pki, "leaf.pem");
        assert_eq!(json["source"]["format"], "pkcs12", "{file}");
        assert_eq!(json["source"]["certificates"], 3, "{file}");
        assert_eq!(json["source"]["keyMatchesLeaf"], true, "{file}");
        let chain = chain_subjects(&json);
        assert!(
            chain[1].contains("Intermediate") && chain[2].contains("Root"),
            "{file}: {chain:?}"
        );
        // The issuer is in the file, so issuer-side fields are filled from it.
        assert_eq!(json["tlsClientAuth"]["certIssuerSerial"], "1000", "{file}");
    }
}

#[test]
fn non_ascii_password_is_encoded_as_rfc_7292_requires() {
    let pki = Pki::new();
    let password = "pässwörd €";
    pki.export_p12("utf8.p12", &[], password);
    pki.export_p12("utf8-legacy.p12", &["-legacy"], password);
    for file in ["utf8.p12", "utf8-legacy.p12"] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_certlens"))
            .args(["fields", file, "--password-env", "CERTLENS_TEST_PW"])
            .env("CERTLENS_TEST_PW", password)
            .current_dir(pki.path())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn friendly_names_and_certificate_only_p12() {
    let pki = Pki::new();
    write(&pki, "pw", "pw");
    pki.export_p12(
        "named.p12",
        &[
            "-name",
            "Alice's laptop",
            "-caname",
            "Issuing CA",
            "-caname",
            "Root CA",
        ],
        "pw",
    );
    let json = fields_json(pki.path(), &["named.p12", "--password-file", "pw"]);
    assert_eq!(json["chain"][0]["friendlyName"], "Alice's laptop");

    openssl(
        pki.path(),
        &[
            "pkcs12",
            "-export",
            "-nokeys",
            "-in",
            "chain.pem",
            "-passout",
            "pass:pw",
            "-out",
            "truststore.p12",
        ],
    );
    let json = fields_json(
        pki.path(),
        &[
            "truststore.p12",
            "--password-file",
            "pw",
            "--profile",
            "nginx",
        ],
    );
    assert_eq!(json["source"]["privateKey"], false);
    assert_eq!(json["source"]["keyMatchesLeaf"], Value::Null);
    assert_matches_openssl(&json, &pki, "int.pem");
}

#[test]
fn pem_leaf_is_chosen_by_its_key_whatever_the_order() {
    let pki = Pki::new();
    let read = |f: &str| std::fs::read_to_string(pki.file(f)).unwrap();
    write(
        &pki,
        "mixed.pem",
        &[
            read("root.pem"),
            read("leaf.key"),
            read("int.pem"),
            read("leaf.pem"),
        ]
        .concat(),
    );
    let json = fields_json(pki.path(), &["mixed.pem", "--profile", "nginx"]);
    assert_matches_openssl(&json, &pki, "leaf.pem");
    assert_eq!(json["source"]["format"], "pem");
    let chain = chain_subjects(&json);
    assert!(
        chain[1].contains("Intermediate") && chain[2].contains("Root"),
        "{chain:?}"
    );
    // The chain sent after the leaf, as RFC 9440 byte sequences.
    let chain_rfc9440 = json["tlsClientAuth"]["certChainRFC9440"].as_str().unwrap();
    assert_eq!(chain_rfc9440.matches(", ").count(), 1);

    // Without a key, the first certificate is the leaf.
    write(
        &pki,
        "certs-only.pem",
        &[read("int.pem"), read("leaf.pem")].concat(),
    );
    let json = fields_json(pki.path(), &["certs-only.pem", "--profile", "nginx"]);
    assert_matches_openssl(&json, &pki, "int.pem");
}

#[test]
fn every_key_encoding_and_algorithm_matches_its_certificate() {
    let pki = Pki::new();
    let d = pki.path();
    let keys: &[(&str, &[&str], &str)] = &[
        (
            "rsa-pkcs1.key",
            &["genrsa", "-traditional", "-out", "rsa-pkcs1.key", "2048"],
            "RSA 2048-bit",
        ),
        (
            "rsa-pkcs8.key",
            &[
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:3072",
                "-out",
                "rsa-pkcs8.key",
            ],
            "RSA 3072-bit",
        ),
        (
            "p256-sec1.key",
            &[
                "ecparam",
                "-name",
                "prime256v1",
                "-genkey",
                "-noout",
                "-out",
                "p256-sec1.key",
            ],
            "ECDSA P-256",
        ),
        (
            "p384-sec1.key",
            &[
                "ecparam",
                "-name",
                "secp384r1",
                "-genkey",
                "-noout",
                "-out",
                "p384-sec1.key",
            ],
            "ECDSA P-384",
        ),
        (
            "p521-pkcs8.key",
            &[
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-521",
                "-out",
                "p521-pkcs8.key",
            ],
            "ECDSA P-521",
        ),
        (
            "ed25519.key",
            &["genpkey", "-algorithm", "ed25519", "-out", "ed25519.key"],
            "Ed25519",
        ),
    ];
    for (key, generate, kind) in keys {
        openssl(d, generate);
        let cert = format!("{key}.crt");
        openssl(
            d,
            &[
                "req",
                "-x509",
                "-key",
                key,
                "-out",
                &cert,
                "-days",
                "30",
                "-subj",
                "/CN=key test",
                "-addext",
                "extendedKeyUsage=clientAuth",
            ],
        );
        let bundle = format!("{key}.pem");
        let text = [
            std::fs::read_to_string(d.join(&cert)).unwrap(),
            std::fs::read_to_string(d.join(key)).unwrap(),
        ]
        .concat();
        std::fs::write(d.join(&bundle), text).unwrap();
        let output = crate::common::certlens(d, &["fields", &bundle, "--format", "text"]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{key}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            stdout.contains(&format!("{kind} private key, matches the leaf")),
            "{key}: {stdout}"
        );
    }

    // Encrypted PKCS#8 needs the password; the wrong one is named as such.
    openssl(
        d,
        &[
            "pkcs8",
            "-topk8",
            "-v2",
            "aes-256-cbc",
            "-in",
            "leaf.key",
            "-passout",
            "pass:keypw",
            "-out",
            "leaf-enc.key",
        ],
    );
    let text = [
        std::fs::read_to_string(d.join("leaf.pem")).unwrap(),
        std::fs::read_to_string(d.join("leaf-enc.key")).unwrap(),
    ]
    .concat();
    std::fs::write(d.join("enc.pem"), text).unwrap();
    std::fs::write(d.join("keypw"), "keypw\n").unwrap();
    let json = fields_json(d, &["enc.pem", "--password-file", "keypw"]);
    assert_eq!(json["source"]["keyMatchesLeaf"], true);
}

#[test]
fn der_and_pkcs7_files_load() {
    let pki = Pki::new();
    let d = pki.path();
    openssl(
        d,
        &[
            "x509", "-in", "leaf.pem", "-outform", "DER", "-out", "leaf.der",
        ],
    );
    let json = fields_json(d, &["leaf.der", "--profile", "nginx"]);
    assert_eq!(json["source"]["format"], "der");
    assert_matches_openssl(&json, &pki, "leaf.pem");

    let bundle = [
        std::fs::read_to_string(d.join("leaf.pem")).unwrap(),
        std::fs::read_to_string(d.join("chain.pem")).unwrap(),
    ]
    .concat();
    std::fs::write(d.join("all.pem"), bundle).unwrap();
    openssl(
        d,
        &[
            "crl2pkcs7",
            "-nocrl",
            "-certfile",
            "all.pem",
            "-outform",
            "DER",
            "-out",
            "bundle.p7b",
        ],
    );
    openssl(
        d,
        &[
            "crl2pkcs7",
            "-nocrl",
            "-certfile",
            "all.pem",
            "-out",
            "bundle-pem.p7b",
        ],
    );
    for file in ["bundle.p7b", "bundle-pem.p7b"] {
        let json = fields_json(d, &[file, "--profile", "nginx"]);
        assert_eq!(json["source"]["certificates"], 3, "{file}");
        assert_matches_openssl(&json, &pki, "leaf.pem");
    }
}

#[test]
fn all_prints_one_object_per_certificate_with_issuers_from_the_bundle() {
    let pki = Pki::new();
    let d = pki.path();
    let bundle = [
        std::fs::read_to_string(d.join("leaf.pem")).unwrap(),
        std::fs::read_to_string(d.join("chain.pem")).unwrap(),
    ]
    .concat();
    std::fs::write(d.join("all.pem"), bundle).unwrap();
    let output = crate::common::certlens(d, &["fields", "all.pem", "--all", "--profile", "nginx"]);
    assert!(output.status.success());
    let lines: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    for (line, pem) in lines.iter().zip(["leaf.pem", "int.pem", "root.pem"]) {
        assert_matches_openssl(line, &pki, pem);
    }
    // The root issued itself; the intermediate's issuer serial is the root's.
    let root_serial = &lines[2]["tlsClientAuth"]["certSerial"];
    assert_eq!(&lines[1]["tlsClientAuth"]["certIssuerSerial"], root_serial);
    assert_eq!(&lines[2]["tlsClientAuth"]["certIssuerSerial"], root_serial);
}

#[test]
fn headers_format_prints_the_echo_workers_lines_and_ca_fills_issuer_fields() {
    let pki = Pki::new();
    let output =
        crate::common::certlens(pki.path(), &["fields", "leaf.pem", "--format", "headers"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let names: Vec<&str> = text
        .lines()
        .map(|l| l.split(": ").next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "X-CERT-ISSUER-DN",
            "X-CERT-SUBJECT-DN",
            "X-CERT-ISSUER-DN-L",
            "X-CERT-SUBJECT-DN-L",
            "X-CERT-SERIAL",
            "X-CERT-FINGER",
            "X-CERT-NOTBE",
            "X-CERT-NOTAF"
        ]
    );
    let json = fields_json(pki.path(), &["leaf.pem", "--ca", "int.pem"]);
    assert_eq!(json["tlsClientAuth"]["certIssuerSerial"], "1000");
    let ski = crate::common::openssl_out(
        pki.path(),
        &[
            "x509",
            "-in",
            "int.pem",
            "-noout",
            "-ext",
            "subjectKeyIdentifier",
        ],
    );
    let ski = ski.lines().nth(1).unwrap().trim().replace(':', "");
    assert_eq!(json["tlsClientAuth"]["certIssuerSKI"], ski.as_str());
    // The CA is an intermediate; without its root the edge cannot anchor the chain.
    assert_eq!(
        json["tlsClientAuth"]["certVerified"],
        "FAILED:unable to get issuer certificate"
    );
    let json = fields_json(pki.path(), &["leaf.pem"]);
    assert_eq!(json["tlsClientAuth"]["certVerified"], Value::Null);
    assert!(json["notes"][0].as_str().unwrap().contains("certVerified"));
}

#[test]
fn a_file_with_two_identities_offers_both_and_uses_the_first() {
    let pki = Pki::new();
    let d = pki.path();
    openssl(
        d,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "bob.key",
            "-out",
            "bob.pem",
            "-days",
            "30",
            "-subj",
            "/CN=bob",
        ],
    );
    let read = |f: &str| std::fs::read_to_string(d.join(f)).unwrap();
    std::fs::write(
        d.join("two.pem"),
        [
            read("bob.pem"),
            read("leaf.pem"),
            read("leaf.key"),
            read("bob.key"),
        ]
        .concat(),
    )
    .unwrap();
    let file = certlens::identity::load_file(&d.join("two.pem"), None).unwrap();
    let identities = file.identities();
    assert_eq!(identities.len(), 2);
    assert_eq!(
        file.identity().unwrap().leaf.der(),
        file.certificates[1].der(),
        "the first key's certificate"
    );
    assert!(
        identities[1]
            .leaf
            .subject_der()
            .windows(3)
            .any(|w| w == b"bob")
    );
    assert!(file.skipped.is_empty(), "{:?}", file.skipped);
}
