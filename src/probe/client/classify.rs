//! Turning what reqwest, hyper, h2 and rustls report into one [`ProbeError`] a person can act
//! on. reqwest wraps the causes; they are found by walking the error's sources.

use std::error::Error as StdError;

use rustls::{AlertDescription, CertificateError};

use crate::limits;
use crate::notation::{TlsLibrary, format_name};

use crate::probe::ProbeError;
use crate::probe::Remedy;
use crate::probe::evidence::Recorder;
use crate::probe::proxy::ProxyRoute;
use crate::probe::request::HttpVersion;

/// What is known about the attempt, to word its failure.
pub(super) struct Failure<'a> {
    pub host: &'a str,
    pub port: u16,
    pub proxy: Option<&'a ProxyRoute>,
    pub http_version: HttpVersion,
    pub seconds: u64,
    pub evidence: &'a Recorder,
}

/// Every message in the chain, outermost first, joined by `: `.
pub(super) fn chain_text(error: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(error);
    while let Some(e) = current {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

/// Every error under `error`: its sources, and the errors `std::io::Error` wraps (which
/// `io::Error::source` skips), however deeply they nest.
fn sources<'a>(error: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut found = Vec::new();
    let mut pending = vec![error];
    while let Some(current) = pending.pop() {
        found.push(current);
        if let Some(next) = current.source() {
            pending.push(next);
        }
        if let Some(inner) = current
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            pending.push(inner);
        }
    }
    found
}

fn find<'a, T: StdError + 'static>(error: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    sources(error)
        .into_iter()
        .find_map(|e| e.downcast_ref::<T>())
}

fn innermost(error: &(dyn StdError + 'static)) -> String {
    sources(error)
        .last()
        .map(|e| e.to_string())
        .unwrap_or_default()
}

/// The one error for a failed request.
pub(super) fn classify(error: &reqwest::Error, at: &Failure<'_>) -> ProbeError {
    let root: &(dyn StdError + 'static) = error;
    if let Some(tls) = find::<rustls::Error>(root) {
        return classify_tls(tls, at);
    }
    if let Some(h2) = find::<h2::Error>(root) {
        if h2.reason() == Some(h2::Reason::HTTP_1_1_REQUIRED) {
            return ProbeError::Http1Required;
        }
        if at.http_version == HttpVersion::Http2 && h2.is_go_away() {
            return ProbeError::Http {
                detail: format!(
                    "the server ended the HTTP/2 connection ({}); try letting the version be agreed",
                    innermost(root)
                ),
                remedy: Some(Remedy::NegotiateHttpVersion),
            };
        }
    }
    if let Some(hyper) = find::<hyper::Error>(root) {
        if hyper.is_parse_too_large() {
            return ProbeError::ResponseHeadTooLarge {
                headers: limits::MAX_RESPONSE_HEADERS,
                bytes: limits::MAX_RESPONSE_HEAD,
            };
        }
        if hyper.is_incomplete_message() {
            return ProbeError::Http {
                detail: "the server closed the connection without answering (with TLS 1.3 this is how many servers reject a client certificate after the handshake)".into(),
                remedy: None,
            };
        }
    }
    let text = chain_text(root);
    if let Some(proxy) = at.proxy
        && (text.contains("tunnel error") || (proxy.is_socks() && text.contains("socks")))
    {
        let detail = if text.contains("proxy authorization required") {
            "it asks for credentials (407 Proxy Authentication Required): put them in the proxy URL, http://user:password@host:port".to_owned()
        } else if text.contains("unsuccessful") {
            format!(
                "it refused to open a tunnel (CONNECT) to {}:{}; its rules may not allow this host or port",
                at.host, at.port
            )
        } else {
            innermost(root)
        };
        return ProbeError::Proxy {
            proxy: proxy.display.clone(),
            detail,
        };
    }
    if error.is_timeout() {
        return ProbeError::Timeout {
            phase: if error.is_connect() {
                "connecting (name lookup, TCP, proxy and TLS handshake)"
            } else {
                "waiting for the response"
            },
            seconds: at.seconds,
        };
    }
    if error.is_connect() {
        if let Some(proxy) = at.proxy {
            return ProbeError::Proxy {
                proxy: proxy.display.clone(),
                detail: format!("cannot reach it: {}", innermost(root)),
            };
        }
        if text.contains("dns error") || error.is_dns() {
            return ProbeError::Dns {
                host: at.host.to_owned(),
                detail: innermost(root),
            };
        }
        let io = find::<std::io::Error>(root);
        if let Some(io) = io
            && matches!(
                io.kind(),
                std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionReset
            )
        {
            return ProbeError::Tls(format!(
                "the server closed the connection during the handshake ({io}); it may not speak TLS on this port, or it dropped a client without an acceptable certificate"
            ));
        }
        return ProbeError::Connect {
            address: format!("{}:{}", at.host, at.port),
            detail: format!("{} (every address was tried)", innermost(root)),
        };
    }
    ProbeError::Http {
        detail: text,
        remedy: None,
    }
}

fn classify_tls(error: &rustls::Error, at: &Failure<'_>) -> ProbeError {
    match error {
        rustls::Error::InvalidCertificate(reason) => {
            let issuer = presented_issuer(at);
            if let Some(proxy) = at.proxy
                && matches!(reason, CertificateError::UnknownIssuer)
            {
                return ProbeError::Intercepted {
                    proxy: proxy.display.clone(),
                    host: at.host.to_owned(),
                    issuer: issuer.unwrap_or_else(|| "an unknown CA".to_owned()),
                };
            }
            let mut detail = match reason {
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
            };
            if let Some(issuer) = issuer {
                detail.push_str(&format!(" (issuer: {issuer})"));
            }
            ProbeError::ServerNotTrusted { detail }
        }
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
                AlertDescription::NoApplicationProtocol => match at.http_version {
                    HttpVersion::Http1 => {
                        "the server does not speak HTTP/1.1 (it offers only h2): let the version be agreed"
                    }
                    HttpVersion::Http2 => "the server does not speak h2: let the version be agreed",
                    HttpVersion::Auto => "the server speaks neither h2 nor HTTP/1.1",
                },
                _ => "see the server's logs",
            };
            let remedy = (*alert == AlertDescription::NoApplicationProtocol
                && at.http_version != HttpVersion::Auto)
                .then_some(Remedy::NegotiateHttpVersion);
            ProbeError::Rejected {
                alert: format!("{alert:?}"),
                meaning,
                remedy,
            }
        }
        other => ProbeError::Tls(other.to_string()),
    }
}

/// The issuer of the certificate presented for the host, as the recorder saw it.
fn presented_issuer(at: &Failure<'_>) -> Option<String> {
    let evidence = at.evidence.lock().ok()?;
    let handshake = evidence.handshake_for(at.host)?;
    let leaf = crate::certificate::Certificate::from_der(handshake.chain.first()?).ok()?;
    format_name(leaf.issuer_der(), TlsLibrary::BoringSsl)
        .ok()
        .map(|n| n.rfc2253)
}
