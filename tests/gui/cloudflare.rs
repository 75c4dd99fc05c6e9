//! The Cloudflare setup tab against a local stand-in of the API: the token field, each
//! finding with its code, a refused token said in place, and the token kept out of settings.

use certlens_test_support::cloudflare_api::{Account, CloudflareApi, rule, uploaded_ca};
use serde_json::json;

use super::*;

const TOKEN: &str = "cfut_WindowTestToken_9f8e7d";

#[test]
fn the_cloudflare_tab_shows_each_finding_and_keeps_the_token_out_of_settings() {
    let ca = std::fs::read_to_string(samples().join("sample-ca.pem")).unwrap();
    let mut account = Account::new(TOKEN);
    account.mtls_certificates = vec![uploaded_ca(
        "ca-1",
        "Sample CA",
        &ca,
        "2026-10-01T08:00:00Z",
    )];
    account.ca_hosts = vec![("ca-1".to_owned(), vec!["api.example.test".to_owned()])];
    account.access_settings = vec![
        json!({"hostname": "api.example.test", "china_network": false, "client_certificate_forwarding": false}),
    ];
    account.custom_rules = Some(vec![
        rule(
            "r-lower",
            "block",
            "lower(http.host) eq \"api.example.test\" and not cf.tls_client_auth.cert_verified",
            "lowercase",
        ),
        rule(
            "r-mtls",
            "block",
            "(http.host in {\"api.example.test\"} and not cf.tls_client_auth.cert_verified)",
            "mTLS",
        ),
    ]);
    let api = CloudflareApi::start(account);
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("settings.json");
    let mut harness = harness(Startup {
        file: Some(samples().join("alice.pem")),
        cas: Vec::new(),
        url: Some("https://api.example.test/orders".into()),
        server_ca: None,
        settings_path: Some(settings.clone()),
        proxy: Some("direct".into()),
        profile: None,
    });
    wait_for(&mut harness, "alice.pem");
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Cloudflare setup")
        .click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(egui::accesskit::Role::PasswordInput, "API token")
        .click();
    harness
        .get_by_role_and_label(egui::accesskit::Role::PasswordInput, "API token")
        .type_text(TOKEN);
    harness.run_steps(1);
    harness.get_by_label("Advanced").click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "API base")
        .click();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run_steps(1);
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "API base")
        .type_text(&api.base());
    harness.run_steps(1);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Check Cloudflare setup")
        .click();
    wait_for(&mut harness, "a problem was found");
    for code in [
        "zone-found",
        "mtls-enabled",
        "ca-associated",
        "forwarding-off",
        "rule-not-evaluated",
        "rule-passes",
    ] {
        assert!(
            harness.query_all_by_label(code).next().is_some(),
            "no {code} row"
        );
    }
    assert!(
        harness
            .query_all_by_label_contains("certVerified on api.example.test: SUCCESS")
            .next()
            .is_some()
    );
    assert!(
        harness
            .query_all_by_label_contains("lower()")
            .next()
            .is_some()
    );
    // The token field never shows the token.
    assert!(harness.query_all_by_label_contains(TOKEN).next().is_none());

    // A refused token is said in place, with what to do.
    harness
        .get_by_role_and_label(egui::accesskit::Role::PasswordInput, "API token")
        .click();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run_steps(1);
    harness
        .get_by_role_and_label(egui::accesskit::Role::PasswordInput, "API token")
        .type_text("cfut_wrong");
    harness.run_steps(1);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Check Cloudflare setup")
        .click();
    wait_for(&mut harness, "refused the token");
    assert!(
        harness
            .query_all_by_label_contains("Paste a valid read-only token")
            .next()
            .is_some()
    );

    // Settings were written (the URL is remembered) without the token.
    harness.run_steps(5);
    drop(harness);
    if let Ok(written) = std::fs::read_to_string(&settings) {
        assert!(
            !written.contains(TOKEN) && !written.contains("cfut_wrong"),
            "{written}"
        );
    }
}
