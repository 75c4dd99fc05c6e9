//! A whole live test: the exchange, the echo read, the comparison and the notes on it, as the
//! command line prints it and the window shows it.

use crate::assess::Trust;
use crate::document::CertificateSummary;
use crate::fields::Profile;
use crate::identity::Identity;

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
            notes.push(format!("redirected to {location} (not followed)"));
        }
        if exchange.tls.server_verification_skipped {
            notes.push("the server's certificate was NOT verified (--insecure)".to_owned());
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
            "status": self.exchange.status,
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

    /// The human-readable `test` output.
    pub fn text(&self) -> String {
        let e = &self.exchange;
        let mut out = format!(
            "{} -> HTTP {} in {} ms over {} ({})\n",
            e.url,
            e.status,
            e.elapsed.as_millis(),
            e.tls.version,
            e.tls.cipher
        );
        out.push_str(&format!(
            "client certificate {}; {} match, {} mismatch, {} missing, {} unexpected\n",
            if e.tls.client_certificate_sent {
                "sent"
            } else {
                "NOT requested by the server"
            },
            self.summary.matched,
            self.summary.mismatch,
            self.summary.missing,
            self.summary.unexpected
        ));
        for note in &self.notes {
            out.push_str(&format!("note: {note}\n"));
        }
        if let Some(problem) = &self.echo.problem {
            out.push_str(&format!("\nThe echo could not be read: {}\n", problem.0));
            let raw = String::from_utf8_lossy(&e.body);
            out.push_str(&format!(
                "Raw body (first 600 characters):\n{}\n",
                raw.chars().take(600).collect::<String>()
            ));
        }
        for row in &self.rows {
            let verdict = match row.verdict {
                Verdict::Match => "match",
                Verdict::Mismatch => "MISMATCH",
                Verdict::Missing => "MISSING",
                Verdict::Unexpected => "unexpected",
            };
            out.push_str(&format!("\n[{verdict}] {} ({})\n", row.field, row.header));
            out.push_str(&format!(
                "  local : {}\n",
                row.local.as_deref().unwrap_or("(none)")
            ));
            out.push_str(&format!(
                "  echoed: {}\n",
                row.echoed.as_deref().unwrap_or("(absent)")
            ));
            if !row.explanation.is_empty() {
                out.push_str(&format!("  why   : {}\n", row.explanation));
            }
        }
        out
    }
}
