//! The text renderer's pieces: titled sections of aligned `key  value` rows, and the chain as
//! such rows.

use crate::certificate::Certificate;
use crate::fields::Profile;

use super::chain::{CertificateSummary, chain_label};
use super::escape::terminal_line;

/// One row per certificate: `leaf`, `#1`, … with subject and end of validity.
pub(super) fn chain_rows<'a>(
    certs: impl Iterator<Item = &'a Certificate> + 'a,
    profile: Profile,
) -> impl Iterator<Item = (String, String)> + 'a {
    certs.enumerate().map(move |(i, cert)| {
        let summary = CertificateSummary::new(cert, profile);
        (
            chain_label(i),
            format!("{} (until {})", summary.subject, summary.not_after),
        )
    })
}

/// One row of a section: a key, its value, and a line under it (what confirms the value, or a
/// note on it). Each is one terminal line, whatever it holds.
pub(super) struct Row {
    key: String,
    value: String,
    note: Option<String>,
}

impl Row {
    /// A row with a line under its value.
    pub(super) fn noted(key: String, value: String, note: String) -> Self {
        Self {
            key,
            value,
            note: Some(note),
        }
    }
}

impl From<(String, String)> for Row {
    fn from((key, value): (String, String)) -> Self {
        Self {
            key,
            value,
            note: None,
        }
    }
}

/// A titled section of aligned `key  value` rows. Keys, values and notes come from files and
/// servers, so each goes to the terminal escaped ([`terminal_line`]): no control character,
/// line break or bidirectional override in them reaches it.
pub(super) fn section<R: Into<Row>>(out: &mut String, title: &str, rows: impl Iterator<Item = R>) {
    let rows: Vec<Row> = rows.map(Into::into).collect();
    let width = rows
        .iter()
        .map(|row| terminal_line(&row.key).chars().count())
        .max()
        .unwrap_or(0);
    out.push('\n');
    out.push_str(&terminal_line(title));
    out.push('\n');
    for row in rows {
        let key = terminal_line(&row.key);
        out.push_str(&format!("  {key:<width$}  {}\n", terminal_line(&row.value)));
        if let Some(note) = &row.note {
            out.push_str(&format!("      {}\n", terminal_line(note)));
        }
    }
}
