//! Field reports: one model of what the edge will see — source, every field and header, the
//! verdict and its checks, the chain, certificate details, and a live test when one was run —
//! rendered as JSON, Markdown, CSV or self-contained HTML. Never the key, never the password.

mod csv;
mod html;
mod markdown;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::certificate::Instant;
use crate::fields::profiles::Channel;
use crate::fields::{EdgeView, FieldValue, Profile, Property, X_CERT_HEADERS};
use crate::identity::{Identity, LoadedFile};
use crate::probe::LiveTest;
use crate::verify::{Check, OtherWording, Verification};

use super::certificate::CertificateDetails;
use super::chain::{CertificateSummary, Source};
use super::test::TestDocument;
use super::verify::VerifyDocument;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON document, the same shapes as the command line's.
    Json,
    /// Markdown, pasteable into an issue tracker.
    Md,
    /// CSV, one row per field: section, property, header, value.
    Csv,
    /// One self-contained HTML file.
    Html,
}

impl Format {
    /// The format a file name's extension asks for.
    pub fn from_extension(path: &std::path::Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Md),
            "csv" => Some(Format::Csv),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

/// The groups of field values a report lays out, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `request.cf.tlsClientAuth`.
    TlsClientAuth,
    /// The echo Worker's `X-CERT-*` headers.
    XCertHeaders,
    /// The headers Cloudflare forwards to the origin.
    ForwardedHeaders,
    /// nginx's `$ssl_client_*` variables.
    Nginx,
    /// The headers an edge other than Cloudflare or nginx sends.
    EdgeHeaders,
}

impl Section {
    /// Every section, in report order.
    pub const ALL: [Section; 5] = [
        Section::TlsClientAuth,
        Section::XCertHeaders,
        Section::ForwardedHeaders,
        Section::Nginx,
        Section::EdgeHeaders,
    ];

    /// The section's name in CSV rows and HTML attributes.
    pub fn name(self) -> &'static str {
        match self {
            Section::TlsClientAuth => "tlsClientAuth",
            Section::XCertHeaders => "X-CERT headers",
            Section::ForwardedHeaders => "forwarded headers",
            Section::Nginx => "nginx",
            Section::EdgeHeaders => "edge headers",
        }
    }

    /// The heading a reader sees.
    pub fn heading(self) -> &'static str {
        match self {
            Section::TlsClientAuth => "What the edge sees: request.cf.tlsClientAuth",
            Section::XCertHeaders => "X-CERT-* headers (echo Worker)",
            Section::ForwardedHeaders => "Headers forwarded to the origin",
            Section::Nginx => "nginx variables",
            Section::EdgeHeaders => "What the edge sends the application",
        }
    }
}

impl Serialize for Section {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// One value in the report, with where it belongs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The section it belongs to.
    pub section: Section,
    /// The property or variable.
    pub property: String,
    /// The header that carries it, if any.
    pub header: String,
    /// The value; `None` when it could not be computed offline.
    pub value: Option<String>,
}

/// Everything a report holds.
#[derive(Debug, Clone)]
pub struct Report {
    generated_at: String,
    profile: Profile,
    source: Value,
    entries: Vec<Entry>,
    verification: Option<(Verification, Instant)>,
    revoked: bool,
    chain: Vec<CertificateSummary>,
    details: Vec<CertificateDetails>,
    live: Option<TestDocument>,
    audit: Option<crate::audit::Audit>,
    cloudflare: Option<crate::edge_setup::cloudflare::SetupCheck>,
    warnings: Vec<String>,
}

impl Report {
    /// Builds the report for `identity` from `file`, with its computed `view`, the verdict
    /// reached at `at` (if verified) and a live test (if one was run).
    pub fn new(
        file: &LoadedFile,
        identity: &Identity,
        view: &EdgeView,
        verification: Option<(&Verification, Instant)>,
        live: Option<&LiveTest>,
    ) -> Self {
        let entries = edge_entries(view);
        let certificates: Vec<&crate::certificate::Certificate> = std::iter::once(&identity.leaf)
            .chain(identity.chain.iter())
            .collect();
        Self {
            generated_at: Instant::now().to_rfc3339(),
            profile: view.profile,
            source: serde_json::to_value(Source::new(file, identity)).unwrap_or(Value::Null),
            entries,
            verification: verification.map(|(v, at)| (v.clone(), at)),
            revoked: view.get(Property::CertRevoked) == &FieldValue::Text("1".into()),
            chain: certificates
                .iter()
                .map(|c| CertificateSummary::new(c, view.profile))
                .collect(),
            details: certificates
                .iter()
                .map(|c| CertificateDetails::of(c, view.profile))
                .collect(),
            live: live.map(TestDocument::new),
            audit: None,
            cloudflare: None,
            warnings: view.warnings.clone(),
        }
    }

    /// The report with an audit of the hostname in it (its *Audit* section).
    pub fn with_audit(mut self, audit: &crate::audit::Audit) -> Self {
        self.audit = Some(audit.clone());
        self
    }

    /// The report with a check of the hostname's Cloudflare setup in it (its *Cloudflare setup*
    /// section).
    pub fn with_cloudflare_setup(
        mut self,
        check: &crate::edge_setup::cloudflare::SetupCheck,
    ) -> Self {
        self.cloudflare = Some(check.clone());
        self
    }

