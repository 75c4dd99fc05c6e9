//! The shapes of `certlens test` output: the JSON document (also the report's `liveTest`
//! section) and the text, in which everything the server sent has its control characters
//! spelled out (see [`super::escape`]).

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;

use crate::fields::Profile;
use crate::probe::{EchoShape, Hop, LiveTest, Route, Row, Summary, TlsDetails, Verdict};

use super::chain::CertificateSummary;
use super::escape::{terminal_block, terminal_line};

/// How much of a body that is not JSON the document keeps, in characters.
const RAW_BODY_CHARACTERS: usize = 4096;

/// How much of such a body the text shows, in characters.
const RAW_TEXT_CHARACTERS: usize = 600;

/// The `test --format json` object.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestDocument {
    /// The URL requested.
    pub url: String,
    final_url: String,
    method: String,
    /// HTTP status of the final answer.
    pub status: u16,
    route: Route,
    redirects: Vec<Hop>,
    elapsed_ms: u64,
    tls: TlsSection,
    sent: SentCertificate,
    echo: EchoDocument,
    /// The comparison, one row per field.
    pub comparison: Vec<Row>,
    /// Its counts.
    pub summary: Summary,
    notes: Vec<String>,
}

/// The handshake as the document shows it: the details, and the server's chain summarised.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct TlsSection {
    #[serde(flatten)]
    details: TlsDetails,
    server_chain: Vec<CertificateSummary>,
}

/// The certificate that was sent.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct SentCertificate {
    subject: String,
    sha256: String,
    chain_length: usize,
}

/// The echo as read.
#[derive(Debug, Clone, Serialize)]
struct EchoDocument {
    shapes: Vec<EchoShape>,
    json: Option<Value>,
    raw: Option<String>,
    truncated: bool,
    problem: Option<String>,
}

impl TestDocument {
    /// Everything `test --format json` prints.
    pub fn new(test: &LiveTest) -> Self {
        let e = &test.exchange;
        Self {
            url: e.url.clone(),
            final_url: e.final_url.clone(),
            method: e.method.clone(),
            status: e.status,
            route: e.route.clone(),
            redirects: e.hops.clone(),
            elapsed_ms: u64::try_from(e.elapsed.as_millis()).unwrap_or(u64::MAX),
            tls: TlsSection {
                server_chain: e
                    .tls
                    .server_chain
                    .iter()
                    .map(|c| CertificateSummary::new(c, Profile::Cloudflare))
                    .collect(),
                details: e.tls.clone(),
            },
            sent: SentCertificate {
                subject: CertificateSummary::new(&test.sent, Profile::Cloudflare).subject,
                sha256: test.sent.sha256_hex(),
                chain_length: test.sent_chain_length,
            },
            echo: EchoDocument {
                shapes: test.echo.shapes.clone(),
                json: test.echo.json.clone(),
                raw: test.echo.json.is_none().then(|| {
                    String::from_utf8_lossy(&e.body)
                        .chars()
                        .take(RAW_BODY_CHARACTERS)
                        .collect()
                }),
                truncated: e.body_truncated,
                problem: test.echo.problem.as_ref().map(|p| p.0.clone()),
            },
            comparison: test.rows.clone(),
            summary: test.summary,
            notes: test.notes.clone(),
        }
    }
}

/// The human-readable `test` output. Everything the server sent is shown with its control
/// characters spelled out, so a hostile echo cannot drive the terminal.
pub fn test_text(test: &LiveTest) -> String {
    let e = &test.exchange;
    let tls = &e.tls;
    let mut out = format!(
        "{} {} -> {}\n",
        e.method,
        terminal_line(&e.url),
        e.outcome_line()
    );
    if let Some(route) = e.route_line() {
        out.push_str(&format!("{route}\n"));
    }
    out.push_str(&format!(
        "client certificate {}; {}\n",
        if tls.client_certificate_sent {
            "sent"
        } else if tls.client_certificate_requested {
            "requested but NOT sent"
        } else {
            "NOT requested by the server"
        },
        test.summary.counts_line()
    ));
    for note in &test.notes {
        out.push_str(&format!("note: {}\n", terminal_line(note)));
    }
    if let Some(problem) = &test.echo.problem {
        out.push_str(&format!("\nThe echo could not be read: {}\n", problem.0));
        let raw = String::from_utf8_lossy(&e.body);
        let head: String = raw.chars().take(RAW_TEXT_CHARACTERS).collect();
        out.push_str(&format!(
            "Raw body (first {RAW_TEXT_CHARACTERS} characters):\n{}\n",
            terminal_block(&head)
        ));
    }
    for row in &test.rows {
        let verdict = match row.verdict {
            Verdict::Match => "match",
            Verdict::Mismatch => "MISMATCH",
            Verdict::Missing => "MISSING",
            Verdict::Unexpected => "unexpected",
        };
        out.push_str(&format!(
            "\n[{verdict}] {} ({})\n",
            terminal_line(&row.field),
            terminal_line(&row.header)
        ));
        out.push_str(&format!(
            "  local : {}\n",
            shown(row.local.as_deref(), "(none)")
        ));
        out.push_str(&format!(
            "  echoed: {}\n",
            shown(row.echoed.as_deref(), "(absent)")
        ));
        if !row.explanation.is_empty() {
            out.push_str(&format!("  why   : {}\n", terminal_line(&row.explanation)));
        }
    }
    out
}

fn shown<'a>(value: Option<&'a str>, absent: &'a str) -> Cow<'a, str> {
    terminal_line(value.unwrap_or(absent))
}
