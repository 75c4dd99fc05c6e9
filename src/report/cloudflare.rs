//! The shapes of `certlens cloudflare` output: the text (everything the API sent spelled out
//! for the terminal) and the report's *Cloudflare setup* section. The JSON is the check itself.

use crate::edge_setup::cloudflare::{Row, SetupCheck};

use super::escape::terminal_line;

/// The summary line.
pub fn cloudflare_summary(check: &SetupCheck) -> String {
    check.verdict.sentence().to_owned()
}

/// One row's title, as the text and reports show it: the check, and the rule for rule rows.
pub fn cloudflare_row_title(row: &Row) -> String {
    match &row.rule_id {
        Some(id) => format!("{} {id}", row.check.title()),
        None => row.check.title().to_owned(),
    }
}

/// Every line under a row's summary: evidence, fix, advice.
pub fn cloudflare_row_details(row: &Row) -> Vec<String> {
    let mut lines = row.evidence.clone();
    if let Some(fix) = &row.fix {
        lines.push(format!("fix in the dashboard: {}", fix.dashboard));
        lines.push(format!("fix by the API: {}", fix.api));
    }
    lines.extend(row.advice.iter().map(|a| format!("advice: {a}")));
    lines
}

/// The aligned, human-readable check.
pub fn cloudflare_text(check: &SetupCheck) -> String {
    let mut out = format!(
        "Cloudflare setup of {} (path {}): {}\n",
        terminal_line(&check.host),
        terminal_line(&check.path),
        cloudflare_summary(check)
    );
    if let Some(zone) = &check.zone {
        out.push_str(&format!(
            "zone {} ({})\n",
            terminal_line(&zone.name),
            terminal_line(&zone.id)
        ));
    }
    if let Some(verdict) = &check.cert_verified {
        out.push_str(&format!(
            "certVerified on this hostname: {}\n",
            terminal_line(verdict)
        ));
    }
    out.push('\n');
    for row in &check.rows {
        out.push_str(&format!(
            "{} {:<42} {:<22} {}\n",
            row.status.mark(),
            terminal_line(&cloudflare_row_title(row)),
            row.code,
            terminal_line(&row.summary)
        ));
        for line in cloudflare_row_details(row) {
            out.push_str(&format!("      {}\n", terminal_line(&line)));
        }
    }
    out
}
