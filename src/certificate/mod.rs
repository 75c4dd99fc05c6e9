//! One X.509 certificate as the edge receives it: the exact DER, and where in it the parts
//! the edge formats (serial, names, validity, key, key identifiers) sit.

mod canonical;
pub mod der;
pub mod hex;
mod public_key;
pub mod time;

pub(crate) use canonical::canonical_name;
pub use public_key::{PublicKeyInfo, integer_bits};
pub use time::{Instant, decode_time};

use std::ops::Range;

use sha1::Digest as _;
use thiserror::Error;

use der::{DerError, Reader, Tlv, tag};

const OID_SUBJECT_KEY_IDENTIFIER: &[u8] = &[0x55, 0x1D, 0x0E];
const OID_AUTHORITY_KEY_IDENTIFIER: &[u8] = &[0x55, 0x1D, 0x23];

/// Why bytes are not an X.509 certificate.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("not a valid X.509 certificate: {0}")]
pub struct CertificateError(#[from] pub DerError);

/// A parsed certificate. Cheap to clone; holds its own DER.
#[derive(Clone, PartialEq, Eq)]
pub struct Certificate {
    der: Vec<u8>,
    tbs: Range<usize>,
    version: u8,
    serial: Range<usize>,
    issuer: Range<usize>,
    not_before: Range<usize>,
    not_after: Range<usize>,
    subject: Range<usize>,
    spki: Range<usize>,
    public_key: Range<usize>,
    public_key_info: Option<PublicKeyInfo>,
    /// The validity times decoded (OpenSSL's lenient reading), `None` where they name no
    /// instant.
    validity: (Option<Instant>, Option<Instant>),
    /// Whether each validity time is in an RFC 5280 form (what verification can compare).
    validity_rfc5280: (bool, bool),
    subject_key_id: Option<Range<usize>>,
    authority_key_id: Option<Range<usize>>,
    extensions: Vec<ExtensionRanges>,
    signature_algorithm: Range<usize>,
    signature: Range<usize>,
    friendly_name: Option<String>,
    /// The subject and issuer as the libraries compare them.
    canonical_subject: Vec<u8>,
    canonical_issuer: Vec<u8>,
}

#[derive(Clone, PartialEq, Eq)]
struct ExtensionRanges {
    oid: Range<usize>,
    critical: bool,
    value: Range<usize>,
}

/// One extension of a certificate, as encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extension<'a> {
    /// The extnID content octets.
    pub oid: &'a [u8],
    /// Whether the extension is marked critical.
    pub critical: bool,
    /// The extnValue content (the DER of the extension's own structure).
    pub value: &'a [u8],
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("sha256", &self.sha256_hex())
            .field("friendly_name", &self.friendly_name)
            .finish()
    }
}

