//! The shapes of `certlens verify` output: the JSON document and the text.

use serde::Serialize;

use crate::certificate::Instant;
use crate::fields::Profile;
use crate::verify::{Check, OtherWording, Verification};

use super::chain::CertificateSummary;
use super::text_table::{chain_rows, section};

/// The `verify --format json` object.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyDocument<'a> {
    profile: &'static str,
    at: String,
    verdict: &'a str,
    cert_verified: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    other_wording: Option<&'a OtherWording>,
    cert_revoked: &'static str,
    trusted: bool,
    chain: Vec<CertificateSummary>,
    checks: &'a [Check],
    warnings: &'a [String],
}

impl<'a> VerifyDocument<'a> {
    /// Everything `verify --format json` prints.
    pub fn new(
        verification: &'a Verification,
        profile: Profile,
        at: Instant,
        revoked: bool,
    ) -> Self {
        Self {
            profile: profile.name(),
            at: at.to_rfc3339(),
            verdict: &verification.verdict,
            cert_verified: &verification.verdict,
            other_wording: verification.other_wording.as_ref(),
            cert_revoked: if revoked { "1" } else { "0" },
            trusted: verification.trusted,
            chain: verification
                .path
                .iter()
                .map(|c| CertificateSummary::new(c, profile))
                .collect(),
            checks: &verification.checks,
            warnings: &verification.warnings,
        }
    }
}

/// The human-readable verdict and checks of `verify --format text`.
pub fn verify_text(
    verification: &Verification,
    profile: Profile,
    at: Instant,
    revoked: bool,
) -> String {
    let mut out = format!("{}\n", verification.verdict);
    out.push_str(&format!(
        "  profile {}, verified at {}{}\n",
        profile.name(),
        at.to_rfc3339(),
        if revoked {
            ", certRevoked \"1\" (listed in the CRL)"
        } else {
            ""
        }
    ));
    if let Some(other) = &verification.other_wording {
        out.push_str(&format!("  {}\n", other.note));
    }
    if let Some(note) = profile.verdict_note() {
        out.push_str(&format!("  {note}\n"));
    }
    section(
        &mut out,
        "Checks (in the order the edge makes them; the last failure is the verdict)",
        verification.checks.iter().map(|check| {
            let mark = if check.passed { "ok  " } else { "FAIL" };
            let at = check
                .depth
                .map(|d| {
                    if d == 0 {
                        " leaf".to_owned()
                    } else {
                        format!(" #{d}")
                    }
                })
                .unwrap_or_default();
            (format!("{mark} {}{at}", check.check), check.detail.clone())
        }),
    );
    section(
        &mut out,
        if verification.trusted {
            "Chain built (ends at a chosen CA)"
        } else {
            "Chain built (no chosen CA reached)"
        },
        chain_rows(verification.path.iter(), profile),
    );
    if !verification.warnings.is_empty() {
        section(
            &mut out,
            "Warnings",
            verification
                .warnings
                .iter()
                .map(|warning| ("!".to_owned(), warning.clone())),
        );
    }
    out
}
