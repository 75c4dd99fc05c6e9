//! The request itself, through reqwest on a rustls configuration of our own whose hooks keep
//! the handshake's evidence (see [`super::evidence`]).

mod classify;

use std::sync::{Arc, Mutex};
use std::time::Instant;

use rustls::client::Resumption;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::sign::CertifiedKey;
use rustls::{DigitallySignedStruct, SignatureScheme};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};

use crate::certificate::Certificate;
use crate::identity::Identity;
use crate::limits;
use crate::notation::{TlsLibrary, format_name};

use super::tls;

use super::ProbeError;
use super::evidence::{
    Evidence, Handshake, Recorder, RecordingResolver, RecordingSessions, RecordingVerifier,
};
use super::proxy::{self, ProxyRoute};
use super::request::{Exchange, Hop, HttpRequest, HttpVersion, Route, ServerTrust, TlsDetails};
use classify::{Failure, classify};

/// Redirects followed at most (`--follow`).
pub const MAX_REDIRECTS: usize = 10;

/// Sends the request on a runtime of its own (for callers without one).
pub fn send(identity: &Identity, request: &HttpRequest) -> Result<Exchange, ProbeError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ProbeError::Runtime(e.to_string()))?;
    runtime.block_on(send_async(identity, request))
}

/// Sends the request presenting no client certificate, whatever the server asks for (as a
/// client without one would), on a runtime of its own.
pub fn send_without_certificate(request: &HttpRequest) -> Result<Exchange, ProbeError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ProbeError::Runtime(e.to_string()))?;
    runtime.block_on(exchange(None, request))
}

/// The URL's parts the test needs.
struct Target {
    url: url::Url,
    host: String,
    port: u16,
}

impl Target {
    fn parse(text: &str) -> Result<Self, ProbeError> {
        let url = url::Url::parse(text)
            .map_err(|e| ProbeError::BadUrl(format!("`{text}` is not a URL: {e}")))?;
        if url.scheme() != "https" {
            return Err(ProbeError::BadUrl(format!(
                "mTLS needs an https:// URL; `{text}` is {}",
                url.scheme()
            )));
        }
        let host = url
            .host_str()
            .ok_or_else(|| ProbeError::BadUrl(format!("`{text}` has no host")))?
            .trim_matches(['[', ']'])
            .to_owned();
        let port = url.port_or_known_default().unwrap_or(443);
        Ok(Self { url, host, port })
    }
}

/// Sends the request: the identity is turned into a TLS key, and every option checked,
/// before anything touches the network.
pub async fn send_async(
    identity: &Identity,
    request: &HttpRequest,
) -> Result<Exchange, ProbeError> {
    let key = tls::certified_key(identity)?;
    exchange(Some((identity, key)), request).await
}

