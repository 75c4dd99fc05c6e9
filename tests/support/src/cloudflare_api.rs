//! A local stand-in for the Cloudflare API, built from its documented shapes: the envelope
//! (`success`, `errors` with codes, `messages`, `result`, `result_info`), single-page lists and
//! `page`/`per_page` lists, 401 for a token it does not know, 403 for a permission the token
//! lacks, 404 for a zone without custom rules. It serves one account over HTTP/1.1 on loopback
//! and records every path asked for and every `Authorization` header seen.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

/// Permissions a test token may lack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    ZoneRead,
    AccountSsl,
    ZoneSsl,
    AccessMtls,
    ManagedHeaders,
    ZoneWaf,
}

/// The account the stand-in serves.
#[derive(Debug, Clone)]
pub struct Account {
    /// The only token it accepts.
    pub token: String,
    /// The token is account-owned: `/user/tokens/verify` refuses it.
    pub account_owned: bool,
    /// Permissions the token lacks.
    pub denied: Vec<Permission>,
    pub account_id: String,
    /// `(id, name)` of each zone.
    pub zones: Vec<(String, String)>,
    /// `GET /accounts/{id}/mtls_certificates` items.
    pub mtls_certificates: Vec<Value>,
    /// Hostnames associated with the Managed CA.
    pub managed_hosts: Vec<String>,
    /// `(mtls_certificate_id, hostnames)`.
    pub ca_hosts: Vec<(String, Vec<String>)>,
    /// `GET /zones/{id}/client_certificates` items (every status).
    pub client_certificates: Vec<Value>,
    /// `GET /zones/{id}/access/certificates/settings` items.
    pub access_settings: Vec<Value>,
    /// Whether “Add TLS client auth headers” is on.
    pub client_auth_headers: bool,
    /// The custom rules (none: the entry point answers 404).
    pub custom_rules: Option<Vec<Value>>,
}

impl Account {
    /// An account with one zone, `example.test`, and nothing configured.
    pub fn new(token: &str) -> Self {
        Self {
            token: token.to_owned(),
            account_owned: false,
            denied: Vec::new(),
            account_id: "a1b2c3d4e5f60718293a4b5c6d7e8f90".to_owned(),
            zones: vec![(
                "023e105f4ecef8ad9ca31a8372d0c353".to_owned(),
                "example.test".to_owned(),
            )],
            mtls_certificates: Vec::new(),
            managed_hosts: Vec::new(),
            ca_hosts: Vec::new(),
            client_certificates: Vec::new(),
            access_settings: Vec::new(),
            client_auth_headers: false,
            custom_rules: None,
        }
    }

    pub fn zone_id(&self) -> &str {
        &self.zones[0].0
    }
}

/// The running stand-in.
pub struct CloudflareApi {
    pub port: u16,
    /// Every request line seen (`GET /client/v4/zones?name=…`).
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl CloudflareApi {
    /// Serves `account` until the process ends.
    pub fn start(account: Account) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        let account = Arc::new(account);
        std::thread::Builder::new()
            .name("cloudflare-api-stand-in".into())
            .spawn(move || {
                for stream in listener.incoming().flatten() {
                    let account = account.clone();
                    let seen = seen.clone();
                    std::thread::spawn(move || serve(stream, &account, &seen));
                }
            })
            .unwrap();
        Self { port, requests }
    }

    /// The base to pass as `--api-base`.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}/client/v4", self.port)
    }

    /// The request lines seen.
    pub fn seen(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, account: &Account, seen: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end().to_owned();
        let mut authorization = None;
        let mut length = 0usize;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                match name.to_ascii_lowercase().as_str() {
                    "authorization" => authorization = Some(value.trim().to_owned()),
                    "content-length" => length = value.trim().parse().unwrap_or(0),
                    _ => {}
                }
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).ok();
        seen.lock().unwrap().push(line.clone());
        let target = line.split(' ').nth(1).unwrap_or("/").to_owned();
        let (status, value) = if line.starts_with("GET ") {
            answer(account, &target, authorization.as_deref())
        } else {
            (405, failure(10405, "Method not allowed"))
        };
        let text = value.to_string();
        let reason = match status {
            200 => "OK",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            _ => "Error",
        };
        let mut out = stream.try_clone().unwrap();
        let head = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            text.len()
        );
        if out.write_all(head.as_bytes()).is_err() || out.write_all(text.as_bytes()).is_err() {
            return;
        }
    }
}

