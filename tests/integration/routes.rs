//! The live test on real networks: through real proxies from Debian (tinyproxy for HTTP
//! CONNECT, with and without credentials; microsocks for SOCKS5; mitmproxy, which inspects TLS),
//! to nginx speaking HTTP/2 and an edge that offers only h2, at addresses given with
//! `--resolve`, and as a curl command that a real curl runs.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use certlens::echo_server::{EchoServer, EchoSettings};
use certlens::fields::Profile;
use certlens::identity::load_file;
use certlens::probe::HttpVersion;
use serde_json::Value;
use zeroize::Zeroizing;

use crate::common::nginx::{start_edge, start_edge_listening};
use crate::common::proxies::{daemon, free_port, tinyproxy};
use crate::common::{Pki, oracle_missing};
use crate::live::echo_for;

/// Runs certlens with `env` set (and every proxy variable of the test's own environment
/// removed, so that only the test decides).
fn certlens_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_certlens"));
    for name in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        command.env_remove(name);
    }
    command
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run certlens")
}

/// The URL and the test PKI's identity, CA and a server CA, then `extra`.
fn args_for<'a>(url: &'a str, server_ca: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        url,
        "--identity",
        "identity.pem",
        "--ca",
        "root.pem",
        "--server-ca",
        server_ca,
    ];
    args.extend_from_slice(extra);
    args
}

/// `certlens test … --format json` with `env`: the exit code and the JSON.
fn test_json_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, Value) {
    let mut all = vec!["test"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let output = certlens_with(dir, &all, env);
    let json = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{all:?}: {}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code(), json)
}

fn port_of(address: &Value) -> u16 {
    address
        .as_str()
        .and_then(|a| a.rsplit(':').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("not an address: {address}"))
}

#[test]
fn through_a_forward_proxy_every_field_matches_and_the_proxy_is_named() {
    let pki = Pki::new();
    let Some(nginx) = start_edge(&pki) else {
        return;
    };
    let Some(proxy) = tinyproxy(pki.path(), None) else {
        return;
    };
    let edge_port = nginx.port_of("optional");
    let url = format!("https://127.0.0.1:{edge_port}/");
    let proxy_url = format!("http://127.0.0.1:{}", proxy.port);
    let args = args_for(&url, "edge-ca.pem", &["--profile", "nginx"]);

    // From the environment.
    let (code, json) = test_json_with(pki.path(), &args, &[("HTTPS_PROXY", &proxy_url)]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["summary"]["match"], 9, "{json:#}");
    assert_eq!(json["route"]["proxy"], proxy_url.as_str(), "{json:#}");
    assert_eq!(json["route"]["proxySource"], "HTTPS_PROXY");
    assert_eq!(port_of(&json["route"]["address"]), proxy.port);
    assert_eq!(json["tls"]["clientCertificateSent"], true);
    let log = std::fs::read_to_string(pki.file("tinyproxy.log")).unwrap();
    assert!(
        log.contains(&format!("CONNECT 127.0.0.1:{edge_port}")),
        "tinyproxy did not carry it:\n{log}"
    );

    // The text names it too.
    let mut text_args = vec!["test"];
    text_args.extend_from_slice(&args);
    let output = certlens_with(pki.path(), &text_args, &[("ALL_PROXY", &proxy_url)]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains(&format!("the proxy {proxy_url} (ALL_PROXY)")),
        "{text}"
    );

    // NO_PROXY and --no-proxy bypass it; --proxy chooses it whatever the environment says.
    for (extra, env) in [
        (
            None,
            vec![
                ("HTTPS_PROXY", proxy_url.as_str()),
                ("NO_PROXY", "127.0.0.1"),
            ],
        ),
        (
            Some("--no-proxy"),
            vec![("HTTPS_PROXY", proxy_url.as_str())],
        ),
    ] {
        let mut all = args.to_vec();
        all.extend(extra);
        let (code, json) = test_json_with(pki.path(), &all, &env);
        assert_eq!(code, Some(0), "{json:#}");
        assert_eq!(json["route"]["proxy"], Value::Null, "{extra:?} {env:?}");
        assert_eq!(port_of(&json["route"]["address"]), edge_port);
    }
    let mut all = args.to_vec();
    all.extend(["--proxy", proxy_url.as_str()]);
    let (code, json) = test_json_with(pki.path(), &all, &[("NO_PROXY", "*")]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["route"]["proxySource"], "given");
}

