//! `certlens test` end to end: against the built-in echo server, against servers that answer
//! badly (a fake edge that serves a chosen body), and against servers that refuse.

use std::net::TcpListener;

use certlens::echo_server::{EchoServer, EchoSettings};
use certlens::fields::Profile;
use certlens::identity::load_file;
use serde_json::Value;

use crate::common::{Pki, expect_input_error, fields_json, test_json};

pub(crate) fn rows_with<'a>(json: &'a Value, verdict: &str) -> Vec<&'a Value> {
    json["comparison"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["verdict"] == verdict)
        .collect()
}

/// The test PKI's leaf as a PEM identity, and the echo server trusting its root.
pub fn echo_for(pki: &Pki) -> EchoServer {
    pki.write_identity();
    let root = load_file(&pki.file("root.pem"), None).unwrap().certificates;
    let server = EchoServer::start(EchoSettings {
        listen: "127.0.0.1:0".parse().unwrap(),
        client_cas: root,
        server_identity: None,
        profile: Profile::Cloudflare,
        protocols: certlens::probe::HttpVersion::Auto,
    })
    .unwrap();
    std::fs::write(pki.file("server-ca.pem"), server.server_ca_pem().unwrap()).unwrap();
    server
}

#[test]
fn demo_check_matches_every_field() {
    // From a temporary folder whose path holds a space, as on many desktops.
    let spaced = crate::common::temp_dir();
    let tmp = spaced.path().join("my temp");
    std::fs::create_dir(&tmp).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_certlens"))
        .args(["demo", "--check"])
        .env("TMPDIR", &tmp)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("9 match · 0 mismatch · 0 missing · 0 unexpected"),
        "{stdout}"
    );
}

#[test]
fn a_p12_against_the_echo_server_matches_in_both_profiles() {
    let pki = Pki::new();
    let server = echo_for(&pki);
    pki.export_p12("id.p12", &["-legacy"], "pw");
    std::fs::write(pki.file("pw"), "pw").unwrap();
    let url = server.url();
    let (code, json) = test_json(
        pki.path(),
        &[
            &url,
            "--identity",
            "id.p12",
            "--password-file",
            "pw",
            "--ca",
            "root.pem",
            "--server-ca",
            "server-ca.pem",
        ],
    );
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["summary"]["match"], 9);
    assert_eq!(json["status"], 200);
    assert_eq!(json["tls"]["version"], "TLSv1.3");
    assert_eq!(json["tls"]["clientCertificateSent"], true);
    assert_eq!(
        json["tls"]["acceptableCas"][0],
        "CN=Certlens Test Root,O=Certlens Test\\, Inc.,C=US"
    );
    assert_eq!(
        json["tls"]["issuerAcceptable"], false,
        "the leaf's issuer is the intermediate, not the listed root"
    );
    assert_eq!(
        json["echo"]["json"]["user-agent"]
            .as_str()
            .unwrap()
            .split('/')
            .next(),
        Some("certlens")
    );

    // Without --ca, the verdict cannot be compared: it is "unexpected", not a failure.
    let (code, json) = test_json(
        pki.path(),
        &[
            &url,
            "--identity",
            "id.p12",
            "--password-file",
            "pw",
            "--server-ca",
            "server-ca.pem",
        ],
    );
    assert_eq!(code, Some(0));
    let unexpected = rows_with(&json, "unexpected");
    assert_eq!(unexpected.len(), 1);
    assert!(
        unexpected[0]["explanation"]
            .as_str()
            .unwrap()
            .contains("choose the CA the hostname trusts")
    );
}

