//! The panes: the profile switch, CA files dropped on the Verify tab, the identity picker,
//! every edge one click away, the documented wording and the leaf's warnings.

use super::*;

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
    openssl(
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
    openssl(
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
