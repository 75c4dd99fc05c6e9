//! The edge's view of a client certificate: every `request.cf.tlsClientAuth` property, the
//! `X-CERT-*` headers the echo Worker builds, nginx's `$ssl_client_*` variables, the headers
//! Cloudflare forwards to origins, and what every other edge sends ([`profiles`]) — formatted
//! byte for byte as the chosen profile's edge would.

pub mod profiles;
mod property;

use base64::Engine as _;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::certificate::Certificate;
use crate::certificate::hex;

pub use property::{Property, X_CERT_HEADERS};

use crate::certificate::Instant;
use crate::notation::{
    FormattedName, TimeText, TlsLibrary, format_name, format_serial, format_time, serial,
};

/// The edge whose view is shown: where TLS ends, and how that edge hands the client
/// certificate to the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, serde::Deserialize)]
pub enum Profile {
    /// Cloudflare's edge (`request.cf.tlsClientAuth`, the echo Worker's `X-CERT-*`).
    #[default]
    #[serde(rename = "cloudflare")]
    Cloudflare,
    /// nginx's `$ssl_client_*` variables.
    #[serde(rename = "nginx")]
    Nginx,
    /// AWS Application Load Balancer, verify mode (`X-Amzn-Mtls-Clientcert-*`).
    #[serde(rename = "aws-alb")]
    AwsAlb,
    /// AWS Application Load Balancer, passthrough mode (`X-Amzn-Mtls-Clientcert`).
    #[serde(rename = "aws-alb-passthrough")]
    AwsAlbPassthrough,
    /// Amazon CloudFront viewer mTLS (`CloudFront-Viewer-Cert-*`).
    #[serde(rename = "cloudfront")]
    CloudFront,
    /// Envoy's `x-forwarded-client-cert`.
    #[serde(rename = "envoy")]
    Envoy,
    /// Google Cloud Load Balancing mTLS custom headers (`client_cert_*` variables).
    #[serde(rename = "gcp")]
    Gcp,
    /// Azure Application Gateway mutual-authentication server variables.
    #[serde(rename = "azure-appgw")]
    AzureAppGw,
    /// Traefik's PassTLSClientCert middleware.
    #[serde(rename = "traefik")]
    Traefik,
    /// HAProxy's `ssl_c_*` sample fetches.
    #[serde(rename = "haproxy")]
    HaProxy,
    /// Caddy's `{http.request.tls.client.*}` placeholders.
    #[serde(rename = "caddy")]
    Caddy,
    /// RFC 9440 `Client-Cert` and `Client-Cert-Chain`.
    #[serde(rename = "rfc9440")]
    Rfc9440,
}

impl Profile {
    /// Every profile, in the order menus and tables list them.
    pub const ALL: [Profile; 12] = [
        Profile::Cloudflare,
        Profile::Nginx,
        Profile::AwsAlb,
        Profile::AwsAlbPassthrough,
        Profile::CloudFront,
        Profile::Envoy,
        Profile::Gcp,
        Profile::AzureAppGw,
        Profile::Traefik,
        Profile::HaProxy,
        Profile::Caddy,
        Profile::Rfc9440,
    ];

