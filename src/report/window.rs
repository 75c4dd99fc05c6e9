//! What a person reads about one assessed identity — names decoded, the validity in words, the
//! chain, each certificate's details — computed once per assessment (the window shows it
//! without recomputing anything per frame).

use crate::certificate::Certificate;
use crate::certificate::Instant;
use crate::fields::{EdgeView, FieldValue, Property};
use crate::identity::{Identity, LoadedFile};
use crate::verify::Verification;

use super::certificate::{CertificateDetails, readable_name};
use super::chain::{CertificateSummary, chain_label};
use super::fields::FieldsDocument;

/// Days before the end of validity from which it is worth a warning.
const EXPIRY_WARNING_DAYS: i64 = 30;

/// How the certificate's validity stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidityState {
    /// Inside its validity, not close to the end.
    Valid,
    /// Inside its validity, ending within 30 days.
    ExpiresSoon,
    /// Past its end.
    Expired,
    /// Before its start.
    NotYetValid,
    /// The dates could not be read back.
    Unknown,
}

/// The validity in words, with its state (for colour).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validity {
    /// How it stands.
    pub state: ValidityState,
    /// `Valid until Jan  1 00:00:00 2035 GMT (in 3318 days)`.
    pub sentence: String,
}

impl Validity {
    /// The validity of the certificate `view` describes, at `now`.
    pub fn of(view: &EdgeView, now: Instant) -> Self {
        let text = |p| view.get(p).as_header_value().unwrap_or_default();
        let (start, end) = (text(Property::CertNotBefore), text(Property::CertNotAfter));
        let days = |a: i64, b: i64| (b - a) / 86_400;
        let (state, sentence) = match (Instant::from_printed(&start), Instant::from_printed(&end)) {
            (Some(s), _) if now.unix < s.unix => (
                ValidityState::NotYetValid,
                format!("Not valid yet: starts {start}"),
            ),
            (_, Some(e)) if now.unix > e.unix => (
                ValidityState::Expired,
                format!("Expired {} days ago ({end})", days(e.unix, now.unix)),
            ),
            (_, Some(e)) if days(now.unix, e.unix) < EXPIRY_WARNING_DAYS => (
                ValidityState::ExpiresSoon,
                format!("Valid, expires in {} days ({end})", days(now.unix, e.unix)),
            ),
            (_, Some(e)) => (
                ValidityState::Valid,
                format!("Valid until {end} (in {} days)", days(now.unix, e.unix)),
            ),
            _ => (ValidityState::Unknown, format!("Validity: {start} – {end}")),
        };
        Self { state, sentence }
    }
}

/// One certificate of the chain as a person reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainEntry {
    /// `leaf`, `#1`, …
    pub label: String,
    /// The subject decoded (see [`display_name`]).
    pub name: String,
    /// The subject as the edge escapes it (RFC 2253).
    pub escaped: String,
    /// The end of validity, as the edge prints it.
    pub not_after: String,
    /// The friendly name the file gave it.
    pub friendly_name: Option<String>,
}

impl ChainEntry {
    fn new(index: usize, cert: &Certificate, view: &EdgeView) -> Self {
        let summary = CertificateSummary::new(cert, view.profile);
        Self {
            label: chain_label(index),
            name: display_name(cert.subject_der()).unwrap_or_else(|| summary.subject.clone()),
            escaped: summary.subject,
            not_after: summary.not_after,
            friendly_name: cert.friendly_name().map(str::to_owned),
        }
    }
}

/// Everything the window shows about an assessed identity, computed once.
#[derive(Debug, Clone)]
pub struct Overview {
    /// The leaf's subject decoded, for titles.
    pub title: String,
    /// The validity badge.
    pub validity: Validity,
    /// The chain the client sends, leaf first.
    pub chain: Vec<ChainEntry>,
    /// The chain verification built, leaf first (empty without a verdict).
    pub verified_chain: Vec<ChainEntry>,
    /// Each certificate sent, in full.
    pub details: Vec<CertificateDetails>,
    /// The PEM of each certificate sent (never a key).
    pub pems: Vec<String>,
    /// The leaf's subject attributes, decoded, in certificate order.
    pub subject: Vec<(String, String)>,
    /// The leaf's issuer attributes, decoded.
    pub issuer: Vec<(String, String)>,
    /// `fields --format json` for this identity.
    pub fields_json: String,
    /// The property values the fields table shows, as text (`None` where not computed), with
    /// why not.
    pub rows: Vec<FieldRow>,
}

/// One row of the fields table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRow {
    /// The property.
    pub property: Property,
    /// The `X-CERT-*` header that carries it, if any.
    pub header: &'static str,
    /// The value as text, or why it could not be computed.
    pub value: Result<String, &'static str>,
    /// True for a flag (shown without a copy button).
    pub flag: bool,
}

