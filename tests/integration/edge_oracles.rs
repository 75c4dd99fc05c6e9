//! Real edges as oracles: HAProxy 2.6 and Caddy 2.6 (Debian's packages) on 127.0.0.1 ask for a
//! client certificate, put their fields in request headers and forward to a backend that keeps
//! the raw header lines. Every crafted certificate of the nginx oracle is presented; the
//! `haproxy` and `caddy` profiles must equal what the server forwarded, byte for byte, and
//! where the server refuses a certificate Certlens must have said it would.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::cases::cases;
use crate::common::craft::{self, Key};
use crate::common::header_sink::{HeaderLines, HeaderSink};
use crate::common::proxies::{daemon, free_port};
use crate::common::{Pki, certlens, oracle_missing, present_to_host, self_signed, temp_dir};

/// The name the servers answer to: Caddy applies client authentication by SNI.
const HOST: &str = "edge.certlens.test";

/// The headers each server is configured to add, with the fetch or placeholder behind each.
const HAPROXY_HEADERS: &[(&str, &str)] = &[
    ("X-SSL-Client-Used", "%[ssl_c_used]"),
    ("X-SSL-Client-Verify", "%[ssl_c_verify]"),
    ("X-SSL-Client-Subject", "%[ssl_c_s_dn]"),
    ("X-SSL-Client-Issuer", "%[ssl_c_i_dn]"),
    ("X-SSL-Client-Subject-RFC2253", "%[ssl_c_s_dn(,0,rfc2253)]"),
    ("X-SSL-Client-Issuer-RFC2253", "%[ssl_c_i_dn(,0,rfc2253)]"),
    ("X-SSL-Client-Serial", "%[ssl_c_serial,hex]"),
    ("X-SSL-Client-SHA1", "%[ssl_c_sha1,hex]"),
    ("X-SSL-Client-Not-Before", "%[ssl_c_notbefore]"),
    ("X-SSL-Client-Not-After", "%[ssl_c_notafter]"),
    ("X-SSL-Client-Cert", "%[ssl_c_der,base64]"),
];

const CADDY_HEADERS: &[(&str, &str)] = &[
    (
        "X-Client-Cert-Fingerprint",
        "{http.request.tls.client.fingerprint}",
    ),
    ("X-Client-Cert-Serial", "{http.request.tls.client.serial}"),
    ("X-Client-Cert-Subject", "{http.request.tls.client.subject}"),
    ("X-Client-Cert-Issuer", "{http.request.tls.client.issuer}"),
    (
        "X-Client-Cert-Der",
        "{http.request.tls.client.certificate_der_base64}",
    ),
    (
        "X-Client-Cert-Dns-Names",
        "{http.request.tls.client.san.dns_names}",
    ),
    (
        "X-Client-Cert-Emails",
        "{http.request.tls.client.san.emails}",
    ),
];

/// The server's own TLS certificate and key, and an unrelated CA for the client side.
fn server_files(dir: &Path) {
    self_signed(
        dir,
        "server.key",
        "server.crt",
        "/CN=edge.certlens.test",
        &["-addext", "subjectAltName=DNS:edge.certlens.test"],
    );
    self_signed(dir, "ca.key", "ca.pem", "/CN=Unrelated Oracle CA", &[]);
    let pem = std::fs::read_to_string(dir.join("server.crt")).unwrap()
        + &std::fs::read_to_string(dir.join("server.key")).unwrap();
    std::fs::write(dir.join("server.pem"), pem).unwrap();
}

/// One certificate to present: its label, the file curl sends (leaf first, then any chain)
/// and the key.
struct Presented {
    id: String,
    cert: PathBuf,
    key: PathBuf,
}

/// Every crafted case as `<id>.pem` (self-signed with one key), then a real chain made by the
/// openssl CLI (a leaf with UTF-8, `/`, leading and trailing spaces in its name and a high-bit
/// serial, sent with its intermediate; its root is in `ca.pem`, so it verifies).
fn crafted(dir: &Path) -> (Vec<Presented>, Pki) {
    let key = Key::generate();
    std::fs::write(dir.join("client.key"), key.pem()).unwrap();
    let mut presented: Vec<Presented> = cases()
        .into_iter()
        .map(|case| {
            let der = craft::build(&case.spec, &key, &key);
            let cert = dir.join(format!("{}.pem", case.id));
            std::fs::write(&cert, craft::cert_pem(&der)).unwrap();
            Presented {
                id: case.id,
                cert,
                key: dir.join("client.key"),
            }
        })
        .collect();
    let pki = Pki::new();
    let read = |f: &str| std::fs::read_to_string(pki.file(f)).unwrap();
    std::fs::write(
        dir.join("chain-sent.pem"),
        read("leaf.pem") + &read("int.pem"),
    )
    .unwrap();
    let ca = std::fs::read_to_string(dir.join("ca.pem")).unwrap() + &read("root.pem");
    std::fs::write(dir.join("ca.pem"), ca).unwrap();
    presented.push(Presented {
        id: "chain-with-intermediate".into(),
        cert: dir.join("chain-sent.pem"),
        key: pki.file("leaf.key"),
    });
    (presented, pki)
}

