//! Field reports: one model of what the edge will see — source, every field and header, the
//! verdict and its checks, the chain, certificate details, and a live test when one was run —
//! rendered as JSON, Markdown, CSV or self-contained HTML. Never the key, never the password.

pub mod details;
pub mod document;
pub mod escape;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::fields::{EdgeView, FieldValue, Instant, Profile};
use crate::identity::{Identity, LoadedFile};
use crate::probe::{Row, Summary};
use crate::report::details::CertificateDetails;
use crate::report::document::{CertificateSummary, Source};
use crate::verify::{Check, Verification};

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
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

/// One value in the report, with where it belongs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The section (`tlsClientAuth`, `X-CERT headers`, `nginx`, …).
    pub section: &'static str,
    /// The property or variable.
    pub property: String,
    /// The header that carries it, if any.
    pub header: String,
    /// The value; `None` when it could not be computed offline.
    pub value: Option<String>,
}

/// The result of a live test, for the report.
#[derive(Debug, Clone)]
pub struct LiveSection {
    /// The URL tested.
    pub url: String,
    /// HTTP status.
    pub status: u16,
    /// The comparison.
    pub rows: Vec<Row>,
    /// Its counts.
    pub summary: Summary,
}

/// Everything a report holds.
#[derive(Debug, Clone)]
pub struct Report {
    generated_at: String,
    profile: Profile,
    source: Value,
    entries: Vec<Entry>,
    verdict: Option<(String, Vec<Check>)>,
    revoked: bool,
    chain: Vec<CertificateSummary>,
    details: Vec<CertificateDetails>,
    live: Option<LiveSection>,
    warnings: Vec<String>,
}

impl Report {
    /// Builds the report for `identity` from `file`, with its computed `view`.
    pub fn new(
        file: &LoadedFile,
        identity: &Identity,
        view: &EdgeView,
        verification: Option<&Verification>,
        live: Option<LiveSection>,
    ) -> Self {
        let text = |v: &FieldValue| v.as_header_value();
        let mut entries: Vec<Entry> = view
            .values()
            .iter()
            .map(|(p, v)| Entry {
                section: "tlsClientAuth",
                property: p.name().to_owned(),
                header: p.managed_header().unwrap_or_default().to_owned(),
                value: text(v),
            })
            .collect();
        for (header, property) in crate::fields::X_CERT_HEADERS {
            entries.push(Entry {
                section: "X-CERT headers",
                property: property.name().to_owned(),
                header: (*header).to_owned(),
                value: text(view.get(*property)),
            });
        }
        for (name, value) in &view.forwarded {
            entries.push(Entry {
                section: "forwarded headers",
                property: (*name).to_owned(),
                header: (*name).to_owned(),
                value: Some(value.clone()),
            });
        }
        for (name, value) in view.nginx.iter().filter(|(n, _)| !n.ends_with("_cert")) {
            entries.push(Entry {
                section: "nginx",
                property: format!("${name}"),
                header: String::new(),
                value: Some(value.clone()),
            });
        }
        let certificates: Vec<&crate::certificate::Certificate> = std::iter::once(&identity.leaf)
            .chain(identity.chain.iter())
            .collect();
        Self {
            generated_at: Instant::now().to_rfc3339(),
            profile: view.profile,
            source: serde_json::to_value(Source::new(file, identity)).unwrap_or(Value::Null),
            entries,
            verdict: verification.map(|v| (v.verdict.clone(), v.checks.clone())),
            revoked: view.get(crate::fields::Property::CertRevoked)
                == &FieldValue::Text("1".into()),
            chain: certificates
                .iter()
                .map(|c| CertificateSummary::new(c, view.profile))
                .collect(),
            details: certificates
                .iter()
                .map(|c| CertificateDetails::of(c, view.profile))
                .collect(),
            live,
            warnings: view.warnings.clone(),
        }
    }

