//! What each edge hands the application: header names, value spellings and verdict words per
//! profile, every value with what confirms it — a real server of that edge in the test suite,
//! the edge's public source code, or only its documentation (then shown as unconfirmed).

mod cloud;
mod decode;
mod encode;
mod go_x509;
mod nginx;
mod proxies;

use base64::Engine as _;
use serde::Serialize;

use crate::certificate::Certificate;

use super::{Context, FieldValue, FormattedName, Profile, Property, X_CERT_HEADERS};

pub use decode::{certificates_in, elements, percent_decode};

/// What a value says about the certificate; the rows of the every-edge table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aspect {
    /// Whether a certificate was presented.
    Presented,
    /// The edge's verification verdict.
    Verdict,
    /// The serial number.
    Serial,
    /// SHA-1 fingerprint of the DER.
    Sha1,
    /// SHA-256 fingerprint of the DER.
    Sha256,
    /// The subject name.
    Subject,
    /// The issuer name.
    Issuer,
    /// Start of validity.
    NotBefore,
    /// End of validity.
    NotAfter,
    /// Both validity dates in one value.
    Validity,
    /// The leaf certificate itself.
    Certificate,
    /// The certificates sent after the leaf (with the leaf, for edges that send both at once).
    Chain,
    /// DNS names of the subjectAltName.
    DnsNames,
    /// E-mail addresses of the subjectAltName.
    Emails,
    /// URIs of the subjectAltName.
    Uris,
    /// The SPIFFE ID (a `spiffe://` URI SAN).
    Spiffe,
    /// Every subject alternative name in one list.
    AltNames,
}

impl Aspect {
    /// Every aspect, in table order.
    pub const ALL: [Aspect; 17] = [
        Aspect::Presented,
        Aspect::Verdict,
        Aspect::Serial,
        Aspect::Sha1,
        Aspect::Sha256,
        Aspect::Subject,
        Aspect::Issuer,
        Aspect::NotBefore,
        Aspect::NotAfter,
        Aspect::Validity,
        Aspect::Certificate,
        Aspect::Chain,
        Aspect::DnsNames,
        Aspect::Emails,
        Aspect::Uris,
        Aspect::Spiffe,
        Aspect::AltNames,
    ];

    /// The aspect as a person names it.
    pub fn title(self) -> &'static str {
        match self {
            Aspect::Presented => "certificate presented",
            Aspect::Verdict => "verdict",
            Aspect::Serial => "serial number",
            Aspect::Sha1 => "SHA-1 fingerprint",
            Aspect::Sha256 => "SHA-256 fingerprint",
            Aspect::Subject => "subject",
            Aspect::Issuer => "issuer",
            Aspect::NotBefore => "not before",
            Aspect::NotAfter => "not after",
            Aspect::Validity => "validity",
            Aspect::Certificate => "certificate",
            Aspect::Chain => "chain",
            Aspect::DnsNames => "DNS names",
            Aspect::Emails => "e-mail addresses",
            Aspect::Uris => "URIs",
            Aspect::Spiffe => "SPIFFE ID",
            Aspect::AltNames => "subject alternative names",
        }
    }
}

/// What confirms a value's spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "by", content = "detail", rename_all = "lowercase")]
pub enum Basis {
    /// A real server of that edge produced these bytes in the test suite.
    Server(&'static str),
    /// Read in the edge's public source code (or run against the library it calls).
    Source(&'static str),
    /// Only the vendor's documentation says so; what it leaves open is unconfirmed.
    Documentation(&'static str),
}

impl Basis {
    /// One word: `server`, `source` or `documentation`.
    pub fn word(&self) -> &'static str {
        match self {
            Basis::Server(_) => "server",
            Basis::Source(_) => "source",
            Basis::Documentation(_) => "documentation",
        }
    }

    /// True when a server or the source confirms it.
    pub fn is_confirmed(&self) -> bool {
        !matches!(self, Basis::Documentation(_))
    }

    /// The sentence saying what confirms it, or what is left unconfirmed.
    pub fn detail(&self) -> &'static str {
        match self {
            Basis::Server(detail) | Basis::Source(detail) | Basis::Documentation(detail) => detail,
        }
    }
}

/// One value an edge sends.
#[derive(Debug, Clone)]
pub struct EdgeValue {
    /// The header it travels in, spelled as the edge (or its documentation) writes it.
    pub header: &'static str,
    /// Inside a header holding several values (XFCC, Traefik's info): the key.
    pub part: Option<&'static str>,
    /// What it says about the certificate.
    pub aspect: Aspect,
    /// The value, byte for byte as the edge writes it.
    pub value: FieldValue,
    /// What confirms the spelling.
    pub basis: Basis,
}

impl EdgeValue {
    fn new(header: &'static str, aspect: Aspect, value: FieldValue, basis: Basis) -> Self {
        Self {
            header,
            part: None,
            aspect,
            value,
            basis,
        }
    }