impl Certificate {
    /// Parses one DER certificate. Trailing bytes after the certificate are an error.
    pub fn from_der(input: &[u8]) -> Result<Self, CertificateError> {
        let outer = der::parse_single(input, tag::SEQUENCE, "a certificate SEQUENCE")?;
        let base = |tlv: &Tlv<'_>| offset_of(input, tlv.value);
        let raw_range = |tlv: &Tlv<'_>| {
            let start = offset_of(input, tlv.raw);
            start..start + tlv.raw.len()
        };
        let value_range = |tlv: &Tlv<'_>| {
            let start = base(tlv);
            start..start + tlv.value.len()
        };

        let mut cert = outer.reader();
        let tbs = cert.read(tag::SEQUENCE, "tbsCertificate")?;
        let signature_algorithm = cert.read(tag::SEQUENCE, "signatureAlgorithm")?;
        let signature = cert.read(tag::BIT_STRING, "signatureValue")?;
        if !cert.is_empty() {
            return Err(DerError::Invalid("data after the signature").into());
        }

        let mut fields = tbs.reader();
        let version = match fields.read_optional(0xA0)? {
            Some(explicit) => {
                let int = der::parse_single(explicit.value, tag::INTEGER, "version INTEGER")?;
                match int.value {
                    [v] => *v,
                    _ => return Err(DerError::Invalid("version out of range").into()),
                }
            }
            None => 0,
        };
        let serial = fields.read(tag::INTEGER, "serialNumber INTEGER")?;
        if serial.value.is_empty() {
            return Err(DerError::Invalid("empty serial number").into());
        }
        fields.read(tag::SEQUENCE, "signature AlgorithmIdentifier")?;
        let issuer = fields.read(tag::SEQUENCE, "issuer Name")?;
        let validity = fields.read(tag::SEQUENCE, "validity")?;
        let mut times = validity.reader();
        let not_before = read_time(&mut times)?;
        let not_after = read_time(&mut times)?;
        let subject = fields.read(tag::SEQUENCE, "subject Name")?;
        let spki = fields.read(tag::SEQUENCE, "subjectPublicKeyInfo")?;
        let mut spki_fields = spki.reader();
        spki_fields.read(tag::SEQUENCE, "public key AlgorithmIdentifier")?;
        let public_key = spki_fields.read(tag::BIT_STRING, "subjectPublicKey")?;

        fields.read_optional(0x81)?; // issuerUniqueID
        fields.read_optional(0x82)?; // subjectUniqueID
        let mut subject_key_id = None;
        let mut authority_key_id = None;
        let mut all_extensions = Vec::new();
        if let Some(explicit) = fields.read_optional(0xA3)? {
            let list = der::parse_single(explicit.value, tag::SEQUENCE, "extensions")?;
            let mut extensions = list.reader();
            while !extensions.is_empty() {
                let ext = extensions.read(tag::SEQUENCE, "Extension")?;
                let mut parts = ext.reader();
                let oid = parts.read(tag::OID, "extnID")?;
                let critical = parts
                    .read_optional(tag::BOOLEAN)?
                    .is_some_and(|b| b.value != [0]);
                let value = parts.read(tag::OCTET_STRING, "extnValue")?;
                all_extensions.push(ExtensionRanges {
                    oid: value_range(&oid),
                    critical,
                    value: value_range(&value),
                });
                if oid.value == OID_SUBJECT_KEY_IDENTIFIER {
                    let id = der::parse_single(value.value, tag::OCTET_STRING, "keyIdentifier")?;
                    subject_key_id = Some(value_range(&id));
                } else if oid.value == OID_AUTHORITY_KEY_IDENTIFIER {
                    let aki =
                        der::parse_single(value.value, tag::SEQUENCE, "AuthorityKeyIdentifier")?;
                    if let Some(id) = aki.reader().read_optional(0x80)? {
                        authority_key_id = Some(value_range(&id));
                    }
                }
            }
        }
        if !fields.is_empty() {
            return Err(DerError::Invalid("unexpected data in tbsCertificate").into());
        }

        let public_key_info =
            PublicKeyInfo::read(spki.raw, public_key.value.get(1..).unwrap_or(&[]));
        let validity = (decode_time(not_before.raw), decode_time(not_after.raw));
        let validity_rfc5280 = (
            time::is_rfc5280_form(not_before.raw),
            time::is_rfc5280_form(not_after.raw),
        );
        Ok(Self {
            public_key_info,
            validity,
            validity_rfc5280,
            tbs: raw_range(&tbs),
            version,
            serial: value_range(&serial),
            issuer: raw_range(&issuer),
            not_before: raw_range(&not_before),
            not_after: raw_range(&not_after),
            subject: raw_range(&subject),
            spki: raw_range(&spki),
            public_key: value_range(&public_key),
            subject_key_id,
            authority_key_id,
            extensions: all_extensions,
            signature_algorithm: raw_range(&signature_algorithm),
            signature: value_range(&signature),
            friendly_name: None,
            canonical_subject: canonical::canonical_name(subject.raw),
            canonical_issuer: canonical::canonical_name(issuer.raw),
            der: input.to_vec(),
        })
    }

    /// The same certificate with a PKCS#12 friendly name attached.
    pub fn with_friendly_name(mut self, name: Option<String>) -> Self {
        self.friendly_name = name;
        self
    }

    /// The certificate exactly as encoded.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The signed part (`tbsCertificate`), exactly as encoded.
    pub fn tbs_der(&self) -> &[u8] {
        &self.der[self.tbs.clone()]
    }

    /// X.509 version as encoded (0 = v1, 2 = v3).
    pub fn version(&self) -> u8 {
        self.version
    }

    /// Content octets of the serialNumber INTEGER (two's complement, as encoded).
    pub fn serial_content(&self) -> &[u8] {
        &self.der[self.serial.clone()]
    }

    /// The issuer Name, complete DER.
    pub fn issuer_der(&self) -> &[u8] {
        &self.der[self.issuer.clone()]
    }

    /// The subject Name, complete DER.
    pub fn subject_der(&self) -> &[u8] {
        &self.der[self.subject.clone()]
    }

    /// notBefore, complete DER (UTCTime or GeneralizedTime).
    pub fn not_before_der(&self) -> &[u8] {
        &self.der[self.not_before.clone()]
    }

    /// notAfter, complete DER (UTCTime or GeneralizedTime).
    pub fn not_after_der(&self) -> &[u8] {
        &self.der[self.not_after.clone()]
    }

    /// subjectPublicKeyInfo, complete DER.
    pub fn spki_der(&self) -> &[u8] {
        &self.der[self.spki.clone()]
    }

    /// The subjectPublicKey BIT STRING content without its unused-bits octet.
    pub fn public_key_bits(&self) -> &[u8] {
        self.der[self.public_key.clone()].get(1..).unwrap_or(&[])
    }

    /// The notBefore instant, decoded when the certificate was parsed (`None` when the
    /// encoded time names none).
    pub fn not_before(&self) -> Option<Instant> {
        self.validity.0
    }

    /// The notAfter instant, decoded when the certificate was parsed.
    pub fn not_after(&self) -> Option<Instant> {
        self.validity.1
    }

    /// The notBefore instant as verification compares it (`X509_cmp_time`): only a time in an
    /// RFC 5280 form counts; fractions, offsets and missing seconds cannot be compared.
    pub fn verifiable_not_before(&self) -> Option<Instant> {
        self.validity_rfc5280.0.then_some(self.validity.0).flatten()
    }

    /// The notAfter instant as verification compares it.
    pub fn verifiable_not_after(&self) -> Option<Instant> {
        self.validity_rfc5280.1.then_some(self.validity.1).flatten()
    }

    /// What the subjectPublicKeyInfo says about the key, read when the certificate was parsed
    /// (`None` when its algorithm identifier is unreadable).
    pub fn public_key_info(&self) -> Option<&PublicKeyInfo> {
        self.public_key_info.as_ref()
    }

    /// The subjectKeyIdentifier extension's key identifier, if present.
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        self.subject_key_id.clone().map(|r| &self.der[r])
    }

    /// The authorityKeyIdentifier extension's keyIdentifier, if present.
    pub fn authority_key_id(&self) -> Option<&[u8]> {
        self.authority_key_id.clone().map(|r| &self.der[r])
    }

    /// Every extension, in certificate order.
    pub fn extensions(&self) -> impl Iterator<Item = Extension<'_>> {
        self.extensions.iter().map(|e| Extension {
            oid: &self.der[e.oid.clone()],
            critical: e.critical,
            value: &self.der[e.value.clone()],
        })
    }

    /// The extension with this OID (content octets), if present.
    pub fn extension(&self, oid: &[u8]) -> Option<Extension<'_>> {
        self.extensions().find(|e| e.oid == oid)
    }

    /// The outer signatureAlgorithm, complete DER.
    pub fn signature_algorithm_der(&self) -> &[u8] {
        &self.der[self.signature_algorithm.clone()]
    }

    /// The signature bits (without the unused-bits octet).
    pub fn signature(&self) -> &[u8] {
        self.der[self.signature.clone()].get(1..).unwrap_or(&[])
    }

    /// The PKCS#12 friendly name, when the certificate came from a p12 bag that had one.
    pub fn friendly_name(&self) -> Option<&str> {
        self.friendly_name.as_deref()
    }

    /// True when subject and issuer are the same name, as the libraries compare names.
    pub fn is_self_issued(&self) -> bool {
        self.canonical_subject == self.canonical_issuer
    }

    /// The subject as OpenSSL and BoringSSL compare names (`X509_NAME_cmp`): string types,
    /// case and white space folded. Two names naming the same entity have the same key.
    pub fn subject_key(&self) -> &[u8] {
        &self.canonical_subject
    }

    /// The issuer, canonical as in [`Certificate::subject_key`].
    pub fn issuer_key(&self) -> &[u8] {
        &self.canonical_issuer
    }

    /// SHA-1 of the DER.
    pub fn sha1(&self) -> [u8; 20] {
        sha1::Sha1::digest(&self.der).into()
    }

    /// SHA-256 of the DER.
    pub fn sha256(&self) -> [u8; 32] {
        sha2::Sha256::digest(&self.der).into()
    }

    /// SHA-256 of the DER, lowercase hex.
    pub fn sha256_hex(&self) -> String {
        crate::certificate::hex::lower(&self.sha256())
    }

    /// Every subjectAltName entry (a context-tagged GeneralName), in certificate order; empty
    /// when the extension is absent or unreadable.
    pub fn alt_name_entries(&self) -> Vec<der::Tlv<'_>> {
        const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1D, 0x11];
        let Some(extension) = self.extension(SUBJECT_ALT_NAME) else {
            return Vec::new();
        };
        let Ok(sequence) = der::parse_single(extension.value, der::tag::SEQUENCE, "GeneralNames")
        else {
            return Vec::new();
        };
        let mut reader = sequence.reader();
        let mut names = Vec::new();
        while let Ok(name) = reader.read_any() {
            names.push(name);
        }
        names
    }

    /// PEM encoding (64-column base64, `\n` line ends, trailing newline), as OpenSSL writes it.
    pub fn to_pem(&self) -> String {
        pem::encode_config(
            &pem::Pem::new("CERTIFICATE", self.der.clone()),
            pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF),
        )
    }

    /// True when `issuer` could have issued this certificate: its subject equals our issuer (as
    /// the libraries compare names) and,
    /// when both identifiers are present, its key identifier equals our authority key identifier.
    pub fn is_issued_by_name(&self, issuer: &Certificate) -> bool {
        if issuer.canonical_subject != self.canonical_issuer {
            return false;
        }
        match (self.authority_key_id(), issuer.subject_key_id()) {
            (Some(aki), Some(ski)) => aki == ski,
            _ => true,
        }
    }
}

fn read_time<'a>(reader: &mut Reader<'a>) -> Result<Tlv<'a>, DerError> {
    let time = reader.read_any()?;
    match time.tag {
        tag::UTC_TIME | tag::GENERALIZED_TIME => Ok(time),
        found => Err(DerError::UnexpectedTag {
            expected: "UTCTime or GeneralizedTime",
            found,
        }),
    }
}

/// Position of `inner` within `outer`; both come from the same buffer.
fn offset_of(outer: &[u8], inner: &[u8]) -> usize {
    inner.as_ptr() as usize - outer.as_ptr() as usize
}
