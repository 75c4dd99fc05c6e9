//! `certlens test` end to end: against the built-in echo server, against servers that answer
//! badly (a fake edge that serves a chosen body), and against servers that refuse.

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use certlens::echo_server::LocalCa;
use certlens::echo_server::{EchoServer, EchoSettings};
use certlens::fields::Profile;
use certlens::identity::load_file;
use serde_json::Value;

use crate::common::{
    Pki, certlens, expect_input_error, fields_json, local_server, temp_dir, test_json,
};

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
    let read = |f: &str| std::fs::read_to_string(pki.file(f)).unwrap();
    std::fs::write(
        pki.file("identity.pem"),
        [read("leaf.pem"), read("int.pem"), read("leaf.key")].concat(),
    )
    .unwrap();
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

#[test]
fn network_failures_are_named() {
    let pki = Pki::new();
    pki.export_p12("id.p12", &[], "");
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let err = expect_input_error(
        pki.path(),
        &[
            "test",
            &format!("https://{closed}/"),
            "--identity",
            "id.p12",
        ],
    );
    assert!(err.contains("cannot connect"), "{err}");
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}/", silent.local_addr().unwrap());
    let err = expect_input_error(
        pki.path(),
        &["test", &url, "--identity", "id.p12", "--timeout", "1"],
    );
    assert!(err.contains("no answer within 1 s"), "{err}");
    let err = expect_input_error(
        pki.path(),
        &["test", "http://example.invalid/", "--identity", "id.p12"],
    );
    assert!(err.contains("https://"), "{err}");
    let err = expect_input_error(
        pki.path(),
        &[
            "test",
            "https://no-such-host.invalid/",
            "--identity",
            "id.p12",
        ],
    );
    assert!(err.contains("cannot resolve"), "{err}");
}

/// A TLS server on loopback that asks for a client certificate (mandatory or not) and answers
/// every request with a fixed body.
pub(crate) struct FakeEdge {
    pub(crate) url: String,
    _runtime: tokio::runtime::Runtime,
}

impl FakeEdge {
    pub(crate) fn start(
        dir: &Path,
        body: Vec<u8>,
        content_type: &'static str,
        trusted_client_ca: &Path,
        mandatory: bool,
    ) -> Self {
        use rustls::server::WebPkiClientVerifier;
        let provider = certlens::probe::tls::provider();
        let identity = local_server(dir, "Fake Edge CA", "fake-edge-ca.pem");
        let mut roots = rustls::RootCertStore::empty();
        for cert in load_file(trusted_client_ca, None).unwrap().certificates {
            roots
                .add(rustls_pki_types::CertificateDer::from(cert.der().to_vec()))
                .unwrap();
        }
        let builder =
            WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone());
        let verifier = if mandatory {
            builder.build()
        } else {
            builder.allow_unauthenticated().build()
        }
        .unwrap();
        let chain = certlens::probe::tls::certificate_ders(&[&identity.leaf]);
        let key = certlens::probe::tls::private_key_der(identity.key.as_ref().unwrap()).clone_key();
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_client_cert_verifier(verifier)
            .with_single_cert(chain, key)
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("https://{}/", listener.local_addr().unwrap());
        let body = hyper::body::Bytes::from(body);
        runtime.spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                let body = body.clone();
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let service = hyper::service::service_fn(move |_request| {
                        let mut response =
                            hyper::Response::new(http_body_util::Full::new(body.clone()));
                        response.headers_mut().insert(
                            hyper::header::CONTENT_TYPE,
                            hyper::header::HeaderValue::from_static(content_type),
                        );
                        async move { Ok::<_, std::convert::Infallible>(response) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                        .await;
                });
            }
        });
        Self {
            url,
            _runtime: runtime,
        }
    }
}

/// The echo Cloudflare's sample Worker would give for `identity.pem` (as computed by `fields`).
fn honest_echo(pki: &Pki) -> serde_json::Map<String, Value> {
    let fields = fields_json(pki.path(), &["identity.pem", "--ca", "root.pem"]);
    fields["headers"].as_object().unwrap().clone()
}

