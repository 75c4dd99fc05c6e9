//! The report as one self-contained HTML page: no external assets, light and dark, prints
//! cleanly, every value escaped.

use super::Report;

pub(super) fn render(report: &Report) -> String {
    let mut body = format!("<h1>Certlens report: {}</h1>\n", html(&report.title()));
    body.push_str(&format!(
        "<p class=\"meta\">Generated {} by Certlens {}, profile <code>{}</code>. Values are exactly as the edge sets them; — marks a value that cannot be computed offline.</p>\n",
        html(&report.generated_at),
        env!("CARGO_PKG_VERSION"),
        report.profile.name()
    ));
    for warning in &report.warnings {
        body.push_str(&format!(
            "<p class=\"warning\">Warning: {}</p>\n",
            html(warning)
        ));
    }
    for section in report.sections() {
        let heading = section.heading();
        body.push_str(&format!("<h2>{}</h2>\n<table class=\"fields\" data-section=\"{}\"><thead><tr><th>Property</th><th>Header</th><th>Value</th></tr></thead><tbody>\n", html(heading), html(section.name())));
        for e in report.entries.iter().filter(|e| e.section == section) {
            body.push_str(&format!(
                "<tr><td><code>{}</code></td><td><code>{}</code></td><td class=\"value\">{}</td></tr>\n",
                html(&e.property),
                html(&e.header),
                e.value.as_deref().map(|v| format!("<code>{}</code>", html(v))).unwrap_or_else(|| "<span class=\"none\">—</span>".into())
            ));
        }
        body.push_str("</tbody></table>\n");
    }
    if let Some((verdict, checks)) = report.verdict() {
        let class = if verdict == "SUCCESS" { "ok" } else { "failed" };
        body.push_str(&format!(
            "<h2>Verification</h2>\n<p class=\"verdict {class}\"><code>{}</code>{}</p>\n",
            html(verdict),
            if report.revoked {
                " (certRevoked: \"1\")"
            } else {
                ""
            }
        ));
        if let Some(other) = report.other_wording() {
            body.push_str(&format!("<p class=\"meta\">{}</p>\n", html(&other.note)));
        }
        body.push_str("<table data-section=\"checks\"><thead><tr><th>#</th><th>Check</th><th>Result</th><th>Detail</th></tr></thead><tbody>\n");
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
    for (i, c) in report.chain.iter().enumerate() {
        body.push_str(&format!(
            "<tr><td>{i}</td><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td><code class=\"hash\">{}</code></td></tr>\n",
            html(&c.subject), html(&c.issuer), html(&c.serial), html(&c.not_after), html(&c.sha256)
        ));
    }
    body.push_str("</tbody></table>\n<h2>Certificate details</h2>\n");
    for (i, d) in report.details.iter().enumerate() {
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
    if let Some(live) = &report.live {
        body.push_str(&format!(
            "<h2>Live test</h2>\n<p><code>{}</code> answered HTTP {}: {}.</p>\n<table data-section=\"live\"><thead><tr><th>Field</th><th>Header</th><th>Local</th><th>Echoed</th><th>Verdict</th><th>Explanation</th></tr></thead><tbody>\n",
            html(&live.url), live.status, live.summary.counts_line()
        ));
        for row in &live.comparison {
            let verdict = row.verdict.name();
            body.push_str(&format!(
                "<tr class=\"{verdict}\"><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code></td><td>{verdict}</td><td>{}</td></tr>\n",
                html(&row.field), html(&row.header), html(row.local.as_deref().unwrap_or("—")), html(row.echoed.as_deref().unwrap_or("—")), html(&row.explanation)
            ));
        }
        body.push_str("</tbody></table>\n");
    }
    if let Some(audit) = &report.audit {
        body.push_str(&format!(
            "<h2>Audit</h2>\n<p><code>{}</code>: {}.</p>\n<table data-section=\"audit\"><thead><tr><th>Probe</th><th>HTTP</th><th>What happened</th><th>Sent</th><th>Why it matters</th></tr></thead><tbody>\n",
            html(&audit.url),
            html(&crate::report::audit_summary(audit))
        ));
        for row in &audit.probes {
            let class = if row.is_open() { "failed" } else { "match" };
            body.push_str(&format!(
                "<tr class=\"{class}\"><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                html(row.id.name()),
                html(row.protocol),
                html(&crate::report::audit_outcome(row)),
                html(&row.sent),
                html(row.why)
            ));
        }
        body.push_str("</tbody></table>\n");
        for missing in &audit.not_run {
            body.push_str(&format!(
                "<p class=\"meta\">Not probed: <code>{}</code>: {}</p>\n",
                html(missing.id),
                html(missing.reason)
            ));
        }
    }
    if let Some(check) = &report.cloudflare {
        body.push_str(&format!(
            "<h2>Cloudflare setup</h2>\n<p><code>{}</code> (path <code>{}</code>): {}</p>\n<table data-section=\"cloudflare-setup\"><thead><tr><th></th><th>Check</th><th>Code</th><th>Finding</th><th>Details</th></tr></thead><tbody>\n",
            html(&check.host),
            html(&check.path),
            html(&crate::report::cloudflare_summary(check))
        ));
        for row in &check.rows {
            let class = match row.status {
                crate::edge_setup::cloudflare::Status::Pass => "match",
                crate::edge_setup::cloudflare::Status::Fail => "failed",
                crate::edge_setup::cloudflare::Status::Unknown => "missing",
            };
            let details: Vec<String> = crate::report::cloudflare_row_details(row)
                .iter()
                .map(|line| html(line))
                .collect();
            body.push_str(&format!(
                "<tr class=\"{class}\"><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>\n",
                row.status.mark(),
                html(&crate::report::cloudflare_row_title(row)),
                html(row.code),
                html(&row.summary),
                details.join("<br>")
            ));
        }
        body.push_str("</tbody></table>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Certlens report: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        html(&report.title())
    )
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
    fn html_escapes_markup() {
        assert_eq!(
            html("<script>alert('x')</script> & \""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;"
        );
    }
}
