//! Certificate revocation lists: reading them, and judging them as each library does.
//!
//! BoringSSL at Cloudflare never checks uploaded CRLs, so `certRevoked` is set only by a list
//! that checks out: issued under the certificate's issuer name, signed by that issuer, current,
//! and listing the serial. OpenSSL under nginx (`ssl_crl`: `X509_V_FLAG_CRL_CHECK |
//! X509_V_FLAG_CRL_CHECK_ALL`) needs a list for every certificate of the chain and fails the
//! verification on anything wrong with it (`check_revocation`, `check_crl`, `cert_crl`).

use thiserror::Error;

use crate::certificate::Instant;
use crate::certificate::der::{self, DerError, Reader, tag};
use crate::certificate::{Certificate, canonical_name};
use crate::notation::{TlsLibrary, format_time};

use super::VerifyError;
use super::extensions::Constraints;
use super::run::{Run, verifiable_time};
use super::signature::signed_by;

/// 2.5.29.21 — an entry's reason code.
const REASON_CODE: &[u8] = &[0x55, 0x1D, 0x15];
/// The reason code that takes an entry back (delta CRLs).
const REMOVE_FROM_CRL: u8 = 8;
/// 2.5.29.28
const ISSUING_DISTRIBUTION_POINT: &[u8] = &[0x55, 0x1D, 0x1C];
/// 2.5.29.31
const CRL_DISTRIBUTION_POINTS: &[u8] = &[0x55, 0x1D, 0x1F];
/// CRL extensions OpenSSL understands when critical: issuingDistributionPoint,
/// deltaCRLIndicator (a delta list is used as a complete one unless a server asks for
/// `X509_V_FLAG_EXTENDED_CRL_SUPPORT`, which nginx does not).
const UNDERSTOOD_CRITICAL: &[&[u8]] = &[ISSUING_DISTRIBUTION_POINT, &[0x55, 0x1D, 0x1B]];

/// What an issuingDistributionPoint says the list covers (RFC 5280 5.2.5), as OpenSSL's
/// `get_crl_score` and `crl_crldp_check` read it without extended CRL support.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Partition {
    /// The fullName of its distributionPoint, each GeneralName's DER; `None` without one.
    full_names: Option<Vec<Vec<u8>>>,
    /// A distributionPoint named relative to the issuer, which OpenSSL compares as a name.
    relative_name: bool,
    only_user: bool,
    only_ca: bool,
    only_attributes: bool,
    /// onlySomeReasons or indirectCRL: lists OpenSSL uses only with extended CRL support.
    needs_extended_support: bool,
    /// The extension does not decode, or claims more than one "only".
    invalid: bool,
}

impl Partition {
    fn parse(value: &[u8]) -> Self {
        let mut partition = Partition::default();
        let Ok(sequence) = der::parse_single(value, tag::SEQUENCE, "IssuingDistributionPoint")
        else {
            partition.invalid = true;
            return partition;
        };
        let mut fields = sequence.reader();
        let flag = |tlv: Option<der::Tlv<'_>>| tlv.is_some_and(|t| t.value != [0]);
        let parsed = (|| -> Result<(), DerError> {
            if let Some(point) = fields.read_optional(0xA0)? {
                let name = Reader::new(point.value).read_any()?;
                match name.tag {
                    0xA0 => {
                        let mut names = name.reader();
                        let mut all = Vec::new();
                        while !names.is_empty() {
                            all.push(names.read_any()?.raw.to_vec());
                        }
                        partition.full_names = Some(all);
                    }
                    _ => partition.relative_name = true,
                }
            }
            partition.only_user = flag(fields.read_optional(0x81)?);
            partition.only_ca = flag(fields.read_optional(0x82)?);
            partition.needs_extended_support |= fields.read_optional(0x83)?.is_some();
            partition.needs_extended_support |= flag(fields.read_optional(0x84)?);
            partition.only_attributes = flag(fields.read_optional(0x85)?);
            Ok(())
        })();
        let onlies = [
            partition.only_user,
            partition.only_ca,
            partition.only_attributes,
        ];
        partition.invalid =
            parsed.is_err() || !fields.is_empty() || onlies.iter().filter(|o| **o).count() > 1;
        partition
    }

    /// Whether the list speaks for `cert` at all: its kind of certificate, and a distribution
    /// point `cert` names among its CRL distribution points.
    fn covers(&self, cert: &Certificate) -> bool {
        if self.invalid || self.needs_extended_support || self.only_attributes {
            return false;
        }
        let ca = Constraints::of(cert).says_ca();
        if (ca && self.only_user) || (!ca && self.only_ca) {
            return false;
        }
        if self.relative_name {
            // Certlens does not build the relative name: such a list is not used.
            return false;
        }
        match &self.full_names {
            None => true,
            Some(names) => distribution_point_names(cert)
                .iter()
                .any(|n| names.contains(n)),
        }
    }
}

