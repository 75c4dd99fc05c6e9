//! The Live test tab against the built-in echo server: match rows, the network settings
//! reaching the server and the curl command, cancelling a test under way; the Audit tab.

use super::*;

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

/// The Audit tab sends the probes to the Live test's URL and shows each row: against the echo
/// server, which answers everyone, the probes without a valid certificate get through.
#[test]
fn the_audit_tab_shows_what_reached_the_echo_server() {
    let (server, dir) = echo_server(HttpVersion::Auto);
    let identity = dir.path().join("alice-identity.p12");
    std::fs::copy(samples().join("alice.p12"), &identity).unwrap();
    let mut harness = harness(Startup {
        file: Some(identity),
        cas: vec![samples().join("sample-ca.pem")],
        url: Some(server.url()),
        server_ca: Some(dir.path().join("server-ca.pem")),
        settings_path: None,
        proxy: Some("direct".into()),
        profile: None,
    });
    wait_for(&mut harness, "is protected by a password");
    harness.get_by_label("Password").click();
    harness.get_by_label("Password").type_text("certlens");
    harness.key_press(egui::Key::Enter);
    wait_for(&mut harness, "matches the leaf");
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Audit")
        .click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Audit this hostname")
        .click();
    wait_for(&mut harness, "reached the application with a 2xx answer");
    for probe in [
        "baseline",
        "no-certificate",
        "unrelated-ca",
        "self-signed-twin",
        "forged-headers",
        "http3-no-certificate",
    ] {
        assert!(
            harness.query_all_by_label(probe).next().is_some(),
            "no {probe} row"
        );
    }
    assert!(
        harness
            .query_all_by_label_contains("the application saw NONE")
            .next()
            .is_some()
    );
    assert!(
        harness
            .query_all_by_label_contains("Not probed: resumption")
            .next()
            .is_some()
    );
}
