//! The setup check itself: the calls, in the order a person would make them, each turned into
//! a row.

use std::time::Duration;

use serde::Serialize;

use super::api::{Api, ApiError};
use super::facts::{self, Presented, Target};
use super::model::{
    AccessSetting, ClientCertificate, HostnameAssociations, ManagedHeaders, MtlsCertificate,
    Ruleset, TokenStatus, Zone,
};
use super::rows::{Check, Row, Status, Verdict};
use super::token::ApiToken;
use super::waf::{self, WalkContext};
use crate::assess::Trust;
use crate::certificate::Certificate;
use crate::edge_setup::rules::RuleEngine;
use crate::fields::{EdgeView, FieldValue, Profile, Property};
use crate::identity::Identity;
use crate::verify;

/// The permissions, as the dashboard names them.
const ZONE_READ: &str = "Zone: Zone Read";
const ACCOUNT_SSL_READ: &str = "Account: SSL and Certificates Read";
const ZONE_SSL_READ: &str = "Zone: SSL and Certificates Read";
const ACCESS_MTLS_READ: &str = "Access: Mutual TLS Certificates Read";
const MANAGED_HEADERS_READ: &str = "Zone: Managed headers Read";
const ZONE_WAF_READ: &str = "Zone: Zone WAF Read";
const ANY_TOKEN: &str = "a valid token";

/// The id of the managed transform that adds the `cf-cert-*` headers.
const CLIENT_CERTIFICATE_HEADERS: &str = "add_client_certificate_headers";

/// What to check.
#[derive(Debug, Clone)]
pub struct SetupRequest<'a> {
    /// The URL the client calls (https).
    pub url: &'a str,
    /// The path to evaluate the rules for, instead of the URL's.
    pub path: Option<&'a str>,
    /// The identity.
    pub identity: &'a Identity,
    /// The application is a Worker: the certificate need not be forwarded to an origin.
    pub behind_worker: bool,
    /// The API's base URL.
    pub api_base: &'a str,
    /// How long one call may take.
    pub timeout: Duration,
}

/// Why the check could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SetupError {
    /// The URL is not an https URL with a hostname.
    #[error("{url} is not an https:// URL with a hostname")]
    InvalidUrl {
        /// What was given.
        url: String,
    },
    /// The token is not active.
    #[error("the API token is {status}")]
    TokenInactive {
        /// `disabled` or `expired`.
        status: String,
    },
    /// A call every other depends on failed.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The check's own machinery failed.
    #[error("the check could not run: {0}")]
    Runtime(String),
}

/// The zone that covers the hostname.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ZoneSummary {
    /// Its id.
    pub id: String,
    /// Its apex name.
    pub name: String,
    /// The account's id.
    pub account_id: String,
}

/// What the check found.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetupCheck {
    /// The hostname checked.
    pub host: String,
    /// The path the rules were evaluated for.
    pub path: String,
    /// The zone, when found.
    pub zone: Option<ZoneSummary>,
    /// `certVerified` as Cloudflare would set it for this identity on this hostname (`NONE`
    /// when it does not ask for a certificate), when it could be told.
    pub cert_verified: Option<String>,
    /// The findings, in order.
    pub rows: Vec<Row>,
    /// The conclusion.
    pub verdict: Verdict,
}

/// Runs the check (blocking; it makes its own runtime).
pub fn check(request: &SetupRequest<'_>, token: ApiToken) -> Result<SetupCheck, SetupError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| SetupError::Runtime(e.to_string()))?;
    runtime.block_on(check_async(request, token))
}