    /// The profile's name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Cloudflare => "cloudflare",
            Profile::Nginx => "nginx",
            Profile::AwsAlb => "aws-alb",
            Profile::AwsAlbPassthrough => "aws-alb-passthrough",
            Profile::CloudFront => "cloudfront",
            Profile::Envoy => "envoy",
            Profile::Gcp => "gcp",
            Profile::AzureAppGw => "azure-appgw",
            Profile::Traefik => "traefik",
            Profile::HaProxy => "haproxy",
            Profile::Caddy => "caddy",
            Profile::Rfc9440 => "rfc9440",
        }
    }

    /// The profile named `name` (as [`Profile::name`] spells it).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The edge's name as a person reads it in a menu.
    pub fn title(self) -> &'static str {
        match self {
            Profile::Cloudflare => "Cloudflare",
            Profile::Nginx => "nginx",
            Profile::AwsAlb => "AWS ALB (verify mode)",
            Profile::AwsAlbPassthrough => "AWS ALB (passthrough mode)",
            Profile::CloudFront => "Amazon CloudFront",
            Profile::Envoy => "Envoy (XFCC)",
            Profile::Gcp => "Google Cloud Load Balancing",
            Profile::AzureAppGw => "Azure Application Gateway",
            Profile::Traefik => "Traefik",
            Profile::HaProxy => "HAProxy",
            Profile::Caddy => "Caddy",
            Profile::Rfc9440 => "RFC 9440 (Client-Cert)",
        }
    }

    /// The library whose rules parse, print and verify for this edge. Edges built on other
    /// stacks (Go's crypto/x509, the cloud load balancers) are checked with BoringSSL's rules,
    /// the strictest of the two, and print with their own formatters.
    pub fn library(self) -> TlsLibrary {
        match self {
            Profile::Nginx | Profile::HaProxy | Profile::AzureAppGw => TlsLibrary::OpenSsl,
            _ => TlsLibrary::BoringSsl,
        }
    }

    /// For an edge that hands the application no verdict of its own, a sentence saying what the
    /// verdict shown is instead.
    pub fn verdict_note(self) -> Option<String> {
        match self {
            Profile::Cloudflare
            | Profile::Nginx
            | Profile::Gcp
            | Profile::AzureAppGw
            | Profile::HaProxy => None,
            _ => Some(format!(
                "{} sends the application no verdict (it refuses a certificate that fails, or passes it on); this is {}'s, the rules this profile checks with",
                self.title(),
                self.library().name()
            )),
        }
    }
}

/// RFC 9440 size limits Cloudflare applies before it blanks the field (docs/fields.md, "RFC 9440 fields and size limits").
const RFC9440_LEAF_LIMIT: usize = 10 * 1024;
const RFC9440_CHAIN_LIMIT: usize = 16 * 1024;

/// One property's value: a string, a real boolean (the RFC 9440 flags), or not computable
/// offline with what was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// A string, exactly as the edge would set it.
    Text(String),
    /// A JavaScript boolean.
    Flag(bool),
    /// Not computed; the reason says what is missing.
    NotComputed(&'static str),
}

impl FieldValue {
    /// The value as the edge would put it in a header (`true`/`false` for flags).
    pub fn as_header_value(&self) -> Option<String> {
        match self {
            FieldValue::Text(text) => Some(text.clone()),
            FieldValue::Flag(flag) => Some(flag.to_string()),
            FieldValue::NotComputed(_) => None,
        }
    }

    /// JSON form: string, boolean, or `null` when not computed.
    pub fn to_json(&self) -> Value {
        match self {
            FieldValue::Text(text) => Value::String(text.clone()),
            FieldValue::Flag(flag) => Value::Bool(*flag),
            FieldValue::NotComputed(_) => Value::Null,
        }
    }
}

/// Why `certVerified` is empty until a CA is chosen.
pub const NO_VERDICT: &str =
    "not computed: no CA was given (choose the CA the hostname trusts to compute certVerified)";
/// Why issuer fields are empty when the issuer is neither in the file nor a given CA.
pub const NO_ISSUER: &str =
    "not computed: the issuer certificate is not in the file or the chosen CA files";

/// What the edge needs to compute the fields, beyond the leaf.
#[derive(Debug, Clone, Default)]
pub struct Context<'a> {
    /// The certificates the client sends after the leaf, in order.
    pub chain: &'a [Certificate],
    /// The certificate that issued the leaf, when known (from the chain or a chosen CA).
    pub issuer: Option<&'a Certificate>,
    /// The verification verdict (`SUCCESS`, `FAILED:…`), when a CA was chosen.
    pub verdict: Option<String>,
    /// `"1"` when a given revocation list names the leaf.
    pub revoked: bool,
    /// The moment the request is made (for nginx's `$ssl_client_v_remain`).
    pub at: Option<Instant>,
    /// Why verification failed, when it did, as OpenSSL's `X509_V_ERR_*` number (for edges
    /// that report an error code or word).
    pub failure_code: Option<u32>,
    /// The verdict another revision of the edge's library gives, where it differs.
    pub other_wording: Option<crate::verify::OtherWording>,
}