/// The fullName GeneralNames (each one's DER) of `cert`'s CRL distribution points.
fn distribution_point_names(cert: &Certificate) -> Vec<Vec<u8>> {
    let Some(extension) = cert.extension(CRL_DISTRIBUTION_POINTS) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    let _ = (|| -> Result<(), DerError> {
        let points = der::parse_single(extension.value, tag::SEQUENCE, "CRLDistributionPoints")?;
        let mut points = points.reader();
        while !points.is_empty() {
            let point = points.read(tag::SEQUENCE, "DistributionPoint")?;
            if let Some(name) = point.reader().read_optional(0xA0)? {
                let full = Reader::new(name.value).read_any()?;
                if full.tag == 0xA0 {
                    let mut list = full.reader();
                    while !list.is_empty() {
                        names.push(list.read_any()?.raw.to_vec());
                    }
                }
            }
        }
        Ok(())
    })();
    names
}

/// Why a revocation list could not be read.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum CrlError {
    /// The file holds no CRL.
    #[error("the file holds no certificate revocation list (X509 CRL)")]
    NotACrl,
    /// The CRL's structure is damaged.
    #[error("the revocation list is damaged: {0}")]
    Corrupt(#[from] DerError),
}

/// One revoked serial.
#[derive(Debug, Clone)]
struct Entry {
    serial: Vec<u8>,
    removed: bool,
}

/// A parsed CRL.
#[derive(Debug, Clone)]
pub struct Crl {
    der: Vec<u8>,
    tbs: std::ops::Range<usize>,
    signature_algorithm: std::ops::Range<usize>,
    signature: std::ops::Range<usize>,
    issuer: std::ops::Range<usize>,
    canonical_issuer: Vec<u8>,
    this_update: std::ops::Range<usize>,
    next_update: Option<std::ops::Range<usize>>,
    entries: Vec<Entry>,
    unhandled_critical: bool,
    /// The issuingDistributionPoint, when the list has one.
    partition: Option<Partition>,
}

impl Crl {
    /// Reads every CRL of a PEM file (`X509 CRL` blocks), or one DER CRL.
    pub fn all_from_bytes(bytes: &[u8]) -> Result<Vec<Self>, CrlError> {
        let der = bytes.first() == Some(&tag::SEQUENCE) && Self::from_der(bytes).is_ok();
        if !der && bytes.windows(11).any(|w| w == b"-----BEGIN ") {
            let crls = pem::parse_many(bytes)
                .map_err(|_| CrlError::NotACrl)?
                .into_iter()
                .filter(|p| p.tag() == "X509 CRL")
                .map(|p| Self::from_der(p.contents()))
                .collect::<Result<Vec<_>, _>>()?;
            if crls.is_empty() {
                return Err(CrlError::NotACrl);
            }
            return Ok(crls);
        }
        Ok(vec![Self::from_der(bytes)?])
    }

