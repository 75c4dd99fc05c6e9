//! Two TLS listeners on loopback that require different client CAs — the way two server
//! blocks or two ports of one edge may — either sharing one session-ticket key (the door the
//! audit's resumption probe looks for) or each with its own. Each answers every request with
//! the verdict its application would believe: `SUCCESS` when the connection carries a client
//! certificate, `NONE` when not — and says whether the session was resumed.

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use rustls::server::{ServerSessionMemoryCache, WebPkiClientVerifier};
use rustls::{RootCertStore, ServerConfig, ServerConnection, StreamOwned};
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// The two listeners; they stop with the test process.
pub struct TwoListeners {
    /// The port whose client CA is `trusted.pem`.
    pub trusted_port: u16,
    /// The port whose client CA is `other.pem`.
    pub other_port: u16,
}

impl TwoListeners {
    /// Listeners with the server certificate `cert`/`key` (PEM files in `dir`), one trusting
    /// `trusted` for clients and one trusting `other`; `shared_tickets` gives them one ticket
    /// key and one session cache.
    pub fn start(dir: &Path, trusted: &str, other: &str, shared_tickets: bool) -> Self {
        let chain: Vec<CertificateDer<'static>> =
            CertificateDer::pem_file_iter(dir.join("listener.pem"))
                .unwrap()
                .map(Result::unwrap)
                .collect();
        let key = PrivateKeyDer::from_pem_file(dir.join("listener.key")).unwrap();
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let ticketer = rustls::crypto::aws_lc_rs::Ticketer::new().unwrap();
        let cache = ServerSessionMemoryCache::new(64);
        let config = |client_ca: &str| {
            let mut roots = RootCertStore::empty();
            for ca in CertificateDer::pem_file_iter(dir.join(client_ca)).unwrap() {
                roots.add(ca.unwrap()).unwrap();
            }
            let verifier =
                WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .build()
                    .unwrap();
            let mut config = ServerConfig::builder_with_provider(provider.clone())
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_client_cert_verifier(verifier)
                .with_single_cert(chain.clone(), key.clone_key())
                .unwrap();
            config.alpn_protocols = vec![b"http/1.1".to_vec()];
            if shared_tickets {
                config.ticketer = ticketer.clone();
                config.session_storage = cache.clone();
            } else {
                config.ticketer = rustls::crypto::aws_lc_rs::Ticketer::new().unwrap();
            }
            Arc::new(config)
        };
        Self {
            trusted_port: serve(config(trusted)),
            other_port: serve(config(other)),
        }
    }
}

/// Serves `config` on a loopback port in a thread of its own, one connection at a time.
fn serve(config: Arc<ServerConfig>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let Ok(connection) = ServerConnection::new(config.clone()) else {
                continue;
            };
            let mut tls = StreamOwned::new(connection, stream);
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
                match tls.read(&mut byte) {
                    Ok(1) => head.push(byte[0]),
                    _ => break,
                }
            }
            if !head.ends_with(b"\r\n\r\n") {
                continue;
            }
            let verdict = if tls.conn.peer_certificates().is_some() {
                "SUCCESS"
            } else {
                "NONE"
            };
            let resumed = tls.conn.handshake_kind() == Some(rustls::HandshakeKind::Resumed);
            let body = format!("{{\"X-CERT-VERIFY\":\"{verdict}\",\"resumed\":\"{resumed}\"}}");
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = tls.write_all(answer.as_bytes());
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
    });
    port
}
