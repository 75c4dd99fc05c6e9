//! The shapes of `certlens fields` output — JSON, text and header lines — built once here so
//! the command line, reports and the window show the same thing.

use serde::Serialize;
use serde::ser::SerializeMap as _;

use crate::certificate::Certificate;
use crate::fields::{
    EdgeView, FieldValue, Instant, Profile, Property, format_name, format_serial, format_time,
};
use crate::identity::{Identity, LoadedFile};
use crate::verify::{Check, Verification};

/// The `fields --format json` object. Serializes straight to JSON in a fixed key order,
/// without building an intermediate tree (a bundle of thousands of certificates prints fast).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldsDocument<'a> {
    profile: &'static str,
    source: Source<'a>,
    tls_client_auth: TlsClientAuth<'a>,
    headers: Pairs,
    managed_headers: Pairs,
    forwarded_headers: Pairs,
    nginx: Pairs,
    chain: Vec<CertificateSummary>,
    notes: Vec<String>,
    warnings: &'a [String],
}

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
            format_name(der, profile)
                .map(|n| n.rfc2253)
                .unwrap_or_default()
        };
        Self {
            subject: name(cert.subject_der()),
            issuer: name(cert.issuer_der()),
            serial: format_serial(cert.serial_content()),
            not_before: format_time(cert.not_before_der(), profile).into_text(),
            not_after: format_time(cert.not_after_der(), profile).into_text(),
            sha256: cert.sha256_hex(),
            friendly_name: cert.friendly_name().map(str::to_owned),
        }
    }

    /// The leaf's summary, taken from the values `view` already computed.
    fn of_leaf(leaf: &Certificate, view: &EdgeView) -> Self {
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

/// `request.cf.tlsClientAuth` in `cf.d.ts` order (`null` where not computed).
#[derive(Debug)]
struct TlsClientAuth<'a>(&'a EdgeView);

impl Serialize for TlsClientAuth<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.values().len()))?;
        for (property, value) in self.0.values() {
            match value {
                FieldValue::Text(text) => map.serialize_entry(property.name(), text)?,
                FieldValue::Flag(flag) => map.serialize_entry(property.name(), flag)?,
                FieldValue::NotComputed(_) => map.serialize_entry(property.name(), &())?,
            }
        }
        map.end()
    }
}

/// Name/value pairs serialized as a JSON object, in order.
#[derive(Debug)]
struct Pairs(Vec<(&'static str, String)>);

impl Serialize for Pairs {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<'a> FieldsDocument<'a> {
    /// Everything `fields --format json` prints for one identity.
    pub fn new(file: &'a LoadedFile, identity: &'a Identity, view: &'a EdgeView) -> Self {
        let mut notes: Vec<String> = view
            .values()
            .iter()
            .filter_map(|(property, value)| match value {
                FieldValue::NotComputed(reason) => Some(format!("{}: {reason}", property.name())),
                _ => None,
            })
            .collect();
        notes.dedup();
        let chain = std::iter::once(CertificateSummary::of_leaf(&identity.leaf, view))
            .chain(
                identity
                    .chain
                    .iter()
                    .map(|c| CertificateSummary::new(c, view.profile)),
            )
            .collect();
        Self {
            profile: view.profile.name(),
            source: Source::new(file, identity),
            tls_client_auth: TlsClientAuth(view),
            headers: Pairs(view.x_cert_headers()),
            managed_headers: Pairs(view.managed_headers()),
            forwarded_headers: Pairs(view.forwarded.clone()),
            nginx: Pairs(view.nginx.clone()),
            chain,
            notes,
            warnings: &view.warnings,
        }
    }
}

/// `X-CERT-*: value` lines, one per header the echo Worker would send.
pub fn header_lines(view: &EdgeView) -> String {
    view.x_cert_headers()
        .into_iter()
        .map(|(name, value)| format!("{name}: {value}\n"))
        .collect()
}

/// The aligned, human-readable report of `fields --format text`.
pub fn fields_text(file: &LoadedFile, identity: &Identity, view: &EdgeView) -> String {
    let mut out = String::new();
    let path = file
        .path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "input".into());
    let key = match &identity.key {
        Some(key) => format!("{} private key, matches the leaf", key.kind()),
        None => "no private key".into(),
    };
    out.push_str(&format!(
        "{path}: {} with {} certificate(s), {key}; profile {}\n",
        file.format.name(),
        file.certificates.len(),
        view.profile.name()
    ));
    section(
        &mut out,
        "request.cf.tlsClientAuth",
        view.values().iter().map(|(p, v)| {
            let shown = match v {
                FieldValue::Text(text) => text.clone(),
                FieldValue::Flag(flag) => flag.to_string(),
                FieldValue::NotComputed(reason) => format!("({reason})"),
            };
            (p.name().to_owned(), shown)
        }),
    );
    section(
        &mut out,
        "X-CERT-* headers (echo Worker)",
        view.x_cert_headers()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v)),
    );
    section(
        &mut out,
        "nginx variables",
        view.nginx
            .iter()
            .filter(|(k, _)| !k.ends_with("_cert"))
            .map(|(k, v)| (format!("${k}"), v.clone())),
    );
    section(
        &mut out,
        "Chain sent by the client",
        chain_rows(
            std::iter::once(&identity.leaf).chain(identity.chain.iter()),
            view.profile,
        ),
    );
    if !file.skipped.is_empty() {
        section(
            &mut out,
            "Skipped",
            file.skipped.iter().map(|s| ("-".to_owned(), s.clone())),
        );
    }
    if !view.warnings.is_empty() {
        section(
            &mut out,
            "Warnings",
            view.warnings.iter().map(|s| ("!".to_owned(), s.clone())),
        );
    }
    out
}

/// One row per certificate: `leaf`, `#1`, … with subject and end of validity.
fn chain_rows<'a>(
    certs: impl Iterator<Item = &'a Certificate> + 'a,
    profile: Profile,
) -> impl Iterator<Item = (String, String)> + 'a {
    certs.enumerate().map(move |(i, cert)| {
        let summary = CertificateSummary::new(cert, profile);
        let label = if i == 0 {
            "leaf".to_owned()
        } else {
            format!("#{i}")
        };
        (
            label,
            format!("{} (until {})", summary.subject, summary.not_after),
        )
    })
}

fn section(out: &mut String, title: &str, rows: impl Iterator<Item = (String, String)>) {
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

/// The `verify --format json` object.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyDocument<'a> {
    profile: &'static str,
    at: String,
    verdict: &'a str,
    cert_verified: &'a str,
    cert_revoked: &'static str,
    trusted: bool,
    chain: Vec<CertificateSummary>,
    checks: &'a [Check],
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
            cert_revoked: if revoked { "1" } else { "0" },
            trusted: verification.trusted,
            chain: verification
                .path
                .iter()
                .map(|c| CertificateSummary::new(c, profile))
                .collect(),
            checks: &verification.checks,
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
    out
}
