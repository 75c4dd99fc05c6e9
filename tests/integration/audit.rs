//! `certlens audit` against real servers on loopback: the built-in echo server (which, like
//! the echo Worker, answers everyone), nginx requiring its CA (`ssl_verify_client on`), nginx
//! with `optional` in front of an echo that answers 200 to everyone, and `openssl s_server
//! -Verify` over TLS 1.2, which refuses in the handshake.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::nginx::{Nginx, nginx_available, start_edge};
use crate::common::proxies::free_port;
use crate::common::{Pki, certlens, oracle_missing};
use crate::live::echo_for;

/// `certlens audit URL … --format json`: the exit code and the document.
fn audit(dir: &Path, url: &str, server_ca: &str, profile: &str) -> (Option<i32>, Value) {
    let args = [
        "audit",
        url,
        "--identity",
        "identity.pem",
        "--ca",
        "root.pem",
        "--server-ca",
        server_ca,
        "--profile",
        profile,
        "--no-proxy",
        "--format",
        "json",
    ];
    let output = certlens(dir, &args);
    let json = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{args:?}: {}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code(), json)
}

/// The rows of one probe id.
fn rows<'a>(json: &'a Value, id: &str) -> Vec<&'a Value> {
    json["probes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["id"] == id)
        .collect()
}

/// Every probe after the baseline but the HTTP/3 one (these servers speak no HTTP/3, which
/// its row says).
fn tcp_probes(json: &Value) -> impl Iterator<Item = &Value> {
    let http3 = rows(json, "http3-no-certificate");
    assert_eq!(http3.len(), 1, "{json:#}");
    assert_eq!(kind(http3[0]), "not-made", "{json:#}");
    assert!(
        http3[0]["outcome"]["detail"]
            .as_str()
            .unwrap()
            .starts_with("no HTTP/3 here"),
        "{json:#}"
    );
    json["probes"]
        .as_array()
        .unwrap()
        .iter()
        .skip(1)
        .filter(|row| row["id"] != "http3-no-certificate")
}

fn kind(row: &Value) -> &str {
    row["outcome"]["kind"].as_str().unwrap()
}