    fn text(header: &'static str, aspect: Aspect, value: String, basis: Basis) -> Self {
        Self::new(header, aspect, FieldValue::Text(value), basis)
    }

    fn in_part(mut self, part: &'static str) -> Self {
        self.part = Some(part);
        self
    }

    /// `Header` or `Header: Part`, as tables label it.
    pub fn label(&self) -> String {
        match self.part {
            Some(part) => format!("{} {part}", self.header),
            None => self.header.to_owned(),
        }
    }
}

/// Everything one edge sends about one certificate: the same shape for every profile.
#[derive(Debug, Clone, Default)]
pub struct EdgeOutput {
    /// Each value, with what it says and what confirms it.
    pub values: Vec<EdgeValue>,
    /// The headers as they go on the wire, in order.
    pub headers: Vec<(&'static str, String)>,
    /// What those headers are, as a table heading names them.
    pub headers_title: String,
    /// The other forms in which the edge hands over the same certificate.
    pub channels: Vec<Channel>,
    /// What the edge would do instead of sending these values (refuse the certificate, fail
    /// the request), as a sentence naming the edge.
    pub refusal: Option<String>,
}

/// A form, beside its headers, in which an edge hands the certificate to the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Channel {
    /// The property set a Worker reads as `request.cf.tlsClientAuth`, in `cf.d.ts` order; the
    /// echo's `X-CERT-*` headers are made from it.
    WorkerProperties(Vec<(Property, FieldValue)>),
    /// The Managed Transform "Add TLS client auth headers" (`cf-cert-*`).
    ManagedHeaders(Vec<(&'static str, String)>),
    /// What Cloudflare Access forwards to origins (`Cf-Client-Cert-*`).
    ForwardedHeaders(Vec<(&'static str, String)>),
    /// nginx's `$ssl_client_*` variables (names without the `$`).
    NginxVariables(Vec<(&'static str, String)>),
}

impl EdgeOutput {
    /// An output whose headers are its uncomposed values, one header each.
    fn plain(values: Vec<EdgeValue>) -> Self {
        let headers = values
            .iter()
            .filter(|v| v.part.is_none())
            .filter_map(|v| v.value.as_header_value().map(|text| (v.header, text)))
            .collect();
        Self {
            values,
            headers,
            ..Self::default()
        }
    }

    /// The Worker property set, when the edge hands one over.
    pub fn worker_properties(&self) -> Option<&[(Property, FieldValue)]> {
        self.channels.iter().find_map(|channel| match channel {
            Channel::WorkerProperties(values) => Some(values.as_slice()),
            _ => None,
        })
    }

    /// nginx's variables, when the edge is nginx.
    pub fn nginx_variables(&self) -> Option<&[(&'static str, String)]> {
        self.channels.iter().find_map(|channel| match channel {
            Channel::NginxVariables(variables) => Some(variables.as_slice()),
            _ => None,
        })
    }

    /// What the edge sends when the client presents no certificate: the echo's `X-CERT-*`
    /// placeholders (`certVerified` `NONE`) where the edge hands over Worker properties,
    /// nothing for edges that send only what a certificate gives.
    pub fn without_certificate(profile: Profile) -> Self {
        match profile {
            Profile::Cloudflare | Profile::Nginx => Self {
                headers: X_CERT_HEADERS
                    .iter()
                    .map(|(header, property)| {
                        let value = match property {
                            Property::CertVerified => "NONE",
                            _ => "",
                        };
                        (*header, value.to_owned())
                    })
                    .collect(),
                headers_title: X_CERT_TITLE.to_owned(),
                ..Self::default()
            },
            _ => Self::default(),
        }
    }
}

/// The heading of the echo's `X-CERT-*` headers.
pub(super) const X_CERT_TITLE: &str = "X-CERT-* headers (echo Worker)";

/// What the formatters read, computed once per certificate.
pub(super) struct Inputs<'a> {
    /// The leaf.
    pub leaf: &'a Certificate,
    /// What came with it.
    pub context: &'a Context<'a>,
    /// The subject, as the profile's library prints it.
    pub subject: &'a FormattedName,
    /// The issuer, as the profile's library prints it.
    pub issuer: &'a FormattedName,
    /// The Cloudflare property set, printed by the profile's library.
    pub properties: &'a [(Property, FieldValue)],
}

impl Inputs<'_> {
    /// The leaf's PEM.
    fn pem(&self) -> String {
        self.leaf.to_pem()
    }

    /// The leaf's PEM followed by every chain certificate's.
    fn pem_with_chain(&self) -> String {
        std::iter::once(self.leaf)
            .chain(self.context.chain.iter())
            .map(Certificate::to_pem)
            .collect()
    }

    /// The verdict, `SUCCESS` or `FAILED:…`, when a CA was chosen.
    fn verdict(&self) -> Option<&str> {
        self.context.verdict.as_deref()
    }
}

/// The edge's output for `profile`.
pub(super) fn compute(profile: Profile, inputs: &Inputs<'_>) -> EdgeOutput {
    let mut output = match profile {
        Profile::Cloudflare => cloudflare(inputs),
        Profile::Nginx => nginx::nginx(inputs),
        Profile::AwsAlb => cloud::aws_alb(inputs),
        Profile::AwsAlbPassthrough => cloud::aws_alb_passthrough(inputs),
        Profile::CloudFront => cloud::cloudfront(inputs),
        Profile::Gcp => cloud::gcp(inputs),
        Profile::AzureAppGw => cloud::azure(inputs),
        Profile::Rfc9440 => cloud::rfc9440(inputs),
        Profile::Envoy => proxies::envoy(inputs),
        Profile::Traefik => proxies::traefik(inputs),
        Profile::HaProxy => proxies::haproxy(inputs),
        Profile::Caddy => proxies::caddy(inputs),
    };
    if output.headers_title.is_empty() {
        output.headers_title = format!("Headers ({})", profile.title());
    }
    output
}

const CLOUDFLARE_BASIS: Basis = Basis::Source(
    "BoringSSL's printing functions, held to BoringSSL itself (the boring crate) in the oracle tests, and Cloudflare's documented examples",
);

fn property_aspect(property: Property) -> Option<Aspect> {
    Some(match property {
        Property::CertPresented => Aspect::Presented,
        Property::CertVerified => Aspect::Verdict,
        Property::CertSerial => Aspect::Serial,
        Property::CertFingerprintSHA1 => Aspect::Sha1,
        Property::CertFingerprintSHA256 => Aspect::Sha256,
        Property::CertSubjectDN => Aspect::Subject,
        Property::CertIssuerDN => Aspect::Issuer,
        Property::CertNotBefore => Aspect::NotBefore,
        Property::CertNotAfter => Aspect::NotAfter,
        Property::CertRFC9440 => Aspect::Certificate,
        Property::CertChainRFC9440 => Aspect::Chain,
        _ => return None,
    })
}

/// Cloudflare: the Worker's properties, the echo Worker's `X-CERT-*` headers, the Managed
/// Transform's headers and what Access forwards.
fn cloudflare(inputs: &Inputs<'_>) -> EdgeOutput {
    EdgeOutput {
        values: property_values(inputs.properties),
        headers: x_cert_headers(inputs.properties),
        headers_title: X_CERT_TITLE.to_owned(),
        channels: vec![
            Channel::WorkerProperties(inputs.properties.to_vec()),
            Channel::ManagedHeaders(managed_headers(inputs.properties)),
            Channel::ForwardedHeaders(forwarded_headers(inputs.leaf)),
        ],
        refusal: None,
    }
}

/// What Cloudflare Access forwards to origins: the leaf's DER in base64 and its SHA-256.
fn forwarded_headers(leaf: &Certificate) -> Vec<(&'static str, String)> {
    vec![
        (
            "Cf-Client-Cert-Der-Base64",
            base64::engine::general_purpose::STANDARD.encode(leaf.der()),
        ),
        (
            "Cf-Client-Cert-Sha256",
            crate::certificate::hex::lower(&leaf.sha256()),
        ),
    ]
}

/// The Cloudflare properties that say something every edge says, as values.
fn property_values(properties: &[(Property, FieldValue)]) -> Vec<EdgeValue> {
    let header_of = |property: Property| {
        X_CERT_HEADERS
            .iter()
            .find(|(_, p)| *p == property)
            .map(|(h, _)| *h)
            .unwrap_or_else(|| property.name())
    };
    properties
        .iter()
        .filter_map(|(property, value)| {
            let aspect = property_aspect(*property)?;
            Some(EdgeValue::new(
                header_of(*property),
                aspect,
                value.clone(),
                CLOUDFLARE_BASIS,
            ))
        })
        .collect()
}

/// The `X-CERT-*` headers the echo Worker builds, in its order; uncomputed ones are left out
/// (as `JSON.stringify` drops an undefined property).
pub(super) fn x_cert_headers(properties: &[(Property, FieldValue)]) -> Vec<(&'static str, String)> {
    X_CERT_HEADERS
        .iter()
        .filter_map(|(header, property)| {
            properties
                .iter()
                .find(|(p, _)| p == property)
                .and_then(|(_, value)| value.as_header_value())
                .map(|value| (*header, value))
        })
        .collect()
}

/// The Managed Transform "Add TLS client auth headers" set (`cf-cert-*`), booleans as
/// `true`/`false` the way Rules fields carry them.
fn managed_headers(properties: &[(Property, FieldValue)]) -> Vec<(&'static str, String)> {
    properties
        .iter()
        .filter_map(|(property, value)| {
            let header = property.managed_header()?;
            let value = match property {
                Property::CertPresented | Property::CertRevoked => {
                    (value.as_header_value()? == "1").to_string()
                }
                Property::CertVerified => match value {
                    FieldValue::Text(v) => (v == "SUCCESS").to_string(),
                    _ => return None,
                },
                _ => value.as_header_value()?,
            };
            Some((header, value))
        })
        .collect()
}
