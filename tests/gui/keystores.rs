//! A Java keystore opened in the window: the unlock card asks for the store password and, apart,
//! the key password; with both, the identity loads.

use std::process::Command;

use certlens_test_support::Pki;

use super::*;

#[test]
fn a_jks_keystore_with_its_own_key_password_opens_from_the_card() {
    if Command::new("keytool").arg("-help").output().is_err() {
        certlens_test_support::oracle_missing("keytool", "a Java runtime is not installed");
        return;
    }
    let pki = Pki::new();
    let d = pki.path();
    pki.export_p12("id.p12", &["-name", "client"], "p12pass");
    let output = Command::new("keytool")
        .current_dir(d)
        .args([
            "-importkeystore",
            "-noprompt",
            "-srckeystore",
            "id.p12",
            "-srcstoretype",
            "PKCS12",
            "-srcstorepass",
            "p12pass",
            "-destkeystore",
            "id.jks",
            "-deststoretype",
            "JKS",
            "-deststorepass",
            "store-pass-1",
            "-destkeypass",
            "key-pass-22",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let mut harness = harness(Startup {
        file: Some(d.join("id.jks")),
        ..Startup::default()
    });
    wait_for(&mut harness, "id.jks is protected by a password");
    harness
        .get_by_label("Store password")
        .type_text("store-pass-1");
    harness.key_press(egui::Key::Enter);
    wait_for(&mut harness, "a key does not decrypt with this password");
    harness.get_by_label("Key password").click();
    harness
        .get_by_label("Key password")
        .type_text("key-pass-22");
    harness.key_press(egui::Key::Enter);
    wait_for(&mut harness, "private key, matches the leaf");
    assert!(
        harness
            .query_all_by_label_contains("jks · 3 certificate(s)")
            .next()
            .is_some()
    );
}
