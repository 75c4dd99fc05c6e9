//! Does the edge really enforce mTLS? The requests an attacker would try, each one real: the
//! user's identity (the baseline), no certificate over each HTTP version, the leaf's twin from a
//! throwaway CA, its self-signed twin, and forged certificate headers. Each probe says what was
//! sent, what happened — refused in the handshake, refused by HTTP status, or answered (and
//! what the application saw) — and why it matters.

mod forged;
mod http3;
mod resumption;
mod twins;

use serde::Serialize;

use crate::assess::Trust;
use crate::fields::Profile;
use crate::fields::profiles::Aspect;
use crate::identity::Identity;
use crate::probe::{self, Echo, Exchange, HttpRequest, HttpVersion, ProbeError};

pub use forged::FORGED_COMMON_NAME;
pub use twins::{TestCa, TwinError};

/// Which request a probe sends; the ids are the JSON's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProbeId {
    /// The user's identity: the request that should pass.
    Baseline,
    /// No client certificate.
    NoCertificate,
    /// The leaf's subject, serial and SANs, signed by a CA made on the spot.
    UnrelatedCa,
    /// The same names on a self-signed certificate.
    SelfSignedTwin,
    /// No certificate, but every edge's certificate headers forged by the client.
    ForgedHeaders,
    /// The leaf's twin from the user's test CA, expired yesterday.
    Expired,
    /// The leaf's twin from the user's test CA, valid only from tomorrow.
    NotYetValid,
    /// The leaf's twin from the user's test CA, for TLS servers only (EKU serverAuth).
    ServerAuthOnly,
    /// A session made with the identity on another URL, resumed with no certificate.
    Resumption,
    /// No certificate, over HTTP/3.
    Http3NoCertificate,
}

impl ProbeId {
    /// The id as the JSON writes it.
    pub fn name(self) -> &'static str {
        match self {
            ProbeId::Baseline => "baseline",
            ProbeId::NoCertificate => "no-certificate",
            ProbeId::UnrelatedCa => "unrelated-ca",
            ProbeId::SelfSignedTwin => "self-signed-twin",
            ProbeId::ForgedHeaders => "forged-headers",
            ProbeId::Expired => "expired",
            ProbeId::NotYetValid => "not-yet-valid",
            ProbeId::ServerAuthOnly => "server-auth-only",
            ProbeId::Resumption => "resumption",
            ProbeId::Http3NoCertificate => "http3-no-certificate",
        }
    }

    /// Why the probe matters.
    pub fn why(self) -> &'static str {
        match self {
            ProbeId::Baseline => "the request that should pass: the others are compared with it",
            ProbeId::NoCertificate => {
                "an edge that lets a request without a certificate through (ssl_verify_client optional, Cloudflare without a WAF rule) leaves the check to the application"
            }
            ProbeId::UnrelatedCa => {
                "catches an application that reads the subject or serial instead of the verdict: these names come from a CA nobody trusts"
            }
            ProbeId::SelfSignedTwin => {
                "the same names on a certificate anyone can make; an edge that verifies nothing (optional_no_ca) passes it"
            }
            ProbeId::ForgedHeaders => {
                "a proxy that passes the client's own X-SSL-Client-*, X-Forwarded-Client-Cert, Cf-Client-Cert-* or Client-Cert headers lets any client claim any certificate"
            }
            ProbeId::Expired => {
                "a trusted CA, but the certificate has expired: an edge that skips the dates lets a leaked old certificate in"
            }
            ProbeId::NotYetValid => {
                "a trusted CA, but the certificate is not valid yet: the edge must check both dates"
            }
            ProbeId::ServerAuthOnly => {
                "a trusted CA, but a certificate for servers only: an edge that ignores the extended key usage accepts any server certificate the CA issued as a client"
            }
            ProbeId::Http3NoCertificate => {
                "the QUIC listener is configured apart from the TCP one: edges have let requests without a certificate through over HTTP/3 while HTTP/1.1 and h2 refused them"
            }
            ProbeId::Resumption => {
                "a server that resumes a session made on another host or port (a shared ticket key, CVE-2025-23419 in nginx) hands this request the other session's certificate, though none was sent"
            }
        }
    }
}