fn with(
    mut echo: serde_json::Map<String, Value>,
    edit: impl FnOnce(&mut serde_json::Map<String, Value>),
) -> Vec<u8> {
    edit(&mut echo);
    serde_json::to_vec_pretty(&Value::Object(echo)).unwrap()
}

#[test]
fn faulty_echoes_get_their_verdicts_and_explanations() {
    let pki = Pki::new();
    let _server = echo_for(&pki);
    let echo = honest_echo(&pki);
    let run = |body: Vec<u8>, content_type: &'static str, extra: &[&str]| {
        let edge = FakeEdge::start(pki.path(), body, content_type, &pki.file("root.pem"), false);
        let mut args = vec![
            edge.url.as_str(),
            "--identity",
            "identity.pem",
            "--ca",
            "root.pem",
            "--server-ca",
            "fake-edge-ca.pem",
        ];
        args.extend_from_slice(extra);
        test_json(pki.path(), &args)
    };

    let (code, json) = run(with(echo.clone(), |_| {}), "application/json", &[]);
    assert_eq!(
        (code, json["summary"]["match"].as_u64()),
        (Some(0), Some(9)),
        "the honest echo matches: {json:#}"
    );

    // A tampered DN: mismatch, explained.
    let (code, json) = run(
        with(echo.clone(), |e| {
            let dn = e["X-CERT-SUBJECT-DN"].as_str().unwrap().replace(',', ", ");
            e.insert("X-CERT-SUBJECT-DN".into(), dn.into());
            e.insert(
                "X-CERT-FINGER".into(),
                e["X-CERT-FINGER"].as_str().unwrap().to_uppercase().into(),
            );
        }),
        "application/json",
        &[],
    );
    assert_eq!(code, Some(1));
    let mismatches = rows_with(&json, "mismatch");
    assert_eq!(mismatches.len(), 2, "{json:#}");
    assert!(
        mismatches[0]["explanation"]
            .as_str()
            .unwrap()
            .contains("space after the comma")
    );
    assert!(
        mismatches[1]["explanation"]
            .as_str()
            .unwrap()
            .contains("another case")
    );

    // Keys with characters past ASCII where a prefix ends (the `echo` fuzz target's crash): an
    // unexpected row, not a crash.
    let (code, json) = run(
        with(echo.clone(), |e| {
            e.insert("X-CERT-ѩ".into(), "1".into());
            e.insert("x-certѩ".into(), "2".into());
        }),
        "application/json",
        &[],
    );
    assert_eq!(
        code,
        Some(0),
        "an extra key is reported, not failed: {json:#}"
    );
    assert_eq!(json["summary"]["match"].as_u64(), Some(9));
    let unexpected = rows_with(&json, "unexpected");
    assert_eq!(unexpected.len(), 1, "{json:#}");
    assert_eq!(unexpected[0]["header"], "X-CERT-ѩ");

    // The sample Worker's certVerify typo: X-CERT-VERIFY is missing.
    let (code, json) = run(
        with(echo.clone(), |e| {
            e.remove("X-CERT-VERIFY");
        }),
        "application/json",
        &[],
    );
    assert_eq!(code, Some(1));
    let missing = rows_with(&json, "missing");
    assert_eq!(missing.len(), 1);
    assert!(
        missing[0]["explanation"]
            .as_str()
            .unwrap()
            .contains("certVerify, which does not exist")
    );

    // Another certificate reached the edge.
    let (_, json) = run(
        with(echo.clone(), |e| {
            e.insert("X-CERT-SERIAL".into(), "0123".into());
            e.insert("X-CERT-FINGER".into(), "00".repeat(20).into());
        }),
        "application/json",
        &[],
    );
    assert!(rows_with(&json, "mismatch").iter().all(|r| {
        r["explanation"]
            .as_str()
            .unwrap()
            .contains("different certificate")
    }));

    // The edge did not see a certificate (mTLS off): placeholder values.
    let (_, json) = run(
        with(echo.clone(), |e| {
            for (_, v) in e.iter_mut() {
                *v = "".into();
            }
            e.insert("X-CERT-VERIFY".into(), "NONE".into());
        }),
        "application/json",
        &[],
    );
    assert_eq!(rows_with(&json, "mismatch").len(), 9);
    assert!(
        json["comparison"][0]["explanation"]
            .as_str()
            .unwrap()
            .contains("saw no client certificate")
    );

    // An HTML error page, an empty body, a body over the cap.
    let (code, json) = run(
        b"<html><body>Access denied</body></html>".to_vec(),
        "text/html",
        &[],
    );
    assert_eq!(code, Some(1));
    assert!(
        json["echo"]["problem"]
            .as_str()
            .unwrap()
            .contains("HTML page")
    );
    assert_eq!(
        json["echo"]["raw"],
        "<html><body>Access denied</body></html>"
    );
    let (code, json) = run(Vec::new(), "application/json", &[]);
    assert_eq!(code, Some(1));
    assert!(json["echo"]["problem"].as_str().unwrap().contains("empty"));
    let (code, json) = run(
        vec![b'x'; 3 * 1024 * 1024],
        "application/json",
        &["--max-body", "65536"],
    );
    assert_eq!(code, Some(1));
    assert_eq!(json["echo"]["truncated"], true);
    assert!(
        json["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("cut at 65536 bytes"))
    );
}

