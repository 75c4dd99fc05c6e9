//! A whole live test: the exchange, the echo read, the comparison and the notes on it, as the
//! command line prints it and the window shows it.

use crate::assess::Trust;
use crate::certificate::Certificate;
use crate::fields::Profile;
use crate::identity::Identity;

use super::{
    Echo, Exchange, HttpRequest, ProbeError, Remedy, Row, Summary, Verdict, compare, compare_edge,
    explain_status, send,
};

/// A live test's whole outcome: the exchange, the echo read, and the comparison.
pub struct LiveTest {
    /// The request and its answer.
    pub exchange: Exchange,
    /// The echo, read.
    pub echo: Echo,
    /// The comparison.
    pub rows: Vec<Row>,
    /// Its counts.
    pub summary: Summary,
    /// The certificate that was sent (the leaf; never its key).
    pub sent: Certificate,
    /// How many chain certificates were sent with it.
    pub sent_chain_length: usize,
    /// Sentences about the exchange (status, redirect, an unchecked server, CA names, cut body).
    pub notes: Vec<String>,
    /// Changes the notes suggest, for each face to say in its own words.
    pub remedies: Vec<Remedy>,
    /// The echo as a person reads it: pretty JSON, or the body as text.
    pub echo_text: String,
}

impl LiveTest {
    /// Sends the request and compares the echo with the fields of the certificate sent.
    pub fn run(
        identity: &Identity,
        trust: &Trust,
        profile: Profile,
        request: &HttpRequest,
    ) -> Result<Self, ProbeError> {
        let exchange = send(identity, request)?;
        let every = trust.every_edge(identity);
        let local = &trust.assess(identity, profile).view;
        let (echo, rows) = if local.edge.worker_properties().is_some() {
            // An echo of the Worker's properties: each value is explained beside the other
            // library's spelling of the same property set.
            let other = every
                .iter()
                .find(|view| {
                    view.profile.library() != profile.library()
                        && view.edge.worker_properties().is_some()
                })
                .unwrap_or(local);
            let echo = Echo::parse(&exchange.body, exchange.body_truncated);
            let rows = compare(local, other, &echo);
            (echo, rows)
        } else {
            let headers: Vec<&str> = local.edge.values.iter().map(|v| v.header).collect();
            let echo = Echo::parse_for(&exchange.body, exchange.body_truncated, &headers);
            let rows = match &echo.problem {
                Some(problem) => local
                    .edge
                    .values
                    .iter()
                    .map(|value| Row {
                        field: value.label(),
                        header: value.header.to_owned(),
                        local: value.value.as_header_value(),
                        echoed: None,
                        verdict: Verdict::Missing,
                        explanation: problem.0.clone(),
                    })
                    .collect(),
                None => compare_edge(local, &every, &echo),
            };
            (echo, rows)
        };
        let summary = Summary::of(&rows);
        let mut notes = Vec::new();
        let mut remedies = Vec::new();
        if let Some(sentence) = explain_status(exchange.status) {
            notes.push(sentence.to_owned());
        }
        if let Some(location) = &exchange.redirect {
            notes.push(format!(
                "redirected to {location} (not followed: following redirects is off)"
            ));
            remedies.push(Remedy::FollowRedirects);
        }
        for hop in &exchange.hops {
            notes.push(format!(
                "followed a {} redirect from {} to {}",
                hop.status, hop.from, hop.to
            ));
        }
        if !exchange.tls.client_certificate_requested && exchange.route.proxy.is_some() {
            notes.push("no CertificateRequest arrived through the proxy: a proxy that inspects TLS ends the connection itself, so the edge never saw the client certificate (bypass it with NO_PROXY, or no proxy for the test)".to_owned());
            remedies.push(Remedy::BypassProxy);
        }
        if !exchange.tls.client_certificate_requested
            && exchange.tls.alpn == "h2"
            && matches!(exchange.status, 400 | 403 | 421)
        {
            notes.push("the server did not ask for a client certificate in the handshake and refused the request over HTTP/2: servers that ask for one only on some paths (TLS renegotiation, post-handshake authentication) cannot over HTTP/2; try HTTP/1.1".to_owned());
            remedies.push(Remedy::UseHttp1);
        }
        if exchange.tls.server_verification_skipped {
            notes.push(
                "the server's certificate was NOT verified (that check was turned off)".to_owned(),
            );
        }
        if exchange.tls.client_certificate_requested && !exchange.tls.client_certificate_sent {
            notes.push(format!(
                "the server asked for a client certificate but allows only the signature schemes {}, none of which our key can make, so none was sent",
                exchange.tls.signature_schemes.join(", ")
            ));
        }
        if !exchange.tls.client_certificate_requested {
            notes.push("the server never asked for a client certificate, so none was sent: mTLS is not enabled for this hostname".to_owned());
        }
        if exchange.tls.issuer_acceptable == Some(false) {
            notes.push(format!(
                "the server lists acceptable CAs ({}) and our certificate's issuer is not among them",
                exchange.tls.acceptable_cas.join("; ")
            ));
        }
        if exchange.body_truncated {
            notes.push(format!(
                "the response was cut at {} bytes",
                exchange.body.len()
            ));
        }
        let echo_text = match &echo.json {
            Some(json) => serde_json::to_string_pretty(json).unwrap_or_default(),
            None => String::from_utf8_lossy(&exchange.body).into_owned(),
        };
        Ok(Self {
            exchange,
            echo,
            rows,
            summary,
            echo_text,
            sent: identity.leaf.clone(),
            sent_chain_length: identity.chain.len(),
            notes,
            remedies,
        })
    }
}