/// What became of one request.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Outcome {
    /// The TLS handshake failed: the edge refused the connection.
    RefusedInHandshake {
        /// The error, as the live test words it.
        detail: String,
    },
    /// The edge (or the application) answered with an error status.
    RefusedByStatus {
        /// The HTTP status.
        status: u16,
    },
    /// A 2xx or 3xx answer: the request reached the application.
    Reached {
        /// The HTTP status.
        status: u16,
    },
    /// The request could not be made for another reason (network, the HTTP version not offered).
    NotMade {
        /// Why.
        detail: String,
    },
    /// The server did not resume the offered session: a full handshake followed.
    NotResumed {
        /// The HTTP status of the answer to that full handshake, when one came.
        status: Option<u16>,
    },
}

/// One probe's row.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeRow {
    /// Which probe.
    pub id: ProbeId,
    /// The HTTP versions offered (`h2 or HTTP/1.1`, `HTTP/1.1 only`, `h2 only`).
    pub protocol: &'static str,
    /// What was sent, in a sentence.
    pub sent: String,
    /// What happened.
    pub outcome: Outcome,
    /// The verdict the application saw, read from the echo with the chosen profile (`NONE`,
    /// `FAILED:…`, `SUCCESS`), when the echo carries one.
    pub saw: Option<String>,
    /// Forged headers the echo shows unchanged (the forged-headers probe).
    pub forged_reached: Vec<String>,
    /// Why the probe matters.
    pub why: &'static str,
}

impl ProbeRow {
    /// True when a probe other than the baseline got a 2xx answer.
    pub fn is_open(&self) -> bool {
        self.id != ProbeId::Baseline
            && matches!(self.outcome, Outcome::Reached { status } if (200..300).contains(&status))
    }
}

/// A probe the audit did not send, and why.
#[derive(Debug, Clone, Serialize)]
pub struct NotRun {
    /// The probe's id.
    pub id: &'static str,
    /// Why it was not sent.
    pub reason: &'static str,
}

/// The whole audit.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Audit {
    /// The URL audited.
    pub url: String,
    /// The profile whose words the echo was read with.
    pub profile: Profile,
    /// Every probe sent, in order.
    pub probes: Vec<ProbeRow>,
    /// The probes not sent.
    pub not_run: Vec<NotRun>,
}

impl Audit {
    /// The probes other than the baseline that got a 2xx answer.
    pub fn open(&self) -> impl Iterator<Item = &ProbeRow> {
        self.probes.iter().filter(|row| row.is_open())
    }

    /// Sends every probe to `request`'s URL. Fails only when nothing could be sent at all (the
    /// URL, the options or the identity are unusable, or the server cannot be reached).
    pub fn run(
        identity: &Identity,
        trust: &Trust,
        profile: Profile,
        request: &HttpRequest,
    ) -> Result<Self, AuditError> {
        Self::run_with(identity, trust, profile, request, &MoreProbes::default())
    }

