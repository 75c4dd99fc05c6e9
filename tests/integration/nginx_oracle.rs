//! The oracle: nginx (Debian's package, OpenSSL 3) on 127.0.0.1 with `ssl_verify_client
//! optional_no_ca` logs its `$ssl_client_*` variables as JSON for each tricky certificate,
//! presented by curl. The `nginx` profile must equal nginx's bytes exactly; where OpenSSL
//! refuses a certificate, Certlens must have warned that it would.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::cases::cases;
use crate::common::craft::{self, Key};
use crate::common::{certlens, present, self_signed, temp_dir};

const NGINX: &str = "/usr/sbin/nginx";
/// A location that answers every request with `ok`.
const OK: &str = "location / { return 200 \"ok\\n\"; }";

/// nginx in its own prefix folder, one server per configuration; stopped on drop.
pub struct Nginx {
    child: Child,
    servers: Vec<(String, u16)>,
    dir: PathBuf,
}

impl Nginx {
    /// One server that asks for any client certificate and checks nothing (`optional_no_ca`).
    pub fn start(dir: &Path) -> Self {
        let lines = format!("ssl_verify_client optional_no_ca; {OK}");
        Self::start_servers(dir, "", "", &[("fields".to_owned(), lines)])
    }

    /// One server per trust store `store-<label>.pem` in `dir`, verifying with depth 3.
    pub fn start_verifying(dir: &Path, stores: &[&str]) -> Self {
        let servers: Vec<(String, String)> = stores
            .iter()
            .map(|label| {
                let lines = format!(
                    "ssl_verify_client optional; ssl_verify_depth 3; ssl_client_certificate {}/store-{label}.pem; {OK}",
                    dir.display()
                );
                ((*label).to_owned(), lines)
            })
            .collect();
        Self::start_servers(dir, "", "", &servers)
    }

    /// Starts nginx with `main` lines (e.g. `load_module`), `http` lines, and one server per
    /// `(label, lines)`; each server also logs the client-certificate variables.
    pub fn start_servers(dir: &Path, main: &str, http: &str, servers: &[(String, String)]) -> Self {
        Self::start_listening(dir, main, http, servers, "")
    }