fn failure(code: i64, message: &str) -> Value {
    json!({"success": false, "errors": [{"code": code, "message": message}], "messages": [], "result": null})
}

fn success(result: Value) -> Value {
    json!({"success": true, "errors": [], "messages": [], "result": result})
}

/// A `page`/`per_page` list; `total_pages` is given only when `with_total_pages`.
fn paged(items: &[Value], query: &[(String, String)], with_total_pages: bool) -> Value {
    let param = |name: &str, default: usize| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(default)
    };
    let page = param("page", 1).max(1);
    let per_page = param("per_page", 20).clamp(5, 50);
    let slice: Vec<Value> = items
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .cloned()
        .collect();
    let mut info = json!({"page": page, "per_page": per_page, "count": slice.len(), "total_count": items.len()});
    if with_total_pages {
        info["total_pages"] = json!(items.len().div_ceil(per_page));
    }
    let mut value = success(Value::Array(slice));
    value["result_info"] = info;
    value
}

fn answer(account: &Account, target: &str, authorization: Option<&str>) -> (u16, Value) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let query: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (k.to_owned(), v.replace("%2A", "*").replace("%2F", "/"))
        })
        .collect();
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let Some(path) = path.strip_prefix("/client/v4/") else {
        return (404, failure(7000, "No route for that URI"));
    };
    if authorization != Some(&format!("Bearer {}", account.token)) {
        return (401, failure(1000, "Invalid API Token"));
    }
    let denied = |permission| account.denied.contains(&permission);
    let forbidden = || (403, failure(10000, "Authentication error"));
    let parts: Vec<&str> = path.split('/').collect();
    let zone_of = |id: &str| account.zones.iter().find(|(zone, _)| zone == id);
    match parts.as_slice() {
        ["user", "tokens", "verify"] => {
            if account.account_owned {
                (401, failure(1000, "Invalid API Token"))
            } else {
                (
                    200,
                    success(json!({"id": "ed17574386854bf78a67040be0a770b0", "status": "active"})),
                )
            }
        }
        ["accounts", id, "tokens", "verify"] if *id == account.account_id => (
            200,
            success(json!({"id": "ed17574386854bf78a67040be0a770b0", "status": "active"})),
        ),
        ["zones"] => {
            if denied(Permission::ZoneRead) {
                return forbidden();
            }
            let name = param("name");
            let zones: Vec<Value> = account
                .zones
                .iter()
                .filter(|(_, zone)| name.as_deref().is_none_or(|n| n == zone))
                .map(|(id, zone)| {
                    json!({"id": id, "name": zone, "status": "active",
                           "account": {"id": account.account_id, "name": "Example account"}})
                })
                .collect();
            (200, paged(&zones, &query, true))
        }
        ["accounts", id, "mtls_certificates"] if *id == account.account_id => {
            if denied(Permission::AccountSsl) {
                return forbidden();
            }
            (
                200,
                success(Value::Array(account.mtls_certificates.clone())),
            )
        }
        [
            "zones",
            id,
            "certificate_authorities",
            "hostname_associations",
        ] if zone_of(id).is_some() => {
            if denied(Permission::ZoneSsl) {
                return forbidden();
            }
            let hosts = match param("mtls_certificate_id") {
                None => account.managed_hosts.clone(),
                Some(ca) => account
                    .ca_hosts
                    .iter()
                    .find(|(id, _)| *id == ca)
                    .map(|(_, hosts)| hosts.clone())
                    .unwrap_or_default(),
            };
            (200, success(json!({"hostnames": hosts})))
        }
        ["zones", id, "client_certificates"] if zone_of(id).is_some() => {
            if denied(Permission::ZoneSsl) {
                return forbidden();
            }
            // Without `status=all` only active certificates are listed.
            let all = param("status").as_deref() == Some("all");
            let items: Vec<Value> = account
                .client_certificates
                .iter()
                .filter(|c| all || c["status"] == "active")
                .cloned()
                .collect();
            (200, paged(&items, &query, false))
        }
        ["zones", id, "access", "certificates", "settings"] if zone_of(id).is_some() => {
            if denied(Permission::AccessMtls) {
                return forbidden();
            }
            (200, success(Value::Array(account.access_settings.clone())))
        }
        ["zones", id, "managed_headers"] if zone_of(id).is_some() => {
            if denied(Permission::ManagedHeaders) {
                return forbidden();
            }
            (
                200,
                success(json!({
                    "managed_request_headers": [
                        {"id": "add_true_client_ip_headers", "enabled": true, "has_conflict": false},
                        {"id": "add_client_certificate_headers", "enabled": account.client_auth_headers, "has_conflict": false}
                    ],
                    "managed_response_headers": []
                })),
            )
        }
        [
            "zones",
            id,
            "rulesets",
            "phases",
            "http_request_firewall_custom",
            "entrypoint",
        ] if zone_of(id).is_some() => {
            if denied(Permission::ZoneWaf) {
                return forbidden();
            }
            match &account.custom_rules {
                None => (
                    404,
                    failure(
                        10003,
                        "Could not find entrypoint ruleset in the http_request_firewall_custom phase",
                    ),
                ),
                Some(rules) => (
                    200,
                    success(json!({
                        "id": "2f2feab2026849078ba485f918791bdc",
                        "name": "default",
                        "kind": "zone",
                        "phase": "http_request_firewall_custom",
                        "version": "3",
                        "rules": rules
                    })),
                ),
            }
        }
        _ => (
            404,
            failure(7003, "Could not route to the requested resource"),
        ),
    }
}

