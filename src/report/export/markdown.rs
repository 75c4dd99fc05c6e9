//! The report as Markdown tables that paste into an issue tracker: values in code spans,
//! pipes and backticks made safe.

use super::Report;

pub(super) fn render(report: &Report) -> String {
    let mut out = format!("# Certlens report: {}\n\n", md_code(&report.title()));
    out.push_str(&format!(
        "Generated {} by Certlens {}, profile `{}`. Values are exactly as the edge sets them; `—` marks a value that cannot be computed offline.\n",
        report.generated_at,
        env!("CARGO_PKG_VERSION"),
        report.profile.name()
    ));
    for warning in &report.warnings {
        out.push_str(&format!("\n> **Warning:** {}\n", md_text(warning)));
    }
    for section in report.sections() {
        let heading = section.heading();
        out.push_str(&format!(
            "\n## {heading}\n\n| Property | Header | Value |\n|---|---|---|\n"
        ));
        for e in report.entries.iter().filter(|e| e.section == section) {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                md_code(&e.property),
                md_code(&e.header),
                md_value(e.value.as_deref())
            ));
        }
    }
    if let Some((verdict, checks)) = report.verdict() {
        out.push_str(&format!(
            "\n## Verification\n\nVerdict: {}{}\n",
            md_code(verdict),
            if report.revoked {
                " (certRevoked: \"1\")"
            } else {
                ""
            }
        ));
        if let Some(other) = report.other_wording() {
            out.push_str(&format!("\n> {}\n", md_text(&other.note)));
        }
        out.push_str("\n| # | Check | Result | Detail |\n|---|---|---|---|\n");
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
    for (i, c) in report.chain.iter().enumerate() {
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
    for (i, d) in report.details.iter().enumerate() {
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
    if let Some(live) = &report.live {
        out.push_str(&format!(
            "\n## Live test\n\n{} answered HTTP {}: {}.\n\n| Field | Header | Local | Echoed | Verdict | Explanation |\n|---|---|---|---|---|---|\n",
            md_code(&live.url), live.status, live.summary.counts_line()
        ));
        for row in &live.comparison {
            let verdict = row.verdict.name();
            out.push_str(&format!(
                "| {} | {} | {} | {} | {verdict} | {} |\n",
                md_code(&row.field),
                md_code(&row.header),
                md_value(row.local.as_deref()),
                md_value(row.echoed.as_deref()),
                md_text(&row.explanation)
            ));
        }
    }
    if let Some(audit) = &report.audit {
        out.push_str(&format!(
            "\n## Audit\n\n{}: {}.\n\n| Probe | HTTP | What happened | Sent | Why it matters |\n|---|---|---|---|---|\n",
            md_code(&audit.url),
            md_text(&crate::report::audit_summary(audit))
        ));
        for row in &audit.probes {
            out.push_str(&format!(
                "| {}{} | {} | {} | {} | {} |\n",
                md_code(row.id.name()),
                if row.is_open() { " **open**" } else { "" },
                row.protocol,
                md_text(&crate::report::audit_outcome(row)),
                md_text(&row.sent),
                md_text(row.why)
            ));
        }
        for missing in &audit.not_run {
            out.push_str(&format!(
                "\nNot probed: {}: {}\n",
                md_code(missing.id),
                md_text(missing.reason)
            ));
        }
    }
    if let Some(check) = &report.cloudflare {
        out.push_str(&format!(
            "\n## Cloudflare setup\n\n{} (path {}): {}\n\n| | Check | Code | Finding | Details |\n|---|---|---|---|---|\n",
            md_code(&check.host),
            md_code(&check.path),
            md_text(&crate::report::cloudflare_summary(check))
        ));
        for row in &check.rows {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                row.status.mark(),
                md_text(&crate::report::cloudflare_row_title(row)),
                md_code(row.code),
                md_text(&row.summary),
                md_text(&crate::report::cloudflare_row_details(row).join(" · "))
            ));
        }
    }
    out
}

/// A value as a Markdown code span inside a table cell: a fence longer than any backtick run
/// inside, pipes escaped (GFM unescapes `\|` even in code spans), each line — ended by `\n`,
/// `\r\n` or a lone `\r`, all line endings to CommonMark — its own span.
fn md_code(value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    value
        .replace("\r\n", "\n")
        .split(['\n', '\r'])
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

/// A value cell: a code span, or `—` when there is none.
fn md_value(value: Option<&str>) -> String {
    value.map(md_code).unwrap_or_else(|| "—".into())
}

/// Prose in a Markdown cell, read as plain text whatever it holds: every ASCII punctuation
/// character backslash-escaped (CommonMark allows it for all of them, so no emphasis, link,
/// table pipe or entity can start), `<` as `&lt;` (no HTML), and line endings — `\r` included —
/// as spaces.
fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\r' | '\n' => out.push(' '),
            '<' => out.push_str("&lt;"),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_code_spans_survive_backticks_and_pipes() {
        assert_eq!(md_code("a|b"), "`a\\|b`");
        assert_eq!(md_code("x`y"), "``x`y``");
        assert_eq!(md_code("`edge`"), "`` `edge` ``");
        // A carriage return ends a line in Markdown too: it must not end the table row.
        assert_eq!(md_code("a\rb\r\nc"), "`a`<br>`b`<br>`c`");
    }

    #[test]
    fn prose_cells_are_plain_text() {
        assert_eq!(
            md_text("*bold* [x](javascript:y) a|b\r<img>&amp;"),
            "\\*bold\\* \\[x\\]\\(javascript\\:y\\) a\\|b &lt;img\\>\\&amp\\;"
        );
    }
}