    /// [`Audit::run`], with the probes that need more: the user's own test CA to sign leaves
    /// that are wrong on purpose, another URL to resume a session from.
    pub fn run_with(
        identity: &Identity,
        trust: &Trust,
        profile: Profile,
        request: &HttpRequest,
        more: &MoreProbes<'_>,
    ) -> Result<Self, AuditError> {
        let test_ca = more.test_ca;
        let verdict_headers = verdict_headers(identity, trust, profile);
        let row = |id: ProbeId,
                   protocol: HttpVersion,
                   sent: String,
                   result: Result<Exchange, ProbeError>| {
            probe_row(id, protocol, sent, result, &verdict_headers)
        };
        let mut probes = Vec::new();
        let baseline = probe::send(identity, request);
        if let Err(error) = &baseline
            && cannot_run(error)
        {
            return Err(AuditError::Baseline(error.to_string()));
        }
        let offered = versions(request.http_version, baseline.as_ref().ok());
        let alt_svc = baseline.as_ref().ok().and_then(|exchange| {
            exchange
                .headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("alt-svc"))
                .and_then(|(_, value)| http3::advertised_port(value))
        });
        probes.push(row(
            ProbeId::Baseline,
            request.http_version,
            "the identity given, as the live test sends it".to_owned(),
            baseline,
        ));
        for version in offered {
            let mut anonymous = request.clone();
            anonymous.http_version = version;
            probes.push(row(
                ProbeId::NoCertificate,
                version,
                "no client certificate".to_owned(),
                probe::send_without_certificate(&anonymous),
            ));
        }
        let twin = |make: fn(&crate::certificate::Certificate) -> Result<Identity, TwinError>| {
            make(&identity.leaf).map_err(AuditError::Twin)
        };
        let unrelated = twin(twins::unrelated_ca_twin)?;
        probes.push(row(
            ProbeId::UnrelatedCa,
            request.http_version,
            "the leaf's subject, serial and SANs on a certificate from a CA made for the audit"
                .to_owned(),
            probe::send(&unrelated, request),
        ));
        let self_signed = twin(twins::self_signed_twin)?;
        probes.push(row(
            ProbeId::SelfSignedTwin,
            request.http_version,
            "the leaf's subject, serial and SANs on a self-signed certificate".to_owned(),
            probe::send(&self_signed, request),
        ));
        let forged = forged::headers().map_err(AuditError::Twin)?;
        let mut forging = request.clone();
        forging.headers.extend(forged.iter().cloned());
        let result = probe::send_without_certificate(&forging);
        let reached: Vec<String> = match &result {
            Ok(exchange) => {
                let echo = Echo::parse(&exchange.body, exchange.body_truncated);
                forged
                    .iter()
                    .filter(|(name, value)| echo.get(name) == Some(value.as_str()))
                    .map(|(name, _)| name.clone())
                    .collect()
            }
            Err(_) => Vec::new(),
        };
        let mut forged_row = row(
            ProbeId::ForgedHeaders,
            request.http_version,
            format!(
                "no client certificate, and {} certificate headers naming CN={FORGED_COMMON_NAME}, as every edge Certlens knows spells them",
                forged.len()
            ),
            result,
        );
        forged_row.forged_reached = reached;
        probes.push(forged_row);
        probes.push(http3_row(request, alt_svc, &verdict_headers));
        let mut not_run = Vec::new();
        match test_ca {
            Some(ca) => {
                use rcgen::ExtendedKeyUsagePurpose::{ClientAuth, ServerAuth};
                for (id, valid, usage, sent) in [
                    (
                        ProbeId::Expired,
                        (-30, -1),
                        ClientAuth,
                        "the leaf's names from your test CA, expired yesterday",
                    ),
                    (
                        ProbeId::NotYetValid,
                        (1, 30),
                        ClientAuth,
                        "the leaf's names from your test CA, valid only from tomorrow",
                    ),
                    (
                        ProbeId::ServerAuthOnly,
                        (-1, 2),
                        ServerAuth,
                        "the leaf's names from your test CA, with extended key usage serverAuth only",
                    ),
                ] {
                    let wrong = ca
                        .leaf(&identity.leaf, valid, usage)
                        .map_err(AuditError::Twin)?;
                    probes.push(row(
                        id,
                        request.http_version,
                        sent.to_owned(),
                        probe::send(&wrong, request),
                    ));
                }
            }
            None => not_run.push(NotRun {
                id: "expired, not-yet-valid, server-auth-only",
                reason: "these need your own test CA's key to sign with",
            }),
        }
        match more.resume_from {
            Some(other) => {
                for (from, to) in [(other, request.url.as_str()), (request.url.as_str(), other)] {
                    probes.push(resumption_row(
                        identity,
                        request,
                        from,
                        to,
                        &verdict_headers,
                    ));
                }
            }
            None => not_run.push(NotRun {
                id: "resumption",
                reason: "this needs another host or port of the same edge to make a session on",
            }),
        }
        Ok(Self {
            url: request.url.clone(),
            profile,
            probes,
            not_run,
        })
    }
}

