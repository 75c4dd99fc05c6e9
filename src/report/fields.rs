//! The shapes of `certlens fields` output — JSON, text and header lines — built once here so
//! the command line, reports and the window show the same thing.

use serde::Serialize;
use serde::ser::SerializeMap as _;

use crate::fields::{EdgeView, FieldValue};
use crate::identity::{Identity, LoadedFile};

use super::summary::{CertificateSummary, Source};
use super::text::{chain_rows, section};

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
