//! The window, driven headless with egui_kittest (AccessKit queries, no display, no GPU):
//! the unlock card, a field value, the profile switch, a live test against the built-in echo
//! server, a failed load that keeps what was loaded, slow and over-the-limit files, and no
//! secret in anything the window saves or copies.

mod rendering;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use certlens::echo_server::{EchoServer, EchoSettings};
use certlens::fields::Profile;
use certlens::gui::{CertlensApp, Startup};
use certlens::probe::HttpVersion;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

pub(crate) fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples")
}

pub(crate) fn harness(startup: Startup) -> Harness<'static, CertlensApp> {
    Harness::builder()
        .with_size([1300.0, 900.0])
        .build_ui_state(
            |ui, app: &mut CertlensApp| app.frame(ui),
            CertlensApp::new(startup),
        )
}

/// Picks `target` in the edge-profile menu, which shows `current`.
fn choose_profile(harness: &mut Harness<'static, CertlensApp>, current: &str, target: &str) {
    harness
        .get_all_by_role(egui::accesskit::Role::ComboBox)
        .find(|menu| menu.value().as_deref() == Some(current))
        .unwrap_or_else(|| panic!("no menu shows {current}"))
        .click();
    harness.run_steps(2);
    harness.get_all_by_label(target).last().unwrap().click();
    harness.run_steps(2);
}

