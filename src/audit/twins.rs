//! Certificates made on the spot for the audit: twins of the user's leaf (its exact subject,
//! serial and subject alternative names) that no CA the edge trusts issued — one signed by a
//! throwaway CA, one self-signed.

use rcgen::{
    BasicConstraints, CertificateParams, DnType, DnValue, IsCa, KeyPair, SanType, SerialNumber,
};
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::FromDer as _;

use crate::certificate::{Certificate, Instant};
use crate::identity::{self, Identity};

/// Why a twin could not be made.
#[derive(Debug, thiserror::Error)]
#[error("cannot make a certificate for the audit: {0}")]
pub struct TwinError(String);

impl From<rcgen::Error> for TwinError {
    fn from(error: rcgen::Error) -> Self {
        Self(error.to_string())
    }
}

/// The leaf's names and serial on a certificate signed by a CA made for the purpose.
pub fn unrelated_ca_twin(leaf: &Certificate) -> Result<Identity, TwinError> {
    let ca_key = KeyPair::generate()?;
    let mut ca = CertificateParams::new(Vec::<String>::new())?;
    ca.distinguished_name
        .push(DnType::CommonName, "Certlens audit throwaway CA");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let issuer = rcgen::Issuer::new(ca, ca_key);
    let key = KeyPair::generate()?;
    let cert = twin_params(leaf)?.signed_by(&key, &issuer)?;
    loaded(&cert.pem(), &key)
}

/// The leaf's names and serial on a self-signed certificate.
pub fn self_signed_twin(leaf: &Certificate) -> Result<Identity, TwinError> {
    let key = KeyPair::generate()?;
    let cert = twin_params(leaf)?.self_signed(&key)?;
    loaded(&cert.pem(), &key)
}

/// A self-signed client certificate for `common_name`, for the forged headers to describe.
pub fn forged_identity(common_name: &str) -> Result<Identity, TwinError> {
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
    let cert = params.self_signed(&key)?;
    loaded(&cert.pem(), &key)
}

/// The user's own test CA: its certificate (from the CAs given) and its key, which signs the
/// leaves that are wrong on purpose.
pub struct TestCa {
    issuer: rcgen::Issuer<'static, KeyPair>,
}

impl TestCa {
    /// The CA among `cas` whose key `key_pem` (PKCS#8 PEM) is.
    pub fn new(key_pem: &str, cas: &[Certificate]) -> Result<Self, TwinError> {
        let key = KeyPair::from_pem(key_pem).map_err(|e| {
            TwinError(format!(
                "the CA key cannot be read ({e}); give it as PKCS#8 PEM (`openssl pkcs8 -topk8 -nocrypt`)"
            ))
        })?;
        let ca = cas
            .iter()
            .find(|ca| ca.public_key_bits() == key.public_key_raw())
            .ok_or_else(|| {
                TwinError(
                    "none of the CA certificates given holds the CA key's public key: give that CA too"
                        .into(),
                )
            })?;
        let mut params = CertificateParams::default();
        params.distinguished_name = distinguished_name(ca)?;
        if let Some(id) = ca.subject_key_id() {
            // The leaves' authorityKeyIdentifier must name the CA's own key identifier.
            params.key_identifier_method = rcgen::KeyIdMethod::PreSpecified(id.to_vec());
        }
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        Ok(Self {
            issuer: rcgen::Issuer::new(params, key),
        })
    }

    /// The leaf's twin from this CA, valid only between the two days (offsets from today), for
    /// `usage`.
    pub fn leaf(
        &self,
        leaf: &Certificate,
        valid: (i64, i64),
        usage: rcgen::ExtendedKeyUsagePurpose,
    ) -> Result<Identity, TwinError> {
        let mut params = twin_params(leaf)?;
        let (year, month, date) = day(valid.0);
        params.not_before = rcgen::date_time_ymd(year, month, date);
        let (year, month, date) = day(valid.1);
        params.not_after = rcgen::date_time_ymd(year, month, date);
        params.extended_key_usages = vec![usage];
        let key = KeyPair::generate()?;
        let cert = params.signed_by(&key, &self.issuer)?;
        loaded(&cert.pem(), &key)
    }
}

