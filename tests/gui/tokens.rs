//! *Smart card or token…* against a real SoftHSM token: the token list with each certificate,
//! the PIN card, a wrong PIN shown with what the token reports, then the identity loaded with
//! its key on the token. (The token lives in SoftHSM's system folder, as the window's process
//! reads SoftHSM's default configuration; it is deleted afterwards.)

use certlens_test_support::Pki;
use certlens_test_support::softhsm::{PIN, SoftHsm, softhsm_available};

use super::*;

#[test]
fn the_token_list_the_pin_card_and_a_wrong_pin_with_the_tries_left() {
    if !softhsm_available() {
        return;
    }
    let label = format!("certlens-window-{}", std::process::id());
    let Some(hsm) = SoftHsm::system(&label) else {
        return;
    };
    let pki = Pki::new();
    let d = pki.path();
    pki.issue_leaf(
        "carol",
        "Window Test",
        &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
    );
    hsm.import(d, "carol.key", "carol.pem", "c1", "carol");
    hsm.import_certificate(d, "leaf.pem", "c2", "no-key");

    let mut harness = harness(Startup::default());
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Smart card or token…")
        .click();
    wait_for(&mut harness, &format!("“{label}”"));
    assert!(
        harness
            .query_all_by_label_contains("subject CN=carol,O=Window Test")
            .next()
            .is_some()
    );
    assert!(
        harness
            .query_all_by_label_contains("key: private keys show after login")
            .next()
            .is_some()
    );
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Open “carol”")
        .click();
    wait_for(&mut harness, "needs the token's PIN");

    // A wrong PIN: one try, and the card says what the token reports now.
    harness.get_by_label("PIN").type_text("0000");
    harness.key_press(egui::Key::Enter);
    wait_for(&mut harness, "wrong PIN for the token");
    assert!(
        harness
            .query_all_by_label_contains("few tries are left")
            .next()
            .is_some()
    );

    harness.get_by_label("PIN").click();
    harness.get_by_label("PIN").type_text(PIN);
    harness.key_press(egui::Key::Enter);
    wait_for(&mut harness, "ECDSA P-256 private key, matches the leaf");
    assert!(
        harness
            .query_all_by_label_contains("pkcs11 · 1 certificate(s)")
            .next()
            .is_some()
    );
    drop(hsm);
}