/// Every value the edge derives from one client certificate, for one profile.
#[derive(Debug, Clone)]
pub struct EdgeView {
    /// Whose rules produced these values.
    pub profile: Profile,
    values: Vec<(Property, FieldValue)>,
    /// What the profile's edge sends: its headers, every value with what confirms it, and the
    /// other forms it hands the certificate over in.
    pub edge: profiles::EdgeOutput,
    /// Things the edge would do differently from what is shown, e.g. refuse the certificate.
    pub warnings: Vec<String>,
    /// The verdict another revision of the edge's library gives, where it differs from the one
    /// shown (an echo that carries it agrees with Certlens).
    pub other_wording: Option<crate::verify::OtherWording>,
}

impl EdgeView {
    /// Computes every field of `leaf` as `profile`'s edge would.
    pub fn compute(leaf: &Certificate, context: &Context<'_>, profile: Profile) -> Self {
        let mut warnings = crate::verify::leaf_warnings(leaf);
        let subject = name_or_warning(leaf.subject_der(), "subject", profile, &mut warnings);
        let issuer = name_or_warning(leaf.issuer_der(), "issuer", profile, &mut warnings);
        let not_before =
            time_or_warning(leaf.not_before_der(), "notBefore", profile, &mut warnings);
        let not_after = time_or_warning(leaf.not_after_der(), "notAfter", profile, &mut warnings);
        let serial = format_serial(leaf.serial_content());
        if serial::is_non_minimal(leaf.serial_content()) {
            warnings.push(format!(
                "{} would refuse this certificate: its serial number is not minimally encoded DER",
                refuser(profile)
            ));
        }
        let sha1 = hex::lower(&leaf.sha1());
        let sha256 = hex::lower(&leaf.sha256());
        let leaf_b64 = base64::engine::general_purpose::STANDARD.encode(leaf.der());
        let rfc9440 = format!(":{leaf_b64}:");
        let leaf_too_large = rfc9440.len() > RFC9440_LEAF_LIMIT;
        let chain_text = context
            .chain
            .iter()
            .map(|c| {
                format!(
                    ":{}:",
                    base64::engine::general_purpose::STANDARD.encode(c.der())
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let chain_too_large = chain_text.len() > RFC9440_CHAIN_LIMIT;

        let text = |s: &str| FieldValue::Text(s.to_owned());
        let issuer_field = |f: fn(&Certificate) -> String| match context.issuer {
            Some(cert) => FieldValue::Text(f(cert)),
            None => FieldValue::NotComputed(NO_ISSUER),
        };
        let values = vec![
            (Property::CertPresented, text("1")),
            (
                Property::CertVerified,
                match &context.verdict {
                    Some(verdict) => text(verdict),
                    None => FieldValue::NotComputed(NO_VERDICT),
                },
            ),
            (
                Property::CertRevoked,
                text(if context.revoked { "1" } else { "0" }),
            ),
            (Property::CertIssuerDN, text(&issuer.rfc2253)),
            (Property::CertSubjectDN, text(&subject.rfc2253)),
            (Property::CertIssuerDNRFC2253, text(&issuer.rfc2253)),
            (Property::CertSubjectDNRFC2253, text(&subject.rfc2253)),
            (Property::CertIssuerDNLegacy, text(&issuer.legacy)),
            (Property::CertSubjectDNLegacy, text(&subject.legacy)),
            (Property::CertSerial, text(&serial)),
            (
                Property::CertIssuerSerial,
                issuer_field(|c| format_serial(c.serial_content())),
            ),
            (
                Property::CertSKI,
                text(&leaf.subject_key_id().map(hex::upper).unwrap_or_default()),
            ),
            (
                Property::CertIssuerSKI,
                issuer_field(|c| c.subject_key_id().map(hex::upper).unwrap_or_default()),
            ),
            (Property::CertFingerprintSHA1, text(&sha1)),
            (Property::CertFingerprintSHA256, text(&sha256)),
            (Property::CertNotBefore, text(&not_before)),
            (Property::CertNotAfter, text(&not_after)),
            (
                Property::CertRFC9440,
                text(if leaf_too_large { "" } else { &rfc9440 }),
            ),
            (
                Property::CertRFC9440TooLarge,
                FieldValue::Flag(leaf_too_large),
            ),
            (
                Property::CertChainRFC9440,
                text(if chain_too_large { "" } else { &chain_text }),
            ),
            (
                Property::CertChainRFC9440TooLarge,
                FieldValue::Flag(chain_too_large),
            ),
        ];

        let edge = profiles::compute(
            profile,
            &profiles::Inputs {
                leaf,
                context,
                subject: &subject,
                issuer: &issuer,
                properties: &values,
            },
        );
        if let Some(refusal) = &edge.refusal {
            warnings.push(refusal.clone());
        }

        Self {
            profile,
            values,
            edge,
            warnings,
            other_wording: context.other_wording.clone(),
        }
    }

    /// One property's value.
    pub fn get(&self, property: Property) -> &FieldValue {
        self.values
            .iter()
            .find(|(p, _)| *p == property)
            .map(|(_, v)| v)
            .unwrap_or(&FieldValue::NotComputed("unknown property"))
    }

    /// Every property in `cf.d.ts` order with its value.
    pub fn values(&self) -> &[(Property, FieldValue)] {
        &self.values
    }

    /// `request.cf.tlsClientAuth` as JSON, in `cf.d.ts` order (`null` where not computed).
    pub fn tls_client_auth_json(&self) -> Map<String, Value> {
        self.values
            .iter()
            .map(|(p, v)| (p.name().to_owned(), v.to_json()))
            .collect()
    }
}

fn name_or_warning(
    der: &[u8],
    which: &str,
    profile: Profile,
    warnings: &mut Vec<String>,
) -> FormattedName {
    match format_name(der, profile.library()) {
        Ok(name) => {
            if let Some(rejected) = &name.rejected {
                warnings.push(format!(
                    "{} would refuse this certificate: in the {which} name, {}",
                    refuser(profile),
                    rejected.0
                ));
            }
            name
        }
        Err(error) => {
            warnings.push(format!("the {which} name cannot be read: {error}"));
            FormattedName {
                rfc2253: String::new(),
                legacy: String::new(),
                rejected: None,
            }
        }
    }
}

fn time_or_warning(
    der: &[u8],
    which: &str,
    profile: Profile,
    warnings: &mut Vec<String>,
) -> String {
    match format_time(der, profile.library()) {
        TimeText::Printed(text) => text,
        TimeText::Rejected(reason) => {
            warnings.push(format!(
                "{} would refuse this certificate: {which}: {reason}",
                refuser(profile)
            ));
            format_time(der, TlsLibrary::OpenSsl).into_text()
        }
    }
}

/// Who refuses what the profile's library refuses: the edge itself when it is built on that
/// library, else the library (the edge's own parser is another).
fn refuser(profile: Profile) -> String {
    match profile {
        Profile::Cloudflare
        | Profile::Nginx
        | Profile::Envoy
        | Profile::HaProxy
        | Profile::AzureAppGw => {
            format!("the {} edge", profile.name())
        }
        _ => format!(
            "{} (whose rules the {} profile checks with)",
            profile.library().name(),
            profile.name()
        ),
    }
}

#[cfg(test)]
mod tests;
