//! The HTTP/3 probe: the same request over QUIC with no client certificate. Edges have let
//! such requests through while HTTP/1.1 and h2 refused them (reported against Caddy and Envoy):
//! the QUIC listener is configured apart from the TCP one.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Buf as _;

use crate::probe::{HttpRequest, raw_tls_config};

/// The most of an answer's body read.
const MAX_BODY: usize = 1 << 20;

/// What the HTTP/3 request met.
pub(super) enum Answer {
    /// The server answered with this status and body.
    Status(u16, Vec<u8>),
    /// The QUIC or TLS handshake failed (the server refused, or does not speak QUIC here).
    Handshake(String),
    /// The server never answered on UDP.
    Silent,
}

/// The port an `Alt-Svc` header offers HTTP/3 on (`h3=":443"`), if any.
pub(super) fn advertised_port(alt_svc: &str) -> Option<u16> {
    alt_svc.split(',').find_map(|entry| {
        let entry = entry.trim();
        let rest = entry.strip_prefix("h3=\"")?;
        let authority = rest.split('"').next()?;
        authority.rsplit(':').next()?.parse().ok()
    })
}

/// Sends a GET for `request`'s URL over HTTP/3 to `port` of the URL's host, with no client
/// certificate.
/// `wait` bounds the wait for QUIC to answer (short where the server advertises no HTTP/3).
pub(super) fn without_certificate(
    request: &HttpRequest,
    port: u16,
    wait: Duration,
) -> Result<Answer, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(exchange(request, port, wait))
}

async fn exchange(request: &HttpRequest, port: u16, wait: Duration) -> Result<Answer, String> {
    let url = url::Url::parse(&request.url).map_err(|e| e.to_string())?;
    let host = url
        .host_str()
        .ok_or("the URL has no host")?
        .trim_matches(['[', ']'])
        .to_owned();
    let address = super::socket_address(request, &host, port)?;
    let mut tls = raw_tls_config(None, &request.server_trust).map_err(|e| e.to_string())?;
    tls.alpn_protocols = vec![b"h3".to_vec()];
    let quic = quinn::crypto::rustls::QuicClientConfig::try_from(tls).map_err(|e| e.to_string())?;
    let bind: SocketAddr = if address.is_ipv6() {
        "[::]:0".parse().map_err(|_| "no IPv6 address to bind")?
    } else {
        "0.0.0.0:0".parse().map_err(|_| "no IPv4 address to bind")?
    };
    let mut endpoint = quinn::Endpoint::client(bind).map_err(|e| e.to_string())?;
    endpoint.set_default_client_config(quinn::ClientConfig::new(Arc::new(quic)));
    let timeout = wait.min(request.timeout).max(Duration::from_millis(500));
    let connecting = endpoint
        .connect(address, &host)
        .map_err(|e| e.to_string())?;
    let connection = match tokio::time::timeout(timeout, connecting).await {
        Err(_) => return Ok(Answer::Silent),
        Ok(Err(quinn::ConnectionError::TimedOut)) => return Ok(Answer::Silent),
        Ok(Err(error)) => return Ok(Answer::Handshake(error.to_string())),
        Ok(Ok(connection)) => connection,
    };
    let answer = tokio::time::timeout(timeout, get(connection, &url, &host)).await;
    endpoint.close(0u32.into(), b"done");
    match answer {
        Err(_) => Ok(Answer::Silent),
        Ok(Err(error)) => Ok(Answer::Handshake(error)),
        Ok(Ok((status, body))) => Ok(Answer::Status(status, body)),
    }
}

/// One GET over an established QUIC connection: status and body.
async fn get(
    connection: quinn::Connection,
    url: &url::Url,
    host: &str,
) -> Result<(u16, Vec<u8>), String> {
    let (mut driver, mut sender) = h3::client::new(h3_quinn::Connection::new(connection))
        .await
        .map_err(|e| e.to_string())?;
    let drive = tokio::spawn(async move {
        let _ = std::future::poll_fn(|cx| driver.poll_close(cx)).await;
    });
    // The authority as the URL writes it (with its port), as a browser sends it.
    let authority = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or(host)),
        None => url.host_str().unwrap_or(host).to_owned(),
    };
    let uri = format!(
        "https://{authority}{}{}",
        url.path(),
        url.query().map(|q| format!("?{q}")).unwrap_or_default()
    );
    let request = http::Request::get(uri)
        .header("accept", "application/json")
        .body(())
        .map_err(|e| e.to_string())?;
    let mut stream = sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    stream.finish().await.map_err(|e| e.to_string())?;
    let response = stream.recv_response().await.map_err(|e| e.to_string())?;
    let mut body = Vec::new();
    while let Some(mut chunk) = stream.recv_data().await.map_err(|e| e.to_string())? {
        while chunk.has_remaining() && body.len() < MAX_BODY {
            let part = chunk.chunk();
            let take = part.len().min(MAX_BODY - body.len());
            body.extend_from_slice(&part[..take]);
            chunk.advance(take);
        }
        if body.len() >= MAX_BODY {
            break;
        }
    }
    drive.abort();
    Ok((response.status().as_u16(), body))
}
