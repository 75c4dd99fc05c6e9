//! The request itself: DNS, TCP, TLS with the client identity, one HTTP/1.1 GET, a capped body.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::BodyExt as _;
use hyper_util::rt::TokioIo;
use rustls::client::ResolvesClientCert;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::sign::CertifiedKey;
use rustls::{AlertDescription, CertificateError, DigitallySignedStruct, SignatureScheme};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use serde::Serialize;

use crate::certificate::Certificate;
use crate::document::CertificateSummary;
use crate::fields::{Profile, format_name};
use crate::identity::Identity;
use crate::{limits, tls};

use super::ProbeError;

/// How to check the server's own certificate.
#[derive(Debug, Clone)]
pub enum ServerTrust {
    /// The system's roots plus these CA certificates (`--server-ca`).
    Verify(Vec<Certificate>),
    /// Do not check it (`--insecure`): an explicit choice the output states.
    Insecure,
}

/// What to send.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    /// `https://host[:port]/path`.
    pub url: String,
    /// Extra request headers.
    pub headers: Vec<(String, String)>,
    /// Limit for each phase (connect, handshake, response).
    pub timeout: Duration,
    /// Server certificate checking.
    pub server_trust: ServerTrust,
    /// The most response body bytes kept.
    pub body_limit: usize,
}

impl HttpRequest {
    /// A GET of `url` with the defaults: 15 s, server verified, 1 MiB body.
    pub fn get(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            headers: Vec::new(),
            timeout: limits::DEFAULT_TIMEOUT,
            server_trust: ServerTrust::Verify(Vec::new()),
            body_limit: limits::DEFAULT_BODY_LIMIT,
        }
    }
}

/// What the TLS layer showed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TlsDetails {
    /// `TLSv1.3` or `TLSv1.2`.
    pub version: String,
    /// The cipher suite's name.
    pub cipher: String,
    /// The server's chain as it sent it.
    pub server_chain: Vec<CertificateSummary>,
    /// False when the server never asked for a client certificate (mTLS not enabled).
    pub client_certificate_requested: bool,
    /// True when our certificate was sent.
    pub client_certificate_sent: bool,
    /// The CA names the server listed in its CertificateRequest (RFC 2253).
    pub acceptable_cas: Vec<String>,
    /// Whether our leaf's issuer is among them (None when the server listed none).
    pub issuer_acceptable: Option<bool>,
    /// True when the server's certificate was not checked (`--insecure`).
    pub server_verification_skipped: bool,
}

/// One request and its answer.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The URL requested.
    pub url: String,
    /// HTTP status.
    pub status: u16,
    /// From connecting to the end of the body.
    pub elapsed: Duration,
    /// TLS details.
    pub tls: TlsDetails,
    /// Response headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body (at most the limit).
    pub body: Vec<u8>,
    /// True when the body was longer than the limit and was cut.
    pub body_truncated: bool,
    /// The Location of a redirect, which is reported and not followed.
    pub redirect: Option<String>,
}

/// Sends the request on a runtime of its own (for callers without one).
pub fn send(identity: &Identity, request: &HttpRequest) -> Result<Exchange, ProbeError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ProbeError::Runtime(e.to_string()))?;
    runtime.block_on(send_async(identity, request))
}

