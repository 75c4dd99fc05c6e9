//! The shapes of `certlens fields` output — JSON, text and header lines — built once here so
//! the command line, reports and the window show the same thing.

use serde::Serialize;
use serde::ser::SerializeMap as _;

use crate::fields::profiles::Channel;
use crate::fields::profiles::EdgeValue;
use crate::fields::{EdgeView, FieldValue, Property};
use crate::identity::{Identity, LoadedFile};

use super::chain::{CertificateSummary, Source};
use super::escape::terminal_line;
use super::text_table::{Row, chain_rows, section};

/// The `fields --format json` object. Serializes straight to JSON in a fixed key order,
/// without building an intermediate tree (a bundle of thousands of certificates prints fast).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldsDocument<'a> {
    profile: &'static str,
    source: Source<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tls_client_auth: Option<TlsClientAuth<'a>>,
    headers: Pairs,
    #[serde(skip_serializing_if = "Option::is_none")]
    managed_headers: Option<Pairs>,
    #[serde(skip_serializing_if = "Option::is_none")]
    forwarded_headers: Option<Pairs>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nginx: Option<Pairs>,
    /// Every value the edge sends, with what confirms it (edges other than Cloudflare/nginx).
    #[serde(skip_serializing_if = "Option::is_none")]
    values: Option<Vec<ValueDocument<'a>>>,
    chain: Vec<CertificateSummary>,
    notes: Vec<String>,
    warnings: &'a [String],
}

/// `request.cf.tlsClientAuth` in `cf.d.ts` order (`null` where not computed).
#[derive(Debug)]
struct TlsClientAuth<'a>(&'a [(Property, FieldValue)]);

impl Serialize for TlsClientAuth<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (property, value) in self.0 {
            match value {
                FieldValue::Text(text) => map.serialize_entry(property.name(), text)?,
                FieldValue::Flag(flag) => map.serialize_entry(property.name(), flag)?,
                FieldValue::NotComputed(_) => map.serialize_entry(property.name(), &())?,
            }
        }
        map.end()
    }
}

/// One edge value in JSON: where it travels, what it says, the value, what confirms it.
#[derive(Debug, Serialize)]
pub(super) struct ValueDocument<'a> {
    header: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<&'static str>,
    aspect: crate::fields::profiles::Aspect,
    value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    basis: &'a crate::fields::profiles::Basis,
}

impl<'a> ValueDocument<'a> {
    pub(super) fn new(value: &'a EdgeValue) -> Self {
        Self {
            header: value.header,
            part: value.part,
            aspect: value.aspect,
            value: value.value.as_header_value(),
            reason: match value.value {
                FieldValue::NotComputed(reason) => Some(reason),
                _ => None,
            },
            basis: &value.basis,
        }
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
        let properties = view.edge.worker_properties();
        let mut notes: Vec<String> = match properties {
            Some(properties) => properties
                .iter()
                .filter_map(|(property, value)| match value {
                    FieldValue::NotComputed(reason) => {
                        Some(format!("{}: {reason}", property.name()))
                    }
                    _ => None,
                })
                .collect(),
            None => view
                .edge
                .values
                .iter()
                .filter_map(|value| match value.value {
                    FieldValue::NotComputed(reason) => Some(format!("{}: {reason}", value.label())),
                    _ => None,
                })
                .collect(),
        };
        notes.dedup();
        if let Some(other) = &view.other_wording {
            notes.push(format!("certVerified: {}", other.note));
        }
        let chain = std::iter::once(CertificateSummary::of_leaf(&identity.leaf, view))
            .chain(
                identity
                    .chain
                    .iter()
                    .map(|c| CertificateSummary::new(c, view.profile)),
            )
            .collect();
        let mut document = Self {
            profile: view.profile.name(),
            source: Source::new(file, identity),
            tls_client_auth: properties.map(TlsClientAuth),
            headers: Pairs(view.edge.headers.clone()),
            managed_headers: None,
            forwarded_headers: None,
            nginx: None,
            // Worker properties already say every value; other edges list theirs with what
            // confirms each.
            values: properties
                .is_none()
                .then(|| view.edge.values.iter().map(ValueDocument::new).collect()),
            chain,
            notes,
            warnings: &view.warnings,
        };
        for channel in &view.edge.channels {
            match channel {
                Channel::WorkerProperties(_) => {}
                Channel::ManagedHeaders(pairs) => {
                    document.managed_headers = Some(Pairs(pairs.clone()));
                }
                Channel::ForwardedHeaders(pairs) => {
                    document.forwarded_headers = Some(Pairs(pairs.clone()));
                }
                Channel::NginxVariables(pairs) => document.nginx = Some(Pairs(pairs.clone())),
            }
        }
        document
    }
}

