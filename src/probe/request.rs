//! What the live test sends, and what it got back.

use std::net::SocketAddr;
use std::time::Duration;

use serde::Serialize;

use crate::certificate::Certificate;
use crate::limits;

use super::proxy::ProxySetting;
use super::resolve::ResolveEntry;

/// How to check the server's own certificate.
#[derive(Debug, Clone)]
pub enum ServerTrust {
    /// The system's roots plus these CA certificates (`--server-ca`).
    Verify(Vec<Certificate>),
    /// Do not check it (`--insecure`): an explicit choice the output states.
    Insecure,
}

/// Which HTTP versions to offer by ALPN.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HttpVersion {
    /// Offer `h2` and `http/1.1`; the server picks.
    #[default]
    Auto,
    /// Offer only `http/1.1`.
    Http1,
    /// Offer only `h2` and speak it.
    Http2,
}

impl HttpVersion {
    /// What is offered, as a person says it.
    pub fn describe(self) -> &'static str {
        match self {
            HttpVersion::Auto => "h2 or HTTP/1.1",
            HttpVersion::Http1 => "HTTP/1.1 only",
            HttpVersion::Http2 => "h2 only",
        }
    }
}

/// What to send.
#[derive(Clone)]
pub struct HttpRequest {
    /// `https://host[:port]/path`.
    pub url: String,
    /// The method (`GET` unless told otherwise).
    pub method: String,
    /// The request body, if any.
    pub body: Option<Vec<u8>>,
    /// Extra request headers.
    pub headers: Vec<(String, String)>,
    /// Limit for connecting (DNS, TCP, proxy, TLS) and for each read of the response.
    pub timeout: Duration,
    /// Server certificate checking.
    pub server_trust: ServerTrust,
    /// The most response body bytes kept.
    pub body_limit: usize,
    /// Which proxy carries the request.
    pub proxy: ProxySetting,
    /// Which HTTP versions are offered.
    pub http_version: HttpVersion,
    /// Addresses to use instead of DNS (curl's `--resolve`).
    pub resolve: Vec<ResolveEntry>,
    /// Follow redirects (each hop is reported); otherwise the redirect is the answer.
    pub follow_redirects: bool,
    /// Follow redirects to other hosts too, offering them the client certificate; otherwise a
    /// redirect away from the host (and port) asked for ends the request.
    pub follow_any_host: bool,
}

/// Header names whose values are credentials.
const SECRET_HEADERS: [&str; 4] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-api-key",
];

/// Everything but the secrets: the proxy without credentials, credential headers' values and
/// the body's bytes left out.
impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let secret = SECRET_HEADERS.iter().any(|s| name.eq_ignore_ascii_case(s));
                (
                    name.as_str(),
                    if secret { "(hidden)" } else { value.as_str() },
                )
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("url", &crate::probe::without_credentials(&self.url))
            .field("method", &self.method)
            .field("body_bytes", &self.body.as_ref().map(Vec::len))
            .field("headers", &headers)
            .field("timeout", &self.timeout)
            .field("server_trust", &self.server_trust)
            .field("body_limit", &self.body_limit)
            .field("proxy", &self.proxy)
            .field("http_version", &self.http_version)
            .field("resolve", &self.resolve)
            .field("follow_redirects", &self.follow_redirects)
            .field("follow_any_host", &self.follow_any_host)
            .finish()
    }
}

impl HttpRequest {
    /// A GET of `url` with the defaults: 15 s, server verified, 1 MiB body, the environment's
    /// proxy, h2 or HTTP/1.1, DNS, redirects reported and not followed.
    pub fn get(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            method: "GET".to_owned(),
            body: None,
            headers: Vec::new(),
            timeout: limits::DEFAULT_TIMEOUT,
            server_trust: ServerTrust::Verify(Vec::new()),
            body_limit: limits::DEFAULT_BODY_LIMIT,
            proxy: ProxySetting::default(),
            http_version: HttpVersion::default(),
            resolve: Vec::new(),
            follow_redirects: false,
            follow_any_host: false,
        }
    }

    /// Reads `Name: value` lines (blank lines and lines without a colon are skipped).
    pub fn header_lines(text: &str) -> Vec<(String, String)> {
        text.lines()
            .filter_map(|line| {
                line.split_once(':')
                    .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
            })
            .filter(|(name, _)| !name.is_empty())
            .collect()
    }
}