#[test]
fn a_proxy_that_demands_credentials_gets_them_from_the_url_and_they_are_never_shown() {
    let pki = Pki::new();
    let Some(proxy) = tinyproxy(pki.path(), Some(("alice", "pr0xy-s3cret"))) else {
        return;
    };
    let server = echo_for(&pki);
    let url = server.url();
    let base = args_for(&url, "server-ca.pem", &[]);
    let bare = format!("http://127.0.0.1:{}", proxy.port);
    let mut args = vec!["test"];
    args.extend_from_slice(&base);
    args.extend(["--proxy", bare.as_str()]);
    let output = certlens_with(pki.path(), &args, &[]);
    let error = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{error}");
    assert!(
        error.contains(&format!("the proxy {bare} did not carry the request"))
            && error.contains("407"),
        "{error}"
    );

    let with_credentials = format!("http://alice:pr0xy-s3cret@127.0.0.1:{}", proxy.port);
    let mut all = base.to_vec();
    all.extend(["--proxy", with_credentials.as_str()]);
    let (code, json) = test_json_with(pki.path(), &all, &[]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["summary"]["match"], 9);
    assert_eq!(json["route"]["proxy"], bare.as_str());
    assert!(!json.to_string().contains("pr0xy-s3cret"));
}

#[test]
fn a_socks5_proxy_carries_the_test() {
    let pki = Pki::new();
    let server = echo_for(&pki);
    let port = free_port();
    let Some(_socks) = daemon(
        pki.path(),
        "microsocks",
        &["-i", "127.0.0.1", "-p", &port.to_string()],
        port,
    ) else {
        return;
    };
    let proxy = format!("socks5://127.0.0.1:{port}");
    let url = server.url();
    let (code, json) = test_json_with(
        pki.path(),
        &args_for(&url, "server-ca.pem", &["--proxy", &proxy]),
        &[],
    );
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["summary"]["match"], 9);
    assert_eq!(json["route"]["proxy"], proxy.as_str());
    assert_eq!(port_of(&json["route"]["address"]), port);
}

#[test]
fn nginx_speaking_http2_matches_every_field_over_h2_and_http1_can_be_forced() {
    let pki = Pki::new();
    let Some(nginx) = start_edge_listening(&pki, "http2") else {
        return;
    };
    let url = format!("https://127.0.0.1:{}/", nginx.port_of("optional"));
    let args = args_for(&url, "edge-ca.pem", &["--profile", "nginx"]);
    let (code, json) = test_json_with(pki.path(), &args, &[]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["summary"]["match"], 9, "{json:#}");
    assert_eq!(json["tls"]["alpn"], "h2");
    let mut forced = args.to_vec();
    forced.push("--http1.1");
    let (code, json) = test_json_with(pki.path(), &forced, &[]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["tls"]["alpn"], "http/1.1");
    assert_eq!(json["summary"]["match"], 9);
}

/// The test PKI's echo server, offering only `protocols`, with a certificate for `names`.
fn echo_server(pki: &Pki, protocols: HttpVersion, names: &[&str]) -> EchoServer {
    let ca = certlens::echo_server::LocalCa::generate("Route Test Server CA").unwrap();
    let server = ca.issue_server_for(names).unwrap();
    std::fs::write(pki.file("route-ca.pem"), &ca.pair.cert_pem).unwrap();
    // Writes `identity.pem` (the server it starts is not needed).
    drop(echo_for(pki));
    EchoServer::start(EchoSettings {
        listen: "127.0.0.1:0".parse().unwrap(),
        client_cas: load_file(&pki.file("root.pem"), None).unwrap().certificates,
        server_identity: Some((server.cert_pem, Zeroizing::new(server.key_pem))),
        profile: Profile::Cloudflare,
        protocols,
    })
    .unwrap()
}

#[test]
fn an_edge_that_offers_only_h2_is_tested_over_h2_and_http1_is_refused_by_name() {
    let pki = Pki::new();
    let server = echo_server(&pki, HttpVersion::Http2, &["localhost", "127.0.0.1"]);
    let url = server.url();
    let args = args_for(&url, "route-ca.pem", &[]);
    let (code, json) = test_json_with(pki.path(), &args, &[]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["summary"]["match"], 9);
    assert_eq!(json["tls"]["alpn"], "h2");
    let mut forced = vec!["test"];
    forced.extend_from_slice(&args);
    forced.push("--http1.1");
    let output = certlens_with(pki.path(), &forced, &[]);
    let error = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{error}");
    assert!(error.contains("only h2"), "{error}");
}

