//! The shapes of `certlens audit` output: the JSON document and the text, in which everything
//! the server sent is spelled out for the terminal (see [`super::escape`]).

use serde::Serialize;

use crate::audit::{Audit, NotRun, Outcome, ProbeRow};
use crate::fields::Profile;

use super::escape::terminal_line;

/// What Cloudflare does with a failed verdict, and the rule that closes the door.
const CLOUDFLARE_DESIGN: &str = "Cloudflare lets a request whose certificate failed (or that sent none) reach Workers and the origin unless a WAF custom rule blocks it: a 2xx here means no rule blocks this request. The rule that would: (http.host eq \"<host>\" and not cf.tls_client_auth.cert_verified), action Block";

/// The `audit --format json` object.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditDocument<'a> {
    url: &'a str,
    profile: &'static str,
    /// Ids of the probes (other than the baseline) that got a 2xx answer.
    reached: Vec<&'static str>,
    probes: &'a [ProbeRow],
    not_run: &'a [NotRun],
    notes: Vec<String>,
}

impl<'a> AuditDocument<'a> {
    /// Everything `audit --format json` prints.
    pub fn new(audit: &'a Audit) -> Self {
        Self {
            url: &audit.url,
            profile: audit.profile.name(),
            reached: audit.open().map(|row| row.id.name()).collect(),
            probes: &audit.probes,
            not_run: &audit.not_run,
            notes: notes(audit),
        }
    }
}

fn notes(audit: &Audit) -> Vec<String> {
    let mut notes = Vec::new();
    if audit.profile == Profile::Cloudflare && audit.open().next().is_some() {
        notes.push(CLOUDFLARE_DESIGN.to_owned());
    }
    notes
}

/// The summary line: which probes reached the application.
pub fn audit_summary(audit: &Audit) -> String {
    let open: Vec<String> = audit
        .open()
        .map(|row| format!("{} ({})", row.id.name(), row.protocol))
        .collect();
    let sent = audit.probes.len().saturating_sub(1);
    if open.is_empty() {
        format!("none of the {sent} probes besides the baseline got a 2xx answer")
    } else {
        format!(
            "{} of the {sent} probes besides the baseline reached the application with a 2xx answer: {}",
            open.len(),
            open.join(", ")
        )
    }
}

/// The aligned, human-readable audit.
pub fn audit_text(audit: &Audit) -> String {
    let mut out = format!(
        "Audit of {} ({} profile): {}\n\n",
        terminal_line(&audit.url),
        audit.profile.name(),
        audit_summary(audit)
    );
    for row in &audit.probes {
        let flag = if row.is_open() { "OPEN" } else { "    " };
        out.push_str(&format!(
            "{flag} {:<17} {:<15} {}\n",
            row.id.name(),
            row.protocol,
            terminal_line(&audit_outcome(row))
        ));
        out.push_str(&format!("       sent: {}\n", row.sent));
        if !row.forged_reached.is_empty() {
            out.push_str(&format!(
                "       forged headers the application received unchanged: {}\n",
                row.forged_reached.join(", ")
            ));
        }
        out.push_str(&format!("       why:  {}\n", row.why));
    }
    for missing in &audit.not_run {
        out.push_str(&format!("\nnot probed: {}: {}", missing.id, missing.reason));
    }
    if !audit.not_run.is_empty() {
        out.push('\n');
    }
    for note in notes(audit) {
        out.push_str(&format!("\n{note}\n"));
    }
    out
}

/// What one probe met, in a sentence.
pub fn audit_outcome(row: &ProbeRow) -> String {
    let saw = row
        .saw
        .as_deref()
        .map(|verdict| format!("; the application saw {verdict}"))
        .unwrap_or_default();
    match &row.outcome {
        Outcome::RefusedInHandshake { detail } => format!("refused in the handshake: {detail}"),
        Outcome::RefusedByStatus { status } => format!("refused with HTTP {status}{saw}"),
        Outcome::Reached { status } => format!("answered HTTP {status}{saw}"),
        Outcome::NotMade { detail } => format!("not made: {detail}"),
        Outcome::NotResumed {
            status: Some(status),
        } => format!(
            "not resumed: the server made a full handshake instead (then answered HTTP {status}){saw}"
        ),
        Outcome::NotResumed { status: None } => {
            "not resumed: the server made a full handshake instead".to_owned()
        }
    }
}