/// What the probes beyond the basic ones need.
#[derive(Default)]
pub struct MoreProbes<'a> {
    /// The user's own test CA (expired, not-yet-valid and server-only leaves).
    pub test_ca: Option<&'a TestCa>,
    /// Another URL (another host or port of the same edge) to make a session on, for the
    /// resumption probe.
    pub resume_from: Option<&'a str>,
}

/// Why the audit could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuditError {
    /// The baseline request could not be made at all.
    #[error("the audit could not reach the server: {0}")]
    Baseline(String),
    /// A certificate for a probe could not be made.
    #[error(transparent)]
    Twin(TwinError),
}

/// The HTTP versions to probe without a certificate: each one the server speaks when both may
/// be offered (h2 when the baseline agreed on it, or when it told nothing), else the one asked.
fn versions(asked: HttpVersion, baseline: Option<&Exchange>) -> Vec<HttpVersion> {
    match asked {
        HttpVersion::Auto => match baseline.map(|exchange| exchange.tls.alpn.as_str()) {
            Some("h2") | None => vec![HttpVersion::Http2, HttpVersion::Http1],
            Some(_) => vec![HttpVersion::Http1],
        },
        one => vec![one],
    }
}

/// The echo keys that carry the verdict for `profile`: its verdict headers, and the Worker's
/// property.
fn verdict_headers(identity: &Identity, trust: &Trust, profile: Profile) -> Vec<String> {
    let view = trust.assess(identity, profile).view;
    let mut keys: Vec<String> = view
        .edge
        .values
        .iter()
        .filter(|value| value.aspect == Aspect::Verdict)
        .map(|value| value.header.to_owned())
        .collect();
    // The echo Worker's names, which an echo in front of any edge may use.
    keys.push("X-CERT-VERIFY".to_owned());
    keys.push("certVerified".to_owned());
    keys
}

/// The HTTP/3 probe: on the port the server advertises (`Alt-Svc: h3`), else on the URL's own
/// port, briefly.
fn http3_row(
    request: &HttpRequest,
    advertised: Option<u16>,
    verdict_headers: &[String],
) -> ProbeRow {
    let url_port = url::Url::parse(&request.url)
        .ok()
        .and_then(|url| url.port_or_known_default())
        .unwrap_or(443);
    let (port, wait) = match advertised {
        Some(port) => (port, request.timeout),
        None => (url_port, std::time::Duration::from_secs(1)),
    };
    let (outcome, saw) = match http3::without_certificate(request, port, wait) {
        Err(detail) => (Outcome::NotMade { detail }, None),
        Ok(http3::Answer::Handshake(detail)) => (Outcome::RefusedInHandshake { detail }, None),
        Ok(http3::Answer::Silent) => (
            Outcome::NotMade {
                detail: match advertised {
                    Some(port) => format!(
                        "the server advertises HTTP/3 on port {port}, but nothing answered over QUIC"
                    ),
                    None => format!(
                        "no HTTP/3 here: the server advertises none (Alt-Svc) and nothing answered over QUIC on port {port}"
                    ),
                },
            },
            None,
        ),
        Ok(http3::Answer::Status(status, body)) => {
            let echo = Echo::parse(&body, false);
            let saw = verdict_headers
                .iter()
                .find_map(|key| echo.get(key))
                .map(str::to_owned);
            let outcome = if status >= 400 {
                Outcome::RefusedByStatus { status }
            } else {
                Outcome::Reached { status }
            };
            (outcome, saw)
        }
    };
    ProbeRow {
        id: ProbeId::Http3NoCertificate,
        protocol: "HTTP/3",
        sent: format!("no client certificate, over HTTP/3 (QUIC) on UDP port {port}"),
        outcome,
        saw,
        forged_reached: Vec::new(),
        why: ProbeId::Http3NoCertificate.why(),
    }
}