#[test]
fn the_echo_server_answers_everyone_and_every_probe_says_what_reached_it() {
    let pki = Pki::new();
    let server = echo_for(&pki);
    let (code, json) = audit(pki.path(), &server.url(), "server-ca.pem", "cloudflare");
    assert_eq!(code, Some(1), "{json:#}");
    let baseline = rows(&json, "baseline");
    assert_eq!(kind(baseline[0]), "reached", "{json:#}");
    assert_eq!(baseline[0]["saw"], "SUCCESS");
    // No certificate, over each HTTP version the server offers: reached, and the application
    // was told NONE.
    let none = rows(&json, "no-certificate");
    assert_eq!(none.len(), 2, "{json:#}");
    for row in none {
        assert_eq!(kind(row), "reached");
        assert_eq!(row["saw"], "NONE");
    }
    for id in ["unrelated-ca", "self-signed-twin"] {
        let row = rows(&json, id)[0];
        assert_eq!(kind(row), "reached", "{id}");
        assert!(
            row["saw"].as_str().unwrap().starts_with("FAILED:"),
            "{row:#}"
        );
    }
    let forged = rows(&json, "forged-headers")[0];
    let reached: Vec<&str> = forged["forgedReached"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    for header in [
        "x-forwarded-client-cert",
        "Client-Cert",
        "X-SSL-Client-Verify",
    ] {
        assert!(reached.contains(&header), "{header} not in {reached:?}");
    }
    let open: Vec<&str> = json["reached"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap())
        .collect();
    assert_eq!(
        open,
        [
            "no-certificate",
            "no-certificate",
            "unrelated-ca",
            "self-signed-twin",
            "forged-headers"
        ]
    );
    // What was not probed is said, never passed over.
    let not_run: Vec<&str> = json["notRun"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        not_run,
        ["expired, not-yet-valid, server-auth-only", "resumption"]
    );
    // Cloudflare's design is explained where a probe got through.
    assert!(
        json["notes"][0]
            .as_str()
            .unwrap()
            .contains("WAF custom rule")
    );
}

#[test]
fn nginx_requiring_its_ca_refuses_every_probe_and_optional_lets_no_certificate_through() {
    let pki = Pki::new();
    let Some(nginx) = start_edge(&pki) else {
        return;
    };
    let d = pki.path();

    let url = format!("https://127.0.0.1:{}/", nginx.port_of("required"));
    let (code, json) = audit(d, &url, "edge-ca.pem", "nginx");
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(rows(&json, "baseline")[0]["saw"], "SUCCESS", "{json:#}");
    for row in tcp_probes(&json) {
        // nginx answers 400 itself ("No required SSL certificate was sent", "The SSL
        // certificate error"): refused by status, never by the application.
        assert_eq!(kind(row), "refused-by-status", "{row:#}");
        assert_eq!(row["outcome"]["status"], 400);
    }

    let url = format!("https://127.0.0.1:{}/", nginx.port_of("optional"));
    let (code, json) = audit(d, &url, "edge-ca.pem", "nginx");
    assert_eq!(code, Some(1), "{json:#}");
    for row in rows(&json, "no-certificate") {
        assert_eq!(kind(row), "reached", "{row:#}");
        assert_eq!(row["saw"], "NONE", "{row:#}");
    }
    for id in ["unrelated-ca", "self-signed-twin"] {
        let row = rows(&json, id)[0];
        assert_eq!(kind(row), "refused-by-status", "{row:#}");
        assert_eq!(row["outcome"]["status"], 400);
    }
}

/// `openssl s_server -Verify -verify_return_error` over TLS 1.2 fails the handshake itself; the
/// audit says so. (Without `-verify_return_error`, s_server logs a bad certificate and carries
/// on: the twins then reach it, as the audit shows.)
#[test]
fn a_server_that_refuses_in_the_handshake_is_reported_as_such() {
    let pki = Pki::new();
    let d = pki.path();
    let Some(server) = SServer::start(&pki) else {
        return;
    };
    let url = format!("https://127.0.0.1:{}/", server.port);
    let (code, json) = audit(d, &url, "root.pem", "nginx");
    assert_eq!(code, Some(0), "{json:#}");
    for id in [
        "no-certificate",
        "unrelated-ca",
        "self-signed-twin",
        "forged-headers",
    ] {
        for row in rows(&json, id) {
            assert_eq!(kind(row), "refused-in-handshake", "{row:#}");
        }
    }
}

/// `openssl s_server -Verify 3 -verify_return_error -tls1_2 -www` on loopback: a server certificate made for it,
/// the test PKI's root as the client CA. Both CAs go into `root.pem`, which the client trusts
/// for the server.
struct SServer {
    child: Child,
    port: u16,
}

impl SServer {
    fn start(pki: &Pki) -> Option<Self> {
        let dir = pki.path();
        if Command::new("openssl").arg("version").output().is_err() {
            oracle_missing("openssl", "the openssl command is not installed");
            return None;
        }
        pki.write_identity();
        let ca = certlens::echo_server::LocalCa::generate("s_server CA").unwrap();
        let server = ca.issue_server().unwrap();
        std::fs::write(dir.join("s-server.pem"), &server.cert_pem).unwrap();
        std::fs::write(dir.join("s-server.key"), &server.key_pem).unwrap();
        std::fs::write(dir.join("s-server-ca.pem"), &ca.pair.cert_pem).unwrap();
        // The server trusts root.pem for clients; the client trusts s-server-ca.pem.
        let mut all = std::fs::read_to_string(dir.join("root.pem")).unwrap();
        all.push_str(&ca.pair.cert_pem);
        std::fs::write(dir.join("root.pem"), all).unwrap();
        let port = free_port();
        let child = Command::new("openssl")
            .args(["s_server", "-accept", &port.to_string(), "-tls1_2", "-www"])
            .args([
                "-Verify",
                "3",
                "-verify_return_error",
                "-CAfile",
                "root.pem",
            ])
            .args(["-cert", "s-server.pem", "-key", "s-server.key"])
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "s_server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Self { child, port })
    }
}

impl Drop for SServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Nothing listening: the audit could not run, exit 2, and nothing is claimed about the edge.
#[test]
fn an_audit_that_cannot_reach_the_server_exits_2() {
    let pki = Pki::new();
    let d = pki.path();
    pki.write_identity();
    let port = free_port();
    let url = format!("https://127.0.0.1:{port}/");
    let output = certlens(
        d,
        &["audit", &url, "--identity", "identity.pem", "--no-proxy"],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("could not reach the server") && stderr.contains("cannot connect"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

/// `report --url … --audit`: every format carries the Audit section, parsed back by real
/// readers (JSON, CSV) or found in the document (Markdown, HTML).
#[test]
fn reports_carry_the_audit() {
    let pki = Pki::new();
    let server = echo_for(&pki);
    let d = pki.path();
    let url = server.url();
    let report = |format: &str| {
        let output = certlens(
            d,
            &[
                "report",
                "identity.pem",
                "--ca",
                "root.pem",
                "--url",
                &url,
                "--server-ca",
                "server-ca.pem",
                "--no-proxy",
                "--audit",
                "--format",
                format,
            ],
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let json: Value = serde_json::from_str(&report("json")).unwrap();
    assert_eq!(json["audit"]["reached"][0], "no-certificate", "{json:#}");
    assert_eq!(json["audit"]["probes"][0]["id"], "baseline");
    let markdown = report("md");
    assert!(markdown.contains("\n## Audit\n"), "{markdown}");
    assert!(
        markdown.contains("`self-signed-twin` **open**"),
        "{markdown}"
    );
    assert!(report("html").contains("data-section=\"audit\""));
    let csv = report("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let audit_rows: Vec<csv::StringRecord> = reader
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[0] == "audit")
        .collect();
    assert!(
        audit_rows
            .iter()
            .any(|r| r[1].starts_with("forged-headers") && &r[2] == "open"),
        "{csv}"
    );
    assert!(
        audit_rows
            .iter()
            .any(|r| &r[1] == "resumption" && &r[2] == "not probed")
    );
}

/// `--ca-key`: leaves from the user's own CA that are wrong on purpose. The echo server passes
/// them on with the verdict it computed; nginx requiring its CA answers 400 to each.
#[test]
fn a_test_ca_key_adds_expired_not_yet_valid_and_server_only_leaves() {
    let pki = Pki::new();
    let server = echo_for(&pki);
    let d = pki.path();
    let audit_with_key = |url: &str, server_ca: &str, profile: &str| {
        let args = [
            "audit",
            url,
            "--identity",
            "identity.pem",
            "--ca",
            "root.pem",
            "--ca-key",
            "root.key",
            "--server-ca",
            server_ca,
            "--profile",
            profile,
            "--no-proxy",
            "--format",
            "json",
        ];
        let output = certlens(d, &args);
        let json: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&output.stderr)));
        (output.status.code(), json)
    };
    let (code, json) = audit_with_key(&server.url(), "server-ca.pem", "cloudflare");
    assert_eq!(code, Some(1), "{json:#}");
    for (id, verdict) in [
        ("expired", "FAILED:certificate has expired"),
        ("not-yet-valid", "FAILED:certificate is not yet valid"),
        ("server-auth-only", "FAILED:unsupported certificate purpose"),
    ] {
        let row = rows(&json, id)[0];
        assert_eq!(kind(row), "reached", "{row:#}");
        assert_eq!(row["saw"], verdict, "{row:#}");
    }

    let Some(nginx) = start_edge(&pki) else {
        return;
    };
    let url = format!("https://127.0.0.1:{}/", nginx.port_of("required"));
    let (code, json) = audit_with_key(&url, "edge-ca.pem", "nginx");
    assert_eq!(code, Some(0), "{json:#}");
    for id in ["expired", "not-yet-valid", "server-auth-only"] {
        let row = rows(&json, id)[0];
        assert_eq!(kind(row), "refused-by-status", "{row:#}");
    }
}

/// `certlens audit … --format json` with any options: the exit code and the document.
fn audit_args(dir: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["audit"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--no-proxy", "--format", "json"]);
    let output = certlens(dir, &all);
    let json = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{all:?}: {}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code(), json)
}

/// nginx proxying to an echo: passing the client's headers through (nginx's default), the
/// forged certificate headers reach the application; with `proxy_pass_request_headers off`
/// none does.
#[test]
fn forged_headers_are_found_through_a_proxy_that_passes_them_and_not_through_one_that_clears_them()
{
    let pki = Pki::new();
    let echo = echo_for(&pki);
    if !nginx_available() {
        return;
    }
    let d = pki.path();
    let upstream = echo.url();
    let servers = [
        (
            "passthrough".to_owned(),
            format!("ssl_verify_client optional_no_ca; location / {{ proxy_pass {upstream}; }}"),
        ),
        (
            "cleared".to_owned(),
            format!(
                "ssl_verify_client optional_no_ca; location / {{ proxy_pass_request_headers off; proxy_pass {upstream}; }}"
            ),
        ),
    ];
    let nginx = Nginx::start_servers(d, "", "", &servers);
    let forged = |label: &str| {
        let url = format!("https://127.0.0.1:{}/", nginx.port_of(label));
        // nginx's own certificate here is a bare self-signed one: the server check is not
        // what this test is about.
        let (_, json) = audit_args(d, &[&url, "--identity", "identity.pem", "--insecure"]);
        rows(&json, "forged-headers")[0]["forgedReached"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let through = forged("passthrough");
    for header in [
        "x-forwarded-client-cert",
        "X-SSL-Client-Verify",
        "Client-Cert",
    ] {
        assert!(through.iter().any(|h| h == header), "{header}: {through:?}");
    }
    assert_eq!(forged("cleared"), Vec::<String>::new());
}

/// HAProxy 2.6 answering for itself (`http-request return` with its `ssl_c_*` fetches): with
/// `verify required` every probe is refused in the handshake; with `verify optional` a request
/// without a certificate gets through, and what the application is told then is
/// `ssl_c_verify` 0 — the same as for a good certificate (only `ssl_c_used` tells them apart),
/// while an untrusted certificate still fails the handshake.
#[test]
fn haproxy_required_refuses_every_probe_and_optional_tells_the_application_0_without_a_certificate()
{
    let program = "/usr/sbin/haproxy";
    if !Path::new(program).exists() {
        return oracle_missing("haproxy", &format!("{program} is not installed"));
    }
    let pki = Pki::new();
    let d = pki.path();
    pki.write_identity();
    let ca = certlens::echo_server::LocalCa::generate("HAProxy server CA").unwrap();
    let server = ca.issue_server().unwrap();
    std::fs::write(d.join("haproxy.pem"), server.cert_pem + &server.key_pem).unwrap();
    std::fs::write(d.join("haproxy-ca.pem"), &ca.pair.cert_pem).unwrap();
    let port = || free_port();
    let (required, optional) = (port(), port());
    let answer = "  http-request return status 200 content-type application/json lf-string '{\"X-SSL-Client-Verify\":\"%[ssl_c_verify]\",\"X-SSL-Client-Used\":\"%[ssl_c_used]\"}'\n";
    let frontend = |name: &str, port: u16, mode: &str| {
        format!(
            "frontend {name}\n  bind 127.0.0.1:{port} ssl crt {dir}/haproxy.pem verify {mode} ca-file {dir}/root.pem\n{answer}",
            dir = d.display()
        )
    };
    let config = format!(
        "defaults\n  mode http\n  timeout connect 5s\n  timeout client 10s\n  timeout server 10s\n{}{}",
        frontend("required", required, "required"),
        frontend("optional", optional, "optional")
    );
    std::fs::write(d.join("haproxy.cfg"), config).unwrap();
    let Some(_haproxy) =
        crate::common::proxies::daemon(d, program, &["-db", "-f", "haproxy.cfg"], required)
    else {
        return;
    };
    let audit_of = |port: u16| {
        let url = format!("https://127.0.0.1:{port}/");
        audit_args(
            d,
            &[
                &url,
                "--identity",
                "identity.pem",
                "--ca",
                "root.pem",
                "--server-ca",
                "haproxy-ca.pem",
                "--profile",
                "haproxy",
            ],
        )
    };

    let (code, json) = audit_of(required);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(rows(&json, "baseline")[0]["saw"], "0", "{json:#}");
    for row in tcp_probes(&json) {
        assert_eq!(kind(row), "refused-in-handshake", "{row:#}");
    }

    let (code, json) = audit_of(optional);
    assert_eq!(code, Some(1), "{json:#}");
    for row in rows(&json, "no-certificate") {
        assert_eq!(kind(row), "reached", "{row:#}");
        assert_eq!(row["saw"], "0", "{row:#}");
    }
    for id in ["unrelated-ca", "self-signed-twin"] {
        assert_eq!(kind(rows(&json, id)[0]), "refused-in-handshake", "{id}");
    }
}

/// Two listeners requiring different client CAs. Where they share a session-ticket key, a
/// session made with the identity on the listener that trusts it is resumed, with no
/// certificate, on the one that does not — and its application is told SUCCESS: the probe
/// finds the door. Where each has its own key, the session is not resumed.
#[test]
fn resumption_is_found_across_listeners_sharing_a_ticket_key_and_not_across_others() {
    let pki = Pki::new();
    pki.write_identity();
    let d = pki.path();
    let server_ca = certlens::echo_server::LocalCa::generate("Listener CA").unwrap();
    let server = server_ca.issue_server().unwrap();
    std::fs::write(d.join("listener.pem"), &server.cert_pem).unwrap();
    std::fs::write(d.join("listener.key"), &server.key_pem).unwrap();
    std::fs::write(d.join("listener-ca.pem"), &server_ca.pair.cert_pem).unwrap();
    let other_ca = certlens::echo_server::LocalCa::generate("Another client CA").unwrap();
    std::fs::write(d.join("other.pem"), &other_ca.pair.cert_pem).unwrap();
    for shared in [true, false] {
        let listeners =
            crate::common::resumption::TwoListeners::start(d, "root.pem", "other.pem", shared);
        let trusted = format!("https://127.0.0.1:{}/", listeners.trusted_port);
        let other = format!("https://127.0.0.1:{}/", listeners.other_port);
        let (code, json) = audit_args(
            d,
            &[
                &other,
                "--identity",
                "identity.pem",
                "--ca",
                "root.pem",
                "--server-ca",
                "listener-ca.pem",
                "--resume-from",
                &trusted,
            ],
        );
        // The identity is not from the audited listener's CA: refused in the handshake.
        assert_eq!(kind(rows(&json, "baseline")[0]), "refused-in-handshake");
        let resumption = rows(&json, "resumption");
        assert_eq!(resumption.len(), 2, "{json:#}");
        let into_other = resumption[0];
        assert!(
            into_other["sent"].as_str().unwrap().contains(&trusted),
            "{into_other:#}"
        );
        if shared {
            assert_eq!(kind(into_other), "reached", "{into_other:#}");
            assert_eq!(into_other["saw"], "SUCCESS", "{into_other:#}");
            assert_eq!(code, Some(1));
        } else {
            assert_eq!(kind(into_other), "not-resumed", "{into_other:#}");
            assert_eq!(code, Some(0), "{json:#}");
        }
    }
}

/// nginx (Debian's, which carries the CVE-2025-23419 fix) with two server blocks on one port
/// sharing a session-ticket key, each requiring its own client CA: the session made on the
/// block that trusts the identity is offered to the other with no certificate. Observed: nginx
/// resumes the TLS session, then answers 421 Misdirected Request — the fix holds, and the
/// other block's application is never reached.
#[test]
fn nginx_with_the_cve_2025_23419_fix_does_not_hand_a_session_to_another_server_block() {
    if !nginx_available() {
        return;
    }
    let pki = Pki::new();
    pki.write_identity();
    let d = pki.path();
    let other_ca = certlens::echo_server::LocalCa::generate("Another client CA").unwrap();
    std::fs::write(d.join("other.pem"), &other_ca.pair.cert_pem).unwrap();
    crate::common::self_signed(d, "blocks.key", "blocks.pem", "/CN=blocks.test", &[]);
    crate::common::openssl(d, &["rand", "-out", "ticket.key", "80"]);
    std::fs::create_dir_all(d.join("tmp")).unwrap();
    let port = free_port();
    let dir = d.display();
    let block = |name: &str, ca: &str| {
        format!(
            "server {{ listen 127.0.0.1:{port} ssl; server_name {name}; ssl_certificate {dir}/blocks.pem; ssl_certificate_key {dir}/blocks.key; ssl_verify_client on; ssl_verify_depth 3; ssl_client_certificate {dir}/{ca}; location / {{ default_type application/json; return 200 '{{\"X-CERT-VERIFY\":\"$ssl_client_verify\"}}'; }} }}\n"
        )
    };
    let config = format!(
        "daemon off;\nmaster_process off;\nworker_processes 1;\npid {dir}/blocks.pid;\nerror_log {dir}/blocks-error.log info;\nevents {{ worker_connections 64; }}\nhttp {{\n client_body_temp_path {dir}/tmp/body;\n proxy_temp_path {dir}/tmp/proxy;\n fastcgi_temp_path {dir}/tmp/fastcgi;\n uwsgi_temp_path {dir}/tmp/uwsgi;\n scgi_temp_path {dir}/tmp/scgi;\n access_log off;\n ssl_session_ticket_key {dir}/ticket.key;\n{}{}}}\n",
        block("a.test", "other.pem"),
        block("b.test", "root.pem")
    );
    std::fs::write(d.join("blocks.conf"), config).unwrap();
    let conf = d.join("blocks.conf");
    let Some(_nginx) = crate::common::proxies::daemon(
        d,
        "/usr/sbin/nginx",
        &["-c", conf.to_str().unwrap(), "-p", &dir.to_string()],
        port,
    ) else {
        return;
    };
    let a = format!("https://a.test:{port}/");
    let b = format!("https://b.test:{port}/");
    let resolve_a = format!("a.test:{port}:127.0.0.1");
    let resolve_b = format!("b.test:{port}:127.0.0.1");
    let (_, json) = audit_args(
        d,
        &[
            &a,
            "--identity",
            "identity.pem",
            "--ca",
            "root.pem",
            "--insecure",
            "--resolve",
            &resolve_a,
            "--resolve",
            &resolve_b,
            "--resume-from",
            &b,
            "--profile",
            "nginx",
        ],
    );
    let into_a = rows(&json, "resumption")[0];
    assert_eq!(kind(into_a), "refused-by-status", "{into_a:#}");
    assert_eq!(into_a["outcome"]["status"], 421, "{into_a:#}");
}

/// Caddy 2.6 (Debian's) with HTTP/3 on and client certificates required: it advertises h3 in
/// `Alt-Svc`, and the audit sends the request over QUIC with no certificate: refused in the
/// QUIC handshake, as over TCP. Without client authentication the same request is answered
/// over HTTP/3, and the probe says so.
#[test]
fn caddy_with_http3_on_is_probed_over_quic_without_a_certificate() {
    let program = "/usr/bin/caddy";
    if !Path::new(program).exists() {
        return oracle_missing("caddy", &format!("{program} is not installed"));
    }
    let pki = Pki::new();
    pki.write_identity();
    let d = pki.path();
    let ca = certlens::echo_server::LocalCa::generate("Caddy server CA").unwrap();
    let server = ca.issue_server().unwrap();
    std::fs::write(d.join("caddy.pem"), &server.cert_pem).unwrap();
    std::fs::write(d.join("caddy.key"), &server.key_pem).unwrap();
    std::fs::write(d.join("caddy-ca.pem"), &ca.pair.cert_pem).unwrap();
    for mode in ["require_and_verify", "none"] {
        let client_auth = match mode {
            "none" => String::new(),
            mode => format!(
                " {{\n    client_auth {{\n      mode {mode}\n      trusted_ca_cert_file {}/root.pem\n    }}\n  }}",
                d.display()
            ),
        };
        let port = free_port();
        let config = format!(
            "{{\n  admin off\n  auto_https off\n  storage file_system {dir}/caddy-data\n  servers {{\n    protocols h1 h2 h3\n  }}\n}}\n\
         https://localhost:{port} {{\n  tls {dir}/caddy.pem {dir}/caddy.key{client_auth}\n  respond \"ok\" 200\n}}\n",
            dir = d.display()
        );
        std::fs::write(d.join("Caddyfile"), config).unwrap();
        let Some(_caddy) = crate::common::proxies::daemon(
            d,
            program,
            &["run", "--config", "Caddyfile", "--adapter", "caddyfile"],
            port,
        ) else {
            return;
        };
        // A name, not an address: with client authentication on, Caddy answers 421 when the TLS
        // server name and the Host differ, and no server name is sent for an address.
        let url = format!("https://localhost:{port}/");
        let (code, json) = audit_args(
            d,
            &[
                &url,
                "--identity",
                "identity.pem",
                "--ca",
                "root.pem",
                "--server-ca",
                "caddy-ca.pem",
                "--profile",
                "caddy",
            ],
        );
        assert_eq!(kind(rows(&json, "baseline")[0]), "reached", "{json:#}");
        let http3 = rows(&json, "http3-no-certificate")[0];
        assert!(
            http3["sent"]
                .as_str()
                .unwrap()
                .ends_with(&format!("UDP port {port}")),
            "{http3:#}"
        );
        if mode == "none" {
            // No client authentication at all: the request is answered over HTTP/3 too.
            assert_eq!(kind(http3), "reached", "{http3:#}");
            assert_eq!(code, Some(1), "{json:#}");
            continue;
        }
        // Observed with Caddy 2.6: its QUIC listener demands the certificate as its TCP one does —
        // the handshake fails with TLS alert 42 (bad_certificate).
        assert_eq!(kind(http3), "refused-in-handshake", "{http3:#}");
        assert!(
            http3["outcome"]["detail"]
                .as_str()
                .unwrap()
                .contains("error 42"),
            "{http3:#}"
        );
        assert_eq!(code, Some(0), "{json:#}");
    }
}
