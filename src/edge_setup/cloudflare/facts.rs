//! What Cloudflare's rules see of the request: the certificate's `cf.tls_client_auth.*` fields
//! as the edge computes them, and the URL's host and path.

use crate::edge_setup::rules::scheme::certificate_field_type;
use crate::edge_setup::rules::{FactValue, Facts};
use crate::fields::{EdgeView, FieldValue, Property};

/// The request the rules are evaluated for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The hostname, lowercase.
    pub host: String,
    /// The path, as sent.
    pub path: String,
    /// The query, without `?` (empty when none).
    pub query: String,
}

/// The certificate as the rules see it.
pub enum Presented<'a> {
    /// Cloudflare never asked for one (mTLS is not on for the hostname): every field is its
    /// default.
    NotAsked,
    /// It was asked for and sent: the edge's view, its verdict and its dashboard status.
    Sent {
        /// The fields the edge computes.
        view: &'a EdgeView,
        /// `cert_verified`.
        verified: bool,
        /// `cert_revoked` (only ever true for a verified certificate).
        revoked: bool,
    },
}

/// The facts for `target` with `presented`. A field the view could not compute (an issuer not
/// at hand) is left out: a rule naming it depends on it.
pub fn facts(target: &Target, presented: &Presented<'_>) -> Facts {
    let mut facts = Facts::default();
    let uri = if target.query.is_empty() {
        target.path.clone()
    } else {
        format!("{}?{}", target.path, target.query)
    };
    facts.set("http.host", FactValue::Text(target.host.clone()));
    facts.set(
        "http.request.uri.path",
        FactValue::Text(target.path.clone()),
    );
    facts.set(
        "http.request.uri.query",
        FactValue::Text(target.query.clone()),
    );
    facts.set(
        "http.request.full_uri",
        FactValue::Text(format!("https://{}{uri}", target.host)),
    );
    facts.set("http.request.uri", FactValue::Text(uri));
    facts.set("ssl", FactValue::Flag(true));
    for &property in Property::ALL {
        let field = property.rules_field();
        let value = match presented {
            Presented::NotAsked => match certificate_field_type(property) {
                wirefilter::Type::Bool => Some(FactValue::Flag(false)),
                _ => Some(FactValue::Text(String::new())),
            },
            Presented::Sent {
                view,
                verified,
                revoked,
            } => match property {
                Property::CertPresented => Some(FactValue::Flag(true)),
                Property::CertVerified => Some(FactValue::Flag(*verified)),
                Property::CertRevoked => Some(FactValue::Flag(*revoked && *verified)),
                _ => match view.get(property) {
                    FieldValue::Text(text) => Some(FactValue::Text(text.clone())),
                    FieldValue::Flag(flag) => Some(FactValue::Flag(*flag)),
                    FieldValue::NotComputed(_) => None,
                },
            },
        };
        if let Some(value) = value {
            facts.set(field, value);
        }
    }
    facts
}
