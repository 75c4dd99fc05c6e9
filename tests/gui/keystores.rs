//! A Java keystore opened in the window: the unlock card asks for the store password and, apart,
//! the key password; with both, the identity loads.

use certlens_test_support::Pki;
use certlens_test_support::keytool::{self, keytool_available};

use super::*;

#[test]
fn a_jks_keystore_with_its_own_key_password_opens_from_the_card() {
    if !keytool_available() {
        return;
    }
    let pki = Pki::new();
    let d = pki.path();
    pki.export_p12("id.p12", &["-name", "client"], "p12pass");
    keytool::import(
        d,
        "id.p12",
        "p12pass",
        "client",
        "id.jks",
        "JKS",
        "store-pass-1",
        "key-pass-22",
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