/// The address to send to: a `--resolve` entry for the host and port, else DNS.
fn socket_address(
    request: &HttpRequest,
    host: &str,
    port: u16,
) -> Result<std::net::SocketAddr, String> {
    use std::net::ToSocketAddrs as _;
    if let Some(entry) = request
        .resolve
        .iter()
        .find(|e| e.port == port && e.host.eq_ignore_ascii_case(host))
        && let Some(address) = entry.socket_addresses().first()
    {
        return Ok(*address);
    }
    (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .next()
        .ok_or_else(|| format!("{host} has no address"))
}

/// The resumption probe in one direction: a session made on `from`, offered on `to`.
fn resumption_row(
    identity: &Identity,
    request: &HttpRequest,
    from: &str,
    to: &str,
    verdict_headers: &[String],
) -> ProbeRow {
    let (outcome, saw) = match resumption::across(identity, request, from, to) {
        Err(detail) => (Outcome::NotMade { detail }, None),
        Ok(answer) => {
            let echo = Echo::parse(&answer.body, false);
            let saw = verdict_headers
                .iter()
                .find_map(|key| echo.get(key))
                .map(str::to_owned);
            let outcome = match (answer.resumed, answer.status) {
                (false, status) => Outcome::NotResumed { status },
                (true, Some(status)) if status >= 400 => Outcome::RefusedByStatus { status },
                (true, Some(status)) => Outcome::Reached { status },
                (true, None) => Outcome::NotMade {
                    detail: String::from_utf8_lossy(&answer.body).into_owned(),
                },
            };
            (outcome, saw)
        }
    };
    ProbeRow {
        id: ProbeId::Resumption,
        protocol: HttpVersion::Http1.describe(),
        sent: format!(
            "no client certificate on {to}, offering the TLS session made with the identity on {from}"
        ),
        outcome,
        saw,
        forged_reached: Vec::new(),
        why: ProbeId::Resumption.why(),
    }
}

/// Errors that stop the whole audit: the request cannot be made at all, whatever is presented.
fn cannot_run(error: &ProbeError) -> bool {
    matches!(
        error,
        ProbeError::BadUrl(_)
            | ProbeError::BadRequest(_)
            | ProbeError::BadProxy(_)
            | ProbeError::BadResolve(_)
            | ProbeError::Identity(_)
            | ProbeError::Trust(_)
            | ProbeError::Dns { .. }
            | ProbeError::Connect { .. }
            | ProbeError::ServerNotTrusted { .. }
            | ProbeError::Intercepted { .. }
    )
}

/// A refusal of the client in the handshake (an alert or a closed connection); a server that
/// does not speak the HTTP version offered has refused nothing.
fn refused_in_handshake(error: &ProbeError) -> bool {
    match error {
        ProbeError::Rejected { alert, .. } => alert != "NoApplicationProtocol",
        ProbeError::Tls(_) => true,
        _ => false,
    }
}

fn probe_row(
    id: ProbeId,
    protocol: HttpVersion,
    sent: String,
    result: Result<Exchange, ProbeError>,
    verdict_headers: &[String],
) -> ProbeRow {
    let (outcome, saw) = match result {
        Ok(exchange) => {
            let echo = Echo::parse(&exchange.body, exchange.body_truncated);
            let saw = verdict_headers
                .iter()
                .find_map(|key| echo.get(key))
                .map(str::to_owned);
            let status = exchange.status;
            let outcome = if status >= 400 {
                Outcome::RefusedByStatus { status }
            } else {
                Outcome::Reached { status }
            };
            (outcome, saw)
        }
        Err(error) if refused_in_handshake(&error) => (
            Outcome::RefusedInHandshake {
                detail: error.to_string(),
            },
            None,
        ),
        Err(error) => (
            Outcome::NotMade {
                detail: error.to_string(),
            },
            None,
        ),
    };
    ProbeRow {
        id,
        protocol: protocol.describe(),
        sent,
        outcome,
        saw,
        forged_reached: Vec::new(),
        why: id.why(),
    }
}
