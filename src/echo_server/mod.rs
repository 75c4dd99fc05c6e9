//! A local HTTPS server that asks for a client certificate and answers like the Cloudflare echo
//! Worker (`assets/echo-worker.js`): the request's headers, lower-cased, plus the `X-CERT-*`
//! headers computed by the library — with `X-CERT-VERIFY` spelled right. Used by
//! `certlens echo-server`, `certlens demo` and the tests.

pub mod demo;
mod local_ca;

pub use local_ca::{GeneratedPair, LocalCa};

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls::DistinguishedName;
use rustls::crypto::CryptoProvider;
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls_pki_types::{CertificateDer, UnixTime};
use serde_json::{Map, Value};
use thiserror::Error;
use zeroize::Zeroizing;

use crate::assess::Trust;
use crate::certificate::Certificate;
use crate::certificate::Instant;
use crate::fields::Profile;
use crate::fields::profiles::EdgeOutput;
use crate::identity::Identity;
use crate::identity::load_bytes;
use crate::limits;
use crate::probe::HttpVersion;
use crate::probe::tls;
use crate::verify;

/// Why the echo server could not start.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum EchoError {
    /// The address is taken or not allowed.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The server certificate or key is unusable.
    #[error("the server certificate or key is unusable: {0}")]
    Certificate(String),
    /// The runtime could not start.
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
}

/// How the echo server runs.
#[derive(Debug, Clone)]
pub struct EchoSettings {
    /// Where to listen (loopback unless told otherwise).
    pub listen: SocketAddr,
    /// The CAs the "edge" verifies client certificates against (and names in its request).
    pub client_cas: Vec<Certificate>,
    /// The server's certificate chain and key, PEM (the key wiped on drop). Generated when `None`.
    pub server_identity: Option<(String, Zeroizing<String>)>,
    /// Whose formatting and verdict words to use.
    pub profile: Profile,
    /// The HTTP versions offered by ALPN: both (the default), or only one, as some edges do.
    pub protocols: HttpVersion,
}