    /// Reads a PEM (`X509 CRL`) or DER revocation list (the first one of a PEM file).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CrlError> {
        Self::all_from_bytes(bytes)?
            .into_iter()
            .next()
            .ok_or(CrlError::NotACrl)
    }

    fn from_der(bytes: &[u8]) -> Result<Self, CrlError> {
        let range = |part: &[u8]| {
            let start = part.as_ptr() as usize - bytes.as_ptr() as usize;
            start..start + part.len()
        };
        let list = der::parse_single(bytes, tag::SEQUENCE, "CertificateList")?;
        let mut outer = list.reader();
        let tbs = outer.read(tag::SEQUENCE, "tbsCertList")?;
        let signature_algorithm = outer.read(tag::SEQUENCE, "signatureAlgorithm")?;
        let signature = outer.read(tag::BIT_STRING, "signatureValue")?;
        let mut fields = tbs.reader();
        fields.read_optional(tag::INTEGER)?;
        fields.read(tag::SEQUENCE, "signature")?;
        let issuer = fields.read(tag::SEQUENCE, "issuer")?;
        let this_update = fields.read_any()?;
        let next_update = match fields.peek_tag() {
            Some(tag::UTC_TIME | tag::GENERALIZED_TIME) => Some(range(fields.read_any()?.raw)),
            _ => None,
        };
        let mut entries = Vec::new();
        let mut unhandled_critical = false;
        if fields.peek_tag() == Some(tag::SEQUENCE) {
            let list = fields.read(tag::SEQUENCE, "revokedCertificates")?;
            let mut reader = list.reader();
            while !reader.is_empty() {
                let entry = reader.read(tag::SEQUENCE, "revoked certificate")?;
                let mut parts = entry.reader();
                let serial = parts.read(tag::INTEGER, "userCertificate")?.value.to_vec();
                parts.read_any()?; // revocationDate
                let mut removed = false;
                if let Some(extensions) = parts.read_optional(tag::SEQUENCE)? {
                    for (oid, critical, value) in extension_list(extensions.value)? {
                        if oid == REASON_CODE {
                            removed = der::parse_single(value, 0x0A, "CRLReason")
                                .is_ok_and(|r| r.value == [REMOVE_FROM_CRL]);
                        } else if critical {
                            unhandled_critical = true;
                        }
                    }
                }
                entries.push(Entry { serial, removed });
            }
        }
        let mut partition = None;
        if let Some(explicit) = fields.read_optional(0xA0)? {
            let extensions = Reader::new(explicit.value).read(tag::SEQUENCE, "crlExtensions")?;
            for (oid, critical, value) in extension_list(extensions.value)? {
                unhandled_critical |= critical && !UNDERSTOOD_CRITICAL.contains(&oid);
                if oid == ISSUING_DISTRIBUTION_POINT {
                    partition = Some(Partition::parse(value));
                }
            }
        }
        Ok(Self {
            der: bytes.to_vec(),
            tbs: range(tbs.raw),
            signature_algorithm: range(signature_algorithm.raw),
            signature: range(signature.value),
            issuer: range(issuer.raw),
            canonical_issuer: canonical_name(issuer.raw),
            this_update: range(this_update.raw),
            next_update,
            entries,
            partition,
            unhandled_critical,
        })
    }

    /// The issuer name's DER.
    pub fn issuer_der(&self) -> &[u8] {
        &self.der[self.issuer.clone()]
    }

    /// How many serials the list revokes.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the list revokes nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether the list speaks for certificates issued under `cert`'s issuer name.
    fn covers(&self, cert: &Certificate) -> bool {
        self.canonical_issuer == cert.issuer_key()
    }

    /// Whether the list names `cert`'s serial (and does not take it back).
    fn lists(&self, cert: &Certificate) -> bool {
        self.entries
            .iter()
            .any(|e| e.serial == cert.serial_content() && !e.removed)
    }

    fn signed_by(&self, issuer: &Certificate) -> bool {
        let signature = self.der[self.signature.clone()].get(1..).unwrap_or(&[]);
        signed_by(
            &self.der[self.tbs.clone()],
            &self.der[self.signature_algorithm.clone()],
            signature,
            issuer,
        )
    }

    /// thisUpdate and nextUpdate as `X509_cmp_time` reads them.
    fn times(&self) -> (Option<Instant>, Option<Option<Instant>>) {
        (
            verifiable_time(&self.der[self.this_update.clone()]),
            self.next_update
                .clone()
                .map(|range| verifiable_time(&self.der[range])),
        )
    }

    fn current_at(&self, at: Instant) -> bool {
        match self.times() {
            (Some(this), next) => {
                this.unix <= at.unix
                    && match next {
                        None => true,
                        Some(Some(next)) => at.unix < next.unix,
                        Some(None) => false,
                    }
            }
            (None, _) => false,
        }
    }

    /// The list's validity in words, for explanations.
    fn printed_times(&self) -> (String, String) {
        let print = |range: std::ops::Range<usize>| {
            format_time(&self.der[range], TlsLibrary::OpenSsl).into_text()
        };
        (
            print(self.this_update.clone()),
            self.next_update.clone().map(print).unwrap_or_default(),
        )
    }
}

/// `certRevoked` as Cloudflare would see it with a CRL it trusted: a list from `cert`'s
/// `issuer`, signed by it, current at `at`, that names the serial.
pub fn revokes(
    crls: &[Crl],
    cert: &Certificate,
    issuer: Option<&Certificate>,
    at: Instant,
) -> bool {
    let Some(issuer) = issuer else {
        return false;
    };
    crls.iter().any(|crl| {
        crl.covers(cert) && crl.signed_by(issuer) && crl.current_at(at) && crl.lists(cert)
    })
}

