//! The text renderer's pieces: titled sections of aligned `key  value` rows, and the chain as
//! such rows.

use crate::certificate::Certificate;
use crate::fields::Profile;

use super::summary::{CertificateSummary, chain_label};

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

pub(super) fn section(out: &mut String, title: &str, rows: impl Iterator<Item = (String, String)>) {
    let rows: Vec<(String, String)> = rows.collect();
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    out.push('\n');
    out.push_str(title);
    out.push('\n');
    for (key, value) in rows {
        out.push_str(&format!("  {key:<width$}  {value}\n"));
    }
}