#[test]
fn resolve_reaches_a_hostname_at_chosen_addresses_and_the_next_address_when_one_refuses() {
    let pki = Pki::new();
    let host = "edge.certlens.test";
    let server = echo_server(&pki, HttpVersion::Auto, &[host]);
    let port = server.addr().port();
    let url = format!("https://{host}:{port}/echo");
    // 127.0.0.2 is loopback too, but nothing listens there: it refuses, and 127.0.0.1 answers.
    let refusing_first = format!("{host}:{port}:127.0.0.2,127.0.0.1");
    let args = args_for(
        &url,
        "route-ca.pem",
        &["--resolve", refusing_first.as_str()],
    );
    let (code, json) = test_json_with(pki.path(), &args, &[]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["summary"]["match"], 9);
    assert_eq!(
        json["route"]["address"],
        format!("127.0.0.1:{port}").as_str()
    );
    assert_eq!(json["route"]["resolvedByOverride"], true);
    // The certificate was checked for the hostname (SNI), and Host named it.
    assert_eq!(
        json["echo"]["json"]["host"],
        format!("{host}:{port}").as_str(),
        "{json:#}"
    );

    // Two entries for one name add up, as in curl.
    let first = format!("{host}:{port}:127.0.0.3");
    let second = format!("{host}:{port}:127.0.0.1");
    let mut two = args[..7].to_vec();
    two.extend(["--resolve", first.as_str(), "--resolve", second.as_str()]);
    let (code, json) = test_json_with(pki.path(), &two, &[]);
    assert_eq!(code, Some(0), "{json:#}");

    // An entry for another port does not apply (curl's rule), so DNS is asked and fails.
    let other_port = format!("{host}:1:127.0.0.1");
    let mut other = vec!["test"];
    other.extend_from_slice(&args[..7]);
    other.extend(["--resolve", other_port.as_str(), "--timeout", "5"]);
    let output = certlens_with(pki.path(), &other, &[]);
    let error = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{error}");
    assert!(
        error.contains("cannot resolve edge.certlens.test"),
        "{error}"
    );
}

#[test]
fn a_tls_inspecting_proxy_is_recognised_and_explained() {
    let pki = Pki::new();
    let server = echo_for(&pki);
    let port = free_port();
    let conf = pki.file("mitmproxy");
    std::fs::create_dir_all(&conf).unwrap();
    let Some(_mitm) = daemon(
        pki.path(),
        "mitmdump",
        &[
            "--listen-host",
            "127.0.0.1",
            "--listen-port",
            &port.to_string(),
            "--set",
            &format!("confdir={}", conf.display()),
            "--ssl-insecure",
            "-q",
        ],
        port,
    ) else {
        return;
    };
    let proxy = format!("http://127.0.0.1:{port}");
    let url = server.url();
    let base = args_for(&url, "server-ca.pem", &["--proxy", proxy.as_str()]);
    let mut args = vec!["test"];
    args.extend_from_slice(&base);
    let output = certlens_with(pki.path(), &args, &[]);
    let error = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{error}");
    assert!(
        error.contains("TLS-inspecting proxy")
            && error.contains("mitmproxy")
            && error.contains("never sees the client certificate"),
        "{error}"
    );

    // Trusting the proxy's CA gets an answer, and the missing CertificateRequest is explained.
    let mut trusting = base.to_vec();
    let mitm_ca = conf.join("mitmproxy-ca-cert.pem");
    let mitm_ca = mitm_ca.to_str().unwrap();
    trusting.extend(["--server-ca", mitm_ca]);
    let (code, json) = test_json_with(pki.path(), &trusting, &[]);
    assert_eq!(code, Some(1), "{json:#}");
    assert_eq!(json["tls"]["clientCertificateRequested"], false);
    assert!(
        json["notes"].as_array().unwrap().iter().any(|n| n
            .as_str()
            .unwrap()
            .contains("edge never saw the client certificate")),
        "{json:#}"
    );
}