#[test]
fn the_server_certificate_is_verified_unless_told_otherwise() {
    let pki = Pki::new();
    let server = echo_for(&pki);
    let url = server.url();
    let err = expect_input_error(pki.path(), &["test", &url, "--identity", "identity.pem"]);
    assert!(
        err.contains("server's own certificate is not trusted") && err.contains("--server-ca"),
        "{err}"
    );
    let (code, json) = test_json(
        pki.path(),
        &[
            &url,
            "--identity",
            "identity.pem",
            "--ca",
            "root.pem",
            "--insecure",
        ],
    );
    assert_eq!(code, Some(0));
    assert_eq!(json["tls"]["serverVerificationSkipped"], true);
    assert!(
        json["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("NOT verified"))
    );
}

#[test]
fn nothing_is_sent_before_the_identity_loads_cleanly() {
    let pki = Pki::new();
    // A listener that never answers: a request would hang until the timeout.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}/", silent.local_addr().unwrap());
    pki.export_p12("id.p12", &[], "right");
    std::fs::write(pki.file("wrong"), "wrong").unwrap();
    let started = std::time::Instant::now();
    let err = expect_input_error(
        pki.path(),
        &[
            "test",
            &url,
            "--identity",
            "id.p12",
            "--password-file",
            "wrong",
        ],
    );
    assert!(err.contains("wrong password"), "{err}");
    let err = expect_input_error(pki.path(), &["test", &url, "--identity", "leaf.pem"]);
    assert!(err.contains("no private key"), "{err}");
    assert!(started.elapsed().as_secs() < 5, "no request was attempted");
    let err = expect_input_error(
        pki.path(),
        &[
            "test",
            "http://127.0.0.1/",
            "--identity",
            "id.p12",
            "--password-file",
            "wrong",
        ],
    );
    assert!(err.contains("wrong password"), "{err}");
}

/// The Worker we ship, run by Node with a request whose `cf.tlsClientAuth` is what Certlens
/// computes: its answer must compare equal on all nine headers and all 21 properties.
#[test]
fn the_shipped_echo_worker_carries_every_field() {
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        crate::common::oracle_missing("node", "the echo Worker runs in Node");
        return;
    }
    let pki = Pki::new();
    let fields = fields_json(pki.path(), &["leaf.pem", "--ca", "chain.pem"]);
    let worker = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/echo-worker.js"
    ))
    .unwrap();
    std::fs::write(pki.file("worker.mjs"), worker).unwrap();
    let script = format!(
        "import worker from './worker.mjs';\nconst request = {{ cf: {{ tlsClientAuth: {} }}, headers: new Headers({{ 'User-Agent': 'certlens-test' }}) }};\nconst response = await worker.fetch(request);\nprocess.stdout.write(await response.text());\n",
        fields["tlsClientAuth"]
    );
    std::fs::write(pki.file("run.mjs"), script).unwrap();
    let output = std::process::Command::new("node")
        .arg("run.mjs")
        .current_dir(pki.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let identity = load_file(&pki.file("leaf.pem"), None)
        .unwrap()
        .identity()
        .unwrap();
    let chain = load_file(&pki.file("chain.pem"), None)
        .unwrap()
        .certificates;
    let verification = certlens::verify::verify(
        &identity.leaf,
        &[],
        &chain,
        Profile::Cloudflare.library(),
        &certlens::verify::Options::default(),
    );
    let view = |profile| {
        let context = certlens::fields::Context {
            issuer: verification.issuer(),
            verdict: Some(verification.verdict.clone()),
            ..Default::default()
        };
        certlens::fields::EdgeView::compute(&identity.leaf, &context, profile)
    };
    let echo = certlens::probe::Echo::parse(&output.stdout, false);
    let rows = certlens::probe::compare(&view(Profile::Cloudflare), &view(Profile::Nginx), &echo);
    let summary = certlens::probe::Summary::of(&rows);
    assert_eq!(
        (
            summary.matched,
            summary.mismatch,
            summary.missing,
            summary.unexpected
        ),
        (30, 0, 0, 0),
        "{rows:#?}"
    );
    assert_eq!(echo.get("user-agent"), Some("certlens-test"));
}

/// The echo server's generated CA goes into a private folder (0700, unpredictable name), not a
/// fixed path under /tmp that another user could prepare.
#[test]
fn the_echo_servers_ca_file_is_private() {
    use std::io::BufRead as _;
    use std::os::unix::fs::PermissionsExt as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_certlens"))
        .args(["echo-server", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let line = std::io::BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find(|line| line.contains("--server-ca"));
    let path = line
        .as_deref()
        .and_then(|l| l.split("--server-ca ").nth(1))
        .map(std::path::PathBuf::from);
    let folder_mode = path
        .as_ref()
        .and_then(|p| std::fs::metadata(p.parent()?).ok())
        .map(|m| m.permissions().mode() & 0o777);
    let readable = path
        .as_ref()
        .is_some_and(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("BEGIN CERTIFICATE")));
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(folder_mode, Some(0o700), "{line:?}");
    assert!(readable, "{line:?}");
    let name = path
        .unwrap()
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("certlens-echo-") && name.len() > "certlens-echo-".len() + 4,
        "{name}"
    );
}