#[test]
fn a_server_that_requires_another_ca_rejects_the_certificate() {
    let pki = Pki::new();
    let _server = echo_for(&pki);
    let dir = temp_dir();
    let other_ca = LocalCa::generate("Some Other CA").unwrap();
    std::fs::write(dir.path().join("other-ca.pem"), &other_ca.pair.cert_pem).unwrap();
    let edge = FakeEdge::start(
        pki.path(),
        b"{}".to_vec(),
        "application/json",
        &dir.path().join("other-ca.pem"),
        true,
    );
    let err = expect_input_error(
        pki.path(),
        &[
            "test",
            &edge.url,
            "--identity",
            "identity.pem",
            "--server-ca",
            "fake-edge-ca.pem",
        ],
    );
    assert!(
        err.contains("rejected") || err.contains("closed the connection"),
        "{err}"
    );
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

/// A hostile echo puts terminal escape sequences in its values and its raw body: ANSI colour
/// and cursor codes, OSC 52 (writes the clipboard), a bare carriage return, C1 CSI. The text
/// output spells every one out; the JSON output keeps the values exact.
#[test]
fn a_hostile_echo_cannot_drive_the_terminal() {
    let pki = Pki::new();
    let _server = echo_for(&pki);
    let hostile = "\u{1b}[2J\u{1b}]52;c;aGFja2Vk\u{7}\r\u{9b}31m\u{1b}]8;;https://evil\u{1b}\\";
    let body = with(honest_echo(&pki), |e| {
        e.insert("X-CERT-SERIAL".into(), hostile.into());
        e.insert("X-CERT-SUBJECT-DN".into(), format!("CN=x{hostile}").into());
    });
    let run = |body: Vec<u8>, format: &str| {
        let edge = FakeEdge::start(
            pki.path(),
            body,
            "application/json",
            &pki.file("root.pem"),
            false,
        );
        let output = certlens(
            pki.path(),
            &[
                "test",
                &edge.url,
                "--identity",
                "identity.pem",
                "--ca",
                "root.pem",
                "--server-ca",
                "fake-edge-ca.pem",
                "--format",
                format,
            ],
        );
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        output.stdout
    };
    let text = String::from_utf8(run(body.clone(), "text")).unwrap();
    let controls: Vec<char> = text
        .chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect();
    assert!(controls.is_empty(), "{controls:?} in\n{text}");
    assert!(text.contains("\\x1b]52;c;aGFja2Vk\\x07"), "{text}");

    // JSON keeps the value exactly (its encoder escapes it).
    let json: Value = serde_json::from_slice(&run(body, "json")).unwrap();
    let serial = json["comparison"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["header"] == "X-CERT-SERIAL")
        .unwrap();
    assert_eq!(serial["echoed"], hostile);

    // A raw body that is not JSON is shown with its escapes spelled out too.
    let raw = format!("<html>{hostile}</html>").into_bytes();
    let text = String::from_utf8(run(raw, "text")).unwrap();
    assert!(text.contains("Raw body"), "{text}");
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text}");
}