    /// The sections that hold entries, in report order.
    pub fn sections(&self) -> impl Iterator<Item = Section> + '_ {
        Section::ALL
            .into_iter()
            .filter(|s| self.entries.iter().any(|e| e.section == *s))
    }

    /// Every field entry, in report order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Renders the report.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => {
                serde_json::to_string_pretty(&self.document()).unwrap_or_default() + "\n"
            }
            Format::Md => markdown::render(self),
            Format::Csv => csv::render(self),
            Format::Html => html::render(self),
        }
    }

    fn title(&self) -> String {
        self.chain
            .first()
            .map(|c| c.subject.clone())
            .unwrap_or_else(|| "certificate".into())
    }

    fn verdict(&self) -> Option<(&String, &[Check])> {
        self.verification
            .as_ref()
            .map(|(v, _)| (&v.verdict, v.checks.as_slice()))
    }

    /// The verdict another revision of the edge's library gives, where it differs.
    fn other_wording(&self) -> Option<&OtherWording> {
        self.verification
            .as_ref()
            .and_then(|(v, _)| v.other_wording.as_ref())
    }

    /// The JSON document: the same shapes as the command line's (`verify` for the verdict,
    /// `test` for the live test).
    fn document(&self) -> ReportDocument<'_> {
        let section = |wanted: Section| -> Map<String, Value> {
            self.entries
                .iter()
                .filter(|e| e.section == wanted)
                .map(|e| {
                    let key = match wanted {
                        Section::XCertHeaders => e.header.clone(),
                        _ => e.property.clone(),
                    };
                    (
                        key,
                        e.value.clone().map(Value::String).unwrap_or(Value::Null),
                    )
                })
                .collect()
        };
        let mut tls_client_auth = section(Section::TlsClientAuth);
        for flag in ["certRFC9440TooLarge", "certChainRFC9440TooLarge"] {
            if let Some(Value::String(text)) = tls_client_auth.get(flag).cloned() {
                tls_client_auth.insert(flag.into(), Value::Bool(text == "true"));
            }
        }
        ReportDocument {
            generated: Generated {
                at: &self.generated_at,
                certlens: env!("CARGO_PKG_VERSION"),
                profile: self.profile.name(),
            },
            source: &self.source,
            tls_client_auth,
            headers: section(Section::XCertHeaders),
            forwarded_headers: section(Section::ForwardedHeaders),
            nginx: section(Section::Nginx),
            edge_headers: section(Section::EdgeHeaders),
            verification: self
                .verification
                .as_ref()
                .map(|(v, at)| VerifyDocument::new(v, self.profile, *at, self.revoked)),
            chain: &self.chain,
            details: &self.details,
            live_test: self.live.as_ref(),
            audit: self.audit.as_ref().map(super::AuditDocument::new),
            cloudflare_setup: self.cloudflare.as_ref(),
            warnings: &self.warnings,
        }
    }
}

/// What the profile's edge sends, as entries: the Worker's property set and the echo's
/// `X-CERT-*` headers where the edge hands those over, the forwarded headers and nginx's
/// variables where it has them, else each value under the edge's own header.
fn edge_entries(view: &EdgeView) -> Vec<Entry> {
    let text = |v: &FieldValue| v.as_header_value();
    let edge = &view.edge;
    let mut entries = Vec::new();
    match edge.worker_properties() {
        Some(properties) => {
            entries.extend(properties.iter().map(|(p, v)| Entry {
                section: Section::TlsClientAuth,
                property: p.name().to_owned(),
                header: p.managed_header().unwrap_or_default().to_owned(),
                value: text(v),
            }));
            for (header, property) in X_CERT_HEADERS {
                entries.push(Entry {
                    section: Section::XCertHeaders,
                    property: property.name().to_owned(),
                    header: (*header).to_owned(),
                    value: text(view.get(*property)),
                });
            }
        }
        None => entries.extend(edge.values.iter().map(|v| Entry {
            section: Section::EdgeHeaders,
            property: v.label(),
            header: v.header.to_owned(),
            value: text(&v.value),
        })),
    }
    for channel in &edge.channels {
        match channel {
            Channel::ForwardedHeaders(headers) => {
                entries.extend(headers.iter().map(|(name, value)| Entry {
                    section: Section::ForwardedHeaders,
                    property: (*name).to_owned(),
                    header: (*name).to_owned(),
                    value: Some(value.clone()),
                }));
            }
            Channel::NginxVariables(variables) => {
                entries.extend(
                    variables
                        .iter()
                        .filter(|(name, _)| !name.ends_with("_cert"))
                        .map(|(name, value)| Entry {
                            section: Section::Nginx,
                            property: format!("${name}"),
                            header: String::new(),
                            value: Some(value.clone()),
                        }),
                );
            }
            Channel::WorkerProperties(_) | Channel::ManagedHeaders(_) => {}
        }
    }
    entries
}

/// The report's JSON document.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportDocument<'a> {
    generated: Generated<'a>,
    source: &'a Value,
    #[serde(skip_serializing_if = "Map::is_empty")]
    tls_client_auth: Map<String, Value>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    headers: Map<String, Value>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    forwarded_headers: Map<String, Value>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    nginx: Map<String, Value>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    edge_headers: Map<String, Value>,
    verification: Option<VerifyDocument<'a>>,
    chain: &'a [CertificateSummary],
    details: &'a [CertificateDetails],
    live_test: Option<&'a TestDocument>,
    #[serde(skip_serializing_if = "Option::is_none")]
    audit: Option<super::AuditDocument<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cloudflare_setup: Option<&'a crate::edge_setup::cloudflare::SetupCheck>,
    warnings: &'a [String],
}

/// When, by what and under which profile the report was made.
#[derive(Serialize)]
struct Generated<'a> {
    at: &'a str,
    certlens: &'static str,
    profile: &'static str,
}
