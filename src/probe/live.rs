//! A whole live test: the exchange, the echo read, the comparison and the notes on it, as the
//! command line prints it and the window shows it.

use crate::assess::Trust;
use crate::fields::Profile;
use crate::identity::Identity;
use crate::report::document::CertificateSummary;

use super::{
    Echo, Exchange, HttpRequest, ProbeError, Row, Summary, Verdict, compare, explain_status, send,
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
    /// The identity that was sent.
    pub sent: Identity,
    /// Sentences about the exchange (status, redirect, --insecure, CA names, cut body).
    pub notes: Vec<String>,
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
        let view = |profile: Profile| {
            trust
                .assess(identity, identity.find_issuer(&trust.cas), profile)
                .1
        };
        let other = if profile == Profile::Cloudflare {
            Profile::Nginx
        } else {
            Profile::Cloudflare
        };
        let echo = Echo::parse(&exchange.body, exchange.body_truncated);
        let rows = compare(&view(profile), &view(other), &echo);
        let summary = Summary::of(&rows);
        let mut notes = Vec::new();
        if let Some(sentence) = explain_status(exchange.status) {
            notes.push(sentence.to_owned());
        }
        if let Some(location) = &exchange.redirect {
            notes.push(format!(
                "redirected to {location} (not followed; --follow follows redirects)"
            ));
        }
        for hop in &exchange.hops {
            notes.push(format!(
                "followed a {} redirect from {} to {}",
                hop.status, hop.from, hop.to
            ));
        }
        if !exchange.tls.client_certificate_requested && exchange.route.proxy.is_some() {
            notes.push("no CertificateRequest arrived through the proxy: a proxy that inspects TLS ends the connection itself, so the edge never saw the client certificate (bypass it with NO_PROXY or --no-proxy)".to_owned());
        }
        if !exchange.tls.client_certificate_requested
            && exchange.tls.alpn == "h2"
            && matches!(exchange.status, 400 | 403 | 421)
        {
            notes.push("the server did not ask for a client certificate in the handshake and refused the request over HTTP/2: servers that ask for one only on some paths (TLS renegotiation, post-handshake authentication) cannot over HTTP/2; try --http1.1".to_owned());
        }
        if exchange.tls.server_verification_skipped {
            notes.push("the server's certificate was NOT verified (--insecure)".to_owned());
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
        Ok(Self {
            exchange,
            echo,
            rows,
            summary,
            sent: identity.clone(),
            notes,
        })
    }

    /// The `test --format json` object.
    pub fn document(&self) -> serde_json::Value {
        let raw = String::from_utf8_lossy(&self.exchange.body);
        serde_json::json!({
            "url": self.exchange.url,
            "finalUrl": self.exchange.final_url,
            "method": self.exchange.method,
            "status": self.exchange.status,
            "route": self.exchange.route,
            "redirects": self.exchange.hops,
            "elapsedMs": self.exchange.elapsed.as_millis() as u64,
            "tls": self.exchange.tls,
            "sent": {
                "subject": CertificateSummary::new(&self.sent.leaf, Profile::Cloudflare).subject,
                "sha256": self.sent.leaf.sha256_hex(),
                "chainLength": self.sent.chain.len(),
            },
            "echo": {
                "shapes": self.echo.shapes,
                "json": self.echo.json,
                "raw": if self.echo.json.is_none() { Some(raw.chars().take(4096).collect::<String>()) } else { None },
                "truncated": self.exchange.body_truncated,
                "problem": self.echo.problem.as_ref().map(|p| p.0.clone()),
            },
            "comparison": self.rows,
            "summary": self.summary,
            "notes": self.notes,
        })
    }

    /// The human-readable `test` output. Everything the server sent is shown with its control
    /// characters spelled out, so a hostile echo cannot drive the terminal.
    pub fn text(&self) -> String {
        let e = &self.exchange;
        let tls = &e.tls;
        let mut out = format!("{} {} -> {}\n", e.method, line(&e.url), e.outcome_line());
        if let Some(route) = e.route_line() {
            out.push_str(&format!("{route}\n"));
        }
        out.push_str(&format!(
            "client certificate {}; {} match, {} mismatch, {} missing, {} unexpected\n",
            if tls.client_certificate_sent {
                "sent"
            } else if tls.client_certificate_requested {
                "requested but NOT sent"
            } else {
                "NOT requested by the server"
            },
            self.summary.matched,
            self.summary.mismatch,
            self.summary.missing,
            self.summary.unexpected
        ));
        for note in &self.notes {
            out.push_str(&format!("note: {}\n", line(note)));
        }
        if let Some(problem) = &self.echo.problem {
            out.push_str(&format!("\nThe echo could not be read: {}\n", problem.0));
            let raw = String::from_utf8_lossy(&e.body);
            let head: String = raw.chars().take(600).collect();
            out.push_str(&format!(
                "Raw body (first 600 characters):\n{}\n",
                crate::report::escape::terminal_block(&head)
            ));
        }
        for row in &self.rows {
            let verdict = match row.verdict {
                Verdict::Match => "match",
                Verdict::Mismatch => "MISMATCH",
                Verdict::Missing => "MISSING",
                Verdict::Unexpected => "unexpected",
            };
            out.push_str(&format!(
                "\n[{verdict}] {} ({})\n",
                line(&row.field),
                line(&row.header)
            ));
            out.push_str(&format!(
                "  local : {}\n",
                line(row.local.as_deref().unwrap_or("(none)"))
            ));
            out.push_str(&format!(
                "  echoed: {}\n",
                line(row.echoed.as_deref().unwrap_or("(absent)"))
            ));
            if !row.explanation.is_empty() {
                out.push_str(&format!("  why   : {}\n", line(&row.explanation)));
            }
        }
        out
    }
}

fn line(text: &str) -> std::borrow::Cow<'_, str> {
    crate::report::escape::terminal_line(text)
}