#[test]
fn the_printed_curl_command_reaches_the_same_echo_and_holds_no_password() {
    let pki = Pki::new();
    let password = "p12 s3cret: 'quoted'";
    pki.export_p12("id.p12", &[], password);
    let host = "edge.certlens.test";
    let server = echo_server(&pki, HttpVersion::Auto, &[host]);
    let port = server.addr().port();
    let url = format!("https://{host}:{port}/echo?case=curl");
    let resolve = format!("{host}:{port}:127.0.0.1");
    let args = [
        "test",
        url.as_str(),
        "--identity",
        "id.p12",
        "--ca",
        "root.pem",
        "--server-ca",
        "route-ca.pem",
        "--resolve",
        resolve.as_str(),
        "--http1.1",
        "--header",
        "X-Case: it's curl",
        "--data",
        "{\"hello\": 1}",
        "--password-env",
        "P12_PASSWORD",
    ];
    let mut printing = args.to_vec();
    printing.push("--print-curl");
    let output = certlens_with(pki.path(), &printing, &[]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let command = String::from_utf8(output.stdout).unwrap();
    assert!(!command.contains("s3cret"), "{command}");
    assert!(command.contains("$P12_PASSWORD"), "{command}");

    let curl = Command::new("sh")
        .args(["-c", &command])
        .env("P12_PASSWORD", password)
        .current_dir(pki.path())
        .output();
    let curl = match curl {
        Ok(output) if output.status.success() => output,
        Ok(output) => panic!(
            "curl failed: {}\n{command}",
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(error) => return oracle_missing("curl", &error.to_string()),
    };
    let by_curl: Value = serde_json::from_slice(&curl.stdout).unwrap();

    let mut sending = args.to_vec();
    sending.extend(["--format", "json"]);
    let output = certlens_with(pki.path(), &sending, &[("P12_PASSWORD", password)]);
    let ours: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&output.stderr)));
    assert_eq!(ours["summary"]["match"], 9, "{ours:#}");
    let ours = &ours["echo"]["json"];
    for key in [
        "X-CERT-SUBJECT-DN",
        "X-CERT-ISSUER-DN",
        "X-CERT-SERIAL",
        "X-CERT-FINGER",
        "X-CERT-VERIFY",
        "host",
        "x-case",
        "content-length",
    ] {
        assert_eq!(
            by_curl[key], ours[key],
            "{key}: curl {by_curl:#} vs {ours:#}"
        );
    }
    assert_eq!(by_curl["X-CERT-VERIFY"], "SUCCESS");
}

#[test]
fn redirects_are_reported_and_followed_only_when_asked_with_every_hop_shown() {
    let pki = Pki::new();
    let Some(nginx) = start_edge(&pki) else {
        return;
    };
    let port = nginx.port_of("optional");
    let url = format!("https://127.0.0.1:{port}/moved");
    let args = args_for(&url, "edge-ca.pem", &["--profile", "nginx"]);
    let (code, json) = test_json_with(pki.path(), &args, &[]);
    assert_eq!(code, Some(1), "{json:#}");
    assert_eq!(json["status"], 302);
    assert!(
        json["notes"].as_array().unwrap().iter().any(|n| n
            .as_str()
            .unwrap()
            .contains("not followed: following redirects is off")),
        "{json:#}"
    );

    let mut following = args.clone();
    following.push("--follow");
    let (code, json) = test_json_with(pki.path(), &following, &[]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["summary"]["match"], 9);
    assert_eq!(
        json["finalUrl"],
        format!("https://127.0.0.1:{port}/").as_str()
    );
    let hops = json["redirects"].as_array().unwrap();
    assert_eq!(hops.len(), 1, "{json:#}");
    assert_eq!(hops[0]["status"], 302);
    assert_eq!(hops[0]["from"], url.as_str());

    // A redirect to another host (localhost for 127.0.0.1) is not followed with the client
    // certificate unless that is asked for.
    let away = format!("https://127.0.0.1:{port}/elsewhere");
    let mut args = args_for(&away, "edge-ca.pem", &["--profile", "nginx"]);
    args.push("--follow");
    let mut command = vec!["test"];
    command.extend_from_slice(&args);
    let output = certlens_with(pki.path(), &command, &[]);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("another host (localhost)"), "{err}");
    args.push("--follow-any-host");
    let (code, json) = test_json_with(pki.path(), &args, &[]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(
        json["finalUrl"],
        format!("https://localhost:{port}/").as_str()
    );
}

