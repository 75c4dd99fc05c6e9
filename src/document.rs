//! The shapes of `certlens fields` output — JSON, text and header lines — built once here so
//! the command line, reports and the window show the same thing.

use serde_json::{Map, Value, json};

use crate::certificate::Certificate;
use crate::fields::{EdgeView, FieldValue, Profile, format_name, format_serial, format_time};
use crate::identity::{Identity, LoadedFile};

/// What the file held, as the `source` object says it.
pub fn source_json(file: &LoadedFile, identity: &Identity) -> Value {
    json!({
        "path": file.path.as_ref().map(|p| p.display().to_string()),
        "format": file.format.name(),
        "certificates": file.certificates.len(),
        "privateKey": !file.keys.is_empty(),
        "keyMatchesLeaf": identity.key.as_ref().map(|k| k.matches(&identity.leaf)),
        "skipped": file.skipped,
    })
}

/// One certificate as the `chain` array lists it.
pub fn certificate_summary(cert: &Certificate, profile: Profile) -> Value {
    let name = |der: &[u8]| {
        format_name(der, profile)
            .map(|n| n.rfc2253)
            .unwrap_or_default()
    };
    let mut summary = Map::new();
    summary.insert("subject".into(), name(cert.subject_der()).into());
    summary.insert("issuer".into(), name(cert.issuer_der()).into());
    summary.insert("serial".into(), format_serial(cert.serial_content()).into());
    summary.insert(
        "notBefore".into(),
        format_time(cert.not_before_der(), profile)
            .into_text()
            .into(),
    );
    summary.insert(
        "notAfter".into(),
        format_time(cert.not_after_der(), profile)
            .into_text()
            .into(),
    );
    summary.insert("sha256".into(), cert.sha256_hex().into());
    if let Some(friendly) = cert.friendly_name() {
        summary.insert("friendlyName".into(), friendly.into());
    }
    Value::Object(summary)
}

/// The whole `fields --format json` object.
pub fn fields_json(file: &LoadedFile, identity: &Identity, view: &EdgeView) -> Value {
    let pairs = |list: Vec<(&'static str, String)>| -> Map<String, Value> {
        list.into_iter()
            .map(|(k, v)| (k.to_owned(), Value::String(v)))
            .collect()
    };
    let mut notes: Vec<String> = view
        .values()
        .iter()
        .filter_map(|(property, value)| match value {
            FieldValue::NotComputed(reason) => Some(format!("{}: {reason}", property.name())),
            _ => None,
        })
        .collect();
    notes.dedup();
    let chain: Vec<Value> = std::iter::once(&identity.leaf)
        .chain(identity.chain.iter())
        .map(|c| certificate_summary(c, view.profile))
        .collect();
    json!({
        "profile": view.profile.name(),
        "source": source_json(file, identity),
        "tlsClientAuth": view.tls_client_auth_json(),
        "headers": pairs(view.x_cert_headers()),
        "managedHeaders": pairs(view.managed_headers()),
        "forwardedHeaders": pairs(view.forwarded.clone()),
        "nginx": pairs(view.nginx.clone()),
        "chain": chain,
        "notes": notes,
        "warnings": view.warnings,
    })
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
        std::iter::once(&identity.leaf)
            .chain(identity.chain.iter())
            .enumerate()
            .map(|(i, cert)| {
                let summary = certificate_summary(cert, view.profile);
                let label = if i == 0 {
                    "leaf".to_owned()
                } else {
                    format!("#{i}")
                };
                let subject = summary["subject"].as_str().unwrap_or_default().to_owned();
                let until = summary["notAfter"].as_str().unwrap_or_default().to_owned();
                (label, format!("{subject} (until {until})"))
            }),
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
