//! The report as CSV: one row per value — `section,property,header,value` — RFC 4180 quoting,
//! and no cell a spreadsheet would run as a formula.

use serde_json::Value;

use super::Report;

pub(super) fn render(report: &Report) -> String {
    let mut out = String::from("section,property,header,value\r\n");
    for row in rows(report) {
        let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Every value as (section, property, header, value) rows.
fn rows(report: &Report) -> Vec<[String; 4]> {
    let mut rows = vec![
        [
            "report".into(),
            "generatedAt".into(),
            String::new(),
            report.generated_at.clone(),
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
            report.profile.name().into(),
        ],
    ];
    if let Value::Object(source) = &report.source {
        for (key, value) in source {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            rows.push(["source".into(), key.clone(), String::new(), text]);
        }
    }
    for e in &report.entries {
        rows.push([
            e.section.name().into(),
            e.property.clone(),
            e.header.clone(),
            e.value.clone().unwrap_or_default(),
        ]);
    }
    if let Some((verdict, checks)) = report.verdict() {
        rows.push([
            "verification".into(),
            "verdict".into(),
            String::new(),
            verdict.clone(),
        ]);
        if let Some(other) = report.other_wording() {
            rows.push([
                "verification".into(),
                "other wording".into(),
                other.verdict.clone(),
                other.note.clone(),
            ]);
        }
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
    for (i, cert) in report.chain.iter().enumerate() {
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
    for (i, details) in report.details.iter().enumerate() {
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
    if let Some(live) = &report.live {
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
        for row in &live.comparison {
            let verdict = row.verdict.name();
            rows.push([
                "liveTest".into(),
                format!("{} {verdict}", row.field),
                row.header.clone(),
                row.echoed.clone().unwrap_or_default(),
            ]);
        }
    }
    if let Some(audit) = &report.audit {
        for row in &audit.probes {
            rows.push([
                "audit".into(),
                format!("{} {}", row.id.name(), row.protocol),
                if row.is_open() { "open" } else { "closed" }.into(),
                crate::report::audit_outcome(row),
            ]);
        }
        for missing in &audit.not_run {
            rows.push([
                "audit".into(),
                missing.id.into(),
                "not probed".into(),
                missing.reason.into(),
            ]);
        }
    }
    if let Some(check) = &report.cloudflare {
        for row in &check.rows {
            rows.push([
                "cloudflareSetup".into(),
                crate::report::cloudflare_row_title(row),
                row.code.into(),
                row.summary.clone(),
            ]);
        }
    }
    rows
}

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
}
