//! nginx (Debian's package, with njs) acting as the edge: it verifies the client certificate
//! and an njs handler echoes like the Worker from `$ssl_client_*`. A matching identity must
//! compare equal on every field in the nginx profile; faults must be explained.

use std::path::Path;

use serde_json::Value;

use crate::common::{Pki, test_json};
use crate::nginx_oracle::{Nginx, nginx_available};

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
        crate::common::oracle_missing("nginx's njs module", &format!("{NJS_MODULE} is missing"));
        return None;
    }
    let d = pki.path();
    let ca = certlens::echo_server::LocalCa::generate("Edge Server CA").unwrap();
    let server = ca.issue_server().unwrap();
    std::fs::write(d.join("server.pem"), &server.cert_pem).unwrap();
    std::fs::write(d.join("server.key"), &server.key_pem).unwrap();
    std::fs::write(d.join("edge-ca.pem"), &ca.pair.cert_pem).unwrap();
    std::fs::write(d.join("echo.js"), ECHO_JS).unwrap();
    let read = |f: &str| std::fs::read_to_string(d.join(f)).unwrap();
    std::fs::write(
        d.join("identity.pem"),
        [read("leaf.pem"), read("int.pem"), read("leaf.key")].concat(),
    )
    .unwrap();
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

#[test]
fn nginx_as_the_edge_agrees_on_every_field() {
    let pki = Pki::new();
    let Some(nginx) = start_edge(&pki) else {
        return;
    };
    let url = format!("https://127.0.0.1:{}/", nginx.port_of("optional"));
    let common = [
        url.as_str(),
        "--identity",
        "identity.pem",
        "--ca",
        "root.pem",
        "--server-ca",
        "edge-ca.pem",
    ];

    let mut args = common.to_vec();
    args.extend_from_slice(&["--profile", "nginx"]);
    let (code, json) = test_json(pki.path(), &args);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["summary"]["match"], 9, "{json:#}");

    // The Cloudflare profile differs from nginx in the legacy DN ('/' in a value): explained.
    let (code, json) = test_json(pki.path(), &common);
    assert_eq!(code, Some(1));
    let mismatches: Vec<&Value> = json["comparison"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["verdict"] == "mismatch")
        .collect();
    assert_eq!(mismatches.len(), 1, "{json:#}");
    assert_eq!(mismatches[0]["header"], "X-CERT-SUBJECT-DN-L");
    assert!(
        mismatches[0]["explanation"]
            .as_str()
            .unwrap()
            .contains("choose the nginx profile")
    );
}

#[test]
fn nginx_requiring_its_ca_answers_400_to_another_certificate() {
    let pki = Pki::new();
    let Some(nginx) = start_edge(&pki) else {
        return;
    };
    let url = format!("https://127.0.0.1:{}/", nginx.port_of("required"));
    let other = certlens::echo_server::LocalCa::generate("Unrelated CA").unwrap();
    let stranger = other.issue_client("stranger").unwrap();
    std::fs::write(
        pki.file("stranger.pem"),
        format!("{}{}", stranger.cert_pem, stranger.key_pem),
    )
    .unwrap();
    let (code, json) = test_json(
        pki.path(),
        &[
            &url,
            "--identity",
            "stranger.pem",
            "--server-ca",
            "edge-ca.pem",
            "--profile",
            "nginx",
        ],
    );
    assert_eq!(code, Some(1));
    assert_eq!(json["status"], 400);
    assert!(
        json["notes"][0]
            .as_str()
            .unwrap()
            .contains("ssl_verify_client rejected the certificate"),
        "{json:#}"
    );
    assert!(json["echo"]["problem"].as_str().unwrap().contains("HTML"));
}