/// Sends the request: the identity is turned into a TLS key before anything touches the network.
pub async fn send_async(
    identity: &Identity,
    request: &HttpRequest,
) -> Result<Exchange, ProbeError> {
    let key = tls::certified_key(identity)?;
    let url = url::Url::parse(&request.url)
        .map_err(|e| ProbeError::BadUrl(format!("`{}` is not a URL: {e}", request.url)))?;
    if url.scheme() != "https" {
        return Err(ProbeError::BadUrl(format!(
            "mTLS needs an https:// URL; `{}` is {}",
            request.url,
            url.scheme()
        )));
    }
    let host = url
        .host_str()
        .ok_or_else(|| ProbeError::BadUrl(format!("`{}` has no host", request.url)))?
        .trim_matches(['[', ']'])
        .to_owned();
    let port = url.port_or_known_default().unwrap_or(443);
    let seconds = request.timeout.as_secs().max(1);
    let within = |phase: &'static str| move |_| ProbeError::Timeout { phase, seconds };

    let provider = tls::provider();
    let resolver = Arc::new(RecordingResolver {
        key,
        hints: Mutex::new(None),
    });
    let verifier: Arc<dyn ServerCertVerifier> = match &request.server_trust {
        ServerTrust::Verify(extra) => Arc::new(
            rustls_platform_verifier::Verifier::new_with_extra_roots(
                tls::certificate_ders(&extra.iter().collect::<Vec<_>>()),
                provider.clone(),
            )
            .map_err(|e| ProbeError::Trust(e.to_string()))?,
        ),
        ServerTrust::Insecure => Arc::new(NoServerVerification(provider.clone())),
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ProbeError::Trust(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_client_cert_resolver(resolver.clone());
    config.alpn_protocols = vec![b"http/1.1".to_vec()];

    let started = Instant::now();
    let addresses: Vec<std::net::SocketAddr> = tokio::time::timeout(
        request.timeout,
        tokio::net::lookup_host((host.as_str(), port)),
    )
    .await
    .map_err(within("resolving the host name"))?
    .map_err(|e| ProbeError::Dns {
        host: host.clone(),
        detail: e.to_string(),
    })?
    .collect();
    let address = *addresses.first().ok_or_else(|| ProbeError::Dns {
        host: host.clone(),
        detail: "no addresses".into(),
    })?;
    let tcp = tokio::time::timeout(request.timeout, tokio::net::TcpStream::connect(address))
        .await
        .map_err(within("connecting"))?
        .map_err(|e| ProbeError::Connect {
            address: format!("{host}:{port}"),
            detail: e.to_string(),
        })?;
    let server_name = ServerName::try_from(host.clone())
        .map_err(|e| ProbeError::BadUrl(format!("`{host}` is not a valid server name: {e}")))?;
    let tls_stream = tokio::time::timeout(
        request.timeout,
        tokio_rustls::TlsConnector::from(Arc::new(config)).connect(server_name, tcp),
    )
    .await
    .map_err(within("completing the TLS handshake"))?
    .map_err(|e| classify_io(&e))?;

    let connection = tls_stream.get_ref().1;
    let hints = resolver.hints.lock().map(|h| h.clone()).unwrap_or_default();
    let tls_details = details(
        connection,
        hints,
        identity,
        matches!(request.server_trust, ServerTrust::Insecure),
    );

    let (mut sender, driver) = hyper::client::conn::http1::Builder::new()
        .max_headers(limits::MAX_RESPONSE_HEADERS)
        .max_buf_size(limits::MAX_RESPONSE_HEAD)
        .handshake(TokioIo::new(tls_stream))
        .await
        .map_err(|e| classify_hyper(&e))?;
    tokio::spawn(driver);
    let mut builder = hyper::Request::get(url.as_str())
        .header(
            hyper::header::HOST,
            url.host_str()
                .map(|h| match url.port() {
                    Some(p) => format!("{h}:{p}"),
                    None => h.to_owned(),
                })
                .unwrap_or_default(),
        )
        .header(
            hyper::header::USER_AGENT,
            concat!("certlens/", env!("CARGO_PKG_VERSION")),
        )
        .header(hyper::header::ACCEPT, "application/json");
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let http_request = builder
        .body(http_body_util::Empty::<hyper::body::Bytes>::new())
        .map_err(|e| {
            ProbeError::BadUrl(format!(
                "the request cannot be built (check --header values): {e}"
            ))
        })?;
    let response = tokio::time::timeout(request.timeout, sender.send_request(http_request))
        .await
        .map_err(within("waiting for the response"))?
        .map_err(|e| classify_hyper(&e))?;

    let status = response.status().as_u16();
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let redirect = (300..400)
        .contains(&status)
        .then(|| {
            headers
                .iter()
                .find(|(k, _)| k == "location")
                .map(|(_, v)| v.clone())
        })
        .flatten();
    // Each read has the phase timeout, and the whole body a deadline, so a server that
    // trickles one byte at a time cannot hold the test open.
    let deadline = request.timeout * limits::BODY_DEADLINE_FACTOR;
    let (body, body_truncated) = tokio::time::timeout(
        deadline,
        read_body(response.into_body(), request.timeout, request.body_limit),
    )
    .await
    .map_err(|_| ProbeError::BodyTooSlow {
        seconds: deadline.as_secs(),
    })??;
    Ok(Exchange {
        url: request.url.clone(),
        status,
        elapsed: started.elapsed(),
        tls: tls_details,
        headers,
        body,
        body_truncated,
        redirect,
    })
}

/// Reads at most `limit` bytes of `incoming`; true when more was sent.
async fn read_body(
    mut incoming: hyper::body::Incoming,
    timeout: Duration,
    limit: usize,
) -> Result<(Vec<u8>, bool), ProbeError> {
    let seconds = timeout.as_secs().max(1);
    let mut body = Vec::new();
    while let Some(frame) = tokio::time::timeout(timeout, incoming.frame())
        .await
        .map_err(|_| ProbeError::Timeout {
            phase: "reading the response body",
            seconds,
        })?
    {
        let frame = frame.map_err(|e| classify_hyper(&e))?;
        if let Some(data) = frame.data_ref() {
            let room = limit.saturating_sub(body.len());
            body.extend_from_slice(&data[..data.len().min(room)]);
            if data.len() > room {
                return Ok((body, true));
            }
        }
    }
    Ok((body, false))
}

fn details(
    connection: &rustls::ClientConnection,
    hints: Option<Vec<Vec<u8>>>,
    identity: &Identity,
    insecure: bool,
) -> TlsDetails {
    let version = match connection.protocol_version() {
        Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3".to_owned(),
        Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2".to_owned(),
        Some(other) => format!("{other:?}"),
        None => "unknown".to_owned(),
    };
    let cipher = connection
        .negotiated_cipher_suite()
        .map(|s| s.suite().as_str().unwrap_or("unknown").to_owned())
        .unwrap_or_default();
    let server_chain = connection
        .peer_certificates()
        .unwrap_or_default()
        .iter()
        .filter_map(|der| Certificate::from_der(der).ok())
        .map(|c| CertificateSummary::new(&c, Profile::Cloudflare))
        .collect();
    let requested = hints.is_some();
    let hints = hints.unwrap_or_default();
    let acceptable_cas: Vec<String> = hints
        .iter()
        .map(|dn| {
            format_name(dn, Profile::Cloudflare)
                .map(|n| n.rfc2253)
                .unwrap_or_default()
        })
        .collect();
    let issuer_acceptable = (!hints.is_empty()).then(|| {
        hints
            .iter()
            .any(|dn| dn.as_slice() == identity.leaf.issuer_der())
    });
    TlsDetails {
        version,
        cipher,
        server_chain,
        client_certificate_requested: requested,
        client_certificate_sent: requested,
        acceptable_cas,
        issuer_acceptable,
        server_verification_skipped: insecure,
    }
}

/// Hands out the identity and remembers the CA names the server asked for.
#[derive(Debug)]
struct RecordingResolver {
    key: Arc<CertifiedKey>,
    hints: Mutex<Option<Vec<Vec<u8>>>>,
}

impl ResolvesClientCert for RecordingResolver {
    fn resolve(
        &self,
        root_hint_subjects: &[&[u8]],
        _: &[SignatureScheme],
    ) -> Option<Arc<CertifiedKey>> {
        if let Ok(mut hints) = self.hints.lock() {
            *hints = Some(root_hint_subjects.iter().map(|s| s.to_vec()).collect());
        }
        Some(self.key.clone())
    }

    fn has_certs(&self) -> bool {
        true
    }
}

/// `--insecure`: accepts any server certificate but still checks the handshake signatures.
#[derive(Debug)]
struct NoServerVerification(Arc<CryptoProvider>);

impl ServerCertVerifier for NoServerVerification {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

fn classify_io(error: &std::io::Error) -> ProbeError {
    match error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        Some(tls_error) => classify_tls(tls_error),
        None if error.kind() == std::io::ErrorKind::UnexpectedEof
            || error.kind() == std::io::ErrorKind::ConnectionReset =>
        {
            ProbeError::Tls(format!(
                "the server closed the connection during the handshake ({error}); it may not speak TLS on this port, or it dropped a client without an acceptable certificate"
            ))
        }
        None => ProbeError::Tls(error.to_string()),
    }
}

fn classify_hyper(error: &hyper::Error) -> ProbeError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = source {
        if let Some(tls_error) = current.downcast_ref::<rustls::Error>() {
            return classify_tls(tls_error);
        }
        let inside_io = current
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>());
        if let Some(tls_error) = inside_io {
            return classify_tls(tls_error);
        }
        source = current.source();
    }
    if error.is_parse_too_large() {
        return ProbeError::ResponseHeadTooLarge {
            headers: limits::MAX_RESPONSE_HEADERS,
            bytes: limits::MAX_RESPONSE_HEAD,
        };
    }
    if error.is_incomplete_message() {
        return ProbeError::Http("the server closed the connection without answering (with TLS 1.3 this is how many servers reject a client certificate after the handshake)".into());
    }
    ProbeError::Http(error.to_string())
}