/// Steps the window until `label` is on screen (background work lands between frames).
pub(crate) fn wait_for(harness: &mut Harness<'static, CertlensApp>, label: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        harness.step();
        if harness.query_all_by_label_contains(label).next().is_some() {
            return;
        }
        assert!(Instant::now() < deadline, "'{label}' never appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
}

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
fn switching_the_profile_changes_the_legacy_dn() {
    let dir = tempfile::tempdir().unwrap();
    // A '/' inside a value: BoringSSL prints it raw in the legacy DN, OpenSSL 3 escapes it.
    self_signed(dir.path(), "k.pem", "c.pem", "/O=R&D\\/Lab/CN=slash", &[]);
    let mut harness = harness(Startup {
        file: Some(dir.path().join("c.pem")),
        ..Startup::default()
    });
    wait_for(&mut harness, "/O=R&D/Lab/CN=slash");
    choose_profile(&mut harness, "Cloudflare", "nginx");
    wait_for(&mut harness, "/O=R&D\\/Lab/CN=slash");
    assert_eq!(harness.state().settings_profile(), Profile::Nginx);
}

/// The echo server trusting the sample CA and offering `protocols`, with its own CA written
/// to `server-ca.pem` in the folder returned.
fn echo_server(protocols: HttpVersion) -> (EchoServer, tempfile::TempDir) {
    let cas = certlens::identity::load_file(&samples().join("sample-ca.pem"), None)
        .unwrap()
        .certificates;
    let server = EchoServer::start(EchoSettings {
        listen: "127.0.0.1:0".parse().unwrap(),
        client_cas: cas,
        server_identity: None,
        profile: Profile::Cloudflare,
        protocols,
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("server-ca.pem"),
        server.server_ca_pem().unwrap(),
    )
    .unwrap();
    (server, dir)
}

#[test]
fn test_against_the_echo_server_shows_match_rows() {
    let ca = samples().join("sample-ca.pem");
    let (server, dir) = echo_server(HttpVersion::Auto);
    let mut harness = harness(Startup {
        file: Some(samples().join("alice.pem")),
        cas: vec![ca],
        url: Some(server.url()),
        server_ca: Some(dir.path().join("server-ca.pem")),
        settings_path: None,
        proxy: Some("direct".into()),
        profile: None,
    });
    wait_for(&mut harness, "alice.pem");
    // alice.pem holds only the certificate: the test says so instead of sending anything.
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Test against hostname")
        .click();
    wait_for(&mut harness, "no private key");

    let key_and_cert = dir.path().join("alice-identity.p12");
    std::fs::copy(samples().join("alice.p12"), &key_and_cert).unwrap();
    harness.state_mut().open(key_and_cert);
    wait_for(&mut harness, "is protected by a password");
    harness.get_by_label("Password").click();
    harness.get_by_label("Password").type_text("certlens");
    harness.key_press(egui::Key::Enter);
    wait_for(&mut harness, "matches the leaf");
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Test against hostname")
        .click();
    wait_for(
        &mut harness,
        "9 match · 0 mismatch · 0 missing · 0 unexpected",
    );
    assert!(harness.query_all_by_label("match").count() >= 9);
}

/// The network settings of the form: an address for the hostname (`--resolve`), of which the
/// first refuses, and h2 only. The test reaches the server over h2 at the second address, and
/// Copy as curl carries the same settings.
#[test]
fn the_network_settings_reach_the_server_and_copy_as_curl_repeats_them() {
    let ca = samples().join("sample-ca.pem");
    let (server, dir) = echo_server(HttpVersion::Http2);
    let port = server.addr().port();
    let mut harness = harness(Startup {
        file: Some(samples().join("alice.p12")),
        cas: vec![ca],
        url: Some(format!("https://localhost:{port}/")),
        server_ca: Some(dir.path().join("server-ca.pem")),
        settings_path: None,
        proxy: Some("direct".into()),
        profile: None,
    });
    wait_for(&mut harness, "is protected by a password");
    harness.get_by_label("Password").type_text("certlens");
    harness.key_press(egui::Key::Enter);
    wait_for(&mut harness, "matches the leaf");
    let resolve = format!("localhost:{port}:127.0.0.2,127.0.0.1");
    let addresses = || harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "Addresses");
    addresses().click();
    addresses().type_text(&resolve);
    harness.get_by_label("h2 only").click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Test against hostname")
        .click();
    wait_for(&mut harness, "9 match · 0 mismatch");
    assert!(
        harness
            .query_all_by_label_contains(&format!("connected to 127.0.0.1:{port}"))
            .next()
            .is_some()
    );
    assert!(harness.query_all_by_label_contains(", h2").next().is_some());

    harness.get_by_label("Copy as curl").click();
    harness.step();
    let copied: Vec<String> = harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .collect();
    let command = copied.first().expect("copied");
    for expected in [
        format!("--resolve {resolve}"),
        "--http2".to_owned(),
        "--noproxy '*'".to_owned(),
        "--cert-type P12".to_owned(),
        "$CERTLENS_PASSWORD".to_owned(),
    ] {
        assert!(command.contains(&expected), "{expected} in {command}");
    }
    assert!(!command.contains("certlens\""), "{command}");
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
    openssl_in(
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
    openssl_in(
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
    let run = |args: &[&str]| openssl_in(dir.path(), args);
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

#[path = "../integration/common/secrets.rs"]
mod secrets;

/// Everything the window writes (settings, reports in every format after a live test) and
/// everything it puts on the clipboard (every Copy button on every tab) is free of the password
/// and of the key, in every form.
#[test]
fn the_window_never_writes_or_copies_the_password_or_the_key() {
    const PASSWORD: &str = "Window-Secret-Contraseña-2718";
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let client_ca = certlens::echo_server::LocalCa::generate("Window Secrets CA").unwrap();
    let client = client_ca.issue_client("window secrets client").unwrap();
    std::fs::write(d.join("client.pem"), &client.cert_pem).unwrap();
    std::fs::write(d.join("client.key"), &client.key_pem).unwrap();
    std::fs::write(d.join("client-ca.pem"), &client_ca.pair.cert_pem).unwrap();
    let pass_out = format!("pass:{PASSWORD}");
    openssl_in(
        d,
        &[
            "pkcs12",
            "-export",
            "-in",
            "client.pem",
            "-inkey",
            "client.key",
            "-out",
            "id.p12",
            "-passout",
            &pass_out,
        ],
    );
    let mut needles = secrets::Needles::default();
    needles.password("the password", PASSWORD);
    needles.private_key("the client key", d, "client.key");
    std::fs::remove_file(d.join("client.key")).unwrap();

    let server = EchoServer::start(EchoSettings {
        listen: "127.0.0.1:0".parse().unwrap(),
        client_cas: certlens::identity::load_file(&d.join("client-ca.pem"), None)
            .unwrap()
            .certificates,
        server_identity: None,
        profile: Profile::Cloudflare,
        protocols: certlens::probe::HttpVersion::Auto,
    })
    .unwrap();
    std::fs::write(d.join("server-ca.pem"), server.server_ca_pem().unwrap()).unwrap();
    let out = d.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let mut harness = harness(Startup {
        file: Some(d.join("id.p12")),
        cas: vec![d.join("client-ca.pem")],
        url: Some(server.url()),
        server_ca: Some(d.join("server-ca.pem")),
        settings_path: Some(out.join("settings.json")),
        proxy: Some("direct".into()),
        profile: None,
    });
    wait_for(&mut harness, "is protected by a password");
    harness.get_by_label("Password").click();
    harness.get_by_label("Password").type_text(PASSWORD);
    harness.key_press(egui::Key::Enter);
    wait_for(&mut harness, "matches the leaf");
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Test against hostname")
        .click();
    wait_for(&mut harness, "9 match · 0 mismatch");
    // Settings are saved when the profile changes.
    choose_profile(&mut harness, "Cloudflare", "nginx");
    choose_profile(&mut harness, "nginx", "Cloudflare");
    for extension in ["json", "md", "csv", "html"] {
        harness
            .state_mut()
            .export_report(out.join(format!("report.{extension}")));
        wait_for(&mut harness, &format!("report.{extension}"));
    }

    let mut copied: Vec<String> = Vec::new();
    let mut collect = |harness: &Harness<'static, CertlensApp>| {
        for command in &harness.output().platform_output.commands {
            if let egui::OutputCommand::CopyText(text) = command {
                copied.push(text.clone());
            }
        }
    };
    for tab in ["Fields", "Verify", "Live test", "Details"] {
        harness.get_by_label(tab).click();
        harness.run_steps(2);
        let buttons = harness.query_all_by_label("Copy").count();
        for i in 0..buttons {
            let clicked = harness
                .query_all_by_label("Copy")
                .nth(i)
                .map(|button| button.click())
                .is_some();
            if clicked {
                harness.step();
                collect(&harness);
            }
        }
        for label in ["Copy all as JSON", "Copy as curl"] {
            let clicked = harness
                .query_all_by_label(label)
                .next()
                .map(|button| button.click())
                .is_some();
            if clicked {
                harness.step();
                collect(&harness);
            }
        }
    }
    assert!(
        copied.iter().any(|c| c.starts_with("curl")),
        "the curl command was copied"
    );
    assert!(
        copied.len() >= 10,
        "the Copy buttons put text on the clipboard ({} copies)",
        copied.len()
    );
    assert!(out.join("settings.json").exists() && out.join("report.html").exists());

    eprintln!(
        "searched {} written files and {} clipboard copies",
        secrets::Needles::count_files(&out),
        copied.len()
    );
    let mut leaks = needles.leaks_under(&out);
    for text in &copied {
        for label in needles.found_in(text.as_bytes()) {
            leaks.push(format!("clipboard: {label}"));
        }
    }
    assert!(leaks.is_empty(), "secrets leaked:\n{}", leaks.join("\n"));
}

/// A file dropped on the window, as the platform hands it to egui.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_file(harness: &mut Harness<'static, CertlensApp>, path: PathBuf) {
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path)));
    harness.step();
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

