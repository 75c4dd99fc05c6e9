//! The extensions verification looks at: basicConstraints, keyUsage, extendedKeyUsage, and
//! which critical extensions each library understands.

use crate::certificate::Certificate;
use crate::certificate::der::{self, tag};
use crate::notation::TlsLibrary;

const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1D, 0x13];
const KEY_USAGE: &[u8] = &[0x55, 0x1D, 0x0F];
const EXTENDED_KEY_USAGE: &[u8] = &[0x55, 0x1D, 0x25];
const CLIENT_AUTH: &[u8] = &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02];

/// Extensions a critical flag does not make fatal (`X509_supported_extension`).
const UNDERSTOOD: &[&str] = &[
    "2.16.840.1.113730.1.1", // nsCertType
    "2.5.29.15",             // keyUsage
    "2.5.29.17",             // subjectAltName
    "2.5.29.19",             // basicConstraints
    "2.5.29.32",             // certificatePolicies
    "2.5.29.37",             // extendedKeyUsage
    "2.5.29.36",             // policyConstraints
    "2.5.29.33",             // policyMappings
    "2.5.29.54",             // inhibitAnyPolicy
    "2.5.29.30",             // nameConstraints
];
/// Understood by OpenSSL only: RFC 3779 IP/AS resources and proxy certificates.
const UNDERSTOOD_BY_OPENSSL: &[&str] = &[
    "1.3.6.1.5.5.7.1.7",
    "1.3.6.1.5.5.7.1.8",
    "1.3.6.1.5.5.7.1.14",
];

/// keyUsage bits (first content octet of the BIT STRING).
const KU_DIGITAL_SIGNATURE: u16 = 0x80;
const KU_KEY_AGREEMENT: u16 = 0x08;
const KU_KEY_CERT_SIGN: u16 = 0x04;
const KU_CRL_SIGN: u16 = 0x02;

const SUBJECT_KEY_ID: &[u8] = &[0x55, 0x1D, 0x0E];
const AUTHORITY_KEY_ID: &[u8] = &[0x55, 0x1D, 0x23];
const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1D, 0x11];
const NAME_CONSTRAINTS: &[u8] = &[0x55, 0x1D, 0x1E];
const CRL_DISTRIBUTION_POINTS: &[u8] = &[0x55, 0x1D, 0x1F];

/// Extensions both libraries decode when they first look at a certificate
/// (`x509v3_cache_extensions`): basicConstraints, keyUsage, extendedKeyUsage,
/// subjectKeyIdentifier, authorityKeyIdentifier, subjectAltName, nameConstraints and CRL
/// distribution points (`setup_crldp`). One that does not decode sets `EXFLAG_INVALID`.
const DECODED: &[&[u8]] = &[
    BASIC_CONSTRAINTS,
    KEY_USAGE,
    EXTENDED_KEY_USAGE,
    SUBJECT_KEY_ID,
    AUTHORITY_KEY_ID,
    SUBJECT_ALT_NAME,
    NAME_CONSTRAINTS,
    CRL_DISTRIBUTION_POINTS,
];

/// Whether the libraries can decode the certificate's extensions (no `EXFLAG_INVALID`): each
/// of the [`DECODED`] ones present at most once and well formed. A certificate that fails this
/// is never linked to an issuer, nor an issuer to it.
pub fn extensions_decodable(cert: &Certificate) -> bool {
    DECODED.iter().all(|oid| {
        let mut found = cert.extensions().filter(|e| e.oid == *oid);
        match (found.next(), found.next()) {
            (None, _) => true,
            (Some(_), Some(_)) => false,
            (Some(extension), None) => well_formed(oid, extension.value),
        }
    })
}

