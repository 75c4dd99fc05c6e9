//! Java keystores made at test time by `keytool` (JKS, JCEKS and PKCS12-type), with a store
//! password and a different key password: the same identity as PEM gives identical fields,
//! each private-key entry is an identity, and each wrong password is named.

use std::path::Path;
use std::process::Command;

use crate::common::Pki;
use crate::common::keytool::{self, keytool_available};

const STORE: &str = "store-pass-1";
const KEY: &str = "key-pass-22";

/// `keytool -importkeystore` of `alias` from `p12` into `out` of `kind`, with this file's store
/// password and `key_pass`.
fn import(dir: &Path, p12: &str, pass: &str, out: &str, kind: &str, alias: &str, key_pass: &str) {
    keytool::import(dir, p12, pass, alias, out, kind, STORE, key_pass);
}

fn fields(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> (Option<i32>, serde_json::Value, String) {
    let output = Command::new(crate::common::binary())
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        output.status.code(),
        serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn jks_jceks_and_pkcs12_keystores_give_the_pem_identity_fields() {
    if !keytool_available() {
        return;
    }
    let pki = Pki::new();
    pki.write_identity();
    let d = pki.path();
    pki.export_p12("id.p12", &["-name", "client"], "p12pass");
    import(d, "id.p12", "p12pass", "id.jks", "JKS", "client", KEY);
    import(d, "id.p12", "p12pass", "id.jceks", "JCEKS", "client", KEY);
    // keytool's PKCS12 keeps one password for the store and its keys.
    import(
        d,
        "id.p12",
        "p12pass",
        "id.ks.p12",
        "PKCS12",
        "client",
        STORE,
    );
    let env = [("STORE", STORE), ("KEY", KEY)];
    // The keystores hold the whole chain the PKCS#12 file had: leaf, intermediate, root.
    let full: Vec<u8> = ["leaf.pem", "chain.pem", "leaf.key"]
        .iter()
        .flat_map(|f| std::fs::read(d.join(f)).unwrap())
        .collect();
    std::fs::write(d.join("full.pem"), full).unwrap();
    let (_, from_pem, stderr) = fields(
        d,
        &["fields", "full.pem", "--ca", "root.pem", "--format", "json"],
        &[],
    );
    assert!(from_pem.is_object(), "{stderr}");
    for (file, format) in [
        ("id.jks", "jks"),
        ("id.jceks", "jceks"),
        ("id.ks.p12", "pkcs12"),
    ] {
        let (code, json, stderr) = fields(
            d,
            &[
                "fields",
                file,
                "--ca",
                "root.pem",
                "--password-env",
                "STORE",
                "--key-password-env",
                "KEY",
                "--format",
                "json",
            ],
            &env,
        );
        assert_eq!(code, Some(0), "{file}: {stderr}");
        assert_eq!(json["source"]["format"], format, "{file}");
        assert_eq!(json["source"]["privateKey"], true, "{file}");
        assert_eq!(json["source"]["keyMatchesLeaf"], true, "{file}");
        for key in ["tlsClientAuth", "headers"] {
            assert_eq!(json[key], from_pem[key], "{file}: {key}");
        }
        // keytool's PKCS#12 names every certificate (friendlyName); the certificates are the same.
        let mut chain = json["chain"].clone();
        for entry in chain.as_array_mut().unwrap() {
            entry.as_object_mut().unwrap().remove("friendlyName");
        }
        assert_eq!(chain, from_pem["chain"], "{file}: chain");
    }
}

#[test]
fn each_wrong_or_missing_keystore_password_is_named() {
    if !keytool_available() {
        return;
    }
    let pki = Pki::new();
    let d = pki.path();
    pki.export_p12("id.p12", &["-name", "client"], "p12pass");
    for (out, kind) in [("id.jks", "JKS"), ("id.jceks", "JCEKS")] {
        import(d, "id.p12", "p12pass", out, kind, "client", KEY);
        let (code, _, stderr) = fields(d, &["fields", out], &[]);
        assert_eq!(code, Some(2));
        assert!(
            stderr.contains("the keystore is protected by a password"),
            "{kind}: {stderr}"
        );
        let (code, _, stderr) = fields(
            d,
            &["fields", out, "--password-env", "P"],
            &[("P", "wrong-store")],
        );
        assert_eq!(code, Some(2));
        assert!(
            stderr.contains("integrity check fails with this store password"),
            "{kind}: {stderr}"
        );
        // The store password alone does not open a key with its own password.
        let (code, _, stderr) = fields(d, &["fields", out, "--password-env", "P"], &[("P", STORE)]);
        assert_eq!(code, Some(2));
        assert!(
            stderr.contains("--key-password-file or --key-password-env"),
            "{kind}: {stderr}"
        );
        assert!(!stderr.contains(STORE) && !stderr.contains(KEY));
    }
}

#[test]
fn every_private_key_entry_is_an_identity_and_trusted_certificates_come_along() {
    if !keytool_available() {
        return;
    }
    let pki = Pki::new();
    let d = pki.path();
    pki.export_p12("one.p12", &["-name", "first"], "p12pass");
    let other = certlens::echo_server::LocalCa::generate("Second CA")
        .unwrap()
        .issue_client("second")
        .unwrap();
    std::fs::write(
        d.join("second.pem"),
        format!("{}{}", other.cert_pem, other.key_pem),
    )
    .unwrap();
    crate::common::openssl(
        d,
        &[
            "pkcs12",
            "-export",
            "-in",
            "second.pem",
            "-name",
            "second",
            "-out",
            "two.p12",
            "-passout",
            "pass:p12pass",
        ],
    );
    import(d, "one.p12", "p12pass", "both.jks", "JKS", "first", STORE);
    import(d, "two.p12", "p12pass", "both.jks", "JKS", "second", STORE);
    let output = Command::new("keytool")
        .current_dir(d)
        .args([
            "-importcert",
            "-noprompt",
            "-alias",
            "root",
            "-file",
            "root.pem",
            "-keystore",
            "both.jks",
            "-storepass",
            STORE,
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let file = certlens::identity::load_file(
        &d.join("both.jks"),
        Some(&certlens::identity::Password::new(STORE)),
    )
    .unwrap();
    let identities = file.identities();
    assert_eq!(identities.len(), 2, "one identity per private-key entry");
    // keytool writes entries in its table's order, not the order they were added.
    let mut names: Vec<Option<&str>> = file.keys.iter().map(|k| k.friendly_name()).collect();
    names.sort();
    assert_eq!(names, vec![Some("first"), Some("second")]);
    // The trusted root is among the certificates, and completes the PKI identity's chain.
    let root = std::fs::read_to_string(d.join("root.pem")).unwrap();
    assert!(
        file.certificates
            .iter()
            .any(|c| root.contains(&c.to_pem()[28..90]))
    );
    assert!(
        identities
            .iter()
            .any(|identity| identity.chain.len() >= 2 && identity.chain[1].is_self_issued())
    );
}
