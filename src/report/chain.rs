//! Short descriptions every output shares: what a file held, one line per certificate, and
//! how a certificate's place in the chain is named.

use serde::Serialize;

use crate::certificate::Certificate;
use crate::fields::{EdgeView, Profile, Property};
use crate::identity::{Identity, LoadedFile};
use crate::notation::{format_name, format_serial, format_time};

/// What the file held, as the `source` object says it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Source<'a> {
    path: Option<String>,
    format: &'static str,
    certificates: usize,
    private_key: bool,
    key_matches_leaf: Option<bool>,
    skipped: &'a [String],
}

impl<'a> Source<'a> {
    /// Describes `file`, whose identity is `identity`.
    pub fn new(file: &'a LoadedFile, identity: &Identity) -> Self {
        Self {
            path: file.path.as_ref().map(|p| p.display().to_string()),
            format: file.format.name(),
            certificates: file.certificates.len(),
            private_key: !file.keys.is_empty(),
            key_matches_leaf: identity.key.as_ref().map(|k| k.matches(&identity.leaf)),
            skipped: &file.skipped,
        }
    }
}

/// One certificate as the `chain` array lists it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateSummary {
    /// Subject, RFC 2253.
    pub subject: String,
    /// Issuer, RFC 2253.
    pub issuer: String,
    /// Serial, as the edge prints it.
    pub serial: String,
    /// Start of validity, as the edge prints it.
    pub not_before: String,
    /// End of validity, as the edge prints it.
    pub not_after: String,
    /// SHA-256 fingerprint, lowercase hex.
    pub sha256: String,
    /// PKCS#12 friendly name, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub friendly_name: Option<String>,
}

impl CertificateSummary {
    /// Summarises `cert` under `profile`'s formatting.
    pub fn new(cert: &Certificate, profile: Profile) -> Self {
        let name = |der: &[u8]| {
            format_name(der, profile.library())
                .map(|n| n.rfc2253)
                .unwrap_or_default()
        };
        Self {
            subject: name(cert.subject_der()),
            issuer: name(cert.issuer_der()),
            serial: format_serial(cert.serial_content()),
            not_before: format_time(cert.not_before_der(), profile.library()).into_text(),
            not_after: format_time(cert.not_after_der(), profile.library()).into_text(),
            sha256: cert.sha256_hex(),
            friendly_name: cert.friendly_name().map(str::to_owned),
        }
    }

    /// The leaf's summary, taken from the values `view` already computed.
    pub(super) fn of_leaf(leaf: &Certificate, view: &EdgeView) -> Self {
        let text = |p: Property| view.get(p).as_header_value().unwrap_or_default();
        Self {
            subject: text(Property::CertSubjectDN),
            issuer: text(Property::CertIssuerDN),
            serial: text(Property::CertSerial),
            not_before: text(Property::CertNotBefore),
            not_after: text(Property::CertNotAfter),
            sha256: text(Property::CertFingerprintSHA256),
            friendly_name: leaf.friendly_name().map(str::to_owned),
        }
    }
}

/// How outputs name a certificate's place in the chain: `leaf`, then `#1`, `#2`, …
pub fn chain_label(index: usize) -> String {
    if index == 0 {
        "leaf".to_owned()
    } else {
        format!("#{index}")
    }
}