/// The extension value parses as its ASN.1 type, inner structures included (a nameConstraints
/// whose subtrees do not decode is as undecodable as one that is not a SEQUENCE).
fn well_formed(oid: &[u8], value: &[u8]) -> bool {
    fn sequence(value: &[u8]) -> Option<der::Tlv<'_>> {
        der::parse_single(value, tag::SEQUENCE, "extension").ok()
    }
    match oid {
        BASIC_CONSTRAINTS => sequence(value).is_some_and(|s| {
            let mut fields = s.reader();
            fields.read_optional(tag::BOOLEAN).is_ok()
                && fields.read_optional(tag::INTEGER).is_ok()
                && fields.is_empty()
        }),
        KEY_USAGE => der::parse_single(value, tag::BIT_STRING, "KeyUsage").is_ok(),
        EXTENDED_KEY_USAGE => sequence(value).is_some_and(|s| {
            let mut reader = s.reader();
            while !reader.is_empty() {
                if reader.read(tag::OID, "KeyPurposeId").is_err() {
                    return false;
                }
            }
            true
        }),
        SUBJECT_KEY_ID => der::parse_single(value, tag::OCTET_STRING, "SKI").is_ok(),
        SUBJECT_ALT_NAME => sequence(value).is_some_and(|s| general_names(s.value)),
        // AuthorityKeyIdentifier: [0] keyIdentifier, [1] authorityCertIssuer (GeneralNames),
        // [2] authorityCertSerialNumber, each optional, in that order.
        AUTHORITY_KEY_ID => sequence(value).is_some_and(|s| {
            let mut fields = s.reader();
            let issuer_ok =
                |issuer: Option<der::Tlv<'_>>| issuer.is_none_or(|i| general_names(i.value));
            matches!(
                (
                    fields.read_optional(0x80),
                    fields.read_optional(0xA1),
                    fields.read_optional(0x82),
                ),
                (Ok(_), Ok(issuer), Ok(_)) if issuer_ok(issuer)
            ) && fields.is_empty()
        }),
        // NameConstraints: [0] permittedSubtrees, [1] excludedSubtrees, each a SEQUENCE OF
        // GeneralSubtree { base GeneralName, [0] minimum, [1] maximum }.
        NAME_CONSTRAINTS => sequence(value).is_some_and(|s| {
            let mut fields = s.reader();
            let subtrees_ok = |list: Option<der::Tlv<'_>>| {
                list.is_none_or(|list| {
                    each(list.value, |subtree| {
                        subtree.tag == tag::SEQUENCE && {
                            let mut parts = subtree.reader();
                            parts.read_any().is_ok_and(|base| general_name(&base))
                                && parts.read_optional(0x80).is_ok()
                                && parts.read_optional(0x81).is_ok()
                                && parts.is_empty()
                        }
                    })
                })
            };
            matches!(
                (fields.read_optional(0xA0), fields.read_optional(0xA1)),
                (Ok(permitted), Ok(excluded)) if subtrees_ok(permitted) && subtrees_ok(excluded)
            ) && fields.is_empty()
        }),
        // CRLDistributionPoints: SEQUENCE OF DistributionPoint { [0] distributionPoint
        // ([0] fullName GeneralNames | [1] nameRelativeToCRLIssuer), [1] reasons,
        // [2] cRLIssuer GeneralNames }.
        CRL_DISTRIBUTION_POINTS => sequence(value).is_some_and(|s| {
            each(s.value, |point| {
                point.tag == tag::SEQUENCE && {
                    let mut fields = point.reader();
                    let name_ok = |name: Option<der::Tlv<'_>>| {
                        name.is_none_or(|name| {
                            der::Reader::new(name.value)
                                .read_any()
                                .is_ok_and(|choice| match choice.tag {
                                    0xA0 => general_names(choice.value),
                                    0xA1 => true,
                                    _ => false,
                                })
                        })
                    };
                    let issuer_ok = |issuer: Option<der::Tlv<'_>>| {
                        issuer.is_none_or(|i| general_names(i.value))
                    };
                    matches!(
                        (
                            fields.read_optional(0xA0),
                            fields.read_optional(0x81),
                            fields.read_optional(0xA2),
                        ),
                        (Ok(name), Ok(_), Ok(issuer)) if name_ok(name) && issuer_ok(issuer)
                    ) && fields.is_empty()
                }
            })
        }),
        _ => sequence(value).is_some(),
    }
}

