//! No secret in anything the window saves or copies.

use certlens_test_support::secrets;

use super::*;

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
    openssl(
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
