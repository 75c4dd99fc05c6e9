//! A certificate's full details for people: names, SANs, key, signature, every extension
//! decoded (x509-parser does the decoding; the edge's fields come from `fields`).

use serde::Serialize;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer as _;

use crate::certificate::Certificate;
use crate::certificate::hex;
use crate::fields::Profile;
use crate::notation::{format_name, format_serial, format_time};
use crate::verify::key_description;

/// One extension, decoded to text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtensionSummary {
    /// Its name (`keyUsage`) or dotted OID.
    pub name: String,
    /// Whether it is critical.
    pub critical: bool,
    /// Its value, readable.
    pub value: String,
}

/// Everything a details view shows about one certificate (never key material).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateDetails {
    /// Subject, RFC 2253.
    pub subject: String,
    /// Issuer, RFC 2253.
    pub issuer: String,
    /// Serial, as the edge prints it.
    pub serial: String,
    /// X.509 version (1 or 3).
    pub version: u8,
    /// Start of validity.
    pub not_before: String,
    /// End of validity.
    pub not_after: String,
    /// Every subjectAltName entry (`DNS:…`, `IP:…`, `email:…`, `URI:…`).
    pub subject_alt_names: Vec<String>,
    /// Public key (`EC P-256`, `RSA 2048-bit`).
    pub key: String,
    /// Signature algorithm.
    pub signature_algorithm: String,
    /// Every extension, in certificate order.
    pub extensions: Vec<ExtensionSummary>,
    /// SHA-256 fingerprint, lowercase hex.
    pub sha256: String,
    /// SHA-1 fingerprint, lowercase hex.
    pub sha1: String,
}

impl CertificateDetails {
    /// Decodes `cert` (names and dates formatted as `profile`'s edge does).
    pub fn of(cert: &Certificate, profile: Profile) -> Self {
        let name = |der: &[u8]| {
            format_name(der, profile.library())
                .map(|n| n.rfc2253)
                .unwrap_or_default()
        };
        let (extensions, subject_alt_names) = decode_extensions(cert);
        Self {
            subject: name(cert.subject_der()),
            issuer: name(cert.issuer_der()),
            serial: format_serial(cert.serial_content()),
            version: cert.version() + 1,
            not_before: format_time(cert.not_before_der(), profile.library()).into_text(),
            not_after: format_time(cert.not_after_der(), profile.library()).into_text(),
            subject_alt_names,
            key: key_description(cert),
            signature_algorithm: crate::verify::signature_algorithm_name(cert),
            extensions,
            sha256: hex::lower(&cert.sha256()),
            sha1: hex::lower(&cert.sha1()),
        }
    }
}