impl Overview {
    /// Computes the overview of `identity` from `file`, with its `view` and verdict.
    pub fn new(
        file: &LoadedFile,
        identity: &Identity,
        view: &EdgeView,
        verification: Option<&Verification>,
        now: Instant,
    ) -> Self {
        let sent: Vec<&Certificate> = std::iter::once(&identity.leaf)
            .chain(identity.chain.iter())
            .collect();
        let rows = view
            .values()
            .iter()
            .map(|(property, value)| FieldRow {
                property: *property,
                header: crate::fields::X_CERT_HEADERS
                    .iter()
                    .find(|(_, p)| p == property)
                    .map(|(h, _)| *h)
                    .unwrap_or(""),
                value: match value {
                    FieldValue::Text(text) => Ok(text.clone()),
                    FieldValue::Flag(flag) => Ok(flag.to_string()),
                    FieldValue::NotComputed(reason) => Err(*reason),
                },
                flag: matches!(value, FieldValue::Flag(_)),
            })
            .collect();
        Self {
            title: display_name(identity.leaf.subject_der())
                .unwrap_or_else(|| CertificateSummary::new(&identity.leaf, view.profile).subject),
            validity: Validity::of(view, now),
            chain: sent
                .iter()
                .enumerate()
                .map(|(i, c)| ChainEntry::new(i, c, view))
                .collect(),
            verified_chain: verification
                .map(|v| {
                    v.path
                        .iter()
                        .enumerate()
                        .map(|(i, c)| ChainEntry::new(i, c, view))
                        .collect()
                })
                .unwrap_or_default(),
            details: sent
                .iter()
                .map(|c| CertificateDetails::of(c, view.profile))
                .collect(),
            pems: sent.iter().map(|c| c.to_pem()).collect(),
            subject: readable_name(identity.leaf.subject_der()),
            issuer: readable_name(identity.leaf.issuer_der()),
            fields_json: serde_json::to_string_pretty(&FieldsDocument::new(file, identity, view))
                .unwrap_or_default(),
            rows,
        }
    }
}

/// A name as a person reads it: `alice@example.com · Müller & Söhne, GmbH · Zürich, DE` — the
/// e-mail address or common name, the organisation, and the place, decoded (the edge's escaped
/// form is for machines). `None` for a name with none of those.
pub fn display_name(name_der: &[u8]) -> Option<String> {
    let attributes = readable_name(name_der);
    let get = |key: &str| {
        attributes
            .iter()
            .find(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_owned())
    };
    let who = get("emailAddress")
        .or_else(|| get("CN"))
        .or_else(|| get("UID"));
    let place: Vec<String> = ["L", "ST", "C"].iter().filter_map(|k| get(k)).collect();
    let parts: Vec<String> = [who, get("O"), (!place.is_empty()).then(|| place.join(", "))]
        .into_iter()
        .flatten()
        .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_a_person_reads_them() {
        let name = x509_name(&[
            ("2.5.4.6", "DE"),
            ("2.5.4.7", "Zürich"),
            ("2.5.4.10", "Müller & Söhne, GmbH"),
            ("2.5.4.3", " alice #1 "),
            ("1.2.840.113549.1.9.1", "alice@example.com"),
        ]);
        assert_eq!(
            display_name(&name).as_deref(),
            Some("alice@example.com · Müller & Söhne, GmbH · Zürich, DE")
        );
        let cn_only = x509_name(&[("2.5.4.3", "demo client")]);
        assert_eq!(display_name(&cn_only).as_deref(), Some("demo client"));
        assert_eq!(display_name(&x509_name(&[])), None);
    }

    /// A Name of UTF8String attributes (IA5String for the e-mail address), one per RDN.
    fn x509_name(attributes: &[(&str, &str)]) -> Vec<u8> {
        let mut params = rcgen::CertificateParams::default();
        params.distinguished_name = rcgen::DistinguishedName::new();
        for (oid, value) in attributes {
            let arcs: Vec<u64> = oid.split('.').map(|a| a.parse().unwrap()).collect();
            let kind = match *oid {
                "2.5.4.3" => rcgen::DnType::CommonName,
                "2.5.4.6" => rcgen::DnType::CountryName,
                "2.5.4.7" => rcgen::DnType::LocalityName,
                "2.5.4.10" => rcgen::DnType::OrganizationName,
                _ => rcgen::DnType::CustomDnType(arcs),
            };
            params.distinguished_name.push(kind, *value);
        }
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        Certificate::from_der(cert.der())
            .unwrap()
            .subject_der()
            .to_vec()
    }
}
