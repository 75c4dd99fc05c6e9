//! What can go wrong sending the request, each in a sentence a user can act on.

use thiserror::Error;

use crate::probe::Remedy;

/// Why the live test could not get an answer.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ProbeError {
    /// The URL does not parse or is not HTTPS.
    #[error("{0}")]
    BadUrl(String),
    /// The method, a header or the body cannot be sent.
    #[error("{0}")]
    BadRequest(String),
    /// The proxy setting cannot be used.
    #[error("{0}")]
    BadProxy(String),
    /// A host-to-address entry does not parse.
    #[error("{0}")]
    BadResolve(String),
    /// The identity cannot be used for TLS (no key, unusable key).
    #[error(transparent)]
    Identity(#[from] crate::probe::tls::TlsSetupError),
    /// A server CA or trust setting is unusable.
    #[error("cannot set up server certificate verification: {0}")]
    Trust(String),
    /// The host name does not resolve.
    #[error("cannot resolve {host}: {detail}")]
    Dns {
        /// The host.
        host: String,
        /// The resolver's answer.
        detail: String,
    },
    /// Nothing listens, or the connection was refused or reset.
    #[error("cannot connect to {address}: {detail}")]
    Connect {
        /// host:port.
        address: String,
        /// The system's reason.
        detail: String,
    },
    /// A phase took longer than the timeout.
    #[error(
        "no answer within {seconds} s while {phase}; the server is up but silent (is it the right port, and does it speak TLS?)"
    )]
    Timeout {
        /// What was going on.
        phase: &'static str,
        /// The limit.
        seconds: u64,
    },
    /// The body kept arriving, too slowly to finish within the deadline.
    #[error(
        "the response body arrived too slowly to finish within {seconds} s (twice the timeout); the server trickles its answer"
    )]
    BodyTooSlow {
        /// The deadline.
        seconds: u64,
    },
    /// The server's certificate is not trusted.
    #[error(
        "the server's own certificate is not trusted: {detail}; trust its CA as the server CA, or skip this check"
    )]
    ServerNotTrusted {
        /// rustls's reason.
        detail: String,
    },
    /// The server refused our client certificate (or its absence) during the handshake.
    #[error("the server rejected the TLS connection with the alert \"{alert}\": {meaning}")]
    Rejected {
        /// The TLS alert.
        alert: String,
        /// What it usually means.
        meaning: &'static str,
        /// The change that may get past it, when one is known.
        remedy: Option<Remedy>,
    },
    /// The proxy could not be reached, or would not carry the request.
    #[error("the proxy {proxy} did not carry the request: {detail}")]
    Proxy {
        /// The proxy, without credentials.
        proxy: String,
        /// What went wrong.
        detail: String,
    },
    /// Through a proxy, the host's certificate was issued by a CA not trusted here: most often
    /// a TLS-inspecting proxy answering in the server's place.
    #[error(
        "through the proxy {proxy}, the certificate presented for {host} was issued by {issuer}, which is not trusted here. A TLS-inspecting proxy answers in the server's place with a certificate of its own: the edge never sees the client certificate, so an mTLS test through it cannot work. Bypass the proxy for this host (NO_PROXY, or no proxy for the test); if {issuer} really is the edge's CA, trust it as the server CA"
    )]
    Intercepted {
        /// The proxy, without credentials.
        proxy: String,
        /// The host asked for.
        host: String,
        /// Who issued what was presented.
        issuer: String,
    },
    /// The server wants HTTP/1.1 for this request (HTTP/2 error `HTTP_1_1_REQUIRED`).
    #[error(
        "the server answered HTTP_1_1_REQUIRED over HTTP/2: it asks for the client certificate only after the handshake for this path (TLS renegotiation or post-handshake authentication), which HTTP/2 forbids; run the test again over HTTP/1.1 (Certlens's TLS library, rustls, does neither renegotiation nor post-handshake authentication: if HTTP/1.1 still fails, the same request with curl does both, over HTTP/1.1)"
    )]
    Http1Required,
    /// Another TLS failure.
    #[error("the TLS handshake failed: {0}")]
    Tls(String),
    /// The connection broke during the HTTP exchange.
    #[error("the HTTP exchange failed: {detail}")]
    Http {
        /// What went wrong.
        detail: String,
        /// The change that may get past it, when one is known.
        remedy: Option<Remedy>,
    },
    /// The response's status line and headers are larger than any echo needs.
    #[error(
        "the response's headers are too large: Certlens reads at most {headers} header lines and {bytes} bytes of them (is this the echo Worker?)"
    )]
    ResponseHeadTooLarge {
        /// The header-line limit.
        headers: usize,
        /// The byte limit.
        bytes: usize,
    },
    /// The async runtime could not start.
    #[error("cannot start the network runtime: {0}")]
    Runtime(String),
}

impl ProbeError {
    /// The changes that may get past this error, most likely first.
    pub fn remedies(&self) -> Vec<Remedy> {
        match self {
            ProbeError::ServerNotTrusted { .. } => {
                vec![Remedy::TrustServerCa, Remedy::SkipServerCheck]
            }
            ProbeError::Intercepted { .. } => vec![Remedy::BypassProxy, Remedy::TrustServerCa],
            ProbeError::Http1Required => vec![Remedy::UseHttp1, Remedy::TryCurl],
            ProbeError::Timeout { .. } | ProbeError::BodyTooSlow { .. } => {
                vec![Remedy::LongerTimeout]
            }
            ProbeError::Rejected { remedy, .. } | ProbeError::Http { remedy, .. } => {
                remedy.iter().copied().collect()
            }
            _ => Vec::new(),
        }
    }
}