    /// Every field entry, in report order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Renders the report.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => serde_json::to_string_pretty(&self.json()).unwrap_or_default() + "\n",
            Format::Md => self.markdown(),
            Format::Csv => self.csv(),
            Format::Html => self.html(),
        }
    }

    fn title(&self) -> String {
        self.chain
            .first()
            .map(|c| c.subject.clone())
            .unwrap_or_else(|| "certificate".into())
    }

    fn json(&self) -> Value {
        let section = |name: &str| -> Map<String, Value> {
            self.entries
                .iter()
                .filter(|e| e.section == name)
                .map(|e| {
                    (
                        if name == "X-CERT headers" {
                            e.header.clone()
                        } else {
                            e.property.clone()
                        },
                        e.value.clone().map(Value::String).unwrap_or(Value::Null),
                    )
                })
                .collect()
        };
        let mut tls = section("tlsClientAuth");
        for flag in ["certRFC9440TooLarge", "certChainRFC9440TooLarge"] {
            if let Some(Value::String(text)) = tls.get(flag).cloned() {
                tls.insert(flag.into(), Value::Bool(text == "true"));
            }
        }
        json!({
            "generated": {"at": self.generated_at, "certlens": env!("CARGO_PKG_VERSION"), "profile": self.profile.name()},
            "source": self.source,
            "tlsClientAuth": tls,
            "headers": section("X-CERT headers"),
            "forwardedHeaders": section("forwarded headers"),
            "nginx": section("nginx"),
            "verification": self.verdict.as_ref().map(|(verdict, checks)| json!({"verdict": verdict, "certRevoked": if self.revoked { "1" } else { "0" }, "checks": checks})),
            "chain": self.chain,
            "details": self.details,
            "liveTest": self.live.as_ref().map(|l| json!({"url": l.url, "status": l.status, "comparison": l.rows, "summary": l.summary})),
            "warnings": self.warnings,
        })
    }

    /// Every value as (section, property, header, value) rows, for CSV.
    fn rows(&self) -> Vec<[String; 4]> {
        let mut rows = vec![
            [
                "report".into(),
                "generatedAt".into(),
                String::new(),
                self.generated_at.clone(),
            ],
            [
                "report".into(),
                "certlens".into(),
                String::new(),
                env!("CARGO_PKG_VERSION").into(),
            ],
            [
                "report".into(),
                "profile".into(),
                String::new(),
                self.profile.name().into(),
            ],
        ];
        if let Value::Object(source) = &self.source {
            for (key, value) in source {
                let text = match value {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    other => other.to_string(),
                };
                rows.push(["source".into(), key.clone(), String::new(), text]);
            }
        }
        for e in &self.entries {
            rows.push([
                e.section.into(),
                e.property.clone(),
                e.header.clone(),
                e.value.clone().unwrap_or_default(),
            ]);
        }
        if let Some((verdict, checks)) = &self.verdict {
            rows.push([
                "verification".into(),
                "verdict".into(),
                String::new(),
                verdict.clone(),
            ]);
            for (i, check) in checks.iter().enumerate() {
                let state = if check.passed { "ok" } else { "FAILED" };
                rows.push([
                    "verification".into(),
                    format!("check {} {}", i + 1, check.check),
                    state.into(),
                    check.detail.clone(),
                ]);
            }
        }
        for (i, cert) in self.chain.iter().enumerate() {
            for (key, value) in [
                ("subject", &cert.subject),
                ("issuer", &cert.issuer),
                ("serial", &cert.serial),
                ("notBefore", &cert.not_before),
                ("notAfter", &cert.not_after),
                ("sha256", &cert.sha256),
            ] {
                rows.push([
                    "chain".into(),
                    format!("{i} {key}"),
                    String::new(),
                    value.clone(),
                ]);
            }
        }
        for (i, details) in self.details.iter().enumerate() {
            rows.push([
                "details".into(),
                format!("{i} key"),
                String::new(),
                details.key.clone(),
            ]);
            rows.push([
                "details".into(),
                format!("{i} signature"),
                String::new(),
                details.signature_algorithm.clone(),
            ]);
            for san in &details.subject_alt_names {
                rows.push([
                    "details".into(),
                    format!("{i} subjectAltName"),
                    String::new(),
                    san.clone(),
                ]);
            }
            for ext in &details.extensions {
                rows.push([
                    "details".into(),
                    format!("{i} {}", ext.name),
                    if ext.critical {
                        "critical".into()
                    } else {
                        String::new()
                    },
                    ext.value.clone(),
                ]);
            }
        }
        if let Some(live) = &self.live {
            rows.push([
                "liveTest".into(),
                "url".into(),
                String::new(),
                live.url.clone(),
            ]);
            rows.push([
                "liveTest".into(),
                "status".into(),
                String::new(),
                live.status.to_string(),
            ]);
            for row in &live.rows {
                let verdict = row.verdict.name();
                rows.push([
                    "liveTest".into(),
                    format!("{} {verdict}", row.field),
                    row.header.clone(),
                    row.echoed.clone().unwrap_or_default(),
                ]);
            }
        }
        rows
    }

    fn csv(&self) -> String {
        let mut out = String::from("section,property,header,value\r\n");
        for row in self.rows() {
            let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out
    }

    fn markdown(&self) -> String {
        let mut out = format!("# Certlens report: {}\n\n", md_text(&self.title()));
        out.push_str(&format!(
            "Generated {} by Certlens {}, profile `{}`. Values are exactly as the edge sets them; `—` marks a value that cannot be computed offline.\n",
            self.generated_at,
            env!("CARGO_PKG_VERSION"),
            self.profile.name()
        ));
        for warning in &self.warnings {
            out.push_str(&format!("\n> **Warning:** {}\n", md_text(warning)));
        }
        for (section, heading) in [
            (
                "tlsClientAuth",
                "What the edge sees: request.cf.tlsClientAuth",
            ),
            ("X-CERT headers", "X-CERT-* headers (echo Worker)"),
            ("forwarded headers", "Headers forwarded to the origin"),
            ("nginx", "nginx variables"),
        ] {
            out.push_str(&format!(
                "\n## {heading}\n\n| Property | Header | Value |\n|---|---|---|\n"
            ));
            for e in self.entries.iter().filter(|e| e.section == section) {
                out.push_str(&format!(
                    "| {} | {} | {} |\n",
                    md_code(&e.property),
                    md_code(&e.header),
                    e.value
                        .as_deref()
                        .map(md_code)
                        .unwrap_or_else(|| "—".into())
                ));
            }
        }
        if let Some((verdict, checks)) = &self.verdict {
            out.push_str(&format!("\n## Verification\n\nVerdict: {}{}\n\n| # | Check | Result | Detail |\n|---|---|---|---|\n", md_code(verdict), if self.revoked { " (certRevoked: \"1\")" } else { "" }));
            for (i, check) in checks.iter().enumerate() {
                out.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    i + 1,
                    check.check,
                    if check.passed { "ok" } else { "**FAILED**" },
                    md_text(&check.detail)
                ));
            }
        }
        out.push_str("\n## Chain\n\n| # | Subject | Issuer | Serial | Not after | SHA-256 |\n|---|---|---|---|---|---|\n");
        for (i, c) in self.chain.iter().enumerate() {
            out.push_str(&format!(
                "| {i} | {} | {} | {} | {} | {} |\n",
                md_code(&c.subject),
                md_code(&c.issuer),
                md_code(&c.serial),
                md_code(&c.not_after),
                md_code(&c.sha256)
            ));
        }
        out.push_str("\n## Certificate details\n");
        for (i, d) in self.details.iter().enumerate() {
            out.push_str(&format!(
                "\n### {i}: {}\n\n| Item | Value |\n|---|---|\n",
                md_text(&d.subject)
            ));
            out.push_str(&format!(
                "| Key | {} |\n| Signature | {} |\n| Version | {} |\n",
                md_text(&d.key),
                md_text(&d.signature_algorithm),
                d.version
            ));
            for san in &d.subject_alt_names {
                out.push_str(&format!("| subjectAltName | {} |\n", md_code(san)));
            }
            for ext in &d.extensions {
                out.push_str(&format!(
                    "| {}{} | {} |\n",
                    md_text(&ext.name),
                    if ext.critical { " (critical)" } else { "" },
                    md_code(&ext.value)
                ));
            }
        }
        if let Some(live) = &self.live {
            out.push_str(&format!(
                "\n## Live test\n\n{} answered HTTP {}: {} match, {} mismatch, {} missing, {} unexpected.\n\n| Field | Header | Local | Echoed | Verdict | Explanation |\n|---|---|---|---|---|---|\n",
                md_code(&live.url), live.status, live.summary.matched, live.summary.mismatch, live.summary.missing, live.summary.unexpected
            ));
            for row in &live.rows {
                let verdict = row.verdict.name();
                out.push_str(&format!(
                    "| {} | {} | {} | {} | {verdict} | {} |\n",
                    md_code(&row.field),
                    md_code(&row.header),
                    row.local
                        .as_deref()
                        .map(md_code)
                        .unwrap_or_else(|| "—".into()),
                    row.echoed
                        .as_deref()
                        .map(md_code)
                        .unwrap_or_else(|| "—".into()),
                    md_text(&row.explanation)
                ));
            }
        }
        out
    }

    fn html(&self) -> String {
        let mut body = format!("<h1>Certlens report: {}</h1>\n", html(&self.title()));
        body.push_str(&format!(
            "<p class=\"meta\">Generated {} by Certlens {}, profile <code>{}</code>. Values are exactly as the edge sets them; — marks a value that cannot be computed offline.</p>\n",
            html(&self.generated_at),
            env!("CARGO_PKG_VERSION"),
            self.profile.name()
        ));
        for warning in &self.warnings {
            body.push_str(&format!(
                "<p class=\"warning\">Warning: {}</p>\n",
                html(warning)
            ));
        }
        for (section, heading) in [
            (
                "tlsClientAuth",
                "What the edge sees: request.cf.tlsClientAuth",
            ),
            ("X-CERT headers", "X-CERT-* headers (echo Worker)"),
            ("forwarded headers", "Headers forwarded to the origin"),
            ("nginx", "nginx variables"),
        ] {
            body.push_str(&format!("<h2>{}</h2>\n<table class=\"fields\" data-section=\"{}\"><thead><tr><th>Property</th><th>Header</th><th>Value</th></tr></thead><tbody>\n", html(heading), html(section)));
            for e in self.entries.iter().filter(|e| e.section == section) {
                body.push_str(&format!(
                    "<tr><td><code>{}</code></td><td><code>{}</code></td><td class=\"value\">{}</td></tr>\n",
                    html(&e.property),
                    html(&e.header),
                    e.value.as_deref().map(|v| format!("<code>{}</code>", html(v))).unwrap_or_else(|| "<span class=\"none\">—</span>".into())
                ));
            }
            body.push_str("</tbody></table>\n");
        }
        if let Some((verdict, checks)) = &self.verdict {
            let class = if verdict == "SUCCESS" { "ok" } else { "failed" };
            body.push_str(&format!("<h2>Verification</h2>\n<p class=\"verdict {class}\"><code>{}</code>{}</p>\n<table data-section=\"checks\"><thead><tr><th>#</th><th>Check</th><th>Result</th><th>Detail</th></tr></thead><tbody>\n", html(verdict), if self.revoked { " (certRevoked: \"1\")" } else { "" }));
            for (i, check) in checks.iter().enumerate() {
                body.push_str(&format!(
                    "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                    if check.passed { "ok" } else { "failed" },
                    i + 1,
                    html(check.check),
                    if check.passed { "ok" } else { "FAILED" },
                    html(&check.detail)
                ));
            }
            body.push_str("</tbody></table>\n");
        }
        body.push_str("<h2>Chain</h2>\n<table data-section=\"chain\"><thead><tr><th>#</th><th>Subject</th><th>Issuer</th><th>Serial</th><th>Not after</th><th>SHA-256</th></tr></thead><tbody>\n");
        for (i, c) in self.chain.iter().enumerate() {
            body.push_str(&format!(
                "<tr><td>{i}</td><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td><code class=\"hash\">{}</code></td></tr>\n",
                html(&c.subject), html(&c.issuer), html(&c.serial), html(&c.not_after), html(&c.sha256)
            ));
        }
        body.push_str("</tbody></table>\n<h2>Certificate details</h2>\n");
        for (i, d) in self.details.iter().enumerate() {
            body.push_str(&format!(
                "<h3>{i}: <code>{}</code></h3>\n<table data-section=\"details\"><tbody>\n",
                html(&d.subject)
            ));
            body.push_str(&format!("<tr><th>Key</th><td>{}</td></tr><tr><th>Signature</th><td>{}</td></tr><tr><th>Version</th><td>{}</td></tr>\n", html(&d.key), html(&d.signature_algorithm), d.version));
            for san in &d.subject_alt_names {
                body.push_str(&format!(
                    "<tr><th>subjectAltName</th><td><code>{}</code></td></tr>\n",
                    html(san)
                ));
            }
            for ext in &d.extensions {
                body.push_str(&format!(
                    "<tr><th>{}{}</th><td><code>{}</code></td></tr>\n",
                    html(&ext.name),
                    if ext.critical { " (critical)" } else { "" },
                    html(&ext.value)
                ));
            }
            body.push_str("</tbody></table>\n");
        }
        if let Some(live) = &self.live {
            body.push_str(&format!(
                "<h2>Live test</h2>\n<p><code>{}</code> answered HTTP {}: {} match, {} mismatch, {} missing, {} unexpected.</p>\n<table data-section=\"live\"><thead><tr><th>Field</th><th>Header</th><th>Local</th><th>Echoed</th><th>Verdict</th><th>Explanation</th></tr></thead><tbody>\n",
                html(&live.url), live.status, live.summary.matched, live.summary.mismatch, live.summary.missing, live.summary.unexpected
            ));
            for row in &live.rows {
                let verdict = row.verdict.name();
                body.push_str(&format!(
                    "<tr class=\"{verdict}\"><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code></td><td>{verdict}</td><td>{}</td></tr>\n",
                    html(&row.field), html(&row.header), html(row.local.as_deref().unwrap_or("—")), html(row.echoed.as_deref().unwrap_or("—")), html(&row.explanation)
                ));
            }
            body.push_str("</tbody></table>\n");
        }
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Certlens report: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
            html(&self.title())
        )
    }
}