/// One request, with the identity and its signing key, or with no client certificate.
async fn exchange(
    identity: Option<(&Identity, Arc<CertifiedKey>)>,
    request: &HttpRequest,
) -> Result<Exchange, ProbeError> {
    let (identity, key) = match identity {
        Some((identity, key)) => (Some(identity), Some(key)),
        None => (None, None),
    };
    let target = Target::parse(&request.url)?;
    let method = reqwest::Method::from_bytes(request.method.trim().as_bytes()).map_err(|_| {
        ProbeError::BadRequest(format!("`{}` is not an HTTP method", request.method))
    })?;
    let proxy = proxy::choose(&request.proxy, &target.url)?;
    let recorder: Recorder = Arc::new(Mutex::new(Evidence::default()));
    let hops = Arc::new(Mutex::new(Vec::new()));
    let client = client(key, request, &target, proxy.as_ref(), &recorder, &hops)?;

    let mut builder = client
        .request(method.clone(), target.url.clone())
        .header(reqwest::header::ACCEPT, "application/json");
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    if let Some(body) = &request.body {
        builder = builder.body(body.clone());
    }
    let built = builder.build().map_err(|e| {
        ProbeError::BadRequest(format!(
            "the request cannot be built (check the header names and values): {e}"
        ))
    })?;

    let started = Instant::now();
    let failure = |error: reqwest::Error| {
        classify(
            &error,
            &Failure {
                host: &target.host,
                port: target.port,
                proxy: proxy.as_ref(),
                http_version: request.http_version,
                seconds: request.timeout.as_secs().max(1),
                evidence: &recorder,
            },
        )
    };
    let response = client.execute(built).await.map_err(failure)?;

    let status = response.status().as_u16();
    let final_url = response.url().clone();
    let alpn = match response.version() {
        reqwest::Version::HTTP_2 => "h2",
        reqwest::Version::HTTP_10 => "http/1.0",
        _ => "http/1.1",
    };
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
    let final_host = final_url
        .host_str()
        .unwrap_or(&target.host)
        .trim_matches(['[', ']'])
        .to_owned();
    let final_port = final_url.port_or_known_default().unwrap_or(target.port);
    let route = Route {
        address: response.remote_addr(),
        proxy: proxy.as_ref().map(|p| p.display.clone()),
        proxy_source: proxy.as_ref().map(|p| p.source.clone()),
        resolved_by_override: request
            .resolve
            .iter()
            .any(|entry| entry.applies_to(&final_host, final_port)),
    };

    // Each read has the phase timeout (reqwest's read timeout), and the whole body a
    // deadline, so a server that trickles one byte at a time cannot hold the test open.
    let deadline = request.timeout * limits::BODY_DEADLINE_FACTOR;
    let (body, body_truncated) =
        tokio::time::timeout(deadline, read_body(response, request.body_limit))
            .await
            .map_err(|_| ProbeError::BodyTooSlow {
                seconds: deadline.as_secs(),
            })?
            .map_err(failure)?;

    let handshake = recorder
        .lock()
        .ok()
        .and_then(|e| e.handshake_for(&final_host).cloned())
        .unwrap_or_default();
    let hops = hops.lock().map(|h| h.clone()).unwrap_or_default();
    Ok(Exchange {
        url: request.url.clone(),
        final_url: final_url.to_string(),
        method: method.to_string(),
        status,
        elapsed: started.elapsed(),
        tls: details(
            &handshake,
            alpn,
            identity,
            matches!(request.server_trust, ServerTrust::Insecure),
        ),
        route,
        hops,
        headers,
        body,
        body_truncated,
        redirect,
    })
}