/// CA files dropped on the Verify tab become trusted CAs (the verdict follows); Remove takes
/// one away again. Names read decoded where a person reads them.
#[test]
fn ca_files_dropped_on_the_verify_tab_become_trusted_and_can_be_removed() {
    let mut harness = harness(Startup {
        file: Some(samples().join("alice.pem")),
        ..Startup::default()
    });
    wait_for(&mut harness, "936EACBE07F201DF");
    // The leaf as a person reads it; the edge's escaped form stays in the Fields table.
    wait_for(
        &mut harness,
        "Leaf: alice@example.com · Müller & Söhne, GmbH · Zürich, DE",
    );
    assert!(
        harness
            .query_all_by_label_contains("O=M\\C3\\BCller")
            .next()
            .is_some()
    );
    harness.get_by_label("Verify").click();
    harness.run_steps(2);
    wait_for(&mut harness, "Choose the CA file(s)");
    drop_file(&mut harness, samples().join("sample-ca.pem"));
    wait_for(&mut harness, "sample-ca.pem (1 cert.)");
    wait_for(&mut harness, "SUCCESS");
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Remove")
        .click();
    wait_for(&mut harness, "Choose the CA file(s)");
    assert!(
        harness
            .query_all_by_label_contains("sample-ca.pem (1 cert.)")
            .next()
            .is_none()
    );
}

/// Start then Cancel: the test is abandoned at once and says so; the window stays usable.
#[test]
fn a_test_under_way_can_be_cancelled() {
    // A server that accepts and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://127.0.0.1:{}/", silent.local_addr().unwrap().port());
    let dir = tempfile::tempdir().unwrap();
    let identity = dir.path().join("alice-identity.p12");
    std::fs::copy(samples().join("alice.p12"), &identity).unwrap();
    let mut harness = harness(Startup {
        file: Some(identity),
        url: Some(url),
        proxy: Some("direct".into()),
        ..Startup::default()
    });
    wait_for(&mut harness, "is protected by a password");
    harness.get_by_label("Password").type_text("certlens");
    harness.key_press(egui::Key::Enter);
    wait_for(&mut harness, "matches the leaf");
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Test against hostname")
        .click();
    wait_for(&mut harness, "Sending the request");
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Cancel")
        .click();
    wait_for(&mut harness, "Cancelled.");
    drop(silent);
}