/// `Name: value` lines, one per header the profile's edge sends.
/// Values reach the terminal escaped ([`terminal_line`]): a header value from a certificate
/// cannot start a line of its own or drive the terminal.
pub fn header_lines(view: &EdgeView) -> String {
    view.edge
        .headers
        .iter()
        .map(|(name, value)| format!("{name}: {}\n", terminal_line(value)))
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
    let path = terminal_line(&path);
    out.push_str(&format!(
        "{path}: {} with {} certificate(s), {key}; profile {}\n",
        file.format.name(),
        file.certificates.len(),
        view.profile.name()
    ));
    edge_sections(&mut out, view);
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

/// What the edge sends: the Worker's properties where it hands them over, its headers, its
/// other channels, and (where no property set says them) each value with what confirms it.
fn edge_sections(out: &mut String, view: &EdgeView) {
    let edge = &view.edge;
    if let Some(properties) = edge.worker_properties() {
        section(
            out,
            "request.cf.tlsClientAuth",
            properties.iter().map(|(p, v)| {
                let shown = match v {
                    FieldValue::Text(text) => text.clone(),
                    FieldValue::Flag(flag) => flag.to_string(),
                    FieldValue::NotComputed(reason) => format!("({reason})"),
                };
                match (&view.other_wording, p) {
                    (Some(other), Property::CertVerified) => {
                        Row::noted(p.name().to_owned(), shown, other.note.clone())
                    }
                    _ => (p.name().to_owned(), shown).into(),
                }
            }),
        );
    }
    section(
        out,
        &edge.headers_title,
        edge.headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.clone())),
    );
    for channel in &edge.channels {
        let (title, rows): (&str, Vec<(String, String)>) = match channel {
            Channel::WorkerProperties(_) => continue,
            Channel::ManagedHeaders(pairs) => ("Managed Transform headers", named(pairs, "")),
            Channel::ForwardedHeaders(pairs) => {
                ("Forwarded to the origin (Access)", named(pairs, ""))
            }
            Channel::NginxVariables(pairs) => ("nginx variables", named(pairs, "$")),
        };
        section(out, title, rows.into_iter());
    }
    if edge.worker_properties().is_none() {
        section(
            out,
            "Values and what confirms them",
            edge.values.iter().map(|value| {
                let shown = match &value.value {
                    FieldValue::NotComputed(reason) => format!("({reason})"),
                    other => other.as_header_value().unwrap_or_default(),
                };
                Row::noted(
                    value.label(),
                    shorten(&shown),
                    format!("{}: {}", value.basis.word(), value.basis.detail()),
                )
            }),
        );
    }
}

/// Name/value rows, the names with `sigil` before them; whole certificates left out (the chain
/// section shows them).
fn named(pairs: &[(&'static str, String)], sigil: &str) -> Vec<(String, String)> {
    pairs
        .iter()
        .filter(|(name, _)| !name.ends_with("_cert") && !name.ends_with("Der-Base64"))
        .map(|(name, value)| (format!("{sigil}{name}"), value.clone()))
        .collect()
}

/// A long value cut for a terminal line (`…` and its length), whole when short.
pub(super) fn shorten(value: &str) -> String {
    const LIMIT: usize = 96;
    if value.chars().count() <= LIMIT {
        return value.to_owned();
    }
    let head: String = value.chars().take(LIMIT - 16).collect();
    format!("{head}… ({} characters)", value.chars().count())
}