/// A running echo server; stops when dropped.
pub struct EchoServer {
    addr: SocketAddr,
    server_ca_pem: Option<String>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl EchoServer {
    /// Binds and starts serving on a background thread.
    pub fn start(settings: EchoSettings) -> Result<Self, EchoError> {
        let (cert_pem, key_pem, server_ca_pem) = match &settings.server_identity {
            Some((cert, key)) => (cert.clone(), key.clone(), None),
            None => {
                let ca = LocalCa::generate("Certlens Echo Server CA")
                    .map_err(|e| EchoError::Certificate(e.to_string()))?;
                let server = ca
                    .issue_server()
                    .map_err(|e| EchoError::Certificate(e.to_string()))?;
                (
                    server.cert_pem + &ca.pair.cert_pem,
                    Zeroizing::new(server.key_pem),
                    Some(ca.pair.cert_pem),
                )
            }
        };
        let config = server_config(
            &cert_pem,
            &key_pem,
            &settings.client_cas,
            settings.protocols,
        )?;
        let listener =
            std::net::TcpListener::bind(settings.listen).map_err(|source| EchoError::Listen {
                addr: settings.listen,
                source,
            })?;
        listener.set_nonblocking(true).map_err(EchoError::Runtime)?;
        let addr = listener.local_addr().map_err(EchoError::Runtime)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(EchoError::Runtime)?;
        let (shutdown, stopped) = tokio::sync::oneshot::channel();
        let settings = Arc::new(settings);
        let thread = std::thread::Builder::new()
            .name("certlens-echo".into())
            .spawn(move || runtime.block_on(serve(listener, config, settings, stopped)))
            .map_err(EchoError::Runtime)?;
        Ok(Self {
            addr,
            server_ca_pem,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `https://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("https://{}/", self.addr)
    }

    /// The CA that issued the generated server certificate (to pass as `--server-ca`).
    pub fn server_ca_pem(&self) -> Option<&str> {
        self.server_ca_pem.as_deref()
    }

    /// Blocks until the server stops (it runs until the process ends).
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for EchoServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn server_config(
    cert_pem: &str,
    key_pem: &str,
    client_cas: &[Certificate],
    protocols: HttpVersion,
) -> Result<Arc<rustls::ServerConfig>, EchoError> {
    let bad = |what: &str| EchoError::Certificate(what.to_owned());
    let pem = Zeroizing::new(format!("{cert_pem}\n{key_pem}"));
    let loaded = load_bytes(pem.as_bytes(), None).map_err(|e| bad(&e.to_string()))?;
    let identity = loaded.identity().map_err(|e| bad(&e.to_string()))?;
    let provider = tls::provider();
    let verifier = Arc::new(AcceptAnyClientCertificate {
        hints: client_cas
            .iter()
            .map(|c| DistinguishedName::from(c.subject_der().to_vec()))
            .collect(),
        provider: provider.clone(),
    });
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| bad(&e.to_string()))?
        .with_client_cert_verifier(verifier)
        .with_cert_resolver(Arc::new(rustls::sign::SingleCertAndKey::from(
            tls::certified_key(&identity).map_err(|e| bad(&e.to_string()))?,
        )));
    config.alpn_protocols = match protocols {
        HttpVersion::Auto => vec![b"h2".to_vec(), b"http/1.1".to_vec()],
        HttpVersion::Http1 => vec![b"http/1.1".to_vec()],
        HttpVersion::Http2 => vec![b"h2".to_vec()],
    };
    Ok(Arc::new(config))
}

/// Like an edge with mTLS in "report" mode: asks for a certificate, accepts any (proving the
/// client holds its key), and leaves the verdict to the application.
#[derive(Debug)]
struct AcceptAnyClientCertificate {
    hints: Vec<DistinguishedName>,
    provider: Arc<CryptoProvider>,
}

impl ClientCertVerifier for AcceptAnyClientCertificate {
    fn client_auth_mandatory(&self) -> bool {
        false
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &self.hints
    }

    fn verify_client_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        Ok(ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

async fn serve(
    listener: std::net::TcpListener,
    config: Arc<rustls::ServerConfig>,
    settings: Arc<EchoSettings>,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    let slots = Arc::new(tokio::sync::Semaphore::new(limits::ECHO_MAX_CONNECTIONS));
    loop {
        let (stream, _) = tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(_) => continue,
            },
        };
        // Past the cap the connection is closed at once (dropped with the stream).
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            continue;
        };
        let acceptor = acceptor.clone();
        let settings = settings.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let handshake =
                tokio::time::timeout(limits::ECHO_CLIENT_TIMEOUT, acceptor.accept(stream)).await;
            let Ok(Ok(tls)) = handshake else { return };
            let peer: Vec<Vec<u8>> = tls
                .get_ref()
                .1
                .peer_certificates()
                .unwrap_or_default()
                .iter()
                .map(|c| c.to_vec())
                .collect();
            let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                let body = echo_body(&request, &peer, &settings);
                async move {
                    let mut response = Response::new(Full::new(Bytes::from(body)));
                    response
                        .headers_mut()
                        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                    Ok::<_, Infallible>(response)
                }
            });
            let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
            let lifetime = limits::ECHO_CONNECTION_LIFETIME;
            if h2 {
                // Pings find a vanished client (no answer within the timeout closes it).
                let connection = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                    .timer(hyper_util::rt::TokioTimer::new())
                    .max_header_list_size(limits::ECHO_MAX_REQUEST_HEAD as u32)
                    .max_concurrent_streams(limits::ECHO_MAX_REQUEST_HEADERS as u32)
                    .keep_alive_interval(Some(limits::ECHO_CLIENT_TIMEOUT))
                    .keep_alive_timeout(limits::ECHO_CLIENT_TIMEOUT)
                    .serve_connection(TokioIo::new(tls), service);
                let _ = tokio::time::timeout(lifetime, connection).await;
            } else {
                let connection = hyper::server::conn::http1::Builder::new()
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(limits::ECHO_CLIENT_TIMEOUT)
                    .max_headers(limits::ECHO_MAX_REQUEST_HEADERS)
                    .max_buf_size(limits::ECHO_MAX_REQUEST_HEAD)
                    .serve_connection(TokioIo::new(tls), service);
                let _ = tokio::time::timeout(lifetime, connection).await;
            }
        });
    }
}

/// The JSON the echo Worker returns for one request.
fn echo_body(request: &Request<Incoming>, peer: &[Vec<u8>], settings: &EchoSettings) -> String {
    let mut object = Map::new();
    for (name, value) in request.headers() {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        match object.get_mut(name.as_str()) {
            Some(Value::String(existing)) => {
                existing.push_str(", ");
                existing.push_str(&value);
            }
            _ => {
                object.insert(name.as_str().to_owned(), Value::String(value));
            }
        }
    }
    // HTTP/2 carries the host as `:authority`; a Worker still reads it as `host`.
    if let Some(authority) = request.uri().authority()
        && !object.contains_key("host")
    {
        object.insert("host".to_owned(), Value::String(authority.to_string()));
    }
    for (header, value) in edge_headers(peer, settings) {
        object.insert(header.to_owned(), Value::String(value));
    }
    serde_json::to_string_pretty(&Value::Object(object)).unwrap_or_default()
}

/// The headers the profile's edge would add (what it sends without a certificate when no
/// readable one was presented).
fn edge_headers(peer: &[Vec<u8>], settings: &EchoSettings) -> Vec<(&'static str, String)> {
    let mut certs = peer
        .iter()
        .filter_map(|der| Certificate::from_der(der).ok());
    let Some(leaf) = certs.next() else {
        return EdgeOutput::without_certificate(settings.profile).headers;
    };
    let trust = Trust {
        cas: settings.client_cas.clone(),
        crls: Vec::new(),
        options: verify::Options {
            at: Instant::now(),
            ..verify::Options::default()
        },
    };
    let identity = Identity {
        leaf,
        chain: certs.collect(),
        key: None,
    };
    trust
        .assess_as_edge(&identity, settings.profile)
        .view
        .edge
        .headers
}