const STYLE: &str = "
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #ffffff; --muted: #57606a; --line: #d0d7de; --head: #f6f8fa; --ok: #1a7f37; --bad: #cf222e; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #8d96a0; --line: #30363d; --head: #161b22; --ok: #3fb950; --bad: #f85149; } }
@media print { :root { --fg: #000; --bg: #fff; --muted: #444; --line: #999; --head: #eee; --ok: #060; --bad: #a00; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
body { font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 2em auto; max-width: 1100px; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid var(--line); } h3 { font-size: 1em; }
.meta { color: var(--muted); } .warning { color: var(--bad); font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; } th, td { border: 1px solid var(--line); padding: .3em .5em; text-align: left; vertical-align: top; }
thead th, tbody th { background: var(--head); font-weight: 600; } code { font: 12.5px ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
table.fields td:first-child code, table.fields td:nth-child(2) code { white-space: nowrap; } .verdict code { font-size: inherit; }
.verdict { font-size: 1.3em; font-weight: 700; } .verdict.ok, tr.match td:nth-child(5) { color: var(--ok); } .verdict.failed, tr.failed, tr.mismatch td:nth-child(5), tr.missing td:nth-child(5) { color: var(--bad); }
.none { color: var(--muted); }
";

/// RFC 4180: quote a cell that holds a comma, quote, CR or LF; double the quotes. A cell that
/// a spreadsheet would run as a formula (it begins with `=`, `+`, `-`, `@`, a tab or a carriage
/// return: a hostile subject name could) gets a leading apostrophe, as OWASP advises.
fn csv_cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    };
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.into_owned()
    }
}