/// A file with two identities: the picker switches the one shown (and everything computed).
#[test]
fn the_identity_picker_switches_the_identity_shown() {
    let dir = tempfile::tempdir().unwrap();
    let ca = certlens::echo_server::LocalCa::generate("Picker CA").unwrap();
    let first = ca.issue_client("first identity").unwrap();
    let second = ca.issue_client("second identity").unwrap();
    let path = dir.path().join("two.pem");
    std::fs::write(
        &path,
        [
            first.cert_pem,
            first.key_pem,
            second.cert_pem,
            second.key_pem,
        ]
        .concat(),
    )
    .unwrap();
    let mut harness = harness(Startup {
        file: Some(path),
        ..Startup::default()
    });
    wait_for(&mut harness, "Leaf: first identity");
    harness.get_by_label("Identity").click();
    harness.run_steps(2);
    harness.get_by_label_contains("#2 second identity").click();
    wait_for(&mut harness, "Leaf: second identity");
}

/// Every edge profile is in the menu by its edge's name; choosing one shows what that edge
/// sends, with what confirms each value; the "Every edge" tab lays all of them side by side.
#[test]
fn every_edge_is_one_click_away() {
    let mut harness = harness(Startup {
        file: Some(samples().join("alice.pem")),
        ..Startup::default()
    });
    wait_for(&mut harness, "alice.pem");
    choose_profile(&mut harness, "Cloudflare", "Envoy (XFCC)");
    wait_for(&mut harness, "What Envoy (XFCC) sends");
    wait_for(&mut harness, "x-forwarded-client-cert Hash");
    assert_eq!(harness.state().settings_profile(), Profile::Envoy);
    choose_profile(&mut harness, "Envoy (XFCC)", "HAProxy");
    wait_for(&mut harness, "X-SSL-Client-Serial");
    harness.get_by_label("Every edge").click();
    wait_for(&mut harness, "serial number — 3 spellings");
    wait_for(
        &mut harness,
        "X-Forwarded-Tls-Client-Cert-Info SerialNumber",
    );
    assert!(
        harness
            .query_all_by_label("Google Cloud Load Balancing")
            .next()
            .is_some()
    );
}

/// Runs the openssl CLI in `dir`; panics when it fails.
fn openssl_in(dir: &Path, args: &[&str]) {
    let output = std::process::Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A self-signed P-256 certificate for `subject` made by openssl in `dir` as `cert`, its key in
/// `key`; `extra` goes on the command line (`-addext …`).
fn self_signed(dir: &Path, key: &str, cert: &str, subject: &str, extra: &[&str]) {
    let mut args = vec![
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "5",
        "-subj",
        subject,
    ];
    args.extend_from_slice(extra);
    openssl_in(dir, &args);
}

/// A self-signed P-256 CA named `subject`, as `name.pem` with its key in `name.key`.
fn make_ca(dir: &Path, name: &str, subject: &str) {
    let (key, cert) = (format!("{name}.key"), format!("{name}.pem"));
    self_signed(
        dir,
        &key,
        &cert,
        subject,
        &[
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign",
        ],
    );
}

/// A leaf sent alone to a CA that did not issue it: the Verify tab shows Cloudflare's
/// documented wording with the current BoringSSL's beside it; a leaf for servers only, with a
/// negative serial, is warned about on both tabs.
#[test]
fn the_verify_tab_shows_the_documented_wording_and_the_leafs_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    make_ca(d, "issuer", "/CN=Issuing CA");
    make_ca(d, "unrelated", "/CN=Unrelated CA");
    std::fs::write(
        d.join("server.ext"),
        "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl_in(
        d,
        &[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "leaf.key",
            "-out",
            "leaf.csr",
            "-subj",
            "/CN=server only",
        ],
    );
    openssl_in(
        d,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "issuer.pem",
            "-CAkey",
            "issuer.key",
            "-set_serial",
            "-5",
            "-days",
            "30",
            "-extfile",
            "server.ext",
            "-out",
            "leaf.pem",
        ],
    );
    let mut harness = harness(Startup {
        file: Some(d.join("leaf.pem")),
        ..Startup::default()
    });
    wait_for(&mut harness, "does not include clientAuth");
    wait_for(&mut harness, "serial number is negative");
    harness.get_by_label("Verify").click();
    harness.run_steps(2);
    wait_for(&mut harness, "Choose the CA file(s)");
    drop_file(&mut harness, d.join("unrelated.pem"));
    // The older BoringSSL's last word for a leaf alone; the current one ends on the purpose.
    wait_for(
        &mut harness,
        "FAILED:unable to verify the first certificate",
    );
    wait_for(
        &mut harness,
        "FAILED:unsupported certificate purpose is what BoringSSL from API version 44",
    );
    wait_for(&mut harness, "does not include clientAuth");
}