/// One client for one test: our TLS configuration, the chosen proxy (or none), the chosen
/// HTTP versions, `--resolve`'s addresses, and the redirect policy.
fn client(
    key: Option<Arc<CertifiedKey>>,
    request: &HttpRequest,
    target: &Target,
    proxy: Option<&ProxyRoute>,
    recorder: &Recorder,
    hops: &Arc<Mutex<Vec<Hop>>>,
) -> Result<reqwest::Client, ProbeError> {
    let config = tls_config(key, &request.server_trust, request.http_version, recorder)?;
    let mut builder = reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .tls_info(true)
        .user_agent(concat!("certlens/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(request.timeout)
        .read_timeout(request.timeout)
        .http1_max_headers(limits::MAX_RESPONSE_HEADERS)
        .http2_max_header_list_size(limits::MAX_RESPONSE_HEAD as u32)
        .pool_max_idle_per_host(1)
        .retry(reqwest::retry::never())
        .referer(false)
        .redirect(redirect_policy(request, hops.clone()));
    builder = match proxy {
        Some(route) => builder.proxy(route.to_reqwest()?),
        None => builder.no_proxy(),
    };
    if request.http_version == HttpVersion::Http1 {
        builder = builder.http1_only();
    }
    let mut overridden: Vec<&str> = Vec::new();
    for entry in request.resolve.iter().filter(|e| e.port == target.port) {
        if overridden.contains(&entry.host.as_str()) {
            continue;
        }
        overridden.push(&entry.host);
        // curl lets several entries for one name add up.
        let addresses: Vec<_> = request
            .resolve
            .iter()
            .filter(|e| e.port == target.port && e.host == entry.host)
            .flat_map(|e| e.socket_addresses())
            .collect();
        builder = builder.resolve_to_addrs(&entry.host, &addresses);
    }
    builder
        .build()
        .map_err(|e| ProbeError::Trust(classify::chain_text(&e)))
}

fn redirect_policy(request: &HttpRequest, hops: Arc<Mutex<Vec<Hop>>>) -> reqwest::redirect::Policy {
    if !request.follow_redirects {
        return reqwest::redirect::Policy::none();
    }
    let any_host = request.follow_any_host;
    reqwest::redirect::Policy::custom(move |attempt| {
        let origin = |url: &url::Url| {
            (
                url.host_str().map(str::to_owned),
                url.port_or_known_default(),
            )
        };
        let elsewhere = attempt
            .previous()
            .first()
            .is_some_and(|first| origin(first) != origin(attempt.url()));
        let hop = Hop {
            status: attempt.status().as_u16(),
            from: attempt
                .previous()
                .last()
                .map(|u| u.to_string())
                .unwrap_or_default(),
            to: attempt.url().to_string(),
        };
        if let Ok(mut hops) = hops.lock() {
            hops.push(hop);
        }
        if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
        } else if attempt.url().scheme() != "https" {
            attempt.error("a redirect leads away from https://")
        } else if elsewhere && !any_host {
            let to = attempt.url().host_str().unwrap_or_default().to_owned();
            attempt.error(format!(
                "a redirect leads to another host ({to}); the client certificate is offered only to the host the test was for, unless redirects to any host are allowed"
            ))
        } else {
            attempt.follow()
        }
    })
}

/// The client's rustls configuration for a connection made outside reqwest (HTTP/1.1 only):
/// the identity's key (or none), the same server check as the live test's.
pub fn raw_tls_config(
    identity: Option<&Identity>,
    trust: &ServerTrust,
) -> Result<rustls::ClientConfig, ProbeError> {
    let key = identity.map(tls::certified_key).transpose()?;
    let recorder: Recorder = Arc::new(Mutex::new(Evidence::default()));
    tls_config(key, trust, HttpVersion::Http1, &recorder)
}

/// The rustls configuration: our identity through the recording resolver, the server check
/// through the recording verifier, the ALPN offer, and the recording session store.
fn tls_config(
    key: Option<Arc<CertifiedKey>>,
    trust: &ServerTrust,
    version: HttpVersion,
    recorder: &Recorder,
) -> Result<rustls::ClientConfig, ProbeError> {
    let provider = tls::provider();
    let inner: Arc<dyn ServerCertVerifier> = match trust {
        ServerTrust::Verify(extra) => Arc::new(
            rustls_platform_verifier::Verifier::new_with_extra_roots(
                tls::certificate_ders(&extra.iter().collect::<Vec<_>>()),
                provider.clone(),
            )
            .map_err(|e| ProbeError::Trust(e.to_string()))?,
        ),
        ServerTrust::Insecure => Arc::new(NoServerVerification(provider.clone())),
    };
    let verifier = Arc::new(RecordingVerifier {
        inner,
        recorder: recorder.clone(),
    });
    let resolver = Arc::new(RecordingResolver {
        key,
        recorder: recorder.clone(),
    });
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ProbeError::Trust(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_client_cert_resolver(resolver);
    config.alpn_protocols = match version {
        HttpVersion::Auto => vec![b"h2".to_vec(), b"http/1.1".to_vec()],
        HttpVersion::Http1 => vec![b"http/1.1".to_vec()],
        HttpVersion::Http2 => vec![b"h2".to_vec()],
    };
    config.resumption = Resumption::store(Arc::new(RecordingSessions::new(recorder.clone())));
    Ok(config)
}

/// Reads at most `limit` bytes of the body; true when more was sent.
async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = limit.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if chunk.len() > room {
            return Ok((body, true));
        }
    }
    Ok((body, false))
}

fn details(
    handshake: &Handshake,
    alpn: &str,
    identity: Option<&Identity>,
    insecure: bool,
) -> TlsDetails {
    let server_chain = handshake
        .chain
        .iter()
        .filter_map(|der| Certificate::from_der(der).ok())
        .collect();
    let request = handshake.request.clone();
    let ca_names = request
        .as_ref()
        .map(|r| r.ca_names.clone())
        .unwrap_or_default();
    let acceptable_cas: Vec<String> = ca_names
        .iter()
        .map(|dn| {
            format_name(dn, TlsLibrary::BoringSsl)
                .map(|n| n.rfc2253)
                .unwrap_or_default()
        })
        .collect();
    let issuer_acceptable = identity.filter(|_| !ca_names.is_empty()).map(|identity| {
        ca_names
            .iter()
            .any(|dn| dn.as_slice() == identity.leaf.issuer_der())
    });
    TlsDetails {
        version: handshake.version.unwrap_or("unknown").to_owned(),
        cipher: handshake.cipher.clone(),
        key_exchange: handshake.key_exchange.clone(),
        alpn: alpn.to_owned(),
        server_chain,
        client_certificate_requested: request.is_some(),
        client_certificate_sent: request.as_ref().is_some_and(|r| r.sent),
        acceptable_cas,
        signature_schemes: request
            .map(|r| r.schemes.iter().map(|s| scheme_name(*s)).collect())
            .unwrap_or_default(),
        issuer_acceptable,
        server_verification_skipped: insecure,
    }
}

fn scheme_name(scheme: SignatureScheme) -> String {
    scheme
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{scheme:?}"))
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
