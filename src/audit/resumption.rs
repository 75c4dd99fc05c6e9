//! The resumption probe: a TLS session made with the identity on one URL, resumed on another
//! without any certificate. A server that accepts the ticket hands the second request the
//! first one's client certificate — the door of CVE-2025-23419 (nginx server blocks sharing
//! session tickets) and of any two listeners sharing a ticket key but not a client CA.
//!
//! Both connections are made with rustls directly (HTTP/1.1), because only the connection
//! itself says whether the server resumed (`handshake_kind`); reqwest hides it.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rustls::client::{
    ClientSessionMemoryCache, ClientSessionStore, ResolvesClientCert, Resumption,
    Tls12ClientSessionValue, Tls13ClientSessionValue,
};
use rustls::{ClientConnection, HandshakeKind, StreamOwned};
use rustls_pki_types::ServerName;

use crate::identity::Identity;
use crate::probe::{HttpRequest, ProbeError, raw_tls_config};

/// The most of an answer read.
const MAX_ANSWER: usize = 1 << 20;

/// What the second connection met.
pub(super) struct Resumed {
    /// True when the server resumed the first connection's session.
    pub resumed: bool,
    /// The HTTP status of the answer, when one came.
    pub status: Option<u16>,
    /// The body, when one came.
    pub body: Vec<u8>,
}

/// Makes a session with `identity` on `from`, then connects to `to` with no certificate,
/// offering that session. `Err` when the first connection fails (nothing to resume).
pub(super) fn across(
    identity: &Identity,
    request: &HttpRequest,
    from: &str,
    to: &str,
) -> Result<Resumed, String> {
    // One configuration for both connections: rustls offers a session only to a connection
    // with the same server check and certificate resolver it was made with. The resolver
    // presents the identity on the first connection and nothing on the second.
    let mut config =
        raw_tls_config(Some(identity), &request.server_trust).map_err(|e| e.to_string())?;
    let presenting = Arc::new(Presenting {
        inner: config.client_auth_cert_resolver.clone(),
        on: AtomicBool::new(true),
    });
    config.client_auth_cert_resolver = presenting.clone();
    config.resumption = Resumption::store(Arc::new(AnyHost(ClientSessionMemoryCache::new(8))));
    let config = Arc::new(config);
    let first = exchange(config.clone(), request, from)
        .map_err(|e| format!("the session could not be made on {from}: {e}"))?;
    if first.status.is_none() {
        return Err(format!(
            "{from} did not answer, so there is no session to resume"
        ));
    }
    presenting.on.store(false, Ordering::SeqCst);
    match exchange(config, request, to) {
        Ok(answer) => Ok(answer),
        Err(error) => Ok(Resumed {
            resumed: false,
            status: None,
            body: error.into_bytes(),
        }),
    }
}

/// A session store that offers every host the session made with any: the second connection
/// goes to another name (another server block) on purpose.
#[derive(Debug)]
struct AnyHost(ClientSessionMemoryCache);

/// The one name every session is kept under.
fn any_host() -> ServerName<'static> {
    ServerName::IpAddress(rustls_pki_types::IpAddr::from(
        std::net::Ipv4Addr::UNSPECIFIED,
    ))
}

impl ClientSessionStore for AnyHost {
    fn set_kx_hint(&self, _: ServerName<'static>, group: rustls::NamedGroup) {
        self.0.set_kx_hint(any_host(), group);
    }

    fn kx_hint(&self, _: &ServerName<'_>) -> Option<rustls::NamedGroup> {
        self.0.kx_hint(&any_host())
    }

    fn set_tls12_session(&self, _: ServerName<'static>, value: Tls12ClientSessionValue) {
        self.0.set_tls12_session(any_host(), value);
    }

    fn tls12_session(&self, _: &ServerName<'_>) -> Option<Tls12ClientSessionValue> {
        self.0.tls12_session(&any_host())
    }

    fn remove_tls12_session(&self, _: &ServerName<'static>) {
        self.0.remove_tls12_session(&any_host());
    }

    fn insert_tls13_ticket(&self, _: ServerName<'static>, value: Tls13ClientSessionValue) {
        self.0.insert_tls13_ticket(any_host(), value);
    }

    fn take_tls13_ticket(&self, _: &ServerName<'static>) -> Option<Tls13ClientSessionValue> {
        self.0.take_tls13_ticket(&any_host())
    }
}

/// The identity's resolver while `on`, no certificate after.
#[derive(Debug)]
struct Presenting {
    inner: Arc<dyn ResolvesClientCert>,
    on: AtomicBool,
}

impl ResolvesClientCert for Presenting {
    fn resolve(
        &self,
        root_hint_subjects: &[&[u8]],
        schemes: &[rustls::SignatureScheme],
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        if self.on.load(Ordering::SeqCst) {
            self.inner.resolve(root_hint_subjects, schemes)
        } else {
            None
        }
    }

    fn has_certs(&self) -> bool {
        true
    }
}

/// One GET over HTTP/1.1 on a fresh TLS connection: the answer, and whether the session was
/// resumed.
fn exchange(
    config: Arc<rustls::ClientConfig>,
    request: &HttpRequest,
    url: &str,
) -> Result<Resumed, String> {
    let url = url::Url::parse(url).map_err(|e| format!("`{url}` is not a URL: {e}"))?;
    if url.scheme() != "https" {
        return Err(format!("`{url}` is not an https:// URL"));
    }
    let host = url
        .host_str()
        .ok_or_else(|| format!("`{url}` has no host"))?
        .trim_matches(['[', ']'])
        .to_owned();
    let port = url.port_or_known_default().unwrap_or(443);
    let address = super::socket_address(request, &host, port)?;
    let timeout = request.timeout.max(Duration::from_secs(1));
    let tcp = TcpStream::connect_timeout(&address, timeout)
        .map_err(|e| format!("cannot connect to {address}: {e}"))?;
    let _ = tcp.set_read_timeout(Some(timeout));
    let _ = tcp.set_write_timeout(Some(timeout));
    let name = ServerName::try_from(host.clone()).map_err(|e| e.to_string())?;
    let connection = ClientConnection::new(config, name).map_err(|e| e.to_string())?;
    let mut tls = StreamOwned::new(connection, tcp);
    let path = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let head = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
    );
    tls.write_all(head.as_bytes()).map_err(|e| describe(&e))?;
    let mut answer = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match tls.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                answer.extend_from_slice(&chunk[..n]);
                if answer.len() > MAX_ANSWER {
                    break;
                }
            }
            // A server that closes without close_notify still answered.
            Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(error) if answer.is_empty() => return Err(describe(&error)),
            Err(_) => break,
        }
    }
    let resumed = tls.conn.handshake_kind() == Some(HandshakeKind::Resumed);
    let (status, body) = split_answer(&answer);
    Ok(Resumed {
        resumed,
        status,
        body,
    })
}

/// The status line's code and the body (after the blank line) of an HTTP/1.1 answer.
fn split_answer(answer: &[u8]) -> (Option<u16>, Vec<u8>) {
    let status = answer
        .split(|&b| b == b'\n')
        .next()
        .and_then(|line| std::str::from_utf8(line).ok())
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok());
    let body = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| answer[at + 4..].to_vec())
        .unwrap_or_default();
    (status, body)
}

/// An I/O error from the TLS stream, with rustls's alert named.
fn describe(error: &std::io::Error) -> String {
    match error
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>())
    {
        Some(tls) => ProbeError::Tls(tls.to_string()).to_string(),
        None => error.to_string(),
    }
}