/// Whether every element of `content` (the inside of a SEQUENCE OF) passes `check`.
fn each(content: &[u8], check: impl Fn(der::Tlv<'_>) -> bool) -> bool {
    let mut reader = der::Reader::new(content);
    while !reader.is_empty() {
        match reader.read_any() {
            Ok(item) if check(item) => {}
            _ => return false,
        }
    }
    true
}

/// `GeneralNames`: every element a [`general_name`].
fn general_names(content: &[u8]) -> bool {
    each(content, |name| general_name(&name))
}

/// A `GeneralName` as the libraries decode it: [0] otherName, [3] x400Address,
/// [4] directoryName (a Name), [5] ediPartyName constructed; [1] [2] [6] [7] [8] primitive.
fn general_name(name: &der::Tlv<'_>) -> bool {
    match name.tag {
        0xA4 => der::parse_single(name.value, tag::SEQUENCE, "Name").is_ok(),
        0xA0 | 0xA3 | 0xA5 | 0x81 | 0x82 | 0x86 | 0x87 | 0x88 => true,
        _ => false,
    }
}

/// The extended key usage, as far as client authentication is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtendedKeyUsage {
    /// No extension: any use.
    Absent,
    /// The listed purposes.
    Listed {
        /// clientAuth is among them.
        client_auth: bool,
        /// Every purpose, dotted.
        oids: Vec<String>,
    },
}

/// What a certificate's extensions allow.
#[derive(Debug, Clone)]
pub struct Constraints {
    basic_constraints: Option<(bool, Option<usize>)>,
    key_usage: Option<u16>,
    eku: ExtendedKeyUsage,
    critical: Vec<String>,
    v1_self_issued: bool,
}

impl Constraints {
    /// Reads the extensions of `cert` (unreadable ones count as absent).
    pub fn of(cert: &Certificate) -> Self {
        let basic_constraints = cert.extension(BASIC_CONSTRAINTS).and_then(|e| {
            let seq = der::parse_single(e.value, tag::SEQUENCE, "BasicConstraints").ok()?;
            let mut fields = seq.reader();
            let ca = fields
                .read_optional(tag::BOOLEAN)
                .ok()?
                .is_some_and(|b| b.value != [0]);
            let path_len = fields.read_optional(tag::INTEGER).ok()?.map(|n| {
                n.value.iter().fold(0usize, |acc, &b| {
                    acc.saturating_mul(256).saturating_add(usize::from(b))
                })
            });
            Some((ca, path_len))
        });
        let key_usage = cert.extension(KEY_USAGE).and_then(|e| {
            let bits = der::parse_single(e.value, tag::BIT_STRING, "KeyUsage").ok()?;
            let first = u16::from(*bits.value.get(1).unwrap_or(&0));
            let second = u16::from(*bits.value.get(2).unwrap_or(&0));
            Some(first | (second << 8))
        });
        let eku = match cert.extension(EXTENDED_KEY_USAGE) {
            None => ExtendedKeyUsage::Absent,
            Some(e) => {
                let mut oids = Vec::new();
                let mut client_auth = false;
                if let Ok(seq) = der::parse_single(e.value, tag::SEQUENCE, "ExtKeyUsageSyntax") {
                    let mut reader = seq.reader();
                    while let Ok(oid) = reader.read(tag::OID, "KeyPurposeId") {
                        client_auth |= oid.value == CLIENT_AUTH;
                        oids.push(der::oid_to_string(oid.value));
                    }
                }
                ExtendedKeyUsage::Listed { client_auth, oids }
            }
        };
        let critical = cert
            .extensions()
            .filter(|e| e.critical)
            .map(|e| der::oid_to_string(e.oid))
            .collect();
        Self {
            basic_constraints,
            key_usage,
            eku,
            critical,
            v1_self_issued: cert.version() == 0 && cert.is_self_issued(),
        }
    }