/// A custom rule as the API returns it.
pub fn rule(id: &str, action: &str, expression: &str, description: &str) -> Value {
    json!({"id": id, "version": "1", "action": action, "expression": expression,
           "description": description, "enabled": true, "logging": {"enabled": true},
           "ref": id, "last_updated": "2026-11-01T10:00:00Z"})
}

/// A client certificate the Managed CA issued, as the API lists it.
pub fn client_certificate(id: &str, fingerprint_sha256: &str, status: &str) -> Value {
    json!({"id": id, "certificate": "", "certificate_authority": {"id": "568b6b74-7b0c-4755-8840-4e3b8c24adeb", "name": "Cloudflare Managed CA for account"},
           "common_name": format!("device-{id}"), "country": "US", "csr": "", "expires_on": "2036-01-01T00:00:00Z",
           "issued_on": "2026-01-01T00:00:00Z", "fingerprint_sha256": fingerprint_sha256, "serial_number": "3bb94ff144ac567b9f75ad664b6c55f8d5e48182",
           "ski": "8b8c5b76a1c5d6e1b4b5c0c5f0b4e1a7c5b6d7e8", "signature": "SHA256WithRSA", "location": "", "organization": "", "organizational_unit": "",
           "state": "", "status": status, "validity_days": 3650})
}

/// An uploaded CA (`ca: true`), as the API lists it.
pub fn uploaded_ca(id: &str, name: &str, pem: &str, uploaded_on: &str) -> Value {
    json!({"id": id, "ca": true, "certificates": pem, "expires_on": "2036-01-01T00:00:00Z",
           "issuer": "O=Example Inc.,L=Austin,ST=Texas,C=US", "name": name,
           "serial_number": "235217144297995885180570755458463043449861756659",
           "signature": "SHA256WithRSA", "uploaded_on": uploaded_on, "type": "custom"})
}
