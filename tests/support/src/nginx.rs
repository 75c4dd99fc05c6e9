//! nginx (Debian's package, OpenSSL 3, with njs) on loopback: one server per configuration,
//! as the field oracle (its `$ssl_client_*` variables logged as JSON) and as the edge (an njs
//! handler echoing like the Worker).

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{Pki, present, self_signed};

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
    crate::oracle_missing("nginx", &format!("{NGINX} or curl is not installed"));
    false
}

const NJS_MODULE: &str = "/usr/lib/nginx/modules/ngx_http_js_module.so";

const ECHO_JS: &str = r#"
function handle(r) {
    const v = r.variables;
    const out = {};
    for (const name in r.headersIn) {
        out[name.toLowerCase()] = r.headersIn[name];
    }
    Object.assign(out, {
        'X-CERT-ISSUER-DN': v.ssl_client_i_dn,
        'X-CERT-SUBJECT-DN': v.ssl_client_s_dn,
        'X-CERT-ISSUER-DN-L': v.ssl_client_i_dn_legacy,
        'X-CERT-SUBJECT-DN-L': v.ssl_client_s_dn_legacy,
        'X-CERT-SERIAL': v.ssl_client_serial,
        'X-CERT-FINGER': v.ssl_client_fingerprint,
        'X-CERT-VERIFY': v.ssl_client_verify,
        'X-CERT-NOTBE': v.ssl_client_v_start,
        'X-CERT-NOTAF': v.ssl_client_v_end,
    });
    r.headersOut['Content-Type'] = 'application/json';
    r.return(200, JSON.stringify(out, null, 2));
}
export default { handle };
"#;

pub fn start_edge(pki: &Pki) -> Option<Nginx> {
    start_edge_listening(pki, "")
}

/// The edge, with `listen_flags` on its `listen` lines (`http2`).
pub fn start_edge_listening(pki: &Pki, listen_flags: &str) -> Option<Nginx> {
    if !nginx_available() {
        return None;
    }
    if !Path::new(NJS_MODULE).exists() {
        crate::oracle_missing("nginx's njs module", &format!("{NJS_MODULE} is missing"));
        return None;
    }
    let d = pki.path();
    let ca = certlens::echo_server::LocalCa::generate("Edge Server CA").unwrap();
    let server = ca.issue_server().unwrap();
    std::fs::write(d.join("server.pem"), &server.cert_pem).unwrap();
    std::fs::write(d.join("server.key"), &server.key_pem).unwrap();
    std::fs::write(d.join("edge-ca.pem"), &ca.pair.cert_pem).unwrap();
    std::fs::write(d.join("echo.js"), ECHO_JS).unwrap();
    pki.write_identity();
    let dir = d.display();
    let echo = |mode: &str| {
        format!(
            "ssl_verify_client {mode}; ssl_verify_depth 3; ssl_client_certificate {dir}/root.pem; location / {{ js_content echo.handle; }} location = /moved {{ return 302 /; }} location = /elsewhere {{ return 302 https://localhost:$server_port/; }}"
        )
    };
    Some(Nginx::start_listening(
        d,
        &format!("load_module {NJS_MODULE};"),
        &format!("js_import echo from {dir}/echo.js;"),
        &[
            ("optional".to_owned(), echo("optional")),
            ("required".to_owned(), echo("on")),
        ],
        listen_flags,
    ))
}