    /// The first critical extension the profile's library does not understand.
    pub fn unhandled_critical(&self, rules: TlsLibrary) -> Option<&str> {
        self.critical
            .iter()
            .find(|oid| {
                let understood = UNDERSTOOD.contains(&oid.as_str())
                    || (rules == TlsLibrary::OpenSsl
                        && UNDERSTOOD_BY_OPENSSL.contains(&oid.as_str()));
                !understood
            })
            .map(String::as_str)
    }

    /// keyUsage, if present, allows signing revocation lists.
    pub fn may_sign_crls(&self) -> bool {
        self.key_usage.is_none_or(|ku| ku & KU_CRL_SIGN != 0)
    }

    /// keyUsage, if present, allows signing certificates.
    pub fn may_sign_certificates(&self) -> bool {
        self.key_usage.is_none_or(|ku| ku & KU_KEY_CERT_SIGN != 0)
    }

    /// `X509_check_ca`: 0 not a CA, 1 basicConstraints CA, 3 v1 root, 4 keyUsage-only CA.
    fn ca_kind(&self) -> u8 {
        if !self.may_sign_certificates() {
            return 0;
        }
        match self.basic_constraints {
            Some((true, _)) => 1,
            Some((false, _)) => 0,
            None if self.v1_self_issued => 3,
            None if self.key_usage.is_some() => 4,
            None => 0,
        }
    }

    /// Whether the certificate may act as a CA at its place in the chain; intermediates need
    /// basicConstraints CA:TRUE, the top of the chain may also be a v1 or keyUsage-only root.
    pub fn is_ca(&self, intermediate: bool) -> bool {
        match self.ca_kind() {
            0 => false,
            1 => true,
            _ => !intermediate,
        }
    }

    /// BoringSSL's `X509_check_ca`: keyUsage (if any) allows signing certificates, and
    /// basicConstraints says CA:TRUE — or it is a v1 root. No keyUsage-only CAs.
    pub fn is_ca_strict(&self) -> bool {
        matches!(self.ca_kind(), 1 | 3)
    }

    /// basicConstraints says CA:TRUE (OpenSSL's `EXFLAG_CA`).
    pub fn says_ca(&self) -> bool {
        matches!(self.basic_constraints, Some((true, _)))
    }

    /// True when basicConstraints is present at all.
    pub fn basic_constraints_present(&self) -> bool {
        self.basic_constraints.is_some()
    }

    /// pathLenConstraint of a CA.
    pub fn path_len(&self) -> Option<usize> {
        match self.basic_constraints {
            Some((true, limit)) => limit,
            _ => None,
        }
    }

    /// The extended key usage.
    pub fn eku(&self) -> &ExtendedKeyUsage {
        &self.eku
    }

    /// The extended key usage's purposes, by name where known.
    pub fn eku_names(&self) -> Vec<String> {
        match &self.eku {
            ExtendedKeyUsage::Absent => Vec::new(),
            ExtendedKeyUsage::Listed { oids, .. } => oids
                .iter()
                .map(|oid| match oid.as_str() {
                    "1.3.6.1.5.5.7.3.1" => "serverAuth".to_owned(),
                    "1.3.6.1.5.5.7.3.2" => "clientAuth".to_owned(),
                    "1.3.6.1.5.5.7.3.3" => "codeSigning".to_owned(),
                    "1.3.6.1.5.5.7.3.4" => "emailProtection".to_owned(),
                    "2.5.29.37.0" => "anyExtendedKeyUsage".to_owned(),
                    other => other.to_owned(),
                })
                .collect(),
        }
    }

    /// `X509_check_purpose(…, X509_PURPOSE_SSL_CLIENT, ca)`.
    pub fn allows_client_auth(&self, ca: bool) -> bool {
        if let ExtendedKeyUsage::Listed {
            client_auth: false, ..
        } = self.eku
        {
            return false;
        }
        if ca {
            return self.ca_kind() != 0;
        }
        self.key_usage
            .is_none_or(|ku| ku & (KU_DIGITAL_SIGNATURE | KU_KEY_AGREEMENT) != 0)
    }
}
