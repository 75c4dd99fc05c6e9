//! Which CA Cloudflare verifies the identity with on this hostname, its verdict, and the
//! certificate's status among the Managed CA's own.

use super::facts::Target;
use super::model::{ClientCertificate, MtlsCertificate, Zone};
use super::permissions::ZONE_SSL_READ;
use super::rows::{Check, Row, Status};
use crate::assess::Trust;
use crate::certificate::Certificate;
use crate::fields::{EdgeView, FieldValue, Profile, Property};
use crate::identity::Identity;
use crate::verify;

/// The most recently uploaded CA: the one Cloudflare uses when several are associated.
pub(super) fn latest<'a>(cas: &[&'a MtlsCertificate]) -> Option<&'a MtlsCertificate> {
    cas.iter()
        .copied()
        .max_by(|a, b| a.uploaded_on.cmp(&b.uploaded_on))
}

pub(super) fn describe_ca(ca: &MtlsCertificate) -> String {
    format!("“{}” ({})", ca.name.as_deref().unwrap_or("unnamed"), ca.id)
}

/// Cloudflare's verdict on the identity, with the CA that gave it.
pub(super) struct CaVerdict {
    /// `SUCCESS` or `FAILED:<reason>`.
    pub(super) verdict: String,
    /// Which CA said so.
    pub(super) by: String,
    /// True when it is an uploaded CA.
    pub(super) uploaded: bool,
    /// The view with that CA's issuer fields, when the CA's certificate is at hand.
    pub(super) view: Option<EdgeView>,
    /// Set when the verdict could not be told (the client-certificate list is unreadable).
    pub(super) unknown: Option<String>,
}

pub(super) fn verdict(
    identity: &Identity,
    managed: bool,
    issued_here: Option<&Option<ClientCertificate>>,
    uploaded: Option<&MtlsCertificate>,
) -> CaVerdict {
    let mut candidates = Vec::new();
    if let Some(ca) = uploaded {
        let cas: Vec<Certificate> = crate::identity::load_bytes(ca.certificates.as_bytes(), None)
            .map(|file| file.certificates)
            .unwrap_or_default();
        let assessment = Trust {
            cas,
            ..Trust::default()
        }
        .assess_as_edge(identity, Profile::Cloudflare);
        candidates.push(CaVerdict {
            verdict: assessment
                .verification
                .map(|v| v.verdict)
                .unwrap_or_default(),
            by: format!("the uploaded CA {}", describe_ca(ca)),
            uploaded: true,
            view: Some(assessment.view),
            unknown: None,
        });
    }
    if managed {
        candidates.push(match issued_here {
            // Issued by the Managed CA, whose certificate the API does not give: the dates and
            // purpose are checked as the edge would, with the leaf itself as the anchor.
            Some(Some(_)) => {
                let trust = Trust {
                    cas: vec![identity.leaf.clone()],
                    options: verify::Options {
                        partial_chain: true,
                        ..verify::Options::default()
                    },
                    ..Trust::default()
                };
                let verification = trust.verify(&identity.leaf, &[], Profile::Cloudflare);
                CaVerdict {
                    verdict: verification.map(|v| v.verdict).unwrap_or_default(),
                    by: "the Cloudflare Managed CA (it issued this certificate)".to_owned(),
                    uploaded: false,
                    view: None,
                    unknown: None,
                }
            }
            Some(None) => CaVerdict {
                verdict: Trust::default()
                    .assess_as_edge(identity, Profile::Cloudflare)
                    .verification
                    .map(|v| v.verdict)
                    .unwrap_or_default(),
                by: "the Cloudflare Managed CA (it did not issue this certificate)".to_owned(),
                uploaded: false,
                view: None,
                unknown: None,
            },
            None => CaVerdict {
                verdict: String::new(),
                by: "the Cloudflare Managed CA".to_owned(),
                uploaded: false,
                view: None,
                unknown: Some("the zone's client certificates could not be read".to_owned()),
            },
        });
    }
    let success = candidates.iter().position(|c| c.verdict == "SUCCESS");
    let unknown = candidates.iter().position(|c| c.unknown.is_some());
    let pick = success.or(unknown).unwrap_or(0);
    candidates.swap_remove(pick)
}

pub(super) fn chain_row(
    verdict: &CaVerdict,
    plain_view: &EdgeView,
    zone: &Zone,
    account: &str,
    target: &Target,
    uploaded_count: usize,
) -> Row {
    let issuer_dn = match plain_view.get(Property::CertIssuerDN) {
        FieldValue::Text(dn) => dn.clone(),
        _ => String::new(),
    };
    let mut row = if let Some(why) = &verdict.unknown {
        Row::permission_missing(
            Check::ChainsToCa,
            ZONE_SSL_READ,
            &format!("/zones/{}/client_certificates", zone.id),
        )
        .with_evidence(why.clone())
    } else if verdict.verdict == "SUCCESS" {
        Row::new(
            Check::ChainsToCa,
            Status::Pass,
            "ca-associated",
            format!("certVerified \"SUCCESS\": verified by {}", verdict.by),
        )
    } else {
        Row::new(
            Check::ChainsToCa,
            Status::Fail,
            "ca-not-associated",
            format!(
                "certVerified \"{}\": no CA associated with {} issued this certificate (checked against {})",
                verdict.verdict, target.host, verdict.by
            ),
        )
        .with_fix(
            format!(
                "SSL/TLS > Client Certificates: issue the client certificate there, or associate the CA that issued it (issuer {issuer_dn}) with {}",
                target.host
            ),
            format!(
                "POST /accounts/{account}/mtls_certificates with {{\"ca\": true, \"certificates\": \"<the CA's PEM>\"}}, then PUT /zones/{}/certificate_authorities/hostname_associations with {{\"mtls_certificate_id\": \"<its id>\", \"hostnames\": [\"{}\"]}}",
                zone.id, target.host
            ),
        )
    };
    row.evidence
        .push(format!("the certificate's issuer: {issuer_dn}"));
    if uploaded_count > 1 {
        row.advice.push(format!(
            "{uploaded_count} uploaded CAs are associated with {}: Cloudflare uses the most recently deployed one only, so the others' certificates fail there",
            target.host
        ));
    }
    row
}

pub(super) fn revocation_row(certificate: &ClientCertificate, zone: &Zone) -> Row {
    let evidence = format!(
        "client certificate {} (CN {}), status {}",
        certificate.id,
        certificate.common_name.as_deref().unwrap_or(""),
        certificate.status
    );
    if certificate.status == "active" {
        return Row::new(
            Check::Revocation,
            Status::Pass,
            "certificate-active",
            "issued by the Cloudflare Managed CA and active in the dashboard",
        )
        .with_evidence(evidence);
    }
    let mut row = Row::new(
        Check::Revocation,
        Status::Fail,
        "certificate-revoked",
        format!(
            "the dashboard lists this certificate as {}: cert_revoked is true, yet certVerified stays \"SUCCESS\"",
            certificate.status.replace('_', " ")
        ),
    )
    .with_evidence(evidence)
    .with_fix(
        "SSL/TLS > Client Certificates > the certificate > Restore (or issue a new one)",
        format!(
            "PATCH /zones/{}/client_certificates/{} (reactivates it)",
            zone.id, certificate.id
        ),
    );
    row.advice.push(
        "Cloudflare does not refuse a revoked certificate on its own: only a WAF rule testing cf.tls_client_auth.cert_revoked blocks it".to_owned(),
    );
    row
}