/// nginx's `ssl_crl`: every certificate of the chain is looked up in a list from its issuer;
/// each failure is reported (`check_revocation`), the last one wins.
pub(super) fn check_chain(run: &mut Run, chain: &[Certificate], crls: &[Crl], at: Instant) {
    let Some(top) = chain.len().checked_sub(1) else {
        return;
    };
    for (i, cert) in chain.iter().enumerate() {
        let issuer = chain.get(i + 1);
        // The best list: from the right issuer name and covering this kind of certificate and
        // its distribution point, preferring current ones, then newer.
        let Some(crl) = crls
            .iter()
            .filter(|crl| crl.covers(cert) && crl.partition.as_ref().is_none_or(|p| p.covers(cert)))
            .max_by_key(|crl| (crl.current_at(at), crl.times().0.map(|t| t.unix)))
        else {
            run.fail(
                "revocation",
                Some(i),
                VerifyError::UnableToGetCrl,
                if crls.iter().any(|crl| crl.covers(cert)) {
                    format!(
                        "the revocation lists from {} are partitioned (issuingDistributionPoint) and none covers this certificate — its kind (CA or not), its CRL distribution point, or reasons and indirect lists, which nginx does not read; give the complete list",
                        run.name(cert.issuer_der())
                    )
                } else {
                    format!(
                        "no revocation list from {} was given; nginx's ssl_crl needs one for every certificate of the chain, the root included",
                        run.name(cert.issuer_der())
                    )
                },
            );
            continue;
        };
        let signer = match issuer {
            Some(issuer) => Some(issuer),
            None if i == top && cert.is_self_issued() => Some(cert),
            None => {
                run.fail(
                    "revocation",
                    Some(i),
                    VerifyError::UnableToGetCrlIssuer,
                    "the issuer of its revocation list is not in the chain, so the list's signature cannot be checked".into(),
                );
                None
            }
        };
        if let Some(signer) = signer
            && !Constraints::of(signer).may_sign_crls()
        {
            run.fail(
                "revocation",
                Some(i),
                VerifyError::KeyUsageNoCrlSign,
                format!(
                    "{} signs revocation lists, but its keyUsage does not include cRLSign",
                    run.name(signer.subject_der())
                ),
            );
        }
        check_times(run, crl, i, at);
        if let Some(signer) = signer
            && !crl.signed_by(signer)
        {
            run.fail(
                "revocation",
                Some(i),
                VerifyError::CrlSignatureFailure,
                format!(
                    "the revocation list from {} does not verify with its key (was it signed by another key?)",
                    run.name(signer.subject_der())
                ),
            );
        }
        if crl.unhandled_critical {
            run.fail(
                "revocation",
                Some(i),
                VerifyError::UnhandledCriticalCrlExtension,
                "the revocation list has a critical extension OpenSSL does not understand".into(),
            );
        }
        if crl.lists(cert) {
            run.fail(
                "revocation",
                Some(i),
                VerifyError::Revoked,
                format!(
                    "{} (serial {}) is listed in the revocation list of {}",
                    run.name(cert.subject_der()),
                    crate::notation::format_serial(cert.serial_content()),
                    run.name(crl.issuer_der())
                ),
            );
        } else {
            run.pass(
                "revocation",
                Some(i),
                format!(
                    "not listed in the revocation list of {}",
                    run.name(crl.issuer_der())
                ),
            );
        }
    }
}

/// `check_crl_time`: each bound reported on its own.
fn check_times(run: &mut Run, crl: &Crl, depth: usize, at: Instant) {
    let (this_update, next_update) = crl.times();
    let (printed_this, printed_next) = crl.printed_times();
    match this_update {
        None => run.fail(
            "revocation",
            Some(depth),
            VerifyError::CrlLastUpdateFormat,
            "the revocation list's thisUpdate time cannot be read".into(),
        ),
        Some(this) if this.unix > at.unix => run.fail(
            "revocation",
            Some(depth),
            VerifyError::CrlNotYetValid,
            format!("the revocation list is not valid until {printed_this}"),
        ),
        Some(_) => {}
    }
    match next_update {
        Some(None) => run.fail(
            "revocation",
            Some(depth),
            VerifyError::CrlNextUpdateFormat,
            "the revocation list's nextUpdate time cannot be read".into(),
        ),
        Some(Some(next)) if next.unix <= at.unix => run.fail(
            "revocation",
            Some(depth),
            VerifyError::CrlExpired,
            format!("the revocation list expired on {printed_next}; publish a fresh one"),
        ),
        _ => {}
    }
}

/// One extension: OID, critical, value.
type Extension<'a> = (&'a [u8], bool, &'a [u8]);

/// Each extension of an `Extensions` SEQUENCE's content.
fn extension_list(content: &[u8]) -> Result<Vec<Extension<'_>>, DerError> {
    let mut reader = Reader::new(content);
    let mut out = Vec::new();
    while !reader.is_empty() {
        let extension = reader.read(tag::SEQUENCE, "Extension")?;
        let mut fields = extension.reader();
        let oid = fields.read(tag::OID, "extnID")?.value;
        let critical = fields
            .read_optional(tag::BOOLEAN)?
            .is_some_and(|b| b.value != [0]);
        let value = fields.read(tag::OCTET_STRING, "extnValue")?.value;
        out.push((oid, critical, value));
    }
    Ok(out)
}