fn classify_tls(error: &rustls::Error) -> ProbeError {
    match error {
        rustls::Error::InvalidCertificate(reason) => ProbeError::ServerNotTrusted {
            detail: match reason {
                CertificateError::UnknownIssuer => {
                    "it was issued by a CA that is not trusted here".to_owned()
                }
                CertificateError::NotValidForName
                | CertificateError::NotValidForNameContext { .. } => {
                    "it is not valid for this host name".to_owned()
                }
                CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                    "it has expired".to_owned()
                }
                other => format!("{other:?}"),
            },
        },
        rustls::Error::AlertReceived(alert) => {
            let meaning = match alert {
                AlertDescription::CertificateRequired => {
                    "the server requires a client certificate and got none it accepts"
                }
                AlertDescription::BadCertificate | AlertDescription::UnsupportedCertificate => {
                    "the server rejected our client certificate"
                }
                AlertDescription::UnknownCA => {
                    "the server does not trust the CA that issued our client certificate"
                }
                AlertDescription::CertificateExpired => {
                    "the server says our client certificate has expired"
                }
                AlertDescription::CertificateRevoked => {
                    "the server says our client certificate is revoked"
                }
                AlertDescription::AccessDenied => {
                    "the server verified our certificate but denies access"
                }
                AlertDescription::HandshakeFailure => {
                    "the server and client share no acceptable parameters, or the server refused our certificate"
                }
                AlertDescription::ProtocolVersion => "the server does not accept TLS 1.2 or 1.3",
                _ => "see the server's logs",
            };
            ProbeError::Rejected {
                alert: format!("{alert:?}"),
                meaning,
            }
        }
        other => ProbeError::Tls(other.to_string()),
    }
}