fn decode_extensions(cert: &Certificate) -> (Vec<ExtensionSummary>, Vec<String>) {
    let Ok((_, parsed)) = x509_parser::certificate::X509Certificate::from_der(cert.der()) else {
        // x509-parser refuses some certificates the edge accepts: list the raw extensions.
        let raw = cert
            .extensions()
            .map(|e| ExtensionSummary {
                name: extension_name(&crate::certificate::der::oid_to_string(e.oid)),
                critical: e.critical,
                value: hex::upper(e.value),
            })
            .collect();
        return (raw, Vec::new());
    };
    let mut sans = Vec::new();
    let summaries = parsed
        .extensions()
        .iter()
        .map(|ext| {
            let value = match ext.parsed_extension() {
                ParsedExtension::SubjectAlternativeName(san) => {
                    sans = san.general_names.iter().map(general_name).collect();
                    sans.join(", ")
                }
                ParsedExtension::KeyUsage(ku) => ku.to_string(),
                ParsedExtension::ExtendedKeyUsage(eku) => {
                    let mut names: Vec<String> = [
                        (eku.any, "anyExtendedKeyUsage"),
                        (eku.server_auth, "serverAuth"),
                        (eku.client_auth, "clientAuth"),
                        (eku.code_signing, "codeSigning"),
                        (eku.email_protection, "emailProtection"),
                        (eku.time_stamping, "timeStamping"),
                        (eku.ocsp_signing, "OCSPSigning"),
                    ]
                    .iter()
                    .filter(|(present, _)| *present)
                    .map(|(_, name)| (*name).to_owned())
                    .collect();
                    names.extend(eku.other.iter().map(|o| o.to_id_string()));
                    names.join(", ")
                }
                ParsedExtension::BasicConstraints(bc) => match bc.path_len_constraint {
                    Some(len) => {
                        format!("CA:{}, pathlen:{len}", if bc.ca { "TRUE" } else { "FALSE" })
                    }
                    None => format!("CA:{}", if bc.ca { "TRUE" } else { "FALSE" }),
                },
                ParsedExtension::SubjectKeyIdentifier(id) => hex::upper(id.0),
                ParsedExtension::AuthorityKeyIdentifier(aki) => aki
                    .key_identifier
                    .as_ref()
                    .map(|id| format!("keyid:{}", hex::upper(id.0)))
                    .unwrap_or_default(),
                ParsedExtension::CRLDistributionPoints(points) => points
                    .points
                    .iter()
                    .filter_map(|p| p.distribution_point.as_ref())
                    .map(|name| match name {
                        x509_parser::extensions::DistributionPointName::FullName(names) => names
                            .iter()
                            .map(general_name)
                            .collect::<Vec<_>>()
                            .join(", "),
                        x509_parser::extensions::DistributionPointName::NameRelativeToCRLIssuer(
                            _,
                        ) => "(relative name)".to_owned(),
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
                ParsedExtension::AuthorityInfoAccess(aia) => aia
                    .accessdescs
                    .iter()
                    .map(|d| {
                        format!(
                            "{} - {}",
                            access_method(&d.access_method.to_id_string()),
                            general_name(&d.access_location)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
                ParsedExtension::CertificatePolicies(policies) => policies
                    .iter()
                    .map(|p| p.policy_id.to_id_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => hex::upper(ext.value),
            };
            ExtensionSummary {
                name: extension_name(&ext.oid.to_id_string()),
                critical: ext.critical,
                value,
            }
        })
        .collect();
    (summaries, sans)
}

fn general_name(name: &GeneralName<'_>) -> String {
    match name {
        GeneralName::DNSName(dns) => format!("DNS:{dns}"),
        GeneralName::RFC822Name(email) => format!("email:{email}"),
        GeneralName::URI(uri) => format!("URI:{uri}"),
        GeneralName::IPAddress(bytes) => match bytes.len() {
            4 => format!(
                "IP:{}",
                std::net::Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3])
            ),
            16 => {
                let mut octets = [0u8; 16];
                octets.copy_from_slice(bytes);
                format!("IP:{}", std::net::Ipv6Addr::from(octets))
            }
            _ => format!("IP:{}", hex::upper(bytes)),
        },
        other => other.to_string(),
    }
}

fn access_method(oid: &str) -> &str {
    match oid {
        "1.3.6.1.5.5.7.48.1" => "OCSP",
        "1.3.6.1.5.5.7.48.2" => "CA Issuers",
        other => other,
    }
}

fn extension_name(oid: &str) -> String {
    crate::notation::attribute_name(oid, crate::notation::TlsLibrary::BoringSsl)
        .map(str::to_owned)
        .unwrap_or_else(|| oid.to_owned())
}

/// A name's attributes in certificate order, decoded to readable text (`("L", "Zürich")`).
pub fn readable_name(name_der: &[u8]) -> Vec<(String, String)> {
    let Ok((_, name)) = x509_parser::x509::X509Name::from_der(name_der) else {
        return Vec::new();
    };
    name.iter_attributes()
        .map(|attribute| {
            let oid = attribute.attr_type().to_id_string();
            let key = crate::notation::attribute_name(&oid, crate::notation::TlsLibrary::BoringSsl)
                .map(str::to_owned)
                .unwrap_or(oid);
            let value = attribute
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|_| format!("#{}", hex::upper(attribute.attr_value().data)));
            (key, value)
        })
        .collect()
}