/// What the TLS layer showed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TlsDetails {
    /// `TLSv1.3` or `TLSv1.2`.
    pub version: String,
    /// The cipher suite's name, when the TLS library reported it (it does for TLS 1.3 when
    /// the server sends a session ticket).
    pub cipher: Option<String>,
    /// The key exchange group (TLS 1.3).
    pub key_exchange: Option<String>,
    /// The application protocol agreed by ALPN: `h2` or `http/1.1`.
    pub alpn: String,
    /// The server's chain as it sent it (reports summarise it).
    #[serde(skip)]
    pub server_chain: Vec<Certificate>,
    /// False when the server never asked for a client certificate (mTLS not enabled).
    pub client_certificate_requested: bool,
    /// True when our certificate was sent.
    pub client_certificate_sent: bool,
    /// The CA names the server listed in its CertificateRequest (RFC 2253).
    pub acceptable_cas: Vec<String>,
    /// The signature schemes the server's CertificateRequest allows.
    pub signature_schemes: Vec<String>,
    /// Whether our leaf's issuer is among them (None when the server listed none).
    pub issuer_acceptable: Option<bool>,
    /// True when the server's certificate was not checked (`--insecure`).
    pub server_verification_skipped: bool,
}

/// The way the request travelled.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Route {
    /// The address connected to (the proxy's, when a proxy carried the request).
    pub address: Option<SocketAddr>,
    /// The proxy that carried the request, without credentials.
    pub proxy: Option<String>,
    /// Where that proxy setting came from: `given` for this request, or the environment
    /// variable that named it.
    pub proxy_source: Option<String>,
    /// True when an address given for the host decided the server's address.
    pub resolved_by_override: bool,
}

/// One redirect that was followed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hop {
    /// The redirect's status.
    pub status: u16,
    /// The URL that answered with it.
    pub from: String,
    /// Where it pointed.
    pub to: String,
}

/// One request and its answer.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The URL requested.
    pub url: String,
    /// The URL that gave the final answer (differs from `url` after followed redirects).
    pub final_url: String,
    /// The method sent.
    pub method: String,
    /// HTTP status.
    pub status: u16,
    /// From connecting to the end of the body.
    pub elapsed: Duration,
    /// TLS details of the connection that gave the final answer.
    pub tls: TlsDetails,
    /// How the request travelled.
    pub route: Route,
    /// Redirects followed, in order.
    pub hops: Vec<Hop>,
    /// Response headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body (at most the limit).
    pub body: Vec<u8>,
    /// True when the body was longer than the limit and was cut.
    pub body_truncated: bool,
    /// The Location of a redirect that was reported and not followed.
    pub redirect: Option<String>,
}

impl Exchange {
    /// `HTTP 200 in 12 ms over TLSv1.3, h2 (TLS13_AES_256_GCM_SHA384)`.
    pub fn outcome_line(&self) -> String {
        format!(
            "HTTP {} in {} ms over {}, {}{}",
            self.status,
            self.elapsed.as_millis(),
            self.tls.version,
            self.tls.alpn,
            self.tls
                .cipher
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default()
        )
    }

    /// `connected to 127.0.0.1:3128, the proxy http://127.0.0.1:3128 (HTTPS_PROXY)`.
    pub fn route_line(&self) -> Option<String> {
        let address = self.route.address?;
        let how = match (&self.route.proxy, self.route.resolved_by_override) {
            (Some(proxy), _) => match self.route.proxy_source.as_deref() {
                Some(source) if source != super::proxy::GIVEN => {
                    format!("the proxy {proxy} ({source})")
                }
                _ => format!("the proxy {proxy}"),
            },
            (None, true) => "the server, at the address given for its host".to_owned(),
            (None, false) => "the server".to_owned(),
        };
        Some(format!("connected to {address}, {how}"))
    }
}
