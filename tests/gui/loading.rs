//! Opening files in the window: the unlock card and its focus, a wrong password then the right
//! one, a failed load that keeps what was loaded, iteration and scrypt bombs refused by name, a
//! slow file that never freezes the window, a dropped file.

use super::*;

/// The card is ready to type into, as gcr-viewer's is: no click on the field first.
#[test]
fn the_password_field_takes_the_focus_when_the_card_appears() {
    let mut harness = harness(Startup {
        file: Some(samples().join("alice-legacy.p12")),
        ..Startup::default()
    });
    wait_for(&mut harness, "is protected by a password");
    harness.step();
    assert!(harness.get_by_label("Password").is_focused());
    harness.get_by_label("Password").type_text("certlens");
    harness.key_press(egui::Key::Enter);
    wait_for(&mut harness, "936EACBE07F201DF");
}

#[test]
fn unlock_card_wrong_password_then_right_password_shows_the_serial() {
    let mut harness = harness(Startup {
        file: Some(samples().join("alice-legacy.p12")),
        ..Startup::default()
    });
    wait_for(&mut harness, "is protected by a password");
    harness.get_by_label("Password").click();
    harness.get_by_label("Password").type_text("not it");
    harness.key_press(egui::Key::Enter);
    wait_for(&mut harness, "wrong password");
    // The card stays, with the field, so the user can try again.
    harness.get_by_label("Password").click();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Password").type_text("certlens");
    harness.get_by_label("Unlock").click();
    wait_for(&mut harness, "936EACBE07F201DF");
    assert!(
        harness
            .query_all_by_label_contains("is protected by a password")
            .next()
            .is_none()
    );
    assert!(
        harness
            .query_all_by_label_contains("matches the leaf")
            .next()
            .is_some()
    );
}

#[test]
fn a_failed_load_keeps_the_identity_already_loaded() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a certificate").unwrap();
    refused_while_the_loaded_identity_stays(&dir.path().join("notes.txt"), "looks like plain text");
}

/// Loads the sample certificate, then `file`: `message` appears and the sample stays shown.
fn refused_while_the_loaded_identity_stays(file: &Path, message: &str) {
    let mut harness = harness(Startup {
        file: Some(samples().join("alice.pem")),
        ..Startup::default()
    });
    wait_for(&mut harness, "936EACBE07F201DF");
    harness.state_mut().open(file.to_owned());
    wait_for(&mut harness, message);
    assert!(
        harness
            .query_all_by_label_contains("936EACBE07F201DF")
            .next()
            .is_some(),
        "the previous identity is still shown"
    );
}

/// A PKCS#12 over the iteration limit is refused before any key derivation runs: the window
/// names the count at once and keeps the identity already loaded.
#[test]
fn an_iteration_bomb_is_refused_naming_its_count() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("bomb.p12");
    openssl(
        &samples(),
        &[
            "pkcs12",
            "-export",
            "-nokeys",
            "-in",
            "sample-ca.pem",
            "-iter",
            "1500000",
            "-passout",
            "pass:",
            "-out",
            bomb.to_str().unwrap(),
        ],
    );
    refused_while_the_loaded_identity_stays(
        &dir.path().join("bomb.p12"),
        "asks for 1,500,000 key-derivation iterations",
    );
}

/// A PEM file repeating an scrypt-protected key is refused before the first derivation, within
/// a second, naming the whole file's total; the identity already loaded stays.
#[test]
fn a_repeated_scrypt_key_is_refused_at_once_naming_the_total() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    self_signed(d, "k.pem", "c.pem", "/CN=scrypt", &[]);
    openssl(
        d,
        &[
            "pkcs8",
            "-topk8",
            "-in",
            "k.pem",
            "-out",
            "k.enc",
            "-passout",
            "pass:x",
            "-scrypt",
            "-scrypt_N",
            "16384",
            "-scrypt_r",
            "8",
            "-scrypt_p",
            "4",
        ],
    );
    let key = std::fs::read_to_string(d.join("k.enc")).unwrap();
    let cert = std::fs::read_to_string(d.join("c.pem")).unwrap();
    std::fs::write(d.join("bomb.pem"), cert + &key.repeat(100)).unwrap();
    let started = Instant::now();
    refused_while_the_loaded_identity_stays(&d.join("bomb.pem"), "asks for 52,428,800");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

/// A PKCS#12 with 800,000 key-derivation rounds takes a while to open; the window keeps
/// drawing (the spinner is on screen while the work runs), and the load can be cancelled.
#[test]
fn a_slow_p12_never_freezes_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| openssl(dir.path(), args);
    self_signed(dir.path(), "k.pem", "c.pem", "/CN=slow", &[]);
    run(&[
        "pkcs12", "-export", "-in", "c.pem", "-inkey", "k.pem", "-iter", "800000", "-passout",
        "pass:", "-out", "slow.p12",
    ]);
    let slow = dir.path().join("slow.p12");

    let mut harness = harness(Startup::default());
    harness.state_mut().open(slow.clone());
    harness.step();
    assert!(
        harness
            .query_all_by_label_contains("Opening slow.p12")
            .next()
            .is_some(),
        "a frame is drawn while the file loads"
    );
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    assert!(
        harness
            .query_all_by_label_contains("Opening slow.p12")
            .next()
            .is_none(),
        "cancelled"
    );

    harness.state_mut().open(slow);
    let mut frames_while_loading = 0;
    while harness.state().state().busy() {
        harness.step();
        frames_while_loading += 1;
        std::thread::sleep(Duration::from_millis(5));
        assert!(frames_while_loading < 100_000, "the load never finished");
    }
    assert!(
        frames_while_loading > 1,
        "frames kept coming while the key derivation ran"
    );
    wait_for(&mut harness, "CN=slow");
}

/// The product's first gesture: a `.p12` dropped on the window opens its unlock card, ready to
/// type into; Cancel closes it and nothing is loaded.
#[test]
fn a_p12_dropped_on_the_window_opens_its_unlock_card() {
    let mut harness = harness(Startup::default());
    harness.run_steps(2);
    drop_file(&mut harness, samples().join("alice.p12"));
    wait_for(&mut harness, "is protected by a password");
    harness.step();
    assert!(harness.get_by_label("Password").is_focused());
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Cancel")
        .click();
    harness.run_steps(2);
    assert!(
        harness
            .query_all_by_label_contains("is protected by a password")
            .next()
            .is_none()
    );
    assert!(harness.state().loaded_path().is_none());
}