/// Presents every case to `port`, then compares the forwarded headers with the profile's.
fn hold_profile_to(
    server: &str,
    profile: &str,
    dir: &Path,
    port: u16,
    sink: &HeaderSink,
    cases: &[Presented],
    extra: &[&str],
) {
    let mut mismatches = Vec::new();
    let (mut forwarded, mut agreed) = (0, 0);
    for Presented { id, cert, key } in cases {
        let presented = present_to_host(HOST, port, id, cert, key);
        let headers = presented.ok().and_then(|()| sink.headers(id));
        let mut args = vec!["fields", cert.to_str().unwrap(), "--profile", profile];
        args.extend_from_slice(extra);
        let output = certlens(dir, &args);
        let json: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
        let warned_refusal = json["warnings"].as_array().is_some_and(|w| {
            w.iter()
                .any(|w| w.as_str().unwrap_or("").contains("refuse"))
        });
        let Some(headers) = headers else {
            if !warned_refusal {
                mismatches.push(format!(
                    "{id}: {server} refused it, but Certlens gave no warning"
                ));
            }
            continue;
        };
        forwarded += 1;
        let ours = json["headers"].as_object().cloned().unwrap_or_default();
        for (name, value) in &ours {
            let theirs = find(&headers, name);
            let ours = value.as_str().unwrap_or("");
            if theirs.as_deref() == Some(ours) {
                agreed += 1;
            } else {
                mismatches.push(format!(
                    "{id} {name}: {server} {theirs:?}, certlens {ours:?}"
                ));
            }
        }
    }
    eprintln!(
        "{server} oracle: {} cases, {forwarded} forwarded, {agreed} values agreed byte for byte, {} mismatches",
        cases.len(),
        mismatches.len()
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert!(
        forwarded >= cases.len() / 2,
        "most cases must reach {server}"
    );
    assert!(
        sink.headers("chain-with-intermediate").is_some(),
        "the chain reaches {server}"
    );
}

/// What both oracles start from: the server's files, the certificates to present, the backend
/// that keeps the headers and a free port for the server.
struct Stage {
    dir: tempfile::TempDir,
    cases: Vec<Presented>,
    _pki: Pki,
    sink: HeaderSink,
    port: u16,
}

impl Stage {
    /// `None` (reported as a missing oracle) when `program` is not installed.
    fn new(name: &str, program: &str) -> Option<Self> {
        if !Path::new(program).exists() {
            oracle_missing(name, &format!("{program} is not installed"));
            return None;
        }
        let dir = temp_dir();
        server_files(dir.path());
        let (cases, pki) = crafted(dir.path());
        Some(Self {
            dir,
            cases,
            _pki: pki,
            sink: HeaderSink::start(),
            port: free_port(),
        })
    }
}

/// The forwarded value of header `name` (any case), lossily as text.
fn find(headers: &HeaderLines, name: &str) -> Option<String> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
}

#[test]
fn haproxy_profile_equals_haproxy_byte_for_byte() {
    let Some(stage) = Stage::new("haproxy", "/usr/sbin/haproxy") else {
        return;
    };
    let (d, cases, sink, port) = (stage.dir.path(), &stage.cases, &stage.sink, stage.port);
    let set_headers: String = HAPROXY_HEADERS
        .iter()
        .map(|(name, fetch)| format!("  http-request set-header {name} {fetch}\n"))
        .collect();
    let config = format!(
        "defaults\n  mode http\n  timeout connect 5s\n  timeout client 10s\n  timeout server 10s\n\
         frontend edge\n  bind 127.0.0.1:{port} ssl crt {dir}/server.pem verify optional ca-file {dir}/ca.pem crt-ignore-err all ca-ignore-err all\n\
         {set_headers}  default_backend echo\n\
         backend echo\n  server sink 127.0.0.1:{sink}\n",
        dir = d.display(),
        sink = sink.port
    );
    std::fs::write(d.join("haproxy.cfg"), config).unwrap();
    let Some(_haproxy) = daemon(d, "/usr/sbin/haproxy", &["-db", "-f", "haproxy.cfg"], port) else {
        return;
    };
    let ca = d.join("ca.pem");
    hold_profile_to(
        "HAProxy",
        "haproxy",
        d,
        port,
        sink,
        cases,
        &["--ca", ca.to_str().unwrap()],
    );
}

#[test]
fn caddy_profile_equals_caddy_byte_for_byte() {
    let Some(stage) = Stage::new("caddy", "/usr/bin/caddy") else {
        return;
    };
    let (d, cases, sink, port) = (stage.dir.path(), &stage.cases, &stage.sink, stage.port);
    let header_up: String = CADDY_HEADERS
        .iter()
        .map(|(name, placeholder)| format!("    header_up {name} \"{placeholder}\"\n"))
        .collect();
    let config = format!(
        "{{\n  admin off\n  auto_https off\n  storage file_system {dir}/caddy-data\n}}\n\
         https://{HOST}:{port} {{\n  tls {dir}/server.crt {dir}/server.key {{\n    client_auth {{\n      mode request\n    }}\n  }}\n\
         \n  reverse_proxy 127.0.0.1:{sink} {{\n{header_up}  }}\n}}\n",
        dir = d.display(),
        sink = sink.port
    );
    std::fs::write(d.join("Caddyfile"), config).unwrap();
    let Some(_caddy) = daemon(
        d,
        "/usr/bin/caddy",
        &["run", "--config", "Caddyfile", "--adapter", "caddyfile"],
        port,
    ) else {
        return;
    };
    hold_profile_to("Caddy", "caddy", d, port, sink, cases, &[]);
}