/// A certificate and key as an identity, read back by the loader every identity goes through.
fn loaded(cert_pem: &str, key: &KeyPair) -> Result<Identity, TwinError> {
    let pem = zeroize::Zeroizing::new(format!("{cert_pem}{}", key.serialize_pem()));
    identity::load_bytes(pem.as_bytes(), None)
        .and_then(|file| file.identity())
        .map_err(|e| TwinError(e.to_string()))
}

/// The leaf's subject (attribute by attribute, string types kept), serial and SANs, valid from
/// yesterday until the day after tomorrow, for TLS clients.
fn twin_params(leaf: &Certificate) -> Result<CertificateParams, TwinError> {
    let (_, parsed) = x509_parser::certificate::X509Certificate::from_der(leaf.der())
        .map_err(|e| TwinError(format!("the leaf cannot be read: {e}")))?;
    let mut params = CertificateParams::default();
    params.distinguished_name = distinguished_name(leaf)?;
    params.serial_number = Some(SerialNumber::from_slice(leaf.serial_content()));
    if let Ok(Some(sans)) = parsed.subject_alternative_name() {
        for name in &sans.value.general_names {
            let san = match name {
                GeneralName::DNSName(dns) => rcgen::string::Ia5String::try_from(*dns)
                    .ok()
                    .map(SanType::DnsName),
                GeneralName::RFC822Name(email) => rcgen::string::Ia5String::try_from(*email)
                    .ok()
                    .map(SanType::Rfc822Name),
                GeneralName::URI(uri) => rcgen::string::Ia5String::try_from(*uri)
                    .ok()
                    .map(SanType::URI),
                GeneralName::IPAddress(bytes) => ip_address(bytes).map(SanType::IpAddress),
                _ => None,
            };
            params.subject_alt_names.extend(san);
        }
    }
    let (year, month, date) = day(-1);
    params.not_before = rcgen::date_time_ymd(year, month, date);
    let (year, month, date) = day(2);
    params.not_after = rcgen::date_time_ymd(year, month, date);
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
    Ok(params)
}

/// A certificate's subject as rcgen writes it, attribute by attribute, string types kept.
fn distinguished_name(cert: &Certificate) -> Result<rcgen::DistinguishedName, TwinError> {
    let (_, parsed) = x509_parser::certificate::X509Certificate::from_der(cert.der())
        .map_err(|e| TwinError(format!("the certificate cannot be read: {e}")))?;
    let mut name = rcgen::DistinguishedName::new();
    for attribute in parsed.subject().iter_attributes() {
        let Some(arcs) = attribute.attr_type().iter() else {
            continue;
        };
        let arcs: Vec<u64> = arcs.collect();
        let value = attribute.attr_value();
        let data = value.data.to_vec();
        let text = || String::from_utf8_lossy(&data).into_owned();
        let value = match value.tag().0 {
            0x0C => DnValue::Utf8String(text()),
            0x13 => match rcgen::string::PrintableString::try_from(text()) {
                Ok(printable) => DnValue::PrintableString(printable),
                Err(_) => DnValue::Utf8String(text()),
            },
            0x16 => match rcgen::string::Ia5String::try_from(text()) {
                Ok(ia5) => DnValue::Ia5String(ia5),
                Err(_) => DnValue::Utf8String(text()),
            },
            _ => DnValue::Utf8String(text()),
        };
        name.push(DnType::from_oid(&arcs), value);
    }
    Ok(name)
}

/// The UTC date `offset` days from today: year, month, day.
fn day(offset: i64) -> (i32, u8, u8) {
    let at = Instant::from_unix(Instant::now().unix + offset * 86_400).to_rfc3339();
    let year = at.get(0..4).and_then(|t| t.parse().ok()).unwrap_or(2026);
    let month = at.get(5..7).and_then(|t| t.parse().ok()).unwrap_or(1);
    let date = at.get(8..10).and_then(|t| t.parse().ok()).unwrap_or(1);
    (year, month, date)
}

fn ip_address(bytes: &[u8]) -> Option<std::net::IpAddr> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok().map(std::net::IpAddr::from),
        16 => <[u8; 16]>::try_from(bytes).ok().map(std::net::IpAddr::from),
        _ => None,
    }
}
