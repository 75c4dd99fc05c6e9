//! `certlens test` against servers that fail or answer badly: unreachable hosts, refusals in
//! the handshake, a fake edge serving a chosen body (every fault gets its verdict and its
//! explanation), and an echo that tries to drive the terminal.

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use certlens::echo_server::LocalCa;

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
use crate::live::echo_for;

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