/// A server that, over HTTP/2, refuses every request with `HTTP_1_1_REQUIRED` (as servers do
/// that ask for a client certificate only on some paths, after the handshake), and answers
/// over HTTP/1.1. Runs until the runtime is dropped.
fn http1_required_server(pki: &Pki) -> (String, tokio::runtime::Runtime) {
    let identity = crate::common::local_server(pki.path(), "Renegotiating CA", "reneg-ca.pem");
    let provider = certlens::probe::tls::provider();
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            certlens::probe::tls::certificate_ders(&[&identity.leaf]),
            certlens::probe::tls::private_key_der(identity.key.as_ref().unwrap()).clone_key(),
        )
        .unwrap();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("https://{}/", listener.local_addr().unwrap());
    runtime.spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(stream).await else {
                    return;
                };
                if tls.get_ref().1.alpn_protocol() == Some(b"h2") {
                    let Ok(mut connection) = h2::server::handshake(tls).await else {
                        return;
                    };
                    while let Some(Ok((_, mut respond))) = connection.accept().await {
                        respond.send_reset(h2::Reason::HTTP_1_1_REQUIRED);
                    }
                } else {
                    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
                    let mut tls = tls;
                    let mut buffer = [0u8; 4096];
                    let _ = tls.read(&mut buffer).await;
                    let _ = tls
                        .write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 2\r\nconnection: close\r\n\r\nno")
                        .await;
                    let _ = tls.shutdown().await;
                }
            });
        }
    });
    (url, runtime)
}

#[test]
fn http_1_1_required_over_h2_is_explained_and_http1_gets_through() {
    let pki = Pki::new();
    drop(echo_for(&pki));
    let (url, _runtime) = http1_required_server(&pki);
    let mut args = vec!["test"];
    args.extend(args_for(&url, "reneg-ca.pem", &[]));
    let output = certlens_with(pki.path(), &args, &[]);
    let error = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{error}");
    assert!(
        error.contains("HTTP_1_1_REQUIRED") && error.contains("--http1.1"),
        "{error}"
    );
    let (code, json) = test_json_with(
        pki.path(),
        &args_for(&url, "reneg-ca.pem", &["--http1.1"]),
        &[],
    );
    assert_eq!(code, Some(1), "{json:#}");
    assert_eq!(json["status"], 403);
    assert_eq!(json["tls"]["alpn"], "http/1.1");
}

#[test]
fn an_https_proxy_is_reached_over_tls_and_carries_the_test() {
    let pki = Pki::new();
    let server = echo_for(&pki);
    let Some(tinyproxy) = tinyproxy(pki.path(), None) else {
        return;
    };
    // stunnel puts TLS in front of tinyproxy: an https:// proxy.
    let proxy_ca = certlens::echo_server::LocalCa::generate("Proxy CA").unwrap();
    let proxy_cert = proxy_ca.issue_server().unwrap();
    std::fs::write(pki.file("proxy-ca.pem"), &proxy_ca.pair.cert_pem).unwrap();
    std::fs::write(pki.file("proxy.pem"), &proxy_cert.cert_pem).unwrap();
    std::fs::write(pki.file("proxy.key"), &proxy_cert.key_pem).unwrap();
    let port = free_port();
    let d = pki.path().display();
    std::fs::write(
        pki.file("stunnel.conf"),
        format!(
            "foreground = yes\npid =\n[proxy]\naccept = 127.0.0.1:{port}\nconnect = 127.0.0.1:{}\ncert = {d}/proxy.pem\nkey = {d}/proxy.key\n",
            tinyproxy.port
        ),
    )
    .unwrap();
    let conf = pki.file("stunnel.conf");
    let Some(_stunnel) = daemon(pki.path(), "stunnel4", &[conf.to_str().unwrap()], port) else {
        return;
    };
    let proxy = format!("https://localhost:{port}");
    let url = server.url();
    let (code, json) = test_json_with(
        pki.path(),
        &args_for(
            &url,
            "server-ca.pem",
            &["--server-ca", "proxy-ca.pem", "--proxy", &proxy],
        ),
        &[],
    );
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["summary"]["match"], 9);
    assert_eq!(json["route"]["proxy"], proxy.as_str());
    // The server's chain is the echo server's, not the proxy's.
    assert!(
        json["tls"]["serverChain"][0]["issuer"]
            .as_str()
            .unwrap()
            .contains("Echo Server CA"),
        "{json:#}"
    );
}