/// A value as a Markdown code span inside a table cell: a fence longer than any backtick run
/// inside, pipes escaped (GFM unescapes `\|` even in code spans), each line its own span.
fn md_code(value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    value
        .split('\n')
        .map(|line| {
            let longest = line.split(|c| c != '`').map(str::len).max().unwrap_or(0);
            let fence = "`".repeat(longest + 1);
            let pad = if line.starts_with('`')
                || line.ends_with('`')
                || line.starts_with(' ') && line.ends_with(' ')
            {
                " "
            } else {
                ""
            };
            format!("{fence}{pad}{}{pad}{fence}", line.replace('|', "\\|"))
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

/// Prose in a Markdown cell: pipes and newlines made safe.
fn md_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
        .replace('<', "&lt;")
}

/// HTML-escapes text for element content and attribute values.
fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_per_rfc_4180() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-01"), "'-01");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("CN=x"), "CN=x");
    }

    #[test]
    fn markdown_code_spans_survive_backticks_and_pipes() {
        assert_eq!(md_code("a|b"), "`a\\|b`");
        assert_eq!(md_code("x`y"), "``x`y``");
        assert_eq!(md_code("`edge`"), "`` `edge` ``");
    }

    #[test]
    fn html_escapes_markup() {
        assert_eq!(
            html("<script>alert('x')</script> & \""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;"
        );
    }
}