    /// As [`Nginx::start_servers`], with `listen_flags` after `ssl` on every `listen` line
    /// (`http2` for an edge that speaks HTTP/2).
    pub fn start_listening(
        dir: &Path,
        main: &str,
        http: &str,
        servers: &[(String, String)],
        listen_flags: &str,
    ) -> Self {
        if !dir.join("server.pem").exists() {
            self_signed(dir, "server.key", "server.pem", "/CN=127.0.0.1", &[]);
        }
        std::fs::create_dir_all(dir.join("tmp")).unwrap();
        let d = dir.display();
        let vars = [
            "s_dn",
            "i_dn",
            "s_dn_legacy",
            "i_dn_legacy",
            "serial",
            "fingerprint",
            "v_start",
            "v_end",
            "v_remain",
            "raw_cert",
            "escaped_cert",
            "verify",
        ];
        let fields: String = vars
            .iter()
            .map(|v| format!(r#""ssl_client_{v}":"$ssl_client_{v}","#))
            .collect();
        let ports: Vec<(String, u16)> = servers
            .iter()
            .map(|(label, _)| (label.clone(), free_port()))
            .collect();
        let blocks: String = servers
            .iter()
            .zip(&ports)
            .map(|((_, lines), (_, port))| {
                format!(
                    "    server {{\n        listen 127.0.0.1:{port} ssl {listen_flags};\n        ssl_certificate {d}/server.pem;\n        ssl_certificate_key {d}/server.key;\n        {lines}\n        access_log {d}/fields.log fields;\n    }}\n"
                )
            })
            .collect();
        let config = format!(
            r#"{main}
daemon off;
master_process off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 64; }}
http {{
    client_body_temp_path {d}/tmp/body;
    proxy_temp_path {d}/tmp/proxy;
    fastcgi_temp_path {d}/tmp/fastcgi;
    uwsgi_temp_path {d}/tmp/uwsgi;
    scgi_temp_path {d}/tmp/scgi;
    log_format fields escape=json '{{{fields}"case":"$http_x_case","msec":"$msec"}}';
    {http}
{blocks}}}
"#
        );
        std::fs::write(dir.join("nginx.conf"), config).unwrap();
        let child = Command::new(NGINX)
            .args([
                "-p",
                &d.to_string(),
                "-c",
                &format!("{d}/nginx.conf"),
                "-e",
                &format!("{d}/error.log"),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start nginx");
        let deadline = Instant::now() + Duration::from_secs(10);
        for (_, port) in &ports {
            while TcpStream::connect(("127.0.0.1", *port)).is_err() {
                assert!(
                    Instant::now() < deadline,
                    "nginx did not start: {}",
                    std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Self {
            child,
            servers: ports,
            dir: dir.to_owned(),
        }
    }

    /// The port of the server with this label.
    pub fn port_of(&self, label: &str) -> u16 {
        self.servers
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, p)| *p)
            .expect("server label")
    }

    /// Presents `cert`/`key` with curl to the first server; true when the request completed.
    pub fn present(&self, case: &str, cert: &Path, key: &Path) -> bool {
        self.present_to(self.servers[0].1, case, cert, key).is_ok()
    }

    /// Presents `cert`/`key` to the server on `port`; `Err` carries the client's message.
    pub fn present_to(&self, port: u16, case: &str, cert: &Path, key: &Path) -> Result<(), String> {
        present(port, case, cert, key)
    }

    /// The line logged for `case`; nginx writes it just after answering, so wait a little.
    pub fn logged_case(&self, case: &str) -> Option<Value> {
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            if let Some(line) = self.logged().into_iter().find(|l| l["case"] == case) {
                return Some(line);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Every completely logged line (nginx may be writing the last one as it is read).
    pub fn logged(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(self.dir.join("fields.log")).unwrap_or_default();
        let complete = text.rfind('\n').map_or("", |end| &text[..end]);
        complete
            .lines()
            .map(|l| serde_json::from_str(l).expect("nginx logged JSON"))
            .collect()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn nginx_available() -> bool {
    if Path::new(NGINX).exists() && Command::new("curl").arg("--version").output().is_ok() {
        return true;
    }
    crate::common::oracle_missing("nginx", &format!("{NGINX} or curl is not installed"));
    false
}

#[test]
fn nginx_profile_equals_nginx_byte_for_byte() {
    if !nginx_available() {
        return;
    }
    let dir = temp_dir();
    let d = dir.path();
    let nginx = Nginx::start(d);
    let key = Key::generate();
    std::fs::write(d.join("client.key"), key.pem()).unwrap();

    let cases = cases();
    let mut presented = Vec::new();
    for case in &cases {
        let der = craft::build(&case.spec, &key, &key);
        let cert = d.join(format!("{}.pem", case.id));
        std::fs::write(&cert, craft::cert_pem(&der)).unwrap();
        if nginx.present(&case.id, &cert, &d.join("client.key")) {
            presented.push(case.id.clone());
        }
    }
    if let Some(last) = presented.last() {
        nginx.logged_case(last); // wait until nginx has written the last line
    }
    let logged = nginx.logged();

    let compared = [
        "ssl_client_s_dn",
        "ssl_client_i_dn",
        "ssl_client_s_dn_legacy",
        "ssl_client_i_dn_legacy",
        "ssl_client_serial",
        "ssl_client_fingerprint",
        "ssl_client_v_start",
        "ssl_client_v_end",
        "ssl_client_v_remain",
        "ssl_client_raw_cert",
        "ssl_client_escaped_cert",
    ];
    let mut mismatches = Vec::new();
    let mut agreed = 0;
    for case in &cases {
        let cert = format!("{}.pem", case.id);
        let line = logged.iter().find(|l| l["case"] == case.id.as_str());
        let Some(line) = line else {
            // OpenSSL refused the certificate (curl could not load it, or nginx rejected the
            // handshake): Certlens must have said the nginx edge would refuse it.
            let output = certlens(d, &["fields", &cert, "--profile", "nginx"]);
            let json: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
            let warned = json["warnings"].as_array().is_some_and(|w| {
                w.iter()
                    .any(|w| w.as_str().unwrap_or("").contains("refuse"))
            });
            if !warned {
                mismatches.push(format!(
                    "{}: OpenSSL refused it, but Certlens gave no warning",
                    case.id
                ));
            }
            continue;
        };
        let msec: f64 = line["msec"].as_str().unwrap().parse().unwrap();
        let at = format!("@{}", msec.floor() as i64);
        let output = certlens(d, &["fields", &cert, "--profile", "nginx", "--at", &at]);
        assert!(
            output.status.success(),
            "{}: {}",
            case.id,
            String::from_utf8_lossy(&output.stderr)
        );
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        for var in compared {
            let ours = json["nginx"][var].as_str().unwrap_or("<absent>");
            let theirs = line[var].as_str().unwrap();
            if ours == theirs {
                agreed += 1;
            } else {
                mismatches.push(format!(
                    "{} {var}: nginx {theirs:?}, certlens {ours:?}",
                    case.id
                ));
            }
        }
        // The Cloudflare-named properties carry the same bytes where the profiles agree.
        assert_eq!(
            json["tlsClientAuth"]["certSubjectDN"], line["ssl_client_s_dn"],
            "{}",
            case.id
        );
        assert_eq!(
            json["tlsClientAuth"]["certSerial"], line["ssl_client_serial"],
            "{}",
            case.id
        );
    }
    eprintln!(
        "nginx oracle: {} cases, {} presented, {} values agreed byte for byte, {} mismatches",
        cases.len(),
        presented.len(),
        agreed,
        mismatches.len()
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert!(
        presented.len() >= cases.len() - 12,
        "most cases must reach nginx: {presented:?}"
    );
}