/// Runs the check on the caller's runtime.
pub async fn check_async(
    request: &SetupRequest<'_>,
    token: ApiToken,
) -> Result<SetupCheck, SetupError> {
    let target = target(request)?;
    let api = Api::new(request.api_base, token, request.timeout)?;
    let mut rows = Vec::new();

    let user_token = match api
        .get::<TokenStatus>("user/tokens/verify", &[], ANY_TOKEN)
        .await
    {
        Ok(status) if status.status == "active" => Some(()),
        Ok(status) => {
            return Err(SetupError::TokenInactive {
                status: status.status,
            });
        }
        // An account-owned token is verified under its account, known once the zone is.
        Err(
            ApiError::TokenRefused { .. }
            | ApiError::PermissionMissing { .. }
            | ApiError::Refused { .. },
        ) => None,
        Err(error) => return Err(error.into()),
    };

    let zone = match find_zone(&api, &target.host).await {
        Ok(zone) => zone,
        Err(ApiError::PermissionMissing { .. }) if user_token.is_none() => {
            return Err(ApiError::TokenRefused {
                detail: "neither /user/tokens/verify nor /zones accepted it".to_owned(),
            }
            .into());
        }
        Err(error) => return Err(error.into()),
    };
    let Some(zone) = zone else {
        rows.push(
            Row::new(
                Check::Zone,
                Status::Fail,
                "zone-not-found",
                format!("no zone this token can see covers {}", target.host),
            )
            .with_evidence(format!("GET /zones?name=… for each parent of {}", target.host))
            .with_fix(
                "add the domain to Cloudflare (Websites > Add a site), or give the token access to its zone (My Profile > API Tokens > Zone Resources)",
                "GET /zones?name=<apex> must list it",
            ),
        );
        return Ok(finish(target, None, None, rows));
    };
    let account = zone.account.id.clone();
    if user_token.is_none() {
        match api
            .get::<TokenStatus>(&format!("accounts/{account}/tokens/verify"), &[], ANY_TOKEN)
            .await
        {
            Ok(status) if status.status != "active" => {
                return Err(SetupError::TokenInactive {
                    status: status.status,
                });
            }
            _ => {}
        }
    }
    rows.push(
        Row::new(
            Check::Zone,
            Status::Pass,
            "zone-found",
            format!("zone {} covers {}", zone.name, target.host),
        )
        .with_evidence(format!(
            "zone {} ({}), account {} ({})",
            zone.name, zone.id, zone.account.name, account
        )),
    );

    // Which CAs Cloudflare asks a certificate of, on this hostname.
    let mtls_certificates = api
        .get::<Vec<MtlsCertificate>>(
            &format!("accounts/{account}/mtls_certificates"),
            &[],
            ACCOUNT_SSL_READ,
        )
        .await;
    let associations_path = format!(
        "zones/{}/certificate_authorities/hostname_associations",
        zone.id
    );
    let managed = api
        .get::<HostnameAssociations>(&associations_path, &[], ZONE_SSL_READ)
        .await
        .map(|a| a.hostnames.unwrap_or_default());
    let mut uploaded: Vec<(MtlsCertificate, Result<Vec<String>, ApiError>)> = Vec::new();
    if let Ok(list) = &mtls_certificates {
        for ca in list.iter().filter(|c| c.ca) {
            let hosts = api
                .get::<HostnameAssociations>(
                    &associations_path,
                    &[("mtls_certificate_id", ca.id.clone())],
                    ZONE_SSL_READ,
                )
                .await
                .map(|a| a.hostnames.unwrap_or_default());
            uploaded.push((ca.clone(), hosts));
        }
    }
    let managed_on = managed
        .as_ref()
        .ok()
        .map(|hosts| covers(hosts, &target.host));
    let uploaded_on: Vec<&MtlsCertificate> = uploaded
        .iter()
        .filter(|(_, hosts)| hosts.as_ref().is_ok_and(|h| covers(h, &target.host)))
        .map(|(ca, _)| ca)
        .collect();
    let associations_unknown = managed.is_err()
        || mtls_certificates.is_err()
        || uploaded.iter().any(|(_, hosts)| hosts.is_err());
    let mtls_enabled = managed_on == Some(true) || !uploaded_on.is_empty();

    if mtls_enabled {
        let mut row = Row::new(
            Check::MtlsEnabled,
            Status::Pass,
            "mtls-enabled",
            format!(
                "Cloudflare asks for a client certificate on {}",
                target.host
            ),
        );
        if managed_on == Some(true) {
            row.evidence
                .push("associated with the Cloudflare Managed CA".to_owned());
        }
        for ca in &uploaded_on {
            row.evidence.push(format!(
                "associated with the uploaded CA {}",
                describe_ca(ca)
            ));
        }
        rows.push(row);
    } else if associations_unknown {
        let (permission, call) = match (&managed, &mtls_certificates) {
            (Err(_), _) => (ZONE_SSL_READ, associations_path.clone()),
            (_, Err(_)) => (
                ACCOUNT_SSL_READ,
                format!("/accounts/{account}/mtls_certificates"),
            ),
            _ => (ZONE_SSL_READ, associations_path.clone()),
        };
        let mut row = Row::permission_missing(Check::MtlsEnabled, permission, &call);
        if let Some(error) = [managed.as_ref().err(), mtls_certificates.as_ref().err()]
            .into_iter()
            .flatten()
            .find(|e| !matches!(e, ApiError::PermissionMissing { .. }))
        {
            row.code = "not-checked";
            row.summary = format!("not checked: {error}");
            row.permission = None;
            row.fix = None;
        }
        rows.push(row);
    } else {
        rows.push(
            Row::new(
                Check::MtlsEnabled,
                Status::Fail,
                "mtls-not-enabled",
                format!(
                    "{} is associated with no CA: Cloudflare never asks for a client certificate there, so the application sees certPresented \"0\" and certVerified \"NONE\"",
                    target.host
                ),
            )
            .with_evidence(format!(
                "Managed CA hosts: {}",
                list_or_none(managed.as_deref().unwrap_or_default())
            ))
            .with_evidence(format!(
                "{} uploaded CA(s): {}",
                uploaded.len(),
                uploaded
                    .iter()
                    .map(|(ca, hosts)| format!(
                        "{} > {}",
                        describe_ca(ca),
                        list_or_none(hosts.as_deref().unwrap_or_default())
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
            .with_fix(
                format!("SSL/TLS > Client Certificates > Hosts > Edit: add {}", target.host),
                format!(
                    "PUT /zones/{}/certificate_authorities/hostname_associations with {{\"hostnames\": [… , \"{}\"]}} (and \"mtls_certificate_id\" for an uploaded CA)",
                    zone.id, target.host
                ),
            ),
        );
    }

    // The dashboard's own certificates: is this one of them, and is it revoked?
    let client_certificates = api
        .list::<ClientCertificate>(
            &format!("zones/{}/client_certificates", zone.id),
            &[("status", "all".to_owned())],
            ZONE_SSL_READ,
        )
        .await;
    let fingerprint = request.identity.leaf.sha256_hex();
    let issued_here = client_certificates.as_ref().ok().map(|list| {
        list.iter()
            .find(|c| c.fingerprint_sha256.eq_ignore_ascii_case(&fingerprint))
            .cloned()
    });
    let revoked = matches!(&issued_here, Some(Some(c)) if c.status != "active");

    // The verdict Cloudflare reaches, with the CA it would use.
    let verdict = if mtls_enabled {
        Some(verdict(
            request.identity,
            managed_on == Some(true),
            issued_here.as_ref(),
            latest(&uploaded_on),
        ))
    } else {
        None
    };
    if let Some(verdict) = &verdict {
        rows.push(chain_row(
            verdict,
            request.identity,
            &zone,
            &account,
            &target,
            uploaded_on.len(),
        ));
    }

    rows.push(match (&client_certificates, &issued_here) {
        (Err(ApiError::PermissionMissing { .. }), _) => Row::permission_missing(
            Check::Revocation,
            ZONE_SSL_READ,
            &format!("/zones/{}/client_certificates", zone.id),
        ),
        (Err(error), _) => Row::new(Check::Revocation, Status::Unknown, "not-checked", format!("not checked: {error}")),
        (Ok(_), Some(Some(certificate))) => revocation_row(certificate, &zone),
        (Ok(list), _) => Row::new(
            Check::Revocation,
            Status::Pass,
            "not-cloudflare-issued",
            "not a certificate of the Cloudflare Managed CA: the dashboard cannot revoke it, and Cloudflare checks no revocation list for uploaded CAs",
        )
        .with_evidence(format!("{} client certificate(s) in the zone, none with SHA-256 {fingerprint}", list.len())),
    });

    rows.push(forwarding_row(&api, request, &zone, &target).await);

    // The rules, with the fields the edge would compute.
    let plain_view = Trust::default()
        .assess(request.identity, Profile::Cloudflare)
        .view;
    let view = verdict
        .as_ref()
        .and_then(|v| v.view.as_ref())
        .unwrap_or(&plain_view);
    let presented = if mtls_enabled {
        Presented::Sent {
            view,
            verified: verdict.as_ref().is_some_and(|v| v.verdict == "SUCCESS"),
            revoked,
        }
    } else {
        Presented::NotAsked
    };
    let facts = facts::facts(&target, &presented);
    let ruleset_path = format!(
        "zones/{}/rulesets/phases/http_request_firewall_custom/entrypoint",
        zone.id
    );
    match api.get::<Ruleset>(&ruleset_path, &[], ZONE_WAF_READ).await {
        Ok(ruleset) => {
            let issuer_ski = match view.get(Property::CertIssuerSKI) {
                FieldValue::Text(ski) if !ski.is_empty() => Some(ski.as_str()),
                _ => None,
            };
            let context = WalkContext {
                zone_id: &zone.id,
                host: &target.host,
                mtls_enabled,
                byo_ca: verdict.as_ref().is_some_and(|v| v.uploaded),
                issuer_ski,
            };
            rows.extend(waf::walk(&ruleset, &RuleEngine::new(), &facts, &context));
        }
        Err(ApiError::NotFound { .. }) => {
            let mut row = Row::new(
                Check::WafRules,
                Status::Pass,
                "no-custom-rules",
                "the zone has no WAF custom rules: none stops this request",
            )
            .with_evidence(format!("GET /{ruleset_path} answered 404"));
            if mtls_enabled {
                row.advice.push(waf::enforcement_advice(&target.host));
            }
            rows.push(row);
        }
        Err(ApiError::PermissionMissing { .. }) => {
            rows.push(Row::permission_missing(
                Check::WafRules,
                ZONE_WAF_READ,
                &format!("/{ruleset_path}"),
            ));
        }
        Err(error) => rows.push(Row::new(
            Check::WafRules,
            Status::Unknown,
            "not-checked",
            format!("not checked: {error}"),
        )),
    }

    let cert_verified = Some(match &verdict {
        Some(v) => v.verdict.clone(),
        None if associations_unknown => return Ok(finish(target, Some(&zone), None, rows)),
        None => "NONE".to_owned(),
    });
    Ok(finish(target, Some(&zone), cert_verified, rows))
}

fn finish(
    target: Target,
    zone: Option<&Zone>,
    cert_verified: Option<String>,
    rows: Vec<Row>,
) -> SetupCheck {
    SetupCheck {
        verdict: Verdict::of(&rows),
        host: target.host,
        path: target.path,
        zone: zone.map(|z| ZoneSummary {
            id: z.id.clone(),
            name: z.name.clone(),
            account_id: z.account.id.clone(),
        }),
        cert_verified,
        rows,
    }
}

fn target(request: &SetupRequest<'_>) -> Result<Target, SetupError> {
    let invalid = || SetupError::InvalidUrl {
        url: request.url.to_owned(),
    };
    let url = url::Url::parse(request.url).map_err(|_| invalid())?;
    if url.scheme() != "https" {
        return Err(invalid());
    }
    let host = url
        .host_str()
        .ok_or_else(invalid)?
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let (path, query) = match request.path {
        Some(given) => {
            let given = if given.starts_with('/') {
                given.to_owned()
            } else {
                format!("/{given}")
            };
            match given.split_once('?') {
                Some((path, query)) => (path.to_owned(), query.to_owned()),
                None => (given, String::new()),
            }
        }
        None => (
            url.path().to_owned(),
            url.query().unwrap_or_default().to_owned(),
        ),
    };
    Ok(Target { host, path, query })
}

/// The zone whose apex is the hostname or one of its parents.
async fn find_zone(api: &Api, host: &str) -> Result<Option<Zone>, ApiError> {
    let labels: Vec<&str> = host.split('.').collect();
    for start in 0..labels.len().saturating_sub(1) {
        let candidate = labels[start..].join(".");
        let zones = api
            .list::<Zone>("zones", &[("name", candidate.clone())], ZONE_READ)
            .await?;
        if let Some(zone) = zones
            .into_iter()
            .find(|z| z.name.eq_ignore_ascii_case(&candidate))
        {
            return Ok(Some(zone));
        }
    }
    Ok(None)
}

/// True when an association list names the hostname (or a wildcard covering it).
fn covers(hosts: &[String], host: &str) -> bool {
    hosts.iter().any(|entry| {
        let entry = entry.trim_end_matches('.').to_ascii_lowercase();
        match entry.strip_prefix("*.") {
            Some(parent) => host
                .strip_suffix(parent)
                .and_then(|rest| rest.strip_suffix('.'))
                .is_some_and(|label| !label.is_empty() && !label.contains('.')),
            None => entry == host,
        }
    })
}

/// The most recently uploaded CA: the one Cloudflare uses when several are associated.
fn latest<'a>(cas: &[&'a MtlsCertificate]) -> Option<&'a MtlsCertificate> {
    cas.iter()
        .copied()
        .max_by(|a, b| a.uploaded_on.cmp(&b.uploaded_on))
}

fn describe_ca(ca: &MtlsCertificate) -> String {
    format!("“{}” ({})", ca.name.as_deref().unwrap_or("unnamed"), ca.id)
}

fn list_or_none(hosts: &[String]) -> String {
    if hosts.is_empty() {
        "none".to_owned()
    } else {
        hosts.join(", ")
    }
}

/// Cloudflare's verdict on the identity, with the CA that gave it.
struct CaVerdict {
    /// `SUCCESS` or `FAILED:<reason>`.
    verdict: String,
    /// Which CA said so.
    by: String,
    /// True when it is an uploaded CA.
    uploaded: bool,
    /// The view with that CA's issuer fields, when the CA's certificate is at hand.
    view: Option<EdgeView>,
    /// Set when the verdict could not be told (the client-certificate list is unreadable).
    unknown: Option<String>,
}

fn verdict(
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

fn chain_row(
    verdict: &CaVerdict,
    identity: &Identity,
    zone: &Zone,
    account: &str,
    target: &Target,
    uploaded_count: usize,
) -> Row {
    let issuer = Trust::default().assess(identity, Profile::Cloudflare).view;
    let issuer_dn = match issuer.get(Property::CertIssuerDN) {
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

fn revocation_row(certificate: &ClientCertificate, zone: &Zone) -> Row {
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

async fn forwarding_row(
    api: &Api,
    request: &SetupRequest<'_>,
    zone: &Zone,
    target: &Target,
) -> Row {
    if request.behind_worker {
        return Row::new(
            Check::Forwarding,
            Status::Pass,
            "forwarding-not-needed",
            "the application is a Worker: it reads request.cf.tlsClientAuth, nothing needs forwarding",
        );
    }
    let settings_path = format!("zones/{}/access/certificates/settings", zone.id);
    let headers_path = format!("zones/{}/managed_headers", zone.id);
    let forwarding = api
        .get::<Vec<AccessSetting>>(&settings_path, &[], ACCESS_MTLS_READ)
        .await
        .map(|settings| {
            settings.iter().any(|s| {
                s.hostname.eq_ignore_ascii_case(&target.host) && s.client_certificate_forwarding
            })
        });
    let transform = api
        .get::<ManagedHeaders>(&headers_path, &[], MANAGED_HEADERS_READ)
        .await
        .map(|headers| {
            headers
                .managed_request_headers
                .iter()
                .any(|h| h.id == CLIENT_CERTIFICATE_HEADERS && h.enabled)
        });
    let mut on = Vec::new();
    if forwarding == Ok(true) {
        on.push(format!("client certificate forwarding is on for {} (Cf-Client-Cert-Der-Base64, Cf-Client-Cert-Sha256)", target.host));
    }
    if transform == Ok(true) {
        on.push(
            "the managed transform “Add TLS client auth headers” is on (cf-cert-* headers)"
                .to_owned(),
        );
    }
    if !on.is_empty() {
        let mut row = Row::new(
            Check::Forwarding,
            Status::Pass,
            "forwarding-on",
            "the origin learns of the certificate",
        );
        row.evidence = on;
        return row;
    }
    match (&forwarding, &transform) {
        (Ok(false), Ok(false)) => Row::new(
            Check::Forwarding,
            Status::Fail,
            "forwarding-off",
            "the origin learns nothing of the certificate: neither forwarding nor the managed transform is on (a Worker still reads request.cf.tlsClientAuth)",
        )
        .with_evidence(format!("no forwarding setting on for {}", target.host))
        .with_evidence("“Add TLS client auth headers” is off")
        .with_fix(
            "Rules > Settings > Managed Transforms > Add TLS client auth headers; or SSL/TLS > Client Certificates > forward the certificate (accounts with Access)",
            format!(
                "PATCH /zones/{}/managed_headers with {{\"managed_request_headers\": [{{\"id\": \"{CLIENT_CERTIFICATE_HEADERS}\", \"enabled\": true}}]}}, or PUT /zones/{}/access/certificates/settings with {{\"settings\": [{{\"hostname\": \"{}\", \"client_certificate_forwarding\": true, \"china_network\": false}}]}}",
                zone.id, zone.id, target.host
            ),
        ),
        _ => {
            let missing: Vec<(&str, &str)> = [
                (forwarding.as_ref().err(), ACCESS_MTLS_READ, &settings_path),
                (transform.as_ref().err(), MANAGED_HEADERS_READ, &headers_path),
            ]
            .into_iter()
            .filter_map(|(error, permission, path)| error.map(|_| (permission, path.as_str())))
            .collect();
            let (permission, path) = missing.first().copied().unwrap_or((ACCESS_MTLS_READ, ""));
            let mut row = Row::permission_missing(Check::Forwarding, permission, &format!("/{path}"));
            for (error, _) in [(forwarding.as_ref().err(), 0), (transform.as_ref().err(), 1)] {
                if let Some(error) = error.filter(|e| !matches!(e, ApiError::PermissionMissing { .. })) {
                    row.evidence.push(error.to_string());
                }
            }
            if missing.len() > 1 {
                row.summary = format!("not checked: the token lacks {ACCESS_MTLS_READ} and {MANAGED_HEADERS_READ}");
            }
            row
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn associations_name_the_host_or_a_wildcard_over_it() {
        let hosts = vec!["api.example.com".to_owned(), "*.dev.example.com".to_owned()];
        assert!(covers(&hosts, "api.example.com"));
        assert!(covers(&hosts, "x.dev.example.com"));
        assert!(!covers(&hosts, "dev.example.com"));
        assert!(!covers(&hosts, "a.b.dev.example.com"));
        assert!(!covers(&hosts, "www.example.com"));
    }
}
